"""Orchestration of the checks: which run for a block and in which order, so every face shows one story."""

from __future__ import annotations

import concurrent.futures
import grp
import os
import stat
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from diagnostics.aws.access import check_bucket_access
from diagnostics.aws.clients import make_client, settings_for
from diagnostics.aws.credentials import resolve_credentials
from diagnostics.aws.identity import check_identity
from diagnostics.aws.queue_access import check_queue_access
from diagnostics.aws.service_access import check_service_access
from diagnostics.configuration.loader import load_config
from diagnostics.configuration.rules import validate
from diagnostics.context import DoctorContext
from diagnostics.explanations import build_finding
from diagnostics.explanations.crash import step_crashed
from diagnostics.findings import Finding, SourceLocation, Status, worst_status
from diagnostics.host.checks import check_host
from diagnostics.host.internal_options import read_debug_level
from diagnostics.ingest.fetch import flow_log_lookup, module_ec2_clients
from diagnostics.layout.checks import check_layout
from diagnostics.sample_check import check_sample_object
from diagnostics.wazuh.installation import detect_profile
from diagnostics.wazuh.regions import installed_regions
from diagnostics.wazuh.state_db import StateReader
from diagnostics.wazuh.wodle import Block, LoadedConfig, Wodle

if TYPE_CHECKING:
    from diagnostics.aws.credentials import CredentialReport
    from diagnostics.aws.identity import IdentityResult


def prepare_context(context: DoctorContext) -> DoctorContext:
    """Detect the Wazuh version and debug level from the home, so predictions follow that version."""
    profile = detect_profile(context.wazuh_home)
    debug = read_debug_level(context.wazuh_home, profile=profile)
    return context.with_changes(profile=profile, debug_level=debug.level)


def installation_findings(context: DoctorContext) -> tuple[Finding, ...]:
    """What the Wazuh home says: the version used for predictions and the debug level's meaning."""
    version = Finding(
        check_id="host.version",
        status=Status.OK if context.profile.known else Status.WARNING,
        target=str(context.wazuh_home),
        title=f"Wazuh version {context.profile.label}",
        evidence=(f"source: {context.profile.source}",),
        explanation=("Exit codes and ossec.log lines below are predicted for this version."
                     if context.profile.known else
                     "Without an installation the predictions follow the newest 4.x module; older or newer "
                     "versions report some failures differently (see each explanation)."),
        fix="" if context.profile.known else "Run on the Wazuh manager or pass --wazuh-home DIR.",
    )
    return (version, *read_debug_level(context.wazuh_home, profile=context.profile).findings)


TRUSTED_CONFIG_GROUPS = ("wazuh", "ossec", "root")
"""Groups that may read ossec.conf: Wazuh installs it root:wazuh 0660 (ossec on old releases)."""


def config_secret_findings(config: LoadedConfig, context: DoctorContext) -> tuple[Finding, ...]:
    """A warning when ossec.conf holds inline secret keys and users other than Wazuh's can read it."""
    places = [block.line_of("secret_key") for block in config.blocks if block.value("secret_key")]
    places += [SourceLocation(config.path, option.line) for wodle in config.wodles
               if (option := wodle.options.get("secret_key")) is not None and option.value]
    if not places:
        return ()
    path = Path(config.path)
    try:
        info = os.stat(path)
    except OSError:
        return ()
    mode = stat.S_IMODE(info.st_mode)
    readers: list[str] = []
    if mode & stat.S_IROTH:
        readers.append("every user (o+r)")
    if mode & stat.S_IRGRP:
        try:
            group = grp.getgrgid(info.st_gid).gr_name
        except KeyError:
            group = str(info.st_gid)
        if group not in TRUSTED_CONFIG_GROUPS:
            readers.append(f"group {group} (g+r)")
    if not readers:
        return ()
    first = places[0]
    return (build_finding("host.config_secrets_readable", check_id="host.config_permissions",
                          target=str(path), profile=context.profile, location=first,
                          values={"path": str(path), "mode": f"{mode:04o}", "readers": " and ".join(readers),
                                  "line": first.line if first.line is not None else "?"},
                          evidence=(f"mode {mode:04o}, owner uid {info.st_uid}, group gid {info.st_gid}",
                                    *(f"secret_key at {place}" for place in places))),)


@dataclass(frozen=True)
class BlockReport:
    """Every finding for one bucket, service or subscriber, in step order."""

    block: Block
    findings: tuple[Finding, ...]
    credentials: CredentialReport | None = field(default=None, repr=False, compare=False)
    identity: IdentityResult | None = field(default=None, repr=False, compare=False)

    @property
    def status(self) -> Status:
        """The worst status of the block's findings."""
        return worst_status(self.findings)

    def step(self, name: str) -> tuple[Finding, ...]:
        """Findings of one step (``config``, ``credentials``, ``identity``, ``access``, ``layout``)."""
        return tuple(finding for finding in self.findings if step_of(finding) == name)


@dataclass(frozen=True)
class CheckReport:
    """The whole ``check`` run: configuration-wide findings and one report per block."""

    context: DoctorContext
    config: LoadedConfig
    general: tuple[Finding, ...]
    blocks: tuple[BlockReport, ...]

    @property
    def findings(self) -> tuple[Finding, ...]:
        """All findings, general first."""
        return self.general + tuple(f for report in self.blocks for f in report.findings)

    def to_dict(self) -> dict[str, Any]:
        """The ``--format json`` document."""
        return {
            "config": self.config.path,
            "wazuh_version": self.context.profile.label,
            "debug_level": self.context.debug_level,
            "findings": [finding.to_dict() for finding in self.findings],
        }


def step_of(finding: Finding) -> str:
    """The troubleshooting step a finding belongs to, from its check id's first part."""
    head = finding.check_id.split(".", 1)[0]
    return {"host": "config", "aws": "credentials", "layout": "layout", "marker": "layout",
            "state": "layout", "decode": "sample", "preview": "sample"}.get(head, head)


def load_configuration(context: DoctorContext) -> tuple[LoadedConfig, tuple[Finding, ...]]:
    """Read and validate ossec.conf; the findings include the loader's and the validators'."""
    loaded = load_config(Path(context.config_path), now=context.now)
    findings = loaded.findings + validate(loaded, context.profile, debug_level=context.debug_level,
                                          now=context.now, regions=installed_regions(context.wazuh_home))
    return loaded, findings


def assign_to_blocks(findings: Iterable[Finding], blocks: tuple[Block, ...]
                     ) -> tuple[tuple[Finding, ...], dict[str, tuple[Finding, ...]]]:
    """Split configuration findings into general ones and per-block ones (by label and line)."""
    general: list[Finding] = []
    per_block: dict[str, list[Finding]] = {block.key: [] for block in blocks}
    for finding in findings:
        candidates = [b for b in blocks if b.label == finding.target]
        if not candidates:
            general.append(finding)
            continue
        line = finding.location.line if finding.location and finding.location.line else None
        chosen = candidates[0]
        if line is not None:
            before = [b for b in candidates if (b.location.line or 0) <= line]
            if before:
                chosen = max(before, key=lambda b: b.location.line or 0)
        per_block[chosen.key].append(finding)
    return tuple(general), {key: tuple(items) for key, items in per_block.items()}


def wodle_of(config: LoadedConfig, block: Block) -> Wodle | None:
    """The wodle a block belongs to."""
    for wodle in config.wodles:
        if block in wodle.blocks:
            return wodle
    return None


def check_configured_block(block: Block, loaded: LoadedConfig, per_block: dict[str, tuple[Finding, ...]],
                           context: DoctorContext, cancel: threading.Event | None = None) -> BlockReport:
    """One block as ``loaded`` holds it: its configuration findings, then its checks with its wodle's
    options; ``check`` (every block) and the check runner (one block, for Troubleshoot) both go through it."""
    report = check_block(block, context, per_block.get(block.key, ()), wodle=wodle_of(loaded, block), cancel=cancel)
    return replace(report, findings=after_config_stop(block, report.findings))


IN_LOOP_RULES = frozenset({"config.region_unknown", "config.region_govcloud", "config.inspector_region"})
"""A service checks each region when its loop reaches it, so these stops come after the earlier regions' calls."""


def after_config_stop(block: Block, findings: tuple[Finding, ...]) -> tuple[Finding, ...]:
    """A service's or subscriber's later findings without an exit of their own once a configuration finding
    stops the script before any AWS call (argument errors 2, Security Lake options 21...): one run, one exit."""
    if block.kind == "bucket":
        return findings
    stop = next((finding.wazuh_exit_code for finding in findings if step_of(finding) == "config"
                 and finding.wazuh_exit_code is not None and finding.failure_id not in IN_LOOP_RULES), None)
    if stop is None:
        return findings
    note = f"the module stops earlier (exit {stop}) and never reaches this step"
    return tuple(replace(finding, wazuh_exit_code=None, ossec_log=(), evidence=(*finding.evidence, note))
                 if step_of(finding) != "config" and finding.wazuh_exit_code is not None else finding
                 for finding in findings)


def check_block(block: Block, context: DoctorContext, config_findings: tuple[Finding, ...] = (),
                *, wodle: Wodle | None = None, cancel: threading.Event | None = None) -> BlockReport:
    """credentials → identity → access → layout for one block, after its configuration findings."""
    findings = list(config_findings)
    try:
        credentials = resolve_credentials(block, context)
    except Exception as error:  # a bug of ours must not hide the other blocks' results
        return BlockReport(block, (*findings, step_crashed("credentials", block, context, error)))
    findings.extend(credentials.findings)
    if cancel is not None and cancel.is_set():
        return BlockReport(block, tuple(findings), credentials)
    identity = identity_step(block, context, credentials)
    if isinstance(identity, Finding):
        return BlockReport(block, (*findings, identity), credentials)
    findings.extend(identity.findings)
    if not (cancel is not None and cancel.is_set()):
        access = access_step(block, context, credentials, identity, wodle)
        findings.extend(access)
        if block.kind == "bucket" and not any(finding.check_id.endswith(".crashed") for finding in access):
            findings.extend(layout_step(block, context, credentials, identity, findings, wodle, cancel))
    return BlockReport(block, tuple(findings), credentials, identity)


def identity_step(block: Block, context: DoctorContext, credentials: CredentialReport
                  ) -> IdentityResult | Finding:
    """sts:GetCallerIdentity (and AssumeRole) with the resolved credentials, or the crash finding."""
    settings = settings_for(block, context, credentials.region)
    try:
        return check_identity(credentials, block, context, settings)
    except Exception as error:  # a bug of ours must not hide the other blocks' results
        return step_crashed("identity", block, context, error, settings.describe_retries())


def access_step(block: Block, context: DoctorContext, credentials: CredentialReport,
                identity: IdentityResult, wodle: Wodle | None = None) -> tuple[Finding, ...]:
    """The block's access chain (bucket, queue or service), predicting from where the module already stopped."""
    settings = settings_for(block, context, credentials.region)
    stopped_with = credentials.module_exit_code or identity.module_exit_code
    principal = identity.assumed_role_arn or identity.arn
    try:
        if block.kind == "subscriber":
            return check_queue_access(identity.session, block, context, settings, principal=principal,
                                      account_id=identity.account_id, stopped_with=stopped_with,
                                      base_session=identity.base_session)
        if block.kind == "service":
            return check_service_access(identity.session, block, context, settings, principal=principal,
                                        account_id=identity.account_id, stopped_with=stopped_with,
                                        base_session=identity.base_session)
        return check_bucket_access(identity.session, block, context, settings,
                                   base_session=identity.base_session, principal=identity.arn,
                                   stopped_with=stopped_with,
                                   skip_on_error=wodle is not None and wodle.value("skip_on_error") == "yes")
    except Exception as error:  # a bug of ours must not hide the other steps' results
        return (step_crashed("access", block, context, error, settings.describe_retries()),)


def layout_step(block: Block, context: DoctorContext, credentials: CredentialReport, identity: IdentityResult,
                so_far: Iterable[Finding], wodle: Wodle | None,
                cancel: threading.Event | None = None) -> tuple[Finding, ...]:
    """The layout, state, marker and sample steps, only when the access step could list the bucket."""
    listed = any(f.check_id == "access.list_prefix" and f.status is not Status.ERROR for f in so_far)
    session = identity.session
    if session is None or not listed:
        return ()
    settings = settings_for(block, context, credentials.region)
    try:
        client = make_client(session, "s3", settings)
        state = StateReader(context.state_db_path)
        flow_logs = flow_log_lookup(block, session, settings, context)
        layout = check_layout(client, block, context, state, caller_account=identity.account_id,
                              ec2_client_for=module_ec2_clients(block, session, settings, context),
                              include_volume=True, interval=wodle.value("interval") if wodle else None,
                              cancel=cancel)
        sample = check_sample_object(client, block, wodle, context, state, caller_account=identity.account_id,
                                     flow_logs=flow_logs, cancel=cancel)
    except Exception as error:  # a bug of ours must not hide the other steps' results
        return (step_crashed("layout", block, context, error, settings.describe_retries()),)
    return tuple(layout) + sample


CHECK_WORKERS = 4
"""Blocks checked at once by ``run_checks``: enough to overlap one block's AWS round trips with another's
work, few enough that a large configuration never opens more than a handful of connections at a time."""


def run_checks(context: DoctorContext, *, bucket: str | None = None, cancel: threading.Event | None = None,
               on_block: Callable[[BlockReport], None] | None = None, line: int | None = None) -> CheckReport:
    """The ``check`` command: configuration, then every block (or the one named, or the one at ``line``)."""
    loaded, config_findings = load_configuration(context)
    general, per_block = assign_to_blocks(config_findings, loaded.blocks)
    general = installation_findings(context) + config_secret_findings(loaded, context) + general
    if (context.wazuh_home / "wodles" / "aws" / "aws-s3").exists():
        general = general + check_host(context, loaded)
    chosen = [block for block in loaded.blocks
              if (bucket is None or bucket in (block.name, block.block_type))
              and (line is None or block.location.line == line)]

    def checked(block: Block) -> BlockReport | None:
        if cancel is not None and cancel.is_set():
            return None
        return check_configured_block(block, loaded, per_block, context, cancel)

    reports: list[BlockReport] = []
    # blocks are independent (own session, clients, state reader): a few at once keep the wall time of
    # hundreds of blocks near their CPU time instead of their summed network waits; reports stay in file order
    with concurrent.futures.ThreadPoolExecutor(max(1, min(CHECK_WORKERS, len(chosen))),
                                               thread_name_prefix="check-block") as pool:
        for report in pool.map(checked, chosen):
            if report is None:
                pool.shutdown(wait=True, cancel_futures=True)
                break
            reports.append(report)
            if on_block is not None:
                on_block(report)
    return CheckReport(context, loaded, general, tuple(reports))
