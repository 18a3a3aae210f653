"""A log pane for the ingestion pass: batched writes and level colours, so bursts never stall the UI."""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterable

from rich.highlighter import Highlighter
from rich.style import Style
from rich.text import Text
from textual.widgets import Log

from diagnostics.ingest.log_format import DOCTOR_TAG
from diagnostics.text_safety import visible
from diagnostics.wazuh.ossec_log import TAG
from tui.widgets.elide import split_ellipsis
from tui.widgets.status_badge import theme_style

_LEVEL = re.compile(r"\b(?P<level>DEBUG|INFO|WARNING|ERROR|CRITICAL)\b")
_OSSEC_PREFIX = re.compile(r"^\d{4}/\d{2}/\d{2} (?P<time>\d{2}:\d{2}:\d{2}) "
                           rf"(?P<tag>{re.escape(TAG)}|{re.escape(DOCTOR_TAG)})(?:\[[^\]]*\])?: "
                           r"(?P<level>[A-Z]+): ")
_THEME_FOR_LEVEL = {"DEBUG": "foreground-darken-2", "INFO": "text-primary", "WARNING": "text-warning",
                    "ERROR": "text-error", "CRITICAL": "text-error"}


def screen_line(line: str) -> str:
    """``12:00:01 DEBUG: +++ Found new log: …``: the ossec.log date and tag (44 cells) shortened for the screen.

    The time and the level are what an admin scans for; the module's full prefix would push the key out of
    an 80-column log. Only the shown line changes: files and --events-out keep the module's exact format,
    and the doctor's own remarks stay marked as ours (``doctor:``).
    """
    match = _OSSEC_PREFIX.match(line)
    if match is None:
        return line
    rest = line[match.end():]
    if match["tag"] == DOCTOR_TAG:
        return f"{match['time']} doctor: {rest}"
    return f"{match['time']} {match['level']}: {rest}"


def fit_line(line: str, cells: int) -> str:
    """A line cut in its middle to ``cells``, half kept from each end: a key's file name and
    timestamp sit at its end, and the time, level and start of the message at the line's start."""
    return split_ellipsis(line, cells, head_cells=(cells - 1) // 2) if cells >= 8 else line


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

    DEFAULT_CSS = "LiveLog { overflow-x: hidden; }"
    """Lines are fitted to the width (``fit_line``), so there is nothing to scroll sideways to."""

    FLUSH_INTERVAL = 0.1

    def __init__(self, *, max_lines: int = 5000, id: str | None = None) -> None:
        super().__init__(highlight=True, max_lines=max_lines, id=id, auto_scroll=True)
        self._queued_lines: list[str] = []
        self._fit_width = 0
        self.lines_received = 0
        """Every line appended since the last clear, including those pruned by ``max_lines``."""

    def _process_line(self, line: str) -> str:  # type: ignore[override]  # Log's is a classmethod; this needs the width
        """The shown line fitted to the log's width (the stored line stays whole, for copying and tests)."""
        return fit_line(super()._process_line(line), self._fit_width)

    def on_resize(self) -> None:
        """Refit the shown lines to the new width (read here: Log also calls ``_process_line`` from a thread)."""
        self._fit_width = self.scrollable_content_region.width
        self.refresh()

    def on_mount(self) -> None:
        styles = {level: theme_style(self.app, name) for level, name in _THEME_FOR_LEVEL.items()}
        self.highlighter = LevelHighlighter(styles)
        self.set_interval(self.FLUSH_INTERVAL, self.flush)

    def append(self, lines: Iterable[str]) -> None:
        """Queue lines for the next tick, control characters made visible (the real module echoes keys).

        Lines in ossec.log format are shown with a short time-and-level prefix (``screen_line``).
        """
        before = len(self._queued_lines)
        self._queued_lines.extend(screen_line(visible(line)) for line in lines)
        self.lines_received += len(self._queued_lines) - before

    def flush(self) -> None:
        """Write everything queued so far."""
        if self._queued_lines:
            pending, self._queued_lines = self._queued_lines, []
            self.write_lines(pending)

    def reset(self) -> None:
        """Forget queued and shown lines."""
        self._queued_lines.clear()
        self.lines_received = 0
        self.clear()


class BatchingHandler(logging.Handler):
    """A logging handler for worker threads: formats records and hands them over in batches.

    ``deliver`` receives a tuple of lines at most every ``interval`` seconds (or when ``max_batch`` lines
    wait); ``backlog`` reports how many deliveries are still queued, and the producer waits while it is high,
    so a fast pass slows down rather than flooding the UI (toolong's trick).
    """

    def __init__(self, deliver: Callable[[tuple[str, ...]], object], *,
                 backlog: Callable[[], int] | None = None, interval: float = 0.05, max_batch: int = 2000,
                 max_backlog: int = 20) -> None:
        super().__init__()
        self._deliver = deliver
        self._backlog = backlog
        self._interval = interval
        self._max_batch = max_batch
        self._max_backlog = max_backlog
        self._pending: list[str] = []
        self._last = time.monotonic()
        self._guard = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
        except Exception:  # a broken record must not stop the pass
            self.handleError(record)
            return
        self.add_line(line)

    def add_line(self, line: str) -> None:
        """Queue an already formatted line (output of a subprocess)."""
        with self._guard:
            self._pending.append(line)
            due = len(self._pending) >= self._max_batch or time.monotonic() - self._last >= self._interval
        if due:
            self.flush()

    def flush(self) -> None:
        """Deliver what is waiting (also called once at the end of the pass)."""
        with self._guard:
            lines, self._pending = tuple(self._pending), []
            self._last = time.monotonic()
        if not lines:
            return
        give_up = time.monotonic() + 2.0  # never block a closing app for long
        backlog = self._backlog
        while backlog is not None and backlog() > self._max_backlog and time.monotonic() < give_up:
            time.sleep(0.01)
        self._deliver(lines)
