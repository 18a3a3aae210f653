"""The values a decode pass hands out, kept apart so type decoders and faces share one vocabulary."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Union

from diagnostics.findings import Finding
from diagnostics.wazuh.ossec_log import RunTitle
from diagnostics.wazuh.versions import WazuhProfile, assumed_profile

if TYPE_CHECKING:
    from diagnostics.context import DoctorContext
    from diagnostics.wazuh.wodle import Block, Wodle

BUCKET_TYPES: tuple[str, ...] = (
    "cloudtrail", "config", "vpcflow", "custom", "guardduty", "waf", "alb", "clb", "nlb", "server_access",
    "cisco_umbrella",
)
"""Every ``<bucket type>`` the module knows (wmodules-aws.c rejects any other)."""

AWSLOGS_TYPES: frozenset[str] = frozenset({"cloudtrail", "config", "vpcflow"})
"""Types whose envelope carries ``aws.aws_account_id`` (the module's AWSLogsBucket subclasses)."""


@dataclass(frozen=True)
class DecodeContext:
    """What the module knows about an object when it decodes it: its bucket block and version."""

    bucket_type: str
    bucket: str
    path: str = ""
    """The block's ``path`` with the module's trailing ``/`` (Umbrella picks its columns from it)."""
    account_alias: str = ""
    aws_account_id: str | None = None
    """Account for AWSLogs types; None derives it from the key (the folder before the service name)."""
    profile: WazuhProfile = field(default_factory=assumed_profile)
    discard_field: str | None = None
    discard_regex: str | None = None
    skip_on_error: bool = False
    run_title: RunTitle | None = None
    """The C side's run title; when set, findings predict the ossec.log lines of a failing run."""
    debug_level: int = 0
    """``-d`` passed to the script, used to choose which debug lines a finding quotes."""
    keep_raw: bool = True
    """Keep each record's untouched copy and one-line summary (previews); the ingestion pass needs neither."""
    keep_dropped: int = 0
    """Previews keep up to this many records the module drops silently, each with why (a raw view shows
    them); the pass and the checks only count them."""
    whole_document_chars: int = 0
    """Objects whose text is at most this size are decoded from memory: a body held in memory is inflated
    in one call (``streams.whole_text``, any type), and JSON texts (CloudTrail and Config documents,
    Firehose's concatenated objects) are parsed in C-speed calls. The ingestion pass sets it, since it
    needs every record anyway; 0 streams everything, so a preview shows the first events of a text that
    fails late."""


def decode_context_for(block: Block, wodle: Wodle | None, context: DoctorContext, *, path: str,
                       debug_level: int | None = None, keep_raw: bool = True,
                       whole_document_chars: int = 0) -> DecodeContext:
    """What the module knows when it decodes an object of this block, built in one place so that Preview,
    the sample check and the ingestion pass decode alike (``skip_on_error`` is the wodle's option).

    ``path`` is the block's ``path`` as the script's argparse leaves it (the layout's ``path``).
    """
    discard = block.discard_regex
    return DecodeContext(
        bucket_type=(block.block_type or "cloudtrail").lower(), bucket=block.name or "", path=path,
        account_alias=block.value("aws_account_alias") or "", profile=context.profile,
        discard_field=discard.attributes.get("field") if discard else None,
        discard_regex=discard.value if discard else None,
        skip_on_error=wodle is not None and wodle.value("skip_on_error") == "yes",
        run_title=RunTitle.for_bucket(block.value("aws_account_id"), block.value("aws_account_alias")),
        debug_level=context.debug_level if debug_level is None else debug_level, keep_raw=keep_raw,
        whole_document_chars=whole_document_chars)


@dataclass(frozen=True)
class EventSummary:
    """One-line fields of an event for list views; empty strings where the type has no such field."""

    time: str = ""
    source: str = ""
    name: str = ""
    user: str = ""
    source_ip: str = ""
    region: str = ""
    outcome: str = ""
    """Error code, action or status: what went right or wrong."""
    resource: str = ""

    def to_dict(self) -> dict[str, str]:
        """JSON-ready form."""
        return {"time": self.time, "source": self.source, "name": self.name, "user": self.user,
                "source_ip": self.source_ip, "region": self.region, "outcome": self.outcome,
                "resource": self.resource}


@dataclass(frozen=True)
class DroppedRecord:
    """A record of the object the module drops without a word, as stored, with the reason."""

    record_index: int
    """0-based position among the object's records (events carry the same numbering)."""
    raw_record: Any
    reason: str


@dataclass(frozen=True)
class DecodedEvent:
    """One event the module would build from an object, with the exact datagram it would send."""

    index: int
    """0-based position among the events built from this object."""
    record_index: int
    """0-based position of the source record (GuardDuty splits one record into several events)."""
    line: int | None
    """1-based line of the record for line formats, None for JSON documents."""
    raw_record: Any
    """The record as read from the object, before the module changed it (JSON-safe)."""
    message: Mapping[str, Any]
    """The envelope ``{"integration": "aws", "aws": {...}}`` after the module's reformatting."""
    payload: str
    """Exactly what goes to the queue socket: ``1:Wazuh-AWS:`` plus the JSON."""
    size_bytes: int
    oversized: bool
    """True above 65,535 bytes: the module logs a debug-1 warning and still calls send(); analysisd reads only
    the first 65,535 bytes, and a datagram larger than the socket's send buffer fails with errno 90."""
    discarded_by: str | None
    """Why ``discard_regex`` drops this event (then nothing is sent), or None."""
    summary: EventSummary
    warnings: tuple[str, ...] = ()
    """Lines the module prints whatever the debug level (``WARNING: Could not reformat event ...``)."""
    debug_lines: tuple[tuple[int, str], ...] = ()
    """(level, text) of the ``DEBUG:`` lines the module prints for this event at that level or above."""
    cut_chars: int = 0
    """Characters of over-long strings read past but not kept: the event shown is the record's head, and
    ``size_bytes`` a lower bound (the module's datagram is larger than any default socket buffer accepts)."""

    @property
    def sent(self) -> bool:
        """Whether the module sends this event (everything not discarded)."""
        return self.discarded_by is None


@dataclass(frozen=True)
class FileProblem:
    """Something wrong with an object or one of its records, as the module would report it."""

    finding: Finding
    key: str
    line: int | None = None
    """1-based line (line formats) or the JSON error's line."""
    offset: int | None = None
    """Character offset in the decompressed text (JSON errors) or byte offset (compressed data)."""
    recoverable: bool = True
    """True when the module keeps reading this object's later records."""
    stops_run: bool = False
    """True when the module exits here, so later objects of the run are not read either."""
    error_payload: str | None = None
    """With ``skip_on_error``, the ``error_msg`` datagram the module sends instead of the events."""

    @property
    def position(self) -> str:
        """Human form such as ``line 3`` or ``char 120``; empty when not tied to a place."""
        parts = []
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.offset is not None:
            parts.append(f"offset {self.offset}")
        return ", ".join(parts)


DecodeItem = Union[DecodedEvent, FileProblem]  # noqa: UP007 (a runtime alias must work on 3.10)


@dataclass
class DecodeCounters:
    """Running totals of one decode pass, filled as items are yielded (the one mutable value here)."""

    records_read: int = 0
    events_built: int = 0
    events_sent: int = 0
    """Events the module would send from this object (0 when it would abort the object)."""
    discarded: int = 0
    oversized: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    """Records the module drops without a word, by reason (``no "detail" key``)."""
    problems: int = 0
    error_events: int = 0
    """``error_msg`` datagrams sent instead of events (skip_on_error)."""
    aborted: bool = False
    """True when the module would give up on this object (nothing of it sent, or the run exits)."""
    complete: bool = False
    """True when the whole object was read (a ``limit`` or cancel leaves it False)."""
    dropped_records: list[DroppedRecord] = field(default_factory=list)
    """The first dropped records themselves, kept only when the context asks (``keep_dropped``)."""

    def drop(self, reason: str) -> None:
        """Count one silently dropped record."""
        self.dropped[reason] = self.dropped.get(reason, 0) + 1

    def freeze(self) -> SendTotals:
        """An immutable copy for results."""
        return SendTotals(self.records_read, self.events_built, self.events_sent, self.discarded,
                          self.oversized, dict(self.dropped), self.problems, self.error_events, self.aborted,
                          self.complete)


@dataclass(frozen=True)
class SendTotals:
    """Frozen totals: records read, events sent, what was dropped and why."""

    records_read: int
    events_built: int
    events_sent: int
    discarded: int
    oversized: int
    dropped: Mapping[str, int]
    problems: int
    error_events: int
    aborted: bool
    complete: bool

    @property
    def dropped_total(self) -> int:
        """All silently dropped records."""
        return sum(self.dropped.values())

    def sentence(self) -> str:
        """``N records read, M would be sent`` plus the reasons, for a status line."""
        text = f"{self.records_read} records read, {self.events_sent} would be sent"
        extras = [f"{count} dropped: {reason}" for reason, count in self.dropped.items()]
        if self.discarded:
            extras.append(f"{self.discarded} discarded by discard_regex")
        if self.error_events:
            extras.append(f"{self.error_events} error_msg event(s) sent instead")
        if self.aborted:
            extras.append("the module would abort this object")
        if not self.complete:
            extras.append("object not read to the end")
        return text + (f" ({'; '.join(extras)})" if extras else "")


@dataclass(frozen=True)
class SendVerdict:
    """What the module would do with one whole object, without keeping its events."""

    key: str
    totals: SendTotals
    problems: tuple[FileProblem, ...]
    first_events: tuple[DecodedEvent, ...] = ()
    """The first few events, for a preview next to the verdict."""
