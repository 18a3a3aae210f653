"""The ordered commit over a bounded read-ahead window: downloads run ahead, everything visible in key order.

Pulls walk events while the window has room, then hands the oldest to ``handle`` (log, emit, mark), so the
state mark of a file always follows its events and a cancelled pass resumes with no loss and no duplicate.
The loop knows nothing of the pass: it gets the fetch and the handler as plain callables.
"""

from __future__ import annotations

import collections
import concurrent.futures
import threading
from collections.abc import Callable, Iterator

from diagnostics.ingest.fetch import Entry, FetchedFile, ReadAhead
from diagnostics.layout.classify import ClassifiedKey, Verdict
from diagnostics.layout.module_walk import WalkEvent

MAX_PENDING = 2000
"""Walk events queued ahead of the commit loop (skipped keys are cheap; reads are bounded separately)."""


class PassCancelled(Exception):
    """The cancel event was set: stop between files, leaving every emitted file marked."""


def commit_in_order(walk: Iterator[WalkEvent], *, pool: concurrent.futures.ThreadPoolExecutor, workers: int,
                    limit: int | None, cancel: threading.Event, fetch: Callable[[Entry], FetchedFile],
                    handle: Callable[[Entry], None]) -> bool:
    """Pull walk events while the window has room, ``fetch`` the files to read ahead in ``pool``, and
    ``handle`` each event in walk order; True when ``limit`` files were read before the walk ended."""
    pending: collections.deque[Entry] = collections.deque()
    window = ReadAhead(pool, workers, fetch)
    reads = 0
    exhausted = limited = False
    while True:
        while (not exhausted and not window.waiting and window.in_flight < workers
               and len(pending) < MAX_PENDING):
            if cancel.is_set():
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
        if cancel.is_set():
            raise PassCancelled
        entry = pending.popleft()
        handle(entry)
        window.done(entry)
