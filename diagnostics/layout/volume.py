"""Objects and bytes per day under the configured prefix, and the run time they imply (failure mode 37).

Each day is counted with its own listing (``<full prefix><date folder>``), so the cost is about one request
per thousand objects per day and the estimate can stop at a request budget. The run time is a projection
from per-object and per-byte costs (assumptions, overridable), compared with the wodle's ``interval``.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from diagnostics.layout.listing import iter_objects
from diagnostics.layout.prefixes import BucketLayout

DEFAULT_INTERVAL_SECONDS = 5
"""The module's code default when ``<interval>`` is absent (``WM_AWS_DEFAULT_INTERVAL`` in wmodules-aws.c)."""
SECONDS_PER_OBJECT = 0.1
"""Assumed fixed cost per file: GetObject round trip, decompression set-up and the DB check."""
BYTES_PER_SECOND = 5_000_000
"""Assumed throughput for download, decompression, parsing and sending events."""
_INTERVAL = re.compile(r"^\s*(\d+)\s*([smhdwM]?)\s*$")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "M": 2592000}


def format_size(count: float) -> str:
    """Bytes in words (``1.5 MB``), for explanations."""
    for unit in ("B", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count:.1f} TB"


def format_duration(seconds: float) -> str:
    """Seconds in words (``45 s``, ``12 min``, ``3.5 h``, ``2.1 days``)."""
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    if seconds < 172800:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


def parse_interval(text: str | None) -> int | None:
    """``<interval>`` in seconds (``10m`` -> 600; ``M`` counted as 30 days); None when unreadable."""
    if text is None:
        return DEFAULT_INTERVAL_SECONDS
    match = _INTERVAL.match(text)
    if match is None:
        return None
    return int(match.group(1)) * _UNIT_SECONDS[match.group(2)]


@dataclass(frozen=True)
class DayVolume:
    """One day folder of one scope."""

    day: date
    prefix: str
    objects: int
    bytes: int
    requests_made: int
    capped: bool = False
    """True when the request budget ran out inside this day (the counts are minimums)."""


@dataclass(frozen=True)
class VolumeEstimate:
    """Counted days, totals, and the projected run times."""

    days: tuple[DayVolume, ...]
    first_day: date
    """First day of the requested range (only_logs_after, the marker's day, or today)."""
    last_day: date
    requests_made: int
    capped: bool
    """True when the request budget (or a cancel) stopped the count: the totals are minimums."""
    seconds_per_object: float = SECONDS_PER_OBJECT
    bytes_per_second: float = BYTES_PER_SECOND
    interval_seconds: int | None = None

    @property
    def objects(self) -> int:
        return sum(day.objects for day in self.days)

    @property
    def bytes(self) -> int:
        return sum(day.bytes for day in self.days)

    @property
    def counted_days(self) -> int:
        """Distinct days counted (a day of several scopes counts once)."""
        return len({day.day for day in self.days})

    @property
    def objects_per_day(self) -> float:
        return self.objects / self.counted_days if self.counted_days else 0.0

    @property
    def bytes_per_day(self) -> float:
        return self.bytes / self.counted_days if self.counted_days else 0.0

    def seconds_for(self, objects: float, size: float) -> float:
        """Projected processing time for a number of files and bytes."""
        return objects * self.seconds_per_object + size / self.bytes_per_second

    @property
    def range_days(self) -> int:
        """Days in the requested range."""
        return (self.last_day - self.first_day).days + 1

    @property
    def extrapolated(self) -> bool:
        """True when fewer days were counted than the range holds (the rest use the daily average)."""
        return self.counted_days < self.range_days

    @property
    def backlog_seconds(self) -> float:
        """Projected duration of a run that reads the whole range (a first run or a catch-up)."""
        return self.seconds_for(self.objects_per_day * self.range_days, self.bytes_per_day * self.range_days)

    @property
    def steady_run_seconds(self) -> float | None:
        """Projected duration of one run once caught up: one interval's worth of a day's volume."""
        if not self.interval_seconds:
            return None
        share = min(1.0, self.interval_seconds / 86400)
        return self.seconds_for(self.objects_per_day * share, self.bytes_per_day * share)

    @property
    def overtakes_interval(self) -> bool:
        """True when even a caught-up run would last longer than the interval (``Interval overtaken.``)."""
        steady = self.steady_run_seconds
        return steady is not None and self.interval_seconds is not None and steady > self.interval_seconds


def estimate_volume(client: Any, layout: BucketLayout, first_day: date, last_day: date, *,
                    scopes: Sequence[tuple[str | None, str | None]] = ((None, None),),
                    interval_seconds: int | None = None, max_requests: int = 60, max_days: int = 31,
                    seconds_per_object: float = SECONDS_PER_OBJECT,
                    bytes_per_second: float = BYTES_PER_SECOND,
                    cancel: threading.Event | None = None) -> VolumeEstimate:
    """Count each day from ``last_day`` back to ``first_day`` (at most ``max_days``) for every scope.

    ``scopes`` are (account, region) pairs for the AWSLogs types; the flat types use the default single
    scope. Newest days are counted first, so a capped estimate still reflects the current volume.
    """
    days: list[DayVolume] = []
    requests = 0
    capped = False
    day = last_day
    counted = 0
    first_day = min(first_day, last_day)
    while day >= first_day and counted < max_days and not capped:
        for account, region in scopes:
            if cancel is not None and cancel.is_set():
                capped = True
                break
            prefix = layout.day_prefix(day, account, region)
            objects = size = pages = 0
            budget = max_requests - requests
            if budget <= 0:
                capped = True
                break
            for listed, page in iter_objects(client, layout.bucket, prefix, max_pages=budget, cancel=cancel):
                objects += 1
                size += listed.size
                pages = page
            pages = max(pages, 1)
            requests += pages
            day_capped = pages >= budget and objects >= pages * 1000
            capped = capped or day_capped
            days.append(DayVolume(day, prefix, objects, size, pages, day_capped))
        counted += 1
        day -= timedelta(days=1)
    return VolumeEstimate(tuple(days), first_day, last_day, requests, capped, seconds_per_object,
                          bytes_per_second, interval_seconds)


def estimate_values(estimate: VolumeEstimate) -> dict[str, Any]:
    """The estimate as the explanation table's placeholders (sizes and durations in words)."""
    steady = estimate.steady_run_seconds
    return {
        "per_day": f"{estimate.objects_per_day:.1f}" if estimate.objects_per_day < 10 else
                   f"{estimate.objects_per_day:.0f}",
        "bytes_per_day": format_size(estimate.bytes_per_day),
        "days": estimate.counted_days,
        "requests": estimate.requests_made,
        "capped": " (stopped at the request budget: minimums)" if estimate.capped else "",
        "range_days": estimate.range_days,
        "backlog": format_duration(estimate.backlog_seconds),
        "interval": format_duration(estimate.interval_seconds) if estimate.interval_seconds else "(unknown)",
        "steady": format_duration(steady) if steady is not None else "unknown",
        "seconds_per_object": estimate.seconds_per_object,
        "throughput": format_size(estimate.bytes_per_second),
    }
