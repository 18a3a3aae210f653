"""The one table of failure explanations: what it means, the fix, and how the module reports it.

Entries are grouped by area in sibling modules (config, credentials, access, layout, decode, host, log)
only to keep files small; ``lookup`` is the single entry point and ids are unique across all of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from diagnostics.explanations.table import Explanation, LegacyBehaviour
from diagnostics.findings import Finding, SourceLocation, Status
from diagnostics.wazuh import ossec_log
from diagnostics.wazuh.versions import WazuhProfile

__all__ = ["Explanation", "LegacyBehaviour", "all_explanations", "build_finding", "lookup"]

_REGISTRY: dict[str, Explanation] | None = None


def _load() -> dict[str, Explanation]:
    # Imported on the first lookup: the tables take ~25 ms to load (best of 5, all_explanations() after
    # import), which a process importing diagnostics only for its types never pays.
    from diagnostics.explanations import (
        access_object_table,
        access_table,
        config_table,
        core_table,
        credentials_table,
        decode_table,
        failure_paths_table,
        host_install_table,
        host_table,
        identity_table,
        inputs_table,
        layout_table,
        log_causes_table,
        log_table,
        logtest_table,
        role_table,
        service_pass_table,
        services_table,
        subscriber_pass_table,
    )

    registry: dict[str, Explanation] = {}
    for module in (config_table, core_table, credentials_table, identity_table, access_table, access_object_table,
                   inputs_table, services_table, role_table, layout_table,
                   decode_table, failure_paths_table, host_table, host_install_table, logtest_table, log_table,
                   log_causes_table, service_pass_table, subscriber_pass_table):
        for entry in module.ENTRIES:
            if entry.failure_id in registry:
                raise ValueError(f"duplicate explanation id {entry.failure_id!r}")
            registry[entry.failure_id] = entry
    return registry


def all_explanations() -> Mapping[str, Explanation]:
    """Every entry by id (loaded once)."""
    global _REGISTRY
    if _REGISTRY is None:
        _REGISTRY = _load()
    return _REGISTRY


def lookup(failure_id: str) -> Explanation:
    """The entry for an id; a KeyError here is a programming error caught by the tests."""
    return all_explanations()[failure_id]


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, values: Mapping[str, Any]) -> str:
    """Format a template with values, leaving unknown placeholders visible rather than raising."""
    return template.format_map(_Blank(values))


def build_finding(
    failure_id: str,
    *,
    check_id: str,
    target: str,
    profile: WazuhProfile,
    status: Status | None = None,
    evidence: tuple[str, ...] = (),
    location: SourceLocation | None = None,
    values: Mapping[str, Any] | None = None,
    title: ossec_log.RunTitle | None = None,
    debug_level: int = 0,
    preamble: tuple[tuple[str, str], ...] = (),
    when: datetime | None = None,
    details: Mapping[str, Any] | None = None,
) -> Finding:
    """A Finding from the table, with the exit code and ossec.log lines the given version would produce.

    ``title`` is the C side's run title; when given and the entry has an exit code, the ``ossec_log``
    lines are predicted as wm_aws.c logs them at ``debug_level``. ``preamble`` adds C lines logged before
    the run (the ``Executing Bucket Analysis`` line).
    """
    entry = lookup(failure_id)
    values = dict(values or {})
    exit_code, message = entry.behaviour_for(profile)
    predicted: tuple[str, ...] = ()
    if title is not None and exit_code is not None:
        result = ossec_log.script_failure(
            exit_code,
            fill(message, values) if message is not None else None,
            debug_level,
            catch_all=entry.catch_all and not (entry.legacy and profile.every_client_error_is_exit_3),
            debug_only=entry.debug_only,
        )
        pairs = list(preamble) + ossec_log.c_lines_after_run(title, result.exit_code, result.output,
                                                              debug_level)
        predicted = ossec_log.render(pairs, when or datetime.now(timezone.utc))
        exit_code = result.exit_code
    return Finding(
        check_id=check_id,
        status=status or entry.status,
        target=target,
        title=fill(entry.title, values),
        evidence=evidence,
        explanation=fill(entry.explanation, values),
        fix=fill(entry.fix, values),
        wazuh_exit_code=exit_code,
        ossec_log=predicted,
        location=location,
        failure_id=failure_id,
        details=dict(details or {}),
    )
