"""Whether the module's credentials may delete what they read (remove_from_bucket), found without deleting.

The module deletes each file after sending its events and before recording it, so a refused DeleteObject
ends every run with exit 1 after the first file and the next run sends the same events again. Trying a
delete is out of the question; the answer comes from ``may_perform``: IAM's policy simulator, the bucket
policy, and the caller's own identity policies when it may read them, else an honest "cannot know".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from diagnostics.aws.access_probes import call
from diagnostics.aws.permission_probe import (
    PermissionAnswer,
    may_perform,
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
    return DeleteVerdict(answer, tuple(consulted), resource)


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
