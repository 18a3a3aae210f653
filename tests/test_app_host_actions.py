"""The app's faces of issue 8: wazuh-logtest from Preview and the support bundle from the palette."""

from __future__ import annotations

import tarfile
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from textual import work
from textual.message import Message
from textual.widgets import Input

from diagnostics.checks import load_configuration
from diagnostics.findings import Status
from tests.snapshot_apps.harness import ScreenHarness, notifications
from tests.test_app_pilot import of_type, wait_until
from tui.app import DoctorApp
from tui.demo import DemoEnvironment, start_demo
from tui.messages import BundleWritten, EventsDecoded, KeysListed, LogtestMatched
from tui.screens.browse import BrowseScreen
from tui.widgets.key_tree import KeyEntry, KeyTree

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoEnvironment]:
    environment = start_demo(now=NOW, root=tmp_path_factory.mktemp("host-actions-demo"))
    try:
        yield environment
    finally:
        environment.stop()


async def test_preview_sends_events_to_logtest_and_says_it_is_unavailable_here(demo: DemoEnvironment) -> None:
    messages: list[Message] = []
    block = next(b for b in load_configuration(demo.context)[0].blocks if b.name == "demo-cloudtrail")
    app = ScreenHarness(lambda: BrowseScreen(demo.context, block))
    async with app.run_test(size=(100, 30), message_hook=messages.append) as pilot:
        await wait_until(pilot, lambda: bool(of_type(messages, KeysListed)))
        screen = app.screen
        screen.query_one("#browse-date", Input).value = "2026-11-29"
        await screen.query_one("#browse-date", Input).action_submit()
        await wait_until(pilot, lambda: len(of_type(messages, KeysListed)) >= 2)
        await pilot.pause()
        tree = screen.query_one(KeyTree)
        first = next(child for child in tree.root.children if isinstance(child.data, KeyEntry))
        tree.focus()
        tree.move_cursor(first)
        await pilot.press("enter")
        await wait_until(pilot, lambda: bool(of_type(messages, EventsDecoded)))
        await pilot.pause()
        await pilot.press("l")
        await wait_until(pilot, lambda: bool(of_type(messages, LogtestMatched)))
        await pilot.pause()
        matched = of_type(messages, LogtestMatched)[0]
        assert isinstance(matched, LogtestMatched)
        # the demo has no Wazuh installation: logtest is reported unavailable, never faked
        assert [(f.failure_id, f.status) for f in matched.report.findings] == [
            ("host.logtest_unavailable", Status.SKIPPED)]
        assert matched.report.interface == "none" and matched.report.matches == ()


async def test_palette_bundle_writes_a_redacted_archive(demo: DemoEnvironment, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    started_in = tmp_path / "checkout"
    started_in.mkdir()
    monkeypatch.chdir(started_in)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    messages: list[Message] = []
    app = DoctorApp(demo.context)
    async with app.run_test(size=(100, 30), message_hook=messages.append) as pilot:
        await pilot.pause()
        app.write_bundle()
        await wait_until(pilot, lambda: bool(of_type(messages, BundleWritten)), timeout=120)
        written = of_type(messages, BundleWritten)[0]
        assert isinstance(written, BundleWritten)
        path = written.result.path
        assert path.parent == tmp_path / "cache" / "wazuh-aws-doctor" / "bundles" and path.exists()
        assert list(started_in.iterdir()) == [], "nothing lands in the directory the app was started from"
        with tarfile.open(path) as archive:
            names = archive.getnames()
            text = "".join(archive.extractfile(member).read().decode("utf-8", "replace")  # type: ignore[union-attr]
                           for member in archive.getmembers() if member.isfile())
        assert any("findings" in name for name in names)
        secret_file = demo.root / "root" / ".aws" / "credentials"
        secrets = [line.split("=", 1)[1].strip() for line in secret_file.read_text().splitlines()
                   if line.replace(" ", "").startswith("aws_secret_access_key=")]
        assert secrets, "the demo's credentials hold secrets to look for"
        for secret in secrets:
            assert secret not in text


class _FullDiskApp(DoctorApp):
    """The real app whose bundle writer fails the way a full disk makes it fail."""

    CSS_PATH = str(Path(__file__).resolve().parent.parent / "tui" / "styles" / "app.tcss")

    @work(thread=True, exclusive=True, exit_on_error=False, group="bundle", description="Writing the bundle")
    def write_bundle(self) -> None:
        raise OSError(28, "No space left on device")


async def test_a_failed_bundle_is_named_as_the_bundle_not_the_demo(demo: DemoEnvironment) -> None:
    messages: list[Message] = []
    app = _FullDiskApp(demo.context)
    async with app.run_test(size=(100, 30), message_hook=messages.append) as pilot:
        await pilot.pause()
        app.write_bundle()
        await wait_until(pilot, lambda: any(n.severity == "error" for n in notifications(messages)), timeout=30)
        [failure] = [n for n in notifications(messages) if n.severity == "error"]
        assert failure.title == "Writing the bundle failed"
        assert "No space left on device" in failure.message
        assert "demo" not in f"{failure.title} {failure.message}".lower()
