"""Rule matching through wazuh-logtest, against stand-ins written here that speak its two interfaces.

Interfaces followed (Wazuh 4.1-4.14, read from wazuh/wazuh ``src/analysisd/logtest.c`` and
``framework/scripts/wazuh_logtest.py``):

* the logtest socket: UNIX stream, one request per connection, 4-byte little-endian length + JSON;
  ``log_processing`` with location/log_format/event(/token), answers ``{"error", "data": {"messages",
  "token", "output", "alert", "codemsg"}}``; ``remove_session`` closes the session. The stand-in rebuilds
  ``1:<location>:<event>`` exactly as analysisd does, so the test can compare it with the module's datagram.
* the ``wazuh-logtest`` tool: ``-l <location>``, one event per stdin line, ``**Phase`` blocks on stderr.

The stand-in's "ruleset" is a made-up miniature (rule ids below are test values, not Wazuh's): integration
aws → 80200 level 0; read-only CloudTrail calls → 80253 level 2; a failed ConsoleLogin → 80254 level 5.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import socket
import struct
import sys
import tempfile
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from diagnostics.context import DoctorContext
from diagnostics.findings import Status
from diagnostics.host.logtest import match_events
from diagnostics.host.logtest_model import parse_text_output, read_alert_level
from tests.decode_helpers import decode

KEY = ("AWSLogs/123456789012/CloudTrail/us-east-1/2024/05/14/"
       "123456789012_CloudTrail_us-east-1_20240514T0805Z_Ab3dE5fG7hJ9kL1m.json.gz")
FAILED_LOGIN = {"eventName": "ConsoleLogin", "eventSource": "signin.amazonaws.com",
                "responseElements": {"ConsoleLogin": "Failure"}, "sourceIPAddress": "198.51.100.77"}
DESCRIBE = {"eventName": "DescribeInstances", "eventSource": "ec2.amazonaws.com", "readOnly": True}
PUT = {"eventName": "PutBucketPolicy", "eventSource": "s3.amazonaws.com"}

STAND_IN_RULES = textwrap.dedent('''
    import json

    def analyse(log, alert_level):
        """(decoder, rule or None, alert) for '1:<location>:<event>', like a tiny analysisd."""
        event = log.split(":", 2)[2]
        try:
            data = json.loads(event)
        except ValueError:
            return None, None, False
        if not isinstance(data, dict):
            return None, None, False
        if data.get("integration") != "aws":
            return "json", None, False
        aws = data.get("aws", {})
        name = aws.get("eventName", "")
        if name == "ConsoleLogin" and aws.get("responseElements", {}).get("ConsoleLogin") == "Failure":
            rule = {"id": "80254", "level": 5, "description": "AWS ConsoleLogin failure.",
                    "groups": ["aws", "authentication_failed"], "firedtimes": 1}
        elif name.startswith(("Describe", "List", "Get")):
            rule = {"id": "80253", "level": 2, "description": "AWS read-only call.", "groups": ["aws"],
                    "firedtimes": 1}
        else:
            rule = {"id": "80200", "level": 0, "description": "AWS alert.", "groups": ["aws"],
                    "firedtimes": 1}
        return "json", rule, rule["level"] >= alert_level
''')
_namespace: dict[str, Any] = {}
exec(STAND_IN_RULES, _namespace)
analyse = _namespace["analyse"]


class StandInAnalysisd:
    """A logtest socket server: one framed request per connection, sessions by token."""

    TOKEN = "0a1b2c3d"

    def __init__(self, path: Path, alert_level: int = 3, warning: str | None = None) -> None:
        self.path, self.alert_level, self.warning = path, alert_level, warning
        self.requests: list[dict[str, Any]] = []
        self.rebuilt: list[str] = []
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(str(path))
        self.server.listen(8)
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            with client:
                size = struct.unpack("<I", client.recv(4, socket.MSG_WAITALL))[0]
                request = json.loads(client.recv(size, socket.MSG_WAITALL))
                self.requests.append(request)
                body = json.dumps(self.answer(request)).encode()
                client.sendall(struct.pack("<I", len(body)) + body)

    def answer(self, request: dict[str, Any]) -> dict[str, Any]:
        parameters = request.get("parameters", {})
        if request.get("command") == "remove_session":
            return {"error": 0, "data": {"messages": [f"INFO: (7206): The session '{self.TOKEN}' was closed"],
                                         "codemsg": 0}}
        for name in ("location", "log_format", "event"):
            if not parameters.get(name):
                return {"error": 2, "message": f"(7308): '{name}' JSON field is required", "data": {}}
        location = parameters["location"].replace("|", "||").replace(":", "|:")
        log = f"1:{location}:{parameters['event']}"
        self.rebuilt.append(log)
        messages = [] if parameters.get("token") == self.TOKEN else [
            f"INFO: (7202): Session initialized with token '{self.TOKEN}'"]
        if self.warning:
            messages.append(self.warning)
        decoder, rule, alert = analyse(log, self.alert_level)
        output: dict[str, Any] = {"full_log": parameters["event"], "location": parameters["location"]}
        if decoder:
            output["decoder"] = {"name": decoder}
        if rule:
            output["rule"] = rule
        return {"error": 0, "data": {"messages": messages, "token": self.TOKEN, "output": output,
                                     "alert": alert, "codemsg": 1 if messages else 0}}

    def stop(self) -> None:
        self.server.close()


STAND_IN_TOOL = STAND_IN_RULES + textwrap.dedent('''
    import sys

    def show(prefix, fields):
        for name, value in fields.items():
            print("\\t%s: '%s'" % (prefix + name, value), file=sys.stderr)

    args = sys.argv[1:]
    if args[:2] != ["-l", "Wazuh-AWS"]:
        print("** Wazuh-logtest error: expected -l Wazuh-AWS, got %r" % args, file=sys.stderr)
        sys.exit(3)
    print("Starting wazuh-logtest v4.14.7", file=sys.stderr)
    print("Type one log per line", file=sys.stderr)
    for line in sys.stdin:
        event = line.rstrip("\\n")
        if not event:
            continue
        if event == "BROKEN":
            print("** Wazuh-logtest error when connecting with wazuh-analysisd", file=sys.stderr)
            continue
        decoder, rule, alert = analyse("1:" + args[1] + ":" + event, 3)
        print("", file=sys.stderr)
        print("**Phase 1: Completed pre-decoding.", file=sys.stderr)
        print("\\tfull event: '%s'" % event, file=sys.stderr)
        print("", file=sys.stderr)
        print("**Phase 2: Completed decoding.", file=sys.stderr)
        if decoder:
            show("", {"name": decoder})
            show("", {"integration": "aws", "aws.name": "x"})
        else:
            print("\\tNo decoder matched.", file=sys.stderr)
        if rule:
            print("", file=sys.stderr)
            print("**Phase 3: Completed filtering (rules).", file=sys.stderr)
            show("", {"id": rule["id"], "level": rule["level"], "description": rule["description"],
                      "groups": rule["groups"], "firedtimes": rule["firedtimes"], "mail": False})
        if alert:
            print("**Alert to be generated.", file=sys.stderr)
''')


@pytest.fixture
def home() -> Iterator[Path]:
    """A short Wazuh home (UNIX socket paths are limited to about 100 bytes)."""
    folder = Path(tempfile.mkdtemp(prefix="lt", dir="/tmp"))
    (folder / "queue" / "sockets").mkdir(parents=True)
    (folder / "etc").mkdir()
    (folder / "bin").mkdir()
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def context_for(home: Path) -> DoctorContext:
    return DoctorContext(wazuh_home=home, config_path=home / "etc" / "ossec.conf")


def write_alert_level(home: Path, level: int) -> None:
    (home / "etc" / "ossec.conf").write_text(
        "<ossec_config>\n  <alerts>\n    <log_alert_level>1</log_alert_level>\n  </alerts>\n</ossec_config>\n"
        f"<ossec_config>\n  <alerts>\n    <log_alert_level>{level}</log_alert_level>\n  </alerts>\n"
        "</ossec_config>\n")


def cloudtrail_events(*records: dict[str, Any]) -> list[Any]:
    return decode(json.dumps({"Records": list(records)}).encode(), KEY, "cloudtrail", gz=True).events


@pytest.fixture
def analysisd(home: Path) -> Iterator[StandInAnalysisd]:
    server = StandInAnalysisd(home / "queue" / "sockets" / "logtest")
    yield server
    server.stop()


def test_socket_sends_the_module_datagram_and_groups_by_rule(home: Path, analysisd: StandInAnalysisd) -> None:
    write_alert_level(home, 3)
    events = cloudtrail_events(FAILED_LOGIN, DESCRIBE, PUT, DESCRIBE)
    report = match_events(context_for(home), events)
    assert report.interface == "socket" and report.available
    assert analysisd.rebuilt == [event.payload for event in events]  # byte for byte, 1:Wazuh-AWS:{json}
    processing = [r for r in analysisd.requests if r["command"] == "log_processing"]
    assert all(r["version"] == 1 and r["parameters"]["location"] == "Wazuh-AWS"
               and r["parameters"]["log_format"] == "json" for r in processing)
    assert "token" not in processing[0]["parameters"]
    assert {r["parameters"]["token"] for r in processing[1:]} == {StandInAnalysisd.TOKEN}
    assert analysisd.requests[-1] == {"version": 1, "origin": {"name": "wazuh-aws-doctor",
                                                              "module": "wazuh-aws-doctor"},
                                      "command": "remove_session",
                                      "parameters": {"token": StandInAnalysisd.TOKEN}}
    assert [(m.rule_id, m.level, m.decoder, m.alert) for m in report.matches] == [
        ("80254", 5, "json", True), ("80253", 2, "json", False), ("80200", 0, "json", False),
        ("80253", 2, "json", False)]
    assert report.matches[0].key == KEY and report.matches[0].groups == ("aws", "authentication_failed")
    groups = {(g.verdict, g.rule_id): g for g in report.groups}
    assert groups[("below_alert_level", "80253")].indexes == (1, 3)
    assert groups[("alert", "80254")].count == 1 and groups[("level_zero", "80200")].keys == (KEY,)
    by_id = {f.failure_id: f for f in report.findings}
    assert by_id["host.logtest_alerts"].status is Status.OK
    assert by_id["host.logtest_level_zero"].status is Status.WARNING
    assert "<if_sid>80200</if_sid>" in by_id["host.logtest_level_zero"].fix
    below = by_id["host.logtest_below_alert_level"]
    assert below.title == "2 event(s) match rule 80253 at level 2, below log_alert_level 3"
    assert "ossec.conf:8" in report.alert_level_source  # the last <log_alert_level> wins


def test_alert_level_is_read_from_ossec_conf(home: Path) -> None:
    assert read_alert_level(home / "etc" / "ossec.conf")[0] == 3
    write_alert_level(home, 6)
    level, source = read_alert_level(home / "etc" / "ossec.conf")
    assert level == 6 and source.endswith(":8")


def test_higher_alert_level_turns_an_alert_into_a_warning(home: Path) -> None:
    write_alert_level(home, 6)
    server = StandInAnalysisd(home / "queue" / "sockets" / "logtest", alert_level=6)
    try:
        report = match_events(context_for(home), cloudtrail_events(FAILED_LOGIN))
    finally:
        server.stop()
    assert [g.verdict for g in report.groups] == ["below_alert_level"]
    assert "log_alert_level 6" in report.findings[0].title


def test_discarded_payloads_messages_and_unmatched(home: Path) -> None:
    server = StandInAnalysisd(home / "queue" / "sockets" / "logtest",
                              warning="WARNING: (7003): 'x.xml' rule 100001 has an invalid field")
    try:
        decoded = cloudtrail_events(PUT)[0]
        discarded = dataclasses.replace(decoded, discarded_by='"^Put" on eventName')
        report = match_events(context_for(home), [
            discarded, decoded.payload, {"integration": "other", "x": 1}, "plain text, no JSON"])
    finally:
        server.stop()
    assert report.not_sent == 1
    assert [m.index for m in report.matches] == [1, 2, 3]
    assert [g.verdict for g in report.groups] == ["level_zero", "no_rule", "no_decoder"]
    by_id = {f.failure_id: f for f in report.findings}
    assert by_id["host.logtest_no_decoder"].status is Status.ERROR
    assert "'json'" in by_id["host.logtest_no_rule"].title
    assert "invalid field" in by_id["host.logtest_messages"].title
    assert server.rebuilt[1] == '1:Wazuh-AWS:{"integration": "other", "x": 1}'


def test_tool_fallback_reads_the_phases(home: Path) -> None:
    tool = home / "bin" / "wazuh-logtest"
    tool.write_text(f"#!{sys.executable}\n" + STAND_IN_TOOL)
    tool.chmod(0o755)
    events = cloudtrail_events(FAILED_LOGIN, DESCRIBE)
    report = match_events(context_for(home), [*events, "BROKEN"])
    assert report.interface == "binary"
    assert [(m.rule_id, m.level, m.decoder, m.alert, m.description) for m in report.matches[:2]] == [
        ("80254", 5, "json", True, "AWS ConsoleLogin failure."),
        ("80253", 2, "json", False, "AWS read-only call.")]
    assert report.matches[0].groups == ("aws", "authentication_failed") and report.matches[0].key == KEY
    assert report.matches[2].error == "Wazuh-logtest error when connecting with wazuh-analysisd"
    assert "host.logtest_failed" in {f.failure_id for f in report.findings}


def test_parse_text_output_keeps_input_order() -> None:
    text = textwrap.dedent("""\
        Starting wazuh-logtest v4.8.0
        Type one log per line

        **Phase 1: Completed pre-decoding.
        \tfull event: 'not json'

        **Phase 2: Completed decoding.
        \tNo decoder matched.
        ** Wazuh-Logtest: WARNING: (7003): something odd

        **Phase 1: Completed pre-decoding.
        \tfull event: '{"integration": "aws"}'

        **Phase 2: Completed decoding.
        \tname: 'json'
        \tintegration: 'aws'

        **Phase 3: Completed filtering (rules).
        \tid: '80200'
        \tlevel: '0'
        \tdescription: 'AWS alert: it's quoted'
        \tgroups: '['amazon', 'aws']'
        \tfiredtimes: '3'
        \tmail: 'False'
        """)
    first, second, third = parse_text_output(text, 3)
    assert first.decoder is None and first.rule_id is None and first.error is None
    assert second.decoder == "json" and second.rule_id == "80200" and second.level == 0
    assert second.description == "AWS alert: it's quoted" and second.groups == ("amazon", "aws")
    assert second.firedtimes == 3 and second.messages == ("WARNING: (7003): something odd",)
    assert third.error is not None


def test_unavailable_and_refused(home: Path) -> None:
    report = match_events(context_for(home), cloudtrail_events(PUT))
    assert not report.available and report.findings[0].failure_id == "host.logtest_unavailable"
    assert report.findings[0].status is Status.SKIPPED
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(home / "queue" / "sockets" / "logtest"))  # bound, never listening: connection refused
    try:
        refused = match_events(context_for(home), cloudtrail_events(PUT))
    finally:
        dead.close()
    assert refused.interface == "socket"
    failed = refused.findings[0]
    assert failed.failure_id == "host.logtest_failed" and "not running" in failed.explanation


def test_preview_logtest_lines(home: Path, analysisd: StandInAnalysisd) -> None:
    from tui.host_commands import logtest_lines

    lines, report = logtest_lines(context_for(home), cloudtrail_events(FAILED_LOGIN, DESCRIBE), colour=False)
    text = "\n".join(lines)
    assert "location Wazuh-AWS, log_alert_level 3" in text
    assert "#0  rule 80254 level 5" in text and "ALERT" in text
    assert "#1  rule 80253 level 2" in text and "no alert (below log_alert_level)" in text
    assert "By rule:" in text and "[warn] 1 event(s) match rule 80253 at level 2" in text
    assert report.interface == "socket"
