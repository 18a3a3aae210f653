"""The app driven end to end against the demo's moto server: what is shown and which messages flow."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from textual import work
from textual.message import Message
from textual.widgets import Button, Input, OptionList, Select, Static, TextArea

from diagnostics.context import DoctorContext
from diagnostics.findings import Status
from diagnostics.wazuh.wodle import Block
from tests.screen_text import region_lines, screen_lines
from tests.snapshot_apps.harness import ScreenHarness, notifications, wait_until
from tui.app import DoctorApp
from tui.demo import DemoEnvironment, start_demo
from tui.messages import (
    BlockChecked,
    BucketOpened,
    ChecksCompleted,
    EventsDecoded,
    IngestFinished,
    IngestLogged,
    IngestProgressed,
    KeysListed,
    ListingFailed,
    LogExplained,
    MarkerLocated,
    StepRerun,
)
from tui.screens.base import DoctorScreen
from tui.screens.browse import BrowseScreen
from tui.screens.help import HelpScreen
from tui.screens.ingest import IngestScreen
from tui.screens.log_explainer import LogExplainerScreen
from tui.screens.overview import OverviewScreen
from tui.screens.preview import PreviewScreen
from tui.screens.troubleshoot import TroubleshootScreen
from tui.widgets.check_step import CheckStep
from tui.widgets.config_tree import ConfigTree
from tui.widgets.json_view import JsonView
from tui.widgets.key_tree import KeyEntry, KeyTree, MarkerEntry
from tui.widgets.live_log import LiveLog

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=timezone.utc)
TODAY_PREFIX = "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/29/"
SECRET_IN_SAMPLE_LOG = "Tz9m/1kQp2EXAMPLEsecretKEYvalue+abc12345"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoEnvironment]:
    environment = start_demo(now=NOW, root=tmp_path_factory.mktemp("pilot-demo"))
    try:
        yield environment
    finally:
        environment.stop()


def blocks_of(demo: DemoEnvironment) -> tuple[Block, ...]:
    from diagnostics.checks import load_configuration

    loaded, _ = load_configuration(demo.context)
    return loaded.blocks


def flood_bucket(demo: DemoEnvironment, bucket: str, count: int) -> None:
    """Add ``count`` copies of today's ALB log (auth is switched off only while seeding)."""
    import gzip

    from tests.conftest import admin_client, moto_post

    body = gzip.compress((Path(__file__).parent.parent / "samples/objects/alb/alb.log").read_bytes(), mtime=0)
    moto_post(demo.endpoint_url, "/moto-api/reset-auth", b"inf")
    try:
        s3 = admin_client(demo.endpoint_url)
        for number in range(count):
            s3.put_object(Bucket=bucket, Body=body, Key=(
                "AWSLogs/123456789012/elasticloadbalancing/us-east-1/2026/11/29/123456789012_"
                f"elasticloadbalancing_us-east-1_app.web-alb.50dc6c495c0c9188_20261129T0{number:03d}Z_"
                "203.0.113.20_2xq9a8b7.log.gz"))
    finally:
        moto_post(demo.endpoint_url, "/moto-api/reset-auth", b"0")


def block_named(demo: DemoEnvironment, name: str, profile: str = "wazuh-demo") -> Block:
    return next(b for b in blocks_of(demo) if b.name == name and b.value("aws_profile") == profile)


def of_type(messages: list[Message], kind: type[Message]) -> list[Message]:
    return [message for message in messages if isinstance(message, kind)]


async def test_overview_checks_every_block_then_troubleshoots_one(demo: DemoEnvironment) -> None:
    messages: list[Message] = []
    app = DoctorApp(demo.context)
    async with app.run_test(size=(100, 30), message_hook=messages.append) as pilot:
        await wait_until(pilot, lambda: bool(of_type(messages, ChecksCompleted)))
        await pilot.pause()
        assert len(of_type(messages, ChecksCompleted)) == 1
        assert len(of_type(messages, BlockChecked)) == 21
        screen = app.screen
        assert isinstance(screen, OverviewScreen)
        tree = screen.query_one(ConfigTree)
        nodes = {}
        for wodle_node in tree.root.children:
            for node in wodle_node.children:
                assert node.data is not None and node.data.block is not None
                nodes[(node.data.block.name, node.data.block.value("aws_profile"))] = node
        assert tree.status_of(nodes[("demo-cloudtrail", "wazuh-demo")].data) is Status.OK
        assert tree.status_of(nodes[("demo-no-such-bucket", "wazuh-demo")].data) is Status.ERROR
        assert tree.status_of(nodes[("demo-old-trail", "wazuh-demo")].data) is Status.WARNING
        assert "✖" in str(nodes[("demo-forbidden", "wazuh-limited")].label)
        status = str(screen.query_one("#overview-status", Static).render())
        assert "21 blocks" in status and "10 errors" in status, status

        tree.move_cursor(nodes[("demo-forbidden", "wazuh-limited")])
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, TroubleshootScreen))
        await pilot.pause()
        troubleshoot = app.screen
        steps = {step.step.step_id: step for step in troubleshoot.query(CheckStep)}
        assert steps["credentials"].status is Status.OK
        assert steps["list_prefix"].status is Status.ERROR and not steps["list_prefix"].collapsed
        assert steps["head_bucket"].status is Status.ERROR

        steps["list_prefix"].query_one("CollapsibleTitle").focus()
        await pilot.press("c")
        fix = steps["list_prefix"].first_fix()
        assert fix and app.clipboard == fix

        await pilot.press("r")
        await wait_until(pilot, lambda: bool(of_type(messages, StepRerun)))
        await wait_until(pilot, lambda: steps["list_prefix"].status is Status.ERROR)
        rerun = of_type(messages, StepRerun)[0]
        assert isinstance(rerun, StepRerun) and rerun.step == "access"
        assert any("AccessDenied" in finding.title for finding in rerun.findings)

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, OverviewScreen)


async def test_browse_jumps_to_today_and_previews_an_event(demo: DemoEnvironment) -> None:
    messages: list[Message] = []
    block = block_named(demo, "demo-cloudtrail")
    app = ScreenHarness(lambda: BrowseScreen(demo.context, block))
    async with app.run_test(size=(100, 30), message_hook=messages.append) as pilot:
        await wait_until(pilot, lambda: bool(of_type(messages, KeysListed)))
        assert len(of_type(messages, BucketOpened)) == 1
        screen = app.screen
        tree = screen.query_one(KeyTree)
        assert [str(child.label) for child in tree.root.children] == ["AWSLogs/"]

        screen.query_one("#browse-date", Input).focus()
        await pilot.press(*"2026-11-29", "enter")
        await wait_until(pilot, lambda: any(isinstance(m, KeysListed) and m.prefix == TODAY_PREFIX
                                            for m in messages))
        await pilot.pause()
        entries = [child.data for child in tree.root.children]
        keys = [entry.classified for entry in entries if isinstance(entry, KeyEntry)]
        assert len(keys) == 3 and {key.verdict.value for key in keys} == {"read"}
        assert isinstance(entries[0], MarkerEntry) and "20261128T2245Z" in entries[0].marker
        assert "marker (StartAfter)" in str(tree.root.children[0].label)

        screen.query_one("#browse-filter", Input).value = "Zp8Qw2"
        await pilot.pause()
        filtered = [child.data for child in tree.root.children if isinstance(child.data, KeyEntry)]
        assert [entry.classified.key[-30:] for entry in filtered] == ["0010Z_Zp8Qw2Xr4Ts6Uv0Y.json.gz"]
        screen.query_one("#browse-filter", Input).value = ""
        await pilot.pause()

        login = next(child for child in tree.root.children
                     if isinstance(child.data, KeyEntry) and "Ab3dE5fG7hJ9kL1m" in child.data.classified.key)
        tree.focus()
        tree.move_cursor(login)
        await pilot.press("enter")
        await wait_until(pilot, lambda: bool(of_type(messages, EventsDecoded)))
        await pilot.pause()
        preview = app.screen
        assert isinstance(preview, PreviewScreen)
        assert preview.query_one("#event-list", OptionList).option_count == 7
        view = preview.query_one(JsonView)
        assert '"integration": "aws"' in view.text and "ConsoleLogin" in view.text
        await pilot.press("t")
        assert "integration" not in view.text and "ConsoleLogin" in view.text
        await pilot.press("t")
        assert view.text.startswith("1:Wazuh-AWS:")
        totals = str(preview.query_one("#preview-totals", Static).render())
        assert "7 records read, 7 would be sent" in totals

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)


async def test_preview_of_a_truncated_object_shows_the_file_problem(demo: DemoEnvironment) -> None:
    messages: list[Message] = []
    block = block_named(demo, "demo-cloudtrail")
    app = ScreenHarness(lambda: BrowseScreen(demo.context, block))
    async with app.run_test(size=(100, 30), message_hook=messages.append) as pilot:
        await wait_until(pilot, lambda: bool(of_type(messages, KeysListed)))
        screen = app.screen
        screen.query_one("#browse-date", Input).value = "2026-11-27"
        await screen.query_one("#browse-date", Input).action_submit()
        await wait_until(pilot, lambda: len(of_type(messages, KeysListed)) >= 2)
        tree = screen.query_one(KeyTree)

        def truncated_node() -> Any:
            return next((child for child in tree.root.children if isinstance(child.data, KeyEntry)
                         and "Tr8nc4t3dGz1pXyZ" in child.data.classified.key), None)

        # The day's keys reach the tree after the listing's message is handled; a loaded machine shows the gap.
        await wait_until(pilot, lambda: truncated_node() is not None)
        truncated = truncated_node()
        assert truncated is not None and isinstance(truncated.data, KeyEntry)
        assert truncated.data.classified.verdict.value == "processed"
        tree.focus()
        tree.move_cursor(truncated)
        await pilot.press("enter")
        await wait_until(pilot, lambda: bool(of_type(messages, EventsDecoded)))
        await pilot.pause()
        decoded = of_type(messages, EventsDecoded)[0]
        assert isinstance(decoded, EventsDecoded)
        assert not decoded.result.events and decoded.result.problems
        assert app.screen.query_one(JsonView).text.startswith("No event would be sent")


async def test_browsing_a_forbidden_bucket_shows_the_denial_in_place(demo: DemoEnvironment) -> None:
    messages: list[Message] = []
    block = block_named(demo, "demo-forbidden", profile="wazuh-limited")
    app = ScreenHarness(lambda: BrowseScreen(demo.context, block))
    async with app.run_test(size=(100, 30), message_hook=messages.append) as pilot:
        await wait_until(pilot, lambda: bool(of_type(messages, ListingFailed)))
        await pilot.pause()
        failed = of_type(messages, ListingFailed)[0]
        assert isinstance(failed, ListingFailed) and "AccessDenied" in failed.error
        tree = app.screen.query_one(KeyTree)
        assert "listing failed" in str(tree.root.children[0].label)
        assert any("AccessDenied" in str(notification.message) for notification in notifications(messages))


async def test_ingest_pass_reads_todays_files_then_a_cancelled_pass(demo: DemoEnvironment,
                                                                    tmp_path: Path) -> None:
    messages: list[Message] = []
    app = ScreenHarness(lambda: IngestScreen(demo.context, state_dir=tmp_path / "state"))
    async with app.run_test(size=(100, 30), message_hook=messages.append) as pilot:
        screen = app.screen
        await wait_until(pilot, lambda: bool(screen.blocks))
        await pilot.pause()
        await pilot.click("#ingest-start")
        await wait_until(pilot, lambda: bool(of_type(messages, IngestFinished)))
        await pilot.pause(0.3)
        finished = of_type(messages, IngestFinished)[0]
        assert isinstance(finished, IngestFinished) and finished.summary is not None
        summary = finished.summary
        assert summary.bucket == "demo-cloudtrail" and summary.files_read == 3 and summary.events == 11
        assert summary.exit_code == 0 and not summary.cancelled
        log = screen.query_one(LiveLog)
        text = "\n".join(log.lines)
        assert "Found new log" in text and "Marker:" in text
        assert log.lines_received == sum(len(m.lines) for m in of_type(messages, IngestLogged))  # type: ignore[attr-defined]
        assert of_type(messages, IngestProgressed)
        assert "would exit with code 0" in str(screen.query_one("#ingest-summary", Static).render())
        assert not screen.query_one("#ingest-start", Button).disabled

        # A bucket big enough that the pass is still running when Escape arrives.
        flood_bucket(demo, "demo-alb", 300)
        select = screen.query_one("#ingest-bucket", Select)
        select.value = next(key for key, (block, _) in screen.blocks.items() if block.name == "demo-alb")
        screen.query_one(LiveLog).focus()
        await pilot.press("s")
        await wait_until(pilot, lambda: any(isinstance(m, IngestProgressed) and m.progress.files_read
                                            and m.progress.bucket == "demo-alb" for m in messages))
        await pilot.press("escape")
        await wait_until(pilot, lambda: len(of_type(messages, IngestFinished)) == 2)
        second = of_type(messages, IngestFinished)[1]
        assert isinstance(second, IngestFinished) and second.summary is not None
        assert second.summary.bucket == "demo-alb"
        assert second.summary.cancelled and 0 < second.summary.files_read < 301
        assert "cancelled" in str(screen.query_one("#ingest-summary", Static).render())


async def test_log_explainer_reads_the_demo_log_and_never_shows_the_secret(demo: DemoEnvironment) -> None:
    messages: list[Message] = []
    app = ScreenHarness(lambda: LogExplainerScreen(demo.context))
    async with app.run_test(size=(100, 30), message_hook=messages.append) as pilot:
        screen = app.screen
        assert screen.query_one("#explain-path", Input).value == str(demo.context.ossec_log_path)
        await pilot.click("#explain-open")
        await wait_until(pilot, lambda: bool(of_type(messages, LogExplained)))
        await pilot.pause()
        options = screen.query_one("#explain-list", OptionList)
        assert options.option_count >= 5
        shown = []
        for index in range(options.option_count):
            options.highlighted = index
            await pilot.pause()
            shown.append(str(options.get_option_at_index(index).prompt))
            shown.append(str(screen.query_one("#explain-line", Static).render()))
        assert SECRET_IN_SAMPLE_LOG not in "\n".join(shown)
        assert any("exit code" in text.lower() or "profile" in text.lower() for text in shown)

        paste = screen.query_one("#explain-paste", TextArea)
        paste.text = ("2025/03/04 14:00:03 wazuh-modulesd:aws-s3: WARNING: Bucket:  -  Returned exit code 23\n"
                      "2025/03/04 14:00:03 wazuh-modulesd:aws-s3: WARNING: Bucket:  -  No profile named: "
                      "'profile ghost' was found in the user config file\n")
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: len(of_type(messages, LogExplained)) == 2)
        pasted = of_type(messages, LogExplained)[1]
        assert isinstance(pasted, LogExplained) and pasted.report.source == "pasted lines"
        assert pasted.report.failed_runs


async def test_help_screen_and_palette_entries(tmp_path: Path) -> None:
    config = Path(__file__).resolve().parent.parent / "samples" / "ossec" / "no_blocks.conf"
    context = DoctorContext(wazuh_home=tmp_path, config_path=config, module_home=tmp_path, environ={}, now=NOW)
    app = DoctorApp(context)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        described = dict((description, key) for key, description in app.screen.rows)
        assert described["Rerun checks"] == "r" and described["Browse"] == "b"
        assert [description for _, description in app.screen.rows][:4] == [
            "Cancel/Back", "Troubleshoot", "Browse", "Rerun checks"]
        assert described["Ingest"] == "f3 i" and described["Overview"] == "f2 o"
        assert "Quit" in described
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, OverviewScreen)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Overview", "Ingest", "Log explainer", "Rerun all checks", "Browse selected bucket"} <= titles
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, LogExplainerScreen)
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, OverviewScreen)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, IngestScreen)


async def test_escape_cancels_the_checks_and_quit_is_prompt(demo: DemoEnvironment) -> None:
    messages: list[Message] = []
    app = DoctorApp(demo.context)
    async with app.run_test(size=(100, 30), message_hook=messages.append) as pilot:
        await wait_until(pilot, lambda: bool(of_type(messages, BlockChecked)))
        await pilot.press("escape")
        await wait_until(pilot, lambda: bool(of_type(messages, ChecksCompleted)))
        completed = of_type(messages, ChecksCompleted)[0]
        assert isinstance(completed, ChecksCompleted) and completed.cancelled
        assert len(of_type(messages, BlockChecked)) < 12
        assert "Cancelled" in str(app.screen.query_one("#overview-status", Static).render())

        await pilot.press("r")
        await wait_until(pilot, lambda: len(of_type(messages, BlockChecked)) > len(completed.report.blocks))
        started = time.monotonic()
        await pilot.press("ctrl+q")
    assert time.monotonic() - started < 15
    assert app.return_code in (0, None)


class _FailingScreen(DoctorScreen):
    """A screen whose worker fails unexpectedly, to prove the one handler turns it into a notification."""

    def on_mount(self) -> None:
        self.fail_soon()

    @work(thread=True, exit_on_error=False, description="Failing on purpose")
    def fail_soon(self) -> None:
        raise ValueError("boom at line 1\nTraceback lines are never shown")


async def test_unexpected_worker_errors_become_notifications() -> None:
    messages: list[Message] = []
    app = ScreenHarness(_FailingScreen)
    async with app.run_test(message_hook=messages.append) as pilot:
        await wait_until(pilot, lambda: bool(notifications(messages)), timeout=10)
        [notification] = notifications(messages)
        assert notification.message == "ValueError: boom at line 1"
        assert notification.title == "Failing on purpose failed" and notification.severity == "error"
        assert app.is_running


@pytest.fixture
def file_after_the_marker(demo: DemoEnvironment) -> Iterator[str]:
    """A CloudTrail file later on the marker's day than the marker (the demo has none), removed afterwards."""
    from tests.conftest import admin_client, moto_post

    day = "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/28/123456789012_CloudTrail_us-east-1_"
    key = f"{day}20261128T2350Z_Later0After1Mark.json.gz"
    moto_post(demo.endpoint_url, "/moto-api/reset-auth", b"inf")
    try:
        s3 = admin_client(demo.endpoint_url)
        body = s3.get_object(Bucket="demo-cloudtrail", Key=f"{day}20261128T2245Z_Zp8Qw2Xr4Ts6Uv0Y.json.gz")["Body"]
        s3.put_object(Bucket="demo-cloudtrail", Key=key, Body=body.read())
    finally:
        moto_post(demo.endpoint_url, "/moto-api/reset-auth", b"0")
    yield key
    moto_post(demo.endpoint_url, "/moto-api/reset-auth", b"inf")
    try:
        admin_client(demo.endpoint_url).delete_object(Bucket="demo-cloudtrail", Key=key)
    finally:
        moto_post(demo.endpoint_url, "/moto-api/reset-auth", b"0")


async def test_m_opens_the_folder_where_the_module_starts_listing(demo: DemoEnvironment,
                                                                  file_after_the_marker: str) -> None:
    messages: list[Message] = []
    block = block_named(demo, "demo-cloudtrail")
    app = ScreenHarness(lambda: BrowseScreen(demo.context, block))
    async with app.run_test(size=(100, 30), message_hook=messages.append) as pilot:
        await wait_until(pilot, lambda: bool(of_type(messages, KeysListed)))
        await pilot.press("m")
        await wait_until(pilot, lambda: bool(of_type(messages, MarkerLocated)))
        located = of_type(messages, MarkerLocated)[0]
        assert isinstance(located, MarkerLocated)
        day = "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/28/"
        assert located.location.prefix == day
        assert located.location.marker is not None and "20261128T2245Z" in located.location.marker
        await wait_until(pilot, lambda: any(isinstance(m, KeysListed) and m.prefix == day for m in messages))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BrowseScreen) and screen.root_prefix == day
        entries = [child.data for child in screen.query_one(KeyTree).root.children]
        at = next(index for index, entry in enumerate(entries) if isinstance(entry, MarkerEntry))
        before = [e.classified.verdict.value for e in entries[:at] if isinstance(e, KeyEntry)]
        after = {e.classified.key: e.classified.verdict.value for e in entries[at + 1:] if isinstance(e, KeyEntry)}
        assert before and set(before) == {"processed"}
        assert after == {file_after_the_marker: "read"}, "the file after the marker in its folder is read"


async def test_m_climbs_out_of_an_empty_marker_folder_to_show_the_older_logs(demo: DemoEnvironment) -> None:
    messages: list[Message] = []
    block = block_named(demo, "demo-old-trail")
    app = ScreenHarness(lambda: BrowseScreen(demo.context, block))
    async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
        await wait_until(pilot, lambda: bool(of_type(messages, KeysListed)))
        await pilot.press("m")
        year = "AWSLogs/123456789012/CloudTrail/us-east-1/2026/"
        await wait_until(pilot, lambda: any(isinstance(m, KeysListed) and m.prefix == year for m in messages))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BrowseScreen) and screen.root_prefix == year
        labels = [str(child.label) for child in screen.query_one(KeyTree).root.children]
        assert labels[0] == "10/" and "marker (StartAfter) 11/29" in labels[1], labels


# --- readable and honest at 80x24 ------------------------------------------------------------------

def footer_of(app: DoctorApp | ScreenHarness) -> str:
    """The footer as shown: the screen's last row."""
    return screen_lines(app)[-1]


async def assert_footer_fits(pilot: Any, app: DoctorApp | ScreenHarness, *wanted: str) -> str:
    await wait_until(pilot, lambda: "palette" in footer_of(app), timeout=10)
    footer = footer_of(app)
    assert footer.endswith("^p palette"), footer
    assert "^q Quit" in footer and "f1 Help" in footer, footer
    for text in wanted:
        assert text in footer, (text, footer)
    return footer


async def test_a_skipped_step_shows_no_green_tick(demo: DemoEnvironment) -> None:
    messages: list[Message] = []
    block = next(b for b in blocks_of(demo) if b.name == "demo-cloudtrail" and b.value("aws_profile") != "wazuh-demo")
    app = ScreenHarness(lambda: TroubleshootScreen(demo.context, block))
    async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
        await wait_until(pilot, lambda: bool(of_type(messages, BlockChecked)))
        await pilot.pause()
        step = next(step for step in app.screen.query(CheckStep) if step.step.step_id == "identity")
        step.query_one("CollapsibleTitle").focus()
        await wait_until(pilot, lambda: any("Identity (sts" in line for line in screen_lines(app)))
        identity = next(line for line in screen_lines(app) if "Identity (sts" in line)
        assert "✔" not in identity and "– Identity" in identity, identity
        assert "— Identity not chec" in identity


async def test_every_footer_fits_80_columns_and_the_screen_switches_work_from_anywhere(
        demo: DemoEnvironment) -> None:
    messages: list[Message] = []
    app = DoctorApp(demo.context)
    async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
        await wait_until(pilot, lambda: bool(of_type(messages, ChecksCompleted)))
        await pilot.pause()
        await assert_footer_fits(pilot, app, "t Troubleshoot", "b Browse", "f3 Ingest", "f4 Explain")
        overview = app.screen
        tree = overview.query_one(ConfigTree)
        node = next(node for wodle in tree.root.children for node in wodle.children
                    if node.data is not None and node.data.block is not None
                    and node.data.block.name == "demo-cloudtrail")
        tree.move_cursor(node)
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, TroubleshootScreen))
        await pilot.pause()
        await assert_footer_fits(pilot, app, "esc Back", "r Rerun", "c Copy fix")
        shown = " ".join(" ".join(screen_lines(app)).split())
        assert "Checked: 0 errors, 0 warnings. r reruns the focused step" in shown  # opened with the results
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, BrowseScreen))
        browse = app.screen
        assert isinstance(browse, BrowseScreen)
        await wait_until(pilot, lambda: bool(of_type(messages, KeysListed)))
        await assert_footer_fits(pilot, app, "esc Back", "/ Filter", "r Reload")
        browse.query_one("#browse-date", Input).value = "2026-11-29"
        await browse.query_one("#browse-date", Input).action_submit()
        await wait_until(pilot, lambda: any(isinstance(m, KeysListed) and m.prefix == TODAY_PREFIX
                                            for m in messages))
        await pilot.pause()
        key_tree = browse.query_one(KeyTree)
        key_tree.move_cursor(next(child for child in key_tree.root.children if isinstance(child.data, KeyEntry)))
        key_tree.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: bool(of_type(messages, EventsDecoded)))
        await pilot.pause()
        assert isinstance(app.screen, PreviewScreen)
        await assert_footer_fits(pilot, app, "esc Back", "l Logtest")
        assert len(app.screen_stack) == 4  # Overview → Troubleshoot → Browse → Preview

        await pilot.press("f4")
        await wait_until(pilot, lambda: isinstance(app.screen, LogExplainerScreen))
        await pilot.pause()
        await assert_footer_fits(pilot, app, "^e Explain pasted", "f2 Overview", "f3 Ingest")
        await pilot.press("f2")
        await pilot.pause()
        assert app.screen is overview and len(app.screen_stack) == 1
        assert "Overview" in screen_lines(app)[0]

        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, IngestScreen))
        await pilot.pause()
        await assert_footer_fits(pilot, app, "s Start", "esc Stop", "f2 Overview", "f4 Explain")
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, LogExplainerScreen))
        await pilot.press("o")  # a letter switches too while no text field has focus
        await pilot.pause()
        assert app.screen is overview


async def test_ctrl_e_explains_a_pasted_exit_12_line_while_the_paste_box_has_focus(demo: DemoEnvironment) -> None:
    messages: list[Message] = []
    app = ScreenHarness(lambda: LogExplainerScreen(demo.context))
    async with app.run_test(size=(120, 60), message_hook=messages.append) as pilot:
        paste = app.screen.query_one("#explain-paste", TextArea)
        paste.focus()
        paste.text = "2025/03/04 14:00:03 wazuh-modulesd:aws-s3: WARNING: Bucket:  -  Returned exit code 12"
        await pilot.pause()
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: bool(of_type(messages, LogExplained)))
        await pilot.pause()
        detail = app.screen.query_one("#explain-detail")
        text = " ".join(" ".join(region_lines(app, detail.content_region)).split())
        assert "Exit 12:" in text and "Paste the line that follows" in text, text
        assert "``" not in text and "second line" not in text


async def test_ingest_at_80x24_gives_the_log_the_height_and_says_what_keys_do(demo: DemoEnvironment,
                                                                              tmp_path: Path) -> None:
    messages: list[Message] = []
    app = ScreenHarness(lambda: IngestScreen(demo.context, state_dir=tmp_path / "state"))
    async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
        screen = app.screen
        await wait_until(pilot, lambda: bool(screen.blocks))
        await pilot.pause()
        lines = screen_lines(app)
        controls = next(line for line in lines if "Start" in line)
        assert controls.rstrip().endswith("Stop"), controls
        assert not screen.query_one("#ingest-bar").display  # idle: nothing animates
        assert screen.query_one(LiveLog).region.height >= 15
        status = str(screen.query_one("#ingest-counters", Static).render())
        assert "s (or Start) runs a pass" in status

        await pilot.press("s")
        await wait_until(pilot, lambda: bool(of_type(messages, IngestFinished)))
        await pilot.pause(0.3)
        status = str(screen.query_one("#ingest-counters", Static).render())
        assert "Escape stops" not in status and "s starts another pass" in status, status
        assert "Done: 3/3 read" in status
        assert screen.query_one(LiveLog).region.height >= 10


async def test_browse_at_80_columns_keeps_the_filter_match_and_the_key_status_in_view(demo: DemoEnvironment) -> None:
    messages: list[Message] = []
    block = block_named(demo, "demo-cloudtrail")
    app = ScreenHarness(lambda: BrowseScreen(demo.context, block))
    async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
        await wait_until(pilot, lambda: bool(of_type(messages, KeysListed)))
        screen = app.screen
        screen.query_one("#browse-date", Input).value = "2026-11-29"
        await screen.query_one("#browse-date", Input).action_submit()
        await wait_until(pilot, lambda: any(isinstance(m, KeysListed) and m.prefix == TODAY_PREFIX
                                            for m in messages))
        screen.query_one("#browse-filter", Input).value = "CloudTrail_us"  # in the part every key shares
        await pilot.pause()
        rows = [line for line in screen_lines(app) if "● read" in line]
        assert len(rows) == 3 and all("CloudTrail_us" in row and "…" in row for row in rows), rows
        assert not any(row.rstrip(" │").endswith(".json.gz") for row in rows), rows  # the end is cut at 80
        await pilot.resize_terminal(160, 24)
        await pilot.pause()
        rows = [line for line in screen_lines(app) if "● read" in line]
        assert all("CloudTrail_us" in row and row.rstrip(" │").endswith(".json.gz") for row in rows), rows
        await pilot.resize_terminal(80, 24)
        await pilot.pause()

        screen.query_one("#browse-filter", Input).value = ""
        await pilot.pause()
        tree = screen.query_one(KeyTree)
        key = next(child for child in tree.root.children if isinstance(child.data, KeyEntry))
        assert isinstance(key.data, KeyEntry)
        tree.focus()
        tree.move_cursor(key)
        await pilot.pause()
        detail = " ".join(line.strip() for line in region_lines(app, screen.query_one("#browse-detail").region))
        name = key.data.classified.key.rsplit("/", 1)[-1]
        assert "read: " in detail and f"Foundnewlog:…/{name}" in detail.replace(" ", ""), detail


async def test_preview_raw_view_shows_the_records_the_module_drops_and_why(demo: DemoEnvironment) -> None:
    from diagnostics.bucket_session import browse_level, open_bucket

    messages: list[Message] = []
    session = open_bucket(demo.context, block_named(demo, "demo-custom-nodetail"))
    classified = browse_level(session, "cwlogs/2026/11/29/00/").keys[0]
    app = ScreenHarness(lambda: PreviewScreen(session, classified))
    async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
        await wait_until(pilot, lambda: bool(of_type(messages, EventsDecoded)))
        await pilot.pause()
        preview = app.screen
        rows = region_lines(app, preview.query_one("#event-list", OptionList).content_region)
        assert [row.strip().startswith(f'⊘ {n} dropped: no "detail"') for n, row in enumerate(rows[:3], 1)] == [
            True, True, False], rows
        json_pane = " ".join(region_lines(app, preview.query_one(JsonView).region))
        assert 'raw record — 1 dropped: no "detail" key' in json_pane and '"logGroup"' in json_pane
        await pilot.press("t")  # the envelope: nothing is sent for it, and the pane says so
        await pilot.pause()
        json_pane = " ".join(" ".join(region_lines(app, preview.query_one(JsonView).content_region)).split())
        assert "drops record 1 without a word" in json_pane, json_pane


def test_a_step_badge_ranks_error_warning_skipped_ok() -> None:
    from diagnostics.findings import Finding
    from tui.widgets.check_step import step_status

    def finding(status: Status) -> Finding:
        return Finding(check_id="identity.caller", status=status, target="t", title=status.value)

    assert step_status([finding(Status.OK), finding(Status.SKIPPED)]) is Status.SKIPPED
    assert step_status([finding(Status.SKIPPED), finding(Status.WARNING)]) is Status.WARNING
    assert step_status([finding(Status.ERROR), finding(Status.SKIPPED), finding(Status.OK)]) is Status.ERROR
    assert step_status([finding(Status.OK)]) is Status.OK and step_status([]) is Status.SKIPPED
