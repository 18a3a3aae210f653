"""Where and as whom the module runs, passed down explicitly so tests and the demo swap it wholesale."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from diagnostics.wazuh.versions import WazuhProfile, assumed_profile

DEFAULT_WAZUH_HOME = Path("/var/ossec")


@dataclass(frozen=True)
class DoctorContext:
    """Everything a check needs to know about its surroundings, resolved once per command."""

    wazuh_home: Path = DEFAULT_WAZUH_HOME
    config_path: Path = DEFAULT_WAZUH_HOME / "etc" / "ossec.conf"
    endpoint_url: str | None = None
    """Override for every S3 client (``--endpoint-url``, ``AWS_ENDPOINT_URL_S3``)."""
    module_home: Path = Path("/root")
    """Home directory of the user wazuh-modulesd runs as (root), whose ``~/.aws`` the module reads."""
    environ: Mapping[str, str] = field(default_factory=dict)
    """Environment the module would see; by default our own (the admin runs us as the module would run)."""
    profile: WazuhProfile = field(default_factory=assumed_profile)
    debug_level: int = 0
    """``wazuh_modules.debug`` as read from local_internal_options.conf (0-2)."""
    now: datetime | None = None
    """Fixed clock for deterministic output; None means the real time."""

    def clock(self) -> datetime:
        """Current UTC time, or the fixed one."""
        return self.now or datetime.now(timezone.utc)

    def with_changes(self, **changes: object) -> DoctorContext:
        """A copy with some fields replaced."""
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def state_db_path(self) -> Path:
        """The module's bucket state database."""
        return self.wazuh_home / "wodles" / "aws" / "s3_cloudtrail.db"

    @property
    def services_db_path(self) -> Path:
        """The module's services state database."""
        return self.wazuh_home / "wodles" / "aws" / "aws_services.db"

    @property
    def ossec_log_path(self) -> Path:
        """The manager's main log."""
        return self.wazuh_home / "logs" / "ossec.log"


def context_from_environment(
    config_path: str | None = None,
    wazuh_home: str | None = None,
    endpoint_url: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> DoctorContext:
    """Resolve the context with CLI > environment > default precedence (version detection comes later)."""
    env = dict(os.environ if environ is None else environ)
    home = Path(wazuh_home or env.get("WAZUH_HOME") or DEFAULT_WAZUH_HOME)
    config = Path(config_path) if config_path else home / "etc" / "ossec.conf"
    endpoint = endpoint_url or env.get("AWS_ENDPOINT_URL_S3") or None
    module_home = Path(env.get("WAZUH_AWS_DOCTOR_MODULE_HOME", "/root"))
    return DoctorContext(wazuh_home=home, config_path=config, endpoint_url=endpoint, module_home=module_home,
                         environ=env)
