"""The envelope, the common reformatting, the wire payload and discard_regex, each against the module's "
"rules."""

from __future__ import annotations

import json
from typing import Any

import pytest

from diagnostics.decode.discard import compile_rule
from diagnostics.decode.envelope import (
    MAX_EVENT_SIZE,
    build_message,
    common_reformat,
    is_oversized,
    payload_for,
    payload_size,
)
from tests.decode_helpers import decode

KEY = ("AWSLogs/123456789012/CloudTrail/us-east-1/2024/05/14/"
       "123456789012_CloudTrail_us-east-1_20240514T0805Z_Ab3dE5fG7hJ9kL1m.json.gz")


def test_key_order_and_none_removal() -> None:
    record: dict[str, Any] = {"b": 1, "a": None, "nested": {"x": None, "y": {"z": None}}, "items": [None],
                              "source": "cloudtrail"}
    message = build_message("bucket", "key", "alias", record, account_id="123456789012")
    assert json.dumps(message) == (
        '{"integration": "aws", "aws": {"log_info": {"aws_account_alias": "alias", "log_file": "key", '
        '"s3bucket": '
        '"bucket"}, "b": 1, "nested": {"y": {}}, "items": [null], "source": "cloudtrail", "aws_account_id": '
        '"123456789012"}}')


def test_record_keys_overwrite_in_place() -> None:
    message = build_message("bucket", "key", "", {"aws_account_id": "x", "log_info": "mine", "source": "s"},
                            account_id="123456789012")
    assert list(message["aws"]) == ["log_info", "aws_account_id", "source"]
    assert message["aws"]["log_info"] == "mine" and message["aws"]["aws_account_id"] == "123456789012"


def test_error_envelope_shape() -> None:
    message = build_message("bucket", "key", "", None, account_id="123456789012", error_msg="boom")
    assert json.dumps(message) == ('{"integration": "aws", "aws": {"log_info": {"aws_account_alias": "", '
                                   '"log_file": "key", "s3bucket": "bucket"}, "aws_account_id": '
                                   '"123456789012"}, '
                                   '"error_msg": "boom"}')


def test_flattening_is_shallow_per_replacement() -> None:
    message = {"integration": "aws", "aws": {"log_info": {}, "one": [{"inner": [1]}], "two": [1, 2],
                                             "deep": {"list": ["x"]}, "sourceIPAddress": "10.1.2.3",
                                             "tags": ["a", "b"]}}
    common_reformat(message)
    aws = message["aws"]
    assert aws["one"] == {"inner": [1]} and aws["two"] == [1, 2] and aws["deep"] == {"list": "x"}
    assert aws["source_ip_address"] == "10.1.2.3" and aws["tags"] == {"value": ["a", "b"]}


@pytest.mark.parametrize(("address", "copied"), [
    ("10.1.2.3", True), ("10.1x2y3", True), ("10x1.2.3", False), ("2001:db8::1", False),
    ("s3.amazonaws.com", False),
    ("AWS Internal", False), ("1.2.3.4.example.com", True)])
def test_source_ip_copy_uses_the_modules_loose_regex(address: str, copied: bool) -> None:
    message = {"integration": "aws", "aws": {"sourceIPAddress": address}}
    assert ("source_ip_address" in common_reformat(message)["aws"]) is copied


def test_payload_uses_default_separators_and_str_for_odd_values() -> None:
    assert payload_for({"a": [1, 2], "b": {"c": 1.5}}) == '1:Wazuh-AWS:{"a": [1, 2], "b": {"c": 1.5}}'
    assert payload_for({"é": "ü"}) == '1:Wazuh-AWS:{"\\u00e9": "\\u00fc"}'
    assert payload_for({None: 1}) == '1:Wazuh-AWS:{"null": 1}'


def test_oversize_boundary() -> None:
    assert MAX_EVENT_SIZE == 65535
    assert not is_oversized(65535) and is_oversized(65536)
    body = "x" * (65535 - len('1:Wazuh-AWS:{"k": ""}'))
    assert payload_size(payload_for({"k": body})) == 65535
    assert payload_size(payload_for({"k": body + "x"})) == 65536


RECORD = {"eventName": "ConsoleLogin", "userIdentity": {"userName": "alice"},
          "resources": [{"ARN": "arn:aws:iam::1:user/a"}, {"ARN": "arn:aws:s3:::b"}],
          "nested": {"items": [{"deep": {"v": "hit"}}]}, "count": 5, "flags": ["alpha", "beta"]}


@pytest.mark.parametrize(("field", "regex", "skipped"), [
    ("eventName", "Console", True),
    ("eventName", "Login", False),  # re.match is anchored at the start
    ("eventName", ".*Login$", True),
    ("userIdentity.userName", "ali", True),
    ("userIdentity.missing", ".*", False),  # a missing field keeps the event
    ("resources.ARN", "arn:aws:s3", True),  # any list element may match
    ("nested.items.deep.v", "hit", False),  # inside a list only one more level is looked at...
    ("nested.items.deep", ".*", False),  # ...and a dict never matches
    ("count", "5", False),  # numbers never match
    ("flags", "be", True),  # a list value matches when any element does
    (None, ".*", False),  # no field: nothing is discarded
])
def test_discard_rules(field: str | None, regex: str, skipped: bool) -> None:
    assert compile_rule(field, regex).matches(RECORD) is skipped


def test_unset_regex_compiles_to_the_text_none() -> None:
    rule = compile_rule("eventName", None)
    assert rule.pattern.pattern == "None"
    assert rule.matches({"eventName": "NoneSuch"}) and not rule.matches({"eventName": "ConsoleLogin"})
    assert compile_rule(None, None).kept_line() == (
        '+++ The "None" regex did not find a match in the "None" field. The event will be processed.')


def test_discarded_events_are_marked_with_their_debug_line() -> None:
    data = json.dumps({"Records": [RECORD, dict(RECORD, eventName="CreateRole")]}).encode()
    outcome = decode(data, KEY, "cloudtrail", gz=True, discard_field="eventName", discard_regex="Console")
    kept, skipped = outcome.events[1], outcome.events[0]
    assert skipped.discarded_by == "discard_regex 'Console' matched field 'eventName'" and not skipped.sent
    assert (2, '+++ The "Console" regex found a match in the "eventName" field. The event will be skipped.') \
        in skipped.debug_lines
    assert kept.sent and (3, "++ Reformat message") in kept.debug_lines
    assert outcome.counters.discarded == 1 and outcome.counters.events_sent == 1


def test_invalid_regex_is_reported_like_the_modules_start_up_failure() -> None:
    outcome = decode(b"{}", KEY, "cloudtrail", gz=True, discard_field="a", discard_regex="(")
    problem = outcome.problem("decode.invalid_discard_regex")
    assert problem.finding.wazuh_exit_code == 12 and problem.stops_run
    assert "missing ), unterminated subpattern" in problem.finding.title
