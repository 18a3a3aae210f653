"""Custom buckets (Firehose output, e.g. Macie or GuardDuty through EventBridge).

If the first character is ``{`` the module reads *concatenated* JSON with ``raw_decode``, never
skipping whitespace: a newline after an object (JSON lines, a pretty-printed file, a trailing newline)
fails the whole object with ``Expecting value: line 1 column 1 (char 0)``. Only objects with a
``detail`` key are kept (the detail body plus ``source`` minus ``aws.``); others vanish silently. Any
other first character means space-separated VPC flow fields, the first character already consumed.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any, TextIO

from diagnostics.decode.base import LoadContext, LoadedRecord, LoadItem, LoadNote, first_of, pick, raw_copy
from diagnostics.decode.cuts import LONG_VALUE_CHARS, ValueTooLarge
from diagnostics.decode.envelope import Warn, custom_reformat
from diagnostics.decode.errors import csv_rejects_nul
from diagnostics.decode.model import EventSummary
from diagnostics.decode.text_window import TextWindow
from diagnostics.decode.vpcflow import FIELDNAMES, nul_guard, summarize_flow

MACIE_LOCATION = re.compile(r'"lat":(-?0+\d+\.\d+),"lon":(-?0+\d+\.\d+)')
"""Macie Classic wrote coordinates with leading zeros (invalid JSON); the module rewrites them."""

NO_DETAIL = 'no "detail" key'

_DECODER = json.JSONDecoder()


def concatenated_objects(window: TextWindow) -> Iterator[Any]:
    """The module's ``json_event_generator`` over ``'{' + rest``, streamed until its first error.

    On a decode error the module searches the *rest of the file* for a Macie coordinate, rewrites every
    match with the first one's numbers and retries once; that path needs the rest in memory.
    """
    while True:
        window.compact()
        if window.at_end():
            return
        start = window.pos
        try:
            value = window.decode_value(origin=start)
        except json.JSONDecodeError as error:
            yield from _repair_and_continue(_rest_for_repair(window, error))
            return
        yield value


def _rest_for_repair(window: TextWindow, error: json.JSONDecodeError) -> str:
    """The rest of the file for the module's repair path, held only when it is at most ``LONG_VALUE_CHARS``.

    A longer rest is only searched for a Macie coordinate as it streams by: without one the module's retry
    raises this same error, so it is raised here; with one, the repair would need the whole rest in
    memory, which is refused (our ``ValueTooLarge``) rather than held.
    """
    start = window.absolute(window.pos)
    rest = window.rest_within(LONG_VALUE_CHARS)
    if rest is not None:
        return rest
    if not window.rest_matches(MACIE_LOCATION):
        raise error
    raise ValueTooLarge(LONG_VALUE_CHARS, f"char {start}")


def _repair_and_continue(data: str) -> Iterator[Any]:
    """The module's fallback, run on the remaining text as one string, exactly as written."""
    while data:
        try:
            value, end = _DECODER.raw_decode(data)
        except ValueError:
            match = MACIE_LOCATION.search(data)
            if not match or not match.group(1) or not match.group(2):
                raise
            latitude, longitude = float(match.group(1)), float(match.group(2))
            data = re.sub(MACIE_LOCATION, f'"lat":{latitude},"lon":{longitude}', data)
            value, end = _DECODER.raw_decode(data)
        data = data[end:]
        yield value


def whole_text_objects(data: str) -> Iterator[Any]:
    """``concatenated_objects`` over text already in memory: the same values and the same first error.

    Each ``raw_decode`` starts where the previous object ended (no whitespace skipped); the first failure
    hands the rest of the text, from the failing object on, to the module's repair path, as the window does.
    """
    position, end = 0, len(data)
    while position < end:
        try:
            value, position_after = _DECODER.raw_decode(data, position)
        except json.JSONDecodeError:
            yield from _repair_and_continue(data[position:])
            return
        position = position_after
        yield value


def detail_records(values: Iterator[Any], load: LoadContext) -> Iterator[LoadItem]:
    """``dict(event['detail'], source=event['source'].replace('aws.', ''))`` for objects with ``detail``."""
    for value in values:
        if "detail" in value:
            record = dict(value["detail"], source=value["source"].replace("aws.", ""))
            yield LoadedRecord(record=record, raw=raw_copy(load, value))
        else:
            yield LoadNote("decode.no_detail", {"key": load.key}, dropped_reason=NO_DETAIL,
                           record=raw_copy(load, value))


def load_custom(text: TextIO, load: LoadContext) -> Iterator[LoadItem]:
    """``AWSCustomBucket.load_information_from_file``."""
    first = text.read(1)
    if first == "{":
        limit = load.decode.whole_document_chars
        rest = text.read(limit + 1) if limit > 0 else ""
        if limit > 0 and len(rest) <= limit:
            yield from detail_records(whole_text_objects(first + rest), load)
            return
        yield from detail_records(concatenated_objects(TextWindow(text, prefix=first + rest, ledger=load.cuts)), load)
        return
    reader = csv.DictReader(nul_guard(text, csv_rejects_nul(load.decode.profile)), fieldnames=FIELDNAMES,
                            delimiter=" ")
    noted = False
    for row in reader:
        if not noted:
            noted = True
            yield LoadNote("decode.custom_not_json", {"key": load.key, "first": first})
        yield LoadedRecord(record=dict(row, source="vpc"), raw=dict(row), line=reader.line_num)


class CustomDecoder:
    """``AWSCustomBucket``."""

    bucket_type = "custom"
    reads_whole_text = True

    def envelope_account(self, load: LoadContext) -> str | None:
        return None

    def load(self, text: TextIO, load: LoadContext) -> Iterator[LoadItem]:
        return load_custom(text, load)

    def reformat(self, message: dict[str, Any], warn: Warn) -> list[dict[str, Any]]:
        return [custom_reformat(message)]

    def summarize(self, aws: Mapping[str, Any]) -> EventSummary:
        return summarize_custom(aws)


def summarize_custom(aws: Mapping[str, Any]) -> EventSummary:
    """Findings (Macie, GuardDuty, Security Hub...) or flow records, whichever the event looks like."""
    if aws.get("source") == "vpc":
        return summarize_flow(aws)
    return EventSummary(
        time=first_of(aws, "updatedAt", "createdAt", "created-at", "service.eventLastSeen"),
        source=pick(aws, "source"),
        name=first_of(aws, "type", "title", "name", "notification-type"),
        user=first_of(aws, "resource.accessKeyDetails.userName",
                      "policyDetails.actor.userIdentity.iamUser.userName", "actor"),
        source_ip=first_of(aws, "service.action.networkConnectionAction.remoteIpDetails.ipAddressV4",
                           "service.action.awsApiCallAction.remoteIpDetails.ipAddressV4",
                           "service.action.portProbeAction.portProbeDetails.remoteIpDetails.ipAddressV4",
                           "policyDetails.action.apiCallDetails.remoteIpDetails.ipAddressV4"),
        region=pick(aws, "region"),
        outcome=first_of(aws, "severity.description", "severity", "risk-score"),
        resource=first_of(aws, "resourcesAffected.s3Bucket.name", "resource.resourceType",
                          "resource.instanceDetails.instanceId"),
    )
