"""The one entry point: decode an object as the module would, yielding events and problems as they come.

It drives a per-type decoder (load, then reformat) over a streamed, size-capped text view of the object,
and reproduces the module's order of failures: the module inflates and parses a whole object before
sending any of it, so a late error means none of the events already shown would be sent.
"""

from __future__ import annotations

import copy
import json
import re
import threading
from collections.abc import Iterator
from typing import Any, BinaryIO

from diagnostics.decode import problems
from diagnostics.decode.base import LoadContext, LoadedRecord, LoadNote, TypeDecoder
from diagnostics.decode.cloudtrail import CloudTrailDecoder
from diagnostics.decode.config import ConfigDecoder
from diagnostics.decode.custom import CustomDecoder
from diagnostics.decode.cuts import (
    KEPT_STRING_CHARS,
    LONG_STRING_CHARS,
    CutLedger,
    LongStringStop,
)
from diagnostics.decode.discard import DiscardRule, compile_rule
from diagnostics.decode.envelope import (
    OVERSIZE_DEBUG_LINE,
    build_message,
    is_oversized,
    payload_for,
    payload_size,
)
from diagnostics.decode.errors import (
    DecodeCancelled,
)
from diagnostics.decode.guardduty import GuardDutyDecoder, is_native_key
from diagnostics.decode.load_balancers import ALBDecoder, CLBDecoder, NLBDecoder
from diagnostics.decode.model import (
    DecodeContext,
    DecodeCounters,
    DecodedEvent,
    DecodeItem,
    DroppedRecord,
    EventSummary,
    FileProblem,
    SendVerdict,
)
from diagnostics.decode.object_failures import failure_position, failure_problems, first_read_error
from diagnostics.decode.server_access import ServerAccessDecoder
from diagnostics.decode.streams import (
    DEFAULT_MAX_DECOMPRESSED_BYTES,
    OpenedObject,
    open_text,
)
from diagnostics.decode.umbrella import UmbrellaDecoder
from diagnostics.decode.vpcflow import VPCFlowDecoder
from diagnostics.decode.waf import WAFDecoder

DECODERS: dict[str, TypeDecoder] = {
    decoder.bucket_type: decoder
    for decoder in (CloudTrailDecoder(), ConfigDecoder(), VPCFlowDecoder(), CustomDecoder(),
                    GuardDutyDecoder(), WAFDecoder(), ALBDecoder(), CLBDecoder(), NLBDecoder(),
                    ServerAccessDecoder(), UmbrellaDecoder())
}

_REFORMAT_DEBUG = (3, "++ Reformat message")
PREVIEW_PAYLOAD_CHARS = 8 * 1024 * 1024
"""A preview (a ``limit``) also stops once its events hold this much text, so records of a few MiB each
cannot add up to gigabytes before the event limit is reached (200 ordinary events hold well under 1 MiB)."""


def decode_object(stream: BinaryIO, key: str, context: DecodeContext, *, limit: int | None = None,
                  cancel: threading.Event | None = None, counters: DecodeCounters | None = None,
                  max_decompressed_bytes: int = DEFAULT_MAX_DECOMPRESSED_BYTES) -> Iterator[DecodeItem]:
    """Events (``DecodedEvent``) and problems (``FileProblem``) of one object, in the module's order.

    ``limit`` stops after that many events (or ``PREVIEW_PAYLOAD_CHARS`` of them) and makes this a preview
    (it stops at the first string over 4 MiB); ``cancel`` stops between records and between chunks of the
    object; both leave ``counters.complete`` False. ``counters`` (optional) is filled as items are yielded.
    Never raises for bad content: every failure becomes a FileProblem.
    """
    run = _ObjectRun(key, context, counters if counters is not None else DecodeCounters(), limit, cancel)
    yield from run.items(stream, max_decompressed_bytes)


def module_would_send(stream: BinaryIO, key: str, context: DecodeContext, *,
                      cancel: threading.Event | None = None, preview: int = 5,
                      max_decompressed_bytes: int = DEFAULT_MAX_DECOMPRESSED_BYTES) -> SendVerdict:
    """Decode a whole object keeping only totals, problems and the first ``preview`` events."""
    counters = DecodeCounters()
    found: list[FileProblem] = []
    first: list[DecodedEvent] = []
    for item in decode_object(stream, key, context, cancel=cancel, counters=counters,
                              max_decompressed_bytes=max_decompressed_bytes):
        if isinstance(item, FileProblem):
            found.append(item)
        elif len(first) < preview:
            first.append(item)
    return SendVerdict(key=key, totals=counters.freeze(), problems=tuple(found), first_events=tuple(first))


class _ObjectRun:
    """State of decoding one object (kept out of the generator so each step stays small)."""

    def __init__(self, key: str, context: DecodeContext, counters: DecodeCounters, limit: int | None,
                 cancel: threading.Event | None) -> None:
        self.key = key
        self.context = context
        self.counters = counters
        self.limit = limit
        self.cancel = cancel
        self.decoder: TypeDecoder | None = DECODERS.get(context.bucket_type)
        self.load_context = LoadContext(key=key, decode=context, cuts=CutLedger(stop_early=limit is not None))
        account = self.decoder.envelope_account(self.load_context) if self.decoder else None
        self.ref = problems.ObjectRef(key, context, account)
        self.events_yielded = 0
        self.payload_chars = 0
        self.record_index = -1
        self.last_line: int | None = None
        self.rule_lines: tuple[tuple[int, str], tuple[int, str]] | None = None
        self.cut_events = 0
        self.pending_failure: tuple[str, BaseException, int] | None = None
        """A reformat/send failure: the module meets it only after loading the whole object."""

    # -- driving -----------------------------------------------------------------------------------------
    def items(self, stream: BinaryIO, max_bytes: int) -> Iterator[DecodeItem]:
        decoder = self.decoder
        if decoder is None:
            yield self._count(problems.problem(self.ref, "decode.unknown_bucket_type",
                                               {"type": self.context.bucket_type}, recoverable=False,
                                               stops_run=True))
            return
        try:
            rule = compile_rule(self.context.discard_field, self.context.discard_regex)
        except re.error as error:
            yield self._count(problems.problem(self.ref, "decode.invalid_discard_regex",
                                               {"error": str(error)}, recoverable=False, stops_run=True))
            return
        yield from self._prechecks()
        if self.counters.aborted:
            return
        try:
            opened = open_text(stream, self.key, max_decompressed_bytes=max_bytes,
                               whole_chars=self.context.whole_document_chars, cancel=self.cancel)
        except Exception as error:
            yield from self._failure(error, None)
            return
        if opened.mismatch:
            yield self._count(problems.problem(self.ref, "decode.magic_mismatch",
                                               {"mismatch": opened.mismatch}))
        if opened.content == "empty":
            yield self._count(problems.problem(self.ref, "decode.empty_object", {}))
        yield from self._records(decoder, rule, opened)

    def _prechecks(self) -> Iterator[FileProblem]:
        if self.context.bucket_type == "cloudtrail" and "/CloudTrail-Digest/" in f"/{self.key}":
            yield self._count(problems.problem(self.ref, "decode.digest_file", {}))
        if self.context.bucket_type == "guardduty" and not is_native_key(self.key):
            if not self.context.profile.guardduty_firehose_supported:
                self.counters.aborted = True
                yield self._count(problems.problem(self.ref, "decode.guardduty_firehose_unsupported", {},
                                                   recoverable=False, stops_run=True))
            else:
                yield self._count(problems.problem(self.ref, "decode.guardduty_kinesis_deprecated", {}))

    def _records(self, decoder: TypeDecoder, rule: DiscardRule, opened: OpenedObject) -> Iterator[DecodeItem]:
        iterator = iter(decoder.load(opened.text, self.load_context))
        while True:
            if self._should_stop():
                return
            try:
                item = next(iterator)
            except StopIteration:
                break
            except DecodeCancelled:
                return  # stopped inside the object: incomplete, like a cancel between records
            except LongStringStop as stop:
                yield self._count(problems.problem(
                    self.ref, "decode.long_string_preview",
                    {"position": stop.position, "long": LONG_STRING_CHARS, "kept": _HEAD_SHOWN},
                    evidence=(f"the record begins: {_head(stop.head)}",)))
                return
            except Exception as error:
                try:
                    first = first_read_error(error, decoder, opened)
                except DecodeCancelled:
                    return
                yield from self._failure(first, opened)
                return
            cut_chars = self.load_context.cuts.take()
            if isinstance(item, LoadNote):
                note = self._note(item)
                if note is not None:
                    yield note
                continue
            self.counters.records_read += 1
            self.record_index += 1
            self.last_line = item.line if item.line is not None else self.last_line
            if self.pending_failure is None:
                yield from self._events(decoder, rule, item, cut_chars)
        yield from self._finish()

    def _should_stop(self) -> bool:
        if self.cancel is not None and self.cancel.is_set():
            return True
        return self.limit is not None and (self.events_yielded >= self.limit
                                           or self.payload_chars > PREVIEW_PAYLOAD_CHARS)

    # -- events ------------------------------------------------------------------------------------------
    def _events(self, decoder: TypeDecoder, rule: DiscardRule,
                loaded: LoadedRecord, cut_chars: int = 0) -> Iterator[DecodedEvent]:
        record = loaded.record
        debug: list[tuple[int, str]] = list(loaded.debug_lines)
        discarded = rule.matches(record)
        debug.append(self._rule_lines(rule)[discarded])
        warnings: list[str] = []
        try:
            working = copy.deepcopy(record) if discarded else record
            message = build_message(self.context.bucket, self.key, self.context.account_alias, working,
                                    account_id=self.ref.envelope_account)
            events = decoder.reformat(message, warnings.append)
        except Exception as error:
            if discarded:
                events = []
            else:
                self.pending_failure = ("decode.reformat_failed", error, self.events_yielded)
                return
        debug.append(_REFORMAT_DEBUG)
        keep_raw = self.context.keep_raw
        for message in events:
            try:
                payload = payload_for(message)
            except Exception as error:  # json.dumps failing (e.g. nesting too deep): send_msg's exit 13
                if not discarded:
                    self.pending_failure = ("decode.send_failed", error, self.events_yielded)
                    return
                continue
            size = payload_size(payload) + cut_chars  # each character left out is at least one byte
            oversized = is_oversized(size)
            if cut_chars and not discarded:
                self.cut_events += 1
            lines = list(debug)
            if oversized and not discarded:
                lines.append((1, OVERSIZE_DEBUG_LINE))
                self.counters.oversized += 1
            self.counters.events_built += 1
            if discarded:
                self.counters.discarded += 1
            else:
                self.counters.events_sent += 1
            yield DecodedEvent(
                index=self.events_yielded, record_index=self.record_index, line=loaded.line,
                raw_record=_json_safe(loaded.raw) if keep_raw else None, message=message, payload=payload,
                size_bytes=size, oversized=oversized, discarded_by=rule.describe() if discarded else None,
                summary=self._summary(decoder, message) if keep_raw else EventSummary(),
                warnings=tuple(warnings), debug_lines=tuple(lines), cut_chars=cut_chars)
            self.events_yielded += 1
            self.payload_chars += len(payload)

    def _rule_lines(self, rule: DiscardRule) -> tuple[tuple[int, str], tuple[int, str]]:
        """The kept and skipped debug lines, formatted once per object rather than once per record."""
        if self.rule_lines is None:
            self.rule_lines = ((3, rule.kept_line()), (2, rule.skipped_line()))
        return self.rule_lines

    @staticmethod
    def _summary(decoder: TypeDecoder, message: dict[str, Any]) -> EventSummary:
        try:
            return decoder.summarize(message.get("aws", {}))
        except Exception:  # a summary is a convenience; never let it hide the event
            return EventSummary()

    # -- notes and endings -------------------------------------------------------------------------------
    def _note(self, note: LoadNote) -> FileProblem | None:
        if note.dropped_reason is not None:
            self.counters.records_read += 1
            self.record_index += 1
            self.counters.drop(note.dropped_reason)
            if len(self.counters.dropped_records) < self.context.keep_dropped and note.record is not None:
                self.counters.dropped_records.append(
                    DroppedRecord(self.record_index, _json_safe(note.record), note.dropped_reason))
            return None
        values = dict(note.values)
        evidence: tuple[str, ...] = ()
        if note.failure_id == "decode.waf_structure":
            evidence = (f"ERROR: The {self.key} file doesn't have the expected structure.",)
        elif note.failure_id == "decode.waf_json":
            evidence = (f"ERROR: Events from {values.get('basename', '')} file could not be loaded.",)
        return self._count(problems.problem(self.ref, note.failure_id, values, evidence=evidence,
                                            line=note.line, recoverable=note.recoverable,
                                            stops_run=note.stops_run))

    def _finish(self) -> Iterator[FileProblem]:
        self.counters.complete = True
        if self.pending_failure is not None:
            failure_id, error, index = self.pending_failure
            self.counters.aborted = True
            if failure_id == "decode.send_failed":
                printed: tuple[str, ...] = (f"ERROR: Error sending message to wazuh: {error}",)
            else:
                printed = (f"DEBUG: +++ Unexpected error: {error} (debug 2)",
                           f"ERROR: Unexpected error querying/working with objects in S3: {error}")
            yield self._count(problems.problem(
                self.ref, failure_id, {"error": str(error), "position": f"#{index + 1}"},
                evidence=(*printed, f"{index} event(s) of this object were sent before the crash"),
                recoverable=False, stops_run=True))
            return
        dropped = self.counters.dropped
        if dropped:
            yield self._count(problems.problem(self.ref, "decode.no_detail",
                                               {"count": sum(dropped.values()),
                                                "records": self.counters.records_read}))
        if self.counters.oversized:
            yield self._count(problems.problem(self.ref, "decode.oversized_events",
                                               {"count": self.counters.oversized}))
        if self.cut_events:
            yield self._count(problems.problem(self.ref, "decode.events_cut",
                                               {"count": self.cut_events, "kept": KEPT_STRING_CHARS,
                                                "long": LONG_STRING_CHARS}))

    def _failure(self, error: BaseException, opened: OpenedObject | None) -> Iterator[FileProblem]:
        """One failure that ends this object, in the module's words."""
        line, offset = failure_position(error, self.last_line)
        yield from failure_problems(self.ref, self.context, self.counters, error, line, offset)

    def _count(self, found: FileProblem) -> FileProblem:
        self.counters.problems += 1
        return found


_HEAD_SHOWN = 2000
"""How much of a record cut short by a preview its finding shows."""


def _head(text: str) -> str:
    """The first ``_HEAD_SHOWN`` characters of a record's text, saying how much more there was."""
    if len(text) <= _HEAD_SHOWN:
        return text + "…"
    return f"{text[:_HEAD_SHOWN]}… ({len(text) - _HEAD_SHOWN:,} more characters read, the rest not read)"


def _json_safe(value: Any) -> Any:
    """A copy that ``json.dumps`` accepts (CSV rows carry a None key for extra columns)."""
    try:
        json.dumps(value)
        return value
    except (TypeError, ValueError):
        return json.loads(json.dumps(value, default=str))
    except RecursionError:
        return "<nested too deeply to show>"
