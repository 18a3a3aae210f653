"""Typed ossec.log lines, run titles, ``Executing`` lines and logged command lines, with secrets masked.

The explainer must see every line in one shape whatever its era (3.x wording, the debug format with pid,
file and function, or lines quoted without timestamps), and must never hold a secret: masking happens
here, when a line is read, so nothing downstream can leak one.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
MODULESD_DAEMONS = ("wazuh-modulesd", "ossec-modulesd")
AWS_MODULE = "aws-s3"
MAX_LINE_BYTES = 64 * 1024
"""Longer physical lines are cut: one runaway line must not exhaust memory."""

_LEVEL = r"(?P<level>DEBUG|INFO|WARNING|ERROR|CRITICAL)"
_NOT_A_LEVEL = r"(?!(?:DEBUG|INFO|WARNING|ERROR|CRITICAL):)"
_TIMESTAMP = r"(?P<timestamp>\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2})"
_TAGGED = re.compile(
    rf"^(?:{_TIMESTAMP}\s+)?{_NOT_A_LEVEL}(?P<daemon>[A-Za-z][\w.-]*?)(?::(?P<module>[\w.-]+))?"
    rf"(?:\[(?P<pid>\d+)\])?(?:\s+\S+:\d+\s+at\s+(?P<function>\w+)\(\))?:\s+{_LEVEL}:(?:\s(?P<message>.*))?$"
)
_UNTAGGED = re.compile(rf"^(?:{_TIMESTAMP}\s+)?{_LEVEL}:(?:\s(?P<message>.*))?$")
_TIMESTAMP_ONLY = re.compile(rf"^{_TIMESTAMP}\s")


@dataclass(frozen=True)
class LogLine:
    """One ossec.log line split into its parts; ``text`` and ``message`` are already masked."""

    number: int
    text: str
    message: str
    """The part after ``LEVEL: `` (the whole text for lines without a level)."""
    timestamp: str | None = None
    daemon: str | None = None
    module: str | None = None
    function: str | None = None
    level: str | None = None
    masked: tuple[str, ...] = ()
    """Kinds of secrets masked on this line (``access key id``, ``secret key``)."""

    @property
    def tagged(self) -> bool:
        """True when the line names the daemon that wrote it."""
        return self.daemon is not None

    @property
    def from_aws_module(self) -> bool:
        """Written by the aws-s3 module (``wazuh-modulesd:aws-s3``), or by modulesd's parser about it."""
        if self.daemon is None:
            return False
        if self.module == AWS_MODULE:
            return True
        return (self.daemon in MODULESD_DAEMONS and self.module is None
                and ("aws-s3" in self.message or (self.function or "").startswith("wm_aws")))

    @property
    def timestamped(self) -> bool:
        """True when the line starts with Wazuh's timestamp (continuation lines of OUTPUT do not)."""
        return self.timestamp is not None


def parse_line(number: int, raw: str) -> LogLine:
    """Split one physical line (newline already removed); never raises."""
    text, masked = mask_secrets(raw)
    stripped = text.strip()
    tagged = _TAGGED.match(stripped)
    if tagged:
        return LogLine(number, text, tagged.group("message") or "", tagged.group("timestamp"),
                       tagged.group("daemon"), tagged.group("module"), tagged.group("function"),
                       tagged.group("level"), masked)
    untagged = _UNTAGGED.match(stripped)
    if untagged:
        return LogLine(number, text, untagged.group("message") or "", untagged.group("timestamp"),
                       level=untagged.group("level"), masked=masked)
    stamp = _TIMESTAMP_ONLY.match(stripped)
    return LogLine(number, text, text, stamp.group("timestamp") if stamp else None, masked=masked)


# --- secrets ---------------------------------------------------------------------------------------

_KEY_ID = re.compile(r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b")
_SECRET_FLAG = re.compile(r"(--secret_key|(?<!\S)-k)(\s+|=)(\"[^\"]*\"|'[^']*'|\S+)")
_ACCESS_FLAG = re.compile(r"(--access_key|(?<!\S)-a)(\s+|=)(\"[^\"]*\"|'[^']*'|\S+)")
_SECRET_ASSIGNMENT = re.compile(
    r"((?:aws_secret_access_key|secret_access_key|secretaccesskey|aws_session_token|session_token|"
    r"sessiontoken|secret_key)[\"']?\s*[:=]\s*[\"']?)([^\s\"']+)", re.IGNORECASE)
"""The value runs to a quote or a space: a secret may hold ``,;}`` (MinIO, Ceph), so stopping there would
leave its tail visible."""
_SECRET_TAG = re.compile(r"(<secret_key>)([^<]*)(</secret_key>)")
_ACCESS_TAG = re.compile(r"(<access_key>)([^<]*)(</access_key>)")
_SECRET_SHAPE = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40,}=*")
"""Maximal base64-ish runs (linear to scan); only runs of exactly 40 characters are secret-shaped."""
_SESSION_TOKEN_PREFIXES = ("IQoJb3JpZ2lu", "FwoGZXIvYXdz", "FQoGZXIvYXdz", "AgoJb3JpZ2lu")
"""How STS session tokens start (base64 of their binary header), whatever their length."""
MIN_TOKEN_LENGTH = 64
"""Base64-ish runs this long with mixed case and digits are treated as session tokens (they are 300+)."""
_SECRET_WORDS = re.compile(r"secret|token|--access_key|<access_key>|AKIA|ASIA|(?<!\S)-[ak]\s", re.IGNORECASE)
SECRET_MASK = "****"


def mask_key_id(value: str) -> str:
    """``AKIA****WXYZ``: the kind prefix and the last 4 characters, enough to tell keys apart."""
    bare = value.strip("\"'")
    if len(bare) < 12:
        return SECRET_MASK
    return f"{bare[:4]}{SECRET_MASK}{bare[-4:]}"


def _looks_like_secret(candidate: str) -> bool:
    """A 40-character base64-ish token with mixed case and digits and few slashes (not a key path)."""
    return (candidate.count("/") <= 2 and any(c.isupper() for c in candidate)
            and any(c.islower() for c in candidate) and any(c.isdigit() for c in candidate))


def mask_secrets(text: str) -> tuple[str, tuple[str, ...]]:
    """The text with access key ids masked and secret values dropped, and which kinds were found."""
    found: list[str] = []
    command_like = "aws-s3" in text or "--bucket" in text or "--service" in text or "--subscriber" in text

    def drop_flag(match: re.Match[str]) -> str:
        if not command_like and match.group(1) == "-k":
            return match.group(0)
        found.append("secret key")
        return f"{match.group(1)}{match.group(2)}{SECRET_MASK}"

    def mask_flag(match: re.Match[str]) -> str:
        if not command_like and match.group(1) == "-a":
            return match.group(0)
        found.append("access key id")
        return f"{match.group(1)}{match.group(2)}{mask_key_id(match.group(3))}"

    def drop_tag(match: re.Match[str]) -> str:
        found.append("secret key")
        return f"{match.group(1)}{SECRET_MASK}{match.group(3)}"

    def mask_tag(match: re.Match[str]) -> str:
        found.append("access key id")
        return f"{match.group(1)}{mask_key_id(match.group(2))}{match.group(3)}"

    def drop_assignment(match: re.Match[str]) -> str:
        if match.group(2) == SECRET_MASK:
            return match.group(0)
        found.append("secret key")
        return f"{match.group(1)}{SECRET_MASK}"

    def mask_key(match: re.Match[str]) -> str:
        found.append("access key id")
        return mask_key_id(match.group(0))

    def drop_shaped(match: re.Match[str]) -> str:
        candidate = match.group(0)
        if candidate.startswith(_SESSION_TOKEN_PREFIXES) or (
                len(candidate) >= MIN_TOKEN_LENGTH and _looks_like_secret(candidate)):
            found.append("session token")
            return SECRET_MASK
        if len(candidate) != 40 or not _looks_like_secret(candidate):
            return candidate
        found.append("secret key")
        return SECRET_MASK

    if _SECRET_WORDS.search(text):
        text = _SECRET_FLAG.sub(drop_flag, text)
        text = _ACCESS_FLAG.sub(mask_flag, text)
        text = _SECRET_TAG.sub(drop_tag, text)
        text = _ACCESS_TAG.sub(mask_tag, text)
        text = _SECRET_ASSIGNMENT.sub(drop_assignment, text)
        text = _KEY_ID.sub(mask_key, text)
    if len(text) >= 40:
        text = _SECRET_SHAPE.sub(drop_shaped, text)
    return text, tuple(dict.fromkeys(found))


# --- titles and Executing lines --------------------------------------------------------------------

_TITLE = re.compile(
    r"^(?P<kind>Bucket|Service|Subscriber):(?P<detail>.*?)(?P<separator>\s+-(?:\s+|$))(?P<rest>.*)$")


@dataclass(frozen=True)
class TitledMessage:
    """A C-side message after its run title (``Bucket:  -  Returned exit code 12``)."""

    kind: str
    """``Bucket``, ``Service`` or ``Subscriber``."""
    detail: str
    """Account and alias (buckets), type (services) or type and queue (subscribers); often empty."""
    rest: str
    single_space: bool
    """True for the write-up's ``Bucket: - `` form (real logs have two spaces each side)."""


def parse_title(message: str) -> TitledMessage | None:
    """The title and the rest of a C-side run message, or None when the message has no title."""
    match = _TITLE.match(message.strip())
    if not match:
        return None
    separator = match.group("separator")
    single = separator == " - " or (separator == " -" and not match.group("rest"))
    return TitledMessage(match.group("kind"), match.group("detail").strip(), match.group("rest").rstrip(),
                         single)


_EXECUTING = re.compile(
    r"^Executing (?P<kind>Bucket|Service) Anal[yi]s[iey]s: \((?P<body>.*)\)\s*$"
    r"|^Executing (?P<subscriber>Subscriber) fetch: \((?P<subscriber_body>.*)\)\s*$"
    r"|^Executing Bucket Anal[yi]s[iey]s: (?P<legacy_name>[^\s(][^\s]*)\s*$"
)
_FIELD_SPLIT = re.compile(r", (?=[A-Z][A-Za-z ]{0,30}: )")


@dataclass(frozen=True)
class ExecutingLine:
    """The INFO line the C side writes before each block runs, with its labelled parts."""

    kind: str
    """``bucket``, ``service`` or ``subscriber``."""
    fields: tuple[tuple[str, str], ...]

    def get(self, label: str) -> str | None:
        """A labelled value (``Bucket``, ``Path``, ``Type``, ``Profile``...), None when absent."""
        for name, value in self.fields:
            if name == label:
                return value
        return None


def parse_executing(message: str) -> ExecutingLine | None:
    """Parse ``Executing Bucket Analysis: (Bucket: b, Path: p, ...)`` and its service/subscriber/3.x forms."""
    match = _EXECUTING.match(message.strip())
    if not match:
        return None
    if match.group("legacy_name"):
        return ExecutingLine("bucket", (("Bucket", match.group("legacy_name")),))
    body = match.group("body") if match.group("kind") else match.group("subscriber_body")
    kind = (match.group("kind") or match.group("subscriber") or "").lower()
    fields: list[tuple[str, str]] = []
    for part in _FIELD_SPLIT.split(body or ""):
        label, separator, value = part.partition(": ")
        if separator:
            fields.append((label.strip(), value.strip()))
    return ExecutingLine(kind, tuple(fields))


# --- logged command lines --------------------------------------------------------------------------

VALUE_FLAGS = {
    "-b": "--bucket", "-sr": "--service", "-sb": "--subscriber", "-q": "--queue", "-a": "--access_key",
    "-k": "--secret_key", "-p": "--aws_profile", "-i": "--iam_role_arn", "-rd": "--iam_role_duration",
    "-O": "--aws_organization_id", "-c": "--aws_account_id", "-n": "--aws_account_alias",
    "-l": "--trail_prefix", "-L": "--trail_suffix", "-s": "--only_logs_after", "-r": "--regions",
    "-df": "--discard-field", "-dr": "--discard-regex", "-st": "--sts_endpoint", "-se": "--service_endpoint",
    "-t": "--type", "-d": "--debug", "-g": "--aws_log_groups", "-x": "--external_id",
}
SWITCH_FLAGS = {"-R": "--remove", "-o": "--reparse", "-e": "--skip_on_error", "-P": "--remove-log-streams"}
_LONG_VALUE_FLAGS = frozenset(VALUE_FLAGS.values())
_LONG_SWITCHES = frozenset(SWITCH_FLAGS.values())

LAUNCHING = re.compile(r"^Launching S3 (?:Subscriber )?Command:\s*(?P<command>.*)$")
"""The C line that carries the script's command line, which ``parse_command`` reads."""


@dataclass(frozen=True)
class LaunchCommand:
    """The command the C side logged (``Launching S3 Command:``), split like a shell would split it."""

    argv: tuple[str, ...]
    options: tuple[tuple[str, str | None], ...]
    """Long option names with their value (None for switches and for value options left without one)."""
    stray: tuple[str, ...]
    """Tokens no option claims: in 4.x, the pieces of a value that contained a space."""

    def value(self, flag: str) -> str | None:
        """The value of a long option, or None."""
        for name, value in self.options:
            if name == flag:
                return value
        return None

    def has(self, flag: str) -> bool:
        """True when the option appears, with or without a value."""
        return any(name == flag for name, _ in self.options)

    @property
    def debug_level(self) -> int | None:
        """The ``--debug`` value as a number (0 when absent, as the C side omits it at debug 0)."""
        raw = self.value("--debug")
        if raw is None:
            return 0
        return int(raw) if raw.isdigit() else None


def parse_command(command: str) -> LaunchCommand:
    """Split an already-masked command line into options; tolerant of unbalanced quotes."""
    argv = [_unquote(token) for token in _TOKEN.findall(command)]
    options: list[tuple[str, str | None]] = []
    stray: list[str] = []
    index = 1 if argv and not argv[0].startswith("-") else 0
    while index < len(argv):
        token = argv[index]
        name, has_inline, inline = token.partition("=")
        flag = VALUE_FLAGS.get(name, SWITCH_FLAGS.get(name, name))
        if flag in _LONG_VALUE_FLAGS:
            if has_inline:
                options.append((flag, inline))
            elif index + 1 < len(argv) and not _is_flag(argv[index + 1]):
                options.append((flag, argv[index + 1]))
                index += 1
            else:
                options.append((flag, None))
        elif flag in _LONG_SWITCHES or token.startswith("-"):
            options.append((flag, None))
        else:
            stray.append(token)
        index += 1
    return LaunchCommand(tuple(argv), tuple(options), tuple(stray))


_TOKEN = re.compile(r"(?:\"(?:[^\"\\]|\\.)*\"|'[^']*'|[^\s\"']+|[\"'])+")
"""Shell-like words: quoted spans (5.0 quotes values) glued to bare text; a stray quote is kept as text."""


def _unquote(token: str) -> str:
    """Remove the quotes of a shell word and the backslash escapes inside double quotes."""
    out: list[str] = []
    for part in re.findall(r"\"(?:[^\"\\]|\\.)*\"|'[^']*'|[^\"']+|[\"']", token):
        if len(part) >= 2 and part[0] == part[-1] == '"':
            out.append(re.sub(r"\\(.)", r"\1", part[1:-1]))
        elif len(part) >= 2 and part[0] == part[-1] == "'":
            out.append(part[1:-1])
        else:
            out.append(part)
    return "".join(out)


def _is_flag(token: str) -> bool:
    return token in VALUE_FLAGS or token in SWITCH_FLAGS or token.partition("=")[0] in _LONG_VALUE_FLAGS \
        or token in _LONG_SWITCHES


# --- reading files ---------------------------------------------------------------------------------

class _LineSource(Protocol):
    def readline(self, size: int | None = -1, /) -> bytes: ...


def read_log_file(path: Path) -> Iterator[str]:
    """Stream a log file's lines as text: invalid UTF-8 is replaced, gzip archives are read transparently.

    Raises OSError (missing, unreadable) on first iteration; ``explain_log_file`` turns that into a finding.
    """
    with path.open("rb") as raw:
        magic = raw.peek(2)[:2]
        if magic == b"\x1f\x8b":
            with gzip.open(raw, "rb") as unpacked:
                yield from _lines(unpacked)
        else:
            yield from _lines(raw)


def _lines(stream: _LineSource) -> Iterator[str]:
    while True:
        chunk = stream.readline(MAX_LINE_BYTES)
        if not chunk:
            return
        if len(chunk) >= MAX_LINE_BYTES and not chunk.endswith(b"\n"):
            while True:
                rest = stream.readline(MAX_LINE_BYTES)
                if not rest or rest.endswith(b"\n"):
                    break
            chunk += b" [line cut]"
        yield chunk.rstrip(b"\r\n").decode("utf-8", errors="replace")
