"""Next run: what a CloudWatch Logs or Inspector block's next run sends, event by event, and what it drops and why."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from diagnostics.context import DoctorContext
from diagnostics.ingest.cloudwatch_events import CloudWatchEvent
from diagnostics.ingest.inspector_events import InspectorEvent
from diagnostics.input_session import InspectorPreview
from diagnostics.text_safety import visible
from diagnostics.wazuh.wodle import Block, Wodle
from tui.messages import NextRunRead
from tui.screens.base import BACK, DoctorScreen
from tui.screens.service_pass import block_heading
from tui.widgets.data_text import data_lines, data_text
from tui.widgets.finding_detail import FindingDetail

NEXT_RUN_LIMIT = 500
"""Events read for the screen: enough to see what the run sends, bounded for a busy log group."""


def event_line(event: CloudWatchEvent | InspectorEvent) -> Text:
    """``✓ hello`` or ``⊘ None of ...`` on one line: the message (a finding's severity and title) first, where
    it came from in the pane."""
    text = Text("⊘ " if event.dropped_by else "✓ ", no_wrap=True, overflow="ellipsis")
    shown = event.summary if isinstance(event, InspectorEvent) and event.summary else event.message
    text.append(visible(shown), style="italic" if event.dropped_by else "")
    return text


class NextRunScreen(DoctorScreen):
    """Reads the next run in a worker; the list shows each event, the pane its datagram or why it is dropped."""

    help_title = "Next run"
    BINDINGS = [BACK, Binding("r", "reload", "Read again"), Binding("p", "run_pass", "Run pass")]

    def __init__(self, context: DoctorContext, block: Block, wodle: Wodle | None = None, *,
                 state_dir: Path | None = None) -> None:
        super().__init__()
        self.context = context
        self.block = block
        self.wodle = wodle
        self.state_dir = state_dir
        self.events: tuple[CloudWatchEvent | InspectorEvent, ...] = ()

    @property
    def is_pushed_screen(self) -> bool:
        return True

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="")
        heading = (f"{block_heading(self.block)}: preview of the next run, read-only (no state saved); p runs a "
                   "pass with our own state")
        yield Static(data_text(heading), id="next-run-header", classes="status-line")
        with Horizontal(id="next-run-body"):
            yield OptionList(id="next-run-list")
            with VerticalScroll(id="next-run-pane"):
                yield Static(self._reading, id="next-run-event")
        with VerticalScroll(id="next-run-findings"):
            yield Static("", id="next-run-totals")
            yield FindingDetail(id="next-run-problems", empty_text="")
        yield Footer(compact=True)

    @property
    def _inspector(self) -> bool:
        return self.block.block_type == "inspector"

    @property
    def _reading(self) -> str:
        return "Listing the findings…" if self._inspector else "Reading the log groups…"

    def on_mount(self) -> None:
        shown = self.block.value("regions" if self._inspector else "aws_log_groups") or ""
        self.sub_title = visible(f"Next run {shown}")
        self.query_one("#next-run-list", OptionList).focus()
        self.read_next_run()

    @work(thread=True, exclusive=True, exit_on_error=False, group="next-run", description="Reading the next run")
    def read_next_run(self) -> None:
        from diagnostics.input_session import next_cloudwatch_run, next_inspector_run

        read = next_inspector_run if self._inspector else next_cloudwatch_run
        session, preview = read(self.context, self.block, self.wodle, limit=NEXT_RUN_LIMIT,
                                cancel=get_current_worker().cancelled_event)
        self.post_message(NextRunRead(session, preview))

    def action_reload(self) -> None:
        self.query_one("#next-run-event", Static).update(self._reading)
        self.read_next_run()

    def action_run_pass(self) -> None:
        """Open the pass screen for this block: the preview only reads, the pass also keeps our state."""
        from tui.screens.service_pass import ServicePassScreen

        self.app.push_screen(ServicePassScreen(self.context, self.block, self.wodle, state_dir=self.state_dir))

    @on(NextRunRead)
    def next_run_read(self, message: NextRunRead) -> None:
        preview = message.preview
        self.events = preview.events
        listing = self.query_one("#next-run-list", OptionList)
        listing.clear_options()
        listing.add_options([Option(event_line(event)) for event in preview.events])
        sent = sum(1 for event in preview.events if event.dropped_by is None)
        totals = f"The next run sends {sent} event(s), drops {len(preview.events) - sent}"  # a preview: nothing sent
        if preview.truncated:
            totals += f" (the first {len(preview.events)} shown)"
        for window in getattr(preview, "windows", ()):
            totals += (f"\n{window.loop_region}: findings updated from {window.start.isoformat(sep=' ')} "
                       f"({window.origin})")
        for failure in preview.failures:
            code = (failure.exit_code if not isinstance(preview, InspectorPreview)
                    else preview.exit_at(self.context.debug_level))  # a re-raised error exits 1 above debug 0
            stop = f"the run stops here with exit {code}" if code else "the run goes on"
            group = getattr(failure, "group", None)
            totals += f"\n{failure.operation}{f' for {group}' if group else ''} under {failure.loop_region} " \
                      f"failed ({stop}): {failure.error}"
        self.query_one("#next-run-totals", Static).update(data_lines(totals))
        self.query_one("#next-run-problems", FindingDetail).show(list(message.session.findings))
        if preview.events:
            listing.highlighted = 0
            self._show(0)
        else:
            self.query_one("#next-run-event", Static).update(data_text("No event would be sent."))

    @on(OptionList.OptionHighlighted, "#next-run-list")
    def event_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show(event.option_index)

    def _show(self, index: int) -> None:
        if not 0 <= index < len(self.events):
            return
        event = self.events[index]
        source = event.finding_arn if isinstance(event, InspectorEvent) else f"{event.group}/{event.stream}"
        where = f"{source}, {event.loop_region}" + (
            f" read from {event.region_read}" if event.region_read != event.loop_region else "")
        if event.dropped_by:
            text = f"Dropped ({where}): {event.dropped_by}.\n\n{event.message}"
        else:
            text = f"Sent ({where}) as:\n\n{event.datagram}"
        self.query_one("#next-run-event", Static).update(data_lines(text))
