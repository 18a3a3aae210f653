"""Which Wazuh is installed and how it starts the aws-s3 script, read from files only (nothing is executed).

The version decides many behaviours (see wazuh/versions.py), so it is read from where installations write
it: ``VERSION="v4.x.y"`` in ``bin/wazuh-control`` (what ``wazuh-control info`` prints and what the module
itself reads), ``etc/ossec-init.conf`` in releases before 4.2, a ``VERSION``/``VERSION.json`` file, or the
framework package. When none is found, the newest 4.x behaviour is assumed and the profile says so.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from diagnostics.wazuh.versions import Version, WazuhProfile, assumed_profile, parse_version, profile_for

DEFAULT_HOME = Path("/var/ossec")
ENTRY_POINT = Path("wodles") / "aws" / "aws-s3"
EMBEDDED_PYTHON = Path("framework") / "python" / "bin" / "python3"
_READ_LIMIT = 256 * 1024
_ASSIGNED_VERSION = re.compile(r"""^\s*(?:WAZUH_)?VERSION\s*=\s*["']?v?(\d+\.\d+(?:\.\d+)?)""", re.MULTILINE)
_PY_VERSION = re.compile(r"""^__version__\s*=\s*["'](\d+\.\d+(?:\.\d+)?)""", re.MULTILINE)


@dataclass(frozen=True)
class ModuleEntry:
    """``wodles/aws/aws-s3``: a shell wrapper (4.x managers) or the Python script itself (5.0, agents)."""

    path: Path
    kind: str
    """``wrapper``, ``script`` or ``unknown``."""
    interpreter: str | None
    """The Python that runs the module: the embedded one for the wrapper, the shebang's for a script."""
    python_script: Path | None
    """The Python file that actually runs (``aws-s3.py`` next to the wrapper, or the entry itself)."""
    interpreter_exists: bool | None = None
    """Whether the interpreter path exists (None when it is looked up on PATH)."""


def _read_text(path: Path) -> str | None:
    try:
        if not path.is_file():
            return None
        with path.open("rb") as handle:
            return handle.read(_READ_LIMIT).decode("utf-8", errors="replace")
    except OSError:
        return None


def _assigned_version(path: Path) -> Version | None:
    text = _read_text(path)
    if text is None:
        return None
    match = _ASSIGNED_VERSION.search(text)
    return parse_version(match.group(1)) if match else None


def _json_version(path: Path) -> Version | None:
    text = _read_text(path)
    if text is None:
        return None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    value = data.get("version") if isinstance(data, dict) else None
    return parse_version(value) if isinstance(value, str) else None


def _plain_version(path: Path) -> Version | None:
    text = _read_text(path)
    return parse_version(text.strip()[:40]) if text else None


def _framework_version(home: Path) -> tuple[Version, Path] | None:
    lib = home / "framework" / "python" / "lib"
    try:
        candidates = sorted(lib.glob("python3*/site-packages/wazuh/__init__.py"))[:5]
    except OSError:
        return None
    for candidate in candidates:
        text = _read_text(candidate)
        match = _PY_VERSION.search(text or "")
        version = parse_version(match.group(1)) if match else None
        if version is not None:
            return version, candidate
    return None


def _version_sources(home: Path, legacy_init_conf: Path | None) -> list[tuple[Path, str]]:
    sources = [(home / "bin" / "wazuh-control", "assigned"), (home / "etc" / "ossec-init.conf", "assigned")]
    if legacy_init_conf is not None:
        sources.append((legacy_init_conf, "assigned"))
    sources += [(home / "VERSION.json", "json"), (home / "VERSION", "plain")]
    return sources


def detect_profile(wazuh_home: Path, *, legacy_init_conf: Path | None = None) -> WazuhProfile:
    """The installed version's behaviour profile, or ``assumed_profile()`` with the reason when unknown.

    ``legacy_init_conf`` is the system-wide ``/etc/ossec-init.conf`` of pre-4.2 releases; it is consulted
    by default only for the standard home, so a test or a copied tree never picks up the host's file.
    """
    home = Path(wazuh_home)
    if legacy_init_conf is None and home == DEFAULT_HOME:
        legacy_init_conf = Path("/etc/ossec-init.conf")
    readers = {"assigned": _assigned_version, "json": _json_version, "plain": _plain_version}
    for path, kind in _version_sources(home, legacy_init_conf):
        version = readers[kind](path)
        if version is not None:
            return profile_for(version, f"{path}")
    framework = _framework_version(home)
    if framework is not None:
        return profile_for(framework[0], str(framework[1]))
    entry = module_entry_point(home)
    if entry is not None and entry.kind == "wrapper":
        return assumed_profile(f"no version file under {home}; {entry.path} is the 4.x shell wrapper, so the "
                               "newest 4.x behaviour is assumed")
    if entry is not None and entry.kind == "script" and (home / EMBEDDED_PYTHON).exists():
        return WazuhProfile(version=(5, 0, 0), known=False,
                            source=f"no version file under {home}; {entry.path} is the Python script itself "
                                   "and the embedded Python exists, as in 5.0: 5.0 behaviour is assumed")
    if home.is_dir():
        return assumed_profile(f"no Wazuh version found under {home}; assuming the newest 4.x behaviour")
    return assumed_profile()


def _shebang(text: str) -> str | None:
    first = text.split("\n", 1)[0].strip()
    return first[2:].strip() if first.startswith("#!") else None


def module_entry_point(wazuh_home: Path) -> ModuleEntry | None:
    """How ``wodles/aws/aws-s3`` runs: wrapper or script, and with which Python; None when it is absent."""
    home = Path(wazuh_home)
    path = home / ENTRY_POINT
    text = _read_text(path)
    if text is None:
        return None
    shebang = _shebang(text)
    if shebang is not None and "python" in shebang:
        interpreter = shebang.split()[-1] if shebang.startswith("/usr/bin/env") else shebang.split()[0]
        exists = None if shebang.startswith("/usr/bin/env") else Path(interpreter).exists()
        return ModuleEntry(path, "script", interpreter, path, exists)
    if (shebang is not None and ("sh" in shebang.split("/")[-1])) or "WPYTHON_BIN" in text:
        match = re.search(r"""WPYTHON_BIN\s*=\s*["']?([^"'\s]+)""", text)
        interpreter_path = home / (match.group(1) if match else EMBEDDED_PYTHON)
        return ModuleEntry(path, "wrapper", str(interpreter_path), path.with_name(path.name + ".py"),
                           interpreter_path.exists())
    return ModuleEntry(path, "unknown", None, None, None)
