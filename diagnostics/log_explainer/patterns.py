"""Which explanation a module message matches: C-side lines, script debug lines and error causes.

Kept apart from the run grouping so the recognisable wording (module and wm_aws.c lines) is one ordered list
per kind of line; the first pattern that matches wins, so specific wordings come before generic ones.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from diagnostics.log_explainer.parser import LAUNCHING, LogLine, parse_executing, parse_title

MAX_VALUE_CHARS = 400
"""Values quoted into explanations are cut to this length to keep findings readable."""


@dataclass(frozen=True)
class Recognised:
    """A matched pattern: the explanation id and the values its templates use."""

    failure_id: str
    values: Mapping[str, str] = field(default_factory=dict)
    wrapped: bool = False
    """True when the message came inside ``Unknown error: ...`` (the debug re-raise of a catch-all)."""


Pattern = tuple["re.Pattern[str]", str]


_NAMED_GROUP = re.compile(r"\(\?P<\w+>")


def _compile(rows: tuple[tuple[str, str], ...]) -> tuple[Pattern, ...]:
    return tuple((re.compile(regex), failure_id) for regex, failure_id in rows)


def _any_of(patterns: tuple[Pattern, ...]) -> re.Pattern[str]:
    """One alternation of a list (names dropped), so lines that match nothing cost a single search."""
    return re.compile("|".join(f"(?:{_NAMED_GROUP.sub('(?:', regex.pattern)})" for regex, _ in patterns))


C_MESSAGES = _compile((
    (r"^Module AWS started", "log.module_started"),
    (r"^Starting fetching of logs\.?", "log.fetch_started"),
    (r"^Fetching logs finished\.?", "log.fetch_finished"),
    (r"^Module AWS is disabled", "log.module_disabled"),
    (r"^Interval overtaken", "log.interval_overtaken"),
    (r"^No AWS buckets, services or subscribers defined", "log.no_blocks"),
    (r"^Sleeping until:?\s*(?P<when>.*)$", "log.sleeping_until"),
    (r"^Internal error\. Exiting", "log.internal_error"),
    (r"^Can't connect to queue", "log.cant_connect_queue"),
    (r"^Couldn't save running state", "log.cant_save_state"),
    (r"^Create argument list", "log.create_argument_list"),
    (r"Deprecated tag <(?:access_key|secret_key)>", "log.config_deprecated_keys"),
    (r"^No buckets, services or subscribers definitions found", "log.no_blocks"),
))

C_LEVEL_FALLBACKS = {"ERROR": "log.config_rejected", "CRITICAL": "log.config_rejected",
                     "WARNING": "log.config_warning"}
"""Parser messages ``... at module 'aws-s3'.`` that no pattern names, by level."""

SCRIPT_LINES = _compile((
    (r"^\+\+\+ Debug mode on - Level: (?P<level>\d+)", "log.debug_banner"),
    (r"^\+\+\+ Marker: (?P<marker>.*)$", "log.marker"),
    (r"^\+\+ Found new log: (?P<key>.*)$", "log.found_new_log"),
    (r"^\+\+ Skipping previously processed file: (?P<key>.*)$", "log.skipping_processed"),
    (r"^\+\+ File previously processed, but reparse flag set: (?P<key>.*)$", "log.reparse"),
    (r"^\+\+ Skipping file with another prefix: (?P<key>.*)$", "log.skipping_other_prefix"),
    (r"^\+\+\+ No logs to process (?:for (?P<flow>\S+) flow log ID )?in bucket: (?P<where>.*)$",
     "log.no_logs_to_process"),
    (r"^\+\+\+ Working on (?P<account>\S+) - (?P<region>\S+)", "log.working_on"),
    (r"^\+\+\+ Table does not exist; create", "log.table_created"),
    (r"^\+\+\+ DB Maintenance", "log.db_maintenance"),
    (r"^\+\+\+ No regions found for AWS Account (?P<account>\S+)", "log.no_regions_found"),
    (r"access_key and secret_key authentication parameter was deprecated", "log.deprecated_keys_notice"),
    (r"Event size exceeds the maximum allowed limit", "log.event_too_large"),
    (r"Message too long to send to Wazuh|Message longer than buffer socket", "log.message_too_long"),
    (r"^Generating default configuration for retries", "log.retries_default"),
    (r"^Created Config object using profile: '(?P<profile_name>[^']*)'", "log.config_profile_used"),
    (r"^\+\+\+ No 'region' found in profile '(?P<profile_name>[^']*)'", "log.profile_without_region"),
    (r"^\+\+\+ Region '(?P<region>[^']*)' added to the configuration", "log.region_added"),
    (r"The region '(?P<region>[^']*)' has not a valid format", "log.region_bad_format"),
    (r"^\+\+\+ WARNING: Check the provided region: '(?P<region>[^']*)'", "log.region_bad_format"),
    (r"^\+\+\+ Warning: No regions were specified", "log.all_regions"),
    (r"^\+\+\+ (?:Sent \d+ events|There are no new events|\[InspectorV2\] \d+ events|Total: \d+ events)",
     "log.events_sent"),
    (r"^\+\+ Reparse mode enabled", "log.reparse"),
    (r"^\+\+\+ Remove file from S3 Bucket:", "log.remove_from_bucket"),
    (r"regex found a match in the \".*\" field\. The event will be skipped", "log.discard_match"),
    (r"^\+\+\+ Error marking log (?P<key>\S+) as completed", "log.mark_failed"),
    (r"^Failed to execute DB cleanup", "log.db_cleanup_failed"),
    (r"^\+\+ .*; skipping\.\.\.$", "log.skipped_on_error"),
))

CAUSES = _compile((
    (r"The config profile \((?P<profile_name>[^)]*)\) could not be found", "log.cause.profile_not_found"),
    (r"No profile named: '(?P<profile_name>[^']*)'", "log.cause.profile_not_in_config"),
    (r"The region for '(?P<profile_name>[^']*)' must be specified", "log.cause.profile_not_in_config"),
    (r"Unable to locate credentials", "log.cause.no_credentials"),
    (r"InvalidClientTokenId", "log.cause.invalid_client_token"),
    (r"You must specify a region", "log.cause.no_region"),
    (r"Invalid type of (?:bucket|service|subscriber)", "log.cause.invalid_type"),
    (r"Only 'dnslogs', 'proxylogs' or 'iplogs' are allowed", "log.cause.umbrella_path"),
    (r"^'?CommonPrefixes'?$|KeyError: 'CommonPrefixes'", "log.cause.legacy_common_prefixes"),
    (r"\((?P<status_code>403)\) when calling the HeadBucket operation", "log.cause.legacy_forbidden"),
    (r"\((?P<status_code>404)\) when calling the HeadBucket operation", "log.cause.legacy_not_found"),
    (r"\((?P<status_code>\d{3})\) when calling the HeadBucket operation", "log.cause.legacy_head_bucket"),
    (r"\(AccessDenied\) when calling the AssumeRole operation", "log.cause.assume_role_denied"),
    (r"\(NoSuchBucket\)", "log.cause.no_such_bucket"),
    (r"\(InvalidAccessKeyId\)", "log.cause.invalid_access_key"),
    (r"\(SignatureDoesNotMatch\)|Invalid credentials to access S3 Bucket", "log.cause.invalid_credentials"),
    (r"RequestTimeTooSkewed|The server datetime and datetime of the AWS environment differ",
     "log.cause.clock_skew"),
    (r"request throttling|ThrottlingException|\((?:SlowDown|Throttling|TooManyRequestsException)\)"
     r"|Rate exceeded", "log.cause.throttling"),
    (r"\((?:AccessDenied|AllAccessDisabled|Forbidden)\)", "log.cause.access_denied"),
    (r"Error getting STS client", "log.cause.sts_client"),
    (r"boto3 module is required", "log.cause.boto3_missing"),
    (r"pyarrow module is required", "log.cause.pyarrow_missing"),
    (r"Wazuh must be running", "log.cause.wazuh_not_running"),
    (r"database is locked", "log.cause.db_locked"),
    (r"Unable to create SQLite DB", "log.cause.sqlite_create"),
    (r"Unexpected error accessing SQLite DB|Error attempting to (?:update|create) the metadata table"
     r"|Error attempting to operate with the .* database|sqlite3\.\w*Error", "log.cause.sqlite_error"),
    (r"Unexpected error querying/working with objects in S3", "log.cause.s3_object_error"),
    (r"Invalid gzip file received|Invalid zip file received|snappy compression is not supported"
     r"|Failed to decompress file", "log.cause.decompress"),
    (r"Failed to parse file|doesn't have the expected structure|file could not be loaded"
     r"|exceeds the available memory|does not seem to be plain text|does not contain JSON objects",
     "log.cause.parse"),
    (r"Error sending message to wazuh", "log.cause.send_failed"),
    (r"No files were found in '(?P<path>[^']*)'", "log.cause.no_files"),
    (r"Could not connect to the endpoint URL:? \"?(?P<url>[^\"\s]*)", "log.cause.endpoint"),
    (r"error while trying to extract a date from the marker", "log.cause.marker_date"),
    (r"The \"(?:get_log_events|get_log_streams|remove_aws_log_stream)\" request failed",
     "log.cause.cloudwatch_request"),
    (r"Invalid key or value found in config|doesn't have the valid format", "log.cause.invalid_config_value"),
    (r"No logs found in '(?P<prefix>[^']*)'", "log.cause.no_logs_in_prefix"),
    (r"Queue does not exist", "log.cause.queue_not_found"),
    (r"Used a subscriber but no --(?P<argument>\w+) provided", "log.cause.subscriber_param"),
    (r"Error receiving message from SQS|Error deleting message from SQS|Could not get the parquet file",
     "log.cause.sqs_failed"),
    (r"(?:Invalid|Unsupported) region '(?P<region>[^']*)'", "log.cause.invalid_region"),
    (r"SIGINT received", "log.cause.sigint"),
    (r"Used --iam_role_duration argument but no --iam_role_arn", "log.cause.role_duration_without_arn"),
    (r"isn't a valid bucket name|Not valid AWS account ID|Invalid ARN Role specified"
     r"|Invalid session duration specified|Argument not a valid date in format|unrecognized arguments"
     r"|error: argument|the following arguments are required|Error parsing arguments", "log.cause.arguments"),
    (r"a problem occurred while executing", "log.cause.wazuh_control"),
    (r"The \"(?:iter_files_in_bucket|find_account_ids|find_regions)\" request failed",
     "log.cause.listing_failed"),
    (r"Unknown error reading/parsing file", "log.cause.read_file_failed"),
    (r"^Access error: |access error: ", "log.cause.access_error"),
    (r"An error occurred \((?P<error_code>[\w.]+)\) when calling the (?P<operation>\w+) operation",
     "log.cause.client_error"),
))

GENERIC_MESSAGES = re.compile(r"^(?:Unknown error\.?|Error parsing arguments\.?|)$")
"""Second lines that carry no cause of their own (the real one may be in the OUTPUT block)."""

_PREFIXES = re.compile(r"^(?:(?:ERROR|DEBUG|WARNING|CRITICAL):\s*|\+{2,3}\s*)+")
_UNKNOWN_ERROR = re.compile(r"^Unknown error:\s*(?P<inner>.*)$", re.DOTALL)
_UNEXPECTED_ERROR = re.compile(r"^(?:\+\+\+ )?Unexpected error:\s*'?(?P<inner>.*?)'?\.?$")
_EXCEPTION_CLASS = re.compile(r"^[A-Za-z_][\w.]*(?:Error|Exception|NotFound|Failure):\s*(?P<inner>.*)$")


def _values(match: re.Match[str], text: str) -> dict[str, str]:
    values = {name: value[:MAX_VALUE_CHARS] for name, value in match.groupdict().items() if value is not None}
    values.setdefault("message", text[:MAX_VALUE_CHARS])
    profile_name = values.get("profile_name")
    if profile_name is not None and profile_name.startswith("profile "):
        values["profile_name"] = profile_name[len("profile "):]
    return values


_ANY_C_MESSAGE = _any_of(C_MESSAGES)
_ANY_SCRIPT_LINE = _any_of(SCRIPT_LINES)
_ANY_CAUSE = _any_of(CAUSES)


def _first(patterns: tuple[Pattern, ...], any_of: re.Pattern[str], text: str) -> Recognised | None:
    if any_of.search(text) is None:
        return None
    for regex, failure_id in patterns:
        match = regex.search(text)
        if match:
            return Recognised(failure_id, _values(match, text))
    return None


def strip_prefixes(text: str) -> str:
    """Drop ``ERROR: ``/``DEBUG: `` (possibly repeated, as in ``ERROR: ERROR: ...``) and ``+++ `` markers."""
    return _PREFIXES.sub("", text.strip())


def classify_cause(text: str) -> Recognised | None:
    """The cause behind an error message (second line, OUTPUT ERROR line, traceback's last line)."""
    cleaned = strip_prefixes(text)
    wrapped = False
    for _ in range(3):
        unknown = _UNKNOWN_ERROR.match(cleaned)
        if unknown:
            wrapped = True
            cleaned = strip_prefixes(unknown.group("inner"))
            continue
        exception = _EXCEPTION_CLASS.match(cleaned)
        if exception and exception.group("inner"):
            cleaned = exception.group("inner")
            continue
        break
    found = _first(CAUSES, _ANY_CAUSE, cleaned)
    if found is None:
        unexpected = _UNEXPECTED_ERROR.match(cleaned)
        if unexpected and unexpected.group("inner"):
            inner = unexpected.group("inner")[:MAX_VALUE_CHARS]
            found = Recognised("log.cause.client_error", {"error_code": "unknown", "message": inner})
    if found is None:
        return None
    return Recognised(found.failure_id, found.values, wrapped)


def classify_script_line(text: str) -> Recognised | None:
    """An informational or error line the script printed (inside OUTPUT or pasted from a manual run)."""
    cleaned = text.strip()
    for prefix in ("DEBUG: ", "WARNING: ", "ERROR: ", "CRITICAL: "):
        if cleaned.startswith(prefix):
            cleaned = cleaned[len(prefix):]
            break
    found = _first(SCRIPT_LINES, _ANY_SCRIPT_LINE, cleaned)
    if found is not None:
        return found
    for marker in ("+++ Error: ", "+++ Unexpected error: "):
        if cleaned.startswith(marker):
            return classify_cause(cleaned[len(marker):])
    return classify_cause(cleaned)


_C_HINT = re.compile(
    r"^(?:Bucket:|Service:|Subscriber:|Executing |Launching |Module AWS|Starting fetching|Fetching logs"
    r"|Interval overtaken|No AWS buckets|Sleeping until|Internal error|Can't connect|Couldn't save"
    r"|Create argument|No buckets, services)|Deprecated tag <|at module 'aws-s3'")
"""Cheap test run first: only messages starting like a wm_aws.c message can be one."""


def is_c_message(line: LogLine) -> bool:
    """Whether a line is one of wm_aws.c's own messages (a run title, Executing, Launching or a known C message),
    so the explainer can tell the C side from the script's output it relays."""
    message = line.message.strip()
    if not _C_HINT.search(message):
        return False
    return (parse_title(message) is not None or parse_executing(message) is not None
            or LAUNCHING.match(message) is not None
            or classify_c_message(message, line.level) is not None)


def classify_c_message(message: str, level: str | None) -> Recognised | None:
    """A C-side (wm_aws.c or the XML parser) message, without its run title."""
    found = _first(C_MESSAGES, _ANY_C_MESSAGE, message)
    if found is not None:
        return found
    if "at module 'aws-s3'" in message and level in C_LEVEL_FALLBACKS:
        return Recognised(C_LEVEL_FALLBACKS[level], {"message": message[:MAX_VALUE_CHARS]})
    return None


MARKER_DATE = re.compile(r"(\d{4})[/-](\d{1,2})[/-](\d{1,2})")
TIMESTAMP_DATE = re.compile(r"^(\d{4})/(\d{2})/(\d{2})")
EXCEPTION_LINE = re.compile(r"^(?!(?:DEBUG|INFO|WARNING|ERROR|CRITICAL):)[A-Za-z_][\w.]*(?::\s.*|:)?$")
TRACEBACK_CONTINUATION = ("During handling of the above exception", "The above exception was the direct")


def continues_traceback(text: str) -> bool:
    """True while a Python traceback goes on: indented frames, chained-exception headers, the final line."""
    stripped = text.strip()
    return (not stripped or text[:1].isspace()
            or stripped.startswith(("Traceback", *TRACEBACK_CONTINUATION))
            or EXCEPTION_LINE.match(stripped) is not None)


def is_exception_line(text: str) -> bool:
    """The ``SomeError: message`` line that ends a traceback (what the summary quotes)."""
    stripped = text.strip()
    return bool(stripped) and not text[:1].isspace() and EXCEPTION_LINE.match(stripped) is not None \
        and not stripped.startswith(("Traceback", *TRACEBACK_CONTINUATION))


def refine_marker(last_timestamp: str | None, found: Recognised) -> Recognised:
    """A ``+++ Marker:`` line told apart: a leading slash in the path, or today's date (a first run)."""
    if found.failure_id != "log.marker":
        return found
    marker = found.values.get("marker", "")
    if marker.startswith("/"):
        return Recognised("log.marker_leading_slash", found.values)
    dates = MARKER_DATE.findall(marker)
    stamp = TIMESTAMP_DATE.match(last_timestamp or "")
    if dates and stamp:
        marker_date = tuple(int(part) for part in dates[-1])
        if marker_date == tuple(int(part) for part in stamp.groups()):
            return Recognised("log.marker_today", {**found.values, "date": "-".join(stamp.groups())})
    return found
