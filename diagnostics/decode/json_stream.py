"""One JSON document's field streamed element by element, as ``json.load`` would give it to the module.

The elements come from a ``TextWindow`` (exact errors and positions, bounded memory), or from one
``json.loads`` of a small document when that gives the same answer.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from diagnostics.decode.cuts import CutLedger
from diagnostics.decode.text_window import TextWindow


@dataclass
class DocumentOutline:
    """What a streamed ``json.load`` saw besides the elements it yielded."""

    is_object: bool = False
    field_found: bool = False
    field_streamed: bool = False
    """True when the field held a list whose elements were yielded one by one."""
    field_value: Any = None
    """The field's value when it was not a list (the loader then iterates it like the module)."""
    whole_value: Any = None
    """The whole document when it was not an object."""
    duplicate_field: bool = False


def whole_document_elements(head: str, field_name: str, outline: DocumentOutline) -> list[Any] | None:
    """``document[field_name]``'s elements from one ``json.loads``, or None when only the window can tell.

    The C parser does in one call what the window does piece by piece, several times faster. It is used
    only when the answer is the same: the document parses, and the field's name appears once (a repeated
    member needs the streamed outline's note). Every error goes back to the window for its exact position.
    """
    if head.count(f'"{field_name}"') > 1:
        return None
    try:
        document = json.loads(head)
    except Exception:  # JSONDecodeError, RecursionError...: the window raises what json.load raises
        return None
    if not isinstance(document, dict):
        outline.whole_value = document
        return []
    outline.is_object = True
    if field_name not in document:
        return []
    outline.field_found = True
    value = document[field_name]
    if isinstance(value, list):
        outline.field_streamed = True
        return value
    outline.field_value = value
    return []


def stream_document_field(text: TextIO, field_name: str, outline: DocumentOutline, *,
                          whole_below: int = 0, ledger: CutLedger | None = None) -> Iterator[Any]:
    """Yield the elements of ``document[field_name]`` while validating the document like ``json.load``.

    Errors anywhere (before, inside or after the list, trailing data) raise the JSONDecodeError
    ``json.load`` would raise, with the same message and position. ``outline`` is filled as it goes.
    A document of at most ``whole_below`` characters is parsed in one call when that gives the same
    answer (``whole_document_elements``); 0 always streams, so a preview shows events before a late error.
    """
    head = text.read(whole_below + 1) if whole_below > 0 else ""
    if head and len(head) <= whole_below:
        elements = whole_document_elements(head, field_name, outline)
        if elements is not None:
            yield from elements
            return
    window = TextWindow(text, prefix=head, ledger=ledger)
    if window.peek() == "\ufeff":
        raise window.error_at("Unexpected UTF-8 BOM (decode using utf-8-sig)", window.pos)
    window.skip_whitespace()
    if window.peek() != "{":
        outline.whole_value = window.decode_value()
        _expect_end(window)
        return
    outline.is_object = True
    window.pos += 1
    window.skip_whitespace()
    if window.peek() == "}":
        window.pos += 1
        _expect_end(window)
        return
    while True:
        if window.peek() != '"':
            raise window.error_at("Expecting property name enclosed in double quotes", window.pos)
        name = window.scan_key()
        window.skip_whitespace()
        if window.peek() != ":":
            raise window.error_at("Expecting ':' delimiter", window.pos)
        window.pos += 1
        window.skip_whitespace()
        if name == field_name and window.peek() == "[" and not outline.field_found:
            outline.field_found = outline.field_streamed = True
            yield from _stream_array(window)
        elif name == field_name:
            outline.duplicate_field = outline.field_found
            outline.field_found = True
            outline.field_streamed = False
            outline.field_value = window.decode_value()
        else:
            window.decode_value()
        window.compact()
        window.skip_whitespace()
        if window.peek() == "}":
            window.pos += 1
            break
        if window.peek() != ",":
            raise window.error_at("Expecting ',' delimiter", window.pos)
        window.pos += 1
        window.skip_whitespace()
    _expect_end(window)


def _stream_array(window: TextWindow) -> Iterator[Any]:
    """Elements of the array at the cursor (on ``[``), with the C scanner's delimiter errors."""
    window.pos += 1
    window.skip_whitespace()
    if window.peek() == "]":
        window.pos += 1
        return
    while True:
        yield window.decode_value()
        window.compact()
        window.skip_whitespace()
        if window.peek() == "]":
            window.pos += 1
            return
        if window.peek() != ",":
            raise window.error_at("Expecting ',' delimiter", window.pos)
        window.pos += 1
        window.skip_whitespace()


def _expect_end(window: TextWindow) -> None:
    """``json.loads``'s trailing check: only whitespace may follow the value."""
    window.skip_whitespace()
    if not window.at_end():
        raise window.error_at("Extra data", window.pos)
