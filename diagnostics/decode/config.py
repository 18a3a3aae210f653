"""AWS Config: one JSON document per object, items under ``configurationItems``.

The reformatting is lossy in surprising ways the admin should see: a list of security-group names
becomes ``{}``, ``createdTime`` becomes an epoch float in the *host's* time zone, and SSM inventory
``Content`` dicts become the list of their keys.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any, TextIO

from diagnostics.decode.awslogs import awslogs_account, load_document_records
from diagnostics.decode.base import LoadContext, LoadItem, first_of, pick
from diagnostics.decode.envelope import Warn, common_reformat, warning_line
from diagnostics.decode.model import EventSummary


def _dict_of_lists(items: list[Any], names: tuple[str, str]) -> dict[str, Any]:
    """``[{a, b}, ...]`` → ``{a: [...], b: [...]}``; plain strings have neither key, so they vanish."""
    result: dict[str, Any] = {}
    for name in names:
        values = [item[name] for item in items if name in item]
        if values:
            result[name] = values
    return result


def _reshape_listish(configuration: dict[str, Any], field_name: str, names: tuple[str, str],
                     single: str, message: dict[str, Any], warn: Warn) -> None:
    """securityGroups / availabilityZones: string, list or dict all become a dict of lists."""
    value = configuration[field_name]
    if isinstance(value, str):
        configuration[field_name] = {single: [value]}
    elif isinstance(value, list):
        configuration[field_name] = _dict_of_lists(value, names)
    elif isinstance(value, dict):
        configuration[field_name] = {name: [item] for name, item in value.items()}
    else:
        warn(warning_line(message))


def _name_or_dict(configuration: dict[str, Any], field_name: str, message: dict[str, Any],
                  warn: Warn) -> None:
    """state / iamInstanceProfile: a string becomes ``{"name": s}``; dicts stay; anything else warns."""
    value = configuration[field_name]
    if isinstance(value, str):
        configuration[field_name] = {"name": value}
    elif not isinstance(value, dict):
        warn(warning_line(message))


class ConfigDecoder:
    """``AWSConfigBucket``."""

    bucket_type = "config"
    reads_whole_text = True

    def envelope_account(self, load: LoadContext) -> str | None:
        return awslogs_account(load)

    def load(self, text: TextIO, load: LoadContext) -> Iterator[LoadItem]:
        return load_document_records(text, "configurationItems", "config", load)

    def reformat(self, message: dict[str, Any], warn: Warn) -> list[dict[str, Any]]:
        common_reformat(message)
        aws = message["aws"]
        if "configuration" not in aws:
            return [message]
        configuration = aws["configuration"]
        for name in configuration:
            if type(configuration[name]) is dict and "Content" in configuration[name]:
                configuration[name]["Content"] = list(configuration[name]["Content"].keys())
        if "securityGroups" in configuration:
            _reshape_listish(configuration, "securityGroups", ("groupId", "groupName"), "groupId",
                             message, warn)
        if "availabilityZones" in configuration:
            _reshape_listish(configuration, "availabilityZones", ("subnetId", "zoneName"), "zoneName",
                             message, warn)
        if "state" in configuration:
            _name_or_dict(configuration, "state", message, warn)
        if "createdTime" in configuration:
            created = configuration["createdTime"]
            if isinstance(created, (float, int)):
                configuration["createdTime"] = float(created)
            else:
                try:
                    parsed = datetime.strptime(str(created), "%Y-%m-%dT%H:%M:%S.%fZ")
                    configuration["createdTime"] = time.mktime(parsed.timetuple())
                except Exception:  # the module prints a warning for any failure here
                    warn(warning_line(message))
        if "iamInstanceProfile" in configuration:
            _name_or_dict(configuration, "iamInstanceProfile", message, warn)
        return [message]

    def summarize(self, aws: Mapping[str, Any]) -> EventSummary:
        return EventSummary(
            time=pick(aws, "configurationItemCaptureTime"),
            source="config",
            name=" ".join(part for part in (pick(aws, "resourceType"), pick(aws, "configurationItemStatus"))
                          if part),
            region=pick(aws, "awsRegion"),
            outcome=pick(aws, "configurationItemStatus"),
            resource=first_of(aws, "resourceName", "resourceId", "ARN"),
        )
