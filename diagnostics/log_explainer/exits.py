"""Why a run returned its exit code: the cause behind ``Returned exit code N`` for the detected version.

The C side logs only the code and one line, and exit 12 (and exit 1 at debug 1-2) is a catch-all, so the
cause comes from the message, the OUTPUT block and the logged command together; kept apart from the line
state machine because it is the part that encodes the module's exit-code rules (which code each failure ends with
and what wm_aws.c logs for it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from diagnostics.explanations import build_finding, fill, lookup
from diagnostics.explanations.log_table import EXIT_MEANINGS, NOTES, SUSPECTS
from diagnostics.findings import Finding, SourceLocation
from diagnostics.log_explainer.parser import LaunchCommand, LogLine
from diagnostics.log_explainer.patterns import GENERIC_MESSAGES, Recognised, classify_cause
from diagnostics.log_explainer.runs import RunBuilder
from diagnostics.wazuh.versions import WazuhProfile

DEFAULT_CAUSE = {2: "log.cause.arguments", 4: "log.cause.boto3_missing", 6: "log.cause.sqlite_create",
                 10: "log.cause.pyarrow_missing", 11: "log.cause.wazuh_not_running", 14: "log.cause.no_files",
                 15: "log.cause.endpoint", 18: "log.cause.no_logs_in_prefix", 19: "log.cause.clock_skew",
                 20: "log.cause.queue_not_found", 22: "log.cause.invalid_region",
                 23: "log.cause.profile_not_in_config"}
"""The explanation of an exit code whose message is empty or unrecognised, when the code has one cause."""
GENERIC_EXITS = frozenset({1, 3, 5, 7, 8, 9, 12, 13, 16, 17, 21})
ALSO_EXPECTED = {"log.cause.endpoint": (12,), "log.cause.db_locked": (5,), "log.cause.access_error": (1, 12),
                 "log.cause.sqlite_error": (6,), "log.cause.parse": (1,), "log.cause.decompress": (1,)}
"""Codes that legitimately accompany a message besides the entry's own (services, old releases)."""

PLACEHOLDERS = {"profile_name": "<profile>", "path": "<bucket>/<path>", "prefix": "<prefix>",
                "url": "<endpoint URL>", "region": "<region>", "marker": "", "key": "", "account": "?",
                "message": "", "when": "?", "level": "?", "where": "the bucket", "status_code": "?",
                "error_code": "?", "summary": "", "count": "0", "date": "?"}


@dataclass(frozen=True)
class ExitExplanation:
    """The explanation chosen for one ``Returned exit code N`` line and the notes that qualify it."""

    code: int
    failure_id: str
    values: dict[str, str]
    notes: tuple[str, ...]
    title: str
    evidence: tuple[str, ...]
    """The second line (when logged), as ``line N: text``."""
    ossec_lines: tuple[str, ...]
    fix: str | None = None
    """Replaces the entry's fix when the excerpt lacks the script's message the fix would send one to."""


def explain_exit(run: RunBuilder, profile: WazuhProfile) -> ExitExplanation:
    """Pick the cause of a failed run: its message, else its OUTPUT, else the code's only meaning."""
    code = run.exit_code if run.exit_code is not None else 0
    message = run.message_text
    cause = None
    if message is not None and not GENERIC_MESSAGES.match(message.strip()):
        cause = classify_cause(message)
    notes: list[str] = []
    if cause is None:
        for number, text in run.output_error_lines:
            cause = classify_cause(text)
            if cause is not None:
                notes.append(fill(NOTES["output_says"], {"line": number, "text": text}))
                break
    if code == 2 and run.sigint:
        cause = Recognised("log.cause.sigint")
    if cause is not None:
        failure_id, values = cause.failure_id, dict(cause.values)
    else:
        failure_id = DEFAULT_CAUSE.get(code) or (f"log.exit.{code}" if code in GENERIC_EXITS
                                                 else "log.exit.other")
        values = {}
    meaning = EXIT_MEANINGS.get(code)
    values.setdefault("message", message or "")
    values.update(code=str(code), meaning=meaning or fill(NOTES["exit_unknown"], {"code": code}))
    if failure_id != "log.exit.other":
        # log.exit.other's explanation is the meaning itself; the note would say it a second time.
        notes.insert(0, fill(NOTES["exit_meaning"], {"code": code, "meaning": meaning}) if meaning
                     else fill(NOTES["exit_unknown"], {"code": code}))
    fix: str | None = None
    if failure_id.startswith("log.exit.") and message is None:
        notes.append(fill(NOTES["no_message"], {"code": code}))
        fix = fill(NOTES["no_message_fix"], {"code": code})
    elif failure_id.startswith("log.exit.") and message is not None and message.strip():
        notes.append(fill(NOTES["unrecognised_message"], {"message": message.strip()}))
    notes.extend(_exit_notes(run, profile, failure_id, code, message))
    entry_title = fill(lookup(failure_id).title, {**PLACEHOLDERS, **values})
    title = fill(NOTES["exit_title"], {"code": code, "title": entry_title})
    evidence: tuple[str, ...] = ()
    ossec_lines: tuple[str, ...] = (run.exit_text,)
    if run.message_line is not None:
        evidence = (f"line {run.message_line}: {run.message_full}",)
        ossec_lines = (run.exit_text, run.message_full)
    return ExitExplanation(code, failure_id, values, tuple(notes), title, evidence, ossec_lines, fix)


def _exit_notes(run: RunBuilder, profile: WazuhProfile, failure_id: str, code: int,
                message: str | None) -> list[str]:
    entry = lookup(failure_id)
    expected, _ = entry.behaviour_for(profile)
    version = profile.label
    notes: list[str] = []
    if entry.legacy is not None and code == entry.legacy.exit_code and entry.exit_code != code:
        if profile.every_client_error_is_exit_3:
            notes.append(fill(NOTES["legacy_on_old"], {"version": version}))
        else:
            current = f"exit {entry.exit_code} with `{entry.script_message}`"
            notes.append(fill(NOTES["legacy_on_new"], {"version": version, "current": current}))
    elif entry.catch_all and code == 1 and expected == 12:
        notes.append(NOTES["reraised"])
    elif expected is not None and code != expected and code not in ALSO_EXPECTED.get(failure_id, ()):
        notes.append(fill(NOTES["code_mismatch"], {"expected": expected, "version": version, "code": code}))
    if message is not None and not message.strip():
        notes.append(NOTES["empty_message"])
    if run.single_space_title:
        notes.append(NOTES["single_space"])
    if run.executing_line is not None:
        notes.append(fill(NOTES["attributed"], {"target": run.label, "executing_line": run.executing_line}))
    elif run.name is None:
        notes.append(NOTES["not_attributed"])
    if run.debug_level:
        notes.append(fill(NOTES["debug_level"], {"level": run.debug_level}))
    if code == 2 and run.command is not None:
        for suspect, suspect_values in argument_suspects(run.command):
            if suspect == "stray" and profile.quotes_arguments:
                suspect = "stray_quoted"
            text = fill(SUSPECTS[suspect], {**suspect_values, "version": version})
            notes.append(fill(NOTES["suspect"], {"suspect": text}))
    return notes


_BUCKET_NAME = re.compile(r"(?!(^xn--|.+-s3alias$|.+--ol-s3$))^[a-z0-9][a-z0-9-.]{1,61}[a-z0-9]$")
_DATE = re.compile(r"^\d{4}-[A-Za-z]{3}-\d{1,2}$")
_ROLE_ARN = re.compile(r"^arn:aws[\w-]*:iam::\d{12}:role/[\w+=,.@/-]+$")


def argument_suspects(command: LaunchCommand) -> list[tuple[str, dict[str, str]]]:
    """Values on a logged command line that the script's argparse would reject, as (suspect kind, values)."""
    suspects: list[tuple[str, dict[str, str]]] = [("stray", {"token": token}) for token in command.stray]
    for flag, value in command.options:
        if value is None:
            if flag not in ("--remove", "--reparse", "--skip_on_error", "--remove-log-streams"):
                suspects.append(("missing_value", {"flag": flag}))
            continue
        if flag == "--only_logs_after" and not _DATE.match(value):
            suspects.append(("date", {"value": value}))
        elif flag == "--bucket" and not _BUCKET_NAME.match(value):
            suspects.append(("bucket", {"value": value}))
        elif flag == "--aws_account_id" and not all(
                part.strip().isdigit() and len(part.strip()) == 12 for part in value.split(",")):
            suspects.append(("account", {"value": value}))
        elif flag == "--iam_role_duration" and not (value.isdigit() and 900 <= int(value) <= 3600):
            suspects.append(("duration", {"value": value}))
        elif flag == "--iam_role_arn" and not _ROLE_ARN.match(value):
            suspects.append(("arn", {"value": value}))
    return suspects


CHECK_ID = "log.explain"
"""Every finding of the log explainer carries this check id."""


def annotation_finding(run: RunBuilder, line: LogLine, failure_id: str, values: Mapping[str, str],
                       profile: WazuhProfile, source: str, *, notes: Iterable[str] = (),
                       evidence: tuple[str, ...] = (), exit_code: int | None = None,
                       ossec_lines: tuple[str, ...] | None = None, title: str | None = None,
                       fix: str | None = None) -> Finding:
    """The finding for one explained log line: the table entry filled for its run, with the real lines."""
    filled = {**PLACEHOLDERS, "target": run.label, **values}
    finding = build_finding(
        failure_id, check_id=CHECK_ID, target=run.label, profile=profile,
        evidence=(f"line {line.number}: {line.text}", *evidence),
        location=SourceLocation(source, line.number), values=filled,
        details={"line": line.number, "run": run.index, "run_kind": run.kind, "run_name": run.name},
    )
    changes: dict[str, object] = {"ossec_log": ossec_lines or (line.text,)}
    note_text = " ".join(note for note in notes if note)
    if note_text:
        changes["explanation"] = f"{finding.explanation} {note_text}".strip()
    if exit_code is not None:
        changes["wazuh_exit_code"] = exit_code
    elif run.exit_code is not None and failure_id.startswith("log.cause."):
        changes["wazuh_exit_code"] = run.exit_code
    if title is not None:
        changes["title"] = title
    if fix is not None:
        changes["fix"] = fix
    return replace(finding, **changes)  # type: ignore[arg-type]
