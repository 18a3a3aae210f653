"""VPC flow decoding: the header line is an event, NODATA keeps '-', extra columns go under "null"."""

from __future__ import annotations

from datetime import datetime

from tests.decode_helpers import V4, V5, decode
from tests.sample_objects import entry_named, render_key, sample_bytes

KEY = ("AWSLogs/123456789012/vpcflowlogs/us-east-1/2024/05/14/"
       "123456789012_vpcflowlogs_us-east-1_fl-0a1b2c3d4e5f60718_20240514T0820Z_3f2a1b0c.log.gz")
PREFIX = ('1:Wazuh-AWS:{"integration": "aws", "aws": {"log_info": {"aws_account_alias": "", "log_file": "'
          + KEY + '", "s3bucket": "acme-logs"}, ')
LINES = (b"version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end "
         b"action log-status\n"
         b"2 123456789012 eni-0f9e8d7c6b5a49382 - - - - - - - 1715674805 1715674865 - NODATA\n"
         b"2 123456789012 eni-0a1b2c3d4e5f60718 198.51.100.77 10.0.1.25 51432 22 6 12 2760 1715674800 "
         b"1715674860 REJECT OK vpc-0f1e2d3c4b5a69788 IPv4\n")


def test_header_nodata_and_extra_columns_byte_for_byte() -> None:
    outcome = decode(LINES, KEY, "vpcflow", gz=True)
    assert outcome.payloads == [
        PREFIX + '"version": "version", "account_id": "account-id", "interface_id": "interface-id", '
                 '"srcaddr": '
        '"srcaddr", "dstaddr": "dstaddr", "srcport": "srcport", "dstport": "dstport", "protocol": '
        '"protocol", '
        '"packets": "packets", "bytes": "bytes", "start": "start", "end": "end", "action": "action", '
        '"log_status": "log-status", "source": "vpc", "aws_account_id": "123456789012"}}',
        PREFIX + '"version": "2", "account_id": "123456789012", "interface_id": "eni-0f9e8d7c6b5a49382", '
        '"srcaddr": "-", "dstaddr": "-", "srcport": "-", "dstport": "-", "protocol": "-", "packets": "-", '
        '"bytes": "-", "start": "2024-05-14T08:20:05Z", "end": "2024-05-14T08:21:05Z", "action": "-", '
        '"log_status": "NODATA", "source": "vpc", "aws_account_id": "123456789012"}}',
        PREFIX + '"version": "2", "account_id": "123456789012", "interface_id": "eni-0a1b2c3d4e5f60718", '
        '"srcaddr": "198.51.100.77", "dstaddr": "10.0.1.25", "srcport": "51432", "dstport": "22", '
        '"protocol": '
        '"6", "packets": "12", "bytes": "2760", "start": "2024-05-14T08:20:00Z", "end": '
        '"2024-05-14T08:21:00Z", '
        '"action": "REJECT", "log_status": "OK", "null": ["vpc-0f1e2d3c4b5a69788", "IPv4"], "source": "vpc", '
        '"aws_account_id": "123456789012"}}',
    ]
    assert [event.line for event in outcome.events] == [1, 2, 3]
    assert outcome.events[2].summary.outcome == "REJECT OK"
    assert outcome.events[2].raw_record["start"] == "1715674800"  # the raw row keeps the epoch


def test_non_epoch_start_fails_the_whole_object_with_exit_9() -> None:
    outcome = decode(LINES + b"2 1 eni - - - - - - - x 1 - NODATA\n", KEY, "vpcflow", gz=True)
    assert len(outcome.events) == 3 and outcome.counters.events_sent == 0
    problem = outcome.problem("decode.parse_failed")
    assert problem.finding.evidence[0] == (
        f"ERROR: Failed to parse file {KEY}: ValueError(\"invalid literal for int() with base 10: 'x'\")")
    assert problem.line == 4


def test_short_row_is_a_type_error_exit_8() -> None:
    problem = decode(b"2 1 eni\n", KEY, "vpcflow", gz=True).problem("decode.decompress_failed")
    assert problem.finding.wazuh_exit_code == 8
    assert problem.finding.evidence[0].endswith(
        "TypeError(\"int() argument must be a string, a bytes-like object or a real number, not "
        "'NoneType'\")")


def test_reordered_custom_format_fails_on_its_header() -> None:
    entry = entry_named("vpcflow_reordered_format")
    outcome = decode(sample_bytes(entry), render_key(entry["key_template"], datetime(2024, 5, 14)), "vpcflow")
    assert outcome.ids == ["decode.parse_failed"]
    assert "invalid literal for int() with base 10: 'dstport'" in outcome.problems[0].finding.title


def test_custom_format_with_default_fields_first_keeps_extras_under_null() -> None:
    entry = entry_named("vpcflow_custom_format")
    outcome = decode(sample_bytes(entry), render_key(entry["key_template"], datetime(2024, 5, 14)), "vpcflow")
    extras = ["vpc-0f1e2d3c4b5a69788", "subnet-0123456789abcdef0", "i-0a1b2c3d4e5f60718", "2", "IPv4",
              "198.51.100.77", "10.0.1.25"]
    assert outcome.events[1].message["aws"][None] == extras  # csv's restkey; json.dumps writes it as "null"
    assert '"null": ["vpc-0f1e2d3c4b5a69788", "subnet-0123456789abcdef0"' in outcome.events[1].payload


def test_nul_byte_is_a_csv_error_only_for_the_bundled_python_310() -> None:
    data = b"2 123456789012 eni-1 a\x00 b 1 2 6 1 1 1715674800 1715674860 ACCEPT OK\n"
    older = decode(data, KEY, "vpcflow", gz=True, profile=V4).problem("decode.parse_failed")
    assert older.finding.evidence[0].endswith("Error('line contains NUL')")
    assert len(decode(data, KEY, "vpcflow", gz=True, profile=V5).events) == 1


def test_configured_account_wins_over_the_key() -> None:
    event = decode(LINES, KEY, "vpcflow", gz=True, aws_account_id="210987654321").events[0]
    assert event.message["aws"]["aws_account_id"] == "210987654321"
