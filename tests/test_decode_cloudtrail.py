"""CloudTrail decoding: the exact datagram, the reformatting quirks and every broken-object verdict."""

from __future__ import annotations

import gzip
import json
from datetime import datetime

from diagnostics.findings import Status
from diagnostics.wazuh.ossec_log import RunTitle
from tests.decode_helpers import V4, V5, decode
from tests.sample_objects import entry_named, render_key, sample_bytes

KEY = ("AWSLogs/123456789012/CloudTrail/us-east-1/2024/05/14/"
       "123456789012_CloudTrail_us-east-1_20240514T0805Z_Ab3dE5fG7hJ9kL1m.json.gz")
WHEN = datetime(2024, 5, 14, 8, 5, 0)

FAILED_LOGIN = {
    "eventVersion": "1.09", "userIdentity": {"type": "IAMUser", "userName": "alice"},
    "eventTime": "2024-05-14T08:02:00Z", "eventSource": "signin.amazonaws.com", "eventName": "ConsoleLogin",
    "awsRegion": "us-east-1", "sourceIPAddress": "198.51.100.77", "errorMessage": "Failed authentication",
    "requestParameters": None, "responseElements": {"ConsoleLogin": "Failure"},
    "additionalEventData": {"MFAUsed": "No"}, "resources": [{"ARN": "arn:aws:iam::123456789012:user/alice"}],
}


def records(*items: object) -> bytes:
    return json.dumps({"Records": list(items)}).encode()


def test_failed_console_login_is_sent_byte_for_byte() -> None:
    outcome = decode(records(FAILED_LOGIN), KEY, "cloudtrail", gz=True, account_alias="prod")
    assert outcome.payloads == [
        '1:Wazuh-AWS:{"integration": "aws", "aws": {"log_info": {"aws_account_alias": "prod", "log_file": '
        '"AWSLogs/123456789012/CloudTrail/us-east-1/2024/05/14/123456789012_CloudTrail_us-east-1_20240514T0805Z_'
        'Ab3dE5fG7hJ9kL1m.json.gz", "s3bucket": "acme-logs"}, "eventVersion": "1.09", "userIdentity": '
        '{"type": '
        '"IAMUser", "userName": "alice"}, "eventTime": "2024-05-14T08:02:00Z", "eventSource": '
        '"signin.amazonaws.com", "eventName": "ConsoleLogin", "awsRegion": "us-east-1", "sourceIPAddress": '
        '"198.51.100.77", "errorMessage": "Failed authentication", "responseElements": {"ConsoleLogin": '
        '"Failure"}, "additionalEventData": {"MFAUsed": "No"}, "resources": {"ARN": '
        '"arn:aws:iam::123456789012:user/alice"}, "source": "cloudtrail", "aws_account_id": "123456789012", '
        '"source_ip_address": "198.51.100.77"}}'
    ]
    event = outcome.events[0]
    assert event.raw_record == FAILED_LOGIN  # untouched: requestParameters None and the list still there
    assert event.size_bytes == len(event.payload) and not event.oversized
    assert event.summary.name == "ConsoleLogin" and event.summary.outcome == "Failure"
    assert event.summary.source_ip == "198.51.100.77" and event.summary.user == "alice"
    assert outcome.counters.records_read == 1 and outcome.counters.events_sent == 1
    assert outcome.counters.complete and not outcome.problems


def test_dynamic_fields_become_string_dicts_and_odd_termination_flag_warns() -> None:
    record = {"eventName": "CreateRole", "sourceIPAddress": "iam.amazonaws.com", "errorCode": "AccessDenied",
              "requestParameters": {"roleName": "backup-admin", "disableApiTermination": "yes"},
              "responseElements": ["a"], "additionalEventData": True}
    outcome = decode(records(record), KEY, "cloudtrail", gz=True)
    event = outcome.events[0]
    assert event.payload.endswith(
        '"eventName": "CreateRole", "sourceIPAddress": "iam.amazonaws.com", "errorCode": "AccessDenied", '
        '"requestParameters": {"roleName": "backup-admin", "disableApiTermination": "yes"}, '
        '"responseElements": {"string": "a"}, "additionalEventData": {"string": "True"}, "source": '
        '"cloudtrail", "aws_account_id": "123456789012"}}')
    assert "source_ip_address" not in event.message["aws"]  # a service name is not an IPv4 address
    assert event.warnings == (
        "WARNING: Could not reformat event {'integration': 'aws', 'aws': {'log_info': {'aws_account_alias': "
        "'', "
        "'log_file': '" + KEY + "', 's3bucket': 'acme-logs'}, 'eventName': 'CreateRole', 'sourceIPAddress': "
        "'iam.amazonaws.com', 'errorCode': 'AccessDenied', 'requestParameters': {'roleName': 'backup-admin', "
        "'disableApiTermination': 'yes'}, 'responseElements': {'string': 'a'}, 'additionalEventData': "
        "{'string': 'True'}, 'source': 'cloudtrail', 'aws_account_id': '123456789012'}}",)


def test_boolean_termination_flag_is_wrapped() -> None:
    record = {"eventName": "RunInstances", "requestParameters": {"disableApiTermination": False}}
    event = decode(records(record), KEY, "cloudtrail", gz=True).events[0]
    assert event.message["aws"]["requestParameters"] == {"disableApiTermination": {"value": False}}


def test_write_up_samples_denied_create_role_and_failed_logins() -> None:
    entry = entry_named("cloudtrail_denied_create_role")
    outcome = decode(sample_bytes(entry), render_key(entry["key_template"], WHEN), "cloudtrail")
    denied = [event for event in outcome.events if event.summary.outcome == "AccessDenied"]
    assert [event.summary.name for event in denied] == ["CreateRole"]
    assert denied[0].message["aws"]["errorCode"] == "AccessDenied"
    logins = entry_named("cloudtrail_console_login_failures")
    outcome = decode(sample_bytes(logins), render_key(logins["key_template"], WHEN), "cloudtrail")
    failures = [event for event in outcome.events if event.summary.outcome == "Failure"]
    assert len(failures) == 6 and {event.summary.source_ip for event in failures} == {"198.51.100.77"}


def test_organization_trail_takes_account_from_the_key() -> None:
    entry = entry_named("cloudtrail_organization_trail")
    key = render_key(entry["key_template"], WHEN, account="210987654321")
    event = decode(sample_bytes(entry), key, "cloudtrail").events[0]
    assert key.startswith("AWSLogs/o-a1b2c3d4e5/210987654321/CloudTrail/")
    assert event.message["aws"]["aws_account_id"] == "210987654321"


def test_digest_is_reported_and_yields_nothing() -> None:
    entry = entry_named("cloudtrail_digest")
    outcome = decode(sample_bytes(entry), render_key(entry["key_template"], WHEN), "cloudtrail")
    assert outcome.events == []
    assert outcome.ids == ["decode.digest_file", "decode.no_records_key"]
    assert outcome.problem("decode.no_records_key").finding.status is Status.WARNING


def test_oversized_event_is_flagged_and_still_sent() -> None:
    entry = entry_named("cloudtrail_oversized_event")
    outcome = decode(sample_bytes(entry), render_key(entry["key_template"], WHEN), "cloudtrail")
    event = outcome.events[0]
    assert event.oversized and event.size_bytes > 65535 and event.sent
    assert (1, "Event size exceeds the maximum allowed limit of 65535 bytes.") in event.debug_lines
    assert outcome.counters.oversized == 1 and outcome.counters.events_sent == 1
    assert outcome.ids == ["decode.oversized_events"]


def test_truncated_gzip_is_unknown_error_exit_1() -> None:
    entry = entry_named("cloudtrail_truncated_gzip")
    key = render_key(entry["key_template"], WHEN)
    outcome = decode(sample_bytes(entry), key, "cloudtrail", run_title=RunTitle.for_bucket(None, None))
    problem = outcome.problem("decode.unknown_error")
    message = (f"Unknown error reading/parsing file {key}: "
               "EOFError('Compressed file ended before the end-of-stream marker was reached')")
    assert problem.finding.wazuh_exit_code == 1 and problem.stops_run and not problem.recoverable
    assert problem.finding.evidence[0] == f"ERROR: {message}"
    assert problem.finding.ossec_log[0].endswith("WARNING: Bucket:  -  Returned exit code 1")
    assert problem.finding.ossec_log[1].endswith(f"WARNING: Bucket:  -  {message}")
    assert outcome.counters.aborted and outcome.counters.events_sent == 0


def test_empty_object_is_parse_error_exit_9() -> None:
    entry = entry_named("cloudtrail_empty_object")
    key = render_key(entry["key_template"], WHEN)
    outcome = decode(sample_bytes(entry), key, "cloudtrail")
    assert outcome.ids == ["decode.empty_object", "decode.parse_failed"]
    assert outcome.problem("decode.parse_failed").finding.evidence[0] == (
        f"ERROR: Failed to parse file {key}: JSONDecodeError('Expecting value: line 1 column 1 (char 0)')")


def test_gzip_bytes_under_a_json_key_are_read_as_text() -> None:
    entry = entry_named("cloudtrail_gzip_named_json")
    key = render_key(entry["key_template"], WHEN)
    outcome = decode(sample_bytes(entry), key, "cloudtrail")
    assert outcome.ids == ["decode.magic_mismatch", "decode.parse_failed"]
    assert "the bytes are gzip" in outcome.problem("decode.magic_mismatch").finding.title
    text = outcome.problem("decode.parse_failed").finding.evidence[0]
    assert text.startswith(f"ERROR: Failed to parse file {key}: UnicodeDecodeError('utf-8', b'\\x1f\\x8b")
    assert text.endswith(", 1, 2, 'invalid start byte')")


def test_plain_text_under_a_gz_key_is_invalid_gzip_exit_8() -> None:
    entry = entry_named("cloudtrail_plain_named_gz")
    outcome = decode(sample_bytes(entry), render_key(entry["key_template"], WHEN), "cloudtrail")
    problem = outcome.problem("decode.invalid_gzip")
    assert problem.finding.wazuh_exit_code == 8
    assert problem.finding.evidence[0] == "ERROR: Invalid gzip file received."
    mismatch = outcome.problem("decode.magic_mismatch")
    assert "the key ends like gzip but the bytes are text" in mismatch.finding.title


def test_skip_on_error_sends_the_error_msg_event_instead() -> None:
    outcome = decode(b'{"Records": [', KEY, "cloudtrail", gz=True, skip_on_error=True)
    problem = outcome.problem("decode.parse_failed")
    message = f"Failed to parse file {KEY}: JSONDecodeError('Expecting value: line 1 column 14 (char 13)')"
    assert problem.error_payload == (
        '1:Wazuh-AWS:{"integration": "aws", "aws": {"log_info": {"aws_account_alias": "", "log_file": "'
        + KEY + '", "s3bucket": "acme-logs"}, "aws_account_id": "123456789012"}, "error_msg": "'
        + message.replace("'", "'") + '"}')
    assert problem.finding.status is Status.WARNING and not problem.stops_run
    assert problem.finding.wazuh_exit_code is None
    assert f"DEBUG: ++ {message}; skipping... (debug 1)" in problem.finding.evidence
    assert outcome.counters.error_events == 1


def test_skip_on_error_after_invalid_gzip_depends_on_the_python_of_the_version() -> None:
    plain = records(FAILED_LOGIN)
    old = decode(plain, KEY, "cloudtrail", skip_on_error=True, profile=V4).problem("decode.invalid_gzip")
    new = decode(plain, KEY, "cloudtrail", skip_on_error=True, profile=V5).problem("decode.invalid_gzip")
    assert old.finding.evidence[0] == "ERROR: Invalid gzip file received."
    old_text = f"Unknown error reading/parsing file {KEY}: AttributeError('__enter__')"
    assert old_text in (old.error_payload or "")
    assert (f"Failed to decompress file {KEY}: TypeError(\\\"'NoneType' object does not support the context "
            "manager protocol\\\")") in (new.error_payload or "")


def test_events_before_a_late_error_are_reported_as_not_sent() -> None:
    document = records(FAILED_LOGIN)[:-2] + b',{"eventName": }]}'
    outcome = decode(document, KEY, "cloudtrail", gz=True)
    assert len(outcome.events) == 1  # streamed before the error was seen
    problem = outcome.problem("decode.parse_failed")
    assert "1 event(s) decoded from this object would not be sent." in problem.finding.evidence
    assert outcome.counters.events_sent == 0 and outcome.counters.aborted


def test_gzip_error_after_a_json_error_wins_as_in_the_module() -> None:
    compressed = gzip.compress(b'{"Records": [{"a": }]}' + b" " * 5000, mtime=0)
    corrupted = compressed[:-8] + b"\x00\x00\x00\x00" + compressed[-4:]  # bad CRC at the very end
    outcome = decode(corrupted, KEY, "cloudtrail")
    assert outcome.ids == ["decode.invalid_gzip"]


def test_element_that_is_not_an_object_fails_only_after_the_document_parses() -> None:
    outcome = decode(b'{"Records": [1, {"eventName": "x"}]}', KEY, "cloudtrail", gz=True)
    assert outcome.problem("decode.decompress_failed").finding.evidence[0] == (
        f"ERROR: Failed to decompress file {KEY}: TypeError(\"'int' object is not iterable\")")
    later_syntax_error = decode(b'{"Records": [1, {"eventName": "x"}', KEY, "cloudtrail", gz=True)
    assert later_syntax_error.ids == ["decode.parse_failed"]
