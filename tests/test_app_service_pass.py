"""The app's service pass, opened from Next run with p: options, the live log, the sent count, the exit code."""

from __future__ import annotations

import hashlib
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input

from diagnostics.configuration.loader import load_config
from diagnostics.context import DoctorContext, context_from_environment
from diagnostics.findings import SourceLocation
from diagnostics.wazuh.wodle import Block, Option, Wodle
from tests.conftest import admin_client
from tests.fault_proxy import Fault, FaultProxy, fault_proxy
from tests.inspector_server import inspector_server
from tests.screen_text import screen_lines
from tests.snapshot_apps.harness import ScreenHarness, wait_until
from tests.test_service_access import load_golden
from tui.demo import DemoEnvironment, start_demo
from tui.screens.next_run import NextRunScreen
from tui.widgets.live_log import LiveLog


@pytest.fixture
def app_logs(moto: str, clean_aws_env: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """app-logs on moto, as the demo's group: a plain stream (one message the module drops) and a JSON stream."""
    (clean_aws_env / ".aws" / "credentials").write_text(
        "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = doctor-secret\n")
    (clean_aws_env / ".aws" / "credentials").chmod(0o600)
    monkeypatch.setenv("WAZUH_AWS_DOCTOR_MODULE_HOME", str(clean_aws_env))
    logs = admin_client(moto, "logs")
    logs.create_log_group(logGroupName="app-logs")
    now = int(time.time() * 1000)
    streams = {"plain-text": ["service started on port 8443", "None of the health checks answered",
                              "request [bold]served[/]"],
               "structured-json": ['{"level": "info", "msg": "user alice logged in"}']}
    for stream, messages in streams.items():
        logs.create_log_stream(logGroupName="app-logs", logStreamName=stream)
        logs.put_log_events(logGroupName="app-logs", logStreamName=stream, logEvents=[
            {"timestamp": now - 10_000 + index * 1000, "message": message} for index, message in enumerate(messages)])
    return moto


@pytest.fixture
def slow_proxy(app_logs: str) -> Iterator[FaultProxy]:
    """The endpoint behind a fault proxy (the test slows one call once the preview has read the group)."""
    with fault_proxy(app_logs) as proxy:
        yield proxy


def cloudwatch_block(tmp_path: Path, group: str) -> Block:
    return Block("service", "cloudwatchlogs", SourceLocation(str(tmp_path / "ossec.conf"), 12),
                 {"aws_log_groups": Option("aws_log_groups", group, 13),
                  "regions": Option("regions", "us-east-1", 14)})


def doctor(tmp_path: Path, endpoint: str) -> DoctorContext:
    return context_from_environment(None, str(tmp_path / "ossec"), endpoint).with_changes(debug_level=2)


def shown(app: ScreenHarness) -> str:
    return "\n".join(screen_lines(app))


def one_line(app: ScreenHarness) -> str:
    """The screen's words on one line, so text wrapped at 80 columns reads whole."""
    return " ".join(shown(app).split())


async def open_pass(pilot: object, app: ScreenHarness) -> None:
    """From Next run (once its preview is on screen) to the pass screen, as an admin gets there."""
    await wait_until(pilot, lambda: "The next run sends" in shown(app))
    await pilot.press("p")  # type: ignore[attr-defined]
    await wait_until(pilot, lambda: "s (or Start) runs the pass; Escape goes back." in shown(app))


async def test_next_run_says_it_is_the_preview_and_names_the_pass_key(app_logs: str, tmp_path: Path) -> None:
    app = ScreenHarness(lambda: NextRunScreen(doctor(tmp_path, app_logs), cloudwatch_block(tmp_path, "app-logs"),
                                              state_dir=tmp_path / "state"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: "The next run sends 3 event(s), drops 1" in shown(app))
        text = shown(app)
        assert "preview of the next run, read-only" in text
        assert "p runs a pass with our own state" in text
        assert "p Run pass" in text, "the footer names the key"


async def test_a_first_pass_sends_and_a_second_sends_nothing_at_80x24(app_logs: str, tmp_path: Path) -> None:
    state = tmp_path / "state"
    app = ScreenHarness(lambda: NextRunScreen(doctor(tmp_path, app_logs), cloudwatch_block(tmp_path, "app-logs"),
                                              state_dir=state))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pass(pilot, app)
        text = shown(app)
        assert "our state: " in text and "aws_services.db" in text
        assert "▐ ▌ reset our state" in text and "▐ ▌ from Wazuh's state" in text, "off reads without colour"
        assert "Escape goes back" in text and "Escape cancels" not in text
        await pilot.press("s")
        await wait_until(pilot, lambda: "Done: exit 0 · 3 sent · 1 skipped" in shown(app))
        text = shown(app)
        assert "The module's exit code: 0" in text
        assert "Escape cancels" not in text
        log = app.screen.query_one(LiveLog)
        assert any('log stream "plain-text"' in line for line in log.lines), "the module's lines, live"
        assert (state / "aws_services.db").is_file()
        await pilot.press("s")
        await wait_until(pilot, lambda: "Done: exit 0 · 0 sent" in shown(app))
        assert "0 event(s) sent" in shown(app)
        assert "doctor-secret" not in shown(app)


async def test_reset_sends_everything_again(app_logs: str, tmp_path: Path) -> None:
    app = ScreenHarness(lambda: NextRunScreen(doctor(tmp_path, app_logs), cloudwatch_block(tmp_path, "app-logs"),
                                              state_dir=tmp_path / "state"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pass(pilot, app)
        await pilot.press("s")
        await wait_until(pilot, lambda: "Done: exit 0 · 3 sent" in shown(app))
        await pilot.click("#pass-reset")
        await wait_until(pilot, lambda: "▐✔▌ reset our state" in shown(app))
        await pilot.press("s")
        await wait_until(pilot, lambda: "Done: exit 0 · 3 sent" in shown(app))
        assert "started over (reset)" in shown(app)
        assert "▐ ▌ reset our state" in shown(app), "a reset starts one pass over; the next goes on from ours"
        await pilot.press("s")
        await wait_until(pilot, lambda: "Done: exit 0 · 0 sent" in shown(app))


async def test_escape_mid_pass_cancels_it_and_says_so(slow_proxy: FaultProxy, tmp_path: Path) -> None:
    app = ScreenHarness(lambda: NextRunScreen(doctor(tmp_path, slow_proxy.url),
                                              cloudwatch_block(tmp_path, "app-logs"), state_dir=tmp_path / "state"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pass(pilot, app)
        slow_proxy.add(Fault("slow", operation="DescribeLogStreams", delay=3.0, times=1))  # the pass's first call
        await pilot.press("s")
        await wait_until(pilot, lambda: "Escape cancels" in shown(app))
        assert "esc Cancel" in shown(app), "the footer says what Escape does now"
        await pilot.press("escape")
        await wait_until(pilot, lambda: "Cancelled: 0 sent · 0 skipped" in shown(app) and "esc Back" in shown(app))
        text = shown(app)
        assert "Cancelled (Escape) before the end · 0 event(s) sent" in text
        assert "The module's exit code" not in text, "a cancelled pass claims no exit code"
        assert "The CloudWatch Logs pass was cancelled after 0 stream(s)" in text, "the finding says what is saved"
        assert "Escape cancels" not in text and "esc Cancel" not in text
        assert "s runs it again" in text
        app.screen.query_one("#pass-result").focus()
        await pilot.press("end")
        await wait_until(pilot, lambda: "or start over (--reset, or the reset box in the app)" in one_line(app))


async def test_the_sent_count_moves_while_the_pass_runs(slow_proxy: FaultProxy, tmp_path: Path) -> None:
    app = ScreenHarness(lambda: NextRunScreen(doctor(tmp_path, slow_proxy.url),
                                              cloudwatch_block(tmp_path, "app-logs"), state_dir=tmp_path / "state"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pass(pilot, app)
        # The pass's third GetLogEvents is the JSON stream's first page: plain-text's 2 events are sent by then.
        slow_proxy.add(Fault("slow", operation="GetLogEvents", nth=3, delay=4.0))
        await pilot.press("s")
        await wait_until(pilot, lambda: "Running: 2 event(s) sent so far · Escape cancels" in shown(app))
        await wait_until(pilot, lambda: "Done: exit 0 · 3 sent · 1 skipped" in shown(app))


async def test_a_missing_log_group_shows_exit_16_and_the_finding(app_logs: str, tmp_path: Path) -> None:
    app = ScreenHarness(lambda: NextRunScreen(doctor(tmp_path, app_logs), cloudwatch_block(tmp_path, "no-such-group"),
                                              state_dir=tmp_path / "state"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pass(pilot, app)
        await pilot.press("s")
        await wait_until(pilot, lambda: "Stopped: exit 16 · 0 sent" in shown(app))
        text = shown(app)
        assert "The module's exit code: 16" in text
        assert "The module's run stops here with exit code 16" in text, "the finding's title"
        assert 'ERROR: The "get_log_streams" request' in text, "the module's line in the live log"
        app.screen.query_one("#pass-result").focus()
        await pilot.press("end")
        await wait_until(pilot, lambda: "wazuh-aws-doctor check --block 12" in one_line(app))  # the finding's fix
        assert "Troubleshoot the block (Enter on it in the app's Overview, or" in one_line(app), "both faces named"
        assert "(ResourceNotFoundException) when calling the" in shown(app), "the error whole in the finding"


async def test_from_wazuhs_state_without_its_file_says_nothing_ran(app_logs: str, tmp_path: Path) -> None:
    app = ScreenHarness(lambda: NextRunScreen(doctor(tmp_path, app_logs), cloudwatch_block(tmp_path, "app-logs"),
                                              state_dir=tmp_path / "state"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pass(pilot, app)
        await pilot.press("s")
        await wait_until(pilot, lambda: "Done: exit 0 · 3 sent" in shown(app))
        await pilot.click("#pass-from-wazuh")
        await wait_until(pilot, lambda: "▐✔▌ from Wazuh's state" in shown(app))
        await pilot.press("s")
        await wait_until(pilot, lambda: "Not run: our state cannot be used" in shown(app))
        text = shown(app)
        assert "Nothing ran" in text and "The module's exit code" not in text, "exit 1 here is ours, not the module's"
        assert "does not exist (no run yet?)" in text, "the finding says why"
        await pilot.click("#pass-from-wazuh")
        await wait_until(pilot, lambda: "▐ ▌ from Wazuh's state" in shown(app))
        await pilot.press("s")
        await wait_until(pilot, lambda: "Done: exit 0 · 0 sent" in shown(app))  # the refusal kept our state


@pytest.fixture
def root_profile(clean_aws_env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Root's [default] profile in the module's home (Inspector's fixtures add no log group)."""
    (clean_aws_env / ".aws" / "credentials").write_text(
        "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = doctor-secret\n")
    (clean_aws_env / ".aws" / "credentials").chmod(0o600)
    monkeypatch.setenv("WAZUH_AWS_DOCTOR_MODULE_HOME", str(clean_aws_env))
    return clean_aws_env


async def test_an_inspector_pass_sends_its_findings_then_nothing(root_profile: Path, moto: str,
                                                                 tmp_path: Path) -> None:
    golden = load_golden("inspector_discard_nested_list")
    block = Block("service", "inspector", SourceLocation(str(tmp_path / "ossec.conf"), 12),
                  {"regions": Option("regions", "us-east-1", 13),
                   "only_logs_after": Option("only_logs_after", "2026-NOV-25", 14)}, 0,
                  Option("discard_regex", "lod", 15, {"field": "packageVulnerabilityDetails.vulnerablePackages.name"}))
    with inspector_server(golden["seed"]["findings"], upstream=moto) as server:
        app = ScreenHarness(lambda: NextRunScreen(doctor(tmp_path, server.endpoint), block,
                                                  state_dir=tmp_path / "state"))
        async with app.run_test(size=(80, 24)) as pilot:
            await open_pass(pilot, app)
            await pilot.press("s")
            await wait_until(pilot, lambda: "Done: exit 0 · 2 sent · 1 skipped" in shown(app))
            assert "Attempting to fetch Inspector V2 findings from 2026-11-25" in "\n".join(
                app.screen.query_one(LiveLog).lines)
            await pilot.press("s")
            await wait_until(pilot, lambda: "Done: exit 0 · 0 sent" in shown(app))


async def test_the_datagrams_go_to_a_file_that_is_never_overwritten_unasked(app_logs: str, tmp_path: Path) -> None:
    out = tmp_path / "datagrams.txt"
    context = doctor(tmp_path, app_logs)
    app = ScreenHarness(lambda: NextRunScreen(context, cloudwatch_block(tmp_path, "app-logs"),
                                              state_dir=tmp_path / "state"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pass(pilot, app)
        assert "datagrams to a file (optional; never in the Wazuh home)" in shown(app)
        app.screen.query_one("#pass-events-out", Input).focus()
        await pilot.press("s", "o", "x")  # typed into the field: no pass starts, no other screen opens
        await wait_until(pilot, lambda: "datagrams to sox" in shown(app))
        assert "s (or Start) runs the pass" in shown(app)
        app.screen.query_one("#pass-events-out", Input).value = str(out)
        app.screen.query_one("#pass-start").focus()
        await pilot.press("s")
        await wait_until(pilot, lambda: "Done: exit 0 · 3 sent" in shown(app))
        assert out.read_text().splitlines() == [
            "1:Wazuh-AWS:service started on port 8443", "1:Wazuh-AWS:request [bold]served[/]",
            '1:Wazuh-AWS:{"level": "info", "msg": "user alice logged in"}']
        assert "datagrams written to" in shown(app)
        await pilot.press("s")
        await wait_until(pilot, lambda: "Not run: the datagrams file was refused (see below)" in shown(app))
        assert "already exists" in shown(app) and "tick append" in shown(app)
        assert "esc Back" in shown(app), "nothing runs: Escape goes back"
        await pilot.click("#pass-append")
        await pilot.click("#pass-reset")
        app.screen.query_one("#pass-start").focus()
        await pilot.press("s")
        await wait_until(pilot, lambda: "Done: exit 0 · 3 sent" in shown(app))
        assert len(out.read_text().splitlines()) == 6, "appended, never replaced"
        inside = context.wazuh_home / "datagrams.txt"
        context.wazuh_home.mkdir(parents=True, exist_ok=True)
        app.screen.query_one("#pass-events-out", Input).value = str(inside)
        app.screen.query_one("#pass-start").focus()
        await pilot.press("s")
        await wait_until(pilot, lambda: "(it belongs to Wazuh); choose a path outside it" in shown(app))
        assert not inside.exists(), "a refused path creates nothing"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoEnvironment]:
    """The app's own --demo environment (its embedded endpoint, ossec.conf and root's profile)."""
    environment = start_demo(root=tmp_path_factory.mktemp("demo-pass"))
    try:
        yield environment
    finally:
        environment.stop()


def demo_cloudwatch_blocks(demo: DemoEnvironment) -> list[tuple[Block, Wodle]]:
    """The demo's CloudWatch Logs blocks in ossec.conf order: demo-app-logs, then demo-no-such-group."""
    loaded = load_config(Path(demo.context.config_path))
    return [(block, wodle) for wodle in loaded.wodles for block in wodle.blocks
            if block.kind == "service" and block.block_type == "cloudwatchlogs"]


async def test_the_demos_cloudwatch_blocks_pass_as_the_demo_promises(demo: DemoEnvironment, tmp_path: Path) -> None:
    (healthy, wodle), (broken, broken_wodle) = demo_cloudwatch_blocks(demo)
    app = ScreenHarness(lambda: NextRunScreen(demo.context, healthy, wodle, state_dir=tmp_path / "state"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pass(pilot, app)
        assert f"cloudwatchlogs demo-app-logs, line {healthy.location.line}: a read-only pass" in shown(app)
        await pilot.press("s")
        await wait_until(pilot, lambda: "Done: exit 0 · 4 sent · 1 skipped" in shown(app))
        await pilot.press("s")
        await wait_until(pilot, lambda: "Done: exit 0 · 0 sent · 0 skipped" in shown(app))
    app = ScreenHarness(lambda: NextRunScreen(demo.context, broken, broken_wodle, state_dir=tmp_path / "state"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pass(pilot, app)
        await pilot.press("s")
        await wait_until(pilot, lambda: "Stopped: exit 16 · 0 sent" in shown(app))
        assert "The module's run stops here with exit code 16" in shown(app)


async def test_from_wazuhs_state_starts_where_the_module_stands(app_logs: str, tmp_path: Path) -> None:
    context = doctor(tmp_path, app_logs)
    state = tmp_path / "state"
    app = ScreenHarness(lambda: NextRunScreen(context, cloudwatch_block(tmp_path, "app-logs"), state_dir=state))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pass(pilot, app)
        await pilot.press("s")
        await wait_until(pilot, lambda: "Done: exit 0 · 3 sent" in shown(app))
        # The module's own file as a run that read every stream leaves it (our table has the module's columns).
        context.services_db_path.parent.mkdir(parents=True)
        shutil.copyfile(state / "aws_services.db", context.services_db_path)
        before = hashlib.sha256(context.services_db_path.read_bytes()).hexdigest()
        await pilot.click("#pass-reset")
        await wait_until(pilot, lambda: "▐✔▌ reset our state" in shown(app))
        await pilot.press("s")
        await wait_until(pilot, lambda: "Done: exit 0 · 3 sent" in shown(app) and "started over (reset)" in shown(app))
        await pilot.click("#pass-from-wazuh")
        await wait_until(pilot, lambda: "▐✔▌ from Wazuh's state" in shown(app))
        await pilot.press("s")
        await wait_until(pilot, lambda: "Done: exit 0 · 0 sent" in shown(app))
        assert "started from a copy of the module's state" in " ".join(shown(app).split()), "wrapped at 80 columns"
        assert hashlib.sha256(context.services_db_path.read_bytes()).hexdigest() == before, "Wazuh's file untouched"


async def test_in_the_demo_every_way_to_the_pass_keeps_state_where_ingest_does() -> None:
    from tui.app import DoctorApp
    from tui.screens.service_browse import ServiceBrowseScreen
    from tui.screens.service_pass import ServicePassScreen
    from tui.widgets.config_tree import ConfigTree

    app = DoctorApp(None, demo=True)  # the app starts its own demo, as --demo does
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_until(pilot, lambda: "blocks:" in shown(app) and "checked" not in shown(app))
        assert app.demo_environment is not None
        root = app.demo_environment.root
        state = root / "doctor-state" / "aws_services.db"
        tree = app.screen.query_one(ConfigTree)
        tree.move_cursor(next(node for wodle in tree.root.children for node in wodle.children
                              if node.data is not None and node.data.block is not None
                              and node.data.block.value("aws_log_groups") == "demo-app-logs"))
        for opening in ("b", "t"):  # the Overview's b, then Troubleshoot's b: both reach Browse service
            await pilot.press(opening)
            if opening == "t":
                await wait_until(pilot, lambda: type(app.screen).__name__ == "TroubleshootScreen")
                await pilot.press("b")
            await wait_until(pilot, lambda: isinstance(app.screen, ServiceBrowseScreen))
            await pilot.press("n")
            await open_pass(pilot, app)
            assert f"our state: {state}" in shown(app), "the directory the Ingest screen is given"
            await pilot.press("s")
            await wait_until(pilot, lambda: "Done: exit 0" in shown(app))
            assert f"our state: {state}" in shown(app)
            assert state.is_file() and not (root / "root" / ".cache").exists()
            await pilot.press("escape", "escape", "escape")
            await wait_until(pilot, lambda: not isinstance(app.screen, (ServicePassScreen, ServiceBrowseScreen,
                                                                        NextRunScreen)))
            if opening == "t":
                await pilot.press("escape")
        await pilot.press("i")  # the Ingest screen is given the same directory
        await wait_until(pilot, lambda: type(app.screen).__name__ == "IngestScreen")
        assert getattr(app.screen, "state_dir", None) == state.parent
