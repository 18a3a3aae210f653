"""The real-module runner against a stand-in script in a temporary Wazuh home (never the module)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from diagnostics.context import DoctorContext
from diagnostics.findings import SourceLocation
from diagnostics.ingest import real_module
from diagnostics.ingest.real_module import (
    RealRunPlan,
    restore_state,
    run_real_module,
    snapshot_state,
    state_db_lock,
)
from diagnostics.ingest.state import IngestState
from diagnostics.wazuh import ossec_log
from diagnostics.wazuh.state_scope import StateScope
from diagnostics.wazuh.wodle import Block, Option, Wodle

SCOPE = StateScope("cloudtrail", "trail/", "123456789012", "us-east-1")


def _stand_in(home: Path, body: str) -> Path:
    script = home / "wodles" / "aws" / "aws-s3"
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(f"#!{sys.executable}\n" + textwrap.dedent(body))
    script.chmod(0o755)
    return script


def _plan(home: Path, *extra: str, secrets: tuple[str, ...] = ()) -> RealRunPlan:
    argv = ("wodles/aws/aws-s3", "--bucket", "my-trail", "--type", "cloudtrail", *extra, "--debug", "2")
    display = " ".join("****" if part in secrets else part for part in argv)
    return RealRunPlan(module_path=home / "wodles" / "aws" / "aws-s3", argv=argv,
                       display=display, cwd=home, block_label="bucket my-trail (cloudtrail)",
                       run_title=ossec_log.RunTitle.for_bucket(None, None), debug_level=2, secrets=secrets)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    wazuh_home = tmp_path / "ossec"
    (wazuh_home / "wodles" / "aws").mkdir(parents=True)
    return wazuh_home


def test_streams_lines_live_and_reports_the_exit_code(home: Path) -> None:
    # The stand-in goes on only once the runner has handed its first line to on_line (which creates a file):
    # if the output were collected at exit instead of streamed, it would give up and exit 99.
    _stand_in(home, """
        import os, sys, time
        print("DEBUG: +++ Debug mode on - Level: 2")
        for _ in range(600):
            if os.path.exists("first-line-seen"):
                break
            time.sleep(0.1)
        else:
            print("ERROR: the first line never reached the caller while this script ran")
            sys.exit(99)
        print("cwd=" + os.getcwd())
        print("args=" + " ".join(sys.argv[1:]))
        print("ERROR: Invalid credentials to access S3 Bucket")
        sys.exit(3)
    """)
    arrivals: list[str] = []

    def on_line(line: str) -> None:
        arrivals.append(line)
        (home / "first-line-seen").touch()

    result = run_real_module(_plan(home), DoctorContext(wazuh_home=home), on_line=on_line)
    assert result.exit_code == 3 and not result.cancelled, result.output
    assert arrivals == list(result.output)
    assert result.output[0] == "DEBUG: +++ Debug mode on - Level: 2"
    assert f"cwd={home}" in result.output
    assert "args=--bucket my-trail --type cloudtrail --debug 2" in result.output
    assert result.findings[0].failure_id == "host.real_module_exit"
    assert "Invalid credentials" in " ".join(result.findings[0].evidence)
    assert any(line.endswith("WARNING: Bucket:  -  Returned exit code 3") for line in result.ossec_log)
    assert any("WARNING: Bucket:  -  Invalid credentials to access S3 Bucket" in line
               for line in result.ossec_log)


def test_exit_zero_is_ok(home: Path) -> None:
    _stand_in(home, """
        print("DEBUG: +++ No logs to process in bucket: 123456789012/us-east-1")
    """)
    result = run_real_module(_plan(home), DoctorContext(wazuh_home=home))
    assert result.exit_code == 0
    assert result.findings[0].failure_id == "host.real_module_ok"
    assert any("DEBUG: Bucket:  -  OUTPUT: DEBUG: +++ No logs" in line for line in result.ossec_log)


def test_cancel_interrupts_like_sigint(home: Path) -> None:
    _stand_in(home, """
        import signal, sys, time
        def stop(*_):
            print("ERROR: SIGINT received.")
            sys.exit(2)
        signal.signal(signal.SIGINT, stop)
        n = 0
        while True:
            n += 1
            print(f"line {n}")
            time.sleep(0.05)
    """)
    cancel = threading.Event()

    def on_line(line: str) -> None:
        if line == "line 3":
            cancel.set()

    result = run_real_module(_plan(home), DoctorContext(wazuh_home=home), on_line=on_line, cancel=cancel)
    assert result.cancelled
    assert result.exit_code == 2
    assert result.output[-1] == "ERROR: SIGINT received."
    assert result.findings[0].failure_id == "host.real_module_stopped"


def test_stubborn_process_is_killed(home: Path) -> None:
    _stand_in(home, """
        import signal, time
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        print("started")
        while True:
            time.sleep(0.05)
    """)
    started = time.monotonic()
    result = run_real_module(_plan(home), DoctorContext(wazuh_home=home), timeout_s=0.5, grace_s=0.3)
    assert result.cancelled and result.exit_code is None
    assert time.monotonic() - started < 5
    assert result.output == ("started",)


def test_secrets_never_reach_the_output(home: Path) -> None:
    _stand_in(home, """
        import sys
        print("echo " + " ".join(sys.argv[1:]))
    """)
    plan = _plan(home, "--access_key", "AKIAEXAMPLEKEY1234", "--secret_key", "s3cr3t/Value",
                 secrets=("s3cr3t/Value", "AKIAEXAMPLEKEY1234"))
    assert "s3cr3t" not in repr(plan)
    result = run_real_module(plan, DoctorContext(wazuh_home=home))
    assert "s3cr3t/Value" not in result.output[0]
    assert "AKIAEXAMPLEKEY1234" not in result.output[0]


def test_unknown_exit_code_is_said_to_come_from_elsewhere(home: Path) -> None:
    _stand_in(home, "import sys\nsys.exit(99)\n")
    result = run_real_module(_plan(home), DoctorContext(wazuh_home=home))
    assert result.exit_code == 99
    assert result.findings[0].failure_id == "host.real_module_exit_unknown"


def _hold_write_lock(db: Path) -> subprocess.Popen[str]:
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sqlite3, sys, time
        connection = sqlite3.connect({str(db)!r})
        connection.execute("INSERT INTO cloudtrail VALUES ('x/', '1', 'r', 'k', 'now', 1)")
        print("ready", flush=True)
        sys.stdin.readline()
    """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "ready"
    return holder


def _module_db(home: Path) -> Path:
    with IngestState.open(home / "wodles" / "aws", version="4.14.7", wal=False) as state:
        state.mark_complete(SCOPE, "AWSLogs/a_CloudTrail_us-east-1_20240501T0000Z_x.json.gz", 20240501)
    return home / "wodles" / "aws" / "s3_cloudtrail.db"


def test_lock_check_sees_a_running_writer_without_locking(home: Path) -> None:
    db = _module_db(home)
    assert not state_db_lock(db).locked
    holder = _hold_write_lock(db)
    try:
        status = state_db_lock(db)
        assert status.locked
        if sys.platform.startswith("linux"):
            assert status.holder_pid == holder.pid
        # Our probe took no lock: the writer can still commit.
        assert holder.stdin is not None
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=5)
    assert not state_db_lock(db).locked


def test_snapshot_then_restore_puts_the_marker_back(home: Path, tmp_path: Path) -> None:
    db = _module_db(home)
    context = DoctorContext(wazuh_home=home)
    snapshot = snapshot_state(context, tmp_path / "snaps")
    assert snapshot.parent == tmp_path / "snaps"
    with IngestState.open(db.parent, version="4.14.7", wal=False) as state:   # a "real run" moves the marker
        state.mark_complete(SCOPE, "AWSLogs/b_CloudTrail_us-east-1_20240502T0000Z_x.json.gz", 20240502)
    db.chmod(0o640)
    restore_state(context, snapshot)
    rows = sqlite3.connect(db).execute("SELECT log_key FROM cloudtrail").fetchall()
    assert rows == [("AWSLogs/a_CloudTrail_us-east-1_20240501T0000Z_x.json.gz",)]
    assert db.stat().st_mode & 0o777 == 0o640


def test_restore_refuses_while_the_module_runs(home: Path, tmp_path: Path) -> None:
    db = _module_db(home)
    context = DoctorContext(wazuh_home=home)
    snapshot = snapshot_state(context, tmp_path / "snaps")
    holder = _hold_write_lock(db)
    try:
        with pytest.raises(RuntimeError, match="in use"):
            restore_state(context, snapshot)
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=5)


def test_snapshot_without_a_database_says_so(home: Path, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="has not run yet"):
        snapshot_state(DoctorContext(wazuh_home=home), tmp_path / "snaps")


def test_module_script_path(home: Path) -> None:
    assert real_module.module_script_path(DoctorContext(wazuh_home=home)) == home / "wodles/aws/aws-s3"


def _config(**options: str) -> tuple[Block, Wodle]:
    tags = {"name": Option("name", "my-trail", 3)}
    tags.update({tag: Option(tag, value, line) for line, (tag, value) in enumerate(options.items(), 4)})
    block = Block(kind="bucket", block_type="cloudtrail", location=SourceLocation("ossec.conf", 2),
                  options=tags)
    wodle = Wodle(location=SourceLocation("ossec.conf", 1), blocks=(block,))
    return block, wodle


def test_plan_builds_the_module_command_and_masks_secrets(home: Path) -> None:
    _stand_in(home, "import sys\nprint(' '.join(sys.argv[1:]))\nsys.exit(0)\n")
    block, wodle = _config(access_key="AKIAIOSFODNN7EXAMPLE", secret_key="wJalrXUtnFEMI/K7MDENG",
                           aws_profile="prod")
    context = DoctorContext(wazuh_home=home)
    plan = real_module.plan_real_run(context, block, wodle, 2)
    assert plan.argv[0] == "wodles/aws/aws-s3"
    assert plan.argv[1:3] == ("--bucket", "my-trail")
    assert plan.argv[-2:] == ("--debug", "2")
    assert "wJalrXUtnFEMI/K7MDENG" in plan.argv
    assert "wJalrXUtnFEMI/K7MDENG" not in plan.display and "wJalrXUtnFEMI" not in repr(plan)
    ids = [finding.failure_id for finding in plan.findings]
    assert "host.real_run_side_effects" in ids and "host.queue_socket_missing" in ids
    assert plan.ready
    result = run_real_module(plan, context)
    assert result.exit_code == 0
    assert "wJalrXUtnFEMI/K7MDENG" not in result.output[0]
    assert "--aws_profile prod" in result.output[0]


def test_plan_is_not_ready_without_the_module_or_while_locked(home: Path) -> None:
    block, wodle = _config()
    context = DoctorContext(wazuh_home=home)
    plan = real_module.plan_real_run(context, block, wodle, 1)
    assert not plan.ready
    assert plan.findings[0].failure_id == "host.real_module_missing"
    _stand_in(home, "print('x')\n")
    db = _module_db(home)
    holder = _hold_write_lock(db)
    try:
        locked = real_module.plan_real_run(context, block, wodle, 1)
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=5)
    assert not locked.ready
    assert "host.state_db_locked" in [finding.failure_id for finding in locked.findings]


def test_failed_run_is_explained_with_the_log_explainer(home: Path) -> None:
    _stand_in(home, "import sys\nprint('ERROR: Invalid credentials to access S3 Bucket')\nsys.exit(3)\n")
    result = run_real_module(_plan(home), DoctorContext(wazuh_home=home))
    ids = [finding.failure_id for finding in result.findings]
    assert ids[0] == "host.real_module_exit"
    assert "log.cause.invalid_credentials" in ids
