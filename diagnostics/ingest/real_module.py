"""Run the installed aws-s3 module itself, exactly as wazuh-modulesd would, with its output live.

This is the one place the doctor touches a real Wazuh run, so everything around it is explicit: a
pre-flight that finds the script and checks (without taking any lock) whether a scheduled run holds the
state database, a warning that a real run advances the marker and sends real events, an optional
snapshot of the state database before the run and a restore afterwards (a write to Wazuh's file, done only
on explicit request), and cooperative cancellation that interrupts the module the way it expects (SIGINT,
then SIGTERM, then SIGKILL, to the process group we started and nothing else).
"""

from __future__ import annotations

import collections
import contextlib
import os
import signal
import sqlite3
import stat
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from diagnostics.context import DoctorContext
from diagnostics.explanations import build_finding
from diagnostics.explanations.log_table import EXIT_MEANINGS
from diagnostics.findings import Finding, Status
from diagnostics.ingest.sinks import queue_socket_path
from diagnostics.ingest.state import (
    COPY_LOCK_TIMEOUT_S,
    backup_within,
    copy_database_read_only,
    default_state_dir,
)
from diagnostics.log_explainer.explainer import explain_log
from diagnostics.log_explainer.parser import mask_secrets
from diagnostics.masking import known_secrets, scrub
from diagnostics.text_safety import visible
from diagnostics.wazuh import ossec_log
from diagnostics.wazuh.command_line import build_command, display_command
from diagnostics.wazuh.state_lock import state_db_lock
from diagnostics.wazuh.wodle import Block, Wodle

MODULE_SCRIPT = Path("wodles") / "aws" / "aws-s3"
"""Relative to the Wazuh home, as wm_aws.h names it (run with the Wazuh home as working directory)."""
MAX_KEPT_LINES = 20000
"""Output lines kept for the result (the callback sees all of them); debug 3 prints one line per event."""



def module_script_path(context: DoctorContext) -> Path:
    """Where the module's entry point lives for this Wazuh home."""
    return context.wazuh_home / MODULE_SCRIPT


# -- snapshot and restore of Wazuh's state database ------------------------------------------------------
SNAPSHOTS_KEPT = 5
"""Copies of the state database kept in the snapshot folder; older ones are removed after each new copy,
since every copy holds the module's whole history of processed files."""
SNAPSHOT_PATTERN = "s3_cloudtrail-*.db"


def snapshot_folder(context: DoctorContext) -> Path:
    """Where ``--snapshot-state`` copies go: ``snapshots`` in our state directory."""
    return default_state_dir(context.environ or None) / "snapshots"


def snapshot_state(context: DoctorContext, snapshot_dir: Path | None = None) -> Path:
    """Copy the module's state database (read-only, SQLite backup API) into our cache; returns the copy.

    Take it before a real run so the marker can be put back afterwards with ``restore_state``. The copy is
    created owner-only and then given the database's own mode (Wazuh's is 0640), because it is the same
    data; the folder is owner-only, and only the newest ``SNAPSHOTS_KEPT`` copies are kept.
    """
    source = context.state_db_path
    if not source.is_file():
        raise FileNotFoundError(f"{source} does not exist: the module has not run yet, nothing to snapshot")
    folder = snapshot_dir or snapshot_folder(context)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"s3_cloudtrail-{stamp}.db"
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600))
    try:
        copy_database_read_only(source, target)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    target.chmod(stat.S_IMODE(source.stat().st_mode))
    prune_snapshots(folder, SNAPSHOTS_KEPT)
    return target


def prune_snapshots(folder: Path, keep: int = SNAPSHOTS_KEPT) -> tuple[Path, ...]:
    """Remove all but the newest ``keep`` snapshot copies in ``folder``; returns what was removed."""
    copies = sorted(path for path in folder.glob(SNAPSHOT_PATTERN) if path.is_file() and not path.is_symlink())
    removed = tuple(copies[:-keep] if keep > 0 else copies)
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def restore_state(context: DoctorContext, snapshot: Path) -> None:
    """Write a snapshot back over the module's state database: the ONLY write the doctor makes to Wazuh.

    Done only on explicit request. It copies page by page with SQLite's backup API into the existing file,
    so owner and permissions stay as Wazuh set them, and refuses while a module run holds the database.
    """
    target = context.state_db_path
    if not snapshot.is_file():
        raise FileNotFoundError(f"snapshot {snapshot} does not exist")
    lock = state_db_lock(target)
    if lock.locked:
        raise RuntimeError(f"{target} is in use ({lock.detail}); wait for the module's run to end")
    source = sqlite3.connect(f"{snapshot.resolve().as_uri()}?mode=ro", uri=True)
    try:
        destination = sqlite3.connect(target, timeout=1.0)
        try:
            backup_within(source, destination, timeout=COPY_LOCK_TIMEOUT_S)
        finally:
            destination.close()
    finally:
        source.close()


# -- pre-flight -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RealRunPlan:
    """The exact command for one block, where it runs, and what the pre-flight found."""

    module_path: Path
    argv: tuple[str, ...] = field(repr=False)
    """The real argument vector; may hold an inline secret key, so it is never shown: use ``display``."""
    display: str
    """The command with secrets masked, for screens and logs."""
    cwd: Path
    block_label: str
    run_title: ossec_log.RunTitle
    debug_level: int
    findings: tuple[Finding, ...] = ()
    secrets: tuple[str, ...] = field(default=(), repr=False)
    """Values to mask if the output ever echoes them."""

    @property
    def ready(self) -> bool:
        """False when a pre-flight finding blocks the run (script missing, database locked)."""
        return all(finding.status is not Status.ERROR for finding in self.findings)


def plan_real_run(context: DoctorContext, block: Block, wodle: Wodle, debug_level: int) -> RealRunPlan:
    """Build the command as wm_aws.c would (with ``--debug N``) and run the pre-flight checks."""
    argv = tuple(build_command(block, wodle, context.profile, debug_level))
    display = display_command(block, wodle, context.profile, debug_level)
    script = module_script_path(context)
    target = block.label
    values = {"path": str(script), "state_db": str(context.state_db_path)}
    findings: list[Finding] = []
    if not script.exists():
        findings.append(build_finding("host.real_module_missing", check_id="ingest.real.script",
                                      target=target, profile=context.profile, values=values))
    lock = state_db_lock(context.state_db_path)
    if lock.locked:
        findings.append(build_finding(
            "host.state_db_locked", check_id="ingest.real.state_lock", target=target, profile=context.profile,
            values=values, evidence=(lock.detail,)))
    socket_path = queue_socket_path(context.wazuh_home)
    if not socket_path.is_socket():
        findings.append(build_finding(
            "host.queue_socket_missing", check_id="ingest.real.queue_socket", target=target,
            profile=context.profile, status=Status.WARNING, values={"socket": str(socket_path)}))
    findings.append(build_finding("host.real_run_side_effects", check_id="ingest.real.side_effects",
                                  target=target, profile=context.profile, values=values))
    title = ossec_log.RunTitle.for_bucket(block.value("aws_account_id"), block.value("aws_account_alias"))
    inline = (block.value("secret_key"), wodle.value("secret_key"))
    secrets = known_secrets(context.module_home, [context.environ], inline) + tuple(
        value for value in (block.value("access_key"), wodle.value("access_key")) if value)
    return RealRunPlan(module_path=script, argv=argv, display=display, cwd=context.wazuh_home,
                       block_label=target, run_title=title, debug_level=debug_level,
                       findings=tuple(findings), secrets=secrets)


# -- the run ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RealRunResult:
    """What the module did: exit code, output, and what ossec.log would show for it."""

    exit_code: int | None
    """None when it had to be killed without a status of its own."""
    cancelled: bool
    output: tuple[str, ...]
    """Combined stdout+stderr lines (secrets masked), the last ``MAX_KEPT_LINES`` of them."""
    truncated: bool
    duration_s: float
    display: str
    findings: tuple[Finding, ...]
    ossec_log: tuple[str, ...]
    """The lines wm_aws.c writes after such a run, at the run's debug level."""


ENV_SECRETS = ("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN")
"""Environment values the module inherits that must never be echoed from its output."""


def _mask(line: str, secrets: Sequence[str]) -> str:
    """Known secrets replaced (wholly, longest first), then secret-shaped values dropped or masked, then
    control characters made visible (the module echoes key names, which may hold ESC or newlines)."""
    return visible(mask_secrets(scrub(line, secrets))[0])


def _signal_group(process: subprocess.Popen[str], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signum)


def _stop(process: subprocess.Popen[str], grace_s: float) -> None:
    """SIGINT (the module's own handler: exit 2), then SIGTERM, then SIGKILL, to our process group only."""
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        if process.poll() is not None:
            return
        _signal_group(process, signum)
        try:
            process.wait(timeout=grace_s)
            return
        except subprocess.TimeoutExpired:
            continue


def run_real_module(
    plan: RealRunPlan,
    context: DoctorContext,
    *,
    on_line: Callable[[str], None] | None = None,
    cancel: threading.Event | None = None,
    timeout_s: float | None = None,
    grace_s: float = 3.0,
    environ: Mapping[str, str] | None = None,
) -> RealRunResult:
    """Run the planned command with the Wazuh home as working directory, streaming each output line.

    The environment is the module's (``context.environ``) plus ``PYTHONUNBUFFERED=1`` so lines arrive as
    they are printed (wazuh-modulesd only reads them at the end). ``cancel`` or ``timeout_s`` stops it.
    """
    cancel = cancel or threading.Event()
    env = dict(environ if environ is not None else (context.environ or os.environ))
    env["PYTHONUNBUFFERED"] = "1"
    started = time.monotonic()
    process = subprocess.Popen(
        list(plan.argv), cwd=plan.cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, errors="replace", bufsize=1, start_new_session=True)
    kept: collections.deque[str] = collections.deque(maxlen=MAX_KEPT_LINES)
    counted = [0]

    secrets = plan.secrets + tuple(env[name] for name in ENV_SECRETS if env.get(name))

    def pump() -> None:
        assert process.stdout is not None
        for raw in process.stdout:
            line = _mask(raw.rstrip("\n"), secrets)
            kept.append(line)
            counted[0] += 1
            if on_line is not None:
                on_line(line)

    reader = threading.Thread(target=pump, name="aws-s3-output", daemon=True)
    reader.start()
    cancelled = False
    while process.poll() is None:
        timed_out = timeout_s is not None and time.monotonic() - started > timeout_s
        if cancel.wait(0.05) or timed_out:
            cancelled = True
            _stop(process, grace_s)
            break
    process.wait()
    reader.join(timeout=5)
    if process.stdout is not None:
        process.stdout.close()
    exit_code = process.returncode if process.returncode is not None and process.returncode >= 0 else None
    output = tuple(kept)
    return RealRunResult(
        exit_code=exit_code, cancelled=cancelled, output=output, truncated=counted[0] > len(output),
        duration_s=time.monotonic() - started, display=plan.display,
        findings=explain_exit(plan, context, exit_code, output, cancelled),
        ossec_log=_predicted_c_lines(plan, exit_code, output, context))


def _predicted_c_lines(plan: RealRunPlan, exit_code: int | None, output: Sequence[str],
                       context: DoctorContext) -> tuple[str, ...]:
    if exit_code is None:
        return ()
    pairs = ossec_log.c_lines_after_run(plan.run_title, exit_code, "\n".join(output),
                                        min(plan.debug_level, 2))
    return ossec_log.render(pairs, context.clock())


def explain_exit(plan: RealRunPlan, context: DoctorContext, exit_code: int | None, output: Sequence[str],
                 cancelled: bool) -> tuple[Finding, ...]:
    """Findings for the run's outcome: ok, stopped, or what the exit code means (with its ERROR lines)."""
    target = plan.block_label
    profile = context.profile
    if exit_code == 0:
        return (build_finding("host.real_module_ok", check_id="ingest.real.exit", target=target,
                              profile=profile),)
    details = {"exit_code": exit_code, "cancelled": cancelled}
    error_lines = tuple(line for line in output if "ERROR" in line)[:5]
    if exit_code is None or cancelled:
        return (build_finding("host.real_module_stopped", check_id="ingest.real.exit", target=target,
                              profile=profile, evidence=error_lines, details=details,
                              values={"exit_code": exit_code if exit_code is not None else "none"}),)

    failure_id = "host.real_module_exit" if exit_code in EXIT_MEANINGS else "host.real_module_exit_unknown"
    outcome = build_finding(failure_id, check_id="ingest.real.exit", target=target, profile=profile,
                            evidence=error_lines, details=details,
                            values={"exit_code": exit_code, "meaning": EXIT_MEANINGS.get(exit_code, "")})
    # The log explainer reads the same run as ossec.log would show it and names the cause behind the code.
    report = explain_log(_predicted_c_lines(plan, exit_code, output, context), profile, source=plan.display)
    causes: dict[str, Finding] = {}
    for finding in report.findings:
        if finding.status is not Status.OK and finding.failure_id and finding.failure_id not in causes:
            causes[finding.failure_id] = finding
    return (outcome, *causes.values())
