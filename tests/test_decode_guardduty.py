"""GuardDuty: native JSON lines split per portProbeDetails (skipping the common reformat), Firehose by "
"version."""

from __future__ import annotations

import json
from datetime import datetime

from tests.decode_helpers import V4, V5, decode
from tests.sample_objects import entry_named, render_key, sample_bytes

KEY = "AWSLogs/123456789012/GuardDuty/us-east-1/2024/05/14/6b8c2f1d-3e5a-37b9-9c4d-1e2f3a4b5c6d.jsonl.gz"
PREFIX = ('1:Wazuh-AWS:{"integration": "aws", "aws": {"log_info": {"aws_account_alias": "", "log_file": "'
          + KEY + '", "s3bucket": "acme-logs"}, ')
NICS = '"resource": {"instanceDetails": {"networkInterfaces": '


def probe(finding_id: str, *details: tuple[int, str]) -> dict[str, object]:
    return {"id": finding_id, "type": "Recon:EC2/PortProbeUnprotectedPort",
            "resource": {"instanceDetails": {"networkInterfaces": [{"privateIpAddress": "10.0.1.25"}]}},
            "service": {"serviceName": "guardduty", "action": {
                "actionType": "PORT_PROBE", "portProbeAction": {
                "blocked": False, "portProbeDetails": [
                    {"localPortDetails": {"port": port}, "remoteIpDetails": {"ipAddressV4": address}}
                    for port, address in details]}}},
            "severity": 2}


def jsonl(*findings: object) -> bytes:
    return "".join(json.dumps(item) + "\n" for item in findings).encode()


def test_split_events_skip_flattening_while_a_single_detail_is_flattened() -> None:
    split = probe("a4c7", (22, "198.51.100.77"), (3389, "198.51.100.78"))
    single = probe("b5d8", (80, "192.0.2.201"))
    outcome = decode(jsonl(split, single), KEY, "guardduty", gz=True)
    action = ('"service": {"serviceName": "guardduty", "action": {"actionType": "PORT_PROBE", '
              '"portProbeAction": '
              '{"blocked": false, "portProbeDetails": {"localPortDetails": {"port": ')
    assert outcome.payloads == [
        PREFIX + '"id": "a4c7", "type": "Recon:EC2/PortProbeUnprotectedPort", ' + NICS
        + '[{"privateIpAddress": "10.0.1.25"}]}}, ' + action
        + '22}, "remoteIpDetails": {"ipAddressV4": "198.51.100.77"}}}}}, "severity": 2, "source": '
          '"guardduty"}}',
        PREFIX + '"id": "a4c7", "type": "Recon:EC2/PortProbeUnprotectedPort", ' + NICS
        + '[{"privateIpAddress": "10.0.1.25"}]}}, ' + action
        + '3389}, "remoteIpDetails": {"ipAddressV4": "198.51.100.78"}}}}}, "severity": 2, "source": '
          '"guardduty"}}',
        PREFIX + '"id": "b5d8", "type": "Recon:EC2/PortProbeUnprotectedPort", ' + NICS
        + '{"privateIpAddress": "10.0.1.25"}}}, ' + action
        + '80}, "remoteIpDetails": {"ipAddressV4": "192.0.2.201"}}}}}, "severity": 2, '
        '"source": "guardduty"}}',
    ]
    assert [event.record_index for event in outcome.events] == [0, 0, 1]
    assert [event.line for event in outcome.events] == [1, 1, 2]
    assert [event.summary.source_ip for event in outcome.events] == [
        "198.51.100.77", "198.51.100.78", "192.0.2.201"]
    assert outcome.counters.records_read == 2 and outcome.counters.events_sent == 3


def test_sample_native_export() -> None:
    entry = entry_named("guardduty_native")
    key = render_key(entry["key_template"], datetime(2024, 5, 14))
    outcome = decode(sample_bytes(entry), key, "guardduty")
    assert [event.summary.name for event in outcome.events] == ["Recon:EC2/PortProbeUnprotectedPort"] * 4 + [
        "UnauthorizedAccess:EC2/SSHBruteForce"]
    assert outcome.problems == []


def test_blank_line_and_missing_service_name() -> None:
    blank = decode(jsonl(probe("a", (22, "x"))) + b"\n", KEY, "guardduty", gz=True)
    assert blank.problem("decode.parse_failed").finding.evidence[0].endswith(
        "JSONDecodeError('Expecting value: line 2 column 1 (char 1)')")
    missing = decode(b'{"id": "x"}\n', KEY, "guardduty", gz=True)
    assert missing.problem("decode.unknown_error").finding.evidence[0].endswith("KeyError('service')")


def test_firehose_layout_is_custom_in_4x_and_refused_in_5x() -> None:
    entry = entry_named("guardduty_firehose")
    key = render_key(entry["key_template"], datetime(2024, 5, 14, 10, 3, 12))
    old = decode(sample_bytes(entry), key, "guardduty", path="guardduty/", profile=V4)
    assert old.ids == ["decode.guardduty_kinesis_deprecated"]
    assert len(old.events) == 4  # three probe details split, plus the recon finding
    # guardduty buckets use the base reformat, so the custom bucket's "unusual" wrapping does not apply
    recon = old.events[-1].message["aws"]["service"]["additionalInfo"]
    assert recon["unusual"] == "s3:GetBucketPolicy"
    new = decode(sample_bytes(entry), key, "guardduty", path="guardduty/", profile=V5)
    assert new.events == [] and new.ids == ["decode.guardduty_firehose_unsupported"]
    assert new.problems[0].finding.wazuh_exit_code == 12 and new.problems[0].stops_run
