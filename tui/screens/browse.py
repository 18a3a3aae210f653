"""Browse: a bucket's keys level by level from the configured prefix, with what the module does with each."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Header, Input, Static, Tree
from textual.widgets.tree import TreeNode
from textual.worker import get_current_worker

from diagnostics.bucket_session import BucketSession
from diagnostics.context import DoctorContext
from diagnostics.marker_location import SCOPE_PROBE, level_marker
from diagnostics.text_safety import visible
from diagnostics.wazuh.wodle import Block, Wodle
from tui.messages import BucketOpened, DayLocated, KeysListed, ListingFailed, MarkerLocated
from tui.screens.base import BACK, DoctorScreen
from tui.widgets.data_text import data_text
from tui.widgets.finding_detail import FindingDetail
from tui.widgets.key_tree import (
    Entry,
    FolderEntry,
    InfoEntry,
    KeyEntry,
    KeyTree,
    LevelPages,
    MarkerEntry,
    MoreEntry,
)

# The faces import diagnostics and other screens inside the functions that use them: importing
# them all up front made start-up ~0.9 s slower on this machine (best of 5: import tui.commands
# 1.0 s instead of 0.09 s, import tui.app 1.7 s instead of 0.65 s), paid before --help or the first screen.


def parent_prefix(prefix: str) -> str:
    """``a/b/c/`` → ``a/b/``; the bucket root is ``""``."""
    trimmed = prefix.rstrip("/")
    return trimmed.rsplit("/", 1)[0] + "/" if "/" in trimmed else ""


def parse_day(text: str) -> date | None:
    """``YYYY-MM-DD`` (or with slashes) as a date, None when it is not one."""
    try:
        return date.fromisoformat(text.strip().replace("/", "-"))
    except ValueError:
        return None


class BrowseScreen(DoctorScreen):
    """Opens the bucket as the module would, then lists one level per expansion in a worker."""

    help_title = "Browse"
    BINDINGS = [
        BACK,
        Binding("slash", "focus_filter", "Filter"),
        Binding("d", "focus_date", "Date"),
        Binding("m", "jump_to_marker", "Marker"),
        Binding("u,backspace", "up_level", "Up"),
        Binding("r", "reload", "Reload"),
    ]

    def __init__(self, context: DoctorContext, block: Block, wodle: Wodle | None = None) -> None:
        super().__init__()
        self.context = context
        self.block = block
        self.wodle = wodle
        self.session: BucketSession | None = None
        self.root_prefix = ""
        self.levels: dict[str, LevelPages] = {}
        self.expanded: set[str] = set()
        self._node_by_prefix: dict[str, TreeNode[Entry]] = {}
        self._marker_jump: tuple[str, str] | None = None
        """(folder being shown, scope prefix) while a marker jump may still climb out of an empty folder."""

    @property
    def is_pushed_screen(self) -> bool:
        return True

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="")
        yield Static(data_text(f"s3://{self.block.name}/ — opening with the module's credentials…"),
                     id="browse-header", classes="status-line")
        with Horizontal(id="browse-controls"):
            yield Input(placeholder="filter keys (/)", id="browse-filter")
            yield Input(placeholder="jump to YYYY-MM-DD (d)", id="browse-date")
        yield KeyTree("", id="key-tree")
        yield Static("", id="browse-detail", classes="status-line")
        yield FindingDetail(id="browse-findings", empty_text="")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = visible(f"Browse {self.block.name}")
        self.query_one(KeyTree).focus()
        self.query_one(KeyTree).show_info(self.query_one(KeyTree).root, "opening the bucket…")
        self.open_session()

    # -- workers --------------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="s3-open", description="Opening the bucket")
    def open_session(self) -> None:
        from diagnostics.bucket_session import open_bucket, open_configured_bucket

        session = (open_bucket(self.context, self.block, self.wodle) if self.wodle is not None
                   else open_configured_bucket(self.context, self.block))
        self.post_message(BucketOpened(session))

    @work(thread=True, exclusive=False, exit_on_error=False, group="s3-list", description="Listing keys")
    def list_prefix(self, prefix: str, token: str | None = None) -> None:
        from diagnostics.bucket_session import browse_level

        assert self.session is not None
        browsed = browse_level(self.session, prefix, continuation_token=token,
                               cancel=get_current_worker().cancelled_event)
        if browsed.failure is not None:
            failure = browsed.failure
            self.post_message(ListingFailed(prefix, str(failure.details.get("error", failure.title)), failure))
            return
        marker = level_marker(self.session, prefix)
        self.post_message(KeysListed(prefix, browsed, marker, append=token is not None))

    # -- results --------------------------------------------------------------------------------------
    @on(BucketOpened)
    def bucket_opened(self, message: BucketOpened) -> None:
        session = message.session
        self.session = session
        self.query_one("#browse-findings", FindingDetail).show(session.findings)
        tree = self.query_one(KeyTree)
        if not session.usable:
            tree.show_info(tree.root, "cannot list: the module's credentials do not work (see below)")
            self._header(Text("The bucket cannot be opened with the module's credentials.", style="bold"))
            return
        self._header(Text.assemble(("Layout ", "dim"), visible(session.layout.describe()),
                                   ("  Enter opens a key (the footer and F1 list the rest)", "dim")))
        self.reroot(session.start_prefix)

    @on(KeysListed)
    def keys_listed(self, message: KeysListed) -> None:
        level = message.browsed.level
        if level.cancelled:
            return
        pages = self.levels.get(message.prefix)
        if message.append and pages is not None:
            pages.folders += list(level.folders)
            pages.keys += list(message.browsed.keys)
            pages.next_token = level.next_token
        else:
            pages = LevelPages(list(level.folders), list(message.browsed.keys), message.marker,
                               level.next_token)
            self.levels[message.prefix] = pages
        if self._climbed_out_of_empty_folder(message.prefix, pages):
            return
        node = self._node_by_prefix.get(message.prefix)
        if node is not None:
            self._render_level(node, message.prefix)

    def _climbed_out_of_empty_folder(self, prefix: str, pages: LevelPages) -> bool:
        """After a marker jump, an empty folder (no logs since the marker's month) gives way to its parent,
        up to the scope's prefix, so the marker line shows next to the folders that do exist."""
        jump, self._marker_jump = self._marker_jump, None
        if jump is None or jump[0] != prefix or pages.folders or pages.keys or pages.next_token:
            return False
        folder, scope_prefix = jump
        if folder == scope_prefix or not folder.startswith(scope_prefix):
            return False
        parent = parent_prefix(folder)
        self._marker_jump = (parent, scope_prefix)
        self.notify(visible(f"Nothing is stored under {folder}; showing {parent}."), timeout=5, markup=False)
        self.reroot(parent)
        return True

    @on(ListingFailed)
    def listing_failed(self, message: ListingFailed) -> None:
        node = self._node_by_prefix.get(message.prefix)
        if node is not None:
            self.query_one(KeyTree).show_info(node, f"listing failed: {message.error}")
            if message.finding is not None and message.finding.fix:
                node.add_leaf(data_text(f"fix: {message.finding.fix}"), data=InfoEntry(message.finding.fix))
        if message.finding is not None:
            self.query_one("#browse-findings", FindingDetail).show((message.finding,))
        self.notify(visible(message.error), title="Listing failed", severity="error", timeout=8, markup=False)

    # -- tree -----------------------------------------------------------------------------------------
    def reroot(self, prefix: str) -> None:
        """Show the tree from ``prefix`` (the configured path, a date folder, a parent level)."""
        self.root_prefix = prefix
        tree = self.query_one(KeyTree)
        tree.reset(f"s3://{self.block.name}/{prefix}", FolderEntry(prefix))
        self._node_by_prefix = {prefix: tree.root}
        self.expanded.add(prefix)
        tree.root.expand()
        if prefix in self.levels:
            self._render_level(tree.root, prefix)
        else:
            tree.show_info(tree.root, "listing…")
            self.list_prefix(prefix)

    def _render_level(self, node: TreeNode[Entry], prefix: str) -> None:
        tree = self.query_one(KeyTree)
        text_filter = self.query_one("#browse-filter", Input).value
        marker_within = self.session is not None and self.levels[prefix].marker is not None
        folders = tree.render_level(node, prefix, self.levels[prefix], text_filter, self.context.clock(),
                                    marker_within)
        for folder in folders:
            assert isinstance(folder.data, FolderEntry)
            child_prefix = folder.data.prefix
            self._node_by_prefix[child_prefix] = folder
            if child_prefix in self.expanded and child_prefix in self.levels:
                self._render_level(folder, child_prefix)
                folder.expand()

    def on_resize(self, event: events.Resize) -> None:
        """Key names are cut to the tree's width when drawn: a new width draws them again."""
        if self.root_prefix in self.levels:
            self.call_after_refresh(self._render_level, self.query_one(KeyTree).root, self.root_prefix)

    @on(Tree.NodeExpanded, "#key-tree")
    def node_expanded(self, event: Tree.NodeExpanded[Entry]) -> None:
        entry = event.node.data
        if not isinstance(entry, FolderEntry) or self.session is None:
            return
        self.expanded.add(entry.prefix)
        self._node_by_prefix[entry.prefix] = event.node
        if entry.prefix in self.levels:
            if not event.node.children:
                self._render_level(event.node, entry.prefix)
            return
        self.query_one(KeyTree).show_info(event.node, "listing…")
        self.list_prefix(entry.prefix)

    @on(Tree.NodeCollapsed, "#key-tree")
    def node_collapsed(self, event: Tree.NodeCollapsed[Entry]) -> None:
        if isinstance(event.node.data, FolderEntry):
            self.expanded.discard(event.node.data.prefix)

    @on(Tree.NodeSelected, "#key-tree")
    def node_selected(self, event: Tree.NodeSelected[Entry]) -> None:
        entry = event.node.data
        if isinstance(entry, KeyEntry) and self.session is not None:
            from tui.screens.preview import PreviewScreen

            self.app.push_screen(PreviewScreen(self.session, entry.classified))
        elif isinstance(entry, MoreEntry):
            event.node.set_label(Text("listing the next page…", style="dim italic"))
            self.list_prefix(entry.prefix, entry.token)

    @on(Tree.NodeHighlighted, "#key-tree")
    def node_highlighted(self, event: Tree.NodeHighlighted[Entry]) -> None:
        entry = event.node.data
        detail = self.query_one("#browse-detail", Static)
        if isinstance(entry, KeyEntry):
            classified = entry.classified
            text = Text.assemble((classified.verdict.value, "bold"), ": ", visible(classified.explanation))
            if classified.debug_line:
                # The key's folder is the level on screen: its file name is enough to fit 80 columns.
                line = classified.debug_line.replace(classified.key, "…/" + classified.key.rsplit("/", 1)[-1])
                text.append(f"\nat debug {classified.debug_level} the module prints: {visible(line)}", style="dim")
            detail.update(text)
        elif isinstance(entry, MarkerEntry):
            detail.update(Text.assemble(("StartAfter ", "bold"), visible(entry.marker),
                                        "\nS3 returns only keys after it; keys above it without a state row "
                                        "are never read."))
        elif isinstance(entry, FolderEntry):
            detail.update(data_text(f"s3://{self.block.name}/{entry.prefix}"))
        else:
            detail.update("")

    # -- actions --------------------------------------------------------------------------------------
    @on(Input.Changed, "#browse-filter")
    def filter_changed(self, event: Input.Changed) -> None:
        tree = self.query_one(KeyTree)
        if self.root_prefix in self.levels:
            self._render_level(tree.root, self.root_prefix)

    @on(Input.Submitted, "#browse-filter")
    def filter_submitted(self, event: Input.Submitted) -> None:
        self.query_one(KeyTree).focus()

    @on(Input.Submitted, "#browse-date")
    def date_submitted(self, event: Input.Submitted) -> None:
        day = parse_day(event.value)
        if day is None:
            self.notify("Type a date as YYYY-MM-DD.", severity="warning", timeout=4)
            return
        if self.session is None or not self.session.usable:
            self.notify("The bucket is not open.", severity="warning", timeout=4)
            return
        self.locate_day(day, self._cursor_scope())

    def _cursor_scope(self) -> tuple[str, str] | None:
        """(account, region) of the listing scope under the cursor or the shown root, if any."""
        session = self.session
        if session is None or session.classifier is None:
            return None
        node = self.query_one(KeyTree).cursor_node
        entry = node.data if node is not None else None
        probes = [self.root_prefix + SCOPE_PROBE]
        if isinstance(entry, FolderEntry):
            probes.insert(0, entry.prefix + SCOPE_PROBE)
        elif isinstance(entry, KeyEntry):
            probes.insert(0, entry.classified.key)
        for probe in probes:
            scope, _ = session.classifier.scope_of(probe)
            if scope is not None and scope.account and scope.region:
                return scope.account, scope.region
        return None

    @work(thread=True, exclusive=True, exit_on_error=False, group="s3-locate", description="Finding the day")
    def locate_day(self, day: date, scope: tuple[str, str] | None) -> None:
        """The day's folder: in the scope under the cursor, else the module's first account and region."""
        from diagnostics.marker_location import choose_scope

        assert self.session is not None
        choice = choose_scope(self.session, scope)
        if choice.problem:
            self.post_message(DayLocated(None, choice.problem))
            return
        self.post_message(DayLocated(self.session.layout.day_prefix(day, choice.account, choice.region),
                                     choice.note))

    @work(thread=True, exclusive=True, exit_on_error=False, group="s3-locate", description="Finding the marker")
    def locate_marker(self, scope: tuple[str, str] | None) -> None:
        """The folder where the module's StartAfter falls, in the scope under the cursor or its first one."""
        from diagnostics.marker_location import locate_marker

        assert self.session is not None
        self.post_message(MarkerLocated(locate_marker(self.session, scope)))

    @on(MarkerLocated)
    def marker_located(self, message: MarkerLocated) -> None:
        location = message.location
        if location.prefix is None:
            self.notify(visible(location.reason), title="Cannot find the marker", severity="warning", timeout=6,
                        markup=False)
            return
        self.notify(visible(f"The module lists after {location.marker}: {location.reason}")
                    + (f"\n{visible(location.note)}" if location.note else ""), title="Marker", timeout=8,
                    markup=False)
        self._marker_jump = (location.prefix, location.scope_prefix)
        self.reroot(location.prefix)
        self.query_one(KeyTree).focus()

    @on(DayLocated)
    def day_located(self, message: DayLocated) -> None:
        if message.prefix is None:
            self.notify(visible(message.note), title="Cannot jump to that day", severity="warning", timeout=6,
                        markup=False)
            return
        if message.note:
            self.notify(visible(message.note), timeout=5, markup=False)
        self.reroot(message.prefix)
        self.query_one(KeyTree).focus()

    def action_focus_filter(self) -> None:
        self.query_one("#browse-filter", Input).focus()

    def action_focus_date(self) -> None:
        self.query_one("#browse-date", Input).focus()

    def action_jump_to_marker(self) -> None:
        if self.session is None or not self.session.usable:
            self.notify("The bucket is not open.", severity="warning", timeout=4)
            return
        self.locate_marker(self._cursor_scope())

    def action_up_level(self) -> None:
        if self.session is None or not self.session.usable:
            return
        if not self.root_prefix:
            self.notify("Already at the bucket's root.", timeout=3)
            return
        self.reroot(parent_prefix(self.root_prefix))

    def action_reload(self) -> None:
        if self.session is None or not self.session.usable:
            self.open_session()
            return
        self.levels.clear()
        self.reroot(self.root_prefix)

    def palette_commands(self) -> Iterator[tuple[str, str, Callable[[], object]]]:
        """Entries this screen adds to the command palette."""
        yield "Jump to a date", "Open the date folder of a day", self.action_focus_date
        yield "Jump to the marker", "Open the folder where the module starts listing", self.action_jump_to_marker
        yield "Filter keys", "Show only keys containing some text", self.action_focus_filter
        yield "Up a level", "Show the parent prefix", self.action_up_level

    def _header(self, text: Text) -> None:
        self.query_one("#browse-header", Static).update(text)

    def work_failed(self, worker: object, message: str) -> None:
        self._header(data_text(f"Failed: {message}"))
