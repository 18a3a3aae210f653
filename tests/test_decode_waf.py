"""WAF: headers reduced to the 43 standard names, several events per line, per-line skip_on_error."""

from __future__ import annotations

import json
from datetime import datetime

from diagnostics.decode.waf import STANDARD_HTTP_HEADERS
from tests.decode_helpers import decode
from tests.sample_objects import entry_named, render_key, sample_bytes

KEY = "waf/2024/05/14/10/aws-waf-logs-shop-1-2024-05-14-10-15-01-2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e.gz"
BASENAME = KEY.rsplit("/", 1)[1]
EVENT = {"timestamp": 1715681400123, "action": "BLOCK", "terminatingRuleId": "AWS-AWSManagedRulesSQLiRuleSet",
         "ruleGroupList": [{"ruleGroupId": "AWS#SQLi", "terminatingRule": None}],
         "requestHeadersInserted": None,
         "httpRequest": {"clientIp": "198.51.100.77", "headers": [
             {"name": "Host", "value": "shop.example.com"}, {"name": "X-Scanner-Run", "value": "42"},
             {"name": "Cookie", "value": "session=4f1c2e"}, {"name": "cookie", "value": "tracking=off"},
             {"name": "User-Agent", "value": "sqlmap/1.7.2"}],
             "uri": "/products", "args": "id=1%20OR%201=1", "httpMethod": "GET"}}
LINE = json.dumps(EVENT, separators=(",", ":"))


def test_standard_header_list_is_the_modules_43_names() -> None:
    assert len(STANDARD_HTTP_HEADERS) == 43 and len(set(STANDARD_HTTP_HEADERS)) == 43
    assert {"a-im", "cookie", "x-forwarded-proto", "http2-settings"} <= set(STANDARD_HTTP_HEADERS)
    assert "x-real-ip" not in STANDARD_HTTP_HEADERS and "sec-fetch-mode" not in STANDARD_HTTP_HEADERS


def test_headers_become_a_dict_of_standard_names_byte_for_byte() -> None:
    outcome = decode((LINE + "\n").encode(), KEY, "waf", gz=True)
    assert outcome.payloads == [
        '1:Wazuh-AWS:{"integration": "aws", "aws": {"log_info": {"aws_account_alias": "", "log_file": "' + KEY
        + '", "s3bucket": "acme-logs"}, "timestamp": 1715681400123, "action": "BLOCK", "terminatingRuleId": '
        '"AWS-AWSManagedRulesSQLiRuleSet", "ruleGroupList": {"ruleGroupId": "AWS#SQLi", "terminatingRule": '
        'null}, '
        '"httpRequest": {"clientIp": "198.51.100.77", "headers": {"Host": "shop.example.com", "Cookie": '
        '"session=4f1c2e", "cookie": "tracking=off", "User-Agent": "sqlmap/1.7.2"}, "uri": "/products", '
        '"args": '
        '"id=1%20OR%201=1", "httpMethod": "GET"}, "source": "waf"}}'
    ]
    # the null inside the one-element list survived: None removal ran before the list was flattened
    assert "\"terminatingRule\": null" in outcome.payloads[0]
    assert outcome.events[0].raw_record["httpRequest"]["headers"][1]["name"] == "X-Scanner-Run"


def test_two_events_on_one_line() -> None:
    entry = entry_named("waf_firehose")
    outcome = decode(sample_bytes(entry), render_key(entry["key_template"], datetime(2024, 5, 14)), "waf")
    assert [event.line for event in outcome.events] == [1, 2, 2]
    assert [event.summary.outcome for event in outcome.events] == ["BLOCK", "ALLOW", "ALLOW"]


def test_bad_line_stops_the_object_without_skip_on_error() -> None:
    outcome = decode(f"{LINE}\nnot json\n{LINE}\n".encode(), KEY, "waf", gz=True)
    problem = outcome.problem("decode.waf_json")
    assert problem.finding.wazuh_exit_code == 9 and problem.stops_run and problem.line == 2
    assert problem.finding.evidence[0] == f"ERROR: Events from {BASENAME} file could not be loaded."
    assert outcome.counters.events_sent == 0


def test_bad_line_is_skipped_with_skip_on_error() -> None:
    outcome = decode(f"{LINE}\nnot json\n{LINE}\n".encode(), KEY, "waf", gz=True, skip_on_error=True)
    assert len(outcome.events) == 2 and outcome.counters.events_sent == 2
    problem = outcome.problem("decode.waf_json")
    assert problem.recoverable and not problem.stops_run and problem.finding.wazuh_exit_code is None


def test_event_without_headers_is_kept_with_skip_on_error_only() -> None:
    stopped = decode(b'{"a":1}\n', KEY, "waf", gz=True)
    assert stopped.problem("decode.waf_structure").finding.evidence[0] == (
        f"ERROR: The {KEY} file doesn't have the expected structure.")
    assert stopped.counters.events_sent == 0
    kept = decode(b'{"a":1}\n', KEY, "waf", gz=True, skip_on_error=True)
    assert kept.payloads[0].endswith('"a": 1, "source": "waf"}}')


def test_whitespace_between_objects_is_a_json_error() -> None:
    assert decode(f"{LINE} {LINE}\n".encode(), KEY, "waf", gz=True).ids == ["decode.waf_json"]
