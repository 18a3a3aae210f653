"""Bad input never crashes the doctor: ossec.conf, the AWS shared files, ossec.log and every decoder get
random, mangled, huge, deeply nested, entity-laden and non-UTF-8 input and answer with findings that name
the file (or key) and the position, within a bounded amount of memory; odd key and bucket names travel
through the CLI against moto unchanged."""

from __future__ import annotations

import functools
import gzip
import io
import json
import os
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagnostics.aws.aws_files import FileKind, read_aws_file
from diagnostics.checks import load_configuration
from diagnostics.configuration import loader as ossec_conf
from diagnostics.context import DoctorContext
from diagnostics.decode.model import BUCKET_TYPES, DecodeContext, DecodedEvent, FileProblem
from diagnostics.decode.registry import decode_object
from diagnostics.findings import Finding
from diagnostics.log_explainer.files import explain_log_file
from diagnostics.wazuh.versions import assumed_profile
from tests.conftest import admin_client
from tests.hardening_support import make_home, run_cli
from tests.hardening_support import ossec_conf as conf_with

T = TypeVar("T")
FUZZ = settings(max_examples=int(os.environ.get("BAD_INPUT_EXAMPLES", "25")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
MB = 1024 * 1024
PROFILE = assumed_profile()


def peak_bytes(work: Callable[[], T]) -> tuple[T, int]:
    """Run ``work`` under tracemalloc; returns its result and the peak of memory it allocated."""
    tracemalloc.start()
    try:
        result = work()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# -- ossec.conf -------------------------------------------------------------------------------------------------
TAGS = ("ossec_config", "agent_config", "wodle", "bucket", "service", "subscriber", "name", "path",
        "aws_profile", "regions", "only_logs_after", "discard_regex", "interval", "skip_on_error", "x-y", "a:b")
TEXT = st.lists(st.sampled_from([*"abc-_./ 019", "&amp;", "&lt;", "&#x41;", "&bogus;", "&", "<", ">", "\"", "'",
                                 "é", "\u202e", "\t", "\n", "\r\n", "]]>", "<!--", "-->"]), max_size=12).map("".join)


@st.composite
def elements(draw: st.DrawFn, depth: int = 0) -> str:
    tag = draw(st.sampled_from(TAGS))
    attributes = ""
    if draw(st.booleans()):
        name = draw(st.sampled_from(["name", "type", "field", "os", "type", "x"]))
        value = draw(st.sampled_from(["aws-s3", "cloudtrail", "custom", "", "a\"b", "eventName", "&amp;"]))
        attributes = f' {name}="{value}"'
    if depth > 3 or draw(st.integers(0, 3)) == 0:
        return f"<{tag}{attributes}>{draw(TEXT)}</{tag}>"
    children = draw(st.lists(elements(depth + 1), max_size=4))
    return f"<{tag}{attributes}>{draw(TEXT)}{''.join(children)}{draw(TEXT)}</{tag}>"


@st.composite
def mangled_configs(draw: st.DrawFn) -> bytes:
    prologue = draw(st.sampled_from(["", '<?xml version="1.0"?>\n', "\ufeff",
                                     '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n',
                                     '<!DOCTYPE x SYSTEM "file:///etc/passwd">\n']))
    body = "\n".join(draw(st.lists(elements(), min_size=1, max_size=3)))
    text = prologue + body
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    data = text.encode(draw(st.sampled_from(["utf-8", "latin-1", "utf-16"])), errors="replace")
    if draw(st.booleans()):
        cut = draw(st.integers(0, max(len(data) - 1, 0)))
        data = data[:cut] + draw(st.binary(max_size=6)) + data[cut:]
    if draw(st.booleans()) and data:
        data = data[: draw(st.integers(0, len(data)))]
    return data


def assert_names_the_file(findings: tuple[Finding, ...], path: Path, lines: int) -> None:
    for finding in findings:
        assert finding.title and finding.target
        location = finding.location
        if location is None or location.path != str(path):
            continue
        assert location.line is None or 0 <= location.line <= lines + 1, (finding.failure_id, location)


@FUZZ
@given(data=mangled_configs())
def test_random_and_mangled_configs_load_and_validate_without_raising(tmp_path_factory: pytest.TempPathFactory,
                                                                      data: bytes) -> None:
    home = tmp_path_factory.mktemp("wazuh")
    path = home / "ossec.conf"
    path.write_bytes(data)
    config, findings = load_configuration(DoctorContext(wazuh_home=home, config_path=path))
    assert config.path == str(path)
    assert_names_the_file(findings, path, data.count(b"\n") + data.count(b"\r"))
    for block in config.blocks:
        assert block.location.path == str(path) and (block.location.line or 0) >= 1


def test_deep_nesting_entities_nul_bytes_latin1_and_crlf_name_file_and_line(tmp_path: Path) -> None:
    cases: dict[str, tuple[bytes, str, int | None]] = {
        "deep": (b"<ossec_config>\n" + b"<a>" * 5000 + b"\n", "config.xml_malformed", None),
        "laughs": (b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                   b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n<ossec_config>'
                   b'<wodle name="aws-s3"><bucket type="custom"><name>&lol3;</name></bucket></wodle>'
                   b"</ossec_config>\n", "config.xml_declaration_ignored", 1),
        "nul": (b"<ossec_config>\n<global>\x00</global>\n</ossec_config>\n", "config.file_nul_bytes", 2),
        "latin1": ("<ossec_config>\n<!-- caf\u00e9 -->\n</ossec_config>\n".encode("latin-1"),
                   "config.file_not_utf8", 2),
    }
    for name, (data, failure_id, line) in cases.items():
        path = tmp_path / f"{name}.conf"
        path.write_bytes(data)
        (config, findings), peak = peak_bytes(lambda path=path: load_configuration(  # type: ignore[misc]
            DoctorContext(wazuh_home=tmp_path, config_path=path)))
        matching = [finding for finding in findings if finding.failure_id == failure_id]
        assert matching, f"{name}: {[finding.failure_id for finding in findings]}"
        assert matching[0].location is not None and matching[0].location.path == str(path)
        if line is not None:
            assert matching[0].location.line == line, name
        assert peak < 64 * MB, f"{name} used {peak / MB:.0f} MB"
        if name == "laughs":
            names = [block.name for block in config.blocks]
            assert names == ["&lol3;"], "entities are kept raw like Wazuh's reader, never expanded"

    crlf = tmp_path / "crlf.conf"
    crlf.write_bytes(conf_with('    <bucket type="cloudtrail">\n      <name>trail</name>\n    </bucket>\n')
                     .replace("\n", "\r\n").encode())
    config, _ = load_configuration(DoctorContext(wazuh_home=tmp_path, config_path=crlf))
    assert config.blocks[0].location.line == 6 and config.blocks[0].value("name") == "trail"


def test_a_config_over_the_size_cap_is_read_up_to_the_cap(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ossec_conf, "MAX_BYTES", 64 * 1024)
    path = tmp_path / "huge.conf"
    filler = "<!-- " + "x" * 90 + " -->\n"
    path.write_text("<ossec_config>\n" + filler * 2000 + "</ossec_config>\n")
    _, findings = load_configuration(DoctorContext(wazuh_home=tmp_path, config_path=path))
    too_large = [finding for finding in findings if finding.failure_id == "config.file_too_large"]
    assert too_large and too_large[0].location is not None and too_large[0].location.path == str(path)


def test_a_large_config_stays_within_a_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "large.conf"
    block = ('  <localfile>\n    <log_format>syslog</log_format>\n    <location>/var/log/app.log</location>\n'
             '  </localfile>\n  <!-- one of many -->\n')
    path.write_text("<ossec_config>\n" + block * (256 * 1024 // len(block)) + "</ossec_config>\n")
    load_configuration(DoctorContext(wazuh_home=tmp_path, config_path=tmp_path / "absent.conf"))  # imports
    _, peak = peak_bytes(lambda: load_configuration(DoctorContext(wazuh_home=tmp_path, config_path=path)))
    assert peak < 64 * MB, f"a 256 KB ossec.conf took {peak / MB:.0f} MB"


def test_a_small_config_needs_little_memory(tmp_path: Path) -> None:
    path = tmp_path / "small.conf"
    path.write_text(conf_with('    <bucket type="cloudtrail">\n      <name>trail</name>\n    </bucket>\n'))
    ossec_conf.load_config(path)
    _, peak = peak_bytes(lambda: ossec_conf.load_config(path))
    assert peak < 8 * MB, f"a {path.stat().st_size}-byte ossec.conf took {peak / MB:.0f} MB"


# -- ~/.aws/credentials and ~/.aws/config ------------------------------------------------------------------
SECRET = "zZ9SECRETvalueThatMustNeverBeKept/xyz+1234"


@st.composite
def aws_files(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(0, 12))):
        kind = draw(st.integers(0, 7))
        if kind == 0:
            lines.append(f"[{draw(st.sampled_from(['default', 'profile x', ' spaced ', 'a]b', '', 'é']))}]")
        elif kind == 1:
            lines.append(f"aws_secret_access_key = {SECRET}")
        elif kind == 2:
            lines.append(f"aws_session_token={SECRET}")
        elif kind == 3:
            lines.append(f"credential_process = /bin/echo {SECRET}")
        elif kind == 4:
            lines.append(f"  s3 =\n    max_concurrent_requests = {draw(st.sampled_from(['10', 'ten', '']))}")
        elif kind == 5:
            lines.append(draw(st.text(max_size=30)).replace("\n", " "))
        elif kind == 6:
            lines.append(f"{draw(st.sampled_from(['region', 'max_attempts', '=', ':']))} = "
                         f"{draw(st.sampled_from(['eu-west-1', '7', 'x', '']))}")
        else:
            lines.append(draw(st.sampled_from(["# comment", "; comment", "", "\t", "[default"])))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return newline.join(lines)


@FUZZ
@given(text=aws_files(), kind=st.sampled_from(list(FileKind)))
def test_aws_shared_files_never_raise_and_never_keep_a_secret(tmp_path_factory: pytest.TempPathFactory,
                                                              text: str, kind: FileKind) -> None:
    path = tmp_path_factory.mktemp("aws") / kind.value
    path.write_text(text, encoding="utf-8")
    result = read_aws_file(path, kind)
    assert result.exists and result.read_error is None
    assert SECRET not in repr(result), "secret values are dropped, never kept"
    line_count = max(1, len(text.splitlines()))
    assert all(1 <= problem.line <= line_count for problem in result.problems)
    assert all(1 <= section.line <= line_count for section in result.sections)


@FUZZ
@given(data=st.binary(max_size=512))
def test_aws_shared_files_as_random_bytes(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("aws") / "credentials"
    path.write_bytes(data)
    result = read_aws_file(path, FileKind.CREDENTIALS)
    assert result.exists and (result.read_error is None) == _is_utf8(data)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def test_a_huge_credentials_file_is_read_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "credentials"
    section = f"[p{{}}]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = {SECRET}\n"
    path.write_text("".join(section.format(number) for number in range(1500)))  # ~170 KB
    result, peak = peak_bytes(lambda: read_aws_file(path, FileKind.CREDENTIALS))
    assert len(result.sections) == 1500
    assert SECRET not in repr(result)
    assert peak < 32 * MB, f"{peak / MB:.0f} MB"


# -- ossec.log ------------------------------------------------------------------------------------------------
LOG_LINE = b"2024/01/01 10:00:00 wazuh-modulesd:aws-s3: WARNING: Bucket:  -  Returned exit code 12\n"


@FUZZ
@given(data=st.lists(st.one_of(st.binary(max_size=80), st.just(LOG_LINE),
                               st.just(b"2024/01/01 10:00:00 wazuh-modulesd:aws-s3: WARNING: Bucket:  -  "
                                       b"The config profile (x) could not be found\n")), max_size=20))
def test_the_log_explainer_takes_any_bytes(tmp_path_factory: pytest.TempPathFactory, data: list[bytes]) -> None:
    path = tmp_path_factory.mktemp("log") / "ossec.log"
    path.write_bytes(b"".join(data))
    report = explain_log_file(path, PROFILE)
    assert report.source == str(path)
    for annotation in report.annotations:
        assert 1 <= annotation.line <= report.counts.total_lines


def test_a_50_mb_line_invalid_utf8_and_a_truncated_gzip_log(tmp_path: Path) -> None:
    path = tmp_path / "ossec.log"
    with path.open("wb") as handle:
        handle.write(LOG_LINE)
        handle.write(b"2024/01/01 10:00:00 wazuh-modulesd:aws-s3: WARNING: Bucket:  -  " + b"A" * (50 * MB) + b"\n")
        handle.write(b"\xff\xfe\x80 not utf-8 \xc3\x28\n")
    report, peak = peak_bytes(lambda: explain_log_file(path, PROFILE))
    assert report.counts.total_lines == 3
    assert [annotation.line for annotation in report.annotations][:1] == [1]
    assert peak < 32 * MB, f"the 50 MB line took {peak / MB:.0f} MB"

    truncated = tmp_path / "ossec.log.1.gz"
    whole = gzip.compress(b"".join(LOG_LINE.replace(b"12", str(n).encode()) for n in range(3000)))
    truncated.write_bytes(whole[: len(whole) // 2])
    report = explain_log_file(truncated, PROFILE)
    unreadable = [finding for finding in report.file_findings if finding.failure_id == "log.file_unreadable"]
    assert unreadable and unreadable[0].location is not None
    assert unreadable[0].location.path == str(truncated)
    assert report.counts.total_lines > 0, "the lines before the cut are still explained"

    bomb = tmp_path / "ossec.log.2.gz"
    bomb.write_bytes(gzip.compress(b"\0" * (16 * MB), 6))
    report, peak = peak_bytes(lambda: explain_log_file(bomb, PROFILE))
    assert report.counts.total_lines == 1 and peak < 32 * MB, f"{peak / MB:.0f} MB"


# -- the decoders ---------------------------------------------------------------------------------------------
def key_for(bucket_type: str, suffix: str) -> str:
    if bucket_type in ("cloudtrail", "config", "vpcflow", "alb", "clb", "nlb"):
        service = {"cloudtrail": "CloudTrail", "config": "Config", "vpcflow": "vpcflowlogs"}.get(
            bucket_type, "elasticloadbalancing")
        return f"AWSLogs/123456789012/{service}/us-east-1/2024/01/01/123456789012_x_20240101T0000Z_y{suffix}"
    if bucket_type == "guardduty":
        return f"AWSLogs/123456789012/GuardDuty/us-east-1/2024/01/01/finding{suffix}"
    return f"dnslogs/2024/01/01/00/object{suffix}"


def decode(data: bytes, bucket_type: str, key: str, cap: int | None = None) -> list[DecodedEvent | FileProblem]:
    context = DecodeContext(bucket_type=bucket_type, bucket="acme-logs", path="dnslogs/")
    extra = {"max_decompressed_bytes": cap} if cap is not None else {}
    return list(decode_object(io.BytesIO(data), key, context, **extra))  # type: ignore[arg-type]


@functools.cache
def bombs() -> tuple[bytes, bytes]:
    """A gzip and a zip that inflate to 24 MB each (the tests cap decoding at 4 MB)."""
    zip_bomb = io.BytesIO()
    with zipfile.ZipFile(zip_bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb", b"\0" * (24 * MB))
    return gzip.compress(b"{" + b" " * (24 * MB), 6), zip_bomb.getvalue()


def problems_of(items: list[DecodedEvent | FileProblem]) -> list[FileProblem]:
    return [item for item in items if isinstance(item, FileProblem)]


def assert_problem_names_the_key(problem: FileProblem, key: str) -> None:
    finding = problem.finding
    assert problem.key == key and finding.target == f"s3://acme-logs/{key}"
    assert finding.location is not None and finding.location.path == key


@FUZZ
@given(data=st.binary(max_size=1024), bucket_type=st.sampled_from(BUCKET_TYPES),
       suffix=st.sampled_from(["", ".gz", ".zip", ".json", ".jsonl.gz", ".log", ".csv.gz"]))
def test_random_bytes_in_every_decoder_give_problems_naming_the_key(data: bytes, bucket_type: str,
                                                                    suffix: str) -> None:
    key = key_for(bucket_type, suffix)
    for problem in problems_of(decode(data, bucket_type, key, cap=MB)):
        assert_problem_names_the_key(problem, key)


@pytest.mark.parametrize("bucket_type", BUCKET_TYPES)
def test_truncated_gzip_and_zip_and_bombs_in_every_decoder(bucket_type: str) -> None:
    record = json.dumps({"Records": [{"eventName": "x"}], "detail": {"a": 1}, "source": "aws.macie"}).encode()
    whole = gzip.compress(record * 50)
    gz_key = key_for(bucket_type, ".gz")
    for problem in problems_of(decode(whole[: len(whole) // 2], bucket_type, gz_key)):
        assert_problem_names_the_key(problem, gz_key)
    assert problems_of(decode(whole[: len(whole) // 2], bucket_type, gz_key)), "a cut gzip is reported"

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("inner.json", record * 50)
    zip_key = key_for(bucket_type, ".zip")
    cut = decode(buffer.getvalue()[:-30], bucket_type, zip_key)
    assert problems_of(cut)
    for problem in problems_of(cut):
        assert_problem_names_the_key(problem, zip_key)

    bomb, zip_bomb = bombs()
    items, peak = peak_bytes(lambda: decode(bomb, bucket_type, gz_key, cap=4 * MB))
    too_large = [p for p in problems_of(items) if p.finding.failure_id == "decode.too_large"]
    assert too_large, [p.finding.failure_id for p in problems_of(items)]
    assert_problem_names_the_key(too_large[0], gz_key)
    assert peak < 48 * MB, f"the bomb took {peak / MB:.0f} MB"

    items, peak = peak_bytes(lambda: decode(zip_bomb, bucket_type, zip_key, cap=4 * MB))
    assert any(p.finding.failure_id == "decode.too_large" for p in problems_of(items))
    assert peak < 48 * MB, f"the zip bomb took {peak / MB:.0f} MB"


def test_one_50_mb_line_in_every_decoder() -> None:
    data = b"A" * (50 * MB) + b"\n{}\n"
    for bucket_type in BUCKET_TYPES:
        key = key_for(bucket_type, ".log")
        items, peak = peak_bytes(lambda bucket_type=bucket_type, key=key: decode(  # type: ignore[misc]
            data, bucket_type, key))
        for problem in problems_of(items):
            assert_problem_names_the_key(problem, key)
        assert peak < 8 * len(data), f"{bucket_type}: {peak / MB:.0f} MB for a 50 MB line"


def test_nan_infinity_huge_numbers_and_deep_nesting_in_json() -> None:
    key = key_for("cloudtrail", ".json")
    odd = b'{"Records": [{"eventName": "x", "a": NaN, "b": Infinity, "c": -Infinity, "d": 1e999, "e": 1e-999}]}'
    events = [item for item in decode(odd, "cloudtrail", key) if isinstance(item, DecodedEvent)]
    assert len(events) == 1
    assert '"a": NaN' in events[0].payload and '"d": Infinity' in events[0].payload, \
        "sent as the module's json.dumps writes them"

    huge = b'{"Records": [{"eventName": "x", "n": ' + b"9" * 5000 + b"}]}"
    problems = problems_of(decode(huge, "cloudtrail", key))
    assert problems and problems[0].finding.wazuh_exit_code == 9, "int() past 4300 digits: a parse failure"
    assert_problem_names_the_key(problems[0], key)

    deep = b'{"Records": [' + b'{"a":' * 100_000 + b"1" + b"}" * 100_000 + b"]}"
    for problem in problems_of(decode(deep, "cloudtrail", key)):
        assert_problem_names_the_key(problem, key)


# -- odd keys and bucket names through the CLI, against moto -------------------------------------------------
ODD_BUCKET = "odd.bucket-name.123"
LONG_BUCKET = "b" + "x" * 61 + "9"
ODD_NAMES = ("has space ünïcødé-ключ-鍵 percent%20%25+plus a?b#c&d=e;f.json", "trailing space .json",
             "x" * 900 + ".json")
"""Spaces, unicode, ``%`` that looks URL-encoded, ``+``, query and fragment characters, a trailing space and
a key near S3's 1024-byte limit (with its folders)."""


def odd_body(name: str) -> bytes:
    return json.dumps({"version": "0", "id": name[:20], "source": "aws.macie", "account": "123456789012",
                       "detail": {"name": name, "severity": 1}}).encode()


@pytest.fixture
def odd_home(moto: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    s3 = admin_client(moto)
    keys: dict[str, list[str]] = {}
    for bucket in (ODD_BUCKET, LONG_BUCKET):
        s3.create_bucket(Bucket=bucket)
        keys[bucket] = []
        for name in ODD_NAMES:
            key = f"macie/2024/01/01/00/{name}"
            s3.put_object(Bucket=bucket, Key=key, Body=odd_body(name))
            keys[bucket].append(key)
    blocks = "".join(f'    <bucket type="custom">\n      <name>{bucket}</name>\n      <path>macie</path>\n'
                     "      <only_logs_after>2024-JAN-01</only_logs_after>\n    </bucket>\n"
                     for bucket in (ODD_BUCKET, LONG_BUCKET))
    make_home(tmp_path, monkeypatch, conf_with(blocks))
    return keys


def test_odd_keys_and_buckets_are_listed_shown_and_previewed_exactly(
        odd_home: dict[str, list[str]], moto: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = ["--wazuh-home", str(tmp_path / "ossec"), "--endpoint-url", moto]
    for bucket, keys in odd_home.items():
        code, out, err = run_cli(capsys, "keys", *home, "--bucket", bucket, "--prefix", "macie/2024/01/01/00/",
                                 "--format", "json")
        assert code == 0, err
        assert sorted(row["key"] for row in json.loads(out)["keys"]) == sorted(keys)

        if bucket == ODD_BUCKET:
            code, out, err = run_cli(capsys, "keys", *home, "--bucket", bucket, "--wodle-view", "--format", "json")
            assert code == 0, err
            assert sorted(row["key"] for row in json.loads(out)["keys"]) == sorted(keys)

            code, out, _ = run_cli(capsys, "keys", *home, "--bucket", bucket, "--prefix", "macie/2024/01/01/00/")
            assert code == 0 and all(key in out for key in keys), "text mode shows each key verbatim"

        for key in keys if bucket == ODD_BUCKET else keys[-1:]:
            code, out, err = run_cli(capsys, "preview", *home, "--bucket", bucket, "--key", key, "--format", "json")
            assert code == 0, err
            event = json.loads(out.splitlines()[0])
            assert event["aws"]["log_info"]["log_file"] == key
            assert event["aws"]["log_info"]["s3bucket"] == bucket
            assert event["aws"]["name"] == key.rsplit("/", 1)[1]


def test_a_bucket_name_botocore_refuses_is_a_finding_not_a_crash(tmp_path: Path, moto: str,
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    bad = "Bad_Name!"
    make_home(tmp_path, monkeypatch, conf_with(f'    <bucket type="cloudtrail">\n      <name>{bad}</name>\n'
                                               "    </bucket>\n"))
    home = ["--wazuh-home", str(tmp_path / "ossec"), "--endpoint-url", moto, "--bucket", bad]
    for command in (["keys"], ["keys", "--wodle-view"], ["preview", "--key", "AWSLogs/x.json.gz"]):
        code, out, err = run_cli(capsys, command[0], *home, *command[1:])
        assert code == 2, (command, out, err)
        assert "Traceback" not in out + err and bad in out + err
    code, out, err = run_cli(capsys, "ingest", *home, "--events-out", str(tmp_path / "events.jsonl"))
    assert code != 0 and "Traceback" not in out + err
