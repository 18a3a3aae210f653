"""The app's Browse screen for CloudWatch Logs and Inspector blocks, read from what the screen shows."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Tree

from tests.fault_proxy import Fault, fault_proxy
from tests.inspector_server import inspector_server, sample_findings
from tests.screen_text import region_lines, screen_lines
from tests.snapshot_apps.harness import ScreenHarness, wait_until
from tests.test_service_browse import (
    DAY,
    MINUTE,
    NOW,
    cloudwatch_block,
    context_for,
    inspector_block,
    saved_progress,
    seed_logs,
)
from tui.screens.next_run import NextRunScreen
from tui.screens.service_browse import ServiceBrowseScreen


@pytest.fixture
def root_profile(clean_aws_env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Root's [default] profile in the module's home."""
    (clean_aws_env / ".aws" / "credentials").write_text(
        "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = doctor-secret\n")
    monkeypatch.setenv("WAZUH_AWS_DOCTOR_MODULE_HOME", str(clean_aws_env))
    return clean_aws_env


def shown(app: ScreenHarness) -> str:
    return "\n".join(screen_lines(app))


def pane(app: ScreenHarness) -> str:
    """The detail pane's visible text, its wrapped lines joined by single spaces."""
    region = app.screen.query_one("#service-browse-pane").content_region
    return " ".join(" ".join(region_lines(app, region)).split())


async def test_expand_region_group_stream_events_and_a_missing_group(
        root_profile: Path, moto: str, tmp_path: Path) -> None:
    seed_logs(moto)
    context = context_for(moto, tmp_path)
    saved_progress(context, "us-east-1", "s1", DAY + 30 * MINUTE)
    block = cloudwatch_block(tmp_path, "app-logs,gone-logs")
    app = ScreenHarness(lambda: ServiceBrowseScreen(context, block))
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_until(pilot, lambda: "1 region(s) from <regions>" in shown(app))
        await wait_until(pilot, lambda: "gone-logs · missing: exit 16" in shown(app))
        assert "app-logs · exists" in shown(app)
        await pilot.press("down", "down")
        await wait_until(pilot, lambda: 'The "get_log_streams" request failed' in pane(app))
        assert "Create the group in us-east-1" in pane(app)
        await pilot.press("up", "enter")
        await wait_until(pilot, lambda: "s1 · next run from 00:30:00 · saved to 00:30:00"
                         in shown(app))
        assert "s2 · next run from 00:00:00 · nothing saved" in shown(app)
        await pilot.press("down")
        await wait_until(pilot, lambda: "Saved progress (aws_services.db, read-only)" in pane(app))
        await pilot.press("enter")
        await wait_until(pilot, lambda: "· 00:00:00 None of the checks answered" in shown(app))
        assert "✓ 00:40:00 line 40 \\x1b[31m[bold]x[/]" in shown(app), "after the saved end, markup kept literal"
        await pilot.press("down")
        await wait_until(pilot, lambda: "The next run does not ask for it" in pane(app))
        assert "1:Wazuh-AWS:None of the checks answered" in pane(app)
        tree = app.screen.query_one("#service-tree", Tree)
        more = next(node for node in tree.root.children[0].children[0].children[0].children
                    if node.data is not None and node.data.kind == "more")
        tree.move_cursor(more)
        await pilot.press("enter")
        await wait_until(pilot, lambda: "1:Wazuh-AWS:line 50 \\x1b[31m[bold]x[/]" in pane(app))
        await pilot.press(*["down"] * 9)
        await wait_until(pilot, lambda: "✓ 00:59:00 line 59" in shown(app))
        assert "doctor-secret" not in shown(app)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, NextRunScreen))


async def test_inspector_regions_an_unsupported_one_and_a_finding_before_the_window(
        root_profile: Path, moto: str, tmp_path: Path) -> None:
    with inspector_server(sample_findings(), page_size=100, upstream=moto) as server:
        context = context_for(server.endpoint, tmp_path)
        block = inspector_block(tmp_path, "me-south-1,us-east-1")
        app = ScreenHarness(lambda: ServiceBrowseScreen(context, block))
        async with app.run_test(size=(160, 50)) as pilot:
            await wait_until(pilot, lambda: "2 region(s) from <regions>" in shown(app))
            assert "me-south-1 · unsupported by Inspector: exit 22" in shown(app)
            assert "us-east-1 · window from 2026-12-02 00:00" in shown(app)
            await pilot.press("enter")
            await wait_until(pilot, lambda: "Inspector does not support region 'me-south-1' (exit 22)" in shown(app))
            assert not server.requests, "an unsupported region is refused without a call, as the module does"
            await pilot.press("down", "down", "enter")
            await wait_until(pilot, lambda: "· before the window · HIGH CVE-2024-4741 - openssl" in shown(app))
            assert "✓ CRITICAL CVE-2020-8203 - lodash" in shown(app)
            await pilot.press("down", "down", "down")
            await wait_until(pilot, lambda: "Before the window: the module never sends it" in pane(app))
            await pilot.press("up")
            await wait_until(pilot, lambda: "it sends it as:" in pane(app))
            assert '1:Wazuh-AWS:{"integration": "aws", "aws": {' in pane(app)


async def test_a_region_the_profile_overrides_says_so_at_80x24(
        root_profile: Path, moto: str, tmp_path: Path) -> None:
    seed_logs(moto, "eu-west-1")
    (root_profile / ".aws" / "config").write_text("[default]\nregion = eu-west-1\n")
    block = cloudwatch_block(tmp_path, "app-logs", "us-east-1")
    app = ScreenHarness(lambda: ServiceBrowseScreen(context_for(moto, tmp_path), block))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: "Its client reads eu-west-1" in shown(app))
        text = " ".join(" ".join(shown(app).split("\n")).split())
        assert "us-east-1 · reads eu-west-1" in text
        assert "Every region reads eu-west-1" in text


async def test_escape_cancels_a_slow_listing_in_place_and_expanding_again_reads_it(
        root_profile: Path, moto: str, tmp_path: Path) -> None:
    seed_logs(moto)
    with fault_proxy(moto) as proxy:
        proxy.add(Fault("slow", operation="DescribeLogStreams", nth=2, delay=5))
        block = cloudwatch_block(tmp_path, "app-logs")
        app = ScreenHarness(lambda: ServiceBrowseScreen(context_for(proxy.url, tmp_path), block))
        async with app.run_test(size=(120, 30)) as pilot:
            await wait_until(pilot, lambda: "app-logs · exists" in shown(app))
            await pilot.press("down", "enter")
            await wait_until(pilot, lambda: "reading… (Escape cancels)" in shown(app))
            await pilot.press("escape")
            await wait_until(pilot, lambda: "cancelled: collapse and expand to read again" in shown(app))
            assert isinstance(app.screen, ServiceBrowseScreen), "Escape cancelled the work, it did not go back"
            assert "cancelled; Escape again goes back" in shown(app)
            await pilot.press("enter", "enter")
            await wait_until(pilot, lambda: "s1 · next run from 00:00:00" in shown(app))
            assert "cancelled: collapse" not in shown(app)


async def test_b_on_the_demos_cloudwatch_block_opens_browse_and_n_opens_next_run(tmp_path: Path) -> None:
    from tui.app import DoctorApp
    from tui.demo import start_demo
    from tui.widgets.config_tree import ConfigTree

    demo = start_demo(now=NOW, root=tmp_path)
    try:
        app = DoctorApp(demo.context)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until(pilot, lambda: "blocks:" in shown(app) and "checked" not in shown(app))
            tree = app.screen.query_one(ConfigTree)
            node = next(node for wodle in tree.root.children for node in wodle.children
                        if node.data is not None and node.data.block is not None
                        and node.data.block.value("aws_log_groups") == "demo-no-such-group")
            tree.move_cursor(node)
            await pilot.press("b")
            await wait_until(pilot, lambda: isinstance(app.screen, ServiceBrowseScreen))
            await wait_until(pilot, lambda: "demo-no-such-group · missing: exit 16" in shown(app))
            assert "cloudwatchlogs demo-no-such-group, line 112" in " ".join(shown(app).split())
            await pilot.press("n")
            await wait_until(pilot, lambda: isinstance(app.screen, NextRunScreen))
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, ServiceBrowseScreen))
            await pilot.press("escape")  # back to the Overview; Troubleshoot's b opens the same Browse
            await wait_until(pilot, lambda: not isinstance(app.screen, ServiceBrowseScreen))
            await pilot.press("t")
            await wait_until(pilot, lambda: type(app.screen).__name__ == "TroubleshootScreen")
            await pilot.press("b")
            await wait_until(pilot, lambda: isinstance(app.screen, ServiceBrowseScreen))
            await wait_until(pilot, lambda: "demo-no-such-group · missing: exit 16" in shown(app))
    finally:
        demo.stop()
