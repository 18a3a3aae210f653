"""The message the module wraps around each record and the exact datagram it sends.

Everything here mutates plain dicts in the order the module does, because key order and the
sequence of edits show in the bytes sent (``json.dumps`` keeps insertion order).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

MESSAGE_HEADER = "1:Wazuh-AWS:"
MAX_EVENT_SIZE = 65535
"""``utils.MAX_EVENT_SIZE``: larger datagrams are warned about at debug 1 and still sent (analysisd reads only
this much of each; one larger than the socket's send buffer, 212,992 bytes by default, fails with errno 90)."""
OVERSIZE_DEBUG_LINE = f"Event size exceeds the maximum allowed limit of {MAX_EVENT_SIZE} bytes."

_IPV4_LIKE = re.compile(r"\d+\.\d+.\d+.\d+")
"""The module's own test for ``sourceIPAddress`` (unescaped dots and all), applied with ``re.match``."""

Warn = Callable[[str], None]


def remove_none_fields(event: dict[Any, Any]) -> None:
    """Delete None values from a dict and from dicts nested in dicts (lists are left alone).

    The names are collected first and deleted after the walk: the same result as the module's delete
    while iterating over a copy, without copying every dict of every event. Strings, the most common
    value, are passed over before any isinstance test.
    """
    doomed: list[Any] = []
    for name, value in event.items():
        if type(value) is str:
            continue
        if value is None:
            doomed.append(name)
        elif isinstance(value, dict):
            remove_none_fields(value)
    for name in doomed:
        del event[name]


def build_message(bucket: str, key: str, account_alias: str, record: dict[Any, Any] | None,
                  *, account_id: str | None = None, error_msg: str = "") -> dict[str, Any]:
    """``get_alert_msg``: log_info first, then the record's keys; AWSLogs types then add the account.

    ``record`` is changed in place (None values removed), as in the module. ``account_id`` is given only
    for the AWSLogs types (cloudtrail, config, vpcflow).
    """
    message: dict[str, Any] = {
        "integration": "aws",
        "aws": {"log_info": {"aws_account_alias": account_alias, "log_file": key, "s3bucket": bucket}},
    }
    if record:
        remove_none_fields(record)
        message["aws"].update(record)
    elif error_msg:
        message["error_msg"] = error_msg
    if account_id is not None:
        message["aws"]["aws_account_id"] = account_id
    return message


def flatten_single_element_lists(node: dict[Any, Any]) -> None:
    """One-element lists become their element, in dicts nested in dicts (the element is not revisited).

    Replacing the value of a name being iterated is safe for a dict (its size does not change), so no
    copy of the items is needed; strings are passed over before any isinstance test.
    """
    for name, value in node.items():
        if type(value) is str:
            continue
        if isinstance(value, list):
            if len(value) == 1:
                node[name] = value[0]
        elif isinstance(value, dict):
            flatten_single_element_lists(value)


def common_reformat(message: dict[str, Any]) -> dict[str, Any]:
    """``AWSBucket.reformat_msg``: flatten, copy an IPv4-looking sourceIPAddress, wrap non-dict tags."""
    flatten_single_element_lists(message)
    aws = message["aws"]
    if "sourceIPAddress" in aws and _IPV4_LIKE.match(aws["sourceIPAddress"]):
        aws["source_ip_address"] = aws["sourceIPAddress"]
    if "tags" in aws and not isinstance(aws["tags"], dict):
        aws["tags"] = {"value": aws["tags"]}
    return message


def _flatten_paths(value: Any, discard_levels: int | None, path: list[str]) -> list[str]:
    """The custom bucket's ``list_paths_from_dict``: dotted leaf paths, the last levels cut off.

    ``discard_levels=0`` cuts everything (``path[:-0]`` is empty), so such fields become ``[""]``.
    """
    if not isinstance(value, dict):
        path.extend(value if isinstance(value, list) else [str(value)])
        kept = path[:discard_levels if discard_levels is None else -discard_levels]
        return [".".join(kept)]
    return [item for name, child in value.items()
            for item in _flatten_paths(child, discard_levels, [*path, name])]


MACIE_SUMMARY_FIELDS = ("Bucket", "DLP risk", "IP", "Location", "Object", "Owner", "Themes", "Timestamps",
                        "recipientAccountId")


def custom_reformat(message: dict[str, Any]) -> dict[str, Any]:
    """``AWSCustomBucket.reformat_msg``: the common changes, then Macie and ``unusual`` reshaping."""
    common_reformat(message)
    aws = message["aws"]
    if aws["source"] == "macie" and "trigger" in aws:
        del aws["trigger"]
    if "service" in aws and "additionalInfo" in aws["service"] \
            and "unusual" in aws["service"]["additionalInfo"] \
            and not isinstance(aws["service"]["additionalInfo"]["unusual"], dict):
        aws["service"]["additionalInfo"]["unusual"] = {"value": aws["service"]["additionalInfo"]["unusual"]}
    if aws["source"] == "macie":
        for field_name in MACIE_SUMMARY_FIELDS:
            try:
                if isinstance(aws["summary"][field_name], dict):
                    aws["summary"][field_name] = _flatten_paths(aws["summary"][field_name], 1, [])
            except KeyError:
                pass
        try:
            events = aws["summary"]["Events"]
            for event_name in events:
                for event_field in events[event_name]:
                    events[event_name][event_field] = _flatten_paths(
                        events[event_name][event_field], 0 if event_field == "count" else 1, [])
        except KeyError:
            pass
    return message


_ENCODER = json.JSONEncoder(default=str)
"""What ``json.dumps(msg, default=str)`` builds on every call, built once (the encoder keeps no state)."""


def payload_for(message: Mapping[str, Any]) -> str:
    """The datagram text: header plus ``json.dumps(msg, default=str)`` with default separators."""
    return MESSAGE_HEADER + _ENCODER.encode(message)


def payload_size(payload: str) -> int:
    """Bytes on the wire: ``json.dumps`` escapes non-ASCII, so an ASCII payload's length is its size."""
    return len(payload) if payload.isascii() else len(payload.encode())


def is_oversized(size_bytes: int) -> bool:
    """The module's ``len(encoded_msg) > MAX_EVENT_SIZE`` test."""
    return size_bytes > MAX_EVENT_SIZE


def warning_line(message: Mapping[str, Any]) -> str:
    """``WARNING: Could not reformat event <event>`` with the event's Python repr, as the module prints it."""
    return f"WARNING: Could not reformat event {message}"


SHOWN_CHARS = 64 * 1024
"""How much of one event's text a face shows: a multi-MiB event would flood a terminal or freeze a widget."""


FOLDED_CHARS = 2000
"""How much of one finding text (evidence, log line) a face shows: an error repr quoting a whole 8 KiB chunk
of bytes runs to 30,000 characters, and the datagram keeps it whole anyway."""


def shown_text(text: str, limit: int = SHOWN_CHARS) -> str:
    """``text`` cut to ``limit`` characters with a note saying how much was left out (unchanged if short)."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters not shown)"
