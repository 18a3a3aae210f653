"""The lines the module prints (ossec.log at its debug level) for an Inspector run, from what the pass read.

Per region, in the module's order: the region it gets alerts from, its client configuration lines, the
table creation on the first run, the window's start, a ``Processing N events`` line per page (debug 3),
each message sent (debug 3) or skipped (debug 2), then the region's totals. An unsupported region ends the
run with its error line; a failed ListFindings reaches the module's catch-all, which exits 12 at debug 0 and
re-raises above it (the outer handler prints ``Unknown error`` and exits 1, a traceback on stderr).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from diagnostics.aws.prediction import client_config_lines
from diagnostics.aws.service_regions import service_regions
from diagnostics.ingest.inspector_events import InspectorEvent, InspectorFailure, InspectorWindow, discard_rule
from diagnostics.wazuh.ossec_log import script_failure
from diagnostics.wazuh.state_db import StateReader

if TYPE_CHECKING:
    from diagnostics.context import DoctorContext
    from diagnostics.wazuh.wodle import Block

EVERY_REGION_ORIGIN = "every region in the module's list"
TRACEBACK = "Traceback (most recent call last):"


def inspector_run_lines(block: Block, context: DoctorContext, debug_level: int,
                        windows: Sequence[InspectorWindow], events: Sequence[InspectorEvent],
                        pages: Sequence[tuple[str, int]], failures: Sequence[InspectorFailure]) -> list[str]:
    """The module's stdout for the run the pass read, at ``debug_level`` (0-3)."""
    lines: list[str] = []

    def emit(level: int, text: str) -> None:
        if debug_level >= level:
            lines.append(f"DEBUG: {text}")

    emit(1, f"+++ Debug mode on - Level: {debug_level}")
    if service_regions(block, context.module_home).origin == EVERY_REGION_ORIGIN:
        emit(1, "+++ Warning: No regions were specified, trying to get events from supported regions")
    rule = discard_rule(block)
    table_exists = StateReader(context.services_db_path).columns("aws_services") is not None
    config_lines = client_config_lines(context.module_home / ".aws" / "config", block.value("aws_profile"))
    stops = {failure.loop_region: failure for failure in failures}
    remaining = list(events)
    for window in windows:
        stop = stops.get(window.loop_region)
        if stop is not None and stop.exit_code == 22:
            emit(1, f"+++ ERROR: {stop.error}")
            return lines
        emit(1, f'+++ Getting alerts from "{window.loop_region}" region.')
        for level, text in config_lines:
            emit(level, text)
        if not table_exists:
            emit(1, "+++ Table does not exist; create")
            table_exists = True
        emit(2, f"+++ Attempting to fetch Inspector V2 findings from {window.start}")
        sent = 0
        for region, count in pages:
            if region != window.loop_region:
                continue
            emit(3, f"+++ [InspectorV2] Processing {count} events")
            for event in remaining[:count]:
                if event.dropped_by is not None:
                    emit(2, f'+++ [InspectorV2] The "{rule.pattern.pattern}" regex found a match in the '
                            f'"{rule.field}" field. The event will be skipped.')
                else:
                    emit(3, event.message)
                    sent += 1
            del remaining[:count]
        if stop is not None:  # stdout only: the traceback above debug 0 goes to stderr
            printed = script_failure(stop.exit_code, stop.error, debug_level, catch_all=True).output.splitlines()
            lines.extend(printed[:printed.index(TRACEBACK)] if TRACEBACK in printed else printed)
            return lines
        emit(1, f"+++ [InspectorV2] {sent} events collected and processed" if sent
             else "+++ [InspectorV2] No findings with recent updates in the specified time range")
        emit(1, f"+++ Total: {sent} events collected and processed in {window.loop_region}" if sent
             else f'+++ There are no new events in the "{window.loop_region}" region')
    return lines


def module_exit(failures: Sequence[InspectorFailure], debug_level: int) -> int:
    """The run's exit code at ``debug_level``: a failed call exits 12 at debug 0 but 1 above it (re-raised)."""
    if not failures:
        return 0
    first = failures[0]
    return script_failure(first.exit_code, first.error, debug_level, catch_all=first.exit_code == 12).exit_code
