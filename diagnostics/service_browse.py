"""A CloudWatch Logs or Inspector block browsed level by level: what AWS holds, and what the next run does with it.

Each function is one level of the app's Browse tree (regions, log groups, streams, events; or findings per
region), so a face's worker makes one call per expansion. Every level is read through the client region
the module really uses, and marked with the module's view: a missing group ends its run (exit 16), a
stream's saved progress says where the next run asks from, an event or finding carries the exact datagram
the module would send (or why it drops it), and a finding updated before the window is never sent.
Read-only: Describe*/Get*/List* calls, and Wazuh's ``aws_services.db`` opened read-only.
"""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from diagnostics.aws.clients import make_client
from diagnostics.aws.log_listing import list_findings, list_streams, probe_group, read_events
from diagnostics.aws.prediction import FindingChain, Predictor
from diagnostics.aws.service_regions import ServiceRegions, service_regions
from diagnostics.ingest.cloudwatch_events import CloudWatchEvent, discard_reason, stream_ranges
from diagnostics.ingest.inspector_events import (
    InspectorEvent,
    InspectorWindow,
    discard_rule,
    inspector_message,
    inspector_windows,
)
from diagnostics.input_session import InputSession, open_input
from diagnostics.wazuh.regions import INSPECTOR_REGIONS
from diagnostics.wazuh.services_state import StreamProgress, cloudwatch_progress
from diagnostics.wazuh.state_db import StateReader

if TYPE_CHECKING:
    from diagnostics.aws.access_probes import CallOutcome
    from diagnostics.aws.log_listing import GroupProbe, StreamInfo
    from diagnostics.context import DoctorContext
    from diagnostics.findings import Finding
    from diagnostics.wazuh.wodle import Block, Wodle

NOT_FOUND = "ResourceNotFoundException"


@dataclass(frozen=True)
class ServiceBrowse:
    """A service block opened for browsing: its session, the regions its run walks and Inspector's windows."""

    session: InputSession
    regions: ServiceRegions
    windows: tuple[InspectorWindow, ...] = ()

    @property
    def block(self) -> Block:
        """The `<service>` block being browsed."""
        return self.session.block

    def unsupported(self, loop_region: str) -> bool:
        """True for an Inspector loop region the module refuses (its run stops there with exit 22)."""
        return self.block.block_type == "inspector" and loop_region not in INSPECTOR_REGIONS


@dataclass(frozen=True)
class GroupEntry:
    """A configured log group under one loop region: whether the module's call answers, and its finding."""

    loop_region: str
    region_read: str
    probe: GroupProbe
    finding: Finding | None = None
    """Why the module cannot read it (its exit and ossec.log lines), when it cannot."""

    @property
    def state(self) -> str:
        """``exists``, ``missing`` or ``unreadable``: the word the tree shows beside the group."""
        if self.probe.exists:
            return "exists"
        return "missing" if self.probe.outcome.code == NOT_FOUND else "unreadable"


@dataclass(frozen=True)
class StreamEntry:
    """A stream as listed, its row in aws_services.db, and the (start, end) ranges the next run asks for."""

    info: StreamInfo
    progress: StreamProgress | None
    asks: tuple[tuple[int, int | None], ...]


@dataclass(frozen=True)
class StreamsListing:
    """A group's streams under one loop region, or the finding its listing failed with."""

    loop_region: str
    group: str
    streams: tuple[StreamEntry, ...]
    failure: Finding | None = None
    more: bool = False


@dataclass(frozen=True)
class EventEntry:
    """One log event with the module's view: sent or dropped (its datagram), and inside the next run's ranges."""

    event: CloudWatchEvent
    next_run: bool
    """True when the next run asks for this event's time (it has not been sent yet)."""


@dataclass(frozen=True)
class EventsListing:
    """One page of a stream's events, the token for the next page, or the finding its read failed with."""

    events: tuple[EventEntry, ...]
    next_token: str | None
    failure: Finding | None = None


@dataclass(frozen=True)
class FindingEntry:
    """One Inspector finding with its datagram (or why it is dropped) and whether the next run's window has it."""

    event: InspectorEvent
    updated_at: datetime | None
    """``updatedAt`` in UTC (naive), the field the module's window filters on."""
    in_window: bool


@dataclass(frozen=True)
class FindingsListing:
    """One page of a region's findings, newest first, the window they are judged by, and any failure."""

    loop_region: str
    window: InspectorWindow | None
    findings: tuple[FindingEntry, ...]
    next_token: str | None
    failure: Finding | None = None


def open_service_browse(context: DoctorContext, block: Block, wodle: Wodle | None = None) -> ServiceBrowse:
    """Open the block as the module would and read the regions its run walks (and Inspector's windows)."""
    session = open_input(context, block, wodle)
    regions = service_regions(block, context.module_home)
    windows = (tuple(inspector_windows(block, context, session.account_id))
               if block.block_type == "inspector" else ())
    return ServiceBrowse(session, regions, windows)


def _client(browse: ServiceBrowse, service: str, loop_region: str) -> Any:
    session = browse.session
    if session.aws_session is None or session.settings is None:
        return None
    region = browse.regions.region_read(loop_region)
    return make_client(session.aws_session, service, dataclasses.replace(session.settings, region=region))


def _chain(browse: ServiceBrowse) -> FindingChain:
    principal = browse.session.account_id or "the module's credentials"
    return FindingChain(Predictor(browse.block, browse.session.context),
                        {"principal": principal, "location": browse.block.line_of("aws_log_groups")})


def browse_groups(browse: ServiceBrowse, loop_region: str, *, cancel: threading.Event | None = None
                  ) -> tuple[GroupEntry, ...]:
    """Each configured log group under a loop region, marked exists/missing with the module's failure."""
    logs = _client(browse, "logs", loop_region)
    if logs is None:
        return ()
    region = browse.regions.region_read(loop_region)
    entries = []
    for group in [part for part in (browse.block.value("aws_log_groups") or "").split(",") if part]:
        if cancel is not None and cancel.is_set():
            break
        probe = probe_group(logs, group)
        failure = None if probe.exists else _group_failure(browse, group, probe.outcome, region)
        entries.append(GroupEntry(loop_region, region, probe, failure))
    return tuple(entries)


def _group_failure(browse: ServiceBrowse, group: str, outcome: CallOutcome, region: str) -> Finding:
    """The module's failure for a group's DescribeLogStreams: exit 16, or an unreachable endpoint it prints."""
    chain = _chain(browse)
    evidence = (f"DescribeLogStreams logGroupName='{group}' in {region}",)
    if outcome.kind in ("unreachable", "transport"):
        return chain.record("logs.group_unreachable", "logs.browse", outcome, evidence=evidence, region=region,
                            group=group)
    if outcome.code != NOT_FOUND:
        hint = f"Allow logs:DescribeLogStreams and logs:GetLogEvents on {group} in {region}."
    elif group != group.strip():
        hint = f"Remove the spaces around '{group}' in <aws_log_groups>: the module keeps them in the name."
    else:
        hint = f"Create the group in {region} or fix its name or the region."
    return chain.record("logs.group_failed", "logs.browse", outcome, evidence=evidence, region=region,
                        group=group, fix_hint=hint)


def _asks(browse: ServiceBrowse, progress: StreamProgress | None) -> tuple[tuple[int, int | None], ...]:
    return tuple((start, end) for _token, start, end in
                 stream_ranges(progress, browse.block, browse.session.context))


def browse_streams(browse: ServiceBrowse, loop_region: str, group: str, *,
                   cancel: threading.Event | None = None) -> StreamsListing:
    """A group's streams, each with its saved row (keyed by the loop region) and where the next run reads."""
    logs = _client(browse, "logs", loop_region)
    if logs is None:
        return StreamsListing(loop_region, group, ())
    page = list_streams(logs, group, cancel=cancel)
    rows = {row.stream: row for row in cloudwatch_progress(
        StateReader(browse.session.context.services_db_path), loop_region, group)}
    streams = tuple(StreamEntry(info, rows.get(info.name), _asks(browse, rows.get(info.name)))
                    for info in page.streams)
    failure = None
    if page.failure is not None:
        failure = _group_failure(browse, group, page.failure, browse.regions.region_read(loop_region))
    return StreamsListing(loop_region, group, streams, failure, page.more)


def browse_events(browse: ServiceBrowse, loop_region: str, group: str, stream: str, token: str | None = None, *,
                  cancel: threading.Event | None = None) -> EventsListing:
    """One page of a stream's events from the head, each with its datagram and the next run's verdict."""
    logs = _client(browse, "logs", loop_region)
    if logs is None or (cancel is not None and cancel.is_set()):
        return EventsListing((), None)
    page = read_events(logs, group, stream, token)
    region = browse.regions.region_read(loop_region)
    if page.failure is not None:
        return EventsListing((), None, _events_failure(browse, page.failure, region, group, stream))
    rows = {row.stream: row for row in cloudwatch_progress(
        StateReader(browse.session.context.services_db_path), loop_region, group)}
    asks = _asks(browse, rows.get(stream))
    block = browse.block
    regex = (block.discard_regex.value or None) if block.discard_regex else None
    field = block.discard_regex.attributes.get("field") if block.discard_regex and regex else None
    entries = tuple(
        EventEntry(CloudWatchEvent(loop_region, region, group, stream, raw.timestamp, raw.message,
                                   discard_reason(raw.message, regex, field)),
                   any(start <= raw.timestamp and (end is None or raw.timestamp < end) for start, end in asks))
        for raw in page.events)
    return EventsListing(entries, page.next_token)


def _events_failure(browse: ServiceBrowse, outcome: CallOutcome, region: str, group: str, stream: str) -> Finding:
    return _chain(browse).record("logs.events_denied", "logs.browse", outcome, region=region, group=group,
                                 stream=stream)


def browse_findings(browse: ServiceBrowse, loop_region: str, token: str | None = None, *,
                    cancel: threading.Event | None = None) -> FindingsListing:
    """One page of a region's findings, newest first, each marked inside or before the next run's window."""
    window = next((item for item in browse.windows if item.loop_region == loop_region), None)
    if browse.unsupported(loop_region):
        refused = Predictor(browse.block, browse.session.context).finding(
            "config.inspector_region", check_id="inspector.browse",
            values={"value": loop_region, "loop_note": _loop_note(browse, loop_region)},
            location=browse.block.line_of("regions"))
        return FindingsListing(loop_region, window, (), None, refused)
    client = _client(browse, "inspector2", loop_region)
    if client is None or (cancel is not None and cancel.is_set()):
        return FindingsListing(loop_region, window, (), None)
    page = list_findings(client, token)
    region = browse.regions.region_read(loop_region)
    if page.failure is not None:
        failure = _chain(browse).record("inspector.findings_failed", "inspector.browse", page.failure, region=region)
        return FindingsListing(loop_region, window, (), None, failure)
    rule = discard_rule(browse.block)
    entries = []
    for record in page.findings:
        updated = _utc(record.get("updatedAt"))
        # The next run's window ends when it runs, later than this listing: only its start can leave one out.
        inside = window is not None and updated is not None and window.start <= updated
        summary = f"{record.get('severity', '')} {record.get('title', '')}".strip()
        event = InspectorEvent(loop_region, region, str(record.get("findingArn", "")), inspector_message(record),
                               rule.describe() if rule.matches(record) else None, summary)
        entries.append(FindingEntry(event, updated, inside))
    return FindingsListing(loop_region, window, tuple(entries), page.next_token)


def _loop_note(browse: ServiceBrowse, loop_region: str) -> str:
    """Which regions the run reads before it stops at ``loop_region`` (the loop checks each when it gets there)."""
    before = list(browse.regions.loop_regions[:browse.regions.loop_regions.index(loop_region)])
    refused = [region for region in before if browse.unsupported(region)]
    if refused:
        return f" The run already stops at {refused[0]}, so it never reaches this region."
    if not before:
        return " It is the first region of the sorted loop, so the run reads nothing."
    return (f" The loop reaches it after {', '.join(before)}, which {'is' if len(before) == 1 else 'are'} read on "
            "every run before the run stops here.")


def _utc(value: object) -> datetime | None:
    """A parsed timestamp as naive UTC, the form the windows use."""
    if not isinstance(value, datetime):
        return None
    if value.tzinfo is None:
        return value
    return value.astimezone(timezone.utc).replace(tzinfo=None)
