"""Preview: one object decoded as the module would, event by event, with the file's problems."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import humanize
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from diagnostics.bucket_session import BucketSession, PreviewResult
from diagnostics.decode.envelope import FOLDED_CHARS, shown_text
from diagnostics.decode.model import DecodedEvent, DroppedRecord
from diagnostics.layout.classify import ClassifiedKey
from diagnostics.text_safety import visible
from tui.messages import EventsDecoded, LogtestMatched
from tui.screens.base import BACK, DoctorScreen
from tui.widgets.data_text import data_text
from tui.widgets.finding_detail import FindingDetail
from tui.widgets.fitted_line import FittedLine
from tui.widgets.json_view import JsonView, pretty_json
from tui.widgets.status_badge import theme_style

# The faces import diagnostics and other screens inside the functions that use them: importing
# them all up front made start-up ~0.9 s slower on this machine (best of 5: import tui.commands
# 1.0 s instead of 0.09 s, import tui.app 1.7 s instead of 0.65 s), paid before --help or the first screen.

PREVIEW_LIMIT = 200
"""Events decoded per object: enough to see its shape, bounded so a huge object never fills memory."""
VIEWS = ("envelope", "raw record", "payload")
"""What the JSON pane shows: the module's envelope, the record as stored, or the exact datagram."""


def event_line(event: DecodedEvent) -> Text:
    """``  3 ⚠ 10:05:12 ConsoleLogin alice 198.51.100.77 Failure`` on one line (flags first, so a narrow list
    keeps them)."""
    summary = event.summary
    clock = summary.time[11:19] if len(summary.time) >= 19 else summary.time
    parts = [part for part in (clock, summary.name, summary.user, summary.source_ip, summary.outcome) if part]
    text = Text(f"{event.index + 1:>3} ", no_wrap=True, overflow="ellipsis")
    if event.oversized:
        text.append(f"⚠ {humanize.naturalsize(event.size_bytes, binary=True)} ", style="bold")
    if event.discarded_by:
        text.append("✂ discarded ", style="italic")
    text.append(visible(" ".join(parts) or summary.source or "(no summary)"))
    return text


def dropped_line(dropped: DroppedRecord) -> Text:
    """``  ⊘ 2 dropped: no "detail" key``: record 2 of the object, which the module drops without a word."""
    text = Text("  ⊘ ", no_wrap=True, overflow="ellipsis")
    text.append(f"{dropped.record_index + 1} dropped: {dropped.reason}", style="italic")
    return text


def row_line(row: DecodedEvent | DroppedRecord) -> Text:
    """The list's line for an event or a dropped record."""
    return dropped_line(row) if isinstance(row, DroppedRecord) else event_line(row)


class PreviewScreen(DoctorScreen):
    """Decodes one object in a worker; the list shows summaries and the pane the selected event."""

    help_title = "Preview"
    BINDINGS = [
        BACK,
        Binding("t", "toggle_view", "Next view"),
        Binding("c", "copy_event", "Copy"),
        Binding("r", "reload", "Decode again"),
        Binding("l", "logtest", "Logtest"),
    ]

    def __init__(self, session: BucketSession, classified: ClassifiedKey) -> None:
        super().__init__()
        self.session = session
        self.classified = classified
        self.result: PreviewResult | None = None
        self.rows: list[DecodedEvent | DroppedRecord] = []
        """What the list shows: the events and the dropped records, in the object's order."""
        self.view = VIEWS[0]

    @property
    def is_pushed_screen(self) -> bool:
        return True

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="")
        yield FittedLine(*self._header_parts(), id="preview-header", classes="status-line")
        with Horizontal(id="preview-body"):
            yield OptionList(id="event-list")
            yield JsonView(id="event-json")
        with VerticalScroll(id="file-findings"):
            yield Static("Decoding…", id="preview-totals")
            yield FindingDetail(id="preview-problems", empty_text="")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = visible(f"Preview {self.classified.key.rsplit('/', 1)[-1]}")
        self.query_one("#event-json", JsonView).border_title = self.view
        self.query_one("#event-list", OptionList).focus()
        self.decode()

    def _header_parts(self) -> tuple[Text, str, Text]:
        """``s3://`` + bucket/key + size and verdict: the key is cut in the middle at narrow widths, never wrapped."""
        classified = self.classified
        obj = classified.object
        suffix = Text()
        if obj is not None:
            suffix.append(f"  {humanize.naturalsize(obj.size, binary=True)}", style="dim")
        suffix.append(f"  {classified.verdict.value}", style="bold")
        return Text("s3://", style="dim"), f"{self.session.layout.bucket}/{classified.key}", suffix

    # -- worker ---------------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="decode", description="Decoding the object")
    def decode(self) -> None:
        from diagnostics.bucket_session import preview_object

        result = preview_object(self.session, self.classified.key, limit=PREVIEW_LIMIT,
                                cancel=get_current_worker().cancelled_event)
        self.post_message(EventsDecoded(result))

    @work(thread=True, exclusive=True, exit_on_error=False, group="logtest",
          description="Matching the events with wazuh-logtest")
    def match_logtest(self, events: tuple[DecodedEvent, ...]) -> None:
        from diagnostics.host.logtest import match_events

        self.post_message(LogtestMatched(match_events(self.session.context, events)))

    @on(LogtestMatched)
    def logtest_matched(self, message: LogtestMatched) -> None:
        report = message.report
        totals = data_text(self.result.totals.sentence() if self.result is not None else "")
        if report.groups:
            parts = [f"{group.count}× {'rule ' + str(group.rule_id) if group.rule_id else 'no rule'} "
                     f"(level {group.level if group.level is not None else '-'})" for group in report.groups]
            totals.append(f"\nwazuh-logtest: {', '.join(parts)}")
        self.query_one("#preview-totals", Static).update(totals)
        problems = [problem.finding for problem in self.result.problems] if self.result is not None else []
        self.query_one("#preview-problems", FindingDetail).show([*report.findings, *problems])
        self.notify(f"wazuh-logtest: {len(report.matches)} event(s) matched, {len(report.findings)} finding(s).",
                    timeout=4)

    # -- result ---------------------------------------------------------------------------------------
    @on(EventsDecoded)
    def events_decoded(self, message: EventsDecoded) -> None:
        result = message.result
        self.result = result
        event_list = self.query_one("#event-list", OptionList)
        event_list.clear_options()
        # Dropped records sit among the events in the object's order, so the raw view shows every record.
        self.rows = sorted([*result.events, *result.dropped], key=lambda row: row.record_index)
        if self.rows and not result.events:
            self.view = "raw record"  # nothing is sent: the records as stored are what there is to see
        event_list.add_options([Option(row_line(row)) for row in self.rows])
        problems = [problem.finding for problem in result.problems] + list(result.findings)
        totals = data_text(result.totals.sentence())
        flagged = sum(1 for event in result.events if event.oversized)
        if flagged:
            totals.append(f"; {flagged} over 65,535 bytes (cut by analysisd or skipped: see below)",
                          style=theme_style(self.app, "text-warning"))
        self.query_one("#preview-totals", Static).update(totals)
        self.query_one("#preview-problems", FindingDetail).show(problems)
        if self.rows:
            event_list.highlighted = 0
            self._show_event(0)
        else:
            reason = "; ".join(shown_text(problem.title, FOLDED_CHARS) for problem in problems) \
                or "the object holds no event"
            self.query_one(JsonView).show_text(f"No event would be sent: {reason}")

    @on(OptionList.OptionHighlighted, "#event-list")
    def event_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_event(event.option_index)

    def _selected_event(self) -> DecodedEvent | None:
        index = self.query_one("#event-list", OptionList).highlighted
        row = self.rows[index] if index is not None and 0 <= index < len(self.rows) else None
        return row if isinstance(row, DecodedEvent) else None

    def _show_dropped(self, dropped: DroppedRecord) -> None:
        view = self.query_one(JsonView)
        number = dropped.record_index + 1
        view.border_title = f"{self.view} — {number} dropped: {dropped.reason}"
        if self.view != "raw record":
            view.show_text(f"The module drops record {number} without a word: {dropped.reason}. Nothing is sent "
                           "for it; t shows the record as stored.")
        elif isinstance(dropped.raw_record, str):
            view.show_text(dropped.raw_record)
        else:
            view.show(dropped.raw_record)

    def _show_event(self, index: int) -> None:
        if self.result is None or not 0 <= index < len(self.rows):
            return
        row = self.rows[index]
        if isinstance(row, DroppedRecord):
            self._show_dropped(row)
            return
        event = row
        view = self.query_one(JsonView)
        view.border_title = f"{self.view} — event {event.index + 1}, {event.size_bytes:,} bytes"
        if event.oversized:  # highlighting and wrapping MiBs of text on the UI thread would freeze the app
            shown = {"envelope": lambda: pretty_json(event.message), "payload": lambda: event.payload,
                     "raw record": lambda: event.raw_record if isinstance(event.raw_record, str)
                     else pretty_json(event.raw_record)}[self.view]()
            view.show_text(shown_text(shown), language="json")
            return
        if self.view == "envelope":
            view.show(event.message)
        elif self.view == "raw record":
            if isinstance(event.raw_record, str):
                view.show_text(event.raw_record)
            else:
                view.show(event.raw_record)
        else:
            view.show_text(event.payload)

    # -- actions --------------------------------------------------------------------------------------
    def action_toggle_view(self) -> None:
        self.view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]
        index = self.query_one("#event-list", OptionList).highlighted
        if index is not None:
            self._show_event(index)
        else:
            self.query_one(JsonView).border_title = self.view

    def action_copy_event(self) -> None:
        text = self.query_one(JsonView).text
        if not text:
            return
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied the {self.view} ({len(text):,} characters).", timeout=3)

    def action_logtest(self) -> None:
        if self.result is None or not self.result.events:
            self.notify("No decoded event to send to wazuh-logtest.", timeout=3)
            return
        self.query_one("#preview-totals", Static).update("Running wazuh-logtest… (Escape cancels)")
        self.match_logtest(self.result.events)

    def action_reload(self) -> None:
        self.query_one("#preview-totals", Static).update("Decoding…")
        self.decode()

    def palette_commands(self) -> Iterator[tuple[str, str, Callable[[], object]]]:
        """Entries this screen adds to the command palette."""
        yield "Toggle envelope / raw record / payload", "What the JSON pane shows", self.action_toggle_view
        yield "Copy event JSON", "Copy what the JSON pane shows", self.action_copy_event
        yield "Match with wazuh-logtest", "Decoder, rule and level of each event (Wazuh host)", self.action_logtest

    def work_failed(self, worker: object, message: str) -> None:
        self.query_one("#preview-totals", Static).update(data_text(f"Decoding failed: {message}"))

    def work_cancelled(self) -> None:
        self.query_one("#preview-totals", Static).update("Cancelled.")
