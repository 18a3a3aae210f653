"""Explanations for aws-s3 lines of ossec.log; part of the one table in ``diagnostics.explanations``.

One entry per recognised line or cause (reference §1, §2.4, §7, §12 and failures-and-peers.md), plus the
exit-code meanings and the cross-cutting notes the log explainer appends, so every sentence it shows
lives here. Ids start with ``log.``; ``log.cause.*`` entries explain the message behind an exit code.
"""

from __future__ import annotations

from diagnostics.explanations.table import Explanation, LegacyBehaviour
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

_LEGACY_FORBIDDEN = "Access error: An error occurred (403) when calling the HeadBucket operation: Forbidden"
_LEGACY_NOT_FOUND = "Access error: An error occurred (404) when calling the HeadBucket operation: Not Found"

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

_CAUSES: tuple[Explanation, ...] = (
    Explanation(
        "log.cause.profile_not_found", "AWS profile '{profile_name}' not found",
        "The block sets <aws_profile>{profile_name}</aws_profile>, but no such profile exists in the files "
        "the module reads. wazuh-modulesd runs as root, so it reads /root/.aws/credentials and "
        "/root/.aws/config, not the home of the admin who ran `aws configure` (a common trap with sudo). "
        "Exit 12 is the catch-all, not a bucket-type problem.",
        "Create the profile in /root/.aws/credentials ([{profile_name}] with aws_access_key_id and "
        "aws_secret_access_key) or fix <aws_profile>; `sudo aws sts get-caller-identity --profile "
        "{profile_name}` must work as root.",
        exit_code=12, script_message="The config profile ({profile_name}) could not be found",
        catch_all=True),
    Explanation(
        "log.cause.no_credentials", "No AWS credentials found",
        "No authentication method produced credentials: no access_key/secret_key, no <aws_profile>, no "
        "[default] profile in /root/.aws, no AWS_* variables in wazuh-modulesd's environment and no "
        "instance role. Custom-family buckets fail at GetCallerIdentity.",
        "Add a profile in /root/.aws/credentials and set <aws_profile>, or attach an IAM role to the "
        "instance.",
        exit_code=12, script_message="Unable to locate credentials", catch_all=True),
    Explanation(
        "log.cause.invalid_client_token", "The access key is not valid for STS",
        "GetCallerIdentity rejected the credentials (InvalidClientTokenId): the key was deleted or "
        "deactivated, belongs to another partition (GovCloud or China keys sent to the global STS), or "
        "environment variables for web identity are missing in wazuh-modulesd's environment.",
        "Check the key in IAM, use credentials for the right partition (set sts_endpoint), or use "
        "iam_role_arn.",
        exit_code=12, script_message="An error occurred (InvalidClientTokenId) when calling the "
        "GetCallerIdentity operation: The security token included in the request is invalid.",
        catch_all=True),
    Explanation(
        "log.cause.no_region", "No AWS region configured",
        "A client needed a region and none was found: SQS subscribers and some services take it only from "
        "the profile in /root/.aws/config or AWS_DEFAULT_REGION.",
        "Add `region = <region>` to the profile in /root/.aws/config (or [default]).",
        exit_code=12, script_message="You must specify a region.", catch_all=True),
    Explanation(
        "log.cause.invalid_type", "The bucket does not hold logs of the configured type",
        "`Invalid type of ...`: the keys under <path> do not match the layout the type expects (for "
        "example ALB logs without elasticloadbalancing/, or in 5.0 a GuardDuty bucket fed by Firehose "
        "instead of the native AWSLogs export).",
        "Set the type that matches the keys, or fix <path>; browse the bucket to see the real layout.",
        exit_code=12, script_message="Invalid type of bucket", catch_all=True),
    Explanation(
        "log.cause.umbrella_path", "Cisco Umbrella path must contain dnslogs, proxylogs or iplogs",
        "The cisco_umbrella type picks its field list from the path; the configured path names none.",
        "Point <path> at the dnslogs, proxylogs or iplogs folder.",
        exit_code=12, script_message="Only 'dnslogs', 'proxylogs' or 'iplogs' are allowed for Cisco Umbrella",
        catch_all=True),
    Explanation(
        "log.cause.legacy_common_prefixes", "Old releases: the bucket or path is empty ('CommonPrefixes')",
        "Wazuh 3.x failed with a KeyError on 'CommonPrefixes' when the listing returned no folders; current "
        "versions report the same situation as exit 14 (`No files were found`).",
        "Check the bucket name and <path>; upgrade Wazuh.", exit_code=14,
        script_message="No files were found in '<bucket>/<path>'. No logs will be processed.",
        legacy=LegacyBehaviour(12, "'CommonPrefixes'")),
    Explanation(
        "log.cause.no_such_bucket", "The bucket does not exist",
        "S3 answered NoSuchBucket: the name in <name> is wrong, or the bucket was deleted.",
        "Fix <name> (the bucket name only: the prefix goes in <path>).",
        exit_code=1, script_message="Unexpected error: 'An error occurred (NoSuchBucket) when calling the "
        "ListObjectsV2 operation: The specified bucket does not exist'.",
        legacy=LegacyBehaviour(3, _LEGACY_NOT_FOUND)),
    Explanation(
        "log.cause.access_denied", "Access denied listing the bucket",
        "S3 answered AccessDenied: the credentials work but may not list this bucket (s3:ListBucket on "
        "arn:aws:s3:::<bucket>), or the bucket belongs to another account whose bucket policy does not "
        "allow them, or an SCP or VPC endpoint policy denies it.",
        "Grant s3:ListBucket on the bucket and s3:GetObject on its objects (plus kms:Decrypt for SSE-KMS "
        "logs) to the identity the module uses.",
        exit_code=1, script_message="Unexpected error: 'An error occurred (AccessDenied) when calling the "
        "ListObjectsV2 operation: Access Denied'.", legacy=LegacyBehaviour(3, _LEGACY_FORBIDDEN)),
    Explanation(
        "log.cause.invalid_access_key", "The access key ID does not exist",
        "S3 answered InvalidAccessKeyId: the key ID in the profile or ossec.conf is unknown to AWS (deleted, "
        "mistyped, or from another partition).",
        "Create a new access key and update /root/.aws/credentials.",
        exit_code=1, script_message="Unexpected error: 'An error occurred (InvalidAccessKeyId) when calling "
        "the ListObjectsV2 operation: The AWS Access Key Id you provided does not exist in our records.'."),
    Explanation(
        "log.cause.client_error", "S3 refused the request ({error_code})",
        "An S3 error the module does not map to its own code: {message}",
        "Look up the error code; it usually names the missing permission or wrong setting.",
        exit_code=1, script_message="Unexpected error: '<botocore error>'."),
    Explanation(
        "log.cause.invalid_credentials", "Wrong secret key (invalid credentials)",
        "S3 rejected the request signature (SignatureDoesNotMatch): the access key ID exists but the "
        "secret key does not belong to it (mistyped, rotated, or stray spaces in the credentials file).",
        "Copy the secret key again into /root/.aws/credentials; check there are no quotes or spaces.",
        exit_code=3, script_message="Invalid credentials to access S3 Bucket"),
    Explanation(
        "log.cause.legacy_forbidden", "Old releases: HeadBucket 403 Forbidden",
        "Wazuh before 4.4 probed the bucket with HeadBucket and reported any failure as exit 3 `Access "
        "error`. A 403 means the credentials were rejected or lack permission: wrong keys, no "
        "s3:ListBucket on the bucket, or a bucket in another account. Ambiguous: HeadBucket returns no "
        "error code, only the status.",
        "Check the credentials (`aws s3 ls s3://<bucket> --profile <p>` as root) and grant s3:ListBucket "
        "and s3:GetObject.",
        exit_code=1, script_message="Unexpected error: 'An error occurred (AccessDenied) when calling the "
        "ListObjectsV2 operation: Access Denied'.", legacy=LegacyBehaviour(3, _LEGACY_FORBIDDEN)),
    Explanation(
        "log.cause.legacy_not_found", "Old releases: HeadBucket 404 Not Found (no such bucket)",
        "Wazuh before 4.4 probed the bucket with HeadBucket and reported any failure as exit 3 `Access "
        "error`. A 404 means the bucket name does not exist.",
        "Fix <name> so it is exactly the bucket that receives the logs.",
        exit_code=1, script_message="Unexpected error: 'An error occurred (NoSuchBucket) when calling the "
        "ListObjectsV2 operation: The specified bucket does not exist'.",
        legacy=LegacyBehaviour(3, _LEGACY_NOT_FOUND)),
    Explanation(
        "log.cause.legacy_head_bucket", "Old releases: HeadBucket failed ({status_code})",
        "Wazuh before 4.4 probed the bucket with HeadBucket and reported any failure as exit 3. A 301 or "
        "400 usually means the bucket is in another region than the client; other codes are rare.",
        "Check the bucket's region (set it in the profile) and the credentials.",
        exit_code=1, script_message="Unexpected error: '<botocore error>'.",
        legacy=LegacyBehaviour(3, "Access error: An error occurred (<status>) when calling the HeadBucket "
                                  "operation: <reason>")),
    Explanation(
        "log.cause.assume_role_denied", "AssumeRole on iam_role_arn was denied",
        "The base credentials may not assume the role: the caller lacks sts:AssumeRole on it, or the "
        "role's trust policy does not trust the caller (or requires an external ID).",
        "Allow sts:AssumeRole for the caller and add it to the role's trust policy.",
        exit_code=3, script_message="Access error: An error occurred (AccessDenied) when calling the "
        "AssumeRole operation: <details>"),
    Explanation(
        "log.cause.access_error", "Access error while building the AWS client",
        "The client or the AssumeRole call failed: {message}",
        "Check the credentials source and iam_role_arn.", exit_code=3, script_message="Access error: <e>"),
    Explanation(
        "log.cause.sts_client", "Could not create the STS client",
        "The STS client for iam_role_arn could not be built: {message}",
        "Check sts_endpoint and the credentials.", exit_code=3,
        script_message="Error getting STS client: <e>"),
    Explanation(
        "log.cause.boto3_missing", "boto3 is not installed for the module's Python",
        "The script's interpreter cannot import boto3. Agents have no embedded Python, and `pip3 show "
        "boto3` may look at a different interpreter than the one the wodle uses.",
        "Install boto3 for the interpreter in the shebang of wodles/aws/aws-s3 (or the Wazuh framework "
        "Python on managers), e.g. `pip3 install boto3`, then check with `wodles/aws/aws-s3 --help` as root.",
        exit_code=4, script_message="boto3 module is required."),
    Explanation(
        "log.cause.pyarrow_missing", "pyarrow is not installed for the module's Python",
        "Every run type imports the subscribers package, which needs pyarrow, even for plain buckets.",
        "Install pyarrow for the interpreter the wodle uses (`pip3 install pyarrow`).",
        exit_code=10, script_message="pyarrow module is required."),
    Explanation(
        "log.cause.wazuh_not_running", "Wazuh is not running",
        "The script could not connect to the queue socket (connection refused): Wazuh (analysisd) is "
        "stopped. Typical for a manual run on a stopped manager.",
        "Start Wazuh (`systemctl start wazuh-manager`) before running the module.",
        exit_code=11, script_message="Wazuh must be running."),
    Explanation(
        "log.cause.db_locked", "The state database is locked",
        "Another process holds s3_cloudtrail.db (or aws_services.db): usually a manual run of the script "
        "while the scheduled one runs, or two modulesd instances.",
        "Do not run the script by hand while Wazuh runs it; find the holder with `fuser "
        "<WAZUH_HOME>/wodles/aws/*.db`.",
        exit_code=6, script_message="Unable to create SQLite DB: database is locked"),
    Explanation(
        "log.cause.sqlite_error", "The state database could not be used",
        "An SQLite error while reading or updating the module's state: {message}",
        "Check ownership and permissions of <WAZUH_HOME>/wodles/aws/*.db and free disk space.",
        exit_code=5, script_message="Unexpected error accessing SQLite DB: <e>"),
    Explanation(
        "log.cause.sqlite_create", "The state database could not be created",
        "SQLite could not create or open the module's database: {message}",
        "Check that <WAZUH_HOME>/wodles/aws is writable by root and the disk is not full.",
        exit_code=6, script_message="Unable to create SQLite DB: <e>"),
    Explanation(
        "log.cause.s3_object_error", "Listing or reading S3 objects failed",
        "An error while working with the objects of the bucket: {message}",
        "Check s3:GetObject (and kms:Decrypt for SSE-KMS logs) on the objects.",
        exit_code=7, script_message="Unexpected error querying/working with objects in S3: <err>"),
    Explanation(
        "log.cause.decompress", "A log file could not be decompressed",
        "The file's extension does not match its content (only .gz and .zip are read; snappy is not "
        "supported): {message}",
        "Re-export the logs with gzip, or exclude the file; skip_on_error skips such files.",
        exit_code=8, script_message="Invalid gzip file received."),
    Explanation(
        "log.cause.parse", "A log file could not be parsed",
        "The file's content is not what the bucket type expects (pretty-printed or empty JSON in a custom "
        "bucket, corrupt Firehose output): {message}",
        "Inspect the file; use the SQS `buckets` subscriber for arbitrary JSON; skip_on_error skips it.",
        exit_code=9, script_message="Failed to parse file <key>: <repr>"),
    Explanation(
        "log.cause.send_failed", "Events could not be sent to Wazuh",
        "Writing to <WAZUH_HOME>/queue/sockets/queue failed: {message}. `[Errno 2]` means the socket "
        "does not exist (analysisd stopped).",
        "Make sure Wazuh is running; for `Message too long` raise net.core.rmem_max.",
        exit_code=13, script_message="Error sending message to wazuh: <e>"),
    Explanation(
        "log.cause.no_files", "No folders under the bucket path",
        "The module lists <path> with delimiter '/' and needs at least one sub-folder. `{path}` has none: "
        "<path> points at a leaf folder (a date folder, or AWSLogs/<account>/...), the prefix is mistyped, "
        "or the bucket is empty.",
        "Set <path> to the prefix above AWSLogs/ (or above the date folders for custom buckets), without "
        "leading slash.",
        exit_code=14, script_message="No files were found in '{path}'. No logs will be processed."),
    Explanation(
        "log.cause.endpoint", "The AWS endpoint could not be reached",
        "`Could not connect to the endpoint URL`: DNS or network failure, a proxy, a wrong "
        "service_endpoint/sts_endpoint, or a service not offered in that region. Buckets exit 15; services "
        "exit 12 with the same text.",
        "Check the URL from the server (`curl -v {url}`), the proxy settings and <service_endpoint>.",
        exit_code=15, script_message='Could not connect to the endpoint URL: "{url}"'),
    Explanation(
        "log.cause.throttling", "AWS throttled the requests",
        "The module sent requests faster than AWS allows for this account or bucket.",
        "Configure retries in /root/.aws/config (`max_attempts`, `retry_mode = adaptive`), reduce what each "
        "block reads, or raise <interval>.",
        exit_code=16, script_message="The '<name>' request was denied due to request throttling."),
    Explanation(
        "log.cause.marker_date", "The marker date could not be read",
        "The script could not extract a date from the marker of a Config bucket.",
        "Check <path> and the key layout of the Config bucket.", exit_code=16,
        script_message="There was an error while trying to extract a date from the marker '<m>'"),
    Explanation(
        "log.cause.cloudwatch_request", "A CloudWatch Logs request failed",
        "{message}", "Check logs:GetLogEvents/DescribeLogStreams permissions and the log group names.",
        exit_code=16, script_message='The "get_log_events" request failed: <err>'),
    Explanation(
        "log.cause.invalid_config_value", "Invalid key or value in /root/.aws/config",
        "A value in the profile section is not valid (for example a non-integer max_attempts), or a server "
        "access log file name has an unexpected format.",
        "Fix the profile section in /root/.aws/config.", exit_code=17,
        script_message="Invalid key or value found in config "),
    Explanation(
        "log.cause.no_logs_in_prefix", "No AWSLogs account folders under the prefix",
        "The script listed `{prefix}` and found no 12-digit account folders: <path> is wrong, an "
        "organization trail needs <aws_organization_id>, or a folder sits between AWSLogs/ and the "
        "account (path_suffix).",
        "Browse the bucket: set <path> to what is above AWSLogs/, and <path_suffix> or "
        "<aws_organization_id> for what sits between AWSLogs/ and the account ID.",
        exit_code=18, script_message="No logs found in '{prefix}'. Check the provided prefix and the "
        "location of the logs for the bucket type '<type>'"),
    Explanation(
        "log.cause.clock_skew", "The server clock is wrong",
        "AWS rejected the requests because the server time differs by more than 15 minutes "
        "(RequestTimeTooSkewed). Old releases reported it as `Invalid credentials`.",
        "Enable NTP (`timedatectl set-ntp true`) and compare `date -u` with real time.",
        exit_code=19, script_message="The server datetime and datetime of the AWS environment differ"),
    Explanation(
        "log.cause.queue_not_found", "The SQS queue does not exist",
        "GetQueueUrl failed: the queue name is wrong, it is in another region than the profile's, or the "
        "role may not see it.",
        "Fix <sqs_name> and the profile's region.", exit_code=20,
        script_message="Queue does not exist, verify the given name"),
    Explanation(
        "log.cause.subscriber_param", "A subscriber parameter is missing",
        "Security Lake needs iam_role_arn, sqs_name and external_id: {message}",
        "Add the missing tag to the <subscriber> block.", exit_code=21,
        script_message="Used a subscriber but no --iam_role_arn provided."),
    Explanation(
        "log.cause.sqs_failed", "Fetching or deleting SQS messages failed",
        "{message}", "Check sqs:ReceiveMessage/DeleteMessage and s3:GetObject on the notified objects.",
        exit_code=21, script_message="Error receiving message from SQS: <e>", debug_only=True),
    Explanation(
        "log.cause.invalid_region", "Invalid or unsupported region",
        "The region in <regions> is not in the module's list of regions. GovCloud and China regions are "
        "not in it either (checked since 4.10). At debug 0 the script prints nothing, so the second line is "
        "empty.",
        "Fix <regions>; for GovCloud upgrade to a release that lists it.",
        exit_code=22, script_message="+++ ERROR: Invalid region '{region}'", debug_only=True),
    Explanation(
        "log.cause.profile_not_in_config", "Profile missing from /root/.aws/config",
        "/root/.aws/config exists, so the module requires the profile there as [profile {profile_name}] "
        "(or [{profile_name}]), even when it exists in the credentials file.",
        "Add a [profile {profile_name}] section with `region = ...` to /root/.aws/config.",
        exit_code=23, script_message="No profile named: '{profile_name}' was found in the user config file"),
    Explanation(
        "log.cause.arguments", "The script rejected its arguments",
        "argparse refused the command line; the C side never shows argparse's text, only `Error parsing "
        "arguments.`. Likely causes: a value with a space (4.x splits it), an only_logs_after not in "
        "YYYY-MMM-DD, a bucket name with a path or s3://, an account ID that is not 12 digits, an invalid "
        "ARN or role duration, or an empty tag. Ambiguous: exit 2 is also SIGINT (`SIGINT received.`).",
        "Run the logged command (`Launching S3 Command:`, debug 1) by hand to read argparse's message, "
        "and fix the named tag in ossec.conf.",
        exit_code=2, script_message="argparse usage text"),
    Explanation(
        "log.cause.sigint", "The script was interrupted (SIGINT)",
        "The script received SIGINT, e.g. Wazuh was stopped or restarted during the run.",
        "Nothing to do if Wazuh was restarted on purpose.", WARNING, exit_code=2,
        script_message="SIGINT received."),
    Explanation(
        "log.cause.wazuh_control", "The Wazuh version could not be read",
        "The script runs bin/wazuh-control info to read the version; it failed.",
        "Check <WAZUH_HOME>/bin/wazuh-control and run the script from the Wazuh home.", exit_code=1,
        script_message="a problem occurred while executing <path>"),
    Explanation(
        "log.cause.role_duration_without_arn", "iam_role_duration without iam_role_arn",
        "iam_role_duration only applies to an assumed role.", "Add iam_role_arn or remove iam_role_duration.",
        exit_code=1, script_message="Unknown error: Used --iam_role_duration argument but no --iam_role_arn "
        "provided."),
    Explanation(
        "log.cause.listing_failed", "Listing the bucket failed",
        "A ListObjectsV2 call (iter_files_in_bucket, find_account_ids or find_regions) failed: {message}",
        "Grant s3:ListBucket and check the path.", exit_code=1,
        script_message='ERROR: The "iter_files_in_bucket" request failed: <err>'),
    Explanation(
        "log.cause.read_file_failed", "A log file could not be read",
        "An unexpected error while reading or parsing a file: {message}",
        "Inspect the file; skip_on_error skips it.", exit_code=1,
        script_message="Unknown error reading/parsing file <key>: <repr>"),
)

_EXIT_CODES: tuple[Explanation, ...] = (
    Explanation(
        "log.exit.1", "Unknown error (exit 1)",
        "Ambiguous: at debug 0 exit 1 is any S3 error the module does not map (AccessDenied, NoSuchBucket, "
        "InvalidAccessKeyId...), and `Unknown error.` means the script printed no detail. At debug 1-2 it "
        "is also every error that would exit 12.",
        DEBUG_HINT, exit_code=1, script_message="Unknown error: <e>"),
    Explanation(
        "log.exit.3", "Invalid credentials (exit 3)",
        "The credentials were refused: a wrong secret key, a failed AssumeRole, or (before 4.4) any S3 "
        "error.", "Check the keys, the profile and iam_role_arn. " + DEBUG_HINT, exit_code=3,
        script_message="Invalid credentials to access S3 Bucket"),
    Explanation(
        "log.exit.5", "State database error (exit 5)",
        "The module could not use its SQLite state database.",
        "Check <WAZUH_HOME>/wodles/aws/*.db permissions and free space; make sure no manual run is active.",
        exit_code=5, script_message="Unexpected error accessing SQLite DB: <e>"),
    Explanation(
        "log.exit.7", "S3 object error (exit 7)", "Listing or reading objects failed.",
        "Check s3:GetObject and kms:Decrypt. " + DEBUG_HINT, exit_code=7,
        script_message="Unexpected error querying/working with objects in S3: <err>"),
    Explanation(
        "log.exit.8", "Decompression error (exit 8)", "A log file is not valid gzip/zip or is snappy.",
        "Check the named file; enable skip_on_error to skip it.", exit_code=8,
        script_message="Invalid gzip file received."),
    Explanation(
        "log.exit.9", "Parse error (exit 9)", "A log file's content does not match the bucket type.",
        "Check the named file; enable skip_on_error to skip it.", exit_code=9,
        script_message="Failed to parse file <key>: <repr>"),
    Explanation(
        "log.exit.12", "Unhandled error (exit 12, the catch-all)",
        "Exit 12 is documented as 'Invalid type of bucket', but it is the catch-all of main() at debug 0: "
        "any unhandled exception ends here. The message `{message}` is not one this tool recognises.",
        "Read the second line as the real error. " + DEBUG_HINT, exit_code=12,
        script_message="<any exception text>", catch_all=True),
    Explanation(
        "log.exit.13", "Send error (exit 13)", "Events could not be written to the Wazuh queue socket.",
        "Make sure Wazuh is running.", exit_code=13, script_message="Error sending message to wazuh: <e>"),
    Explanation(
        "log.exit.16", "Request failed or throttled (exit 16)",
        "Throttling, a marker date problem (Config) or a CloudWatch Logs request failure.",
        "Read the second line; configure retries in /root/.aws/config for throttling.", exit_code=16,
        script_message="The '<name>' request was denied due to request throttling."),
    Explanation(
        "log.exit.17", "Invalid key or value (exit 17)",
        "A value in /root/.aws/config is invalid, or a server access log file name has a bad format.",
        "Check /root/.aws/config.", exit_code=17, script_message="Invalid key or value found in config "),
    Explanation(
        "log.exit.21", "SQS failure (exit 21)",
        "An SQS message could not be fetched or deleted, or a Security Lake parameter is missing; the "
        "detail is printed only at debug 1-2.", DEBUG_HINT, exit_code=21,
        script_message="Used a subscriber but no --iam_role_arn provided."),
    Explanation(
        "log.exit.other", "Exit code {code}", "{meaning}", DEBUG_HINT, exit_code=None),
)

ENTRIES: tuple[Explanation, ...] = _FILE + _LIFECYCLE + _RUN_LINES + _CAUSES + _EXIT_CODES
