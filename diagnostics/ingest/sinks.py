"""Where the ingestion pass puts its events: JSON lines, memory, or Wazuh's queue socket.

The payload is byte for byte what the module writes to the socket (``1:Wazuh-AWS:`` + ``json.dumps(msg,
default=str)``), so a line of our output can be pasted into wazuh-logtest or diffed against archives.
"""

from __future__ import annotations

import errno
import json
import socket
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

from diagnostics.context import DoctorContext
from diagnostics.explanations import build_finding
from diagnostics.findings import Finding

MESSAGE_HEADER = "1:Wazuh-AWS:"
QUEUE_SOCKET = Path("queue") / "sockets" / "queue"
"""Relative to the Wazuh home."""


def event_json(message: Mapping[str, Any]) -> str:
    """The module's serialisation of one message (default separators, ``default=str``)."""
    return json.dumps(message, default=str)


@dataclass(frozen=True)
class EmittedEvent:
    """One event leaving the pass: its message and where it came from."""

    message: Mapping[str, Any]
    key: str
    """The S3 key it was decoded from."""
    json_text: str
    """``event_json(message)``, computed once (its length is the size the module checks)."""

    @property
    def payload(self) -> str:
        """The socket datagram text."""
        return f"{MESSAGE_HEADER}{self.json_text}"


class SendFailure(Exception):
    """Delivering an event failed the way the module's ``send_msg`` fails (exit 11 or 13)."""

    def __init__(self, failure_id: str, exit_code: int, error: str) -> None:
        super().__init__(error)
        self.failure_id = failure_id
        self.exit_code = exit_code
        self.error = error


class MessageTooLong(Exception):
    """errno 90: the module prints an error, drops this one event and goes on."""


class EventSink(Protocol):
    """Receives the pass's events in key order; ``file_done`` must make them durable before the file is
    marked in state, which is what keeps a cancelled pass free of loss and duplicates."""

    def emit(self, event: EmittedEvent) -> None: ...

    def file_done(self, key: str) -> None: ...

    def close(self) -> None: ...


class JsonLinesSink:
    """One JSON line per event: the socket payload (default) or the plain envelope (``envelopes=True``)."""

    def __init__(self, stream: IO[str], *, envelopes: bool = False, owns_stream: bool = False) -> None:
        self._stream = stream
        self._envelopes = envelopes
        self._owns_stream = owns_stream

    @classmethod
    def to_path(cls, path: Path, *, envelopes: bool = False) -> JsonLinesSink:
        """Append to a file, so a resumed pass continues the same output."""
        return cls(path.open("a", encoding="utf-8"), envelopes=envelopes, owns_stream=True)

    def emit(self, event: EmittedEvent) -> None:
        self._stream.write((event.json_text if self._envelopes else event.payload) + "\n")

    def file_done(self, key: str) -> None:
        self._stream.flush()

    def close(self) -> None:
        if self._owns_stream:
            self._stream.close()
        else:
            self._stream.flush()


class MemorySink:
    """Keeps every event in order (tests, the app's preview of a pass)."""

    def __init__(self) -> None:
        self.events: list[EmittedEvent] = []
        self.files_done: list[str] = []
        self._lock = threading.Lock()

    def emit(self, event: EmittedEvent) -> None:
        with self._lock:
            self.events.append(event)

    def file_done(self, key: str) -> None:
        with self._lock:
            self.files_done.append(key)

    def close(self) -> None:
        return None

    @property
    def payloads(self) -> list[str]:
        """The socket payloads, in order."""
        return [event.payload for event in self.events]


class CountingSink:
    """Counts events without keeping them, for a pass whose log and summary are the whole output."""

    def __init__(self) -> None:
        self.events = 0

    def emit(self, event: EmittedEvent) -> None:
        self.events += 1

    def file_done(self, key: str) -> None:
        """Nothing to flush."""

    def close(self) -> None:
        """Nothing to close."""


class QueueSocketSink:
    """Sends each payload as one datagram to ``<WAZUH_HOME>/queue/sockets/queue``, like ``send_msg``.

    Only built on explicit request (``--send``) and when the socket exists: real events reach analysisd.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._socket: socket.socket | None = None
        self.dropped_too_long = 0

    def _connected(self) -> socket.socket:
        if self._socket is None:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            try:
                sock.connect(str(self.path))
            except OSError as error:
                sock.close()
                raise _send_failure(error, self.path) from error
            self._socket = sock
        return self._socket

    def emit(self, event: EmittedEvent) -> None:
        data = event.payload.encode()
        try:
            self._connected().send(data)
        except SendFailure:
            raise
        except OSError as error:
            if error.errno == errno.EMSGSIZE:
                self.dropped_too_long += 1
                raise MessageTooLong(str(error)) from error
            raise _send_failure(error, self.path) from error

    def file_done(self, key: str) -> None:
        return None

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None


def _send_failure(error: OSError, path: Path) -> SendFailure:
    if error.errno == errno.ECONNREFUSED:
        return SendFailure("host.wazuh_not_running", 11, str(error))
    if error.errno == errno.ENOENT:
        return SendFailure("host.queue_socket_missing", 13, str(error))
    return SendFailure("host.send_failed", 13, str(error))


class TeeSink:
    """Several sinks at once (a JSON-lines copy of what is sent to the socket)."""

    def __init__(self, *sinks: EventSink) -> None:
        self._sinks = sinks

    def emit(self, event: EmittedEvent) -> None:
        for sink in self._sinks:
            sink.emit(event)

    def file_done(self, key: str) -> None:
        for sink in self._sinks:
            sink.file_done(key)

    def close(self) -> None:
        for sink in self._sinks:
            sink.close()


def queue_socket_path(wazuh_home: Path) -> Path:
    """Where analysisd listens for the module's datagrams."""
    return wazuh_home / QUEUE_SOCKET


def open_queue_sink(context: DoctorContext, target: str) -> tuple[QueueSocketSink | None, Finding | None]:
    """The ``--send`` sink, only when the queue socket exists; otherwise the finding that says why not.

    Real events reach analysisd through it, so callers build it only on the user's explicit request.
    """
    path = queue_socket_path(context.wazuh_home)
    if not path.is_socket():
        return None, build_finding("host.queue_socket_missing", check_id="ingest.send", target=target,
                                   profile=context.profile, values={"socket": str(path)})
    return QueueSocketSink(path), None
