"""``keys --block`` on services and subscribers: the saved state per scope, the next request, an unreadable file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from diagnostics.wazuh.services_state import milliseconds_text
from tests.inputs_support import (
    CLOUDWATCH_LINE,
    INSPECTOR_LINE,
    NOV_01,
    NOV_20,
    OCT_20,
    OCT_21,
    SUBSCRIBER_LINE,
    check_json,
    keys_json,
)
from tests.inputs_support import inputs_home as inputs_home
from tests.test_service_access import write_services_db
from tui.cli import main


def test_keys_on_a_cloudwatch_block_shows_each_saved_stream_and_the_next_requests(
        inputs_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    start, end = NOV_01, NOV_20  # s1: sent from only_logs_after on, so the next run goes on after its end
    old_start, old_end = OCT_20, OCT_21  # s2: all before only_logs_after, so the module starts at that date
    write_services_db(inputs_home, [["us-east-1", "app-logs", "s1", "token-1", start, end],
                                    ["us-east-1", "app-logs", "s2", None, old_start, old_end],
                                    ["eu-west-1", "app-logs", "s9", "other", start, end]])
    code, document = keys_json(inputs_home, CLOUDWATCH_LINE, capsys)
    assert code == 0
    assert document["database_health"] == "ok"
    scopes = {scope["scope"]: scope for scope in document["scopes"]}
    assert set(scopes) == {"us-east-1 / app-logs / s1", "us-east-1 / app-logs / s2", "us-east-1 / other-logs"}, \
        "rows are keyed by the loop region: eu-west-1's row is not this block's"
    s1 = scopes["us-east-1 / app-logs / s1"]
    assert s1["saved"] == f"events sent from {milliseconds_text(start)} to {milliseconds_text(end)}, a saved token"
    assert s1["next_request"] == (f"GetLogEvents from {milliseconds_text(end + 1)} with the saved token to now "
                                  "on app-logs in us-east-1")
    assert scopes["us-east-1 / app-logs / s2"]["next_request"] == (
        "GetLogEvents from 2026-11-01 00:00:00.000 UTC to now (the saved end is not after only_logs_after) "
        "on app-logs in us-east-1")
    assert scopes["us-east-1 / other-logs"]["saved"] == "no row (never read)"
    assert "from 2026-11-01 00:00:00 UTC" in scopes["us-east-1 / other-logs"]["next_request"]


def test_keys_on_a_cloudwatch_stream_saved_after_only_logs_after_reads_the_gap_first(
        inputs_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    start = NOV_20  # after only_logs_after (2026-11-01): the module first reads the gap before it
    write_services_db(inputs_home, [["us-east-1", "app-logs", "s1", "t", start, start + 60_000]])
    _, document = keys_json(inputs_home, CLOUDWATCH_LINE, capsys)
    request = next(scope for scope in document["scopes"] if scope["scope"].endswith("/ s1"))["next_request"]
    assert request == (f"GetLogEvents from 2026-11-01 00:00:00.000 UTC to {milliseconds_text(start)} (the gap "
                       f"before the first event sent); then GetLogEvents from {milliseconds_text(start + 60_001)} "
                       "with the saved token to now on app-logs in us-east-1")


def test_keys_on_an_inspector_block_shows_the_last_scan_per_region_and_the_window(
        inputs_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = inputs_home / "wodles" / "aws" / "aws_services.db"
    db.parent.mkdir(parents=True)
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE aws_services (service_name 'text' NOT NULL, aws_account_id 'text' NOT NULL, "
                           "aws_region 'text' NOT NULL, scan_date 'text' NOT NULL, "
                           "PRIMARY KEY (service_name, aws_account_id, aws_region, scan_date))")
        connection.executemany("INSERT INTO aws_services VALUES (?, ?, ?, ?)", [
            ("inspector", "123456789012", "us-east-1", "2026-11-25 00:00:00.0"),
            ("inspector", "123456789012", "us-east-1", "2026-12-03 10:00:00.5")])
    connection.close()
    before = db.read_bytes()
    code, document = keys_json(inputs_home, INSPECTOR_LINE, capsys)
    assert code == 0
    assert "every client reads us-east-1" in document["regions"], "the profile's region overrides eu-west-1"
    scopes = {scope["scope"]: scope for scope in document["scopes"]}
    saved = scopes["123456789012 / us-east-1"]
    assert saved["saved"] == "last scan 2026-12-03 10:00:00.5 (UTC)"
    assert saved["next_request"].startswith("ListFindings updatedAt from 2026-12-03 10:00:00.500000 to now")
    assert scopes["eu-west-1"]["saved"] == "no scan saved"
    assert db.read_bytes() == before


def test_keys_on_a_subscriber_says_the_queue_is_the_state(inputs_home: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["keys", "--wazuh-home", str(inputs_home), "--block", str(SUBSCRIBER_LINE)])
    captured = capsys.readouterr()
    assert code == 0
    assert "the queue is their state" in captured.out
    assert "works on a bucket" not in captured.out + captured.err
    code, document = keys_json(inputs_home, SUBSCRIBER_LINE, capsys)
    assert document["scopes"] == [] and document["findings"][0]["failure_id"] == "queue.no_state"


def test_an_unreadable_services_database_is_said_instead_of_a_first_run(
        inputs_home: Path, moto: str, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.conftest import admin_client

    admin_client(moto, "logs").create_log_group(logGroupName="app-logs")
    db = inputs_home / "wodles" / "aws" / "aws_services.db"
    db.parent.mkdir(parents=True)
    db.write_bytes(b"this is not an sqlite database at all" * 10)
    code, document = keys_json(inputs_home, CLOUDWATCH_LINE, capsys)
    assert code == 1 and document["scopes"] == []
    assert document["findings"][0]["failure_id"] == "service.state_unreadable"
    assert document["database_health"].startswith("not_a_db")
    _, findings = check_json(inputs_home, moto, CLOUDWATCH_LINE, capsys)
    ids = [finding["failure_id"] for finding in findings]
    assert "service.state_unreadable" in ids and "logs.state_first_run" not in ids
    assert db.read_bytes() == b"this is not an sqlite database at all" * 10
