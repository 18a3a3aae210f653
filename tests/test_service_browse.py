"""Browsing a service block level by level on moto: regions, log groups, streams, events, Inspector findings."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest

from diagnostics.aws.log_listing import EVENTS_PAGE
from diagnostics.context import DoctorContext, context_from_environment
from diagnostics.findings import SourceLocation
from diagnostics.service_browse import (
    browse_events,
    browse_findings,
    browse_groups,
    browse_streams,
    open_service_browse,
)
from diagnostics.wazuh.wodle import Block, Option
from tests.conftest import admin_client
from tests.inspector_server import inspector_server, sample_findings

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=timezone.utc)
DAY = int(datetime(2026, 12, 4, tzinfo=timezone.utc).timestamp() * 1000)
"""2026-12-04 00:00 UTC: the first run's start when no only_logs_after is set (today at 00:00)."""
MINUTE = 60_000


@pytest.fixture
def root_profile(clean_aws_env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Root's [default] profile in the module's home."""
    (clean_aws_env / ".aws" / "credentials").write_text(
        "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = doctor-secret\n")
    monkeypatch.setenv("WAZUH_AWS_DOCTOR_MODULE_HOME", str(clean_aws_env))
    return clean_aws_env


def seed_logs(endpoint: str, region: str = "us-east-1") -> None:
    """app-logs with two streams: s1 (60 events, the first a 'None …' text) and s2 (one JSON event)."""
    logs = admin_client(endpoint, "logs", region)
    logs.create_log_group(logGroupName="app-logs")
    logs.create_log_stream(logGroupName="app-logs", logStreamName="s1")
    logs.create_log_stream(logGroupName="app-logs", logStreamName="s2")
    messages = ["None of the checks answered"] + [f"line {index} \x1b[31m[bold]x[/]" for index in range(1, 60)]
    logs.put_log_events(logGroupName="app-logs", logStreamName="s1", logEvents=[
        {"timestamp": DAY + index * MINUTE, "message": message} for index, message in enumerate(messages)])
    logs.put_log_events(logGroupName="app-logs", logStreamName="s2",
                        logEvents=[{"timestamp": DAY + 5 * MINUTE, "message": '{"level": "info"}'}])


def saved_progress(context: DoctorContext, loop_region: str, stream: str, end: int) -> None:
    """The module's cloudwatch_logs row for one stream of app-logs: sent up to ``end``."""
    path = context.services_db_path
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE IF NOT EXISTS cloudwatch_logs (aws_region 'text' NOT NULL, aws_log_group 'text' "
                   "NOT NULL, aws_log_stream 'text' NOT NULL, next_token 'text', start_time 'integer', "
                   "end_time 'integer', PRIMARY KEY (aws_region, aws_log_group, aws_log_stream))")
        db.execute("INSERT INTO cloudwatch_logs VALUES (?, 'app-logs', ?, 'f/123', ?, ?)",
                   (loop_region, stream, DAY, end))
    db.close()


def cloudwatch_block(tmp_path: Path, groups: str, regions: str = "us-east-1") -> Block:
    return Block("service", "cloudwatchlogs", SourceLocation(str(tmp_path / "ossec.conf"), 12),
                 {"aws_log_groups": Option("aws_log_groups", groups, 13), "regions": Option("regions", regions, 14)})


def context_for(endpoint: str, tmp_path: Path) -> DoctorContext:
    return context_from_environment(None, str(tmp_path / "ossec"), endpoint).with_changes(now=NOW)


def test_groups_are_marked_and_a_missing_one_carries_the_modules_exit_and_line(
        root_profile: Path, moto: str, tmp_path: Path) -> None:
    seed_logs(moto)
    browse = open_service_browse(context_for(moto, tmp_path), cloudwatch_block(tmp_path, "app-logs,gone-logs"))
    assert browse.regions.loop_regions == ("us-east-1",)
    found, missing = browse_groups(browse, "us-east-1")
    assert (found.probe.group, found.state, found.finding) == ("app-logs", "exists", None)
    assert found.probe.stored_bytes is not None
    assert missing.state == "missing" and missing.finding is not None
    assert missing.finding.wazuh_exit_code == 16
    assert any('The "get_log_streams" request failed' in line for line in missing.finding.ossec_log)
    assert "Create the group in us-east-1" in missing.finding.fix


def test_streams_say_where_the_next_run_reads_from_the_saved_progress(
        root_profile: Path, moto: str, tmp_path: Path) -> None:
    seed_logs(moto)
    context = context_for(moto, tmp_path)
    saved_progress(context, "us-east-1", "s1", DAY + 30 * MINUTE)
    browse = open_service_browse(context, cloudwatch_block(tmp_path, "app-logs"))
    listing = browse_streams(browse, "us-east-1", "app-logs")
    assert listing.failure is None
    s1, s2 = listing.streams
    assert (s1.info.name, s2.info.name) == ("s1", "s2")
    assert s1.progress is not None and s1.progress.end_time == DAY + 30 * MINUTE
    assert s1.asks == ((DAY + 30 * MINUTE + 1, None),), "after the last event sent"
    assert s2.progress is None and s2.asks == ((DAY, None),), "a stream never read: from today at 00:00"
    assert s1.info.last_event == DAY + 59 * MINUTE


def test_events_page_from_the_head_with_the_datagram_and_the_next_runs_verdict(
        root_profile: Path, moto: str, tmp_path: Path) -> None:
    seed_logs(moto)
    context = context_for(moto, tmp_path)
    saved_progress(context, "us-east-1", "s1", DAY + 30 * MINUTE)
    browse = open_service_browse(context, cloudwatch_block(tmp_path, "app-logs"))
    first = browse_events(browse, "us-east-1", "app-logs", "s1")
    assert len(first.events) == EVENTS_PAGE and first.next_token is not None
    head = first.events[0]
    assert head.event.message == "None of the checks answered"
    assert head.event.dropped_by is not None and "literal 'None'" in head.event.dropped_by
    assert not head.next_run, "sent before: the saved end is later"
    late = first.events[40]
    assert late.next_run and late.event.dropped_by is None
    assert late.event.datagram == "1:Wazuh-AWS:line 40 \x1b[31m[bold]x[/]", "the message byte for byte"
    rest = browse_events(browse, "us-east-1", "app-logs", "s1", first.next_token)
    assert rest.events[0].event.message == "line 50 \x1b[31m[bold]x[/]"
    assert len(rest.events) == 10
    end = browse_events(browse, "us-east-1", "app-logs", "s1", rest.next_token) if rest.next_token else None
    assert end is None or (not end.events and end.next_token is None)


def test_a_profile_region_overrides_the_loop_region_and_is_the_one_read(
        root_profile: Path, moto: str, tmp_path: Path) -> None:
    seed_logs(moto, "eu-west-1")
    (root_profile / ".aws" / "config").write_text("[default]\nregion = eu-west-1\n")
    browse = open_service_browse(context_for(moto, tmp_path), cloudwatch_block(tmp_path, "app-logs", "us-east-1"))
    assert browse.regions.region_read("us-east-1") == "eu-west-1"
    (group,) = browse_groups(browse, "us-east-1")
    assert group.state == "exists" and group.region_read == "eu-west-1"


def inspector_block(tmp_path: Path, regions: str) -> Block:
    return Block("service", "inspector", SourceLocation(str(tmp_path / "ossec.conf"), 20),
                 {"regions": Option("regions", regions, 21),
                  "only_logs_after": Option("only_logs_after", "2026-DEC-02", 22)})


def test_findings_newest_first_marked_inside_or_before_the_window(
        root_profile: Path, moto: str, tmp_path: Path) -> None:
    with inspector_server(sample_findings(), page_size=100, upstream=moto) as server:
        browse = open_service_browse(context_for(server.endpoint, tmp_path), inspector_block(tmp_path, "us-east-1"))
        listing = browse_findings(browse, "us-east-1")
    assert listing.failure is None and listing.window is not None
    assert listing.window.start == datetime(2026, 12, 2)
    titles = [entry.event.summary for entry in listing.findings]
    assert titles == ["CRITICAL CVE-2020-8203 - lodash", "MEDIUM Port 22 is reachable from an Internet Gateway - TCP",
                      "HIGH CVE-2024-4741 - openssl"]
    assert [entry.in_window for entry in listing.findings] == [True, True, False]
    assert listing.findings[0].event.datagram.startswith('1:Wazuh-AWS:{"integration": "aws", "aws": {')
    assert "filterCriteria" not in server.requests[0], "browsing lists what Inspector holds, not only the window"


def test_an_unsupported_region_is_exit_22_without_a_call_and_a_denied_list_is_exit_12(
        root_profile: Path, moto: str, tmp_path: Path) -> None:
    with inspector_server([], upstream=moto, deny="not authorized to perform: inspector2:ListFindings") as server:
        browse = open_service_browse(context_for(server.endpoint, tmp_path),
                                     inspector_block(tmp_path, "me-south-1,us-east-1"))
        refused = browse_findings(browse, "me-south-1")
        assert not server.requests
        denied = browse_findings(browse, "us-east-1")
    assert browse.unsupported("me-south-1") and not browse.unsupported("us-east-1")
    assert refused.failure is not None and refused.failure.wazuh_exit_code == 22
    assert "first region of the sorted loop, so the run reads nothing" in refused.failure.explanation
    assert denied.failure is not None and denied.failure.wazuh_exit_code == 12
    assert "ListFindings" in " ".join(denied.failure.evidence) or "not authorized" in denied.failure.explanation


def test_findings_page_with_the_token_until_the_last_page(root_profile: Path, moto: str, tmp_path: Path) -> None:
    with inspector_server(sample_findings(), page_size=2, upstream=moto) as server:
        browse = open_service_browse(context_for(server.endpoint, tmp_path), inspector_block(tmp_path, "us-east-1"))
        first = browse_findings(browse, "us-east-1")
        assert len(first.findings) == 2 and first.next_token is not None
        last = browse_findings(browse, "us-east-1", first.next_token)
    assert len(last.findings) == 1 and last.next_token is None
    assert server.requests[1]["nextToken"] == first.next_token
    assert server.requests[0]["sortCriteria"] == {"field": "LAST_OBSERVED_AT", "sortOrder": "DESC"}


def test_a_cancelled_listing_makes_no_call(root_profile: Path, moto: str, tmp_path: Path) -> None:
    import threading

    seed_logs(moto)
    browse = open_service_browse(context_for(moto, tmp_path), cloudwatch_block(tmp_path, "app-logs"))
    cancel = threading.Event()
    cancel.set()
    listing = browse_streams(browse, "us-east-1", "app-logs", cancel=cancel)
    assert listing.streams == () and listing.more, "stopped before the first page, and says more may exist"
    assert browse_groups(browse, "us-east-1", cancel=cancel) == ()


def test_a_denied_get_log_events_is_the_modules_exit_16_on_the_stream(
        clean_aws_env: Path, monkeypatch: pytest.MonkeyPatch, moto: str, tmp_path: Path) -> None:
    import json

    from tests.conftest import enable_auth

    seed_logs(moto)
    iam = admin_client(moto, "iam")
    iam.create_user(UserName="streams-only")
    iam.put_user_policy(UserName="streams-only", PolicyName="p", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*", "Action": [
            "logs:DescribeLogStreams", "logs:DescribeLogGroups", "sts:GetCallerIdentity"]}]}))
    key = iam.create_access_key(UserName="streams-only")["AccessKey"]
    (clean_aws_env / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = {key['AccessKeyId']}\naws_secret_access_key = {key['SecretAccessKey']}\n")
    monkeypatch.setenv("WAZUH_AWS_DOCTOR_MODULE_HOME", str(clean_aws_env))
    enable_auth(moto)
    browse = open_service_browse(context_for(moto, tmp_path), cloudwatch_block(tmp_path, "app-logs"))
    (group,) = browse_groups(browse, "us-east-1")
    assert group.state == "exists"
    assert [entry.info.name for entry in browse_streams(browse, "us-east-1", "app-logs").streams] == ["s1", "s2"]
    denied = browse_events(browse, "us-east-1", "app-logs", "s1")
    assert denied.events == () and denied.failure is not None
    assert denied.failure.failure_id == "logs.events_denied" and denied.failure.wazuh_exit_code == 16
    assert any('The "get_log_events" request failed' in line for line in denied.failure.ossec_log)
