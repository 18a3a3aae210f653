"""The pass's counters and its late-file check, apart from the commit loop that fills them.

The late-file check answers "which files will the module never read?": keys at or before a scope's marker
with no state row. The module lists only after its marker, so it never says a word about them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from diagnostics.ingest.state import IngestState
from diagnostics.layout.classify import ClassifiedKey, KeyScope, SkipReason, Verdict
from diagnostics.layout.listing import ListingError, iter_objects
from diagnostics.layout.prefixes import BucketLayout
from diagnostics.wazuh.state_scope import StateScope

MAX_LISTED_KEYS = 1000
"""Keys kept in summary lists (never read, would delete); the counts stay exact."""


@dataclass
class Tally:
    """Running counters of one pass (mutated only by the commit loop, in key order)."""

    found: int = 0
    read: int = 0
    processed_before: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    failed: int = 0
    events: int = 0
    discarded: int = 0
    oversized: int = 0
    error_events: int = 0
    bytes_read: int = 0
    never_read: list[str] = field(default_factory=list)
    never_read_count: int = 0
    would_delete: list[str] = field(default_factory=list)
    would_delete_count: int = 0

    @property
    def skipped_total(self) -> int:
        """Keys the walk listed but the module never reads."""
        return sum(self.skipped.values())

    def count_key(self, classified: ClassifiedKey) -> None:
        """One key of the walk, by verdict."""
        self.found += 1
        if classified.verdict is Verdict.PROCESSED:
            self.processed_before += 1
        elif classified.verdict is Verdict.SKIPPED:
            reason = classified.reason.value if classified.reason else "skipped"
            self.skipped[reason] = self.skipped.get(reason, 0) + 1

    def add_never_read(self, keys: list[str]) -> None:
        self.never_read_count += len(keys)
        self.never_read.extend(keys[:max(0, MAX_LISTED_KEYS - len(self.never_read))])

    def skipped_with_never_read(self) -> dict[str, int]:
        """Skipped keys by reason, the late files counted as before the marker (the module never lists them)."""
        skipped = dict(self.skipped)
        if self.never_read_count:
            reason = SkipReason.BEFORE_MARKER.value
            skipped[reason] = skipped.get(reason, 0) + self.never_read_count
        return skipped

    def add_would_delete(self, key: str) -> None:
        self.would_delete_count += 1
        if len(self.would_delete) < MAX_LISTED_KEYS:
            self.would_delete.append(key)


def late_files(client: Any, layout: BucketLayout, scope: KeyScope, marker: str, state: IngestState,
               mark_scope: StateScope, check_scope: StateScope, cancel: threading.Event) -> list[str]:
    """Keys between the scope's oldest kept state row and its marker that have no row: never read.

    Older keys are not judged (the module prunes rows past 500 per scope, so their absence means nothing),
    and a scope with no rows yet has nothing to compare with (its first run starts at the marker on purpose).
    """
    kept = state.keys(mark_scope)
    if not kept:
        return []
    pattern = layout.date_position_pattern
    late: list[str] = []
    try:
        listing = iter_objects(client, layout.bucket, scope.prefix, start_after=kept[0], cancel=cancel)
        for listed, _page in listing:
            key = listed.key
            if key > marker:
                break
            if not key or key.endswith("/"):
                continue
            if scope.flow_log_id is not None and scope.flow_log_id not in key:
                continue
            if pattern is not None:
                match = pattern.search(key)
                if match is None or match.start() != len(scope.prefix):
                    continue
            if not state.already_processed(check_scope, key):
                late.append(key)
    except ListingError:
        # The late-file count is our own addition (the module never lists behind its marker), so a failed
        # listing only makes it a lower bound; the walk's own listing reports any failure the module meets.
        return late
    return late
