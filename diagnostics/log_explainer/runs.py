"""One run of the module in ossec.log: the lines from an ``Executing`` (or cycle) line to the next.

The C side's ``Bucket:  - `` title does not name the bucket, so grouping lines by the preceding
``Executing ... Analysis`` line is what lets a failure be attributed to the right bucket.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from diagnostics.log_explainer.parser import ExecutingLine, LaunchCommand


@dataclass(frozen=True)
class ModuleRun:
    """A group of module lines: one block's run (bucket/service/subscriber) or cycle lines (``module``)."""

    index: int
    kind: str
    """``bucket``, ``service``, ``subscriber``, or ``module`` for lines outside any block's run."""
    first_line: int
    last_line: int
    cycle: int
    """Which ``Starting fetching of logs.`` cycle the run belongs to (0 before the first one)."""
    name: str | None = None
    """Bucket name, service type, or subscriber type and queue; None when the excerpt does not say."""
    fields: tuple[tuple[str, str], ...] = ()
    """Labelled parts of the ``Executing`` line (Bucket, Path, Type, Profile...)."""
    executing_line: int | None = None
    title_detail: str = ""
    """Account and alias as printed in the run title (``123456789012(prod)``), usually empty."""
    command: tuple[str, ...] = ()
    """The logged command line, split and with secrets masked (debug 1-2 only)."""
    debug_level: int | None = None
    exit_code: int | None = None
    exit_line: int | None = None
    message: str | None = None
    """The C side's second line after ``Returned exit code N`` (the script's message)."""
    output_lines: int = 0
    line_count: int = 0
    """Module lines grouped in this run (OUTPUT continuation lines included)."""
    finished: bool = False
    """True when the run visibly ended (an exit code, an OUTPUT block, or the next run started)."""

    def field(self, label: str) -> str | None:
        """A labelled part of the ``Executing`` line, e.g. ``Type`` or ``Profile``."""
        for name, value in self.fields:
            if name == label:
                return value
        return None

    @property
    def failed(self) -> bool:
        """True when the script returned a non-zero exit code."""
        return self.exit_code is not None and self.exit_code != 0

    @property
    def outcome(self) -> str:
        """``failed``, ``ok`` or ``unknown`` (the excerpt ends before the run does)."""
        if self.failed:
            return "failed"
        return "ok" if self.finished else "unknown"

    @property
    def label(self) -> str:
        """``bucket 'name'``, ``service 'type'``... or the kind alone when the name is unknown."""
        return run_label(self.kind, self.name)


def run_label(kind: str, name: str | None) -> str:
    """How findings name a run's target: ``bucket 'name'``, or the kind alone when the excerpt hides it."""
    if kind == "module":
        return "the aws-s3 module"
    if name:
        return f"{kind} '{name}'"
    return f"{kind} (not named in this excerpt)"


@dataclass
class Repeat:
    """The first of a run's lines matching one frequent pattern, and how many there were."""

    line: int
    text: str
    values: dict[str, str]
    count: int = 1


@dataclass
class RunBuilder:
    """Mutable state of the run being read; frozen into a ModuleRun when the next run starts."""

    index: int
    kind: str
    first_line: int
    cycle: int
    name: str | None = None
    fields: tuple[tuple[str, str], ...] = ()
    executing_line: int | None = None
    title_detail: str = ""
    command: LaunchCommand | None = None
    debug_level: int | None = None
    exit_code: int | None = None
    exit_line: int | None = None
    exit_text: str = ""
    message_line: int | None = None
    message_text: str | None = None
    message_full: str = ""
    """The whole second line as logged (masked), for evidence."""
    single_space_title: bool = False
    output_lines: int = 0
    output_error_lines: list[tuple[int, str]] = field(default_factory=list)
    """(line, text) of ERROR lines, ``+++ Error:`` lines and traceback last lines seen in OUTPUT."""
    sigint: bool = False
    last_line: int = 0
    line_count: int = 0
    last_timestamp: str | None = None
    finished: bool = False
    repeats: dict[str, Repeat] = field(default_factory=dict)
    """Frequent informational lines (``Found new log``...) by explanation id, annotated once per run."""

    @classmethod
    def from_executing(cls, index: int, line: int, cycle: int, executing: ExecutingLine) -> RunBuilder:
        """A run introduced by an ``Executing`` line, named by it."""
        if executing.kind == "bucket":
            name = executing.get("Bucket")
        elif executing.kind == "service":
            name = executing.get("Service")
        else:
            name = executing.get("Type and SQS")
        return cls(index, executing.kind, line, cycle, name=name, fields=executing.fields,
                   executing_line=line)

    @property
    def label(self) -> str:
        """The target name findings use for this run."""
        return run_label(self.kind, self.name)

    def touch(self, number: int, timestamp: str | None) -> None:
        """Count a module line in this run."""
        if self.first_line == 0:
            self.first_line = number
        self.last_line = max(self.last_line, number)
        self.line_count += 1
        if timestamp:
            self.last_timestamp = timestamp

    def use_command(self, command: LaunchCommand) -> None:
        """Remember the logged command; it names the bucket when the Executing line is missing."""
        self.command = command
        self.debug_level = command.debug_level
        if self.name is None:
            for flag in ("--bucket", "--service", "--subscriber"):
                value = command.value(flag)
                if value:
                    self.name = value
                    break

    def record_output_error(self, number: int, text: str) -> None:
        """Keep the first few error lines of the output as evidence for the run's exit code."""
        if len(self.output_error_lines) < 20:
            self.output_error_lines.append((number, text))
        if "SIGINT received" in text:
            self.sigint = True

    def freeze(self) -> ModuleRun:
        """The immutable summary kept in the report."""
        return ModuleRun(
            index=self.index, kind=self.kind, first_line=self.first_line,
            last_line=max(self.last_line, self.first_line), cycle=self.cycle, name=self.name,
            fields=self.fields, executing_line=self.executing_line, title_detail=self.title_detail,
            command=self.command.argv if self.command else (), debug_level=self.debug_level,
            exit_code=self.exit_code, exit_line=self.exit_line, message=self.message_text,
            output_lines=self.output_lines, line_count=self.line_count,
            finished=(self.finished or self.kind == "module" or self.exit_code is not None
                      or self.output_lines > 0),
        )


@dataclass
class OpenTraceback:
    """A Python traceback being read: where it started, its run, and its last exception line so far."""

    start: int
    run: RunBuilder
    last: tuple[int, str] | None = None
