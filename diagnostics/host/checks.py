"""The Wazuh host itself: the installed module and its Python, wazuh-modulesd, its environment and state.

These are the failures that live on the manager rather than in AWS or ossec.conf (failures #3, #8, #16,
#34): boto3 or pyarrow missing for the module's own interpreter (exits 4 and 10), credentials present in
the admin's shell but not in the daemon's environment (EKS/IRSA), a locked or unreadable state database,
and regions the installed module refuses (exit 22). Process discovery goes through ``ProcFS`` and the
interpreter probe through an injectable callable, so tests fake both without touching the real host.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from diagnostics.context import DoctorContext
from diagnostics.explanations import build_finding
from diagnostics.findings import Finding, Status
from diagnostics.host.processes import (
    CREDENTIAL_NAMES,
    IRSA_NAMES,
    ProcessInfo,
    ProcFS,
    compare_environments,
    describe,
    find_processes,
    relevant_environ,
)
from diagnostics.host.python_probe import DEFAULT_TIMEOUT_S, PythonProbe, probe_interpreter
from diagnostics.wazuh.installation import EMBEDDED_PYTHON, ENTRY_POINT, ModuleEntry, module_entry_point
from diagnostics.wazuh.regions import (
    ALL_REGIONS,
    CHINA_REGIONS,
    GOVCLOUD_REGIONS,
    INSPECTOR_REGIONS,
    installed_regions,
    partition_of,
)
from diagnostics.wazuh.state_db import DbHealth, StateReader
from diagnostics.wazuh.state_lock import LockStatus, state_db_lock
from diagnostics.wazuh.wodle import Block, LoadedConfig

Prober = Callable[[ModuleEntry, Mapping[str, str] | None, Path, float], PythonProbe]
"""``(entry, environ, cwd, timeout_s) -> PythonProbe``; the default runs the interpreter for real."""

_KIND_TEXT = {"wrapper": "the 4.x shell wrapper", "script": "the Python script itself"}


def _default_prober(entry: ModuleEntry, environ: Mapping[str, str] | None, cwd: Path,
                    timeout_s: float) -> PythonProbe:
    return probe_interpreter(entry, environ=environ, cwd=cwd, timeout_s=timeout_s)


class _Builder:
    """Collects findings with the shared check-id prefix, target and version profile."""

    def __init__(self, context: DoctorContext) -> None:
        self.context = context
        self.findings: list[Finding] = []
        self.home = str(context.wazuh_home)

    def add(self, failure_id: str, check: str, values: Mapping[str, Any] | None = None, *,
            evidence: Sequence[str] = (), status: Status | None = None,
            details: Mapping[str, Any] | None = None, target: str | None = None) -> None:
        self.findings.append(build_finding(
            failure_id, check_id=f"host.{check}", target=target or self.home, profile=self.context.profile,
            status=status, values={"home": self.home, **(values or {})}, evidence=tuple(evidence),
            details=details))


# -- installation and interpreter -----------------------------------------------------------------------
def _installation(builder: _Builder, entry: ModuleEntry | None) -> None:
    context = builder.context
    path = str(context.wazuh_home / ENTRY_POINT)
    if entry is None:
        builder.add("host.module_absent", "module", {"path": path})
        return
    if entry.kind == "unknown" or entry.interpreter is None:
        builder.add("host.module_entry_unknown", "module", {"path": path})
        return
    embedded = context.wazuh_home / EMBEDDED_PYTHON
    if entry.kind == "wrapper":
        detail = (f"the wrapper runs {entry.python_script} with the embedded Python {entry.interpreter}, "
                  "which needs its own boto3 and pyarrow.")
    else:
        uses_embedded = entry.interpreter == str(embedded)
        detail = (f"its shebang names {entry.interpreter}"
                  + (", the embedded framework Python." if uses_embedded else
                     f", looked up on wazuh-modulesd's PATH (the embedded {embedded} "
                     f"{'exists but is not used' if embedded.exists() else 'does not exist'})."))
    builder.add("host.module_installed", "module", {
        "path": path, "kind_text": _KIND_TEXT.get(entry.kind, entry.kind), "interpreter": entry.interpreter,
        "kind_detail": detail, "version": context.profile.label, "version_source": context.profile.source},
        details={"kind": entry.kind, "interpreter": entry.interpreter,
                 "python_script": str(entry.python_script), "version": context.profile.label})


def _interpreter(builder: _Builder, entry: ModuleEntry, probe: PythonProbe, environment_source: str) -> None:
    values = {"path": str(builder.context.wazuh_home / ENTRY_POINT), "interpreter": entry.interpreter,
              "resolved": probe.resolved or entry.interpreter}
    if probe.resolved is None:
        lookup = "" if entry.interpreter and "/" in entry.interpreter else " on wazuh-modulesd's PATH"
        builder.add("host.interpreter_missing", "python", {**values, "lookup": lookup},
                    evidence=(probe.problem or "",))
        return
    if not probe.ran:
        builder.add("host.python_probe_failed", "python", {**values, "error": probe.problem})
        return
    evidence = tuple(f"{name}: {version or 'not importable'}" for name, version in probe.versions.items())
    details = {"interpreter": probe.resolved, "python": probe.python_version, "modules": dict(probe.versions)}
    needs_pyarrow = builder.context.profile.has_subscribers
    missing = [name for name in ("boto3", "pyarrow") if probe.missing(name)
               and (name == "boto3" or needs_pyarrow)]
    for name in missing:  # boto3 is imported first (exit 4), then the subscribers' pyarrow (exit 10)
        builder.add(f"host.{name}_missing", "python", {**values, "error": probe.errors.get(name, "")},
                    evidence=evidence, details=details)
    if not missing:
        modules = ", ".join(f"{name} {version}" for name, version in probe.versions.items()
                            if version is not None and (name != "pyarrow" or needs_pyarrow))
        builder.add("host.python_modules_ok", "python", {
            **values, "python_version": probe.python_version or "?", "modules": modules,
            "environment_source": environment_source}, evidence=evidence, details=details)


# -- wazuh-modulesd and its environment -------------------------------------------------------------------
def _process(builder: _Builder, processes: Sequence[ProcessInfo], proc_root: Path) -> ProcessInfo | None:
    if not processes:
        builder.add("host.modulesd_not_running", "modulesd", {"proc": str(proc_root)})
        return None
    process = processes[0]
    user = process.user or "an unknown user"
    builder.add("host.modulesd_running", "modulesd", {"user": user, "pid": process.pid},
                evidence=(f"command: {' '.join(process.cmdline) or process.name}",),
                details={"pid": process.pid, "uid": process.uid, "user": process.user})
    if process.uid not in (None, 0):
        home = process.home
        if home is None or Path(builder.context.module_home) != home:
            builder.add("host.modulesd_not_root", "modulesd", {
                "user": user, "user_home": str(home or "?"), "module_home": str(builder.context.module_home)})
    return process


def _environment(builder: _Builder, process: ProcessInfo) -> None:
    if process.environ is None:
        builder.add("host.module_environ_unreadable", "environment",
                    {"path": process.environ_path, "error": process.environ_error or "unknown error"})
        return
    ours = relevant_environ(builder.context.environ)
    theirs = process.environ
    comparison = compare_environments(ours, theirs)
    evidence = tuple(f"wazuh-modulesd: {describe((name,), theirs)}"
                     for name in sorted(n for n in theirs if n.startswith("AWS_")))
    if comparison.identical:
        names = ", ".join(comparison.same) or "none set on either side"
        builder.add("host.environ_same", "environment", {"names": names}, evidence=evidence)
        return
    irsa = tuple(name for name in comparison.only_ours if name in IRSA_NAMES)
    if irsa:
        builder.add("host.irsa_missing_in_module", "environment",
                    {"names": ", ".join(irsa), "described": describe(irsa, ours)})
    shell_only = tuple(name for name in comparison.only_ours if name not in IRSA_NAMES)
    if shell_only:
        builder.add("host.environ_only_in_shell", "environment",
                    {"names": ", ".join(shell_only), "described": describe(shell_only, ours)},
                    evidence=evidence,
                    details={"credential_variables": [n for n in shell_only if n in CREDENTIAL_NAMES]})
    if comparison.only_module:
        builder.add("host.environ_only_in_module", "environment", {
            "names": ", ".join(comparison.only_module),
            "described": describe(comparison.only_module, theirs)}, evidence=evidence)
    if comparison.differing:
        builder.add("host.environ_values_differ", "environment", {
            "names": ", ".join(comparison.differing), "ours": describe(comparison.differing, ours),
            "theirs": describe(comparison.differing, theirs)})


# -- state database ---------------------------------------------------------------------------------------
def _state_database(builder: _Builder) -> None:
    path = builder.context.state_db_path
    values = {"state_db": str(path)}
    health = StateReader(path).health()
    if health.health is DbHealth.MISSING:
        builder.add("host.state_db_absent", "state_db", values)
        return
    try:  # state_db_lock lets sqlite3.DatabaseError through for a file that is not a database
        lock = state_db_lock(path)
    except (sqlite3.Error, OSError) as failure:
        lock = LockStatus(False, detail=str(failure))
    if lock.locked:
        holder = f"process {lock.holder_pid}" if lock.holder_pid else "another process"
        builder.add("host.state_db_locked", "state_db", values, status=Status.WARNING,
                    evidence=(lock.detail or f"{holder} holds a write lock",
                              "a scheduled run holds this lock while it runs; a lock that lasts points at "
                              "a stuck or manual run"),
                    details={"holder_pid": lock.holder_pid})
    if not health.health.usable:
        error = health.detail or health.health.value
        builder.add("host.state_db_unreadable", "state_db", {**values, "error": error},
                    evidence=(f"health: {health.health.value}",))
        return
    if not lock.locked:
        builder.add("host.state_db_ok", "state_db", {
            **values, "tables": ", ".join(health.tables) or "none yet",
            "db_version": health.version or "unknown"})


# -- regions ------------------------------------------------------------------------------------------------
def _head(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            return handle.read(2 * 1024 * 1024).decode("utf-8", errors="replace")
    except OSError:
        return ""


def _configured_regions(block: Block) -> list[str]:
    raw = block.value("regions") or ""
    return [region.strip() for region in raw.split(",") if region.strip()]


def _regions(builder: _Builder, config: LoadedConfig | None) -> None:
    context = builder.context
    profile = context.profile
    if not profile.checks_region_list:
        builder.add("host.region_list_unchecked", "regions", {"version": profile.label})
        return
    folder = context.wazuh_home / "wodles" / "aws"
    accepted = installed_regions(context.wazuh_home)
    source = next((str(folder / name) for name in ("aws_tools.py", "constants.py")
                   if "ALL_REGIONS" in _head(folder / name)), f"{folder}/aws_tools.py")
    if accepted is None:
        builder.add("host.region_list_unreadable", "regions",
                    {"source": f"{folder} (aws_tools.py, constants.py)"})
        accepted, source = ALL_REGIONS, "the region list of current releases"
    else:
        govcloud = "GovCloud included" if accepted & GOVCLOUD_REGIONS else "no GovCloud, no China"
        added = sorted(accepted - ALL_REGIONS)
        absent = sorted(ALL_REGIONS - accepted)
        difference = "".join((
            f" Added by hand or by a newer release: {', '.join(added)}." if added else "",
            f" Missing compared with current releases: {', '.join(absent)}." if absent else ""))
        builder.add("host.region_list", "regions", {
            "count": len(accepted), "govcloud": govcloud, "source": source, "difference": difference},
            details={"regions": sorted(accepted)})
    for block in (config.blocks if config is not None else ()):
        if block.kind not in ("bucket", "service"):
            continue
        allowed = INSPECTOR_REGIONS if block.block_type == "inspector" else accepted
        refused = [region for region in _configured_regions(block) if region not in allowed]
        if not refused:
            continue
        partitions = sorted({partition_of(region) for region in refused
                             if region in GOVCLOUD_REGIONS | CHINA_REGIONS})
        note = f" (partition {', '.join(partitions)}: not in the module's list)" if partitions else ""
        location = block.line_of("regions")
        builder.findings.append(build_finding(
            "host.region_not_accepted", check_id="host.regions", target=block.label, profile=profile,
            location=location, values={"block": block.label, "regions": ", ".join(refused), "source": source,
                                       "partition_note": note, "line": location.line or "?",
                                       "first_region": refused[0]},
            details={"regions": refused}))


# -- entry point ---------------------------------------------------------------------------------------------
def check_host(context: DoctorContext, config: LoadedConfig | None = None, *, proc: ProcFS | None = None,
               processes: Sequence[ProcessInfo] | None = None, prober: Prober | None = None,
               timeout_s: float = DEFAULT_TIMEOUT_S) -> tuple[Finding, ...]:
    """Every host check in the order an admin would walk them; never raises.

    ``proc`` is the ``/proc`` tree to scan (default the real one); ``processes`` replaces the scan
    altogether; ``prober`` replaces running the module's interpreter. The interpreter runs with
    wazuh-modulesd's environment when it can be read (that decides ``python3`` on PATH), else with ours.
    """
    builder = _Builder(context)
    proc = proc or ProcFS()
    entry = module_entry_point(context.wazuh_home)
    _installation(builder, entry)
    found = tuple(processes) if processes is not None else find_processes(proc)
    process = _process(builder, found, proc.root)
    if entry is not None and entry.kind != "unknown" and entry.interpreter is not None:
        module_env: Mapping[str, str] | None = process.environ if process is not None else None
        environ = module_env if module_env is not None else (context.environ or None)
        source = "wazuh-modulesd's environment" if module_env is not None else "this shell's environment"
        probe = (prober or _default_prober)(entry, environ, context.wazuh_home, timeout_s)
        _interpreter(builder, entry, probe, source)
    if process is not None:
        _environment(builder, process)
    if entry is not None:
        _state_database(builder)
        _regions(builder, config)
    return tuple(builder.findings)
