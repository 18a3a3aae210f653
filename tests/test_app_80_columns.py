"""At 80x24 the app still tells blocks, log lines, keys and options apart, as an admin reads the screen."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from textual.message import Message
from textual.widgets import Select

from diagnostics.wazuh.ossec_log import TAG
from tests.screen_text import region_lines, screen_lines
from tests.snapshot_apps.harness import ScreenHarness, wait_until
from tui.demo import DemoEnvironment, start_demo
from tui.messages import ConfigLoaded, IngestFinished, IngestLogged
from tui.screens.ingest import IngestScreen
from tui.screens.overview import OverviewScreen
from tui.screens.preview import PreviewScreen
from tui.widgets.live_log import LiveLog

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=timezone.utc)
TODAY_PREFIX = "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/29/"

TWIN_BLOCKS = """<ossec_config>
  <wodle name="aws-s3">
    <disabled>no</disabled>
    <interval>10m</interval>
    <bucket type="cloudtrail">
      <name>demo-cloudtrail-organisation-archive</name>
      <path>AWSLogs/firehose-eu-west/</path>
      <aws_profile>wazuh-demo</aws_profile>
    </bucket>
    <bucket type="cloudtrail">
      <name>demo-cloudtrail-organisation-archive</name>
      <path>AWSLogs/firehose-us-east/</path>
      <aws_profile>wazuh-demo</aws_profile>
    </bucket>
    <service type="cloudwatchlogs">
      <aws_log_groups>app</aws_log_groups>
      <regions>eu-west-1</regions>
      <aws_profile>wazuh-demo-production-readers</aws_profile>
    </service>
    <service type="cloudwatchlogs">
      <aws_log_groups>app</aws_log_groups>
      <regions>us-east-1</regions>
      <aws_profile>wazuh-demo-production-readers</aws_profile>
    </service>
    <subscriber type="security_lake">
      <sqs_name>demo-security-lake-main-queue</sqs_name>
      <iam_role_arn>arn:aws:iam::123456789012:role/LakeReaderEU</iam_role_arn>
    </subscriber>
    <subscriber type="security_lake">
      <sqs_name>demo-security-lake-main-queue</sqs_name>
      <iam_role_arn>arn:aws:iam::123456789012:role/LakeReaderUS</iam_role_arn>
    </subscriber>
  </wodle>
</ossec_config>
"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoEnvironment]:
    environment = start_demo(now=NOW, root=tmp_path_factory.mktemp("demo-80"))
    try:
        yield environment
    finally:
        environment.stop()


def of_type(messages: list[Message], kind: type[Message]) -> list[Message]:
    return [message for message in messages if isinstance(message, kind)]


async def test_overview_tells_same_named_blocks_apart_at_80x24(demo: DemoEnvironment, tmp_path: Path) -> None:
    config = tmp_path / "ossec.conf"
    config.write_text(TWIN_BLOCKS)
    messages: list[Message] = []
    app = ScreenHarness(lambda: OverviewScreen(demo.context.with_changes(config_path=config)))
    async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
        await wait_until(pilot, lambda: bool(of_type(messages, ConfigLoaded)))
        await pilot.pause()
        lines = screen_lines(app)
        twins = [line for line in lines if "-west/ :" in line or "-east/ :" in line]
        assert len(twins) == 2 and twins[0] != twins[1], lines
        assert "path …eu-west/ :5" in twins[0] and "path …us-east/ :10" in twins[1], twins
        assert all("demo-clo…" in line and "archive path" in line for line in twins), twins  # name cut, visibly
        services = [line for line in lines if "regions " in line]
        assert len(services) == 2 and all("cloudw" in line and "chlogs" in line for line in services), lines
        assert "regions eu-west-1 :15" in services[0] and "regions us-east-1 :20" in services[1], services
        subscribers = [line for line in lines if "main-queue role" in line]
        assert len(subscribers) == 2 and all("demo-securi…" in line for line in subscribers), lines
        assert "role …EU :25" in subscribers[0] and "role …US :29" in subscribers[1], subscribers


async def test_ingest_live_log_shows_time_level_and_key_at_80x24(demo: DemoEnvironment, tmp_path: Path) -> None:
    messages: list[Message] = []
    app = ScreenHarness(lambda: IngestScreen(demo.context, state_dir=tmp_path / "state"))
    async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
        screen = app.screen
        await wait_until(pilot, lambda: bool(screen.blocks))
        select = screen.query_one("#ingest-bucket", Select)
        select.value = next(key for key, (block, _) in screen.blocks.items()
                            if block.name == "demo-cloudtrail" and block.value("aws_profile") == "wazuh-demo")
        await pilot.press("s")
        await wait_until(pilot, lambda: bool(of_type(messages, IngestFinished)))
        await pilot.pause(0.3)
        log = screen.query_one(LiveLog)
        log.scroll_home(animate=False)
        await pilot.pause()
        shown = region_lines(app, log.content_region)
        found = [line for line in shown if "Found new log: AWS" in line]
        assert found and all(re.match(r"\d\d:\d\d:\d\d DEBUG: \+\+ Found new log: AWS", line)
                             for line in found), shown
        assert not any("wazuh-modulesd" in line for line in shown), shown
        names = {line.rsplit("_", 1)[-1] for line in found}
        assert len(names) == len(found) == 3, found  # three keys, told apart by the ends of their names
        assert all(re.search(r"…\d*T\d{4}Z_\w+\.json\.gz$", line) for line in found), found
        logged = [line for message in of_type(messages, IngestLogged) for line in message.lines]  # type: ignore[attr-defined]
        assert any(re.match(rf"\d{{4}}/\d\d/\d\d \d\d:\d\d:\d\d {TAG}: DEBUG: \+\+ Found new log", line)
                   for line in logged), logged[:5]  # what the pass produced keeps the module's format


async def test_preview_header_keeps_the_key_on_one_line_with_its_file_name_at_80x24(demo: DemoEnvironment) -> None:
    from diagnostics.bucket_session import browse_level, open_bucket
    from diagnostics.checks import load_configuration

    loaded, _ = load_configuration(demo.context)
    block = next(b for b in loaded.blocks if b.name == "demo-cloudtrail" and b.value("aws_profile") == "wazuh-demo")
    session = open_bucket(demo.context, block)
    classified = browse_level(session, TODAY_PREFIX).keys[0]
    name = classified.key.rsplit("/", 1)[-1]
    app = ScreenHarness(lambda: PreviewScreen(session, classified))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        header = app.screen.query_one("#preview-header")
        assert header.region.height == 1
        shown = region_lines(app, header.region)[0].strip()
        assert len(f"s3://demo-cloudtrail/{classified.key}") > 80  # the key alone would not fit
        assert shown.startswith("s3://demo-clo") and "…" in shown, shown
        assert "_20261129T0005Z_Ab3dE5fG7hJ9kL1m.json.gz  " in shown and name.endswith("_Ab3dE5fG7hJ9kL1m.json.gz")
        assert shown.endswith(classified.verdict.value), shown
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        shown = region_lines(app, header.region)[0].strip()
        assert shown.startswith("s3://demo-cloudtrail/") and "…/" + name + "  " in shown, shown


async def test_ingest_checkboxes_read_on_or_off_without_colour(demo: DemoEnvironment, tmp_path: Path) -> None:
    app = ScreenHarness(lambda: IngestScreen(demo.context, state_dir=tmp_path / "state"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()

        def options_line() -> str:
            return next(line for line in screen_lines(app) if "reset our state" in line)

        assert "▐✔▌ from the module's state" in options_line() and "▐ ▌ reset our state" in options_line()
        await pilot.click("#ingest-reset")
        await pilot.click("#ingest-from-wazuh")
        await pilot.pause()
        assert "▐ ▌ from the module's state" in options_line() and "▐✔▌ reset our state" in options_line()


async def test_ingest_bucket_choice_tells_same_named_blocks_apart_at_80x24(demo: DemoEnvironment,
                                                                         tmp_path: Path) -> None:
    app = ScreenHarness(lambda: IngestScreen(demo.context, state_dir=tmp_path / "state"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await wait_until(pilot, lambda: bool(screen.blocks))
        select = screen.query_one("#ingest-bucket", Select)
        shown = []
        for key, (block, _) in screen.blocks.items():
            if block.name == "demo-cloudtrail":
                select.value = key
                await pilot.pause()
                shown.append(next(line for line in screen_lines(app) if "Start" in line))
        assert len(shown) == 2 and shown[0] != shown[1], shown
        assert " demo-…trail wazuh-demo :18 " in shown[0] and " demo-…rail wazuh-ghost :45 " in shown[1], shown


def test_fitting_keeps_the_distinguishing_end_and_the_line_at_every_width(tmp_path: Path) -> None:
    from diagnostics.checks import load_configuration
    from diagnostics.context import DoctorContext
    from tui.widgets.config_tree import block_label, fit_block_label
    from tui.widgets.elide import middle_ellipsis, path_ellipsis, split_ellipsis

    config = tmp_path / "ossec.conf"
    config.write_text(TWIN_BLOCKS)
    loaded, _ = load_configuration(DoctorContext(config_path=config, wazuh_home=tmp_path, module_home=tmp_path))
    for block in loaded.blocks:
        full = block_label(block, loaded.blocks)
        for cells in range(26, 90):
            fitted = fit_block_label(full, cells)
            assert fitted.cells() <= cells and fitted.line == f" :{block.location.line}", (cells, fitted)
            assert any(detail.distinguishing and detail.value for detail in fitted.details), (cells, fitted)
    assert middle_ellipsis("abcdefghij", 5) == "ab…ij" and middle_ellipsis("abc", 5) == "abc"
    assert path_ellipsis("bucket/a/b/c/name.gz", 17) == "bucket/a…/name.gz"  # the file name whole
    assert path_ellipsis("bucket/a/b/c/name.gz", 16) == "…t/a/b/c/name.gz"  # too little room for a head
    assert path_ellipsis("bucket/a/very-long-file-name.json.gz", 20) == "bucket/a…ame.json.gz"  # the name's end
    assert split_ellipsis("0123456789", 7, head_cells=3) == "012…789"
