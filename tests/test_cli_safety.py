"""The command line under attack: usage mistakes get their own exit status, special files never hang a
command, and no output option can write into the Wazuh home, over a file or through a link."""

from __future__ import annotations

import gzip
import json
import os
import sys
import tarfile
import threading
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import pytest

from diagnostics.configuration.loader import load_config
from diagnostics.findings import CommandExit
from tests.conftest import admin_client
from tui.cli import build_parser, main

CONF = """<ossec_config>
  <wodle name="aws-s3">
    <bucket type="cloudtrail">
      <name>safe-trail</name>
      <aws_profile>default</aws_profile>
    </bucket>
  </wodle>
</ossec_config>
"""
ORIGINAL = {"etc/ossec.conf": CONF, "logs/ossec.log": "2026/01/01 00:00:00 wazuh-modulesd: INFO: started\n",
            "wodles/aws/s3_cloudtrail.db": "not really sqlite, but Wazuh's file all the same\n"}
USAGE = int(CommandExit.USAGE)


def run_guarded(call: Callable[[], object], seconds: float = 30.0) -> object:
    """Run ``call`` in a thread and fail (instead of hanging the suite) when it does not return in time."""
    outcome: list[object] = []

    def target() -> None:
        try:
            outcome.append(call())
        except SystemExit as stop:
            outcome.append(stop)

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"still blocked after {seconds} s"
    return outcome[0]


def exit_status(result: object) -> object:
    return result.code if isinstance(result, SystemExit) else result


@pytest.fixture
def wazuh_home(tmp_path: Path) -> Path:
    """A copy of a Wazuh home: ossec.conf, ossec.log and the module's state database."""
    home = tmp_path / "ossec"
    for name, text in ORIGINAL.items():
        (home / name).parent.mkdir(parents=True, exist_ok=True)
        (home / name).write_text(text)
    return home


def assert_home_untouched(home: Path) -> None:
    for name, text in ORIGINAL.items():
        assert (home / name).read_text() == text, f"{name} was written"
    assert sorted(p.name for p in (home / "etc").iterdir()) == ["ossec.conf"]


# --- exit statuses ------------------------------------------------------------------------------------------

def test_usage_mistakes_exit_64_and_failures_keep_2(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["check", "--no-such-option"], ["frobnicate"], ["keys"], ["preview", "--bucket", "b"],
                 ["check", "--block", "x"]):
        assert exit_status(run_guarded(lambda argv=argv: main(argv))) == USAGE, argv
    assert "error:" in capsys.readouterr().err
    assert int(CommandExit.ERRORS) == 2 and USAGE == 64


@pytest.mark.parametrize("argv", [
    ["bundle", "--log-lines", "-1"], ["bundle", "--keys-per-bucket", "-5"], ["keys", "--bucket", "b", "--limit", "-1"],
    ["preview", "--bucket", "b", "--key", "k", "--limit", "0"], ["ingest", "--bucket", "b", "--workers", "0"],
    ["ingest", "--bucket", "b", "--limit", "-1"], ["host", "--timeout", "-3"], ["keys", "--block", "0"],
])
def test_negative_and_zero_counts_are_usage_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == USAGE
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "smallest allowed value" in err or "positive number" in err


def test_demo_is_accepted_before_or_after_the_command() -> None:
    parser = build_parser()
    assert parser.parse_args(["--demo", "check"]).demo is True
    assert parser.parse_args(["check", "--demo"]).demo is True
    assert parser.parse_args(["keys", "--bucket", "b", "--demo"]).demo is True
    assert parser.parse_args(["check"]).demo is False


def test_demo_without_its_extra_is_one_line_with_the_install_command(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "moto.server", None)  # as if the [demo] extra were not installed
    for argv in (["check", "--demo"], ["--demo"]):
        with pytest.raises(SystemExit) as stopped:
            main(argv)
        assert stopped.value.code == USAGE
        err = capsys.readouterr().err
        assert "Traceback" not in err
        assert err.strip().count("\n") == 0 and "pip install 'wazuh-aws-doctor[demo]'" in err


# --- special files ------------------------------------------------------------------------------------------

def test_a_fifo_never_blocks_a_command(tmp_path: Path, wazuh_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    home = ["--wazuh-home", str(wazuh_home)]
    for argv in (["check", *home, "--config", str(fifo)], ["explain-log", *home, str(fifo)],
                 ["bundle", *home, "--no-checks", "--ossec-log", str(fifo), "--output", str(tmp_path)]):
        assert exit_status(run_guarded(lambda argv=argv: main(argv))) == USAGE, argv
        err = capsys.readouterr().err
        assert "FIFO" in err and "Traceback" not in err
    assert list(tmp_path.glob("*.tar.gz")) == []


def test_a_fifo_at_the_default_ossec_log_never_blocks(wazuh_home: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    log = wazuh_home / "logs" / "ossec.log"
    log.unlink()
    os.mkfifo(log)
    home = ["--wazuh-home", str(wazuh_home)]
    assert exit_status(run_guarded(lambda: main(["explain-log", *home]))) == USAGE
    assert "FIFO" in capsys.readouterr().err
    code = run_guarded(lambda: main(["bundle", *home, "--no-checks", "--output", str(tmp_path), "--format", "json"]))
    assert code == 0
    notes = json.loads(capsys.readouterr().out)["notes"]
    assert any("FIFO" in note for note in notes), notes


def test_a_fifo_in_place_of_ossec_conf_is_a_finding_not_a_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "ossec.conf"
    os.mkfifo(fifo)
    loaded = run_guarded(lambda: load_config(fifo))
    assert [finding.failure_id for finding in loaded.findings] == ["config.file_not_regular"]  # type: ignore[attr-defined]


def test_a_symlink_loop_is_named_as_such_without_root_advice(tmp_path: Path, wazuh_home: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    loop_a, loop_b = tmp_path / "a.conf", tmp_path / "b.conf"
    loop_a.symlink_to(loop_b)
    loop_b.symlink_to(loop_a)
    with pytest.raises(SystemExit) as stopped:
        main(["check", "--wazuh-home", str(wazuh_home), "--config", str(loop_a)])
    assert stopped.value.code == USAGE
    err = capsys.readouterr().err
    assert "symbolic link loop" in err and "as root" not in err and "sudo" not in err
    finding = load_config(loop_a).findings[0]
    assert finding.failure_id == "config.file_symlink_loop"
    assert "root (sudo)" not in finding.fix and "Run the doctor as root" not in finding.fix


# --- output paths -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("target", ["etc/ossec.conf", "logs/ossec.log", "wodles/aws/s3_cloudtrail.db", "etc"])
def test_bundle_never_writes_into_the_wazuh_home(target: str, wazuh_home: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["bundle", "--wazuh-home", str(wazuh_home), "--no-checks", "--output", str(wazuh_home / target),
                 "--force"])
    assert code == USAGE
    assert "never writes to" in capsys.readouterr().err
    assert_home_untouched(wazuh_home)


def test_bundle_refuses_links_and_existing_files_unless_forced(tmp_path: Path, wazuh_home: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    base = ["bundle", "--wazuh-home", str(wazuh_home), "--no-checks", "--output"]
    link = tmp_path / "bundle.tar.gz"
    link.symlink_to(wazuh_home / "etc" / "ossec.conf")
    assert main([*base, str(link), "--force"]) == USAGE
    hard = tmp_path / "hard.tar.gz"
    os.link(wazuh_home / "etc" / "ossec.conf", hard)
    assert main([*base, str(hard), "--force"]) == USAGE
    assert_home_untouched(wazuh_home)
    mine = tmp_path / "mine.txt"
    mine.write_text("keep me")
    assert main([*base, str(mine)]) == USAGE
    assert mine.read_text() == "keep me"
    assert "pass --force" in capsys.readouterr().err
    assert main([*base, str(mine), "--force"]) == 0
    assert tarfile.is_tarfile(mine)
    assert main([*base, str(tmp_path / "missing-dir" / "b.tar.gz")]) == USAGE
    assert not (tmp_path / "missing-dir").exists(), "nothing created for a refused path"


@pytest.fixture
def ingest_env(moto: str, clean_aws_env: Path, wazuh_home: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    (clean_aws_env / ".aws" / "credentials").write_text(
        "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = "
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n")
    monkeypatch.setenv("WAZUH_AWS_DOCTOR_MODULE_HOME", str(clean_aws_env))
    monkeypatch.setenv("HOME", str(clean_aws_env))
    s3 = admin_client(moto)
    s3.create_bucket(Bucket="safe-trail")
    day = datetime.now(timezone.utc)
    s3.put_object(Bucket="safe-trail", Body=gzip.compress(b'{"Records": [{"eventName": "ConsoleLogin"}]}'),
                  Key=f"AWSLogs/123456789012/CloudTrail/us-east-1/{day:%Y/%m/%d}/123456789012_CloudTrail_"
                      f"us-east-1_{day:%Y%m%dT%H%M}Z_abc.json.gz")
    return ["ingest", "--wazuh-home", str(wazuh_home), "--endpoint-url", moto, "--bucket", "safe-trail"]


def test_events_out_never_appends_to_wazuh_files_or_through_links(
        ingest_env: list[str], wazuh_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    state = ["--state-dir", str(tmp_path / "state")]
    link = tmp_path / "events.jsonl"
    link.symlink_to(wazuh_home / "logs" / "ossec.log")
    for target in [*(wazuh_home / name for name in ORIGINAL), link]:
        assert main([*ingest_env, *state, "--events-out", str(target), "--force"]) == USAGE, target
    assert_home_untouched(wazuh_home)
    assert "never writes" in capsys.readouterr().err


def test_events_out_appends_only_when_forced(ingest_env: list[str], tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    events = tmp_path / "events.jsonl"
    events.write_text("earlier\n")
    state = ["--state-dir", str(tmp_path / "state")]
    assert main([*ingest_env, *state, "--events-out", str(events)]) == USAGE
    assert "already exists" in capsys.readouterr().err
    assert main([*ingest_env, *state, "--events-out", str(events), "--force"]) == 0
    assert events.read_text().startswith("earlier\n1:Wazuh-AWS:{"), "appended after what was there"
    fresh = tmp_path / "fresh.jsonl"
    assert main([*ingest_env, *state, "--events-out", str(fresh)]) == 0
    assert oct(fresh.stat().st_mode & 0o777) == "0o600"


def test_a_refused_state_dir_gets_nothing(ingest_env: list[str], wazuh_home: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    inside = wazuh_home / "wodles" / "aws"
    events = tmp_path / "events.jsonl"
    assert main([*ingest_env, "--state-dir", str(inside), "--events-out", str(events)]) == USAGE
    assert "never writes to" in capsys.readouterr().err
    assert sorted(p.name for p in inside.iterdir()) == ["s3_cloudtrail.db"], "no last-ingest.log, no state"
    assert not events.exists(), "nothing created before the paths were accepted"
    linked = tmp_path / "state-link"
    linked.symlink_to(tmp_path)
    assert main([*ingest_env, "--state-dir", str(linked)]) == USAGE
    assert not (tmp_path / "last-ingest.log").exists(), "nothing written through the link"


# --- smaller CLI details ------------------------------------------------------------------------------------

def _seeded_key(moto: str) -> str:
    listed = admin_client(moto).list_objects_v2(Bucket="safe-trail")["Contents"]
    return str(listed[0]["Key"])


def test_a_bodiless_404_says_its_status_once(moto: str) -> None:
    from diagnostics.aws.access_probes import call

    evidence = call(admin_client(moto), "head_bucket", Bucket="no-such-bucket").evidence()
    assert "HTTP 404" in evidence and "404 404" not in evidence, evidence


def test_the_logtest_skip_line_is_printed_once(ingest_env: list[str], moto: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["preview", *ingest_env[1:], "--key", _seeded_key(moto), "--logtest"]
    main(argv)
    out = capsys.readouterr().out
    logtest_lines = [line for line in out.splitlines() if "logtest" in line.lower() and "[" in line]
    assert logtest_lines, out
    assert len(logtest_lines) == len(set(logtest_lines)), f"a logtest line repeats:\n{out}"


def test_sizes_use_binary_units_in_both_faces() -> None:
    import ast

    tui = Path(__file__).resolve().parent.parent / "tui"
    calls = [node for path in tui.rglob("*.py") for node in ast.walk(ast.parse(path.read_text()))
             if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "naturalsize"]
    assert len(calls) >= 3, "the CLI's keys, Browse's key tree and Preview format sizes"
    for node in calls:
        binary = [kw.value for kw in node.keywords if kw.arg == "binary"]
        assert binary and isinstance(binary[0], ast.Constant) and binary[0].value is True, ast.dump(node)


def _state_with(home: Path, key: str) -> Path:
    from tests.layout_support import create_state_db

    path = home / "wodles" / "aws" / "s3_cloudtrail.db"
    path.unlink()
    return create_state_db(path, {"cloudtrail": [("safe-trail/", "123456789012", "us-east-1", key)]})


def test_an_empty_wodle_view_names_the_marker(ingest_env: list[str], wazuh_home: Path, moto: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    key = _seeded_key(moto)
    _state_with(wazuh_home, key)
    assert main(["keys", *ingest_env[1:], "--wodle-view"]) == 0
    out = capsys.readouterr().out
    assert f"marker: every key sorts at or before {key}" in out, out


def test_a_locked_state_database_is_reported_not_shown_as_read(ingest_env: list[str], wazuh_home: Path,
                                                               moto: str, capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    key = _seeded_key(moto)
    state = _state_with(wazuh_home, key)
    holder = sqlite3.connect(state, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # what a module run inside its commit holds
    try:
        code = run_guarded(lambda: main(["keys", *ingest_env[1:], "--wodle-view", "--format", "json"]))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    document = json.loads(capsys.readouterr().out)
    assert code == int(CommandExit.ERRORS)
    assert [finding["failure_id"] for finding in document["findings"]] == ["host.state_db_locked"]
    assert "locked" in " ".join(document["findings"][0]["evidence"])


# --- scale of the ossec.conf reader -------------------------------------------------------------------------

def test_duplicate_attributes_are_found_in_a_huge_generated_tag(tmp_path: Path) -> None:
    """40,000 attributes with three repeats: each repeat reported once, at its line (time is benched)."""
    from diagnostics.configuration.xml_reader import read_tolerant

    attributes = "\n".join(f'a{index}="v"' for index in range(40_000))
    text = (f'<ossec_config>\n<wodle name="aws-s3" {attributes}\na7="x" a39999="y"\na7="z">\n'
            "<bucket type=\"cloudtrail\"><name>b</name></bucket>\n</wodle>\n</ossec_config>\n")
    document = run_guarded(lambda: read_tolerant(text), seconds=60)
    problems = [(problem.message, problem.line) for problem in document.problems]  # type: ignore[attr-defined]
    assert problems == [("XMLERR: Attribute 'a7' already defined.", 40_002),
                        ("XMLERR: Attribute 'a39999' already defined.", 40_002),
                        ("XMLERR: Attribute 'a7' already defined.", 40_003)]
    config = run_guarded(lambda: (tmp_path / "ossec.conf").write_text(text) and load_config(tmp_path / "ossec.conf"))
    assert [block.name for block in config.blocks] == ["b"]  # type: ignore[attr-defined]
