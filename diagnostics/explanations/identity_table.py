"""Explanations for identity (GetCallerIdentity, AssumeRole, clock skew); part of the one table."""

from __future__ import annotations

from diagnostics.explanations.table import Explanation
from diagnostics.findings import Status

ENTRIES: tuple[Explanation, ...] = (
    Explanation(
        failure_id="identity.skipped",
        title="Identity not checked: the module's credentials could not be resolved",
        explanation="STS needs working base credentials; see the credentials findings above.",
        fix="",
        status=Status.SKIPPED,
    ),
    Explanation(
        failure_id="identity.caller",
        title="Caller {arn}",
        explanation=(
            "STS GetCallerIdentity with the base credentials (the keys or profile, never the role): account "
            "{account}, partition {partition}, user id {user_id}."
        ),
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="identity.invalid_token",
        title="STS does not know access key {key_id}",
        explanation=(
            "InvalidClientTokenId: the key was deleted or deactivated, was typed wrongly, or belongs to "
            "another partition (GovCloud or China keys sent to the global STS, or the reverse)."
        ),
        fix=(
            "Create a new access key for the IAM user and update it where it came from ({source}); for "
            "GovCloud or China set <sts_endpoint> to that partition's STS."
        ),
        exit_code=12,
        script_message="{error}",
        catch_all=True,
    ),
    Explanation(
        failure_id="identity.signature_mismatch",
        title="STS rejects the signature: the secret key does not match {key_id}",
        explanation=(
            "SignatureDoesNotMatch: the access key id exists but the secret key stored with it is wrong "
            "(a copy-paste cut, an extra character, or a key rotated without updating the secret). "
        ),
        fix="Store the secret that belongs to {key_id} ({source}), or create a new key pair.",
        exit_code=12,
        script_message="{error}",
        catch_all=True,
    ),
    Explanation(
        failure_id="identity.expired_token",
        title="The session token of {key_id} has expired",
        explanation=(
            "ExpiredToken: temporary credentials (a session token in the profile or the environment) are "
            "past their expiry. The module cannot renew them."
        ),
        fix="Give the module long-lived credentials: a profile with an IAM user's keys, or an instance role.",
        exit_code=12,
        script_message="{error}",
        catch_all=True,
    ),
    Explanation(
        failure_id="identity.caller_failed",
        title="GetCallerIdentity failed: {code}",
        explanation="STS answered {code}: {message}.",
        fix="Check the credentials' source ({source}) and any SCP or VPC endpoint policy in the way.",
        exit_code=12,
        script_message="{error}",
        catch_all=True,
    ),
    Explanation(
        failure_id="identity.sts_unreachable",
        title="STS is unreachable at {url}",
        explanation=(
            "The connection to STS failed ({error}). The module's GetCallerIdentity always uses the default "
            "STS endpoint, even when <sts_endpoint> is set (that option only applies to AssumeRole). "
        ),
        fix=(
            "Allow outbound HTTPS to {url} (proxy, firewall, DNS); when only a VPC endpoint is "
            "reachable, make its private DNS answer for the default STS name."
        ),
        exit_code=12,
        script_message="{error}",
        catch_all=True,
    ),
    Explanation(
        failure_id="identity.assumed",
        title="Assumed {role_arn}",
        explanation=(
            "AssumeRole (RoleSessionName WazuhLogParsing{duration}) worked as {assumed_arn}. The bucket "
            "checks use these temporary credentials, as the module's S3 client does."
        ),
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="identity.assume_denied",
        title="{caller_arn} may not assume {role_arn}",
        explanation=(
            "AssumeRole was refused ({code}): either the caller's own policy lacks sts:AssumeRole on the "
            "role, or the role's trust policy does not name this principal (or demands an ExternalId or "
            "MFA the module cannot give)."
        ),
        fix=(
            "Allow sts:AssumeRole on {role_arn} in the policy of {caller_arn}, and add that principal to "
            "the trust policy of the role."
        ),
        exit_code=3,
        script_message="Access error: {error}",
    ),
    Explanation(
        failure_id="identity.assume_failed",
        title="AssumeRole on {role_arn} failed: {code}",
        explanation=(
            "STS refused the request: {message}. A DurationSeconds above the role's maximum session "
            "duration gives this error too (iam_role_duration is {duration_value})."
        ),
        fix="Fix what STS names: lower <iam_role_duration> or raise the role's maximum session duration.",
        exit_code=3,
        script_message="Access error: {error}",
    ),
    Explanation(
        failure_id="identity.assume_unreachable",
        title="STS is unreachable at {url} for AssumeRole",
        explanation=(
            "The connection failed ({error}); AssumeRole goes to <sts_endpoint> when it is set, else to the "
            "default STS. The module does not expect this error, so the run stops in its generic handler."
        ),
        fix="Allow outbound HTTPS to {url}, or set <sts_endpoint> to a reachable STS (VPC) endpoint.",
        exit_code=12,
        script_message="{error}",
        catch_all=True,
    ),
    Explanation(
        failure_id="identity.clock_ok",
        title="Host clock within {skew} of AWS",
        explanation="Compared with the Date header of the STS response; signatures allow 15 minutes.",
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="identity.clock_skew_warning",
        title="The host clock is {skew} off AWS's",
        explanation=(
            "Requests are signed with the host's time and AWS rejects signatures more than 15 minutes off. "
            "This is still within the limit, but the clock is drifting."
        ),
        fix="Enable time synchronisation (chronyd or systemd-timesyncd) and check `timedatectl`.",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="identity.clock_skew_error",
        title="The host clock is {skew} off AWS's",
        explanation=(
            "AWS rejects requests signed more than 15 minutes away from its time (RequestTimeTooSkewed), so "
            "the module's first S3 listing fails."
        ),
        fix="Synchronise the clock (`chronyc makestep` or `timedatectl set-ntp true`), then rerun.",
        exit_code=19,
        script_message="The server datetime and datetime of the AWS environment differ",
    ),
)
