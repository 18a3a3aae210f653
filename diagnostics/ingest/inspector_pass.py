"""A read-only Inspector pass with our own state and the module's log lines, printed as it reads.

It walks like the module's run: per loop region (an unsupported one ends the run, exit 22), the window from
the newest scan date our ``aws_services`` table holds for the account and region (or ``only_logs_after`` when
later) to now, ListFindings page by page, each finding sent or skipped by ``discard_regex``; then the region's
scan date is saved, as the module saves it at the region's end. A second pass therefore asks only for what
the module's second run asks for. Nothing is written to AWS or to Wazuh's files.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from diagnostics.aws.service_access import inspector_window_start
from diagnostics.aws.service_regions import service_regions
from diagnostics.ingest.inspector_events import InspectorFailure, InspectorWindow, next_inspector_events
from diagnostics.ingest.inspector_log import InspectorLines, module_exit
from diagnostics.ingest.inspector_state import SCAN_DATE_FORMAT, InspectorState
from diagnostics.wazuh.regions import INSPECTOR_REGIONS

if TYPE_CHECKING:
    import boto3

    from diagnostics.aws.clients import ClientSettings
    from diagnostics.context import DoctorContext
    from diagnostics.wazuh.wodle import Block


@dataclass(frozen=True)
class InspectorPassResult:
    """What the pass sent (datagrams, in order), skipped, where it stopped, and the module's exit code."""

    datagrams: tuple[str, ...]
    skipped: int
    exit_code: int
    failure: InspectorFailure | None = None
    cancelled: bool = False
    regions_saved: tuple[str, ...] = ()
    """Loop regions read to their end, whose scan date this pass saved."""
    stopped_in: str | None = None
    """The loop region the run stopped or was cancelled in (its scan is not saved), or None."""
    unsaved: int = 0
    """Findings sent from that region: the next run asks it for the same window and sends them again."""


def run_inspector_pass(session: boto3.session.Session, block: Block, context: DoctorContext,
                       settings: ClientSettings, account_id: str, state: InspectorState, debug_level: int,
                       emit_line: Callable[[str], None], send: Callable[[str], None], *,
                       cancel: threading.Event | None = None) -> InspectorPassResult:
    """Walk the next run, send its datagrams through ``send`` and its log lines through ``emit_line``."""
    printer = InspectorLines(block, context, debug_level, table_exists=state.table_existed)
    regions = service_regions(block, context.module_home)
    datagrams: list[str] = []
    skipped = 0
    saved: list[str] = []
    _emit(emit_line, printer.opening())
    for loop_region in regions.loop_regions:
        if loop_region not in INSPECTOR_REGIONS:
            failure = InspectorFailure(loop_region, "region check", f"Unsupported region '{loop_region}'", 22)
            _emit(emit_line, printer.stop(failure))
            return InspectorPassResult(tuple(datagrams), skipped, 22, failure, False, tuple(saved))
        if cancel is not None and cancel.is_set():
            return InspectorPassResult(tuple(datagrams), skipped, 0, None, True, tuple(saved), loop_region)
        start, origin = inspector_window_start(block, context, state.last_scan(account_id, loop_region))
        end = context.clock().astimezone(timezone.utc).replace(tzinfo=None)
        window = InspectorWindow(loop_region, regions.region_read(loop_region), start, end, origin)
        state.begin_region(account_id, loop_region, first_scan_text(start))
        _emit(emit_line, printer.region_start(window))
        failures: list[InspectorFailure] = []
        pages: list[tuple[str, int]] = []
        sent = 0
        announced = 0
        for event in next_inspector_events(session, block, context, settings, account_id, cancel=cancel,
                                           failures=failures, pages=pages, windows=[window]):
            announced = _pages_read(emit_line, printer, pages, announced)
            _emit(emit_line, printer.finding(event))
            if event.dropped_by is not None:
                skipped += 1
                continue
            send(event.datagram)
            datagrams.append(event.datagram)
            sent += 1
        _pages_read(emit_line, printer, pages, announced)
        if failures:
            state.abandon_region()
            _emit(emit_line, printer.stop(failures[0]))
            return InspectorPassResult(tuple(datagrams), skipped, module_exit(failures, debug_level), failures[0],
                                       False, tuple(saved), loop_region, sent)
        if cancel is not None and cancel.is_set():
            state.abandon_region()
            return InspectorPassResult(tuple(datagrams), skipped, 0, None, True, tuple(saved), loop_region, sent)
        _emit(emit_line, printer.region_end(window, sent))
        state.finish_region(account_id, loop_region, end.strftime(SCAN_DATE_FORMAT))
        saved.append(loop_region)
    return InspectorPassResult(tuple(datagrams), skipped, 0, None, False, tuple(saved))


def _emit(emit_line: Callable[[str], None], lines: list[str]) -> None:
    for line in lines:
        emit_line(line)


def _pages_read(emit_line: Callable[[str], None], printer: InspectorLines, pages: list[tuple[str, int]],
               announced: int) -> int:
    """Print the size of each page read since the last call (empty pages have no finding to wait for)."""
    for _region, count in pages[announced:]:
        _emit(emit_line, printer.page_start(count))
    return len(pages)


def first_scan_text(start: datetime) -> str:
    """How the module writes a scope's first start: the date at midnight with one decimal."""
    return f"{start:%Y-%m-%d} 00:00:00.0"
