"""A window over streamed text from which JSON values are read with the stdlib's exact errors and positions.

The module parses whole documents (``json.load``) or repeatedly calls ``raw_decode``; reproducing its
``JSONDecodeError`` text (``Expecting ',' delimiter: line 3 column 5 (char 40)``) while holding only a
window of the text needs the stdlib's own scanner plus position bookkeeping, which lives here; the window
forgets what it has passed, so memory stays bounded whatever the document.
"""

from __future__ import annotations

import json
import re
from typing import Any, TextIO

from diagnostics.decode.cuts import (
    KEPT_STRING_CHARS,
    LONG_STRING_CHARS,
    LONG_VALUE_CHARS,
    CutLedger,
    LongStringStop,
    ValueTooLarge,
)

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_STRING_RUN = re.compile(r'[^"\\\x00-\x1f]*')
"""Characters a JSON string may hold as they are (no quote, backslash or control character)."""
_ESCAPE = re.compile(r'\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})')
_CHUNK_CHARS = 64 * 1024
_INCOMPLETE_WINDOW = 16
"""An error this close to the end of the window may be a token cut by the window, so read more first."""

_DECODER = json.JSONDecoder()


def decode_error(message: str, position: int, line: int, column: int) -> json.JSONDecodeError:
    """A JSONDecodeError whose text and attributes carry absolute positions without the whole document."""
    error = json.JSONDecodeError.__new__(json.JSONDecodeError)
    ValueError.__init__(error, f"{message}: line {line} column {column} (char {position})")
    error.msg, error.doc, error.pos, error.lineno, error.colno = message, "", position, line, column
    return error


class TextWindow:
    """A sliding window over a text stream that knows absolute character offsets and line numbers."""

    def __init__(self, text: TextIO, chunk_chars: int = _CHUNK_CHARS, *, prefix: str = "",
                 ledger: CutLedger | None = None) -> None:
        self._text = text
        self._ledger = ledger if ledger is not None else CutLedger()
        self._cuts: list[list[int]] = []
        """[window index, characters removed just before it] for each over-long string cut in ``buf``."""
        self._chunk = chunk_chars
        self.buf = prefix
        """Text read but not yet forgotten; starts with ``prefix``, text already taken from ``text``."""
        self.pos = 0
        """Cursor inside ``buf``."""
        self.base = 0
        """Absolute character offset of ``buf[0]``."""
        self.eof = False
        self._newlines_before = 0
        self._last_newline = -1

    # -- reading ---------------------------------------------------------------------------------------
    def more(self) -> bool:
        """Read another piece (at least as much as is pending, so retries stay logarithmic)."""
        if self.eof:
            return False
        wanted = max(self._chunk, len(self.buf) - self.pos)
        piece = self._text.read(wanted)
        if not piece:
            self.eof = True
            return False
        self.buf += piece
        return True

    def compact(self) -> None:
        """Forget text before the cursor once enough has piled up."""
        if self.pos < self._chunk:
            return
        dropped = self.buf[: self.pos]
        newline_count = dropped.count("\n")
        if newline_count:
            self._newlines_before += newline_count
            self._last_newline = self.absolute(dropped.rfind("\n"))
        self.base = self.absolute(self.pos)
        self._cuts = [[index - self.pos, removed] for index, removed in self._cuts if index > self.pos]
        self.buf = self.buf[self.pos:]
        self.pos = 0

    def peek(self) -> str:
        """The character at the cursor, or '' at the end of the text."""
        while self.pos >= len(self.buf):
            self.compact()
            if not self.more():
                return ""
        return self.buf[self.pos]

    def skip_whitespace(self) -> None:
        """Advance over JSON whitespace, reading more as needed.

        What was skipped is forgotten before each read: growing the window by concatenation alone made
        a run of N MiB of spaces cost O(N^2) copying.
        """
        while True:
            self.pos = _WHITESPACE.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buf):
                return
            self.compact()
            if not self.more():
                return

    def at_end(self) -> bool:
        """True when nothing but the end of the text is left at the cursor."""
        return self.peek() == ""

    def rest(self) -> str:
        """Everything from the cursor to the end of the text (used only on error paths)."""
        while self.more():
            pass
        return self.buf[self.pos:]

    def rest_within(self, limit: int) -> str | None:
        """The rest of the text when it is at most ``limit`` characters, else None (having read past it).

        It reads chunk by chunk and joins once, rather than through ``more``'s doubling, so reading past the
        limit holds about twice the limit, not four times. The cursor then stands at the rest's start.
        """
        pieces = [self.buf[self.pos:]]
        size = len(pieces[0])
        while size <= limit and not self.eof:
            piece = self._text.read(self._chunk)
            if not piece:
                self.eof = True
                break
            pieces.append(piece)
            size += len(piece)
        self.base = self.absolute(self.pos)
        self._cuts = []
        self.buf, self.pos = "".join(pieces), 0
        return self.buf if size <= limit else None

    def rest_matches(self, pattern: re.Pattern[str], overlap: int = 256) -> bool:
        """Whether ``pattern`` occurs in the rest of the text, reading it in pieces and forgetting them.

        A match longer than ``overlap`` characters that straddles two pieces is missed; the patterns asked
        about here are a few dozen characters long.
        """
        while True:
            if pattern.search(self.buf, self.pos):
                return True
            self.pos = self.base = 0
            self._cuts = []
            self.buf = self.buf[-overlap:]
            if not self.more():
                return False

    # -- positions -------------------------------------------------------------------------------------
    def absolute(self, index: int) -> int:
        """Absolute character offset of a window index (counting the characters cut out of long strings)."""
        return self.base + index + sum(removed for at, removed in self._cuts if at <= index)

    def error_at(self, message: str, index: int) -> json.JSONDecodeError:
        """An error at a window index, numbered from the start of the whole text (``json.load``).

        Cut strings never held a raw newline (JSON forbids one inside a string), so line numbers stand.
        """
        position = self.absolute(index)
        line = self._newlines_before + self.buf.count("\n", 0, index) + 1
        newline = self.buf.rfind("\n", 0, index)
        column = position - (self.absolute(newline) if newline >= 0 else self._last_newline)
        return decode_error(message, position, line, column)

    def error_from(self, message: str, index: int, origin: int) -> json.JSONDecodeError:
        """An error at a window index, numbered from ``origin`` (``raw_decode`` on a shortened string)."""
        return json.JSONDecodeError(message, self.buf[origin:], index - origin)

    # -- values ----------------------------------------------------------------------------------------
    def decode_value(self, *, origin: int | None = None) -> Any:
        """``raw_decode`` at the cursor (no whitespace skipped), reading more while the value may be cut."""
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as error:
                if not self.eof and (len(self.buf) - error.pos <= _INCOMPLETE_WINDOW
                                     or error.msg.startswith("Unterminated string")):
                    if error.msg.startswith("Unterminated string") \
                            and len(self.buf) - error.pos > LONG_STRING_CHARS:
                        self._cut_string(error.pos)
                        continue
                    if len(self.buf) - self.pos > LONG_VALUE_CHARS:
                        raise ValueTooLarge(LONG_VALUE_CHARS, f"char {self.absolute(self.pos)}") from None
                    self.more()
                    continue
                if origin is None:
                    raise self.error_at(error.msg, error.pos) from None
                raise self.error_from(error.msg, error.pos, origin) from None
            if end >= len(self.buf) and not self.eof and isinstance(value, (int, float)) \
                    and not isinstance(value, bool):
                self.more()  # a number cut by the window would decode short
                continue
            self.pos = end
            return value

    def scan_key(self) -> str:
        """A member name at the cursor (which is on its opening quote), with scanstring's errors."""
        while True:
            try:
                key, end = json.decoder.scanstring(self.buf, self.pos + 1, True)  # type: ignore[attr-defined]
            except json.JSONDecodeError as error:
                if not self.eof and (len(self.buf) - error.pos <= _INCOMPLETE_WINDOW
                                     or error.msg.startswith("Unterminated string")):
                    if len(self.buf) - self.pos > LONG_STRING_CHARS:
                        raise ValueTooLarge(LONG_STRING_CHARS, f"char {self.absolute(self.pos)}") from None
                    self.more()
                    continue
                raise self.error_at(error.msg, error.pos) from None
            self.pos = end
            return str(key)

    # -- over-long strings -----------------------------------------------------------------------------
    def _cut_string(self, quote: int) -> None:
        """Validate the string opening at window index ``quote`` to its end, keeping only its head.

        The C scanner needs a whole string in memory, so one of hundreds of MiB would be held several
        times over; here its head (``KEPT_STRING_CHARS``) stays in the window, the rest is checked with
        the scanner's rules as it streams by and forgotten, and the ledger counts what was dropped.
        """
        target = quote + 1 + KEPT_STRING_CHARS
        keep_end = -1
        index = quote + 1
        while True:
            end = _STRING_RUN.match(self.buf, index).end()  # type: ignore[union-attr]
            if keep_end < 0 and end >= target:
                keep_end = max(index, target)
            index = end
            if index < len(self.buf):
                char = self.buf[index]
                if char == '"':
                    break
                escape = _ESCAPE.match(self.buf, index) if char == "\\" else None
                if escape is not None:
                    index = escape.end()
                    if keep_end < 0 and index >= target:
                        keep_end = index
                    continue
                if char != "\\" or self.eof or len(self.buf) - index >= 6:
                    raise self._string_error(quote, index)
            if keep_end >= 0 and self._ledger.stop_early:
                raise LongStringStop(self.buf[self.pos:keep_end], self.absolute(quote))
            if 0 <= keep_end < index:
                self._forget(keep_end, index)
                index = keep_end
            if not self.more():
                raise self.error_at("Unterminated string starting at", quote)
        if 0 <= keep_end < index:
            self._forget(keep_end, index)

    def _forget(self, start: int, end: int) -> None:
        """Drop ``buf[start:end]`` (validated string content) and remember where, for error positions."""
        self.buf = self.buf[:start] + self.buf[end:]
        removed = end - start
        if self._cuts and self._cuts[-1][0] == start:
            self._cuts[-1][1] += removed
        else:
            self._cuts.append([start, removed])
        self._ledger.note(removed)

    def _string_error(self, quote: int, index: int) -> json.JSONDecodeError:
        """The scanner's own error for the bad character or escape at ``index`` of a long string."""
        piece = '"' + self.buf[index:index + 6]
        try:
            json.decoder.scanstring(piece, 1, True)  # type: ignore[attr-defined]
        except json.JSONDecodeError as error:
            if not error.msg.startswith("Unterminated string"):
                return self.error_at(error.msg, index + error.pos - 1)
        return self.error_at("Unterminated string starting at", quote)
