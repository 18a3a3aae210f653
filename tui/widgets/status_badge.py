"""Status badges and theme-derived styles, so every screen shows ok/warning/error the same way."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import App
from textual.color import Color, ColorParseError

from diagnostics.findings import Status

_SYMBOL = {Status.OK: "✔", Status.SKIPPED: "–", Status.WARNING: "▲", Status.ERROR: "✖"}
_WORD = {Status.OK: "ok", Status.SKIPPED: "skipped", Status.WARNING: "warning", Status.ERROR: "error"}
_THEME_VARIABLE = {Status.OK: "text-success", Status.SKIPPED: "foreground-darken-2",
                   Status.WARNING: "text-warning", Status.ERROR: "text-error"}
PENDING_SYMBOL = "…"


def theme_style(app: App[object], variable: str, *, bold: bool = False) -> Style:
    """A Rich style coloured by a theme variable (``text-error``...), for Rich renderables in widgets."""
    value = app.theme_variables.get(variable)
    if value is None:
        return Style(bold=bold)
    try:
        colour = Color.parse(value)
    except ColorParseError:
        return Style(bold=bold)
    return Style(color=colour.rich_color, bold=bold)


def status_style(app: App[object], status: Status) -> Style:
    """The style of a status (success/warning/error colours of the current theme)."""
    return theme_style(app, _THEME_VARIABLE[status], bold=status is Status.ERROR)


def badge_text(app: App[object], status: Status | None, *, word: bool = False) -> Text:
    """A one-cell symbol (or symbol plus word) for a status; None means not checked yet."""
    if status is None:
        return Text(PENDING_SYMBOL, style=theme_style(app, "foreground-darken-2"))
    label = f"{_SYMBOL[status]} {_WORD[status]}" if word else _SYMBOL[status]
    return Text(label, style=status_style(app, status))


