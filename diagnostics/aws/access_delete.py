"""Whether the module's credentials may delete what they read (remove_from_bucket), found without deleting.

The module deletes each file after sending its events and before recording it, so a refused DeleteObject
ends every run with exit 1 after the first file and the next run sends the same events again. Trying a
delete is out of the question; the answer comes from IAM's policy simulator, the bucket policy, and the
caller's own identity policies when it may read them, else it is an honest "cannot know".
"""

from __future__ import annotations

import fnmatch
import json
import re
import urllib.parse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from diagnostics.aws.access_probes import call
from diagnostics.aws.permission_probe import (
    ALLOWED,
    DENIED,
    UNKNOWN,
    PermissionAnswer,
    may_perform,
    policy_source_arn,
)
from diagnostics.explanations import build_finding
from diagnostics.findings import Finding
from diagnostics.wazuh.versions import WazuhProfile
from diagnostics.wazuh.wodle import Block

DELETE_ACTION = "s3:DeleteObject"
_IAM_PRINCIPAL = re.compile(r"^arn:[^:]+:iam::\d+:(?P<kind>user|role)/(?:.*/)?(?P<name>[^/]+)$")
MAX_ATTACHED = 20
"""Managed policies read per principal: enough for real principals, bounded for a hostile account."""


@dataclass(frozen=True)
class DeleteVerdict:
    """The answer for one bucket prefix, with every source consulted (shown as evidence)."""

    answer: PermissionAnswer
    consulted: tuple[str, ...]
    resource: str


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _matches(patterns: Iterable[Any], value: str) -> bool:
    return any(isinstance(pattern, str) and fnmatch.fnmatchcase(value.lower(), pattern.lower())
               for pattern in patterns)


def _document(raw: Any) -> Mapping[str, Any] | None:
    """A policy document as IAM returns it (a dict, or URL-encoded JSON text)."""
    if isinstance(raw, Mapping):
        return raw
    if isinstance(raw, str):
        try:
            loaded = json.loads(urllib.parse.unquote(raw))
        except ValueError:
            return None
        return loaded if isinstance(loaded, Mapping) else None
    return None


def evaluate_identity_policies(documents: Iterable[Mapping[str, Any]], action: str,
                               resource: str) -> PermissionAnswer:
    """The identity side alone: an explicit Deny wins, then an Allow, else the implicit deny.

    Statements with a Condition, NotAction or NotResource are not evaluated, so when one of them could
    decide the answer is unknown rather than guessed.
    """
    allowed_by: str | None = None
    undecided: str | None = None
    for document in documents:
        for statement in _as_list(document.get("Statement", [])):
            if not isinstance(statement, Mapping):
                continue
            sid = str(statement.get("Sid") or "(no Sid)")
            if "NotAction" in statement or "NotResource" in statement:
                undecided = undecided or f"statement {sid} uses NotAction/NotResource"
                continue
            if not _matches(_as_list(statement.get("Action", [])), action):
                continue
            if not _matches(_as_list(statement.get("Resource", [])), resource):
                continue
            if statement.get("Condition"):
                undecided = undecided or f"statement {sid} has a Condition we do not evaluate"
                continue
            if statement.get("Effect") == "Deny":
                return PermissionAnswer(action, DENIED, "identity policies", f"statement {sid} denies {action}")
            if statement.get("Effect") == "Allow":
                allowed_by = allowed_by or sid
    if undecided is not None:
        return PermissionAnswer(action, UNKNOWN, "identity policies", undecided)
    if allowed_by is not None:
        return PermissionAnswer(action, ALLOWED, "identity policies",
                                f"statement {allowed_by} allows {action} (SCPs and permission boundaries, "
                                "if any, are not visible here)")
    return PermissionAnswer(action, DENIED, "identity policies",
                            f"no statement of the principal's policies allows {action}, and the bucket policy "
                            "does not either: the request is implicitly denied")


def read_identity_policies(iam: Any, caller_arn: str | None) -> tuple[list[Mapping[str, Any]] | None, str]:
    """The inline and attached policies of the caller's user or role (read-only IAM calls), or None and why."""
    source = policy_source_arn(caller_arn)
    match = _IAM_PRINCIPAL.match(source or "")
    if match is None:
        return None, f"the caller ({caller_arn or 'unknown'}) is not an IAM user or role whose policies can be read"
    kind, name = match["kind"], match["name"]
    principal: dict[str, Any] = {"UserName" if kind == "user" else "RoleName": name}
    documents: list[Mapping[str, Any]] = []
    names = call(iam, f"list_{kind}_policies", **principal)
    if not names.ok or names.response is None:
        return None, f"List{kind.title()}Policies: {names.code or names.kind}"
    for policy_name in names.response.get("PolicyNames", []):
        inline = call(iam, f"get_{kind}_policy", PolicyName=policy_name, **principal)
        if not inline.ok or inline.response is None:
            return None, f"Get{kind.title()}Policy {policy_name}: {inline.code or inline.kind}"
        document = _document(inline.response.get("PolicyDocument"))
        if document is not None:
            documents.append(document)
    attached = call(iam, f"list_attached_{kind}_policies", **principal)
    if not attached.ok or attached.response is None:
        return None, f"ListAttached{kind.title()}Policies: {attached.code or attached.kind}"
    for entry in attached.response.get("AttachedPolicies", [])[:MAX_ATTACHED]:
        arn = str(entry.get("PolicyArn", ""))
        policy = call(iam, "get_policy", PolicyArn=arn)
        version_id = (policy.response or {}).get("Policy", {}).get("DefaultVersionId") if policy.ok else None
        version = call(iam, "get_policy_version", PolicyArn=arn, VersionId=version_id) if version_id else policy
        if not version.ok or version.response is None:
            return None, f"GetPolicyVersion {arn}: {version.code or version.kind}"
        document = _document(version.response.get("PolicyVersion", {}).get("Document"))
        if document is not None:
            documents.append(document)
    return documents, f"{len(documents)} policy document(s) of {kind} {name}"


def _short(text: str, limit: int = 240) -> str:
    """One line of evidence: an HTML error page from a refused simulator call is cut, not shown whole."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[:limit - 3] + "..."


def delete_permission(s3: Any, iam: Any | None, bucket: str, prefix: str, caller_arn: str | None,
                      account: str | None) -> DeleteVerdict:
    """May the caller delete objects under ``prefix``? Simulator, bucket policy, identity policies, else unknown."""
    resource = f"arn:aws:s3:::{bucket}/{prefix}*"
    sample_object = f"arn:aws:s3:::{bucket}/{prefix}example.json.gz"
    consulted: list[str] = []
    policy_call = call(s3, "get_bucket_policy", Bucket=bucket)
    policy_text = str((policy_call.response or {}).get("Policy") or "") if policy_call.ok else None
    consulted.append("GetBucketPolicy: " + ("read" if policy_call.ok else policy_call.code or policy_call.kind))
    answer = may_perform(iam, caller_arn, account, (DELETE_ACTION,), sample_object, policy_text or None)[0]
    consulted.append(_short(f"{answer.source}: {answer.detail}"))
    if answer.verdict != UNKNOWN or iam is None:
        return DeleteVerdict(answer, tuple(consulted), resource)
    documents, how = read_identity_policies(iam, caller_arn)
    consulted.append(f"identity policies: {how}")
    if documents is None:
        return DeleteVerdict(answer, tuple(consulted), resource)
    identity = evaluate_identity_policies(documents, DELETE_ACTION, sample_object)
    return DeleteVerdict(identity, tuple(consulted), resource)


def remove_verdict(block: Block, s3: Any, iam: Any | None, caller_arn: str | None) -> DeleteVerdict | None:
    """The delete verdict for a block with remove_from_bucket (None without it): what the pass predicts from."""
    if block.value("remove_from_bucket") != "yes" or not block.name:
        return None
    path = block.value("path") or ""
    prefix = path if not path or path.endswith("/") else f"{path}/"
    account = re.match(r"^arn:[^:]+:(?:iam|sts)::(\d{12}):", caller_arn or "")
    return delete_permission(s3, iam, block.name, prefix, caller_arn, account.group(1) if account else None)


def remove_denied_finding(verdict: DeleteVerdict, block: Block, profile: WazuhProfile, *, principal: str | None,
                          check_id: str) -> Finding:
    """The refused delete as the walk views show it: exit 1 after the first file, every run."""
    return build_finding("access.remove_denied", check_id=check_id, target=block.name or block.label,
                         profile=profile, location=block.line_of("remove_from_bucket"),
                         evidence=(f"{verdict.answer.source}: {verdict.answer.detail}",),
                         values={"bucket": block.name or "", "resource": verdict.resource,
                                 "principal": principal or "the module's credentials",
                                 "source": verdict.answer.source, "detail": verdict.answer.detail,
                                 "error": "An error occurred (AccessDenied) when calling the DeleteObject "
                                          "operation: Access Denied"})
