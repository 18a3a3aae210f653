"""Who the module is to AWS: GetCallerIdentity with the base credentials, AssumeRole, and the host clock.

The module calls GetCallerIdentity with the *base* credentials (keys or profile, never the role) for the
custom-family buckets and the services, and without its ``sts_endpoint``; a failure there has no handler
(exit 12). AssumeRole failures are exit 3. The STS response's ``Date`` header also tells
how far the host clock is from AWS's, which decides exit 19 long before anyone suspects the clock.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

from diagnostics.aws.clients import ClientSettings, make_client
from diagnostics.aws.credentials import CredentialReport
from diagnostics.aws.module_session import module_boto3_session
from diagnostics.aws.prediction import Predictor
from diagnostics.context import DoctorContext
from diagnostics.findings import Finding, Status
from diagnostics.masking import known_secrets, mask_user_id, scrub
from diagnostics.wazuh.wodle import Block

# Imported inside the functions that use them: botocore adds 9-170 ms to start-up
# (python -X importtime), paid otherwise by every command that never needs them.

if TYPE_CHECKING:
    import boto3

CALLER_IDENTITY_BUCKET_TYPES = frozenset(
    {"custom", "guardduty", "waf", "alb", "clb", "nlb", "server_access", "cisco_umbrella"})
"""The custom family: their state is keyed on the caller's account id, so the module asks STS for it."""
ROLE_SESSION_NAME = "WazuhLogParsing"
SKEW_WARNING_SECONDS = 300
SKEW_ERROR_SECONDS = 900
"""AWS rejects signatures more than 15 minutes off (RequestTimeTooSkewed)."""
_CALLER_FAILURES = {"InvalidClientTokenId": "identity.invalid_token",
                    "SignatureDoesNotMatch": "identity.signature_mismatch",
                    "ExpiredToken": "identity.expired_token"}


def needs_caller_identity(block: Block) -> bool:
    """True when the module calls sts:GetCallerIdentity for this block (custom family and services)."""
    if block.kind == "service":
        return True
    return block.kind == "bucket" and block.block_type in CALLER_IDENTITY_BUCKET_TYPES


@dataclass(frozen=True)
class IdentityResult:
    """The caller, the assumed role and the clock; ``session`` is what the S3 checks should use."""

    findings: tuple[Finding, ...]
    account_id: str | None = None
    arn: str | None = None
    partition: str | None = None
    masked_user_id: str | None = None
    assumed_role_arn: str | None = None
    clock_skew_seconds: float | None = None
    """Host clock minus AWS's clock, from the STS ``Date`` header; positive means the host is ahead."""
    module_exit_code: int | None = None
    """The exit the module reaches at or before this stage (credentials, AssumeRole, GetCallerIdentity)."""
    session: boto3.session.Session | None = field(default=None, repr=False, compare=False)
    """The assumed-role session when iam_role_arn is set and works, else the base session; None on failure."""
    base_session: boto3.session.Session | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form without any secret."""
        return {
            "account_id": self.account_id, "arn": self.arn, "partition": self.partition,
            "masked_user_id": self.masked_user_id, "assumed_role_arn": self.assumed_role_arn,
            "clock_skew_seconds": self.clock_skew_seconds, "module_exit_code": self.module_exit_code,
            "findings": [finding.to_dict() for finding in self.findings],
        }


def _server_date(response: dict[str, Any]) -> datetime | None:
    """The ``Date`` header of a botocore response (or error response), as an aware datetime."""
    header = response.get("ResponseMetadata", {}).get("HTTPHeaders", {}).get("date")
    if not header:
        return None
    try:
        parsed = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=timezone.utc)


def _human_seconds(seconds: float) -> str:
    """``754 s`` → ``12 min 34 s``: skew is read by people comparing clocks."""
    whole = int(abs(seconds))
    minutes, rest = divmod(whole, 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


def clock_finding(predictor: Predictor, server: datetime, local: datetime) -> tuple[Finding, float]:
    """Compare the host clock with the server's Date header (1 s resolution) and judge the skew."""
    skew = (local - server).total_seconds()
    direction = "ahead of" if skew > 0 else "behind"
    evidence = (f"host clock {local:%Y-%m-%d %H:%M:%S} UTC, AWS Date header {server:%Y-%m-%d %H:%M:%S} UTC",
                f"host is {_human_seconds(skew)} {direction} AWS")
    values = {"skew": _human_seconds(skew)}
    if abs(skew) > SKEW_ERROR_SECONDS:
        failure_id = "identity.clock_skew_error"
    elif abs(skew) > SKEW_WARNING_SECONDS:
        failure_id = "identity.clock_skew_warning"
    else:
        failure_id = "identity.clock_ok"
    return predictor.finding(failure_id, check_id="identity.clock", evidence=evidence, values=values,
                             details={"skew_seconds": skew}), skew


def _partition(arn: str | None) -> str | None:
    """``arn:aws-us-gov:iam::...`` → ``aws-us-gov``."""
    parts = (arn or "").split(":")
    return parts[1] if len(parts) > 2 and parts[0] == "arn" else None


def _error_facts(error: Exception) -> tuple[str, str, dict[str, Any]]:
    """(code, message, response) of a botocore ClientError."""
    response: dict[str, Any] = getattr(error, "response", {}) or {}
    details = response.get("Error", {})
    return str(details.get("Code", "")), str(details.get("Message", "")), response


def check_identity(report: CredentialReport, block: Block, context: DoctorContext, settings: ClientSettings,
                   *, local_clock: Callable[[], datetime] | None = None) -> IdentityResult:
    """GetCallerIdentity (base credentials), AssumeRole when configured, and the clock skew.

    Predictions continue from ``report.module_exit_code``: when the module already stopped while setting
    up credentials, these findings say so instead of predicting a second exit. ``local_clock`` is the host
    clock to compare with AWS's (default: the real UTC time).
    """
    from botocore.exceptions import BotoCoreError, ClientError, EndpointConnectionError, NoCredentialsError

    predictor = Predictor(block, context, stopped_with=report.module_exit_code)
    base_session = report.session()
    if base_session is None or report.inputs is None:
        return IdentityResult(findings=(predictor.finding("identity.skipped", check_id="identity.caller"),),
                              module_exit_code=report.module_exit_code)
    clock = local_clock or (lambda: datetime.now(timezone.utc))
    required = needs_caller_identity(block)
    key_id = report.masked_key_id or "(unknown)"
    source = report.method or "unknown source"
    secrets = known_secrets(context.module_home, [context.environ], (block.value("secret_key"),))
    needed = (f"the module calls GetCallerIdentity for {block.kind} type {block.block_type}: "
              f"{'yes, the run stops if it fails' if required else 'no, only our probe calls it'}")
    findings: list[Finding] = []
    server_date: datetime | None = None
    identity: dict[str, Any] = {}
    caller_failure: dict[str, Any] | None = None
    """Arguments of the failed call's finding, built later: the module assumes the role first."""

    sts_settings = dataclasses.replace(settings, sts_endpoint=None)
    try:
        identity = make_client(base_session, "sts", sts_settings).get_caller_identity()
        server_date = _server_date(identity)
    except ClientError as error:
        code, message, response = _error_facts(error)
        server_date = _server_date(response)
        status_code = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        caller_failure = {
            "failure_id": _CALLER_FAILURES.get(code, "identity.caller_failed"),
            "evidence": (f"GetCallerIdentity → {code} (HTTP {status_code})", needed),
            "values": {"key_id": key_id, "source": source, "code": code, "message": message,
                       "error": scrub(str(error), secrets)}}
    except EndpointConnectionError as error:
        caller_failure = {"failure_id": "identity.sts_unreachable", "evidence": (needed,),
                          "values": {"url": error.kwargs.get("endpoint_url", ""), "error": str(error)}}
    except NoCredentialsError as error:
        caller_failure = {"failure_id": "identity.caller_failed", "evidence": (needed,),
                          "values": {"code": "NoCredentials", "message": str(error), "source": source,
                                     "error": str(error)}}
    except BotoCoreError as error:  # read timeouts, connections closed mid-answer
        caller_failure = {"failure_id": "identity.sts_unreachable",
                          "evidence": (needed, f"{type(error).__name__}: {error}", settings.describe_retries()),
                          "values": {"url": getattr(error, "kwargs", {}).get("endpoint_url", "STS"),
                                     "error": str(error)}}

    # The module's order: AssumeRole happens while building the client, before GetCallerIdentity.
    session: boto3.session.Session | None = base_session
    assumed_arn: str | None = None
    role_arn = block.value("iam_role_arn")
    if role_arn:
        session, assumed_arn, role_findings, role_date = _assume_role(
            predictor, report, block, settings, base_session, role_arn, identity.get("Arn"))
        findings.extend(role_findings)
        server_date = server_date or role_date

    if caller_failure is not None:
        findings.append(predictor.finding(
            caller_failure["failure_id"], check_id="identity.caller", reached=required,
            status=None if required else Status.WARNING, evidence=caller_failure["evidence"],
            values=caller_failure["values"]))
    else:
        arn = str(identity.get("Arn", ""))
        findings.append(predictor.finding(
            "identity.caller", check_id="identity.caller", evidence=(needed,),
            values={"arn": arn, "account": identity.get("Account", ""), "partition": _partition(arn) or "",
                    "user_id": mask_user_id(identity.get("UserId"))}))

    stopped_with = predictor.stopped_with
    skew: float | None = None
    if server_date is not None:
        clock_result, skew = clock_finding(predictor, server_date, clock())
        findings.append(clock_result)

    arn_text = identity.get("Arn")
    return IdentityResult(
        findings=tuple(findings), account_id=identity.get("Account"), arn=arn_text,
        partition=_partition(arn_text),
        masked_user_id=mask_user_id(identity.get("UserId")) or None, assumed_role_arn=assumed_arn,
        clock_skew_seconds=skew, module_exit_code=stopped_with, session=session, base_session=base_session)


def _assume_role(predictor: Predictor, report: CredentialReport, block: Block, settings: ClientSettings,
                 base_session: boto3.session.Session, role_arn: str, caller_arn: str | None,
                 ) -> tuple[boto3.session.Session | None, str | None, list[Finding], datetime | None]:
    """sts:AssumeRole as the module calls it; returns the role session (None on failure) and findings."""
    from botocore.exceptions import ClientError, EndpointConnectionError, NoCredentialsError

    kwargs: dict[str, Any] = {"RoleArn": role_arn, "RoleSessionName": ROLE_SESSION_NAME}
    duration_text = block.value("iam_role_duration")
    if duration_text is not None and duration_text.isdigit():
        kwargs["DurationSeconds"] = int(duration_text)
    if block.kind == "subscriber" and block.value("external_id"):
        kwargs["ExternalId"] = block.value("external_id")
    values: dict[str, Any] = {"role_arn": role_arn, "caller_arn": caller_arn or "the caller",
                              "duration_value": duration_text or "not set",
                              "duration": f", DurationSeconds {kwargs['DurationSeconds']}"
                              if "DurationSeconds" in kwargs else ""}
    evidence = (f"AssumeRole RoleArn={role_arn} RoleSessionName={ROLE_SESSION_NAME}"
                + (f" DurationSeconds={kwargs['DurationSeconds']}" if "DurationSeconds" in kwargs else "")
                + (f" ExternalId={kwargs['ExternalId']}" if "ExternalId" in kwargs else ""),)
    location = block.line_of("iam_role_arn")
    try:
        response = make_client(base_session, "sts", settings).assume_role(**kwargs)
    except ClientError as error:
        code, message, raw = _error_facts(error)
        failure_id = "identity.assume_denied" if code == "AccessDenied" else "identity.assume_failed"
        return None, None, [predictor.finding(
            failure_id, check_id="identity.assume_role", location=location, evidence=evidence,
            values={**values, "code": code, "message": message, "error": str(error)})], _server_date(raw)
    except NoCredentialsError as error:
        return None, None, [predictor.finding(
            "identity.assume_failed", check_id="identity.assume_role", location=location, evidence=evidence,
            values={**values, "code": "NoCredentials", "message": str(error), "error": str(error)})], None
    except EndpointConnectionError as error:
        return None, None, [predictor.finding(
            "identity.assume_unreachable", check_id="identity.assume_role", location=location,
            evidence=evidence, values={**values, "url": error.kwargs.get("endpoint_url", ""),
                                       "error": str(error)})], None
    credentials = response["Credentials"]
    assert report.inputs is not None
    role_session = module_boto3_session(report.inputs, access_key=credentials["AccessKeyId"],
                                        secret_key=credentials["SecretAccessKey"],
                                        session_token=credentials["SessionToken"])
    assumed_arn = str(response.get("AssumedRoleUser", {}).get("Arn", ""))
    return role_session, assumed_arn, [predictor.finding(
        "identity.assumed", check_id="identity.assume_role", location=location, evidence=evidence,
        values={**values, "assumed_arn": assumed_arn})], _server_date(response)
