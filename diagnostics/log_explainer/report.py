"""What the ossec.log explainer returns: annotated lines, the runs they belong to, and counts.

Kept apart from the explainer's state machine so the faces (CLI, JSON, the app) depend on a small,
frozen shape only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from diagnostics.findings import Finding
from diagnostics.log_explainer.runs import ModuleRun


@dataclass(frozen=True)
class Annotation:
    """One explained line: where it is, its (masked) text and the finding that explains it."""

    line: int
    text: str
    finding: Finding
    run_index: int | None = None


@dataclass(frozen=True)
class LogCounts:
    """How the lines of the input were classified."""

    total_lines: int = 0
    module_lines: int = 0
    """Lines of the aws-s3 module (C side, script output, pasted script lines)."""
    ignored_lines: int = 0
    """Other daemons' and modules' lines, blank lines and unrelated text."""
    recognised_lines: int = 0
    unrecognised_lines: int = 0
    """Module lines no pattern explains (their warnings and errors are still annotated as unknown)."""
    by_failure_id: tuple[tuple[str, int], ...] = ()
    """Occurrences per explanation, including those past the annotation cap."""


@dataclass(frozen=True)
class LogReport:
    """The explained excerpt: runs, annotations, file-level findings and counts."""

    source: str
    profile_label: str
    runs: tuple[ModuleRun, ...]
    annotations: tuple[Annotation, ...]
    counts: LogCounts
    file_findings: tuple[Finding, ...] = ()

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Distinct findings (file-level first, then by first occurrence), for renderers and exit status."""
        seen: set[tuple[str | None, str, str]] = set()
        distinct: list[Finding] = list(self.file_findings)
        for annotation in self.annotations:
            finding = annotation.finding
            key = (finding.failure_id, finding.target, finding.title)
            if key not in seen:
                seen.add(key)
                distinct.append(finding)
        return tuple(distinct)

    @property
    def failed_runs(self) -> tuple[ModuleRun, ...]:
        """Runs that returned a non-zero exit code."""
        return tuple(run for run in self.runs if run.failed)

    def annotations_for(self, line: int) -> tuple[Annotation, ...]:
        """Every annotation of one line number."""
        return tuple(annotation for annotation in self.annotations if annotation.line == line)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for ``explain-log --format json``; every text is already masked."""
        return {
            "source": self.source,
            "wazuh_version": self.profile_label,
            "counts": {
                "total_lines": self.counts.total_lines, "module_lines": self.counts.module_lines,
                "ignored_lines": self.counts.ignored_lines, "recognised_lines": self.counts.recognised_lines,
                "unrecognised_lines": self.counts.unrecognised_lines,
                "by_failure_id": dict(self.counts.by_failure_id),
            },
            "runs": [run_to_dict(run) for run in self.runs],
            "file_findings": [finding.to_dict() for finding in self.file_findings],
            "annotations": [{"line": annotation.line, "text": annotation.text, "run": annotation.run_index,
                             "finding": annotation.finding.to_dict()} for annotation in self.annotations],
        }


def run_to_dict(run: ModuleRun) -> dict[str, Any]:
    """One run as JSON: what ran, where in the file, and how it ended."""
    return {
        "index": run.index, "kind": run.kind, "name": run.name, "cycle": run.cycle,
        "first_line": run.first_line, "last_line": run.last_line, "executing_line": run.executing_line,
        "fields": dict(run.fields), "title_detail": run.title_detail, "command": list(run.command),
        "debug_level": run.debug_level, "exit_code": run.exit_code, "exit_line": run.exit_line,
        "message": run.message, "output_lines": run.output_lines, "outcome": run.outcome,
    }
