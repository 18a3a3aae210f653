"""What the module does where a run breaks, for the pass: no commit on a stop, the refused delete, the
discard rule that cannot match.

The module records its state once, at the end of a run, so a run that exits part-way (a broken file, a
refused delete, a failed listing or send) leaves its database as it was and the next run sends the same
events again. The pass commits per file so that a cancel loses nothing; this ledger lets it take those
marks back when the run it reproduces would have ended that way, and count what the module re-sends.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from diagnostics.decode.discard import non_string_kinds
from diagnostics.decode.model import DecodeContext, DecodedEvent
from diagnostics.findings import Finding
from diagnostics.ingest.state import IngestState
from diagnostics.wazuh.state_scope import StateScope

DELETE_DENIED = "An error occurred (AccessDenied) when calling the DeleteObject operation: Access Denied"
"""The botocore text of a refused DeleteObject, as recorded from the module (tests/goldens/.../remove_denied)."""

BuildFinding = Callable[..., Finding]
"""``_Pass.finding``: (failure_id, check_id, values, **extra) -> Finding."""


class PassStop(Exception):
    """Ends the pass with the module's exit code and the finding that explains it."""

    def __init__(self, exit_code: int, finding: Finding, key: str | None = None) -> None:
        super().__init__(exit_code)
        self.exit_code = exit_code
        self.finding = finding
        self.key = key
        """The file the module stops at, when a file (not the walk or the socket) stopped it."""


@dataclass
class RunLedger:
    """The marks this pass committed and what it had sent when the reproduced run stopped."""

    marks: list[tuple[StateScope, str]] = field(default_factory=list)
    datagrams_at_stop: int | None = None
    files_at_stop: int | None = None
    discard_noted: bool = False
    deleted: set[str] = field(default_factory=set)
    """Keys the module deletes (remove_from_bucket, allowed) before the run stops: its next run never lists
    them, so their marks are kept and their events are not sent again."""
    deleted_datagrams: int = 0

    def marked(self, scope: StateScope, key: str) -> None:
        """One file recorded by the pass (the module would record it only at the end of the run)."""
        self.marks.append((scope, key))

    def removed(self, key: str, datagrams: int) -> None:
        """The module deletes ``key`` after sending its ``datagrams`` (only those before a stop count)."""
        if self.datagrams_at_stop is None:
            self.deleted.add(key)
            self.deleted_datagrams += datagrams

    def stopped(self, datagrams: int, files: int) -> None:
        """The first stop: everything sent so far is what the module's next run sends again."""
        if self.datagrams_at_stop is None:
            self.datagrams_at_stop, self.files_at_stop = datagrams, files

    @property
    def resend_next_run(self) -> int:
        """Datagrams the module's next run sends again (0 when the run did not stop; a deleted file's never)."""
        return max(0, (self.datagrams_at_stop or 0) - self.deleted_datagrams)

    def take_back(self, state: IngestState, datagrams: int, files: int) -> str:
        """The run stopped: forget this pass's marks, as the module's database keeps none; returns the note."""
        self.stopped(datagrams, files)
        state.forget([(scope, key) for scope, key in self.marks if key not in self.deleted])
        return (f"the module records nothing when its run stops: its next run sends these {self.resend_next_run} "
                "event(s) again")

    def stop_findings(self, build: BuildFinding, exit_code: int) -> tuple[Finding, ...]:
        """The cost of the stop in words, when anything was sent before it."""
        if not self.resend_next_run:
            return ()
        return (build("ingest.resend_next_run", "ingest.exit",
                      {"count": self.resend_next_run, "files": (self.files_at_stop or 0) - len(self.deleted),
                       "exit_code": exit_code}),)


def delete_refused(build: BuildFinding, bucket: str, key: str, resource: str) -> tuple[str, Finding]:
    """The line the script prints when DeleteObject is refused (exit 1) and the finding for it."""
    line = f'ERROR: ERROR: The "iter_files_in_bucket" request failed: {DELETE_DENIED}'
    finding = build("access.remove_denied", "ingest.remove",
                    {"bucket": bucket, "resource": resource, "principal": "the module's credentials",
                     "source": "the policies read before the pass", "detail": "s3:DeleteObject is not allowed",
                     "error": DELETE_DENIED},
                    evidence=(f"DeleteObject s3://{bucket}/{key} (not sent: the doctor never deletes)",))
    return line, finding


def discard_note(ledger: RunLedger, build: BuildFinding, event: DecodedEvent,
                 decode: DecodeContext) -> tuple[str, Finding] | None:
    """Once per pass: the discard field holds values re.match cannot test, so the rule never matches."""
    discard_field, discard_regex = decode.discard_field, decode.discard_regex
    if ledger.discard_noted or not discard_field:
        return None
    record = event.raw_record if event.raw_record is not None else event.message.get("aws", event.message)
    kinds = non_string_kinds(record, discard_field)
    if not kinds:
        return None
    ledger.discard_noted = True
    kind_text = " or ".join(kinds)
    note = (f"discard_regex: the '{discard_field}' field holds a {kind_text}; the module's re.match never "
            "matches a non-text value, so these events are sent")
    return note, build("decode.discard_never_matches", "ingest.discard",
                       {"field": discard_field, "kinds": kind_text, "regex": discard_regex or "None"})
