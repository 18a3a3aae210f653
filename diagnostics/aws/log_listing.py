"""What CloudWatch Logs and Inspector hold, one level at a time, for browsing: read-only, bounded pages.

The module lists a group's streams with DescribeLogStreams, following ``nextToken`` until none is left,
and reads events with GetLogEvents from the head; the listings here make the same calls so a group the
module cannot read fails the same way, but each level is bounded because an admin browses a page, not a
whole account. Inspector findings come from ListFindings, newest first. Only Describe*/Get*/List* calls.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from diagnostics.aws.access_probes import CallOutcome, call

STREAM_PAGES = 20
"""DescribeLogStreams pages read per group (50 streams each): the module reads them all, a browser a screenful."""
EVENTS_PAGE = 50
"""Events per GetLogEvents page shown at once; "more…" asks for the next page with the forward token."""
FINDINGS_PAGE = 25
"""Findings per ListFindings page shown at once (the API allows 1 to 100)."""


@dataclass(frozen=True)
class GroupProbe:
    """One configured log group: the module's DescribeLogStreams answered (it exists) or how it failed."""

    group: str
    outcome: CallOutcome
    stored_bytes: int | None = None
    """From DescribeLogGroups when it lists the group; None when unknown."""

    @property
    def exists(self) -> bool:
        """True when DescribeLogStreams answered for the group, as the module's first call does."""
        return self.outcome.ok


@dataclass(frozen=True)
class StreamInfo:
    """One stream as DescribeLogStreams lists it (times in epoch milliseconds)."""

    name: str
    last_event: int | None
    stored_bytes: int | None
    first_event: int | None = None


@dataclass(frozen=True)
class StreamsPage:
    """A group's streams as far as they were read, and the failure that stopped the listing, if any."""

    streams: tuple[StreamInfo, ...]
    failure: CallOutcome | None = None
    more: bool = False
    """True when more streams exist beyond the pages read."""


@dataclass(frozen=True)
class RawEvent:
    """One log event: its timestamp (epoch milliseconds) and message, exactly as GetLogEvents returned it."""

    timestamp: int
    message: str


@dataclass(frozen=True)
class EventsPage:
    """One GetLogEvents page from the head, and the token for the next (None at the stream's end)."""

    events: tuple[RawEvent, ...]
    next_token: str | None
    failure: CallOutcome | None = None


@dataclass(frozen=True)
class FindingsPage:
    """One ListFindings page as botocore parsed it (newest first), and the token of the next page."""

    findings: tuple[dict[str, Any], ...]
    next_token: str | None
    failure: CallOutcome | None = None


def probe_group(logs: Any, group: str) -> GroupProbe:
    """Whether the module's DescribeLogStreams answers for ``group``, and its stored bytes when listed."""
    outcome = call(logs, "describe_log_streams", logGroupName=group, limit=1)
    stored: int | None = None
    if outcome.ok and group.strip():
        groups = call(logs, "describe_log_groups", logGroupNamePrefix=group, limit=5)
        for item in (groups.response or {}).get("logGroups", []):
            if item.get("logGroupName") == group and item.get("storedBytes") is not None:
                stored = int(item["storedBytes"])
    return GroupProbe(group, outcome, stored)


def list_streams(logs: Any, group: str, *, cancel: threading.Event | None = None) -> StreamsPage:
    """A group's streams in the module's order (by name), following ``nextToken`` up to ``STREAM_PAGES`` pages."""
    streams: list[StreamInfo] = []
    arguments: dict[str, Any] = {"logGroupName": group}
    for _page in range(STREAM_PAGES):
        if cancel is not None and cancel.is_set():
            return StreamsPage(tuple(streams), more=True)
        outcome = call(logs, "describe_log_streams", **arguments)
        if not outcome.ok or outcome.response is None:
            return StreamsPage(tuple(streams), outcome)
        streams.extend(_stream(item) for item in outcome.response.get("logStreams", []))
        token = outcome.response.get("nextToken")
        if not token:
            return StreamsPage(tuple(streams))
        arguments["nextToken"] = token
    return StreamsPage(tuple(streams), more=True)


def _stream(item: dict[str, Any]) -> StreamInfo:
    def number(name: str) -> int | None:
        value = item.get(name)
        return int(value) if value is not None else None

    return StreamInfo(str(item.get("logStreamName", "")), number("lastEventTimestamp"), number("storedBytes"),
                      number("firstEventTimestamp"))


def read_events(logs: Any, group: str, stream: str, token: str | None = None) -> EventsPage:
    """One page of a stream's events from the head (or from ``token``), as the module pages GetLogEvents."""
    arguments: dict[str, Any] = {"logGroupName": group, "logStreamName": stream, "startFromHead": True,
                                 "limit": EVENTS_PAGE}
    if token is not None:
        arguments["nextToken"] = token
    outcome = call(logs, "get_log_events", **arguments)
    if not outcome.ok or outcome.response is None:
        return EventsPage((), None, outcome)
    events = tuple(RawEvent(int(event.get("timestamp", 0)), str(event.get("message", "")))
                   for event in outcome.response.get("events", []))
    forward = outcome.response.get("nextForwardToken")
    # CloudWatch answers the token it was given once the stream has no more events: that is the end.
    next_token = str(forward) if events and forward and forward != token else None
    return EventsPage(events, next_token)


def list_findings(inspector: Any, token: str | None = None) -> FindingsPage:
    """One page of findings, newest first (by last observation, then ``updatedAt`` within the page)."""
    arguments: dict[str, Any] = {"maxResults": FINDINGS_PAGE,
                                 "sortCriteria": {"field": "LAST_OBSERVED_AT", "sortOrder": "DESC"}}
    if token is not None:
        arguments["nextToken"] = token
    outcome = call(inspector, "list_findings", **arguments)
    if not outcome.ok or outcome.response is None:
        return FindingsPage((), None, outcome)
    findings = sorted(outcome.response.get("findings", []), key=_updated, reverse=True)
    next_token = outcome.response.get("nextToken")
    return FindingsPage(tuple(findings), str(next_token) if next_token else None)


def _updated(finding: dict[str, Any]) -> datetime:
    value = finding.get("updatedAt")
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)
    return datetime.min.replace(tzinfo=timezone.utc)
