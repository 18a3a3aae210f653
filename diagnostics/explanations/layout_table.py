"""Explanations for layout failures; part of the one table in ``diagnostics.explanations``.

Key layouts, discovery, the start marker, key classification, volume and the module's state database
(wrong type, path or prefix, no logs, a marker past the files, skipped keys).
"""

from __future__ import annotations

from diagnostics.explanations.table import Explanation
from diagnostics.findings import Status

REPARSE_WARNING = (
    "A manual run with --reparse sends real events (duplicates of anything already read) and shares the "
    "module's state database: run it while no scheduled run is active."
)

ENTRIES: tuple[Explanation, ...] = (
    # -- where the module looks -------------------------------------------------------------------------
    Explanation(
        failure_id="layout.prefixes",
        title="The module lists {where}",
        explanation=(
            "For type {bucket_type} the module builds its prefixes from path '{path}' and path_suffix "
            "'{path_suffix}' (a '/' is appended, a leading '/' is kept). It keeps its state in table "
            "'{table}' under bucket_path '{bucket_path}'; changing <path> starts a fresh state."
        ),
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="layout.leading_slash",
        title="<path> starts with '/': the module lists '{path}', which S3 keys almost never start with",
        explanation=(
            "The script keeps a leading '/' (it only appends a trailing one), so every prefix and marker "
            "begins with '/': the debug line reads '+++ Marker: /...' and nothing is found (#4159)."
        ),
        fix="Write the path without the leading slash: <path>{suggested}</path>.",
        status=Status.ERROR,
    ),
    Explanation(
        failure_id="layout.no_logs_found",
        title="No account folder under '{base_prefix}' (exit 18)",
        explanation=(
            "Without <aws_account_id> the module lists '{base_prefix}' with Delimiter='/' to find "
            "12-digit account folders. That listing returns no folder at all, so the run stops with exit "
            "18. {seen}"
        ),
        fix=(
            "Point <path> at the folder that contains AWSLogs/, and set <path_suffix> or "
            "<aws_organization_id> for any level between AWSLogs/ and the account id{proposal}."
        ),
        exit_code=18,
        script_message=(
            "No logs found in '{base_prefix}'. Check the provided prefix and the location of the logs for "
            "the bucket type '{bucket_type}'"
        ),
    ),
    Explanation(
        failure_id="layout.no_account_folders",
        title="Folders under '{base_prefix}' but none is a 12-digit account",
        explanation=(
            "The module keeps only folders named with exactly 12 digits ({folders} found), so it walks no "
            "account and reads nothing, without any message. An organization trail puts 'o-...' before the "
            "account id; other tools add their own level."
        ),
        fix=("Set <aws_organization_id> or <path_suffix> to the level between AWSLogs/ and the "
             "account{proposal}."),
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="layout.accounts_truncated",
        title="More than 1000 folders under '{base_prefix}': only the first page is read",
        explanation=(
            "Account discovery reads a single ListObjectsV2 page. Accounts after the first 1000 folders "
            "are never walked."
        ),
        fix="List the accounts explicitly in <aws_account_id>, or split the bucket into several blocks.",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="layout.accounts_found",
        title="Accounts the module walks: {accounts}",
        explanation="{source}; regions per account: {regions}.",
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="layout.no_regions",
        title="Account {account} has no region folder under '{service_prefix}'",
        explanation=(
            "The module prints '+++ No regions found for AWS Account {account}' at debug 1 and skips the "
            "account."
        ),
        fix="Check the service folder name and type; logs of another service are not read by this block.",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="layout.regions_reused",
        title="Account {account} is walked with {reused_from}'s regions; {missing} never read",
        explanation=(
            "Without <regions> the module discovers regions for the first account only and reuses that "
            "list for every later account (the variable is never reset). {account} has region folders "
            "{missing} that are therefore never listed."
        ),
        fix="Set <regions> to every region that holds logs: <regions>{all_regions}</regions>.",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="layout.guardduty_firehose_unsupported",
        title="GuardDuty without '{path}AWSLogs' stops Wazuh {version} with exit 12",
        explanation=(
            "GuardDuty findings delivered through Kinesis Firehose were deprecated in 4.5 and are no longer "
            "read by 5.0: without an AWSLogs folder under the path the run fails with 'Invalid type of "
            "bucket'."
        ),
        fix=(
            "Export GuardDuty findings to S3 natively (they land under AWSLogs/<account>/GuardDuty/), or "
            "read the Firehose prefix with a <bucket type=\"custom\"> block."
        ),
        exit_code=12,
        script_message="Invalid type of bucket",
    ),
    Explanation(
        failure_id="layout.guardduty_firehose_deprecated",
        title="GuardDuty through Kinesis Firehose (deprecated since 4.5, removed in 5.0)",
        explanation=(
            "Without '{path}AWSLogs' Wazuh {version} reads the path like a custom bucket and prints a "
            "deprecation notice on every run. Upgrading to 5.0 turns this into exit 12."
        ),
        fix="Export GuardDuty findings to S3 natively before upgrading.",
        status=Status.WARNING,
    ),
    # -- what the keys say -----------------------------------------------------------------------------
    Explanation(
        failure_id="layout.matches_keys",
        title="The keys match the block ({bucket_type} under '{path}')",
        explanation="Sampled keys such as {example} are where this block makes the module look.",
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="layout.block_mismatch",
        title="The keys need {changes}",
        explanation=(
            "Keys such as {example} are {inferred_type} logs at a place this block does not look, so the "
            "module skips them or finds nothing. {notes}"
        ),
        fix="Change the block to:\n{proposal}",
        status=Status.ERROR,
    ),
    Explanation(
        failure_id="layout.no_keys",
        title="No objects found under '{prefix}'",
        explanation="A bounded descent ({requests} listing requests) found no object to infer a layout from.",
        fix="Check <name> and <path>; the access checks say whether the bucket can be listed.",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="layout.unknown_layout",
        title="The keys match no layout the module reads",
        explanation=(
            "Sampled keys such as {example} follow none of the AWSLogs, Firehose, Umbrella or server-access "
            "layouts. type=\"custom\" keeps only EventBridge-style JSON objects with a 'detail' field."
        ),
        fix="For arbitrary JSON, CSV or text, use an SQS <subscriber type=\"buckets\"> (4.7+).",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="layout.server_access_partitioned",
        title="Server access logs use the date-partitioned key format",
        explanation=(
            "Keys like {example} sort before the module's marker and fail its date check, so none is ever "
            "read and nothing is logged."
        ),
        fix=("Switch the source bucket's server access log key format to the simple prefix format "
             "([DestinationPrefix][YYYY]-[MM]-[DD]-[hh]-[mm]-[ss]-[UniqueString])."),
        status=Status.ERROR,
    ),
    Explanation(
        failure_id="layout.umbrella_path",
        title="The Umbrella path has none of dnslogs, proxylogs or iplogs",
        explanation=(
            "The module picks the CSV columns from the path; without one of those words it stops with exit "
            "12 on the first file it reads."
        ),
        fix="Point <path> at the dnslogs/, proxylogs/ or iplogs/ folder (one block per log kind).",
        exit_code=12,
        script_message="Only 'dnslogs', 'proxylogs' or 'iplogs' are allowed for Cisco Umbrella",
    ),
    Explanation(
        failure_id="layout.other_prefix",
        title="{count} sampled key(s) are skipped as 'another prefix'",
        explanation=(
            "For this type the date must start right after '{prefix}'. Keys such as {example} have it "
            "elsewhere, so the module logs only '++ Skipping file with another prefix: <key>', at debug 3."
        ),
        fix="Make <path> end exactly where the date folders begin{proposal}.",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="layout.unknown_flow_logs",
        title="Flow log(s) {ids} in {region} are never read",
        explanation=(
            "The module reads only keys whose flow-log id ec2:DescribeFlowLogs returns for its credentials "
            "({described}). Files of other ids, typically other accounts' flow logs in a central bucket, are "
            "dropped without a log line."
        ),
        fix="Read them with the owning account's credentials or role (iam_role_arn), one block per account.",
        status=Status.WARNING,
    ),
    # -- the marker -----------------------------------------------------------------------------------------
    Explanation(
        failure_id="layout.marker",
        title="{scope}: starts after {marker}",
        explanation="{reason}. {after}{adjustments}",
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="layout.first_run_today",
        title="{scope}: the first run reads only today's logs",
        explanation=(
            "There is no state for this scope and no only_logs_after, so the module starts at today's date "
            "(UTC): {marker}. {older} older file(s) are never read."
        ),
        fix="Before the first run, set <only_logs_after>{suggested}</only_logs_after> (format YYYY-MMM-DD).",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="layout.only_logs_after_ignored",
        title="{scope}: only_logs_after {only_logs_after} has no effect",
        explanation=(
            "The state already holds {db_key}, which sorts after the only_logs_after marker, and the module "
            "uses the larger of the two. Moving only_logs_after back never re-reads older files."
        ),
        fix=(
            "To read the older files once: {reparse_command}. " + REPARSE_WARNING
        ),
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="layout.never_read_below_marker",
        title="{scope}: {count} file(s) below the marker were never read",
        explanation=(
            "These keys sort at or before the marker {marker} and have no row in the state database: they "
            "were uploaded after the module had moved past their folder (late delivery) or were skipped by "
            "an earlier setting. S3 never returns them to the module again. Examples: {examples}."
        ),
        fix="Read them once: {reparse_command}. " + REPARSE_WARNING,
        status=Status.WARNING,
    ),
    # -- volume --------------------------------------------------------------------------------------------
    Explanation(
        failure_id="layout.volume",
        title="About {per_day} file(s) ({bytes_per_day}) per day under {where}",
        explanation=(
            "Counted {days} day(s) with {requests} listing request(s){capped}. Reading {range_days} day(s) "
            "would take about {backlog}; a caught-up run every {interval} takes about {steady}. These are "
            "projections ({seconds_per_object}s per file, {throughput} per second)."
        ),
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="layout.interval_overtaken",
        title="A run would outlast the interval ({steady} for {interval})",
        explanation=(
            "At about {per_day} file(s) per day, even a caught-up run is longer than <interval>; "
            "wazuh-modulesd logs 'Interval overtaken.' and later buckets wait."
        ),
        fix=(
            "Narrow the block (<regions>, <aws_account_id>, <path>), raise <interval>, or split the buckets "
            "across several managers."
        ),
        status=Status.WARNING,
    ),
    # -- the state database -----------------------------------------------------------------------------
    Explanation(
        failure_id="layout.state_missing",
        title="No state database yet ({state_db})",
        explanation=(
            "The module creates it on its first run. Until then every scope starts at only_logs_after or, "
            "without it, at today's date (UTC)."
        ),
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="layout.state_ok",
        title="State for {bucket_path}: {rows} row(s) in {scopes} scope(s)",
        explanation=(
            "Read-only from {state_db} (metadata version {version}). Newest keys per scope: {last_keys}."
        ),
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="layout.state_damaged",
        title="The state database is not a usable SQLite file ({health})",
        explanation=(
            "Opening {state_db} read-only failed: {error}. The module stops with exit 5 as soon as it "
            "opens the file."
        ),
        fix=(
            "Stop wazuh-modulesd, move the file aside (keep it for support), and start again: the module "
            "creates a new one, and every scope restarts at only_logs_after or today."
        ),
        exit_code=5,
        script_message="Error attempting to operate with the {state_db} database: {error}",
    ),
    Explanation(
        failure_id="layout.state_over_retention",
        title="{scope} keeps {rows} rows (the module keeps {retention})",
        explanation=(
            "After each scope the module deletes all but the newest {retention} rows ('+++ DB Maintenance'). "
            "More rows mean that step keeps failing ('Failed to execute DB cleanup') or the runs were "
            "interrupted before it."
        ),
        fix="Look for 'Failed to execute DB cleanup' in ossec.log at debug 1; check the file is writable.",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="layout.check_incomplete",
        title="Layout checks stopped: {error}",
        explanation="A listing needed by the layout checks failed; the access checks explain why.",
        fix="",
        status=Status.SKIPPED,
    ),
)
