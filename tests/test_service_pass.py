"""run_service_pass on CloudWatch Logs (moto) and Inspector (tests/inspector_server.py), and the CLI's Ctrl-C.

Both faces run the pass through ``run_service_pass``: a first and a second pass, a cancelled pass whose state
stays consistent (the next pass neither loses nor repeats an event the module would not), a stop with the
module's exit, a refused state directory; then ``ingest --block`` in a subprocess interrupted by SIGINT.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from diagnostics.checks import load_configuration, prepare_context
from diagnostics.configuration.block_selection import select_block
from diagnostics.context import DoctorContext, context_from_environment
from diagnostics.ingest.services_state_file import SERVICES_FILE_NAME
from diagnostics.service_pass import STATE_CHECK_ID, ServicePassOptions, ServicePassResult, run_service_pass
from tests.conftest import admin_client
from tests.inspector_server import InspectorServer, _Handler, inspector_server
from tests.test_inputs_cli import PLAIN_LOGS_LINE, inputs_home, seed_plain_logs
from tests.test_inspector_cli import DISCARD_LINE, inspector_home
from tests.test_service_access import load_golden
from tui.cli import main

__all__ = ["inputs_home", "inspector_home"]  # the CLI tests' fixtures, shared

ROOT = Path(__file__).resolve().parent.parent
SCAN = "%Y-%m-%d %H:%M:%S.%f"


def pass_once(home: Path, endpoint: str, line: int, state: Path, *, now: datetime | None = None,
              debug: int = 2, cancel: threading.Event | None = None, cancel_after: int | None = None,
              reset: bool = False) -> tuple[ServicePassResult, list[str], list[str]]:
    """One pass over the block at ``line``, as the app runs it: the result, the datagrams and the lines."""
    context: DoctorContext = prepare_context(context_from_environment(str(home / "etc" / "ossec.conf"), str(home),
                                                                      endpoint))
    if now is not None:
        context = context.with_changes(now=now)
    config, _ = load_configuration(context)
    chosen = select_block(config, line=line, kinds=("service",))
    sent: list[str] = []
    lines: list[str] = []

    def send(datagram: str) -> None:
        sent.append(datagram)
        if cancel is not None and len(sent) == cancel_after:
            cancel.set()

    result = run_service_pass(context, chosen.block, chosen.wodle,
                              ServicePassOptions(state_dir=state, reset=reset, debug_level=debug),
                              emit_line=lines.append, send=send, cancel=cancel)
    return result, sent, lines


def seed_three_streams(moto: str, events: int) -> None:
    """plain-logs with streams s1, s2 and s3, each with ``events`` JSON events naming their stream, because the
    cancel tests tell from the streams sent where a pass stopped."""
    logs = admin_client(moto, "logs")
    logs.create_log_group(logGroupName="plain-logs")
    now = int(time.time() * 1000)
    for stream in ("s1", "s2", "s3"):
        logs.create_log_stream(logGroupName="plain-logs", logStreamName=stream)
        logs.put_log_events(logGroupName="plain-logs", logStreamName=stream, logEvents=[
            {"timestamp": now - 2000 + index, "message": f'{{"stream": "{stream}", "n": {index}}}'}
            for index in range(events)])


def test_cloudwatch_first_pass_sends_the_modules_datagrams_and_the_second_nothing(
        inputs_home: Path, moto: str, tmp_path: Path) -> None:
    expected = seed_plain_logs(moto)
    first, sent, lines = pass_once(inputs_home, moto, PLAIN_LOGS_LINE, tmp_path / "state")
    assert sent == expected and (first.sent, first.skipped, first.exit_code) == (3, 2, 0)
    assert first.findings == () and not first.cancelled
    assert first.state_path == tmp_path / "state" / SERVICES_FILE_NAME and first.block_label
    assert 'DEBUG: The message is "hello world"' in lines
    second, resent, lines = pass_once(inputs_home, moto, PLAIN_LOGS_LINE, tmp_path / "state")
    assert resent == [] and (second.sent, second.exit_code) == (0, 0)
    assert 'DEBUG: +++ There are no new events in the "plain-logs" group' in lines


def test_a_cancelled_cloudwatch_pass_saves_whole_streams_and_the_next_goes_on(
        inputs_home: Path, moto: str, tmp_path: Path) -> None:
    seed_three_streams(moto, 3)
    cancel = threading.Event()
    first, sent, _lines = pass_once(inputs_home, moto, PLAIN_LOGS_LINE, tmp_path / "state", cancel=cancel,
                                    cancel_after=1)
    assert first.cancelled and first.exit_code == 0
    assert [json.loads(d.split(":", 2)[2])["stream"] for d in sent] == ["s1"] * 3, "s1 read to its end, then stop"
    assert [finding.failure_id for finding in first.findings] == ["service_pass.cancelled_cloudwatch"]
    assert "after 1 stream(s)" in first.findings[0].title
    second, rest, _lines = pass_once(inputs_home, moto, PLAIN_LOGS_LINE, tmp_path / "state")
    assert [json.loads(d.split(":", 2)[2])["stream"] for d in rest] == ["s2"] * 3 + ["s3"] * 3
    assert not second.cancelled and second.findings == ()


def test_a_missing_log_group_stops_with_exit_16_and_says_what_it_means(
        inputs_home: Path, moto: str, tmp_path: Path) -> None:
    result, sent, lines = pass_once(inputs_home, moto, PLAIN_LOGS_LINE - 4, tmp_path / "state")
    assert result.exit_code == 16 and sent == []
    assert any(line.startswith('ERROR: The "get_log_streams" request failed') for line in lines)
    assert [finding.failure_id for finding in result.findings] == ["service_pass.exit"]
    assert result.findings[0].wazuh_exit_code == 16
    assert "It stopped in missing-group: " in result.findings[0].explanation, "with AWS's answer"
    assert "missing-group" in result.findings[0].explanation and "Exit code 16 means" in result.findings[0].explanation


def test_a_stop_inside_a_stream_says_the_next_run_sends_its_events_again(
        inputs_home: Path, moto: str, tmp_path: Path) -> None:
    expected = seed_plain_logs(moto)
    with gated_server([], moto) as server:
        server.fail_stream = "s1"  # its events arrive, then the next GetLogEvents is refused
        result, sent, lines = pass_once(inputs_home, server.endpoint, PLAIN_LOGS_LINE, tmp_path / "state")
    assert result.exit_code == 16 and sent == expected
    assert any("denied by the test" in line for line in lines)
    assert [finding.failure_id for finding in result.findings] == ["service_pass.exit", "service_pass.resend_next_run"]
    assert "sends 3 event(s) of plain-logs/s1 again" in result.findings[1].title
    again, resent, _lines = pass_once(inputs_home, moto, PLAIN_LOGS_LINE, tmp_path / "state")
    assert resent == expected and again.exit_code == 0, "the stream's row was never saved: all of it again"


def test_a_state_directory_in_the_wazuh_home_is_refused_before_anything_runs(
        inputs_home: Path, moto: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inside = inputs_home / "wodles" / "aws"
    result, sent, _lines = pass_once(inputs_home, moto, PLAIN_LOGS_LINE, inside)
    assert result.state_path is None and sent == [] and not inside.exists()
    assert [finding.check_id for finding in result.findings] == [STATE_CHECK_ID]
    assert main(["ingest", "--wazuh-home", str(inputs_home), "--endpoint-url", moto, "--block",
                 str(PLAIN_LOGS_LINE), "--state-dir", str(inside)]) == 64
    assert "which the doctor never writes to" in capsys.readouterr().err


def test_inspector_first_and_second_pass_ask_the_modules_windows(
        inspector_home: Path, moto: str, tmp_path: Path) -> None:
    golden = load_golden("inspector_discard_nested_list")
    first_clock = datetime(2026, 12, 4, 12, 0, tzinfo=timezone.utc)
    with inspector_server(golden["seed"]["findings"], upstream=moto) as server:
        first, sent, lines = pass_once(inspector_home, server.endpoint, DISCARD_LINE, tmp_path / "state",
                                       now=first_clock)
        second, resent, _lines = pass_once(inspector_home, server.endpoint, DISCARD_LINE, tmp_path / "state",
                                           now=first_clock.replace(hour=13))
    assert sent == golden["datagrams"] and (first.sent, first.skipped, first.exit_code) == (2, 1, 0)
    assert "DEBUG: +++ Table does not exist; create" in lines
    assert resent == [] and second.exit_code == 0
    windows = [request["filterCriteria"]["updatedAt"][0] for request in server.requests]
    assert windows[0]["startInclusive"] == datetime(2026, 11, 25, tzinfo=timezone.utc).timestamp()
    assert windows[-1]["startInclusive"] == first_clock.timestamp(), "the second window starts at the first's end"
    assert windows[-1]["endInclusive"] == first_clock.replace(hour=13).timestamp()


def test_an_inspector_pass_cancelled_mid_region_saves_no_scan(inspector_home: Path, moto: str,
                                                              tmp_path: Path) -> None:
    golden = load_golden("inspector_happy_debug2")
    cancel = threading.Event()
    now = datetime(2026, 12, 4, 12, 0, tzinfo=timezone.utc)
    with inspector_server(golden["seed"]["findings"], upstream=moto) as server:
        first, sent, _lines = pass_once(inspector_home, server.endpoint, DISCARD_LINE, tmp_path / "state", now=now,
                                        cancel=cancel, cancel_after=1)
        again, resent, _lines = pass_once(inspector_home, server.endpoint, DISCARD_LINE, tmp_path / "state",
                                          now=now)
    assert first.cancelled and len(sent) == 2 and len(server.requests) == 3, "page 1 of 2 in the cancelled pass"
    finding = first.findings[0]
    assert finding.failure_id == "service_pass.cancelled_inspector" and "us-east-1" in finding.title
    assert "2 finding(s) sent so far a second time" in finding.explanation
    assert resent == sent and (again.sent, again.skipped) == (2, 1), "the next pass asks for the same window again"
    assert not again.cancelled and again.findings == ()


class _GatedServer(InspectorServer):
    """The Inspector endpoint whose later pages, and the CloudWatch reads of one stream from its ``gate_from``-th
    on, wait for the gate, so the SIGINT lands while the pass is surely running."""

    def __init__(self, findings: list[dict[str, Any]], upstream: str, gate_stream: str, gate_from: int) -> None:
        super().__init__(findings, 1, upstream)
        self.gate = threading.Event()
        self.gate_stream, self.gate_from = gate_stream, gate_from
        self.fail_stream = ""
        """GetLogEvents on this stream after its first read is refused (AccessDeniedException)."""
        self.stream_reads: dict[str, int] = {}

    def page(self, body: dict[str, Any]) -> dict[str, Any]:
        if body.get("nextToken"):
            self.gate.wait(60)
        return super().page(body)


class _GatedHandler(_Handler):
    server: _GatedServer

    def do_POST(self) -> None:
        if self.headers.get("X-Amz-Target", "").endswith("GetLogEvents"):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            stream = str(json.loads(raw or b"{}").get("logStreamName"))
            done = self.server.stream_reads.get(stream, 0)
            self.server.stream_reads[stream] = done + 1
            if stream == self.server.gate_stream and done >= self.server.gate_from:
                self.server.gate.wait(60)
            if stream == self.server.fail_stream and done >= 1:
                self._reply(400, {"__type": "AccessDeniedException", "message": "denied by the test"},
                            error="AccessDeniedException")
                return
            self._forward(raw)
            return
        super().do_POST()


@contextmanager
def gated_server(findings: list[dict[str, Any]], upstream: str, gate_stream: str = "",
                 gate_from: int = 0) -> Iterator[_GatedServer]:
    server = _GatedServer(findings, upstream, gate_stream, gate_from)
    server.RequestHandlerClass = _GatedHandler
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.gate.set()
        server.shutdown()
        server.server_close()
        thread.join()


def interrupted(argv: list[str], server: _GatedServer, presses: int,
                ready: Callable[[], bool]) -> tuple[int, str, str]:
    """Run the CLI, press Ctrl-C ``presses`` times once ``ready`` says the gated call is in flight (the second
    after the first's note), open the gate; its exit and output."""
    process = subprocess.Popen([sys.executable, "-m", "tui.cli", *argv], cwd=ROOT,
                               env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not ready() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.stderr is not None
    seen: list[str] = []
    for press in range(presses):
        process.send_signal(signal.SIGINT)
        while press == 0:  # the cancel is set once the note is out: only then may the pass go on
            line = process.stderr.readline()
            seen.append(line)
            if not line or line.startswith("cancelling:"):
                break
    if presses < 2:
        server.gate.set()
    out, err = process.communicate(timeout=120)  # an abort ends the process with the gated call still waiting
    server.gate.set()
    return process.returncode, out, "".join(seen) + err


def test_one_ctrl_c_cancels_an_inspector_pass_and_says_what_the_next_reads(
        inspector_home: Path, moto: str, tmp_path: Path) -> None:
    golden = load_golden("inspector_discard_nested_list")
    with gated_server(golden["seed"]["findings"], moto) as server:
        code, out, err = interrupted(["ingest", "--wazuh-home", str(inspector_home), "--endpoint-url",
                                      server.endpoint, "--block", str(DISCARD_LINE), "--events-out", "-",
                                      "--state-dir", str(tmp_path / "state"), "--debug", "1"], server, 1,
                                     lambda: len(server.requests) == 2)
    assert "Traceback" not in err
    assert code == 0
    assert "cancelling: stopping after the current ListFindings page" in err
    assert "The Inspector pass was cancelled in us-east-1" in err
    assert out.splitlines() == golden["datagrams"], "pages 1 and 2 (page 2 was in flight when Ctrl-C came)"
    assert len(server.requests) == 2, "the third page is never asked for"
    assert "Total:" not in err, "the region never finished"


def test_one_ctrl_c_cancels_a_cloudwatch_pass_after_its_stream_and_two_abort(
        inputs_home: Path, moto: str, tmp_path: Path) -> None:
    seed_three_streams(moto, 1)
    with gated_server([], moto, "s2") as server:  # s1 goes through, s2 waits
        argv = ["ingest", "--wazuh-home", str(inputs_home), "--endpoint-url", server.endpoint, "--block",
                str(PLAIN_LOGS_LINE), "--events-out", "-", "--state-dir", str(tmp_path / "state")]
        code, out, err = interrupted(argv, server, 1, lambda: server.stream_reads.get("s2", 0) == 1)
    assert "Traceback" not in err and code == 0
    assert "cancelling: the stream being read is read to its end and saved" in err
    assert "The CloudWatch Logs pass was cancelled after 2 stream(s)" in err
    assert [json.loads(line.split(":", 2)[2])["stream"] for line in out.splitlines()] == ["s1", "s2"]
    with gated_server([], moto, "s3", 1) as server:  # s3's first read sends its event, the next waits
        argv[argv.index("--endpoint-url") + 1] = server.endpoint
        code, out, err = interrupted(argv, server, 2, lambda: server.stream_reads.get("s3", 0) == 2)
    assert "Traceback" not in err
    assert code == 130 and "interrupted" in err
    assert [json.loads(line.split(":", 2)[2])["stream"] for line in out.splitlines()] == ["s3"], \
        "the cancelled pass saved s1 and s2: the next one starts at s3"
    with gated_server([], moto) as server:
        argv[argv.index("--endpoint-url") + 1] = server.endpoint
        code, out, err = interrupted(argv, server, 0, lambda: True)
    assert code == 0 and [json.loads(line.split(":", 2)[2])["stream"] for line in out.splitlines()] == ["s3"], \
        "the aborted pass never saved s3: the next one sends it again, as the module's next run would"
