"""AWS WAF logs through Firehose: JSON objects, one or more per line.

``httpRequest.headers`` (a list of name/value pairs) becomes a dict holding only the 43 standard header
names below, compared case-insensitively but keyed as written (so ``Cookie`` and ``cookie`` both stay).
A line that is not JSON, or an event without the expected headers, stops the object with exit 9 unless
``skip_on_error`` is set, in which case the module prints the error and carries on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any, TextIO

from diagnostics.decode.base import LoadContext, LoadedRecord, LoadItem, LoadNote, pick
from diagnostics.decode.envelope import Warn, custom_reformat
from diagnostics.decode.errors import ModuleExit
from diagnostics.decode.model import EventSummary

STANDARD_HTTP_HEADERS = (
    "a-im", "accept", "accept-charset", "accept-encoding", "accept-language",
    "access-control-request-method", "access-control-request-headers", "authorization", "cache-control",
    "connection", "content-encoding", "content-length", "content-type", "cookie", "date", "expect",
    "forwarded", "from", "host", "http2-settings", "if-match", "if-modified-since", "if-none-match",
    "if-range", "if-unmodified-since", "max-forwards", "origin", "pragma", "prefer", "proxy-authorization",
    "range", "referer", "te", "trailer", "transfer-encoding", "user-agent", "upgrade", "via", "warning",
    "x-requested-with", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto",
)
"""The module's ``standard_http_headers`` (43 names); every other header is dropped."""

_DECODER = json.JSONDecoder()


def _objects_on_line(data: str) -> Iterator[Any]:
    """Concatenated JSON on one line, no whitespace allowed between objects (``raw_decode`` loop)."""
    while data:
        value, end = _DECODER.raw_decode(data)
        data = data[end:]
        yield value


def _basename(key: str) -> str:
    return key.split("/")[-1]


class WAFDecoder:
    """``AWSWAFBucket``."""

    bucket_type = "waf"
    reads_whole_text = True

    def envelope_account(self, load: LoadContext) -> str | None:
        return None

    def load(self, text: TextIO, load: LoadContext) -> Iterator[LoadItem]:
        skip = load.decode.skip_on_error
        for number, line in enumerate(text, 1):
            try:
                for event in _objects_on_line(line.rstrip()):
                    raw = json.loads(json.dumps(event))
                    event["source"] = "waf"
                    try:
                        headers = {}
                        for element in event["httpRequest"]["headers"]:
                            name = element["name"]
                            if name.lower() in STANDARD_HTTP_HEADERS:
                                headers[name] = element["value"]
                        event["httpRequest"]["headers"] = headers
                    except (KeyError, TypeError):
                        values = {"key": load.key, "line": number}
                        if not skip:
                            raise ModuleExit("decode.waf_structure", 9,
                                             f"The {load.key} file doesn't have the expected structure.",
                                             values) from None
                        yield LoadNote("decode.waf_structure", values, line=number)
                    yield LoadedRecord(record=json.loads(json.dumps(event)), raw=raw, line=number)
            except json.JSONDecodeError:
                values = {"key": load.key, "basename": _basename(load.key), "line": number}
                if not skip:
                    raise ModuleExit("decode.waf_json", 9,
                                     f"Events from {_basename(load.key)} file could not be loaded.",
                                     values) from None
                yield LoadNote("decode.waf_json", values, line=number)

    def reformat(self, message: dict[str, Any], warn: Warn) -> list[dict[str, Any]]:
        return [custom_reformat(message)]

    def summarize(self, aws: Mapping[str, Any]) -> EventSummary:
        request = aws.get("httpRequest") if isinstance(aws.get("httpRequest"), Mapping) else {}
        return EventSummary(
            time=pick(aws, "timestamp"),
            source="waf",
            name=" ".join(part for part in (pick(request, "httpMethod"), pick(request, "uri")) if part),
            source_ip=pick(request, "clientIp"),
            region=_region_of(pick(aws, "webaclId")),
            outcome=pick(aws, "action"),
            resource=first_rule(aws),
        )


def first_rule(aws: Mapping[str, Any]) -> str:
    """The terminating rule, the usual thing an admin looks for."""
    return pick(aws, "terminatingRuleId")


def _region_of(arn: str) -> str:
    """The region field of an ARN (``arn:aws:wafv2:us-east-1:...``), '' for global ACLs or no ARN."""
    parts = arn.split(":")
    return parts[3] if len(parts) > 3 else ""
