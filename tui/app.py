"""The App: modes (Overview, Ingest, Log explainer), global keys, palette entries and the demo's lifetime."""

from __future__ import annotations

import signal
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import ActiveBinding, Binding
from textual.containers import Center, Middle
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Header, Static
from textual.worker import Worker, WorkerState, get_current_worker

from diagnostics.text_safety import visible
from tui.messages import BundleWritten, DemoReady, DemoStepped
from tui.screens.base import MODE_BINDINGS, describe_error
from tui.screens.help import HelpScreen
from tui.widgets.data_text import data_text

# The faces import diagnostics and other screens inside the functions that use them: importing
# them all up front made start-up ~0.9 s slower on this machine (best of 5: import tui.commands
# 1.0 s instead of 0.09 s, import tui.app 1.7 s instead of 0.65 s), paid before --help or the first screen.

if TYPE_CHECKING:
    from pathlib import Path

    from diagnostics.context import DoctorContext
    from tui.demo import DemoEnvironment


class DoctorApp(App[int]):
    """wazuh-aws-doctor's interactive face; screens receive the context, the app only routes."""

    CSS_PATH = "styles/app.tcss"
    TITLE = "wazuh-aws-doctor"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("f1,question_mark", "help", "Help"),
        *MODE_BINDINGS.values(),
    ]

    def __init__(self, context: DoctorContext | None, *, demo: bool = False) -> None:
        super().__init__()
        self.context = context
        self.demo = demo
        self.demo_environment: DemoEnvironment | None = None
        self._modes_installed = False
        self.doctor_state_dir: Path | None = None
        """Where every pass screen keeps our state (the demo's doctor-state; None: the CLI's default)."""

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="")
        with Middle(id="starting"), Center():
            yield Static("Starting the demo: embedded S3 server, sample buckets and a throw-away Wazuh home…"
                         if self.demo else "Loading…", id="starting-message")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        if self.demo:
            self.sub_title = "demo"
            self.start_demo()
        else:
            self._install_modes()

    @work(thread=True, exclusive=True, exit_on_error=False, group="demo", description="Starting the demo")
    def start_demo(self) -> None:
        from tui.demo import start_demo

        def stepped(text: str) -> None:
            self.post_message(DemoStepped(text))

        environment = start_demo(on_step=stepped)
        if get_current_worker().is_cancelled or not self.post_message(DemoReady(environment)):
            environment.stop()

    @on(DemoStepped)
    def demo_stepped(self, message: DemoStepped) -> None:
        self.query_one("#starting-message", Static).update(message.text)

    @on(DemoReady)
    def demo_ready(self, message: DemoReady) -> None:
        self.demo_environment = message.environment
        self.context = message.environment.context
        self._install_modes()

    def _install_modes(self) -> None:
        """Register the three modes once the context is known and open the Overview (screens import lazily)."""
        context = self.context
        assert context is not None
        state_dir = self.demo_environment.root / "doctor-state" if self.demo_environment is not None else None
        self.doctor_state_dir = state_dir

        def overview() -> Screen[Any]:
            from tui.screens.overview import OverviewScreen

            return OverviewScreen(context)

        def ingest() -> Screen[Any]:
            from tui.screens.ingest import IngestScreen

            return IngestScreen(context, state_dir=state_dir)

        def explain() -> Screen[Any]:
            from tui.screens.log_explainer import LogExplainerScreen

            return LogExplainerScreen(context)

        self.add_mode("overview", overview)
        self.add_mode("ingest", ingest)
        self.add_mode("explain", explain)
        self._modes_installed = True
        self.switch_mode("overview")

    def action_open_mode(self, mode: str) -> None:
        """Show a mode's own screen from anywhere: screens pushed on top of it (Troubleshoot, Browse,
        Preview) are closed, as Escape would close them one by one."""
        if not self._modes_installed:
            self.notify("Still starting; one moment.", timeout=3)
            return
        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
        if self.current_mode != mode:
            self.switch_mode(mode)
        while len(self.screen_stack) > 1 and not isinstance(self.screen, ModalScreen):
            self.pop_screen()

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        rows: list[tuple[str, str]] = []
        screen = self.screen
        active = list(screen.active_bindings.values())
        # Our screen's keys first, then the app's, then Textual's (focus, copy, the focused widget's navigation).
        ours = {binding.action for cls in type(screen).__mro__ if cls.__module__.startswith("tui.")
                for binding in getattr(cls, "BINDINGS", []) if isinstance(binding, Binding)}
        rank = {id(screen): 0, id(self): 1}

        def order(item: ActiveBinding) -> int:
            if item.node is screen and item.binding.action in ours:
                return 0
            return rank.get(id(item.node), 2) + 1

        active.sort(key=order)
        keys_of: dict[str, list[str]] = {}
        for item in active:
            binding = item.binding
            if not binding.description:
                continue
            # A screen's footer copy of an App binding ("app.open_mode(...)") is the same action.
            action = binding.action.removeprefix("app.")
            if action not in keys_of:
                keys_of[action] = []
                rows.append((action, "Command palette" if action == "command_palette" else binding.description))
            key = self.get_key_display(binding)
            if key not in keys_of[action]:
                keys_of[action].append(key)
        rows = [(" ".join(keys_of[action]), description) for action, description in rows]
        title = getattr(self.screen, "help_title", self.screen.__class__.__name__)
        self.push_screen(HelpScreen(str(title), rows))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Palette entries for the main actions, next to Textual's own (theme, keys, quit)."""
        yield from super().get_system_commands(screen)
        if self._modes_installed:
            yield SystemCommand("Overview", "The configuration and its checks",
                                lambda: self.action_open_mode("overview"))
            yield SystemCommand("Ingest", "A debug-level ingestion pass with live log",
                                lambda: self.action_open_mode("ingest"))
            yield SystemCommand("Log explainer", "Annotate aws-s3 lines of ossec.log",
                                lambda: self.action_open_mode("explain"))
            from diagnostics.bundle import default_bundle_dir

            yield SystemCommand("Write a support bundle", "Checks, host and logs as a redacted tar.gz in "
                                f"{default_bundle_dir()}", self.write_bundle)
        for title, help_text, callback in getattr(screen, "palette_commands", lambda: ())():
            yield SystemCommand(title, help_text, callback)
        yield SystemCommand("Help", "Keys of this screen", self.action_help)

    @work(thread=True, exclusive=True, exit_on_error=False, group="bundle", description="Writing the bundle")
    def write_bundle(self) -> None:
        """The palette's bundle action: the same call as ``wazuh-aws-doctor bundle``."""
        from diagnostics.bundle import default_bundle_dir
        from diagnostics.support_bundle import make_support_bundle

        context = self.context or (self.demo_environment.context if self.demo_environment else None)
        if context is None:
            return
        self.call_from_thread(self.notify, "Writing the support bundle (runs the checks first)…", timeout=4)
        # the user's cache, never the directory the app was started from (often a checkout that gets shared)
        result, _ = make_support_bundle(context, output=default_bundle_dir(), create_directory=True)
        self.post_message(BundleWritten(result))

    @on(BundleWritten)
    def bundle_written(self, message: BundleWritten) -> None:
        result = message.result
        self.notify(visible(f"{result.path} ({result.size_bytes:,} bytes, {result.redactions} values redacted). "
                            "Read it before posting it."), title="Support bundle written", timeout=15, markup=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The app's own workers (the demo start, the support bundle): a failure is named in a notification."""
        if event.state is not WorkerState.ERROR:
            return
        message = describe_error(event.worker.error)
        if event.worker.group == "demo":
            for starting in self.query("#starting-message").results(Static):
                starting.update(data_text(f"The demo could not start: {message}"))
        what = event.worker.description or event.worker.name or "Background work"
        self.notify(visible(message), title=f"{what} failed", severity="error", timeout=30, markup=False)

    def on_unmount(self) -> None:
        if self.demo_environment is not None:
            self.demo_environment.stop()
            self.demo_environment = None


def run_app(context: DoctorContext, *, demo: bool) -> int:
    """Run the app until the user quits; returns the process exit status."""
    app = DoctorApp(None if demo else context, demo=demo)
    if hasattr(signal, "SIGHUP"):  # a closed terminal (tmux kill, ssh drop) still shuts down cleanly
        signal.signal(signal.SIGHUP, lambda signum, frame: app.exit())
    result = app.run()
    if app.return_code not in (None, 0):
        return app.return_code
    return int(result or 0)
