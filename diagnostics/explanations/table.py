"""The shape of one explanation entry, kept apart so the area tables import nothing else."""

from __future__ import annotations

from dataclasses import dataclass

from diagnostics.findings import Status
from diagnostics.wazuh.versions import WazuhProfile


@dataclass(frozen=True)
class LegacyBehaviour:
    """How releases up to 4.3.x reported the same situation (the write-up's era)."""

    exit_code: int
    script_message: str


@dataclass(frozen=True)
class Explanation:
    """One failure mode: plain-words meaning, the fix, and how the module reports it.

    Templates use ``{name}`` placeholders filled from the finding's values (bucket, key, profile...).
    """

    failure_id: str
    title: str
    explanation: str
    fix: str
    status: Status = Status.ERROR
    exit_code: int | None = None
    """Exit code of current versions at debug 0; None when the module does not fail (silent cases)."""
    script_message: str | None = None
    """What the script prints (after ``ERROR: `` unless it starts with DEBUG:/WARNING:); None for nothing."""
    catch_all: bool = False
    """True when the error reaches main()'s generic handler: exit 12 at debug 0, exit 1 + traceback above."""
    debug_only: bool = False
    """True when the message is printed only at debug >= 1 (exit 22, discovery failures)."""
    legacy: LegacyBehaviour | None = None
    """Behaviour of releases before 4.4, when it differs."""

    def behaviour_for(self, profile: WazuhProfile) -> tuple[int | None, str | None]:
        """Exit code and script message for a version."""
        if self.legacy is not None and profile.every_client_error_is_exit_3:
            return self.legacy.exit_code, self.legacy.script_message
        return self.exit_code, self.script_message
