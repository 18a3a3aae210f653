"""Explanations for config failures; part of the one table in ``diagnostics.explanations``.

Placeholders: ``{path}`` the file, ``{block}`` the block label, ``{tag}``/``{value}`` the offending option,
``{message}`` Wazuh's exact text, ``{flag}`` the script flag.
"""

from __future__ import annotations

from diagnostics.explanations.table import Explanation
from diagnostics.findings import Status

_STOPS = ("wazuh-modulesd refuses the whole configuration: `wazuh-control start` prints "
          "'wazuh-modulesd: Configuration error. Exiting' and no AWS run ever happens.")
_ARGPARSE = ("The C side accepts it, but the script's argument parser rejects it: every run of this block "
             "exits 2 and ossec.log only says 'Error parsing arguments.' (the real reason shows only at "
             "debug 1).")

_FILE: tuple[Explanation, ...] = (
    Explanation("config.file_missing", "Configuration file not found: {path}",
                "Wazuh reads etc/ossec.conf under its home; without it no daemon starts.",
                "Check the path given with --config or WAZUH_HOME (the default is "
                "/var/ossec/etc/ossec.conf)."),
    Explanation("config.file_is_directory", "{path} is a directory, not ossec.conf",
                "The configuration path must name the file itself.",
                "Point --config at the ossec.conf file inside it, e.g. {path}/ossec.conf."),
    Explanation("config.file_unreadable", "Could not read {path} ({reason})",
                "wazuh-modulesd reads the file as root; this tool could not, so nothing in it was checked.",
                "Run the doctor as root (sudo), or pass a readable copy with "
                "--config.", status=Status.WARNING),
    Explanation("config.file_not_regular", "{path} is a {kind}, not a file",
                "Reading it could wait forever (a FIFO ends only when a writer closes it), so it was not "
                "opened; wazuh-modulesd needs a plain file too.",
                "Point --config at the ossec.conf file itself."),
    Explanation("config.file_symlink_loop", "{path} is a symbolic link loop",
                "The link leads back to itself through other links, so there is no file to read, for root "
                "either.",
                "Repair the link (ls -l {path}) or point --config at the real ossec.conf."),
    Explanation("config.file_too_large", "{path} is larger than {limit} MiB; only the start was read",
                "No real ossec.conf is that large; the file may be a log or a binary.",
                "Check that --config names the right file.", status=Status.WARNING),
    Explanation("config.file_nul_bytes", "{path} contains NUL bytes",
                "NUL bytes mean a binary or UTF-16 file. Wazuh reads bytes and C strings stop at the first "
                "NUL, so values after it are cut short.",
                "Save the file as plain UTF-8 (or ASCII) text.", status=Status.WARNING),
    Explanation("config.file_not_utf8", "Byte {byte} on line {line} is not UTF-8",
                "Wazuh reads raw bytes, so this is harmless in a comment; inside a value the module receives "
                "the odd bytes unchanged (a bucket name or path with them never matches).",
                "Retype the line in a UTF-8 editor; keep values plain ASCII.", status=Status.WARNING),
    Explanation("config.xml_malformed", "Wazuh cannot read the XML: {error}",
                "Wazuh's XML reader stops at the first error. Every daemon fails its configuration test, "
                "`wazuh-control start` prints 'Configuration error. Exiting' and the manager does not start "
                "(the classic 'manager will not start after adding the AWS block').",
                "Fix the XML at the line shown: close every tag, quote every attribute, keep each tag's name "
                "identical in its opening and closing form."),
    Explanation("config.xml_not_wellformed", "Not standard XML: {error}",
                "Wazuh's own reader accepts this (it does not decode entities and tolerates stray text), but "
                "other XML tools, editors and validators reject the file.",
                "Escape a literal & as &amp; only if you need standard XML; note that Wazuh then passes "
                "'&amp;' literally to the module.", status=Status.WARNING),
    Explanation("config.xml_declaration_ignored", "{error}",
                "Wazuh has no DTD support: declarations are skipped and entities are never expanded.",
                "Remove the declaration; ossec.conf needs none.", status=Status.WARNING),
    Explanation("config.invalid_root", "Unknown root element <{element}>",
                "Only <ossec_config> (and <agent_config> in shared agent files) may sit at the top level; "
                "anything else is refused with error 1230 and the daemons do not start.",
                "Move the element inside <ossec_config> or delete it."),
    Explanation("config.wodle_misplaced", "<wodle name=\"aws-s3\"> is not directly under <ossec_config>",
                "Wazuh only looks for wodles among the direct children of a root element; this one is "
                "ignored and the module never runs it.",
                "Move the <wodle> block so that it is a direct child of "
                "<ossec_config>.", status=Status.WARNING),
    Explanation("config.no_wodle", "No <wodle name=\"aws-s3\"> in {path}",
                "The AWS module is not configured in this file, so it never runs.",
                "Add a <wodle name=\"aws-s3\"> block inside <ossec_config>, or point --config at the right "
                "file.",
                status=Status.WARNING),
)

_WODLE: tuple[Explanation, ...] = (
    Explanation("config.wodle_disabled", "The aws-s3 module is disabled",
                "With <disabled>yes</disabled> the module logs 'Module AWS is disabled. Exiting...' and "
                "stops.",
                "Set <disabled>no</disabled> when you want it to run.", status=Status.SKIPPED),
    Explanation("config.empty_wodle", "The aws-s3 wodle is empty", "{message} " + _STOPS,
                "Add at least one <bucket type=\"...\">, <service type=\"...\"> or <subscriber "
                "type=\"...\">."),
    Explanation("config.no_blocks", "No bucket, service or subscriber in the aws-s3 "
                                    "wodle", "{message} " + _STOPS,
                "Add at least one <bucket type=\"...\">, <service type=\"...\"> or <subscriber "
                "type=\"...\">."),
    Explanation("config.unknown_tag", "Unknown tag <{tag}> in the aws-s3 wodle", "{message} " + _STOPS,
                "Remove <{tag}> or move it into the block it belongs to (check its spelling)."),
    Explanation("config.yes_no", "<{tag}> must be 'yes' or 'no', not '{value}'", "{message} " + _STOPS,
                "Write exactly yes or no (lower case)."),
    Explanation("config.interval_invalid", "Invalid <interval> '{value}'", "{message} " + _STOPS,
                "Use a whole number followed by s, m, h, d, w or M, e.g. <interval>10m</interval>."),
    Explanation("config.interval_octal", "<interval> '{value}' is read as {seconds} seconds",
                "Wazuh reads the number with strtoul base 0: a leading 0 makes it octal, 0x hexadecimal.",
                "Drop the leading zero.", status=Status.WARNING),
    Explanation("config.interval_default", "No <interval>: the module runs every 5 seconds",
                "The code default is 5 seconds (the documentation says 10m), so every run starts right after "
                "the previous one: constant S3 listing, 'Interval overtaken.' warnings and throttling risk.",
                "Set an explicit interval, e.g. <interval>10m</interval>.", status=Status.WARNING),
    Explanation("config.interval_adjusted", "Wazuh changes the schedule: {message}",
                "With <day>, <wday> or <time> the interval must be a whole number of months, weeks or days; "
                "Wazuh warns and replaces it.", "Set <interval> to a matching multiple (1M, 1w, 1d...).",
                status=Status.WARNING),
    Explanation("config.day_wday", "<day> and <wday> together", "{message} " + _STOPS,
                "Keep only one of <day> (day of month) or <wday> (day of week)."),
    Explanation("config.schedule_value", "Invalid <{tag}> '{value}'", "{message} " + _STOPS,
                "<day> is 1-31, <wday> a weekday name (monday...), <time> is hh:mm in 24-hour form."),
    Explanation("config.skip_on_error_default", "skip_on_error is not set: the code default is 'no'",
                "The documentation says yes, but the code passes --skip_on_error only when it is 'yes'. "
                "Without it one file that fails to decompress or parse stops the run (exit 8 or 9) and "
                "blocks newer files.",
                "Add <skip_on_error>yes</skip_on_error> if one bad file should not block the rest.",
                status=Status.OK),
)

_BLOCKS: tuple[Explanation, ...] = (
    Explanation("config.block_ok", "{block}: configuration valid",
                "The C parser accepts this block and the script accepts its arguments.",
                "Nothing to change here; the access and layout checks tell whether data will flow.",
                status=Status.OK),
    Explanation("config.unknown_child", "Unknown tag <{tag}> in {block}", "{message} " + _STOPS,
                "Remove <{tag}> or fix its spelling; see the list of tags valid for this block type."),
    Explanation("config.empty_content_error", "<{tag}> is empty in {block}", "{message} " + _STOPS,
                "Fill in the value or delete the empty tag."),
    Explanation("config.empty_content_ignored", "<{tag}> is empty in {block} and is ignored",
                "{message} Wazuh only warns and runs as if the tag were absent.",
                "Delete the empty tag or give it a value.", status=Status.WARNING),
    Explanation("config.subscriber_empty", "<{tag}> is empty in {block}", "{message} " + _STOPS,
                "Fill in the value or delete the tag."),
    Explanation("config.bucket_type_invalid", "Unknown bucket type '{value}'", "{message} " + _STOPS,
                "Use one of cloudtrail, config, custom, guardduty, vpcflow, waf, alb, clb, nlb, "
                "server_access, cisco_umbrella."),
    Explanation("config.type_attribute", "<{tag} {attribute}=...>: the first attribute must be 'type'",
                "{message} " + _STOPS, "Write the block as <{tag} type=\"...\"> with type as its first "
                                       "attribute."),
    Explanation("config.type_missing", "<{tag}> has no type", "{message} " + _STOPS,
                "Add type=\"...\" to the <{tag}> tag."),
    Explanation("config.service_type_invalid", "Unknown {tag} type '{value}'", "{message} " + _STOPS,
                "Use a type listed in the message."),
    Explanation("config.subscriber_unsupported", "<subscriber> needs Wazuh 4.7 or later",
                "{message} This release has no SQS subscribers. " + _STOPS,
                "Upgrade Wazuh, or read the bucket with a <bucket> block instead."),
    Explanation("config.discard_field_missing", "<discard_regex> without field in "
                                                "{block}", "{message} " + _STOPS,
                "Add the field attribute: <discard_regex field=\"eventName\">...</discard_regex>."),
    Explanation("config.discard_regex_empty", "Empty <discard_regex> in {block}",
                "{message} Nothing is filtered.", "Give the regex a value or delete the tag.",
                status=Status.WARNING),
    Explanation("config.discard_regex_security_lake", "<discard_regex> in a Security Lake subscriber",
                "{message} " + _STOPS, "Delete <discard_regex> from the security_lake subscriber."),
    Explanation("config.legacy_bucket", "Legacy <bucket>{value}</bucket> form",
                "{message} Wazuh turns it into a bucket with alias LEGACY and the script's default type "
                "(cloudtrail), using the top-level access_key/secret_key.",
                "Rewrite it as <bucket type=\"cloudtrail\"><name>{value}</name>...</bucket>.",
                status=Status.WARNING),
    Explanation("config.legacy_bucket_children", "<bucket> without type: Wazuh ignores everything inside it",
                "A <bucket> tag with no attributes is the legacy form <bucket>name</bucket>: Wazuh takes the "
                "text after its last child as the bucket name and drops every child tag (name, path, "
                "profile...). The run then fails with exit 2 because the name is blank.",
                "Add the type attribute, e.g. <bucket type=\"cloudtrail\">.", exit_code=2),
    Explanation("config.inline_secrets", "Access keys written in ossec.conf for {block}",
                "access_key/secret_key are deprecated since 4.4 (Wazuh warns at start-up and the script "
                "prints a deprecation notice on every run). At debug 1 the module logs its whole command "
                "line, keys included in clear text, into ossec.log. They also take precedence over "
                "aws_profile.",
                "Move the keys to a profile in /root/.aws/credentials and use <aws_profile>, or use an IAM "
                "role; then delete both tags and rotate the key.", status=Status.WARNING),
    Explanation("config.keys_incomplete", "Only {present} is set for {block}",
                "The script uses keys only when both access_key and secret_key are set; with one of them it "
                "silently falls back to the profile or the default credential chain.",
                "Set both, or (better) neither and use a profile or a role.", status=Status.WARNING),
)

_SCRIPT: tuple[Explanation, ...] = (
    Explanation("config.bucket_name_invalid", "Bucket name '{value}' is rejected by the module",
                _ARGPARSE + " Names are 3-63 characters of lower-case letters, digits, dots and hyphens.",
                "Write the bucket name exactly as in S3 (lower case, no spaces, no prefix).", exit_code=2,
                script_message="'{value}' isn't a valid bucket name."),
    Explanation("config.name_has_path", "<name> contains a path: '{value}'",
                _ARGPARSE + " A bucket name cannot contain '/'; the part after it is a key prefix.",
                "Split it: <name>{suggested_name}</name> and <path>{suggested_path}</path>.", exit_code=2,
                script_message="'{value}' isn't a valid bucket name."),
    Explanation("config.name_is_url", "<name> is a URL or ARN: '{value}'",
                _ARGPARSE + " The module wants the bare bucket name, not s3:// URLs, https URLs or ARNs.",
                "Use <name>{suggested_name}</name>{suggested_path_tag}.", exit_code=2,
                script_message="'{value}' isn't a valid bucket name."),
    Explanation("config.account_id_invalid", "<aws_account_id> '{value}' is not a list of 12-digit ids",
                _ARGPARSE, "Write comma-separated 12-digit account ids without spaces, e.g. "
                "123456789012,210987654321.", exit_code=2,
                script_message="Not valid AWS account ID (numeric digits only): '{value}'."),
    Explanation("config.role_arn_invalid", "<iam_role_arn> '{value}' is not an ARN", _ARGPARSE,
                "Use the full role ARN: arn:aws:iam::123456789012:role/RoleName.", exit_code=2,
                script_message="Invalid ARN Role specified. Value must be a valid ARN Role."),
    Explanation("config.role_duration_invalid", "<iam_role_duration> '{value}' is not accepted", _ARGPARSE,
                "Use a whole number of seconds between 900 and {limit}.", exit_code=2,
                script_message="{message}"),
    Explanation("config.role_duration_without_arn", "<iam_role_duration> without <iam_role_arn> in {block}",
                "The script refuses a session duration when there is no role to assume. This check runs "
                "after argument parsing, outside the error handler, so every run exits 1 with 'Unknown "
                "error'.",
                "Add <iam_role_arn> or delete <iam_role_duration>.", exit_code=1,
                script_message="Unknown error: Used --iam_role_duration argument but no --iam_role_arn "
                               "provided."),
    Explanation("config.date_invalid", "<only_logs_after> '{value}' is not YYYY-MMM-DD", _ARGPARSE,
                "Use a date like 2024-JAN-31 (English month abbreviation, any case).", exit_code=2,
                script_message="Argument not a valid date in format YYYY-MMM-DD: '{value}'."),
    Explanation("config.region_format", "Region '{value}' has an invalid format", _ARGPARSE,
                "Write regions like us-east-1, comma-separated, without spaces.", exit_code=2,
                script_message="WARNING: The region '{value}' has not a valid format.'"),
    Explanation("config.region_unknown", "Region '{value}' is not in the module's region list",
                "Since 4.10 the script checks every configured region against its ALL_REGIONS list and exits "
                "22. At debug 0 it prints nothing, so ossec.log shows only 'Returned exit code 22' and an "
                "empty second line.{loop_note}", "Fix the region name (e.g. a typo such as us-east1) or "
                                "remove it.", exit_code=22,
                script_message="DEBUG: +++ ERROR: Invalid region '{value}'", debug_only=True),
    Explanation("config.region_govcloud", "Region '{value}' ({partition}) is rejected by the module",
                "The module's ALL_REGIONS list has only the commercial regions: GovCloud and China regions "
                "exit 22 with nothing printed at debug 0 (GovCloud was added only by Wazuh PR #39401).{loop_note}",
                "Upgrade to a release that lists the region, or add it to ALL_REGIONS in "
                "wodles/aws/aws_tools.py (the doctor reads the installed list when it can).", exit_code=22,
                script_message="DEBUG: +++ ERROR: Invalid region '{value}'", debug_only=True),
    Explanation("config.region_added_later", "Region '{value}' is only known to recent module releases",
                "It was added to ALL_REGIONS in 2025 (Wazuh PR #31418); an older installed module exits 22 "
                "for it. No installed module was found to check against.",
                "Check wodles/aws/aws_tools.py on the manager, or upgrade.", status=Status.WARNING),
    Explanation("config.inspector_region", "Inspector does not support region '{value}'",
                "The script checks Inspector regions against its Inspector lists and exits 22 (debug-only "
                "message).{loop_note}", "Use a region where Inspector is offered.", exit_code=22,
                script_message="DEBUG: +++ ERROR: Unsupported region '{value}'", debug_only=True),
    Explanation("config.key_invalid_chars", "<{tag}> '{value}' contains a character the module forbids",
                _ARGPARSE, "Remove \\ { } ^ % ` [ ] ' \" < > ~ # | and XML entities from the value.",
                exit_code=2, script_message="{message}"),
    Explanation("config.queue_name_invalid", "<sqs_name> '{value}' is not a queue name", _ARGPARSE,
                "Use the queue name (not its URL or ARN): up to 80 letters, digits, hyphens or underscores.",
                exit_code=2, script_message="{message}"),
    Explanation("config.argument_missing_value", "{flag} gets no value in {block}",
                _ARGPARSE + " The C side always writes {flag}, and with the tag missing the next flag "
                            "follows it.",
                "Add <{tag}> with a "
                "value.", exit_code=2, script_message="argument {flag}: expected one argument"),
    Explanation("config.value_split", "<{tag}> '{value}' contains a space: Wazuh {version} splits it",
                "wm_exec splits the command line on spaces, and this version passes <{tag}> unquoted, so the "
                "script receives extra words and stops with 'unrecognized arguments' (exit 2).",
                "Remove the space{remedy}.", exit_code=2, script_message="unrecognized arguments: {extra}"),
    Explanation("config.value_looks_like_flag", "<{tag}> '{value}' starts with '-'",
                _ARGPARSE + " argparse takes a word starting with '-' for an option, so {flag} is left "
                "without its value ('expected one argument').",
                "Use a value that does not start with '-' (rename the profile, alias or prefix).",
                exit_code=2, script_message="argument {flag}: expected one argument"),
    Explanation("config.value_mangled", "<{tag}> reaches the module as '{received}', not '{value}'",
                "wm_exec treats double quotes and backslashes in the command line as quoting and escapes, so "
                "they disappear from unquoted values before the script sees them.",
                "Avoid \" and \\ in this value{upgrade_hint}.", status=Status.WARNING),
    Explanation("config.security_lake_missing", "Security Lake subscriber without <{tag}>",
                "The script requires iam_role_arn, sqs_name and external_id for Security Lake and exits 21.",
                "Add <{tag}> to the security_lake subscriber.", exit_code=21,
                script_message="Used a subscriber but no --{flag} provided."),
    Explanation("config.discard_regex_invalid", "<discard_regex> '{value}' is not a valid Python regex",
                "The script compiles it when the run starts; the error reaches main()'s generic handler: "
                "exit 12 at debug 0, exit 1 with a traceback at debug 1 or more.",
                "Fix the regular expression ({message}).", exit_code=12, script_message="{message}",
                catch_all=True),
    Explanation("config.umbrella_path", "cisco_umbrella <path> '{value}' names no log type",
                "The module chooses the CSV columns from the path and needs 'dnslogs', 'proxylogs' or "
                "'iplogs' in it; otherwise the first file read stops the run with exit 12.",
                "Point <path> at the export folder, e.g. dnslogs/ or <prefix>/dnslogs.", exit_code=12,
                script_message="Only 'dnslogs', 'proxylogs' or 'iplogs' are allowed for Cisco Umbrella"),
    Explanation("config.guardduty_firehose", "GuardDuty bucket with a Firehose-style path '{value}' on 5.0",
                "5.0 reads only the native GuardDuty export under <path>AWSLogs/; a Kinesis/Firehose layout "
                "ends in 'Invalid type of bucket' (exit 12; exit 1 with a traceback at debug 1 or more). 4.x "
                "still reads it like a custom bucket (deprecated).",
                "Export GuardDuty findings directly to S3 and point <path> at the folder above AWSLogs/.",
                exit_code=12, script_message="Invalid type of bucket", catch_all=True),
)

_SILENT: tuple[Explanation, ...] = (
    Explanation("config.path_leading_slash", "<{tag}> '{value}' starts with '/'",
                "The module appends a trailing '/' but keeps a leading one, and S3 keys never start with "
                "'/': the prefix matches nothing (current releases stop with exit 14 'No files were found', "
                "older ones logged 'No logs to process' and a marker starting with '/').",
                "Write <{tag}>{suggested}</{tag}>.", status=Status.WARNING),
    Explanation("config.path_double_slash", "<{tag}> '{value}' contains '//'",
                "An empty folder level never matches real keys, so nothing under this prefix is found.",
                "Write <{tag}>{suggested}</{tag}>.", status=Status.WARNING),
    Explanation("config.path_contains_awslogs", "<{tag}> '{value}' already contains AWSLogs",
                "For {type} buckets the module adds 'AWSLogs/' after the path itself, so it looks under "
                "'.../AWSLogs/AWSLogs/': without aws_account_id that is exit 18 ('No logs found in ...'), "
                "with it nothing is ever found.", "Set <{tag}> to the part above AWSLogs ({suggested}).",
                status=Status.WARNING),
    Explanation("config.custom_type_note", "Note: a custom bucket keeps only EventBridge-style objects",
                "type=\"custom\" reads JSON objects and sends only those with a 'detail' key (the detail "
                "body); plain JSON, JSON lines without 'detail', CSV and text are dropped without any "
                "message.",
                "If the bucket holds arbitrary logs, use an SQS <subscriber type=\"buckets\"> instead "
                "(4.7+).",
                status=Status.OK),
    Explanation("config.only_logs_after_future", "<only_logs_after> {value} is in the future",
                "The marker starts at that date, so nothing is read until it is reached.",
                "Use a past date (YYYY-MMM-DD).", status=Status.WARNING),
    Explanation("config.discard_field_dashboard", "discard_regex field '{value}' looks like a dashboard path",
                "The module applies the regex to the event itself (before it is wrapped), so 'data.aws.' "
                "names nothing and no event is ever "
                "discarded.", "Use field=\"{suggested}\".", status=Status.WARNING),
    Explanation("config.guardduty_kinesis_note", "Note: GuardDuty via Kinesis is deprecated on {version}",
                "4.x still reads a Firehose/Kinesis layout like a custom bucket, printing a deprecation "
                "notice on every run; 5.0 refuses it (exit 12).",
                "Export GuardDuty findings directly to S3 before upgrading.", status=Status.OK),
    Explanation("config.role_partition", "<iam_role_arn> is a role of the {arn_partition} partition",
                "A role can only be assumed through the STS of its own partition (aws, aws-cn or aws-us-gov). "
                "The module's STS client takes the region of its profile in ~/.aws/config; without one it "
                "uses {fallback}. {regions_note}Unless that region is in {arn_partition}, AssumeRole fails "
                "and the run stops with exit 3 ('Access error: ...').",
                "Use the ARN of a role in the partition of the module's region (in aws: {example}), or set "
                "region = <a region of {arn_partition}> in the profile the module uses.",
                status=Status.WARNING),
)


_DEBUG: tuple[Explanation, ...] = (
    Explanation("config.debug_level_0", "wazuh_modules.debug is {level}: ossec.log shows only the error line",
                "A failed run logs 'Returned exit code N' and one line taken from the script's output; the "
                "script's DEBUG lines are never shown, successful runs log nothing, and some failures (exit "
                "22, discovery and SQS errors) print no reason at all. Read from {source}.",
                "For troubleshooting set wazuh_modules.debug=2 in etc/local_internal_options.conf and "
                "restart the manager (or let this tool run the module for you).", status=Status.OK),
    Explanation("config.debug_level_1", "wazuh_modules.debug is {level}: script output only for failed runs",
                "At 1 the module passes --debug 1: failed runs add the full script output under 'OUTPUT:' "
                "and the 'Launching S3 Command' line (which shows inline access keys in clear text), but a "
                "successful run logs nothing from the script. Errors that would exit 12 now exit 1 with a "
                "traceback. Read from {source}.",
                "Use 2 to see the marker and every file found for successful runs too.", status=Status.OK),
    Explanation("config.debug_level_2", "wazuh_modules.debug is {level}: script output for every run",
                "At 2 every run, successful or not, logs the script's output (markers, files found, files "
                "skipped). Level 3 (every event) is reachable only with wazuh-modulesd -ddd or a manual run. "
                "Read from {source}.",
                "Set it back to 0 when done: level 2 is verbose on busy buckets.", status=Status.OK),
    Explanation("config.debug_level_invalid", "wazuh_modules.debug='{raw}' stops wazuh-modulesd",
                "{message} The value must be 0, 1 or 2 (digits only, no trailing spaces); otherwise "
                "wazuh-modulesd exits at start-up and no module runs.",
                "Write wazuh_modules.debug=0, 1 or 2 in etc/local_internal_options.conf."),
    Explanation("config.debug_level_missing", "wazuh_modules.debug is defined nowhere",
                "Neither local_internal_options.conf nor {path} defines it, so wazuh-modulesd exits with "
                "'(2301): Definition not found for: 'wazuh_modules.debug'.'",
                "Restore the line wazuh_modules.debug=0 in {path} (it ships with Wazuh)."),
    Explanation("config.debug_level_not_found", "No Wazuh internal options found: assuming debug level 0",
                "{path} does not exist, so this is not a Wazuh installation (or --wazuh-home is wrong).",
                "Point --wazuh-home at the installation (default /var/ossec) for the real level.",
                status=Status.SKIPPED),
    Explanation("config.debug_level_cli", "wazuh-control enable debug is on: modulesd runs with -d",
                "bin/.process_list sets DEBUG_CLI, so the daemons start with -d and the debug level is "
                "{level} whatever wazuh_modules.debug says ({raw}).",
                "Run 'wazuh-control disable debug' and restart to go back to wazuh_modules.debug.",
                status=Status.OK),
)

ENTRIES: tuple[Explanation, ...] = _FILE + _WODLE + _BLOCKS + _SCRIPT + _SILENT + _DEBUG
