"""Download and decode one object ahead of the commit loop, in a worker thread, with a cancel check.

Kept apart from the engine so the read-ahead pool's unit of work is small and obvious: bytes in, the
module's events and problems out, never a log line or a state write (those happen in key order later).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from diagnostics.decode.model import DecodeContext, DecodedEvent, FileProblem


@dataclass(frozen=True)
class FetchedFile:
    """One object's decode result, held until its turn to be emitted and marked."""

    key: str
    items: tuple[DecodedEvent | FileProblem, ...] = ()
    bytes_read: int = 0
    cancelled: bool = False
    error: BaseException | None = None
    """GetObject itself failed (AccessDenied, KMS, network): the module's ``get_log_file`` catches it too."""
    details: dict[str, Any] = field(default_factory=dict)


def fetch_and_decode(client: Any, bucket: str, key: str, size: int, decode: DecodeContext,
                     cancel: threading.Event) -> FetchedFile:
    """Open the object and decode every record, checking ``cancel`` between records."""
    from diagnostics.decode.model import DecodeCounters
    from diagnostics.decode.registry import decode_object
    from diagnostics.decode.streams import open_s3_object

    if cancel.is_set():
        return FetchedFile(key, cancelled=True)
    try:
        stream = open_s3_object(client, bucket, key)
    except Exception as error:  # the module's get_log_file catches everything here; so does the commit loop
        return FetchedFile(key, error=error)
    counters = DecodeCounters()
    try:
        items = tuple(decode_object(stream, key, decode, cancel=cancel, counters=counters))
    finally:
        stream.close()
    if cancel.is_set() and not counters.complete and not counters.aborted:
        return FetchedFile(key, items, size, cancelled=True)
    return FetchedFile(key, items, size)
