"""The module's walk over a bucket, against moto: its requests, order, markers, quirks and exits."""

from __future__ import annotations

import threading
from pathlib import Path

from diagnostics.layout.classify import ClassifiedKey, SkipReason, Verdict
from diagnostics.layout.module_walk import (
    ScopeFinished,
    ScopeStarted,
    WalkNote,
    WalkStopped,
    module_view,
    walk_module,
)
from diagnostics.wazuh.state_db import StateReader
from tests.conftest import admin_client
from tests.layout_support import (
    ACCOUNT,
    OTHER_ACCOUNT,
    RequestCounter,
    bucket_block,
    bulk_seed,
    context,
    create_state_db,
    seed,
    trail_key,
)

BUCKET = "walk-bucket"
CT = f"AWSLogs/{ACCOUNT}/CloudTrail/us-east-1/"


def _state(tmp_path: Path, rows: dict[str, list[tuple[str, ...]]]) -> StateReader:
    return StateReader(create_state_db(tmp_path / "wodles" / "aws" / "s3_cloudtrail.db", rows))


TRAIL_KEYS = [
    trail_key("2024/05/02", "1200"),  # late upload below the 4.x marker
    trail_key("2024/05/02", "2300"),
    trail_key("2024/05/03", "0100"),
    trail_key("2024/05/03", "0200"),
    trail_key("2024/05/04", "0000"),
]
TRAIL_ROWS = {
    "cloudtrail": [
        ("walk-bucket/", ACCOUNT, "us-east-1", trail_key("2024/05/02", "2300")),
        ("walk-bucket/", ACCOUNT, "us-east-1", trail_key("2024/05/03", "0100")),
    ]
}


def test_cloudtrail_walk_4x_starts_after_the_last_key(moto: str, tmp_path: Path) -> None:
    client = admin_client(moto)
    seed(client, BUCKET, TRAIL_KEYS)
    events = list(
        walk_module(
            client, bucket_block("cloudtrail", BUCKET), context(tmp_path), _state(tmp_path, TRAIL_ROWS)
        )
    )
    started = [event for event in events if isinstance(event, ScopeStarted)]
    assert len(started) == 1
    assert started[0].marker.value == trail_key("2024/05/03", "0100")
    assert (1, f"+++ Working on {ACCOUNT} - us-east-1") in started[0].debug_lines
    assert (2, f"+++ Marker: {trail_key('2024/05/03', '0100')}") in started[0].debug_lines
    keys = [(event.key, event.verdict) for event in events if isinstance(event, ClassifiedKey)]
    assert keys == [
        (trail_key("2024/05/03", "0200"), Verdict.READ),
        (trail_key("2024/05/04", "0000"), Verdict.READ),
    ]
    finished = [event for event in events if isinstance(event, ScopeFinished)]
    assert finished[0].read == 2 and finished[0].requests_made == 1


def test_cloudtrail_walk_5_0_rewinds_and_catches_the_late_file(moto: str, tmp_path: Path) -> None:
    client = admin_client(moto)
    seed(client, BUCKET, TRAIL_KEYS)
    keys = list(
        module_view(
            client,
            bucket_block("cloudtrail", BUCKET),
            context(tmp_path, "5.0.0"),
            _state(tmp_path, TRAIL_ROWS),
        )
    )
    verdicts = [(key.key, key.verdict, key.debug_line) for key in keys]
    late = trail_key("2024/05/02", "1200")
    assert verdicts[0] == (late, Verdict.READ, f"++ Found new log: {late}")
    processed = trail_key("2024/05/02", "2300")
    assert verdicts[1] == (
        processed,
        Verdict.PROCESSED,
        f"++ Skipping previously processed file: {processed}",
    )
    assert [key for key, verdict, _ in verdicts if verdict is Verdict.READ] == [
        late,
        trail_key("2024/05/03", "0200"),
        trail_key("2024/05/04", "0000"),
    ]


def test_pagination_uses_start_after_once_then_tokens(moto: str, tmp_path: Path) -> None:
    client = admin_client(moto)
    bulk_seed(client, BUCKET, [trail_key("2024/05/04", f"{n:04d}") for n in range(2001)])
    counter = RequestCounter(client)
    events = list(
        walk_module(
            client,
            bucket_block("cloudtrail", BUCKET, aws_account_id=ACCOUNT, regions="us-east-1"),
            context(tmp_path),
            None,
        )
    )
    calls = counter.listed()
    scope_calls = [call for call in calls if call.get("Prefix") == CT]
    assert len(scope_calls) == 3
    assert scope_calls[0]["StartAfter"] == f"{CT}2024/05/04" and scope_calls[0]["MaxKeys"] == 1000
    assert all("StartAfter" not in call and "ContinuationToken" in call for call in scope_calls[1:])
    finished = next(event for event in events if isinstance(event, ScopeFinished))
    assert finished.read == 2001 and finished.requests_made == 3


def test_region_reuse_hides_the_second_accounts_regions(moto: str, tmp_path: Path) -> None:
    client = admin_client(moto)
    west = trail_key("2024/05/04", account=OTHER_ACCOUNT, region="eu-west-1")
    seed(client, BUCKET, [trail_key("2024/05/04"), west])
    events = list(walk_module(client, bucket_block("cloudtrail", BUCKET), context(tmp_path), None))
    scopes = [
        (event.scope.account, event.scope.region) for event in events if isinstance(event, ScopeStarted)
    ]
    assert scopes == [(ACCOUNT, "us-east-1"), (OTHER_ACCOUNT, "us-east-1")]
    assert west not in [event.key for event in events if isinstance(event, ClassifiedKey)]


def test_exit_18_and_exit_14(moto: str, tmp_path: Path) -> None:
    client = admin_client(moto)
    seed(client, BUCKET, ["other/AWSLogs/x/y", "p/file-only.json"])
    (stop,) = [e for e in walk_module(client, bucket_block("cloudtrail", BUCKET), context(tmp_path), None)]
    assert isinstance(stop, WalkStopped) and stop.exit_code == 18
    (stop,) = list(walk_module(client, bucket_block("cloudtrail", BUCKET, path="p"), context(tmp_path), None))
    assert isinstance(stop, WalkStopped) and stop.exit_code == 14
    assert stop.script_message == "ERROR: No files were found in 'walk-bucket/p/'. No logs will be processed."


def test_guardduty_firehose_per_version(moto: str, tmp_path: Path) -> None:
    client = admin_client(moto)
    seed(client, BUCKET, ["fh/2024/05/04/01/gd-1-2024-05-04-01-00-00-x"])
    block = bucket_block("guardduty", BUCKET, path="fh")
    (stop,) = list(walk_module(client, block, context(tmp_path, "5.0.0"), None, caller_account=ACCOUNT))
    assert isinstance(stop, WalkStopped) and stop.exit_code == 12 and not stop.catch_all  # sys.exit(12)
    assert stop.script_message == "ERROR: Invalid type of bucket"
    events = list(walk_module(client, block, context(tmp_path, "4.14.7"), None, caller_account=ACCOUNT))
    assert isinstance(events[0], WalkNote) and "deprecated" in events[0].printed[0]
    keys = [event for event in events if isinstance(event, ClassifiedKey)]
    assert [key.verdict for key in keys] == [Verdict.READ]


def test_custom_walk_with_other_prefix_and_state(moto: str, tmp_path: Path) -> None:
    client = admin_client(moto)
    read_before = "fh/2024/05/04/01/s-1-2024-05-04-01-00-00-a"
    seed(client, BUCKET, [read_before, "fh/2024/05/04/02/s-1-2024-05-04-02-00-00-b", "fh/x/2024/05/04/03/c"])
    state = _state(tmp_path, {"custom": [("walk-bucket/fh/", ACCOUNT, "fh/2024/05/04/00/s-1-old")]})
    block = bucket_block("custom", BUCKET, path="fh")
    keys = list(module_view(client, block, context(tmp_path), state, caller_account=ACCOUNT))
    assert [(key.key, key.verdict, key.reason) for key in keys] == [
        (read_before, Verdict.READ, None),
        ("fh/2024/05/04/02/s-1-2024-05-04-02-00-00-b", Verdict.READ, None),
        ("fh/x/2024/05/04/03/c", Verdict.SKIPPED, SkipReason.OTHER_PREFIX),
    ]
    assert keys[2].debug_line == "++ Skipping file with another prefix: fh/x/2024/05/04/03/c"


def test_vpcflow_walk_reads_only_described_flow_logs(moto: str, tmp_path: Path) -> None:
    s3 = admin_client(moto)
    seed(s3, BUCKET, [])
    ec2 = admin_client(moto, "ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    (flow_id,) = ec2.create_flow_logs(
        ResourceIds=[vpc],
        ResourceType="VPC",
        TrafficType="ALL",
        LogDestinationType="s3",
        LogDestination=f"arn:aws:s3:::{BUCKET}",
    )["FlowLogIds"]
    base = f"AWSLogs/{ACCOUNT}/vpcflowlogs/us-east-1/2024/05/04/{ACCOUNT}_vpcflowlogs_us-east-1_"
    ours, foreign = (
        f"{base}{flow_id}_20240504T0000Z_a.log.gz",
        f"{base}fl-0foreign00000000_20240504T0000Z_b.log.gz",
    )
    seed(s3, BUCKET, [ours, foreign])

    def describe(region: str) -> tuple[str, ...]:
        return tuple(entry["FlowLogId"] for entry in ec2.describe_flow_logs()["FlowLogs"])  # one region

    events = list(
        walk_module(s3, bucket_block("vpcflow", BUCKET), context(tmp_path), None, flow_logs=describe)
    )
    started = [event for event in events if isinstance(event, ScopeStarted)]
    assert [event.scope.flow_log_id for event in started] == [flow_id]
    classified = {event.key: event for event in events if isinstance(event, ClassifiedKey)}
    assert [key for key, event in classified.items() if event.verdict is Verdict.READ] == [ours]
    assert classified[foreign].verdict is Verdict.SKIPPED, "listed, passed over as the module's filter does"
    missing = list(walk_module(s3, bucket_block("vpcflow", BUCKET), context(tmp_path), None))
    assert isinstance(missing[-1], WalkStopped) and missing[-1].exit_code is None


def test_config_year_relist_sorted_by_date(moto: str, tmp_path: Path) -> None:
    client = admin_client(moto)
    cfg = f"AWSLogs/{ACCOUNT}/Config/us-east-1/"
    keys = [
        f"{cfg}2024/5/10/ConfigHistory/c.json.gz",
        f"{cfg}2024/5/2/ConfigHistory/b.json.gz",
        f"{cfg}2024/4/30/ConfigHistory/a.json.gz",
    ]
    seed(client, BUCKET, keys)
    block = bucket_block("config", BUCKET, only_logs_after="2024-MAY-01")
    result = list(module_view(client, block, context(tmp_path, "4.14.7"), None))
    assert [(key.key.split("/")[4:7], key.verdict) for key in result] == [
        (["2024", "4", "30"], Verdict.SKIPPED),
        (["2024", "5", "2"], Verdict.READ),
        (["2024", "5", "10"], Verdict.READ),
    ]
    assert result[0].reason is SkipReason.CONFIG_BEFORE_ONLY_LOGS_AFTER
    old = [key.key for key in module_view(client, block, context(tmp_path, "4.9.0"), None)]
    assert old == [keys[0], keys[1]]  # 4.9.0: after the marker '.../2024/5/1', in key order (no date sort)


def test_cancel_stops_the_walk(moto: str, tmp_path: Path) -> None:
    client = admin_client(moto)
    seed(client, BUCKET, [trail_key("2024/05/04", f"{n:04d}") for n in range(5)])
    cancel = threading.Event()
    seen = []
    for event in walk_module(
        client, bucket_block("cloudtrail", BUCKET), context(tmp_path), None, cancel=cancel
    ):
        seen.append(event)
        if isinstance(event, ClassifiedKey):
            cancel.set()
    assert isinstance(seen[-1], WalkStopped) and seen[-1].cancelled
    assert sum(isinstance(event, ClassifiedKey) for event in seen) == 1


def test_listing_error_is_the_modules_exit(moto: str, tmp_path: Path) -> None:
    client = admin_client(moto)
    block = bucket_block("custom", "no-such-bucket-y", path="fh")
    *_, stop = list(
        walk_module(client, block, context(tmp_path), None, caller_account=ACCOUNT, check_bucket=False)
    )
    assert isinstance(stop, WalkStopped) and stop.exit_code == 1
    assert stop.script_message is not None
    assert stop.script_message.startswith('ERROR: ERROR: The "iter_files_in_bucket" request failed')


def test_bad_only_logs_after_is_exit_2(moto: str, tmp_path: Path) -> None:
    block = bucket_block("cloudtrail", BUCKET, only_logs_after="2024-05-01")
    (stop,) = list(walk_module(admin_client(moto), block, context(tmp_path), None))
    assert isinstance(stop, WalkStopped) and stop.exit_code == 2
