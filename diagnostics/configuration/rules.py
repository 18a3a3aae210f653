"""Validate a loaded ossec.conf exactly as Wazuh would: the C parser at start-up, then each script run.

Each block gets every finding that applies (parser errors, argument rejections with their exit code and
predicted ossec.log lines, silent mistakes), or one OK finding when there is nothing to say. The loader's
own findings (file and XML problems) stay in ``LoadedConfig.findings`` and are not repeated here.
"""

from __future__ import annotations

from datetime import datetime

from diagnostics.configuration import rules_parser, rules_script, rules_silent, rules_wodle
from diagnostics.configuration.rule_context import ValidationContext, now_utc
from diagnostics.configuration.source import block_source, wodle_source
from diagnostics.explanations import build_finding
from diagnostics.findings import Finding, SourceLocation, Status
from diagnostics.wazuh.command_line import display_command
from diagnostics.wazuh.regions import ALL_REGIONS
from diagnostics.wazuh.versions import WazuhProfile
from diagnostics.wazuh.wodle import Block, LoadedConfig

DEFAULT_ROLE_DURATION_LIMIT = 3600
"""Upper bound of ``iam_role_duration`` in the module's 4.x and 5.x releases (some builds allow 43200)."""


def _block_ok(ctx: ValidationContext, block: Block) -> Finding:
    command = display_command(block, ctx.wodle, ctx.profile, ctx.debug_level)
    return build_finding("config.block_ok", check_id="config.block_ok", target=block.label,
                         profile=ctx.profile, location=block.location, values={"block": block.label},
                         evidence=(f"command: {command}",))


def _block_findings(ctx: ValidationContext, loaded: LoadedConfig, block: Block) -> list[Finding]:
    if block.kind == "subscriber" and not ctx.profile.has_subscribers:
        return []  # the wodle-level finding already says this release rejects the tag
    source = block_source(loaded, ctx.wodle, block)
    findings = rules_parser.check_block(ctx, block, source)
    legacy_without_name = source.legacy and not block.value("name")
    if not legacy_without_name:
        findings += rules_script.check_block(ctx, block)
        findings += rules_silent.check_block(ctx, block)
    if not any(finding.status in (Status.WARNING, Status.ERROR) for finding in findings):
        findings.insert(0, _block_ok(ctx, block))
    return findings


def validate(
    loaded: LoadedConfig,
    profile: WazuhProfile,
    *,
    debug_level: int = 0,
    now: datetime | None = None,
    regions: frozenset[str] | None = None,
    role_duration_limit: int | None = None,
) -> tuple[Finding, ...]:
    """Every configuration finding for the wodles in ``loaded``, as the given Wazuh version would behave.

    ``regions`` is the installed module's ALL_REGIONS when known (``regions.installed_regions``), and
    ``role_duration_limit`` its ``iam_role_duration`` bound; both default to the released module's values.
    ``debug_level`` is ``wazuh_modules.debug`` (0-2) and shapes the predicted ossec.log lines.
    """
    when = now_utc(now)
    findings: list[Finding] = []
    if not loaded.wodles:
        if not any(finding.status is Status.ERROR for finding in loaded.findings):
            findings.append(build_finding("config.no_wodle", check_id="config.no_wodle", target=loaded.path,
                                          profile=profile, location=SourceLocation(loaded.path),
                                          values={"path": loaded.path}))
        return tuple(findings)
    for wodle in loaded.wodles:
        ctx = ValidationContext(
            path=loaded.path, wodle=wodle, source=wodle_source(loaded, wodle), profile=profile,
            debug_level=max(0, debug_level), when=when,
            regions=regions if regions is not None else ALL_REGIONS,
            regions_from_installation=regions is not None,
            role_duration_limit=role_duration_limit or DEFAULT_ROLE_DURATION_LIMIT)
        findings += rules_wodle.check_wodle(ctx)
        for block in wodle.blocks:
            findings += _block_findings(ctx, loaded, block)
    return tuple(findings)
