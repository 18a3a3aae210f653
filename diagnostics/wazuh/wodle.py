"""The aws-s3 wodle as configured: blocks and options with their file:line, as the loader found them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from diagnostics.findings import Finding, SourceLocation

BUCKET_TYPES = ("cloudtrail", "config", "custom", "guardduty", "vpcflow", "cisco_umbrella", "waf", "alb",
                "clb", "nlb", "server_access")
SERVICE_TYPES = ("inspector", "cloudwatchlogs")
SUBSCRIBER_TYPES = ("security_lake", "buckets", "security_hub")


@dataclass(frozen=True)
class Option:
    """One child tag: its text (stripped, as Wazuh reads it), attributes and line."""

    name: str
    value: str
    line: int | None = None
    attributes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Block:
    """A ``<bucket>``, ``<service>`` or ``<subscriber>`` block of one wodle."""

    kind: str
    """``bucket``, ``service`` or ``subscriber``."""
    block_type: str | None
    """The ``type`` attribute (None when missing)."""
    location: SourceLocation
    options: Mapping[str, Option] = field(default_factory=dict)
    """Child tags by name; when a tag repeats, the last one (as Wazuh keeps it)."""
    index: int = 0
    """Position among the blocks of its wodle, to tell identical blocks apart."""
    discard_regex: Option | None = None

    def value(self, name: str) -> str | None:
        """The text of a child tag, or None when absent or empty (Wazuh ignores most empty tags)."""
        option = self.options.get(name)
        return option.value if option is not None and option.value != "" else None

    def line_of(self, name: str) -> SourceLocation:
        """Where a child tag sits, falling back to the block's own line."""
        option = self.options.get(name)
        if option is not None and option.line is not None:
            return SourceLocation(self.location.path, option.line)
        return self.location

    @property
    def name(self) -> str | None:
        """Bucket name (buckets), queue name (subscribers) or None."""
        return self.value("sqs_name") if self.kind == "subscriber" else self.value("name")

    @property
    def label(self) -> str:
        """Short human label: ``bucket my-trail (cloudtrail)``."""
        ident = self.name or ("unnamed" if self.kind != "service" else "")
        kind_type = self.block_type or "no type"
        return f"{self.kind} {ident} ({kind_type})".replace("  ", " ")

    @property
    def key(self) -> str:
        """Stable identifier inside a configuration: kind, name or type, and position."""
        return f"{self.kind}:{self.name or self.block_type or '?'}#{self.index}"


@dataclass(frozen=True)
class Wodle:
    """One ``<wodle name="aws-s3">`` element: its top-level options and blocks."""

    location: SourceLocation
    options: Mapping[str, Option] = field(default_factory=dict)
    blocks: tuple[Block, ...] = ()
    index: int = 0

    def value(self, name: str) -> str | None:
        """Text of a top-level option, or None."""
        option = self.options.get(name)
        return option.value if option is not None and option.value != "" else None

    @property
    def disabled(self) -> bool:
        """True when ``<disabled>yes</disabled>``."""
        return (self.value("disabled") or "no") == "yes"


@dataclass(frozen=True)
class LoadedConfig:
    """Result of reading ossec.conf: the wodles found and what the loader and validators said."""

    path: str
    wodles: tuple[Wodle, ...] = ()
    findings: tuple[Finding, ...] = ()

    @property
    def blocks(self) -> tuple[Block, ...]:
        """Every block of every wodle, in file order."""
        return tuple(block for wodle in self.wodles for block in wodle.blocks)

    def find_bucket(self, name: str) -> Block | None:
        """The first bucket block with this name."""
        for block in self.blocks:
            if block.kind == "bucket" and block.name == name:
                return block
        return None
