"""Checks of the C parser stage (``wmodules-aws.c``): what wazuh-modulesd says at start-up.

Every message is Wazuh's exact text, including its quirks (the wrong tag name in the ``aws_account_id``
message, the missing quotes in the bucket type list, "of service" for subscribers). Wazuh stops at the
first error; we report them all so one pass fixes the file.
"""

from __future__ import annotations

from diagnostics.configuration.rule_context import ParserMessage, ValidationContext, make_finding
from diagnostics.configuration.rules_script import argparse_failure
from diagnostics.configuration.source import BlockSource, ChildTag
from diagnostics.findings import Finding
from diagnostics.masking import mask_key_id
from diagnostics.wazuh.wodle import BUCKET_TYPES, SERVICE_TYPES, SUBSCRIBER_TYPES, Block

MODULE = "aws-s3"
CREDENTIALS_URL = "https://documentation.wazuh.com/current/amazon/services/prerequisites/credentials.html"
DEPRECATED_TAG = ("Deprecated tag <{tag}> found at module 'aws-s3'. This tag was deprecated in 4.4; please "
                  "use "
                  f"a different authentication method. Check {CREDENTIALS_URL} for more information.")
BAD_BUCKET_TYPE = ("Invalid bucket type '{value}'. Valid ones are 'cloudtrail', 'config', 'guardduty', "
                   "'vpcflow', 'waf', 'cisco_umbrella', custom', alb', clb', nlb' or 'server_access'")
BAD_ATTRIBUTE = "Attribute name '{attribute}' is not valid. The valid one is 'type'."
BAD_SERVICE_TYPE = "Invalid service type '{value}'. Valid ones are 'inspector' or 'cloudwatchlogs'"
BAD_SUBSCRIBER_TYPE = ("Invalid subscriber type '{value}'. Valid ones are 'security_lake', 'buckets' or "
                       "'security_hub'")
LEGACY = "Deprecated config defined; please use current config definition at module 'aws-s3'."

BUCKET_CHILDREN = frozenset({
    "name", "aws_organization_id", "aws_account_id", "remove_from_bucket", "access_key",
    "aws_account_alias", "secret_key", "aws_profile", "iam_role_arn", "iam_role_duration", "path",
    "path_suffix", "only_logs_after", "regions", "discard_regex", "sts_endpoint", "service_endpoint"})
SERVICE_CHILDREN = frozenset({
    "aws_account_id", "access_key", "aws_account_alias", "secret_key", "aws_profile", "iam_role_arn",
    "iam_role_duration", "only_logs_after", "regions", "aws_log_groups", "remove_log_streams",
    "discard_regex", "sts_endpoint", "service_endpoint"})
SUBSCRIBER_CHILDREN = frozenset({
    "sqs_name", "external_id", "iam_role_arn", "iam_role_duration", "sts_endpoint", "service_endpoint",
    "aws_profile", "discard_regex"})
WARN_WHEN_EMPTY = frozenset({"path", "path_suffix", "only_logs_after", "regions"})


def empty_message(tag: str) -> str:
    """``Empty content for tag '<tag>' at module 'aws-s3'.`` (the tag named may not be the empty one)."""
    return f"Empty content for tag '{tag}' at module '{MODULE}'."


class _BlockChecker:
    """Walks one block's children in order, like the C loop, collecting findings instead of stopping."""

    def __init__(self, ctx: ValidationContext, block: Block, source: BlockSource) -> None:
        self.ctx, self.block, self.source = ctx, block, source
        self.findings: list[Finding] = []

    def add(self, failure_id: str, tag: str, line: int | None, message: str, *, tagged: bool = False,
            level: str = "ERROR", value: str = "", attribute: str = "") -> None:
        self.findings.append(make_finding(
            failure_id, rule=failure_id.split(".", 1)[1], target=self.block.label, profile=self.ctx.profile,
            location=self.ctx.at(line),
            values={"block": self.block.label, "tag": tag, "value": value, "message": message,
                    "attribute": attribute},
            ossec_lines=self.ctx.parser_lines(ParserMessage(level, message, tagged))))

    def check_type(self) -> bool:
        """The type attribute rules; False when the block is rejected before its children are read."""
        kind, attributes = self.block.kind, self.source.attributes
        line = self.source.line
        if not attributes:
            if kind in ("service", "subscriber"):
                self.add("config.type_missing", kind, line, f"Undefined type for {kind}.", tagged=True)
            return kind == "bucket"
        name, value = attributes[0]
        if name != "type":
            self.add("config.type_attribute", kind, line, BAD_ATTRIBUTE.format(attribute=name), tagged=True,
                     attribute=name)
            return False
        if kind == "bucket" and value not in BUCKET_TYPES:
            self.add("config.bucket_type_invalid", kind, line, BAD_BUCKET_TYPE.format(value=value),
                     tagged=True, value=value)
            return False
        if kind == "service" and value not in SERVICE_TYPES:
            self.add("config.service_type_invalid", kind, line, BAD_SERVICE_TYPE.format(value=value),
                     tagged=True, value=value)
            return False
        if kind == "subscriber" and value not in SUBSCRIBER_TYPES:
            self.add("config.service_type_invalid", kind, line, BAD_SUBSCRIBER_TYPE.format(value=value),
                     tagged=True, value=value)
            return False
        return True

    def check_children(self) -> None:
        kind = self.block.kind
        allowed = {"bucket": BUCKET_CHILDREN, "service": SERVICE_CHILDREN}.get(kind, SUBSCRIBER_CHILDREN)
        for child in self.source.children:
            if child.name not in allowed:
                owner = "bucket" if kind == "bucket" else "service"
                self.add("config.unknown_child", child.name, child.line,
                         f"No such child tag '{child.name}' of {owner} at module '{MODULE}'.")
            elif kind == "subscriber":
                self.check_subscriber_child(child)
            else:
                self.check_child(child)

    def check_child(self, child: ChildTag) -> None:
        kind, name = self.block.kind, child.name
        if name == "name" and child.content_empty:
            self.add("config.empty_content_error", name, child.line, empty_message("name"))
        elif name in ("aws_account_id", "aws_organization_id") and child.content_empty:
            self.add("config.empty_content_error", name, child.line, empty_message(kind))
        elif name == "aws_log_groups" and child.content_empty:
            self.add("config.empty_content_error", name, child.line, empty_message(name))
        elif name in WARN_WHEN_EMPTY and child.content_empty:
            self.add("config.empty_content_ignored", name, child.line, empty_message(name), level="WARNING")
        elif name in ("remove_from_bucket", "remove_log_streams") and child.value not in ("yes", "no"):
            self.add("config.yes_no", name, child.line,
                     f"Invalid content for tag '{name}' at module '{MODULE}'.", value=child.value)
        elif name == "discard_regex":
            self.check_discard(child)

    def check_discard(self, child: ChildTag) -> None:
        if child.content_empty:
            self.add("config.discard_regex_empty", child.name, child.line,
                     "No value was provided for 'discard_regex'. No event will be skipped.", level="WARNING")
            return
        field_name = dict(child.attributes).get("field", "")
        optional = self.block.kind == "subscriber" or self.block.block_type == "cloudwatchlogs"
        if not field_name and not optional:
            self.add("config.discard_field_missing", child.name, child.line,
                     "Required attribute 'field' is missing in 'discard_regex'. This is a mandatory "
                     "parameter.")

    def check_subscriber_child(self, child: ChildTag) -> None:
        if child.name in ("sqs_name", "external_id", "iam_role_arn") and child.content_empty:
            self.add("config.subscriber_empty", child.name, child.line,
                     f"Invalid content for tag '{child.name}': It cannot be empty")
        elif child.name == "discard_regex":
            if self.block.block_type == "security_lake":
                self.add("config.discard_regex_security_lake", child.name, child.line,
                         "The 'discard_regex' parameter is not available for Security Lake.")
            else:
                self.check_discard(child)

    def check_keys(self) -> None:
        """Inline access keys: the start-up deprecation warning per tag, plus the clear-text exposure."""
        tags = [child for child in self.source.children
                if child.name in ("access_key", "secret_key") and not child.content_empty]
        present = [name for name in ("access_key", "secret_key") if self.block.value(name)]
        if not present:
            return
        lines = tuple(line for child in tags for line in
                      self.ctx.parser_lines(ParserMessage("WARNING", DEPRECATED_TAG.format(tag=child.name))))
        evidence = []
        if self.block.value("access_key"):
            evidence.append(f"access_key: {mask_key_id(self.block.value('access_key'))}")
        if self.block.value("secret_key"):
            evidence.append("secret_key: set (never shown)")
        first = min((option.line for name in present if (option := self.block.options.get(name)) is not None
                     and option.line is not None), default=self.block.location.line)
        self.findings.append(make_finding(
            "config.inline_secrets", rule="inline_secrets", target=self.block.label, profile=self.ctx.profile,
            location=self.ctx.at(first), values={"block": self.block.label}, evidence=tuple(evidence),
            ossec_lines=lines))
        if len(present) == 1:
            self.findings.append(make_finding(
                "config.keys_incomplete", rule="keys_incomplete", target=self.block.label,
                profile=self.ctx.profile, location=self.ctx.at(first),
                values={"block": self.block.label, "present": present[0]}))


def check_legacy(ctx: ValidationContext, block: Block, source: BlockSource) -> list[Finding]:
    """``<bucket>name</bucket>``: empty is an error, otherwise a deprecation warning (and lost children)."""
    if source.legacy_content_empty:
        message = empty_message("bucket")
        return [make_finding("config.empty_content_error", rule="empty_content_error", target=block.label,
                             profile=ctx.profile, location=ctx.at(source.line),
                             values={"block": block.label, "tag": "bucket", "message": message},
                             ossec_lines=ctx.parser_lines(ParserMessage("ERROR", message)))]
    value = block.value("name") or ""
    warning = ctx.parser_lines(ParserMessage("WARNING", LEGACY, tagged=True))
    if not source.children:
        return [make_finding("config.legacy_bucket", rule="legacy_bucket", target=block.label,
                             profile=ctx.profile, location=ctx.at(source.line),
                             values={"value": value, "message": LEGACY}, ossec_lines=warning)]
    exit_code, lines = argparse_failure(ctx, block, "argument -b/--bucket: expected one argument")
    return [make_finding(
        "config.legacy_bucket_children", rule="legacy_bucket_children", target=block.label,
        profile=ctx.profile, location=ctx.at(source.line), values={"block": block.label},
        evidence=tuple(f"ignored: <{child.name}> (line {child.line})" for child in source.children),
        exit_code=exit_code, ossec_lines=warning + lines)]


def check_block(ctx: ValidationContext, block: Block, source: BlockSource) -> list[Finding]:
    """Parser-stage findings of one block (in file order)."""
    if block.kind == "subscriber" and not ctx.profile.has_subscribers:
        return []
    if source.legacy:
        checker = _BlockChecker(ctx, block, source)
        checker.check_keys()
        return check_legacy(ctx, block, source) + checker.findings
    checker = _BlockChecker(ctx, block, source)
    # C: a bucket without children is skipped before its type is even looked at.
    reads_type = block.kind != "bucket" or bool(source.children)
    if reads_type and checker.check_type() and source.children:
        checker.check_children()
    checker.check_keys()
    return checker.findings


