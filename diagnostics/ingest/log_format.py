"""The ingestion pass's log in the module's own words and ossec.log line format.

Every record carries the bucket, because the module's own log often leaves it blank (``Bucket:  - ``) and
admins with several buckets cannot tell which one spoke. The doctor's own remarks (we never delete, we did
not send) are marked as ours so they are never mistaken for lines the module prints.
"""

from __future__ import annotations

import logging
import time
from collections.abc import MutableMapping
from typing import TYPE_CHECKING, Any

from diagnostics.text_safety import visible
from diagnostics.wazuh.ossec_log import TAG, TIME_FORMAT

LOGGER_NAME = "wazuh_aws_doctor.ingest"
DOCTOR_TAG = "wazuh-aws-doctor"
MAX_EVENT_SIZE = 65535
"""``utils.MAX_EVENT_SIZE``: larger events are warned about at debug 1 but still sent."""

MODULE_DEBUG_1 = 15
MODULE_DEBUG_2 = 14
MODULE_DEBUG_3 = 13
"""Logging levels of the script's ``debug(msg, N)`` lines: a higher N is more verbose, so a lower level."""

for _level, _name in ((MODULE_DEBUG_1, "DEBUG1"), (MODULE_DEBUG_2, "DEBUG2"), (MODULE_DEBUG_3, "DEBUG3")):
    logging.addLevelName(_level, _name)

ORIGIN_MODULE = "module"
ORIGIN_DOCTOR = "doctor"


def level_for_debug(debug_level: int) -> int:
    """The logger threshold that shows what ``--debug N`` shows: 0 only errors and warnings, 3 everything."""
    if debug_level <= 0:
        return logging.INFO
    return {1: MODULE_DEBUG_1, 2: MODULE_DEBUG_2}.get(debug_level, MODULE_DEBUG_3)


def _debug_level_of(levelno: int) -> int:
    return {MODULE_DEBUG_1: 1, MODULE_DEBUG_2: 2, MODULE_DEBUG_3: 3}.get(levelno, 0)


class DebugLevelFilter(logging.Filter):
    """Passes the records the module would print at ``--debug N``; handy when a handler is shared."""

    def __init__(self, debug_level: int) -> None:
        super().__init__()
        self.debug_level = debug_level

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= level_for_debug(self.debug_level)


class OssecLogFormatter(logging.Formatter):
    """Renders records as ossec.log lines, ``YYYY/MM/DD HH:MM:SS wazuh-modulesd:aws-s3: DEBUG: msg``.

    ``show_bucket`` puts the bucket into the tag (``wazuh-modulesd:aws-s3[my-bucket]:``) so that the
    message text stays exactly the module's and grep patterns written for ossec.log still match. Key
    names and S3 messages inside a message have their control characters made visible, so a key holding
    a newline cannot forge a line of its own and an ESC sequence never reaches the terminal.
    """

    def __init__(self, *, show_bucket: bool = True, utc: bool = False) -> None:
        super().__init__()
        self.show_bucket = show_bucket
        self.converter = time.gmtime if utc else time.localtime

    def format(self, record: logging.LogRecord) -> str:
        stamp = time.strftime(TIME_FORMAT, self.converter(record.created))
        origin = getattr(record, "origin", ORIGIN_MODULE)
        bucket = getattr(record, "bucket", "")
        suffix = f"[{visible(bucket)}]" if self.show_bucket and bucket else ""
        if origin == ORIGIN_DOCTOR:
            return f"{stamp} {DOCTOR_TAG}{suffix}: NOTE: {visible(record.getMessage())}"
        level = "DEBUG" if _debug_level_of(record.levelno) else record.levelname
        return f"{stamp} {TAG}{suffix}: {level}: {visible(record.getMessage())}"


if TYPE_CHECKING:
    _AdapterBase = logging.LoggerAdapter[logging.Logger]
else:
    _AdapterBase = logging.LoggerAdapter


class ModuleLog(_AdapterBase):
    """The module's log lines for one bucket, one method per kind of line so the wording lives in one place.

    Levels follow the script: ``debug(msg, 1)`` is ``MODULE_DEBUG_1`` and so on; ``print("ERROR: ...")``
    is ERROR; the script's unprefixed prints are INFO.
    """

    def __init__(self, bucket: str, debug_level: int, logger: logging.Logger | None = None, *,
                 bucket_type: str = "") -> None:
        super().__init__(logger or logging.getLogger(LOGGER_NAME), {"bucket": bucket})
        self.bucket = bucket
        self.debug_level = debug_level
        """The run's ``--debug N``: lines above it are never emitted, whatever the logger's level."""
        self.bucket_type = bucket_type

    def process(self, msg: Any, kwargs: MutableMapping[str, Any]) -> tuple[Any, MutableMapping[str, Any]]:
        extra: dict[str, Any] = {"bucket": self.bucket, "origin": ORIGIN_MODULE}
        extra.update(kwargs.get("extra") or {})
        kwargs["extra"] = extra
        return msg, kwargs

    # -- plumbing ---------------------------------------------------------------------------------
    def module_debug(self, level: int, message: str) -> None:
        """The script's ``debug(message, level)``, printed only when ``level <= --debug``."""
        if level > self.debug_level:
            return
        self.log({1: MODULE_DEBUG_1, 2: MODULE_DEBUG_2}.get(level, MODULE_DEBUG_3), message)

    def module_error(self, message: str) -> None:
        """The script's ``print("ERROR: ...")`` (the prefix is added by the formatter)."""
        self.log(logging.ERROR, message)

    def module_warning(self, message: str) -> None:
        """The script's ``print("WARNING: ...")``."""
        self.log(logging.WARNING, message)

    def module_print(self, message: str) -> None:
        """A line the script prints with no prefix (deprecation notices), whatever the debug level."""
        self.log(logging.INFO, message)

    def module_line(self, line: str, *, debug_level: int = 1) -> None:
        """A line already in the script's words, routed by its prefix (``ERROR: ``, ``WARNING: ``,
        ``DEBUG: `` at ``debug_level``, else a plain print)."""
        for prefix, emit in (("ERROR: ", self.module_error), ("WARNING: ", self.module_warning)):
            if line.startswith(prefix):
                emit(line[len(prefix):])
                return
        if line.startswith("DEBUG: "):
            self.module_debug(debug_level, line[len("DEBUG: "):])
        else:
            self.module_print(line)

    def doctor_note(self, message: str, **fields: Any) -> None:
        """A remark of ours, never a module line (what we skipped doing, what the module would do)."""
        self.log(logging.INFO, message, extra={"origin": ORIGIN_DOCTOR, **fields})

    # -- the module's lines ----------------------------------------------------------------------
    def debug_mode_on(self, level: int) -> None:
        self.module_debug(1, f"+++ Debug mode on - Level: {level}")

    def working_on(self, account_id: str, region: str) -> None:
        self.module_debug(1, f"+++ Working on {account_id} - {region}")

    def table_created(self) -> None:
        self.module_debug(1, "+++ Table does not exist; create")

    def no_regions_found(self, account_id: str) -> None:
        self.module_debug(1, f"+++ No regions found for AWS Account {account_id}")

    def marker(self, marker: str) -> None:
        self.module_debug(2, f"+++ Marker: {marker}")

    def found_new_log(self, key: str) -> None:
        self.module_debug(2, f"++ Found new log: {key}")

    def skipping_processed(self, key: str) -> None:
        """Debug 1, except server_access which prints it at debug 2 (its own loop logs it one level lower)."""
        self.module_debug(2 if self.bucket_type == "server_access" else 1,
                          f"++ Skipping previously processed file: {key}")

    def skipping_other_prefix(self, key: str) -> None:
        self.module_debug(3, f"++ Skipping file with another prefix: {key}")

    def no_logs_to_process(self, account_id: str | None, region: str | None,
                           flow_log_id: str | None = None) -> None:
        """The three templates: AWSLogs scope, VPC flow-log scope, and custom family (bucket name only)."""
        if flow_log_id:
            text = f"+++ No logs to process for {flow_log_id} flow log ID in bucket: {account_id}/{region}"
        elif account_id is not None and region is not None:
            text = f"+++ No logs to process in bucket: {account_id}/{region}"
        else:
            text = f"+++ No logs to process in bucket: {self.bucket}"
        self.module_debug(1, text)

    def db_maintenance(self) -> None:
        self.module_debug(1, "+++ DB Maintenance")

    def remove_file(self, key: str) -> None:
        """What the module prints before deleting; the doctor never deletes, and says so."""
        self.module_debug(2, f"+++ Remove file from S3 Bucket:{key}")
        self.doctor_note(f"remove_from_bucket is set: the module would delete {key} here; the doctor did not")

    def reformat_message(self) -> None:
        self.module_debug(3, "++ Reformat message")

    def event_json(self, json_text: str) -> None:
        self.module_debug(3, json_text)

    def event_too_large(self) -> None:
        self.module_debug(1, f"Event size exceeds the maximum allowed limit of {MAX_EVENT_SIZE} bytes.")

    def discard_matched(self, regex: str, field: str) -> None:
        self.module_debug(2, f'+++ The "{regex}" regex found a match in the "{field}" field. '
                             "The event will be skipped.")

    def discard_not_matched(self, regex: str, field: str) -> None:
        self.module_debug(3, f'+++ The "{regex}" regex did not find a match in the "{field}" field. '
                             "The event will be processed.")

    def skipping_after_error(self, message: str) -> None:
        """skip_on_error: the failure is sent as an ``error_msg`` event and the run goes on."""
        self.module_debug(1, f"++ {message}; skipping...")

    def error_marking_complete(self, key: str, error: str) -> None:
        self.module_debug(2, f"+++ Error marking log {key} as completed: {error}")

    def file_failed(self, message: str) -> None:
        """The script's ``print("ERROR: <Failed ... text>")`` before it exits."""
        self.module_error(message)


