"""Prefixes per type: the trailing-slash rule, service folders, tables and date folders."""

from __future__ import annotations

from datetime import date

import pytest

from diagnostics.layout.prefixes import (
    BucketLayout,
    Family,
    configured_regions,
    flow_log_id_of,
    invalid_prefix_characters,
    normalize_prefix,
)
from tests.layout_support import ACCOUNT, bucket_block


@pytest.mark.parametrize(("raw", "expected"), [
    (None, ""),
    ("", ""),
    ("cloudtrail", "cloudtrail/"),
    ("cloudtrail/", "cloudtrail/"),
    ("/cloudtrail", "/cloudtrail/"),  # the leading slash is kept: the #4159 trap
    ("/cloudtrail/", "/cloudtrail/"),
    ("a/b", "a/b/"),
])
def test_trailing_slash_rule(raw: str | None, expected: str) -> None:
    assert normalize_prefix(raw) == expected


@pytest.mark.parametrize(("bucket_type", "options", "base", "full", "bucket_path", "table"), [
    ("cloudtrail", {}, "AWSLogs/", f"AWSLogs/{ACCOUNT}/CloudTrail/us-east-1/", "b/", "cloudtrail"),
    ("cloudtrail", {"path": "trails", "path_suffix": "sfx", "aws_organization_id": "o-abcdefghij"},
     "trails/AWSLogs/sfx/o-abcdefghij/", f"trails/AWSLogs/sfx/o-abcdefghij/{ACCOUNT}/CloudTrail/us-east-1/",
     "b/trails/sfx/", "cloudtrail"),
    ("cloudtrail", {"path": "/trails"}, "/trails/AWSLogs/",
     f"/trails/AWSLogs/{ACCOUNT}/CloudTrail/us-east-1/", "b//trails/", "cloudtrail"),
    ("config", {"path": "cfg"}, "cfg/AWSLogs/", f"cfg/AWSLogs/{ACCOUNT}/Config/us-east-1/", "b/cfg/",
     "config"),
    ("vpcflow", {}, "AWSLogs/", f"AWSLogs/{ACCOUNT}/vpcflowlogs/us-east-1/", "b/", "vpcflow"),
    ("guardduty", {"path": "gd", "path_suffix": "x"}, "gd/AWSLogs/x/",
     f"gd/AWSLogs/x/{ACCOUNT}/GuardDuty/us-east-1/", "b/gd/", "guardduty"),
    ("alb", {"path": "lb", "aws_organization_id": "o-abcdefghij"}, "lb/AWSLogs/",
     f"lb/AWSLogs/{ACCOUNT}/elasticloadbalancing/us-east-1/", "b/lb/", "alb"),
    ("nlb", {"path_suffix": "s"}, "AWSLogs/s/", f"AWSLogs/s/{ACCOUNT}/elasticloadbalancing/us-east-1/", "b/",
     "nlb"),
    ("custom", {"path": "firehose"}, "firehose/", "firehose/", "b/firehose/", "custom"),
    ("waf", {}, "", "", "b/", "waf"),
    ("server_access", {"path": "s3logs"}, "s3logs/", "s3logs/", "b/s3logs/", "s3_server_access"),
    ("cisco_umbrella", {"path": "dnslogs"}, "dnslogs/", "dnslogs/", "b/dnslogs/", "cisco_umbrella"),
])
def test_prefixes_per_type(bucket_type: str, options: dict[str, str], base: str, full: str, bucket_path: str,
                           table: str) -> None:
    layout = BucketLayout.from_block(bucket_block(bucket_type, "b", **options))
    assert layout.base_prefix == base
    assert layout.full_prefix(ACCOUNT, "us-east-1") == full
    assert layout.bucket_path == bucket_path
    assert layout.table == table


def test_guardduty_firehose_layout_is_flat() -> None:
    layout = BucketLayout.from_block(bucket_block("guardduty", "b", path="firehose"), native_guardduty=False)
    assert layout.family is Family.FIREHOSE
    assert layout.full_prefix() == "firehose/"
    assert layout.table == "guardduty"


def test_missing_type_is_cloudtrail() -> None:
    assert BucketLayout.from_block(bucket_block(None, "b")).bucket_type == "cloudtrail"


def test_awslogs_full_prefix_needs_account_and_region() -> None:
    with pytest.raises(ValueError, match="account and a region"):
        BucketLayout.build("cloudtrail", "b").full_prefix()


@pytest.mark.parametrize(("bucket_type", "path", "expected"), [
    ("cloudtrail", "", f"AWSLogs/{ACCOUNT}/CloudTrail/us-east-1/2024/05/03/"),
    ("config", "", f"AWSLogs/{ACCOUNT}/Config/us-east-1/2024/5/3/"),  # not zero-padded
    ("custom", "fh", "fh/2024/05/03/"),
    ("cisco_umbrella", "dnslogs", "dnslogs/2024-05-03/"),
    ("server_access", "s3", "s3/2024-05-03-"),
])
def test_day_prefix_formats(bucket_type: str, path: str, expected: str) -> None:
    layout = BucketLayout.build(bucket_type, "b", path)
    assert layout.day_prefix(date(2024, 5, 3), ACCOUNT, "us-east-1") == expected


@pytest.mark.parametrize(("bucket_type", "key", "matches_at_prefix"), [
    ("custom", "fh/2024/05/03/07/stream-1-2024-05-03-07-16-03-abc", True),
    ("custom", "fh/extra/2024/05/03/07/stream-1-2024-05-03-07-16-03-abc", False),
    ("server_access", "s3/2024-05-03-07-16-03-ABCDEF0123456789", True),
    ("server_access", f"s3/{ACCOUNT}/us-east-1/b/2024/05/03/2024-05-03-07-16-03-ABCDEF", False),
])
def test_date_position_rule(bucket_type: str, key: str, matches_at_prefix: bool) -> None:
    layout = BucketLayout.build(bucket_type, "b", key.split("/")[0])
    pattern = layout.date_position_pattern
    assert pattern is not None
    match = pattern.search(key)
    assert (match is not None and match.start() == len(layout.path)) is matches_at_prefix


def test_types_without_date_position_rule() -> None:
    assert BucketLayout.build("cloudtrail", "b").date_position_pattern is None
    assert BucketLayout.build("cisco_umbrella", "b", "dnslogs").date_position_pattern is None
    assert BucketLayout.build("alb", "b").date_position_pattern is not None  # AWSCustomBucket subclass


def test_regions_are_filtered_deduplicated_and_sorted() -> None:
    assert configured_regions("us-west-2, us-east-1,us-west-2,bogus") == ("us-east-1", "us-west-2")


def test_flow_log_id_and_invalid_characters() -> None:
    key = (f"AWSLogs/{ACCOUNT}/vpcflowlogs/us-east-1/2024/05/03/"
           f"{ACCOUNT}_vpcflowlogs_us-east-1_fl-0abc123_20240503T0000Z_aa.log.gz")
    assert flow_log_id_of(key) == "fl-0abc123"
    assert flow_log_id_of("nothing here") is None
    assert invalid_prefix_characters("a{b}&amp;") == ("{", "}", "&amp;")


def test_describe_names_the_date_shape() -> None:
    assert BucketLayout.build("config", "b").describe().endswith("<region>/YYYY/M/D/")
    assert BucketLayout.build("custom", "b", "fh").describe() == "s3://b/fh/YYYY/MM/DD/HH/"
