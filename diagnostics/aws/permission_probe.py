"""Whether a principal may perform an action on a resource, found without performing it.

A doctor must never receive a queue's messages or delete anything to learn whether the module may, so
the answer comes from what can be read: IAM's policy simulator (identity policies plus the resource's
policy) where the caller may use it, else the resource policy alone, else an honest "cannot know".
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from diagnostics.aws.access_probes import CallOutcome, call
from diagnostics.aws.identity_policies import PolicyVerdict, evaluate, read_identity_policies

ALLOWED = "allowed"
DENIED = "denied"
UNKNOWN = "unknown"

_ASSUMED_ROLE = re.compile(r"^arn:(?P<partition>[^:]+):sts::(?P<account>\d+):assumed-role/(?P<role>[^/]+)/")


@dataclass(frozen=True)
class PermissionAnswer:
    """One action's verdict, how it was reached, and the facts behind it."""

    action: str
    verdict: str
    """``allowed``, ``denied`` or ``unknown``."""
    source: str
    """``simulation``, ``resource policy`` or ``nothing readable``."""
    detail: str = ""


def policy_source_arn(caller_arn: str | None) -> str | None:
    """The IAM ARN the simulator accepts for a caller: an assumed-role session maps to its role.

    Roles with a path cannot be rebuilt from the session ARN; the simulator then refuses the ARN and the
    probe falls back to the resource policy, which is why this never guesses a path.
    """
    if not caller_arn:
        return None
    match = _ASSUMED_ROLE.match(caller_arn)
    if match:
        return f"arn:{match['partition']}:iam::{match['account']}:role/{match['role']}"
    if ":iam::" in caller_arn:
        return caller_arn
    return None


def simulate(iam: Any, caller_arn: str | None, actions: Sequence[str], resource_arn: str,
             resource_policy: str | None) -> tuple[dict[str, PermissionAnswer], CallOutcome | None]:
    """Ask IAM's simulator (read-only) for each action; empty when it cannot be asked or refuses."""
    source_arn = policy_source_arn(caller_arn)
    if source_arn is None:
        return {}, None
    arguments: dict[str, Any] = {"PolicySourceArn": source_arn, "ActionNames": list(actions),
                                 "ResourceArns": [resource_arn]}
    if resource_policy:
        arguments["ResourcePolicy"] = resource_policy
    outcome = call(iam, "simulate_principal_policy", **arguments)
    if not outcome.ok or outcome.response is None:
        return {}, outcome
    answers: dict[str, PermissionAnswer] = {}
    for result in outcome.response.get("EvaluationResults", []):
        action = str(result.get("EvalActionName", ""))
        decision = str(result.get("EvalDecision", ""))
        verdict = ALLOWED if decision == "allowed" else DENIED
        answers[action] = PermissionAnswer(action, verdict, "simulation",
                                           f"IAM policy simulator for {source_arn}: {decision}")
    return answers, outcome


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _matches(patterns: Iterable[Any], value: str) -> bool:
    return any(isinstance(pattern, str) and fnmatch.fnmatchcase(value.lower(), pattern.lower())
               for pattern in patterns)


def _names_principal(principal: Any, caller_arn: str | None, account: str | None) -> bool:
    if principal == "*":
        return True
    if not isinstance(principal, Mapping):
        return False
    names = [str(item) for item in _as_list(principal.get("AWS", []))]
    candidates = {caller_arn or "", policy_source_arn(caller_arn) or ""}
    if account:
        candidates |= {account, f"arn:aws:iam::{account}:root"}
    return "*" in names or bool(candidates & set(names))


def read_resource_policy(policy_text: str | None, caller_arn: str | None, account: str | None,
                         actions: Sequence[str], resource_arn: str) -> dict[str, PermissionAnswer]:
    """Verdicts the resource policy alone settles: an explicit Deny, or an Allow naming the caller.

    Conditions are not evaluated, so a statement with a Condition is reported as undecided rather than
    trusted; a policy that does not mention the caller settles nothing (identity policies may still allow).
    """
    if not policy_text:
        return {}
    try:
        document = json.loads(policy_text)
    except ValueError:
        return {}
    answers: dict[str, PermissionAnswer] = {}
    statements = _as_list(document.get("Statement", [])) if isinstance(document, Mapping) else []
    for action in actions:
        for statement in statements:
            if not isinstance(statement, Mapping):
                continue
            if not _matches(_as_list(statement.get("Action", [])), action):
                continue
            if not _matches(_as_list(statement.get("Resource", "*")), resource_arn):
                continue
            if not _names_principal(statement.get("Principal"), caller_arn, account):
                continue
            sid = statement.get("Sid") or "(no Sid)"
            if statement.get("Condition"):
                answers.setdefault(action, PermissionAnswer(
                    action, UNKNOWN, "resource policy", f"statement {sid} has a Condition we do not evaluate"))
                continue
            if statement.get("Effect") == "Deny":
                answers[action] = PermissionAnswer(action, DENIED, "resource policy",
                                                   f"statement {sid} denies {action}")
                break
            if statement.get("Effect") == "Allow":
                answers[action] = PermissionAnswer(action, ALLOWED, "resource policy",
                                                   f"statement {sid} allows {action}")
    return answers


def may_perform(iam: Any | None, caller_arn: str | None, account: str | None, actions: Sequence[str],
                resource_arn: str, resource_policy: str | None) -> tuple[PermissionAnswer, ...]:
    """Each action's verdict: the simulator first, else the resource and identity policies read, else unknown."""
    simulated, outcome = simulate(iam, caller_arn, actions, resource_arn, resource_policy) \
        if iam is not None else ({}, None)
    from_policy = read_resource_policy(resource_policy, caller_arn, account, actions, resource_arn)
    source_arn = policy_source_arn(caller_arn)
    identity: dict[str, PolicyVerdict] = {}
    if iam is not None and source_arn is not None and len(simulated) < len(actions):
        policies = read_identity_policies(iam, source_arn)
        if policies is not None:
            identity = {verdict.action: verdict for verdict in evaluate(policies, actions, resource_arn)}
    refused = f" (the simulator answered: {outcome.evidence()})" if outcome is not None and not outcome.ok else ""
    return tuple(simulated.get(action) or _combined(action, from_policy.get(action), identity.get(action), refused)
                 for action in actions)


def _combined(action: str, resource: PermissionAnswer | None, identity: PolicyVerdict | None,
              refused: str) -> PermissionAnswer:
    """A resource-policy answer and an identity-policy verdict, combined as IAM does within one account."""
    if resource is not None and resource.verdict == DENIED:
        return resource
    if identity is not None and identity.verdict == DENIED and identity.explicit:
        return PermissionAnswer(action, DENIED, "identity policies", identity.detail)
    if resource is not None and resource.verdict == ALLOWED:
        return resource
    if identity is not None and identity.verdict != UNKNOWN:
        return PermissionAnswer(action, identity.verdict, "identity policies", identity.detail)
    if resource is not None:
        return resource
    detail = identity.detail if identity is not None else \
        "neither IAM's policy simulator nor the policies readable here settle it"
    return PermissionAnswer(action, UNKNOWN, "nothing readable", detail + refused)
