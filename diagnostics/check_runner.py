"""One runner for a block's checks: the whole block, or one group of steps again after the admin fixed it.

The Troubleshoot screen reruns a step after a fix; the later steps need what the earlier ones found (the
resolved credentials, the identity and its session, whether the bucket could be listed). Keeping that
wiring here, next to ``check_block``, means the screen never repeats the sequence or its predictions.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from diagnostics.aws.credentials import resolve_credentials
from diagnostics.checks import (
    BlockReport,
    access_step,
    assign_to_blocks,
    check_configured_block,
    identity_step,
    layout_step,
    load_configuration,
    step_of,
    wodle_of,
)
from diagnostics.context import DoctorContext
from diagnostics.findings import Finding
from diagnostics.wazuh.wodle import Block

GROUPS = ("config", "credentials", "identity", "access", "layout")
"""Steps that one diagnostics call produces together, in the order an admin walks them."""


def group_of(finding: Finding) -> str:
    """The rerun group of a finding: its step, with the sample decode run together with the layout."""
    step = step_of(finding)
    return "layout" if step == "sample" else step


@dataclass(frozen=True)
class BlockRun:
    """What one run produced: the block's report after it, and the findings this run itself made."""

    group: str | None
    """The group that ran, or None for the whole block."""
    report: BlockReport
    """The block's findings with the group's replaced (all of them for a whole run)."""
    findings: tuple[Finding, ...]
    ran: bool = True
    """False when an earlier step has no result yet, so the group could not run (nothing changed)."""


def run_block(context: DoctorContext, block: Block, group: str | None = None, *,
              earlier: BlockReport | None = None, cancel: threading.Event | None = None) -> BlockRun:
    """Check ``block`` as configured now (``group`` None), or run one group of its steps again with the
    results ``earlier`` holds for the steps before it."""
    if group is None:
        report = _whole_block(context, block, cancel)
        return BlockRun(None, report, report.findings)
    if group not in GROUPS:
        raise ValueError(f"unknown check group {group!r} (one of {', '.join(GROUPS)})")
    before = earlier if earlier is not None else BlockReport(block, ())
    credentials, identity = before.credentials, before.identity
    if group == "config":
        loaded, findings = load_configuration(context)
        _, per_block = assign_to_blocks(findings, loaded.blocks)
        return _replaced(before, group, per_block.get(block.key, ()))
    if group == "credentials":
        resolved = resolve_credentials(block, context)
        return _replaced(BlockReport(block, before.findings, resolved, identity), group, resolved.findings)
    if credentials is None:
        return BlockRun(group, before, (), ran=False)
    if group == "identity":
        result = identity_step(block, context, credentials)
        if isinstance(result, Finding):
            return _replaced(before, group, (result,))
        return _replaced(BlockReport(block, before.findings, credentials, result), group, result.findings)
    if identity is None or (block.kind != "bucket" and group == "layout"):
        return BlockRun(group, before, (), ran=False)
    if group == "access":
        loaded, _ = load_configuration(context)
        return _replaced(before, group, access_step(block, context, credentials, identity,
                                                    wodle_of(loaded, block)))
    loaded, _ = load_configuration(context)
    current = next((candidate for candidate in loaded.blocks if candidate.key == block.key), block)
    return _replaced(before, group, layout_step(current, context, credentials, identity, before.findings,
                                                wodle_of(loaded, current), cancel))


def _whole_block(context: DoctorContext, block: Block, cancel: threading.Event | None) -> BlockReport:
    """The block as ossec.conf holds it now (the admin may have edited it), with its wodle's options."""
    loaded, findings = load_configuration(context)
    _, per_block = assign_to_blocks(findings, loaded.blocks)
    current = next((candidate for candidate in loaded.blocks if candidate.key == block.key), block)
    return check_configured_block(current, loaded, per_block, context, cancel)


def _replaced(report: BlockReport, group: str, findings: tuple[Finding, ...]) -> BlockRun:
    """``report`` with the group's old findings replaced by ``findings``, kept in step order."""
    order = {name: rank for rank, name in enumerate(GROUPS)}
    kept = [finding for finding in report.findings if group_of(finding) != group]
    merged = sorted([*kept, *findings], key=lambda finding: order.get(group_of(finding), 0))
    updated = BlockReport(report.block, tuple(merged), report.credentials, report.identity)
    return BlockRun(group, updated, findings)
