"""What the module's walk yields, in order: a scope started or finished, a key, a note, or the stop.

The types live apart from the walk so readers of its events (the engine, the ordered commit, the findings)
depend on the shapes alone, not on the listing code that produces them.
"""

from __future__ import annotations

from dataclasses import dataclass

from diagnostics.layout.classify import ClassifiedKey, KeyScope
from diagnostics.layout.marker import Marker


@dataclass(frozen=True)
class ScopeStarted:
    """The module starts listing one scope (account/region[/flow log], or the one prefix)."""

    scope: KeyScope
    marker: Marker
    debug_lines: tuple[tuple[int, str], ...] = ()
    """(level, text) lines printed here: ``+++ Working on ...`` and ``+++ Marker: ...``."""


@dataclass(frozen=True)
class ScopeFinished:
    """The scope's listing is exhausted; counts of what it yielded."""

    scope: KeyScope
    read: int
    processed: int
    skipped: int
    requests_made: int
    debug_lines: tuple[tuple[int, str], ...] = ()
    """``+++ No logs to process ...`` lines (printed per empty page, as the module does)."""


@dataclass(frozen=True)
class WalkNote:
    """Something the module prints or decides between scopes (an account with no regions...)."""

    text: str
    debug_lines: tuple[tuple[int, str], ...] = ()
    printed: tuple[str, ...] = ()
    """Lines printed regardless of debug level (deprecation notices)."""


@dataclass(frozen=True)
class WalkStopped:
    """The run would end here: an exit code (with what the script prints) or our cancellation."""

    exit_code: int | None
    reason: str
    script_message: str | None = None
    """The line the script prints, complete with its ``ERROR: ``/``DEBUG: `` prefixes."""
    debug_lines: tuple[tuple[int, str], ...] = ()
    """(level, text) lines the script prints before its error line."""
    catch_all: bool = False
    """True when main()'s generic handler reports it (exit 12 at debug 0, exit 1 above)."""
    debug_only: bool = False
    cancelled: bool = False


WalkEvent = ScopeStarted | ClassifiedKey | ScopeFinished | WalkNote | WalkStopped
