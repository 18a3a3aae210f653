"""One read-only pass over a CloudWatch Logs or Inspector block, from opening it to closing its state.

Both faces call ``run_service_pass`` (the CLI's ``ingest --block`` and the app's Ingest screen), so they tell
the same story: why nothing ran (credentials, identity, a state directory refused), or what ran, with the
module's exit code and what the next pass will read again. The pass keeps its own copy of the module's
``aws_services.db`` tables in the doctor's state directory; Wazuh's file is only ever copied, read-only.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from diagnostics.explanations import build_finding
from diagnostics.explanations.log_table import EXIT_MEANINGS
from diagnostics.findings import Finding
from diagnostics.ingest.cloudwatch_events import DATAGRAM_HEADER
from diagnostics.ingest.state import StateError, default_state_dir
from diagnostics.input_session import InputSession, open_input
from diagnostics.output_paths import OutputRefused, check_output_directory, protection_for

if TYPE_CHECKING:
    from diagnostics.context import DoctorContext
    from diagnostics.ingest.services_state_file import ServicesTable
    from diagnostics.wazuh.wodle import Block, Wodle

_State = TypeVar("_State", bound="ServicesTable")
_Run = TypeVar("_Run")

STATE_CHECK_ID = "ingest.state"
"""The check id of a finding saying our state directory or database cannot be used (nothing ran)."""


@dataclass(frozen=True)
class ServicePassOptions:
    """Where our state lives and how it starts, and the module's debug level to print lines at."""

    state_dir: Path | None = None
    """None: the doctor's default state directory, as the CLI uses."""
    reset: bool = False
    from_wazuh_state: bool = False
    debug_level: int | None = None
    """None: the context's debug level."""


@dataclass(frozen=True)
class ServicePassResult:
    """What one pass did: its findings (why nothing ran, or what its end means), counts, exit and state file."""

    block_label: str
    findings: tuple[Finding, ...]
    sent: int
    skipped: int
    exit_code: int
    """The module's exit for this run."""
    state_path: Path | None
    """Our state database, or None when the pass never opened it."""
    cancelled: bool


def run_service_pass(context: DoctorContext, block: Block, wodle: Wodle | None, options: ServicePassOptions, *,
                     emit_line: Callable[[str], None], send: Callable[[str], None],
                     cancel: threading.Event | None = None) -> ServicePassResult:
    """Open the block, open our state, run its pass (datagrams to ``send``, log lines to ``emit_line``), close."""
    session = open_input(context, block, wodle)
    if session.aws_session is None or session.settings is None:
        exit_code = next((finding.wazuh_exit_code for finding in session.findings if finding.wazuh_exit_code), 1)
        return ServicePassResult(block.label, session.findings, 0, 0, exit_code, None, False)
    debug_level = context.debug_level if options.debug_level is None else options.debug_level
    state_dir = options.state_dir or default_state_dir(context.environ or None)
    if block.block_type == "inspector":
        return _inspector(session, state_dir, options, debug_level, emit_line, send, cancel)
    return _cloudwatch(session, state_dir, options, debug_level, emit_line, send, cancel)


def _finding(session: InputSession, failure_id: str, check_id: str, values: dict[str, Any]) -> Finding:
    return build_finding(failure_id, check_id=check_id, target=session.block.label,
                         profile=session.context.profile, values=values)


def _state_refused(session: InputSession, error: Exception) -> ServicePassResult:
    finding = _finding(session, "service_pass.state_unusable", STATE_CHECK_ID, {"error": str(error)})
    return ServicePassResult(session.block.label, (finding,), 0, 0, 1, None, False)


def _exit_finding(session: InputSession, exit_code: int, error: str) -> Finding:
    line = session.block.location.line if session.block.location else "LINE"
    finding = _finding(session, "service_pass.exit", "ingest.exit",
                       {"exit_code": exit_code, "meaning": EXIT_MEANINGS.get(exit_code, "an error the module does "
                                                                             "not name"),
                        "error": error, "line": line})
    return dataclasses.replace(finding, wazuh_exit_code=exit_code)  # the run's own exit, at its debug level


def _with_state(session: InputSession, state_dir: Path, options: ServicePassOptions, table: type[_State],
                run: Callable[[_State], _Run]) -> tuple[Path, _Run] | ServicePassResult:
    """Open the service's state, run its pass on it and close it; a refused state directory is the pass's result,
    because both services must refuse before creating anything and close their state however the pass ends."""
    context = session.context
    try:
        check_output_directory(state_dir, protection_for(context), what="--state-dir")  # before creating anything
        state = table.open(state_dir, wazuh_db=context.services_db_path, reset=options.reset,
                           from_wazuh_state=options.from_wazuh_state)
    except (OutputRefused, StateError) as error:
        return _state_refused(session, error)
    try:
        return state.path, run(state)
    finally:
        state.close()


def _cloudwatch(session: InputSession, state_dir: Path, options: ServicePassOptions, debug_level: int,
                emit_line: Callable[[str], None], send: Callable[[str], None],
                cancel: threading.Event | None) -> ServicePassResult:
    from diagnostics.ingest.cloudwatch_pass import run_cloudwatch_pass
    from diagnostics.ingest.cloudwatch_state import CloudWatchState

    aws_session, settings = session.aws_session, session.settings
    assert aws_session is not None and settings is not None
    errors: list[str] = []

    def line(text: str) -> None:
        if text.startswith("ERROR: "):  # the call that stops the run prints its error first
            errors.append(text.removeprefix("ERROR: "))
        emit_line(text)

    ran = _with_state(session, state_dir, options, CloudWatchState, lambda state: run_cloudwatch_pass(
        aws_session, session.block, session.context, settings, state, debug_level, line,
        lambda message: send(DATAGRAM_HEADER + message), cancel=cancel))
    if isinstance(ran, ServicePassResult):
        return ran
    state_path, result = ran
    findings: list[Finding] = []
    if result.exit_code:
        cause = f": {errors[-1]}" if errors else ""
        findings.append(_exit_finding(session, result.exit_code, f"It stopped in {result.stopped_in}{cause}"))
        if result.unsaved:
            findings.append(_finding(session, "service_pass.resend_next_run", "ingest.resend",
                                     {"count": result.unsaved, "where": result.stopped_in}))
    if result.cancelled:
        findings.append(_finding(session, "service_pass.cancelled_cloudwatch", "ingest.cancel",
                                 {"streams": result.streams_saved,
                                  "state_path": state_path}))
    return ServicePassResult(session.block.label, tuple(findings), len(result.sent), result.skipped,
                             result.exit_code, state_path, result.cancelled)


def _inspector(session: InputSession, state_dir: Path, options: ServicePassOptions, debug_level: int,
               emit_line: Callable[[str], None], send: Callable[[str], None],
               cancel: threading.Event | None) -> ServicePassResult:
    from diagnostics.ingest.inspector_pass import run_inspector_pass
    from diagnostics.ingest.inspector_state import InspectorState

    aws_session, settings = session.aws_session, session.settings
    assert aws_session is not None and settings is not None
    ran = _with_state(session, state_dir, options, InspectorState, lambda state: run_inspector_pass(
        aws_session, session.block, session.context, settings, session.account_id or "", state, debug_level,
        emit_line, send, cancel=cancel))
    if isinstance(ran, ServicePassResult):
        return ran
    state_path, result = ran
    findings: list[Finding] = []
    if result.failure is not None:
        findings.append(_exit_finding(session, result.exit_code, f"{result.failure.operation} for "
                                      f"{result.failure.loop_region} failed: {result.failure.error}"))
    if result.cancelled:
        findings.append(_finding(session, "service_pass.cancelled_inspector", "ingest.cancel",
                                 {"region": result.stopped_in, "done": ", ".join(result.regions_saved) or "none",
                                  "state_path": state_path, "count": result.unsaved}))
    return ServicePassResult(session.block.label, tuple(findings), len(result.datagrams), result.skipped,
                             result.exit_code, state_path, result.cancelled)
