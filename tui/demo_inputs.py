"""The demo's queues, role, log group and Inspector region: one healthy and one broken case per input kind.

The seeder calls ``seed_inputs`` after the buckets exist and before IAM auth is switched on, so every
resource here is made with moto's seeding credentials; the blocks in samples/demo/ossec.conf then read them
with the demo users, and every answer (a missing queue, a denied receive) comes from moto itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from typing import Any

from tui.demo_server import serve_inspector_findings
from tui.sample_objects import SAMPLES

ACCOUNT_ID = "123456789012"
REGION = "us-east-1"
NORECEIVE_PROFILE = "wazuh-noreceive"
NORECEIVE_USER = "wazuh-noreceive"
NORECEIVE_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Action": ["sqs:GetQueueUrl", "sqs:GetQueueAttributes", "sts:GetCallerIdentity", "iam:Get*", "iam:List*",
                   "s3:GetBucketNotification", "s3:ListBucket", "s3:GetObject"],
        "Resource": "*",
    }],
}
"""A user that finds the queue and reads its bucket but may not receive or delete: the module stops at its first
ReceiveMessage, and that is the one failure Troubleshoot shows (the bucket and its objects still show)."""
INPUT_ACTIONS = ["sqs:GetQueueUrl", "sqs:GetQueueAttributes", "sqs:ReceiveMessage", "sqs:DeleteMessage",
                 "sqs:ListQueues", "s3:GetBucketNotification", "logs:DescribeLogGroups",
                 "logs:DescribeLogStreams", "logs:GetLogEvents", "inspector2:ListFindings", "sts:AssumeRole",
                 "iam:Get*", "iam:List*"]
"""What the demo reader needs beyond buckets: the subscribers' and services' calls, and iam:Get*/List* so the
doctor can read its own policies (moto has no policy simulator)."""

NOTIFIED_BUCKET = "demo-notified"
NOTIFIED_QUEUE = "demo-notifications"
SPACED_BUCKET = "demo-notified-spaces"
SPACED_QUEUE = "demo-spaces-notifications"
LAKE_BUCKET = "aws-security-data-lake-us-east-1-demo7k2q"
"""Named as Security Lake names its buckets (region, then a random suffix), so the app's Notified objects finds it
by name: the lake's queue policy never names its bucket."""
LAKE_QUEUE = "demo-security-lake-queue"
LAKE_ROLE = "wazuh-security-lake"
LAKE_EXTERNAL_ID = "wazuh-demo-lake"
LAKE_OBJECT = SAMPLES / "subscribers" / "security_lake" / "cloudtrail_api_activity.parquet"
"""A Parquet object as Security Lake writes it (OCSF rows); kept apart from objects/, whose manifest lists
the bucket types' samples."""
LAKE_KEY = (f"ext/CLOUD_TRAIL_MGMT/2.0/region={REGION}/accountId={ACCOUNT_ID}/eventDay=20261129/"
            "demo-api-activity.gz.parquet")
"""Where Security Lake would write the object; the one queued message names it."""
LOG_GROUP = "demo-app-logs"
PLAIN_STREAM = "plain-text"
"""Sorts before the JSON stream, so it is the stream the check samples."""
JSON_STREAM = "structured-json"
INPUT_BUCKETS = (NOTIFIED_BUCKET, SPACED_BUCKET, LAKE_BUCKET)
INSPECTOR_FINDINGS = SAMPLES / "inputs" / "inspector_findings.json"
"""The findings the demo's Inspector region holds, dated on a reference day that the seeder moves to today."""
INSPECTOR_UNSUPPORTED_REGION = "me-south-1"
"""A commercial region Inspector does not serve: the module's own list rejects it before any call (exit 22)."""

LAKE_ROLE_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT_ID}:user/wazuh-reader"},
        "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"sts:ExternalId": LAKE_EXTERNAL_ID}},
    }],
}
"""The wazuh-demo profile's user may assume the role with the external id (moto checks both, and names the
principal exactly: it does not read an account root as every user of the account)."""
LAKE_ROLE_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Action": ["sqs:GetQueueUrl", "sqs:GetQueueAttributes", "sqs:ReceiveMessage", "sqs:DeleteMessage",
                   "s3:GetObject", "s3:ListBucket", "s3:ListAllMyBuckets", "sts:GetCallerIdentity", "iam:Get*",
                   "iam:List*"],
        "Resource": "*",
    }],
}
"""What Security Lake's subscriber role grants: its queue and the lake's objects, and the bucket list so the
doctor can find the lake's bucket by its name."""


def seed_inputs(client: Callable[[str], Any], started: datetime) -> None:
    """Create the queues, notifications, objects, role, log group, messages and Inspector findings (``client``
    makes a seeding client for a service; ``started`` is the demo's start, in UTC)."""
    today = started.date()
    s3, sqs = client("s3"), client("sqs")
    _notified_bucket(s3, sqs, NOTIFIED_BUCKET, NOTIFIED_QUEUE, (
        ("app/2026/json-1.json", b'{"event": "login", "user": "alice", "result": "success"}\n'),
        ("app/2026/json-2.json", b'{"event": "login", "user": "bob", "result": "failure"}\n'),
    ))
    # The key with a space stops a run at its notification; the newest object (sorted last) is plain text
    # whose first line has no digit, so the module reads it as CSV with that line as the header.
    _notified_bucket(s3, sqs, SPACED_BUCKET, SPACED_QUEUE, (
        ("app/2026/app log.json", b'{"event": "logout", "user": "carol"}\n'),
        ("app/2026/z-plain.log", b"None of the users logged in\nuser alice logged in at 10:02\n"),
    ))
    _security_lake(s3, sqs, client("iam"))
    _log_group(client("logs"), today)
    serve_inspector_findings(ACCOUNT_ID, REGION, inspector_findings(started))


def _notified_bucket(s3: Any, sqs: Any, bucket: str, queue: str, objects: tuple[tuple[str, bytes], ...]) -> None:
    """A bucket whose ObjectCreated events go to ``queue``, whose policy names the bucket as its source."""
    arn = f"arn:aws:sqs:{REGION}:{ACCOUNT_ID}:{queue}"
    policy = {"Version": "2012-10-17", "Statement": [{
        "Sid": "bucket-sends", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
        "Action": "sqs:SendMessage", "Resource": arn,
        "Condition": {"ArnLike": {"aws:SourceArn": f"arn:aws:s3:::{bucket}"}}}]}
    s3.create_bucket(Bucket=bucket)
    sqs.create_queue(QueueName=queue, Attributes={"Policy": json.dumps(policy)})
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={
        "QueueConfigurations": [{"QueueArn": arn, "Events": ["s3:ObjectCreated:*"]}]})
    for key, body in objects:
        s3.put_object(Bucket=bucket, Key=key, Body=body)


def _security_lake(s3: Any, sqs: Any, iam: Any) -> None:
    """The lake's bucket with one Parquet object, its queue with one message in Security Lake's shape, and the
    subscriber role (trusting the demo reader with the external id)."""
    s3.create_bucket(Bucket=LAKE_BUCKET)
    s3.put_object(Bucket=LAKE_BUCKET, Key=LAKE_KEY, Body=LAKE_OBJECT.read_bytes())
    url = sqs.create_queue(QueueName=LAKE_QUEUE)["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps(
        {"detail": {"bucket": {"name": LAKE_BUCKET}, "object": {"key": LAKE_KEY}}}))
    iam.create_role(RoleName=LAKE_ROLE, AssumeRolePolicyDocument=json.dumps(LAKE_ROLE_TRUST))
    iam.put_role_policy(RoleName=LAKE_ROLE, PolicyName=f"{LAKE_ROLE}-policy",
                        PolicyDocument=json.dumps(LAKE_ROLE_POLICY))


def _log_group(logs: Any, today: date) -> None:
    """One group with a plain-text stream (one message starts with 'None ') and a JSON stream, dated today."""
    start = int(datetime(today.year, today.month, today.day, tzinfo=timezone.utc).timestamp() * 1000)
    minute = int(timedelta(minutes=1).total_seconds() * 1000)
    streams = {
        PLAIN_STREAM: ["service started on port 8443", "None of the health checks answered", "request served"],
        JSON_STREAM: [json.dumps({"level": "info", "msg": "user alice logged in"}),
                      json.dumps({"level": "warn", "msg": "disk 91% full"})],
    }
    logs.create_log_group(logGroupName=LOG_GROUP)
    for stream, messages in streams.items():
        logs.create_log_stream(logGroupName=LOG_GROUP, logStreamName=stream)
        logs.put_log_events(logGroupName=LOG_GROUP, logStreamName=stream, logEvents=[
            {"timestamp": start + (index + 1) * minute, "message": message} for index, message in enumerate(messages)])


def inspector_findings(started: datetime) -> list[dict[str, Any]]:
    """The sample findings moved from their reference day to ``started``'s day, an ``updatedAt`` after the
    start set one second before it, so those of the reference day fall inside a first run's window (today
    00:00 UTC to now) and the older one before it."""
    document = json.loads(INSPECTOR_FINDINGS.read_text())
    reference = date.fromisoformat(document["reference_day"])
    shift = (started.date() - reference).days * 86_400
    latest = started.timestamp() - 1
    findings = []
    for finding in document["findings"]:
        moved = dict(finding)
        for name in ("firstObservedAt", "lastObservedAt", "updatedAt"):
            if isinstance(moved.get(name), (int, float)):
                moved[name] = min(moved[name] + shift, latest)
        findings.append(moved)
    return findings
