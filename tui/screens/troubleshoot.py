"""Troubleshoot one block: the checks as ordered steps, each with evidence, explanation, fix and log lines."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static
from textual.worker import get_current_worker

from diagnostics.checks import BlockReport
from diagnostics.context import DoctorContext
from diagnostics.findings import Finding, Status, worst_status
from diagnostics.text_safety import visible, visible_lines
from diagnostics.wazuh.wodle import Block
from tui.messages import BlockChecked, StepRerun
from tui.screens.base import BACK, DoctorScreen
from tui.widgets.check_step import STEP_BY_ID, STEPS, CheckStep, split_into_steps
from tui.widgets.data_text import data_text
from tui.widgets.status_badge import badge_text

# The faces import diagnostics and other screens inside the functions that use them: importing
# them all up front made start-up ~0.9 s slower on this machine (best of 5: import tui.commands
# 1.0 s instead of 0.09 s, import tui.app 1.7 s instead of 0.65 s), paid before --help or the first screen.

if TYPE_CHECKING:
    from diagnostics.aws.credentials import CredentialReport
    from diagnostics.aws.identity import IdentityResult


class TroubleshootScreen(DoctorScreen):
    """Walks one block's checks in the order an admin should fix them; steps can be rerun after a fix."""

    help_title = "Troubleshoot"
    BINDINGS = [
        BACK,
        Binding("r", "rerun_step", "Rerun"),
        Binding("a", "rerun_all", "Rerun all"),
        Binding("c", "copy_fix", "Copy fix"),
        Binding("b", "browse", "Browse"),
        Binding("down,j", "next_step", "Next step", show=False),
        Binding("up,k", "previous_step", "Previous step", show=False),
    ]

    def __init__(self, context: DoctorContext, block: Block, findings: tuple[Finding, ...] = (),
                 report: BlockReport | None = None) -> None:
        super().__init__()
        self.context = context
        self.block = block
        self.findings = report.findings if report is not None else findings
        self.credentials: CredentialReport | None = report.credentials if report is not None else None
        self.identity: IdentityResult | None = report.identity if report is not None else None
        self._checked = report is not None

    @property
    def is_pushed_screen(self) -> bool:
        return True

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="")
        yield Static(id="troubleshoot-header")
        grouped = split_into_steps(self.findings)
        with VerticalScroll(id="steps"):
            for step in STEPS:
                if self.block.kind not in step.kinds:
                    continue
                if step.step_id == "permissions" and not grouped[step.step_id]:
                    continue
                yield CheckStep(step, grouped[step.step_id], pending=not self._checked)
        yield Static("", id="troubleshoot-status", classes="status-line")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = visible(f"Troubleshoot {self.block.name or self.block.block_type or ''}")
        self._refresh_header()
        steps = list(self.query(CheckStep))
        first_problem = next((step for step in steps if step.status in (Status.ERROR, Status.WARNING)), None)
        (first_problem or steps[0]).query_one("CollapsibleTitle").focus()
        if not self._checked:
            self._set_status("Running the checks for this block (Escape cancels)…")
            self.check_whole_block()
        else:  # opened with the Overview's results: say what they are and what the keys do
            self._set_status(self._checked_line(self.findings))

    def _refresh_header(self) -> None:
        block = self.block
        status = worst_status(self.findings) if self._checked else None
        text = Text.assemble(badge_text(self.app, status, word=True), " ", (visible(block.label), "bold"), "  ",
                             (visible(str(block.location)), "dim"))
        profile = block.value("aws_profile")
        if profile:
            text.append(visible(f"  profile {profile}"), style="dim")
        self.query_one("#troubleshoot-header", Static).update(text)

    # -- workers --------------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="troubleshoot",
          description="Checking the block")
    def check_whole_block(self) -> None:
        from diagnostics.check_runner import run_block

        run = run_block(self.context, self.block, cancel=get_current_worker().cancelled_event)
        self.post_message(BlockChecked(run.report))

    @work(thread=True, exclusive=True, exit_on_error=False, group="troubleshoot",
          description="Rerunning the step")
    def rerun_group(self, group: str) -> None:
        """Run one group of steps again through the check runner, with the earlier steps' results."""
        from diagnostics.check_runner import run_block

        earlier = BlockReport(self.block, self.findings, self.credentials, self.identity)
        run = run_block(self.context, self.block, group, earlier=earlier,
                        cancel=get_current_worker().cancelled_event)
        self.post_message(StepRerun(group, run.findings, credentials=run.report.credentials,
                                    identity=run.report.identity, ran=run.ran))

    # -- results --------------------------------------------------------------------------------------
    @on(BlockChecked)
    def block_checked(self, message: BlockChecked) -> None:
        report = message.report
        self.findings = report.findings
        self.credentials, self.identity = report.credentials, report.identity
        self._checked = True
        grouped = split_into_steps(report.findings)
        for step in self.query(CheckStep):
            step.show(grouped[step.step.step_id])
        self._refresh_header()
        self._set_status(self._checked_line(report.findings))

    @staticmethod
    def _checked_line(findings: tuple[Finding, ...]) -> str:
        return (f"Checked: {sum(1 for f in findings if f.status is Status.ERROR)} errors, "
                f"{sum(1 for f in findings if f.status is Status.WARNING)} warnings. "
                "r reruns the focused step after a fix, a reruns all.")

    @on(StepRerun)
    def step_rerun(self, message: StepRerun) -> None:
        group_steps = [step for step in STEPS if step.rerun_group == message.step and self.block.kind in step.kinds]
        if not message.ran:
            self.notify("An earlier step has no result yet; rerunning the whole block.", timeout=4)
            self.action_rerun_all()
            return
        if message.credentials is not None:
            self.credentials = message.credentials
        if message.identity is not None:
            self.identity = message.identity
        kept = [f for f in self.findings if not any(step.belongs(f) for step in group_steps)]
        self.findings = tuple(kept) + tuple(message.findings)
        grouped = split_into_steps(message.findings)
        for widget in self.query(CheckStep):
            if widget.step in group_steps:
                widget.show(grouped[widget.step.step_id])
        self._refresh_header()
        worst = worst_status(message.findings) if message.findings else Status.SKIPPED
        self._set_status(f"Reran {', '.join(step.title for step in group_steps)}: {worst.value}.")

    def _prerequisites_for(self, group: str) -> bool:
        if group in ("config", "credentials"):
            return True
        if group == "identity":
            return self.credentials is not None
        return self.identity is not None and self.credentials is not None

    # -- actions --------------------------------------------------------------------------------------
    def _focused_step(self) -> CheckStep | None:
        focused = self.focused
        while focused is not None and not isinstance(focused, CheckStep):
            focused = focused.parent  # type: ignore[assignment]
        return focused

    def action_rerun_step(self) -> None:
        step = self._focused_step()
        if step is None:
            self.notify("Move to a step first (up/down).", severity="warning", timeout=3)
            return
        group = step.step.rerun_group
        if not self._prerequisites_for(group):
            self.action_rerun_all()
            return
        for widget in self.query(CheckStep):
            if widget.step.rerun_group == group:
                widget.show((), pending=True)
        self._set_status(f"Rerunning {step.step.title} (Escape cancels)…")
        self.rerun_group(group)

    def action_rerun_all(self) -> None:
        for widget in self.query(CheckStep):
            widget.show((), pending=True)
        self._checked = False
        self._refresh_header()
        self._set_status("Running every check for this block again (Escape cancels)…")
        self.check_whole_block()

    def action_copy_fix(self) -> None:
        step = self._focused_step()
        steps = [step] if step is not None else list(self.query(CheckStep))
        fix = next((text for candidate in steps if (text := candidate.first_fix())), None)
        if fix is None:
            self.notify("Nothing to fix in this step.", timeout=3)
            return
        self.app.copy_to_clipboard(fix)
        self.notify(visible_lines(fix), title="Fix copied to the clipboard", timeout=6, markup=False)

    def action_next_step(self) -> None:
        self._focus_step_by(1)

    def action_previous_step(self) -> None:
        self._focus_step_by(-1)

    def _focus_step_by(self, delta: int) -> None:
        steps = list(self.query(CheckStep))
        current = self._focused_step()
        index = steps.index(current) + delta if current in steps else 0
        index = max(0, min(len(steps) - 1, index))
        target = steps[index].query_one("CollapsibleTitle")
        target.focus()
        target.scroll_visible()

    def action_browse(self) -> None:
        if self.block.kind == "service" and self.block.block_type in ("cloudwatchlogs", "inspector"):
            from tui.screens.service_browse import ServiceBrowseScreen

            self.app.push_screen(ServiceBrowseScreen(self.context, self.block))  # as the Overview's b does
            return
        if self.block.kind == "subscriber":
            from tui.screens.notified_objects import NotifiedObjectsScreen

            self.app.push_screen(NotifiedObjectsScreen(self.context, self.block))
            return
        from tui.screens.browse import BrowseScreen

        self.app.push_screen(BrowseScreen(self.context, self.block))

    def palette_commands(self) -> Iterator[tuple[str, str, Callable[[], object]]]:
        """Entries this screen adds to the command palette."""
        yield "Rerun focused step", "Run the focused step again after a fix", self.action_rerun_step
        yield "Rerun all steps", "Every check of this block again", self.action_rerun_all
        yield "Copy fix", "Copy the focused step's fix to the clipboard", self.action_copy_fix

    def _set_status(self, text: str) -> None:
        self.query_one("#troubleshoot-status", Static).update(data_text(text))

    def work_failed(self, worker: object, message: str) -> None:
        self._set_status(f"Failed: {message}")

    def work_cancelled(self) -> None:
        self._set_status("Cancelled; a reruns the block.")
        for widget in self.query(CheckStep):
            if widget.pending and not widget.findings:
                widget.show((), pending=False)


__all__ = ["STEP_BY_ID", "TroubleshootScreen"]
