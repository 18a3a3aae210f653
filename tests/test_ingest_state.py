"""Our own state database: the module's schema, queries and 500-row retention, never Wazuh's file."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest

from diagnostics.ingest.state import (
    IngestState,
    StateError,
    StateScope,
    created_date_for,
    default_state_dir,
)

CT = StateScope("cloudtrail", "trail/", "123456789012", "us-east-1")
CUSTOM = StateScope("custom", "fh/logs/", "123456789012")
PREFIX = "AWSLogs/123456789012/CloudTrail/us-east-1/"


def _key(day: int, n: int) -> str:
    name = f"123456789012_CloudTrail_us-east-1_202405{day:02d}T0000Z_{n:04d}.json.gz"
    return f"{PREFIX}2024/05/{day:02d}/{name}"


def test_schema_matches_the_module(tmp_path: Path) -> None:
    with IngestState.open(tmp_path, version="4.14.7") as state:
        assert state.ensure_table("cloudtrail") is True
        assert state.ensure_table("cloudtrail") is False
        state.ensure_table("vpcflow")
        state.ensure_table("custom")
    connection = sqlite3.connect(tmp_path / "s3_cloudtrail.db")
    columns = {table: [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
               for table in ("cloudtrail", "vpcflow", "custom", "metadata")}
    assert columns["cloudtrail"] == ["bucket_path", "aws_account_id", "aws_region", "log_key",
                                     "processed_date", "created_date"]
    assert columns["vpcflow"][:5] == ["bucket_path", "aws_account_id", "aws_region", "flow_log_id", "log_key"]
    assert "aws_region" not in columns["custom"]
    assert connection.execute("SELECT value FROM metadata WHERE key='version'").fetchone() == ("4.14.7",)


def test_mark_check_and_last_key(tmp_path: Path) -> None:
    with IngestState.open(tmp_path, version="x") as state:
        assert state.last_key(CT, PREFIX) is None
        state.mark_complete(CT, _key(1, 1), 20240501)
        state.mark_complete(CT, _key(2, 1), 20240502)
        assert state.already_processed(CT, _key(1, 1))
        assert not state.already_processed(CT, _key(3, 1))
        assert state.last_key(CT, PREFIX) == _key(2, 1)
        other_region = StateScope("cloudtrail", "trail/", "123456789012", "eu-west-1")
        assert not state.already_processed(other_region, _key(1, 1))
        assert state.last_key(CT, "AWSLogs/other/") is None
    # Marks are committed as they are made: a second connection sees them.
    with IngestState.open(tmp_path, version="x") as again:
        assert again.keys(CT) == [_key(1, 1), _key(2, 1)]


def test_retention_keeps_500_newest_per_scope(tmp_path: Path) -> None:
    with IngestState.open(tmp_path, version="x") as state:
        keys = [_key(1 + n // 100, n) for n in range(503)]
        for key in keys:
            state.mark_complete(CT, key, 20240501)
        state.mark_complete(CUSTOM, "logs/2024/05/01/00/a", 20240501)
        assert state.db_maintenance(CT) == 3
        assert state.keys(CT) == sorted(keys)[3:]
        assert state.count(CT) == 500
        assert state.db_maintenance(CUSTOM) == 0


def test_reset_starts_over(tmp_path: Path) -> None:
    with IngestState.open(tmp_path, version="x") as state:
        state.mark_complete(CT, _key(1, 1), 20240501)
    with IngestState.open(tmp_path, version="x", reset=True) as state:
        assert state.keys(CT) == []


def test_from_wazuh_state_copies_read_only(tmp_path: Path) -> None:
    wazuh_home = tmp_path / "ossec"
    wazuh_db = wazuh_home / "wodles" / "aws" / "s3_cloudtrail.db"
    with IngestState.open(wazuh_db.parent, version="4.14.7") as module_state:
        module_state.mark_complete(CT, _key(5, 1), 20240505)
    wazuh_db.chmod(0o444)
    before = wazuh_db.read_bytes()
    with IngestState.from_wazuh_state(wazuh_db, tmp_path / "cache", version="4.14.7") as ours:
        assert ours.last_key(CT, PREFIX) == _key(5, 1)
        ours.mark_complete(CT, _key(6, 1), 20240506)
    assert wazuh_db.read_bytes() == before
    assert not (wazuh_db.parent / "s3_cloudtrail.db-journal").exists()


def test_refuses_the_module_own_file(tmp_path: Path) -> None:
    wazuh_db = tmp_path / "wodles" / "aws" / "s3_cloudtrail.db"
    wazuh_db.parent.mkdir(parents=True)
    wazuh_db.touch()
    with pytest.raises(StateError, match="module's own"):
        IngestState.open(wazuh_db.parent, version="x", forbidden=wazuh_db)
    with pytest.raises(StateError, match="module's own"):
        IngestState.from_wazuh_state(wazuh_db, wazuh_db.parent, version="x")
    with pytest.raises(StateError, match="does not exist"):
        IngestState.from_wazuh_state(tmp_path / "missing.db", tmp_path / "cache", version="x")


def test_created_date_rules() -> None:
    assert created_date_for("cloudtrail", _key(7, 1), None) == 20240507
    assert created_date_for("custom", "fh/2024/05/08/09/stream-1-2024-05-08-09-00-00-abc", None) == 20240508
    assert created_date_for("s3_server_access", "sa/2024-05-09-10-00-00-ABC", None) == 20240509
    stamp = datetime(2024, 5, 10, tzinfo=timezone.utc)
    assert created_date_for("custom", "fh/nodate", stamp) == 20240510
    with pytest.raises(ValueError):
        created_date_for("cloudtrail", "AWSLogs/odd.json.gz", None)


def test_default_state_dir_is_the_user_cache() -> None:
    assert default_state_dir({"XDG_CACHE_HOME": "/x/cache"}) == Path("/x/cache/wazuh-aws-doctor")
    assert default_state_dir({"HOME": "/home/u"}) == Path("/home/u/.cache/wazuh-aws-doctor")
