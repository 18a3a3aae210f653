"""S3 server access logs: bracketed and quoted spans merged, only 24 names, the module's token quirks."""

from __future__ import annotations

from datetime import datetime

from diagnostics.decode.server_access import FIELDNAMES, split_access_line
from tests.decode_helpers import decode
from tests.sample_objects import entry_named, render_key, sample_bytes

KEY = "s3-access/2024-05-14-10-15-01-6E8D2F1C3B4A5968"
LINE = ('79a5 acme-public-assets [14/May/2024:10:15:01 +0000] 198.51.100.77 - 3E57 REST.GET.OBJECT a.txt '
        '"GET /a.txt HTTP/1.1" 403 AccessDenied 243 - 9 - "-" "curl/8.5.0" - Ks3p= SigV4 '
        'TLS_AES_128_GCM_SHA256 - '
        'acme.s3.amazonaws.com TLSv1.3 - "quoted last"\n')


def test_access_line_byte_for_byte_with_trailing_fields_lost() -> None:
    assert len(FIELDNAMES) == 24
    outcome = decode(LINE.encode(), KEY, "server_access")
    assert outcome.payloads == [
        '1:Wazuh-AWS:{"integration": "aws", "aws": {"log_info": {"aws_account_alias": "", "log_file": "' + KEY
        + '", "s3bucket": "acme-logs"}, "bucket_owner": "79a5", "bucket": "acme-public-assets", "time": '
        '"14/May/2024:10:15:01 +0000", "remote_ip": "198.51.100.77", "requester": "-", "request_id": "3E57", '
        '"operation": "REST.GET.OBJECT", "key": "a.txt", "request_uri": "GET /a.txt HTTP/1.1", '
        '"http_status": '
        '"403", "error_code": "AccessDenied", "bytes_sent": "243", "object_sent": "-", "total_time": "9", '
        '"turn_around_time": "-", "referer": "-", "user_agent": "curl/8.5.0", "version_id": "-", "host_id": '
        '"Ks3p=", "signature_version": "SigV4", "cipher_suite": "TLS_AES_128_GCM_SHA256", '
        '"authentication_type": '
        '"-", "host_header": "acme.s3.amazonaws.com", "tls_version": "TLSv1.3", "source": '
        '"s3_server_access"}}'
    ]
    assert outcome.events[0].summary.outcome == "403 AccessDenied"


def test_token_quirks() -> None:
    assert split_access_line("a  b c\n") == ["a"]  # an empty token ends the line
    assert split_access_line('a "b\n') == ["a", '"b']  # an unclosed quote at the end keeps its quote
    assert split_access_line("a 'b c\" d\n") == ["a", "b c", "d"]  # a single quote closes on a double quote
    assert split_access_line('x "-"\n') == ["x", '"-"']  # the newline hides the closing quote


def test_line_starting_with_a_space_is_an_unknown_error() -> None:
    problem = decode(b" a b\n", KEY, "server_access").problem("decode.unknown_error")
    assert problem.finding.evidence[0] == (
        f"ERROR: Unknown error reading/parsing file {KEY}: IndexError('list index out of range')")


def test_sample_log() -> None:
    entry = entry_named("server_access_log")
    outcome = decode(sample_bytes(entry), render_key(entry["key_template"], datetime(2024, 5, 14)),
                     "server_access", path="s3-access/")
    assert [event.summary.user for event in outcome.events] == ["-", "arn:aws:iam::123456789012:user/alice"]
    assert outcome.events[0].message["aws"]["tls_version"] == "TLSv1.3"
