"""A read-only subscriber pass: the objects a queue would deliver, each read and sent as the module would.

The queue's messages are never received (that hides them and raises their receive count), so the objects come
from the source bucket: those its notification configuration sends to the queue (event types, prefix and
suffix filters), newest ``limit`` of them, taken in the order of their LastModified time, which is roughly the
order S3 notifies them in (the queue's own order is not knowable without receiving). Each object is fetched under
the key the module asks for and decoded its way; the first failure ends the run as it ends the module's run:
that message is not deleted and comes back after the visibility timeout.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote_plus

from diagnostics.aws.access_probes import call
from diagnostics.decode.discard import DiscardRule, compile_rule
from diagnostics.decode.subscriber_objects import (
    SubscriberObject,
    SubscriberStop,
    notified_key,
    object_text,
    security_lake_datagrams,
    subscriber_object,
)
from diagnostics.ingest.subscriber_log import SubscriberLines, stop_exit

if TYPE_CHECKING:
    from diagnostics.context import DoctorContext
    from diagnostics.wazuh.wodle import Block

MAX_LISTED_KEYS = 20_000
"""Keys listed at most (20 ListObjectsV2 pages) to find the newest ones: S3 lists by name, not by time."""
BATCH = 10
"""Messages per ReceiveMessage, as the module asks (the real queue may hand over fewer)."""


@dataclass(frozen=True)
class NotificationRoute:
    """One queue configuration of the bucket that targets the queue: its event types and key filters."""

    events: tuple[str, ...]
    prefix: str = ""
    suffix: str = ""
    configuration_id: str = ""

    def admits(self, key: str) -> bool:
        """True when a new object with this key is notified through this route."""
        creates = any(event.startswith("s3:ObjectCreated") for event in self.events)
        return creates and key.startswith(self.prefix) and key.endswith(self.suffix)

    def describe(self) -> str:
        """The route in one phrase: its events and filters."""
        filters = [f"{name} '{value}'" for name, value in (("prefix", self.prefix), ("suffix", self.suffix))
                   if value]
        return ", ".join(self.events) + (f" ({', '.join(filters)})" if filters else "")


def routes_to_queue(configuration: Mapping[str, Any], queue_arn: str) -> tuple[NotificationRoute, ...]:
    """The bucket's queue configurations whose destination is the queue (GetBucketNotificationConfiguration)."""
    routes: list[NotificationRoute] = []
    for item in configuration.get("QueueConfigurations", []):
        if item.get("QueueArn") != queue_arn:
            continue
        rules = {str(rule.get("Name", "")).lower(): str(rule.get("Value", ""))
                 for rule in item.get("Filter", {}).get("Key", {}).get("FilterRules", [])}
        routes.append(NotificationRoute(tuple(str(event) for event in item.get("Events", [])),
                                        rules.get("prefix", ""), rules.get("suffix", ""), str(item.get("Id", ""))))
    return tuple(routes)


@dataclass(frozen=True)
class DeliveredObject:
    """An object whose notification the queue would hold: key, size, time and ETag from the listing."""

    key: str
    size: int
    modified: datetime | None
    etag: str = ""
    asked_key: str | None = None
    """The key the module asks for when a received notification names it (else derived from ``key``)."""
    bucket: str | None = None
    """The bucket a received notification names (else the listing's)."""
    received: Mapping[str, Any] | None = None
    """The received notification's body, printed as the module prints it."""


@dataclass(frozen=True)
class DeliveredObjects:
    """The objects of one pass, oldest first, and how they were chosen."""

    bucket: str
    objects: tuple[DeliveredObject, ...]
    matched: int
    """Objects of the listing the routes admit (and newer than ``since``), before the limit."""
    listed: int
    truncated: bool
    """True when the bucket has more keys than the doctor lists: newer objects may exist beyond them."""
    problem: str | None = None


def delivered_objects(s3: Any, bucket: str, routes: Sequence[NotificationRoute], *, limit: int,
                      since: datetime | None = None) -> DeliveredObjects:
    """The newest ``limit`` objects the routes admit (every object when no route is known), oldest first."""
    prefixes = {route.prefix for route in routes}
    common = prefixes.pop() if len(prefixes) == 1 else ""
    found: list[DeliveredObject] = []
    listed, token, truncated = 0, None, False
    while True:
        arguments: dict[str, Any] = {"Bucket": bucket, "Prefix": common, "MaxKeys": 1000}
        if token:
            arguments["ContinuationToken"] = token
        page = call(s3, "list_objects_v2", **arguments)
        if not page.ok or page.response is None:
            return DeliveredObjects(bucket, (), 0, listed, False, f"{bucket} cannot be listed: {page.error_text}")
        for item in page.response.get("Contents", []):
            listed += 1
            key, modified = str(item.get("Key", "")), item.get("LastModified")
            if key.endswith("/") or (routes and not any(route.admits(key) for route in routes)):
                continue
            if since is not None and modified is not None and modified < since:
                continue
            found.append(DeliveredObject(key, int(item.get("Size", 0)), modified, str(item.get("ETag", ""))))
        token = page.response.get("NextContinuationToken")
        if not token:
            break
        if listed >= MAX_LISTED_KEYS:
            truncated = True
            break
    found.sort(key=lambda item: (item.modified.timestamp() if item.modified else 0.0, item.key))
    return DeliveredObjects(bucket, tuple(found[-limit:]), len(found), listed, truncated)


@dataclass(frozen=True)
class QueueDenial:
    """A queue call the credentials may not make (found without making it): the run ends there, exit 21."""

    operation: str
    """``receive`` (the run ends before any object) or ``delete`` (after the first object's events)."""
    message: str
    """What the module prints at debug 1: its error line with the call's error."""


@dataclass(frozen=True)
class ObjectRun:
    """One notified object as the module's run meets it: what it sends, drops, and whether the run ends there."""

    bucket: str
    key: str
    asked_key: str
    modified: datetime | None
    datagrams: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()
    """Why each dropped record was dropped."""
    data_format: str = ""
    note: str = ""
    lost_findings: int = 0
    none_dropped: tuple[str, ...] = ()
    """Plain-text lines dropped by the literal 'None' regex the module uses when none is set."""
    stop: str | None = None
    stop_code: int | None = None
    """The module's exit code for the error that ends the run here, at debug 0."""


@dataclass(frozen=True)
class SubscriberRun:
    """The run over the pass's objects: each object reached, the module's exit, and where it stopped."""

    objects: tuple[ObjectRun, ...]
    exit_code: int
    not_reached: int = 0
    """Objects after the one the run stopped at (or was cancelled before)."""
    cancelled: bool = False

    @property
    def stopped_at(self) -> ObjectRun | None:
        """The object whose message is never deleted, or None when the run ends normally."""
        return next((run for run in self.objects if run.stop is not None), None)


def discard_rule_of(block: Block) -> DiscardRule:
    """The block's discard rule as the module compiles it (an unset regex is the literal 'None')."""
    discard = block.discard_regex
    regex = (discard.value or None) if discard is not None else None
    return compile_rule(discard.attributes.get("field") if discard is not None and regex else None, regex)


def notification(kind: str, bucket: str, item: DeliveredObject, region: str, configuration_id: str
                 ) -> dict[str, Any]:
    """The notification as the module prints it: S3's event record (key URL-encoded), or Security Lake's
    EventBridge shape; rebuilt from the listing, so request ids and times are not the real message's."""
    if item.received is not None:
        return dict(item.received)
    if kind == "security_lake":
        return {"source": "aws.s3", "detail-type": "Object Created",
                "detail": {"bucket": {"name": bucket}, "object": {"key": item.key, "size": item.size}}}
    when = item.modified.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z" if item.modified else ""
    return {"Records": [{"eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": region, "eventTime": when,
                         "eventName": "ObjectCreated:Put", "s3": {
                             "s3SchemaVersion": "1.0", "configurationId": configuration_id,
                             "bucket": {"name": bucket, "arn": f"arn:aws:s3:::{bucket}"},
                             "object": {"key": quote_plus(item.key, safe="/"), "size": item.size,
                                        "eTag": item.etag.strip('"')}}}]}


def read_object(s3: Any, kind: str, bucket: str, item: DeliveredObject, rule: DiscardRule,
                printer: SubscriberLines) -> tuple[ObjectRun, list[str]]:
    """Fetch one object under the key the module asks for and decode it; its run and the module's lines."""
    asked = item.asked_key or (item.key if kind == "security_lake" else notified_key(item.key, kind))
    bucket = item.bucket or bucket
    lines = printer.lake_start(bucket, asked) if kind == "security_lake" else []
    base = ObjectRun(bucket, item.key, asked, item.modified)
    fetched = call(s3, "get_object", Bucket=bucket, Key=asked)
    if not fetched.ok or fetched.response is None:
        if kind == "security_lake":
            error = f"Could not get the parquet file {asked} in {bucket}: {fetched.error_text}"
            return _stopped(base, error, 21), lines + printer.stop(21, error)
        return _stopped(base, fetched.error_text, 12), lines + printer.stop(12, fetched.error_text)
    body = fetched.response["Body"].read()
    try:
        if kind == "security_lake":
            datagrams = security_lake_datagrams(body)
            run = ObjectRun(bucket, item.key, asked, item.modified, tuple(datagrams), data_format="parquet")
            return run, lines + printer.lake_object(asked, datagrams)
        decoded = subscriber_object(bucket, asked, object_text(asked, body), rule, kind)
    except SubscriberStop as stop:
        return _stopped(base, str(stop), stop.exit_code), lines + printer.stop(stop.exit_code, stop.printed)
    return _decoded_run(base, decoded), printer.buckets_object(decoded, rule)


def _stopped(base: ObjectRun, error: str, exit_code: int) -> ObjectRun:
    return ObjectRun(base.bucket, base.key, base.asked_key, base.modified, stop=error or "the call failed",
                     stop_code=exit_code)


def _decoded_run(base: ObjectRun, decoded: SubscriberObject) -> ObjectRun:
    sent = tuple(event.datagram for event in decoded.events if event.datagram is not None)
    dropped = [event for event in decoded.events if event.datagram is None]
    by_none = tuple(str(event.record.get("full_log", "")) for event in dropped
                    if "literal 'None'" in (event.dropped_by or ""))
    return ObjectRun(base.bucket, base.key, base.asked_key, base.modified, sent,
                     tuple(event.dropped_by or "" for event in dropped), decoded.format, decoded.note,
                     sum(event.lost_findings for event in decoded.events), by_none)


def run_subscriber_objects(s3: Any, block: Block, context: DoctorContext, listing: DeliveredObjects,
                           queue_url: str, debug_level: int, emit_line: Callable[[str], None],
                           send: Callable[[str], None], *, configuration_id: str = "",
                           denied: QueueDenial | None = None,
                           cancel: threading.Event | None = None) -> SubscriberRun:
    """Meet the objects as the module's run meets their messages: batches of ten, each object read, sent and
    its message deleted, until the first failure (the run's exit) or the end (an empty receive); a denied
    receive ends the run at once, a denied delete after the first object's events (exit 21 either way)."""
    kind = block.block_type or "buckets"
    printer = SubscriberLines(block, context, debug_level)
    rule = discard_rule_of(block)
    region = str(getattr(getattr(s3, "meta", None), "region_name", "") or "")
    _emit(emit_line, printer.opening(queue_url))
    if denied is not None and denied.operation == "receive":
        _emit(emit_line, printer.receive([]) + printer.queue_error(denied.message))
        return SubscriberRun((), 21, len(listing.objects))
    runs: list[ObjectRun] = []
    objects = listing.objects
    for start in range(0, len(objects), BATCH):
        batch = objects[start:start + BATCH]
        _emit(emit_line, printer.receive([notification(kind, item.bucket or listing.bucket, item, region,
                                                       configuration_id)
                                          for item in batch]))
        for item in batch:
            if cancel is not None and cancel.is_set():
                return SubscriberRun(tuple(runs), 0, len(objects) - len(runs), cancelled=True)
            run, lines = read_object(s3, kind, item.bucket or listing.bucket, item, rule, printer)
            for datagram in run.datagrams:
                send(datagram)
            if run.stop_code is None and denied is not None:
                lines += printer.queue_error(denied.message)
                run = dataclasses.replace(run, stop=denied.message, stop_code=21)
            elif run.stop_code is None:
                lines += printer.deleted()
            _emit(emit_line, lines)
            runs.append(run)
            if run.stop_code is not None:
                return SubscriberRun(tuple(runs), stop_exit(run.stop_code, debug_level), len(objects) - len(runs))
    _emit(emit_line, printer.receive([]))
    return SubscriberRun(tuple(runs), 0)


def _emit(emit_line: Callable[[str], None], lines: list[str]) -> None:
    for line in lines:
        emit_line(line)
