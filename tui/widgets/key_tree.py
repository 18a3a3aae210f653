"""A lazy tree of one bucket's levels: folders load on expansion, keys carry the module's verdict."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import humanize
from rich.style import Style
from rich.text import Text, TextType
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from diagnostics.layout.classify import ClassifiedKey, Verdict
from diagnostics.text_safety import visible
from tui.widgets.data_text import data_text
from tui.widgets.status_badge import theme_style

_VERDICT_THEME = {Verdict.READ: "text-success", Verdict.PROCESSED: "foreground-darken-2",
                  Verdict.SKIPPED: "text-warning"}
_VERDICT_SYMBOL = {Verdict.READ: "●", Verdict.PROCESSED: "✓", Verdict.SKIPPED: "⊘"}


@dataclass(frozen=True)
class FolderEntry:
    """A common prefix; its children are listed when it is first expanded."""

    prefix: str


@dataclass(frozen=True)
class KeyEntry:
    """An object with the module's verdict on it."""

    classified: ClassifiedKey


@dataclass(frozen=True)
class MarkerEntry:
    """The StartAfter of the level's scope, drawn where it falls among the keys."""

    marker: str


@dataclass(frozen=True)
class MoreEntry:
    """The level has more pages; selecting this node lists the next one."""

    prefix: str
    token: str


@dataclass(frozen=True)
class InfoEntry:
    """A note in place of children (empty level, loading, failure)."""

    text: str


Entry = FolderEntry | KeyEntry | MarkerEntry | MoreEntry | InfoEntry


@dataclass
class LevelPages:
    """What has been listed under one prefix so far (pages are appended as they arrive)."""

    folders: list[str]
    keys: list[ClassifiedKey]
    marker: str | None
    next_token: str | None


def name_under(prefix: str, full: str) -> str:
    """The part of a key or folder below the level's prefix."""
    return full[len(prefix):] if full.startswith(prefix) else full


def common_start(texts: Sequence[str]) -> str:
    """The characters every text starts with (character by character, not by path component)."""
    if not texts:
        return ""
    shortest = min(texts, key=len)
    for index, character in enumerate(shortest):
        if any(text[index] != character for text in texts):
            return shortest[:index]
    return shortest


def shared_head(names: Sequence[str], minimum: int = 16) -> int:
    """How many leading characters every name shares, cut at a ``_``/``-`` boundary (0 when short).

    CloudTrail-style names repeat ``<account>_CloudTrail_<region>_<date>`` in every key of a day, so the
    part that tells keys apart sits at the end, where a narrow terminal would cut it off.
    """
    if len(names) < 2:
        return 0
    common = common_start(names)
    cut = max(common.rfind("_"), common.rfind("-"))
    return cut if cut >= minimum else 0


LABEL_COLUMNS = 34
"""Columns a key's label uses before its name: verdict, size and age."""
MIN_NAME_COLUMNS = 16
"""Below this, the reason in parentheses gives its room to the name (the detail line says it too)."""


def window(name: str, head: int, match: tuple[int, int] | None, room: int | None) -> tuple[int, int]:
    """The part of ``name`` a label shows: from ``head`` to the end, moved and narrowed so that it fits in
    ``room`` columns (its ellipses included) and still holds the filter's match."""
    start, end = head, len(name)
    if match is not None and match[0] < start:
        start = match[0]
    if room is None:
        return start, end

    def width(low: int, high: int) -> int:
        return high - low + (low > 0) + (high < len(name))

    if width(start, end) <= room:
        return start, end
    tail = end - (room - 1)
    if match is None or match[0] >= tail:
        return max(tail, 0), end  # the end tells keys apart; the match, if any, lies within it
    low = match[0]
    return low, min(end, low + max(room - 2, match[1] - match[0]))


def fitted_name(name: str, head: int, wanted: str, room: int | None, match_style: Style) -> Text:
    """A key's name cut to its room with ``…`` where text is left out, the filter's match highlighted."""
    found = name.lower().find(wanted) if wanted else -1
    match = (found, found + len(wanted)) if found >= 0 else None
    low, high = window(name, head, match, room)
    text = Text("…" if low > 0 else "")
    if match is not None and low <= match[0] and match[1] <= high:
        text.append(visible(name[low:match[0]]))
        text.append(visible(name[match[0]:match[1]]), style=match_style)
        text.append(visible(name[match[1]:high]))
    else:
        text.append(visible(name[low:high]))
    if high < len(name):
        text.append("…")
    return text


def key_label(app: object, prefix: str, classified: ClassifiedKey, now: datetime, head: int = 0, *,
              wanted: str = "", room: int | None = None) -> Text:
    """``● read      4.1 kB   2 hours  …_T0005Z_Ab3d.json.gz`` with the verdict coloured; ``room`` is the
    width left for the name and reason (None: unknown, nothing is cut)."""
    style = theme_style(app, _VERDICT_THEME[classified.verdict])  # type: ignore[arg-type]
    obj = classified.object
    size = humanize.naturalsize(obj.size, binary=True) if obj is not None else ""  # KiB, as the CLI
    age = ""
    if obj is not None and obj.last_modified is not None:
        age = humanize.naturaldelta(max(now - obj.last_modified, timedelta(0)))
    verdict = classified.verdict.value
    name = name_under(prefix, classified.key)
    reason = f"  ({classified.reason.value.replace('_', ' ')})" if classified.reason is not None else ""
    if room is not None and room - len(reason) < MIN_NAME_COLUMNS:
        reason = ""
    name_room = room - len(reason) if room is not None else None
    shown = fitted_name(name, head, wanted, name_room, Style(reverse=True, bold=True))
    return Text.assemble((f"{_VERDICT_SYMBOL[classified.verdict]} {verdict:<9}", style), f" {size:>9}",
                         f" {age:>10}  ", shown, (reason, style))


def marker_label(app: object, prefix: str, marker: str) -> Text:
    """A rule across the listing naming the StartAfter."""
    style = theme_style(app, "text-accent", bold=True)  # type: ignore[arg-type]
    common = common_start([prefix, marker])
    shown = visible(marker[common.rfind("/") + 1:] or marker)
    if len(shown) > 44:
        shown = "…" + shown[-43:]
    return Text(f"─── marker (StartAfter) {shown} ───", style=style)


def entry_sort_name(entry: FolderEntry | KeyEntry) -> str:
    """The full key or prefix, the order S3 lists in."""
    return entry.prefix if isinstance(entry, FolderEntry) else entry.classified.key


def marker_position(entries: Sequence[FolderEntry | KeyEntry], marker: str | None) -> int | None:
    """Where the marker line goes: before the first entry after it; None when it falls inside a folder
    (then it is drawn one level down) or outside this level."""
    if marker is None:
        return None
    for index, entry in enumerate(entries):
        name = entry_sort_name(entry)
        if isinstance(entry, FolderEntry) and marker.startswith(name):
            return None
        if name > marker:
            return index
    return len(entries)


class KeyTree(Tree[Entry]):
    """The tree itself; the screen feeds it levels and it renders them with a filter."""

    def __init__(self, root_prefix: str, *, id: str | None = None) -> None:
        super().__init__(data_text(root_prefix or "/"), data=FolderEntry(root_prefix), id=id)
        self.guide_depth = 2
        self.show_root = True

    def process_label(self, label: TextType) -> Text:
        """A string label is a key or a prefix, so it is shown as text: Tree would parse it as markup."""
        return super().process_label(data_text(label) if isinstance(label, str) else label)

    def render_level(self, node: TreeNode[Entry], prefix: str, pages: LevelPages, text_filter: str,
                     now: datetime, marker_within: bool) -> list[TreeNode[Entry]]:
        """Replace ``node``'s children by the level's folders and keys; returns the new folder nodes.

        ``marker_within`` tells whether the marker belongs to this level's scope (it is drawn only then).
        """
        node.remove_children()
        wanted = text_filter.lower()
        entries: list[FolderEntry | KeyEntry] = [FolderEntry(folder) for folder in pages.folders]
        entries += [KeyEntry(classified) for classified in pages.keys
                    if not wanted or wanted in name_under(prefix, classified.key).lower()]
        entries.sort(key=entry_sort_name)
        position = marker_position(entries, pages.marker) if marker_within else None
        head = shared_head([name_under(prefix, entry.classified.key) for entry in entries
                            if isinstance(entry, KeyEntry)])
        room = self.name_room(node)
        folders: list[TreeNode[Entry]] = []
        for index, entry in enumerate(entries):
            if index == position and pages.marker is not None:
                node.add_leaf(marker_label(self.app, prefix, pages.marker), data=MarkerEntry(pages.marker))
            if isinstance(entry, FolderEntry):
                folders.append(node.add(data_text(name_under(prefix, entry.prefix)), data=entry, allow_expand=True))
            else:
                node.add_leaf(key_label(self.app, prefix, entry.classified, now, head, wanted=wanted, room=room),
                              data=entry)
        if position == len(entries) and pages.marker is not None:
            node.add_leaf(marker_label(self.app, prefix, pages.marker), data=MarkerEntry(pages.marker))
        if pages.next_token:
            node.add_leaf(Text("… more keys: select to list the next page", style="italic"),
                          data=MoreEntry(prefix, pages.next_token))
        if not entries:
            note = "no key matches the filter" if pages.keys and wanted else "empty level"
            node.add_leaf(Text(note, style="dim italic"), data=InfoEntry(note))
        return folders

    def name_room(self, node: TreeNode[Entry]) -> int | None:
        """Columns left for a key's name under ``node``: the tree's width less the guides and the label's
        verdict, size and age (None before the tree is laid out)."""
        width = self.scrollable_content_region.width
        if width <= 0:
            return None
        depth = 0
        parent = node
        while parent.parent is not None:
            depth += 1
            parent = parent.parent
        return max(MIN_NAME_COLUMNS, width - (depth + 1) * self.guide_depth - LABEL_COLUMNS - 1)

    def show_info(self, node: TreeNode[Entry], text: str) -> None:
        """Put a single note under a node (loading..., a failure)."""
        node.remove_children()
        node.add_leaf(data_text(text, style="dim italic"), data=InfoEntry(text))
