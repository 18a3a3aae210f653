"""A read-only, highlighted JSON pane, so a decoded event reads like the payload Wazuh receives."""

from __future__ import annotations

import json
from typing import Any

from rich.syntax import Syntax
from textual.containers import VerticalScroll
from textual.widgets import Static

from diagnostics.text_safety import visible_lines


def pretty_json(value: Any) -> str:
    """Indented JSON with keys in their original order (the order the module sends them)."""
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


class JsonView(VerticalScroll, can_focus=True):
    """Scrollable highlighted JSON; ``show`` replaces the document."""

    DEFAULT_CSS = """
    JsonView > Static {
        width: 100%;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown_text = ""

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static("", id="json-body")

    @property
    def text(self) -> str:
        """The JSON currently shown (plain text), for tests and copying."""
        return self._shown_text

    def show(self, value: Any) -> None:
        """Show a JSON-compatible value."""
        self.show_text(pretty_json(value), language="json")

    def show_text(self, text: str, *, language: str = "text") -> None:
        """Show any text (a raw record that is not JSON, or a message).

        ``text`` keeps the exact value for copying; the screen gets it with control characters visible,
        because a record's strings may hold ESC sequences (JSON escapes only the C0 controls).
        """
        self._shown_text = text
        theme = "ansi_dark" if self.app.current_theme.dark else "ansi_light"
        syntax = Syntax(visible_lines(text), language, theme=theme, word_wrap=True, background_color="default")
        self.query_one("#json-body", Static).update(syntax)
        self.scroll_home(animate=False)
