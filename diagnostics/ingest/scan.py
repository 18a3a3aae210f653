"""The pass's counters, its late-file check and its summary, apart from the commit loop that fills them.

The late-file check answers "which files will the module never read?": keys at or before a scope's marker
with no state row. The module lists only after its marker, so it never says a word about them.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from diagnostics.findings import Finding
from diagnostics.ingest.model import IngestSummary
from diagnostics.ingest.state import IngestState
from diagnostics.layout.classify import ClassifiedKey, KeyScope, SkipReason, Verdict
from diagnostics.layout.listing import ListingError, iter_objects
from diagnostics.layout.prefixes import BucketLayout
from diagnostics.wazuh.state_scope import StateScope

if TYPE_CHECKING:
    from diagnostics.ingest.engine import _Pass, _Stop

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
        return late
    return late


def summarize(run: _Pass, state: IngestState | None, exit_code: int, *, cancelled: bool, limited: bool,
              stop: _Stop | None, extra: tuple[Finding, ...] = ()) -> IngestSummary:
    """The frozen summary of a pass, with the findings that explain how it ended."""
    tally = run.tally
    findings = [*extra, *run.findings]
    if stop is not None and stop.finding not in findings:
        findings.append(stop.finding)
    if stop is not None and stop.key is not None:
        findings.append(run.finding("host.ingest_stopped_on_file", "ingest.exit",
                                    {"key": stop.key, "exit_code": exit_code,
                                     "read_before": max(tally.read - 1, 0)}))
    if tally.would_delete_count:
        findings.append(run.finding("host.remove_from_bucket_not_done", "ingest.remove",
                                    {"bucket": run.bucket, "count": tally.would_delete_count}))
    if tally.never_read_count:
        findings.append(run.finding("host.ingest_never_read", "ingest.never_read",
                                    {"count": tally.never_read_count}, evidence=tuple(tally.never_read[:5])))
    if cancelled:
        findings.append(run.finding("host.ingest_cancelled", "ingest.cancel", {"files_read": tally.read}))
    skipped = dict(tally.skipped)
    if tally.never_read_count:
        skipped[SkipReason.BEFORE_MARKER.value] = skipped.get(SkipReason.BEFORE_MARKER.value, 0) + \
            tally.never_read_count
    return IngestSummary(
        bucket=run.bucket, bucket_type=run.bucket_type, files_found=tally.found, files_read=tally.read,
        files_processed_before=tally.processed_before, files_skipped=skipped, files_failed=tally.failed,
        events=tally.events, events_discarded=tally.discarded, events_oversized=tally.oversized,
        error_events=tally.error_events, bytes_read=tally.bytes_read,
        duration_s=time.monotonic() - run.started, exit_code=exit_code, cancelled=cancelled, limited=limited,
        never_read=tuple(tally.never_read), would_delete=tuple(tally.would_delete),
        state_path=state.path if state is not None else None, findings=tuple(findings),
        details={"debug_level": run.request.debug_level, "workers": run.request.workers,
                 "never_read_count": tally.never_read_count, "would_delete_count": tally.would_delete_count})
