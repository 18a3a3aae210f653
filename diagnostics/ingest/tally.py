"""The running counters of one ingestion pass, filled by the commit loop in key order and read by its summary."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from diagnostics.findings import Finding
from diagnostics.layout.classify import ClassifiedKey, Verdict

MAX_LISTED_KEYS = 1000
"""Keys kept in summary lists (never read, would delete); the counts stay exact."""

PASSED_OVER_COUNTED = 100_000
"""Keys per scope the pass lists at or before the module's marker to count them as skipped (a bound on the
extra listing; the walk logs a note when a scope has more)."""


@dataclass
class Tally:
    """Running counters of one pass (mutated only by the commit loop, in key order)."""

    found: int = 0
    read: int = 0
    processed_before: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    failed: int = 0
    events: int = 0
    """Datagrams sent, error_msg events included (``error_events`` is their share, not an addition)."""
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
        """One key of the walk, by verdict; a key the module passes over (never listed) counts only as skipped,
        by the same reason ``keys --wodle-view`` shows for it, so both give the same numbers for one walk."""
        if classified.passed_over:
            if classified.verdict is Verdict.SKIPPED:
                self.count_skipped(classified)
            return
        self.found += 1
        if classified.verdict is Verdict.PROCESSED:
            self.processed_before += 1
        elif classified.verdict is Verdict.SKIPPED:
            self.count_skipped(classified)

    def count_skipped(self, classified: ClassifiedKey) -> None:
        reason = classified.reason.value if classified.reason else "skipped"
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    def add_never_read(self, keys: list[str]) -> None:
        self.never_read_count += len(keys)
        self.never_read.extend(keys[:max(0, MAX_LISTED_KEYS - len(self.never_read))])

    def add_would_delete(self, key: str) -> None:
        self.would_delete_count += 1
        if len(self.would_delete) < MAX_LISTED_KEYS:
            self.would_delete.append(key)

    def closing_findings(self, build: Callable[..., Finding], bucket: str, *, stopped_on: str | None,
                         exit_code: int, cancelled: bool) -> list[Finding]:
        """What the counts say at the end: the file the run stopped on, deletes not done, files never read,
        a cancelled pass (``build`` is the pass's finding builder)."""
        findings = []
        if stopped_on is not None:
            findings.append(build("host.ingest_stopped_on_file", "ingest.exit",
                                  {"key": stopped_on, "exit_code": exit_code, "read_before": max(self.read - 1, 0)}))
        if self.would_delete_count:
            findings.append(build("host.remove_from_bucket_not_done", "ingest.remove",
                                  {"bucket": bucket, "count": self.would_delete_count}))
        if self.never_read_count:
            findings.append(build("host.ingest_never_read", "ingest.never_read", {"count": self.never_read_count},
                                  evidence=tuple(self.never_read[:5])))
        if cancelled:
            findings.append(build("host.ingest_cancelled", "ingest.cancel", {"files_read": self.read}))
        return findings
