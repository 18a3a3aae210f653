"""Overview: the aws-s3 configuration as a tree with a badge per item from the checks; Enter troubleshoots."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, Static, Tree
from textual.worker import get_current_worker

from diagnostics.checks import BlockReport, CheckReport
from diagnostics.context import DoctorContext
from diagnostics.findings import Finding, Status, worst_status
from diagnostics.text_safety import visible
from diagnostics.wazuh.wodle import Block, LoadedConfig
from tui.messages import BlockChecked, ChecksCompleted, ConfigLoaded
from tui.screens.base import DoctorScreen, mode_keys
from tui.widgets.config_tree import ConfigItem, ConfigTree
from tui.widgets.data_text import data_text
from tui.widgets.finding_detail import FindingDetail

# The faces import diagnostics and other screens inside the functions that use them: importing
# them all up front made start-up ~0.9 s slower on this machine (best of 5: import tui.commands
# 1.0 s instead of 0.09 s, import tui.app 1.7 s instead of 0.65 s), paid before --help or the first screen.


def count_line(reports: tuple[BlockReport, ...], total: int) -> str:
    """``12 blocks: 8 ok, 1 warning, 3 errors``."""
    counts = {status: 0 for status in Status}
    for report in reports:
        counts[report.status] += 1
    done = f"{len(reports)} of {total} blocks checked" if len(reports) < total else f"{total} blocks"
    return (f"{done}: {counts[Status.OK] + counts[Status.SKIPPED]} ok, {counts[Status.WARNING]} warnings, "
            f"{counts[Status.ERROR]} errors. Enter: troubleshoot, b: browse.")


class OverviewScreen(DoctorScreen):
    """Loads ossec.conf, runs every check once, and routes to Troubleshoot and Browse for a block."""

    help_title = "Overview"
    BINDINGS = [
        Binding("t", "troubleshoot", "Troubleshoot"),
        Binding("b", "browse", "Browse"),
        Binding("r", "rerun_checks", "Rerun checks", show=False),
        *mode_keys("ingest", "explain"),
    ]

    def __init__(self, context: DoctorContext) -> None:
        super().__init__()
        self.context = context
        self.loaded: LoadedConfig | None = None
        self.report: CheckReport | None = None
        self.block_reports: dict[str, BlockReport] = {}
        self.findings_by_key: dict[str, tuple[Finding, ...]] = {}

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="")
        yield Static(self._info_text(), id="overview-info")
        with Horizontal(id="overview-body"):
            yield ConfigTree(id="config-tree")
            with VerticalScroll(id="overview-detail"):
                yield Static("Reading the configuration…", id="overview-status", classes="status-line")
                yield FindingDetail(id="overview-findings")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Overview"
        self.query_one(ConfigTree).focus()
        self.load_configuration()

    def _info_text(self) -> Text:
        context = self.context
        parts: list[str | tuple[str, str]] = [
            ("Wazuh ", "dim"), context.profile.label, ("  debug ", "dim"), str(context.debug_level)]
        if context.endpoint_url:
            parts += [("  endpoint ", "dim"), visible(context.endpoint_url)]
        parts += [("  config ", "dim"), visible(str(context.config_path))]
        return Text.assemble(*parts)

    # -- workers --------------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="config", description="Reading ossec.conf")
    def load_configuration(self) -> None:
        from diagnostics.checks import load_configuration

        loaded, findings = load_configuration(self.context)
        self.post_message(ConfigLoaded(loaded, findings))

    @work(thread=True, exclusive=True, exit_on_error=False, group="checks", description="Running the checks")
    def run_all_checks(self) -> None:
        from diagnostics.checks import run_checks

        cancel = get_current_worker().cancelled_event

        def checked(block_report: BlockReport) -> None:
            self.post_message(BlockChecked(block_report))

        report = run_checks(self.context, cancel=cancel, on_block=checked)
        self.post_message(ChecksCompleted(report, cancelled=cancel.is_set()))

    # -- results --------------------------------------------------------------------------------------
    @on(ConfigLoaded)
    def config_loaded(self, message: ConfigLoaded) -> None:
        from diagnostics.checks import assign_to_blocks

        self.loaded = message.loaded
        self.report = None
        self.block_reports.clear()
        general, per_block = assign_to_blocks(message.findings, message.loaded.blocks)
        self.findings_by_key = {"file": general, **per_block}
        tree = self.query_one(ConfigTree)
        tree.show_config(message.loaded)
        tree.set_statuses({"file": worst_status(general) if general else None})
        blocks = message.loaded.blocks
        self._show_selected()
        if blocks:
            self._set_status(f"{len(blocks)} blocks in {message.loaded.path}. Running the checks "
                             "(Escape cancels)…")
            self.run_all_checks()
        else:
            self._set_status("No aws-s3 blocks in this file; see its findings.")

    @on(BlockChecked)
    def block_checked(self, message: BlockChecked) -> None:
        report = message.report
        self.block_reports[report.block.key] = report
        self.findings_by_key[report.block.key] = report.findings
        self.query_one(ConfigTree).set_statuses({report.block.key: report.status})
        total = len(self.loaded.blocks) if self.loaded is not None else len(self.block_reports)
        self._set_status(count_line(tuple(self.block_reports.values()), total))
        self._show_selected()

    @on(ChecksCompleted)
    def checks_completed(self, message: ChecksCompleted) -> None:
        report = message.report
        self.report = report
        self.findings_by_key["file"] = report.general
        statuses: dict[str, Status | None] = {"file": worst_status(report.general)}
        for wodle in report.config.wodles:
            checked = [self.block_reports[b.key] for b in wodle.blocks if b.key in self.block_reports]
            statuses[f"wodle#{wodle.index}"] = worst_status(f for r in checked for f in r.findings)
        self.query_one(ConfigTree).set_statuses(statuses)
        text = count_line(report.blocks, len(report.config.blocks))
        self._set_status(("Cancelled. " + text) if message.cancelled else text)
        self._show_selected()

    # -- navigation -----------------------------------------------------------------------------------
    @on(Tree.NodeHighlighted, "#config-tree")
    def node_highlighted(self, event: Tree.NodeHighlighted[ConfigItem]) -> None:
        self._show_selected()

    @on(Tree.NodeSelected, "#config-tree")
    def node_selected(self, event: Tree.NodeSelected[ConfigItem]) -> None:
        if event.node.data is not None and event.node.data.block is not None:
            self.action_troubleshoot()

    def _selected_item(self) -> ConfigItem | None:
        node = self.query_one(ConfigTree).cursor_node
        return node.data if node is not None else None

    def _selected_block(self) -> Block | None:
        item = self._selected_item()
        return item.block if item is not None else None

    def _show_selected(self) -> None:
        item = self._selected_item()
        detail = self.query_one("#overview-findings", FindingDetail)
        if item is None or item.kind == "wodle":
            detail.show([])
            return
        findings = self.findings_by_key.get(item.key, ())
        if item.block is not None and item.key not in self.block_reports:
            detail.show(findings)
            return
        problems = [f for f in findings if f.status in (Status.ERROR, Status.WARNING)]
        detail.show(problems or findings)

    def action_rerun_checks(self) -> None:
        for worker in self.running_workers():
            worker.cancel()
        if self.loaded is not None:
            self.query_one(ConfigTree).set_statuses({block.key: None for block in self.loaded.blocks})
        self._set_status("Reading the configuration again…")
        self.load_configuration()

    def action_troubleshoot(self) -> None:
        block = self._selected_block()
        if block is None or self.loaded is None:
            self.notify("Select a bucket, service or subscriber first.", severity="warning", timeout=3)
            return
        from tui.screens.troubleshoot import TroubleshootScreen

        self.app.push_screen(TroubleshootScreen(self.context, block, self.findings_by_key.get(block.key, ()),
                                                self.block_reports.get(block.key)))

    def action_browse(self) -> None:
        block = self._selected_block()
        if block is not None and block.kind == "service" and block.block_type in ("cloudwatchlogs", "inspector"):
            from tui.screens.service_browse import ServiceBrowseScreen

            self.app.push_screen(ServiceBrowseScreen(self.context, block))
            return
        if block is not None and block.kind == "subscriber":
            from tui.screens.notified_objects import NotifiedObjectsScreen

            self.app.push_screen(NotifiedObjectsScreen(self.context, block))
            return
        if block is None or block.kind != "bucket":
            self.notify("Browse works on a block: select one first.", severity="warning", timeout=3)
            return
        from tui.screens.browse import BrowseScreen

        self.app.push_screen(BrowseScreen(self.context, block))

    def palette_commands(self) -> Iterator[tuple[str, str, Callable[[], object]]]:
        """Entries this screen adds to the command palette."""
        yield "Rerun all checks", "Read ossec.conf again and run every check", self.action_rerun_checks
        yield "Troubleshoot selected", "Step by step checks of the selected block", self.action_troubleshoot
        yield "Browse selected bucket", "Keys of the selected bucket, lazily", self.action_browse

    def _set_status(self, text: str) -> None:
        self.query_one("#overview-status", Static).update(data_text(text))

    def work_failed(self, worker: object, message: str) -> None:
        self._set_status(f"Failed: {message}")

    def work_cancelled(self) -> None:
        self._set_status("Checks cancelled; press r to run them again.")
