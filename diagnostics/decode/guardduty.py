"""GuardDuty: native export (``.jsonl.gz``) or, in 4.x, Firehose output read like a custom bucket.

A finding with more than one ``portProbeDetails`` entry is sent once per entry, and those split events
skip the common reformatting (one-element lists stay lists, no ``source_ip_address``); a finding with a
single entry is flattened like any other event.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any, TextIO

from diagnostics.decode.base import LoadContext, LoadedRecord, LoadItem, json_clone, raw_copy
from diagnostics.decode.custom import load_custom, summarize_custom
from diagnostics.decode.envelope import Warn, common_reformat
from diagnostics.decode.model import EventSummary


def is_native_key(key: str) -> bool:
    """Keys under ``AWSLogs/`` come from GuardDuty's own S3 export; others from Firehose."""
    return "AWSLogs/" in key


def _split_details(aws: dict[str, Any]) -> Any:
    """The portProbeDetails to split on, or None when the event is not split."""
    if aws["source"] == "guardduty" and "service" in aws and "action" in aws["service"] \
            and "portProbeAction" in aws["service"]["action"] \
            and "portProbeDetails" in aws["service"]["action"]["portProbeAction"] \
            and len(aws["service"]["action"]["portProbeAction"]["portProbeDetails"]) > 1:
        return aws["service"]["action"]["portProbeAction"]["portProbeDetails"]
    return None


class GuardDutyDecoder:
    """``AWSGuardDutyBucket``."""

    bucket_type = "guardduty"
    reads_whole_text = True

    def envelope_account(self, load: LoadContext) -> str | None:
        return None

    def load(self, text: TextIO, load: LoadContext) -> Iterator[LoadItem]:
        if not load.key.endswith(".jsonl.gz"):
            yield from load_custom(text, load)
            return
        for number, line in enumerate(text, 1):
            finding = json.loads(line)
            record = dict(finding, source=finding["service"]["serviceName"])
            yield LoadedRecord(record=record, raw=raw_copy(load, finding), line=number)

    def reformat(self, message: dict[str, Any], warn: Warn) -> list[dict[str, Any]]:
        details = _split_details(message["aws"])
        if details is None:
            return [common_reformat(message)]
        events = []
        for detail in details:
            message["aws"]["service"]["action"]["portProbeAction"]["portProbeDetails"] = detail
            events.append(json_clone(message))
        return events

    def summarize(self, aws: Mapping[str, Any]) -> EventSummary:
        return summarize_custom(aws)
