"""What the pass reads from AWS: one object downloaded and decoded ahead of the commit loop, and the
flow-log ids that decide which VPC files the module reads.

Kept apart from the engine so the read-ahead pool's unit of work is small and obvious: bytes in, the
module's events and problems out, never a log line or a state write (those happen in key order later).
"""

from __future__ import annotations

import collections
import concurrent.futures
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from diagnostics.aws.clients import regional_clients
from diagnostics.aws.object_download import ObjectDownloads
from diagnostics.aws.service_regions import service_regions
from diagnostics.decode.model import DecodeContext, DecodeCounters, DecodedEvent, FileProblem
from diagnostics.decode.registry import decode_object
from diagnostics.decode.streams import open_s3_object, read_body
from diagnostics.layout.discovery import describe_flow_log_ids

if TYPE_CHECKING:
    from diagnostics.context import DoctorContext
    from diagnostics.wazuh.wodle import Block


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


MAX_BYTES_AHEAD = 64 * 1024 * 1024
"""Compressed bytes downloaded ahead of the commit loop (one file is always allowed, whatever its size)."""


@dataclass
class Entry:
    """One walk event waiting for its turn in the commit loop, with its download when it is a file to read."""

    event: Any
    key: str = ""
    size: int = 0
    """The object's size as listed (what the download window counts)."""
    future: concurrent.futures.Future[FetchedFile] | None = None


class ReadAhead:
    """The download window: at most ``workers`` files and about ``MAX_BYTES_AHEAD`` bytes in flight,
    always scheduled in key order, so memory stays bounded however large the bucket."""

    def __init__(self, pool: concurrent.futures.ThreadPoolExecutor, workers: int,
                 fetch: Callable[[Entry], FetchedFile]) -> None:
        self.pool, self.workers, self.fetch = pool, workers, fetch
        self.waiting: collections.deque[Entry] = collections.deque()
        self.in_flight = 0
        self.bytes_ahead = 0

    def add(self, entry: Entry) -> None:
        """Queue a file to read; it starts as soon as the window has room."""
        self.waiting.append(entry)
        self.top_up()

    def top_up(self) -> None:
        while self.waiting and self.in_flight < self.workers and (
                self.in_flight == 0 or self.bytes_ahead + self.waiting[0].size <= MAX_BYTES_AHEAD):
            entry = self.waiting.popleft()
            entry.future = self.pool.submit(self.fetch, entry)
            self.in_flight += 1
            self.bytes_ahead += entry.size

    def done(self, entry: Entry) -> None:
        """The commit loop finished with an entry: free its room and start the next downloads."""
        if entry.future is not None:
            self.in_flight -= 1
            self.bytes_ahead -= entry.size
        self.top_up()


class ObjectReadError(Exception):
    """The object's body broke off on every attempt (reset, cut short): reported like a failed GetObject."""


READ_FAILED = "decode.read_failed"
RETRY_PAUSE_S = 0.2
"""First pause before downloading a broken-off object again; doubled on each further attempt."""


def read_attempts(client: Any) -> int:
    """How many times a download is tried: the client's own total attempts (botocore standard retry mode),
    so a body that breaks off mid-read is retried like a failed request."""
    retries = getattr(getattr(getattr(client, "meta", None), "config", None), "retries", None) or {}
    total = retries.get("total_max_attempts") if isinstance(retries, dict) else None
    return max(1, int(total)) if isinstance(total, int) else 1


def read_failure(items: tuple[DecodedEvent | FileProblem, ...]) -> FileProblem | None:
    """The problem saying the body broke off (the network, not the content), if any."""
    for item in items:
        if isinstance(item, FileProblem) and item.finding.failure_id == READ_FAILED:
            return item
    return None


def fetch_and_decode(client: Any, bucket: str, key: str, size: int, decode: DecodeContext,
                     cancel: threading.Event, downloads: ObjectDownloads | None = None) -> FetchedFile:
    """Open the object and decode every record, checking ``cancel`` between records.

    A body that breaks off mid-download is downloaded again from the start (nothing of it was emitted yet),
    up to the client's attempts; if it never completes, the file comes back with ``error`` set, so the
    engine reports it like a failed GetObject and never marks it. ``downloads`` (the pass's) fetches bodies
    with less CPU than ``get_object``, which is used without it.
    """
    attempts = read_attempts(client)
    failure: FileProblem | None = None
    for attempt in range(attempts):
        if cancel.is_set() or (attempt and cancel.wait(RETRY_PAUSE_S * 2 ** (attempt - 1))):
            return FetchedFile(key, cancelled=True)
        try:
            stream = downloads.open(key) if downloads is not None else open_s3_object(client, bucket, key)
        except Exception as error:  # the module's get_log_file catches everything here; so does the loop
            return FetchedFile(key, error=error)
        if 0 < size <= decode.whole_document_chars:  # small enough to decode from memory (whole_text)
            stream = read_body(stream, decode.whole_document_chars)
        counters = DecodeCounters()
        try:
            items = tuple(decode_object(stream, key, decode, cancel=cancel, counters=counters))
        finally:
            stream.close()
        if cancel.is_set() and not counters.complete and not counters.aborted:
            return FetchedFile(key, items, size, cancelled=True)
        failure = read_failure(items)
        if failure is None:
            return FetchedFile(key, items, size, details={"attempts": attempt + 1} if attempt else {})
    error_text = str(failure.finding.title) if failure is not None else "the download broke off"
    return FetchedFile(key, bytes_read=size, error=ObjectReadError(
        f"{error_text} (downloaded {attempts} time(s), the body broke off every time)"),
        details={"attempts": attempts})


SENT_BEFORE_FAILURE = frozenset({"decode.reformat_failed", "decode.send_failed"})
"""Failures that happen while sending (so earlier events of the file did go out); every other failure that
ends an object happens while loading it, before the module sends anything of it."""


def events_withheld(fetched: FetchedFile) -> bool:
    """True when the module would send none of this file's events: it loads the whole object before
    sending, so a load failure (or one of ours, like a download error) loses the events decoded before it."""
    return any(isinstance(item, FileProblem) and not item.recoverable
               and item.finding.failure_id not in SENT_BEFORE_FAILURE for item in fetched.items)


def problem_script_lines(problem: FileProblem) -> tuple[tuple[int, str], ...]:
    """The script's own lines for a problem, read from the finding's evidence (``ERROR: ...`` and
    ``DEBUG: ... (debug N)`` entries); other evidence is our commentary and is not logged."""
    lines: list[tuple[int, str]] = []
    for item in problem.finding.evidence:
        if item.startswith("ERROR: ") or item.startswith("WARNING: "):
            lines.append((0, item))
        elif item.startswith("DEBUG: ") and item.endswith(")") and " (debug " in item:
            text, _, level = item.rpartition(" (debug ")
            lines.append((int(level.rstrip(")")) if level.rstrip(")").isdigit() else 1, text))
    return tuple(lines)


def flow_logs_via_ec2(session: Any, settings: Any, profile_region: str | None = None
                      ) -> Callable[[str], tuple[str, ...]]:
    """``DescribeFlowLogs`` per region with the module's credentials: its vpcflow keys are read per flow-log id.
    A ``profile_region`` (the region of the module's profile in its ~/.aws/config) replaces every walked
    region, because the module hands that region to each client it builds, EC2's included."""
    ec2_in = regional_clients(session, "ec2", settings)
    return lambda region: describe_flow_log_ids(ec2_in(profile_region or region))


def module_ec2_clients(block: Block, session: Any, settings: Any, context: DoctorContext
                       ) -> Callable[[str], Any]:
    """region -> the EC2 client the module builds for that region: in its profile's region when the module's
    ~/.aws/config sets one (that region wins over the walked one)."""
    profile_region = service_regions(block, context.module_home).client_region
    ec2_in = regional_clients(session, "ec2", settings)
    return lambda region: ec2_in(profile_region or region)


def flow_log_lookup(block: Block, aws_session: Any, settings: Any, context: DoctorContext | None = None
                    ) -> Callable[[str], tuple[str, ...]] | None:
    """For a vpcflow block, the region -> flow-log ids lookup the module makes (``DescribeFlowLogs`` with its
    credentials, in its profile's region when ``context``'s module home sets one); None for other types.
    The check, ``keys``, ``ingest`` and the app all wire it here."""
    if (block.block_type or "").lower() != "vpcflow" or aws_session is None or settings is None:
        return None
    profile_region = service_regions(block, context.module_home).client_region if context is not None else None
    return flow_logs_via_ec2(aws_session, settings, profile_region)
