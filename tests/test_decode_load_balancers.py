"""ALB/CLB/NLB access logs: the module's field lists, ip:port splits and the "null" key for extra fields."""

from __future__ import annotations

from datetime import datetime

from diagnostics.decode.load_balancers import ALB_FIELDS, CLB_FIELDS, NLB_FIELDS
from tests.decode_helpers import decode
from tests.sample_objects import entry_named, render_key, sample_bytes

ALB_KEY = ("AWSLogs/123456789012/elasticloadbalancing/us-east-1/2024/05/14/123456789012_elasticloadbalancing_"
           "us-east-1_app.web-alb.50dc6c495c0c9188_20240514T1015Z_203.0.113.20_2xq9a8b7.log.gz")
NLB_KEY = ALB_KEY.replace("app.web-alb.50dc6c495c0c9188", "net.web-nlb.3a1b2c3d4e5f6a7b")
NO_TARGET = ('https 2024-05-14T10:15:02.554321Z app/web-alb/50dc6c495c0c9188 198.51.100.77:51433 - -1 -1 -1 '
             '502 - '
             '240 277 "GET https://shop.example.com:443/x HTTP/1.1" "curl/8.5.0" ECDHE-RSA-AES128-GCM-SHA256 '
             'TLSv1.2 '
             'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/73e2d6bc24d8a067 '
             '"Root=1-6643a1fa-2b3c4d5e" "shop.example.com" "-" 1 2024-05-14T10:15:02.550000Z "forward" "-" '
             '"TargetConnectionError" "-" "-" "-" "-" TID_2b3c4d5e\n')
TWO_TARGETS = ('h2 2024-05-14T10:15:03.000111Z app/web-alb/50dc6c495c0c9188 203.0.113.10:49830 10.0.2.30:80 '
               '0.000 '
               '0.031 0.000 200 200 612 2210 "POST https://shop.example.com:443/api HTTP/2.0" "Mozilla/5.0" '
               'ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:123456789012:'
               'targetgroup/web-tg/73e2d6bc24d8a067 "Root=1-6643a1fb-3c4d" "shop.example.com" "-" 2 '
               '2024-05-14T10:15:02.968000Z "forward" "-" "-" "10.0.2.30:80 10.0.1.25:80" "200 -" "-" "-" '
               'TID_3c4d5e6f\n')


def test_field_lists_have_the_modules_lengths() -> None:
    assert (len(ALB_FIELDS), len(CLB_FIELDS), len(NLB_FIELDS)) == (29, 15, 20)
    assert ALB_FIELDS[-1] == "classification_reason" and "alpn_be_protocol" not in NLB_FIELDS


def test_alb_without_target_byte_for_byte_with_the_null_key() -> None:
    outcome = decode(NO_TARGET.encode(), ALB_KEY, "alb", gz=True)
    assert outcome.payloads == [
        '1:Wazuh-AWS:{"integration": "aws", "aws": {"log_info": {"aws_account_alias": "", "log_file": "'
        + ALB_KEY
        + '", "s3bucket": "acme-logs"}, "type": "https", "time": "2024-05-14T10:15:02.554321Z", "elb": '
        '"app/web-alb/50dc6c495c0c9188", "client_port": "51433", "target_port": "-", '
        '"request_processing_time": '
        '"-1", "target_processing_time": "-1", "response_processing_time": "-1", "elb_status_code": "502", '
        '"target_status_code": "-", "received_bytes": "240", "sent_bytes": "277", "request": '
        '"GET https://shop.example.com:443/x HTTP/1.1", "user_agent": "curl/8.5.0", "ssl_cipher": '
        '"ECDHE-RSA-AES128-GCM-SHA256", "ssl_protocol": "TLSv1.2", "target_group_arn": '
        '"arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/73e2d6bc24d8a067", '
        '"trace_id": '
        '"Root=1-6643a1fa-2b3c4d5e", "domain_name": "shop.example.com", "chosen_cert_arn": "-", '
        '"matched_rule_priority": "1", "request_creation_time": "2024-05-14T10:15:02.550000Z", '
        '"action_executed": '
        '"forward", "redirect_url": "-", "error_reason": "TargetConnectionError", "target_port_list": "-", '
        '"target_status_code_list": "-", "classification": "-", "classification_reason": "-", "null": '
        '"TID_2b3c4d5e", "source": "alb", "client_ip": "198.51.100.77"}}'
    ]
    debug = outcome.events[0].debug_lines
    assert (1, "Unable to process correctly ABL log entry, for field target_port.") in debug
    assert (1, "Unable to process correctly ABL log entry, for field target_port_list.") in debug
    entry_repr = [text for level, text in debug if level == 2 and text.startswith("Log Entry: ")]
    assert entry_repr[0].endswith("None: ['TID_2b3c4d5e'], 'source': 'alb', 'client_ip': '198.51.100.77'}")


def test_alb_target_list_splits_into_ports_and_addresses() -> None:
    aws = decode(TWO_TARGETS.encode(), ALB_KEY, "alb", gz=True).events[0].message["aws"]
    assert (aws["target_port_list"], aws["target_ip_list"]) == ("80 80", "10.0.2.30 10.0.1.25")
    assert list(aws)[-3:] == ["client_ip", "target_ip", "target_ip_list"]


def test_alb_short_row_fails_after_all_rows_are_read() -> None:
    outcome = decode(("https 2024-05-14T10:15:02Z app/x 1.2.3.4:5\n" + TWO_TARGETS).encode(), ALB_KEY, "alb",
                     gz=True)
    assert outcome.problem("decode.unknown_error").finding.evidence[0].endswith(
        "AttributeError(\"'NoneType' object has no attribute 'split'\")")


def test_nlb_destination_without_port_makes_the_client_ip_the_port() -> None:
    line = ("tls 2.0 2024-05-14T10:15:04 net/web-nlb/3a1b2c3d4e5f6a7b 7e1f2a3b 198.51.100.77:51440 10.0.1.25 "
            "1 - 0 0 "
            "- - - - - - - - - -\n")
    aws = decode(line.encode(), NLB_KEY, "nlb", gz=True).events[0].message["aws"]
    assert (aws["client_ip"], aws["client_port"], aws["destination_ip"]) == ("51440", "51440", "10.0.1.25")
    assert aws[None] == "-"  # one extra column, flattened from a one-element list


def test_nlb_sample_shifts_after_the_missing_alpn_be_protocol() -> None:
    entry = entry_named("nlb_access_log")
    aws = decode(sample_bytes(entry), render_key(entry["key_template"], datetime(2024, 5, 14)), "nlb") \
        .events[0].message["aws"]
    assert aws["alpn_client_preference_list"] == "h2"  # really alpn_be_protocol
    assert aws[None] == ['h2,"http/1.1"', "2024-05-14T10:15:01"]
    assert (aws["client_ip"], aws["client_port"]) == ("203.0.113.10", "49822")


def test_clb_sample_keeps_fifteen_fields() -> None:
    entry = entry_named("clb_access_log")
    outcome = decode(sample_bytes(entry), render_key(entry["key_template"], datetime(2024, 5, 14)), "clb")
    first = outcome.events[0].message["aws"]
    assert list(first)[1:16] == list(CLB_FIELDS) and first["source"] == "clb"
    assert outcome.events[1].summary.outcome == "504"
