"""Shortening text to a number of terminal cells with an ellipsis, keeping the end that tells items apart."""

from __future__ import annotations

from rich.cells import cell_len

ELLIPSIS = "…"


def _head(text: str, cells: int) -> str:
    """The longest start of ``text`` that fits in ``cells`` (wide characters count twice)."""
    out = ""
    for char in text:
        if cell_len(out + char) > cells:
            break
        out += char
    return out


def _tail(text: str, cells: int) -> str:
    """The longest end of ``text`` that fits in ``cells``."""
    out = ""
    for char in reversed(text):
        if cell_len(char + out) > cells:
            break
        out = char + out
    return out


def middle_ellipsis(text: str, cells: int) -> str:
    """``demo-clou…trail``: the start and the end kept, because keys, paths and names differ at their ends."""
    if cell_len(text) <= cells:
        return text
    if cells <= 1:
        return ELLIPSIS[:cells]
    room = cells - 1
    head = _head(text, (room + 1) // 2)
    return head + ELLIPSIS + _tail(text, room - cell_len(head))


def split_ellipsis(text: str, cells: int, *, head_cells: int) -> str:
    """``text`` in ``cells`` with ``head_cells`` kept from its start and the rest from its end."""
    if cell_len(text) <= cells:
        return text
    head = _head(text, max(0, min(head_cells, cells - 1)))
    return head + ELLIPSIS + _tail(text, cells - 1 - cell_len(head))


def end_ellipsis(text: str, cells: int) -> str:
    """``demo-cloudtr…``: for text whose start matters most."""
    if cell_len(text) <= cells:
        return text
    return _head(text, cells - 1) + ELLIPSIS if cells >= 1 else ""


def path_ellipsis(path: str, cells: int, *, min_head: int = 8) -> str:
    """``bucket/AWSLogs/12…/2026/11/29/name.json.gz``: the middle cut so the file name stays whole when it fits.

    A file name too long for the room keeps its end (timestamps and ids differ there) after a short head.
    """
    if cell_len(path) <= cells:
        return path
    directory, slash, name = path.rpartition("/")
    tail = slash + name
    room = cells - 1 - cell_len(tail)
    if directory and room >= min(min_head, cell_len(directory)):
        return _head(directory, room) + ELLIPSIS + tail
    head = _head(path, max(min_head, cells // 4)) if cells > 2 * min_head else ""
    return head + ELLIPSIS + _tail(path, cells - 1 - cell_len(head))
