"""The bucket access chain: HeadBucket, the module's own listing, one object read, and per-type extras.

Each step is its own finding (``access.head_bucket``, ``access.list_prefix``, ``access.head_object``,
``access.get_object``, ``access.extra_permissions``) with the calls made as evidence. The module's
``check_bucket`` only lists ``<path>`` with ``Delimiter='/'`` (since 4.4; older releases sent HeadBucket and
turned every error into exit 3), so the exit code and ossec.log lines are predicted from that listing;
our HeadBucket is a probe that says whether the bucket exists and where it lives.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from diagnostics.aws.access_delete import delete_permission
from diagnostics.aws.access_probes import (
    CallOutcome,
    call,
    closest_bucket,
    forbidden_followups,
    paginate_until,
)
from diagnostics.aws.clients import ClientSettings, make_client
from diagnostics.aws.identity import needs_caller_identity
from diagnostics.aws.prediction import Predictor
from diagnostics.aws.service_regions import service_regions
from diagnostics.context import DoctorContext
from diagnostics.findings import Finding
from diagnostics.masking import mask_key_id
from diagnostics.wazuh.wodle import Block

if TYPE_CHECKING:
    import boto3

MODULE_BUCKET_NAME = re.compile(r"(?!(^xn--|.+-s3alias$|.+--ol-s3$))^[a-z0-9][a-z0-9-.]{1,61}[a-z0-9]$")
"""The module's argparse rule for --bucket: a name it rejects ends the run with exit 2 before any AWS call."""
SUFFIX_IN_BUCKET_PATH = frozenset({"cloudtrail", "config", "vpcflow"})
"""AWSLogs buckets whose ``bucket_path`` (in the exit-14 message) includes path_suffix."""
MAX_LIST_PAGES = 20
MODULE_MAX_ATTEMPTS = 10
"""The module's retry default (standard mode, 10 retries) when the profile sets none."""
_RETRIES_TEXT = re.compile(r"\(reached max retries: \d+\)")
OBJECT_SAMPLE_KEYS = 100
READ_RANGE = "bytes=0-1023"
DATED_KEY = re.compile(r"\d{4}[/-]\d{1,2}[/-]\d{1,2}")
"""A date in the key: every layout the module reads has one (slashed folders or a dashed name)."""
_LIST_FAILURES = {
    "NoSuchBucket": "access.no_such_bucket",
    "AccessDenied": "access.list_denied",
    "AllAccessDisabled": "access.list_denied",
    "InvalidAccessKeyId": "access.invalid_access_key",
    "SignatureDoesNotMatch": "access.signature_mismatch",
    "ExpiredToken": "access.expired_token",
    "TokenRefreshRequired": "access.expired_token",
    "RequestTimeTooSkewed": "access.clock_skewed",
    "ThrottlingException": "access.throttled",
    "SlowDown": "access.slow_down",
    "PermanentRedirect": "access.wrong_region",
    "301": "access.wrong_region",
}


def module_prefix(value: str | None) -> str:
    """``path`` as the module's argparse leaves it: a ``/`` appended, a leading ``/`` kept."""
    if not value:
        return ""
    return value if value.endswith("/") else f"{value}/"


@dataclass
class _Chain:
    """What every step of one bucket's chain shares."""

    predictor: Predictor
    block: Block
    s3: Any
    bucket: str
    prefix: str
    values: dict[str, Any]
    settings: ClientSettings
    module_max_attempts: int = MODULE_MAX_ATTEMPTS
    findings: list[Finding] = field(default_factory=list)

    def as_module_prints(self, text: str) -> str:
        """An error text with our retry count replaced by the module's (botocore puts it in the message)."""
        return _RETRIES_TEXT.sub(f"(reached max retries: {self.module_max_attempts})", text)

    def add(self, failure_id: str, check_id: str, outcome: CallOutcome | None = None,
            evidence: tuple[str, ...] = (), reached: bool = True, **values: Any) -> Finding:
        """Append a table finding for this bucket with the call's evidence."""
        facts = ((outcome.evidence(),) if outcome is not None else ()) + evidence
        merged = {**self.values, **values}
        if outcome is not None:
            merged.setdefault("code", outcome.code)
            merged.setdefault("message", outcome.message)
            merged.setdefault("error", self.as_module_prints(outcome.error_text))
            merged.setdefault("url", outcome.url)
        finding = self.predictor.finding(failure_id, check_id=check_id, evidence=facts, values=merged,
                                         reached=reached, location=merged.get("location"),
                                         target=values.get("target"))
        self.findings.append(finding)
        return finding


def check_bucket_access(session: boto3.session.Session | None, block: Block, context: DoctorContext,
                        settings: ClientSettings, *, base_session: boto3.session.Session | None = None,
                        principal: str | None = None, max_pages: int = MAX_LIST_PAGES,
                        module_max_attempts: int = MODULE_MAX_ATTEMPTS,
                        stopped_with: int | None = None, skip_on_error: bool = False) -> tuple[Finding, ...]:
    """Run the chain for one bucket block with ``session`` (the assumed-role one when configured).

    ``base_session`` is used for the sts:GetCallerIdentity extra (the module never uses the role for it);
    ``principal`` names the caller in explanations (an ARN from the identity check);
    ``module_max_attempts`` is the profile's max_attempts, which shows in the module's error texts;
    ``stopped_with`` is the exit of an earlier stage (``IdentityResult.module_exit_code``), after which
    nothing here is predicted again; ``skip_on_error`` (the wodle's) turns a refused GetObject from the run's
    exit into one error event per file.
    """
    predictor = Predictor(block, context, stopped_with=stopped_with)
    bucket = block.name
    if block.kind != "bucket" or not bucket or session is None:
        reason = ("not a bucket block" if block.kind != "bucket" else "the block has no <name>" if not bucket
                  else "no working session (the credentials or AssumeRole failed)")
        return (predictor.finding("access.skipped", check_id="access.head_bucket",
                                  values={"reason": reason}),)
    credentials = session.get_credentials()
    key_id = mask_key_id(credentials.access_key) if credentials is not None else "(none)"
    prefix = module_prefix(block.value("path"))
    suffix = module_prefix(block.value("path_suffix")) if block.block_type in SUFFIX_IN_BUCKET_PATH else ""
    s3 = make_client(session, "s3", settings)
    profile = block.value("aws_profile")
    chain = _Chain(predictor, block, s3, bucket, prefix, {
        "bucket": bucket, "prefix": prefix, "bucket_path": f"{bucket}/{prefix}{suffix}", "key_id": key_id,
        "principal": principal or f"the caller with access key {key_id}",
        "client_region": s3.meta.region_name,
        "config_hint": f"[profile {profile}]" if profile else "[default]",
        "location": block.line_of("name"),
    }, settings, module_max_attempts)
    if not MODULE_BUCKET_NAME.match(bucket):
        chain.add("access.invalid_bucket_name", "access.head_bucket")
    head = _head_bucket_step(chain)
    if head.kind == "invalid_parameter" or not MODULE_BUCKET_NAME.match(bucket):
        return tuple(chain.findings)
    pages = _list_step(chain, max_pages)
    if pages is not None and block.block_type == "vpcflow":
        _flow_logs_step(chain, session, service_regions(block, context.module_home).client_region)
    if pages is not None and needs_caller_identity(block):
        _caller_identity_step(chain, base_session or session)
    if pages is not None:
        _object_steps(chain, skip_on_error)
    if pages is not None and block.value("remove_from_bucket") == "yes":
        _remove_step(chain, session, principal)
    return tuple(chain.findings)


def _remove_step(chain: _Chain, session: boto3.session.Session, caller_arn: str | None) -> None:
    """remove_from_bucket: may these credentials delete? Answered from policies, never by deleting."""
    account_match = re.match(r"^arn:[^:]+:(?:iam|sts)::(\d{12}):", caller_arn or "")
    iam = make_client(session, "iam", chain.settings)
    verdict = delete_permission(chain.s3, iam, chain.bucket, chain.prefix, caller_arn,
                                account_match.group(1) if account_match else None)
    failure_id = {"allowed": "access.remove_allowed", "denied": "access.remove_denied"}.get(
        verdict.answer.verdict, "access.remove_unknown")
    chain.add(failure_id, "access.remove_from_bucket", evidence=verdict.consulted,
              resource=verdict.resource, source=verdict.answer.source, detail=verdict.answer.detail,
              location=chain.block.line_of("remove_from_bucket"),
              error="An error occurred (AccessDenied) when calling the DeleteObject operation: Access Denied")


def _head_bucket_step(chain: _Chain) -> CallOutcome:
    """HeadBucket: exists? where? (the module called it only before 4.4)."""
    reached = chain.predictor.context.profile.calls_head_bucket
    head = call(chain.s3, "head_bucket", Bucket=chain.bucket)
    region = head.bucket_region or "unknown"
    client_region = chain.values["client_region"]
    if head.ok:
        chain.add("access.head_bucket_ok", "access.head_bucket", head, region=region)
        if head.bucket_region and head.bucket_region != client_region:
            chain.add("access.bucket_in_other_region", "access.head_bucket", head,
                      bucket_region=head.bucket_region)
    elif head.kind == "invalid_parameter":
        chain.add("access.bucket_rejected_client_side", "access.head_bucket", head)
    elif head.kind in ("unreachable", "transport"):
        chain.add("access.head_bucket_unreachable", "access.head_bucket", head, reached=False)
    elif head.http_status == 404:
        chain.add("access.head_bucket_not_found", "access.head_bucket", head, reached=reached)
        closest, listing = closest_bucket(chain.s3, chain.bucket)
        if closest is not None:
            chain.add("access.bucket_closest", "access.head_bucket", listing, closest=closest)
    elif head.http_status == 403:
        code, followups = forbidden_followups(chain.s3, chain.bucket)
        chain.add("access.head_bucket_forbidden", "access.head_bucket", head,
                  evidence=tuple(outcome.evidence() for outcome in followups), reached=reached,
                  followup="ListObjectsV2/GetBucketLocation", code=code)
    elif head.http_status == 301 or head.redirected:
        chain.add("access.wrong_region", "access.head_bucket", head, reached=False,
                  bucket_region=region)
    else:
        chain.add("access.head_bucket_failed", "access.head_bucket", head, reached=reached)
    return head


def _list_step(chain: _Chain, max_pages: int) -> list[dict[str, Any]] | None:
    """The module's check_bucket: ListObjectsV2(Prefix=path, Delimiter='/') until a page has folders."""
    accepts_files = chain.block.block_type == "server_access"

    def has_folders(page: dict[str, Any]) -> bool:
        return bool(page.get("CommonPrefixes")) or (accepts_files and bool(page.get("Contents")))

    outcome, pages, found, complete = paginate_until(chain.s3, has_folders, max_pages, Bucket=chain.bucket,
                                                     Prefix=chain.prefix, Delimiter="/")
    call_text = f"ListObjectsV2 Bucket={chain.bucket} Prefix='{chain.prefix}' Delimiter='/'"
    if found:
        folders = [entry.get("Prefix", "") for entry in pages[-1].get("CommonPrefixes", [])]
        shown = ", ".join(folders[:10]) + (" ..." if len(folders) > 10 else "") or "files (server_access)"
        chain.add("access.list_prefix_ok", "access.list_prefix", outcome,
                  evidence=(call_text, f"pages read: {len(pages)}"), folders=shown)
        return pages
    if outcome.kind == "ok":
        files = sum(len(page.get("Contents", [])) for page in pages)
        found_text = (f"It found {files} file(s) directly under the prefix and no folder" if files
                      else "It found nothing at all under the prefix")
        evidence = (call_text, f"pages read: {len(pages)}", f"files: {files}, folders: 0")
        if complete:
            chain.add("access.prefix_empty", "access.list_prefix", outcome, evidence=evidence,
                      found=found_text)
        else:
            chain.add("access.prefix_undetermined", "access.list_prefix", outcome, evidence=evidence,
                      pages=len(pages))
        return pages
    _list_failure(chain, outcome, call_text)
    return None


def _list_failure(chain: _Chain, outcome: CallOutcome, call_text: str) -> None:
    """Explain a failed listing with the module's exit code for it."""
    if outcome.kind == "unreachable":
        chain.add("access.endpoint_unreachable", "access.list_prefix", outcome, evidence=(call_text,))
    elif outcome.kind == "client_error":
        failure_id = _LIST_FAILURES.get(outcome.code, "access.list_failed")
        chain.add(failure_id, "access.list_prefix", outcome, evidence=(call_text,),
                  bucket_region=outcome.bucket_region or "another region")
    else:
        chain.add("access.list_transport_error", "access.list_prefix", outcome, evidence=(call_text,))


def sample_key(contents: list[dict[str, Any]]) -> str | None:
    """The object to read: a dated, non-empty file like those the module lists, else any file.

    Service marker files (``ConfigWritabilityCheckFile`` beside the region folders, empty) are never listed
    by the module, so reading one would test something the module never does.
    """
    files = [entry for entry in contents if not str(entry.get("Key", "")).endswith("/")]
    for entry in files:
        if entry.get("Size", 1) and DATED_KEY.search(str(entry["Key"])):
            return str(entry["Key"])
    return next((str(entry["Key"]) for entry in files), None)


def _object_steps(chain: _Chain, skip_on_error: bool = False) -> None:
    """HeadObject (encryption evidence) and a 1 KiB GetObject on the first object under the path."""
    listing = call(chain.s3, "list_objects_v2", Bucket=chain.bucket, Prefix=chain.prefix,
                   MaxKeys=OBJECT_SAMPLE_KEYS)
    contents = (listing.response or {}).get("Contents", []) if listing.ok else []
    key = sample_key(contents)
    if key is None:
        chain.add("access.no_object", "access.head_object", listing)
        return
    target = f"s3://{chain.bucket}/{key}"
    head = call(chain.s3, "head_object", Bucket=chain.bucket, Key=key)
    kms_key: str | None = None
    if head.ok and head.response is not None:
        encryption = str(head.response.get("ServerSideEncryption", "none"))
        kms_key = head.response.get("SSEKMSKeyId") if encryption == "aws:kms" else None
        chain.add("access.head_object_ok", "access.head_object", head, reached=False, target=target, key=key,
                  size=head.response.get("ContentLength", "?"), encryption=encryption,
                  last_modified=head.response.get("LastModified", "?"),
                  kms_text=f" with key {kms_key}" if kms_key else "")
        if kms_key:
            chain.add("access.object_kms", "access.head_object", target=target, kms_key=kms_key)
    else:
        chain.add("access.head_object_failed", "access.head_object", head, reached=False, target=target,
                  key=key)
    read = call(chain.s3, "get_object", Bucket=chain.bucket, Key=key, Range=READ_RANGE)
    if read.code == "InvalidRange":  # an empty object: the module reads it whole, without a range, and gets b""
        read = call(chain.s3, "get_object", Bucket=chain.bucket, Key=key)
    if read.ok and read.response is not None:
        body = read.response["Body"].read()
        chain.add("access.get_object_ok", "access.get_object", read, target=target, key=key, read=len(body))
        return
    code = read.code
    if kms_key and (code == "AccessDenied" or code.startswith("KMS.")):
        failure_id = "access.kms_decrypt_denied"
    elif code == "AccessDenied":
        failure_id = "access.get_object_denied"
    else:
        failure_id = "access.get_object_failed"
    if skip_on_error:  # the module sends an error event per file, marks it processed, and exits 0
        failure_id = "access.get_object_error_events"
    chain.add(failure_id, "access.get_object", read, target=target, key=key, kms_key=kms_key or "",
              error_repr=chain.as_module_prints(read.error_repr))


def _caller_identity_step(chain: _Chain, base_session: boto3.session.Session) -> None:
    """sts:GetCallerIdentity for the custom family and services, with the base credentials."""
    sts_settings = dataclasses.replace(chain.settings, sts_endpoint=None)
    outcome = call(make_client(base_session, "sts", sts_settings), "get_caller_identity")
    kind = f"{chain.block.block_type} buckets"
    if outcome.ok and outcome.response is not None:
        chain.add("access.caller_identity_ok", "access.extra_permissions", outcome,
                  account=outcome.response.get("Account", ""), type=kind)
    else:
        chain.add("access.caller_identity_failed", "access.extra_permissions", outcome, type=kind,
                  code=outcome.code or outcome.kind)


def _flow_logs_step(chain: _Chain, session: boto3.session.Session, profile_region: str | None) -> None:
    """ec2:DescribeFlowLogs per region: the module reads only keys of the flow logs it returns; a region in
    the module's profile replaces each walked region, as the module hands it to every client it builds."""
    regions = [region.strip() for region in (chain.block.value("regions") or "").split(",") if region.strip()]
    asked = [profile_region] if profile_region else regions or [chain.values["client_region"]]
    for region in asked:
        ec2 = make_client(session, "ec2", dataclasses.replace(chain.settings, region=region))
        outcome = call(ec2, "describe_flow_logs")
        location = chain.block.line_of("regions") if regions else chain.block.location
        if outcome.ok and outcome.response is not None:
            ids = [str(entry.get("FlowLogId", "")) for entry in outcome.response.get("FlowLogs", [])]
            if ids:
                chain.add("access.flow_logs_ok", "access.extra_permissions", outcome, region=region,
                          count=len(ids), ids=", ".join(ids[:10]), location=location)
            else:
                none = "access.flow_logs_none_profile_region" if profile_region else "access.flow_logs_none"
                chain.add(none, "access.extra_permissions", outcome, region=region, location=location)
        else:
            chain.add("access.flow_logs_denied", "access.extra_permissions", outcome, region=region,
                      code=outcome.code or outcome.kind, location=location)

