"""The ordered commit over a bounded read-ahead window: downloads run ahead, everything visible in key order.

Pulls walk events while the window has room, then hands the oldest to the pass (log, emit, mark), so the
state mark of a file always follows its events and a cancelled pass resumes with no loss and no duplicate.
"""

from __future__ import annotations

import collections
import concurrent.futures
from collections.abc import Iterator
from typing import TYPE_CHECKING

from diagnostics.ingest.fetch import Entry, ReadAhead, fetch_and_decode
from diagnostics.ingest.state import IngestState
from diagnostics.layout.classify import ClassifiedKey, Verdict
from diagnostics.layout.module_walk import WalkEvent

if TYPE_CHECKING:
    from diagnostics.ingest.engine import _Pass as IngestPass

MAX_PENDING = 2000
"""Walk events queued ahead of the commit loop (skipped keys are cheap; reads are bounded separately)."""


class PassCancelled(Exception):
    """The cancel event was set: stop between files, leaving every emitted file marked."""


def commit_in_order(run: IngestPass, state: IngestState, pool: concurrent.futures.ThreadPoolExecutor,
                 walk: Iterator[WalkEvent], workers: int) -> bool:
    """Pull walk events while the window has room, then handle the oldest; True when the limit hit."""
    pending: collections.deque[Entry] = collections.deque()
    window = ReadAhead(pool, workers, lambda entry: fetch_and_decode(
        run.request.client, run.bucket, entry.key, entry.size, run.decode, run.cancel, run.downloads))
    reads = 0
    limit = run.request.limit
    exhausted = limited = False
    while True:
        while (not exhausted and not window.waiting and window.in_flight < workers
               and len(pending) < MAX_PENDING):
            if run.cancel.is_set():
                raise PassCancelled
            event = next(walk, None)
            if event is None:
                exhausted = True
                break
            entry = Entry(event, event.key if isinstance(event, ClassifiedKey) else "")
            if isinstance(event, ClassifiedKey) and event.verdict is Verdict.READ:
                if limit is not None and reads >= limit:
                    exhausted = limited = True
                    break
                reads += 1
                entry.size = event.object.size if event.object else 0
                window.add(entry)
            pending.append(entry)
        if not pending:
            return limited
        if run.cancel.is_set():
            raise PassCancelled
        entry = pending.popleft()
        run.handle(entry, state)
        window.done(entry)
