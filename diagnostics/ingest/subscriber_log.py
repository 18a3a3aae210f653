"""The lines a subscriber run prints (ossec.log at its debug level), built per message as a pass meets it.

The module looks its queue up, receives up to ten messages at a time (printing each notification at debug 2),
then reads each notified object: the buckets subscriber says which format it falls back to, prints a warning
for every plain-text line its regex does not match, and each datagram at debug 3; the Security Lake one counts
rows. A deleted message is announced at debug 2, and an empty receive ends the run.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from diagnostics.aws.prediction import client_config_lines
from diagnostics.wazuh.ossec_log import script_failure

if TYPE_CHECKING:
    from diagnostics.context import DoctorContext
    from diagnostics.decode.discard import DiscardRule
    from diagnostics.decode.subscriber_objects import SubscriberObject
    from diagnostics.wazuh.wodle import Block

MAX_EVENT_SIZE = 65535
"""Bytes above which the module warns (debug 1) and still sends the datagram."""
TRACEBACK = "Traceback (most recent call last):"


class SubscriberLines:
    """The module's stdout for one subscriber run, piece by piece (debug 0-3)."""

    def __init__(self, block: Block, context: DoctorContext, debug_level: int) -> None:
        self.debug_level = debug_level
        self.kind = block.block_type or "buckets"
        self.queue = block.value("sqs_name") or ""
        self.profile = block.value("aws_profile")
        self._config_lines = client_config_lines(context.module_home / ".aws" / "config", self.profile)

    def _debug(self, level: int, text: str) -> list[str]:
        return [f"DEBUG: {text}"] if self.debug_level >= level else []

    def _clients(self) -> list[str]:
        return [line for level, text in self._config_lines for line in self._debug(level, text)]

    def opening(self, queue_url: str) -> list[str]:
        """The debug level, the SQS client, the queue's URL, then the S3 client for the objects."""
        lines = self._debug(1, f"+++ Debug mode on - Level: {self.debug_level}")
        if self.kind == "security_lake" and not self.profile:
            lines += self._debug(2, "Used a subscriber but no --aws_profile provided.")
        return lines + self._clients() + self._debug(2, f"The SQS queue is: {queue_url}") + self._clients()

    def receive(self, notifications: list[dict[str, Any]]) -> list[str]:
        """One ReceiveMessage: the call, its response (debug 3; the doctor does not receive it, so its ids are
        elided), then each notification of the batch as Python prints it."""
        lines = self._debug(2, f"Retrieving messages from: {self.queue}")
        response = (f"{{'Messages': [... {len(notifications)} message(s) ...], 'ResponseMetadata': {{...}}}}"
                    if notifications else "{'ResponseMetadata': {...}}")
        lines += self._debug(3, f"The raw message is: {response}")
        for notification in notifications:
            lines += self._debug(2, f"The message is: {notification}")
        return lines

    def deleted(self) -> list[str]:
        """A message the run finished with."""
        return self._debug(2, f"Message deleted from queue: {self.queue}")

    def queue_error(self, message: str) -> list[str]:
        """A failed receive or delete: the module's error line at debug 1 (then exit 21)."""
        return self._debug(1, message)

    def buckets_object(self, decoded: SubscriberObject, rule: DiscardRule) -> list[str]:
        """The buckets or Security Hub subscriber on one object: its format fallbacks, each record's fate."""
        lines: list[str] = []
        if decoded.format in ("csv", "plain text"):
            lines += self._debug(2, "+++ Log file does not contain JSON objects. Trying with other formats.")
            lines += self._debug(2, "+++ Log file is CSV formatted." if decoded.format == "csv" else
                                 "+++ Data in the file does not seem to be CSV. Trying with plain text.")
        for event in decoded.events:
            if self.kind != "security_hub" and "full_log" in event.record:
                if event.datagram is None:
                    lines += self._debug(2, f'+++ The "{rule.pattern.pattern}" regex found a match. The event '
                                            "will be skipped.")
                    continue
                lines.append(f'WARNING: The "{rule.pattern.pattern}" regex did not find a match. The event will '
                             "be processed.")
            elif event.datagram is None:
                lines += self._debug(2, rule.skipped_line())
                continue
            else:
                lines += self._debug(3, rule.kept_line())
            lines += self.sent(event.datagram.split(":", 2)[2], event.datagram)
        return lines

    def sent(self, dumped: str, datagram: str) -> list[str]:
        """One datagram: its JSON at debug 3, the size warning at debug 1 (the event is sent anyway)."""
        lines = self._debug(3, dumped)
        if len(datagram.encode()) > MAX_EVENT_SIZE:
            lines += self._debug(1, f"Event size exceeds the maximum allowed limit of {MAX_EVENT_SIZE} bytes.")
        return lines

    def lake_object(self, key: str, datagrams: list[str]) -> list[str]:
        """The Security Lake subscriber on one Parquet object read: its rows, each sent."""
        lines = self._debug(2, f"Found {len(datagrams)} events in file {key}")
        for datagram in datagrams:
            row = datagram.split(":", 2)[2]
            lines += self.sent(json.dumps(row), datagram)
        return lines + self._debug(2, f"{len(datagrams)} events sent to Analysisd")

    def lake_start(self, bucket: str, key: str) -> list[str]:
        """The line printed before a Parquet object is fetched."""
        return self._debug(2, f"Processing file {key} in {bucket}")

    def stop(self, exit_code: int, error: str) -> list[str]:
        """What ends the run: a catch-all error (exit 12 at debug 0, re-raised above it) or the module's own exit;
        the traceback above debug 0 goes to stderr, not ossec.log."""
        if exit_code == 21 and self.kind == "security_lake":
            return self._debug(1, error)
        printed = script_failure(exit_code, error, self.debug_level, catch_all=exit_code == 12).output.splitlines()
        return printed[:printed.index(TRACEBACK)] if TRACEBACK in printed else printed


def stop_exit(exit_code: int, debug_level: int) -> int:
    """The run's exit for a stop: a catch-all error is 12 at debug 0 but 1 above it (re-raised)."""
    return script_failure(exit_code, "", debug_level, catch_all=exit_code == 12).exit_code
