"""SVG snapshots of the key screens at 100x30 with deterministic content (fixed clock, relative paths).

Update after reviewing the report: ``pytest tests/test_app_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from diagnostics.checks import BlockReport, assign_to_blocks, load_configuration
from diagnostics.context import DoctorContext
from tests.snapshot_apps.harness import ScreenHarness
from tui.app import DoctorApp
from tui.demo import DemoEnvironment, start_demo
from tui.screens.log_explainer import LogExplainerScreen
from tui.screens.preview import PreviewScreen
from tui.screens.troubleshoot import TroubleshootScreen

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=timezone.utc)
SIZE = (100, 30)


@pytest.fixture(autouse=True)
def _repository_cwd(monkeypatch: pytest.MonkeyPatch) -> None:
    """Paths in findings are shown as given; relative ones keep snapshots independent of the checkout."""
    monkeypatch.chdir(ROOT)


def offline_context(config: str) -> DoctorContext:
    """No Wazuh installation, no AWS files, an endpoint nothing listens on: nothing varies between runs."""
    return DoctorContext(wazuh_home=Path("tests/snapshot_apps/no-wazuh"), config_path=Path(config),
                         endpoint_url="http://127.0.0.1:9", module_home=Path("tests/snapshot_apps/no-home"),
                         environ={"AWS_EC2_METADATA_DISABLED": "true"}, now=NOW)


async def settle(pilot: Pilot[object]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def test_overview_of_a_configuration_without_blocks(snap_compare) -> None:  # type: ignore[no-untyped-def]
    app = DoctorApp(offline_context("samples/ossec/no_blocks.conf"))
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_help_over_the_overview(snap_compare) -> None:  # type: ignore[no-untyped-def]
    app = DoctorApp(offline_context("samples/ossec/no_blocks.conf"))

    async def open_help(pilot: Pilot[object]) -> None:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=open_help)


def test_troubleshoot_a_block_with_a_configuration_error(snap_compare) -> None:  # type: ignore[no-untyped-def]
    context = offline_context("samples/ossec/space_in_profile.conf")
    loaded, findings = load_configuration(context)
    _, per_block = assign_to_blocks(findings, loaded.blocks)
    block = loaded.blocks[0]
    report = BlockReport(block, per_block[block.key])
    app = ScreenHarness(lambda: TroubleshootScreen(context, block, report.findings, report))
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_log_explainer_on_the_write_up_excerpt(snap_compare) -> None:  # type: ignore[no-untyped-def]
    app = ScreenHarness(lambda: LogExplainerScreen(offline_context("samples/ossec/no_blocks.conf")))

    async def explain(pilot: Pilot[object]) -> None:
        path = pilot.app.screen.query_one("#explain-path", Input)
        path.value = "samples/ossec-logs/writeup-macie-profile-not-found.log"
        await path.action_submit()
        await settle(pilot)
        pilot.app.screen.query_one("#explain-list", OptionList).focus()
        await pilot.press("down", "down", "down")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=explain)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoEnvironment]:
    environment = start_demo(now=NOW, root=tmp_path_factory.mktemp("snapshot-demo"))
    try:
        yield environment
    finally:
        environment.stop()


def test_preview_of_todays_console_logins(snap_compare, demo: DemoEnvironment) -> None:  # type: ignore[no-untyped-def]
    from diagnostics.bucket_session import browse_level, open_bucket

    block = next(b for b in load_configuration(demo.context)[0].blocks
                 if b.name == "demo-cloudtrail" and b.value("aws_profile") == "wazuh-demo")
    session = open_bucket(demo.context, block)
    level = browse_level(session, "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/29/")
    login = next(key for key in level.keys if "Ab3dE5fG7hJ9kL1m" in key.key)
    app = ScreenHarness(lambda: PreviewScreen(session, login))

    async def pick_an_event(pilot: Pilot[object]) -> None:
        await settle(pilot)
        await pilot.press("down", "down")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=pick_an_event)
