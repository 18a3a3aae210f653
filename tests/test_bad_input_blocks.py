"""Broken subscriber and service blocks are never ok: each has the module's exit, a wrong type or partition its line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.inputs_support import (
    CN_ROLE_LINE,
    GOV_ROLE_LINE,
    INPUTS_CONF,
    INSPECTOR_LINE,
    LAKE_LINE,
    SUBSCRIBER_LINE,
    check_json,
)
from tests.inputs_support import broken_home as broken_home
from tests.inputs_support import inputs_home as inputs_home
from tui.cli import main


@pytest.mark.parametrize(("line", "partition", "role_line"), [(CN_ROLE_LINE, "aws-cn", 7),
                                                              (GOV_ROLE_LINE, "aws-us-gov", 12)])
def test_a_role_of_another_partition_is_named_with_its_block_and_line(
        broken_home: Path, moto: str, capsys: pytest.CaptureFixture[str], line: int, partition: str,
        role_line: int) -> None:
    code, findings = check_json(broken_home, moto, line, capsys)
    wrong = [finding for finding in findings if finding["failure_id"] == "config.role_partition"]
    assert len(wrong) == 1, "moto assumes the role anyway: only the configuration step can tell"
    assert wrong[0]["status"] == "warning" and code >= 1
    assert wrong[0]["location"].endswith(f"ossec.conf:{role_line}")
    assert f"a role of the {partition} partition" in wrong[0]["title"]
    assert "arn:aws:iam::123456789012:role/lake-reader" in wrong[0]["fix"]


def test_a_role_of_the_commercial_partition_is_not_flagged(broken_home: Path, moto: str,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    _, findings = check_json(broken_home, moto, LAKE_LINE, capsys)
    assert "config.role_partition" not in {finding["failure_id"] for finding in findings}


EVERY_BROKEN_CONF = """<ossec_config>
  <wodle name="aws-s3">
    <disabled>no</disabled>
    <interval>10m</interval>
    <subscriber type="buckets">
      <sqs_name>queue-never-created</sqs_name>
    </subscriber>
    <subscriber type="security_lake">
      <sqs_name>lake-queue</sqs_name>
      <iam_role_arn>arn:aws:iam::123456789012:role/lake-reader</iam_role_arn>
      <external_id>lake-external-id</external_id>
      <aws_profile>limited</aws_profile>
    </subscriber>
    <subscriber type="security_lake">
      <sqs_name>lake-queue</sqs_name>
      <iam_role_arn>arn:aws:iam::123456789012:role/lake-reader</iam_role_arn>
    </subscriber>
    <subscriber type="buckets">
      <sqs_name>https://sqs.us-east-1.amazonaws.com/123456789012/lake-queue</sqs_name>
    </subscriber>
    <subscriber type="buckets">
      <sqs_name>lake-queue</sqs_name>
      <aws_profile>no-such-profile</aws_profile>
    </subscriber>
    <service type="cloudwatchlogs">
      <aws_log_groups>group-never-created</aws_log_groups>
      <regions>us-east-1</regions>
    </service>
    <service type="cloudwatchlogs">
      <aws_log_groups>app-logs ,group-never-created</aws_log_groups>
      <regions>us-east-1</regions>
    </service>
    <service type="inspector">
      <regions>me-south-1</regions>
    </service>
    <service type="cloudwatchlogs">
      <aws_log_groups>app-logs</aws_log_groups>
      <regions>us-east-1</regions>
      <aws_profile>no-such-profile</aws_profile>
    </service>
  </wodle>
</ossec_config>
"""
BROKEN_EXITS = {5: (20, "queue.not_found"), 8: (3, "identity.assume_denied"),
                14: (21, "config.security_lake_missing"), 18: (2, "config.queue_name_invalid"),
                21: (23, None), 25: (16, "logs.group_failed"), 29: (2, "config.value_split"),
                33: (22, "config.inspector_region"), 36: (23, None)}
"""Line of each broken block -> the module's exit for it and the finding that predicts it."""


def test_no_broken_subscriber_or_service_is_ok_and_each_has_the_modules_exit(
        inputs_home: Path, clean_aws_env: Path, moto: str, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.conftest import admin_client, enable_auth

    (inputs_home / "etc" / "ossec.conf").write_text(EVERY_BROKEN_CONF)
    iam = admin_client(moto, "iam")
    keys = {}
    for user, actions in (("admin", ["*"]), ("limited", ["sqs:*", "sts:GetCallerIdentity"])):
        iam.create_user(UserName=user)
        iam.put_user_policy(UserName=user, PolicyName="p", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}))
        keys[user] = iam.create_access_key(UserName=user)["AccessKey"]
    iam.create_role(RoleName="lake-reader", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"},
                                                "Action": "sts:AssumeRole"}]}))
    admin_client(moto, "sqs").create_queue(QueueName="lake-queue")
    logs = admin_client(moto, "logs")
    logs.create_log_group(logGroupName="app-logs")
    logs.create_log_stream(logGroupName="app-logs", logStreamName="s1")
    (clean_aws_env / ".aws" / "credentials").write_text("".join(
        f"[{'default' if user == 'admin' else user}]\naws_access_key_id = {key['AccessKeyId']}\n"
        f"aws_secret_access_key = {key['SecretAccessKey']}\n" for user, key in keys.items()))
    (clean_aws_env / ".aws" / "config").write_text("[default]\nregion = us-east-1\n"
                                                   "[profile limited]\nregion = us-east-1\n")
    enable_auth(moto)
    from diagnostics.checks import prepare_context, run_checks
    from diagnostics.context import context_from_environment

    context = prepare_context(context_from_environment(None, str(inputs_home), moto))
    report = run_checks(context)
    by_line = {block.block.location.line: block for block in report.blocks}
    assert set(by_line) == set(BROKEN_EXITS)
    for line, (exit_code, failure_id) in BROKEN_EXITS.items():
        findings = by_line[line].findings
        assert by_line[line].status.value == "error", (line, [finding.title for finding in findings])
        predicted = [finding for finding in findings if finding.wazuh_exit_code is not None]
        assert predicted and predicted[0].wazuh_exit_code == exit_code, (line, [
            (finding.failure_id, finding.wazuh_exit_code) for finding in predicted])
        if failure_id is not None:
            assert predicted[0].failure_id == failure_id
        if line in (14, 18, 29):  # the script stops before any AWS call: no later step has an exit of its own
            assert len(predicted) == 1, (line, [(finding.failure_id, finding.wazuh_exit_code) for finding in predicted])
    group = next(finding for finding in by_line[29].findings if finding.failure_id == "logs.group_failed")
    assert "the module stops earlier (exit 2) and never reaches this step" in group.evidence
    assert group.ossec_log == ()


def test_a_wrong_subscriber_or_service_type_is_an_error_naming_its_line(
        inputs_home: Path, moto: str, capsys: pytest.CaptureFixture[str]) -> None:
    (inputs_home / "etc" / "ossec.conf").write_text(
        INPUTS_CONF.replace('type="buckets"', 'type="securitylake"').replace('type="inspector"', 'type="inspect"'))
    code = main(["check", "--wazuh-home", str(inputs_home), "--endpoint-url", moto, "--format", "json"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    wrong = {finding["location"].rsplit(":", 1)[1]: finding["title"] for finding in findings
             if finding["failure_id"] == "config.service_type_invalid"}
    assert wrong == {str(INSPECTOR_LINE): "Unknown service type 'inspect'",
                     str(SUBSCRIBER_LINE): "Unknown subscriber type 'securitylake'"}
    assert code == 2
