"""check_layout end to end against moto: the findings an admin sees for each layout problem."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from diagnostics.findings import Finding, Status
from diagnostics.layout.checks import check_layout
from diagnostics.wazuh.state_db import StateReader
from tests.conftest import admin_client
from tests.layout_support import (
    ACCOUNT,
    OTHER_ACCOUNT,
    bucket_block,
    bulk_seed,
    context,
    create_state_db,
    seed,
    trail_key,
)

BUCKET = "layout-bucket"


def by_id(findings: tuple[Finding, ...]) -> dict[str, Finding]:
    return {finding.failure_id or finding.check_id: finding for finding in findings}


def state_file(tmp_path: Path) -> Path:
    return tmp_path / "wodles" / "aws" / "s3_cloudtrail.db"


def test_healthy_trail_on_its_first_run(moto: str, tmp_path: Path) -> None:
    client = admin_client(moto)
    seed(client, BUCKET, [trail_key("2024/05/01"), trail_key("2024/05/03"), trail_key("2024/05/04")])
    findings = check_layout(client, bucket_block("cloudtrail", BUCKET), context(tmp_path), None)
    found = by_id(findings)
    assert found["layout.prefixes"].status is Status.OK
    assert found["layout.state_missing"].status is Status.OK
    assert found["layout.matches_keys"].status is Status.OK
    assert ACCOUNT in found["layout.accounts_found"].title
    marker = found["layout.marker"]
    assert (
        marker.title == f"{ACCOUNT}/us-east-1: starts after AWSLogs/{ACCOUNT}/CloudTrail/us-east-1/2024/05/04"
    )
    assert "1 file(s) sort after it" in marker.explanation
    assert marker.details["debug_line"] == f"+++ Marker: AWSLogs/{ACCOUNT}/CloudTrail/us-east-1/2024/05/04"
    first_run = found["layout.first_run_today"]
    assert first_run.status is Status.WARNING
    assert "2 older file(s) are never read" in first_run.explanation
    assert "<only_logs_after>2024-MAY-01</only_logs_after>" in first_run.fix
    assert all(finding.status is not Status.ERROR for finding in findings)


def test_wrong_path_is_exit_18_with_a_proposed_block(moto: str, tmp_path: Path) -> None:
    client = admin_client(moto)
    seed(client, BUCKET, [trail_key("2024/05/04", prefix="trails/prod/")])
    found = by_id(check_layout(client, bucket_block("cloudtrail", BUCKET), context(tmp_path), None))
    exit_18 = found["layout.no_logs_found"]
    assert exit_18.status is Status.ERROR and exit_18.wazuh_exit_code == 18
    assert exit_18.ossec_log[-1].endswith(
        "WARNING: Bucket:  -  No logs found in 'AWSLogs/'. Check the provided prefix and the location of the "
        "logs for the bucket type 'cloudtrail'"
    )
    mismatch = found["layout.block_mismatch"]
    assert "path 'trails/prod'" in mismatch.title
    assert "<path>trails/prod</path>" in mismatch.fix


def test_leading_slash_path(moto: str, tmp_path: Path) -> None:
    client = admin_client(moto)
    seed(client, BUCKET, [trail_key("2024/05/04", prefix="trails/")])
    found = by_id(
        check_layout(client, bucket_block("cloudtrail", BUCKET, path="/trails"), context(tmp_path), None)
    )
    assert "<path>trails</path>" in found["layout.leading_slash"].fix
    assert found["layout.no_logs_found"].wazuh_exit_code == 18
    assert found["layout.block_mismatch"].status is Status.ERROR


def test_guardduty_firehose_per_version(moto: str, tmp_path: Path) -> None:
    client = admin_client(moto)
    seed(client, BUCKET, ["fh/2024/05/04/01/gd-1-2024-05-04-01-00-00-abc"])
    block = bucket_block("guardduty", BUCKET, path="fh")
    new = by_id(check_layout(client, block, context(tmp_path, "5.0.0"), None, caller_account=ACCOUNT))
    unsupported = new["layout.guardduty_firehose_unsupported"]
    assert unsupported.wazuh_exit_code == 12
    assert any(line.endswith("WARNING: Bucket:  -  Invalid type of bucket") for line in unsupported.ossec_log)
    debug = by_id(check_layout(client, block, context(tmp_path, "5.0.0", debug_level=2), None))
    assert debug["layout.guardduty_firehose_unsupported"].wazuh_exit_code == 12  # sys.exit(12), even at -d 2
    old = by_id(check_layout(client, block, context(tmp_path, "4.14.7"), None, caller_account=ACCOUNT))
    assert old["layout.guardduty_firehose_deprecated"].status is Status.WARNING


def test_late_file_below_the_marker(moto: str, tmp_path: Path) -> None:
    client = admin_client(moto)
    late = trail_key("2024/05/03", "0030")
    seed(client, BUCKET, [late, trail_key("2024/05/03", "0100"), trail_key("2024/05/03", "0200")])
    rows = {
        "cloudtrail": [
            (f"{BUCKET}/", ACCOUNT, "us-east-1", trail_key("2024/05/03", "0100")),
            (f"{BUCKET}/", ACCOUNT, "us-east-1", trail_key("2024/05/03", "0000")),
        ]
    }
    create_state_db(state_file(tmp_path), rows)
    found = by_id(check_layout(client, bucket_block("cloudtrail", BUCKET), context(tmp_path), None))
    never = found["layout.never_read_below_marker"]
    assert never.status is Status.WARNING and late in never.explanation
    assert "--reparse" in never.fix and "--only_logs_after 2024-MAY-01" in never.fix
    assert found["layout.state_ok"].title == f"State for {BUCKET}/: 2 row(s) in 1 scope(s)"
    rewinding = by_id(
        check_layout(client, bucket_block("cloudtrail", BUCKET), context(tmp_path, "5.0.0"), None)
    )
    assert "layout.never_read_below_marker" not in rewinding  # 5.0 lists the previous day again


def test_only_logs_after_behind_the_state(moto: str, tmp_path: Path) -> None:
    client = admin_client(moto)
    seed(client, BUCKET, [trail_key("2024/05/03", "0100")])
    rows = {"cloudtrail": [(f"{BUCKET}/", ACCOUNT, "us-east-1", trail_key("2024/05/03", "0100"))]}
    create_state_db(state_file(tmp_path), rows)
    block = bucket_block("cloudtrail", BUCKET, only_logs_after="2024-JAN-01")
    found = by_id(check_layout(client, block, context(tmp_path), None))
    ignored = found["layout.only_logs_after_ignored"]
    assert "2024-JAN-01" in ignored.title
    assert ignored.location is not None and ignored.location.line == block.line_of("only_logs_after").line


def test_region_reuse_warning(moto: str, tmp_path: Path) -> None:
    client = admin_client(moto)
    seed(
        client,
        BUCKET,
        [trail_key("2024/05/04"), trail_key("2024/05/04", account=OTHER_ACCOUNT, region="eu-west-1")],
    )
    found = by_id(
        check_layout(client, bucket_block("cloudtrail", BUCKET), context(tmp_path), None, sample=False)
    )
    reused = found["layout.regions_reused"]
    assert "eu-west-1" in reused.title and "<regions>eu-west-1,us-east-1</regions>" in reused.fix


def test_locked_and_corrupt_state_databases(moto: str, tmp_path: Path) -> None:
    client = admin_client(moto)
    seed(client, BUCKET, [trail_key("2024/05/04")])
    path = create_state_db(state_file(tmp_path), {})
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        found = by_id(
            check_layout(
                client,
                bucket_block("cloudtrail", BUCKET),
                context(tmp_path),
                StateReader(path, timeout=0.05),
                sample=False,
            )
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    locked = found["host.state_db_locked"]
    assert locked.status is Status.ERROR and locked.wazuh_exit_code is not None
    assert "layout.marker" in found  # the marker is still shown (state treated as empty, flagged)
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 84 + b"garbage" * 200)
    damaged = by_id(
        check_layout(client, bucket_block("cloudtrail", BUCKET), context(tmp_path), None, sample=False)
    )["layout.state_damaged"]
    assert damaged.wazuh_exit_code == 5
    assert str(path) in damaged.ossec_log[-1] or str(path) in damaged.explanation


def test_state_over_retention(moto: str, tmp_path: Path) -> None:
    client = admin_client(moto)
    seed(client, BUCKET, [trail_key("2024/05/04")])
    rows = [(f"{BUCKET}/", ACCOUNT, "us-east-1", trail_key("2024/05/03", f"{n:04d}")) for n in range(520)]
    create_state_db(state_file(tmp_path), {"cloudtrail": rows})
    found = by_id(
        check_layout(client, bucket_block("cloudtrail", BUCKET), context(tmp_path), None, sample=False)
    )
    assert "520 rows" in found["layout.state_over_retention"].title


def test_custom_keys_with_another_prefix(moto: str, tmp_path: Path) -> None:
    client = admin_client(moto)
    seed(client, BUCKET, ["fh/macie/2024/05/04/07/s-1-2024-05-04-07-00-00-a", "fh/macie/2024/05/04/08/s-1-b"])
    found = by_id(
        check_layout(
            client, bucket_block("custom", BUCKET, path="fh"), context(tmp_path), None, caller_account=ACCOUNT
        )
    )
    assert found["layout.block_mismatch"].fix.count("<path>fh/macie</path>") == 1
    other = found["layout.other_prefix"]
    assert other.title == "2 sampled key(s) are skipped as 'another prefix'"


def test_vpc_flow_logs_of_another_account(moto: str, tmp_path: Path) -> None:
    s3 = admin_client(moto)
    seed(s3, BUCKET, [])
    ec2 = admin_client(moto, "ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    (ours,) = ec2.create_flow_logs(
        ResourceIds=[vpc],
        ResourceType="VPC",
        TrafficType="ALL",
        LogDestinationType="s3",
        LogDestination=f"arn:aws:s3:::{BUCKET}",
    )["FlowLogIds"]
    base = f"AWSLogs/{ACCOUNT}/vpcflowlogs/us-east-1/2024/05/04/{ACCOUNT}_vpcflowlogs_us-east-1_"
    seed(
        s3,
        BUCKET,
        [f"{base}{ours}_20240504T0000Z_a.log.gz", f"{base}fl-0aaaabbbbcccc1111_20240504T0000Z_b.log.gz"],
    )
    found = by_id(
        check_layout(
            s3,
            bucket_block("vpcflow", BUCKET),
            context(tmp_path),
            None,
            sample=False,
            ec2_client_for=lambda region: ec2,  # one region here; building EC2 clients is slow
        )
    )
    unknown = found["layout.unknown_flow_logs"]
    assert "fl-0aaaabbbbcccc1111" in unknown.title and ours in unknown.explanation
    assert ours in found["layout.marker"].title


def test_volume_projection(moto: str, tmp_path: Path) -> None:
    client = admin_client(moto)
    bulk_seed(client, BUCKET, [trail_key("2024/05/04", f"{n:04d}") for n in range(300)], body=b"x" * 2048)
    found = by_id(
        check_layout(
            client,
            bucket_block("cloudtrail", BUCKET),
            context(tmp_path),
            None,
            sample=False,
            include_volume=True,
            interval="5",
        )
    )
    volume = found["layout.volume"]
    assert volume.title.startswith("About 300 file(s) (600.0 KB) per day")
    assert "a caught-up run every 5 s takes about 0 s" in volume.explanation
    assert "layout.interval_overtaken" not in found  # 300 files a day is far below one file per 0.1 s


def test_umbrella_path_without_log_kind(moto: str, tmp_path: Path) -> None:
    client = admin_client(moto)
    seed(client, BUCKET, ["umbrella/2024-05-04/2024-05-04-00-10-abcd.csv.gz"])
    found = by_id(
        check_layout(
            client,
            bucket_block("cisco_umbrella", BUCKET, path="umbrella"),
            context(tmp_path),
            None,
            caller_account=ACCOUNT,
            sample=False,
        )
    )
    assert found["layout.umbrella_path"].wazuh_exit_code == 12


def test_other_blocks_and_listing_failures(moto: str, tmp_path: Path) -> None:
    client = admin_client(moto)
    service = bucket_block("cloudwatchlogs")
    assert (
        check_layout(
            client,
            service.__class__(kind="service", block_type="cloudwatchlogs", location=service.location),
            context(tmp_path),
            None,
        )
        == ()
    )
    found = by_id(
        check_layout(client, bucket_block("cloudtrail", "no-such-bucket-z"), context(tmp_path), None)
    )
    assert found["layout.check_incomplete"].status is Status.SKIPPED
