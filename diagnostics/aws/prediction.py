"""Findings with the module's predicted exit and ossec.log lines for one block, first failure only.

The module stops at its first failure, so within one run of checks only the first finding that carries
an exit code gets the predicted lines; later ones keep their explanation but say the module never
reaches them. The run title and the ``Executing ... Analysis`` preamble are built like wm_aws.c does.
"""

from __future__ import annotations

import configparser
import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from diagnostics.aws.access_probes import CallOutcome
from diagnostics.context import DoctorContext
from diagnostics.explanations import build_finding
from diagnostics.findings import Finding, SourceLocation, Status
from diagnostics.wazuh import ossec_log
from diagnostics.wazuh.wodle import Block


def run_title(block: Block) -> ossec_log.RunTitle:
    """The C side's title for the block's run (``Bucket:  - `` for buckets without account and alias)."""
    if block.kind == "service":
        return ossec_log.RunTitle.for_service(block.block_type or "")
    if block.kind == "subscriber":
        return ossec_log.RunTitle.for_subscriber(block.block_type or "", block.value("sqs_name"))
    return ossec_log.RunTitle.for_bucket(block.value("aws_account_id"), block.value("aws_account_alias"))


def preamble(block: Block) -> tuple[tuple[str, str], ...]:
    """The INFO line the C side logs before running the block."""
    if block.kind == "service":
        line = ossec_log.executing_service_line(block.block_type or "", block.value("aws_account_id"),
                                                block.value("aws_account_alias"), block.value("aws_profile"))
    elif block.kind == "subscriber":
        parts = " ".join(part for part in (block.block_type, block.value("sqs_name")) if part)
        line = f"Executing Subscriber fetch: (Type and SQS: {parts})"
    else:
        line = ossec_log.executing_bucket_line(
            block.name, path=block.value("path"), path_suffix=block.value("path_suffix"),
            bucket_type=block.block_type, account_ids=block.value("aws_account_id"),
            alias=block.value("aws_account_alias"), organization_id=block.value("aws_organization_id"),
            profile=block.value("aws_profile"))
    return (("INFO", line),)


RETRY_KEYS = ("max_attempts", "retry_mode")


def client_config_lines(config_path: Path, profile: str | None) -> tuple[tuple[int, str], ...]:
    """The (level, text) lines the script prints while building its client configuration, before its walk.

    They depend only on the module's ``~/.aws/config``: absent, the retry defaults are announced; present,
    the profile's region and retry settings are (wording recorded from 4.14.7 in
    tests/goldens/module_4_14_7/debug_preamble_*). A missing section ends the run elsewhere (exit 23).
    """
    if not config_path.is_file():
        return ((2, "Generating default configuration for retries: mode standard - max_attempts 10"),)
    parser = configparser.RawConfigParser()
    try:
        parser.read(config_path)
    except (configparser.Error, OSError, UnicodeDecodeError):
        return ()
    section = "default" if profile is None else profile if profile in parser.sections() else f"profile {profile}"
    if not parser.has_section(section):
        return ()
    options = dict(parser.items(section))
    region = options.get("region")
    lines = [(2, f"+++ Region '{region}' added to the configuration") if region is not None
             else (2, f"+++ No 'region' found in profile '{section}'")]
    if any(key in options for key in RETRY_KEYS):
        lines.append((2, f"Retries parameters found in user profile. Using profile '{section}' retries "
                         "configuration"))
    else:
        lines.append((2, "No retries configuration found in profile config. Generating default configuration for "
                         "retries: mode: standard - max_attempts: 10"))
    lines.append((2, f"Created Config object using profile: '{section}' configuration"))
    return tuple(lines)


class Predictor:
    """Builds a block's findings in module order, predicting the exit only for the first failure."""

    def __init__(self, block: Block, context: DoctorContext, stopped_with: int | None = None) -> None:
        self.block = block
        self.context = context
        self.stopped_with = stopped_with
        """Exit of the first predicted failure (maybe of an earlier stage); later failures are not reached."""

    @property
    def target(self) -> str:
        """What the findings are about: the bucket (or queue) name, else the block label."""
        return self.block.name or self.block.label

    def finding(
        self,
        failure_id: str,
        *,
        check_id: str,
        evidence: tuple[str, ...] = (),
        values: Mapping[str, Any] | None = None,
        location: SourceLocation | None = None,
        status: Status | None = None,
        details: Mapping[str, Any] | None = None,
        target: str | None = None,
        reached: bool = True,
    ) -> Finding:
        """A table finding; ``reached=False`` marks a step the module itself never performs."""
        predict = reached and self.stopped_with is None
        finding = build_finding(
            failure_id, check_id=check_id, target=target or self.target, profile=self.context.profile,
            status=status, evidence=evidence, location=location, values=values,
            title=run_title(self.block) if predict else None, debug_level=self.context.debug_level,
            preamble=preamble(self.block), when=self.context.clock(), details=details)
        if finding.wazuh_exit_code is None:
            return finding
        if predict:
            self.stopped_with = finding.wazuh_exit_code
            return finding
        note = (f"the module stops earlier (exit {self.stopped_with}) and never reaches this step"
                if reached else "the module itself does not make this call")
        return dataclasses.replace(finding, wazuh_exit_code=None, evidence=(*finding.evidence, note))


@dataclass
class FindingChain:
    """The findings of one block's chain of calls, each with the call's evidence and the chain's values."""

    predictor: Predictor
    values: dict[str, Any]
    findings: list[Finding] = field(default_factory=list)

    def record(self, failure_id: str, check_id: str, outcome: CallOutcome | None = None,
               evidence: tuple[str, ...] = (), reached: bool = True, **values: Any) -> Finding:
        """Append a table finding: the outcome's code, message and error text fill the explanation."""
        merged = {**self.values, **values}
        if outcome is not None:
            merged.setdefault("code", outcome.code or outcome.kind)
            merged.setdefault("message", (outcome.message or outcome.error_text).rstrip("."))
            merged.setdefault("error", outcome.error_text)
        facts = ((outcome.evidence(),) if outcome is not None else ()) + evidence
        finding = self.predictor.finding(failure_id, check_id=check_id, evidence=facts, values=merged,
                                         reached=reached, location=merged.get("location"))
        self.findings.append(finding)
        return finding
