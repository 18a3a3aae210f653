"""Explains an ossec.log excerpt of the aws-s3 module: runs per bucket, and every known line annotated.

Admins paste or point at ossec.log and get, per line, what it means, the fix and the exit code's meaning
for their Wazuh version; failures are attributed to the bucket of the preceding ``Executing`` line because
the C title leaves it blank. The input is streamed, so a huge ossec.log never sits in memory.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from diagnostics.explanations import build_finding, fill
from diagnostics.explanations.log_table import NOTES
from diagnostics.findings import Finding, SourceLocation
from diagnostics.log_explainer.exits import CHECK_ID, PLACEHOLDERS, annotation_finding, explain_exit
from diagnostics.log_explainer.parser import (
    LAUNCHING,
    LogLine,
    parse_command,
    parse_executing,
    parse_line,
    parse_title,
    read_log_file,
)
from diagnostics.log_explainer.patterns import (
    Recognised,
    classify_c_message,
    classify_cause,
    classify_script_line,
    continues_traceback,
    is_c_message,
    is_exception_line,
    refine_marker,
)
from diagnostics.log_explainer.report import Annotation, LogCounts, LogReport
from diagnostics.log_explainer.runs import ModuleRun, OpenTraceback, Repeat, RunBuilder
from diagnostics.masking import scrub
from diagnostics.wazuh.versions import WazuhProfile

__all__ = ["PLACEHOLDERS", "Annotation", "LogCounts", "LogReport", "ModuleRun", "explain_log", "read_log_file"]

MAX_ANNOTATIONS_PER_PATTERN = 500
"""Past this many annotations of one explanation, occurrences are only counted (a year of the same error)."""

FREQUENT = frozenset({
    "log.found_new_log", "log.skipping_processed", "log.skipping_other_prefix", "log.no_logs_to_process",
    "log.working_on", "log.events_sent", "log.discard_match", "log.region_added", "log.event_too_large",
    "log.message_too_long", "log.reparse", "log.remove_from_bucket", "log.mark_failed",
    "log.skipped_on_error",
})
"""Lines that repeat within a run; each is annotated once per run with its count."""

_EXIT_LINE = re.compile(r"^Returned exit code (?P<code>-?\d+)\s*$")


def explain_log(lines: Iterable[str], profile: WazuhProfile, source: str = "<stdin>",
                max_per_pattern: int = MAX_ANNOTATIONS_PER_PATTERN, secrets: Sequence[str] = ()) -> LogReport:
    """Explain ossec.log lines (streamed; trailing newlines allowed) for the given Wazuh version.

    ``secrets`` are known secret values (``masking.known_secrets``), removed from each line before it is
    read, since a secret without an AWS shape (MinIO, Ceph) escapes the pattern masking.
    """
    explainer = _Explainer(profile, source, max_per_pattern)
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n")
        explainer.feed(number, scrub(line, secrets) if secrets else line)
    return explainer.finish()


class _Explainer:
    """The streaming state machine behind ``explain_log``: one pass, one open run at a time."""

    def __init__(self, profile: WazuhProfile, source: str, max_per_pattern: int) -> None:
        self.profile = profile
        self.source = source
        self.max_per_pattern = max_per_pattern
        self.runs: list[ModuleRun] = []
        self.annotations: list[tuple[int, int, Annotation]] = []
        self.occurrences: Counter[str] = Counter()
        self.emitted: Counter[str] = Counter()
        self.current: RunBuilder | None = None
        self.cycle = 0
        self.fetch_seen_in_run = False
        self.block: str | None = None
        """``output`` or ``message`` while untimestamped continuation lines belong to the current run."""
        self.block_start: tuple[int, str] = (0, "")
        self.traceback: OpenTraceback | None = None
        self.total = self.module = self.ignored = self.recognised = self.unrecognised = 0

    # --- input ---------------------------------------------------------------------------------------

    def feed(self, number: int, raw: str) -> None:
        line = parse_line(number, raw)
        self.total += 1
        if self.block is not None:
            if self._continues_block(line):
                self._count(True, self._block_line(line), line)
                return
            self._close_block()
        c_message = line.level is not None and not line.tagged and is_c_message(line)
        if self.traceback is not None and (line.tagged or line.timestamped or c_message):
            self._close_traceback()
        if line.tagged:
            if line.from_aws_module:
                self._count(True, self._module_line(line), line)
            else:
                self._count(False, False)
            return
        if c_message:
            self._count(True, self._module_line(line), line)
            return
        run = self._run()
        if self._script_text(run, line, line.text, strict=True):
            run.touch(number, line.timestamp)
            self._count(True, True, line)
        else:
            self._count(False, False)

    def _count(self, module: bool, recognised: bool, line: LogLine | None = None) -> None:
        if not module:
            self.ignored += 1
            return
        if line is not None and line.masked and not LAUNCHING.match(line.message.strip()):
            self._emit(self._run(), line, "log.secret_in_log", {},
                       evidence=(f"masked: {', '.join(line.masked)}",))
        self.module += 1
        if recognised:
            self.recognised += 1
        else:
            self.unrecognised += 1

    def finish(self) -> LogReport:
        self._close_run()
        file_findings: tuple[Finding, ...] = ()
        if self.module == 0:
            file_findings = (build_finding("log.no_module_lines", check_id=CHECK_ID, target=self.source,
                                           profile=self.profile, values={"count": str(self.total)},
                                           location=SourceLocation(self.source)),)
        counts = LogCounts(self.total, self.module, self.ignored, self.recognised, self.unrecognised,
                           tuple(sorted(self.occurrences.items())))
        ordered = tuple(annotation for _, _, annotation in sorted(self.annotations,
                                                                  key=lambda item: (item[0], item[1])))
        return LogReport(self.source, self.profile.label, tuple(self.runs), ordered, counts, file_findings)

    # --- classification helpers ----------------------------------------------------------------------

    def _continues_block(self, line: LogLine) -> bool:
        if line.timestamped or line.tagged or line.level == "INFO":
            return False
        return line.level is None or not is_c_message(line)

    def _run(self) -> RunBuilder:
        if self.current is None:
            self.current = RunBuilder(len(self.runs), "module", 0, self.cycle)
        return self.current

    def _start_run(self, run: RunBuilder) -> RunBuilder:
        self._close_run(next_started=True)
        run.index = len(self.runs)
        self.current = run
        self.fetch_seen_in_run = False
        return run

    def _new_run(self, kind: str, first_line: int) -> RunBuilder:
        return self._start_run(RunBuilder(len(self.runs), kind, first_line, self.cycle))

    # --- C-side lines --------------------------------------------------------------------------------

    def _module_line(self, line: LogLine) -> bool:
        """A line written by wm_aws.c (or the XML parser); True when a pattern explains it."""
        message = line.message.strip()
        executing = parse_executing(message)
        if executing is not None:
            run = self._start_run(RunBuilder.from_executing(len(self.runs), line.number, self.cycle,
                                                            executing))
            run.touch(line.number, line.timestamp)
            self._recognised(run, line, Recognised("log.executing"))
            return True
        found = classify_c_message(message, line.level)
        if found is not None and found.failure_id in ("log.module_started", "log.fetch_started",
                                                      "log.fetch_finished"):
            self._cycle_line(line, found)
            return True
        title = parse_title(message)
        if title is not None:
            return self._title_line(line, title.kind.lower(), title.detail, title.rest, title.single_space)
        launching = LAUNCHING.match(message)
        if launching is not None:
            self._launch_line(line, launching.group("command"))
            return True
        run = self._run()
        run.touch(line.number, line.timestamp)
        if found is None:
            found = classify_script_line(message)
        if found is not None:
            self._recognised(run, line, found)
            return True
        self._unrecognised(run, line, message)
        return False

    def _cycle_line(self, line: LogLine, found: Recognised) -> None:
        run = self.current
        if found.failure_id == "log.fetch_started":
            self.cycle += 1
            if run is None or run.kind != "module" or self.fetch_seen_in_run:
                run = self._new_run("module", line.number)
            run.cycle = self.cycle
            self.fetch_seen_in_run = True
        else:
            run = self._new_run("module", line.number)
        run.touch(line.number, line.timestamp)
        self._recognised(run, line, found)

    def _title_line(self, line: LogLine, kind: str, detail: str, rest: str, single_space: bool) -> bool:
        exit_match = _EXIT_LINE.match(rest)
        run = self.current
        if run is None or run.kind != kind or (exit_match is not None and run.exit_code is not None):
            run = self._new_run(kind, line.number)
        run.touch(line.number, line.timestamp)
        run.title_detail = detail or run.title_detail
        run.single_space_title = run.single_space_title or single_space
        if exit_match is not None:
            run.exit_code = int(exit_match.group("code"))
            run.exit_line, run.exit_text = line.number, line.text
            return True
        if rest.startswith("OUTPUT:"):
            first = rest[len("OUTPUT:"):].lstrip(" ")
            self._open_block("output", line)
            run.output_lines += 1
            if first:
                self._script_text(run, line, first, strict=False)
            return True
        if run.exit_code is not None and run.message_line is None:
            run.message_line, run.message_text, run.message_full = line.number, rest, line.text
            self._open_block("message", line)
            return True
        found = classify_cause(rest)
        if found is not None:
            self._recognised(run, line, found)
            return True
        self._unrecognised(run, line, rest)
        return False

    def _launch_line(self, line: LogLine, text: str) -> None:
        command = parse_command(text)
        run = self._run()
        if run.kind == "module":
            kind = ("service" if command.has("--service") else
                    "subscriber" if command.has("--subscriber") else "bucket")
            run = self._new_run(kind, line.number)
        run.touch(line.number, line.timestamp)
        run.use_command(command)
        options = ", ".join(flag if value is None else f"{flag} {value}" for flag, value in command.options)
        evidence = (f"options: {options}",) if options else ()
        has_keys = command.has("--access_key") or command.has("--secret_key")
        self._emit(run, line, "log.command_has_keys" if has_keys else "log.launching_command", {},
                   evidence=evidence)
        if command.stray:
            self._emit(run, line, "log.command_stray_argument", {}, evidence=(
                f"tokens without an option: {' '.join(command.stray)}",))

    # --- OUTPUT / message blocks and script lines ----------------------------------------------------

    def _open_block(self, block: str, line: LogLine) -> None:
        self.block = block
        self.block_start = (line.number, line.text)

    def _block_line(self, line: LogLine) -> bool:
        run = self._run()
        run.touch(line.number, None)
        if self.block == "output":
            run.output_lines += 1
        return line.text.strip() == "" or self._script_text(run, line, line.text, strict=False)

    def _close_block(self) -> None:
        if self.traceback is not None:
            self._close_traceback()
        run = self.current
        if self.block == "output" and run is not None:
            number, text = self.block_start
            notes = [fill(NOTES["run_failed_output"], {"code": run.exit_code})] if run.exit_code else \
                [NOTES["run_ok_output"]]
            self._emit(run, LogLine(number, text, text), "log.output_block", {"count": str(run.output_lines)},
                       notes=notes)
        self.block = None

    def _script_text(self, run: RunBuilder, line: LogLine, text: str, *, strict: bool) -> bool:
        """Explain one line the script printed; False when nothing matched (``strict``: stay silent)."""
        stripped = text.strip()
        if self.traceback is not None:
            if continues_traceback(text):
                if is_exception_line(text):
                    self.traceback.last = (line.number, stripped)
                return True
            self._close_traceback()
        if stripped.startswith("Traceback (most recent call last):"):
            self.traceback = OpenTraceback(line.number, run)
            return True
        found = classify_script_line(stripped)
        if found is None:
            if not strict and stripped.startswith(("ERROR:", "CRITICAL:")):
                run.record_output_error(line.number, stripped)
                self._unrecognised(run, line, stripped)
            return False
        if found.failure_id.startswith("log.cause."):
            run.record_output_error(line.number, stripped)
        self._recognised(run, line, refine_marker(run.last_timestamp, found))
        return True

    def _close_traceback(self) -> None:
        traceback, self.traceback = self.traceback, None
        if traceback is None:
            return
        run = traceback.run
        summary = traceback.last[1] if traceback.last else "(no final exception line in the excerpt)"
        start = LogLine(traceback.start, "Traceback (most recent call last):", "")
        self._emit(run, start, "log.traceback", {"summary": summary},
                   evidence=(f"line {traceback.last[0]}: {summary}",) if traceback.last else ())
        if traceback.last is not None:
            run.record_output_error(*traceback.last)
            cause = classify_cause(traceback.last[1])
            if cause is not None:
                number, text = traceback.last
                self._emit(run, LogLine(number, text, text), cause.failure_id, dict(cause.values))

    # --- annotations ---------------------------------------------------------------------------------

    def _recognised(self, run: RunBuilder, line: LogLine, found: Recognised) -> None:
        if found.failure_id in FREQUENT:
            self.occurrences[found.failure_id] += 1
            repeat = run.repeats.get(found.failure_id)
            if repeat is None:
                run.repeats[found.failure_id] = Repeat(line.number, line.text, dict(found.values))
            else:
                repeat.count += 1
            return
        self._emit(run, line, found.failure_id, dict(found.values))

    def _unrecognised(self, run: RunBuilder, line: LogLine, message: str) -> None:
        if line.level in ("WARNING", "ERROR", "CRITICAL") or message.startswith(("ERROR:", "CRITICAL:")):
            failure_id = "log.script_error" if self.block is not None else "log.unrecognised_warning"
            self._emit(run, line, failure_id, {"message": message[:400]})

    def _emit(self, run: RunBuilder, line: LogLine, failure_id: str, values: Mapping[str, str], *,
              notes: Iterable[str] = (), evidence: tuple[str, ...] = (), exit_code: int | None = None,
              ossec_lines: tuple[str, ...] | None = None, title: str | None = None,
              count: bool = True, fix: str | None = None) -> None:
        if count and failure_id not in FREQUENT:
            self.occurrences[failure_id] += 1
        self.emitted[failure_id] += 1
        if self.emitted[failure_id] > self.max_per_pattern:
            return
        finding = annotation_finding(run, line, failure_id, values, self.profile, self.source, notes=notes,
                                     evidence=evidence, exit_code=exit_code, ossec_lines=ossec_lines,
                                     title=title, fix=fix)
        annotation = Annotation(line.number, line.text, finding, run.index)
        self.annotations.append((line.number, len(self.annotations), annotation))

    # --- closing a run -------------------------------------------------------------------------------

    def _close_run(self, next_started: bool = False) -> None:
        if self.block is not None:
            self._close_block()
        if self.traceback is not None:
            self._close_traceback()
        run = self.current
        if run is None:
            return
        for failure_id, repeat in run.repeats.items():
            notes = [fill(NOTES["repeats"], {"count": repeat.count, "line": repeat.line})] \
                if repeat.count > 1 else []
            self._emit(run, LogLine(repeat.line, repeat.text, repeat.text), failure_id, repeat.values,
                       notes=notes, count=False)
        if run.exit_code is not None and run.exit_line is not None:
            self._explain_exit(run)
        run.finished = run.finished or next_started
        if run.line_count:
            self.runs.append(run.freeze())
        self.current = None

    def _explain_exit(self, run: RunBuilder) -> None:
        explained = explain_exit(run, self.profile)
        exit_line = LogLine(run.exit_line or 0, run.exit_text, run.exit_text)
        self._emit(run, exit_line, explained.failure_id, explained.values, notes=explained.notes,
                   evidence=explained.evidence, exit_code=explained.code, ossec_lines=explained.ossec_lines,
                   title=explained.title, fix=explained.fix)
