"""The ingestion log speaks the module's words, in ossec.log format, attributed to a bucket."""

from __future__ import annotations

import logging
import re

import pytest

from diagnostics.ingest import log_format
from diagnostics.ingest.log_format import ModuleLog, OssecLogFormatter


class _Capture(logging.Handler):
    def __init__(self, formatter: logging.Formatter) -> None:
        super().__init__(level=logging.NOTSET)
        self.setFormatter(formatter)
        self.lines: list[str] = []
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        self.lines.append(self.format(record))


@pytest.fixture
def capture() -> tuple[logging.Logger, _Capture]:
    logger = logging.getLogger(f"{log_format.LOGGER_NAME}.test")
    logger.setLevel(1)
    logger.propagate = False
    handler = _Capture(OssecLogFormatter(show_bucket=False, utc=True))
    logger.handlers = [handler]
    return logger, handler


def _messages(handler: _Capture) -> list[str]:
    return [record.getMessage() for record in handler.records]


def test_every_step_uses_the_module_words(capture: tuple[logging.Logger, _Capture]) -> None:
    logger, handler = capture
    log = ModuleLog("my-trail", 3, logger, bucket_type="cloudtrail")
    log.debug_mode_on(3)
    log.working_on("123456789012", "us-east-1")
    log.marker("AWSLogs/123456789012/CloudTrail/us-east-1/2024/05/01")
    log.found_new_log("k1")
    log.skipping_processed("k0")
    log.skipping_other_prefix("x/k")
    log.no_logs_to_process("123456789012", "us-east-1")
    log.no_logs_to_process("123456789012", "us-east-1", "fl-1234")
    log.no_logs_to_process(None, None)
    log.db_maintenance()
    log.event_too_large()
    log.discard_matched("^Get", "eventName")
    log.discard_not_matched("^Get", "eventName")
    log.skipping_after_error("Failed to parse file k: ValueError()")
    assert _messages(handler) == [
        "+++ Debug mode on - Level: 3",
        "+++ Working on 123456789012 - us-east-1",
        "+++ Marker: AWSLogs/123456789012/CloudTrail/us-east-1/2024/05/01",
        "++ Found new log: k1",
        "++ Skipping previously processed file: k0",
        "++ Skipping file with another prefix: x/k",
        "+++ No logs to process in bucket: 123456789012/us-east-1",
        "+++ No logs to process for fl-1234 flow log ID in bucket: 123456789012/us-east-1",
        "+++ No logs to process in bucket: my-trail",
        "+++ DB Maintenance",
        "Event size exceeds the maximum allowed limit of 65535 bytes.",
        '+++ The "^Get" regex found a match in the "eventName" field. The event will be skipped.',
        '+++ The "^Get" regex did not find a match in the "eventName" field. The event will be processed.',
        "++ Failed to parse file k: ValueError(); skipping...",
    ]


def test_line_format_matches_ossec_log(capture: tuple[logging.Logger, _Capture]) -> None:
    logger, handler = capture
    ModuleLog("b", 2, logger).marker("AWSLogs/1/CloudTrail/us-east-1/2024/05/01")
    ModuleLog("b", 2, logger).file_failed("Failed to parse file k: ValueError()")
    debug_line, error_line = handler.lines
    assert re.fullmatch(r"\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2} wazuh-modulesd:aws-s3: DEBUG: "
                        r"\+\+\+ Marker: AWSLogs/1/CloudTrail/us-east-1/2024/05/01", debug_line)
    assert error_line.endswith("wazuh-modulesd:aws-s3: ERROR: Failed to parse file k: ValueError()")
    # The QA pattern Wazuh uses on ossec.log still matches our line.
    assert re.match(r".*DEBUG: \+\+\+ Marker: ", debug_line)


def test_bucket_on_every_record_and_optionally_in_tag(capture: tuple[logging.Logger, _Capture]) -> None:
    logger, handler = capture
    log = ModuleLog("logs-prod", 1, logger)
    log.working_on("123456789012", "eu-west-1")
    log.remove_file("k")  # level 2: hidden at debug 1, but the doctor's note is not a debug line
    assert all(getattr(record, "bucket", None) == "logs-prod" for record in handler.records)
    tagged = OssecLogFormatter(show_bucket=True, utc=True).format(handler.records[0])
    assert " wazuh-modulesd:aws-s3[logs-prod]: DEBUG: +++ Working on 123456789012 - eu-west-1" in tagged


def test_debug_level_filters_like_the_script(capture: tuple[logging.Logger, _Capture]) -> None:
    logger, handler = capture
    for level in (0, 1, 2, 3):
        handler.records.clear()
        log = ModuleLog("b", level, logger)
        log.working_on("1", "r")        # debug 1
        log.found_new_log("k")          # debug 2
        log.event_json('{"a": 1}')      # debug 3
        log.module_error("boom")        # always
        shown = _messages(handler)
        assert ("+++ Working on 1 - r" in shown) == (level >= 1)
        assert ("++ Found new log: k" in shown) == (level >= 2)
        assert ('{"a": 1}' in shown) == (level >= 3)
        assert "boom" in shown


def test_remove_file_says_what_the_module_would_delete(capture: tuple[logging.Logger, _Capture]) -> None:
    logger, handler = capture
    ModuleLog("b", 2, logger).remove_file("AWSLogs/k.json.gz")
    module_line, note = handler.lines
    assert module_line.endswith("DEBUG: +++ Remove file from S3 Bucket:AWSLogs/k.json.gz")
    assert "wazuh-aws-doctor: NOTE:" in note and "did not" in note


def test_server_access_prints_skipping_processed_at_debug_2(capture: tuple[logging.Logger, _Capture]) -> None:
    logger, handler = capture
    ModuleLog("b", 1, logger, bucket_type="server_access").skipping_processed("k")
    assert handler.records == []
    ModuleLog("b", 2, logger, bucket_type="server_access").skipping_processed("k")
    assert _messages(handler) == ["++ Skipping previously processed file: k"]


def test_level_threshold_and_filter() -> None:
    assert log_format.level_for_debug(0) == logging.INFO
    assert log_format.level_for_debug(1) > log_format.level_for_debug(2) > log_format.level_for_debug(3)
    record = logging.LogRecord("x", log_format.MODULE_DEBUG_2, __file__, 1, "m", None, None)
    assert not log_format.DebugLevelFilter(1).filter(record)
    assert log_format.DebugLevelFilter(2).filter(record)
