"""How much of an object's text was read past without being kept, so a cut record is flagged, never hidden.

A hostile object can hold one string of hundreds of MiB; holding it would take gigabytes, so the
readers keep its head and count what they skipped here, and the registry attaches the count to the
event built from that record.
"""

from __future__ import annotations

LONG_STRING_CHARS = 4 * 1024 * 1024
"""A JSON string longer than this is cut while reading (above the whole-document size the pass parses in
one call, so both paths agree, and far above the 212,960-byte datagram a default socket buffer accepts)."""

KEPT_STRING_CHARS = 64 * 1024
"""How much of a cut string is kept: enough to show it and to keep its event above the module's limit."""

LONG_VALUE_CHARS = 16 * 1024 * 1024
"""A single JSON value whose text exceeds this (after strings were cut) is refused rather than held."""


class CutLedger:
    """Characters read past but not kept since the last ``take`` (one ledger per decoded object)."""

    def __init__(self, *, stop_early: bool = False) -> None:
        self.pending = 0
        self.total = 0
        self.stop_early = stop_early
        """A preview stops at the first over-long string (``LongStringStop``) instead of reading it to its
        end: inflating hundreds of MiB takes seconds, and a preview must answer at once."""

    def note(self, chars: int) -> None:
        """Record ``chars`` characters that were validated and then forgotten."""
        self.pending += chars
        self.total += chars

    def take(self) -> int:
        """The characters cut since the previous call (the record just read), resetting the count."""
        taken, self.pending = self.pending, 0
        return taken


class ValueTooLarge(Exception):
    """Our own refusal to hold one JSON value or line larger than ``LONG_VALUE_CHARS`` (the module would)."""

    def __init__(self, chars: int, where: str) -> None:
        super().__init__(f"one record at {where} is longer than {chars} characters")
        self.chars = chars
        self.where = where
        """``char N`` (a JSON value) or ``line N`` (a line format)."""


class LongStringStop(Exception):
    """A preview met a string longer than ``LONG_STRING_CHARS`` and stopped there (``stop_early``)."""

    def __init__(self, head: str, position: int) -> None:
        super().__init__(f"a string longer than {LONG_STRING_CHARS} characters starts at char {position}")
        self.head = head
        """The record's text up to the kept part of the string (at most ``KEPT_STRING_CHARS`` more)."""
        self.position = position
