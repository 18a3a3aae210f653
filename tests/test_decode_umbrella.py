"""Cisco Umbrella: the columns come from the bucket path; a path without a log kind exits 12."""

from __future__ import annotations

from datetime import datetime

from diagnostics.decode.umbrella import DNS_FIELDS, IP_FIELDS, PROXY_FIELDS
from tests.decode_helpers import decode
from tests.sample_objects import entry_named, render_key, sample_bytes

KEY = "umbrella/iplogs/2024-05-14/2024-05-14-10-15-e5f6.csv.gz"


def test_column_counts() -> None:
    assert (len(DNS_FIELDS), len(PROXY_FIELDS), len(IP_FIELDS)) == (13, 23, 7)


def test_ip_log_byte_for_byte() -> None:
    line = b'"2024-05-14 10:15:01","ACME HQ","10.0.1.25","51432","198.51.100.77","4444","Malware"\n'
    outcome = decode(line, KEY, "cisco_umbrella", gz=True, path="umbrella/iplogs/")
    assert outcome.payloads == [
        '1:Wazuh-AWS:{"integration": "aws", "aws": {"log_info": {"aws_account_alias": "", "log_file": "' + KEY
        + '", "s3bucket": "acme-logs"}, "timestamp": "2024-05-14 10:15:01", "identity": "ACME HQ", '
          '"source_ip": '
        '"10.0.1.25", "source_port": "51432", "destination_ip": "198.51.100.77", "destination_port": "4444", '
        '"categories": "Malware", "source": "cisco_umbrella"}}'
    ]


def test_missing_columns_are_dropped_and_extra_ones_land_under_null() -> None:
    short = decode(b'"2024-05-14 10:15:01","ACME HQ"\n', KEY, "cisco_umbrella", gz=True, path="iplogs/")
    assert list(short.events[0].message["aws"])[1:] == ["timestamp", "identity", "source"]
    entry = entry_named("umbrella_dnslogs")
    key = render_key(entry["key_template"], datetime(2024, 5, 14))
    dns = decode(sample_bytes(entry), key, "cisco_umbrella", path=entry["path"])
    assert dns.events[1].message["aws"][None] == ["", "DE", "8212371"]
    assert dns.events[1].message["aws"]["blocked_categories"] == ""  # empty fields stay ""


def test_proxy_sample() -> None:
    entry = entry_named("umbrella_proxylogs")
    outcome = decode(sample_bytes(entry), render_key(entry["key_template"], datetime(2024, 5, 14)),
                     "cisco_umbrella", path=entry["path"])
    assert outcome.events[0].summary.outcome == "BLOCKED"
    assert outcome.events[0].message["aws"]["amp_malware_name"] == "W32.Example.Trojan"


def test_path_without_log_kind_exits_12_even_with_skip_on_error() -> None:
    outcome = decode(b"x\n", KEY, "cisco_umbrella", gz=True, path="umbrella/", skip_on_error=True)
    problem = outcome.problem("decode.umbrella_path")
    assert problem.finding.wazuh_exit_code == 12 and problem.stops_run
    assert problem.finding.evidence[0] == (
        "ERROR: Only 'dnslogs', 'proxylogs' or 'iplogs' are allowed for Cisco Umbrella")
