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


class InspectorLines:
    """The module's lines for one run, built piece by piece so a pass can print them as it reads (debug 0-3)."""

    def __init__(self, block: Block, context: DoctorContext, debug_level: int, *, table_exists: bool) -> None:
        self.debug_level = debug_level
        self.table_exists = table_exists
        """Whether the ``aws_services`` table is there: its creation is announced once, on the first region."""
        self._rule = discard_rule(block)
        self._config_lines = client_config_lines(context.module_home / ".aws" / "config", block.value("aws_profile"))
        self._every_region = service_regions(block, context.module_home).origin == EVERY_REGION_ORIGIN

    def _debug(self, level: int, text: str) -> list[str]:
        return [f"DEBUG: {text}"] if self.debug_level >= level else []

    def opening(self) -> list[str]:
        """The run's first lines: the debug level and, with no regions configured, the every-region warning."""
        lines = self._debug(1, f"+++ Debug mode on - Level: {self.debug_level}")
        if self._every_region:
            lines += self._debug(1, "+++ Warning: No regions were specified, trying to get events from supported "
                                    "regions")
        return lines

    def region_start(self, window: InspectorWindow) -> list[str]:
        """Before a region's ListFindings: the region, its client's configuration, the table, the window start."""
        lines = self._debug(1, f'+++ Getting alerts from "{window.loop_region}" region.')
        for level, text in self._config_lines:
            lines += self._debug(level, text)
        if not self.table_exists:
            lines += self._debug(1, "+++ Table does not exist; create")
            self.table_exists = True
        return lines + self._debug(2, f"+++ Attempting to fetch Inspector V2 findings from {window.start}")

    def page(self, events: Sequence[InspectorEvent]) -> list[str]:
        """One ListFindings page: its size, then each message sent (debug 3) or skipped (debug 2)."""
        lines = self.page_start(len(events))
        for event in events:
            lines += self.finding(event)
        return lines

    def page_start(self, count: int) -> list[str]:
        """A ListFindings page's size, printed before its findings (debug 3)."""
        return self._debug(3, f"+++ [InspectorV2] Processing {count} events")

    def finding(self, event: InspectorEvent) -> list[str]:
        """One finding: its message when sent (debug 3), the discard line when skipped (debug 2)."""
        if event.dropped_by is not None:
            return self._debug(2, f'+++ [InspectorV2] The "{self._rule.pattern.pattern}" regex found a match in '
                                  f'the "{self._rule.field}" field. The event will be skipped.')
        return self._debug(3, event.message)

    def region_end(self, window: InspectorWindow, sent: int) -> list[str]:
        """A region read to its end: the findings it sent."""
        return (self._debug(1, f"+++ [InspectorV2] {sent} events collected and processed" if sent
                            else "+++ [InspectorV2] No findings with recent updates in the specified time range")
                + self._debug(1, f"+++ Total: {sent} events collected and processed in {window.loop_region}" if sent
                              else f'+++ There are no new events in the "{window.loop_region}" region'))

    def stop(self, failure: InspectorFailure) -> list[str]:
        """What ends the run: an unsupported region's error (debug 1), or a failed call as the module prints it
        on stdout (the traceback above debug 0 goes to stderr)."""
        if failure.exit_code == 22:
            return self._debug(1, f"+++ ERROR: {failure.error}")
        printed = script_failure(failure.exit_code, failure.error, self.debug_level,
                                 catch_all=True).output.splitlines()
        return printed[:printed.index(TRACEBACK)] if TRACEBACK in printed else printed


def inspector_run_lines(block: Block, context: DoctorContext, debug_level: int,
                        windows: Sequence[InspectorWindow], events: Sequence[InspectorEvent],
                        pages: Sequence[tuple[str, int]], failures: Sequence[InspectorFailure]) -> list[str]:
    """The module's stdout for the run the pass read, at ``debug_level`` (0-3)."""
    table_exists = StateReader(context.services_db_path).columns("aws_services") is not None
    printer = InspectorLines(block, context, debug_level, table_exists=table_exists)
    lines = printer.opening()
    stops = {failure.loop_region: failure for failure in failures}
    remaining = list(events)
    for window in windows:
        stop = stops.get(window.loop_region)
        if stop is not None and stop.exit_code == 22:
            return lines + printer.stop(stop)
        lines += printer.region_start(window)
        sent = 0
        for region, count in pages:
            if region != window.loop_region:
                continue
            lines += printer.page(remaining[:count])
            sent += sum(1 for event in remaining[:count] if event.dropped_by is None)
            del remaining[:count]
        if stop is not None:
            return lines + printer.stop(stop)
        lines += printer.region_end(window, sent)
    return lines


def module_exit(failures: Sequence[InspectorFailure], debug_level: int) -> int:
    """The run's exit code at ``debug_level``: a failed call exits 12 at debug 0 but 1 above it (re-raised)."""
    if not failures:
        return 0
    first = failures[0]
    return script_failure(first.exit_code, first.error, debug_level, catch_all=first.exit_code == 12).exit_code
