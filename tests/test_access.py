"""The bucket access chain against moto's server (IAM enforced) and the loopback fake for what moto lacks."""

from __future__ import annotations

import json
import socket
from datetime import datetime, timezone
from typing import Any

import boto3
import pytest

from diagnostics.aws.access import check_bucket_access, module_prefix
from diagnostics.aws.clients import ClientSettings
from diagnostics.context import DoctorContext
from diagnostics.findings import Finding, SourceLocation, Status
from diagnostics.wazuh.versions import profile_for
from diagnostics.wazuh.wodle import Block, Option
from tests.conftest import admin_client, enable_auth
from tests.redirect_server import KMS_KEY, endpoint_of, fake_s3

NOW = datetime(2025, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
STAMP = "2025/03/01 12:00:00 wazuh-modulesd:aws-s3:"
READER = ["s3:ListBucket", "s3:HeadBucket", "s3:GetObject", "s3:ListAllMyBuckets", "s3:GetBucketLocation"]
KEY = "AWSLogs/123456789012/CloudTrail/us-east-1/2025/03/01/123456789012_CloudTrail_us-east-1_x.json.gz"


def make_block(block_type: str = "cloudtrail", **options: str) -> Block:
    return Block(
        "bucket",
        block_type,
        SourceLocation("/var/ossec/etc/ossec.conf", 10),
        {name: Option(name, value, 11 + index) for index, (name, value) in enumerate(options.items())},
    )


def context(version: tuple[int, int, int] = (4, 14, 7), debug_level: int = 0) -> DoctorContext:
    return DoctorContext(now=NOW, debug_level=debug_level, profile=profile_for(version, "test"))


def session_for(key_id: str = "testing", secret: str = "testing") -> boto3.session.Session:
    return boto3.session.Session(
        aws_access_key_id=key_id, aws_secret_access_key=secret, region_name="us-east-1"
    )


def settings(endpoint: str) -> ClientSettings:
    return ClientSettings(endpoint_url=endpoint, max_attempts=1, connect_timeout=2, read_timeout=5)


def create_user(endpoint: str, name: str, actions: list[str]) -> dict[str, str]:
    iam = admin_client(endpoint, "iam")
    iam.create_user(UserName=name)
    iam.put_user_policy(
        UserName=name,
        PolicyName="doctor-test",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}
        ),
    )
    key: dict[str, str] = iam.create_access_key(UserName=name)["AccessKey"]
    return key


def seed(endpoint: str, bucket: str = "wazuh-trail", keys: tuple[str, ...] = (KEY,), **put: Any) -> None:
    s3 = admin_client(endpoint)
    s3.create_bucket(Bucket=bucket)
    for key in keys:
        s3.put_object(Bucket=bucket, Key=key, Body=b'{"Records": []}', **put)


def step(findings: tuple[Finding, ...], check_id: str, index: int = 0) -> Finding:
    matches = [finding for finding in findings if finding.check_id == check_id]
    assert len(matches) > index, [(finding.check_id, finding.failure_id) for finding in findings]
    return matches[index]


def predicted(findings: tuple[Finding, ...]) -> list[Finding]:
    return [finding for finding in findings if finding.wazuh_exit_code is not None]


def test_module_prefix_rules() -> None:
    assert module_prefix(None) == "" and module_prefix("") == ""
    assert module_prefix("cloudtrail") == "cloudtrail/"
    assert module_prefix("/cloudtrail/") == "/cloudtrail/"


def test_working_bucket_passes_every_step(moto: str) -> None:
    seed(moto)
    findings = check_bucket_access(session_for(), make_block(name="wazuh-trail"), context(), settings(moto))
    assert step(findings, "access.head_bucket").status is Status.OK
    listing = step(findings, "access.list_prefix")
    assert listing.failure_id == "access.list_prefix_ok" and "AWSLogs/" in listing.explanation
    assert step(findings, "access.head_object").failure_id == "access.head_object_ok"
    read = step(findings, "access.get_object")
    assert read.failure_id == "access.get_object_ok" and read.target == f"s3://wazuh-trail/{KEY}"
    assert predicted(findings) == []


def test_missing_bucket_is_exit_1_unexpected_error(moto: str) -> None:
    seed(moto, bucket="wazuh-trail-logs")
    findings = check_bucket_access(
        session_for(), make_block(name="wazuh-trail-log"), context(debug_level=1), settings(moto)
    )
    head = step(findings, "access.head_bucket")
    assert head.failure_id == "access.head_bucket_not_found" and head.wazuh_exit_code is None
    assert "never calls HeadBucket" in head.explanation
    assert step(findings, "access.head_bucket", 1).title == "Did you mean bucket 'wazuh-trail-logs'?"
    listing = step(findings, "access.list_prefix")
    assert listing.failure_id == "access.no_such_bucket" and listing.wazuh_exit_code == 1
    message = (
        "ERROR: Unexpected error: 'An error occurred (NoSuchBucket) when calling the ListObjectsV2 "
        "operation: The specified bucket does not exist'."
    )
    assert listing.ossec_log == (
        f"{STAMP} INFO: Executing Bucket Analysis: (Bucket: wazuh-trail-log, Type: cloudtrail)",
        f"{STAMP} WARNING: Bucket:  -  Returned exit code 1",
        f"{STAMP} WARNING: Bucket:  -  Unknown error.",
        f"{STAMP} DEBUG: Bucket:  -  OUTPUT: {message}",
    )
    assert predicted(findings) == [listing]


def test_missing_bucket_in_legacy_versions_is_headbucket_exit_3(moto: str) -> None:
    findings = check_bucket_access(
        session_for(), make_block(name="wazuh-cloudnottrail"), context((4, 3, 10)), settings(moto)
    )
    head = step(findings, "access.head_bucket")
    assert head.wazuh_exit_code == 3
    assert head.ossec_log[-2:] == (
        f"{STAMP} WARNING: Bucket:  -  Returned exit code 3",
        f"{STAMP} WARNING: Bucket:  -  Access error: An error occurred (404) when calling the HeadBucket "
        "operation: Not Found",
    )
    listing = step(findings, "access.list_prefix")
    assert listing.wazuh_exit_code is None and any(
        "stops earlier (exit 3)" in line for line in listing.evidence
    )


def test_access_denied_is_exit_1_and_headbucket_403_is_explained(moto: str) -> None:
    seed(moto)
    key = create_user(moto, "getonly", ["s3:GetObject"])
    enable_auth(moto)
    findings = check_bucket_access(
        session_for(key["AccessKeyId"], key["SecretAccessKey"]),
        make_block(name="wazuh-trail"),
        context(),
        settings(moto),
    )
    head = step(findings, "access.head_bucket")
    assert head.failure_id == "access.head_bucket_forbidden" and "AccessDenied" in head.title
    assert any(line.startswith("ListObjectsV2: HTTP 403 AccessDenied") for line in head.evidence)
    listing = step(findings, "access.list_prefix")
    assert listing.failure_id == "access.list_denied" and listing.wazuh_exit_code == 1
    assert listing.ossec_log[-1] == f"{STAMP} WARNING: Bucket:  -  Unknown error."
    assert "s3:ListBucket on arn:aws:s3:::wazuh-trail" in listing.explanation


def test_legacy_403_is_headbucket_forbidden_exit_3(moto: str) -> None:
    seed(moto)
    key = create_user(moto, "getonly", ["s3:GetObject"])
    enable_auth(moto)
    findings = check_bucket_access(
        session_for(key["AccessKeyId"], key["SecretAccessKey"]),
        make_block(name="wazuh-trail"),
        context((4, 2, 0)),
        settings(moto),
    )
    head = step(findings, "access.head_bucket")
    assert head.wazuh_exit_code == 3
    assert head.ossec_log[-1] == (
        f"{STAMP} WARNING: Bucket:  -  Access error: An error occurred (403) when "
        "calling the HeadBucket operation: Forbidden"
    )
    assert predicted(findings) == [head]


def test_unknown_access_key_is_exit_1(moto: str) -> None:
    seed(moto)
    enable_auth(moto)
    findings = check_bucket_access(
        session_for("AKIANOTKNOWN00000000", "x" * 40),
        make_block(name="wazuh-trail"),
        context(),
        settings(moto),
    )
    assert "InvalidAccessKeyId" in step(findings, "access.head_bucket").title
    listing = step(findings, "access.list_prefix")
    assert listing.failure_id == "access.invalid_access_key" and listing.wazuh_exit_code == 1
    assert "AKIA****0000" in listing.title


def test_wrong_secret_is_exit_3_invalid_credentials(moto: str) -> None:
    seed(moto)
    key = create_user(moto, "reader", READER)
    enable_auth(moto)
    secret = key["SecretAccessKey"]
    findings = check_bucket_access(
        session_for(key["AccessKeyId"], secret[:-1] + "X"),
        make_block(name="wazuh-trail"),
        context(),
        settings(moto),
    )
    listing = step(findings, "access.list_prefix")
    assert listing.failure_id == "access.signature_mismatch" and listing.wazuh_exit_code == 3
    assert listing.ossec_log[-1] == f"{STAMP} WARNING: Bucket:  -  Invalid credentials to access S3 Bucket"
    dumped = json.dumps([finding.to_dict() for finding in findings])
    assert secret not in dumped and secret[:-1] not in dumped


def test_allowed_user_reads_everything(moto: str) -> None:
    seed(moto)
    key = create_user(moto, "reader", READER)
    enable_auth(moto)
    findings = check_bucket_access(
        session_for(key["AccessKeyId"], key["SecretAccessKey"]),
        make_block(name="wazuh-trail"),
        context(),
        settings(moto),
    )
    assert [finding.status for finding in findings if finding.status is not Status.OK] == []
    assert key["SecretAccessKey"] not in json.dumps([finding.to_dict() for finding in findings])


def test_prefix_without_folders_is_exit_14(moto: str) -> None:
    seed(moto, keys=("cloudtrail/file-at-the-root.json.gz",))
    block = make_block(name="wazuh-trail", path="cloudtrail", path_suffix="org")
    findings = check_bucket_access(session_for(), block, context(), settings(moto))
    listing = step(findings, "access.list_prefix")
    assert listing.failure_id == "access.prefix_empty" and listing.wazuh_exit_code == 14
    assert listing.ossec_log[-1] == (
        f"{STAMP} WARNING: Bucket:  -  No files were found in 'wazuh-trail/"
        "cloudtrail/org/'. No logs will be processed."
    )
    assert "files: 1, folders: 0" in listing.evidence


def test_custom_bucket_path_has_no_suffix_and_checks_caller_identity(moto: str) -> None:
    seed(moto, keys=())
    findings = check_bucket_access(
        session_for(), make_block("custom", name="wazuh-trail", path="firehose"), context(), settings(moto)
    )
    listing = step(findings, "access.list_prefix")
    assert "No files were found in 'wazuh-trail/firehose/'" in listing.ossec_log[-1]
    extra = step(findings, "access.extra_permissions")
    assert extra.failure_id == "access.caller_identity_ok" and "123456789012" in extra.title


def test_wrong_region_redirect_is_followed_and_reported() -> None:
    with fake_s3("eu-logs", region="eu-west-1", mode="regional") as server:
        findings = check_bucket_access(
            session_for(), make_block(name="eu-logs"), context(), settings(endpoint_of(server))
        )
        assert [signed for _, _, signed in server.requests[:2]] == ["us-east-1", "eu-west-1"]
    region = step(findings, "access.head_bucket", 1)
    assert region.failure_id == "access.bucket_in_other_region"
    assert region.title == "eu-logs is in eu-west-1, the client starts in us-east-1"
    assert "HeadBucket: HTTP 301 → 200" in region.evidence
    assert step(findings, "access.list_prefix").status is Status.OK
    assert predicted(findings) == []


def test_redirect_that_cannot_be_followed_is_exit_1() -> None:
    with fake_s3("eu-logs", region="eu-west-1", mode="always_redirect") as server:
        findings = check_bucket_access(
            session_for(), make_block(name="eu-logs"), context(), settings(endpoint_of(server))
        )
    listing = step(findings, "access.list_prefix")
    assert listing.failure_id == "access.wrong_region" and listing.wazuh_exit_code == 1
    assert listing.title == "eu-logs must be reached through eu-west-1"


def test_throttling_is_exit_16_with_the_modules_retry_count() -> None:
    with fake_s3("eu-logs", region="us-east-1", mode="throttle") as server:
        findings = check_bucket_access(
            session_for(), make_block(name="eu-logs"), context(), settings(endpoint_of(server))
        )
    listing = step(findings, "access.list_prefix")
    assert listing.wazuh_exit_code == 16
    assert listing.ossec_log[-1] == (
        f"{STAMP} WARNING: Bucket:  -  The 'check_bucket' request was denied due to request throttling. "
        "If the problem persists check the following link to learn how to use the Retry configuration "
        "to avoid it: "
        "'https://documentation.wazuh.com/current/amazon/services/prerequisites/considerations.html"
        "#Connection-configuration-for-retries': An error occurred (ThrottlingException) when calling the "
        "ListObjectsV2 operation (reached max retries: 10): Rate exceeded"
    )


def test_s3_slow_down_is_not_recognised_as_throttling() -> None:
    with fake_s3("eu-logs", region="us-east-1", mode="slowdown") as server:
        findings = check_bucket_access(
            session_for(), make_block(name="eu-logs"), context(), settings(endpoint_of(server))
        )
    listing = step(findings, "access.list_prefix")
    assert listing.failure_id == "access.slow_down" and listing.wazuh_exit_code == 1


def test_unreachable_endpoint_is_exit_15() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    endpoint = f"http://127.0.0.1:{port}"
    findings = check_bucket_access(
        session_for(), make_block(name="wazuh-trail", path="trail"), context(), settings(endpoint)
    )
    assert step(findings, "access.head_bucket").failure_id == "access.head_bucket_unreachable"
    listing = step(findings, "access.list_prefix")
    assert listing.failure_id == "access.endpoint_unreachable" and listing.wazuh_exit_code == 15
    assert listing.ossec_log[-1] == (
        f'{STAMP} WARNING: Bucket:  -  Could not connect to the endpoint URL: "{endpoint}/wazuh-trail?'
        'list-type=2&prefix=trail%2F&delimiter=%2F&encoding-type=url"'
    )


def test_invalid_bucket_name_stops_before_any_call(moto: str) -> None:
    findings = check_bucket_access(session_for(), make_block(name="Bad_Name!"), context(), settings(moto))
    assert [finding.failure_id for finding in findings] == [
        "access.invalid_bucket_name",
        "access.bucket_rejected_client_side",
    ]
    invalid = findings[0]
    assert invalid.wazuh_exit_code == 2
    assert invalid.ossec_log[-1] == f"{STAMP} WARNING: Bucket:  -  Error parsing arguments."
    assert "Invalid bucket name" in findings[1].explanation


def test_kms_encrypted_objects_show_the_key(moto: str) -> None:
    kms = admin_client(moto, "kms")
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    seed(moto, ServerSideEncryption="aws:kms", SSEKMSKeyId=key_id)
    findings = check_bucket_access(session_for(), make_block(name="wazuh-trail"), context(), settings(moto))
    head = step(findings, "access.head_object")
    assert "encryption aws:kms" in head.title
    kms_finding = step(findings, "access.head_object", 1)
    assert kms_finding.failure_id == "access.object_kms" and key_id in kms_finding.title
    # moto does not enforce kms:Decrypt on GetObject, so the read itself works here.
    assert step(findings, "access.get_object").status is Status.OK


def test_kms_decrypt_denied_names_the_key() -> None:
    with fake_s3("kms-logs", region="us-east-1", mode="kms_denied") as server:
        findings = check_bucket_access(
            session_for(), make_block(name="kms-logs"), context(), settings(endpoint_of(server))
        )
    read = step(findings, "access.get_object")
    assert read.failure_id == "access.kms_decrypt_denied" and read.wazuh_exit_code == 1
    assert KMS_KEY in read.title and "kms:Decrypt" in read.fix
    assert read.ossec_log[-1].startswith(
        f"{STAMP} WARNING: Bucket:  -  Unknown error reading/parsing file AWSLogs/123456789012/CloudTrail/"
        "eu-west-1/2024/01/01/trail.json.gz: AccessDenied('An error occurred (AccessDenied) when calling the "
        "GetObject operation: "
    )


def test_vpcflow_describes_flow_logs(moto: str) -> None:
    seed(moto)
    ec2 = admin_client(moto, "ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    flow = ec2.create_flow_logs(
        ResourceIds=[vpc],
        ResourceType="VPC",
        TrafficType="ALL",
        LogDestinationType="s3",
        LogDestination="arn:aws:s3:::wazuh-trail",
    )
    findings = check_bucket_access(
        session_for(),
        make_block("vpcflow", name="wazuh-trail", regions="us-east-1"),
        context(),
        settings(moto),
    )
    extra = step(findings, "access.extra_permissions")
    assert extra.failure_id == "access.flow_logs_ok"
    assert flow["FlowLogIds"][0] in extra.explanation
    assert extra.location == SourceLocation("/var/ossec/etc/ossec.conf", 12)


def test_vpcflow_without_ec2_permission_is_exit_12(moto: str) -> None:
    seed(moto)
    key = create_user(moto, "reader", READER)
    enable_auth(moto)
    findings = check_bucket_access(
        session_for(key["AccessKeyId"], key["SecretAccessKey"]),
        make_block("vpcflow", name="wazuh-trail"),
        context(),
        settings(moto),
    )
    extra = step(findings, "access.extra_permissions")
    assert extra.failure_id == "access.flow_logs_denied" and extra.wazuh_exit_code == 12
    assert "DescribeFlowLogs" in extra.ossec_log[-1]


@pytest.mark.parametrize("kind", ["service", "subscriber"])
def test_non_bucket_blocks_are_skipped(kind: str) -> None:
    block = Block(kind, "cloudwatchlogs", SourceLocation("/var/ossec/etc/ossec.conf", 3))
    findings = check_bucket_access(session_for(), block, context(), settings("http://127.0.0.1:9"))
    assert [finding.failure_id for finding in findings] == ["access.skipped"]


@pytest.mark.parametrize(
    ("mode", "failure_id", "exit_code", "last_line"),
    [
        (
            "skewed",
            "access.clock_skewed",
            19,
            "The server datetime and datetime of the AWS environment differ",
        ),
        ("expired", "access.expired_token", 1, "Unknown error."),
    ],
)
def test_list_errors_the_module_singles_out_or_not(
    mode: str, failure_id: str, exit_code: int, last_line: str
) -> None:
    with fake_s3("eu-logs", region="us-east-1", mode=mode) as server:
        findings = check_bucket_access(
            session_for(), make_block(name="eu-logs"), context(), settings(endpoint_of(server))
        )
    listing = step(findings, "access.list_prefix")
    assert listing.failure_id == failure_id and listing.wazuh_exit_code == exit_code
    assert listing.ossec_log[-1] == f"{STAMP} WARNING: Bucket:  -  {last_line}"


def test_missing_session_is_skipped() -> None:
    findings = check_bucket_access(
        None, make_block(name="wazuh-trail"), context(), settings("http://127.0.0.1:9")
    )
    assert [finding.failure_id for finding in findings] == ["access.skipped"]
    assert "AssumeRole" in findings[0].title
