"""Which regions a `<service>` block's run walks, and which region its clients really talk to.

Two lookups of the module's ``~/.aws/config`` disagree. Without ``<regions>`` the region list comes from
a section named exactly like the profile (``[prod]``, never ``[profile prod]``), else every region in the
module's list. The clients, though, take the profile's region wherever it is written, and that region wins
over the one the loop passes. Both are modelled here so the checks can say which region each iteration
reads, and warn when the loop's regions are not the ones read.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from diagnostics.aws.aws_files import AwsFile, FileKind, read_aws_file
from diagnostics.wazuh.regions import ALL_REGIONS, INSPECTOR_REGIONS
from diagnostics.wazuh.wodle import Block


@dataclass(frozen=True)
class ServiceRegions:
    """The loop's regions, where they came from, and the region the clients use instead (if any)."""

    loop_regions: tuple[str, ...]
    """In the module's order: ``<regions>`` without duplicates and sorted, or its own list's order."""
    origin: str
    """``<regions>``, ``[<section>] in <file>`` or ``every region in the module's list``."""
    client_region: str | None
    """The profile's region from the module's ~/.aws/config, which overrides each loop region; None if unset."""
    profile_section: str

    def region_read(self, loop_region: str) -> str:
        """The region a client built for ``loop_region`` really talks to."""
        return self.client_region or loop_region

    @property
    def overridden(self) -> tuple[str, ...]:
        """Loop regions whose client reads another region."""
        return tuple(region for region in self.loop_regions if self.region_read(region) != region)


def _section(config: AwsFile, header: str) -> tuple[str, str | None] | None:
    for section in config.sections:
        if section.header == header:
            return header, section.value("region")
    return None


def service_regions(block: Block, module_home: Path) -> ServiceRegions:
    """The module's view of regions for one service block, from the block and root's ~/.aws/config."""
    config = read_aws_file(module_home / ".aws" / "config", FileKind.CONFIG)
    profile = block.value("aws_profile")
    plain_name = profile or "default"
    plain = _section(config, plain_name) if config.readable else None
    client_section = plain or (_section(config, f"profile {profile}") if profile and config.readable else None)
    client_region = client_section[1] if client_section else None
    configured = tuple(sorted({part.strip() for part in (block.value("regions") or "").split(",") if part.strip()}))
    every = tuple(sorted(INSPECTOR_REGIONS if block.block_type == "inspector" else ALL_REGIONS))
    if configured:
        loop, origin = configured, "<regions>"
    elif plain is not None and plain[1]:
        loop, origin = (plain[1],), f"[{plain_name}] in {config.path}"
    else:
        loop, origin = every, "every region in the module's list"
    return ServiceRegions(loop, origin, client_region, plain_name)


def reached_regions(regions: ServiceRegions, block: Block, installed: frozenset[str] | None = None) -> ServiceRegions:
    """The loop cut at the first region the module refuses (exit 22 when the loop reaches it), since a service
    checks each region only when its turn comes: the regions after it are never read."""
    allowed = INSPECTOR_REGIONS if block.block_type == "inspector" else (installed or ALL_REGIONS)
    kept: list[str] = []
    for region in regions.loop_regions:
        if region not in allowed:
            break
        kept.append(region)
    return replace(regions, loop_regions=tuple(kept))
