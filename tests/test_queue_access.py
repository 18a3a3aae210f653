"""Subscriber queues against moto (IAM enforced where it matters), judged by recorded runs of the real module."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import boto3
import pytest

from diagnostics.aws.clients import ClientSettings
from diagnostics.aws.queue_access import check_queue_access, source_buckets
from diagnostics.context import DoctorContext
from diagnostics.findings import Finding, SourceLocation, Status
from diagnostics.wazuh.versions import profile_for
from diagnostics.wazuh.wodle import Block, Option
from tests.conftest import admin_client, enable_auth

GOLDENS = Path(__file__).parent / "goldens" / "module_4_14_7"
NOW = datetime(2026, 12, 4, 12, 0, 0, tzinfo=timezone.utc)
ACCOUNT = "123456789012"


def subscriber_block(block_type: str = "buckets", **options: str) -> Block:
    return Block("subscriber", block_type, SourceLocation("/var/ossec/etc/ossec.conf", 30),
                 {name: Option(name, value, 31 + index) for index, (name, value) in enumerate(options.items())})


def context(debug_level: int = 0) -> DoctorContext:
    return DoctorContext(now=NOW, debug_level=debug_level, profile=profile_for((4, 14, 7), "test"))


def settings(endpoint: str) -> ClientSettings:
    return ClientSettings(endpoint_url=endpoint, max_attempts=0, connect_timeout=2, read_timeout=5)


def session(key: str = "testing", secret: str = "testing") -> boto3.session.Session:
    return boto3.session.Session(aws_access_key_id=key, aws_secret_access_key=secret, region_name="us-east-1")


def golden(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((GOLDENS / name / "golden.json").read_text())
    return loaded


def predicted_exit(findings: tuple[Finding, ...]) -> int:
    return next((finding.wazuh_exit_code for finding in findings if finding.wazuh_exit_code is not None), 0)


def seed_notified_queue(endpoint: str, seed: dict[str, Any], *, policy_bucket: str | None = None) -> str:
    """The golden's bucket, queue (policy naming the bucket) and notification; returns the queue URL."""
    s3, sqs = admin_client(endpoint, "s3"), admin_client(endpoint, "sqs")
    s3.create_bucket(Bucket=seed["bucket"])
    arn = f"arn:aws:sqs:us-east-1:{ACCOUNT}:{seed['queue']}"
    policy = {"Version": "2012-10-17", "Statement": [{
        "Sid": "s3-sends", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
        "Action": "sqs:SendMessage", "Resource": arn,
        "Condition": {"ArnLike": {"aws:SourceArn": f"arn:aws:s3:::{policy_bucket or seed['bucket']}"}}}]}
    url: str = sqs.create_queue(QueueName=seed["queue"], Attributes={
        "VisibilityTimeout": str(seed["visibility_timeout"]), "Policy": json.dumps(policy)})["QueueUrl"]
    s3.put_bucket_notification_configuration(Bucket=seed["bucket"], NotificationConfiguration={
        "QueueConfigurations": [{"QueueArn": arn, "Events": ["s3:ObjectCreated:*"]}]})
    body = "".join(json.dumps(line) + "\n" for line in seed["body_lines"])
    s3.put_object(Bucket=seed["bucket"], Key=seed["key"], Body=body.encode())
    return url


def user_session(endpoint: str, actions: list[str]) -> tuple[boto3.session.Session, str]:
    iam = admin_client(endpoint, "iam")
    iam.create_user(UserName="sub-reader")
    iam.put_user_policy(UserName="sub-reader", PolicyName="receive-only", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}))
    key = iam.create_access_key(UserName="sub-reader")["AccessKey"]
    return session(key["AccessKeyId"], key["SecretAccessKey"]), f"arn:aws:iam::{ACCOUNT}:user/sub-reader"


def queue_counts(endpoint: str, url: str, reader: boto3.session.Session | None = None) -> tuple[str, str]:
    client = reader.client("sqs", endpoint_url=endpoint) if reader is not None else admin_client(endpoint, "sqs")
    attributes = client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])
    return attributes["Attributes"]["ApproximateNumberOfMessages"], \
        attributes["Attributes"]["ApproximateNumberOfMessagesNotVisible"]


def test_delete_denied_predicts_exit_21_and_the_duplicates_without_receiving(moto: str) -> None:
    recorded = golden("subscriber_delete_denied")
    url = seed_notified_queue(moto, recorded["seed"])
    # iam:Get*/List* lets the doctor read the user's policies; the module never calls IAM, so the recorded
    # run with the same queue and S3 permissions still applies.
    user, arn = user_session(moto, [*recorded["seed"]["user_policy"], "iam:Get*", "iam:List*"])
    before = queue_counts(moto, url)
    enable_auth(moto)
    findings = check_queue_access(user, subscriber_block(sqs_name=recorded["seed"]["queue"]), context(),
                                  settings(moto), principal=arn, account_id=ACCOUNT)
    assert [run["exit_code"] for run in recorded["runs"]] == [21, 21]
    assert predicted_exit(findings) == recorded["runs"][0]["exit_code"]
    denied = next(finding for finding in findings if finding.failure_id == "queue.delete_denied")
    assert "again on every run" in denied.explanation and "sqs:DeleteMessage" in denied.fix
    assert recorded["runs"][0]["datagrams"] == recorded["runs"][1]["datagrams"]
    # At debug 0 the module prints nothing but the exit: the predicted lines say only that.
    assert recorded["runs"][1]["output"] == []
    assert any("Returned exit code 21" in line for line in denied.ossec_log)
    assert queue_counts(moto, url, user) == before, "the check must never receive a message"


def test_notified_queue_with_every_permission_is_ok(moto: str) -> None:
    seed = golden("subscriber_delete_denied")["seed"]
    url = seed_notified_queue(moto, seed)
    user, arn = user_session(moto, ["sqs:*", "s3:GetObject", "s3:ListBucket", "s3:GetBucketNotification",
                                    "iam:Get*", "iam:List*"])
    enable_auth(moto)
    findings = check_queue_access(user, subscriber_block(sqs_name=seed["queue"]), context(), settings(moto),
                                  principal=arn, account_id=ACCOUNT)
    by_id = {finding.failure_id: finding for finding in findings}
    assert by_id["queue.url_ok"].status is Status.OK
    assert by_id["queue.permission_ok"].status is Status.OK
    expected = f"Bucket {seed['bucket']} notifies {seed['queue']} (s3:ObjectCreated:*)"
    assert by_id["queue.notification_ok"].title == expected
    assert "2 message(s) waiting" in by_id["queue.attributes"].title
    sample = f"Newest object {seed['key']}: read as json, 2 event(s) sent, 0 dropped"
    assert by_id["queue.object_sample"].title == sample
    assert predicted_exit(findings) == 0
    assert queue_counts(moto, url, user)[1] == "0"


def test_missing_queue_is_exit_20_with_the_modules_line_and_close_names(moto: str) -> None:
    recorded = golden("subscriber_missing_queue")
    admin_client(moto, "sqs").create_queue(QueueName="missing-queue-1")
    findings = check_queue_access(session(), subscriber_block(sqs_name="missing-queue"), context(), settings(moto))
    assert predicted_exit(findings) == recorded["exit_code"] == 20
    missing = next(finding for finding in findings if finding.failure_id == "queue.not_found")
    assert recorded["output"] == ["ERROR: Queue does not exist, verify the given name"]
    title = "Subscriber: buckets missing-queue  -  "
    assert missing.ossec_log[-2].endswith(title + "Returned exit code 20")
    assert missing.ossec_log[-1].endswith(title + "Queue does not exist, verify the given name")
    assert "missing-queue-1" in missing.explanation


def test_queue_url_as_name_is_left_to_the_argument_check(moto: str) -> None:
    recorded = golden("subscriber_queue_url_as_name")
    url = recorded["arguments"][recorded["arguments"].index("--queue") + 1]
    findings = check_queue_access(session(), subscriber_block(sqs_name=url), context(), settings(moto))
    assert recorded["exit_code"] == 2
    assert [finding.failure_id for finding in findings] == ["queue.skipped"]
    assert "exit 2" in findings[0].title and "wazuh-queue" in findings[0].title


def test_notification_to_another_queue_and_dead_letter_queue_are_reported(moto: str) -> None:
    seed = dict(golden("subscriber_delete_denied")["seed"], bucket="other-logs")
    sqs = admin_client(moto, "sqs")
    dead = sqs.create_queue(QueueName="wazuh-dlq")["QueueUrl"]
    dead_arn = sqs.get_queue_attributes(QueueUrl=dead, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    seed_notified_queue(moto, seed)
    admin_client(moto, "s3").create_bucket(Bucket="sub-logs")
    url = sqs.create_queue(QueueName="wazuh-sub-2", Attributes={
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dead_arn, "maxReceiveCount": 3}),
        "Policy": json.dumps({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sqs:*",
                                             "Resource": "*",
                                             "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::sub-logs"}}}]})})
    assert url
    findings = check_queue_access(session(), subscriber_block(sqs_name="wazuh-sub-2"), context(), settings(moto))
    by_id = {finding.failure_id: finding for finding in findings}
    assert by_id["queue.dead_letter"].title == "Messages received 3 time(s) move to wazuh-dlq"
    assert by_id["queue.notification_missing"].status is Status.ERROR
    assert by_id["queue.empty"].status is Status.WARNING


def test_source_buckets_come_from_source_arn_conditions() -> None:
    policy = {"Statement": [{"Condition": {"ArnEquals": {"aws:SourceArn": ["arn:aws:s3:::a", "arn:aws:s3:::b/*"]}}},
                            {"Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}}}]}
    assert source_buckets(json.dumps(policy)) == ("a", "b")
    assert source_buckets("not json") == ()


@pytest.mark.parametrize("queue_type", ["security_lake"])
def test_security_lake_queue_skips_the_notification_step(moto: str, queue_type: str) -> None:
    admin_client(moto, "sqs").create_queue(QueueName="lake-queue")
    findings = check_queue_access(session(), subscriber_block(queue_type, sqs_name="lake-queue"), context(),
                                  settings(moto))
    notification = next(finding for finding in findings if finding.check_id == "queue.notification")
    assert notification.status is Status.SKIPPED and "Security Lake" in notification.explanation


def test_keys_with_spaces_and_mangled_plain_text_in_the_source_bucket_are_reported(moto: str) -> None:
    seed = dict(golden("subscriber_delete_denied")["seed"], key="2026/12/04/app log.txt")
    seed_notified_queue(moto, dict(seed, body_lines=[]))
    admin_client(moto, "s3").put_object(Bucket=seed["bucket"], Key="2026/12/05/z-newest.log",
                                        Body=b"None of the users logged in\nuser alice logged in\n")
    findings = check_queue_access(session(), subscriber_block(sqs_name=seed["queue"]), context(), settings(moto))
    by_id = {finding.failure_id: finding for finding in findings}
    spaced = by_id["queue.key_with_space"]
    assert spaced.wazuh_exit_code == 12 and "'2026/12/04/app log.txt'" in spaced.explanation
    assert "'2026/12/04/app+log.txt'" in " ".join(spaced.evidence)
    assert by_id["queue.object_sample"].title.endswith("read as csv, 1 event(s) sent, 0 dropped")
    assert by_id["queue.object_mangled"].status is Status.WARNING


def test_identity_policy_rules_deny_wins_and_unevaluated_statements_stay_unknown() -> None:
    from diagnostics.aws.identity_policies import evaluate

    arn = "arn:aws:sqs:us-east-1:123456789012:q"

    def verdict(*statements: dict[str, Any]) -> str:
        return evaluate([("p", {"Statement": list(statements)})], ("sqs:DeleteMessage",), arn)[0].verdict

    allow = {"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}
    deny = {"Effect": "Deny", "Action": "sqs:DeleteMessage", "Resource": arn}
    assert verdict(allow) == "allowed"
    assert verdict(allow, deny) == "denied"
    assert verdict({"Effect": "Allow", "Action": "sqs:ReceiveMessage", "Resource": "*"}) == "denied"
    assert verdict(allow, dict(deny, Condition={"Bool": {"aws:SecureTransport": "false"}})) == "unknown"
    assert verdict(allow, {"Effect": "Deny", "NotAction": "s3:*", "Resource": "*"}) == "unknown"
    assert verdict(allow, dict(allow, Condition={"IpAddress": {}})) == "allowed"
