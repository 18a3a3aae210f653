"""Identity against moto's STS with IAM enforcement: caller, AssumeRole, and the host clock."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from diagnostics.aws.clients import ClientSettings
from diagnostics.aws.credentials import resolve_credentials
from diagnostics.aws.identity import IdentityResult, check_identity
from diagnostics.context import DoctorContext
from diagnostics.findings import Finding, SourceLocation, Status
from diagnostics.wazuh.versions import profile_for
from diagnostics.wazuh.wodle import Block, Option
from tests.conftest import admin_client, enable_auth

NOW = datetime(2025, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
ALLOW_ALL_PRINCIPALS = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}],
}


def make_block(block_type: str = "custom", **options: str) -> Block:
    return Block(
        "bucket",
        block_type,
        SourceLocation("/var/ossec/etc/ossec.conf", 10),
        {name: Option(name, value, 11 + index) for index, (name, value) in enumerate(options.items())},
    )


def create_user(endpoint: str, name: str, actions: list[str]) -> dict[str, str]:
    """An IAM user with an inline policy and an access key (call before enable_auth)."""
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


def create_role(endpoint: str, name: str = "wazuh-reader") -> str:
    iam = admin_client(endpoint, "iam")
    arn: str = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(ALLOW_ALL_PRINCIPALS))[
        "Role"
    ]["Arn"]
    return arn


def profile_home(home: Path, key: dict[str, str], profile: str = "wazuh") -> None:
    (home / ".aws" / "credentials").write_text(
        f"[{profile}]\naws_access_key_id = {key['AccessKeyId']}\n"
        f"aws_secret_access_key = {key['SecretAccessKey']}\n"
    )
    (home / ".aws" / "credentials").chmod(0o600)


def run(home: Path, endpoint: str, block: Block, **kwargs: Any) -> IdentityResult:
    context = DoctorContext(
        module_home=home,
        environ={"AWS_EC2_METADATA_DISABLED": "true"},
        now=NOW,
        profile=profile_for((4, 14, 7), "test"),
    )
    report = resolve_credentials(block, context, other_homes=[])
    assert report.resolved, [finding.title for finding in report.findings]
    return check_identity(
        report, block, context, ClientSettings(endpoint_url=endpoint, max_attempts=1), **kwargs
    )


def by_check(result: IdentityResult, check_id: str) -> Finding:
    matches = [finding for finding in result.findings if finding.check_id == check_id]
    assert matches, [finding.check_id for finding in result.findings]
    return matches[0]


def test_caller_identity_with_base_credentials(moto: str, clean_aws_env: Path) -> None:
    key = create_user(moto, "wazuh", ["s3:*"])
    enable_auth(moto)
    profile_home(clean_aws_env, key)
    result = run(clean_aws_env, moto, make_block(name="logs", aws_profile="wazuh"))
    caller = by_check(result, "identity.caller")
    assert caller.status is Status.OK
    assert result.arn == "arn:aws:iam::123456789012:user/wazuh"
    assert result.account_id == "123456789012" and result.partition == "aws"
    assert result.masked_user_id and "****" in result.masked_user_id
    assert result.session is not None and result.assumed_role_arn is None
    assert by_check(result, "identity.clock").status is Status.OK
    assert key["SecretAccessKey"] not in json.dumps(result.to_dict()) + repr(result)


def test_unknown_key_stops_custom_buckets_with_exit_12(moto: str, clean_aws_env: Path) -> None:
    enable_auth(moto)
    profile_home(clean_aws_env, {"AccessKeyId": "AKIANOTKNOWN00000000", "SecretAccessKey": "x" * 40})
    result = run(clean_aws_env, moto, make_block("custom", name="logs", aws_profile="wazuh"))
    caller = by_check(result, "identity.caller")
    assert caller.failure_id == "identity.invalid_token" and caller.wazuh_exit_code == 12
    assert caller.ossec_log[-1].startswith(
        "2025/03/01 12:00:00 wazuh-modulesd:aws-s3: WARNING: Bucket:  -  An error occurred "
        "(InvalidClientTokenId) when calling the GetCallerIdentity operation: "
    )
    assert "AKIA****0000" in caller.title


def test_unknown_key_is_only_a_warning_for_cloudtrail(moto: str, clean_aws_env: Path) -> None:
    enable_auth(moto)
    profile_home(clean_aws_env, {"AccessKeyId": "AKIANOTKNOWN00000000", "SecretAccessKey": "x" * 40})
    result = run(clean_aws_env, moto, make_block("cloudtrail", name="logs", aws_profile="wazuh"))
    caller = by_check(result, "identity.caller")
    assert caller.status is Status.WARNING and caller.wazuh_exit_code is None
    assert any("only our probe" in line for line in caller.evidence)


def test_assume_role_works_and_the_session_is_the_role(moto: str, clean_aws_env: Path) -> None:
    key = create_user(moto, "wazuh", ["sts:AssumeRole", "sts:GetCallerIdentity"])
    role_arn = create_role(moto)
    enable_auth(moto)
    profile_home(clean_aws_env, key)
    block = make_block(name="logs", aws_profile="wazuh", iam_role_arn=role_arn, iam_role_duration="1800")
    result = run(clean_aws_env, moto, block)
    assumed = by_check(result, "identity.assume_role")
    assert assumed.status is Status.OK and assumed.failure_id == "identity.assumed"
    assert (
        "DurationSeconds=1800" in assumed.evidence[0]
        and "RoleSessionName=WazuhLogParsing" in assumed.evidence[0]
    )
    assert (
        result.assumed_role_arn is not None
        and "assumed-role/wazuh-reader/WazuhLogParsing" in result.assumed_role_arn
    )
    assert result.session is not None and result.session is not result.base_session
    session_key = result.session.get_credentials().access_key
    assert session_key != key["AccessKeyId"]
    # The caller identity is still the base user: the module never uses the role for it.
    assert result.arn == "arn:aws:iam::123456789012:user/wazuh"


def test_assume_role_denied_is_exit_3(moto: str, clean_aws_env: Path) -> None:
    key = create_user(moto, "wazuh", ["s3:*", "sts:GetCallerIdentity"])
    role_arn = create_role(moto)
    enable_auth(moto)
    profile_home(clean_aws_env, key)
    result = run(clean_aws_env, moto, make_block(name="logs", aws_profile="wazuh", iam_role_arn=role_arn))
    denied = by_check(result, "identity.assume_role")
    assert denied.failure_id == "identity.assume_denied" and denied.wazuh_exit_code == 3
    assert denied.location == SourceLocation("/var/ossec/etc/ossec.conf", 13)
    assert denied.ossec_log[-1].startswith(
        "2025/03/01 12:00:00 wazuh-modulesd:aws-s3: WARNING: Bucket:  -  Access error: An error occurred "
        "(AccessDenied) when calling the AssumeRole operation: "
    )
    assert "arn:aws:iam::123456789012:user/wazuh" in denied.title
    assert result.session is None


@pytest.mark.parametrize(
    ("offset", "failure_id", "exit_code"),
    [
        (timedelta(seconds=0), "identity.clock_ok", None),
        (timedelta(minutes=7), "identity.clock_skew_warning", None),
        (timedelta(minutes=-20), "identity.clock_skew_error", 19),
    ],
)
def test_clock_skew_against_the_sts_date_header(
    moto: str, clean_aws_env: Path, offset: timedelta, failure_id: str, exit_code: int | None
) -> None:
    profile_home(clean_aws_env, {"AccessKeyId": "AKIAEXAMPLE000000001", "SecretAccessKey": "y" * 40})
    result = run(
        clean_aws_env,
        moto,
        make_block("cloudtrail", name="logs", aws_profile="wazuh"),
        local_clock=lambda: datetime.now(timezone.utc) + offset,
    )
    clock = by_check(result, "identity.clock")
    assert clock.failure_id == failure_id and clock.wazuh_exit_code == exit_code
    assert result.clock_skew_seconds is not None
    assert abs(result.clock_skew_seconds - offset.total_seconds()) < 5
    if exit_code:
        assert clock.ossec_log[-1].endswith(
            "WARNING: Bucket:  -  The server datetime and datetime of the AWS environment differ"
        )


def test_skipped_without_credentials(clean_aws_env: Path) -> None:
    block = make_block(name="logs")
    context = DoctorContext(module_home=clean_aws_env, environ={"AWS_EC2_METADATA_DISABLED": "true"}, now=NOW)
    report = resolve_credentials(block, context, other_homes=[])
    result = check_identity(report, block, context, ClientSettings(endpoint_url="http://127.0.0.1:9"))
    assert [finding.failure_id for finding in result.findings] == ["identity.skipped"]
    assert result.session is None


def test_wrong_secret_at_sts_is_signature_mismatch(moto: str, clean_aws_env: Path) -> None:
    key = create_user(moto, "wazuh", ["sts:GetCallerIdentity"])
    enable_auth(moto)
    profile_home(clean_aws_env, {"AccessKeyId": key["AccessKeyId"], "SecretAccessKey": "z" * 40})
    result = run(clean_aws_env, moto, make_block("waf", name="logs", aws_profile="wazuh"))
    caller = by_check(result, "identity.caller")
    assert caller.failure_id == "identity.signature_mismatch" and caller.wazuh_exit_code == 12
    assert "SignatureDoesNotMatch" in caller.ossec_log[-1]


def test_unreachable_sts_for_a_service_is_exit_12(clean_aws_env: Path) -> None:
    profile_home(clean_aws_env, {"AccessKeyId": "AKIAEXAMPLE000000001", "SecretAccessKey": "y" * 40})
    block = Block(
        "service",
        "cloudwatchlogs",
        SourceLocation("/var/ossec/etc/ossec.conf", 3),
        {"aws_profile": Option("aws_profile", "wazuh", 4)},
    )
    result = run(clean_aws_env, "http://127.0.0.1:9", block)
    caller = by_check(result, "identity.caller")
    assert caller.failure_id == "identity.sts_unreachable" and caller.wazuh_exit_code == 12
    assert caller.ossec_log[-1].endswith(
        'WARNING: Service: cloudwatchlogs  -  Could not connect to the endpoint URL: "http://127.0.0.1:9/"'
    )
    assert "identity.clock" not in [finding.check_id for finding in result.findings]


def test_an_earlier_exit_is_not_predicted_twice(moto: str, clean_aws_env: Path) -> None:
    enable_auth(moto)
    profile_home(clean_aws_env, {"AccessKeyId": "AKIANOTKNOWN00000000", "SecretAccessKey": "x" * 40})
    (clean_aws_env / ".aws" / "config").write_text("[profile other]\nregion = us-east-1\n")
    result = run(clean_aws_env, moto, make_block("custom", name="logs", aws_profile="wazuh"))
    caller = by_check(result, "identity.caller")
    assert caller.failure_id == "identity.invalid_token" and caller.wazuh_exit_code is None
    assert caller.ossec_log == () and any("stops earlier (exit 23)" in line for line in caller.evidence)
    assert result.module_exit_code == 23
