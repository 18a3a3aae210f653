"""Layout inference from real keys and the block it proposes."""

from __future__ import annotations

import pytest

from diagnostics.layout.inference import (
    InferredLayout,
    compare_with_block,
    infer_from_key,
    infer_layout,
    proposed_block,
    sample_keys,
)
from diagnostics.layout.prefixes import BucketLayout
from tests.conftest import admin_client
from tests.layout_support import ACCOUNT, RequestCounter, bulk_seed, seed, trail_key

ORG = "o-a1b2c3d4e5"


@pytest.mark.parametrize(
    ("key", "bucket_type", "path", "suffix", "org"),
    [
        (trail_key("2024/05/04"), "cloudtrail", "", "", None),
        (trail_key("2024/05/04", prefix="trails/prod/"), "cloudtrail", "trails/prod/", "", None),
        (f"t/AWSLogs/{ORG}/{ACCOUNT}/CloudTrail/us-east-1/2024/05/04/f.json.gz", "cloudtrail", "t/", "", ORG),
        (
            f"AWSLogs/extra/{ORG}/{ACCOUNT}/CloudTrail/us-east-1/2024/05/04/f.json.gz",
            "cloudtrail",
            "",
            "extra/",
            ORG,
        ),
        (f"AWSLogs/{ACCOUNT}/Config/us-east-1/2024/5/4/ConfigHistory/f.json.gz", "config", "", "", None),
        (f"v/AWSLogs/{ACCOUNT}/vpcflowlogs/eu-west-1/2024/05/04/f.log.gz", "vpcflow", "v/", "", None),
        (f"AWSLogs/{ACCOUNT}/GuardDuty/us-east-1/2024/05/04/f.jsonl.gz", "guardduty", "", "", None),
        (
            f"lb/AWSLogs/{ACCOUNT}/elasticloadbalancing/us-east-1/2024/05/04/"
            f"{ACCOUNT}_elasticloadbalancing_us-east-1_app.my-alb.abc_20240504T0000Z_1.2.3.4_x.log.gz",
            "alb",
            "lb/",
            "",
            None,
        ),
        (
            f"AWSLogs/{ACCOUNT}/elasticloadbalancing/us-east-1/2024/05/04/"
            f"{ACCOUNT}_elasticloadbalancing_us-east-1_net.my-nlb.abc_20240504T0000Z_x.log.gz",
            "nlb",
            "",
            "",
            None,
        ),
        (
            f"AWSLogs/{ORG}/{ACCOUNT}/elasticloadbalancing/us-east-1/2024/05/04/"
            f"{ACCOUNT}_elasticloadbalancing_us-east-1_my-clb_20240504T0000Z_1.2.3.4_x.log",
            "clb",
            "",
            f"{ORG}/",  # load balancers have no organization level: it has to be the suffix
            None,
        ),
        ("firehose/2024/05/04/07/stream-1-2024-05-04-07-16-03-abc", "custom", "firehose/", "", None),
        ("2024/05/04/07/stream-1-2024-05-04-07-16-03-abc", "custom", "", "", None),
        ("waf/2024/05/04/07/aws-waf-logs-x-1-2024-05-04-07-16-03-abc", "waf", "waf/", "", None),
        (
            "umbrella/dnslogs/2024-05-04/2024-05-04-07-10-abcd.csv.gz",
            "cisco_umbrella",
            "umbrella/dnslogs/",
            "",
            None,
        ),
        ("s3logs/2024-05-04-07-16-03-0123456789ABCDEF", "server_access", "s3logs/", "", None),
    ],
)
def test_infer_from_key(key: str, bucket_type: str, path: str, suffix: str, org: str | None) -> None:
    found = infer_from_key(key)
    assert found is not None
    assert (found.bucket_type, found.path, found.path_suffix, found.organization_id) == (
        bucket_type,
        path,
        suffix,
        org,
    )


def test_unknown_keys_and_notes() -> None:
    assert infer_from_key("random/file.txt") is None
    digest = infer_from_key(f"AWSLogs/{ACCOUNT}/CloudTrail-Digest/us-east-1/2024/05/04/d.json.gz")
    assert digest is not None and "not logs" in digest.notes[0]
    partitioned = infer_from_key(
        f"s3/{ACCOUNT}/us-east-1/src-bucket/2024/05/04/2024-05-04-07-16-03-0123456789ABCDEF"
    )
    assert partitioned is not None and "partitioned" in partitioned.notes[0]


def test_grouping_counts_and_order() -> None:
    keys = [trail_key("2024/05/04", f"{n:04d}") for n in range(3)] + [
        "fh/2024/05/04/01/s-1-x",
        "junk",
        "dir/",
    ]
    groups = infer_layout(keys)
    assert [(group.bucket_type, group.count) for group in groups] == [("cloudtrail", 3), ("custom", 1)]
    assert groups[0].region == "us-east-1" and groups[0].account == ACCOUNT


@pytest.mark.parametrize(
    ("block", "key", "expected"),
    [
        (
            ("cloudtrail", "/trails"),
            trail_key("2024/05/04", prefix="trails/"),
            [("path", "/trails", "trails")],
        ),
        (
            ("custom", "cloudtrail"),
            trail_key("2024/05/04", prefix="cloudtrail/"),
            [("type", "custom", "cloudtrail")],
        ),
        (
            ("cloudtrail", None),
            f"AWSLogs/{ORG}/{ACCOUNT}/CloudTrail/us-east-1/2024/05/04/f.json.gz",
            [("aws_organization_id", "", ORG)],
        ),
        (("waf", "firehose"), "firehose/2024/05/04/07/stream-1-x", []),  # custom-looking keys suit waf too
        (("guardduty", "firehose"), "firehose/2024/05/04/07/stream-1-x", []),
        (("custom", "fh"), "fh/macie/2024/05/04/07/s-1-x", [("path", "fh", "fh/macie")]),
    ],
)
def test_compare_with_block(
    block: tuple[str, str | None], key: str, expected: list[tuple[str, str, str]]
) -> None:
    inferred = infer_from_key(key)
    assert inferred is not None
    layout = BucketLayout.build(block[0], "b", block[1], native_guardduty=False)
    mismatches = compare_with_block(layout, inferred)
    assert [(m.option, m.configured, m.proposed) for m in mismatches] == expected


def test_proposed_block_lines() -> None:
    inferred = InferredLayout("cloudtrail", "trails/", "sfx/", ORG)
    assert proposed_block("b", inferred) == (
        '<bucket type="cloudtrail">',
        "  <name>b</name>",
        "  <path>trails</path>",
        "  <path_suffix>sfx</path_suffix>",
        f"  <aws_organization_id>{ORG}</aws_organization_id>",
        "</bucket>",
    )


def test_sample_keys_descends_to_logs_within_budget(moto: str) -> None:
    client = admin_client(moto)
    keys = [
        trail_key(f"2024/05/0{day}", f"{n:04d}", prefix="org-trail/") for day in (1, 2, 3) for n in range(30)
    ]
    bulk_seed(client, "sample-bucket", [*keys, *[f"noise/{n}/x" for n in range(50)]])
    seed(client, "sample-bucket", [f"AWSLogs/{ACCOUNT}/CloudTrail-Digest/us-east-1/2024/05/03/d.json.gz"])
    counter = RequestCounter(client)
    sample = sample_keys(client, "sample-bucket", max_requests=20, want=10)
    assert counter.count() == sample.requests_made <= 20
    groups = infer_layout(sample.keys)
    trail = next(group for group in groups if group.path == "org-trail/")
    assert trail.bucket_type == "cloudtrail" and trail.count >= 5
    assert all("2024/05/03" in key for key in sample.keys if key.startswith("org-trail/"))  # newest day first
    assert not any(key.startswith("noise/") for key in sample.keys)
    small = sample_keys(client, "sample-bucket", max_requests=3)
    assert small.requests_made == 3 and small.exhausted
