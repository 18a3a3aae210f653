"""The objects a subscriber's queue would deliver, found from the queue's source bucket, for the app's face.

The queue's messages are never received (that would hide them from the module), so the objects come from
the bucket the queue policy names as the notifications' source: its newest objects, each of which the face
can then decode the subscriber's way with ``input_session.preview_notified_object``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from diagnostics.aws.access_probes import call
from diagnostics.aws.clients import make_client
from diagnostics.aws.queue_access import source_buckets
from diagnostics.input_session import InputSession, open_input

if TYPE_CHECKING:
    from diagnostics.context import DoctorContext
    from diagnostics.wazuh.wodle import Block, Wodle

MAX_LISTED = 1000
"""One ListObjectsV2 page of the source bucket; the newest of them are shown."""


@dataclass(frozen=True)
class NotifiedObject:
    """One object of the source bucket: its key, size and time."""

    key: str
    size: int
    modified: datetime | None


@dataclass(frozen=True)
class NotifiedObjects:
    """The source bucket and its newest objects, or why they cannot be shown."""

    session: InputSession
    bucket: str | None
    objects: tuple[NotifiedObject, ...]
    problem: str | None = None


def list_notified_objects(context: DoctorContext, block: Block, wodle: Wodle | None = None, *,
                          limit: int = 200, bucket: str | None = None) -> NotifiedObjects:
    """Open the subscriber block, find its queue's source bucket (or take ``bucket``, named by the user where the
    queue names none, as for Security Lake) and list the bucket's newest objects."""
    session = open_input(context, block, wodle)
    if session.aws_session is None or session.settings is None:
        return NotifiedObjects(session, None, (), "no working session (see the credential findings)")
    if bucket is not None:
        return _newest(session, bucket, limit)
    if block.block_type == "security_lake":
        return NotifiedObjects(session, None, (), "Security Lake writes to its own bucket and does not name it in "
                                                  "the queue policy; preview one of its objects with "
                                                  "`preview --block LINE --bucket B --key K`")
    sqs: Any = make_client(session.aws_session, "sqs", session.settings)
    looked_up = call(sqs, "get_queue_url", QueueName=block.value("sqs_name") or "")
    if not looked_up.ok or looked_up.response is None:
        return NotifiedObjects(session, None, (), f"the queue cannot be found: {looked_up.error_text}")
    attributes = call(sqs, "get_queue_attributes", QueueUrl=looked_up.response["QueueUrl"],
                      AttributeNames=["Policy"])
    policy = (attributes.response or {}).get("Attributes", {}).get("Policy") if attributes.ok else None
    buckets = source_buckets(policy)
    if not buckets:
        return NotifiedObjects(session, None, (), "the queue policy names no source bucket (no aws:SourceArn "
                                                  "condition), so the objects its messages point to are unknown")
    return _newest(session, buckets[0], limit)


def _newest(session: InputSession, bucket: str, limit: int) -> NotifiedObjects:
    """One ListObjectsV2 page of ``bucket``, its newest objects first."""
    assert session.aws_session is not None and session.settings is not None
    s3: Any = make_client(session.aws_session, "s3", session.settings)
    listing = call(s3, "list_objects_v2", Bucket=bucket, MaxKeys=MAX_LISTED)
    if not listing.ok or listing.response is None:
        return NotifiedObjects(session, bucket, (), f"{bucket} cannot be listed: {listing.error_text}")
    contents = [item for item in listing.response.get("Contents", []) if not str(item.get("Key", "")).endswith("/")]
    contents.sort(key=lambda item: (item["LastModified"].timestamp() if item.get("LastModified") else 0.0,
                                    str(item.get("Key", ""))), reverse=True)
    return NotifiedObjects(session, bucket, tuple(
        NotifiedObject(str(item["Key"]), int(item.get("Size", 0)), item.get("LastModified"))
        for item in contents[:limit]))

