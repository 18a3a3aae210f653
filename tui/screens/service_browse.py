"""Browse for a CloudWatch Logs or Inspector block: what AWS holds, level by level, and what the next run does with it.

CloudWatch Logs: region → configured log group → stream → events; Inspector: region → findings. Each level is
read when its node is expanded, in a worker that makes one diagnostics call; the pane shows the selected
node's detail (a stream's saved row, an event's message and the datagram the module would send).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timezone

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, Static, Tree
from textual.widgets.tree import NodeID, TreeNode, UnknownNodeID
from textual.worker import get_current_worker

from diagnostics.context import DoctorContext
from diagnostics.findings import Finding
from diagnostics.service_browse import (
    EventEntry,
    EventsListing,
    FindingEntry,
    FindingsListing,
    GroupEntry,
    ServiceBrowse,
    StreamEntry,
    StreamsListing,
)
from diagnostics.text_safety import visible
from diagnostics.wazuh.wodle import Block, Wodle
from tui.messages import ServiceBrowseOpened, ServiceLevelListed
from tui.screens.base import BACK, DoctorScreen
from tui.screens.service_browse_text import (
    event_label,
    event_text,
    finding_label,
    finding_text,
    group_text,
    region_text,
    size_text,
    stream_label,
    stream_text,
)
from tui.screens.service_pass import block_heading
from tui.widgets.data_text import data_lines, data_text
from tui.widgets.finding_detail import FindingDetail

Payload = GroupEntry | StreamEntry | EventEntry | FindingEntry | None


@dataclass(frozen=True)
class BrowseItem:
    """What a tree node stands for: its level, where it sits, and the diagnostics entry it shows."""

    kind: str
    """``region``, ``group``, ``stream``, ``event``, ``finding``, ``more`` or ``info``."""
    loop_region: str = ""
    group: str = ""
    stream: str = ""
    token: str | None = None
    """For ``more``: the page token to ask for."""
    entry: Payload = None


class ServiceBrowseScreen(DoctorScreen):
    """Opens the block as the module would, then lists one level per expansion; ``n`` opens Next run."""

    help_title = "Browse service"
    BINDINGS = [BACK, Binding("n", "next_run", "Next run"), Binding("r", "reload", "Reload")]

    def __init__(self, context: DoctorContext, block: Block, wodle: Wodle | None = None) -> None:
        super().__init__()
        self.context = context
        self.block = block
        self.wodle = wodle
        self.browse: ServiceBrowse | None = None
        self.pending: set[int] = set()
        """Node ids whose level is being read (a placeholder child shows it)."""
        self.filled: set[int] = set()
        self.failures: dict[int, Finding] = {}
        """A level's failure (a denied ListFindings, a failed listing), shown when its node is selected."""

    @property
    def is_pushed_screen(self) -> bool:
        return True

    @property
    def _today(self) -> date:
        return self.context.clock().astimezone(timezone.utc).date()

    @property
    def _inspector(self) -> bool:
        return self.block.block_type == "inspector"

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="")
        yield Static(data_text(f"{block_heading(self.block)}: opening with the module's credentials…"),
                     id="service-browse-header", classes="status-line")
        with Horizontal(id="service-browse-body"):
            tree: Tree[BrowseItem] = Tree("regions", id="service-tree")
            tree.show_root = False
            tree.guide_depth = 3  # one column less per level: at 80 columns a stream's label keeps its next start
            yield tree
            with VerticalScroll(id="service-browse-pane"):
                yield Static("", id="service-browse-detail")
                yield FindingDetail(id="service-browse-findings", empty_text="")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        shown = self.block.value("regions" if self._inspector else "aws_log_groups") or ""
        self.sub_title = visible(f"Browse {shown}")
        self.query_one("#service-tree", Tree).focus()
        self.open_browse()

    # -- workers --------------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="service-open", description="Opening the block")
    def open_browse(self) -> None:
        from diagnostics.service_browse import open_service_browse

        browse = open_service_browse(self.context, self.block, self.wodle)
        if not get_current_worker().cancelled_event.is_set():
            self.post_message(ServiceBrowseOpened(browse))

    @work(thread=True, exit_on_error=False, group="service-list", description="Reading a level")
    def load_level(self, node_id: int, item: BrowseItem, append: bool = False) -> None:
        from diagnostics import service_browse

        browse = self.browse
        assert browse is not None
        cancel = get_current_worker().cancelled_event
        listing: tuple[GroupEntry, ...] | StreamsListing | EventsListing | FindingsListing
        if item.kind == "region" or (item.kind == "more" and not item.stream):
            if self._inspector:
                listing = service_browse.browse_findings(browse, item.loop_region, item.token, cancel=cancel)
            else:
                listing = service_browse.browse_groups(browse, item.loop_region, cancel=cancel)
        elif item.kind == "group":
            listing = service_browse.browse_streams(browse, item.loop_region, item.group, cancel=cancel)
        else:
            listing = service_browse.browse_events(browse, item.loop_region, item.group, item.stream, item.token,
                                                   cancel=cancel)
        if not cancel.is_set():
            self.post_message(ServiceLevelListed(node_id, listing, append))

    # -- results --------------------------------------------------------------------------------------
    @on(ServiceBrowseOpened)
    def browse_opened(self, message: ServiceBrowseOpened) -> None:
        browse = message.browse
        self.browse = browse
        tree: Tree[BrowseItem] = self.query_one("#service-tree", Tree)
        tree.root.remove_children()
        self.pending.clear()
        self.filled.clear()
        regions = browse.regions
        if not browse.session.usable:
            self._header("No working session: see the credential findings in the pane.")
            self.query_one("#service-browse-findings", FindingDetail).show(list(browse.session.findings))
            return
        for loop_region in regions.loop_regions:
            tree.root.add(self._region_label(loop_region), BrowseItem("region", loop_region), allow_expand=True)
        what = "findings" if self._inspector else "log groups"
        header = (f"{block_heading(self.block)}: {len(regions.loop_regions)} region(s) from {regions.origin}; "
                  f"Enter opens a region's {what}, n the next run.")
        if regions.overridden:
            header += (f" Every region reads {regions.client_region}: the profile's region in the module's "
                       f"~/.aws/config overrides <regions>.")
        self._header(header)
        self.query_one("#service-browse-findings", FindingDetail).show(list(browse.session.findings))
        tree.move_cursor(tree.root.children[0] if tree.root.children else None)
        if len(tree.root.children) == 1:
            tree.root.children[0].expand()  # one region: its level is what the admin came for
        self._show_selected()

    def _region_label(self, loop_region: str) -> Text:
        assert self.browse is not None
        text = Text(visible(loop_region), no_wrap=True, overflow="ellipsis")
        read = self.browse.regions.region_read(loop_region)
        if self.browse.unsupported(loop_region):
            text.append(" · unsupported by Inspector: exit 22", style="red")
        elif read != loop_region:
            text.append(f" · reads {read} (the profile's region overrides every region)", style="yellow")
        window = next((item for item in self.browse.windows if item.loop_region == loop_region), None)
        if window is not None and not self.browse.unsupported(loop_region):
            start = window.start.strftime("%Y-%m-%d %H:%M" if window.start.second == 0 else "%Y-%m-%d %H:%M:%S")
            text.append(f" · window from {start}", style="dim")
        return text

    @on(ServiceLevelListed)
    def level_listed(self, message: ServiceLevelListed) -> None:
        tree: Tree[BrowseItem] = self.query_one("#service-tree", Tree)
        try:
            node = tree.get_node_by_id(NodeID(message.node_id))
        except UnknownNodeID:  # the tree was rebuilt (Reload) while the worker ran: nothing to fill
            return
        self.pending.discard(message.node_id)
        self.filled.add(message.node_id)
        if not message.append:
            node.remove_children()
        else:
            for child in list(node.children):
                if child.data is not None and child.data.kind == "info":
                    child.remove()
        first_new = len(node.children)
        listing = message.listing
        item = node.data
        assert item is not None
        failure = getattr(listing, "failure", None)
        if failure is not None:
            self.failures[node.id] = failure
        if isinstance(listing, tuple):
            self._add_groups(node, listing)
        elif isinstance(listing, StreamsListing):
            self._add_streams(node, listing)
        elif isinstance(listing, EventsListing):
            self._add_events(node, item, listing)
        else:
            self._add_findings(node, item, listing)
        if message.append and first_new < len(node.children):
            # After the repaint: a node's line is only known once the tree has laid its lines out again.
            self.call_after_refresh(self._move_to, node.children[first_new])
        self._show_selected()

    def _move_to(self, node: TreeNode[BrowseItem]) -> None:
        """Put the cursor on ``node`` and show it (on the same line index the tree posts no highlight)."""
        self.query_one("#service-tree", Tree).move_cursor(node)
        self._show_selected()

    def _info(self, node: TreeNode[BrowseItem], text: str, style: str = "dim") -> None:
        node.add_leaf(data_text(text, style), BrowseItem("info"))

    def _add_groups(self, node: TreeNode[BrowseItem], groups: tuple[GroupEntry, ...]) -> None:
        if not groups:
            self._info(node, "no <aws_log_groups> in the block")
        for entry in groups:
            label = Text(visible(entry.probe.group), no_wrap=True, overflow="ellipsis")
            if entry.probe.exists:
                label.append(f" · exists · {size_text(entry.probe.stored_bytes)}", style="green")
            else:
                code = entry.finding.wazuh_exit_code if entry.finding is not None else None
                label.append(f" · {entry.state}" + (f": exit {code}" if code else ""), style="red")
            node.add(label, BrowseItem("group", entry.loop_region, entry.probe.group, entry=entry),
                     allow_expand=entry.probe.exists)

    def _add_streams(self, node: TreeNode[BrowseItem], listing: StreamsListing) -> None:
        for entry in listing.streams:
            node.add(stream_label(entry, self._today), BrowseItem("stream", listing.loop_region, listing.group,
                                                     entry.info.name, entry=entry), allow_expand=True)
        if listing.failure is not None:
            self._info(node, f"listing failed: {listing.failure.title} (select the group for why)", "red")
        elif not listing.streams:
            self._info(node, "no stream: the module sends nothing from this group")
        if listing.more:
            self._info(node, "more streams exist than the pages read here")

    def _add_events(self, node: TreeNode[BrowseItem], item: BrowseItem, listing: EventsListing) -> None:
        for entry in listing.events:
            node.add_leaf(event_label(entry, self._today),
                          BrowseItem("event", item.loop_region, item.group, item.stream, entry=entry))
        if listing.failure is not None:
            self._info(node, listing.failure.title, "red")
        elif not listing.events:
            self._info(node, "no more events" if node.children else "no event in this stream")
        if listing.next_token is not None:
            node.add_leaf(Text("more… (Enter reads the next page)", style="bold"),
                          BrowseItem("more", item.loop_region, item.group, item.stream, listing.next_token))

    def _add_findings(self, node: TreeNode[BrowseItem], item: BrowseItem, listing: FindingsListing) -> None:
        for entry in listing.findings:
            node.add_leaf(finding_label(entry), BrowseItem("finding", item.loop_region, entry=entry))
        if listing.failure is not None:
            code = listing.failure.wazuh_exit_code
            self._info(node, f"{listing.failure.title}" + (f" (exit {code})" if code else ""), "red")
        elif not listing.findings:
            self._info(node, "no more findings" if node.children else "no finding in this region")
        if listing.next_token is not None:
            node.add_leaf(Text("more… (Enter reads the next page)", style="bold"),
                          BrowseItem("more", item.loop_region, token=listing.next_token))

    # -- navigation -----------------------------------------------------------------------------------
    @on(Tree.NodeExpanded, "#service-tree")
    def node_expanded(self, event: Tree.NodeExpanded[BrowseItem]) -> None:
        node = event.node
        item = node.data
        if item is None or item.kind not in ("region", "group", "stream"):
            return
        if node.id in self.filled or node.id in self.pending or self.browse is None:
            return
        self.pending.add(node.id)
        node.remove_children()
        self._info(node, "reading… (Escape cancels)")
        self.load_level(node.id, item)

    @on(Tree.NodeSelected, "#service-tree")
    def node_selected(self, event: Tree.NodeSelected[BrowseItem]) -> None:
        node = event.node
        item = node.data
        if item is None or item.kind != "more" or node.parent is None:
            return
        parent = node.parent
        node.remove()
        self.pending.add(parent.id)
        self._info(parent, "reading the next page… (Escape cancels)")
        self.load_level(parent.id, item, append=True)

    @on(Tree.NodeHighlighted, "#service-tree")
    def node_highlighted(self, event: Tree.NodeHighlighted[BrowseItem]) -> None:
        self._show_selected()

    def action_next_run(self) -> None:
        """Push Next run for this block: the list of what the next run sends, beside what AWS holds."""
        from tui.screens.next_run import NextRunScreen

        self.app.push_screen(NextRunScreen(self.context, self.block, self.wodle))

    def action_reload(self) -> None:
        for worker in self.running_workers():
            worker.cancel()
        self.browse = None
        self.query_one("#service-tree", Tree).root.remove_children()
        self._header(f"{block_heading(self.block)}: opening again…")
        self.open_browse()

    def work_cancelled(self) -> None:
        tree: Tree[BrowseItem] = self.query_one("#service-tree", Tree)
        for node_id in list(self.pending):
            try:
                node = tree.get_node_by_id(NodeID(node_id))
            except UnknownNodeID:  # removed meanwhile
                continue
            for child in list(node.children):
                if child.data is not None and child.data.kind == "info":
                    child.remove()
            self._info(node, "cancelled: collapse and expand to read again", "yellow")
        self.pending.clear()
        self._header(f"{block_heading(self.block)}: cancelled; Escape again goes back.")

    def work_failed(self, worker: object, message: str) -> None:
        self._header(f"Failed: {message}")

    # -- the pane -------------------------------------------------------------------------------------
    def _header(self, text: str) -> None:
        self.query_one("#service-browse-header", Static).update(data_text(text))

    def _show_selected(self) -> None:
        node = self.query_one("#service-tree", Tree).cursor_node
        item: BrowseItem | None = node.data if node is not None else None
        detail = self.query_one("#service-browse-detail", Static)
        findings = self.query_one("#service-browse-findings", FindingDetail)
        if item is None or self.browse is None:
            return
        entry = item.entry
        failure = self.failures.get(node.id) if node is not None else None
        if isinstance(entry, GroupEntry) and entry.finding is not None:
            failure = entry.finding
        findings.show([failure] if failure is not None else [])
        if item.kind == "region":
            detail.update(data_lines(region_text(self.browse, item.loop_region)))
        elif isinstance(entry, GroupEntry):
            detail.update(data_lines(group_text(entry)))
        elif isinstance(entry, StreamEntry):
            detail.update(data_lines(stream_text(entry, self.block.value("only_logs_after"))))
        elif isinstance(entry, EventEntry):
            detail.update(event_text(entry))
        elif isinstance(entry, FindingEntry):
            detail.update(finding_text(entry, self.browse))
        elif item.kind == "more":
            detail.update(data_text("Enter reads the next page."))
        else:
            detail.update("")
