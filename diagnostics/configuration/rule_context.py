"""Shared helpers of the configuration checks: finding construction and the ossec.log lines each stage writes.

Two stages report problems differently. The C parser logs with ``merror``/``mwarn`` (tag
``wazuh-modulesd:``) or ``mterror``/``mtwarn`` (tag ``wazuh-modulesd:aws-s3:``) when wazuh-modulesd starts,
and an error there stops the daemon. The Python script fails per run, and the C side then logs
``Returned exit code N``. Both are predicted here so every rule module renders them the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any

from diagnostics.configuration.source import WodleSource
from diagnostics.explanations import build_finding
from diagnostics.findings import Finding, SourceLocation, Status
from diagnostics.wazuh import ossec_log
from diagnostics.wazuh.command_line import debug_argument, display_command
from diagnostics.wazuh.versions import WazuhProfile
from diagnostics.wazuh.wodle import Block, Wodle

MODULESD = "wazuh-modulesd"
WAZUH_CONFIG_NAME = "etc/ossec.conf"
"""How the daemons name the file in their messages (they run from the Wazuh home)."""


@dataclass(frozen=True)
class ParserMessage:
    """One line the C parser logs: level, text and whether it carries the ``aws-s3`` tag (mt* functions)."""

    level: str
    text: str
    tagged: bool = False


def parser_log(messages: Sequence[ParserMessage], when: datetime) -> tuple[str, ...]:
    """ossec.log lines for parser messages (the parser logs through ``merror``, so no ``:aws-s3`` tag)."""
    stamp = when.strftime(ossec_log.TIME_FORMAT)
    return tuple(f"{stamp} {ossec_log.TAG if message.tagged else MODULESD}: {message.level}: {message.text}"
                 for message in messages)


def now_utc(when: datetime | None) -> datetime:
    """The fixed clock when given, else the real UTC time."""
    return when or datetime.now(timezone.utc)


def make_finding(
    failure_id: str,
    *,
    rule: str,
    target: str,
    profile: WazuhProfile,
    location: SourceLocation | None,
    values: Mapping[str, Any] | None = None,
    evidence: tuple[str, ...] = (),
    ossec_lines: tuple[str, ...] = (),
    exit_code: int | None = None,
    status: Status | None = None,
    details: Mapping[str, Any] | None = None,
) -> Finding:
    """A table-driven finding with explicitly predicted exit code and log lines (``config.<rule>`` id)."""
    finding = build_finding(failure_id, check_id=f"config.{rule}", target=target, profile=profile,
                            status=status, evidence=evidence, location=location, values=values,
                            details=details)
    return replace(finding, wazuh_exit_code=exit_code, ossec_log=ossec_lines)


@dataclass(frozen=True)
class RunContext:
    """What the C side knows about one block's run: its title, preamble lines and the debug level."""

    block: Block
    wodle: Wodle
    profile: WazuhProfile
    debug_level: int
    when: datetime

    @property
    def title(self) -> ossec_log.RunTitle:
        """``Bucket: <acct>(<alias>)  - ``, ``Service: <type> ...`` or ``Subscriber: <type> <queue>  - ``."""
        block = self.block
        if block.kind == "service":
            detail = " ".join(part for part in (block.block_type, block.value("aws_account_id")) if part)
            alias = block.value("aws_account_alias")
            return ossec_log.RunTitle("Service", f" {detail}" + (f"({alias})" if alias else ""))
        if block.kind == "subscriber":
            return ossec_log.RunTitle.for_subscriber(block.block_type or "", block.value("sqs_name"))
        return ossec_log.RunTitle.for_bucket(block.value("aws_account_id"), block.value("aws_account_alias"))

    @property
    def executing_line(self) -> str:
        """The INFO line logged before the run."""
        block = self.block
        if block.kind == "service":
            return ossec_log.executing_service_line(
                block.block_type or "unknown_type", block.value("aws_account_id"),
                block.value("aws_account_alias"), block.value("aws_profile"))
        if block.kind == "subscriber":
            return (f"Executing Subscriber fetch: (Type and SQS: {block.block_type or 'unknown_type'} "
                    f"{block.value('sqs_name') or 'unknown_queue'})")
        return ossec_log.executing_bucket_line(
            block.value("name"), block.value("path"), block.value("path_suffix"), block.block_type,
            block.value("aws_account_id"), block.value("aws_account_alias"),
            block.value("aws_organization_id"), block.value("aws_profile"))

    @property
    def preamble(self) -> tuple[tuple[str, str], ...]:
        """C lines before the script's output: the INFO line, then debug lines with the (masked) command."""
        lines: list[tuple[str, str]] = [("INFO", self.executing_line)]
        if self.debug_level >= 2:
            lines.append(("DEBUG", "Create argument list"))
        if self.debug_level >= 1:
            launching = "Launching S3 Subscriber Command" if self.block.kind == "subscriber" \
                else "Launching S3 Command"
            command = display_command(self.block, self.wodle, self.profile, self.debug_level)
            lines.append(("DEBUG", f"{launching}: {command}"))
        return tuple(lines)

    def banner(self) -> list[str]:
        """The script's first line at debug >= 1, printed after argparse succeeded."""
        level = debug_argument(self.debug_level)
        return [f"DEBUG: +++ Debug mode on - Level: {level}"] if level is not None else []

    def run_lines(self, exit_code: int, output: str) -> tuple[str, ...]:
        """Preamble plus wm_aws.c's after-run lines for a run that ended with ``exit_code`` and printed ``output``."""
        after = ossec_log.c_lines_after_run(self.title, exit_code, output, self.debug_level)
        pairs = list(self.preamble) + after
        return ossec_log.render(pairs, self.when)

    def script_failure(self, message: str | None, exit_code: int, *, catch_all: bool = False,
                       debug_only: bool = False) -> tuple[int, tuple[str, ...]]:
        """Exit code and log lines of a failure raised after argument parsing (what the debug level lets through)."""
        result = ossec_log.script_failure(exit_code, message, self.debug_level, catch_all=catch_all,
                                          debug_only=debug_only)
        output = "\n".join(self.banner() + ([result.output] if result.output else []))
        return result.exit_code, self.run_lines(result.exit_code, output)


@dataclass(frozen=True)
class ValidationContext:
    """Everything a rule needs about one wodle: where it is, the version, the debug level, the clock."""

    path: str
    wodle: Wodle
    source: WodleSource
    profile: WazuhProfile
    debug_level: int
    when: datetime
    regions: frozenset[str]
    """The module's ALL_REGIONS (installed list when found)."""
    regions_from_installation: bool
    role_duration_limit: int

    def at(self, line: int | None) -> SourceLocation:
        """A location in the configuration file."""
        return SourceLocation(self.path, line)

    def run(self, block: Block) -> RunContext:
        """The C run context of a block."""
        return RunContext(block, self.wodle, self.profile, self.debug_level, self.when)

    def parser_lines(self, *messages: ParserMessage) -> tuple[str, ...]:
        """Parser-stage ossec.log lines at this context's time."""
        return parser_log(messages, self.when)
