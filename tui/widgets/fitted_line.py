"""One line of text whose path part is cut in the middle to the widget's width, so it never wraps."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from diagnostics.text_safety import visible
from tui.widgets.elide import path_ellipsis


class FittedLine(Widget):
    """``prefix path suffix`` on one row: the path gives way (middle ellipsis, file name kept), never the rest.

    A key of 120 characters wrapped to three rows at 80 columns and pushed the content down; the width is
    read at render time, so a resize refits it.
    """

    DEFAULT_CSS = "FittedLine { height: 1; }"

    def __init__(self, prefix: Text, path: str, suffix: Text, *, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.prefix = prefix
        self.path = visible(path)
        self.suffix = suffix

    def render(self) -> Text:
        budget = self.size.width - self.prefix.cell_len - self.suffix.cell_len
        shown = Text.assemble(self.prefix, path_ellipsis(self.path, max(budget, 1)), self.suffix)
        shown.no_wrap = True
        shown.overflow = "ellipsis"
        return shown

    @property
    def plain(self) -> str:
        """The whole line, uncut (for tests and the command palette)."""
        return self.prefix.plain + self.path + self.suffix.plain
