"""A tolerant reader of ~/.aws/credentials and ~/.aws/config that keeps line numbers and drops secrets.

botocore and the module both parse these files with configparser, which stops at the first problem and
forgets where things were. We read them line by line instead, so every finding can point at a line,
and we never keep a secret value: only key names, masked access key ids and harmless settings.
"""

from __future__ import annotations

import configparser
import enum
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from diagnostics.masking import mask_key_id

_SECRET_WORDS = ("secret", "token", "password", "credential_process")
"""Keys whose value is never kept (credential_process commands often embed secrets)."""
_SECTION = re.compile(r"^\[(?P<header>.*)\]\s*$")
_KEY_VALUE = re.compile(r"^(?P<key>[^=:\s][^=:]*?)\s*[=:]\s*(?P<value>.*)$")


class FileKind(str, enum.Enum):
    """Which of the two shared files; they name their sections differently."""

    CREDENTIALS = "credentials"
    CONFIG = "config"


@dataclass(frozen=True)
class SectionEntry:
    """One ``key = value`` line; ``value`` is None for secrets and masked for access key ids."""

    key: str
    line: int
    value: str | None


@dataclass(frozen=True)
class AwsSection:
    """One ``[header]`` and its entries, with the line it starts on."""

    header: str
    """The text between the brackets, untouched (``profile prod``, ``default``, `` default ``)."""
    line: int
    kind: FileKind
    entries: tuple[SectionEntry, ...] = ()

    @property
    def profile_name(self) -> str | None:
        """The profile botocore sees in this section, or None when botocore ignores the section.

        In the credentials file every section is a profile named exactly as written. In the config file
        only ``[default]`` and ``[profile NAME]`` are profiles; ``[NAME]`` is ignored by botocore and the
        CLI (the module's own ``~/.aws/config`` check accepts it, see ``module_accepts``).
        """
        if self.kind is FileKind.CREDENTIALS:
            return self.header
        if self.header == "default":
            return "default"
        parts = self.header.split()
        if len(parts) == 2 and parts[0] == "profile":
            return parts[1]
        return None

    @property
    def is_prefixed(self) -> bool:
        """True for ``[profile NAME]`` headers (wrong in the credentials file)."""
        return self.header.split(" ", 1)[0] == "profile" and len(self.header.split()) == 2

    def has(self, key: str) -> bool:
        """Whether the key is set in this section."""
        return any(entry.key == key for entry in self.entries)

    def value(self, key: str) -> str | None:
        """A kept (non-secret) value, or None."""
        for entry in self.entries:
            if entry.key == key:
                return entry.value
        return None

    def line_of(self, key: str) -> int:
        """The line of a key, or the header line when absent."""
        for entry in self.entries:
            if entry.key == key:
                return entry.line
        return self.line


@dataclass(frozen=True)
class SyntaxProblem:
    """A line the parsers would reject or misread; the text shown never includes values."""

    line: int
    reason: str


@dataclass(frozen=True)
class AwsFile:
    """What we could learn about one shared file without keeping secrets."""

    path: Path
    kind: FileKind
    exists: bool = False
    read_error: str | None = None
    """Why the file could not be read (permission denied...), when it exists but is unreadable."""
    sections: tuple[AwsSection, ...] = ()
    problems: tuple[SyntaxProblem, ...] = ()
    parser_error: str | None = None
    """What configparser (used by botocore and the module alike) says, when it refuses the file."""
    mode: int | None = None
    uid: int | None = None

    @property
    def readable(self) -> bool:
        """True when the file exists and we could read it."""
        return self.exists and self.read_error is None

    @property
    def profile_names(self) -> tuple[str, ...]:
        """Profiles botocore would find in this file, in file order, without duplicates."""
        names: list[str] = []
        for section in self.sections:
            name = section.profile_name
            if name is not None and name not in names:
                names.append(name)
        return tuple(names)

    def profile(self, name: str) -> AwsSection | None:
        """The section botocore uses for a profile (the last one wins in configparser), or None."""
        found = None
        for section in self.sections:
            if section.profile_name == name:
                found = section
        return found

    def section(self, header: str) -> AwsSection | None:
        """A section by its exact header text."""
        for section in self.sections:
            if section.header == header:
                return section
        return None

    @property
    def headers(self) -> tuple[str, ...]:
        """Every section header, as configparser would list it."""
        return tuple(section.header for section in self.sections)

    @property
    def readable_by_others(self) -> bool:
        """True when group or other users may read the file (secrets should be owner-only)."""
        return self.mode is not None and bool(self.mode & (stat.S_IRGRP | stat.S_IROTH))

    def module_accepts(self, profile: str | None) -> str | None:
        """The section the module's ``~/.aws/config`` check would read, or None when it exits 23.

        The module looks for ``NAME`` first and then ``profile NAME``; without ``aws_profile`` it looks
        only for ``default``.
        """
        if profile is None:
            return "default" if "default" in self.headers else None
        if profile in self.headers:
            return profile
        prefixed = f"profile {profile}"
        return prefixed if prefixed in self.headers else None


def _kept_value(key: str, value: str) -> str | None:
    """The value to keep for a key: masked access key ids, nothing for secrets, the rest as is."""
    lowered = key.lower()
    if lowered == "aws_access_key_id":
        return mask_key_id(value)
    if any(word in lowered for word in _SECRET_WORDS):
        return None
    return value


def _parse_lines(text: str, kind: FileKind) -> tuple[tuple[AwsSection, ...], tuple[SyntaxProblem, ...]]:
    """Sections and problems from the file text, tolerating anything."""
    sections: list[AwsSection] = []
    problems: list[SyntaxProblem] = []
    header: str | None = None
    header_line = 0
    entries: list[SectionEntry] = []

    def close() -> None:
        if header is not None:
            sections.append(AwsSection(header, header_line, kind, tuple(entries)))

    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if not stripped or stripped.startswith(("#", ";")):
            continue
        indented = raw[:1] in (" ", "\t")
        if indented and header is not None and entries:
            continue  # a nested sub-setting (``s3 =`` block) or a continuation line
        section = _SECTION.match(stripped)
        if section is not None:
            close()
            header = section.group("header")
            header_line = number
            entries = []
            if header != header.strip():
                problems.append(SyntaxProblem(number, "spaces inside the brackets become part of the name"))
            continue
        pair = _KEY_VALUE.match(stripped)
        if pair is None:
            problems.append(SyntaxProblem(number, "neither a [section] header nor a 'key = value' line"))
            continue
        if header is None:
            problems.append(SyntaxProblem(number, "setting before any [section] header"))
            continue
        key = pair.group("key").strip()
        entries.append(SectionEntry(key, number, _kept_value(key, pair.group("value").strip())))
    close()
    return tuple(sections), tuple(problems)


def _parser_error(text: str, source: str) -> str | None:
    """configparser's verdict on the text (None when it parses), naming lines but never their content."""
    parser = configparser.RawConfigParser()
    try:
        parser.read_string(text, source=source)
    except configparser.MissingSectionHeaderError as error:
        return f"File contains no section headers. file: '{source}', line: {error.lineno}"
    except configparser.ParsingError as error:
        lines = ", ".join(str(number) for number, _ in error.errors)
        return f"Source contains parsing errors: '{source}' (line {lines})"
    except configparser.Error as error:
        return str(error).splitlines()[0]
    return None


def read_aws_file(path: Path, kind: FileKind) -> AwsFile:
    """Read one shared file; never raises and never keeps a secret value."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return AwsFile(path, kind)
    except OSError as error:
        return AwsFile(path, kind, exists=True, read_error=error.strerror or str(error))
    if not stat.S_ISREG(info.st_mode):
        return AwsFile(path, kind, exists=True, read_error="not a regular file",
                       mode=stat.S_IMODE(info.st_mode), uid=info.st_uid)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return AwsFile(path, kind, exists=True, read_error="not UTF-8 text",
                       parser_error="the file is not UTF-8 text", mode=stat.S_IMODE(info.st_mode),
                       uid=info.st_uid)
    except OSError as error:
        return AwsFile(path, kind, exists=True, read_error=error.strerror or str(error),
                       mode=stat.S_IMODE(info.st_mode), uid=info.st_uid)
    sections, problems = _parse_lines(text, kind)
    parser_error = _parser_error(text, str(path))
    del text
    return AwsFile(path, kind, exists=True, sections=sections, problems=problems, parser_error=parser_error,
                   mode=stat.S_IMODE(info.st_mode), uid=info.st_uid)
