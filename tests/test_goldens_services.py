"""Our ``ingest --block`` and ``check --block`` on services and subscribers against recorded runs of the module.

``cloudwatch_second_run``: two CloudWatch Logs runs of Wazuh's 4.14.7 script on one ``aws_services.db``, with a
stream deleted, an event put and a stream created in between (``tests/goldens/record_services.py``). Our CLI
runs twice with its own state directory and must send the same datagrams and print the same lines, the second
run's purge line included. ``subscriber_receive_denied``: a ``buckets`` subscriber whose user may not receive;
``check --block`` must predict the module's exit and carry its lines.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import admin_client
from tests.hardening_support import make_home, ossec_conf, run_cli

GOLDENS = Path(__file__).resolve().parent / "goldens" / "module_4_14_7"
ONLY_LOGS_AFTER_MILLIS = "1796083200000"
"""2026-DEC-01 00:00 UTC: the one epoch-millisecond value every recording shares."""
LEVELS = ("DEBUG: ", "ERROR: ", "WARNING: ", "INFO: ", "CRITICAL: ")


def load(name: str) -> dict[str, Any]:
    golden: dict[str, Any] = json.loads((GOLDENS / name / "golden.json").read_text())
    return golden


def normalised(lines: list[str]) -> list[str]:
    """Times moto and the clock give each run become ``<ms>`` (only_logs_after stays as recorded)."""
    return [re.sub(r"-?\b\d{13}\b", lambda m: m.group(0) if m.group(0) == ONLY_LOGS_AFTER_MILLIS else "<ms>", line)
            for line in lines]


def module_lines(err: str) -> list[str]:
    """The lines our pass streams in the module's words (``LEVEL: text``), without our closing summary."""
    return [line for line in err.splitlines() if line.startswith(LEVELS)]


def block_line(conf: str, element: str) -> int:
    """The ossec.conf line of the first ``element`` (1-based)."""
    return next(number for number, line in enumerate(conf.splitlines(), start=1) if line.strip().startswith(element))


# -- CloudWatch Logs: the second run --------------------------------------------------------------------------

CLOUDWATCH_BLOCK = ("    <service type=\"cloudwatchlogs\">\n      <aws_log_groups>app-logs</aws_log_groups>\n"
                    "      <regions>us-east-1</regions>\n      <only_logs_after>2026-DEC-01</only_logs_after>\n"
                    "    </service>\n")


def put_events(logs: Any, group: str, stream: str, messages: list[str], first: int, create: bool) -> None:
    if create:
        logs.create_log_stream(logGroupName=group, logStreamName=stream)
    logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=[
        {"timestamp": first + 1000 * index, "message": message} for index, message in enumerate(messages)])


def our_latest_end_time(state_dir: Path) -> int:
    """The latest end_time our pass saved (the recorder puts the between-run events a second after it)."""
    with sqlite3.connect(f"file:{state_dir / 'aws_services.db'}?mode=ro", uri=True) as connection:
        (latest,) = connection.execute("SELECT max(end_time) FROM cloudwatch_logs").fetchone()
    connection.close()
    return int(latest)


def test_cloudwatch_second_run_matches_the_module_line_for_line(moto: str, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    golden = load("cloudwatch_second_run")
    seed, between = golden["seed"], golden["between_runs"]
    conf = ossec_conf(CLOUDWATCH_BLOCK)
    home = make_home(tmp_path, monkeypatch, conf, config=None)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    logs = admin_client(moto, "logs", seed["region"])
    logs.create_log_group(logGroupName=seed["log_group"])
    now = int(time.time() * 1000) - 60_000
    for stream, messages in seed["streams"].items():
        put_events(logs, seed["log_group"], stream, messages, now - 1000 * len(messages), create=True)
    state_dir = tmp_path / "doctor-state"
    line = str(block_line(conf, "<service"))
    for number, run in enumerate(golden["runs"], start=1):
        if number == 2:
            for stream in between["delete_streams"]:
                logs.delete_log_stream(logGroupName=seed["log_group"], logStreamName=stream)
            later = our_latest_end_time(state_dir) + 1000
            for stream, messages in between["put"].items():
                put_events(logs, seed["log_group"], stream, messages, later, create=stream not in seed["streams"])
        events = tmp_path / f"events-{number}.txt"
        code, _out, err = run_cli(capsys, "ingest", *home.common(moto), "--block", line, "--debug",
                                  run["arguments"][run["arguments"].index("--debug") + 1], "--state-dir",
                                  str(state_dir), "--events-out", str(events))
        assert code == run["exit_code"]
        assert events.read_text().splitlines() == run["datagrams"], f"run {number}: the module's datagrams"
        assert normalised(module_lines(err)) == normalised(run["output"]), f"run {number}: line for line"
    assert 'DEBUG: Data for the following log streams will be removed from cloudwatch_logs: "{\'s3-gone\'}"' \
        in golden["runs"][1]["output"]
