"""The explicit opt-in: receive a subscriber queue's messages (never delete them) and read what they name.

Only ``ingest --block LINE --receive-messages N --yes-i-understand-receive-count`` gets here; no default path
does. Each receive raises the receive count of every message it returns (a redrive policy moves a message to its
dead-letter queue after maxReceiveCount receives, where the module never reads it), so the receive asks for
``VisibilityTimeout=0``: the messages are visible again at once and the module's next run still gets them.
Nothing is deleted and no visibility is changed afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, unquote_plus

from diagnostics.aws.access_probes import call
from diagnostics.ingest.subscriber_pass import DeliveredObject, DeliveredObjects

RECEIVE_BATCH = 10
"""ReceiveMessage returns at most ten messages."""


@dataclass(frozen=True)
class ReceivedMessage:
    """One message as received: its id, receive count after this receive, and the object it names (if any)."""

    message_id: str
    receive_count: int
    bucket: str | None
    raw_key: str | None
    """The key exactly as the notification carries it (URL-encoded by S3 for the buckets and hub types)."""
    body: Mapping[str, Any]


@dataclass(frozen=True)
class Received:
    """What the receives returned, or why they failed."""

    messages: tuple[ReceivedMessage, ...]
    error: str | None = None


def named_object(kind: str, body: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(bucket, key as carried) from an S3 event record or Security Lake's EventBridge shape; (None, None) for
    anything else (S3's test event), which the module skips without deleting."""
    try:
        if kind == "security_lake":
            return str(body["detail"]["bucket"]["name"]), str(body["detail"]["object"]["key"])
        record = body["Records"][0]["s3"]
        return str(record["bucket"]["name"]), str(record["object"]["key"])
    except (KeyError, IndexError, TypeError):
        return None, None


def receive_messages(sqs: Any, queue_url: str, count: int, kind: str) -> Received:
    """Up to ``count`` distinct messages, received with VisibilityTimeout=0; never deleted."""
    seen: dict[str, ReceivedMessage] = {}
    while len(seen) < count:
        outcome = call(sqs, "receive_message", QueueUrl=queue_url, MaxNumberOfMessages=min(RECEIVE_BATCH,
                                                                                           count - len(seen)),
                       VisibilityTimeout=0, WaitTimeSeconds=0, AttributeNames=["ApproximateReceiveCount"])
        if not outcome.ok or outcome.response is None:
            return Received(tuple(seen.values()), outcome.error_text or outcome.kind)
        fresh = 0
        for message in outcome.response.get("Messages", []):
            identifier = str(message.get("MessageId", ""))
            if identifier in seen:
                continue
            fresh += 1
            try:
                body = json.loads(message.get("Body") or "null")
            except ValueError:
                body = {}
            bucket, raw_key = named_object(kind, body if isinstance(body, dict) else {})
            receive_count = int(message.get("Attributes", {}).get("ApproximateReceiveCount", "0") or 0)
            seen[identifier] = ReceivedMessage(identifier, receive_count, bucket, raw_key,
                                               body if isinstance(body, dict) else {})
        if not fresh:  # the queue gave back only messages already seen: there are no others to be had
            break
    return Received(tuple(seen.values())[:count])


def asked_key(kind: str, raw_key: str) -> str:
    """The key the module asks S3 for: the buckets subscriber unquotes ('%XX' only), the others take it as is."""
    return unquote(raw_key) if kind == "buckets" else raw_key


def received_objects(kind: str, received: Received) -> DeliveredObjects:
    """The objects the messages name, in the order received, each under the key the module asks for."""
    objects = tuple(DeliveredObject(message.raw_key if kind == "security_lake" else unquote_plus(message.raw_key),
                                    0, None, asked_key=asked_key(kind, message.raw_key), bucket=message.bucket,
                                    received=message.body)
                    for message in received.messages if message.bucket is not None and message.raw_key is not None)
    first = objects[0].bucket or "" if objects else ""
    return DeliveredObjects(first, objects, len(objects), len(received.messages), False)
