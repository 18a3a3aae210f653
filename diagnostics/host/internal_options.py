"""``wazuh_modules.debug`` as wazuh-modulesd reads it, because it decides what ossec.log can show.

The daemon reads ``etc/local_internal_options.conf`` first, then ``etc/internal_options.conf`` (the first
matching line wins; lines starting with ``#`` or a space are skipped). A value that is not all digits or
lies outside 0-2 stops wazuh-modulesd (error 2302). ``wazuh-control enable debug`` adds ``-d`` to every
daemon, which overrides the option.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from diagnostics.explanations import build_finding
from diagnostics.findings import Finding, SourceLocation
from diagnostics.wazuh.versions import WazuhProfile, assumed_profile

HIGH_NAME, LOW_NAME = "wazuh_modules", "debug"
LOCAL_FILE = Path("etc") / "local_internal_options.conf"
DEFAULT_FILE = Path("etc") / "internal_options.conf"
PROCESS_LIST = Path("bin") / ".process_list"
_MAX_LINE = 1024
_DIGITS = re.compile(r"[0-9]*")


@dataclass(frozen=True)
class DebugSetting:
    """The effective debug level of wazuh-modulesd (0-2), where it was read, and what ossec.log shows."""

    level: int
    location: SourceLocation | None
    findings: tuple[Finding, ...]
    raw: str | None = None
    """The value as written, when one was found."""
    from_command_line: bool = False
    """True when ``wazuh-control enable debug`` (``-d``) sets the level instead of the option."""


@dataclass(frozen=True)
class _Definition:
    value: str
    path: Path
    line: int


def _find_definition(path: Path) -> _Definition | None:
    """``_read_file``: the first ``wazuh_modules.debug=...`` line, parsed exactly as the C code does."""
    try:
        data = path.read_bytes()[:4 * 1024 * 1024]
    except OSError:
        return None
    text = data.decode("utf-8", errors="replace")
    for number, line in enumerate(text.split("\n"), 1):
        line = line[:_MAX_LINE]
        if not line or line[0] in "# ":
            continue
        high, dot, rest = line.partition(".")
        if not dot or high != HIGH_NAME:
            continue
        low, equals, value = rest.partition("=")
        if not equals or low.rstrip(" ") != LOW_NAME:
            continue
        value = value.lstrip(" ").split("\r")[0]
        return _Definition(value, path, number)
    return None


def _cli_debug(wazuh_home: Path) -> int:
    """Number of ``d`` in ``DEBUG_CLI="-d..."`` in ``bin/.process_list`` (the last assignment wins)."""
    try:
        text = (wazuh_home / PROCESS_LIST).read_text(errors="replace")[:65536]
    except OSError:
        return 0
    level = 0
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("DEBUG_CLI="):
            flags = line.partition("=")[2].strip().strip("\"'")
            level = flags.count("d") if flags.startswith("-") else 0
    return level


def _meaning(level: int, profile: WazuhProfile, location: SourceLocation | None, raw: str | None,
             source: str) -> Finding:
    return build_finding(f"config.debug_level_{min(level, 2)}", check_id="config.debug_level",
                         target="wazuh_modules.debug", profile=profile, location=location,
                         values={"level": level, "raw": raw if raw is not None else "(not set)",
                                 "source": source})


def read_debug_level(wazuh_home: Path, *, profile: WazuhProfile | None = None) -> DebugSetting:
    """The debug level the module runs with, plus a finding saying what ossec.log shows at that level."""
    profile = profile or assumed_profile()
    home = Path(wazuh_home)
    definition = _find_definition(home / LOCAL_FILE) or _find_definition(home / DEFAULT_FILE)
    findings: list[Finding] = []
    level, location, raw = 0, None, None
    if definition is None:
        default = home / DEFAULT_FILE
        failure = "config.debug_level_missing" if default.is_file() else "config.debug_level_not_found"
        findings.append(build_finding(failure, check_id="config.debug_level", target="wazuh_modules.debug",
                                      profile=profile, location=SourceLocation(str(default)),
                                      values={"path": str(default)}))
    else:
        raw, location = definition.value, SourceLocation(str(definition.path), definition.line)
        digits_only = _DIGITS.fullmatch(definition.value) is not None
        if digits_only:
            level = int(definition.value or "0") if len(definition.value) < 20 else 99
        if not digits_only or level > 2:
            findings.append(build_finding(
                "config.debug_level_invalid", check_id="config.debug_level", target="wazuh_modules.debug",
                profile=profile, location=location,
                values={"raw": raw,
                        "message": f"(2302): Invalid definition for {HIGH_NAME}.{LOW_NAME}: '{raw}'."}))
        level = max(0, min(level, 2))
    cli = _cli_debug(home)
    source = str(location) if location else "default"
    if cli:
        level = min(cli, 2)
        source = f"{home / PROCESS_LIST} (wazuh-control enable debug)"
        findings.append(build_finding("config.debug_level_cli", check_id="config.debug_level",
                                      target="wazuh_modules.debug", profile=profile,
                                      location=SourceLocation(str(home / PROCESS_LIST)),
                                      values={"level": level, "raw": raw or "(not set)"}))
    findings.append(_meaning(level, profile, location, raw, source))
    return DebugSetting(level=level, location=location, findings=tuple(findings), raw=raw,
                        from_command_line=bool(cli))
