"""The objects a subscriber's notifications point to, sampled read-only from the source bucket.

The doctor cannot see the messages (receiving would hide them from the module), but it can look at the bucket
they come from: keys with a space stop every run at their notification, and the newest object shows how the
module will decode what arrives (its format guess, dropped lines, mangled plain text).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from diagnostics.aws.access_probes import CallOutcome, call
from diagnostics.decode.discard import compile_rule
from diagnostics.decode.subscriber_objects import SubscriberStop, notified_key, object_text, subscriber_object

if TYPE_CHECKING:
    from diagnostics.wazuh.wodle import Block

MAX_LISTED_KEYS = 1000
"""One ListObjectsV2 page: enough to find keys with spaces among recent objects without walking a bucket."""
MAX_SAMPLE_BYTES = 8 * 1024 * 1024
"""The newest object is decoded only up to this size; larger ones are named but not read."""


class AddFinding(Protocol):
    """The chain's way of recording a finding from the table."""

    def __call__(self, failure_id: str, outcome: CallOutcome | None = None, evidence: tuple[str, ...] = (),
                 reached: bool = True, **values: Any) -> None: ...


def check_notified_objects(add: AddFinding, s3: Any, bucket: str, block: Block) -> None:
    """Keys with spaces, then the newest object decoded the subscriber's way."""
    listing = call(s3, "list_objects_v2", Bucket=bucket, MaxKeys=MAX_LISTED_KEYS)
    if not listing.ok or listing.response is None:
        add("queue.objects_unlisted", listing, reached=False, bucket=bucket)
        return
    contents = [item for item in listing.response.get("Contents", []) if not str(item.get("Key", "")).endswith("/")]
    kind = block.block_type or "buckets"
    renamed = [str(item["Key"]) for item in contents if notified_key(str(item["Key"]), kind) != str(item["Key"])]
    if renamed:
        shown = ", ".join(repr(key) for key in renamed[:5]) + (f" and {len(renamed) - 5} more"
                                                                if len(renamed) > 5 else "")
        decoding = ("The Security Hub subscriber decodes nothing, so any encoded character breaks the key."
                    if kind == "security_hub" else
                    "The buckets subscriber decodes '%XX' but keeps '+', so a space comes back as '+'.")
        add("queue.key_with_space", evidence=tuple(f"{key!r} is asked for as {notified_key(key, kind)!r}"
                                                   for key in renamed[:5]),
            bucket=bucket, count=len(renamed), keys=shown, decoding=decoding)
    if not contents:
        return
    newest = max(contents, key=lambda item: (item.get("LastModified") or 0, str(item.get("Key", ""))))
    key = str(newest["Key"])
    if int(newest.get("Size", 0)) > MAX_SAMPLE_BYTES:
        add("queue.object_sample", reached=False, key=key, format="(not read: over 8 MiB)", sent="?", dropped="?",
            note=" The object is larger than the doctor samples.")
        return
    fetched = call(s3, "get_object", Bucket=bucket, Key=key)
    if not fetched.ok or fetched.response is None:
        add("queue.object_denied", fetched, bucket=bucket, key=key)
        return
    body = fetched.response["Body"].read(MAX_SAMPLE_BYTES + 1)
    discard = block.discard_regex
    regex = (discard.value or None) if discard is not None else None
    rule = compile_rule(discard.attributes.get("field") if discard is not None and regex else None, regex)
    try:
        decoded = subscriber_object(bucket, key, object_text(key, body), rule, kind)
    except SubscriberStop as stop:
        add("queue.object_stops", key=key, reason=str(stop))
        return
    dropped = [event for event in decoded.events if event.datagram is None]
    add("queue.object_sample", reached=False, key=key, format=decoded.format,
        sent=len(decoded.events) - len(dropped), dropped=len(dropped),
        note=(" " + decoded.note) if decoded.note else "")
    if decoded.note:
        add("queue.object_mangled", key=key, note=decoded.note)
    lost = sum(event.lost_findings for event in decoded.events)
    if lost:
        add("queue.findings_lost", key=key, lost=lost)
    by_none = [str(event.record.get("full_log", "")) for event in dropped
               if "literal 'None'" in (event.dropped_by or "")]
    if by_none:
        add("queue.object_none_dropped", evidence=tuple(f"dropped: {line[:120]!r}" for line in by_none[:5]),
            key=key, count=len(by_none), example=repr(by_none[0][:60]))
