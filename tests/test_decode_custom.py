"""Custom buckets: concatenated EventBridge JSON, Macie reshaping, silent drops and the JSON-lines trap."""

from __future__ import annotations

from datetime import datetime

from tests.decode_helpers import V4, V5, decode
from tests.sample_objects import entry_named, render_key, sample_bytes

KEY = "macie/2024/05/14/10/firehose-macie-1-2024-05-14-10-15-01-4f1e2d3c-5b6a-4978-8a9b-0c1d2e3f4a5b"
PREFIX = ('1:Wazuh-AWS:{"integration": "aws", "aws": {"log_info": {"aws_account_alias": "", "log_file": "'
          + KEY + '", "s3bucket": "acme-logs"}, ')
CLASSIC = ('{"version":"0","id":"3e35","detail-type":"Macie '
           'Alert","source":"aws.macie","account":"123456789012",'
           '"time":"2019-03-11T16:02:13Z","region":"us-east-1","resources":[],"detail":{"name":"Denied role '
           'creation","tags":["Insider"],"trigger":{"alert-type":"basic","risk":8},"summary":{"Events":{"CreateRole"'
           ':{"count":3,"Error Code":{"AccessDenied":3}}},"IP":{"198.51.100.77":3},"Location":{"Frankfurt":'
           '{"lat":050.11,"lon":008.68}},"Record Count":3}}}')
GUARDDUTY = ('{"version":"0","id":"5e4d","detail-type":"GuardDuty '
             'Finding","source":"aws.guardduty","account":'
             '"123456789012","time":"2024-05-14T09:45:02Z","region":"us-east-1","detail":{"type":'
             '"Recon:IAMUser/MaliciousIPCaller","service":{"serviceName":"guardduty","additionalInfo":{"unusual":'
             '["s3:GetBucketPolicy"]}},"severity":5}}')
NO_DETAIL = '{"messageType":"DATA_MESSAGE","logEvents":[]}'
WHEN = datetime(2024, 5, 14, 10, 15, 1)


def test_macie_classic_and_guardduty_envelopes_byte_for_byte() -> None:
    outcome = decode((CLASSIC + GUARDDUTY + NO_DETAIL).encode(), KEY, "custom")
    assert outcome.payloads == [
        PREFIX + '"name": "Denied role creation", "tags": {"value": "Insider"}, "summary": {"Events": '
        '{"CreateRole": {"count": [""], "Error Code": ["AccessDenied"]}}, "IP": ["198.51.100.77"], '
        '"Location": '
        '["Frankfurt.lat", "Frankfurt.lon"], "Record Count": 3}, "source": "macie"}}',
        PREFIX + '"type": "Recon:IAMUser/MaliciousIPCaller", "service": {"serviceName": "guardduty", '
        '"additionalInfo": {"unusual": {"value": "s3:GetBucketPolicy"}}}, "severity": 5, "source": '
        '"guardduty"}}',
    ]
    # the envelope's id, time and account are lost; the raw record keeps them
    assert outcome.events[0].raw_record["detail-type"] == "Macie Alert"
    assert outcome.counters.records_read == 3 and outcome.counters.events_sent == 2
    assert outcome.counters.dropped == {'no "detail" key': 1}
    no_detail = outcome.problem("decode.no_detail")
    assert no_detail.finding.title == f"1 of 3 records in {KEY} have no 'detail' key"


def test_leading_zero_coordinates_are_rewritten_everywhere_with_the_first_match() -> None:
    second = CLASSIC.replace("050.11", "048.85").replace("008.68", "002.35").replace("Frankfurt", "Paris")
    outcome = decode((CLASSIC + second).encode(), KEY, "custom")
    # the module substitutes every match with the first one's numbers: Paris gets Frankfurt's coordinates
    assert [event.raw_record["detail"]["summary"]["Location"] for event in outcome.events] == [
        {"Frankfurt": {"lat": 50.11, "lon": 8.68}}, {"Paris": {"lat": 50.11, "lon": 8.68}}]


def test_sample_macie_findings_reshaped() -> None:
    entry = entry_named("custom_macie_findings")
    outcome = decode(sample_bytes(entry), render_key(entry["key_template"], WHEN), "custom", path="macie/")
    modern, classic = (event.message["aws"] for event in outcome.events)
    assert modern["type"] == "Policy:IAMUser/S3BlockPublicAccessDisabled" and modern["source"] == "macie"
    assert "trigger" not in classic
    assert classic["summary"]["Timestamps"] == ["2019-03-11T15:58:02.000000Z", "2019-03-11T15:59:10.000000Z"]
    assert classic["summary"]["Location"] == ["Frankfurt am Main.lat", "Frankfurt am Main.lon"]


def test_objects_without_detail_are_read_but_none_sent() -> None:
    entry = entry_named("custom_no_detail")
    outcome = decode(sample_bytes(entry), render_key(entry["key_template"], WHEN), "custom", path="cwlogs/")
    assert outcome.events == [] and outcome.counters.records_read == 2 and outcome.counters.events_sent == 0
    assert outcome.counters.freeze().sentence() == (
        '2 records read, 0 would be sent (2 dropped: no "detail" key)')


def test_pretty_printed_json_fails_after_the_first_object() -> None:
    entry = entry_named("custom_pretty_printed")
    key = render_key(entry["key_template"], WHEN)
    outcome = decode(sample_bytes(entry), key, "custom", path="macie/")
    assert len(outcome.events) == 1 and outcome.counters.events_sent == 0
    assert outcome.problem("decode.parse_failed").finding.evidence[0] == (
        f"ERROR: Failed to parse file {key}: JSONDecodeError('Expecting value: line 1 column 1 (char 0)')")


def test_json_lines_and_a_trailing_newline_fail_the_same_way() -> None:
    assert decode((GUARDDUTY + "\n").encode(), KEY, "custom").ids == ["decode.parse_failed"]
    assert decode((GUARDDUTY + "\n" + GUARDDUTY).encode(), KEY, "custom").ids == ["decode.parse_failed"]


def test_detail_without_source_is_an_unknown_error() -> None:
    missing = GUARDDUTY.replace('"source":"aws.guardduty",', "")
    problem = decode((GUARDDUTY + missing).encode(), KEY, "custom").problem("decode.unknown_error")
    assert problem.finding.evidence[0] == (
        f"ERROR: Unknown error reading/parsing file {KEY}: KeyError('source')")


def test_text_that_does_not_start_with_a_brace_becomes_flow_records() -> None:
    line = b"2 123456789012 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 40 1715674800 1715674860 ACCEPT OK\n"
    outcome = decode(line, KEY, "custom")
    assert outcome.payloads == [
        PREFIX + '"version": "", "account_id": "123456789012", "interface_id": "eni-1", "srcaddr": '
                 '"10.0.0.1", '
        '"dstaddr": "10.0.0.2", "srcport": "1", "dstport": "2", "protocol": "6", "packets": "1", "bytes": '
        '"40", '
        '"start": "1715674800", "end": "1715674860", "action": "ACCEPT", "log_status": "OK", "source": '
        '"vpc"}}']
    assert outcome.ids == ["decode.custom_not_json"]


def test_snappy_is_refused_and_skip_on_error_falls_through() -> None:
    key = KEY + ".snappy"
    refused = decode(b"anything", key, "custom").problem("decode.snappy_unsupported")
    assert refused.finding.wazuh_exit_code == 8 and refused.stops_run
    assert refused.finding.evidence[0] == (
        f"ERROR: Couldn't decompress the {key} file, snappy compression is not supported.")
    skipped = decode(b"anything", key, "custom", skip_on_error=True, profile=V4) \
        .problem("decode.snappy_unsupported")
    assert skipped.error_payload == (
        '1:Wazuh-AWS:{"integration": "aws", "aws": {"log_info": {"aws_account_alias": "", "log_file": "' + key
        + '", "s3bucket": "acme-logs"}}, "error_msg": "Unknown error reading/parsing file ' + key
        + ": AttributeError('__enter__')\"}")
    newer = decode(b"anything", key, "custom", skip_on_error=True, profile=V5) \
        .problem("decode.snappy_unsupported")
    assert "Failed to decompress file" in (newer.error_payload or "")


def test_discard_regex_uses_the_detail_body() -> None:
    outcome = decode((GUARDDUTY + CLASSIC).encode(), KEY, "custom", discard_field="service.serviceName",
                     discard_regex="guard")
    assert [event.discarded_by is not None for event in outcome.events] == [True, False]
    assert outcome.counters.events_sent == 1 and outcome.counters.discarded == 1
