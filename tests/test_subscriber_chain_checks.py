"""A subscriber's chain in ``check``: Security Lake's role and ExternalId, its trust policy, the queue, its region."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.inputs_support import (
    GOV_ROLE_LINE,
    LAKE_LINE,
    NO_ROLE_LINE,
    SUBSCRIBER_LINE,
    check_json,
)
from tests.inputs_support import broken_home as broken_home
from tests.inputs_support import inputs_home as inputs_home


def test_security_lake_without_role_and_external_id_predicts_only_the_first_exit(
        broken_home: Path, moto: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, findings = check_json(broken_home, moto, NO_ROLE_LINE, capsys)
    missing = [finding for finding in findings if finding["failure_id"] == "config.security_lake_missing"]
    assert [finding["title"] for finding in missing] == ["Security Lake subscriber without <iam_role_arn>",
                                                         "Security Lake subscriber without <external_id>"]
    assert [finding["wazuh_exit_code"] for finding in missing] == [21, None]
    assert any("Used a subscriber but no --iam_role_arn provided." in line for line in missing[0]["ossec_log"])
    assert not any("external_id" in line for line in missing[0]["ossec_log"])
    assert missing[1]["ossec_log"] == [] and missing[1]["status"] == "error"
    assert code == 2


def test_assume_role_sends_the_external_id_and_session_name_the_module_sends(
        broken_home: Path, moto: str, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.fault_proxy import fault_proxy

    with fault_proxy(moto) as proxy:
        check_json(broken_home, proxy.url, LAKE_LINE, capsys)
        check_json(broken_home, proxy.url, GOV_ROLE_LINE, capsys)
    assumed = [request.form for request in proxy.requests if request.operation == "AssumeRole"]
    assert len(assumed) == 2
    assert assumed[0]["RoleSessionName"] == ["WazuhLogParsing"]
    assert assumed[0]["ExternalId"] == ["lake-external-id"], "a subscriber's <external_id> goes with AssumeRole"
    assert assumed[1]["RoleSessionName"] == ["WazuhLogParsing"]
    assert assumed[1]["RoleArn"] == ["arn:aws-us-gov:iam::123456789012:role/lake-reader"]
    _, findings = check_json(broken_home, moto, LAKE_LINE, capsys)
    role = next(finding for finding in findings if finding["check_id"] == "identity.assume_role")
    assert role["evidence"][0].endswith("RoleSessionName=WazuhLogParsing ExternalId=lake-external-id")


def test_queue_attributes_show_counts_visibility_dead_letter_queue_and_the_policys_source(moto: str) -> None:
    from diagnostics.aws.queue_access import check_queue_access
    from tests.test_queue_access import context, seed_notified_queue, session, settings, subscriber_block

    sqs = admin_client_for(moto, "sqs")
    dead = sqs.create_queue(QueueName="wazuh-dead")["QueueUrl"]
    dead_arn = sqs.get_queue_attributes(QueueUrl=dead, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    url = seed_notified_queue(moto, {"bucket": "notified-logs", "queue": "wazuh-queue", "visibility_timeout": 45,
                                     "key": "app/one.json", "body_lines": [{"n": 1}]})
    policy = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["Policy"])["Attributes"]["Policy"]
    # moto drops the policy when other attributes are set alone, so it is set again with the redrive policy
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": policy, "RedrivePolicy": json.dumps(
        {"deadLetterTargetArn": dead_arn, "maxReceiveCount": "3"})})
    sqs.send_message(QueueUrl=url, MessageBody="{}")
    sqs.send_message(QueueUrl=dead, MessageBody="a notification the module gave up on")
    findings = check_queue_access(session(), subscriber_block(sqs_name="wazuh-queue"), context(), settings(moto))
    attributes = next(finding for finding in findings if finding.failure_id == "queue.attributes")
    evidence = "\n".join(attributes.evidence)
    waiting = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
    count = waiting["Attributes"]["ApproximateNumberOfMessages"]
    assert int(count) >= 1, "moto's own notifications and the message sent above"
    assert f"ApproximateNumberOfMessages={count} ApproximateNumberOfMessagesNotVisible=0" in evidence
    assert "VisibilityTimeout=45" in evidence
    assert "Policy: admits S3 notifications from notified-logs" in evidence
    assert "ApproximateAgeOfOldestMessage" in evidence, "the oldest message's age is said to be unavailable"
    dead_letter = next(finding for finding in findings if finding.failure_id == "queue.dead_letter")
    assert "wazuh-dead" in dead_letter.title + dead_letter.explanation
    assert "3" in dead_letter.explanation
    assert "Messages in wazuh-dead now: 1." in dead_letter.explanation, "each one a notification never read"
    assert next(finding for finding in findings if finding.failure_id == "queue.notification_ok")


def admin_client_for(endpoint: str, service: str):  # type: ignore[no-untyped-def]
    from tests.conftest import admin_client

    return admin_client(endpoint, service)


TRUST_CONF = """<ossec_config>
  <wodle name="aws-s3">
    <disabled>no</disabled>
    <interval>10m</interval>
    <subscriber type="security_lake">
      <sqs_name>lake-queue</sqs_name>
      <iam_role_arn>arn:aws:iam::123456789012:role/lake-reader</iam_role_arn>
      <external_id>not-the-one</external_id>
    </subscriber>
    <subscriber type="security_lake">
      <sqs_name>lake-queue</sqs_name>
      <iam_role_arn>arn:aws:iam::123456789012:role/lake-reader</iam_role_arn>
      <external_id>lake-external-id</external_id>
    </subscriber>
    <subscriber type="security_lake">
      <sqs_name>lake-queue</sqs_name>
      <iam_role_arn>arn:aws:iam::123456789012:role/never-created</iam_role_arn>
      <external_id>lake-external-id</external_id>
    </subscriber>
    <service type="cloudwatchlogs">
      <aws_log_groups>app-logs</aws_log_groups>
      <regions>us-east-1</regions>
      <iam_role_arn>arn:aws:iam::123456789012:role/lake-reader</iam_role_arn>
    </service>
  </wodle>
</ossec_config>
"""
WRONG_ID_LINE, RIGHT_ID_LINE, NO_ROLE_AT_ALL_LINE, SERVICE_ROLE_LINE = 5, 10, 15, 20
SUBSCRIBER_READS = frozenset({"GetCallerIdentity", "AssumeRole", "GetRole", "GetQueueUrl", "GetQueueAttributes",
                              "ListQueues", "SimulatePrincipalPolicy", "ListRolePolicies", "GetRolePolicy",
                              "ListAttachedRolePolicies", "GetPolicy", "GetPolicyVersion", "DescribeLogStreams",
                              "GetLogEvents", "DescribeLogGroups"})


@pytest.fixture
def trust_home(inputs_home: Path, moto: str) -> Path:
    """A Security Lake-like role whose trust policy demands one ExternalId; moto itself never checks it."""
    from tests.conftest import admin_client

    (inputs_home / "etc" / "ossec.conf").write_text(TRUST_CONF)
    admin_client(moto, "sqs").create_queue(QueueName="lake-queue")
    admin_client(moto, "logs").create_log_group(logGroupName="app-logs")
    admin_client(moto, "iam").create_role(RoleName="lake-reader", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"sts:ExternalId": "lake-external-id"}}}]}))
    return inputs_home


@pytest.mark.parametrize(("line", "failure_id", "exit_code", "where"), [
    (WRONG_ID_LINE, "role.external_id_wrong", 3, 8), (RIGHT_ID_LINE, "role.trust_ok", None, 12),
    (NO_ROLE_AT_ALL_LINE, "role.missing", 3, 17), (SERVICE_ROLE_LINE, "role.external_id_unsendable", 3, 23)])
def test_the_roles_trust_policy_tells_a_wrong_external_id_from_a_missing_role(
        trust_home: Path, moto: str, capsys: pytest.CaptureFixture[str], line: int, failure_id: str,
        exit_code: int | None, where: int) -> None:
    from tests.fault_proxy import fault_proxy

    with fault_proxy(moto) as proxy:
        code, findings = check_json(trust_home, proxy.url, line, capsys)
    trust = [finding for finding in findings if finding["check_id"] == "identity.role_trust"]
    assert [finding["failure_id"] for finding in trust] == [failure_id]
    assert trust[0]["wazuh_exit_code"] == exit_code
    assert trust[0]["location"].endswith(f"ossec.conf:{where}")
    predicted = [finding["wazuh_exit_code"] for finding in findings if finding["wazuh_exit_code"] is not None]
    if exit_code is not None:
        assert predicted[0] == 3 and code == 2, "moto assumed the role anyway: the trust policy is the proof"
        assert any("Access error: An error occurred (AccessDenied) when calling the AssumeRole operation"
                   in log_line for log_line in trust[0]["ossec_log"])
    operations = set(proxy.operations())
    assert "GetRole" in operations and operations <= SUBSCRIBER_READS, operations - SUBSCRIBER_READS


def test_trust_policy_external_ids_are_read_from_every_assume_role_statement() -> None:
    from diagnostics.aws.role_trust import external_ids_demanded

    policy = {"Statement": [
        {"Effect": "Allow", "Action": ["sts:AssumeRole"], "Condition": {"StringLike": {"STS:ExternalId": ["a-*"]}}},
        {"Effect": "Deny", "Action": "sts:AssumeRole"},
        {"Effect": "Allow", "Action": "sts:TagSession"}]}
    assert external_ids_demanded(json.dumps(policy)) == (["a-*"], False)
    policy["Statement"].append({"Effect": "Allow", "Action": "sts:*"})
    assert external_ids_demanded(policy) == (["a-*"], True)
    assert external_ids_demanded("%7B%22Statement%22%3A%5B%5D%7D") == ([], False), "GetRole URL-encodes it"


def test_a_subscriber_without_any_region_is_exit_12_before_the_queue_look_up(
        inputs_home: Path, clean_aws_env: Path, moto: str, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.conftest import admin_client

    admin_client(moto, "sqs").create_queue(QueueName="wazuh-notifications")
    (clean_aws_env / ".aws" / "config").write_text("[default]\noutput = json\n")
    code, findings = check_json(inputs_home, moto, SUBSCRIBER_LINE, capsys)
    no_region = next(finding for finding in findings if finding["failure_id"] == "queue.no_region")
    assert no_region["status"] == "error" and no_region["wazuh_exit_code"] == 12
    assert any(line.endswith("Subscriber: buckets wazuh-notifications  -  You must specify a region.")
               for line in no_region["ossec_log"])
    found = next(finding for finding in findings if finding["failure_id"] == "queue.url_ok")
    assert found["wazuh_exit_code"] is None and code == 2
