"""Log explainer: open ossec.log (or paste lines) and read every aws-s3 line annotated with its meaning."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Header, Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from diagnostics.context import DoctorContext
from diagnostics.text_safety import visible
from tui.messages import LogExplained
from tui.screens.base import DoctorScreen, mode_keys
from tui.widgets.data_text import data_text
from tui.widgets.finding_detail import FindingDetail
from tui.widgets.status_badge import badge_text

# The faces import diagnostics and other screens inside the functions that use them: importing
# them all up front made start-up ~0.9 s slower on this machine (best of 5: import tui.commands
# 1.0 s instead of 0.09 s, import tui.app 1.7 s instead of 0.65 s), paid before --help or the first screen.

if TYPE_CHECKING:
    from diagnostics.log_explainer.explainer import Annotation, LogReport


def report_summary(report: LogReport) -> str:
    """One line: what was read and how much of it concerns the module."""
    counts = report.counts
    failed = len(report.failed_runs)
    return (f"{report.source}: {counts.total_lines} lines, {counts.module_lines} from aws-s3, "
            f"{len(report.runs)} runs ({failed} failed), {len(report.annotations)} annotated "
            f"— read as Wazuh {report.profile_label}")


class LogExplainerScreen(DoctorScreen):
    """Opens a log file or takes pasted lines; the explanation runs in a worker and arrives as a message."""

    help_title = "Log explainer"
    BINDINGS = [
        Binding("ctrl+o", "open_file", "Open file", priority=True),
        # Priority: the paste box and the path field bind ctrl+e to end-of-line, which would swallow it.
        Binding("ctrl+e", "explain_pasted", "Explain pasted", priority=True),
        *mode_keys("overview", "ingest"),
    ]

    def __init__(self, context: DoctorContext) -> None:
        super().__init__()
        self.context = context
        self.report: LogReport | None = None
        self._annotations: tuple[Annotation, ...] = ()

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="")
        with Horizontal(id="explain-controls"):
            yield Input(str(self.context.ossec_log_path), placeholder="ossec.log path", id="explain-path")
            yield Button("Open", id="explain-open", variant="primary")
            yield Button("Explain pasted", id="explain-run")
        yield TextArea(id="explain-paste", soft_wrap=False, show_line_numbers=False,
                       placeholder="…or paste ossec.log lines here, then ctrl+e")
        yield Static("Open a file or paste lines.", id="explain-summary", classes="status-line")
        with Horizontal(id="explain-results"):
            yield OptionList(id="explain-list")
            with VerticalScroll(id="explain-detail"):
                yield Static("", id="explain-line", classes="hint")
                yield FindingDetail(id="explain-finding")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Log explainer"
        # Not a text field: letters stay shortcuts (o, i, x) until the admin moves into one.
        self.query_one("#explain-open", Button).focus()

    # -- actions --------------------------------------------------------------------------------------
    @on(Input.Submitted, "#explain-path")
    @on(Button.Pressed, "#explain-open")
    def action_open_file(self) -> None:
        path = self.query_one("#explain-path", Input).value.strip()
        if not path:
            self.notify("Type the path of a log file first.", severity="warning")
            return
        self._set_summary(f"Reading {path}…")
        self.explain_file(Path(path))

    @on(Button.Pressed, "#explain-run")
    def action_explain_pasted(self) -> None:
        text = self.query_one("#explain-paste", TextArea).text
        if not text.strip():
            self.notify("Paste some ossec.log lines first.", severity="warning")
            return
        self._set_summary("Explaining the pasted lines…")
        self.explain_text(text)

    # -- workers --------------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="explain", description="Explaining the log")
    def explain_file(self, path: Path) -> None:
        from diagnostics.log_explainer.files import explain_log_file
        from diagnostics.masking import known_secrets

        secrets = known_secrets(self.context.module_home, [self.context.environ])
        self.post_message(LogExplained(explain_log_file(path, self.context.profile, secrets=secrets)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="explain", description="Explaining the log")
    def explain_text(self, text: str) -> None:
        from diagnostics.log_explainer.explainer import explain_log
        from diagnostics.masking import known_secrets

        secrets = known_secrets(self.context.module_home, [self.context.environ])
        report = explain_log(text.splitlines(), self.context.profile, source="pasted lines", secrets=secrets)
        self.post_message(LogExplained(report))

    # -- results --------------------------------------------------------------------------------------
    @on(LogExplained)
    def show_report(self, message: LogExplained) -> None:
        report = message.report
        self.report = report
        self._set_summary(report_summary(report))
        option_list = self.query_one("#explain-list", OptionList)
        option_list.clear_options()
        self._annotations = report.annotations
        options: list[Option] = []
        for finding in report.file_findings:
            options.append(Option(Text.assemble(badge_text(self.app, finding.status), " ", visible(finding.title))))
        for annotation in report.annotations:
            label = Text.assemble(badge_text(self.app, annotation.finding.status), f" {annotation.line:>5} ",
                                  visible(annotation.finding.title))
            options.append(Option(label))
        if not options:
            options.append(Option("No aws-s3 lines found in this excerpt.", disabled=True))
        option_list.add_options(options)
        option_list.highlighted = 0 if options and not options[0].disabled else None
        if report.annotations or report.file_findings:
            option_list.focus()
            self._show_detail(0)

    @on(OptionList.OptionHighlighted, "#explain-list")
    def annotation_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_detail(event.option_index)

    def _show_detail(self, index: int) -> None:
        if self.report is None:
            return
        file_findings = self.report.file_findings
        detail = self.query_one("#explain-finding", FindingDetail)
        line = self.query_one("#explain-line", Static)
        if index < len(file_findings):
            line.update("")
            detail.show([file_findings[index]])
            return
        position = index - len(file_findings)
        if 0 <= position < len(self._annotations):
            annotation = self._annotations[position]
            line.update(data_text(f"line {annotation.line}: {annotation.text}"))
            detail.show([annotation.finding])

    def _set_summary(self, text: str) -> None:
        self.query_one("#explain-summary", Static).update(data_text(text))

    def work_failed(self, worker: object, message: str) -> None:
        self._set_summary(f"Could not explain the log: {message}")

    def work_cancelled(self) -> None:
        self._set_summary("Cancelled.")
