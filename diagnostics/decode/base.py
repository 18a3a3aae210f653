"""What every per-type decoder provides, so the registry can drive them all the same way.

A decoder mirrors two parts of the module: ``load_information_from_file`` (``load``: text in, records
out, raising the module's own exceptions) and ``reformat_msg`` (``reformat``: the envelope edited in
place, possibly split into several events).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TextIO, Union

from diagnostics.decode.cuts import CutLedger
from diagnostics.decode.envelope import Warn
from diagnostics.decode.model import DecodeContext, EventSummary


@dataclass(frozen=True)
class LoadedRecord:
    """One record as the module's load step returns it, plus its untouched form for display."""

    record: Any
    raw: Any
    line: int | None = None
    debug_lines: tuple[tuple[int, str], ...] = ()
    """(level, text) lines the load step prints about this record."""


@dataclass(frozen=True)
class LoadNote:
    """Something the load step says or silently does that is not an exception."""

    failure_id: str
    values: Mapping[str, Any] = field(default_factory=dict)
    line: int | None = None
    recoverable: bool = True
    dropped_reason: str | None = None
    """Set when a record is dropped without a word (counted, reported once per object)."""
    record: Any = None
    """The dropped record as read (previews only, see ``raw_copy``), so a raw view can show it."""
    stops_run: bool = False


LoadItem = Union[LoadedRecord, LoadNote]  # noqa: UP007 (a runtime alias must work on 3.10)


@dataclass(frozen=True)
class LoadContext:
    """What a load step may consult besides the text."""

    key: str
    decode: DecodeContext
    cuts: CutLedger = field(default_factory=CutLedger)
    """Where readers count the characters of over-long strings they skipped (per object)."""


class TypeDecoder(Protocol):
    """The per-type half of the module that the registry drives."""

    bucket_type: str
    reads_whole_text: bool
    """True when the module reads all text before parsing (``json.load``, ``list(f)``, ``readlines``), so a
    text-decoding error anywhere wins over a parse error."""

    def envelope_account(self, load: LoadContext) -> str | None:
        """``aws.aws_account_id`` for AWSLogs types; None for the custom family."""
        ...

    def load(self, text: TextIO, load: LoadContext) -> Iterator[LoadItem]:
        """Records in file order; raises what the module's load would raise."""
        ...

    def reformat(self, message: dict[str, Any], warn: Warn) -> list[dict[str, Any]]:
        """The events sent for one envelope (usually one); raises what the module's reformat would raise."""
        ...

    def summarize(self, aws: Mapping[str, Any]) -> EventSummary:
        """One-line fields of a reformatted event."""
        ...


def json_clone(value: Any) -> Any:
    """A deep copy of JSON-derived data through the C codec (deeper nesting than copy.deepcopy survives)."""
    return json.loads(json.dumps(value))


def raw_copy(load: LoadContext, value: Any) -> Any:
    """The record as read, for previews only (None when the caller does not keep raw records)."""
    return json_clone(value) if load.decode.keep_raw else None


def pick(node: Any, path: str) -> str:
    """A dotted path's value as text ('' when missing), for summaries only."""
    current = node
    for part in path.split("."):
        if isinstance(current, Mapping) and part in current:
            current = current[part]
        else:
            return ""
    if current is None:
        return ""
    if isinstance(current, (list, tuple)):
        return ",".join(str(item) for item in current)
    return str(current)


def first_of(node: Any, *paths: str) -> str:
    """The first non-empty value among dotted paths."""
    for path in paths:
        value = pick(node, path)
        if value:
            return value
    return ""


_SERVICE_FOLDERS = {"cloudtrail": "CloudTrail", "config": "Config", "vpcflow": "vpcflowlogs",
                    "guardduty": "GuardDuty", "alb": "elasticloadbalancing", "clb": "elasticloadbalancing",
                    "nlb": "elasticloadbalancing"}


def account_from_key(key: str, bucket_type: str) -> str | None:
    """The 12-digit folder right before the service folder (``.../<acct>/CloudTrail/...``), if any."""
    folder = _SERVICE_FOLDERS.get(bucket_type)
    if folder is None:
        return None
    suffix = "(?:-Digest)?" if bucket_type == "cloudtrail" else ""
    match = re.search(rf"(?:^|/)(\d{{12}})/{re.escape(folder)}{suffix}/", key)
    return match.group(1) if match else None


