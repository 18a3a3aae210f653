"""Explanations for an input's <iam_role_arn> (the role exists, its trust policy admits the ExternalId sent).

Kept apart because every kind of input can name a role, and STS refuses all of them the same way (exit 3).
"""

from __future__ import annotations

from diagnostics.explanations.inputs_table import OURS
from diagnostics.explanations.table import Explanation
from diagnostics.findings import Status

ENTRIES: tuple[Explanation, ...] = (
    Explanation(
        failure_id="role.missing",
        title="Role {role_arn} does not exist",
        explanation="iam:GetRole in account {account} answered NoSuchEntity. STS refuses AssumeRole on a missing "
                    "role like any other denial (AccessDenied), so the module stops with exit 3 ('Access error') "
                    "before any other call." + OURS,
        fix="Create the role, or copy its exact ARN from the IAM console into <iam_role_arn>.",
        exit_code=3,
        script_message="Access error: {error}",
    ),
    Explanation(
        failure_id="role.external_id_wrong",
        title="The trust policy of {role_arn} expects ExternalId {demanded}, not {sent}",
        explanation="The module sends <external_id> as the ExternalId of its AssumeRole call; the role's trust "
                    "policy admits only {demanded}, so STS refuses the call (AccessDenied) and the module stops "
                    "with exit 3 ('Access error')." + OURS,
        fix="Set <external_id> to the value the role expects (for Security Lake: the external id given when "
            "the subscriber was created), or change the trust policy's sts:ExternalId condition.",
        exit_code=3,
        script_message="Access error: {error}",
    ),
    Explanation(
        failure_id="role.external_id_missing",
        title="The trust policy of {role_arn} demands an ExternalId; the block sends none",
        explanation="The role's trust policy admits AssumeRole only with ExternalId {demanded}, and the block "
                    "has no <external_id>, so STS refuses the call (AccessDenied) and the module stops with "
                    "exit 3 ('Access error')." + OURS,
        fix="Add <external_id> with the value the role expects to the subscriber block.",
        exit_code=3,
        script_message="Access error: {error}",
    ),
    Explanation(
        failure_id="role.external_id_unsendable",
        title="The trust policy of {role_arn} demands an ExternalId the module never sends here",
        explanation="The role's trust policy admits AssumeRole only with ExternalId {demanded}, but the module "
                    "passes <external_id> for subscribers only, so every run of this block ends with exit 3 "
                    "('Access error')." + OURS,
        fix="Use a role whose trust policy has no sts:ExternalId condition for this principal.",
        exit_code=3,
        script_message="Access error: {error}",
    ),
    Explanation(
        failure_id="role.trust_ok",
        title="The trust policy of {role_arn} admits the ExternalId the module sends ({sent})",
        explanation="The role exists and its trust policy's sts:ExternalId condition ({demanded}) does not "
                    "refuse what the module sends; whether this caller may assume it is the AssumeRole step's "
                    "answer." + OURS,
        fix="",
        status=Status.OK,
    ),
)
