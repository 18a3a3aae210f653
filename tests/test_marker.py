"""The StartAfter marker per type and per Wazuh version."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from diagnostics.layout.marker import (
    MarkerSource,
    compute_marker,
    key_date,
    parse_only_logs_after,
    remove_padding_zeros,
)
from diagnostics.layout.prefixes import BucketLayout
from diagnostics.wazuh.state_db import StateReader
from tests.layout_support import ACCOUNT, VERSIONS, create_state_db, profile, trail_key

TODAY = date(2024, 5, 4)
CT = f"AWSLogs/{ACCOUNT}/CloudTrail/us-east-1/"
CFG = f"AWSLogs/{ACCOUNT}/Config/us-east-1/"
GD = f"AWSLogs/{ACCOUNT}/GuardDuty/us-east-1/"
ALB_EAST = f"AWSLogs/{ACCOUNT}/elasticloadbalancing/us-east-1/"
ALB_WEST = f"AWSLogs/{ACCOUNT}/elasticloadbalancing/eu-west-1/"
CONFIG_KEY = (
    f"{CFG}2024/10/1/ConfigHistory/{ACCOUNT}_Config_us-east-1_ConfigHistory_X_20241001T010101Z_1.json.gz"
)


def _marker(
    tmp_path: Path,
    version: str,
    bucket_type: str,
    rows: dict[str, list[tuple[Any, ...]]] | None = None,
    *,
    path: str | None = None,
    region: str | None = "us-east-1",
    only_logs_after: date | None = None,
    caller: str | None = ACCOUNT,
    reparse: bool = False,
) -> Any:
    layout = BucketLayout.build(bucket_type, "b", path)
    state = StateReader(create_state_db(tmp_path / "s3_cloudtrail.db", rows or {}))
    account = ACCOUNT if layout.iterates_accounts else None
    return compute_marker(
        layout,
        profile=profile(version),
        today=TODAY,
        account=account,
        region=region if layout.iterates_accounts else None,
        state=state,
        only_logs_after=only_logs_after,
        caller_account=caller,
        reparse=reparse,
    )


@pytest.mark.parametrize("version", VERSIONS)
def test_first_run_starts_today(tmp_path: Path, version: str) -> None:
    marker = _marker(tmp_path, version, "cloudtrail")
    assert marker.value == f"{CT}2024/05/04"
    assert marker.source is MarkerSource.TODAY
    assert marker.debug_line == f"+++ Marker: {CT}2024/05/04"
    assert "today" in marker.reason


@pytest.mark.parametrize(
    ("version", "expected", "rewound"),
    [
        ("4.3.10", trail_key("2024/05/03"), False),
        ("4.9.0", trail_key("2024/05/03"), False),
        ("4.14.4", trail_key("2024/05/03"), False),
        ("4.14.7", trail_key("2024/05/03"), False),
        ("5.0.0", f"{CT}2024/05/02", True),  # one day back to re-list late files
    ],
)
def test_cloudtrail_db_marker_and_5_0_rewind(
    tmp_path: Path, version: str, expected: str, rewound: bool
) -> None:
    rows = {
        "cloudtrail": [
            ("b/", ACCOUNT, "us-east-1", trail_key("2024/05/02")),
            ("b/", ACCOUNT, "us-east-1", trail_key("2024/05/03")),
        ]
    }
    marker = _marker(tmp_path, version, "cloudtrail", rows)
    assert marker.value == expected
    assert marker.source is MarkerSource.DATABASE
    assert marker.db_last_key == trail_key("2024/05/03")
    assert any("one day" in text for text in marker.adjustments) is rewound


@pytest.mark.parametrize("version", VERSIONS)
def test_only_logs_after_wins_only_when_later(tmp_path: Path, version: str) -> None:
    rows = {"cloudtrail": [("b/", ACCOUNT, "us-east-1", trail_key("2024/05/03"))]}
    later = _marker(tmp_path, version, "cloudtrail", rows, only_logs_after=date(2024, 5, 10))
    assert later.value == f"{CT}2024/05/10" and later.source is MarkerSource.ONLY_LOGS_AFTER
    assert not later.db_ahead_of_only_logs_after
    earlier = _marker(tmp_path / "x", version, "cloudtrail", rows, only_logs_after=date(2024, 4, 1))
    assert earlier.source is MarkerSource.DATABASE
    assert earlier.db_ahead_of_only_logs_after  # moving only_logs_after back has no effect


def test_only_logs_after_on_an_empty_scope(tmp_path: Path) -> None:
    marker = _marker(tmp_path, "4.14.7", "cloudtrail", only_logs_after=date(2024, 5, 1))
    assert marker.value == f"{CT}2024/05/01"
    assert marker.source is MarkerSource.ONLY_LOGS_AFTER


@pytest.mark.parametrize(
    ("version", "value", "approximate"),
    [
        ("4.3.10", f"{CFG}2024/5/4", True),  # day-by-day walk before 4.8: flagged
        ("4.9.0", f"{CFG}2024/5/4", False),  # unpadded, no year cut yet
        ("4.14.4", f"{CFG}2024/", False),  # cut back to the year folder (4.9.1+)
        ("4.14.7", f"{CFG}2024/", False),
        ("5.0.0", f"{CFG}2024/", False),
    ],
)
def test_config_unpadded_and_year_cut(tmp_path: Path, version: str, value: str, approximate: bool) -> None:
    marker = _marker(tmp_path, version, "config")
    assert marker.value == value
    assert marker.debug_line == f"+++ Marker: {CFG}2024/5/4"  # printed before the cut
    assert marker.approximate is approximate


def test_config_string_comparison_quirk(tmp_path: Path) -> None:
    # '2024/9/15' > '2024/10/1/...' as strings: only_logs_after wins although the DB is newer.
    rows = {"config": [("b/", ACCOUNT, "us-east-1", CONFIG_KEY)]}
    marker = _marker(tmp_path, "4.9.0", "config", rows, only_logs_after=date(2024, 9, 15))
    assert marker.value == f"{CFG}2024/9/15"
    assert marker.source is MarkerSource.ONLY_LOGS_AFTER


@pytest.mark.parametrize(
    ("version", "value", "extra"),
    [
        ("4.9.0", f"{GD}2024/05/03/abc.jsonl.gz", ()),
        ("4.14.4", f"{GD}2024/05/03/abc.jsonl.gz", ()),
        (
            "4.14.7",
            f"{GD}2024/05/03/",
            ((2, f"+++ GuardDuty: Rewound marker to day folder: {GD}2024/05/03/"),),
        ),
        (
            "5.0.0",
            f"{GD}2024/05/03/",
            ((2, f"+++ GuardDuty: Rewound marker to day folder: {GD}2024/05/03/"),),
        ),
    ],
)
def test_guardduty_day_folder_rewind(
    tmp_path: Path, version: str, value: str, extra: tuple[Any, ...]
) -> None:
    rows = {"guardduty": [("b/", ACCOUNT, f"{GD}2024/05/03/abc.jsonl.gz")]}
    marker = _marker(tmp_path, version, "guardduty", rows)
    assert marker.value == value
    assert marker.extra_debug_lines == extra
    assert marker.debug_line == f"+++ Marker: {GD}2024/05/03/abc.jsonl.gz"


def test_guardduty_second_region_reuses_the_first_regions_key(tmp_path: Path) -> None:
    # No aws_region column: the last key of us-east-1 is the marker of us-west-2 too (the module's query).
    rows = {"guardduty": [("b/", ACCOUNT, f"{GD}2024/05/03/abc.jsonl.gz")]}
    marker = _marker(tmp_path, "4.14.7", "guardduty", rows, region="us-west-2")
    assert marker.value == f"{GD}2024/05/03/"
    assert marker.prefix == f"AWSLogs/{ACCOUNT}/GuardDuty/us-west-2/"


@pytest.mark.parametrize(
    ("version", "value", "source"),
    [
        (
            "4.14.7",
            f"{ALB_WEST}2024/05/03/x.log.gz",
            MarkerSource.DATABASE,
        ),  # another region's key (LIKE 'P%')
        ("5.0.0", f"{ALB_EAST}2024/05/04", MarkerSource.TODAY),  # LIKE '<full>%' keeps regions apart
    ],
)
def test_load_balancer_like_restriction(
    tmp_path: Path, version: str, value: str, source: MarkerSource
) -> None:
    rows = {"alb": [("b/", ACCOUNT, f"{ALB_WEST}2024/05/03/x.log.gz")]}
    marker = _marker(tmp_path, version, "alb", rows)
    assert marker.value == value
    assert marker.source is source


@pytest.mark.parametrize("version", VERSIONS)
def test_firehose_custom_markers(tmp_path: Path, version: str) -> None:
    rows = {"custom": [("b/fh/", ACCOUNT, "fh/2024/05/03/07/s-1-2024-05-03-07-16-03-x")]}
    assert (
        _marker(tmp_path, version, "custom", rows, path="fh").value
        == "fh/2024/05/03/07/s-1-2024-05-03-07-16-03-x"
    )
    other = _marker(tmp_path / "o", version, "custom", rows, path="fh", caller="999999999999")
    assert other.value == "fh/2024/05/04"  # the state is keyed by the caller identity's account
    unknown = _marker(tmp_path / "u", version, "custom", rows, path="fh", caller=None)
    assert unknown.approximate and unknown.source is MarkerSource.DATABASE


def test_server_access_dashes_after_the_prefix(tmp_path: Path) -> None:
    assert (
        _marker(tmp_path, "4.14.7", "server_access", path="s3/logs", only_logs_after=date(2024, 5, 1)).value
        == "s3/logs/2024-05-01"
    )
    rows = {"s3_server_access": [("b/s3/logs/", ACCOUNT, "s3/logs/2024/05/03/odd")]}
    marker = _marker(tmp_path / "x", "4.14.7", "server_access", rows, path="s3/logs")
    assert (
        marker.value == "s3/logs/2024-05-03-odd"
    )  # '/' after the prefix become '-', the prefix keeps its '/'
    assert marker.debug_line == "+++ Marker: s3/logs/2024-05-03-odd"


def test_umbrella_dashed_date(tmp_path: Path) -> None:
    assert _marker(tmp_path, "4.14.7", "cisco_umbrella", path="dnslogs").value == "dnslogs/2024-05-04"


def test_leading_slash_path_marker(tmp_path: Path) -> None:
    marker = _marker(tmp_path, "4.14.7", "cloudtrail", path="/trails")
    assert marker.debug_line == f"+++ Marker: /trails/{CT}2024/05/04"


def test_reparse_ignores_the_state(tmp_path: Path) -> None:
    rows = {"cloudtrail": [("b/", ACCOUNT, "us-east-1", trail_key("2024/05/03"))]}
    marker = _marker(tmp_path, "4.14.7", "cloudtrail", rows, only_logs_after=date(2024, 1, 2), reparse=True)
    assert marker.value == f"{CT}2024/01/02" and marker.db_last_key is None


def test_unreadable_state_is_flagged(tmp_path: Path) -> None:
    layout = BucketLayout.build("cloudtrail", "b")
    marker = compute_marker(
        layout,
        profile=profile("4.14.7"),
        today=TODAY,
        account=ACCOUNT,
        region="us-east-1",
        state=None,
        state_problem="locked: database is locked",
    )
    assert marker.approximate and any("locked" in note for note in marker.notes)


def test_helpers() -> None:
    assert parse_only_logs_after("2024-may-01") == date(2024, 5, 1)
    assert parse_only_logs_after(None) is None
    with pytest.raises(ValueError):
        parse_only_logs_after("2024-05-01")
    assert remove_padding_zeros(f"{CFG}2024/01/06") == f"{CFG}2024/1/6"
    assert remove_padding_zeros("0123/no-date") is None
    layout = BucketLayout.build("config", "b")
    assert key_date(layout, CONFIG_KEY, CFG) == date(2024, 10, 1)
