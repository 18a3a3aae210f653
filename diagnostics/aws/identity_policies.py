"""An IAM user's or role's own policies, read and evaluated for a few actions, when the simulator is refused.

IAM's policy simulator is the right judge, but callers often may read their own policies without being
allowed to simulate them (and some endpoints do not offer the simulator). This reads the inline and attached
policies of the user (and its groups) or role and applies the plain rules: an explicit Deny wins, then any
Allow; statements with conditions or NotAction/NotResource are not trusted either way. Permission
boundaries, session policies and organisation SCPs cannot be read here, which the verdict's detail says.
"""

from __future__ import annotations

import fnmatch
import json
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from diagnostics.aws.access_probes import call

UNREAD_LIMITS = ("permission boundaries, session policies, SCPs and, without iam:ListGroupsForUser, a user's "
                 "groups are not readable here")
MAX_ATTACHED = 20
"""Managed policies read per user, group or role: enough for real principals, bounded for a hostile account."""


@dataclass(frozen=True)
class PolicyVerdict:
    """What the readable identity policies say about one action."""

    action: str
    verdict: str
    """``allowed``, ``denied`` or ``unknown``."""
    detail: str
    explicit: bool = False
    """True for a Deny statement; an implicit deny still yields to a resource policy's Allow."""


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _document(value: Any) -> Mapping[str, Any] | None:
    """A policy document as IAM returns it: a dict, or URL-encoded JSON text."""
    if isinstance(value, Mapping):
        return value
    if isinstance(value, str):
        try:
            parsed = json.loads(urllib.parse.unquote(value))
        except ValueError:
            return None
        return parsed if isinstance(parsed, Mapping) else None
    return None


def _matches(patterns: Iterable[Any], value: str) -> bool:
    return any(isinstance(pattern, str) and fnmatch.fnmatchcase(value.lower(), pattern.lower())
               for pattern in patterns)


def _attached(iam: Any, operation: str, **name: str) -> list[tuple[str, Mapping[str, Any]]] | None:
    """(policy name, document) of each managed policy attached to a user, group or role."""
    listed = call(iam, operation, (), **name)
    if not listed.ok or listed.response is None:
        return None
    documents: list[tuple[str, Mapping[str, Any]]] = []
    for policy in listed.response.get("AttachedPolicies", [])[:MAX_ATTACHED]:
        arn = str(policy.get("PolicyArn", ""))
        described = call(iam, "get_policy", PolicyArn=arn)
        if not described.ok or described.response is None:
            return None
        version = described.response.get("Policy", {}).get("DefaultVersionId", "v1")
        fetched = call(iam, "get_policy_version", PolicyArn=arn, VersionId=version)
        document = _document((fetched.response or {}).get("PolicyVersion", {}).get("Document"))
        if not fetched.ok or document is None:
            return None
        documents.append((str(policy.get("PolicyName", arn)), document))
    return documents


def _inline(iam: Any, list_operation: str, get_operation: str, **name: str
            ) -> list[tuple[str, Mapping[str, Any]]] | None:
    """(policy name, document) of each inline policy of a user, group or role."""
    listed = call(iam, list_operation, (), **name)
    if not listed.ok or listed.response is None:
        return None
    documents: list[tuple[str, Mapping[str, Any]]] = []
    for policy_name in listed.response.get("PolicyNames", []):
        fetched = call(iam, get_operation, (), PolicyName=policy_name, **name)
        document = _document((fetched.response or {}).get("PolicyDocument"))
        if not fetched.ok or document is None:
            return None
        documents.append((str(policy_name), document))
    return documents


def read_identity_policies(iam: Any, source_arn: str) -> list[tuple[str, Mapping[str, Any]]] | None:
    """Every readable policy of an IAM user (with its groups) or role; None when any part is unreadable.

    A user's groups are read when iam:ListGroupsForUser is allowed; when it is refused the verdict rests on
    the user's own policies, which ``UNREAD_LIMITS`` says.
    """
    kind, _, name = source_arn.split(":", 5)[-1].partition("/")
    name = name.rsplit("/", 1)[-1]
    if kind == "role":
        parts = [_inline(iam, "list_role_policies", "get_role_policy", RoleName=name),
                 _attached(iam, "list_attached_role_policies", RoleName=name)]
    elif kind == "user":
        parts = [_inline(iam, "list_user_policies", "get_user_policy", UserName=name),
                 _attached(iam, "list_attached_user_policies", UserName=name)]
        groups = call(iam, "list_groups_for_user", UserName=name)
        for group in (groups.response or {}).get("Groups", []) if groups.ok else ():
            group_name = str(group.get("GroupName", ""))
            parts += [_inline(iam, "list_group_policies", "get_group_policy", GroupName=group_name),
                      _attached(iam, "list_attached_group_policies", GroupName=group_name)]
    else:
        return None
    if any(part is None for part in parts):
        return None
    return [item for part in parts if part is not None for item in part]


def evaluate(policies: Sequence[tuple[str, Mapping[str, Any]]], actions: Sequence[str],
             resource_arn: str) -> tuple[PolicyVerdict, ...]:
    """Each action's verdict under the plain rules: explicit Deny, else Allow, else no statement allows it; a
    statement we cannot evaluate (conditions, NotAction) leaves the answer unknown wherever it could decide."""
    verdicts = []
    for action in actions:
        allowed_by, denied_by, unsure_deny, unsure_allow = "", "", "", ""
        for policy_name, document in policies:
            for statement in _as_list(document.get("Statement", [])):
                if not isinstance(statement, Mapping):
                    continue
                deny = statement.get("Effect") == "Deny"
                if "NotAction" in statement or "NotResource" in statement:
                    reason = f"{policy_name} has a {'Deny' if deny else 'statement'} with NotAction/NotResource"
                elif not (_matches(_as_list(statement.get("Action", [])), action)
                          and _matches(_as_list(statement.get("Resource", [])), resource_arn)):
                    continue
                elif statement.get("Condition"):
                    reason = f"{policy_name} has a Condition on {action} that is not evaluated here"
                elif deny:
                    denied_by = denied_by or policy_name
                    continue
                else:
                    allowed_by = allowed_by or policy_name
                    continue
                if deny:
                    unsure_deny = unsure_deny or reason
                else:
                    unsure_allow = unsure_allow or reason
        if denied_by:
            verdicts.append(PolicyVerdict(action, "denied", f"the identity policy {denied_by} denies it",
                                          explicit=True))
        elif unsure_deny:
            verdicts.append(PolicyVerdict(action, "unknown", unsure_deny + " (it could deny)"))
        elif allowed_by:
            verdicts.append(PolicyVerdict(action, "allowed",
                                          f"the identity policy {allowed_by} allows it ({UNREAD_LIMITS})"))
        elif unsure_allow:
            verdicts.append(PolicyVerdict(action, "unknown", unsure_allow))
        else:
            verdicts.append(PolicyVerdict(action, "denied",
                                          f"no identity policy of the caller allows it ({UNREAD_LIMITS})"))
    return tuple(verdicts)
