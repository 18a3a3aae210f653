"""The configuration as a tree (wodle → buckets, services, subscribers) with a status badge per item."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text, TextType
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from diagnostics.findings import Status, worst_status
from diagnostics.text_safety import visible
from diagnostics.wazuh.wodle import Block, LoadedConfig, Wodle
from tui.widgets.data_text import data_text
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


def block_label_parts(block: Block, muted: Style) -> tuple[str | tuple[str, Style | str], ...]:
    """``demo-trail cloudtrail /path wazuh-demo :17``: the name first, since most blocks are buckets."""
    kind = "" if block.kind == "bucket" else f"{block.kind} "
    name = visible(block.name or ("" if block.kind == "service" else "unnamed"))
    details = [block.block_type or "no type"]
    if block.value("path"):
        details.append(f"path {block.value('path')}")
    if block.value("aws_profile"):
        details.append(f"profile {block.value('aws_profile')}")
    return (kind, (name, "bold"), (visible(f" {' · '.join(details)}"), muted), (f" :{block.location.line}", muted))


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
        return Text.assemble(badge, " ", *block_label_parts(block, muted))
