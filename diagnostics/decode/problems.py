"""Turn what went wrong in an object into FileProblems with the module's exit code, words and datagrams."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from diagnostics.decode.envelope import build_message, payload_for
from diagnostics.decode.model import DecodeContext, FileProblem
from diagnostics.explanations import build_finding
from diagnostics.findings import SourceLocation, Status

CHECK_ID = "decode.object"


@dataclasses.dataclass(frozen=True)
class ObjectRef:
    """The object being decoded and the envelope account the module would use for it."""

    key: str
    context: DecodeContext
    envelope_account: str | None

    @property
    def target(self) -> str:
        """``s3://bucket/key``."""
        return f"s3://{self.context.bucket}/{self.key}"

    def error_payload(self, error_msg: str) -> str:
        """The ``error_msg`` datagram skip_on_error sends in place of the object's events."""
        message = build_message(self.context.bucket, self.key, self.context.account_alias, None,
                                account_id=self.envelope_account, error_msg=error_msg)
        return payload_for(message)


def problem(ref: ObjectRef, failure_id: str, values: Mapping[str, Any], *, evidence: tuple[str, ...] = (),
            line: int | None = None, offset: int | None = None, recoverable: bool = True,
            stops_run: bool = False, status: Status | None = None, error_payload: str | None = None,
            details: Mapping[str, Any] | None = None) -> FileProblem:
    """A FileProblem from the explanations table; ossec.log lines are predicted only when the run stops."""
    context = ref.context
    merged = {"key": ref.key, "bucket": context.bucket, "position": _position_text(line, offset), **values}
    finding = build_finding(
        failure_id,
        check_id=CHECK_ID,
        target=ref.target,
        profile=context.profile,
        status=status,
        evidence=evidence,
        location=SourceLocation(ref.key, line),
        values=merged,
        title=context.run_title if stops_run else None,
        debug_level=context.debug_level,
        details=dict(details or {}),
    )
    if not stops_run:
        finding = dataclasses.replace(finding, wazuh_exit_code=None, ossec_log=())
    return FileProblem(finding=finding, key=ref.key, line=line, offset=offset, recoverable=recoverable,
                       stops_run=stops_run, error_payload=error_payload)


def _position_text(line: int | None, offset: int | None) -> str:
    parts = []
    if line is not None:
        parts.append(f"line {line}")
    if offset is not None:
        parts.append(f"character {offset}")
    return ", ".join(parts) or "the start of the object"


def failure_problem(ref: ObjectRef, failure_id: str, exit_code: int, message: str, values: Mapping[str, Any],
                    *, line: int | None, offset: int | None, lost_events: int, skip: bool,
                    printed_first: str | None = None, skip_message: str | None = None) -> FileProblem:
    """A failure that ends the object: the run exits, or skip_on_error sends an ``error_msg`` event.

    ``message`` is what the module prints with ``ERROR:``; with skip_on_error, ``printed_first`` is a line
    printed before falling through and ``skip_message`` the text that then goes into ``error_msg``.
    """
    lost = (f"{lost_events} event(s) decoded from this object would not be sent." if lost_events
            else "No event of this object would be sent.")
    if skip:
        error_msg = skip_message or message
        printed = tuple(line_ for line_ in (printed_first,) if line_)
        evidence = (*printed, f"DEBUG: ++ {error_msg}; skipping... (debug 1)",
                    "skip_on_error is set: one event carrying error_msg is sent instead", lost)
        return problem(ref, failure_id, values, evidence=evidence, line=line, offset=offset,
                       recoverable=False, stops_run=False, status=Status.WARNING,
                       error_payload=ref.error_payload(error_msg),
                       details={"exit_code_without_skip_on_error": exit_code})
    evidence = (f"ERROR: {message}", f"exit code {exit_code}", lost)
    return problem(ref, failure_id, values, evidence=evidence, line=line, offset=offset, recoverable=False,
                   stops_run=True)
