"""Explaining an ossec.log file on disk (plain or gzip): missing or unreadable files become findings."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from diagnostics.explanations import build_finding
from diagnostics.findings import Finding, SourceLocation
from diagnostics.log_explainer.exits import CHECK_ID
from diagnostics.log_explainer.explainer import MAX_ANNOTATIONS_PER_PATTERN, explain_log
from diagnostics.log_explainer.parser import read_log_file
from diagnostics.log_explainer.report import LogReport
from diagnostics.wazuh.versions import WazuhProfile


def explain_log_file(path: Path, profile: WazuhProfile,
                     max_per_pattern: int = MAX_ANNOTATIONS_PER_PATTERN, secrets: Sequence[str] = ()) -> LogReport:
    """Explain a log file (plain or gzip); a missing or unreadable file is a finding, never an exception."""
    errors: list[Finding] = []

    def guarded() -> Iterator[str]:
        try:
            yield from read_log_file(path)
        except FileNotFoundError:
            errors.append(build_finding("log.file_missing", check_id=CHECK_ID, target=str(path),
                                        profile=profile, values={"path": str(path)},
                                        location=SourceLocation(str(path))))
        except (OSError, EOFError) as error:
            errors.append(build_finding("log.file_unreadable", check_id=CHECK_ID, target=str(path),
                                        profile=profile, values={"path": str(path), "message": str(error)},
                                        location=SourceLocation(str(path))))

    report = explain_log(guarded(), profile, source=str(path), max_per_pattern=max_per_pattern, secrets=secrets)
    if errors:
        kept = tuple(finding for finding in report.file_findings
                     if finding.failure_id != "log.no_module_lines" or report.counts.total_lines > 0)
        return replace(report, file_findings=tuple(errors) + kept)
    return report
