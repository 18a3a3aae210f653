"""The ingestion pass against moto's S3 server: the module's walk, events, our state, cancel and resume."""

from __future__ import annotations

import concurrent.futures
import gzip
import json
import logging
import shutil
import socket
import tempfile
import threading
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import boto3
import pytest

from diagnostics.aws.clients import ClientSettings, make_client
from diagnostics.context import DoctorContext
from diagnostics.findings import SourceLocation
from diagnostics.ingest import fetch
from diagnostics.ingest.engine import run_ingestion
from diagnostics.ingest.log_format import LOGGER_NAME
from diagnostics.ingest.model import IngestProgress, IngestRequest, IngestSummary
from diagnostics.ingest.sinks import JsonLinesSink, MemorySink, QueueSocketSink, open_queue_sink
from diagnostics.ingest.state import IngestState
from diagnostics.wazuh.state_scope import StateScope
from diagnostics.wazuh.versions import profile_for
from diagnostics.wazuh.wodle import Block, Option, Wodle
from tests.conftest import admin_client, enable_auth

ACCOUNT = "123456789012"
REGION = "us-east-1"
TRAIL_PREFIX = f"AWSLogs/{ACCOUNT}/CloudTrail/{REGION}/"
NOW = datetime(2024, 5, 10, 12, 0, tzinfo=timezone.utc)


def trail_key(day: int, n: int) -> str:
    name = f"{ACCOUNT}_CloudTrail_{REGION}_202405{day:02d}T{n:02d}00Z_r{n}.json.gz"
    return f"{TRAIL_PREFIX}2024/05/{day:02d}/{name}"


def trail_object(day: int, n: int, records: int = 3) -> bytes:
    records_list = [
        {"eventVersion": "1.08", "eventName": f"Get{day}_{n}_{i}", "eventSource": "s3.amazonaws.com",
         "sourceIPAddress": "10.0.0.1", "awsRegion": REGION, "requestParameters": {"bucketName": "x"}}
        for i in range(records)
    ]
    body = {"Records": records_list}
    return gzip.compress(json.dumps(body).encode())


def block(bucket_type: str, name: str, **options: str) -> Block:
    tags = {"name": Option("name", name, 3)}
    tags.update({tag: Option(tag, value, line) for line, (tag, value) in enumerate(options.items(), 4)})
    return Block(kind="bucket", block_type=bucket_type, location=SourceLocation("ossec.conf", 2),
                 options=tags)


def wodle(skip_on_error: str = "no") -> Wodle:
    return Wodle(location=SourceLocation("ossec.conf", 1),
                 options={"skip_on_error": Option("skip_on_error", skip_on_error, 2)})


@pytest.fixture
def home(tmp_path: Path) -> Path:
    wazuh_home = tmp_path / "ossec"
    (wazuh_home / "wodles" / "aws").mkdir(parents=True)
    return wazuh_home


@pytest.fixture
def s3(moto: str, clean_aws_env: Path) -> Iterator[Any]:
    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                    region_name=REGION)
    yield make_client(session, "s3", ClientSettings(endpoint_url=moto, max_attempts=1))


@pytest.fixture
def trail(moto: str) -> list[str]:
    """Three days of CloudTrail files (2 per day, 3 records each) in bucket ``trail-bucket``."""
    seed = admin_client(moto)
    seed.create_bucket(Bucket="trail-bucket")
    keys = []
    for day in (1, 2, 3):
        for n in (1, 2):
            seed.put_object(Bucket="trail-bucket", Key=trail_key(day, n), Body=trail_object(day, n))
            keys.append(trail_key(day, n))
    return keys


def run(s3: Any, home: Path, the_block: Block, *, version: tuple[int, int, int] = (4, 14, 7),
        cancel: threading.Event | None = None, sink: MemorySink | None = None, **options: Any) -> tuple[
            IngestSummary, MemorySink]:
    sink = sink or MemorySink()
    context = DoctorContext(wazuh_home=home, profile=profile_for(version, "test"), now=NOW)
    options.setdefault("state_dir", home.parent / "state")
    options.setdefault("wodle", wodle())
    on_progress = options.pop("on_progress", None)
    request = IngestRequest(context=context, block=the_block, client=s3, **options)
    summary = run_ingestion(request, sink=sink, cancel=cancel or threading.Event(), on_progress=on_progress)
    return summary, sink


def trail_block(**options: str) -> Block:
    options.setdefault("only_logs_after", "2024-MAY-01")
    return block("cloudtrail", "trail-bucket", **options)


def test_cloudtrail_events_and_envelopes(s3: Any, home: Path, trail: list[str]) -> None:
    summary, sink = run(s3, home, trail_block())
    assert summary.exit_code == 0, summary.findings
    assert summary.files_read == 6 and summary.files_found == 6
    assert summary.events == 18 == len(sink.events)
    assert [event.key for event in sink.events][::3] == trail
    first = sink.payloads[0]
    assert first.startswith("1:Wazuh-AWS:{")
    message = json.loads(first[len("1:Wazuh-AWS:"):])
    assert message["integration"] == "aws"
    aws = message["aws"]
    assert aws["log_info"] == {"aws_account_alias": "", "log_file": trail[0], "s3bucket": "trail-bucket"}
    assert aws["source"] == "cloudtrail" and aws["aws_account_id"] == ACCOUNT
    assert aws["source_ip_address"] == "10.0.0.1"
    assert list(aws)[:2] == ["log_info", "eventVersion"]
    assert summary.bytes_read > 0 and summary.events_per_second > 0
    assert sink.files_done == trail


def test_second_run_finds_nothing_new(s3: Any, home: Path, trail: list[str]) -> None:
    run(s3, home, trail_block())
    summary, sink = run(s3, home, trail_block())
    assert summary.events == 0 and summary.files_read == 0 and sink.events == []
    assert summary.exit_code == 0


def test_five_zero_rewinds_and_skips_processed(s3: Any, home: Path, trail: list[str]) -> None:
    records: list[logging.LogRecord] = []
    handler = _capture(records)
    try:
        run(s3, home, trail_block(), version=(5, 0, 0))
        records.clear()
        summary, _ = run(s3, home, trail_block(), version=(5, 0, 0))
    finally:
        logging.getLogger(LOGGER_NAME).removeHandler(handler)
    assert summary.events == 0
    assert summary.files_processed_before == 4      # from the previous day's folder on, listed again
    lines = [record.getMessage() for record in records]
    assert f"++ Skipping previously processed file: {trail[-1]}" in lines
    assert all(getattr(record, "bucket", "") == "trail-bucket" for record in records)


def test_only_logs_after_and_an_existing_state(s3: Any, home: Path, trail: list[str]) -> None:
    summary, sink = run(s3, home, trail_block(only_logs_after="2024-MAY-02"))
    assert [event.key for event in sink.events][::3] == trail[2:]
    # Moving only_logs_after back after the first run changes nothing: the marker comes from the state.
    summary, sink = run(s3, home, trail_block(only_logs_after="2024-APR-01"))
    assert summary.files_read == 0 and sink.events == []
    # ...and the files of May 1st are below the marker with no state row: never read.
    assert summary.never_read == ()  # the state starts at May 2nd: older keys are not judged
    # --reset gives the first run's view again.
    summary, sink = run(s3, home, trail_block(only_logs_after="2024-APR-01"), reset=True)
    assert summary.files_read == 6


def test_late_file_below_the_marker_is_reported_never_read(s3: Any, home: Path, trail: list[str],
                                                           moto: str) -> None:
    run(s3, home, trail_block())
    late = trail_key(2, 9)
    admin_client(moto).put_object(Bucket="trail-bucket", Key=late, Body=trail_object(2, 9))
    summary, sink = run(s3, home, trail_block())
    assert sink.events == []
    assert summary.never_read == (late,)
    assert summary.files_skipped.get("before_marker") == 1
    assert any(finding.failure_id == "host.ingest_never_read" for finding in summary.findings)


def test_cancel_then_resume_gives_every_event_exactly_once(s3: Any, home: Path, trail: list[str]) -> None:
    _, full = run(s3, home, trail_block(), state_dir=home.parent / "reference")
    cancel = threading.Event()

    def stop_after_two(progress: IngestProgress) -> None:
        if progress.phase == "file" and progress.files_read == 2:
            cancel.set()

    first, part_one = run(s3, home, trail_block(), cancel=cancel, on_progress=stop_after_two)
    assert first.cancelled and first.files_read == 2
    assert any(finding.failure_id == "host.ingest_cancelled" for finding in first.findings)
    second, part_two = run(s3, home, trail_block())
    assert not second.cancelled
    assert part_one.payloads + part_two.payloads == full.payloads


def test_read_ahead_pool_and_single_worker_agree(s3: Any, home: Path, trail: list[str]) -> None:
    pooled, pooled_sink = run(s3, home, trail_block(), workers=4, state_dir=home.parent / "pooled")
    single, single_sink = run(s3, home, trail_block(), workers=1, state_dir=home.parent / "single")
    assert pooled_sink.payloads == single_sink.payloads
    assert (pooled.files_read, pooled.events, pooled.bytes_read) == (single.files_read, single.events,
                                                                      single.bytes_read)


def test_limit_stops_after_n_files_and_the_next_pass_continues(s3: Any, home: Path, trail: list[str]) -> None:
    first, sink_one = run(s3, home, trail_block(), limit=2)
    assert first.limited and first.files_read == 2
    second, sink_two = run(s3, home, trail_block())
    assert second.files_read == 4
    assert [e.key for e in sink_one.events + sink_two.events][::3] == trail


def test_from_wazuh_state_starts_where_the_module_stands(s3: Any, home: Path, trail: list[str]) -> None:
    module_db = home / "wodles" / "aws" / "s3_cloudtrail.db"
    scope = StateScope("cloudtrail", "trail-bucket/", ACCOUNT, REGION)
    with IngestState.open(module_db.parent, version="4.14.7", wal=False) as module_state:
        module_state.ensure_table("cloudtrail")
        for key in trail[:4]:
            module_state.mark_complete(scope, key, 20240501)
    before = module_db.read_bytes()
    summary, sink = run(s3, home, trail_block(), from_wazuh_state=True)
    assert [event.key for event in sink.events][::3] == trail[4:]
    assert module_db.read_bytes() == before
    assert summary.state_path is not None and summary.state_path != module_db


def test_refuses_to_use_the_module_database_as_its_state(s3: Any, home: Path, trail: list[str]) -> None:
    summary, sink = run(s3, home, trail_block(), state_dir=home / "wodles" / "aws")
    assert sink.events == []
    assert summary.findings[0].failure_id == "host.ingest_state_unusable"


def test_log_lines_are_the_module_words_in_order(s3: Any, home: Path, trail: list[str]) -> None:
    records: list[logging.LogRecord] = []
    handler = _capture(records)
    try:
        run(s3, home, trail_block(), debug_level=2)
    finally:
        logging.getLogger(LOGGER_NAME).removeHandler(handler)
    lines = [record.getMessage() for record in records]
    assert lines[0] == "+++ Debug mode on - Level: 2"
    working = lines.index(f"+++ Working on {ACCOUNT} - {REGION}")
    assert lines.index("+++ Table does not exist; create") < working
    assert f"+++ Marker: {TRAIL_PREFIX}2024/05/01" in lines
    found = [line for line in lines if line.startswith("++ Found new log: ")]
    assert found == [f"++ Found new log: {key}" for key in trail]
    assert lines[-1] == "+++ DB Maintenance"
    assert not any(line.startswith('{"integration"') for line in lines)  # event JSON is debug 3 only


def test_debug_three_logs_each_event_json(s3: Any, home: Path, trail: list[str]) -> None:
    records: list[logging.LogRecord] = []
    handler = _capture(records)
    try:
        _, sink = run(s3, home, trail_block(), debug_level=3, limit=1)
    finally:
        logging.getLogger(LOGGER_NAME).removeHandler(handler)
    lines = [record.getMessage() for record in records]
    assert [line for line in lines if line.startswith('{"integration"')] == [
        payload[len("1:Wazuh-AWS:"):] for payload in sink.payloads]
    assert "++ Reformat message" in lines


def test_remove_from_bucket_never_deletes(s3: Any, home: Path, trail: list[str], moto: str) -> None:
    summary, _ = run(s3, home, trail_block(remove_from_bucket="yes"))
    assert summary.would_delete == tuple(trail)
    listed = admin_client(moto).list_objects_v2(Bucket="trail-bucket")["Contents"]
    assert [entry["Key"] for entry in listed] == trail
    assert any(finding.failure_id == "host.remove_from_bucket_not_done" for finding in summary.findings)


def test_corrupt_file_stops_the_run_like_the_module(s3: Any, home: Path, trail: list[str], moto: str) -> None:
    admin_client(moto).put_object(Bucket="trail-bucket", Key=trail[2], Body=b"not gzip at all")
    summary, sink = run(s3, home, trail_block())
    assert summary.exit_code == 8
    assert summary.files_read == 3 and summary.files_failed == 1
    assert [event.key for event in sink.events][::3] == trail[:2]
    assert any(finding.failure_id == "host.ingest_stopped_on_file" for finding in summary.findings)
    # A stopped run records nothing (the module commits at the end): the next pass reads all three again.
    again, _ = run(s3, home, trail_block())
    assert again.exit_code == 8 and again.files_read == 3
    assert again.details["resend_next_run"] == 6


def test_skip_on_error_sends_an_error_event_and_goes_on(s3: Any, home: Path, trail: list[str],
                                                       moto: str) -> None:
    admin_client(moto).put_object(Bucket="trail-bucket", Key=trail[2], Body=b"not gzip at all")
    summary, sink = run(s3, home, trail_block(), wodle=wodle(skip_on_error="yes"))
    assert summary.exit_code == 0
    assert summary.files_read == 6 and summary.error_events == 1
    errors = [json.loads(p[len("1:Wazuh-AWS:"):]) for p in sink.payloads if '"error_msg"' in p]
    assert len(errors) == 1 and errors[0]["aws"]["log_info"]["log_file"] == trail[2]
    assert summary.events == 15 + 1


def test_custom_bucket_keeps_only_detail_objects(s3: Any, home: Path, moto: str) -> None:
    seed = admin_client(moto)
    seed.create_bucket(Bucket="firehose-bucket")
    body = "".join(json.dumps(item) for item in (
        {"source": "aws.macie", "detail": {"id": "one", "severity": 2}},
        {"no_detail": True},
        {"source": "aws.guardduty", "detail": {"id": "two"}},
    ))
    key = "firehose/2024/05/03/10/stream-1-2024-05-03-10-00-00-abc"
    seed.put_object(Bucket="firehose-bucket", Key=key, Body=body.encode())
    seed.put_object(Bucket="firehose-bucket", Key="firehose/extra/2024/05/03/x", Body=body.encode())
    the_block = block("custom", "firehose-bucket", path="firehose", only_logs_after="2024-MAY-01")
    summary, sink = run(s3, home, the_block, caller_account=ACCOUNT)
    assert summary.exit_code == 0
    assert summary.files_read == 1 and summary.files_skipped == {"other_prefix": 1}
    sources = [json.loads(p[len("1:Wazuh-AWS:"):])["aws"]["source"] for p in sink.payloads]
    assert sources == ["macie", "guardduty"]
    again, _ = run(s3, home, the_block, caller_account=ACCOUNT)
    assert again.files_read == 0


def test_vpcflow_reads_only_described_flow_logs(s3: Any, home: Path, moto: str) -> None:
    seed = admin_client(moto)
    seed.create_bucket(Bucket="flow-bucket")
    prefix = f"AWSLogs/{ACCOUNT}/vpcflowlogs/{REGION}/2024/05/02/"
    lines = ("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start "
             "end action log-status\n2 123456789012 eni-1 10.0.0.1 10.0.0.2 443 5555 6 10 840 1714608000 "
             "1714608060 ACCEPT OK\n")
    for flow in ("fl-1234", "fl-9999"):
        seed.put_object(Bucket="flow-bucket",
                        Key=f"{prefix}{ACCOUNT}_vpcflowlogs_{REGION}_{flow}_20240502T0000Z_h.log.gz",
                        Body=gzip.compress(lines.encode()))
    the_block = block("vpcflow", "flow-bucket", only_logs_after="2024-MAY-01")
    summary, sink = run(s3, home, the_block, flow_logs={REGION: ["fl-1234"]})
    assert summary.exit_code == 0 and summary.files_read == 1
    assert len(sink.events) == 2  # the header line is sent as an event too
    message = json.loads(sink.payloads[1][len("1:Wazuh-AWS:"):])
    assert message["aws"]["source"] == "vpc" and message["aws"]["start"] == "2024-05-02T00:00:00Z"
    assert "fl-1234" in sink.events[0].key


def test_send_writes_datagrams_to_the_queue_socket(s3: Any, trail: list[str]) -> None:
    short = Path(tempfile.mkdtemp(prefix="wad", dir="/tmp"))
    home = short / "ossec"
    (home / "wodles" / "aws").mkdir(parents=True)
    (home / "queue" / "sockets").mkdir(parents=True)
    path = home / "queue" / "sockets" / "queue"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(str(path))
    server.settimeout(2)
    try:
        sink = QueueSocketSink(path)
        context = DoctorContext(wazuh_home=home, profile=profile_for((4, 14, 7), "test"), now=NOW)
        request = IngestRequest(context=context, block=trail_block(), client=s3, wodle=wodle(), limit=1,
                                state_dir=short / "state")
        summary = run_ingestion(request, sink=sink, cancel=threading.Event())
        sink.close()
        received = [server.recv(65536).decode() for _ in range(summary.events)]
    finally:
        server.close()
        shutil.rmtree(short, ignore_errors=True)
    assert summary.events == 3
    assert all(payload.startswith("1:Wazuh-AWS:") for payload in received)
    assert json.loads(received[0][len("1:Wazuh-AWS:"):])["aws"]["log_info"]["log_file"] == trail[0]


def test_send_without_listener_exits_like_the_module(s3: Any, home: Path, trail: list[str]) -> None:
    sink = QueueSocketSink(home / "queue" / "sockets" / "queue")
    context = DoctorContext(wazuh_home=home, profile=profile_for((4, 14, 7), "test"), now=NOW)
    request = IngestRequest(context=context, block=trail_block(), client=s3, wodle=wodle(),
                            state_dir=home.parent / "state")
    summary = run_ingestion(request, sink=sink, cancel=threading.Event())
    assert summary.exit_code == 13 and summary.events == 0
    assert summary.findings[0].failure_id == "host.queue_socket_missing"
    # Nothing was marked: the next pass (with a working sink) reads everything.
    again, _ = run(s3, home, trail_block())
    assert again.files_read == 6


def _capture(records: list[logging.LogRecord]) -> logging.Handler:
    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Capture(level=1)
    logger = logging.getLogger(LOGGER_NAME)
    logger.setLevel(1)
    logger.addHandler(handler)
    return handler


def test_get_object_denied_is_exit_one_like_the_module(home: Path, trail: list[str], moto: str,
                                                       clean_aws_env: Path) -> None:
    iam = admin_client(moto, "iam")
    iam.create_user(UserName="lister")
    iam.put_user_policy(UserName="lister", PolicyName="list-only", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["s3:ListBucket", "s3:HeadBucket"], "Resource": "*"}]}))
    key = iam.create_access_key(UserName="lister")["AccessKey"]
    enable_auth(moto)
    session = boto3.session.Session(aws_access_key_id=key["AccessKeyId"],
                                    aws_secret_access_key=key["SecretAccessKey"], region_name=REGION)
    lister = make_client(session, "s3", ClientSettings(endpoint_url=moto, max_attempts=1))
    records: list[logging.LogRecord] = []
    handler = _capture(records)
    try:
        summary, sink = run(lister, home, trail_block(), debug_level=1)
    finally:
        logging.getLogger(LOGGER_NAME).removeHandler(handler)
    assert summary.exit_code == 1 and sink.events == []
    assert summary.files_read == 1 and summary.files_failed == 1
    errors = [record.getMessage() for record in records if record.levelno == logging.ERROR]
    # repr(e) of botocore's modeled error, exactly what the module's get_log_file prints.
    assert errors[0].startswith(f"Unknown error reading/parsing file {trail[0]}: AccessDenied(")
    assert "when calling the GetObject operation" in errors[0]
    assert any(finding.failure_id == "host.ingest_read_failed" for finding in summary.findings)


def test_a_path_without_folders_stops_with_exit_14(s3: Any, home: Path, trail: list[str]) -> None:
    records: list[logging.LogRecord] = []
    handler = _capture(records)
    try:
        summary, _ = run(s3, home, trail_block(path="nothing-here"))
    finally:
        logging.getLogger(LOGGER_NAME).removeHandler(handler)
    assert summary.exit_code == 14 and summary.files_found == 0
    assert summary.findings[0].failure_id == "host.ingest_walk_stopped"
    assert "No files were found in 'trail-bucket/nothing-here/'. No logs will be processed." in [
        record.getMessage() for record in records]


def test_json_lines_sink_writes_payloads_or_envelopes(s3: Any, home: Path, trail: list[str],
                                                      tmp_path: Path) -> None:
    payload_file, envelope_file = tmp_path / "payloads.jsonl", tmp_path / "envelopes.jsonl"
    for path, envelopes, state in ((payload_file, False, "a"), (envelope_file, True, "b")):
        sink = JsonLinesSink.to_path(path, envelopes=envelopes)
        context = DoctorContext(wazuh_home=home, profile=profile_for((4, 14, 7), "test"), now=NOW)
        request = IngestRequest(context=context, block=trail_block(), client=s3, wodle=wodle(), limit=2,
                                state_dir=tmp_path / state)
        run_ingestion(request, sink=sink, cancel=threading.Event())
        sink.close()
    payloads = payload_file.read_text().splitlines()
    envelopes_lines = envelope_file.read_text().splitlines()
    assert len(payloads) == len(envelopes_lines) == 6
    assert all(line.startswith("1:Wazuh-AWS:{") for line in payloads)
    assert [f"1:Wazuh-AWS:{line}" for line in envelopes_lines] == payloads


def test_open_queue_sink_only_when_the_socket_exists(home: Path) -> None:
    context = DoctorContext(wazuh_home=home)
    sink, finding = open_queue_sink(context, "bucket x")
    assert sink is None and finding is not None and finding.failure_id == "host.queue_socket_missing"
    (home / "queue" / "sockets").mkdir(parents=True)
    (home / "queue" / "sockets" / "queue").write_text("a regular file is not analysisd's socket")
    assert open_queue_sink(context, "bucket x")[0] is None


def test_read_ahead_window_is_bounded_by_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetch, "MAX_BYTES_AHEAD", 15)
    release = threading.Event()
    started: list[str] = []

    def slow_fetch(entry: fetch.Entry) -> fetch.FetchedFile:
        started.append(entry.key)
        release.wait(5)
        return fetch.FetchedFile(entry.key)

    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        window = fetch.ReadAhead(pool, 4, slow_fetch)
        entries = [fetch.Entry(None, f"k{n}", 10) for n in range(3)]
        for entry in entries:
            window.add(entry)
        assert window.in_flight == 1 and [e.future is not None for e in entries] == [True, False, False]
        release.set()
        for entry in entries:
            assert entry.future is not None
            entry.future.result(timeout=5)
            window.done(entry)
        assert window.in_flight == 0 and window.bytes_ahead == 0
    assert started == ["k0", "k1", "k2"]


def test_discard_regex_drops_events_with_the_module_line(s3: Any, home: Path, trail: list[str]) -> None:
    the_block = trail_block()
    the_block = Block(kind=the_block.kind, block_type=the_block.block_type, location=the_block.location,
                      options=the_block.options,
                      discard_regex=Option("discard_regex", "Get1_", 9, {"field": "eventName"}))
    records: list[logging.LogRecord] = []
    handler = _capture(records)
    try:
        summary, sink = run(s3, home, the_block, debug_level=2)
    finally:
        logging.getLogger(LOGGER_NAME).removeHandler(handler)
    assert summary.events_discarded == 6 and summary.events == 12 == len(sink.events)
    assert all(event.key not in trail[:2] for event in sink.events)
    lines = [record.getMessage() for record in records]
    assert lines.count('+++ The "Get1_" regex found a match in the "eventName" field. '
                       "The event will be skipped.") == 6
