"""The CloudWatch Logs pass over our own state, compared with recorded runs of the real module (4.14.7).

First pass: the golden's datagrams and log lines (timestamps moto assigns per run normalised). Second pass: what
the module's second run would send (nothing, or only the events put since). ``--from-wazuh-state``: the walk starts
from a read-only copy of the module's ``aws_services.db``, which is left byte for byte as it was.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest

from diagnostics.ingest.cloudwatch_pass import CloudWatchPassResult, merged, run_cloudwatch_pass
from diagnostics.ingest.cloudwatch_state import CloudWatchState
from diagnostics.ingest.services_state_file import SERVICES_FILE_NAME
from diagnostics.wazuh.services_state import StreamProgress
from tests.conftest import admin_client
from tests.test_cloudwatch_events import with_discard
from tests.test_inputs_cli import PLAIN_LOGS_LINE, inputs_home, seed_plain_logs
from tests.test_service_access import (
    GOLDENS,
    block_from_arguments,
    context,
    load_golden,
    seed,
    session,
    settings,
)
from tui.cli import main

__all__ = ["inputs_home"]  # the CLI test's fixture, shared

GOLDEN_NAMES = sorted(path.name for path in GOLDENS.glob("cloudwatch_*"))
ONLY_LOGS_AFTER_MILLIS = "1796083200000"
"""2026-DEC-01 at 00:00 UTC, the goldens' only_logs_after: the one epoch-millisecond value both runs share."""


def normalised(lines: list[str]) -> list[str]:
    """Event times moto assigns per run become ``<ms>``; the recorded only_logs_after stays as it is."""
    def one(line: str) -> str:
        return re.sub(r"\b\d{13}\b", lambda m: m.group(0) if m.group(0) == ONLY_LOGS_AFTER_MILLIS else "<ms>", line)
    return [one(line) for line in lines]


def debug_of(arguments: list[str]) -> int:
    return int(arguments[arguments.index("--debug") + 1])


def run_pass(moto: str, home: Path, golden: dict[str, Any], state: CloudWatchState
             ) -> tuple[CloudWatchPassResult, list[str], list[str]]:
    """One pass with the golden's block and debug level; (result, log lines, messages sent)."""
    arguments = golden["arguments"]
    block = with_discard(arguments, block_from_arguments(arguments))
    lines: list[str] = []
    sent: list[str] = []
    result = run_cloudwatch_pass(session(), block, context(home), settings(moto), state, debug_of(arguments),
                                 lines.append, sent.append)
    return result, lines, sent


@pytest.mark.parametrize("name", GOLDEN_NAMES)
def test_first_pass_sends_and_prints_what_the_module_did(moto: str, tmp_path: Path, name: str) -> None:
    golden = load_golden(name)
    home = seed(moto, golden, tmp_path)
    state = CloudWatchState.open(tmp_path / "state", wazuh_db=tmp_path / "no-wazuh" / SERVICES_FILE_NAME)
    result, lines, sent = run_pass(moto, home, golden, state)
    assert list(result.datagrams) == golden["datagrams"]
    assert ["1:Wazuh-AWS:" + message for message in sent] == golden["datagrams"]
    assert result.exit_code == golden["exit_code"]
    assert normalised(lines) == normalised(golden["output"])
    if golden.get("state") is not None:
        recorded = sorted(tuple(row[:4]) for row in golden["state"]["cloudwatch_logs"])  # kept short at times
        assert [row[:4] for row in state.rows()][:len(recorded)] == recorded
        assert len(state.rows()) == sum(1 for line in golden["output"] if "Saving data for log group" in line)


def test_second_pass_sends_nothing_and_says_so(moto: str, tmp_path: Path) -> None:
    golden = load_golden("cloudwatch_profile_region_overrides_regions")
    home = seed(moto, golden, tmp_path)
    state_dir = tmp_path / "state"
    wazuh_db = tmp_path / "no-wazuh" / SERVICES_FILE_NAME
    run_pass(moto, home, golden, CloudWatchState.open(state_dir, wazuh_db=wazuh_db))
    again, lines, sent = run_pass(moto, home, golden, CloudWatchState.open(state_dir, wazuh_db=wazuh_db))
    assert sent == [] and again.exit_code == 0
    assert lines.count('DEBUG: +++ There are no new events in the "app-logs" group') == 2
    assert "DEBUG: +++ Table does not exist; create" not in lines
    assert 'DEBUG: Token: "f/00000000000000000000000000000000000000000000000000000002", start_time: ' \
           '"1796083200000", end_time: "<ms>"' in normalised(lines)
    assert lines.count("DEBUG: Some data already exists on DB for that key. Updating their values...") == 2
    fresh, _, resent = run_pass(moto, home, golden, CloudWatchState.open(state_dir, wazuh_db=wazuh_db, reset=True))
    assert list(fresh.datagrams) == golden["datagrams"], "--reset is the module's first run again"
    assert ["1:Wazuh-AWS:" + message for message in resent] == golden["datagrams"]


def test_second_pass_sends_only_the_events_put_since(moto: str, tmp_path: Path) -> None:
    golden = load_golden("cloudwatch_configured_region")
    home = seed(moto, golden, tmp_path)
    state_dir = tmp_path / "state"
    wazuh_db = tmp_path / "no-wazuh" / SERVICES_FILE_NAME
    first, _, _ = run_pass(moto, home, golden, CloudWatchState.open(state_dir, wazuh_db=wazuh_db))
    assert list(first.datagrams) == golden["datagrams"]
    # A new stream, not new events in s1: moto applies a saved forward token as an index into the events
    # left after the startTime filter, not a position in the stream as AWS does, so it would hide them.
    now = int(time.time() * 1000)
    logs = admin_client(moto, "logs", "us-east-1")
    logs.create_log_stream(logGroupName="app-logs", logStreamName="s2")
    logs.put_log_events(logGroupName="app-logs", logStreamName="s2", logEvents=[
        {"timestamp": now + 1, "message": '{"new": 1}'}, {"timestamp": now + 2, "message": '{"new": 2}'}])
    second, lines, sent = run_pass(moto, home, golden, CloudWatchState.open(state_dir, wazuh_db=wazuh_db))
    assert sent == ['{"new": 1}', '{"new": 2}'] and second.exit_code == 0
    assert lines.count("DEBUG: +++ Sent 2 events to Analysisd") == 1
    assert lines.count('DEBUG: +++ There are no new events in the "app-logs" group') == 2, "s1, and s2 after its page"
    third, _, nothing = run_pass(moto, home, golden, CloudWatchState.open(state_dir, wazuh_db=wazuh_db))
    assert nothing == [] and third.exit_code == 0


def test_from_wazuh_state_starts_where_the_module_stands_and_leaves_its_file(moto: str, tmp_path: Path) -> None:
    golden = load_golden("cloudwatch_profile_region_overrides_regions")
    home = seed(moto, golden, tmp_path)
    wazuh_db = tmp_path / "ossec" / "wodles" / "aws" / SERVICES_FILE_NAME
    wazuh_db.parent.mkdir(parents=True)
    with sqlite3.connect(wazuh_db) as module_db:
        module_db.execute("CREATE TABLE cloudwatch_logs (aws_region 'text' NOT NULL, aws_log_group 'text' NOT NULL, "
                          "aws_log_stream 'text' NOT NULL, next_token 'text', start_time 'integer', "
                          "end_time 'integer', PRIMARY KEY (aws_region, aws_log_group, aws_log_stream))")
        now = int(time.time() * 1000)
        module_db.executemany("INSERT INTO cloudwatch_logs VALUES (?, ?, ?, ?, ?, ?)",
                              [(*row[:5], now) for row in golden["state"]["cloudwatch_logs"]])
    module_db.close()
    before = hashlib.sha256(wazuh_db.read_bytes()).hexdigest()
    state = CloudWatchState.open(tmp_path / "state", wazuh_db=wazuh_db, from_wazuh_state=True)
    result, lines, sent = run_pass(moto, home, golden, state)
    assert sent == [] and result.exit_code == 0, "the module's rows say every event was already sent"
    assert "DEBUG: +++ Table does not exist; create" not in lines
    assert hashlib.sha256(wazuh_db.read_bytes()).hexdigest() == before
    with pytest.raises(Exception, match="module's own state database"):
        CloudWatchState.open(wazuh_db.parent, wazuh_db=wazuh_db)


def test_the_saved_row_merges_like_the_module() -> None:
    saved = StreamProgress("s1", "t1", 100, 200)
    assert merged(None, None, StreamProgress("s1", "t2", 50, 300)) == StreamProgress("s1", "t2", 50, 300)
    assert merged(saved, StreamProgress("s1", "t0", 40, 90), StreamProgress("s1", "t2", 201, 250)) \
        == StreamProgress("s1", "t2", 40, 250)
    assert merged(saved, None, StreamProgress("s1", "t3", 201, 201)) == StreamProgress("s1", "t3", 100, 201)
    assert merged(StreamProgress("s1", None, None, None), None, StreamProgress("s1", "t", 10, 20)) \
        == StreamProgress("s1", "t", 20, 20), "an empty saved start takes the largest end, as the module does"


def test_the_cli_pass_streams_the_modules_lines_and_resumes_from_our_state(
        inputs_home: Path, moto: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expected = seed_plain_logs(moto)
    argv = ["ingest", "--wazuh-home", str(inputs_home), "--endpoint-url", moto, "--block", str(PLAIN_LOGS_LINE),
            "--debug", "2", "--state-dir", str(tmp_path / "state")]
    assert main([*argv, "--events-out", str(tmp_path / "first.txt")]) == 0
    first = capsys.readouterr().err.splitlines()
    assert (tmp_path / "first.txt").read_text().splitlines() == expected
    assert 'DEBUG: The message is "hello world"' in first
    assert first.count('DEBUG: +++ The "None" regex found a match. The event will be skipped.') == 2
    assert main([*argv, "--events-out", str(tmp_path / "second.txt")]) == 0
    second = capsys.readouterr().err
    assert (tmp_path / "second.txt").read_text() == ""
    assert 'DEBUG: +++ There are no new events in the "plain-logs" group' in second
    assert "0 event(s) sent, 0 skipped" in second
    assert (tmp_path / "state" / SERVICES_FILE_NAME).is_file()
