"""A log pane for the ingestion pass: batched writes and level colours, so bursts never stall the UI."""

from __future__ import annotations

import re
from collections.abc import Iterable

from rich.highlighter import Highlighter
from rich.style import Style
from rich.text import Text
from textual.widgets import Log

from tui.widgets.status_badge import theme_style

_LEVEL = re.compile(r"\b(?P<level>DEBUG|INFO|WARNING|ERROR|CRITICAL)\b")
_THEME_FOR_LEVEL = {"DEBUG": "foreground-darken-2", "INFO": "text-primary", "WARNING": "text-warning",
                    "ERROR": "text-error", "CRITICAL": "text-error"}


class LevelHighlighter(Highlighter):
    """Colours a line by the first log level it names; styles are resolved once from the theme."""

    def __init__(self, styles: dict[str, Style]) -> None:
        self._styles = styles

    def highlight(self, text: Text) -> None:
        match = _LEVEL.search(text.plain)
        if match is None:
            return
        style = self._styles.get(match.group("level"))
        if style is None:
            return
        if match.group("level") == "DEBUG":
            text.stylize(style)
        else:
            text.stylize(style + Style(bold=True), match.start(), match.end())
            text.stylize(style, match.end())


class LiveLog(Log):
    """A Log that buffers appended lines and writes them in one batch per tick (10 per second).

    Only visible lines are rendered by ``Log``, and ``max_lines`` bounds memory, so thousands of lines
    a second cost one ``write_lines`` call per tick.
    """

    FLUSH_INTERVAL = 0.1

    def __init__(self, *, max_lines: int = 5000, id: str | None = None) -> None:
        super().__init__(highlight=True, max_lines=max_lines, id=id, auto_scroll=True)
        self._pending: list[str] = []
        self.lines_received = 0
        """Every line appended since the last clear, including those pruned by ``max_lines``."""

    def on_mount(self) -> None:
        styles = {level: theme_style(self.app, name) for level, name in _THEME_FOR_LEVEL.items()}
        self.highlighter = LevelHighlighter(styles)
        self.set_interval(self.FLUSH_INTERVAL, self.flush)

    def append(self, lines: Iterable[str]) -> None:
        """Queue lines for the next tick."""
        before = len(self._pending)
        self._pending.extend(lines)
        self.lines_received += len(self._pending) - before

    def flush(self) -> None:
        """Write everything queued so far."""
        if self._pending:
            pending, self._pending = self._pending, []
            self.write_lines(pending)

    def reset(self) -> None:
        """Forget queued and shown lines."""
        self._pending.clear()
        self.lines_received = 0
        self.clear()
