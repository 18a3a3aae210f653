"""Account, region, GuardDuty-layout and flow-log discovery as the module does it, against moto's server."""

from __future__ import annotations

import pytest

from diagnostics.layout.discovery import (
    describe_flow_log_ids,
    diff_flow_logs,
    discover_accounts,
    guardduty_is_native,
    module_check_bucket,
    plan_accounts_and_regions,
)
from diagnostics.layout.prefixes import BucketLayout
from tests.conftest import admin_client
from tests.layout_support import ACCOUNT, OTHER_ACCOUNT, RequestCounter, bulk_seed, seed, trail_key

BUCKET = "trail-bucket"


def test_accounts_are_the_12_digit_folders(moto: str) -> None:
    client = admin_client(moto)
    seed(
        client,
        BUCKET,
        [
            trail_key("2024/05/04"),
            trail_key("2024/05/04", account=OTHER_ACCOUNT),
            "AWSLogs/o-abcdefghij/x",
            "AWSLogs/12345/x",
        ],
    )
    found = discover_accounts(client, BucketLayout.build("cloudtrail", BUCKET))
    assert found.accounts == (ACCOUNT, OTHER_ACCOUNT)
    assert set(found.folders) == {ACCOUNT, OTHER_ACCOUNT, "o-abcdefghij", "12345"}
    assert found.found_folders and not found.first_page_truncated


def test_only_the_first_page_of_accounts_is_read(moto: str) -> None:
    client = admin_client(moto)
    bulk_seed(client, BUCKET, [f"AWSLogs/{n:012d}/CloudTrail/us-east-1/x" for n in range(1005)])
    counter = RequestCounter(client)
    found = discover_accounts(client, BucketLayout.build("cloudtrail", BUCKET))
    assert counter.count() == 1
    assert len(found.accounts) == 1000 and found.first_page_truncated


def test_no_folders_under_the_base_prefix_is_exit_18(moto: str) -> None:
    client = admin_client(moto)
    seed(client, BUCKET, ["logs/AWSLogs/123456789012/CloudTrail/us-east-1/2024/05/04/x.json.gz"])
    plan = plan_accounts_and_regions(client, BucketLayout.build("cloudtrail", BUCKET))
    assert plan.exit_code == 18
    assert plan.exit_message == (
        "No logs found in 'AWSLogs/'. Check the provided prefix and the location of the logs for the bucket "
        "type 'cloudtrail'"
    )


def test_first_accounts_regions_are_reused_for_the_others(moto: str) -> None:
    client = admin_client(moto)
    seed(
        client,
        BUCKET,
        [
            trail_key("2024/05/04", region="us-east-1"),
            trail_key("2024/05/04", account=OTHER_ACCOUNT, region="eu-west-1"),
        ],
    )
    layout = BucketLayout.build("cloudtrail", BUCKET)
    plan = plan_accounts_and_regions(client, layout, list_own_regions=True)
    first, second = plan.accounts
    assert (first.account, first.regions, first.reused_from) == (ACCOUNT, ("us-east-1",), None)
    assert (second.account, second.regions, second.reused_from) == (OTHER_ACCOUNT, ("us-east-1",), ACCOUNT)
    assert second.regions_found == ("eu-west-1",)
    assert second.regions_never_walked == ("eu-west-1",)
    quiet = plan_accounts_and_regions(client, layout)
    assert quiet.requests_made == 2  # the module lists regions once, for the first account only


def test_account_without_regions_is_skipped_and_the_next_one_discovers(moto: str) -> None:
    client = admin_client(moto)
    seed(
        client,
        BUCKET,
        [
            f"AWSLogs/{ACCOUNT}/Config/us-east-1/x",
            trail_key("2024/05/04", account=OTHER_ACCOUNT, region="eu-west-1"),
        ],
    )
    plan = plan_accounts_and_regions(client, BucketLayout.build("cloudtrail", BUCKET))
    skipped, walked = plan.accounts
    assert skipped.skipped and walked.regions == ("eu-west-1",) and walked.reused_from is None
    assert (1, f"+++ No regions found for AWS Account {ACCOUNT}") in plan.debug_lines


def test_configured_accounts_and_regions_skip_discovery(moto: str) -> None:
    client = admin_client(moto)
    seed(client, BUCKET, [trail_key("2024/05/04")])
    counter = RequestCounter(client)
    plan = plan_accounts_and_regions(
        client, BucketLayout.build("cloudtrail", BUCKET), [ACCOUNT], ["eu-west-1", "us-east-1"]
    )
    assert counter.count() == 0
    assert plan.accounts[0].regions == ("eu-west-1", "us-east-1")


def test_discovery_error_is_the_modules_exit_1(moto: str) -> None:
    plan = plan_accounts_and_regions(admin_client(moto), BucketLayout.build("cloudtrail", "no-such-bucket-x"))
    assert plan.exit_code == 1 and plan.exit_debug_only
    assert plan.exit_message is not None and 'The "find_account_ids" request failed' in plan.exit_message
    assert plan.error_code == "NoSuchBucket"


def test_guardduty_layout_test(moto: str) -> None:
    client = admin_client(moto)
    seed(
        client,
        BUCKET,
        ["gd/AWSLogs/123456789012/GuardDuty/us-east-1/2024/05/04/a.jsonl.gz", "fh/2024/05/04/01/x"],
    )
    assert guardduty_is_native(client, BUCKET, "gd/")
    assert not guardduty_is_native(client, BUCKET, "fh/")


@pytest.mark.parametrize(
    ("keys", "bucket_type", "path", "found"),
    [
        (["p/sub/x"], "cloudtrail", "p", True),
        (["p/only-a-file.json.gz"], "cloudtrail", "p", False),  # exit 14: no folder under the path
        (["p/only-a-file"], "server_access", "p", True),  # server_access accepts objects
        ([], "custom", "p", False),
    ],
)
def test_check_bucket(moto: str, keys: list[str], bucket_type: str, path: str, found: bool) -> None:
    client = admin_client(moto)
    seed(client, BUCKET, keys)
    result = module_check_bucket(client, BucketLayout.build(bucket_type, BUCKET, path))
    assert result.found is found and result.requests_made == 1


def test_describe_flow_logs_and_diff(moto: str) -> None:
    s3 = admin_client(moto)
    seed(s3, "flow-bucket", [])
    ec2 = admin_client(moto, "ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    created = ec2.create_flow_logs(
        ResourceIds=[vpc],
        ResourceType="VPC",
        TrafficType="ALL",
        LogDestinationType="s3",
        LogDestination="arn:aws:s3:::flow-bucket",
    )["FlowLogIds"]
    described = describe_flow_log_ids(ec2)
    assert described == tuple(created)
    base = f"AWSLogs/{ACCOUNT}/vpcflowlogs/us-east-1/2024/05/04/{ACCOUNT}_vpcflowlogs_us-east-1_"
    keys = [
        f"{base}{created[0]}_20240504T0000Z_a.log.gz",
        f"{base}fl-0foreign00000000_20240504T0000Z_b.log.gz",
    ]
    diff = diff_flow_logs("us-east-1", keys, described)
    assert diff.never_read == ("fl-0foreign00000000",)
    assert diff.without_keys == ()
    assert diff_flow_logs("us-east-1", [], described).without_keys == tuple(created)
