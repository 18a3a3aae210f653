"""What a `<service>` or `<subscriber>` block's next run starts from, per scope, read without any AWS call.

CloudWatch Logs keeps one ``cloudwatch_logs`` row per (loop region, log group, stream) and Inspector one
scan date per (account, region) in ``aws_services.db``; a subscriber keeps nothing, its queue being its
state. Admins asking "why are my events missing or repeated" need, for each scope, what is saved and the
request the next run will make from it, the way ``keys`` shows a bucket's marker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timezone
from typing import TYPE_CHECKING

from diagnostics.aws.prediction import Predictor
from diagnostics.aws.service_access import first_run_start, inspector_window_start, only_logs_after
from diagnostics.aws.service_regions import ServiceRegions, reached_regions, service_regions
from diagnostics.findings import Finding
from diagnostics.wazuh.regions import installed_regions
from diagnostics.wazuh.services_state import (
    StreamProgress,
    cloudwatch_progress,
    inspector_scans,
    milliseconds_text,
)
from diagnostics.wazuh.state_db import StateReader

if TYPE_CHECKING:
    from datetime import datetime

    from diagnostics.context import DoctorContext
    from diagnostics.wazuh.wodle import Block

TIME_FORMAT = "%Y-%m-%d %H:%M:%S UTC"


@dataclass(frozen=True)
class ScopeState:
    """One scope of the state: what the database holds for it and what the next run asks AWS for."""

    scope: str
    """``<loop region> / <log group>`` (CloudWatch Logs) or ``<account> / <region>`` (Inspector)."""
    saved: str
    next_request: str


@dataclass(frozen=True)
class InputState:
    """A service's state per scope, or a subscriber's finding that the queue is its state."""

    block: Block
    database: str
    """The file read (``aws_services.db``), or empty for a subscriber."""
    database_health: str
    """``ok``, ``missing`` (no run yet), ``locked``, ``corrupt``... with SQLite's detail."""
    regions: str
    """The regions the run walks and where that list comes from."""
    scopes: tuple[ScopeState, ...]
    findings: tuple[Finding, ...] = ()


def input_state(context: DoctorContext, block: Block) -> InputState:
    """The state of one service or subscriber block, from aws_services.db opened read-only."""
    if block.kind == "subscriber":
        finding = Predictor(block, context).finding("queue.no_state", check_id="queue.state",
                                                    location=block.line_of("sqs_name"))
        return InputState(block, "", "", "", (), (finding,))
    reader = StateReader(context.services_db_path)
    report = reader.health()
    health = report.health.value + (f" ({report.detail})" if report.detail else "")
    regions = service_regions(block, context.module_home)
    if not report.health.usable:
        finding = Predictor(block, context).finding(
            "service.state_unreadable", check_id="logs.state" if block.block_type == "cloudwatchlogs"
            else "inspector.state", location=block.location, evidence=(report.path,),
            values={"health": report.health.value, "detail": report.detail or "no detail", "state_db": report.path})
        return InputState(block, str(context.services_db_path), health, "", (), (finding,))
    reached = reached_regions(regions, block, installed_regions(context.wazuh_home))
    walked = f"{', '.join(regions.loop_regions)} (from {regions.origin})"
    if reached.loop_regions != regions.loop_regions:
        refused = regions.loop_regions[len(reached.loop_regions)]
        read = ", ".join(reached.loop_regions)
        walked += f"; the run stops at {refused} (exit 22)" + (f", after reading {read}" if read else
                                                               " before reading any region")
        regions = reached
    if regions.overridden:
        walked += f"; every client reads {regions.client_region} (the profile's region wins)"
    if block.block_type == "inspector":
        scopes = _inspector_scopes(block, context, reader, regions)
    else:
        scopes = _cloudwatch_scopes(block, context, reader, regions)
    return InputState(block, str(context.services_db_path), health, walked, scopes)


def _cloudwatch_scopes(block: Block, context: DoctorContext, reader: StateReader,
                       regions: ServiceRegions) -> tuple[ScopeState, ...]:
    """Per loop region and group: the saved streams and each one's next GetLogEvents, else a first run."""
    groups = [part for part in (block.value("aws_log_groups") or "").split(",") if part]
    first = first_run_start(block, context)
    after = only_logs_after(block)
    after_millis = _millis(after) if after is not None else None
    scopes: list[ScopeState] = []
    unsaved: list[str] = []
    for loop_region in regions.loop_regions:
        read = regions.region_read(loop_region)
        where = f" in {read}" + (f" (the loop passes {loop_region})" if read != loop_region else "")
        for group in groups:
            rows = cloudwatch_progress(reader, loop_region, group)
            if not rows:
                unsaved.append(f"{loop_region} / {group}")
                continue
            for row in rows:
                scopes.append(ScopeState(f"{loop_region} / {group} / {row.stream}", _saved_text(row),
                                         _next_stream_request(row, group, where, first, after_millis)))
    if unsaved:
        scope = unsaved[0] if len(unsaved) == 1 else f"{len(unsaved)} scopes: {', '.join(unsaved[:6])}" + (
            ", ..." if len(unsaved) > 6 else "")
        scopes.append(ScopeState(scope, "no row (never read)",
                                 f"DescribeLogStreams on each group, then GetLogEvents on every stream from "
                                 f"{first.strftime(TIME_FORMAT)} (only_logs_after, else today) to now"))
    return tuple(scopes)


def _millis(moment: datetime) -> int:
    """Epoch milliseconds of a naive UTC time (the module's dates carry no zone)."""
    return int(moment.replace(tzinfo=timezone.utc).timestamp() * 1000)


def _saved_text(row: StreamProgress) -> str:
    token = "a saved token" if row.token else "no token"
    return f"events sent from {milliseconds_text(row.start_time)} to {milliseconds_text(row.end_time)}, {token}"


def _next_stream_request(row: StreamProgress, group: str, where: str, first: datetime,
                         after_millis: int | None) -> str:
    """The module's GetLogEvents for a saved stream: the gap before its first event, then after its last."""
    first_millis = after_millis if after_millis is not None else _millis(first)
    parts: list[str] = []
    if row.start_time is not None and row.start_time > first_millis:
        parts.append(f"GetLogEvents from {milliseconds_text(first_millis)} to {milliseconds_text(row.start_time)} "
                     f"(the gap before the first event sent)")
    if row.end_time is not None and (after_millis is None or row.end_time > after_millis):
        token = " with the saved token" if row.token else ""
        parts.append(f"GetLogEvents from {milliseconds_text(row.next_start)}{token} to now")
    else:
        parts.append(f"GetLogEvents from {milliseconds_text(first_millis)} to now (the saved end is not after "
                     f"only_logs_after)" if row.end_time is not None else
                     f"GetLogEvents from {milliseconds_text(first_millis)} to now")
    return f"{'; then '.join(parts)} on {group}{where}"


def _inspector_scopes(block: Block, context: DoctorContext, reader: StateReader,
                      regions: ServiceRegions) -> tuple[ScopeState, ...]:
    """Per region (and account saved): the last scan and the updatedAt window the next ListFindings asks for."""
    scopes: list[ScopeState] = []
    unsaved: list[str] = []
    for loop_region in regions.loop_regions:
        read = regions.region_read(loop_region)
        where = f" in {read}" + (f" (the loop passes {loop_region})" if read != loop_region else "")
        scans = inspector_scans(reader, loop_region)
        if not scans:
            unsaved.append(loop_region)
            continue
        for account, scan in scans:
            start, origin = inspector_window_start(block, context, scan)
            scopes.append(ScopeState(f"{account} / {loop_region}", f"last scan {scan} (UTC)",
                                     f"ListFindings updatedAt from {start.isoformat(sep=' ')} to now{where} "
                                     f"({origin})"))
    if unsaved:
        start, origin = inspector_window_start(block, context, None)
        scope = unsaved[0] if len(unsaved) == 1 else f"{len(unsaved)} regions: {', '.join(unsaved[:6])}" + (
            ", ..." if len(unsaved) > 6 else "")
        scopes.append(ScopeState(scope, "no scan saved",
                                 f"ListFindings updatedAt from {start.isoformat(sep=' ')} to now ({origin})"))
    return tuple(scopes)
