"""Ingest: a debug-level pass over one bucket (built-in engine or the installed module) with a live log."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Footer, Header, Label, ProgressBar, Select, Static
from textual.worker import get_current_worker

from diagnostics.context import DoctorContext
from diagnostics.ingest.model import IngestProgress, IngestSummary
from diagnostics.text_safety import visible
from diagnostics.wazuh.wodle import Block, LoadedConfig, Wodle
from tui.messages import (
    ConfigLoaded,
    IngestFinished,
    IngestLogged,
    IngestProgressed,
    RealModuleFinished,
    RealModulePlanned,
)
from tui.screens.base import DoctorScreen, mode_keys
from tui.widgets.config_tree import block_label, block_label_text, fit_block_label
from tui.widgets.data_text import data_text
from tui.widgets.finding_detail import FindingDetail
from tui.widgets.live_log import BatchingHandler, LiveLog
from tui.widgets.on_off_checkbox import OnOffCheckbox
from tui.widgets.status_badge import theme_style

# The faces import diagnostics and other screens inside the functions that use them: importing
# them all up front made start-up ~0.9 s slower on this machine (best of 5: import tui.commands
# 1.0 s instead of 0.09 s, import tui.app 1.7 s instead of 0.65 s), paid before --help or the first screen.

IDLE_STATUS = "Choose a bucket; s (or Start) runs a pass."
BUILT_IN = "built-in"
REAL_MODULE = "real"
_PASS_NUMBERS = itertools.count(1)


def summary_text(summary: IngestSummary) -> Text:
    """The closing lines of a pass (the CLI prints the same lines); the module's exit code stands out."""
    text = Text()
    for index, line in enumerate(summary.closing_lines()):
        style = "bold" if index == 2 else "dim" if line.startswith("our state:") else ""
        text.append(("\n" if index else "") + visible(line), style=style)
    return text


class ConfirmRealRun(ModalScreen[bool]):
    """Asks before the installed module runs: it advances the module's marker and sends real events."""

    BINDINGS = [Binding("escape", "dismiss(False)", "Cancel")]

    def __init__(self, display: str) -> None:
        super().__init__()
        self._command_text = display

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-body"):
            yield Label("Run the installed module?", classes="pane-title")
            yield Static(Text(self._command_text), classes="hint")
            yield Static("It advances the module's marker (files it reads are never read again) and sends "
                         "real events to Wazuh. The built-in pass changes neither.")
            with Horizontal(id="confirm-buttons"):
                yield Button("Run it", id="confirm-yes", variant="error")
                yield Button("Cancel", id="confirm-no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    @on(Button.Pressed)
    def answered(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")


class IngestScreen(DoctorScreen):
    """Runs one pass at a time in a worker; log lines arrive batched, progress coalesced."""

    help_title = "Ingest"
    BINDINGS = [
        Binding("s", "start", "Start"),
        Binding("escape", "cancel_or_back", "Stop"),
        Binding("l", "clear_log", "Clear log", show=False),
        *mode_keys("overview", "explain"),
    ]

    def __init__(self, context: DoctorContext, *, state_dir: Path | None = None) -> None:
        super().__init__()
        self.context = context
        self.state_dir = state_dir
        self.loaded: LoadedConfig | None = None
        self.blocks: dict[str, tuple[Block, Wodle]] = {}
        self.running = False
        self.last_progress: IngestProgress | None = None

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="")
        # Compact controls (one row each) leave most of an 80x24 terminal to the live log.
        with Horizontal(id="ingest-controls"):
            yield Select[str]([], prompt="bucket", id="ingest-bucket", compact=True)
            yield Select[int]([(f"debug {level}", level) for level in (1, 2, 3)], value=2, allow_blank=False,
                              id="ingest-debug", compact=True)
            yield Select[str]([("built-in", BUILT_IN), ("real module", REAL_MODULE)], value=BUILT_IN,
                              allow_blank=False, id="ingest-mode", compact=True)
            yield Button("Start", id="ingest-start", variant="success", compact=True)
            yield Button("Stop", id="ingest-stop", variant="error", disabled=True, compact=True)
        with Horizontal(id="ingest-options"):
            yield OnOffCheckbox("from the module's state", value=True, id="ingest-from-wazuh", compact=True)
            yield OnOffCheckbox("reset our state", value=False, id="ingest-reset", compact=True)
        with Horizontal(id="ingest-progress"):
            yield Static(IDLE_STATUS, id="ingest-counters")
            yield ProgressBar(total=None, show_eta=False, id="ingest-bar")
        yield LiveLog(max_lines=5000, id="ingest-log")
        with VerticalScroll(id="ingest-result"):
            yield Static("", id="ingest-summary")
            yield FindingDetail(id="ingest-findings", empty_text="")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Ingest"
        self.query_one("#ingest-result").display = False
        # An indeterminate bar animates: it appears only once a pass starts, so idle shows no motion.
        self.query_one("#ingest-bar", ProgressBar).display = False
        self.load_buckets()

    # -- workers --------------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="config", description="Reading ossec.conf")
    def load_buckets(self) -> None:
        from diagnostics.checks import load_configuration

        loaded, findings = load_configuration(self.context)
        self.post_message(ConfigLoaded(loaded, findings))

    @work(thread=True, exclusive=True, exit_on_error=False, group="ingest", description="The ingestion pass")
    def run_built_in(self, block: Block, wodle: Wodle, debug_level: int, from_wazuh: bool,
                     reset: bool) -> None:
        from diagnostics.bucket_session import ingest_request, open_bucket
        from diagnostics.ingest.engine import run_ingestion
        from diagnostics.ingest.log_format import OssecLogFormatter, level_for_debug
        from diagnostics.ingest.sinks import CountingSink

        cancel = get_current_worker().cancelled_event
        handler = BatchingHandler(lambda lines: self.post_message(IngestLogged(lines)),
                                  backlog=lambda: self.message_queue_size)
        handler.setFormatter(OssecLogFormatter(show_bucket=False))
        logger = logging.getLogger(f"wazuh_aws_doctor.ingest.app{next(_PASS_NUMBERS)}")
        logger.propagate = False
        logger.setLevel(level_for_debug(debug_level))
        logger.addHandler(handler)
        sink = CountingSink()
        try:
            session = open_bucket(self.context, block, wodle)
            if not session.usable:
                lines = tuple(f"cannot open the bucket: {finding.title}" for finding in session.findings)
                self.post_message(IngestLogged(lines))
                self.post_message(IngestFinished(None))
                return
            request = ingest_request(session, debug_level=debug_level, state_dir=self.state_dir, reset=reset,
                                    from_wazuh_state=from_wazuh, logger=logger)
            def progressed(step: IngestProgress) -> None:
                self.post_message(IngestProgressed(step))

            summary = run_ingestion(request, sink=sink, cancel=cancel, on_progress=progressed)
            handler.flush()
            self.post_message(IngestFinished(summary))
        finally:
            handler.flush()
            logger.removeHandler(handler)
            sink.close()

    @work(thread=True, exclusive=True, exit_on_error=False, group="ingest",
          description="Planning the real run")
    def plan_real(self, block: Block, wodle: Wodle, debug_level: int) -> None:
        from diagnostics.ingest.real_module import plan_real_run

        self.post_message(RealModulePlanned(plan_real_run(self.context, block, wodle, debug_level)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="ingest", description="The real module")
    def run_real(self, plan: Any) -> None:
        from diagnostics.ingest.real_module import run_real_module

        handler = BatchingHandler(lambda lines: self.post_message(IngestLogged(lines)),
                                  backlog=lambda: self.message_queue_size)
        result = run_real_module(plan, self.context, on_line=handler.add_line,
                                 cancel=get_current_worker().cancelled_event)
        handler.flush()
        self.post_message(RealModuleFinished(result))

    # -- results --------------------------------------------------------------------------------------
    @on(ConfigLoaded)
    def buckets_loaded(self, message: ConfigLoaded) -> None:
        self.loaded = message.loaded
        self.blocks.clear()
        options: list[tuple[Text, str]] = []
        select = self.query_one("#ingest-bucket", Select)
        # Labelled as in the Overview: same-named blocks differ by their distinguishing option and line.
        # The other controls keep their width, so the bucket's label gets the screen's width less 54 cells.
        cells = max(20, self.size.width - 54)
        muted = theme_style(self.app, "foreground-darken-2")
        for wodle in message.loaded.wodles:
            for block in wodle.blocks:
                if block.kind != "bucket":
                    continue
                self.blocks[block.key] = (block, wodle)
                label = fit_block_label(block_label(block, message.loaded.blocks), cells)
                options.append((block_label_text(label, muted), block.key))
        select.set_options(options)
        if options:
            select.value = options[0][1]

    @on(IngestLogged)
    def lines_logged(self, message: IngestLogged) -> None:
        self.query_one(LiveLog).append(message.lines)

    @on(IngestProgressed)
    def progress_made(self, message: IngestProgressed) -> None:
        self._show_progress(message.progress)

    def _show_progress(self, progress: IngestProgress) -> None:
        self.last_progress = progress
        done = progress.files_read + progress.files_skipped + progress.files_failed
        self.query_one("#ingest-bar", ProgressBar).update(total=max(progress.files_found, done, 1),
                                                          progress=done)
        self.query_one("#ingest-counters", Static).update(
            f"{progress.files_read}/{progress.files_found} read · {progress.files_skipped} skipped · "
            f"{progress.files_failed} failed · {progress.events} events · {progress.events_per_second:,.0f}/s"
            + (" · Escape stops" if self.running else ""))

    def _show_ended(self, outcome: str) -> None:
        """The status once a pass is over: what happened and what a key does now (never "Escape stops")."""
        counters = self.query_one("#ingest-counters", Static)
        progress = self.last_progress
        done = ""
        if progress is not None:
            done = (f"{progress.files_read}/{progress.files_found} read · {progress.events} events · ")
        counters.update(f"{outcome} {done}s starts another pass.")

    @on(IngestFinished)
    def pass_finished(self, message: IngestFinished) -> None:
        summary = message.summary
        self._set_running(False)
        log = self.query_one(LiveLog)
        log.flush()
        log.scroll_end(animate=False)
        if summary is None:
            self._show_ended("The bucket could not be opened (see the log).")
            return
        self._show_ended("Stopped:" if summary.cancelled else "Done:")
        self.query_one("#ingest-summary", Static).update(summary_text(summary))
        self.query_one("#ingest-summary", Static).display = True
        self.query_one("#ingest-result").display = True
        self.query_one("#ingest-findings", FindingDetail).show(summary.findings)
        bar = self.query_one("#ingest-bar", ProgressBar)
        if bar.total is None:
            bar.update(total=1, progress=1)

    def _hide_bar(self) -> None:
        self.query_one("#ingest-bar", ProgressBar).display = False

    @on(RealModulePlanned)
    def real_planned(self, message: RealModulePlanned) -> None:
        plan = message.plan
        self.query_one("#ingest-findings", FindingDetail).show(plan.findings)
        self.query_one("#ingest-summary", Static).display = False
        self.query_one("#ingest-result").display = bool(plan.findings)
        self.query_one(LiveLog).append((f"command: {plan.display}",))
        if not plan.ready:
            self._set_running(False)
            self._hide_bar()
            self.query_one("#ingest-counters", Static).update("The real module cannot run here (see below); "
                                                              "s starts a pass.")
            return

        def confirmed(answer: bool | None) -> None:
            if answer:
                self.run_real(plan)
            else:
                self._set_running(False)
                self._hide_bar()
                self.query_one("#ingest-counters", Static).update("Not run; s starts a pass.")

        self.app.push_screen(ConfirmRealRun(plan.display), confirmed)

    @on(RealModuleFinished)
    def real_finished(self, message: RealModuleFinished) -> None:
        result = message.result
        self._set_running(False)
        code = "none (stopped)" if result.exit_code is None else str(result.exit_code)
        panel = self.query_one("#ingest-summary", Static)
        text = f"The module returned exit code {code} after {result.duration_s:.1f} s."
        if result.ossec_log:
            text += "\nossec.log would show:\n" + "\n".join(visible(line) for line in result.ossec_log)
        panel.update(Text(text))
        panel.display = True
        self.query_one("#ingest-result").display = True
        self.query_one("#ingest-findings", FindingDetail).show(result.findings)
        bar = self.query_one("#ingest-bar", ProgressBar)
        bar.update(total=1, progress=1)
        self._show_ended(f"The module returned exit code {code}.")

    # -- actions --------------------------------------------------------------------------------------
    def _chosen_bucket(self) -> tuple[Block, Wodle] | None:
        value = self.query_one("#ingest-bucket", Select).value
        return self.blocks.get(value) if isinstance(value, str) else None

    @on(Button.Pressed, "#ingest-start")
    def action_start(self) -> None:
        if self.running:
            self.notify("A pass is already running; Stop it first.", severity="warning", timeout=3)
            return
        chosen = self._chosen_bucket()
        if chosen is None:
            self.notify("Choose a bucket first.", severity="warning", timeout=3)
            return
        block, wodle = chosen
        debug_level = self.query_one("#ingest-debug", Select).value
        mode = self.query_one("#ingest-mode", Select).value
        level = debug_level if isinstance(debug_level, int) else 2
        self.query_one(LiveLog).reset()
        self.query_one("#ingest-result").display = False
        self.query_one("#ingest-findings", FindingDetail).show(())
        bar = self.query_one("#ingest-bar", ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self.last_progress = None
        self._set_running(True)
        self.query_one("#ingest-counters", Static).update(data_text(f"Starting {block.label} (Escape stops)…"))
        if mode == REAL_MODULE:
            self.plan_real(block, wodle, level)
        else:
            self.run_built_in(block, wodle, level, self.query_one("#ingest-from-wazuh", Checkbox).value,
                              self.query_one("#ingest-reset", Checkbox).value)

    @on(Button.Pressed, "#ingest-stop")
    def action_stop(self) -> None:
        running = self.running_workers()
        if not running:
            return
        for worker in running:
            if worker.group == "ingest":
                worker.cancel()
        self.query_one("#ingest-counters", Static).update("Stopping at the next file boundary…")

    def action_clear_log(self) -> None:
        self.query_one(LiveLog).reset()

    def action_cancel_or_back(self) -> None:
        if self.running:
            self.action_stop()
            return
        super().action_cancel_or_back()

    def _set_running(self, running: bool) -> None:
        self.running = running
        self.query_one("#ingest-start", Button).disabled = running
        self.query_one("#ingest-stop", Button).disabled = not running
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The footer dims what does nothing now: Stop while idle, Start while a pass runs."""
        if action == "cancel_or_back" and not self.running:
            return None
        if action == "start" and self.running:
            return None
        return True

    def palette_commands(self) -> Iterator[tuple[str, str, Callable[[], object]]]:
        """Entries this screen adds to the command palette."""
        yield "Start ingestion pass", "Run the selected bucket at the chosen debug level", self.action_start
        yield "Stop ingestion pass", "Stop at the next file boundary", self.action_stop

    def work_failed(self, worker: object, message: str) -> None:
        self._set_running(False)
        self._hide_bar()
        self.query_one("#ingest-counters", Static).update(data_text(f"Failed: {message}; s starts a pass."))

    def work_cancelled(self) -> None:
        self.query_one("#ingest-counters", Static).update("Stopping…")
