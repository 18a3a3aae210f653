"""Verdicts per key, type and Wazuh version, with the module's debug line for each."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from diagnostics.layout.classify import KeyClassifier, SkipReason, Verdict, classify_keys, summarize
from diagnostics.layout.prefixes import BucketLayout
from diagnostics.wazuh.state_db import StateReader
from tests.layout_support import ACCOUNT, VERSIONS, create_state_db, profile, trail_key

TODAY = date(2024, 5, 4)
CT = f"AWSLogs/{ACCOUNT}/CloudTrail/us-east-1/"
CFG = f"AWSLogs/{ACCOUNT}/Config/us-east-1/"
GD = f"AWSLogs/{ACCOUNT}/GuardDuty/us-east-1/"
VPC = f"AWSLogs/{ACCOUNT}/vpcflowlogs/us-east-1/"


def vpc_key(flow_id: str, day: str = "2024/05/04") -> str:
    return f"{VPC}{day}/{ACCOUNT}_vpcflowlogs_us-east-1_{flow_id}_{day.replace('/', '')}T0000Z_abcd.log.gz"


def config_key(day: str) -> str:
    return f"{CFG}{day}/ConfigHistory/{ACCOUNT}_Config_us-east-1_ConfigHistory_X_20240501T000000Z_1.json.gz"


def classifier(
    tmp_path: Path,
    version: str,
    bucket_type: str,
    rows: dict[str, list[tuple[Any, ...]]] | None = None,
    *,
    path: str | None = None,
    only_logs_after: date | None = None,
    flow_ids: tuple[str, ...] | None = None,
    plan: dict[str, tuple[str, ...]] | None = None,
) -> KeyClassifier:
    layout = BucketLayout.build(bucket_type, "b", path)
    state = StateReader(create_state_db(tmp_path / "s3_cloudtrail.db", rows or {}))
    return KeyClassifier(
        layout,
        profile=profile(version),
        today=TODAY,
        state=state,
        only_logs_after=only_logs_after,
        caller_account=ACCOUNT,
        plan=plan,
        flow_log_ids=None if flow_ids is None else (lambda region: flow_ids),
    )


TRAIL_ROWS = {
    "cloudtrail": [
        ("b/", ACCOUNT, "us-east-1", trail_key("2024/05/02", "2300")),
        ("b/", ACCOUNT, "us-east-1", trail_key("2024/05/03", "0100")),
    ]
}


@pytest.mark.parametrize(
    ("version", "key", "verdict", "reason", "line", "level"),
    [
        # Late file on 05/02 with no state row: 4.x never sees it; 5.0's one-day rewind lists it again.
        ("4.14.7", trail_key("2024/05/02", "1200"), Verdict.SKIPPED, SkipReason.BEFORE_MARKER, None, None),
        ("5.0.0", trail_key("2024/05/02", "1200"), Verdict.READ, None, "++ Found new log: {key}", 2),
        # Already read, below the marker: not listed again.
        ("4.14.7", trail_key("2024/05/02", "2300"), Verdict.PROCESSED, None, None, None),
        # 5.0 re-lists it and skips it as previously processed.
        (
            "5.0.0",
            trail_key("2024/05/02", "2300"),
            Verdict.PROCESSED,
            None,
            "++ Skipping previously processed file: {key}",
            1,
        ),
        ("4.3.10", trail_key("2024/05/03", "0200"), Verdict.READ, None, "++ Found new log: {key}", 2),
        ("4.9.0", f"{CT}2024/05/04/", Verdict.SKIPPED, SkipReason.FOLDER, None, None),
        (
            "4.14.4",
            f"AWSLogs/{ACCOUNT}/CloudTrail-Digest/us-east-1/2024/05/04/d.json.gz",
            Verdict.SKIPPED,
            SkipReason.OUTSIDE_LISTING,
            None,
            None,
        ),
        ("4.14.4", "elsewhere/file.json.gz", Verdict.SKIPPED, SkipReason.OUTSIDE_LISTING, None, None),
    ],
)
def test_cloudtrail_verdicts(
    tmp_path: Path,
    version: str,
    key: str,
    verdict: Verdict,
    reason: SkipReason | None,
    line: str | None,
    level: int | None,
) -> None:
    result = classifier(tmp_path, version, "cloudtrail", TRAIL_ROWS).classify(key)
    assert (result.verdict, result.reason) == (verdict, reason), result.explanation
    assert result.debug_line == (line.format(key=key) if line else None)
    assert result.debug_level == level


@pytest.mark.parametrize("version", VERSIONS)
def test_firehose_date_position_rule(tmp_path: Path, version: str) -> None:
    check = classifier(tmp_path, version, "custom", path="firehose")
    good = check.classify("firehose/2024/05/04/07/s-1-2024-05-04-07-16-03-abc")
    assert good.verdict is Verdict.READ
    key = "firehose/macie/2024/05/04/07/s-1-2024-05-04-07-16-03-abc"
    bad = check.classify(key)
    assert bad.reason is SkipReason.OTHER_PREFIX
    assert (bad.debug_line, bad.debug_level) == (f"++ Skipping file with another prefix: {key}", 3)
    assert check.classify("firehose/2024/05/03/23/old").reason is SkipReason.BEFORE_MARKER


def test_leading_slash_path_never_matches(tmp_path: Path) -> None:
    result = classifier(tmp_path, "4.14.7", "custom", path="/firehose").classify("firehose/2024/05/04/07/x")
    assert result.reason is SkipReason.OUTSIDE_LISTING
    assert "'/firehose/'" in result.explanation


def test_server_access_pattern_and_level(tmp_path: Path) -> None:
    rows = {"s3_server_access": [("b/s3/", ACCOUNT, "s3/2024-05-04-01-00-00-AAAA")]}
    check = classifier(tmp_path, "4.14.7", "server_access", rows, path="s3")
    partitioned = f"s3/{ACCOUNT}/us-east-1/src/2024/05/04/2024-05-04-05-00-00-BBBB"
    # It sorts before the marker ('s3/1...' < 's3/2...'): StartAfter never lists it, so no log line at all.
    result = check.classify(partitioned)
    assert result.reason is SkipReason.OTHER_PREFIX and result.debug_line is None
    assert "never even listed" in result.explanation
    processed = check.classify("s3/2024-05-04-01-00-00-AAAA")
    assert processed.verdict is Verdict.PROCESSED  # below the marker, read before
    new = check.classify("s3/2024-05-04-09-00-00-CCCC")
    assert new.verdict is Verdict.READ


def test_server_access_processed_line_is_debug_2(tmp_path: Path) -> None:
    rows = {"s3_server_access": [("b/s3/", ACCOUNT, "s3/2024-05-04-01-00-00-AAAA")]}
    check = classifier(tmp_path, "4.14.7", "server_access", rows, path="s3")
    scope, _ = check.scope_of("s3/2024-05-04-01-00-00-AAAA")
    assert scope is not None
    result = check.classify("s3/2024-05-04-01-00-00-AAAA", scope=scope, listed_after="s3/2024-05-04")
    assert result.verdict is Verdict.PROCESSED and result.debug_level == 2


def test_vpc_flow_log_filter(tmp_path: Path) -> None:
    check = classifier(tmp_path, "4.14.7", "vpcflow", flow_ids=("fl-known",))
    assert check.classify(vpc_key("fl-known")).verdict is Verdict.READ
    unknown = check.classify(vpc_key("fl-foreign"))
    assert unknown.reason is SkipReason.UNKNOWN_FLOW_LOG and unknown.debug_line is None
    assert unknown.verdict is Verdict.SKIPPED


def test_vpc_scope_per_flow_log(tmp_path: Path) -> None:
    rows = {"vpcflow": [("b/", ACCOUNT, "us-east-1", "fl-a", vpc_key("fl-a", "2024/05/04"))]}
    check = classifier(tmp_path, "4.14.7", "vpcflow", rows, flow_ids=("fl-a", "fl-b"))
    # fl-b has no state: its marker is today, so its 05/04 file is read; fl-a's marker is its last key.
    assert check.classify(vpc_key("fl-b", "2024/05/04")).verdict is Verdict.READ
    assert check.classify(vpc_key("fl-a", "2024/05/04")).verdict is Verdict.PROCESSED


@pytest.mark.parametrize(
    ("version", "reason"),
    [
        ("4.9.0", SkipReason.BEFORE_ONLY_LOGS_AFTER),  # the only_logs_after marker '.../2024/5/2' excludes it
        ("4.14.7", SkipReason.CONFIG_BEFORE_ONLY_LOGS_AFTER),  # year relist, then the date filter drops it
        ("5.0.0", SkipReason.CONFIG_BEFORE_ONLY_LOGS_AFTER),
    ],
)
def test_config_date_filter(tmp_path: Path, version: str, reason: SkipReason) -> None:
    check = classifier(tmp_path, version, "config", only_logs_after=date(2024, 5, 2))
    assert check.classify(config_key("2024/5/1")).reason is reason
    assert check.classify(config_key("2024/5/3")).verdict is Verdict.READ


@pytest.mark.parametrize(("version", "verdict"), [("4.14.4", Verdict.SKIPPED), ("4.14.7", Verdict.READ)])
def test_guardduty_day_rewind_catches_same_day_late_files(
    tmp_path: Path, version: str, verdict: Verdict
) -> None:
    rows = {"guardduty": [("b/", ACCOUNT, f"{GD}2024/05/03/bbbb.jsonl.gz")]}
    check = classifier(tmp_path, version, "guardduty", rows)
    assert check.classify(f"{GD}2024/05/03/aaaa.jsonl.gz").verdict is verdict
    assert check.classify(f"{GD}2024/05/03/bbbb.jsonl.gz").verdict is Verdict.PROCESSED


def test_plan_limits_accounts_and_regions(tmp_path: Path) -> None:
    check = classifier(tmp_path, "4.14.7", "cloudtrail", plan={ACCOUNT: ("us-east-1",)})
    west = check.classify(trail_key("2024/05/04", region="eu-west-1"))
    assert west.reason is SkipReason.OUTSIDE_LISTING and "eu-west-1" in west.explanation
    other = check.classify(trail_key("2024/05/04", account="210987654321"))
    assert other.reason is SkipReason.OUTSIDE_LISTING


def test_summary_counts(tmp_path: Path) -> None:
    check = classifier(tmp_path, "4.14.7", "cloudtrail", TRAIL_ROWS)
    results = classify_keys(
        check, [trail_key("2024/05/04"), trail_key("2024/05/02", "1200"), f"{CT}2024/05/04/", "other/x"]
    )
    assert summarize(results) == {
        "read": 1,
        "skipped:before_marker": 1,
        "skipped:folder": 1,
        "skipped:outside_listing": 1,
    }
    assert all(result.marker is None or result.marker.startswith(CT) for result in results)
