"""A read-only CloudWatch Logs pass with our own state and the module's log lines, streamed as it goes.

It walks like the module's run: per loop region (in the module's order) and log group, every stream, its saved
row, the gap before a saved start, then GetLogEvents from the head until an empty page; after each stream it
saves the row the module would save (token, smallest start, largest end) in our own ``cloudwatch_logs`` table,
and after each group it purges rows of streams AWS no longer lists. A second pass therefore sends only what the
module's second run would. Nothing is written to AWS (no stream is ever deleted) or to Wazuh's files.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from diagnostics.aws.access_probes import call
from diagnostics.aws.clients import ClientSettings, make_client
from diagnostics.aws.prediction import client_config_lines
from diagnostics.aws.service_regions import service_regions
from diagnostics.decode.discard import compile_rule
from diagnostics.ingest.cloudwatch_events import DATAGRAM_HEADER, MAX_PAGES_PER_STREAM, first_run_start_millis
from diagnostics.ingest.cloudwatch_state import CloudWatchState
from diagnostics.ingest.inspector_events import RETRIES_NOTE
from diagnostics.ingest.inspector_log import EVERY_REGION_ORIGIN
from diagnostics.wazuh.services_state import StreamProgress

if TYPE_CHECKING:
    import boto3

    from diagnostics.context import DoctorContext
    from diagnostics.wazuh.wodle import Block

@dataclass(frozen=True)
class CloudWatchPassResult:
    """What the pass sent (messages, in order), how many it skipped, and the module's exit code."""

    sent: tuple[str, ...]
    skipped: int
    exit_code: int
    cancelled: bool = False
    unsaved: int = 0
    """Events sent from the stream the run stopped in: its row is never saved, so the next run sends them again."""
    stopped_in: str | None = None
    """``group/stream`` the run stopped in (exit 16), or None."""
    streams_saved: int = 0
    """Streams read to their end, whose rows this pass saved."""

    @property
    def datagrams(self) -> tuple[str, ...]:
        """The datagrams the module writes to the queue socket: the raw message after the header."""
        return tuple(DATAGRAM_HEADER + message for message in self.sent)


class _Stop(Exception):
    """A failed AWS call that ends the module's run (exit 16)."""


@dataclass
class _Walk:
    """The pass's moving parts: where lines go, what was sent, and the block's discard rule."""

    debug_level: int
    emit_line: Callable[[str], None]
    send: Callable[[str], None]
    regex: str | None
    field: str | None
    sent: list[str] = dataclasses.field(default_factory=list)
    skipped: int = 0
    unsaved: int = 0
    current: str | None = None
    streams_saved: int = 0

    def result(self, exit_code: int, *, cancelled: bool = False) -> CloudWatchPassResult:
        """The pass's result so far; a stop (exit 16) names the stream whose events are not saved."""
        stopped = exit_code != 0
        return CloudWatchPassResult(tuple(self.sent), self.skipped, exit_code, cancelled,
                                    self.unsaved if stopped else 0, self.current if stopped else None,
                                    self.streams_saved)

    def debug(self, level: int, text: str) -> None:
        if self.debug_level >= level:
            self.emit_line(f"DEBUG: {text}")

    def error(self, text: str) -> None:
        self.emit_line(f"ERROR: {text}")


def run_cloudwatch_pass(session: boto3.session.Session, block: Block, context: DoctorContext,
                        settings: ClientSettings, state: CloudWatchState, debug_level: int,
                        emit_line: Callable[[str], None], send: Callable[[str], None], *,
                        cancel: threading.Event | None = None) -> CloudWatchPassResult:
    """Walk the next run, send its messages through ``send`` and its log lines through ``emit_line``."""
    regex = (block.discard_regex.value or None) if block.discard_regex else None
    field = block.discard_regex.attributes.get("field") if block.discard_regex and regex else None
    walk = _Walk(debug_level, emit_line, send, regex, field)
    regions = service_regions(block, context.module_home)
    groups = [part for part in (block.value("aws_log_groups") or "").split(",") if part]
    only_after = (block.value("only_logs_after") or "").strip()
    start_default = first_run_start_millis(block, context)
    only_after_millis = start_default if only_after else None
    config_lines = client_config_lines(context.module_home / ".aws" / "config", block.value("aws_profile"))
    table_announced = state.table_existed
    walk.debug(1, f"+++ Debug mode on - Level: {debug_level}")
    if regions.origin == EVERY_REGION_ORIGIN:
        walk.debug(1, "+++ Warning: No regions were specified, trying to get events from all regions")
    try:
        for loop_region in regions.loop_regions:
            walk.debug(1, f'+++ Getting alerts from "{loop_region}" region.')
            for level, text in config_lines:
                walk.debug(level, text)
            walk.debug(1, f"only logs: {only_after_millis}")
            if not table_announced:
                walk.debug(1, "+++ Table does not exist; create")
                table_announced = True
            logs = make_client(session, "logs",
                               dataclasses.replace(settings, region=regions.region_read(loop_region)))
            try:
                for group in groups:
                    for stream in _log_streams(walk, logs, group):
                        if cancel is not None and cancel.is_set():
                            return walk.result(0, cancelled=True)
                        _stream(walk, logs, state, loop_region, group, stream, start_default, only_after_millis)
                    walk.debug(1, "Purging the BD")
                    gone = state.purge(loop_region, group, set(_log_streams(walk, logs, group)))
                    if gone:
                        walk.debug(2, f'Data for the following log streams will be removed from cloudwatch_logs: '
                                      f'"{gone}"')
            finally:
                walk.debug(1, "committing changes and closing the DB")
    except _Stop:
        return walk.result(16)
    return walk.result(0)


def _log_streams(walk: _Walk, logs: Any, group: str) -> list[str]:
    """DescribeLogStreams paged like the module, with its lines; a refused call stops the run."""
    walk.debug(1, f'Getting log streams for "{group}" log group')
    walk.current = group
    names: list[str] = []
    arguments: dict[str, Any] = {"logGroupName": group}
    while True:
        outcome = call(logs, "describe_log_streams", **arguments)
        if outcome.kind in ("unreachable", "transport"):
            walk.error(outcome.error_text)
            return []
        if not outcome.ok or outcome.response is None:
            walk.error(f'The "get_log_streams" request failed: {RETRIES_NOTE.sub("", outcome.error_text, count=1)}')
            raise _Stop
        names.extend(str(item.get("logStreamName", "")) for item in outcome.response.get("logStreams", []))
        token = outcome.response.get("nextToken")
        if not token:
            break
        arguments["nextToken"] = token
    for name in names:
        walk.debug(2, f'Found "{name}" log stream in {group}')
    if not names:
        walk.debug(1, f'No log streams were found for log group "{group}"')
    return names


def _stream(walk: _Walk, logs: Any, state: CloudWatchState, loop_region: str, group: str, stream: str,
            start_default: int, only_after: int | None) -> None:
    """One stream as the module reads it: the gap before its saved start, everything after, then its row."""
    walk.debug(1, f'Getting data from DB for log stream "{stream}" in log group "{group}"')
    walk.current, walk.unsaved = f"{group}/{stream}", 0
    saved = state.progress(loop_region, group, stream)
    walk.debug(2, f'Token: "{saved.token if saved else None}", start_time: "{saved.start_time if saved else None}", '
                  f'end_time: "{saved.end_time if saved else None}"')
    before: StreamProgress | None = None
    start, token = start_default, None
    if saved is not None:
        if saved.start_time and saved.start_time > start:
            before = _range(walk, logs, group, stream, None, start, saved.start_time)
        if saved.end_time and (only_after is None or saved.end_time > only_after):
            start, token = saved.end_time + 1, saved.token
    after = _range(walk, logs, group, stream, token, start, None)
    values = merged(saved, before, after)
    walk.debug(1, f'Saving data for log group "{group}" and log stream "{stream}".')
    shown = {"token": values.token, "start_time": values.start_time, "end_time": values.end_time}
    walk.debug(2, f'The saved values are "{shown}"')
    if state.save(loop_region, group, values):
        walk.debug(2, "Some data already exists on DB for that key. Updating their values...")
    walk.unsaved = 0
    walk.streams_saved += 1


def _range(walk: _Walk, logs: Any, group: str, stream: str, token: str | None, start: int,
           end: int | None) -> StreamProgress:
    """GetLogEvents until an empty page; the last token and the smallest and largest time sent."""
    low, high = start, end if end is not None else start
    rule = compile_rule(walk.field, walk.regex)
    arguments: dict[str, Any] = {"logGroupName": group, "logStreamName": stream, "startTime": start,
                                 "startFromHead": True}
    if end is not None:
        arguments["endTime"] = end
    for _page in range(MAX_PAGES_PER_STREAM):
        walk.debug(1, f'Getting CloudWatch logs from log stream "{stream}" in log group "{group}" using token '
                      f'"{token}", start_time "{start}" and end_time "{end}"')
        if token is not None:
            arguments["nextToken"] = token
        outcome = call(logs, "get_log_events", **arguments)
        if outcome.kind == "unreachable":
            walk.debug(1, 'WARNING: The "get_log_events" request was denied because the endpoint URL was not '
                          'available. Attempting again.')
            continue
        if not outcome.ok or outcome.response is None:
            walk.error(f'The "get_log_events" request failed: {RETRIES_NOTE.sub("", outcome.error_text, count=1)}')
            raise _Stop
        token = outcome.response.get("nextForwardToken")
        events = outcome.response.get("events", [])
        count = 0
        if events:
            walk.debug(1, "+++ Sending events to Analysisd...")
        for event in events:
            message = str(event.get("message", ""))
            if _skipped(walk, rule, message):
                walk.skipped += 1
                continue
            walk.debug(2, f'The message is "{message}"')
            walk.debug(3, f"The message's timestamp is {event['timestamp']}")
            walk.debug(3, json.dumps(message))
            walk.send(message)
            walk.sent.append(message)
            walk.unsaved += 1
            count += 1
            low, high = min(low, int(event["timestamp"])), max(high, int(event["timestamp"]))
        if count:
            walk.debug(1, f"+++ Sent {count} events to Analysisd")
        else:
            walk.debug(1, f'+++ There are no new events in the "{group}" group')
        if not events:
            break
    return StreamProgress(stream, token, low, high)


def _skipped(walk: _Walk, rule: Any, message: str) -> bool:
    """The module's filter with its lines: JSON goes by field, text by a match of the pattern at its start."""
    pattern = rule.pattern.pattern
    try:
        document = json.loads(message)
    except ValueError:
        walk.debug(3, "+++ Retrieved log event is not a JSON object.")
        if rule.pattern.match(message):
            walk.debug(2, f'+++ The "{pattern}" regex found a match. The event will be skipped.')
            return True
        walk.debug(3, f'+++ The "{pattern}" regex did not find a match. The event will be processed.')
        return False
    if rule.matches(document):
        walk.debug(2, f'+++ The "{pattern}" regex found a match in the "{walk.field}" field. The event will be '
                      f'skipped.')
        return True
    walk.debug(3, f'+++ The "{pattern}" regex did not find a match in the "{walk.field}" field. The event will '
                  f'be processed.')
    return False


def merged(saved: StreamProgress | None, before: StreamProgress | None, after: StreamProgress) -> StreamProgress:
    """The row the module saves: the newest token, the smallest start and the largest end of the row and ranges."""
    low = before.start_time if before else None
    high = before.end_time if before else None
    if low is None or (after.start_time is not None and after.start_time < low):
        low = after.start_time
    if high is None or (after.end_time is not None and after.end_time > high):
        high = after.end_time
    token = after.token
    if saved is None:
        return StreamProgress(after.stream, token, low, high)
    start = saved.start_time
    if start is None:
        start = high
    elif low is not None and low < start:
        start = low
    end = saved.end_time
    if end is None or (high is not None and high > end):
        end = high
    return StreamProgress(after.stream, token, start, end)
