"""Loading ossec.conf: structure with file:line, Wazuh's reader quirks, and never raising on any input."""

from __future__ import annotations

import socket
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagnostics.configuration.loader import OssecConfig, load_config
from diagnostics.configuration.rules import validate
from diagnostics.configuration.xml_reader import read_tolerant, strict_xml_problem
from diagnostics.explanations import all_explanations
from diagnostics.findings import Status
from diagnostics.wazuh.versions import profile_for
from tests.unreadable import unreadable_file

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "ossec"
NOW = datetime(2025, 1, 1, tzinfo=timezone.utc)


def write(tmp_path: Path, text: str | bytes, name: str = "ossec.conf") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def ids(config: OssecConfig) -> list[str]:
    return [finding.check_id for finding in config.findings]


def test_healthy_sample_structure_and_lines() -> None:
    config = load_config(SAMPLES / "healthy.conf")
    assert config.findings == () and not config.xml_fatal
    assert len(config.wodles) == 1
    wodle = config.wodles[0]
    assert wodle.location.line == 30 and wodle.value("interval") == "10m"
    assert [block.label for block in wodle.blocks] == [
        "bucket wazuh-demo-cloudtrail (cloudtrail)", "bucket wazuh-demo-vpcflow (vpcflow)",
        "bucket wazuh-demo-config (config)", "bucket wazuh-demo-waf (waf)", "service (cloudwatchlogs)"]
    trail = config.find_bucket("wazuh-demo-cloudtrail")
    assert trail is not None and trail.location.line == 36
    assert trail.line_of("regions").line == 44 and trail.value("aws_account_alias") == "prod"
    assert trail.discard_regex is not None
    assert trail.discard_regex.attributes == {"field": "eventName"} and trail.discard_regex.line == 45
    assert config.wodle_sources[0].root == "ossec_config"
    assert config.block_sources[(0, 0)].attributes == (("type", "cloudtrail"),)


def test_several_roots_junk_comments_and_agent_config(tmp_path: Path) -> None:
    path = write(tmp_path, (
        "garbage before\n<ossec_config><global/></ossec_config>\n stray text & more\n"
        "<!-- <wodle name=\"aws-s3\"><bucket type=\"cloudtrail\"/></wodle> -->\n"
        "<agent_config os=\"Linux\">\n  <wodle name=\"aws-s3\">\n    <bucket type=\"vpcflow\">\n"
        "      <name> wazuh-demo-vpcflow </name>\n    </bucket>\n  </wodle>\n</agent_config>\n"))
    config = load_config(path)
    assert len(config.wodles) == 1 and config.wodle_sources[0].root == "agent_config"
    block = config.wodles[0].blocks[0]
    assert block.name == "wazuh-demo-vpcflow" and block.line_of("name").line == 8
    assert "config.xml_not_wellformed" in ids(config)  # a raw '&' is fine for Wazuh, not for XML tools


def test_crlf_keeps_line_numbers_and_latin1_is_reported() -> None:
    config = load_config(SAMPLES / "crlf_latin1.conf")
    finding = next(item for item in config.findings if item.check_id == "config.file_not_utf8")
    assert finding.status is Status.WARNING and finding.location is not None and finding.location.line == 1
    assert "0xf3" in finding.title
    block = config.wodles[0].blocks[0]
    assert block.location.line == 7 and block.line_of("aws_profile").line == 9
    assert block.value("aws_profile") == "wazuh-reader"


def test_entities_are_kept_raw_like_wazuh(tmp_path: Path) -> None:
    path = write(tmp_path, '<ossec_config><wodle name="aws-s3"><bucket type="custom">'
                           "<name>b</name><path>a&amp;b</path></bucket></wodle></ossec_config>")
    assert load_config(path).wodles[0].blocks[0].value("path") == "a&amp;b"


def test_legacy_bucket_gets_top_level_keys_and_alias(tmp_path: Path) -> None:
    config = load_config(SAMPLES / "legacy_bucket.conf")
    block = config.wodles[0].blocks[0]
    assert block.block_type is None and block.name == "wazuh-demo-legacy"
    assert block.value("aws_account_alias") == "LEGACY" and block.line_of("access_key").line == 6
    assert config.block_sources[(0, 0)].legacy


def test_bad_xml_reports_wazuh_error_with_line() -> None:
    config = load_config(SAMPLES / "bad_xml.conf", now=NOW)
    finding = next(item for item in config.findings if item.check_id == "config.xml_malformed")
    assert finding.status is Status.ERROR and finding.location is not None and finding.location.line == 8
    assert config.xml_fatal
    assert finding.ossec_log == ("2025/01/01 00:00:00 wazuh-modulesd: ERROR: (1226): Error reading XML file "
                                 "'etc/ossec.conf': XMLERR: Element 'aws_profile' not closed. (line 8).",)
    assert config.wodles, "the tolerant reader still extracts the wodle"


def test_invalid_root_is_error_1230() -> None:
    config = load_config(SAMPLES / "invalid_root.conf")
    finding = next(item for item in config.findings if item.check_id == "config.invalid_root")
    assert "(1230): Invalid element in the configuration: 'wodle'." in finding.ossec_log[0]
    assert finding.location is not None and finding.location.line == 12
    assert "config.wodle_misplaced" in ids(config) and len(config.wodles) == 1


@pytest.mark.parametrize(("text", "message"), [
    ("<ossec_config><a></b></ossec_config>", "XMLERR: Element 'a' not closed."),
    ("</ossec_config>", "XMLERR: Element not opened."),
    ("<ossec_config><!-- open", "XMLERR: Comment not closed."),
    ("<ossec_config><a x=1></a></ossec_config>", "XMLERR: Attribute 'x' not followed by a \" or '."),
    ('<ossec_config><a x="1" x="2"></a></ossec_config>', "XMLERR: Attribute 'x' already defined."),
    ("<ossec_config><a>", "XMLERR: End of file and some elements were not closed."),
    ("<ossec_config><a flag></a></ossec_config>", "XMLERR: Attribute 'flag' has no value."),
])
def test_wazuh_reader_errors(text: str, message: str) -> None:
    first = read_tolerant(text).first_fatal
    assert first is not None and first.message == message


def test_entity_bomb_is_never_expanded() -> None:
    started = time.monotonic()
    config = load_config(SAMPLES / "entity_bomb.conf")
    assert time.monotonic() - started < 2
    assert config.wodles[0].blocks[0].value("name") == "&lol9;"
    assert "config.xml_declaration_ignored" in ids(config)
    problem = strict_xml_problem((SAMPLES / "entity_bomb.conf").read_text())
    assert problem is not None and not problem.fatal


def test_deep_nesting_is_bounded() -> None:
    document = read_tolerant("<a>" * 5000 + "</a>" * 5000)
    assert document.first_fatal is not None
    assert document.first_fatal.message == "XMLERR: Max recursion level reached"


def test_missing_file_directory_and_special_file(tmp_path: Path) -> None:
    missing = load_config(tmp_path / "nope.conf")
    assert ids(missing) == ["config.file_missing"] and missing.findings[0].status is Status.ERROR
    assert "XMLERR: File 'etc/ossec.conf' not found." in missing.findings[0].ossec_log[0]
    assert ids(load_config(tmp_path)) == ["config.file_is_directory"]
    sock_path = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(sock_path))
        special = load_config(sock_path)
    finally:
        server.close()
    assert ids(special) == ["config.file_unreadable"]


def test_permission_denied(tmp_path: Path) -> None:
    path = unreadable_file(tmp_path / "ossec.conf", "<ossec_config/>")
    config = load_config(path)
    assert ids(config) == ["config.file_unreadable"] and "permission denied" in config.findings[0].title


def test_nul_bytes_are_reported(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, b"<ossec_config>\n\x00</ossec_config>"))
    finding = next(item for item in config.findings if item.check_id == "config.file_nul_bytes")
    assert finding.location is not None and finding.location.line == 2


HEALTHY = (SAMPLES / "healthy.conf").read_bytes()
V4 = profile_for((4, 14, 7), "test")


def _answers_any_input(tmp_path: Path, data: bytes) -> None:
    """Any bytes load and validate, and every answer is a finding the explanations table explains."""
    path = tmp_path / "fuzz.conf"
    path.write_bytes(data)
    config = load_config(path, now=NOW)
    load_failed = any(finding.status is Status.ERROR for finding in config.findings)
    assert load_failed or not config.xml_fatal, "a fatal XML problem is reported as an error"
    known = all_explanations()
    for profile in (V4, profile_for((5, 0, 1), "test")):
        for debug in (0, 2):
            findings = validate(config, profile, debug_level=debug, now=NOW)
            answered = (*config.findings, *findings)
            assert answered, "every input gets an answer (ok, a warning or an error)"
            for finding in answered:
                assert isinstance(finding.status, Status) and finding.title and finding.check_id
                assert finding.failure_id is None or finding.failure_id in known, finding.failure_id
                assert finding.status is not Status.ERROR or finding.explanation, finding.check_id
            if not config.wodles:
                assert [finding.check_id for finding in findings] == ([] if load_failed else ["config.no_wodle"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise(tmp_path: Path, data: bytes) -> None:
    _answers_any_input(tmp_path, data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, len(HEALTHY)), st.integers(0, 40),
                          st.sampled_from([b"", b"<", b">", b"/", b'"', b"&", b"\\", b" ", b"\x00", b"\xff",
                                           b"<bucket>", b"</wodle>", b"<name>", b"<!--", b"]]>", b"\r\n"])),
                min_size=1, max_size=8))
def test_mangled_healthy_config_answers_any_input(tmp_path: Path, edits: list[tuple[int, int, bytes]]) -> None:
    data = bytearray(HEALTHY)
    for position, length, insert in edits:
        data[position:position + length] = insert
    _answers_any_input(tmp_path, bytes(data))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.recursive(st.text(max_size=20), lambda inner: st.builds(
    lambda tag, attrs, body: f"<{tag}{attrs}>{body}</{tag}>",
    st.sampled_from(["ossec_config", "wodle", "bucket", "service", "subscriber", "name", "path", "regions",
                     "discard_regex", "interval", "x"]),
    st.sampled_from(["", ' name="aws-s3"', ' type="cloudtrail"', ' type="security_lake"', ' field="a.b"',
                     ' type="inspector"', " bad"]),
    st.lists(inner, max_size=4).map("".join)), max_leaves=30))
def test_random_structures_never_raise(tmp_path: Path, text: str) -> None:
    _answers_any_input(tmp_path, text.encode("utf-8", errors="replace"))
