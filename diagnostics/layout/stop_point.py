"""Where a run would stop on a broken file, and which keys it therefore never reaches this run.

Without skip_on_error the module exits at the first file it cannot decompress or parse, so every key the
walk lists after that file is not read by this run (and, as nothing is committed, the next run starts over).
A listing alone cannot see this: the first files the run would read are decoded here, as the module would,
until one stops the run or a budget of files is spent.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from diagnostics.context import DoctorContext
from diagnostics.decode.errors import classify_load_error
from diagnostics.decode.model import decode_context_for
from diagnostics.decode.registry import module_would_send
from diagnostics.decode.streams import open_s3_object
from diagnostics.explanations import build_finding
from diagnostics.findings import Finding
from diagnostics.layout.classify import ClassifiedKey, SkipReason, Verdict
from diagnostics.layout.prefixes import BucketLayout
from diagnostics.wazuh.wodle import Block, Wodle

MAX_FILES_DECODED = 25
"""Files decoded to find a stop: enough for a page of keys, bounded for a check on a busy bucket."""
MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024
"""Per-file decode budget, as for the sample step of the check."""


@dataclass(frozen=True)
class StopPoint:
    """The file the run stops at, its exit code, and the finding that explains the stop."""

    key: str
    exit_code: int
    finding: Finding
    files_decoded: int


@dataclass(frozen=True)
class StopSearch:
    """The result of decoding the first files a run would read."""

    stop: StopPoint | None
    files_decoded: int
    budget_spent: bool
    """True when later read files were not decoded (the answer covers only the first ones)."""


def find_stop(client: Any, block: Block, wodle: Wodle | None, context: DoctorContext,
              keys: Iterable[ClassifiedKey], *, max_files: int = MAX_FILES_DECODED,
              cancel: threading.Event | None = None) -> StopSearch:
    """Decode, in walk order, the keys the run would read until one would stop it (skip_on_error honoured)."""
    skip_on_error = wodle is not None and wodle.value("skip_on_error") == "yes"
    decoded = 0
    for classified in keys:
        if classified.verdict is not Verdict.READ:
            continue
        if decoded >= max_files or (cancel is not None and cancel.is_set()):
            return StopSearch(None, decoded, True)
        decoded += 1
        key = classified.key
        try:
            stream = open_s3_object(client, block.name or "", key)
        except Exception as error:  # the module's get_log_file turns any read failure into its exit
            if skip_on_error:
                continue
            loaded = classify_load_error(error, key)
            finding = build_finding(loaded.failure_id, check_id="walk.stop", target=block.name or block.label,
                                    profile=context.profile, values=loaded.values)
            return StopSearch(StopPoint(key, loaded.exit_code, finding, decoded), decoded, False)
        layout = BucketLayout.from_block(block, native_guardduty="AWSLogs/" in key)
        try:
            verdict = module_would_send(stream, key, decode_context_for(block, wodle, context, path=layout.path),
                                        cancel=cancel, preview=0, max_decompressed_bytes=MAX_DECOMPRESSED_BYTES)
        finally:
            stream.close()
        for problem in verdict.problems:
            if problem.stops_run:
                exit_code = problem.finding.wazuh_exit_code or 1
                return StopSearch(StopPoint(key, exit_code, problem.finding, decoded), decoded, False)
    return StopSearch(None, decoded, False)


def after_stop(keys: Sequence[ClassifiedKey], stop: StopPoint) -> tuple[ClassifiedKey, ...]:
    """The keys with those the run never reaches marked so: the stopping file says so, later reads are skipped."""
    marked: list[ClassifiedKey] = []
    reached_stop = False
    for classified in keys:
        if classified.key == stop.key and classified.verdict is Verdict.READ:
            reached_stop = True
            marked.append(dataclasses.replace(
                classified, explanation=f"the run reads it, fails and stops here with exit {stop.exit_code}; "
                                        "nothing of this run is recorded, so the next run starts over"))
            continue
        if reached_stop and classified.verdict is Verdict.READ:
            marked.append(dataclasses.replace(
                classified, verdict=Verdict.SKIPPED, reason=SkipReason.AFTER_STOP, debug_line=None,
                debug_level=None,
                explanation=f"not read this run: the run stops earlier at {stop.key} (exit {stop.exit_code})"))
            continue
        marked.append(classified)
    return tuple(marked)


def stop_finding(stop: StopPoint, *, target: str, context: DoctorContext, not_reached: int,
                 check_id: str) -> Finding:
    """One finding: where the run stops, with which exit, and how many listed files it never reaches."""
    return build_finding("walk.stops_at_file", check_id=check_id, target=target, profile=context.profile,
                         values={"key": stop.key, "exit_code": stop.exit_code, "not_reached": not_reached,
                                 "cause": stop.finding.title},
                         evidence=(stop.finding.title, *stop.finding.evidence[:2]))


def keys_with_stop(client: Any, block: Block, wodle: Wodle | None, context: DoctorContext,
                   keys: Sequence[ClassifiedKey], *, check_id: str, delete_refused: Finding | None = None,
                   cancel: threading.Event | None = None) -> tuple[tuple[ClassifiedKey, ...], tuple[Finding, ...]]:
    """The walk's keys as the run really meets them: where it stops on a broken file, and what it never reaches.

    Returns the keys (those after the stop marked ``after_stop``) and the findings: the stop with its exit
    code and the cause, or nothing when the decoded files are fine. ``delete_refused`` (remove_from_bucket
    with credentials that may not delete) stops the run with exit 1 right after the first file it reads.
    """
    first_read = next((item for item in keys if item.verdict is Verdict.READ), None)
    search = find_stop(client, block, wodle, context, keys, cancel=cancel,
                       max_files=1 if delete_refused is not None else MAX_FILES_DECODED)
    if search.stop is None and delete_refused is not None and first_read is not None:
        return after_stop(keys, StopPoint(first_read.key, 1, delete_refused, 1)), (delete_refused,)
    if search.stop is None:
        return tuple(keys), ()
    marked = after_stop(keys, search.stop)
    not_reached = sum(1 for item in marked if item.reason is SkipReason.AFTER_STOP)
    finding = stop_finding(search.stop, target=block.name or block.label, context=context,
                           not_reached=not_reached, check_id=check_id)
    return marked, (finding, search.stop.finding)
