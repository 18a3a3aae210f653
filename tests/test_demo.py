"""The demo environment: a real moto server with IAM auth, throw-away homes, and every advertised scenario."""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from diagnostics.checks import BlockReport, CheckReport, run_checks
from diagnostics.findings import Status
from tui.demo import DEMO_BUCKETS, DemoEnvironment, start_demo

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("asked", [False, True], ids=["before-any-request", "while-seeding"])
def test_stopping_early_leaves_nothing_behind(tmp_path: Path, asked: bool) -> None:
    import threading

    # First in this file, so no other demo shares moto's in-process state while this one is reset.
    root = tmp_path / "early"
    root.mkdir()
    before = set(threading.enumerate())
    environment = start_demo(now=NOW, root=root)
    answers: list[int] = []
    if asked:  # a request held at the gate starts the seeding; stop() comes while it runs
        def ask() -> None:
            with urllib.request.urlopen(f"{environment.endpoint_url}/moto-api/data.json", timeout=30) as reply:
                answers.append(reply.status)

        asker = threading.Thread(target=ask)
        asker.start()
        gate = environment._server.gate if environment._server is not None else None
        assert gate is not None and gate.wanted.wait(10), "the request reached the gate"
        environment.stop()
        asker.join(timeout=30)
        assert answers == [200], "the held request is answered, not dropped"
    else:
        environment.stop()
    assert not root.exists()
    assert not {thread for thread in set(threading.enumerate()) - before if thread.name.startswith("demo-")}
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(environment.endpoint_url, timeout=2)


FIRST_ANSWERS: dict[str, list[str]] = {}
"""What the reader saw in the VPC bucket on its first request, sent before the seeding could finish."""


def reader_client(demo: DemoEnvironment) -> Any:
    """An S3 client with the demo's wazuh-demo profile, as the module would build it."""
    from diagnostics.bucket_session import open_bucket
    from diagnostics.checks import load_configuration

    loaded, _ = load_configuration(demo.context)
    block = next(b for b in loaded.blocks if b.name == "demo-cloudtrail" and b.value("aws_profile") == "wazuh-demo")
    return open_bucket(demo.context, block).client


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoEnvironment]:
    root = tmp_path_factory.mktemp("demo")
    home_before = sorted(os.environ.items())
    environment = start_demo(now=NOW, root=root)
    try:
        # The first request goes out at once; the endpoint holds it until the seeder has filled the buckets.
        listed = reader_client(environment).list_objects_v2(Bucket="demo-vpcflow")
        FIRST_ANSWERS["demo-vpcflow"] = [entry["Key"] for entry in listed.get("Contents", [])]
        environment.wait_seeded(timeout=60)
        assert sorted(os.environ.items()) == home_before, "the demo must not change our own environment"
        yield environment
    finally:
        environment.stop()
    # Stopping shuts the server and removes everything (checked here to avoid starting a second demo).
    environment.stop()
    assert not root.exists()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(environment.endpoint_url, timeout=2)
    from moto.inspector2.models import inspector2_backends

    stock = inspector2_backends["123456789012"]["us-east-1"].list_findings({}, "100", "", "")
    assert stock == [], "moto's inspector2 answers as stock moto again (a test's moto server shares it)"


@pytest.fixture(scope="module")
def report(demo: DemoEnvironment) -> CheckReport:
    return run_checks(demo.context)


def block_report(report: CheckReport, name: str, profile: str | None = None, path: str | None = None
                 ) -> BlockReport:
    for candidate in report.blocks:
        block = candidate.block
        if block.name == name and (profile is None or block.value("aws_profile") == profile) \
                and (path is None or block.value("path") == path):
            return candidate
    raise AssertionError(f"no block {name} {profile} {path}")


def failure_ids(report: BlockReport) -> set[str]:
    return {finding.failure_id or finding.check_id for finding in report.findings
            if finding.status in (Status.ERROR, Status.WARNING)}


def test_context_points_only_inside_the_demo_directory(demo: DemoEnvironment) -> None:
    context = demo.context
    for path in (context.wazuh_home, context.config_path, context.module_home):
        assert Path(path).is_relative_to(demo.root)
    for name in ("AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", "HOME"):
        assert Path(context.environ[name]).is_relative_to(demo.root)
    assert context.endpoint_url is not None and context.endpoint_url.startswith("http://127.0.0.1:")
    assert context.now == NOW


def test_installation_files_are_written(demo: DemoEnvironment) -> None:
    home = demo.context.wazuh_home
    assert "wazuh_modules.debug=2" in (home / "etc" / "local_internal_options.conf").read_text()
    assert (home / "etc" / "ossec.conf").read_text().count("<bucket") == 12
    assert (home / "wodles" / "aws" / "s3_cloudtrail.db").stat().st_size > 0
    assert (home / "logs" / "ossec.log").read_text().count("aws-s3") > 5
    assert demo.context.profile.known and demo.context.profile.version == (4, 14, 7)
    assert demo.context.debug_level == 2


def test_aws_files_hold_two_profiles_and_no_ghost(demo: DemoEnvironment) -> None:
    aws = demo.context.module_home / ".aws"
    credentials = (aws / "credentials").read_text()
    config = (aws / "config").read_text()
    assert "[wazuh-demo]" in credentials and "[wazuh-limited]" in credentials
    assert "[profile wazuh-demo]" in config and "wazuh-ghost" not in credentials + config
    assert oct((aws / "credentials").stat().st_mode & 0o777) == "0o600"


def test_auth_is_enforced_so_default_credentials_are_rejected(demo: DemoEnvironment) -> None:
    import boto3
    from botocore.exceptions import ClientError

    client = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                   region_name="us-east-1").client("s3", endpoint_url=demo.endpoint_url)
    with pytest.raises(ClientError) as raised:
        client.list_objects_v2(Bucket="demo-cloudtrail")
    assert raised.value.response["Error"]["Code"] == "InvalidAccessKeyId"


def test_every_demo_bucket_exists_with_todays_keys(demo: DemoEnvironment) -> None:
    from diagnostics.bucket_session import open_bucket
    from diagnostics.checks import load_configuration

    loaded, _ = load_configuration(demo.context)
    block = next(b for b in loaded.blocks if b.name == "demo-cloudtrail"
                 and b.value("aws_profile") == "wazuh-demo")
    session = open_bucket(demo.context, block)
    assert session.usable
    listed = session.client.list_objects_v2(Bucket="demo-cloudtrail",
                                            Prefix="AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/29/")
    keys = [entry["Key"] for entry in listed["Contents"]]
    assert len(keys) == 3 and all("_20261129T00" in key for key in keys)
    for bucket in DEMO_BUCKETS:
        assert session.client.head_bucket(Bucket=bucket)["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_healthy_buckets_pass_every_check(report: CheckReport) -> None:
    for name in ("demo-cloudtrail", "demo-vpcflow", "demo-guardduty", "demo-alb", "demo-config"):
        result = block_report(report, name, profile="wazuh-demo")
        assert result.status is Status.OK, (name, failure_ids(result))
    macie = block_report(report, "demo-macie", path="macie")
    assert macie.status is Status.OK, failure_ids(macie)


def test_missing_profile_is_exit_23(report: CheckReport) -> None:
    ghost = block_report(report, "demo-cloudtrail", profile="wazuh-ghost")
    assert ghost.status is Status.ERROR
    assert 23 in {finding.wazuh_exit_code for finding in ghost.findings}


def test_missing_bucket_is_a_real_404(report: CheckReport) -> None:
    missing = block_report(report, "demo-no-such-bucket")
    head = [f for f in missing.findings if f.check_id == "access.head_bucket"]
    assert head and head[0].status is Status.ERROR and "404" in head[0].title


def test_forbidden_bucket_is_a_real_403(report: CheckReport) -> None:
    forbidden = block_report(report, "demo-forbidden")
    listing = [f for f in forbidden.findings if f.check_id == "access.list_prefix"]
    assert listing and listing[0].status is Status.ERROR and "AccessDenied" in listing[0].title


def test_leading_slash_path_finds_nothing(report: CheckReport) -> None:
    slashed = block_report(report, "demo-macie", path="/macie/")
    assert slashed.status is Status.ERROR
    assert 14 in {finding.wazuh_exit_code for finding in slashed.findings}


def test_old_trail_is_all_below_the_first_run_marker(report: CheckReport) -> None:
    old = block_report(report, "demo-old-trail")
    assert old.status is Status.WARNING
    assert any(f.check_id == "layout.marker" and f.status is Status.WARNING for f in old.findings)


def test_custom_objects_without_detail_are_all_dropped(demo: DemoEnvironment) -> None:
    from diagnostics.bucket_session import open_bucket, preview_object
    from diagnostics.checks import load_configuration

    loaded, _ = load_configuration(demo.context)
    block = next(b for b in loaded.blocks if b.name == "demo-custom-nodetail")
    session = open_bucket(demo.context, block)
    key = session.client.list_objects_v2(Bucket="demo-custom-nodetail")["Contents"][0]["Key"]
    result = preview_object(session, key)
    assert result.totals.records_read == 2 and result.totals.events_sent == 0
    assert result.totals.dropped_total == 2


def test_vpcflow_key_carries_the_described_flow_log_id(demo: DemoEnvironment) -> None:
    from diagnostics.bucket_session import browse_level, open_bucket
    from diagnostics.checks import load_configuration
    from diagnostics.layout.classify import Verdict

    loaded, _ = load_configuration(demo.context)
    block = next(b for b in loaded.blocks if b.name == "demo-vpcflow")
    session = open_bucket(demo.context, block)
    assert session.classifier is not None
    from diagnostics.ingest.fetch import flow_logs_via_ec2

    described = flow_logs_via_ec2(session.aws_session, session.settings)("us-east-1")
    level = browse_level(session, "AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/29/")
    read = [key.key for key in level.keys if key.verdict is Verdict.READ]
    assert len(described) == 2 and len(read) == 2
    assert all(any(flow_log_id in key for key in read) for flow_log_id in described)


def test_a_request_sent_while_seeding_sees_the_seeded_buckets(demo: DemoEnvironment) -> None:
    assert len(FIRST_ANSWERS["demo-vpcflow"]) == 2
    assert all("/vpcflowlogs/us-east-1/2026/11/29/" in key for key in FIRST_ANSWERS["demo-vpcflow"])



def input_report(report: CheckReport, kind: str, value: str, profile: str = "wazuh-demo") -> BlockReport:
    """The subscriber (by queue) or service (by log group, or by type for Inspector) block with ``profile``."""
    for candidate in report.blocks:
        block = candidate.block
        if block.kind == kind and block.value("aws_profile") == profile and value in (
                block.value("sqs_name"), block.value("aws_log_groups"), block.block_type):
            return candidate
    raise AssertionError(f"no {kind} {value} {profile}")


def predicted_exit(result: BlockReport) -> int:
    return next((finding.wazuh_exit_code for finding in result.findings if finding.wazuh_exit_code is not None), 0)


def by_failure(result: BlockReport) -> dict[str, Any]:
    return {finding.failure_id or finding.check_id: finding for finding in result.findings}


def test_config_holds_subscribers_and_services(demo: DemoEnvironment) -> None:
    text = (demo.context.wazuh_home / "etc" / "ossec.conf").read_text()
    assert text.count("<subscriber") == 5 and text.count("<service") == 4
    assert "[wazuh-noreceive]" in (demo.context.module_home / ".aws" / "credentials").read_text()


def test_notified_queue_is_healthy_with_messages_waiting(report: CheckReport) -> None:
    result = input_report(report, "subscriber", "demo-notifications")
    found = by_failure(result)
    assert result.status is Status.OK and predicted_exit(result) == 0, failure_ids(result)
    assert found["queue.notification_ok"].title == \
        "Bucket demo-notified notifies demo-notifications (s3:ObjectCreated:*)"
    assert found["queue.permission_ok"].status is Status.OK
    waiting = int(found["queue.attributes"].title.split(" ", 1)[0])
    assert waiting >= 2, found["queue.attributes"].title
    assert found["queue.object_sample"].title.endswith("read as json, 1 event(s) sent, 0 dropped")


def test_missing_queue_is_exit_20(report: CheckReport) -> None:
    result = input_report(report, "subscriber", "demo-no-such-queue")
    assert predicted_exit(result) == 20 and "queue.not_found" in failure_ids(result)


def test_queue_without_receive_permission_is_exit_21(report: CheckReport) -> None:
    result = input_report(report, "subscriber", "demo-notifications", profile="wazuh-noreceive")
    assert predicted_exit(result) == 21
    denied = by_failure(result)["queue.receive_denied"]
    assert denied.status is Status.ERROR and "wazuh-noreceive" in denied.title
    assert failure_ids(result) == {"queue.receive_denied"}, "the bucket and its objects read, only receive denied"


def test_source_bucket_with_a_spaced_key_and_plain_text(report: CheckReport) -> None:
    result = input_report(report, "subscriber", "demo-spaces-notifications")
    found = by_failure(result)
    assert {"queue.key_with_space", "queue.object_mangled"} <= failure_ids(result)
    assert "'app/2026/app+log.json'" in " ".join(found["queue.key_with_space"].evidence)
    assert found["queue.object_sample"].title == \
        "Newest object app/2026/z-plain.log: read as csv, 1 event(s) sent, 0 dropped"


def test_security_lake_reads_its_queue_through_the_role_and_decodes_parquet(demo: DemoEnvironment,
                                                                              report: CheckReport) -> None:
    from diagnostics.checks import load_configuration
    from diagnostics.input_session import open_input, preview_notified_object
    from diagnostics.subscriber_pass_session import lake_buckets
    from tui.demo_inputs import LAKE_BUCKET, LAKE_KEY

    result = input_report(report, "subscriber", "demo-security-lake-queue")
    found = by_failure(result)
    assert result.status is Status.OK and predicted_exit(result) == 0, failure_ids(result)
    assert found["identity.assumed"].title.endswith("role/wazuh-security-lake")
    assert "assumed-role/wazuh-security-lake" in found["queue.permission_ok"].title
    assert found["queue.attributes"].title.startswith("1 message(s) waiting")
    loaded, _ = load_configuration(demo.context)
    block = next(b for b in loaded.blocks if b.block_type == "security_lake")
    session = open_input(demo.context, block)
    s3 = session.aws_session.client("s3", endpoint_url=demo.endpoint_url)  # type: ignore[union-attr]
    listed = s3.list_objects_v2(Bucket=LAKE_BUCKET)["Contents"]
    assert [item["Key"] for item in listed] == [LAKE_KEY], "the role may list the lake (Browse)"
    preview = preview_notified_object(session, LAKE_BUCKET, LAKE_KEY)
    assert preview.stop is None and len(preview.datagrams) == 2
    assert lake_buckets(session).names == (LAKE_BUCKET,), "Notified objects finds the lake's bucket by its name"
    assert '"operation": "ConsoleLogin"' in preview.datagrams[0]


def test_cloudwatch_group_drops_the_none_message(demo: DemoEnvironment, report: CheckReport) -> None:
    from diagnostics.checks import load_configuration
    from diagnostics.input_session import next_cloudwatch_run

    result = input_report(report, "service", "demo-app-logs")
    found = by_failure(result)
    assert found["logs.none_dropped"].title.startswith("1 of the first 3 events of plain-text")
    assert found["logs.group_ok"].title == "Log group demo-app-logs in us-east-1: 2 stream(s)"
    assert predicted_exit(result) == 0
    loaded, _ = load_configuration(demo.context)
    block = next(b for b in loaded.blocks if b.value("aws_log_groups") == "demo-app-logs")
    _, preview = next_cloudwatch_run(demo.context, block)
    dropped = [event.message for event in preview.events if event.dropped_by is not None]
    assert preview.exit_code == 0 and len(preview.events) == 5
    assert dropped == ["None of the health checks answered"]
    assert {event.stream for event in preview.events} == {"plain-text", "structured-json"}


def test_missing_log_group_is_exit_16(report: CheckReport) -> None:
    result = input_report(report, "service", "demo-no-such-group")
    assert predicted_exit(result) == 16 and "logs.group_failed" in failure_ids(result)


def inspector_block(demo: DemoEnvironment, region: str) -> Any:
    """The demo's Inspector block that walks ``region``."""
    from diagnostics.checks import load_configuration

    loaded, _ = load_configuration(demo.context)
    return next(b for b in loaded.blocks if b.block_type == "inspector" and b.value("regions") == region)


def test_inspector_region_is_readable(report: CheckReport) -> None:
    result = next(candidate for candidate in report.blocks if candidate.block.block_type == "inspector"
                  and candidate.block.value("regions") == "us-east-1")
    assert result.status is Status.OK and predicted_exit(result) == 0, failure_ids(result)
    assert by_failure(result)["inspector.findings_ok"].title.startswith("Inspector findings readable in us-east-1")
    assert "(3 on the first page)" in by_failure(result)["inspector.findings_ok"].title


def test_inspector_preview_sends_todays_findings_and_never_yesterdays(demo: DemoEnvironment) -> None:
    from diagnostics.input_session import next_inspector_run
    from tui.demo_inputs import inspector_findings

    _, preview = next_inspector_run(demo.context, inspector_block(demo, "us-east-1"))
    assert preview.exit_code == 0 and not preview.failures
    (window,) = preview.windows
    assert window.start == datetime(2026, 11, 29) and window.end == NOW.replace(tzinfo=None)
    assert [event.summary.split(" ", 1)[0] for event in preview.events] == ["CRITICAL", "HIGH", "MEDIUM"]
    assert all(event.dropped_by is None for event in preview.events)
    seeded = {finding["title"]: finding for finding in inspector_findings(NOW)}
    moved = datetime.fromtimestamp(seeded["CVE-2021-44228 - org.apache.logging.log4j:log4j-core"]["updatedAt"])
    assert moved.strftime('"updatedAt": "2026-11-29T%H:%M:%SZ"') in preview.events[0].message, "the demo's day"
    older = seeded["CVE-2023-45853 - zlib"]
    assert older["severity"] == "LOW" and older["updatedAt"] < window.start.replace(tzinfo=timezone.utc).timestamp()
    assert not [event for event in preview.events if "zlib" in event.message], "updated before the window"


def test_inspector_pass_sends_three_then_none_from_its_own_state(demo: DemoEnvironment, tmp_path: Path) -> None:
    from diagnostics.service_pass import ServicePassOptions, run_service_pass

    block = inspector_block(demo, "us-east-1")
    options = ServicePassOptions(state_dir=tmp_path / "state")
    runs = []
    for _ in range(2):
        sent: list[str] = []
        result = run_service_pass(demo.context, block, None, options, emit_line=lambda line: None, send=sent.append)
        runs.append((result.exit_code, result.sent, len(sent)))
    assert runs == [(0, 3, 3), (0, 0, 0)]


def test_inspector_unsupported_region_stops_with_exit_22(demo: DemoEnvironment, report: CheckReport) -> None:
    from diagnostics.input_session import next_inspector_run

    result = next(candidate for candidate in report.blocks if candidate.block.block_type == "inspector"
                  and candidate.block.value("regions") == "me-south-1")
    assert predicted_exit(result) == 22
    _, preview = next_inspector_run(demo.context, inspector_block(demo, "me-south-1"))
    assert preview.exit_code == 22 and not preview.events and not preview.pages, "no call is made"


def test_inspector_findings_started_early_in_the_day_stay_inside_the_window() -> None:
    from tui.demo_inputs import inspector_findings

    started = datetime(2026, 12, 4, 0, 20, tzinfo=timezone.utc)
    midnight = datetime(2026, 12, 4, tzinfo=timezone.utc).timestamp()
    updated = {finding["severity"]: finding["updatedAt"] for finding in inspector_findings(started)}
    assert all(midnight <= updated[name] < started.timestamp() for name in ("CRITICAL", "HIGH", "MEDIUM")), updated
    assert updated["CRITICAL"] == midnight + 12 * 60 + 7.25, "moved by whole days, not clamped"
    assert updated["LOW"] < midnight


def test_inspector_browse_lists_the_older_finding_before_the_window(demo: DemoEnvironment) -> None:
    from diagnostics.service_browse import browse_findings, open_service_browse

    listing = browse_findings(open_service_browse(demo.context, inspector_block(demo, "us-east-1")), "us-east-1")
    assert listing.failure is None
    placed = {entry.event.summary.split(" ", 1)[0]: entry.in_window for entry in listing.findings}
    assert placed == {"CRITICAL": True, "HIGH": True, "MEDIUM": True, "LOW": False}
