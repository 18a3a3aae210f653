"""The module's ossec.log format (wm_aws.c), so predicted lines match what admins see."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

TAG = "wazuh-modulesd:aws-s3"
TIME_FORMAT = "%Y/%m/%d %H:%M:%S"
UNKNOWN_ERROR_MARK = "Unknown error"


def format_line(level: str, message: str, when: datetime) -> str:
    """One ossec.log line: ``YYYY/MM/DD HH:MM:SS wazuh-modulesd:aws-s3: LEVEL: msg``."""
    return f"{when.strftime(TIME_FORMAT)} {TAG}: {level}: {message}"


@dataclass(frozen=True)
class RunTitle:
    """The C side's title of one run (``Bucket:  - ``), built like wm_strcat: NULL parts skipped.

    Buckets append the account with a space and the ``(alias)`` with none, so an alias without an account
    gives ``Bucket:(LEGACY)  - ``; the bucket name never appears.
    """

    kind: str
    """``Bucket``, ``Service`` or ``Subscriber``."""
    detail: str = ""
    """What follows ``<kind>:`` with its own leading separator (`` 123456789012(prod)``, ``(LEGACY)``)."""

    @classmethod
    def for_bucket(cls, account_ids: str | None, alias: str | None) -> RunTitle:
        """Account after a space, alias in parentheses glued to what precedes it."""
        detail = (f" {account_ids}" if account_ids else "") + (f"({alias})" if alias else "")
        return cls("Bucket", detail)

    @classmethod
    def for_service(cls, service_type: str) -> RunTitle:
        """Services show their type."""
        return cls("Service", f" {service_type}")

    @classmethod
    def for_subscriber(cls, subscriber_type: str, queue: str | None) -> RunTitle:
        """Subscribers show type and queue."""
        return cls("Subscriber", " " + " ".join(part for part in (subscriber_type, queue) if part))

    def __str__(self) -> str:
        return f"{self.kind}:{self.detail}  - "


def c_lines_after_run(title: RunTitle, exit_code: int, output: str, debug_level: int) -> list[tuple[str, str]]:
    """(level, message) pairs wm_aws.c writes after the script exits."""
    output = output.rstrip("\n")
    lines: list[tuple[str, str]] = []
    if exit_code > 0:
        lines.append(("WARNING", f"{title} Returned exit code {exit_code}"))
        if exit_code == 1:
            index = output.find(UNKNOWN_ERROR_MARK)
            second = output[index:] if index >= 0 else "Unknown error."
        elif exit_code == 2:
            second = "Error parsing arguments."
        else:
            index = output.find("ERROR: ")
            second = output[index + len("ERROR: "):] if index >= 0 else output
        lines.append(("WARNING", f"{title} {second}"))
        if debug_level >= 1:
            lines.append(("DEBUG", f"{title} OUTPUT: {output}"))
    elif debug_level >= 2:
        lines.append(("DEBUG", f"{title} OUTPUT: {output}"))
    return lines


def render(pairs: Sequence[tuple[str, str]], when: datetime) -> tuple[str, ...]:
    """Render (level, message) pairs as ossec.log text; embedded newlines become untagged lines, as in Wazuh."""
    rendered: list[str] = []
    for level, message in pairs:
        first, *rest = message.split("\n")
        rendered.append(format_line(level, first, when))
        rendered.extend(rest)
    return tuple(rendered)


def executing_bucket_line(
    name: str | None,
    path: str | None = None,
    path_suffix: str | None = None,
    bucket_type: str | None = None,
    account_ids: str | None = None,
    alias: str | None = None,
    organization_id: str | None = None,
    profile: str | None = None,
) -> str:
    """The INFO line the C side logs before each bucket run; empty parts are omitted."""
    parts = [f"Bucket: {name or 'unknown_bucket'}"]
    for label, value in (
        ("Path", path),
        ("Path suffix", path_suffix),
        ("Type", bucket_type),
        ("Account ID", account_ids),
        ("Account Alias", alias),
        ("Organization ID", organization_id),
        ("Profile", profile),
    ):
        if value:
            parts.append(f"{label}: {value}")
    return f"Executing Bucket Analysis: ({', '.join(parts)})"


def executing_service_line(service_type: str, account_ids: str | None, alias: str | None,
                           profile: str | None) -> str:
    """The INFO line the C side logs before each service run."""
    parts = [f"Service: {service_type}"]
    for label, value in (("Account ID", account_ids), ("Account Alias", alias), ("Profile", profile)):
        if value:
            parts.append(f"{label}: {value}")
    return f"Executing Service Analysis: ({', '.join(parts)})"


@dataclass(frozen=True)
class ScriptResult:
    """What the script returns at a given debug level: the exit code and its combined stdout/stderr."""

    exit_code: int
    output: str


def script_failure(exit_code: int, message: str | None, debug_level: int, *, catch_all: bool = False,
                   debug_only: bool = False) -> ScriptResult:
    """The script's output for a failure, as much of it as the debug level lets through.

    ``catch_all`` marks errors that reach ``main()``'s generic handler (exit 12 at debug 0): at debug >= 1
    they are re-raised and become exit 1 with ``Unknown error`` and a traceback. ``debug_only`` marks
    messages printed only at debug >= 1 (exit 22, discovery failures).
    """
    if catch_all and debug_level >= 1:
        text = message or ""
        lines = []
        if debug_level >= 2:
            lines.append(f"DEBUG: +++ Error: {text}")
        lines.append(f"ERROR: Unknown error: {text}")
        lines.append("Traceback (most recent call last):")
        lines.append("  ... (the module's Python traceback; its frames depend on the installed files)")
        return ScriptResult(1, "\n".join(lines))
    if message is None or (debug_only and debug_level < 1):
        return ScriptResult(exit_code, "")
    prefix = "ERROR: " if not message.startswith(("ERROR: ", "DEBUG: ", "WARNING: ")) else ""
    return ScriptResult(exit_code, f"{prefix}{message}")
