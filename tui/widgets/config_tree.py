"""The configuration as a tree (wodle → buckets, services, subscribers) with a status badge per item."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text, TextType
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from diagnostics.configuration.block_selection import block_details, differing_details, same_named
from diagnostics.findings import Status, worst_status
from diagnostics.text_safety import visible
from diagnostics.wazuh.wodle import Block, LoadedConfig, Wodle
from tui.widgets.data_text import data_text
from tui.widgets.elide import ELLIPSIS, middle_ellipsis
from tui.widgets.status_badge import badge_text, theme_style


@dataclass(frozen=True)
class ConfigItem:
    """What a node stands for: the file itself, a wodle or a block."""

    kind: str
    """``file``, ``wodle`` or ``block``."""
    wodle: Wodle | None = None
    block: Block | None = None

    @property
    def key(self) -> str:
        """The key statuses are looked up by (``Block.key``, ``wodle#i`` or ``file``)."""
        if self.block is not None:
            return self.block.key
        if self.wodle is not None:
            return f"wodle#{self.wodle.index}"
        return "file"


OPTION_WORDS = {"path": "path", "path_suffix": "suffix", "aws_profile": "profile", "iam_role_arn": "role",
                "aws_account_id": "account", "regions": "regions", "only_logs_after": "after",
                "service_endpoint": "endpoint", "sts_endpoint": "sts", "sqs_name": "queue"}
"""Short words for the distinguishing options, so a label fits beside the tree's guides at 80 columns."""

MIN_NAME_CELLS = 10
MIN_VALUE_CELLS = 6
SHORT_VALUE_CELLS = 16
"""Values up to this long (profiles, regions) are kept whole before the name is cut: ``…h-demo`` read badly."""


@dataclass
class _Detail:
    word: str
    value: str
    distinguishing: bool
    shared_head: int = 0
    """How many leading characters the value shares with every same-named block's: cut those first."""
    shared_tail: int = 0

    def text(self) -> str:
        return f"{self.word} {self.value}" if self.word else self.value

    def trim_shared_head(self, excess: int) -> int:
        """Cut up to ``excess`` cells of the start the value shares with its twins (``…eu-west/``); returns the gain."""
        if self.shared_head < 2 or excess <= 0 or cell_len(self.value) <= SHORT_VALUE_CELLS:
            return 0
        cut = min(excess + 1, self.shared_head)
        before = cell_len(self.value)
        self.value = ELLIPSIS + self.value[cut:]
        self.shared_head = 0
        return before - cell_len(self.value)


def _shared_ends(values: list[str]) -> tuple[int, int]:
    """The lengths of the prefix and the suffix every value shares (not overlapping in the shortest)."""
    def common(texts: list[str]) -> int:
        return next((i for i, chars in enumerate(zip(*texts, strict=False)) if len(set(chars)) > 1),
                    min(len(text) for text in texts))

    head = common(values)
    tail = common([value[::-1] for value in values])
    return head, max(0, min(tail, min(len(value) for value in values) - head))


@dataclass
class BlockLabel:
    """A block's label in pieces: ``[kind ]name type · option value … :line``, the distinguishing details flagged."""

    kind: str
    name: str
    details: list[_Detail]
    line: str

    def cells(self) -> int:
        detail_text = " · ".join(detail.text() for detail in self.details)
        return cell_len(self.kind + self.name + (f" {detail_text}" if detail_text else "") + self.line)


def block_label(block: Block, blocks: tuple[Block, ...]) -> BlockLabel:
    """The full label; options that differ from a same-named block's (``differing_details``) are flagged."""
    differing = differing_details(block, blocks)
    details: list[_Detail] = []
    if block.kind != "service":
        details.append(_Detail("", visible(block.block_type or "no type"), "type" in differing))
    twins = same_named(block, blocks)
    for name, value in block_details(block):
        detail = _Detail(OPTION_WORDS.get(name, name), visible(value), name in differing)
        if detail.distinguishing:
            detail.shared_head, detail.shared_tail = _shared_ends(
                [detail.value, *(visible(twin.value(name) or "") for twin in twins)])
        details.append(detail)
    kind = "" if block.kind == "bucket" else f"{block.kind} "
    name = visible(block.name or (block.block_type or "no type" if block.kind == "service" else "unnamed"))
    line = f" :{block.location.line}" if block.location.line is not None else ""
    return BlockLabel(kind, name, details, line)


def fit_block_label(label: BlockLabel, cells: int) -> BlockLabel:
    """The label in ``cells``, so two same-named blocks stay told apart at 80 columns.

    Other details go first, then what the distinguishing values share with their twins, then the kind word,
    the middle of the name, the distinguishing options' words (``profile``), and the middle of their
    values (their ends differ most).
    """
    fitted = BlockLabel(label.kind, label.name, [replace(detail) for detail in label.details], label.line)
    while fitted.cells() > cells and any(not d.distinguishing for d in fitted.details):
        last_other = max(i for i, d in enumerate(fitted.details) if not d.distinguishing)
        del fitted.details[last_other]
    for detail in fitted.details:
        if detail.distinguishing:
            detail.trim_shared_head(fitted.cells() - cells)
    if fitted.cells() > cells:
        fitted.kind = ""
    if (excess := fitted.cells() - cells) > 0:
        fitted.name = middle_ellipsis(fitted.name, max(MIN_NAME_CELLS, cell_len(fitted.name) - excess))
    for detail in fitted.details:
        if fitted.cells() > cells:
            detail.word = ""
    for detail in fitted.details:
        if (excess := fitted.cells() - cells) > 0:
            detail.value = middle_ellipsis(detail.value, max(MIN_VALUE_CELLS, cell_len(detail.value) - excess))
    if fitted.name != label.name and (slack := cells - fitted.cells()) > 0:
        fitted.name = middle_ellipsis(label.name, cell_len(fitted.name) + slack)
    return fitted


def block_label_text(label: BlockLabel, muted: Style) -> Text:
    """The label as Text: the name bold, the distinguishing details plain, the rest muted; cut at the end last."""
    parts: list[str | tuple[str, Style | str]] = [label.kind, (label.name, "bold")]
    for position, detail in enumerate(label.details):
        parts.append((" " if position == 0 else " · ", muted))
        parts.append((detail.text(), "" if detail.distinguishing else muted))
    parts.append((label.line, muted))
    return Text.assemble(*parts)


class ConfigTree(Tree[ConfigItem]):
    """A Tree of one ``LoadedConfig``; ``set_statuses`` repaints the badges when checks finish."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("ossec.conf", data=ConfigItem("file"), id=id)
        self.show_root = True
        self.guide_depth = 3
        self._statuses: dict[str, Status | None] = {}
        self._loaded: LoadedConfig | None = None

    def process_label(self, label: TextType) -> Text:
        """A string label comes from ossec.conf, so it is shown as text: Tree would parse it as markup."""
        return super().process_label(data_text(label) if isinstance(label, str) else label)

    def show_config(self, loaded: LoadedConfig) -> None:
        """Rebuild the tree from a loaded configuration (every block pending until checks report)."""
        self._loaded = loaded
        self.clear()
        self._statuses = {"file": worst_status(loaded.findings) if loaded.findings else None}
        for wodle in loaded.wodles:
            wodle_item = ConfigItem("wodle", wodle=wodle)
            wodle_node = self.root.add("", data=wodle_item, expand=True)
            for block in wodle.blocks:
                self._add_block(wodle_node, wodle, block)
        self.root.expand()
        self._relabel_all()

    def _add_block(self, parent: TreeNode[ConfigItem], wodle: Wodle, block: Block) -> None:
        parent.add_leaf("", data=ConfigItem("block", wodle=wodle, block=block))

    def set_statuses(self, statuses: Mapping[str, Status | None]) -> None:
        """Badges by item key; items not mentioned keep theirs."""
        self._statuses.update(statuses)
        self._relabel_all()

    def status_of(self, item: ConfigItem) -> Status | None:
        """The badge status of an item (None while pending)."""
        return self._statuses.get(item.key)

    def _relabel_all(self) -> None:
        stack = [self.root]
        while stack:
            node = stack.pop()
            if node.data is not None:
                node.set_label(self._label(node.data))
            stack.extend(node.children)

    def _label(self, item: ConfigItem) -> Text:
        muted = theme_style(self.app, "foreground-darken-2")
        badge = badge_text(self.app, self._statuses.get(item.key))
        if item.kind == "file":
            path = self._loaded.path if self._loaded is not None else "ossec.conf"
            return Text.assemble(badge, " ", (visible(path.rsplit("/", 1)[-1]), "bold"))
        if item.kind == "wodle" and item.wodle is not None:
            wodle = item.wodle
            extras = []
            if wodle.disabled:
                extras.append("disabled")
            if wodle.value("interval"):
                extras.append(visible(f"every {wodle.value('interval')}"))
            suffix = f" ({', '.join(extras)})" if extras else ""
            return Text.assemble(badge, " ", f'wodle "aws-s3"{suffix}', (f"  :{wodle.location.line}", muted))
        block = item.block
        assert block is not None
        return Text.assemble(badge, " ", block_label_text(self._block_label(block), muted))

    def _block_label(self, block: Block) -> BlockLabel:
        return block_label(block, self._loaded.blocks if self._loaded is not None else (block,))

    def render_label(self, node: TreeNode[ConfigItem], base_style: Style, style: Style) -> Text:
        """A block's label fitted to the width left beside the guides, so the distinguishing part stays visible."""
        item = node.data
        if item is None or item.block is None:
            return super().render_label(node, base_style, style)
        depth = 0
        parent = node.parent
        while parent is not None:
            depth, parent = depth + 1, parent.parent
        badge = badge_text(self.app, self._statuses.get(item.key))
        cells = self.scrollable_content_region.width - depth * self.guide_depth - badge.cell_len - 1
        label = fit_block_label(self._block_label(item.block), cells)
        text = block_label_text(label, theme_style(self.app, "foreground-darken-2"))
        text.truncate(max(cells, 1), overflow="ellipsis")
        text = Text.assemble(badge, " ", text)
        text.stylize(style)
        return text
