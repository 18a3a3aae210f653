"""Behaviour profiles per Wazuh version, so "what would version X do" is one parameter, not scattered ifs."""

from __future__ import annotations

import re
from dataclasses import dataclass

Version = tuple[int, int, int]


def parse_version(text: str) -> Version | None:
    """Read ``v4.14.7`` / ``4.14.7`` / ``Wazuh v4.8.0`` into a tuple, or None when there is no version."""
    match = re.search(r"(\d+)\.(\d+)(?:\.(\d+))?", text)
    if not match:
        return None
    return int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)


@dataclass(frozen=True)
class WazuhProfile:
    """The module behaviours that changed between versions, so one check predicts each release right."""

    version: Version
    known: bool
    """False when no installation was found and the newest behaviour is assumed."""
    source: str
    """Where the version came from (file path) or why it was assumed."""

    @property
    def label(self) -> str:
        """Human form such as ``4.14.7``, or ``4.14.7 (assumed)`` when not detected (``source`` says why)."""
        text = ".".join(str(part) for part in self.version)
        return text if self.known else f"{text} (assumed)"

    @property
    def every_client_error_is_exit_3(self) -> bool:
        """Up to 4.3.x every S3 ClientError in check_bucket was exit 3 (Wazuh PR #14500 changed it)."""
        return self.version < (4, 4, 0)

    @property
    def calls_head_bucket(self) -> bool:
        """Old releases (the write-up's era) probed with HeadBucket; current ones list with a delimiter."""
        return self.version < (4, 4, 0)

    @property
    def quotes_arguments(self) -> bool:
        """5.0 quotes profile, alias, prefixes and discard options; 4.x splits them on spaces (exit 2)."""
        return self.version >= (5, 0, 0)

    @property
    def rewinds_one_day(self) -> bool:
        """5.0 moves the CloudTrail and load-balancer marker back one day to catch late files."""
        return self.version >= (5, 0, 0)

    @property
    def guardduty_firehose_supported(self) -> bool:
        """4.x still reads GuardDuty via Firehose like a custom bucket; 5.0 exits 12."""
        return self.version < (5, 0, 0)

    @property
    def guardduty_day_rewind(self) -> bool:
        """Since 4.14.5 the GuardDuty marker is cut back to its day folder."""
        return self.version >= (4, 14, 5)

    @property
    def config_year_relist(self) -> bool:
        """Since 4.9.1 the Config marker is cut to the year folder and files are date-sorted."""
        return self.version >= (4, 9, 1)

    @property
    def checks_region_list(self) -> bool:
        """Since 4.10 bucket regions must be in the module's ALL_REGIONS list (else exit 22)."""
        return self.version >= (4, 10, 0)

    @property
    def lb_per_region_marker(self) -> bool:
        """5.x keeps per-region markers for load balancers; 4.x reuses one region's last key."""
        return self.version >= (5, 0, 0)

    @property
    def has_subscribers(self) -> bool:
        """SQS subscribers exist since 4.7."""
        return self.version >= (4, 7, 0)

    @property
    def script_name(self) -> str:
        """The program name argparse prints in usage errors."""
        return "aws-s3" if self.version >= (5, 0, 0) else "aws-s3.py"


NEWEST_4X: Version = (4, 14, 7)


def assumed_profile(reason: str = "no Wazuh installation found; assuming the newest 4.x behaviour") -> WazuhProfile:
    """The profile used when no installation can be read: the newest 4.x, stated as an assumption."""
    return WazuhProfile(version=NEWEST_4X, known=False, source=reason)


def profile_for(version: Version, source: str) -> WazuhProfile:
    """A detected version's profile."""
    return WazuhProfile(version=version, known=True, source=source)
