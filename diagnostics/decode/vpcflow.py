"""VPC Flow Logs: space-separated lines mapped onto the 14 default-format fields.

The header line is an event too (its ``start`` is the word ``start`` and is left alone); extra columns of
a custom format land under the key ``null``; a format whose 11th/12th columns are not epochs fails the
whole object with exit 9.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from datetime import datetime, timezone
from typing import Any, TextIO

from diagnostics.decode.awslogs import awslogs_account
from diagnostics.decode.base import LoadContext, LoadedRecord, LoadItem, pick
from diagnostics.decode.envelope import Warn, common_reformat
from diagnostics.decode.errors import csv_rejects_nul
from diagnostics.decode.model import EventSummary

FIELDNAMES = ("version", "account_id", "interface_id", "srcaddr", "dstaddr", "srcport", "dstport", "protocol",
              "packets", "bytes", "start", "end", "action", "log_status")
UNIX_FIELDS = ("start", "end")


def nul_guard(text: TextIO, enabled: bool) -> Iterator[str]:
    """Lines of ``text``; with Python 3.10's csv rules a NUL raises ``csv.Error('line contains NUL')``."""
    for line in text:
        if enabled and "\x00" in line:
            raise csv.Error("line contains NUL")
        yield line


def space_rows(text: TextIO, fieldnames: tuple[str, ...], load: LoadContext,
               delimiter: str = " ") -> Iterator[tuple[dict[Any, Any], int]]:
    """``csv.DictReader(f, fieldnames, delimiter)`` rows with their line numbers."""
    reader = csv.DictReader(nul_guard(text, csv_rejects_nul(load.decode.profile)), fieldnames=fieldnames,
                            delimiter=delimiter)
    for row in reader:
        yield row, reader.line_num


def epoch_to_text(value: Any) -> str:
    """``datetime.utcfromtimestamp(int(v)).strftime('%Y-%m-%dT%H:%M:%SZ')`` without the deprecated call."""
    return datetime.fromtimestamp(int(value), timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class VPCFlowDecoder:
    """``AWSVPCFlowBucket``."""

    bucket_type = "vpcflow"
    reads_whole_text = False

    def envelope_account(self, load: LoadContext) -> str | None:
        return awslogs_account(load)

    def load(self, text: TextIO, load: LoadContext) -> Iterator[LoadItem]:
        for row, line in space_rows(text, FIELDNAMES, load):
            raw = dict(row)
            for name, value in row.items():
                if name in UNIX_FIELDS and value not in UNIX_FIELDS:
                    row[name] = epoch_to_text(value)
            yield LoadedRecord(record=dict(row, source="vpc"), raw=raw, line=line)

    def reformat(self, message: dict[str, Any], warn: Warn) -> list[dict[str, Any]]:
        return [common_reformat(message)]

    def summarize(self, aws: Mapping[str, Any]) -> EventSummary:
        return summarize_flow(aws)


def summarize_flow(aws: Mapping[str, Any]) -> EventSummary:
    """Flow record fields shared by the vpcflow type and custom buckets holding flow logs."""
    source = f"{pick(aws, 'srcaddr')}:{pick(aws, 'srcport')}"
    destination = f"{pick(aws, 'dstaddr')}:{pick(aws, 'dstport')}"
    return EventSummary(
        time=pick(aws, "start"),
        source="vpc",
        name=f"{source} -> {destination} proto {pick(aws, 'protocol')}",
        source_ip=pick(aws, "srcaddr"),
        outcome=" ".join(part for part in (pick(aws, "action"), pick(aws, "log_status")) if part),
        resource=pick(aws, "interface_id"),
    )
