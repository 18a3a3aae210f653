"""Service pass: a read-only pass over a CloudWatch Logs or Inspector block with our own state and a live log."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Checkbox, Footer, Header, Input, Label, Select, Static
from textual.worker import get_current_worker

from diagnostics.context import DoctorContext
from diagnostics.text_safety import visible
from diagnostics.wazuh.wodle import Block, Wodle
from tui.messages import EventsFileOpened, EventsFileRefused, IngestLogged, ServicePassFinished, ServicePassSent
from tui.screens.base import DoctorScreen
from tui.widgets.data_text import data_text
from tui.widgets.finding_detail import FindingDetail
from tui.widgets.fitted_line import FittedLine
from tui.widgets.live_log import BatchingHandler, LiveLog
from tui.widgets.on_off_checkbox import OnOffCheckbox

if TYPE_CHECKING:
    from diagnostics.service_pass import ServicePassOptions, ServicePassResult

def block_reads(block: Block) -> str:
    """What a service block reads: its log groups (CloudWatch Logs) or its regions (Inspector)."""
    return block.value("regions" if block.block_type == "inspector" else "aws_log_groups") or ""


def block_heading(block: Block) -> str:
    """``cloudwatchlogs demo-app-logs, line 106``: the block as its ossec.conf names it (two demo blocks share
    the label ``service (cloudwatchlogs)``)."""
    return f"{block.block_type} {block_reads(block)}".strip() + f", line {block.location.line}"


def started_from(options: ServicePassOptions) -> str:
    """Where the pass's state started: a copy of the module's file, nothing (reset), or our previous passes."""
    if options.from_wazuh_state:
        return "started from a copy of the module's state"
    return "started over (reset)" if options.reset else "from our state"


def result_text(result: ServicePassResult, started: str = "") -> Text:
    """The pass's closing line as the CLI prints it, the module's exit code first and bold (the findings below
    quote the error that stopped the run, which the log cuts to its width)."""
    if not pass_ran(result):
        return Text("Nothing ran: our state cannot be used (see below).", style="bold")
    # A cancelled pass never reached the module's end, so it has no exit code to claim.
    head = "Cancelled (Escape) before the end" if result.cancelled else f"The module's exit code: {result.exit_code}"
    text = Text(head, style="bold")
    text.append(f" · {result.sent} event(s) sent, {result.skipped} skipped")
    if result.state_path is not None and started:  # None: the block could not be opened (see the findings)
        text.append(f" · {started}")
    return text


def app_state_dir(app: object) -> Path | None:
    """The state directory the app gives its Ingest screen, if it names one (a test's bare app does not)."""
    found = getattr(app, "doctor_state_dir", None)
    return found if isinstance(found, Path) else None


def pass_ran(result: ServicePassResult) -> bool:
    """False when our state directory or database was refused: the exit code then is ours, not the module's."""
    from diagnostics.service_pass import STATE_CHECK_ID

    return not any(finding.check_id == STATE_CHECK_ID for finding in result.findings)


class ServicePassScreen(DoctorScreen):
    """Runs the pass in one worker (``run_service_pass``); lines arrive batched, the sent count coalesced."""

    help_title = "Service pass"
    BINDINGS = [
        Binding("s", "start", "Start pass"),
        Binding("escape", "cancel_pass", "Cancel"),
        Binding("escape", "cancel_or_back", "Back"),
    ]
    """Escape shows (and does) Cancel while a pass runs and Back otherwise; check_action picks one."""

    def __init__(self, context: DoctorContext, block: Block, wodle: Wodle | None = None, *,
                 state_dir: Path | None = None) -> None:
        super().__init__()
        self.context = context
        self.block = block
        self.wodle = wodle
        self.state_dir = state_dir
        self.running = False
        self.sent = 0
        self.started = ""
        self.events_out: Path | None = None
        """The file this pass writes its datagrams to, once opened."""
        self.cancel_requested = False
        """Escape was pressed during this pass (perhaps before its worker started)."""

    @property
    def is_pushed_screen(self) -> bool:
        return True

    @property
    def shown_state_dir(self) -> Path:
        """The directory our state goes to: the one given, else the app's (the one its Ingest screen uses, so
        however this screen was opened the demo keeps its state in one place), else the CLI's default."""
        from diagnostics.ingest.state import default_state_dir

        return self.state_dir or app_state_dir(self.app) or default_state_dir(self.context.environ or None)

    @property
    def shown_state_file(self) -> Path:
        """Our ``aws_services.db`` in that directory (the pass names the same file once it has opened it)."""
        from diagnostics.ingest.cloudwatch_state import SERVICES_FILE_NAME

        return self.shown_state_dir / SERVICES_FILE_NAME

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="")
        heading = f"{block_heading(self.block)}: a read-only pass with our own state; nothing reaches Wazuh"
        yield Static(data_text(heading), id="pass-header", classes="status-line")
        level = min(3, max(0, self.context.debug_level))
        with Horizontal(id="pass-options"):
            yield Select[int]([(f"debug {number}", number) for number in (0, 1, 2, 3)], value=level,
                              allow_blank=False, id="pass-debug", compact=True)
            yield OnOffCheckbox("reset our state", value=False, id="pass-reset", compact=True)
            yield OnOffCheckbox("from Wazuh's state", value=False, id="pass-from-wazuh", compact=True)
            yield Button("Start", id="pass-start", variant="success", compact=True)
        with Horizontal(id="pass-output"):
            yield Label("datagrams to ")
            yield Input(placeholder="a file (optional; never in the Wazuh home)", id="pass-events-out",
                        compact=True)
            yield OnOffCheckbox("append", value=False, id="pass-append", compact=True)
        yield FittedLine(Text("our state: "), str(self.shown_state_file), Text(""), id="pass-state")
        yield Static("", id="pass-status")
        yield LiveLog(max_lines=5000, id="pass-log")
        with VerticalScroll(id="pass-result"):
            yield Static("", id="pass-summary")
            yield FindingDetail(id="pass-findings", empty_text="")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = visible(f"Pass {block_reads(self.block)}".strip())
        self.query_one("#pass-result").display = False
        self._status("s (or Start) runs the pass; Escape goes back.")
        self.query_one("#pass-start", Button).focus()

    # -- the worker -----------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="service-pass",
          description="Opening the datagrams file")
    def open_events_file(self, path: Path, append: bool, options: ServicePassOptions) -> None:
        from diagnostics.output_paths import Existing, OutputRefused, open_output_text, protection_for

        try:
            handle = open_output_text(path, protection_for(self.context), what="the datagrams file",
                                      existing=Existing.APPEND if append else Existing.REFUSE)
        except OutputRefused as error:
            self.post_message(EventsFileRefused(str(error)))
            return
        self.post_message(EventsFileOpened(handle, path, options))

    @work(thread=True, exclusive=True, exit_on_error=False, group="service-pass", description="The service pass")
    def run_pass(self, options: ServicePassOptions, out: TextIO | None = None) -> None:
        from diagnostics.service_pass import run_service_pass

        handler = BatchingHandler(lambda lines: self.post_message(IngestLogged(lines)),
                                  backlog=lambda: self.message_queue_size)
        count = 0

        def send(datagram: str) -> None:
            nonlocal count
            count += 1
            if out is not None:
                out.write(datagram + "\n")
            self.post_message(ServicePassSent(count))

        try:
            result = run_service_pass(self.context, self.block, self.wodle, options, emit_line=handler.add_line,
                                      send=send, cancel=get_current_worker().cancelled_event)
        finally:
            handler.flush()
            if out is not None:
                out.close()
        self.post_message(ServicePassFinished(result))

    # -- results --------------------------------------------------------------------------------------
    @on(EventsFileOpened)
    def events_file_opened(self, message: EventsFileOpened) -> None:
        self.events_out = message.path
        worker = self.run_pass(message.options, message.handle)
        if self.cancel_requested:  # Escape came while the file was being opened: the pass stops at once
            worker.cancel()

    @on(EventsFileRefused)
    def events_file_refused(self, message: EventsFileRefused) -> None:
        self._set_running(False)
        hint = " (tick append to add to it)" if "already exists" in message.reason else ""
        self._status("Not run: the datagrams file was refused (see below); s runs it again, Escape goes back.")
        self.query_one("#pass-summary", Static).update(data_text(f"Not run: {message.reason}{hint}."))
        self.query_one("#pass-result").display = True

    @on(IngestLogged)
    def lines_logged(self, message: IngestLogged) -> None:
        self.query_one(LiveLog).append(message.lines)

    @on(ServicePassSent)
    def events_sent(self, message: ServicePassSent) -> None:
        self.sent = message.sent
        if self.running:
            self._status(f"Running: {self.sent} event(s) sent so far · Escape cancels")

    @on(ServicePassFinished)
    def pass_finished(self, message: ServicePassFinished) -> None:
        result = message.result
        self._set_running(False)
        log = self.query_one(LiveLog)
        log.flush()
        log.scroll_end(animate=False)
        if pass_ran(result):
            outcome = ("Cancelled:" if result.cancelled else
                       f"{'Stopped' if result.exit_code else 'Done'}: exit {result.exit_code} ·")
            self._status(f"{outcome} {result.sent} sent · {result.skipped} skipped; s runs it again, Escape goes "
                         "back.")
        else:
            self._status("Not run: our state cannot be used (see below); s runs it again, Escape goes back.")
        summary = result_text(result, self.started)
        if self.events_out is not None and pass_ran(result):
            summary.append(f"\ndatagrams written to {visible(str(self.events_out))}")
        self.query_one("#pass-summary", Static).update(summary)
        if pass_ran(result):  # reset and the module's copy start one pass over; the next goes on from ours
            self.query_one("#pass-reset", Checkbox).value = False
            self.query_one("#pass-from-wazuh", Checkbox).value = False
        if result.state_path is not None:
            fitted = self.query_one("#pass-state", FittedLine)
            fitted.path = visible(str(result.state_path))
            fitted.refresh()
        self.query_one("#pass-findings", FindingDetail).show(result.findings)
        self.query_one("#pass-result").display = True

    # -- actions --------------------------------------------------------------------------------------
    @on(Button.Pressed, "#pass-start")
    def action_start(self) -> None:
        if self.running:
            return
        from diagnostics.service_pass import ServicePassOptions

        debug = self.query_one("#pass-debug", Select).value
        options = ServicePassOptions(state_dir=self.shown_state_dir,
                                     reset=self.query_one("#pass-reset", Checkbox).value,
                                     from_wazuh_state=self.query_one("#pass-from-wazuh", Checkbox).value,
                                     debug_level=debug if isinstance(debug, int) else None)
        self.query_one(LiveLog).reset()
        self.query_one("#pass-result").display = False
        self.query_one("#pass-findings", FindingDetail).show(())
        self.sent = 0
        self.events_out = None
        self.cancel_requested = False
        self.started = started_from(options)
        self._set_running(True)
        self._status("Running: 0 event(s) sent so far · Escape cancels")
        typed = self.query_one("#pass-events-out", Input).value.strip()
        if typed:
            self.open_events_file(Path(typed).expanduser(), self.query_one("#pass-append", Checkbox).value,
                                  options)
        else:
            self.run_pass(options)

    def action_cancel_pass(self) -> None:
        """Set the worker's cancelled event; the pass stops between streams and reports what it did."""
        self.cancel_requested = True
        for worker in self.running_workers():
            worker.cancel()
        self._status(f"Cancelling after the current call ({self.sent} event(s) sent so far)…")

    def _status(self, text: str) -> None:
        self.query_one("#pass-status", Static).update(data_text(text))

    def _set_running(self, running: bool) -> None:
        self.running = running
        self.query_one("#pass-start", Button).disabled = running
        for control in ("#pass-debug", "#pass-reset", "#pass-from-wazuh", "#pass-events-out", "#pass-append"):
            self.query_one(control).disabled = running
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The footer dims Start while a pass runs, and names what Escape does now."""
        if action == "start" and self.running:
            return None
        if action == "cancel_pass":
            return self.running
        if action == "cancel_or_back":
            return not self.running
        return True

    def palette_commands(self) -> Iterator[tuple[str, str, Callable[[], object]]]:
        """Entries this screen adds to the command palette."""
        yield "Start the service pass", "A read-only pass over this block with our own state", self.action_start

    def work_failed(self, worker: object, message: str) -> None:
        self._set_running(False)
        self._status(f"Failed: {message}; s runs the pass again, Escape goes back.")
