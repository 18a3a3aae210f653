"""The ingestion pass's request, progress and summary: the values the CLI and the app exchange with it."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from diagnostics.context import DoctorContext
from diagnostics.findings import Finding
from diagnostics.layout.classify import skip_words
from diagnostics.wazuh.wodle import Block, Wodle

DEFAULT_WORKERS = 8
"""Read-ahead downloads in flight: enough to hide S3 latency (bench: with 20 ms per request, 8 read 2,000
CloudTrail objects in 17.7 s where 4 took 22.9 s), few enough to keep memory bounded (2 MB more than 4)."""


@dataclass(frozen=True)
class IngestRequest:
    """One bucket block to walk as the module would, and how (debug level, state, limits)."""

    context: DoctorContext
    block: Block
    client: Any
    """The S3 client, built by ``make_client`` with the module's credentials (see diagnostics.aws)."""
    wodle: Wodle | None = None
    """The enclosing wodle: ``skip_on_error`` is a wodle-level option passed to every run."""
    debug_level: int = 2
    """The script's ``--debug N`` (0-3): which of the module's lines the pass logs."""
    state_dir: Path | None = None
    """Where our own state database lives (default: the user's cache, never Wazuh's folder)."""
    reset: bool = False
    """Forget our state and start over (the first run's view: from only_logs_after or today)."""
    from_wazuh_state: bool = False
    """Start from a read-only copy of the module's own state database (where the module stands now)."""
    limit: int | None = None
    """Stop after reading this many files (the rest is left for the next pass)."""
    workers: int = DEFAULT_WORKERS
    """Download-and-decode read-ahead; 1 reads strictly one file at a time."""
    continue_after_failure: bool = False
    """Keep walking after a file the module would stop at (to see everything wrong in one pass); the
    reported exit code is still the module's, at the first failure."""
    caller_account: str | None = None
    """``sts:GetCallerIdentity`` account of the base credentials: the custom family's state key."""
    flow_logs: Any = None
    """For vpcflow: region -> flow-log ids ``DescribeFlowLogs`` returns (a mapping or a callable, e.g.
    ``engine.flow_logs_via_ec2``); the module reads only those ids. Required for vpcflow."""
    may_delete: str | None = None
    """With remove_from_bucket: ``allowed``, ``denied`` or ``unknown`` (found without deleting); when denied the
    pass stops after the first file's events with exit 1, as the module's refused DeleteObject does."""
    delete_resource: str = ""
    """The ARN pattern the delete verdict is about (for the explanation)."""
    logger: logging.Logger | None = None
    """Where the module-words log goes (default ``wazuh_aws_doctor.ingest``)."""


@dataclass(frozen=True)
class IngestProgress:
    """A snapshot of the running pass, sent after each file and at scope changes (coalescable)."""

    bucket: str
    phase: str
    """``started``, ``scope``, ``file``, ``skipped``, ``finished``."""
    key: str | None
    scope: str | None
    """``<account>/<region>`` or the bucket path being walked."""
    files_found: int
    files_read: int
    files_skipped: int
    files_failed: int
    events: int
    bytes_read: int
    elapsed_s: float

    @property
    def events_per_second(self) -> float:
        """Throughput so far."""
        return self.events / self.elapsed_s if self.elapsed_s > 0 else 0.0


@dataclass(frozen=True)
class IngestSummary:
    """What one pass did and what the module would have returned for the same walk."""

    bucket: str
    bucket_type: str
    files_found: int
    """Keys the walk considered (read, already processed, or skipped)."""
    files_read: int
    files_processed_before: int
    """Keys skipped because the state already holds them (``Skipping previously processed file``)."""
    files_skipped: Mapping[str, int]
    """Keys never read, by reason (``other_prefix``, ``before_marker``, ``folder``...)."""
    files_failed: int
    events: int
    """Events emitted to the sink (sent, in the module's terms)."""
    events_discarded: int
    events_oversized: int
    error_events: int
    """``error_msg`` events sent for failed files (skip_on_error)."""
    bytes_read: int
    duration_s: float
    exit_code: int
    """The exit code the module would have returned for this walk (0 when it completes)."""
    cancelled: bool
    limited: bool
    """True when ``limit`` stopped the pass before the walk ended."""
    never_read: tuple[str, ...]
    """Keys below the marker with no state row (late arrivals): the module will never read them."""
    would_delete: tuple[str, ...]
    """Files the module would have deleted (remove_from_bucket); the doctor deleted none."""
    state_path: Path | None
    findings: tuple[Finding, ...] = ()
    details: Mapping[str, Any] = field(default_factory=dict)

    @property
    def events_per_second(self) -> float:
        """Throughput of the pass."""
        return self.events / self.duration_s if self.duration_s > 0 else 0.0

    @property
    def files_skipped_total(self) -> int:
        """All keys never read."""
        return sum(self.files_skipped.values())

    def closing_lines(self) -> tuple[str, ...]:
        """The pass's closing summary in words, the same in the CLI and the app: files, events, the module's
        exit code for this walk (the third line), and what the module never reads or would delete."""
        skipped = ", ".join(f"{count} {skip_words(reason)}" for reason, count in self.files_skipped.items()) \
            or "none"
        outcome = f"The module would exit with code {self.exit_code} for this walk"
        if self.cancelled:
            outcome += " (cancelled; the next pass resumes where this one stopped)"
        if self.limited:
            outcome += " (stopped by the file limit)"
        lines = [
            f"bucket {self.bucket} ({self.bucket_type}): {self.files_found} files found, {self.files_read} read, "
            f"{self.files_processed_before} already processed, {self.files_skipped_total} skipped ({skipped}), "
            f"{self.files_failed} failed",
            f"{self.events} events ({self.events_discarded} discarded, {self.events_oversized} oversized, "
            f"{self.error_events} error events), {self.bytes_read} bytes in {self.duration_s:.2f} s "
            f"({self.events_per_second:,.0f} events/s)",
            outcome + ".",
        ]
        if self.never_read:
            lines.append(f"{len(self.never_read)} files below the marker will never be read by the module, "
                         f"e.g. {self.never_read[0]}")
        if self.would_delete:
            lines.append(f"remove_from_bucket is set: the module would delete {len(self.would_delete)} files; "
                         "the doctor deleted none")
        if self.state_path:
            lines.append(f"our state: {self.state_path}")
        return tuple(lines)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for ``--format json``."""
        return {
            "bucket": self.bucket, "bucket_type": self.bucket_type, "files_found": self.files_found,
            "files_read": self.files_read, "files_processed_before": self.files_processed_before,
            "files_skipped": dict(self.files_skipped), "files_failed": self.files_failed,
            "events": self.events, "events_discarded": self.events_discarded,
            "events_oversized": self.events_oversized, "error_events": self.error_events,
            "bytes_read": self.bytes_read, "duration_s": round(self.duration_s, 3),
            "events_per_second": round(self.events_per_second, 1), "exit_code": self.exit_code,
            "cancelled": self.cancelled, "limited": self.limited, "never_read": list(self.never_read),
            "would_delete": list(self.would_delete),
            "state_path": str(self.state_path) if self.state_path else None,
            "findings": [finding.to_dict() for finding in self.findings], "details": dict(self.details),
        }
