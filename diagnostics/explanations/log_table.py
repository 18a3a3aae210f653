"""Explanations for aws-s3 lines of ossec.log; part of the one table in ``diagnostics.explanations``.

One entry per recognised line or cause (the module's messages, wm_aws.c's run lines, known causes), plus the
exit-code meanings and the cross-cutting notes the log explainer appends, so every sentence it shows
lives here. Ids start with ``log.``; ``log.cause.*`` entries explain the message behind an exit code.
"""

from __future__ import annotations

from diagnostics.explanations.table import Explanation
from diagnostics.findings import Status

OK = Status.OK
WARNING = Status.WARNING
ERROR = Status.ERROR

DEBUG_HINT = ("Set wazuh_modules.debug=2 in <WAZUH_HOME>/etc/local_internal_options.conf and restart Wazuh "
              "to see the script's output under `OUTPUT:`, or run the script by hand as root with `-d 2`.")

EXIT_MEANINGS: dict[int, str] = {
    1: "unknown error: any S3 error other than a wrong secret, throttling or clock skew (AccessDenied, "
       "NoSuchBucket, InvalidAccessKeyId), or at debug 1-2 any error that would otherwise exit 12",
    2: "the script's arguments were rejected (argparse), or it received SIGINT",
    3: "invalid credentials (4.4+: wrong secret key or a failed AssumeRole; before 4.4: any S3 error)",
    4: "the boto3 Python module is missing for the interpreter the module uses",
    5: "the SQLite state database could not be read or updated",
    6: "the SQLite state database could not be created",
    7: "an S3 object could not be listed or read",
    8: "a log file could not be decompressed",
    9: "a log file could not be parsed",
    10: "the pyarrow Python module is missing (imported by every run type)",
    11: "Wazuh is not running, so events cannot be sent",
    12: "documented as 'invalid type of bucket', but in practice the catch-all for any unhandled error at "
        "debug 0 (missing profile, no credentials, invalid token, no region...)",
    13: "events could not be sent to the Wazuh queue socket",
    14: "the bucket or path holds no folders, so there is nothing to read",
    15: "the endpoint URL could not be reached",
    16: "the request was throttled, or another request failed (marker date, CloudWatch Logs)",
    17: "a key or value is invalid (~/.aws/config value, or a server access log file name)",
    18: "the prefix holds no AWSLogs account folders",
    19: "the server clock and AWS differ too much (RequestTimeTooSkewed)",
    20: "the SQS queue does not exist",
    21: "an SQS message could not be fetched or deleted, or a subscriber parameter is missing",
    22: "the configured region is not valid or not supported (printed only at debug 1-2)",
    23: "the profile is missing from ~/.aws/config although that file exists",
}

NOTES: dict[str, str] = {
    "exit_meaning": "Exit code {code} means: {meaning}.",
    "exit_unknown": "Exit code {code} is not one the module defines; it may come from the Python interpreter "
                    "or the shell wrapper (for example 126/127: the script could not be executed).",
    "attributed": "This failure is attributed to {target}, named by the `Executing` line at line "
                  "{executing_line} (the C side's title never names the bucket).",
    "not_attributed": "No `Executing ... Analysis` line precedes this failure in the excerpt, so the bucket, "
                      "service or subscriber cannot be named. With several blocks configured, look at the "
                      "lines just above it in the full ossec.log.",
    "reraised": "At wazuh_modules.debug 1 or 2 the module re-raises this error: it exits 1 with "
                "`Unknown error:` and a traceback instead of 12. The cause is the same.",
    "code_mismatch": "This message normally comes with exit code {expected} in Wazuh {version}, but the log "
                     "shows {code}. The line may come from another release, or two causes share the wording; "
                     "treat the explanation as likely, not certain.",
    "legacy_on_new": "The version profile here is {version}, which never prints this line: it comes from an "
                     "installation older than 4.4 (or from before an upgrade). In 4.4 and later the same "
                     "situation is reported as: {current}.",
    "legacy_on_old": "This wording matches the version profile ({version}): releases before 4.4 report it "
                     "this way.",
    "single_space": "The title is quoted with one space around the dash (as in the blog write-up); real "
                    "ossec.log lines have two (`Bucket:  -  `). Both mean the same.",
    "empty_message": "The second line is empty: the script printed nothing at this debug level.",
    "unrecognised_message": "The script's message, `{message}`, is not one this tool recognises.",
    "no_message": "The excerpt ends at this line: the script's message, which the C side logs on the line "
                  "right after `Returned exit code {code}`, is not in it, so the cause cannot be named.",
    "no_message_fix": "Paste the line that follows `Returned exit code {code}` in ossec.log too: it holds the "
                      "script's message, which names the cause. " + DEBUG_HINT,
    "output_says": "The run's output (line {line}) says: {text}",
    "debug_level": "This run used debug level {level} (from the command line or the script's banner).",
    "suspect": "Likely culprit on the logged command line: {suspect}.",
    "ambiguous": "Ambiguous: the same line has several possible causes; the fix lists them in order of "
                 "likelihood.",
    "repeats": "{count} such lines in this run (first at line {line}).",
    "exit_title": "Exit {code}: {title}",
    "run_failed_output": "It follows a failure (exit {code}), as debug 1 logs output only for failed runs.",
    "run_ok_output": "No exit code was logged for this run, so it succeeded; its output is logged because "
                     "debug is 2.",
}

SUSPECTS: dict[str, str] = {
    "stray": "`{token}` follows no option: a value with a space was split apart (4.x passes values "
             "unquoted; 5.0 quotes them)",
    "stray_quoted": "`{token}` follows no option, although {version} quotes values: this command line "
                    "probably comes from a 4.x installation, which splits a value with a space",
    "date": "--only_logs_after `{value}` is not YYYY-MMM-DD (for example 2024-JAN-31)",
    "bucket": "--bucket `{value}` is not a valid bucket name (a path or s3:// URL in <name>?)",
    "account": "--aws_account_id `{value}` is not a comma list of 12-digit account IDs",
    "duration": "--iam_role_duration `{value}` is not a number between 900 and 3600",
    "arn": "--iam_role_arn `{value}` is not a valid role ARN",
    "missing_value": "{flag} has no value (an empty tag in ossec.conf?)",
}

LEGACY_FORBIDDEN = "Access error: An error occurred (403) when calling the HeadBucket operation: Forbidden"
LEGACY_NOT_FOUND = "Access error: An error occurred (404) when calling the HeadBucket operation: Not Found"

_LIFECYCLE: tuple[Explanation, ...] = (
    Explanation(
        "log.module_started", "The aws-s3 module started",
        "wazuh-modulesd loaded the <wodle name=\"aws-s3\"> block and started its thread.",
        "Nothing to do.", OK),
    Explanation(
        "log.fetch_started", "A fetching cycle started",
        "The module starts one pass over every configured bucket, service and subscriber, one after the "
        "other. Each block is introduced by an `Executing ...` line.",
        "Nothing to do.", OK),
    Explanation(
        "log.fetch_finished", "The fetching cycle finished",
        "Every block of this cycle was run. A failed block only logs `Returned exit code N`; the cycle "
        "still finishes.",
        "Nothing to do unless a block above reported an exit code.", OK),
    Explanation(
        "log.executing", "Running {target}",
        "The C side starts the script for this block. For buckets this is the only line that names the "
        "bucket: the `Bucket:  - ` title of later warnings leaves it blank, so the failures below are "
        "attributed to it.",
        "Nothing to do.", OK),
    Explanation(
        "log.sleeping_until", "Next run at {when}",
        "Debug-2 line: the module waits until the next scheduled run (interval, or day/wday/time).",
        "Nothing to do.", OK),
    Explanation(
        "log.create_argument_list", "Building the script's command line",
        "Debug line written before `Launching S3 Command:`.", "Nothing to do.", OK),
    Explanation(
        "log.launching_command", "Command line for {target}",
        "At debug 1-2 the C side logs the exact command it runs (`wodles/aws/aws-s3 ...`). It is the best "
        "evidence of what the module really passes: bucket, type, profile, dates, regions and debug level.",
        "To reproduce the run by hand, run the same command as root from the Wazuh home directory "
        "(it sends real events and advances the state database).", OK),
    Explanation(
        "log.command_has_keys", "Secret keys written to ossec.log in clear text",
        "The block sets <access_key> and <secret_key>, and at debug 1-2 the module logs them inside "
        "`Launching S3 Command:`. Anyone who can read ossec.log (or its rotated archives, or what it was "
        "forwarded to) has the key pair. The values are masked here. These tags are deprecated since 4.4.",
        "Rotate the access key in IAM, move the credentials to a profile in /root/.aws/credentials (or use "
        "an instance role or iam_role_arn), remove <access_key>/<secret_key> from ossec.conf, and purge the "
        "old ossec.log files.", WARNING),
    Explanation(
        "log.secret_in_log", "A secret appears in ossec.log",
        "This line carries what looks like an access key ID or a secret key; it is masked here.",
        "Rotate the key if it is real and purge the log files that contain it.", WARNING),
    Explanation(
        "log.command_stray_argument", "The command line has a value split at a space",
        "A token on the logged command follows no option. Wazuh 4.x splits the command on spaces, so a "
        "profile, alias, prefix or discard value containing a space becomes extra arguments and the script "
        "stops with exit 2 (`Error parsing arguments.`).",
        "Remove the space from the value (rename the profile or prefix), or upgrade to 5.0, which quotes "
        "these values.", WARNING),
    Explanation(
        "log.output_block", "Raw output of the script ({count} lines)",
        "`OUTPUT:` carries everything the script printed (stdout and stderr together). It is logged at "
        "debug 1 only after a failure, and at debug 2 after every run. Its extra lines have no timestamp "
        "and no tag: they belong to this block.",
        "Read the ERROR lines and the last line of any traceback in it.", OK),
    Explanation(
        "log.module_disabled", "The aws-s3 module is disabled",
        "<disabled>yes</disabled> is set in the <wodle name=\"aws-s3\"> block, so nothing is fetched.",
        "Set <disabled>no</disabled> in ossec.conf and restart Wazuh.", WARNING),
    Explanation(
        "log.no_blocks", "No buckets, services or subscribers are configured",
        "The wodle has no <bucket>, <service> or <subscriber> block (or every one was rejected), so the "
        "module exits.",
        "Add at least one block to the <wodle name=\"aws-s3\"> section and restart Wazuh.", ERROR),
    Explanation(
        "log.interval_overtaken", "A run took longer than the interval",
        "The last cycle lasted longer than <interval>, so the next one starts late. With big buckets later "
        "blocks starve and logs arrive hours behind.",
        "Raise <interval>, narrow what each block reads (regions, aws_account_id, only_logs_after, path), "
        "split buckets across several agents, or check for throttling.", WARNING),
    Explanation(
        "log.internal_error", "The module could not execute the script",
        "`Internal error. Exiting...` means wm_exec failed to start wodles/aws/aws-s3 (missing file, no "
        "execute permission, a broken interpreter or wrapper); the module thread stops.",
        "Check that <WAZUH_HOME>/wodles/aws/aws-s3 exists and is executable by root, then restart Wazuh.",
        ERROR),
    Explanation(
        "log.cant_connect_queue", "The module cannot reach the Wazuh queue",
        "The C side could not open the analysisd queue socket, so output cannot be forwarded.",
        "Make sure wazuh-analysisd is running (`wazuh-control status`) and restart Wazuh.", ERROR),
    Explanation(
        "log.cant_save_state", "The module could not save its running state",
        "The scheduler state file could not be written; the next start may re-run immediately.",
        "Check free space and permissions under <WAZUH_HOME>/var/wodles.", WARNING),
    Explanation(
        "log.config_rejected", "ossec.conf: the aws-s3 block was rejected",
        "The configuration parser refused a tag or value of the aws-s3 wodle: {message}",
        "Fix the named tag in ossec.conf; `wazuh-control start` shows the same error.", ERROR),
    Explanation(
        "log.config_warning", "ossec.conf: warning about the aws-s3 block",
        "The configuration parser accepted the block but warned: {message}",
        "Fix or remove the named tag.", WARNING),
    Explanation(
        "log.config_deprecated_keys", "ossec.conf uses deprecated access_key/secret_key",
        "Keys written inline in ossec.conf are deprecated since 4.4 and are logged in clear text at debug "
        "1-2.",
        "Move the credentials to a profile in /root/.aws/credentials or use an IAM role.", WARNING),
)

_FILE: tuple[Explanation, ...] = (
    Explanation(
        "log.file_missing", "The log file does not exist",
        "{path} was not found. The module writes to <WAZUH_HOME>/logs/ossec.log (rotated copies in "
        "<WAZUH_HOME>/logs/ossec/YYYY/Mon/ossec-DD.log.gz).",
        "Pass the right path, e.g. /var/ossec/logs/ossec.log.", ERROR),
    Explanation(
        "log.file_unreadable", "The log file cannot be read",
        "{path} could not be read: {message}", "Run as root or a member of the wazuh group.", ERROR),
    Explanation(
        "log.no_module_lines", "No aws-s3 lines in this log",
        "None of the {count} lines comes from the aws-s3 module: the module is not configured or not "
        "enabled on this host, the log rotated since the last run, or this is another daemon's log.",
        "Check the <wodle name=\"aws-s3\"> block and the rotated logs under <WAZUH_HOME>/logs/ossec/.",
        WARNING),
)

_RUN_LINES: tuple[Explanation, ...] = (
    Explanation(
        "log.debug_banner", "Script running at debug level {level}",
        "The script's first debug line; its level equals the `--debug` flag the C side passed.",
        "Nothing to do.", OK),
    Explanation(
        "log.marker", "Reading keys after {marker}",
        "Debug-2 line: S3 lists only keys that sort after this StartAfter marker. It is the larger of the "
        "last key in the state database and the only_logs_after date (today, UTC, when neither exists). "
        "Keys that sort before it are never read.",
        "If logs are missing, compare this marker with the real keys in the bucket.", OK),
    Explanation(
        "log.marker_leading_slash", "The marker starts with '/': the path has a leading slash",
        "The marker `{marker}` begins with `/` because <path> (or path_suffix) starts with one. S3 keys "
        "never start with `/`, so the listing matches nothing and the run ends with `No logs to process`.",
        "Remove the leading slash: <path>cloudtrail</path>, not <path>/cloudtrail/</path>.", ERROR),
    Explanation(
        "log.marker_today", "First run: reading only from today ({date})",
        "The marker ends in the date of this run, which happens when the state database has no row for "
        "this bucket and only_logs_after is not set: the first run starts at today's date (UTC) and older "
        "logs are skipped. It is also normal on a later run whose last processed file is from today.",
        "To read history, set <only_logs_after>YYYY-MMM-DD</only_logs_after> before the first run; "
        "afterwards only a manual `--reparse` run reads older keys.", WARNING),
    Explanation(
        "log.found_new_log", "Reading a new file",
        "Debug-2 line: this key sorts after the marker and is not yet in the state database; its events "
        "are being sent.", "Nothing to do.", OK),
    Explanation(
        "log.skipping_processed", "Skipping a file already processed",
        "Debug-1 line: the key is already recorded in the state database. 5.x lists the previous day again "
        "to catch late files, so these lines are normal there.", "Nothing to do.", OK),
    Explanation(
        "log.skipping_other_prefix", "Skipping files that do not match the path",
        "Debug-3 line: for custom, WAF and Firehose buckets the date folder (YYYY/MM/DD) must start right "
        "after <path>. This key has something else in between (an account folder, another Firehose "
        "prefix), so it is skipped and nothing from it is sent.",
        "Make <path> end exactly where the date folders begin, e.g. <path>firehose</path> for "
        "`firehose/2024/01/31/...`.", WARNING),
    Explanation(
        "log.no_logs_to_process", "No new logs in {where}",
        "Debug-1 line: nothing sorts after the marker, or everything listed was already processed. "
        "Ambiguous: it is normal when no new file arrived, but it is also what a wrong path, a leading "
        "slash or a first run limited to today look like.",
        "If logs are expected, check the `+++ Marker:` line above, <path>, <only_logs_after> and the real "
        "key layout.", OK),
    Explanation(
        "log.working_on", "Working on account {account}, region {region}",
        "Debug-1 line: the script iterates accounts and regions found under AWSLogs/.",
        "Nothing to do.", OK),
    Explanation(
        "log.table_created", "State table created",
        "Debug-1 line: the state database had no table for this type; this is a first run.",
        "Nothing to do (expect the first run to start at today's date unless only_logs_after is set).", OK),
    Explanation(
        "log.db_maintenance", "State database maintenance",
        "Debug-1 line: the script keeps the newest 500 rows per bucket/account/region and deletes the "
        "older ones.",
        "Nothing to do.", OK),
    Explanation(
        "log.no_regions_found", "No regions found for account {account}",
        "Debug-1 line: no region folders under <path>AWSLogs/<account>/<Service>/; the account is skipped.",
        "Check the bucket type and path; set <regions> explicitly.", WARNING),
    Explanation(
        "log.deprecated_keys_notice", "access_key/secret_key are deprecated",
        "The script notes that <access_key>/<secret_key> are deprecated since 4.4; they still work, but they "
        "sit in ossec.conf and are logged in clear text at debug 1-2.",
        "Move the credentials to a profile in /root/.aws/credentials or use an IAM role.", WARNING),
    Explanation(
        "log.event_too_large", "An event is larger than 65535 bytes",
        "Debug-1 line: the event is still sent, but analysisd may truncate or drop it, so its alert can be "
        "missing or broken.",
        "Use discard_regex to drop the oversized events, or accept the loss.", WARNING),
    Explanation(
        "log.message_too_long", "An event was too long for the queue socket and was skipped",
        "The send failed with errno 90 (message too long); the event is skipped and processing continues.",
        "Raise the socket buffer (`sysctl -w net.core.rmem_max=...` and wmem_max) and restart Wazuh.",
        WARNING),
    Explanation(
        "log.retries_default", "No ~/.aws/config: default retries",
        "Debug-2 line: /root/.aws/config does not exist, so retries are mode standard with 10 attempts.",
        "Nothing to do.", OK),
    Explanation(
        "log.config_profile_used", "Using settings of profile {profile_name}",
        "Debug-2 line: region and retry settings come from this profile in /root/.aws/config.",
        "Nothing to do.", OK),
    Explanation(
        "log.profile_without_region", "Profile {profile_name} has no region",
        "Debug-2 line: the profile in /root/.aws/config sets no region. S3 relies on redirects; SQS "
        "subscribers fail with `You must specify a region.` (exit 12).",
        "Add `region = <region>` under the profile in /root/.aws/config.", WARNING),
    Explanation(
        "log.region_added", "Region {region} taken from the profile",
        "Debug-2 line: the profile's region is used by every client.", "Nothing to do.", OK),
    Explanation(
        "log.region_bad_format", "Region {region} has an invalid format",
        "The region does not look like `xx-name-N`; the script warns and goes on, and the region is "
        "dropped or rejected later (exit 22).", "Fix <regions> (comma list such as us-east-1,eu-west-1).",
        WARNING),
    Explanation(
        "log.all_regions", "No regions configured: trying every region",
        "Debug-1 line: services without <regions> try every (supported) region, which is slow.",
        "Set <regions> to the regions you use.", OK),
    Explanation(
        "log.events_sent", "Events sent", "Debug-1 line: events of this log group or region were sent.",
        "Nothing to do.", OK),
    Explanation(
        "log.reparse", "Reparse mode", "Debug-2 line: `--reparse` re-reads keys already processed; events "
        "may be duplicated.", "Use only for a deliberate backfill.", WARNING),
    Explanation(
        "log.remove_from_bucket", "A file was deleted from the bucket",
        "Debug-2 line: <remove_from_bucket>yes</remove_from_bucket> deletes each file after reading it.",
        "Set remove_from_bucket to no unless deletion is intended.", WARNING),
    Explanation(
        "log.discard_match", "An event was discarded by discard_regex",
        "Debug-2 line: the configured discard_regex matched, so the event is not sent.",
        "Nothing to do, unless the event was wanted.", OK),
    Explanation(
        "log.mark_failed", "A file could not be recorded as processed",
        "The file's date could not be stored in the state database, so it is read again on every run "
        "(duplicate events).", "Check the key name and the state database permissions.", WARNING),
    Explanation(
        "log.db_cleanup_failed", "State database cleanup failed",
        "The 500-row retention step failed; the database keeps growing.",
        "Check the database file permissions and free space.", WARNING),
    Explanation(
        "log.skipped_on_error", "A file was skipped because of skip_on_error",
        "skip_on_error is set, so a file that failed to decompress or parse is skipped and an error event is "
        "sent instead.", "Inspect the named file; it never reaches Wazuh as events.", WARNING),
    Explanation(
        "log.traceback", "Python traceback: {summary}",
        "The script died with an exception. At debug 1-2 errors that exit 12 at debug 0 are re-raised as "
        "tracebacks; the last line carries the real cause.",
        "Read the explanation of the last line; it is annotated too.", ERROR),
    Explanation(
        "log.script_error", "The script reported an error this tool does not know",
        "Message: {message}", DEBUG_HINT, WARNING),
    Explanation(
        "log.unrecognised_warning", "Warning from the aws-s3 module not known to this tool",
        "Message: {message}", "Search the message in the Wazuh documentation or issues.", WARNING),
)

ENTRIES: tuple[Explanation, ...] = _FILE + _LIFECYCLE + _RUN_LINES
