"""Whether the role a block assumes exists and trusts the ExternalId the module sends, read with iam:GetRole.

AssumeRole answers a missing role and a wrong ExternalId with the same AccessDenied, and the module turns
both into exit 3 ('Access error'). Reading the role's trust policy (same account only, and only when the
caller may call iam:GetRole) tells the two apart and names the ExternalId the trust policy expects, the
usual mistake with Security Lake subscribers. Nothing is assumed or changed here.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from diagnostics.aws.access_probes import call
from diagnostics.aws.clients import ClientSettings, make_client
from diagnostics.findings import Finding

if TYPE_CHECKING:
    import boto3

    from diagnostics.aws.prediction import Predictor
    from diagnostics.wazuh.wodle import Block

CHECK_ID = "identity.role_trust"
ASSUME_ERROR = "An error occurred (AccessDenied) when calling the AssumeRole operation: <AWS's message>"
"""What the module prints after 'Access error: ' (AWS's own message text is not known without the call)."""
EXTERNAL_ID_KEY = "sts:externalid"


def external_ids_demanded(trust_text: Any) -> tuple[list[str], bool]:
    """The ExternalId values (or patterns) the trust policy's AssumeRole statements demand, and whether any
    Allow statement for sts:AssumeRole has no ExternalId condition at all."""
    document = trust_text
    if isinstance(trust_text, str):
        try:
            document = json.loads(unquote(trust_text))
        except ValueError:
            return [], True
    statements = document.get("Statement", []) if isinstance(document, Mapping) else []
    demanded: list[str] = []
    unconditioned = False
    for statement in statements if isinstance(statements, list) else [statements]:
        if not isinstance(statement, Mapping) or statement.get("Effect") != "Allow":
            continue
        actions = statement.get("Action", [])
        actions = [actions] if isinstance(actions, str) else actions
        if not any(isinstance(action, str) and fnmatch.fnmatch("sts:assumerole", action.lower())
                   for action in actions):
            continue
        values: list[str] = []
        conditions = statement.get("Condition", {})
        for operator, pairs in (conditions.items() if isinstance(conditions, Mapping) else ()):
            if not isinstance(pairs, Mapping) or not str(operator).startswith("String"):
                continue
            for key, value in pairs.items():
                if str(key).lower() == EXTERNAL_ID_KEY:
                    values.extend(str(item) for item in (value if isinstance(value, list) else [value]))
        if values:
            demanded.extend(values)
        else:
            unconditioned = True
    return demanded, unconditioned


def _matches(sent: str, demanded: list[str]) -> bool:
    return any(sent == value or fnmatch.fnmatchcase(sent, value) for value in demanded)


def check_role_trust(base_session: boto3.session.Session | None, block: Block, predictor: Predictor,
                     settings: ClientSettings, caller_account: str | None) -> tuple[Finding, ...]:
    """A finding when the role is missing or its trust policy refuses the ExternalId the module sends; nothing
    when the role is in another account or cannot be read (AssumeRole's own answer then stands alone)."""
    role_arn = (block.value("iam_role_arn") or "").strip()
    parts = role_arn.split(":", 5)
    if base_session is None or len(parts) < 6 or parts[2] != "iam" or not parts[5].startswith("role/"):
        return ()
    account, name = parts[4], parts[5].rsplit("/", 1)[-1]
    if caller_account is not None and account != caller_account:
        return ()
    iam = make_client(base_session, "iam", dataclasses.replace(settings, max_attempts=0))
    outcome = call(iam, "get_role", RoleName=name)
    sent = block.value("external_id") if block.kind == "subscriber" else None
    values = {"role_arn": role_arn, "account": account, "sent": sent or "none", "error": ASSUME_ERROR}
    location = block.line_of("iam_role_arn")
    if not outcome.ok and outcome.code == "NoSuchEntity":
        return (predictor.finding("role.missing", check_id=CHECK_ID, location=location, values=values,
                                  evidence=(outcome.evidence(),)),)
    if not outcome.ok or outcome.response is None:
        return ()
    demanded, unconditioned = external_ids_demanded(outcome.response.get("Role", {}).get("AssumeRolePolicyDocument"))
    values["demanded"] = ", ".join(demanded) or "none"
    evidence = (outcome.evidence(), f"trust policy ExternalId condition: {values['demanded']}",
                f"ExternalId the module sends: {values['sent']}")
    if unconditioned or not demanded or (sent and _matches(sent, demanded)):
        return (predictor.finding("role.trust_ok", check_id=CHECK_ID, location=location, values=values,
                                  evidence=evidence),)
    failure = "role.external_id_wrong" if sent else (
        "role.external_id_missing" if block.kind == "subscriber" else "role.external_id_unsendable")
    return (predictor.finding(failure, check_id=CHECK_ID, location=block.line_of("external_id") if sent
                              else location, values=values, evidence=evidence),)
