"""Hostile objects on the moto server: one huge JSON string and megabytes of whitespace, attacked the way
they were reported, through `preview`, `ingest` and the decoder with its cancel event.

Memory bounds are asserted with tracemalloc (a generous bound is a correctness property: the objects hold
64 MiB of text, the bounds are a fraction of that); times are never asserted, they live in bench/.
"""

from __future__ import annotations

import functools
import gzip
import io
import json
import os
import signal
import subprocess
import sys
import threading
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from diagnostics.decode.cuts import KEPT_STRING_CHARS, LONG_STRING_CHARS, CutLedger
from diagnostics.decode.json_stream import DocumentOutline, stream_document_field
from diagnostics.decode.model import DecodeContext, DecodeCounters, DecodedEvent, FileProblem
from diagnostics.decode.registry import decode_object
from diagnostics.decode.streams import open_s3_object
from diagnostics.wazuh import ossec_log
from diagnostics.wazuh.versions import profile_for
from tests.conftest import ROOT, admin_client
from tui.cli import main

BUCKET = "hostile-trail"
MIB = 1024 * 1024
STRING_MIB = 64
CONF = f"""<ossec_config>
  <wodle name="aws-s3">
    <disabled>no</disabled>
    <interval>10m</interval>
    <run_on_start>yes</run_on_start>
    <bucket type="cloudtrail">
      <name>{BUCKET}</name>
      <aws_profile>default</aws_profile>
    </bucket>
  </wodle>
</ossec_config>
"""


def _gzip_parts(parts: Iterator[bytes]) -> bytes:
    """A gzip member built piece by piece, so the test never holds the inflated text."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    out = [compressor.compress(part) for part in parts]
    out.append(compressor.flush())
    return b"".join(out)


@functools.cache
def huge_string_object(mib: int = STRING_MIB) -> bytes:
    """One record whose string holds ``mib`` MiB (about 64 KB compressed), then an ordinary record."""
    def parts() -> Iterator[bytes]:
        yield b'{"Records":[{"eventVersion":"1.08","eventName":"Hostile","requestParameters":{"blob":"'
        block = b"A" * MIB
        for _ in range(mib):
            yield block
        yield b'"}},{"eventVersion":"1.08","eventName":"After"}]}'
    return _gzip_parts(parts())


@functools.cache
def whitespace_object(mib: int) -> bytes:
    """``{"Records":[`` + ``mib`` MiB of spaces + one record + ``]}``."""
    def parts() -> Iterator[bytes]:
        yield b'{"Records":['
        block = b" " * MIB
        for _ in range(mib):
            yield block
        yield b'{"eventVersion":"1.08","eventName":"AfterSpaces"}]}'
    return _gzip_parts(parts())


def _key(name: str) -> str:
    today = datetime.now(timezone.utc)
    return (f"AWSLogs/123456789012/CloudTrail/us-east-1/{today:%Y/%m/%d}/123456789012_CloudTrail_us-east-1_"
            f"{today:%Y%m%dT%H%M}Z_{name}.json.gz")


@pytest.fixture
def hostile_env(moto: str, clean_aws_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A Wazuh home whose one cloudtrail block reads a bucket on the moto server; returns the home."""
    home = tmp_path / "ossec"
    (home / "etc").mkdir(parents=True)
    (home / "etc" / "ossec.conf").write_text(CONF)
    credentials = clean_aws_env / ".aws" / "credentials"
    credentials.write_text("[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
                           "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n")
    credentials.chmod(0o600)
    monkeypatch.setenv("WAZUH_AWS_DOCTOR_MODULE_HOME", str(clean_aws_env))
    monkeypatch.setenv("HOME", str(clean_aws_env))
    admin_client(moto).create_bucket(Bucket=BUCKET)
    return home


def _put(moto: str, key: str, body: bytes) -> None:
    admin_client(moto).put_object(Bucket=BUCKET, Key=key, Body=body)


def _peak_mib(action: Callable[[], Any]) -> tuple[Any, float]:
    """Run ``action`` under tracemalloc; its result and the peak of Python allocations in MiB."""
    tracemalloc.start()
    try:
        result = action()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak / MIB


def _context(bucket_type: str = "cloudtrail", **changes: Any) -> DecodeContext:
    return DecodeContext(bucket_type=bucket_type, bucket=BUCKET, path="", account_alias="",
                         profile=profile_for((4, 14, 7), "test"), discard_field=None, discard_regex=None,
                         skip_on_error=False, run_title=ossec_log.RunTitle.for_bucket(None, None),
                         debug_level=2, **changes)


# -- one huge string -----------------------------------------------------------------------------------

def test_preview_of_a_huge_string_stops_at_it_with_the_records_head_in_bounded_memory(
        hostile_env: Path, moto: str, capsys: pytest.CaptureFixture[str]) -> None:
    key = _key("hugestring")
    _put(moto, key, huge_string_object())
    argv = ["preview", "--wazuh-home", str(hostile_env), "--endpoint-url", moto, "--bucket", BUCKET,
            "--key", key, "--format", "json"]

    code, peak = _peak_mib(lambda: main(argv))

    out = capsys.readouterr()
    assert peak < 40, f"the preview held {peak:.0f} MiB for a {STRING_MIB} MiB string"
    assert out.out == "", "no event is printed: the record's end was never read"
    findings = [json.loads(line)["finding"] for line in out.err.splitlines() if line.startswith('{"finding"')]
    stopped = [finding for finding in findings if finding["failure_id"] == "decode.long_string_preview"]
    assert len(stopped) == 1
    evidence = stopped[0]["evidence"][0]
    assert evidence.startswith('the record begins: {"eventVersion":"1.08","eventName":"Hostile"')
    assert "more characters read, the rest not read" in evidence
    assert len(evidence) < 3000, "the head is shown cut, not the 64 KiB kept"
    assert code == 1, "a warning finding"


def test_ingest_reads_past_a_huge_string_skips_its_event_like_errno_90_and_sends_the_next(
        hostile_env: Path, moto: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key = _key("hugestring")
    _put(moto, key, huge_string_object())
    events = tmp_path / "events.jsonl"
    argv = ["ingest", "--wazuh-home", str(hostile_env), "--endpoint-url", moto, "--bucket", BUCKET,
            "--events-out", str(events), "--state-dir", str(tmp_path / "state"), "--format", "json"]

    code, peak = _peak_mib(lambda: main(argv))

    out = capsys.readouterr()
    assert peak < 48, f"the pass held {peak:.0f} MiB for a {STRING_MIB} MiB string"
    sent = [json.loads(line.split(":", 2)[2]) for line in events.read_text().splitlines()]
    assert [event["aws"]["eventName"] for event in sent] == ["After"], \
        "the cut event is skipped as the module's send fails; the record after it is sent"
    assert "ERROR: Message too long to send to Wazuh.  Skipping message..." in out.err
    summary = json.loads(out.out)
    failure_ids = {finding["failure_id"] for finding in summary["findings"]}
    assert {"decode.events_cut", "host.event_too_long_for_socket"} <= failure_ids
    assert code == 0, "the module goes on after errno 90: the run ends normally"


def test_a_cut_string_keeps_its_head_and_counts_the_rest_on_the_event(moto: str, clean_aws_env: Path) -> None:
    client = admin_client(moto)
    client.create_bucket(Bucket=BUCKET)
    key = _key("hugestring")
    client.put_object(Bucket=BUCKET, Key=key, Body=huge_string_object(8))

    items, peak = _peak_mib(lambda: list(decode_object(open_s3_object(client, BUCKET, key), key, _context())))

    events = [item for item in items if isinstance(item, DecodedEvent)]
    problems = {item.finding.failure_id: item for item in items if isinstance(item, FileProblem)}
    assert peak < 40
    hostile, after = events
    blob = hostile.message["aws"]["requestParameters"]["blob"]
    assert blob == "A" * KEPT_STRING_CHARS
    assert hostile.cut_chars == 8 * MIB - KEPT_STRING_CHARS
    assert hostile.oversized and hostile.size_bytes > 8 * MIB
    assert after.cut_chars == 0 and after.message["aws"]["eventName"] == "After"
    assert "decode.events_cut" in problems
    explanation = problems["decode.events_cut"].finding.explanation
    assert "Message too long to send to Wazuh.  Skipping message..." in explanation
    assert "errno 90" in explanation


def test_errors_after_a_cut_string_keep_json_loads_positions() -> None:
    long = "x" * (LONG_STRING_CHARS + 1000)
    documents = [
        '{"Records":[{"a":"' + long + '","b":1},\n {"c":2,}]}',  # after the string, next line
        '{"Records":[{"a":"' + long + '\x01","b":1}]}',  # a control character inside it
        '{"Records":[{"a":"' + long + '\\q","b":1}]}',  # a bad escape inside it
        '{"Records":[{"a":"' + long,  # never closed
        '{"Records":[{"a":"' + long + '"} {"b":1}]}',  # a missing comma after it
    ]
    for document in documents:
        with pytest.raises(json.JSONDecodeError) as expected:
            json.loads(document)
        with pytest.raises(json.JSONDecodeError) as ours:
            list(stream_document_field(io.StringIO(document), "Records", DocumentOutline(), ledger=CutLedger()))
        assert str(ours.value) == str(expected.value)


def test_escapes_across_the_cut_are_kept_whole() -> None:
    body = "\\u00e9" * (LONG_STRING_CHARS // 6 + 100)
    document = '{"Records":[{"a":"' + body + '"}]}'
    ledger = CutLedger()
    (record,) = list(stream_document_field(io.StringIO(document), "Records", DocumentOutline(), ledger=ledger))
    assert set(record["a"]) == {"é"}, "no escape was split by the cut"
    assert len(record["a"]) * 6 + ledger.total == len(body)


def test_one_huge_line_of_a_line_format_is_refused_in_bounded_memory(moto: str, clean_aws_env: Path) -> None:
    client = admin_client(moto)
    client.create_bucket(Bucket=BUCKET)
    key = "logs/2024-05-14-10-00-00-HUGELINE.gz"
    client.put_object(Bucket=BUCKET, Key=key, Body=_gzip_parts(iter([b"A" * MIB] * STRING_MIB + [b"\n"])))

    items, peak = _peak_mib(lambda: list(decode_object(open_s3_object(client, BUCKET, key), key,
                                                       _context(bucket_type="server_access"))))

    assert peak < 56, f"one {STRING_MIB} MiB line held {peak:.0f} MiB"
    (problem,) = [item for item in items if isinstance(item, FileProblem)]
    assert problem.finding.failure_id == "decode.value_too_large"
    assert "line 1" in problem.finding.explanation


def test_a_firehose_object_broken_before_megabytes_of_text_fails_like_the_module_in_bounded_memory(
        moto: str, clean_aws_env: Path) -> None:
    client = admin_client(moto)
    client.create_bucket(Bucket=BUCKET)
    key = "firehose/2024/05/14/10/stream-1-2024-05-14-10-00-00-broken.gz"
    head = b'{"detail":{"a":1},"source":"aws.x"}{"detail": oops '
    client.put_object(Bucket=BUCKET, Key=key, Body=_gzip_parts(iter([head, b"z" * (STRING_MIB * MIB)])))
    rest = (head + b"z" * (STRING_MIB * MIB)).decode()[len('{"detail":{"a":1},"source":"aws.x"}'):]
    with pytest.raises(json.JSONDecodeError) as module:
        json.JSONDecoder().raw_decode(rest)  # the module's retry on the rest, which holds no Macie coordinate
    del rest

    items, peak = _peak_mib(lambda: list(decode_object(open_s3_object(client, BUCKET, key), key,
                                                       _context(bucket_type="custom"))))

    assert peak < 48, f"the repair path held {peak:.0f} MiB"
    problems = [item for item in items if isinstance(item, FileProblem)]
    assert [problem.finding.failure_id for problem in problems] != ["decode.value_too_large"]
    assert any(str(module.value) in evidence for problem in problems for evidence in problem.finding.evidence) \
        or any(str(module.value) in problem.finding.explanation for problem in problems)


# -- quadratic whitespace --------------------------------------------------------------------------------

def test_megabytes_of_whitespace_decode_in_bounded_memory(moto: str, clean_aws_env: Path) -> None:
    client = admin_client(moto)
    client.create_bucket(Bucket=BUCKET)
    key = _key("spaces")
    client.put_object(Bucket=BUCKET, Key=key, Body=whitespace_object(64))
    counters = DecodeCounters()

    items, peak = _peak_mib(lambda: list(decode_object(open_s3_object(client, BUCKET, key), key, _context(),
                                                       counters=counters)))

    assert peak < 24, f"skipping 64 MiB of spaces held {peak:.1f} MiB"
    assert [item.message["aws"]["eventName"] for item in items if isinstance(item, DecodedEvent)] == \
        ["AfterSpaces"]
    assert counters.complete


class _CancelAfter(io.RawIOBase):
    """A body that sets ``cancel`` once ``after`` bytes were read, counting what was read."""

    def __init__(self, inner: Any, cancel: threading.Event, after: int) -> None:
        super().__init__()
        self.inner, self.cancel, self.after, self.read_bytes = inner, cancel, after, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.inner.read(min(len(buffer), 4096))
        buffer[:len(data)] = data
        self.read_bytes += len(data)
        if self.read_bytes >= self.after:
            self.cancel.set()
        return len(data)


@pytest.mark.parametrize("make", [whitespace_object, huge_string_object], ids=["spaces", "string"])
def test_the_cancel_event_stops_a_decode_inside_one_object(make: Callable[[int], bytes], moto: str,
                                                           clean_aws_env: Path) -> None:
    client = admin_client(moto)
    client.create_bucket(Bucket=BUCKET)
    key = _key("cancel")
    body = make(64)
    client.put_object(Bucket=BUCKET, Key=key, Body=body)
    cancel = threading.Event()
    source = _CancelAfter(client.get_object(Bucket=BUCKET, Key=key)["Body"], cancel, after=8192)
    counters = DecodeCounters()

    items = list(decode_object(io.BufferedReader(source), key, _context(), cancel=cancel, counters=counters))

    assert items == []
    assert not counters.complete and not counters.aborted
    assert source.read_bytes < len(body) // 2, "the decode stopped inside the object, not at its end"


def test_streamed_and_whole_paths_still_agree_on_an_ordinary_object(moto: str, clean_aws_env: Path) -> None:
    client = admin_client(moto)
    client.create_bucket(Bucket=BUCKET)
    key = _key("ordinary")
    records = [{"eventVersion": "1.08", "eventName": f"E{index}", "blob": "b" * 70000} for index in range(3)]
    client.put_object(Bucket=BUCKET, Key=key, Body=gzip.compress(json.dumps({"Records": records}).encode()))

    def payloads(whole: int) -> list[str]:
        stream = open_s3_object(client, BUCKET, key)
        if whole:
            stream = io.BytesIO(stream.read())
        return [item.payload for item in decode_object(stream, key, _context(whole_document_chars=whole))
                if isinstance(item, DecodedEvent)]

    streamed, whole = payloads(0), payloads(4 * MIB)
    assert streamed == whole and len(streamed) == 3
    assert all('"blob": "' + "b" * 70000 + '"' in payload for payload in streamed), "nothing cut below 4 MiB"


def test_one_ctrl_c_stops_ingest_inside_a_huge_object_and_it_still_reports(
        hostile_env: Path, moto: str, tmp_path: Path) -> None:
    key = _key("spaces")
    _put(moto, key, whitespace_object(448))  # seconds of inflating: the SIGINT lands inside the object
    events = tmp_path / "events.jsonl"
    process = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "ingest", "--wazuh-home", str(hostile_env), "--endpoint-url", moto,
         "--bucket", BUCKET, "--events-out", str(events), "--state-dir", str(tmp_path / "state"),
         "--format", "json"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    assert process.stderr is not None
    seen: list[str] = []
    for line in process.stderr:
        seen.append(line)
        if "Found new log" in line:
            break
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=300)
    err = "".join(seen) + err

    assert "Traceback" not in err
    assert "stopped without a summary" not in err
    assert "cancelling: stopping inside the current file" in err
    summary = json.loads(out)
    assert summary["cancelled"] is True and summary["files_read"] == 0, "the object is left for the next pass"
    assert process.returncode == 0


def test_ctrl_c_pressed_three_times_ends_ingest_without_a_traceback(hostile_env: Path, moto: str,
                                                                    tmp_path: Path) -> None:
    key = _key("spaces")
    _put(moto, key, whitespace_object(448))
    process = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "ingest", "--wazuh-home", str(hostile_env), "--endpoint-url", moto,
         "--bucket", BUCKET, "--events-out", str(tmp_path / "events.jsonl"), "--state-dir", str(tmp_path / "s")],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    assert process.stderr is not None
    seen: list[str] = []
    for line in process.stderr:
        seen.append(line)
        if "Found new log" in line:
            break
    for _ in range(3):
        process.send_signal(signal.SIGINT)
        threading.Event().wait(0.02)
    _, err = process.communicate(timeout=300)

    assert "Traceback" not in "".join(seen) + err
    assert process.returncode in (0, 130, -signal.SIGINT)


# -- the app stays responsive --------------------------------------------------------------------------

def _session(moto: str, home: Path) -> Any:
    """The bucket opened as the app's Browse opens it, against the moto server."""
    from diagnostics.bucket_session import open_bucket
    from diagnostics.context import DoctorContext
    from diagnostics.findings import SourceLocation
    from diagnostics.wazuh.wodle import Block, Option

    (home / "ossec").mkdir(exist_ok=True)
    environ = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
               "AWS_DEFAULT_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true",
               "AWS_SHARED_CREDENTIALS_FILE": str(home / ".aws" / "credentials"),
               "AWS_CONFIG_FILE": str(home / ".aws" / "config")}
    context = DoctorContext(wazuh_home=home / "ossec", endpoint_url=moto, module_home=home, environ=environ,
                            profile=profile_for((4, 14, 7), "test"))
    block = Block(kind="bucket", block_type="cloudtrail", location=SourceLocation("test.conf", 2),
                  options={"name": Option("name", BUCKET, 3)})
    session = open_bucket(context, block)
    assert session.usable, session.findings
    return session


async def test_escape_stops_a_preview_inside_one_object_and_a_second_escape_goes_back(
        moto: str, clean_aws_env: Path) -> None:
    from textual.message import Message

    from diagnostics.layout.classify import ClassifiedKey, Verdict
    from tests.snapshot_apps.harness import ScreenHarness, wait_until
    from tui.messages import EventsDecoded
    from tui.screens.preview import PreviewScreen

    admin_client(moto).create_bucket(Bucket=BUCKET)
    key = _key("spaces")
    _put(moto, key, whitespace_object(448))  # seconds of inflating (below the 512 MiB cap), no record to stop at
    session = _session(moto, clean_aws_env)
    classified = ClassifiedKey(key=key, verdict=Verdict.READ, reason=None, explanation="")
    messages: list[Message] = []
    app = ScreenHarness(lambda: PreviewScreen(session, classified))
    async with app.run_test(size=(100, 30), message_hook=messages.append) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PreviewScreen)
                         and bool(app.screen.running_workers()))
        preview = app.screen
        await pilot.press("escape")
        await wait_until(pilot, lambda: any(isinstance(message, EventsDecoded) for message in messages))
        (decoded,) = [message for message in messages if isinstance(message, EventsDecoded)]
        totals = decoded.result.totals
        assert not totals.complete and totals.records_read == 0, \
            "the decode stopped inside the spaces, before the record at the object's end"
        assert not totals.aborted and not decoded.result.problems, "stopped by the cancel, not by a cap"
        assert app.screen is preview
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, PreviewScreen)


async def test_ctrl_q_quits_while_a_preview_decodes_and_cancels_its_decode(moto: str, clean_aws_env: Path) -> None:
    from diagnostics.layout.classify import ClassifiedKey, Verdict
    from tests.snapshot_apps.harness import ScreenHarness, wait_until
    from tui.screens.preview import PreviewScreen

    admin_client(moto).create_bucket(Bucket=BUCKET)
    key = _key("spaces")
    _put(moto, key, whitespace_object(448))
    session = _session(moto, clean_aws_env)
    classified = ClassifiedKey(key=key, verdict=Verdict.READ, reason=None, explanation="")
    app = ScreenHarness(lambda: PreviewScreen(session, classified))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PreviewScreen)
                         and bool(app.screen.running_workers()))
        (worker,) = app.screen.running_workers()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running, "Ctrl+Q quits while the decode runs"
    assert worker.cancelled_event.is_set(), "the decode's cancel event is set, so it stops within a chunk"


async def test_the_apps_preview_of_a_huge_string_answers_with_the_records_head(moto: str,
                                                                              clean_aws_env: Path) -> None:
    from textual.message import Message

    from diagnostics.layout.classify import ClassifiedKey, Verdict
    from tests.snapshot_apps.harness import ScreenHarness, wait_until
    from tui.messages import EventsDecoded
    from tui.screens.preview import PreviewScreen
    from tui.widgets.json_view import JsonView

    admin_client(moto).create_bucket(Bucket=BUCKET)
    key = _key("hugestring")
    _put(moto, key, huge_string_object())
    session = _session(moto, clean_aws_env)
    classified = ClassifiedKey(key=key, verdict=Verdict.READ, reason=None, explanation="")
    messages: list[Message] = []
    app = ScreenHarness(lambda: PreviewScreen(session, classified))
    async with app.run_test(size=(100, 30), message_hook=messages.append) as pilot:
        await wait_until(pilot, lambda: any(isinstance(message, EventsDecoded) for message in messages))
        await pilot.pause()
        shown = app.screen.query_one(JsonView).text
        assert shown.startswith("No event would be sent")
        assert "a string longer than 4194304 characters; the preview stopped there" in shown
        assert isinstance(app.screen, PreviewScreen)
