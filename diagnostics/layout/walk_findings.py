"""Why a walk or a listing ended, as findings: one wording for ``keys``, the pass, Browse and the check.

The module's walk can stop with an exit code (discovery failed, a listing was denied) or end early for a
reason of ours; a one-level listing can fail on its own. Each face renders these findings, none builds them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from diagnostics.explanations import build_finding
from diagnostics.findings import Finding
from diagnostics.layout.module_walk import WalkStopped
from diagnostics.wazuh import ossec_log
from diagnostics.wazuh.versions import WazuhProfile


@dataclass(frozen=True)
class WalkStop:
    """How a stopped walk ends the module's run: its exit code (None when the run goes on), the finding,
    and the lines the script prints for it at the debug level in force."""

    exit_code: int | None
    finding: Finding
    output: tuple[str, ...] = ()


def walk_stop(event: WalkStopped, *, target: str, profile: WazuhProfile, debug_level: int, check_id: str,
              tried: str = "") -> WalkStop:
    """The finding for a walk that stopped (not cancelled), with the exit code the script returns at
    ``debug_level`` (a catch-all error becomes exit 1 above debug 0); ``tried`` says what was retried."""
    extra = (tried,) if tried else ()
    if event.exit_code is None:
        finding = build_finding("host.ingest_walk_incomplete", check_id=check_id, target=target, profile=profile,
                                values={"reason": event.reason},
                                evidence=tuple(item for item in (event.script_message, *extra) if item))
        return WalkStop(None, finding)
    message = event.script_message
    if message is not None and message.startswith("ERROR: "):
        message = message[len("ERROR: "):]
    result = ossec_log.script_failure(event.exit_code, message, debug_level, catch_all=event.catch_all,
                                      debug_only=event.debug_only)
    before = tuple(f"DEBUG: {text}" for level, text in event.debug_lines if level <= debug_level)
    output = (*before, *result.output.splitlines())
    finding = replace(build_finding("host.ingest_walk_stopped", check_id=check_id, target=target,
                                    profile=profile, values={"reason": event.reason, "exit_code": result.exit_code},
                                    evidence=(*output[:3], *extra)),
                      wazuh_exit_code=result.exit_code)  # the exit depends on the walk, not on the entry
    return WalkStop(result.exit_code, finding, output)


LISTING_CODES = {"AccessDenied": "access.list_denied", "NoSuchBucket": "access.no_such_bucket"}
"""Listing errors the access chain already explains with a specific fix (the module exits 1 on both)."""


def listing_failure(bucket: str, prefix: str, error: BaseException, *, profile: WazuhProfile, tried: str,
                    principal: str | None = None, check_id: str = "keys.list") -> Finding:
    """A failed one-level listing (ListObjectsV2 with Delimiter='/') naming the call, the error and what
    was tried, so the admin sees the fix and not only AWS's words; a denial or a missing bucket gets the
    access chain's own explanation, since retrying cannot help there."""
    evidence = (f"ListObjectsV2 Bucket={bucket} Prefix={prefix!r} Delimiter='/'", f"{tried}: {error}")
    values = {"bucket": bucket, "prefix": prefix, "error": str(error), "tried": tried,
              "principal": principal or "the module's credentials"}
    failure_id = LISTING_CODES.get(str(getattr(error, "code", "")), "host.listing_failed")
    return build_finding(failure_id, check_id=check_id, target=f"s3://{bucket}/{prefix}", profile=profile,
                         values=values, evidence=evidence, details={"error": str(error)})
