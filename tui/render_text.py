"""Plain-text and JSON renderings of findings for the headless commands (aws-cli / httpie style)."""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any, TextIO

from diagnostics.decode.envelope import FOLDED_CHARS, shown_text
from diagnostics.findings import Finding, Status
from diagnostics.masking import scrub_forms, secret_forms
from diagnostics.text_safety import visible, visible_lines

_COLOURS = {
    Status.OK: "\033[32m",
    Status.SKIPPED: "\033[2m",
    Status.WARNING: "\033[33m",
    Status.ERROR: "\033[31m",
}
_RESET = "\033[0m"
_BADGES = {Status.OK: "ok", Status.SKIPPED: "skip", Status.WARNING: "warn", Status.ERROR: "FAIL"}
NOTICE = "notice"
"""A ``details`` flag for an ok finding that reports something the doctor did on the host (it ran a
profile's credential_process): the text report shows it even without ``--verbose``."""


def use_colour(stream: TextIO) -> bool:
    """Colour only on a terminal and when NO_COLOR is not set."""
    return stream.isatty() and "NO_COLOR" not in os.environ


def badge(status: Status, colour: bool) -> str:
    """A fixed-width status badge such as ``[FAIL]``."""
    text = f"[{_BADGES[status]:>4}]"
    return f"{_COLOURS[status]}{text}{_RESET}" if colour else text


def render_finding(finding: Finding, *, colour: bool, verbose: bool) -> list[str]:
    """Lines for one finding; problems always show their explanation, fix and predicted log.

    Every text may quote data (key names, log lines, AWS messages), so control characters are made
    visible; the explanation and the fix keep their own line breaks, indented under their label.
    """
    where = f"  ({visible(str(finding.location))})" if finding.location else ""
    lines = [f"{badge(finding.status, colour)} {visible(shown_text(finding.title, FOLDED_CHARS))}{where}"]
    detailed = verbose or finding.status in (Status.WARNING, Status.ERROR)
    if not detailed:
        return lines
    indent = "       "
    for item in finding.evidence:  # an error repr may quote kilobytes of bytes: folded here, sent whole
        lines.append(f"{indent}evidence: {visible(shown_text(item, FOLDED_CHARS))}")
    if finding.explanation:
        lines.append(f"{indent}why:      {_hanging(shown_text(finding.explanation, FOLDED_CHARS), indent)}")
    if finding.fix:
        lines.append(f"{indent}fix:      {_hanging(finding.fix, indent)}")
    if finding.wazuh_exit_code is not None:
        lines.append(f"{indent}module exit code: {finding.wazuh_exit_code}")
    if finding.ossec_log:
        lines.append(f"{indent}ossec.log would show:")
        lines.extend(f"{indent}  {visible(shown_text(log_line, FOLDED_CHARS))}" for log_line in finding.ossec_log)
    return lines


def _hanging(text: str, indent: str) -> str:
    """A multi-line field with its later lines indented under the label, so no line poses as another."""
    return visible_lines(text).replace("\n", "\n" + indent + " " * 10)


def render_groups(groups: Sequence[tuple[str, Sequence[Finding]]], *, stream: TextIO | None = None,
                  verbose: bool = False) -> str:
    """A readable report: one heading per target group, then its findings."""
    colour = use_colour(stream or sys.stdout)
    out: list[str] = []
    for heading, findings in groups:
        heading = visible(heading)
        out.append(f"\033[1m{heading}\033[0m" if colour else heading)
        shown = findings if verbose else [f for f in findings if f.status in (Status.WARNING, Status.ERROR)
                                          or f.details.get(NOTICE)]
        passed = len(findings) - len(shown)
        for finding in shown:
            out.extend(render_finding(finding, colour=colour, verbose=verbose))
        if passed:
            plural = "s" if passed != 1 else ""
            out.append(f"{badge(Status.OK, colour)} {passed} other check{plural} passed or skipped "
                       "(--verbose lists them)")
        out.append("")
    return "\n".join(out)


def summary_line(findings: Iterable[Finding]) -> str:
    """``3 ok, 1 warning, 2 errors, 0 skipped``."""
    counts = {status: 0 for status in Status}
    for finding in findings:
        counts[finding.status] += 1
    return (f"{counts[Status.OK]} ok, {counts[Status.WARNING]} warnings, {counts[Status.ERROR]} errors, "
            f"{counts[Status.SKIPPED]} skipped")


class ScrubbingStream(io.TextIOBase):
    """A text stream that removes known secret values from whole lines before they reach ``target``.

    The last line of defence for the headless commands: whatever prints a MinIO-style secret (one no pattern
    recognises), the terminal and any redirect get ``****``. Lines are held until their newline so a secret
    written in two pieces is still seen whole; ``flush`` writes a held partial line.
    """

    def __init__(self, target: TextIO, secrets: Sequence[str]) -> None:
        super().__init__()
        self.target = target
        self._forms = secret_forms(secrets)
        self._held = ""

    def write(self, text: str) -> int:
        held = self._held + text
        complete, newline, rest = held.rpartition("\n")
        if newline:
            self.target.write(scrub_forms(complete + newline, self._forms))
        self._held = rest
        return len(text)

    def flush(self) -> None:
        if self._held:
            self.target.write(scrub_forms(self._held, self._forms))
            self._held = ""
        self.target.flush()

    def isatty(self) -> bool:
        return self.target.isatty()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.target, "encoding", "utf-8")


@contextmanager
def scrubbed_output(secrets: Sequence[str]) -> Iterator[None]:
    """``sys.stdout`` and ``sys.stderr`` pass through ``ScrubbingStream`` while the block runs."""
    if not secrets:
        yield
        return
    originals = sys.stdout, sys.stderr
    sys.stdout = ScrubbingStream(originals[0], secrets)
    sys.stderr = ScrubbingStream(originals[1], secrets)
    try:
        yield
    finally:
        wrapped = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = originals
        for stream in wrapped:
            with suppress(OSError, ValueError):
                stream.flush()


def to_json(payload: Any) -> str:
    """Stable, indented JSON for ``--format json``."""
    return json.dumps(payload, indent=2, sort_keys=False, default=str)
