"""Elastic Load Balancing access logs: ALB (29 fields), CLB (15) and NLB (20), space-separated with quotes.

Fields past the module's list land under the key ``null`` (ALB's newer ``conn_trace_id``); ``ip:port``
fields are split as the module does, including its quirks (a ``-`` target keeps ``-`` and logs a debug
line; an NLB destination without a port makes ``client_ip`` the *port*). The module reads every row
before splitting, so a later row's CSV error wins over an earlier row's split error.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, TextIO

from diagnostics.decode.base import LoadContext, LoadedRecord, LoadItem, pick
from diagnostics.decode.envelope import Warn, custom_reformat
from diagnostics.decode.model import EventSummary
from diagnostics.decode.vpcflow import space_rows

ALB_FIELDS = (
    "type", "time", "elb", "client_port", "target_port", "request_processing_time", "target_processing_time",
    "response_processing_time", "elb_status_code", "target_status_code", "received_bytes", "sent_bytes",
    "request", "user_agent", "ssl_cipher", "ssl_protocol", "target_group_arn", "trace_id", "domain_name",
    "chosen_cert_arn", "matched_rule_priority", "request_creation_time", "action_executed", "redirect_url",
    "error_reason", "target_port_list", "target_status_code_list", "classification", "classification_reason",
)
CLB_FIELDS = (
    "time", "elb", "client_port", "backend_port", "request_processing_time", "backend_processing_time",
    "response_processing_time", "elb_status_code", "backend_status_code", "received_bytes", "sent_bytes",
    "request", "user_agent", "ssl_cipher", "ssl_protocol",
)
NLB_FIELDS = (
    "type", "version", "time", "elb", "listener", "client_port", "destination_port", "connection_time",
    "tls_handshake_time", "received_bytes", "sent_bytes", "incoming_tls_alert", "chosen_cert_arn",
    "chosen_cert_serial", "tls_cipher", "tls_protocol_version", "tls_named_group", "domain_name",
    "alpn_fe_protocol", "alpn_client_preference_list",
)
ALB_SPLITS = (("client_port", "client_ip"), ("target_port", "target_ip"),
              ("target_port_list", "target_ip_list"))


def _split_alb(entry: dict[Any, Any]) -> tuple[tuple[int, str], ...]:
    """Split ``ip:port`` fields in place; returns the debug lines the module prints for failures."""
    lines: list[tuple[int, str]] = []
    for port_field, ip_field in ALB_SPLITS:
        try:
            ports, addresses = "", ""
            for item in [part.split(":") for part in entry[port_field].split()]:
                addresses += f"{item[0]} "
                ports += f"{item[1]} "
            entry[port_field], entry[ip_field] = ports.strip(), addresses.strip()
        except (ValueError, IndexError):
            lines.append((1, f"Unable to process correctly ABL log entry, for field {port_field}."))
            lines.append((2, f"Log Entry: {entry}"))
    return tuple(lines)


def _split_nlb(entry: dict[Any, Any]) -> tuple[tuple[int, str], ...]:
    """Split client and destination ``ip:port`` in place, with the module's fallback on ValueError."""
    try:
        entry["client_ip"], entry["client_port"] = entry["client_port"].split(":")
        entry["destination_ip"], entry["destination_port"] = entry["destination_port"].split(":")
    except ValueError:
        entry["client_ip"] = entry["client_port"]
        entry["destination_ip"] = entry["destination_port"]
    return ()


def _load_rows(text: TextIO, load: LoadContext, fields: tuple[str, ...], source: str,
               split: Any) -> Iterator[LoadItem]:
    """Rows with ``source`` added, then split; a split error is raised only after every row was read."""
    deferred: Exception | None = None
    for row, line in space_rows(text, fields, load):
        if deferred is not None:
            continue
        raw = dict(row)
        entry = dict(row, source=source)
        try:
            debug_lines = split(entry) if split is not None else ()
        except Exception as error:  # AttributeError on a short row, as in the module
            deferred = error
            continue
        yield LoadedRecord(record=entry, raw=raw, line=line, debug_lines=debug_lines)
    if deferred is not None:
        raise deferred


class _LoadBalancerDecoder:
    """Shared behaviour of the three ``AWSLBBucket`` subclasses (custom family: no account in envelope)."""

    bucket_type = ""
    reads_whole_text = False
    fields: tuple[str, ...] = ()

    def envelope_account(self, load: LoadContext) -> str | None:
        return None

    def split(self, entry: dict[Any, Any]) -> tuple[tuple[int, str], ...]:
        return ()

    def load(self, text: TextIO, load: LoadContext) -> Iterator[LoadItem]:
        return _load_rows(text, load, self.fields, self.bucket_type, self.split)

    def reformat(self, message: dict[str, Any], warn: Warn) -> list[dict[str, Any]]:
        return [custom_reformat(message)]

    def summarize(self, aws: Mapping[str, Any]) -> EventSummary:
        return EventSummary(
            time=pick(aws, "time"),
            source=self.bucket_type,
            name=pick(aws, "request") or " ".join(
                part for part in (pick(aws, "listener"), pick(aws, "domain_name")) if part),
            source_ip=pick(aws, "client_ip") or pick(aws, "client_port").rsplit(":", 1)[0],
            outcome=pick(aws, "elb_status_code") or pick(aws, "tls_protocol_version"),
            resource=pick(aws, "elb"),
        )


class ALBDecoder(_LoadBalancerDecoder):
    """``AWSALBBucket``."""

    bucket_type = "alb"
    fields = ALB_FIELDS

    def split(self, entry: dict[Any, Any]) -> tuple[tuple[int, str], ...]:
        return _split_alb(entry)


class CLBDecoder(_LoadBalancerDecoder):
    """``AWSCLBBucket``."""

    bucket_type = "clb"
    fields = CLB_FIELDS


class NLBDecoder(_LoadBalancerDecoder):
    """``AWSNLBBucket``."""

    bucket_type = "nlb"
    fields = NLB_FIELDS

    def split(self, entry: dict[Any, Any]) -> tuple[tuple[int, str], ...]:
        return _split_nlb(entry)
