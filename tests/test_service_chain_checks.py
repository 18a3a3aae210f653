"""A CloudWatch Logs or Inspector block's chain in ``check``: refused or unreachable calls, paging, the region loop."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.inputs_support import (
    INPUTS_CONF,
    INSPECTOR_LINE,
    check_json,
    keys_json,
)
from tests.inputs_support import inputs_home as inputs_home


def test_get_log_events_denied_is_exit_16_with_the_modules_line(moto: str, tmp_path: Path) -> None:
    from diagnostics.aws.service_access import check_service_access
    from tests.conftest import admin_client, enable_auth
    from tests.test_service_access import context, service_block, settings

    logs = admin_client(moto, "logs")
    logs.create_log_group(logGroupName="app-logs")
    logs.create_log_stream(logGroupName="app-logs", logStreamName="s1")
    iam = admin_client(moto, "iam")
    iam.create_user(UserName="streams-only")
    iam.put_user_policy(UserName="streams-only", PolicyName="p", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "logs:DescribeLogStreams",
                                                "Resource": "*"}]}))
    key = iam.create_access_key(UserName="streams-only")["AccessKey"]
    enable_auth(moto)
    import boto3

    reader = boto3.session.Session(aws_access_key_id=key["AccessKeyId"],
                                   aws_secret_access_key=key["SecretAccessKey"], region_name="us-east-1")
    home = tmp_path / "root"
    (home / ".aws").mkdir(parents=True)
    block = service_block("cloudwatchlogs", aws_log_groups="app-logs", regions="us-east-1")
    findings = check_service_access(reader, block, context(home), settings(moto))
    denied = next(finding for finding in findings if finding.failure_id == "logs.events_denied")
    assert denied.wazuh_exit_code == 16 and denied.status.value == "error"
    # moto answers a JSON-protocol call refused by its IAM with an XML body, so botocore names only the status
    assert any('The "get_log_events" request failed: An error occurred (' in line and "GetLogEvents operation"
               in line for line in denied.ossec_log), denied.ossec_log
    assert "logs.group_ok" not in {finding.failure_id for finding in findings}


def test_an_unreachable_cloudwatch_endpoint_is_an_error_without_an_exit(tmp_path: Path) -> None:
    import boto3

    from diagnostics.aws.service_access import check_service_access
    from tests.fault_proxy import refused_endpoint
    from tests.test_service_access import context, service_block, settings

    home = tmp_path / "root"
    (home / ".aws").mkdir(parents=True)
    block = service_block("cloudwatchlogs", aws_log_groups="app-logs", regions="us-east-1")
    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                    region_name="us-east-1")
    findings = check_service_access(session, block, context(home), settings(refused_endpoint()))
    unreachable = next(finding for finding in findings if finding.failure_id == "logs.group_unreachable")
    assert unreachable.status.value == "error" and unreachable.wazuh_exit_code is None
    assert "without a failure exit" in unreachable.explanation


def test_an_unsupported_inspector_region_stops_the_loop_after_the_regions_sorted_before_it(
        inputs_home: Path, moto: str, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.test_service_access import load_golden

    golden = load_golden("inspector_unsupported_region_exit_22")
    regions = golden["arguments"][golden["arguments"].index("--regions") + 1]
    read = [line.split('"')[1] for line in golden["output"] if "Getting alerts from" in line]
    assert golden["exit_code"] == 22 and read == ["us-east-1"], "the module reads us-east-1, then stops"
    (inputs_home / "etc" / "ossec.conf").write_text(INPUTS_CONF.replace(
        "<regions>us-east-1,eu-west-1</regions>", f"<regions>{regions},us-west-9</regions>"))
    _, findings = check_json(inputs_home, moto, INSPECTOR_LINE, capsys)
    refused = [finding for finding in findings if finding["failure_id"] == "config.inspector_region"]
    assert [finding["title"] for finding in refused] == ["Inspector does not support region 'us-gov-west-1'",
                                                         "Inspector does not support region 'us-west-9'"]
    assert [finding["wazuh_exit_code"] for finding in refused] == [22, None], "only the first refusal is reached"
    assert "so us-east-1 is read on every run before the run stops here" in refused[0]["explanation"]
    assert "sorted loop" not in refused[1]["explanation"]


def test_describe_log_streams_is_paged_like_the_module(moto: str, tmp_path: Path) -> None:
    import boto3

    from diagnostics.aws.service_access import check_service_access
    from tests.conftest import admin_client
    from tests.test_service_access import context, service_block, settings

    logs = admin_client(moto, "logs")
    logs.create_log_group(logGroupName="busy-logs")
    for index in range(60):
        logs.create_log_stream(logGroupName="busy-logs", logStreamName=f"stream-{index:03d}")
    first_page = logs.describe_log_streams(logGroupName="busy-logs")
    assert "nextToken" in first_page and len(first_page["logStreams"]) < 60, "moto pages the answer too"
    home = tmp_path / "root"
    (home / ".aws").mkdir(parents=True)
    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                    region_name="us-east-1")
    findings = check_service_access(session, service_block("cloudwatchlogs", aws_log_groups="busy-logs",
                                                           regions="us-east-1"), context(home), settings(moto))
    ok = next(finding for finding in findings if finding.failure_id == "logs.group_ok")
    assert "60 stream(s)" in ok.title
    assert "pages read: 2" in ok.evidence


def test_a_service_loop_is_read_only_up_to_its_first_refused_region(
        inputs_home: Path, moto: str, capsys: pytest.CaptureFixture[str]) -> None:
    (inputs_home / "etc" / "ossec.conf").write_text(INPUTS_CONF.replace(
        "<regions>us-east-1,eu-west-1</regions>", "<regions>us-west-2,us-gov-west-1,us-east-1</regions>"))
    _, findings = check_json(inputs_home, moto, INSPECTOR_LINE, capsys)
    listed = [finding for finding in findings if finding["failure_id"] == "inspector.findings_ok"]
    assert [finding["title"].rsplit(" in ", 1)[1].split(" ")[0] for finding in listed] == ["us-east-1"], \
        "us-gov-west-1 stops the sorted loop (exit 22): us-west-2 is never reached"
    _, document = keys_json(inputs_home, INSPECTOR_LINE, capsys)
    assert "the run stops at us-gov-west-1 (exit 22), after reading us-east-1" in document["regions"]
    assert [scope["scope"] for scope in document["scopes"]] == ["us-east-1"]
    (inputs_home / "etc" / "ossec.conf").write_text(INPUTS_CONF.replace(
        "<regions>us-east-1,eu-west-1</regions>", "<regions>me-south-1</regions>"))
    _, findings = check_json(inputs_home, moto, INSPECTOR_LINE, capsys)
    ids = [finding["failure_id"] for finding in findings]
    assert "inspector.findings_ok" not in ids and "service.region_overridden" not in ids
    assert "inspector.skipped" in ids
