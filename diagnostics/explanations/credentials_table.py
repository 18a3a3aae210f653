"""Explanations for credentials failures; part of the one table in ``diagnostics.explanations``."""

from __future__ import annotations

from diagnostics.explanations.table import Explanation
from diagnostics.findings import Status

DEPRECATION_NOTICE = (
    "The access_key and secret_key authentication parameter was deprecated in 4.4. Please use another "
    "authentication method instead. Check "
    "https://documentation.wazuh.com/current/amazon/services/prerequisites/credentials.html for more "
    "information."
)
"""Printed by the module (no prefix) on every run that uses inline keys."""

ENTRIES: tuple[Explanation, ...] = (
    Explanation(
        failure_id="credentials.resolved",
        title="Credentials found: {method}",
        explanation=(
            "botocore's chain, run over the module's environment and {home}/.aws, picked the '{method}' "
            "source ({source}); access key id {key_id}."
        ),
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="credentials.process_ran",
        title="The profile's credential_process ran: {command}",
        explanation=(
            "Profile '{profile}' gets its keys from a command ({location}). botocore runs it whenever "
            "credentials are resolved: the module runs it on every start, and this check ran it once, as "
            "the module's user, to get the keys it then used for every step. Its output holds the keys and "
            "is never shown."
        ),
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="credentials.from_environment",
        title="The credentials come from environment variables",
        explanation=(
            "botocore used AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY from the environment we were given. "
            "wazuh-modulesd, started by systemd, only sees them when they are set for the wazuh-manager "
            "service; a variable exported in your shell never reaches it, and the module then falls back to "
            "{home}/.aws or the instance role."
        ),
        fix=(
            "Prefer a profile in {home}/.aws/credentials named in <aws_profile>. If you must use variables, "
            "set them for the service (`systemctl edit wazuh-manager`, Environment=...) and restart it."
        ),
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="credentials.inline_keys",
        title="access_key and secret_key are written in ossec.conf (deprecated since 4.4)",
        explanation=(
            "Inline keys win over aws_profile and every other source. Since 4.4 the module prints on every "
            "run: " + DEPRECATION_NOTICE + " At debug 1 the keys are also written in clear text to "
            "ossec.log, inside the 'Launching S3 Command' line."
        ),
        fix=(
            "Move the keys to a profile in {home}/.aws/credentials (owner-only file), set <aws_profile>, "
            "then delete <access_key> and <secret_key> from the block."
        ),
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="credentials.inline_keys_override_profile",
        title="access_key/secret_key win over aws_profile '{profile}'",
        explanation=(
            "With both set the module passes all three to boto3.Session: the inline keys are used, yet the "
            "profile must still exist (a missing one still stops the run) and its region still applies."
        ),
        fix="Keep one method: remove the inline keys (preferred) or <aws_profile>.",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="credentials.inline_keys_incomplete",
        title="Only {present} is set in the block; the module ignores it",
        explanation=(
            "The module uses inline keys only when both access_key and secret_key are set. With just "
            "{present} it silently falls through to the profile or the default chain."
        ),
        fix="Remove {present} and use a profile, or set both (deprecated).",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="credentials.profile_not_found",
        title="Profile '{profile}' is not in the module's shared files",
        explanation=(
            "boto3 looks for '{profile}' in {credentials_path} and {config_path}, the files of the user "
            "wazuh-modulesd runs as, and finds it in neither (profiles there: {available}). boto3 raises "
            "ProfileNotFound before any AWS call."
        ),
        fix=(
            "Add [{profile}] with the keys to {credentials_path} (and [profile {profile}] with the region "
            "to {config_path}), or set <aws_profile> to an existing profile."
        ),
        exit_code=12,
        script_message="The config profile ({profile}) could not be found",
        catch_all=True,
    ),
    Explanation(
        failure_id="credentials.profile_closest",
        title="Did you mean profile '{closest}'?",
        explanation="'{closest}' exists in {where} and is the closest name to '{profile}'.",
        fix="Set <aws_profile>{closest}</aws_profile>, or rename the section to [{profile}].",
        status=Status.ERROR,
    ),
    Explanation(
        failure_id="credentials.profile_in_other_home",
        title="Profile '{profile}' exists only in {other_path}",
        explanation=(
            "The module runs as root and reads {home}/.aws, but the profile was written to another user's "
            "home. This is the 'sudo ~' trap: in `sudo aws configure` or `sudo vi ~/.aws/credentials` the "
            "~ may still be the admin's home, so root never gets the file."
        ),
        fix=(
            "Copy the section into {credentials_path} (and any [profile {profile}] into {config_path}), "
            "owned by root with mode 600, then restart wazuh-manager."
        ),
        status=Status.ERROR,
    ),
    Explanation(
        failure_id="credentials.profile_prefixed_in_credentials",
        title="[{header}] in the credentials file defines profile '{header}', not '{name}'",
        explanation=(
            "In the credentials file a section is named exactly as written, so botocore knows this one as "
            "'{header}'. The 'profile ' prefix belongs only in the config file."
        ),
        fix="Rename the header to [{name}] at {path}:{line}.",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="credentials.config_section_unprefixed",
        title="[{name}] in the config file is not a profile for botocore",
        explanation=(
            "In ~/.aws/config every profile except default must be written [profile {name}]. botocore and "
            "the AWS CLI ignore [{name}], so its region, role and retry settings are not applied to the "
            "module's clients, although the module's own ~/.aws/config check accepts [{name}] as well as "
            "[profile {name}]."
        ),
        fix="Rename the header to [profile {name}] at {path}:{line}.",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="credentials.config_profile_found",
        title="{config_path} has the [{section}] section the module requires",
        explanation=(
            "When {config_path} exists the module reads its retry, signature and proxy settings from the "
            "profile's section before creating any client; [{section}] is there."
        ),
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="credentials.config_profile_missing",
        title="{config_path} has no section for profile '{profile}'",
        explanation=(
            "{config_path} exists, so the module requires the profile in it ({accepted}) and stops before "
            "trying any credentials, even when the profile is in the credentials file. Sections found: "
            "{sections}."
        ),
        fix=(
            "Add [{suggested}] with region = <bucket region> to {config_path}, or remove the file if you "
            "keep no settings in it."
        ),
        exit_code=23,
        script_message="No profile named: '{section}' was found in the user config file{debug_tail}",
    ),
    Explanation(
        failure_id="credentials.config_unparsable",
        title="{path} cannot be parsed",
        explanation=(
            "configparser, which botocore and the module both use, refuses the file: {error}. The run "
            "fails before any AWS call."
        ),
        fix=(
            "Fix the named line: every setting must sit under a [section] header, and a section or key "
            "may appear only once."
        ),
        exit_code=12,
        script_message="{error}",
        catch_all=True,
    ),
    Explanation(
        failure_id="credentials.config_invalid_value",
        title="{key} = {value} in [{section}] is not a whole number",
        explanation=(
            "The module converts {key} to an integer while it builds its botocore Config from "
            "{config_path}; '{value}' is not one, so it stops before creating any client."
        ),
        fix="Set a whole number (for example max_attempts = 10) at {config_path}:{line}.",
        exit_code=17,
        script_message="Invalid key or value found in config ",
    ),
    Explanation(
        failure_id="credentials.no_credentials",
        title="No credentials for the module",
        explanation=(
            "No source in botocore's chain produced credentials: no access_key/secret_key in the block, no "
            "aws_profile, no AWS_ACCESS_KEY_ID in the module's environment, no [default] in "
            "{credentials_path} or {config_path}, no container credentials and no EC2 instance role "
            "({imds})."
        ),
        fix=(
            "Create [default] in {credentials_path} or set <aws_profile> to a profile there; on EC2, attach "
            "an instance role with the needed permissions."
        ),
        exit_code=12,
        script_message="Unable to locate credentials",
        catch_all=True,
    ),
    Explanation(
        failure_id="credentials.no_credentials_for_role",
        title="No base credentials to assume {role_arn}",
        explanation=(
            "AssumeRole needs base credentials and botocore's chain found none (no inline keys, no profile, "
            "no environment variables, no [default], no instance role: {imds}). The module reports it as "
            "an access error while creating its client."
        ),
        fix=(
            "Give the module base credentials allowed to call sts:AssumeRole on {role_arn}: a profile in "
            "{credentials_path} or an EC2 instance role."
        ),
        exit_code=3,
        script_message="Access error: Unable to locate credentials",
    ),
    Explanation(
        failure_id="credentials.load_failed",
        title="botocore could not load the credentials",
        explanation="Building the module's session failed: {error}",
        fix="Fix the source named in the message ({credentials_path}, {config_path} or the environment).",
        exit_code=12,
        script_message="{error}",
        catch_all=True,
    ),
    Explanation(
        failure_id="credentials.files_read",
        title="{path}: {count} profile(s)",
        explanation="Profiles botocore finds in this file: {profiles}. The evidence lists each section.",
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="credentials.credentials_file_missing",
        title="{path} does not exist",
        explanation=(
            "The user the module runs as has no shared credentials file, so no profile can get its keys "
            "from it; keys may still come from the config file, the environment or an instance role."
        ),
        fix="",
        status=Status.SKIPPED,
    ),
    Explanation(
        failure_id="credentials.config_file_missing",
        title="{path} does not exist",
        explanation=(
            "Without this file the module uses its own retry defaults (standard mode, 10 attempts) and no "
            "profile region; it does not require any section."
        ),
        fix="",
        status=Status.SKIPPED,
    ),
    Explanation(
        failure_id="credentials.file_permissions",
        title="{path} is readable by other users (mode {mode})",
        explanation=(
            "The file holds secret keys; any local user or compromised service able to read it can use "
            "the AWS account with the module's permissions."
        ),
        fix="chmod 600 {path} (owner root).",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="credentials.file_unreadable",
        title="Cannot read {path}: {error}",
        explanation=(
            "The module runs as root and reads this file; we could not, so what follows may differ from "
            "what the module sees."
        ),
        fix="Run the doctor as root (sudo) so it reads the same files as wazuh-modulesd.",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="credentials.file_syntax",
        title="{path}:{line}: {reason}",
        explanation=(
            "botocore and the module parse this file with configparser, which rejects or misreads such a "
            "line."
        ),
        fix="Fix or remove line {line} of {path}.",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="credentials.region_found",
        title="Region {region} (from {origin})",
        explanation=(
            "The module's S3 and SQS clients use this region; a bucket elsewhere still works through "
            "botocore's redirect, at the cost of one extra request per call."
        ),
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="credentials.region_missing",
        title="No region configured for the module's clients",
        explanation=(
            "Neither the profile in {config_path} nor AWS_DEFAULT_REGION gives a region. S3 clients then "
            "start in us-east-1 and rely on botocore's redirects; services without <regions> try every "
            "region, and SQS subscribers stop with exit 12 'You must specify a region.'"
        ),
        fix="Add region = <bucket region> under [{suggested}] in {config_path}.",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="credentials.profile_from_environment",
        title="AWS_PROFILE={profile} selects the profile, not ossec.conf",
        explanation=(
            "Without <aws_profile> boto3 takes the profile from {variable} in the module's environment, but "
            "the module's own ~/.aws/config check still looks for [default]."
        ),
        fix="Name the profile in the block with <aws_profile>{profile}</aws_profile> instead.",
        status=Status.WARNING,
    ),
)
