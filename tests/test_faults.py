"""The network misbehaves: every command, through a fault-injecting proxy in front of moto, retries what
AWS's guidance says to retry, then reports a finding naming what it tried; never a traceback. The
ingestion pass loses and duplicates no event across retries and resumes."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import admin_client
from tests.fault_proxy import Fault, FaultProxy, fault_proxy, refused_endpoint
from tests.hardening_support import (
    ATTEMPTS,
    DAYS,
    FAST_NETWORK,
    DoctorHome,
    bucket_block,
    event_ids,
    expected_event_ids,
    make_home,
    ossec_conf,
    run_cli,
    seed_trail,
    trail_body,
)

BUCKET = "fault-trail"
MAX_SECONDS = 20.0
"""No command under a fault takes longer than this (short timeouts, one retry; slack for a busy machine)."""


@pytest.fixture
def home(moto: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DoctorHome:
    seed_trail(moto, BUCKET)
    return make_home(tmp_path, monkeypatch, ossec_conf(bucket_block(BUCKET)), network=FAST_NETWORK)


@pytest.fixture
def proxy(moto: str) -> Iterator[FaultProxy]:
    with fault_proxy(moto) as running:
        yield running


def timed(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    started = time.monotonic()
    result = run_cli(capsys, *argv)
    assert time.monotonic() - started < MAX_SECONDS, f"{argv[0]} took too long under a fault"
    assert "Traceback" not in result[1] + result[2]
    return result


def findings_of(out: str) -> list[dict[str, object]]:
    return list(json.loads(out)["findings"])


def by_check(findings: list[dict[str, object]], check_id: str) -> list[dict[str, object]]:
    return [finding for finding in findings if finding["check_id"] == check_id]


# -- connection refused ---------------------------------------------------------------------------------------
def test_connection_refused_every_command_explains_and_exits(home: DoctorHome,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    endpoint = refused_endpoint()
    code, out, _ = timed(capsys, "check", *home.common(endpoint), "--format", "json")
    findings = findings_of(out)
    assert code == 2
    unreachable = [f for f in findings if f["status"] == "error" and endpoint in json.dumps(f)]
    assert unreachable, "the unreachable endpoint is named in an error finding"
    assert any(f["check_id"] == "identity.caller" and f["failure_id"] == "identity.sts_unreachable"
               for f in findings)

    for command in (["keys"], ["keys", "--wodle-view"], ["preview", "--key", "x.json.gz"], ["ingest"]):
        code, out, err = timed(capsys, *command[:1], *home.common(endpoint, BUCKET), *command[1:])
        # ingest exits with the module's own code for the walk; the others with 2 (errors found)
        assert code == 2 or (command == ["ingest"] and code != 0), f"{command}: {out}{err}"
        assert endpoint in out + err, f"{command} names the endpoint"


# -- throttling and server errors are retried ---------------------------------------------------------------
def test_throttling_and_500s_are_retried_then_succeed(home: DoctorHome, proxy: FaultProxy,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    proxy.add(Fault("status", operation="GetCallerIdentity", status=400, code="Throttling",
                    message="Rate exceeded", times=1),
              Fault("status", operation="ListObjectsV2", status=503, code="SlowDown", times=1),
              Fault("status", operation="HeadBucket", status=500, code="InternalError",
                    message="We encountered an internal error. Please try again.", times=1))
    code, out, _ = timed(capsys, "check", *home.common(proxy.url), "--format", "json")
    findings = findings_of(out)
    assert [f["status"] for f in by_check(findings, "access.list_prefix")] == ["ok"]
    assert [f["status"] for f in by_check(findings, "identity.caller")] == ["ok"]
    assert all(fault.fired == fault.times for fault in proxy.faults)
    assert code in (0, 1)


def test_throttling_beyond_the_retries_is_a_finding_with_what_was_tried(
        home: DoctorHome, proxy: FaultProxy, capsys: pytest.CaptureFixture[str]) -> None:
    proxy.add(Fault("status", operation="ListObjectsV2", status=503, code="SlowDown", times=40))
    code, out, _ = timed(capsys, "check", *home.common(proxy.url), "--format", "json")
    listing = by_check(findings_of(out), "access.list_prefix")
    assert code == 2
    assert listing and listing[0]["status"] == "error"
    text = json.dumps(listing[0], ensure_ascii=False)
    assert "SlowDown" in text
    assert "503 → 503" in text and "503 → 503 → 503" not in text, "the evidence shows both attempts made"
    # every listing request was tried exactly twice (1 + 1 retry), never more
    attempts = proxy.count("ListObjectsV2")
    assert attempts % ATTEMPTS == 0 and attempts >= ATTEMPTS

    proxy.clear()
    proxy.add(Fault("status", operation="ListObjectsV2", status=503, code="SlowDown", times=40))
    code, out, err = timed(capsys, "keys", *home.common(proxy.url, BUCKET))
    assert code == 2
    assert "SlowDown" in out + err and f"{ATTEMPTS} attempts" in out + err


# -- slow answers beyond the timeout ---------------------------------------------------------------------
def test_a_slow_answer_is_retried_and_a_dead_one_reported(home: DoctorHome, proxy: FaultProxy,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    proxy.add(Fault("slow", operation="ListObjectsV2", delay=1.5, times=1))
    code, out, _ = timed(capsys, "keys", *home.common(proxy.url, BUCKET), "--format", "json")
    assert code == 0
    assert json.loads(out)["folders"] == ["AWSLogs/"]
    assert proxy.faults[0].fired == 1

    proxy.clear()
    proxy.add(Fault("slow", operation="GetCallerIdentity", delay=1.5, times=ATTEMPTS))
    code, out, _ = timed(capsys, "check", *home.common(proxy.url), "--format", "json")
    # the block is a cloudtrail bucket: the module itself never calls STS, so our probe's timeout is a warning
    timed_out = [f for f in findings_of(out) if f["status"] in ("warning", "error")
                 and f["check_id"] == "identity.caller" and "timeout" in json.dumps(f).lower()]
    assert timed_out, "the read timeout is a finding, not a traceback"
    assert f"{ATTEMPTS} attempts" in json.dumps(timed_out[0]), "and it says what was tried"
    assert proxy.count("GetCallerIdentity") == ATTEMPTS
    assert code == 1, "warnings only: the bucket itself lists fine"


def identity_through(endpoint: str, home: DoctorHome) -> Any:
    """check_identity for the first block straight through ``endpoint`` (one attempt, 1 s read timeout)."""
    from diagnostics.aws.clients import ClientSettings
    from diagnostics.aws.credentials import resolve_credentials
    from diagnostics.aws.identity import check_identity
    from diagnostics.checks import load_configuration
    from diagnostics.context import context_from_environment

    context = context_from_environment(None, str(home.wazuh_home), endpoint)
    block = load_configuration(context)[0].blocks[0]
    return check_identity(resolve_credentials(block, context), block, context,
                          ClientSettings(endpoint_url=endpoint, read_timeout=1.0, max_attempts=0))


def test_identity_explains_an_sts_read_timeout(home: DoctorHome, proxy: FaultProxy) -> None:
    proxy.add(Fault("slow", operation="GetCallerIdentity", delay=1.5))
    result = identity_through(proxy.url, home)
    # a cloudtrail bucket: the module never calls STS, so our probe's timeout is a warning, not a crash
    problems = [f for f in result.findings if f.status.value in ("warning", "error")]
    assert [f.check_id for f in problems] == ["identity.caller"]
    assert problems[0].failure_id == "identity.sts_unreachable"


def test_identity_survives_a_date_header_without_zone(home: DoctorHome, proxy: FaultProxy) -> None:
    proxy.add(Fault("header", operation="GetCallerIdentity", headers={"Date": "Sun, 06 Nov 1994 08:49:37 -0000"}))
    result = identity_through(proxy.url, home)
    assert result.account_id == "123456789012"


# -- resets mid-listing and mid-download ---------------------------------------------------------------
def test_resets_mid_listing_and_mid_download_are_retried(home: DoctorHome, proxy: FaultProxy,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    proxy.add(Fault("reset", operation="ListObjectsV2", nth=2, times=1),
              Fault("reset_mid_body", operation="GetObject", nth=1, times=1))
    keys_code, out, _ = timed(capsys, "keys", *home.common(proxy.url, BUCKET), "--wodle-view", "--format",
                              "json")
    assert keys_code == 0
    rows = json.loads(out)["keys"]
    assert len(rows) == 6 and all(row["status"] == "read" for row in rows)
    code, out, _ = timed(capsys, "preview", *home.common(proxy.url, BUCKET), "--key", rows[0]["key"],
                         "--format", "json")
    assert code == 0, out
    assert len(out.splitlines()) == 3
    assert [fault.fired for fault in proxy.faults] == [1, 1]


def test_a_download_reset_on_every_attempt_is_a_finding(home: DoctorHome, proxy: FaultProxy,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    key = seed_keys(home)[0]
    proxy.add(Fault("reset_mid_body", operation="GetObject", times=20))
    code, out, err = timed(capsys, "preview", *home.common(proxy.url, BUCKET), "--key", key)
    assert code == 2
    assert key in out + err
    assert "reset" in (out + err).lower() or "connection" in (out + err).lower()
    assert proxy.count("GetObject") == ATTEMPTS, "every attempt made, then the finding"


def seed_keys(home: DoctorHome) -> list[str]:
    from tests.hardening_support import FILES_PER_DAY, trail_key

    return sorted(trail_key(day, index) for day in DAYS for index in range(FILES_PER_DAY))


# -- the bucket disappears, the object changes ---------------------------------------------------------
def delete_bucket(endpoint: str, bucket: str) -> None:
    s3 = admin_client(endpoint)
    for entry in s3.list_objects_v2(Bucket=bucket).get("Contents", []):
        s3.delete_object(Bucket=bucket, Key=entry["Key"])
    s3.delete_bucket(Bucket=bucket)


def test_bucket_deleted_while_browsed(home: DoctorHome, proxy: FaultProxy, moto: str,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = timed(capsys, "keys", *home.common(proxy.url, BUCKET), "--format", "json")
    assert code == 0 and json.loads(out)["folders"] == ["AWSLogs/"]
    delete_bucket(moto, BUCKET)
    code, out, err = timed(capsys, "keys", *home.common(proxy.url, BUCKET), "--prefix", "AWSLogs/")
    assert code == 2
    assert "NoSuchBucket" in out + err


def test_bucket_deleted_during_an_ingestion_pass(home: DoctorHome, proxy: FaultProxy, moto: str,
                                                 tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WAZUH_AWS_DOCTOR_READ_TIMEOUT", "5")  # the deletion itself must not time the read out
    proxy.add(Fault("call", operation="GetObject", nth=3, callback=lambda: delete_bucket(moto, BUCKET)))
    events = tmp_path / "events.jsonl"
    code, _, err = timed(capsys, "ingest", *home.common(proxy.url, BUCKET), "--events-out", str(events),
                           "--workers", "1")
    assert code == 1, "GetObject failing is the module's get_log_file error: exit 1"
    assert "NoSuchBucket" in err or "NoSuchKey" in err
    assert len(event_ids(events)) == 6, "the two files read before the deletion were emitted"
    assert not proxy.errors


def test_object_changing_size_while_read(home: DoctorHome, proxy: FaultProxy, moto: str, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WAZUH_AWS_DOCTOR_READ_TIMEOUT", "5")
    key = seed_keys(home)[0]
    bigger = trail_body(DAYS[0], 0, records=5)
    proxy.add(Fault("call", operation="GetObject", nth=1,
                    callback=lambda: admin_client(moto).put_object(Bucket=BUCKET, Key=key, Body=bigger)),
              Fault("short_body", operation="GetObject", nth=3, times=1))
    events = tmp_path / "events.jsonl"
    code, _, err = timed(capsys, "ingest", *home.common(proxy.url, BUCKET), "--events-out", str(events),
                         "--workers", "1")
    assert code == 0, err
    ids = event_ids(events)
    assert len(ids) == len(set(ids)) == 18 + 2, "the rewritten object is read as it is now, once"


# -- the ingestion pass stays consistent --------------------------------------------------------------------
def test_ingestion_under_transient_faults_equals_a_fault_free_pass(
        home: DoctorHome, proxy: FaultProxy, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = tmp_path / "clean.jsonl"
    code, _, err = timed(capsys, "ingest", *home.common(proxy.url, BUCKET), "--events-out", str(clean),
                         "--state-dir", str(tmp_path / "clean-state"))
    assert code == 0, err
    assert sorted(event_ids(clean)) == expected_event_ids()

    keys = [re.escape(key) for key in seed_keys(home)]
    # one fault per key (downloads run in parallel, so faults are tied to keys, not request numbers)
    proxy.add(Fault("status", operation="GetObject", path=keys[1], status=503, code="SlowDown"),
              Fault("reset_mid_body", operation="GetObject", path=keys[2]),
              Fault("status", operation="GetObject", path=keys[3], status=500, code="InternalError",
                    message="We encountered an internal error. Please try again."),
              Fault("short_body", operation="GetObject", path=keys[4]),
              Fault("reset", operation="GetObject", path=keys[5]),
              Fault("reset", operation="ListObjectsV2", nth=2))
    faulty = tmp_path / "faulty.jsonl"
    code, _, err = timed(capsys, "ingest", *home.common(proxy.url, BUCKET), "--events-out", str(faulty),
                         "--state-dir", str(tmp_path / "faulty-state"))
    assert code == 0, err
    assert [fault.fired for fault in proxy.faults] == [1] * 6
    assert event_ids(faulty) == event_ids(clean), "same events, same order, no duplicate"


def test_ingestion_stopped_by_a_persistent_fault_starts_over_like_the_module(
        home: DoctorHome, proxy: FaultProxy, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    keys = seed_keys(home)
    state = tmp_path / "state"
    first = tmp_path / "first.jsonl"
    proxy.add(Fault("reset", operation="GetObject", path=re.escape(keys[3]), times=20))
    code, _, err = timed(capsys, "ingest", *home.common(proxy.url, BUCKET), "--events-out", str(first),
                         "--state-dir", str(state))
    assert code != 0
    assert keys[3] in err
    assert len(event_ids(first)) == 9, "the three files before the failing one were emitted"
    assert "sends these 9 event(s) again" in err, "the pass says what the module's next run re-sends"

    proxy.clear()
    second = tmp_path / "second.jsonl"
    code, _, err = timed(capsys, "ingest", *home.common(proxy.url, BUCKET), "--events-out", str(second),
                         "--state-dir", str(state))
    assert code == 0, err
    # The module records nothing when its run stops (it commits at the end), so its next run sends the first
    # three files again; the pass does the same (tests/goldens/module_4_14_7/stop_mid_walk_gzip).
    assert sorted(event_ids(second)) == expected_event_ids(), "the whole walk again: nothing lost"


def test_ingest_predicts_exit_15_when_the_endpoint_is_unreachable(home: DoctorHome,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run_cli(capsys, "ingest", *home.common(refused_endpoint(), BUCKET))
    assert code == 15
