"""What Wazuh accepts without a word but then does wrong: the settings that make a run "succeed" on nothing.

These never change the exit code of the configuration stage; they explain why a block that looks fine
never produces events (prefixes that cannot match, dates in the future, filters that never apply).
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

from diagnostics.configuration.rule_context import ValidationContext, make_finding
from diagnostics.findings import Finding
from diagnostics.wazuh.regions import partition_of
from diagnostics.wazuh.wodle import Block

AWSLOGS_TYPES = frozenset({"cloudtrail", "config", "vpcflow", "alb", "clb", "nlb", "guardduty"})
DASHBOARD_PREFIXES = ("data.aws.", "data.", "aws.")


def _add(findings: list[Finding], ctx: ValidationContext, block: Block, rule: str, tag: str | None,
         values: dict[str, Any]) -> None:
    findings.append(make_finding(
        f"config.{rule}", rule=rule, target=block.label, profile=ctx.profile,
        location=block.line_of(tag) if tag else block.location,
        values={"block": block.label, "tag": tag or "", "type": block.block_type or "", **values}))


def _prefix_findings(findings: list[Finding], ctx: ValidationContext, block: Block) -> None:
    for tag in ("path", "path_suffix"):
        value = block.value(tag)
        if value is None:
            continue
        if value.startswith("/"):
            _add(findings, ctx, block, "path_leading_slash", tag,
                 {"value": value, "suggested": value.lstrip("/")})
        elif "//" in value:
            _add(findings, ctx, block, "path_double_slash", tag, {"value": value,
                                                                   "suggested": re.sub("/+", "/", value)})
    path = block.value("path")
    if path is not None and block.block_type in AWSLOGS_TYPES and "AWSLogs" in path.split("/"):
        above = path.split("AWSLogs")[0].strip("/")
        suggested = f"<path>{above}</path>" if above else "no <path> at all"
        _add(findings, ctx, block, "path_contains_awslogs", "path", {"value": path, "suggested": suggested})


def _date_in_future(ctx: ValidationContext, block: Block, findings: list[Finding]) -> None:
    value = block.value("only_logs_after")
    if value is None:
        return
    try:
        date = datetime.strptime(value, "%Y-%b-%d").replace(tzinfo=timezone.utc)
    except ValueError:
        return
    if date > ctx.when:
        _add(findings, ctx, block, "only_logs_after_future", "only_logs_after", {"value": value})


def _discard_field(ctx: ValidationContext, block: Block, findings: list[Finding]) -> None:
    option = block.discard_regex
    if option is None:
        return
    field_name = option.attributes.get("field", "")
    for prefix in DASHBOARD_PREFIXES:
        if field_name.startswith(prefix):
            suggested = field_name
            for strip in DASHBOARD_PREFIXES:
                if suggested.startswith(strip):
                    suggested = suggested[len(strip):]
            _add(findings, ctx, block, "discard_field_dashboard", "discard_regex",
                 {"value": field_name, "suggested": suggested or "<event field>"})
            return


def _role_partition(ctx: ValidationContext, block: Block, findings: list[Finding]) -> None:
    """A role ARN outside the commercial partition while the block's regions (or the fallback) are commercial."""
    role = (block.value("iam_role_arn") or "").strip()
    parts = role.split(":")
    if len(parts) < 6 or parts[0] != "arn" or parts[1] == "aws":
        return
    # only a service's loop region reaches its STS client; buckets and subscribers never pass one
    regions = [part.strip() for part in (block.value("regions") or "").split(",") if part.strip()] \
        if block.kind == "service" else []
    if any(partition_of(region) == parts[1] for region in regions):
        return
    commercial = [region for region in regions if partition_of(region) == "aws"]
    fallback = ("each region of the loop" if block.kind == "service"
                else "the global endpoint of the aws partition (sts.amazonaws.com)")
    note = f"The block's <regions> ({', '.join(commercial)}) are in the aws partition. " if commercial else ""
    _add(findings, ctx, block, "role_partition", "iam_role_arn",
         {"value": role, "arn_partition": parts[1], "fallback": fallback, "regions_note": note,
          "example": ":".join(["arn", "aws", *parts[2:]])})


def check_block(ctx: ValidationContext, block: Block) -> list[Finding]:
    """Silent-failure findings of one block."""
    findings: list[Finding] = []
    if block.kind == "bucket":
        _prefix_findings(findings, ctx, block)
        if block.block_type == "custom":
            _add(findings, ctx, block, "custom_type_note", None, {})
        path = block.value("path") or ""
        if block.block_type == "guardduty" and ctx.profile.guardduty_firehose_supported \
                and re.search(r"firehose|kinesis", path, re.IGNORECASE):
            _add(findings, ctx, block, "guardduty_kinesis_note", "path", {"version": ctx.profile.label})
    _date_in_future(ctx, block, findings)
    _discard_field(ctx, block, findings)
    _role_partition(ctx, block, findings)
    return findings
