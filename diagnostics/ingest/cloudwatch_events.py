"""What the module's next CloudWatch Logs run sends, read-only: every datagram, and every message it drops.

The walk follows the module: regions in its order, each read through the client region that really
applies; per group every stream; per stream the saved progress under the loop's region (including the gap
before a saved start when ``only_logs_after`` is earlier); then GetLogEvents from the head until a page
comes back empty. Messages are filtered the module's way, which includes its habit of compiling an unset
``discard_regex`` to the literal pattern ``None``: a plain-text message starting with "None" is dropped.
Saved progress is keyed by the loop's region, so a region read under two loop regions is sent twice, as the
module does; nothing is written to AWS or to Wazuh's database.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from diagnostics.aws.access_probes import call
from diagnostics.aws.clients import ClientSettings, make_client
from diagnostics.aws.service_regions import service_regions
from diagnostics.decode.discard import compile_rule
from diagnostics.wazuh.services_state import StreamProgress, cloudwatch_progress
from diagnostics.wazuh.state_db import StateReader

if TYPE_CHECKING:
    import boto3

    from diagnostics.context import DoctorContext
    from diagnostics.wazuh.wodle import Block

DATAGRAM_HEADER = "1:Wazuh-AWS:"
MAX_PAGES_PER_STREAM = 10_000
"""A bound on GetLogEvents pages per stream range, so a hostile or endless stream cannot hold the pass."""


@dataclass(frozen=True)
class CloudWatchEvent:
    """One log event as the next run meets it: where it came from, and sent or dropped (and why)."""

    loop_region: str
    region_read: str
    group: str
    stream: str
    timestamp: int
    message: str
    dropped_by: str | None = None
    """Why the module skips it (the regex and what it matched), or None when it is sent."""

    @property
    def datagram(self) -> str:
        """What the module writes to the queue socket for it: the raw message after the header."""
        return DATAGRAM_HEADER + self.message


@dataclass(frozen=True)
class StreamFailure:
    """A call that ends the module's run (exit 16) or that it only prints (unreachable endpoint)."""

    loop_region: str
    group: str
    operation: str
    error: str
    exit_code: int | None


def discard_reason(message: str, discard_regex: str | None, discard_field: str | None) -> str | None:
    """Why the module would skip a CloudWatch message, or None: JSON goes by field, text by a plain match."""
    rule = compile_rule(discard_field, discard_regex)
    try:
        document = json.loads(message)
    except ValueError:
        if rule.pattern.match(message):
            unset = " (no discard_regex is set: the module uses the literal 'None')" if discard_regex is None else ""
            return f"the text matches the regex '{rule.pattern.pattern}'{unset}"
        return None
    return rule.describe() if rule.matches(document) else None


def _millis(moment: datetime) -> int:
    return int(moment.replace(tzinfo=timezone.utc).timestamp() * 1000)


def first_run_start_millis(block: Block, context: DoctorContext) -> int:
    """only_logs_after at 00:00 UTC, else today at 00:00 UTC, in epoch milliseconds."""
    text = (block.value("only_logs_after") or "").strip()
    for pattern in ("%Y-%b-%d", "%Y%m%d"):
        try:
            return _millis(datetime.strptime(text, pattern))
        except ValueError:
            continue
    today = context.clock().astimezone(timezone.utc)
    return _millis(datetime(today.year, today.month, today.day))


def next_cloudwatch_events(session: boto3.session.Session, block: Block, context: DoctorContext,
                           settings: ClientSettings, *, cancel: threading.Event | None = None,
                           failures: list[StreamFailure] | None = None) -> Iterator[CloudWatchEvent]:
    """Every event the next run meets, in the module's order; a failure the run stops at is appended to
    ``failures`` and ends the walk."""
    failures = failures if failures is not None else []
    regions = service_regions(block, context.module_home)
    groups = [part for part in (block.value("aws_log_groups") or "").split(",") if part]
    only_after = (block.value("only_logs_after") or "").strip()
    start_default = first_run_start_millis(block, context)
    only_after_millis = start_default if only_after else None
    regex = (block.discard_regex.value or None) if block.discard_regex else None
    field = block.discard_regex.attributes.get("field") if block.discard_regex and regex else None
    state = StateReader(context.services_db_path)
    for loop_region in regions.loop_regions:
        region = regions.region_read(loop_region)
        logs = make_client(session, "logs", dataclasses.replace(settings, region=region))
        for group in groups:
            rows = {row.stream: row for row in cloudwatch_progress(state, loop_region, group)}
            streams = _streams(logs, group)
            if isinstance(streams, StreamFailure):
                failures.append(dataclasses.replace(streams, loop_region=loop_region))
                if streams.exit_code is not None:
                    return
                continue
            for stream in streams:
                if cancel is not None and cancel.is_set():
                    return
                for token, start, end in _ranges(rows.get(stream), start_default, only_after_millis):
                    for event in _read_range(logs, group, stream, token, start, end, failures, loop_region):
                        message = str(event.get("message", ""))
                        yield CloudWatchEvent(loop_region, region, group, stream, int(event["timestamp"]), message,
                                              discard_reason(message, regex, field))
                    if failures and failures[-1].exit_code is not None:
                        return


def _streams(logs: Any, group: str) -> list[str] | StreamFailure:
    """Every stream name of a group, paged like the module, or the failure its run stops at."""
    names: list[str] = []
    arguments: dict[str, Any] = {"logGroupName": group}
    while True:
        outcome = call(logs, "describe_log_streams", **arguments)
        if outcome.kind in ("unreachable", "transport"):
            return StreamFailure("", group, "DescribeLogStreams", outcome.error_text, None)
        if not outcome.ok or outcome.response is None:
            return StreamFailure("", group, "DescribeLogStreams", outcome.error_text, 16)
        names.extend(str(item.get("logStreamName", "")) for item in outcome.response.get("logStreams", []))
        token = outcome.response.get("nextToken")
        if not token:
            return names
        arguments["nextToken"] = token


def _ranges(progress: StreamProgress | None, start_default: int, only_after: int | None
            ) -> list[tuple[str | None, int, int | None]]:
    """(token, start, end) ranges the module asks for a stream: the gap before, then everything after."""
    if progress is None:
        return [(None, start_default, None)]
    ranges: list[tuple[str | None, int, int | None]] = []
    if progress.start_time is not None and progress.start_time > start_default:
        ranges.append((None, start_default, progress.start_time))
    if progress.end_time is not None and (only_after is None or progress.end_time > only_after):
        ranges.append((progress.token, progress.end_time + 1, None))
    else:
        ranges.append((None, start_default, None))
    return ranges


def stream_ranges(progress: StreamProgress | None, block: Block, context: DoctorContext
                  ) -> list[tuple[str | None, int, int | None]]:
    """The (token, start, end) ranges the next run asks one stream for, so a browser says where it reads from."""
    start_default = first_run_start_millis(block, context)
    only_after = start_default if (block.value("only_logs_after") or "").strip() else None
    return _ranges(progress, start_default, only_after)


def _read_range(logs: Any, group: str, stream: str, token: str | None, start: int, end: int | None,
                failures: list[StreamFailure], loop_region: str) -> Iterator[dict[str, Any]]:
    """GetLogEvents from the head until an empty page, as the module pages a stream."""
    arguments: dict[str, Any] = {"logGroupName": group, "logStreamName": stream, "startTime": start,
                                 "startFromHead": True}
    if token is not None:
        arguments["nextToken"] = token
    if end is not None:
        arguments["endTime"] = end
    for _page in range(MAX_PAGES_PER_STREAM):
        outcome = call(logs, "get_log_events", **arguments)
        if not outcome.ok or outcome.response is None:
            failures.append(StreamFailure(loop_region, group, "GetLogEvents", outcome.error_text, 16))
            return
        events = outcome.response.get("events", [])
        if not events:
            return
        yield from events
        arguments["nextToken"] = outcome.response.get("nextForwardToken")
