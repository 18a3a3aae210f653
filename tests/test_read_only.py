"""Read-only toward production: every request a whole CLI session makes (every command, every bucket
type, remove_from_bucket set) is recorded by the loopback proxy and none is a write or a delete; the
module's state databases and ossec.conf are byte-identical afterwards, also while another process holds
an exclusive lock on the state database."""

from __future__ import annotations

import gzip
import hashlib
import json
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from diagnostics.ingest.state import IngestState
from diagnostics.wazuh.state_scope import StateScope
from tests.conftest import admin_client
from tests.fault_proxy import FaultProxy, fault_proxy
from tests.hardening_support import (
    ACCOUNT,
    DAYS,
    ONLY_LOGS_AFTER,
    DoctorHome,
    make_home,
    ossec_conf,
    run_cli,
    seed_trail,
    trail_body,
    trail_key,
)

READ_OPERATIONS = frozenset({"ListObjectsV2", "GetObject", "HeadObject", "HeadBucket", "GetBucketLocation",
                             "ListBuckets", "GetCallerIdentity", "AssumeRole", "DescribeFlowLogs",
                             "GetBucket?policy", "SimulatePrincipalPolicy", "ListUserPolicies", "GetUserPolicy",
                             "ListAttachedUserPolicies", "GetPolicy", "GetPolicyVersion", "ListRolePolicies",
                             "GetRolePolicy", "ListAttachedRolePolicies", "ListFindings", "DescribeLogGroups",
                             "DescribeLogStreams", "GetLogEvents", "GetRole"})
"""Everything the doctor may send: S3 reads and listings, the bucket policy, STS identity and AssumeRole, EC2
Describe*, IAM's read-only policy calls (whether remove_from_bucket may delete, found without deleting) and
Inspector's ListFindings, CloudWatch Logs' listings and GetLogEvents."""
ROLE = f"arn:aws:iam::{ACCOUNT}:role/wazuh-reader"
MARKER = "module-ran.txt"


def block(bucket_type: str, name: str, extra: str = "") -> str:
    return (f'    <bucket type="{bucket_type}">\n      <name>{name}</name>\n'
            f"      <only_logs_after>{ONLY_LOGS_AFTER}</only_logs_after>\n{extra}    </bucket>\n")


CONF = ossec_conf(
    "    <skip_on_error>yes</skip_on_error>\n",
    block("cloudtrail", "ro-trail", "      <remove_from_bucket>yes</remove_from_bucket>\n"),
    block("custom", "ro-custom", "      <path>firehose</path>\n      <remove_from_bucket>yes</remove_from_bucket>\n"),
    block("vpcflow", "ro-flow", "      <regions>us-east-1</regions>\n"),
    block("cloudtrail", "ro-role", f"      <iam_role_arn>{ROLE}</iam_role_arn>\n"),
    '    <service type="cloudwatchlogs">\n      <aws_log_groups>ro-logs</aws_log_groups>\n'
    '      <regions>us-east-1</regions>\n      <remove_log_streams>yes</remove_log_streams>\n    </service>\n',
    '    <service type="inspector">\n      <regions>us-east-1</regions>\n    </service>\n',
)
INSPECTOR_LINE = CONF.splitlines().index('    <service type="inspector">') + 1
CLOUDWATCH_LINE = CONF.splitlines().index('    <service type="cloudwatchlogs">') + 1


def seed(endpoint: str, *, everything: bool = True) -> dict[str, list[str]]:
    """The buckets of CONF with objects (only ro-trail unless ``everything``); returns the keys per bucket."""
    s3 = admin_client(endpoint)
    keys = {"ro-trail": seed_trail(endpoint, "ro-trail")}
    if not everything:
        return keys
    s3.create_bucket(Bucket="ro-role")
    s3.put_object(Bucket="ro-role", Key=keys["ro-trail"][-1], Body=trail_body(DAYS[2], 1))
    keys["ro-role"] = keys["ro-trail"][-1:]
    s3.create_bucket(Bucket="ro-custom")
    custom = f"firehose/{DAYS[2]}/10/stream-1-{DAYS[2].replace('/', '-')}-10-00-00-abc"
    s3.put_object(Bucket="ro-custom", Key=custom, Body=json.dumps(
        {"source": "aws.macie", "detail": {"severity": 1, "name": "x"}}).encode())
    keys["ro-custom"] = [custom]
    s3.create_bucket(Bucket="ro-flow")
    ec2 = admin_client(endpoint, "ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    (flow_id,) = ec2.create_flow_logs(ResourceIds=[vpc], ResourceType="VPC", TrafficType="ALL",
                                      LogDestinationType="s3", LogDestination="arn:aws:s3:::ro-flow")["FlowLogIds"]
    stamp = DAYS[2].replace("/", "")
    flow = (f"AWSLogs/{ACCOUNT}/vpcflowlogs/us-east-1/{DAYS[2]}/{ACCOUNT}_vpcflowlogs_us-east-1_{flow_id}_"
            f"{stamp}T0000Z_a.log.gz")
    s3.put_object(Bucket="ro-flow", Key=flow, Body=gzip.compress(
        b"version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end "
        b"action log-status\n2 123456789012 eni-1 10.0.0.1 10.0.0.2 443 50000 6 10 840 1700000000 1700000060 "
        b"ACCEPT OK\n"))
    keys["ro-flow"] = [flow]
    logs = admin_client(endpoint, "logs")
    logs.create_log_group(logGroupName="ro-logs")
    logs.create_log_stream(logGroupName="ro-logs", logStreamName="s1")
    logs.put_log_events(logGroupName="ro-logs", logStreamName="s1",
                        logEvents=[{"timestamp": int(time.time() * 1000), "message": '{"ro": 1}'}])
    return keys


def module_state(home: DoctorHome) -> None:
    """The module's two databases, as a scheduled run leaves them (one trail file processed)."""
    with IngestState.open(home.state_db.parent, version="4.14.7", wal=False) as state:
        state.mark_complete(StateScope("cloudtrail", "ro-trail/", ACCOUNT, "us-east-1"),
                            trail_key(DAYS[0], 0), int(DAYS[0].replace("/", "")))
    with sqlite3.connect(home.state_db.parent / "aws_services.db") as services:
        services.execute("CREATE TABLE cloudwatch_logs (aws_region 'text' NOT NULL, aws_log_group 'text' NOT NULL, "
                         "aws_log_stream 'text' NOT NULL, next_token 'text', start_time 'integer', "
                         "end_time 'integer', PRIMARY KEY (aws_region, aws_log_group, aws_log_stream))")
    services.close()


def stand_in_module(home: DoctorHome) -> Path:
    """wodles/aws/aws-s3 that only leaves a marker file when it runs (the real one would write the DB)."""
    script = home.wazuh_home / "wodles" / "aws" / "aws-s3"
    script.write_text(f"#!{sys.executable}\n" + textwrap.dedent(f"""
        import pathlib, sys
        pathlib.Path({str(home.root / MARKER)!r}).write_text(" ".join(sys.argv[1:]))
        print("DEBUG: +++ Debug mode on - Level: 2")
    """))
    script.chmod(0o755)
    return home.root / MARKER


def fingerprints(home: DoctorHome) -> dict[str, str]:
    """sha256 of every file the doctor must never change."""
    paths = [home.state_db, home.state_db.parent / "aws_services.db", home.conf, home.credentials, home.config]
    return {str(path): hashlib.sha256(path.read_bytes()).hexdigest() for path in paths}


@pytest.fixture
def ro_home(moto: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
            request: pytest.FixtureRequest) -> tuple[DoctorHome, dict[str, list[str]]]:
    keys = seed(moto, everything="lock" not in request.node.name)
    home = make_home(tmp_path, monkeypatch, CONF)
    module_state(home)
    return home, keys


@pytest.fixture
def proxy(moto: str) -> Iterator[FaultProxy]:
    with fault_proxy(moto) as running:
        yield running


def remaining_objects(endpoint: str, buckets: dict[str, list[str]]) -> dict[str, list[str]]:
    s3 = admin_client(endpoint)
    return {bucket: sorted(entry["Key"] for entry in s3.list_objects_v2(Bucket=bucket).get("Contents", []))
            for bucket in buckets}


def test_a_whole_session_sends_only_reads_and_changes_no_wazuh_file(
        ro_home: tuple[DoctorHome, dict[str, list[str]]], proxy: FaultProxy, moto: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    home, keys = ro_home
    before = fingerprints(home)
    marker = stand_in_module(home)
    common = home.common(proxy.url)
    log = home.wazuh_home / "logs" / "ossec.log"
    log.write_text("2024/05/14 10:15:02 wazuh-modulesd:aws-s3: WARNING: Bucket:  -  Returned exit code 1\n")
    codes: dict[str, int] = {}

    def run(name: str, *argv: str) -> None:
        code, out, err = run_cli(capsys, *argv)
        assert "Traceback" not in out + err, f"{name}: {err[-2000:]}"
        codes[name] = code

    run("check", "check", *common, "--format", "json")
    run("explain-log", "explain-log", *common)
    per_bucket = {"ro-trail": ("view", "preview", "ingest"), "ro-custom": ("keys", "ingest"), "ro-flow": ("ingest",)}
    for bucket, commands in per_bucket.items():
        options = {"keys": ["keys"], "view": ["keys", "--wodle-view"],
                   "preview": ["preview", "--key", keys[bucket][-1]],
                   "ingest": ["ingest", "--events-out", str(tmp_path / f"{bucket}.jsonl")]}
        for command in commands:
            argv = options[command]
            run(f"{command} {bucket}", argv[0], *common, "--bucket", bucket, *argv[1:])
    run("preview inspector", "preview", *common, "--block", str(INSPECTOR_LINE))
    run("ingest inspector", "ingest", *common, "--block", str(INSPECTOR_LINE), "--events-out",
        str(tmp_path / "inspector.jsonl"))
    for name, extra in ((" again", ()), (" from wazuh", ("--from-wazuh-state", "--state-dir",
                                                          str(tmp_path / "inspector-copy")))):
        run(f"ingest inspector{name}", "ingest", *common, "--block", str(INSPECTOR_LINE), *extra)
    for name, extra in (("", ()), (" again", ()), (" from wazuh", ("--from-wazuh-state", "--state-dir",
                                                                   str(tmp_path / "cw-copy")))):
        run(f"ingest cloudwatch{name}", "ingest", *common, "--block", str(CLOUDWATCH_LINE), *extra)
    run("ingest from wazuh", "ingest", *common, "--bucket", "ro-trail", "--from-wazuh-state", "--state-dir",
        str(tmp_path / "copy"))
    run("ingest real", "ingest", *common, "--bucket", "ro-trail", "--real", "--yes", "--snapshot-state")
    (tmp_path / "bundle").mkdir()
    run("bundle", "bundle", *common, "--no-checks", "--output", str(tmp_path / "bundle"))

    operations = set(proxy.operations())
    writes = [f"{request.method} {request.path} ({request.operation})" for request in proxy.requests
              if request.is_write]
    assert not writes, f"write requests: {writes}"
    assert operations <= READ_OPERATIONS, f"unexpected operations: {operations - READ_OPERATIONS}"
    assert {"GetObject", "ListObjectsV2", "GetCallerIdentity", "AssumeRole", "DescribeFlowLogs",
            "GetBucket?policy", "ListFindings"} <= operations, \
        "the session really exercised every kind of call"
    assert codes["ingest ro-trail"] == 0 and (tmp_path / "ro-trail.jsonl").stat().st_size > 0
    assert codes["ingest inspector"] == 0 and codes["preview inspector"] == 0
    assert codes["ingest inspector again"] == 0 and codes["ingest inspector from wazuh"] == 0, \
        "the Inspector pass kept its scans in our own aws_services.db, and copied the module's read-only"
    assert {"DescribeLogStreams", "GetLogEvents"} <= operations and codes["ingest cloudwatch again"] == 0, \
        "the CloudWatch pass read its stream, with remove_log_streams set, and deleted nothing"
    assert admin_client(moto, "logs").describe_log_streams(logGroupName="ro-logs")["logStreams"]
    assert marker.exists(), "the stand-in module ran (its own effects are the module's, not ours)"
    assert remaining_objects(moto, keys) == {bucket: sorted(found) for bucket, found in keys.items()}, \
        "remove_from_bucket is set, yet nothing was deleted"
    assert fingerprints(home) == before, "state databases, ossec.conf and ~/.aws are byte-identical"
    assert not list(home.state_db.parent.glob("*-journal")) and not list(home.state_db.parent.glob("*-wal"))


LOCK_HOLDER = textwrap.dedent("""
    import sqlite3, sys
    connection = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=5)
    connection.execute("BEGIN EXCLUSIVE")
    connection.execute("INSERT INTO cloudtrail VALUES ('ro-trail/', '123456789012', 'us-east-1', 'k', "
                       "DATETIME('now'), 20240101)")
    print("locked", flush=True)
    sys.stdin.readline()
    connection.execute("ROLLBACK")
    connection.close()
""")


def test_commands_under_an_exclusive_lock_wait_briefly_report_it_and_write_nothing(
        ro_home: tuple[DoctorHome, dict[str, list[str]]], moto: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    home, _ = ro_home
    before = fingerprints(home)
    marker = stand_in_module(home)
    common = home.common(moto, "ro-trail")
    holder = subprocess.Popen([sys.executable, "-c", LOCK_HOLDER, str(home.state_db)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    outputs: dict[str, tuple[int, str]] = {}
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        for name, argv in {
            "check": ["check", *home.common(moto), "--bucket", "ro-trail", "--format", "json"],
            "wodle view": ["keys", *common, "--wodle-view", "--format", "json"],
            "from wazuh": ["ingest", *common, "--from-wazuh-state", "--state-dir", str(tmp_path / "copy")],
            "real": ["ingest", *common, "--real", "--yes", "--snapshot-state", "--restore-state"],
            "host": ["host", *home.common(moto), "--format", "json"],
        }.items():
            started = time.monotonic()
            code, out, err = run_cli(capsys, *argv)
            assert time.monotonic() - started < 15, f"{name} waited on the lock too long (a hang?)"
            assert "Traceback" not in out + err, f"{name}: {err[-2000:]}"
            outputs[name] = (code, (out + err).lower())
    finally:
        if holder.stdin is not None:
            holder.stdin.write("\n")
            holder.stdin.close()
        holder.wait(timeout=10)
    assert holder.returncode == 0
    assert "lock" in outputs["check"][1], "the check says the state database is locked"
    assert outputs["from wazuh"][0] != 0 and "locked" in outputs["from wazuh"][1]
    assert outputs["real"][0] == 2 and not marker.exists(), "no real run while the module's database is locked"
    assert fingerprints(home) == before, "nothing was written, even through the lock holder's rollback"
    assert not list(home.state_db.parent.glob("*-journal"))


def test_browsing_services_only_lists_and_reads(ro_home: tuple[DoctorHome, dict[str, list[str]]],
                                               proxy: FaultProxy, moto: str) -> None:
    """The app's Browse of a CloudWatch Logs block (group, streams, events, a further page) and of an Inspector
    block (findings) sends only Describe*/Get*/List* calls; the stream stays, Wazuh's files are unchanged."""
    from diagnostics.checks import load_configuration
    from diagnostics.context import context_from_environment
    from diagnostics.service_browse import (
        browse_events,
        browse_findings,
        browse_groups,
        browse_streams,
        open_service_browse,
    )

    home, _ = ro_home
    before = fingerprints(home)
    context = context_from_environment(None, str(home.wazuh_home), proxy.url)
    blocks = {block.location.line: block for block in load_configuration(context)[0].blocks}
    cloudwatch = open_service_browse(context, blocks[CLOUDWATCH_LINE])
    (group,) = browse_groups(cloudwatch, "us-east-1")
    (stream,) = browse_streams(cloudwatch, "us-east-1", "ro-logs").streams
    events = browse_events(cloudwatch, "us-east-1", "ro-logs", stream.info.name)
    if events.next_token is not None:
        browse_events(cloudwatch, "us-east-1", "ro-logs", stream.info.name, events.next_token)
    inspector = open_service_browse(context, blocks[INSPECTOR_LINE])
    findings = browse_findings(inspector, "us-east-1")
    operations = set(proxy.operations())
    assert group.state == "exists" and len(events.events) == 1 and findings.failure is None
    assert not [request.path for request in proxy.requests if request.is_write]
    assert {"DescribeLogStreams", "DescribeLogGroups", "GetLogEvents", "ListFindings"} <= operations
    assert operations <= READ_OPERATIONS, f"unexpected operations: {operations - READ_OPERATIONS}"
    assert admin_client(moto, "logs").describe_log_streams(logGroupName="ro-logs")["logStreams"]
    assert fingerprints(home) == before, "state databases, ossec.conf and ~/.aws are byte-identical"


SUBSCRIBER_CONF = ossec_conf('    <subscriber type="buckets">\n      <sqs_name>ro-queue</sqs_name>\n'
                             '    </subscriber>\n')
SUBSCRIBER_OPERATIONS = frozenset({"GetCallerIdentity", "GetQueueUrl", "GetQueueAttributes",
                                   "GetBucket?notification", "ListObjectsV2", "GetObject"})
"""Everything the subscriber pass may send: the queue looked up and its attributes, never a message."""


def test_the_subscriber_pass_never_receives_deletes_or_hides_a_message(
        moto: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, proxy: FaultProxy,
        capsys: pytest.CaptureFixture[str]) -> None:
    home = make_home(tmp_path, monkeypatch, SUBSCRIBER_CONF)
    s3, sqs = admin_client(moto), admin_client(moto, "sqs")
    s3.create_bucket(Bucket="ro-source")
    arn = f"arn:aws:sqs:us-east-1:{ACCOUNT}:ro-queue"
    policy = {"Statement": [{"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
                             "Action": "sqs:SendMessage", "Resource": arn,
                             "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::ro-source"}}}]}
    url = sqs.create_queue(QueueName="ro-queue", Attributes={"Policy": json.dumps(policy)})["QueueUrl"]
    s3.put_bucket_notification_configuration(Bucket="ro-source", NotificationConfiguration={
        "QueueConfigurations": [{"QueueArn": arn, "Events": ["s3:ObjectCreated:*"]}]})
    s3.put_object(Bucket="ro-source", Key="2026/12/04/a.json", Body=b'{"n": 1}')
    s3.put_object(Bucket="ro-source", Key="2026/12/04/b c.json", Body=b'{"n": 2}')

    def counts() -> tuple[str, str]:
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        return attributes["ApproximateNumberOfMessages"], attributes["ApproximateNumberOfMessagesNotVisible"]

    before = counts()
    line = SUBSCRIBER_CONF.splitlines().index('    <subscriber type="buckets">') + 1
    for extra in ((), ("--events-out", str(tmp_path / "sub.jsonl"), "--debug", "3")):
        code, out, err = run_cli(capsys, "ingest", *home.common(proxy.url), "--block", str(line), *extra)
        assert "Traceback" not in out + err and code in (1, 12), err[-2000:]
    operations = set(proxy.operations())
    assert not [request for request in proxy.requests if request.is_write], proxy.operations()
    assert operations <= SUBSCRIBER_OPERATIONS, f"unexpected operations: {operations - SUBSCRIBER_OPERATIONS}"
    assert {"GetQueueUrl", "GetObject"} <= operations, "the pass really read the queue and the objects"
    assert not operations & {"ReceiveMessage", "DeleteMessage", "ChangeMessageVisibility"}
    assert int(before[0]) >= 2, "moto queued the objects' notifications"
    assert counts() == before and before[1] == "0", "no message was received (none hidden, none deleted)"
    assert (tmp_path / "sub.jsonl").read_text().count("\n") == 1
