"""Text that comes from data (keys, log lines, AWS messages, ossec.conf values), ready for a widget.

Textual and Rich parse plain strings as markup in many places (``Static.update``, tree labels, table
cells, notifications): a key named ``[/]`` would crash the app and ``[link=...]`` would become a
hyperlink. A ``rich.text.Text`` is never parsed, and ``visible`` keeps terminal controls out of it.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from diagnostics.text_safety import visible, visible_lines


def data_text(text: str, style: str | Style = "") -> Text:
    """One line of data as literal text (control characters shown as ``\\x1b``, ``\\n``)."""
    return Text(visible(text), style=style)


def data_lines(text: str, style: str | Style = "") -> Text:
    """Data that spans lines on purpose (a fix proposing XML): line breaks kept, other controls visible."""
    return Text(visible_lines(text), style=style)
