"""The module's state DB read strictly read-only: lookups, summaries, and bad files as health values."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from diagnostics.wazuh.state_db import DbHealth, StateDbError, StateReader
from diagnostics.wazuh.state_scope import ANY_ACCOUNT, StateScope
from tests.layout_support import ACCOUNT, OTHER_ACCOUNT, create_state_db, trail_key

FULL = f"AWSLogs/{ACCOUNT}/CloudTrail/us-east-1/"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def state_path(tmp_path: Path) -> Path:
    rows = {
        "cloudtrail": [
            ("trail/", ACCOUNT, "us-east-1", trail_key("2024/05/02")),
            ("trail/", ACCOUNT, "us-east-1", trail_key("2024/05/03")),
            ("trail/", ACCOUNT, "eu-west-1", trail_key("2024/05/04", region="eu-west-1")),
            ("trail/", OTHER_ACCOUNT, "us-east-1", trail_key("2024/05/09", account=OTHER_ACCOUNT)),
            ("other/", ACCOUNT, "us-east-1", trail_key("2024/05/10", prefix="other/")),
        ],
        "vpcflow": [
            ("flow/", ACCOUNT, "us-east-1", "fl-a", "k/fl-a/1"),
            ("flow/", ACCOUNT, "us-east-1", "fl-b", "k/fl-b/9"),
        ],
        "guardduty": [("gd/", ACCOUNT, "AWSLogs/x/GuardDuty/us-east-1/2024/05/03/a.jsonl.gz")],
    }
    return create_state_db(tmp_path / "wodles" / "aws" / "s3_cloudtrail.db", rows, with_samples=True)


def test_health_of_a_good_file_reports_tables_and_version(state_path: Path) -> None:
    report = StateReader(state_path).health()
    assert report.health is DbHealth.OK
    assert "cloudtrail" in report.tables and "metadata" in report.tables
    assert report.version == "4.14.7"


def test_last_key_is_scoped_and_restricted_by_like(state_path: Path) -> None:
    reader = StateReader(state_path)
    scope = StateScope("cloudtrail", "trail/", ACCOUNT, "us-east-1")
    assert reader.last_key(scope, "") == trail_key("2024/05/03")
    assert reader.last_key(scope, FULL) == trail_key("2024/05/03")
    assert reader.last_key(scope, "AWSLogs/nope/") is None
    assert reader.last_key(StateScope("cloudtrail", "trail/", ACCOUNT, "eu-west-1"), "") == \
        trail_key("2024/05/04", region="eu-west-1")
    assert reader.last_key(StateScope("cloudtrail", "trail/", ANY_ACCOUNT, "us-east-1"), "") == \
        trail_key("2024/05/09", account=OTHER_ACCOUNT)
    assert reader.last_key(StateScope("cloudtrail", "missing/", ACCOUNT, "us-east-1"), "") is None


def test_like_keeps_sqlite_wildcards_as_the_module_does(state_path: Path) -> None:
    reader = StateReader(state_path)
    scope = StateScope("cloudtrail", "trail/", ACCOUNT, "us-east-1")
    # '_' is a LIKE wildcard and ASCII matching is case-insensitive, exactly as in the module's query.
    assert reader.last_key(scope, "awslogs_") == trail_key("2024/05/03")


def test_flow_log_scope_and_tables_without_region(state_path: Path) -> None:
    reader = StateReader(state_path)
    assert reader.last_key(StateScope("vpcflow", "flow/", ACCOUNT, "us-east-1", "fl-a"), "") == "k/fl-a/1"
    assert reader.last_key(StateScope("vpcflow", "flow/", ACCOUNT, "us-east-1", "fl-b"), "") == "k/fl-b/9"
    # guardduty has no aws_region column: a region in the scope is ignored (the module's quirk).
    assert reader.last_key(StateScope("guardduty", "gd/", ACCOUNT, "eu-west-1"), "") == \
        "AWSLogs/x/GuardDuty/us-east-1/2024/05/03/a.jsonl.gz"


def test_processed_checks_exact_keys_per_scope(state_path: Path) -> None:
    reader = StateReader(state_path)
    scope = StateScope("cloudtrail", "trail/", ACCOUNT, "us-east-1")
    assert reader.already_processed(scope, trail_key("2024/05/02"))
    assert not reader.already_processed(scope, trail_key("2024/05/04"))
    assert not reader.already_processed(StateScope("cloudtrail", "trail/", ACCOUNT, "eu-west-1"),
                                        trail_key("2024/05/02"))
    assert reader.first_key(scope) == trail_key("2024/05/02")
    assert reader.columns("nope") is None


def test_scope_summaries_and_retention(tmp_path: Path) -> None:
    keys = [("big/", ACCOUNT, "us-east-1", trail_key("2024/05/03", f"{n:04d}")) for n in range(501)]
    path = create_state_db(tmp_path / "s3_cloudtrail.db", {"cloudtrail": keys})
    summaries = StateReader(path).scope_summaries("cloudtrail")
    assert len(summaries) == 1
    summary = summaries[0]
    assert summary.scope == {"bucket_path": "big/", "aws_account_id": ACCOUNT, "aws_region": "us-east-1"}
    assert summary.rows == 501 and summary.over_retention
    assert summary.first_key == trail_key("2024/05/03", "0000")
    assert summary.last_key == trail_key("2024/05/03", "0500")
    assert StateReader(path).scope_summaries("cloudtrail", bucket_path="other/") == ()


def test_services_database_summary(tmp_path: Path) -> None:
    path = tmp_path / "aws_services.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE aws_services (service_name 'text' NOT NULL, aws_account_id 'text' "
                       "NOT NULL, aws_region 'text' NOT NULL, scan_date 'text' NOT NULL, PRIMARY KEY "
                       "(service_name, aws_account_id, aws_region, scan_date))")
    for day in range(1, 8):
        connection.execute("INSERT INTO aws_services VALUES ('inspector', ?, 'us-east-1', ?)",
                           (ACCOUNT, f"2024-05-0{day} 00:00:00.000000"))
    connection.commit()
    connection.close()
    (summary,) = StateReader(path).scope_summaries("aws_services")
    assert summary.rows == 7 and summary.retention == 5 and summary.over_retention
    assert summary.last_key == "2024-05-07 00:00:00.000000"


def test_reading_never_changes_the_file_and_cannot_write(state_path: Path) -> None:
    before = _digest(state_path)
    reader = StateReader(state_path)
    reader.health()
    reader.scope_summaries("cloudtrail")
    reader.last_key(StateScope("cloudtrail", "trail/", ACCOUNT, "us-east-1"), "")
    with pytest.raises(StateDbError) as raised:
        reader._query("DELETE FROM cloudtrail")  # the URI is mode=ro: SQLite itself refuses
    assert "readonly" in raised.value.detail
    assert _digest(state_path) == before
    # No lock is left behind: a writer gets an exclusive lock at once.
    writer = sqlite3.connect(state_path, timeout=0)
    writer.execute("BEGIN EXCLUSIVE")
    writer.rollback()
    writer.close()


def test_missing_and_empty_files(tmp_path: Path) -> None:
    assert StateReader(tmp_path / "none.db").health().health is DbHealth.MISSING
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    assert StateReader(empty).health().health is DbHealth.EMPTY
    missing = StateReader(tmp_path / "none.db")
    assert missing.last_key(StateScope("cloudtrail", "b/", ACCOUNT, "us-east-1"), "") is None
    assert missing.usable  # a missing file is a fresh state, not a problem


def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "s3_cloudtrail.db"
    path.write_text("this is a text file, not SQLite\n" * 10)
    reader = StateReader(path)
    assert reader.health().health is DbHealth.NOT_A_DB


def test_corrupt_database(state_path: Path) -> None:
    data = bytearray(state_path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    data[page_size:] = b"\xde\xad\xbe\xef" * ((len(data) - page_size) // 4)
    state_path.write_bytes(bytes(data))
    reader = StateReader(state_path)
    report = reader.health()
    assert report.health is DbHealth.CORRUPT, report
    assert reader.last_key(StateScope("cloudtrail", "trail/", ACCOUNT, "us-east-1"), "") is None
    assert reader.problem is not None and not reader.usable


def test_locked_database_is_reported_not_waited_on(state_path: Path) -> None:
    holder = sqlite3.connect(state_path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        reader = StateReader(state_path, timeout=0.05)
        report = reader.health()
        assert report.health is DbHealth.LOCKED
        assert "locked" in report.detail
        assert reader.last_key(StateScope("cloudtrail", "trail/", ACCOUNT, "us-east-1"), "") is None
        assert reader.problem is not None and reader.problem.health is DbHealth.LOCKED
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    reader.refresh()
    assert reader.last_key(StateScope("cloudtrail", "trail/", ACCOUNT, "us-east-1"), "") == trail_key("2024/05/03")


def test_unreadable_path(tmp_path: Path) -> None:
    folder = tmp_path / "s3_cloudtrail.db"
    folder.mkdir()
    assert StateReader(folder).health().health is DbHealth.UNREADABLE
