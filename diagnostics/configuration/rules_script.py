"""Checks of the script stage: what each run of a block would do with the argv the C side builds.

Argument errors exit 2 (argparse); then, in the script's order, ``--iam_role_duration`` without a role
(exit 1), the region list (exit 22, debug-only message), Security Lake parameters (exit 21), the
discard regex (exit 12 through the catch-all) and the type-specific path rules (exit 12).
"""

from __future__ import annotations

import re
from typing import Any

from diagnostics.configuration.rule_context import ValidationContext, make_finding
from diagnostics.configuration.rules_argparse import (
    ArgumentError,
    ParsedArguments,
    parse_arguments,
    usage_error,
)
from diagnostics.findings import Finding
from diagnostics.wazuh.command_line import (
    QUOTED_TAGS,
    build_command,
    command_arguments,
    quote_argument,
    split_like_wm_exec,
)
from diagnostics.wazuh.regions import (
    ADDED_IN_2025,
    CHINA_REGIONS,
    GOVCLOUD_REGIONS,
    INSPECTOR_REGIONS,
    partition_of,
)
from diagnostics.wazuh.wodle import Block

DEST_TAGS = {"bucket": "name", "queue": "sqs_name", "trail_prefix": "path", "trail_suffix": "path_suffix",
             "discard_field": "discard_regex", "service": "type", "subscriber": "type"}
INVALID_RULES = {"aws_account_id": "account_id_invalid", "iam_role_arn": "role_arn_invalid",
                 "iam_role_duration": "role_duration_invalid", "only_logs_after": "date_invalid",
                 "regions": "region_format", "trail_prefix": "key_invalid_chars",
                 "trail_suffix": "key_invalid_chars", "aws_log_groups": "key_invalid_chars",
                 "queue": "queue_name_invalid"}
UMBRELLA_FOLDERS = ("dnslogs", "proxylogs", "iplogs")
NAME_AS_URL = re.compile(r"^(?:s3://|arn:aws[a-z-]*:s3:::|https?://)([^/]+?)(?:\.s3[.-][^/]*)?(?:/(.*))?$")
"""``s3://bucket/prefix``, ``arn:aws:s3:::bucket/prefix`` or a virtual-hosted URL: bucket and path."""


def argparse_failure(ctx: ValidationContext, block: Block, message: str) -> tuple[int, tuple[str, ...]]:
    """Exit 2 and the ossec.log lines of an argparse rejection (before the script's debug banner)."""
    return 2, ctx.run(block).run_lines(2, usage_error(ctx.profile.script_name, message))


class _ScriptChecker:
    def __init__(self, ctx: ValidationContext, block: Block) -> None:
        self.ctx, self.block = ctx, block
        self.run = ctx.run(block)
        argv = build_command(block, ctx.wodle, ctx.profile, ctx.debug_level)
        self.parsed: ParsedArguments = parse_arguments(argv[1:], ctx.role_duration_limit)
        self.findings: list[Finding] = []

    def add(self, rule: str, tag: str | None, values: dict[str, Any], exit_code: int | None = None,
            lines: tuple[str, ...] = (), evidence: tuple[str, ...] = (),
            details: dict[str, Any] | None = None) -> None:
        location = self.block.line_of(tag) if tag else self.block.location
        self.findings.append(make_finding(
            f"config.{rule}", rule=rule, target=self.block.label, profile=self.ctx.profile, location=location,
            values={"block": self.block.label, "tag": tag or "", **values}, exit_code=exit_code,
            ossec_lines=lines, evidence=evidence, details=details))

    # --- argparse (exit 2) ---------------------------------------------------------------------------------
    def argument_errors(self) -> None:
        split_tags = self.value_words()
        for error in self.parsed.errors:
            exit_code, lines = argparse_failure(self.ctx, self.block, error.message)
            if error.kind == "unrecognized":
                for tag, value in split_tags or [("", error.value)]:
                    split = {"value": value, "extra": error.value, "version": self.ctx.profile.label,
                             "remedy": self.split_remedy(tag)}
                    self.add("value_split", tag or None, split, exit_code, lines)
                continue
            assert error.flag is not None
            dest = error.flag.dest
            tag = DEST_TAGS.get(dest, dest)
            values: dict[str, Any] = {"value": error.value, "flag": error.flag.strings[-1],
                      "message": error.message.split(": ", 1)[-1], "limit": self.ctx.role_duration_limit}
            configured = self.block.value(tag) if tag != "discard_regex" else None
            if error.kind == "missing" and configured and configured.lstrip().startswith("-"):
                self.add("value_looks_like_flag", tag, {**values, "value": configured}, exit_code, lines)
            elif error.kind == "missing":
                self.add("argument_missing_value", tag, values, exit_code, lines)
            elif dest == "bucket":
                self.bucket_name(error, values, exit_code, lines)
            else:
                self.add(INVALID_RULES.get(dest, "bucket_name_invalid"), tag, values, exit_code, lines)

    def split_remedy(self, tag: str) -> str:
        """How to avoid the split: only some values are quoted, and only from 5.0 on."""
        if tag in QUOTED_TAGS and not self.ctx.profile.quotes_arguments:
            return (" (S3 prefixes and profile names rarely need one), or upgrade to 5.0, which quotes "
                    "this value")
        return f": the module never quotes <{tag}>" if tag else ""

    def bucket_name(self, error: ArgumentError, values: dict[str, Any], exit_code: int,
                    lines: tuple[str, ...]) -> None:
        name = error.value
        url = NAME_AS_URL.match(name)
        if url:
            bucket, path = url.group(1), (url.group(2) or "").strip("/")
            path_tag = f" and <path>{path}</path>" if path else ""
            self.add("name_is_url", "name",
                     {**values, "suggested_name": bucket, "suggested_path_tag": path_tag},
                     exit_code, lines, details_evidence(bucket, path), suggestion(bucket, path))
        elif "/" in name:
            bucket, _, path = name.strip("/").partition("/")
            self.add("name_has_path", "name", {**values, "suggested_name": bucket, "suggested_path": path},
                     exit_code, lines, details_evidence(bucket, path), suggestion(bucket, path))
        else:
            self.add("bucket_name_invalid", "name", values, exit_code, lines)

    def value_words(self) -> list[tuple[str, str]]:
        """Tags whose value wm_exec splits into several words, and mangled single-word values (warned)."""
        split: list[tuple[str, str]] = []
        quotes = self.ctx.profile.quotes_arguments
        for argument in command_arguments(self.block, self.ctx.wodle, self.ctx.debug_level):
            if argument.value is None or argument.tag in (None, "access_key", "secret_key", "type"):
                continue
            quoted = quotes and argument.tag in QUOTED_TAGS
            words = split_like_wm_exec(quote_argument(argument.value) if quoted else argument.value)
            tag = "discard_regex" if argument.tag == "discard_field" else str(argument.tag)
            if len(words) > 1:
                split.append((tag, argument.value))
            elif words and words[0] != argument.value:
                upgrade = not quotes and argument.tag in QUOTED_TAGS
                hint = ", or upgrade to 5.0 which quotes it" if upgrade else ""
                self.add("value_mangled", tag, {"value": argument.value, "received": words[0],
                                                "upgrade_hint": hint})
        return split

    # --- after parsing -------------------------------------------------------------------------------------
    def semantic(self) -> None:
        values = self.parsed.values
        if "iam_role_duration" in values and "iam_role_arn" not in self.parsed.raw:
            output = "ERROR: Unknown error: Used --iam_role_duration argument but no --iam_role_arn provided."
            self.add("role_duration_without_arn", "iam_role_duration", {}, 1, self.run.run_lines(1, output))
        if self.ctx.profile.checks_region_list:
            self.regions()
        if self.block.kind == "subscriber" and self.block.block_type == "security_lake":
            stopped = False  # the script checks role, queue, external id in turn and exits at the first missing
            for dest, flag in (("iam_role_arn", "iam_role_arn"), ("external_id", "external_id")):
                if dest not in self.parsed.raw:
                    message = f"Used a subscriber but no --{flag} provided."
                    if stopped:
                        self.add("security_lake_missing", None, {"tag": dest, "flag": flag},
                                 evidence=("the module stops earlier (exit 21) and never reaches this check",))
                        continue
                    exit_code, lines = self.run.script_failure(message, 21)
                    self.add("security_lake_missing", None, {"tag": dest, "flag": flag}, exit_code, lines)
                    stopped = True
        self.discard_regex()
        self.bucket_type_rules()

    def regions(self) -> None:
        regions = self.parsed.values.get("regions")
        if not isinstance(regions, list):
            return
        inspector = self.block.kind == "service" and self.block.block_type == "inspector"
        allowed = INSPECTOR_REGIONS if inspector else self.ctx.regions
        stopped = False  # the script exits 22 at the first refused region, in its sorted order
        for region in sorted(regions):
            if region in allowed:
                if region in ADDED_IN_2025 and not self.ctx.regions_from_installation \
                        and self.ctx.profile.version < (4, 14, 0) and not inspector:
                    self.add("region_added_later", "regions", {"value": region})
                continue
            if self.block.kind == "subscriber":
                continue
            if inspector:
                message, rule = f"DEBUG: +++ ERROR: Unsupported region '{region}'", "inspector_region"
            else:
                message = f"DEBUG: +++ ERROR: Invalid region '{region}'"
                rule = "region_govcloud" if region in GOVCLOUD_REGIONS | CHINA_REGIONS else "region_unknown"
            values = {"value": region, "partition": partition_of(region),
                      "loop_note": "" if stopped else self.loop_note(region)}
            if stopped:
                self.add(rule, "regions", values,
                         evidence=("the module stops earlier (exit 22) and never reaches this region",))
                continue
            exit_code, lines = self.run.script_failure(message, 22, debug_only=True)
            self.add(rule, "regions", values, exit_code, lines)
            stopped = True

    def loop_note(self, region: str) -> str:
        """A service checks each region when its loop reaches it, so the valid regions before it are read."""
        if self.block.kind != "service":
            return ""
        regions = self.parsed.values.get("regions")
        before = sorted(item for item in regions if item < region) if isinstance(regions, list) else []
        if not before:
            return " It is the first region of the sorted loop, so the run reads nothing."
        return (f" A service checks each region when its sorted loop reaches it, so {', '.join(before)} "
                f"{'is' if len(before) == 1 else 'are'} read on every run before the run stops here.")

    def discard_regex(self) -> None:
        pattern = self.parsed.values.get("discard_regex")
        if not isinstance(pattern, str):
            return
        try:
            re.compile(pattern)
        except (re.error, RecursionError, OverflowError, ValueError) as error:
            message = str(error) or type(error).__name__
            exit_code, lines = self.run.script_failure(message, 12, catch_all=True)
            self.add("discard_regex_invalid", "discard_regex", {"value": pattern, "message": message},
                     exit_code, lines)

    def bucket_type_rules(self) -> None:
        if self.block.kind != "bucket":
            return
        prefix = str(self.parsed.values.get("trail_prefix") or "")
        if self.block.block_type == "cisco_umbrella" and not any(word in prefix for word in UMBRELLA_FOLDERS):
            exit_code, lines = self.run.script_failure(
                "Only 'dnslogs', 'proxylogs' or 'iplogs' are allowed for Cisco Umbrella", 12)
            self.add("umbrella_path", "path", {"value": prefix}, exit_code, lines)
        if self.block.block_type == "guardduty" and re.search(r"firehose|kinesis", prefix, re.IGNORECASE) \
                and not self.ctx.profile.guardduty_firehose_supported:
            exit_code, lines = self.run.script_failure("Invalid type of bucket", 12)  # sys.exit, not raised
            self.add("guardduty_firehose", "path", {"value": prefix}, exit_code, lines)


def details_evidence(bucket: str, path: str) -> tuple[str, ...]:
    """The suggested split, stated as evidence."""
    return (f"suggested <name>: {bucket}", f"suggested <path>: {path or '(none)'}")


def suggestion(bucket: str, path: str) -> dict[str, Any]:
    """Machine-readable fix for faces that offer to rewrite the block: the name and path to use."""
    return {"suggested_name": bucket, "suggested_path": path}


def check_block(ctx: ValidationContext, block: Block) -> list[Finding]:
    """Script-stage findings of one block."""
    if block.kind == "subscriber" and not ctx.profile.has_subscribers:
        return []
    checker = _ScriptChecker(ctx, block)
    checker.argument_errors()
    checker.semantic()
    return checker.findings
