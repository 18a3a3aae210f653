"""Findings about the shared files themselves and about where a missing profile might be instead.

Kept apart from the resolution so ``credentials.py`` reads as the module's order of operations; these are
the lints and the "did you mean" hints around it (closest name, other users' homes, section naming).
"""

from __future__ import annotations

import contextlib
import difflib
import os
import pwd
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from diagnostics.aws.aws_files import AwsFile, FileKind, read_aws_file
from diagnostics.aws.prediction import Predictor
from diagnostics.findings import Finding, SourceLocation

MAX_SYNTAX_FINDINGS = 5
_NOT_PROFILES = ("sso-session", "services", "plugins", "preview")
"""Config sections that are legitimately not profiles, so they are not flagged as naming mistakes."""


def default_other_homes(module_home: Path, environ: Mapping[str, str]) -> tuple[Path, ...]:
    """Homes where a profile may have landed by mistake: /home/*, $SUDO_USER's, ours; never the module's."""
    candidates: list[Path] = []
    with contextlib.suppress(OSError):
        candidates.extend(sorted(path for path in Path("/home").iterdir() if path.is_dir()))
    sudo_user = environ.get("SUDO_USER")
    if sudo_user:
        with contextlib.suppress(KeyError):
            candidates.append(Path(pwd.getpwnam(sudo_user).pw_dir))
    candidates.append(Path(os.path.expanduser("~")))
    unique: list[Path] = []
    for home in candidates:
        if home != module_home and home not in unique:
            unique.append(home)
    return tuple(unique)


def file_findings(predictor: Predictor, aws_file: AwsFile, home: Path) -> list[Finding]:
    """What we learnt about one shared file: profiles with lines, or why it could not be read, and lints."""
    path = str(aws_file.path)
    location = SourceLocation(path)
    if not aws_file.exists:
        failure_id = ("credentials.credentials_file_missing" if aws_file.kind is FileKind.CREDENTIALS
                      else "credentials.config_file_missing")
        return [predictor.finding(failure_id, check_id="credentials.files", target=path, location=location,
                                  values={"path": path, "home": str(home)})]
    if aws_file.read_error is not None:
        return [predictor.finding("credentials.file_unreadable", check_id="credentials.files", target=path,
                                  location=location, values={"path": path, "error": aws_file.read_error})]
    listed = [f"[{section.header}] line {section.line}" for section in aws_file.sections]
    findings = [predictor.finding(
        "credentials.files_read", check_id="credentials.files", target=path, location=location,
        evidence=tuple(listed),
        values={"path": path, "count": len(aws_file.profile_names),
                "profiles": ", ".join(aws_file.profile_names) or "none"},
        details={"profiles": list(aws_file.profile_names),
                 "sections": [{"header": s.header, "line": s.line} for s in aws_file.sections]})]
    holds_secrets = any(section.has("aws_secret_access_key") for section in aws_file.sections)
    if aws_file.readable_by_others and (aws_file.kind is FileKind.CREDENTIALS or holds_secrets):
        findings.append(predictor.finding(
            "credentials.file_permissions", check_id="credentials.permissions", target=path,
            location=location, values={"path": path, "mode": f"{aws_file.mode or 0:04o}"}))
    for problem in aws_file.problems[:MAX_SYNTAX_FINDINGS]:
        findings.append(predictor.finding(
            "credentials.file_syntax", check_id="credentials.files", target=path,
            location=SourceLocation(path, problem.line),
            values={"path": path, "line": problem.line, "reason": problem.reason}))
    findings.extend(_naming_findings(predictor, aws_file))
    return findings


def _naming_findings(predictor: Predictor, aws_file: AwsFile) -> list[Finding]:
    """``[profile x]`` in the credentials file and ``[x]`` in the config file."""
    path = str(aws_file.path)
    findings = []
    for section in aws_file.sections:
        location = SourceLocation(path, section.line)
        values = {"path": path, "line": section.line, "header": section.header}
        if aws_file.kind is FileKind.CREDENTIALS and section.is_prefixed:
            findings.append(predictor.finding(
                "credentials.profile_prefixed_in_credentials", check_id="credentials.naming", target=path,
                location=location, values={**values, "name": section.header.split()[1]}))
        elif (aws_file.kind is FileKind.CONFIG and section.profile_name is None
              and not section.header.startswith(_NOT_PROFILES) and " " not in section.header.strip()):
            findings.append(predictor.finding(
                "credentials.config_section_unprefixed", check_id="credentials.naming", target=path,
                location=location, values={**values, "name": section.header}))
    return findings


def closest_profile(profile: str, files: Iterable[AwsFile]) -> tuple[str, str] | None:
    """The existing profile name nearest to ``profile`` (difflib) and the file holding it, or None."""
    owners: dict[str, str] = {}
    for aws_file in files:
        for name in aws_file.profile_names:
            owners.setdefault(name, str(aws_file.path))
        if aws_file.kind is FileKind.CONFIG:
            for header in aws_file.headers:
                owners.setdefault(header, str(aws_file.path))
    bare = {_without_prefix(name): name for name in owners if _without_prefix(name) != profile}
    bare.update({name: name for name in owners if name != profile and name not in bare})
    matches = difflib.get_close_matches(profile, list(bare), n=1, cutoff=0.6)
    if not matches:
        matches = [name for name in bare if name.lower() == profile.lower()][:1]
    return (matches[0], owners[bare[matches[0]]]) if matches else None


def _without_prefix(name: str) -> str:
    """``profile x`` → ``x``: a prefixed credentials section is the right profile under the wrong header."""
    parts = name.split()
    return parts[1] if len(parts) == 2 and parts[0] == "profile" else name


def other_home_copies(profile: str, homes: Sequence[Path]) -> list[tuple[Path, AwsFile]]:
    """Shared files in other homes that define ``profile`` (the sudo-home trap)."""
    found = []
    for home in homes:
        for name, kind in (("credentials", FileKind.CREDENTIALS), ("config", FileKind.CONFIG)):
            aws_file = read_aws_file(home / ".aws" / name, kind)
            if aws_file.readable and profile in aws_file.profile_names:
                found.append((home, aws_file))
    return found


def missing_profile_hints(predictor: Predictor, profile: str, files: Sequence[AwsFile],
                          homes: Sequence[Path], values: Mapping[str, object]) -> list[Finding]:
    """Why a profile may be missing: a near-miss name, or a copy in another user's home."""
    findings = []
    for home, aws_file in other_home_copies(profile, homes):
        section = aws_file.profile(profile)
        location = SourceLocation(str(aws_file.path), section.line if section else None)
        findings.append(predictor.finding(
            "credentials.profile_in_other_home", check_id="credentials.profile", location=location,
            values={**values, "profile": profile, "other_path": str(aws_file.path), "other_home": str(home)}))
    closest = closest_profile(profile, files)
    if closest is not None:
        findings.append(predictor.finding(
            "credentials.profile_closest", check_id="credentials.profile",
            values={**values, "profile": profile, "closest": closest[0], "where": closest[1]}))
    return findings
