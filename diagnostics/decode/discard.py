"""``discard_regex`` exactly as the module applies it, quirks included.

The field is a dotted path into the record (before the envelope); lists on the way are searched; the
regex is applied with ``re.match`` (anchored at the start); a missing field keeps the event; non-string
values never match; and an unset regex compiles to the literal pattern ``None``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DiscardRule:
    """A compiled ``discard_regex`` with its field, as ``WazuhIntegration.__init__`` builds it."""

    field: str | None
    pattern: re.Pattern[str]

    @property
    def active(self) -> bool:
        """The module tests events only when a field is set (the compiled pattern is always truthy)."""
        return bool(self.field)

    def matches(self, record: Any) -> bool:
        """True when the module would skip this record."""
        return self.active and _check(record, self.field or "", self.pattern)

    def skipped_line(self) -> str:
        """Debug-2 line printed for a skipped event."""
        return (f'+++ The "{self.pattern.pattern}" regex found a match in the "{self.field}" field. '
                "The event will be skipped.")

    def kept_line(self) -> str:
        """Debug-3 line printed for every kept event, even with no discard option (``"None"`` twice)."""
        return (f'+++ The "{self.pattern.pattern}" regex did not find a match in the "{self.field}" field. '
                "The event will be processed.")

    def describe(self) -> str:
        """Short reason for a discarded event."""
        return f"discard_regex {self.pattern.pattern!r} matched field {self.field!r}"


def compile_rule(field: str | None, regex: str | None) -> DiscardRule:
    """Compile like the module (``re.compile(fr'{discard_regex}')``); re.error propagates (exit 12 there)."""
    return DiscardRule(field=field, pattern=re.compile(f"{regex}"))


def _check(item: Any, nested_field: str, pattern: re.Pattern[str]) -> bool:
    """The module's recursive walk: on a list, each element is tested with the current name only."""
    first, *remainder = nested_field.split(".", 1)
    try:
        value = item[first]
    except TypeError:
        if isinstance(item, list):
            return any(_check(element, first, pattern) for element in item)
        return False
    except KeyError:
        return False
    if not remainder:
        return _matches_value(value, pattern)
    return _check(value, remainder[0], pattern)


def _matches_value(value: Any, pattern: re.Pattern[str]) -> bool:
    """``re.match`` on strings; lists are searched; anything else (numbers, dicts) never matches."""
    try:
        return re.match(pattern, value) is not None
    except TypeError:
        return isinstance(value, list) and any(_matches_value(element, pattern) for element in value)


def non_string_kinds(record: Any, nested_field: str) -> tuple[str, ...]:
    """The JSON kinds (number, boolean, object...) found at the field's path that the regex can never match.

    Walks the path as ``_check`` does (lists searched); strings, and lists whose elements are searched, are
    left out, so an empty answer means every value found is one ``re.match`` can test.
    """
    kinds: list[str] = []

    def visit(item: Any, path: str) -> None:
        first, *remainder = path.split(".", 1)
        if isinstance(item, list):
            for element in item:
                visit(element, first)  # the module tests list elements with the current name only
            return
        if not isinstance(item, dict) or first not in item:
            return
        value = item[first]
        if remainder:
            visit(value, remainder[0])
        elif isinstance(value, list):
            for element in value:
                if not isinstance(element, (str, list)):
                    kinds.append(_kind(element))
        elif not isinstance(value, str):
            kinds.append(_kind(value))

    visit(record, nested_field)
    return tuple(dict.fromkeys(kinds))


def _kind(value: Any) -> str:
    """The JSON name of a decoded value's type."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if value is None:
        return "null"
    return "object" if isinstance(value, dict) else type(value).__name__
