"""Small helpers shared by the decode tests: run decode_object on bytes and split its output."""

from __future__ import annotations

import gzip
import io
from dataclasses import dataclass, field
from typing import Any

from diagnostics.decode.model import DecodeContext, DecodeCounters, DecodedEvent, FileProblem
from diagnostics.decode.registry import decode_object
from diagnostics.wazuh.versions import profile_for

V4 = profile_for((4, 14, 7), "test")
V5 = profile_for((5, 0, 1), "test")
HEADER = '1:Wazuh-AWS:'


@dataclass
class Outcome:
    """Everything one decode produced."""

    events: list[DecodedEvent] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)
    counters: DecodeCounters = field(default_factory=DecodeCounters)

    @property
    def payloads(self) -> list[str]:
        return [event.payload for event in self.events]

    @property
    def ids(self) -> list[str | None]:
        return [problem.finding.failure_id for problem in self.problems]

    def problem(self, failure_id: str) -> FileProblem:
        for found in self.problems:
            if found.finding.failure_id == failure_id:
                return found
        raise AssertionError(f"{failure_id} not in {self.ids}")


def decode(data: bytes, key: str, bucket_type: str, *, gz: bool = False, **context: Any) -> Outcome:
    """Decode ``data`` (gzip-compressed first when ``gz``) as ``bucket_type`` and collect the items."""
    context.setdefault("bucket", "acme-logs")
    context.setdefault("profile", V4)
    limit = context.pop("limit", None)
    ctx = DecodeContext(bucket_type=bucket_type, **context)
    outcome = Outcome()
    body = gzip.compress(data, mtime=0) if gz else data
    for item in decode_object(io.BytesIO(body), key, ctx, counters=outcome.counters, limit=limit):
        if isinstance(item, DecodedEvent):
            outcome.events.append(item)
        else:
            outcome.problems.append(item)
    return outcome
