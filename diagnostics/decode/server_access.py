"""S3 server access logs: one request per line, split on single spaces with quoted and bracketed spans merged.

Only 24 field names are known, so newer trailing fields (access point ARN, ACL required...) are lost; an
empty token (two spaces in a row) ends the line early; a quoted last field keeps its quotes because the
line's newline is still attached when the quotes are checked.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, TextIO

from diagnostics.decode.base import LoadContext, LoadedRecord, LoadItem, pick
from diagnostics.decode.envelope import Warn, custom_reformat
from diagnostics.decode.model import EventSummary

FIELDNAMES = (
    "bucket_owner", "bucket", "time", "remote_ip", "requester", "request_id", "operation", "key",
    "request_uri", "http_status", "error_code", "bytes_sent", "object_sent", "total_time", "turn_around_time",
    "referer", "user_agent", "version_id", "host_id", "signature_version", "cipher_suite",
    "authentication_type", "host_header", "tls_version",
)


def split_access_line(line: str) -> list[str]:
    """The module's ``parse_line``: tokens on ``" "``, spans opened by ``[``, ``"`` or ``'`` merged."""
    values: list[str] = []
    tokens = iter(line.split(" "))

    def merge(closing: str) -> None:
        following = next(tokens, None)
        while following:
            values[-1] = f"{values[-1]} {following}"
            if following[-1] == closing:
                values[-1] = values[-1][1:-1]
                break
            following = next(tokens, None)

    token = next(tokens, None)
    while token:
        values.append(token)
        if token[0] == "[" and token[-1] != "]":
            merge("]")
        elif (token[0] == '"' and token[-1] != '"') or (token[0] == "'" and token[-1] != "'"):
            merge('"')
        elif (token[0] == '"' and token[-1] == '"') or (token[0] == "'" and token[-1] == "'"):
            values[-1] = values[-1][1:-1]
        token = next(tokens, None)
    values[-1] = values[-1].replace("\n", "")  # IndexError on a line starting with a space, as in the module
    return values


class ServerAccessDecoder:
    """``AWSServerAccess``."""

    bucket_type = "server_access"
    reads_whole_text = False

    def envelope_account(self, load: LoadContext) -> str | None:
        return None

    def load(self, text: TextIO, load: LoadContext) -> Iterator[LoadItem]:
        for number, line in enumerate(text, 1):
            record: dict[str, Any] = dict(zip(FIELDNAMES, split_access_line(line), strict=False))
            record["source"] = "s3_server_access"
            yield LoadedRecord(record=record, raw=line.rstrip("\n"), line=number)

    def reformat(self, message: dict[str, Any], warn: Warn) -> list[dict[str, Any]]:
        return [custom_reformat(message)]

    def summarize(self, aws: Mapping[str, Any]) -> EventSummary:
        return EventSummary(
            time=pick(aws, "time"),
            source="s3_server_access",
            name=" ".join(part for part in (pick(aws, "operation"), pick(aws, "key")) if part),
            user=pick(aws, "requester"),
            source_ip=pick(aws, "remote_ip"),
            outcome=" ".join(part for part in (pick(aws, "http_status"), pick(aws, "error_code"))
                             if part and part != "-"),
            resource=pick(aws, "bucket"),
        )
