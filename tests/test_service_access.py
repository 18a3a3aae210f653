"""CloudWatch Logs and Inspector blocks against moto, judged by runs of the real module recorded as goldens."""

from __future__ import annotations

import itertools
import json
import sqlite3
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import boto3
import pytest

from diagnostics.aws.clients import ClientSettings
from diagnostics.aws.service_access import check_service_access
from diagnostics.aws.service_regions import service_regions
from diagnostics.context import DoctorContext
from diagnostics.findings import Finding, SourceLocation, Status
from diagnostics.wazuh.versions import profile_for
from diagnostics.wazuh.wodle import Block, Option
from tests.conftest import admin_client

GOLDENS = Path(__file__).parent / "goldens" / "module_4_14_7"
NOW = datetime(2026, 12, 4, 12, 0, 0, tzinfo=timezone.utc)
CLOUDWATCH_GOLDENS = sorted(path.name for path in GOLDENS.glob("cloudwatch_*")
                            if "arguments" in json.loads((path / "golden.json").read_text()))
"""The single-run goldens (a multi-run golden such as second_run_cloudwatch keeps its runs under ``runs``)."""


def service_block(block_type: str, **options: str) -> Block:
    return Block("service", block_type, SourceLocation("/var/ossec/etc/ossec.conf", 20),
                 {name: Option(name, value, 21 + index) for index, (name, value) in enumerate(options.items())})


def context(module_home: Path, debug_level: int = 0, wazuh_home: Path | None = None) -> DoctorContext:
    return DoctorContext(now=NOW, debug_level=debug_level, profile=profile_for((4, 14, 7), "test"),
                         module_home=module_home, wazuh_home=wazuh_home or module_home / "no-wazuh")


def settings(endpoint: str) -> ClientSettings:
    return ClientSettings(endpoint_url=endpoint, max_attempts=0, connect_timeout=2, read_timeout=5)


def session() -> boto3.session.Session:
    return boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                 region_name="us-east-1")


def load_golden(name: str) -> dict[str, Any]:
    golden: dict[str, Any] = json.loads((GOLDENS / name / "golden.json").read_text())
    return golden


def block_from_arguments(arguments: list[str]) -> Block:
    """The `<service>` block whose command line the golden recorded."""
    names = {"--aws_log_groups": "aws_log_groups", "--regions": "regions", "--aws_profile": "aws_profile",
             "--only_logs_after": "only_logs_after"}
    options = {names[flag]: value for flag, value in itertools.pairwise(arguments) if flag in names}
    return service_block("cloudwatchlogs", **options)


def seed(endpoint: str, golden: dict[str, Any], tmp_path: Path) -> Path:
    """The golden's log groups on moto (JSON events or plain messages per region) and its ~/.aws files in a
    module home; returns that home."""
    recorded = golden["seed"]
    now = int(time.time() * 1000)
    per_region = recorded.get("messages") or {region: [json.dumps(event) for event in events]
                                              for region, events in recorded["events"].items()}
    for region, messages in per_region.items():
        logs = admin_client(endpoint, "logs", region)
        logs.create_log_group(logGroupName=recorded["log_group"])
        logs.create_log_stream(logGroupName=recorded["log_group"], logStreamName=recorded["stream"])
        logs.put_log_events(logGroupName=recorded["log_group"], logStreamName=recorded["stream"],
                            logEvents=[{"timestamp": now - 1000 * (len(messages) - index), "message": message}
                                       for index, message in enumerate(messages)])
    home = tmp_path / "root"
    (home / ".aws").mkdir(parents=True)
    (home / ".aws" / "credentials").write_text(
        f"{golden['aws_home']['credentials']}\naws_access_key_id = testing\naws_secret_access_key = testing\n")
    if golden["aws_home"]["config"] is not None:
        (home / ".aws" / "config").write_text(golden["aws_home"]["config"])
    return home


def predicted_exit(findings: tuple[Finding, ...]) -> int:
    return next((finding.wazuh_exit_code for finding in findings if finding.wazuh_exit_code is not None), 0)


@pytest.mark.parametrize("name", CLOUDWATCH_GOLDENS)
def test_cloudwatch_regions_and_exit_match_the_module(moto: str, tmp_path: Path, name: str) -> None:
    golden = load_golden(name)
    home = seed(moto, golden, tmp_path)
    block = block_from_arguments(golden["arguments"])
    findings = check_service_access(session(), block, context(home), settings(moto))
    assert predicted_exit(findings) == golden["exit_code"], [finding.title for finding in findings]
    regions = service_regions(block, home)
    walked = [line.split('"')[1] for line in golden["output"] if "Getting alerts from" in line]
    assert list(regions.loop_regions[:len(walked)]) == walked
    debugging = any("Debug mode on" in line for line in golden["output"])
    if golden["exit_code"] == 0 and debugging:
        assert len(regions.loop_regions) == len(walked)
    if golden["exit_code"] == 0 and "events" in golden["seed"]:
        seeded = golden["seed"]["events"]
        predicted = Counter(json.dumps(event) for region in regions.loop_regions
                            for event in seeded.get(regions.region_read(region), []))
        module = Counter(datagram.removeprefix("1:Wazuh-AWS:") for datagram in golden["datagrams"])
        assert predicted == module
    overridden = [finding for finding in findings if finding.check_id == "logs.regions"
                  and finding.failure_id == "service.region_overridden"]
    module_duplicates = len(golden["datagrams"]) > len(set(golden["datagrams"]))
    assert bool(overridden) == module_duplicates


def test_region_override_is_said_with_the_fix(moto: str, tmp_path: Path) -> None:
    golden = load_golden("cloudwatch_profile_region_all_regions")
    home = seed(moto, golden, tmp_path)
    findings = check_service_access(session(), block_from_arguments(golden["arguments"]), context(home),
                                    settings(moto))
    overridden = next(finding for finding in findings if finding.failure_id == "service.region_overridden")
    assert overridden.status is Status.ERROR
    assert "33 iterations" in overridden.explanation and "eu-west-1" in overridden.title
    assert "<regions>" in overridden.fix


def test_missing_group_in_the_configured_region_is_exit_16_with_the_modules_line(moto: str, tmp_path: Path) -> None:
    home = tmp_path / "root"
    (home / ".aws").mkdir(parents=True)
    block = service_block("cloudwatchlogs", aws_log_groups="app-logz", regions="us-east-1")
    admin_client(moto, "logs").create_log_group(logGroupName="app-logs")
    findings = check_service_access(session(), block, context(home, debug_level=1), settings(moto))
    failed = next(finding for finding in findings if finding.failure_id == "logs.group_failed")
    assert failed.wazuh_exit_code == 16
    assert any('The "get_log_streams" request failed: An error occurred (ResourceNotFoundException)' in line
               for line in failed.ossec_log)
    assert "app-logs" in failed.fix


def test_remove_log_streams_is_explained_and_nothing_is_deleted(moto: str, tmp_path: Path) -> None:
    home = tmp_path / "root"
    (home / ".aws").mkdir(parents=True)
    logs = admin_client(moto, "logs")
    logs.create_log_group(logGroupName="app-logs")
    logs.create_log_stream(logGroupName="app-logs", logStreamName="s1")
    block = service_block("cloudwatchlogs", aws_log_groups="app-logs", regions="us-east-1",
                          remove_log_streams="yes")
    findings = check_service_access(session(), block, context(home), settings(moto))
    assert [finding.failure_id for finding in findings] == ["service.regions_ok", "logs.remove_streams",
                                                           "logs.group_ok", "logs.state_first_run"]
    assert logs.describe_log_streams(logGroupName="app-logs")["logStreams"][0]["logStreamName"] == "s1"


def test_inspector_lists_findings_over_the_next_window(moto: str, tmp_path: Path) -> None:
    home = tmp_path / "root"
    (home / ".aws").mkdir(parents=True)
    block = service_block("inspector", regions="us-east-1", only_logs_after="2026-NOV-01")
    findings = check_service_access(session(), block, context(home), settings(moto))
    ok = next(finding for finding in findings if finding.failure_id == "inspector.findings_ok")
    assert ok.status is Status.OK and "2026-11-01 00:00:00" in ok.explanation


def write_services_db(wazuh_home: Path, rows: list[list[Any]]) -> None:
    """aws_services.db with the module's cloudwatch_logs schema and the given rows."""
    path = wazuh_home / "wodles" / "aws" / "aws_services.db"
    path.parent.mkdir(parents=True)
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE cloudwatch_logs ( aws_region 'text' NOT NULL, aws_log_group 'text' NOT NULL, "
                       "aws_log_stream 'text' NOT NULL, next_token 'text', start_time 'integer', "
                       "end_time 'integer', PRIMARY KEY (aws_region, aws_log_group, aws_log_stream))")
    connection.executemany("INSERT INTO cloudwatch_logs VALUES (?, ?, ?, ?, ?, ?)", rows)
    connection.commit()
    connection.close()


def test_saved_progress_is_read_under_the_loop_region_the_module_keys_it_by(moto: str, tmp_path: Path) -> None:
    golden = load_golden("cloudwatch_profile_region_overrides_regions")
    rows = golden["state"]["cloudwatch_logs"]
    assert {row[0] for row in rows} == {"us-east-1", "eu-west-1"}, "the module keys both loop regions"
    home = seed(moto, golden, tmp_path)
    wazuh_home = tmp_path / "ossec"
    write_services_db(wazuh_home, rows)
    block = service_block("cloudwatchlogs", aws_log_groups="app-logs", regions="us-east-1")
    findings = check_service_access(session(), block, context(home, wazuh_home=wazuh_home), settings(moto))
    saved = next(finding for finding in findings if finding.failure_id == "logs.state")
    end = rows[1][5]
    next_start = datetime.fromtimestamp((end + 1) / 1000, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    assert "under us-east-1" in saved.title and next_start in saved.explanation
    fresh = check_service_access(session(), service_block("cloudwatchlogs", aws_log_groups="app-logs",
                                                          regions="us-east-1", only_logs_after="2026-NOV-02"),
                                 context(home), settings(moto))
    first = next(finding for finding in fresh if finding.failure_id == "logs.state_first_run")
    assert "2026-11-02 00:00:00 UTC" in first.title


def test_plain_text_messages_starting_with_none_are_reported_as_lost(moto: str, tmp_path: Path) -> None:
    home = tmp_path / "root"
    (home / ".aws").mkdir(parents=True)
    logs = admin_client(moto, "logs")
    logs.create_log_group(logGroupName="plain-logs")
    logs.create_log_stream(logGroupName="plain-logs", logStreamName="s1")
    now = int(time.time() * 1000)
    logs.put_log_events(logGroupName="plain-logs", logStreamName="s1", logEvents=[
        {"timestamp": now - 2000, "message": "None of the 3 login attempts succeeded"},
        {"timestamp": now - 1000, "message": "hello world"}])
    block = service_block("cloudwatchlogs", aws_log_groups="plain-logs", regions="us-east-1")
    findings = check_service_access(session(), block, context(home), settings(moto))
    lost = next(finding for finding in findings if finding.failure_id == "logs.none_dropped")
    assert lost.status is Status.ERROR and lost.title.startswith("1 of the first 2 events of s1")
    assert "<discard_regex>(?!)</discard_regex>" in lost.fix
    configured = Block(block.kind, block.block_type, block.location, block.options,
                       discard_regex=Option("discard_regex", "(?!)", 30))
    findings = check_service_access(session(), configured, context(home), settings(moto))
    assert "logs.none_dropped" not in {finding.failure_id for finding in findings}
