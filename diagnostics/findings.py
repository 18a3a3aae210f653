"""The frozen result every check returns, so that the CLI, JSON and the app render one shape."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


class Status(str, enum.Enum):
    """Outcome of one check; ordered so the worst of several can be computed."""

    OK = "ok"
    SKIPPED = "skipped"
    WARNING = "warning"
    ERROR = "error"

    @property
    def severity(self) -> int:
        """Rank used to pick the worst status of a group."""
        return _SEVERITY[self]


_SEVERITY = {Status.OK: 0, Status.SKIPPED: 0, Status.WARNING: 1, Status.ERROR: 2}


@dataclass(frozen=True)
class SourceLocation:
    """A file and 1-based line, so every finding can point at what to edit."""

    path: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line is not None else self.path


@dataclass(frozen=True)
class Finding:
    """One check's verdict with its evidence and fix, as the module would experience it."""

    check_id: str
    """Stable identifier of the check (``config.bucket_name``, ``access.head_bucket``...)."""
    status: Status
    target: str
    """What was checked: a bucket, a service, a file or a key."""
    title: str
    evidence: tuple[str, ...] = ()
    """Facts gathered (calls made, values read), never secrets."""
    explanation: str = ""
    fix: str = ""
    wazuh_exit_code: int | None = None
    """The exit code the module would return in this situation, when it would fail."""
    ossec_log: tuple[str, ...] = ()
    """The lines the module would write to ossec.log, in its format for the detected version."""
    location: SourceLocation | None = None
    failure_id: str | None = None
    """Key into the explanations table, when the finding came from it."""
    details: Mapping[str, Any] = field(default_factory=dict)
    """Structured extras for faces that want them (JSON-safe values only)."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form; the field names are the public contract of ``--format json``."""
        return {
            "check_id": self.check_id,
            "status": self.status.value,
            "target": self.target,
            "title": self.title,
            "evidence": list(self.evidence),
            "explanation": self.explanation,
            "fix": self.fix,
            "wazuh_exit_code": self.wazuh_exit_code,
            "ossec_log": list(self.ossec_log),
            "location": str(self.location) if self.location else None,
            "failure_id": self.failure_id,
            "details": dict(self.details),
        }


def worst_status(findings: Iterable[Finding]) -> Status:
    """The most severe status among findings (OK when there are none)."""
    worst = Status.OK
    for finding in findings:
        if finding.status.severity > worst.severity:
            worst = finding.status
    return worst


class CommandExit(enum.IntEnum):
    """Exit status of the headless commands, so scripts can branch on it."""

    OK = 0
    WARNINGS = 1
    ERRORS = 2
    USAGE = 64


def exit_for(findings: Iterable[Finding]) -> CommandExit:
    """Map findings to the ``check`` command's exit status (0 ok, 1 warnings, 2 errors)."""
    status = worst_status(findings)
    if status is Status.ERROR:
        return CommandExit.ERRORS
    if status is Status.WARNING:
        return CommandExit.WARNINGS
    return CommandExit.OK
