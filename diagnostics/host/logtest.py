"""Rule matching of previewed events through the manager's own wazuh-logtest (events sent but no alert).

Events go in exactly the shape the module sends: analysisd rebuilds ``1:<location>:<event>`` from the
request, so location ``Wazuh-AWS`` plus the JSON after the module's ``1:Wazuh-AWS:`` header is the same
datagram byte for byte. Two interfaces are followed, both read from wazuh/wazuh 4.x
(``src/analysisd/logtest.c`` and ``framework/scripts/wazuh_logtest.py``, Wazuh 4.1 to 4.14):

1. **The logtest socket (preferred)**: UNIX stream socket ``<home>/queue/sockets/logtest``, one request
   per connection, each message a 4-byte little-endian length then UTF-8 JSON. Request
   ``{"version": 1, "origin": {"name": ..., "module": ...}, "command": "log_processing", "parameters":
   {"location": "Wazuh-AWS", "log_format": "json", "event": "<json>", "token": "<8 hex, after the
   first>"}}``; ``log_format`` is required but does not change how the event is read. Answer
   ``{"error": 0, "data": {"messages": [...], "token": ..., "output": {<alert JSON: rule, decoder...>},
   "alert": bool, "codemsg": n}}``; a refused request is ``{"error": n, "message": ..., "data": {}}``. The
   session is closed with ``"command": "remove_session"``. ``alert`` is analysisd's verdict: the rule's
   level is at least the session's ``<alerts><log_alert_level>``.
2. **The ``bin/wazuh-logtest`` tool (fallback)**, run as ``wazuh-logtest -l Wazuh-AWS`` with one event
   per stdin line; it prints ``**Phase 1/2/3`` blocks with ``\\tkey: 'value'`` lines and ``**Alert to be
   generated.`` (through logging, on stderr).

Wazuh 5.0 replaces analysisd with a new engine whose test interface is not followed here; without the
socket and the tool the report says logtest is unavailable rather than guessing.
"""

from __future__ import annotations

import contextlib
import functools
import json
import socket
import struct
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from diagnostics.context import DoctorContext
from diagnostics.host.logtest_model import (
    LOCATION,
    EventMatch,
    LogtestReport,
    as_mapping,
    build_report,
    parse_text_output,
    read_alert_level,
)

__all__ = ["LOCATION", "EventMatch", "LogtestError", "LogtestReport", "match_events", "read_alert_level"]

LOGTEST_SOCKET = Path("queue") / "sockets" / "logtest"
LOGTEST_BINARY = Path("bin") / "wazuh-logtest"
MESSAGE_HEADER = f"1:{LOCATION}:"
ORIGIN = {"name": "wazuh-aws-doctor", "module": "wazuh-aws-doctor"}
LOG_FORMAT = "json"
DEFAULT_TIMEOUT_S = 20.0
"""The first request of a session loads the whole ruleset, which takes a few seconds on a busy manager."""
MAX_MESSAGE = 16 * 1024 * 1024


class LogtestError(Exception):
    """The interface could not be used (no listener, permission, broken answer)."""


@dataclass(frozen=True)
class _Event:
    index: int
    text: str
    key: str | None


def _event_text(event: Any) -> tuple[str, str | None, bool]:
    """(JSON text after the header, the object key, sent?) for a DecodedEvent, a payload or a message."""
    key: str | None = None
    if hasattr(event, "payload") and hasattr(event, "message"):
        message = event.message
        key = _log_file(message)
        payload = str(event.payload)
        sent = bool(getattr(event, "sent", True))
    elif isinstance(event, Mapping):
        payload, key, sent = json.dumps(dict(event), default=str), _log_file(event), True
    else:
        payload, sent = str(event), True
    if payload.startswith(MESSAGE_HEADER):
        payload = payload[len(MESSAGE_HEADER):]
    return payload, key, sent


def _log_file(message: Mapping[str, Any]) -> str | None:
    aws = message.get("aws")
    info = aws.get("log_info") if isinstance(aws, Mapping) else None
    value = info.get("log_file") if isinstance(info, Mapping) else None
    return str(value) if value is not None else None


# -- the socket ------------------------------------------------------------------------------------------
def _receive_exactly(connection: socket.socket, size: int) -> bytes:
    chunks: list[bytes] = []
    remaining = size
    while remaining > 0:
        chunk = connection.recv(min(remaining, 65536))
        if not chunk:
            raise LogtestError("analysisd closed the connection before answering")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


@dataclass
class LogtestSocket:
    """One logtest session over ``queue/sockets/logtest``; analysisd wants a new connection per request."""

    path: Path
    timeout_s: float = DEFAULT_TIMEOUT_S
    token: str | None = None
    messages: list[str] = field(default_factory=list)

    def request(self, command: str, parameters: Mapping[str, Any]) -> dict[str, Any]:
        """Send one framed request and return the decoded answer; raises LogtestError."""
        body = json.dumps({"version": 1, "origin": ORIGIN, "command": command,
                           "parameters": dict(parameters)}).encode("utf-8")
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
                connection.settimeout(self.timeout_s)
                connection.connect(str(self.path))
                connection.sendall(struct.pack("<I", len(body)) + body)
                size = struct.unpack("<I", _receive_exactly(connection, 4))[0]
                if size > MAX_MESSAGE:
                    raise LogtestError(f"answer of {size} bytes announced; refusing")
                raw = _receive_exactly(connection, size)
        except ConnectionRefusedError as error:
            raise LogtestError(f"nothing listens on {self.path} (wazuh-analysisd is not running)") from error
        except FileNotFoundError as error:
            raise LogtestError(f"{self.path} does not exist") from error
        except PermissionError as error:
            raise LogtestError(f"permission denied on {self.path} (root or the wazuh group may use it)"
                               ) from error
        except TimeoutError as error:
            raise LogtestError(f"no answer within {self.timeout_s:g} s") from error
        except OSError as error:
            raise LogtestError(f"{self.path}: {error.strerror or error}") from error
        try:
            answer = json.loads(raw.decode("utf-8", errors="replace"))
        except ValueError as error:
            raise LogtestError("the answer is not JSON") from error
        if not isinstance(answer, dict):
            raise LogtestError("the answer is not a JSON object")
        return answer

    def process(self, event: _Event) -> EventMatch:
        """Match one event; protocol-level refusals become the event's error, transport errors raise."""
        parameters: dict[str, Any] = {"location": LOCATION, "log_format": LOG_FORMAT, "event": event.text}
        if self.token:
            parameters["token"] = self.token
        answer = self.request("log_processing", parameters)
        if answer.get("error"):
            return EventMatch(event.index, event.key,
                              error=f"error {answer.get('error')}: {answer.get('message')}")
        data = as_mapping(answer.get("data"))
        messages = tuple(str(item) for item in data.get("messages") or () if isinstance(item, str))
        self.messages.extend(messages)
        token = data.get("token")
        if isinstance(token, str):
            self.token = token
        codemsg = data.get("codemsg")
        if isinstance(codemsg, int) and codemsg < 0:
            problems = [m for m in messages if m.startswith("ERROR")] or list(messages)
            return EventMatch(event.index, event.key, messages=messages,
                              error=f"codemsg {codemsg}: {'; '.join(problems) or 'no message'}")
        return EventMatch.from_output(event.index, event.key, as_mapping(data.get("output")),
                                      bool(data.get("alert")), messages)

    def close(self) -> None:
        """Remove the session so it does not linger until session_timeout (best effort)."""
        if not self.token:
            return
        with contextlib.suppress(LogtestError):
            self.request("remove_session", {"token": self.token})
        self.token = None


# -- the tool --------------------------------------------------------------------------------------------
def run_logtest_tool(binary: Path, texts: Sequence[str], *, timeout_s: float = DEFAULT_TIMEOUT_S,
                     cwd: Path | None = None) -> list[EventMatch]:
    """Feed events to ``wazuh-logtest -l Wazuh-AWS`` and parse its phases; raises LogtestError."""
    if any("\n" in text or "\r" in text for text in texts):
        raise LogtestError("an event contains a line break; the tool reads one event per line")
    try:
        completed = subprocess.run(
            [str(binary), "-l", LOCATION], input="\n".join(texts) + "\n", capture_output=True, text=True,
            errors="replace", timeout=timeout_s + 2.0 * len(texts), check=False,
            cwd=cwd if cwd is not None and cwd.is_dir() else None)
    except subprocess.TimeoutExpired as error:
        raise LogtestError(f"{binary} did not finish in time") from error
    except OSError as error:
        raise LogtestError(f"{binary}: {error.strerror or error}") from error
    output = completed.stderr + "\n" + completed.stdout
    matches = parse_text_output(output, len(texts))
    if not any(match.answered for match in matches):
        tail = [line for line in output.splitlines() if line.strip()][-1:] or ["no output"]
        raise LogtestError(f"{binary} exited {completed.returncode}: {tail[0][:300]}")
    return matches


# -- entry point ------------------------------------------------------------------------------------------
def _interface(context: DoctorContext, interface: str) -> tuple[str, Path]:
    socket_path = context.wazuh_home / LOGTEST_SOCKET
    binary = context.wazuh_home / LOGTEST_BINARY
    if interface in ("auto", "socket") and socket_path.is_socket():
        return "socket", socket_path
    if interface in ("auto", "binary") and binary.is_file():
        return "binary", binary
    return "none", socket_path if interface == "socket" else binary


def match_events(context: DoctorContext, events: Iterable[Any], *, interface: str = "auto",
                 timeout_s: float = DEFAULT_TIMEOUT_S, alert_level: int | None = None) -> LogtestReport:
    """Send events (DecodedEvent, ``1:Wazuh-AWS:`` payloads or messages) to logtest; never raises.

    ``interface`` is ``auto`` (socket, then the tool), ``socket`` or ``binary``. Events the module would
    not send (discarded by discard_regex) are counted, not tested. ``alert_level`` overrides the
    ``<log_alert_level>`` read from the configuration.
    """
    prepared: list[_Event] = []
    not_sent = 0
    for index, event in enumerate(events):
        text, key, sent = _event_text(event)
        if sent:
            prepared.append(_Event(index, text, key))
        else:
            not_sent += 1
    level, level_source = read_alert_level(context.config_path)
    if alert_level is not None:
        level, level_source = alert_level, "given on the command line"
    chosen, target = _interface(context, interface)
    report = functools.partial(build_report, context=context, interface=chosen, target=target,
                               alert_level=level, alert_level_source=level_source, not_sent=not_sent)
    if chosen == "none" or not prepared:
        return report(matches=())
    matches: list[EventMatch] = []
    try:
        if chosen == "socket":
            session = LogtestSocket(target, timeout_s)
            try:
                for event in prepared:
                    matches.append(session.process(event))
            finally:
                session.close()
        else:
            answered = run_logtest_tool(target, [event.text for event in prepared], timeout_s=timeout_s,
                                        cwd=context.wazuh_home)
            matches = [replace(match, index=event.index, key=event.key)
                       for event, match in zip(prepared, answered, strict=True)]
    except LogtestError as error:
        return report(matches=tuple(matches), failure=str(error))
    return report(matches=tuple(matches))
