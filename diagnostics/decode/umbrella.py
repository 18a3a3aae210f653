"""Cisco Umbrella: CSV whose columns the module picks from the bucket's ``path``.

The path must contain ``dnslogs`` (13 columns), ``proxylogs`` (23) or ``iplogs`` (7); otherwise the
module exits 12. Missing trailing columns are dropped, extra ones land under ``null``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, TextIO

from diagnostics.decode.base import LoadContext, LoadedRecord, LoadItem, first_of, pick
from diagnostics.decode.envelope import Warn, custom_reformat
from diagnostics.decode.errors import ModuleExit
from diagnostics.decode.model import EventSummary
from diagnostics.decode.vpcflow import space_rows

DNS_FIELDS = ("timestamp", "most_granular_identity", "identities", "internal_ip", "external_ip", "action",
              "query_type", "response_code", "domain", "categories", "most_granular_identity_type",
              "identity_types", "blocked_categories")
PROXY_FIELDS = ("timestamp", "identities", "internal_ip", "external_ip", "destination_ip", "content_type",
                "verdict", "url", "referer", "user_agent", "status_code", "requested_size", "response_size",
                "response_body_size", "sha", "categories", "av_detections", "puas", "amp_disposition",
                "amp_malware_name", "amp_score", "identity_type", "blocked_categories")
IP_FIELDS = ("timestamp", "identity", "source_ip", "source_port", "destination_ip", "destination_port",
             "categories")

PATH_ERROR = "Only 'dnslogs', 'proxylogs' or 'iplogs' are allowed for Cisco Umbrella"


def fields_for_path(path: str) -> tuple[str, ...] | None:
    """The column names the module uses for a bucket path, or None when it would exit 12."""
    if "dnslogs" in path:
        return DNS_FIELDS
    if "proxylogs" in path:
        return PROXY_FIELDS
    if "iplogs" in path:
        return IP_FIELDS
    return None


class UmbrellaDecoder:
    """``CiscoUmbrella``."""

    bucket_type = "cisco_umbrella"
    reads_whole_text = False

    def envelope_account(self, load: LoadContext) -> str | None:
        return None

    def load(self, text: TextIO, load: LoadContext) -> Iterator[LoadItem]:
        fields = fields_for_path(load.decode.path)
        if fields is None:
            raise ModuleExit("decode.umbrella_path", 12, PATH_ERROR, {"path": load.decode.path})
        for row, line in space_rows(text, fields, load, delimiter=","):
            raw = dict(row)
            record = dict({name: value for name, value in row.items() if value is not None},
                          source="cisco_umbrella")
            yield LoadedRecord(record=record, raw=raw, line=line)

    def reformat(self, message: dict[str, Any], warn: Warn) -> list[dict[str, Any]]:
        return [custom_reformat(message)]

    def summarize(self, aws: Mapping[str, Any]) -> EventSummary:
        return EventSummary(
            time=pick(aws, "timestamp"),
            source="cisco_umbrella",
            name=first_of(aws, "domain", "url", "destination_ip"),
            user=first_of(aws, "most_granular_identity", "identities", "identity"),
            source_ip=first_of(aws, "internal_ip", "source_ip"),
            outcome=first_of(aws, "action", "verdict", "status_code"),
            resource=pick(aws, "categories"),
        )
