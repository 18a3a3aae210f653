"""One diagnostics call serves both faces: Browse opens with the block's wodle, a failed listing and a stopped
walk are findings from diagnostics, and Troubleshoot's reruns go through the check runner.

Everything runs against the demo's moto server; the Pilot tests read what the screen shows.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import pytest
from textual.message import Message
from textual.widgets import Static

from diagnostics.bucket_session import browse_level, open_bucket, open_configured_bucket, walk_keys
from diagnostics.check_runner import BlockRun, group_of, run_block
from diagnostics.checks import BlockReport, load_configuration
from diagnostics.findings import Status
from diagnostics.ingest.engine import run_ingestion
from diagnostics.ingest.sinks import MemorySink
from diagnostics.wazuh.wodle import Block
from tests.screen_text import screen_lines
from tests.snapshot_apps.harness import ScreenHarness, wait_until
from tui.demo import DemoEnvironment, start_demo
from tui.messages import EventsDecoded, KeysListed, ListingFailed
from tui.screens.browse import BrowseScreen
from tui.widgets.key_tree import KeyEntry, KeyTree

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=timezone.utc)
TRUNCATED = "Tr8nc4t3dGz1pXyZ"
"""The demo's cut-off gzip in demo-cloudtrail (2026-11-27): the module cannot decode it."""


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoEnvironment]:
    environment = start_demo(now=NOW, root=tmp_path_factory.mktemp("one-answer-demo"))
    try:
        yield environment
    finally:
        environment.stop()


def block_named(demo: DemoEnvironment, name: str, profile: str = "wazuh-demo") -> Block:
    loaded, _ = load_configuration(demo.context)
    return next(b for b in loaded.blocks if b.name == name and b.value("aws_profile") == profile)


def of_type(messages: list[Message], kind: type[Message]) -> list[Message]:
    return [message for message in messages if isinstance(message, kind)]


def test_browse_opens_the_bucket_with_its_wodle(demo: DemoEnvironment) -> None:
    block = block_named(demo, "demo-cloudtrail")
    session = open_configured_bucket(demo.context, block)
    assert session.wodle is not None and session.wodle.value("skip_on_error") == "yes"
    assert session.block.key == block.key and session.usable


async def test_browse_preview_honours_the_wodles_skip_on_error(demo: DemoEnvironment) -> None:
    """The demo's wodle sets skip_on_error: the module sends an error_msg event for the broken object and
    goes on, which is what the preview must say (without the wodle it showed no error_msg event)."""
    messages: list[Message] = []
    block = block_named(demo, "demo-cloudtrail")
    app = ScreenHarness(lambda: BrowseScreen(demo.context, block))
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await wait_until(pilot, lambda: bool(of_type(messages, KeysListed)))
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        screen.reroot("AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/27/")
        tree = screen.query_one(KeyTree)

        def truncated_nodes() -> list[Any]:
            return [child for child in tree.root.children
                    if isinstance(child.data, KeyEntry) and TRUNCATED in child.data.classified.key]

        await wait_until(pilot, lambda: bool(truncated_nodes()))
        tree.focus()
        tree.move_cursor(truncated_nodes()[0])
        await pilot.press("enter")
        await wait_until(pilot, lambda: bool(of_type(messages, EventsDecoded)))
        await pilot.pause()
        decoded = of_type(messages, EventsDecoded)[0]
        assert isinstance(decoded, EventsDecoded)
        assert [problem.error_payload is not None for problem in decoded.result.problems] == [True]
        totals = str(app.screen.query_one("#preview-totals", Static).render())
        assert "1 error_msg event(s) sent instead" in totals


async def test_browse_shows_the_listing_failures_fix(demo: DemoEnvironment) -> None:
    messages: list[Message] = []
    block = block_named(demo, "demo-forbidden", profile="wazuh-limited")
    app = ScreenHarness(lambda: BrowseScreen(demo.context, block))
    async with app.run_test(size=(160, 50), message_hook=messages.append) as pilot:
        await wait_until(pilot, lambda: bool(of_type(messages, ListingFailed)))
        await pilot.pause()
        failed = of_type(messages, ListingFailed)[0]
        assert isinstance(failed, ListingFailed) and failed.finding is not None
        assert failed.finding.failure_id == "access.list_denied" and "AccessDenied" in failed.error
        shown = " ".join(" ".join(screen_lines(app)).split())
        assert "Listing demo-forbidden is denied (AccessDenied)" in shown
        assert "fix: Allow s3:ListBucket on arn:aws:s3:::demo-forbidden" in shown


def test_keys_and_browse_get_the_same_listing_finding(demo: DemoEnvironment) -> None:
    block = block_named(demo, "demo-forbidden", profile="wazuh-limited")
    session = open_configured_bucket(demo.context, block)
    browsed = browse_level(session, session.start_prefix)
    assert browsed.failure is not None and not browsed.keys
    assert browsed.failure.status is Status.ERROR and "AccessDenied" in browsed.failure.details["error"]
    assert browsed.failure.failure_id == "access.list_denied" and browsed.failure.wazuh_exit_code == 1
    assert session.principal is not None and session.principal in browsed.failure.fix


def test_keys_walk_stops_with_the_exit_code_the_pass_reports(demo: DemoEnvironment, tmp_path: object) -> None:
    from pathlib import Path

    from diagnostics.bucket_session import ingest_request

    block = block_named(demo, "demo-forbidden", profile="wazuh-limited")
    session = open_configured_bucket(demo.context, block)
    walked = walk_keys(session, limit=50)
    assert not walked.keys
    assert [finding.failure_id for finding in walked.findings] == ["host.ingest_walk_stopped"]
    request = ingest_request(session, debug_level=demo.context.debug_level, state_dir=Path(str(tmp_path)))
    summary = run_ingestion(request, sink=MemorySink(), cancel=threading.Event())
    stopped = [finding for finding in summary.findings if finding.failure_id == "host.ingest_walk_stopped"]
    assert summary.exit_code != 0
    assert [finding.title for finding in stopped] == [walked.findings[0].title]


def test_runner_reruns_one_group_with_the_earlier_results(demo: DemoEnvironment) -> None:
    block = block_named(demo, "demo-forbidden", profile="wazuh-limited")
    whole = run_block(demo.context, block)
    assert whole.group is None and whole.report.credentials is not None and whole.report.identity is not None
    access = [finding for finding in whole.report.findings if group_of(finding) == "access"]
    assert any(finding.status is Status.ERROR for finding in access)

    rerun = run_block(demo.context, block, "access", earlier=whole.report)
    assert rerun.ran and rerun.group == "access"
    assert [f.check_id for f in rerun.findings] == [f.check_id for f in access]
    assert [f.check_id for f in rerun.report.findings] == [f.check_id for f in whole.report.findings]


def test_runner_reruns_the_layout_and_sample_steps(demo: DemoEnvironment) -> None:
    block = block_named(demo, "demo-cloudtrail")
    whole = run_block(demo.context, block)
    layout = [finding.check_id for finding in whole.report.findings if group_of(finding) == "layout"]
    assert "sample.decode" in layout
    rerun = run_block(demo.context, block, "layout", earlier=whole.report)
    assert rerun.ran and [finding.check_id for finding in rerun.findings] == layout


def test_runner_refuses_a_group_whose_earlier_steps_have_no_result(demo: DemoEnvironment) -> None:
    block = block_named(demo, "demo-cloudtrail")
    for group in ("identity", "access", "layout"):
        run = run_block(demo.context, block, group, earlier=BlockReport(block, ()))
        assert run == BlockRun(group, BlockReport(block, ()), (), ran=False)
    with pytest.raises(ValueError):
        run_block(demo.context, block, "sample")


def test_open_bucket_without_the_wodle_would_not_skip(demo: DemoEnvironment) -> None:
    """The contrast the Browse fix is about: the same block opened without its wodle decodes with
    skip_on_error off, so a broken object aborts instead of sending an error_msg event."""
    from diagnostics.bucket_session import preview_object
    from diagnostics.layout.listing import list_level

    block = block_named(demo, "demo-cloudtrail")
    with_wodle = open_configured_bucket(demo.context, block)
    without = open_bucket(demo.context, block)
    prefix = "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/27/"
    key = next(obj.key for obj in list_level(with_wodle.client, "demo-cloudtrail", prefix).objects
               if TRUNCATED in obj.key)
    assert preview_object(with_wodle, key).totals.error_events == 1
    assert preview_object(without, key).totals.error_events == 0


def test_cli_and_app_close_a_pass_with_the_same_lines(demo: DemoEnvironment, tmp_path: object,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    import argparse
    from pathlib import Path

    from diagnostics.bucket_session import ingest_request
    from tui.ingest_command import _print_summary
    from tui.screens.ingest import summary_text

    session = open_configured_bucket(demo.context, block_named(demo, "demo-cloudtrail"))
    request = ingest_request(session, debug_level=1, state_dir=Path(str(tmp_path)), reset=True)
    summary = run_ingestion(request, sink=MemorySink(), cancel=threading.Event())
    lines = summary.closing_lines()
    assert lines[0].startswith("bucket demo-cloudtrail (cloudtrail): ") and summary.files_read > 0
    assert lines[2] == f"The module would exit with code {summary.exit_code} for this walk."
    assert summary_text(summary).plain.splitlines() == list(lines)
    _print_summary(argparse.Namespace(events_out=None, format="text"), summary)
    printed = capsys.readouterr().out.splitlines()
    assert printed[1:1 + len(lines)] == list(lines)


async def test_troubleshoot_reruns_the_sample_step_alone(demo: DemoEnvironment) -> None:
    """r on the last step reruns the layout group through the runner (it used to rerun the whole block)."""
    from tui.messages import BlockChecked, StepRerun
    from tui.screens.troubleshoot import TroubleshootScreen
    from tui.widgets.check_step import CheckStep

    messages: list[Message] = []
    block = block_named(demo, "demo-cloudtrail")
    app = ScreenHarness(lambda: TroubleshootScreen(demo.context, block))
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await wait_until(pilot, lambda: bool(of_type(messages, BlockChecked)))
        await pilot.pause()
        steps = {step.step.step_id: step for step in app.screen.query(CheckStep)}
        assert steps["sample"].status is Status.OK
        steps["sample"].query_one("CollapsibleTitle").focus()
        await pilot.press("r")
        await wait_until(pilot, lambda: bool(of_type(messages, StepRerun)))
        await wait_until(pilot, lambda: not steps["sample"].pending)
        rerun = of_type(messages, StepRerun)[0]
        assert isinstance(rerun, StepRerun) and rerun.step == "layout" and rerun.ran
        assert "sample.decode" in [finding.check_id for finding in rerun.findings]
        assert len(of_type(messages, BlockChecked)) == 1
        assert steps["sample"].status is Status.OK
        shown = " ".join(" ".join(screen_lines(app)).split())
        assert "Reran Key layout, Start marker and state, Decode the next file as the module would: ok." in shown
