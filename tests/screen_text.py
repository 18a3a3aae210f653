"""The text a Pilot-driven app shows, line by line, read from Textual's public SVG export."""

from __future__ import annotations

import html
import re

from textual.app import App
from textual.geometry import Region

_TEXT = re.compile(r'<text [^>]*?x="(?P<x>[\d.]+)" y="(?P<y>[\d.]+)" textLength="(?P<w>[\d.]+)"[^>]*>'
                   r'(?P<t>.*?)</text>')


def screen_lines(app: App[object]) -> list[str]:
    """Every row of the screen as plain text (right-trimmed), so a test reads what an admin would read."""
    rows: dict[float, list[tuple[float, float, str]]] = {}
    for match in _TEXT.finditer(app.export_screenshot()):
        text = html.unescape(match["t"]).replace("\xa0", " ")
        rows.setdefault(float(match["y"]), []).append((float(match["x"]), float(match["w"]), text))
    cell = min((width / len(text) for parts in rows.values() for _, width, text in parts if text), default=1.0)
    lines = []
    for _, parts in sorted(rows.items()):
        line = ""
        for x, _, text in sorted(parts):
            line = line.ljust(round(x / cell)) + text
        lines.append(line.rstrip())
    return lines


def region_lines(app: App[object], region: Region) -> list[str]:
    """The rows of the screen inside a widget's region (``widget.content_region``), as shown."""
    lines = screen_lines(app)
    return [line[region.x:region.right].rstrip() for line in lines[region.y:region.bottom]]
