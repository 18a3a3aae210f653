"""The script's argument parsing (``aws_tools.get_script_arguments``), replayed on our argv.

We do not import the module's code: the flags, validators and messages below reproduce argparse's
behaviour for the argv the C side produces, so a bad value yields the same ``<prog>: error: argument
...`` text and exit 2. Unlike argparse we do not stop at the first problem, so every bad value is reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

BUCKET_NAME = re.compile(r"(?!(^xn--|.+-s3alias$|.+--ol-s3$))^[a-z0-9][a-z0-9-.]{1,61}[a-z0-9]$")
QUEUE_NAME = re.compile(r"^[a-zA-Z0-9-_]{1,80}$")
ROLE_ARN = re.compile(r"^arn:(?P<Partition>[^:\n]*):(?P<Service>[^:\n]*):(?P<Region>[^:\n]*):"
                      r"(?P<AccountID>[^:\n]*):(?P<Ignore>(?P<ResourceType>[^:\/\n]*)[:\/])?(?P<Resource>.*)$")
REGION_FORMAT = re.compile(r"^([a-z]{2}(-gov)?)-([a-z]+)-\d$")
FORBIDDEN_CHARACTERS = "\\{}^%`[]'\"<>~#|"
XML_CONSTRAINTS = ("&apos;", "&quot;", "&amp;", "&lt;", "&gt;", "&#13;", "&#10;")
_NEGATIVE_NUMBER = re.compile(r"^-\d+$|^-\d*\.\d+$")


class ArgumentRejected(ValueError):
    """A validator's ``argparse.ArgumentTypeError`` text."""


def valid_bucket(value: str) -> str:
    if not BUCKET_NAME.match(value):
        raise ArgumentRejected(f"'{value}' isn't a valid bucket name.")
    return value


def valid_queue(value: str) -> str:
    if not QUEUE_NAME.match(value):
        raise ArgumentRejected("Invalid SQS Name specified. Value must be up to 80 characters and the valid "
                               "values are alphanumeric characters, hyphens (-), and underscores (_)")
    return value


def valid_account_ids(value: str) -> list[str]:
    accounts = value.split(",")
    for account in accounts:
        if not account.strip().isdigit() or len(account) != 12:
            raise ArgumentRejected(f"Not valid AWS account ID (numeric digits only): '{value}'.")
    return accounts


def valid_role_arn(value: str) -> str:
    if not ROLE_ARN.match(value):
        raise ArgumentRejected("Invalid ARN Role specified. Value must be a valid ARN Role.")
    return value


def valid_key(value: str, append_slash: bool = True) -> str:
    """``arg_valid_key``: forbidden characters, then a trailing ``/`` appended (a leading one is kept)."""
    if any(char in value for char in FORBIDDEN_CHARACTERS) \
            or any(entity in value for entity in XML_CONSTRAINTS):
        raise ArgumentRejected(f"'{value}' has an invalid character. Avoid to use '{FORBIDDEN_CHARACTERS}' "
                               f"or "
                               f"'{''.join(XML_CONSTRAINTS)}'.")
    if append_slash and value and value[-1] != "/":
        return value + "/"
    return value


def valid_date(value: str) -> str:
    try:
        return datetime.strptime(value, "%Y-%b-%d").strftime("%Y%m%d")
    except ValueError:
        raise ArgumentRejected(f"Argument not a valid date in format YYYY-MMM-DD: '{value}'.") from None


def valid_regions(value: str) -> list[str]:
    if not value:
        return []
    regions: set[str] = set()
    for region in value.split(","):
        if not REGION_FORMAT.match(region):
            raise ArgumentRejected(f"WARNING: The region '{region}' has not a valid format.'")
        if region.strip():
            regions.add(region.strip())
    return sorted(regions)


def duration_validator(limit: int) -> Callable[[str], int]:
    """``arg_valid_iam_role_duration`` with the installed upper bound."""
    def valid_duration(value: str) -> int:
        if not value.isdigit():
            raise ArgumentRejected("Invalid session duration specified. Value must be a valid number.")
        seconds = int(value)
        if not 900 <= seconds <= limit:
            raise ArgumentRejected(f"Invalid session duration specified. Value must be between 900 and "
                                   f"{limit}.")
        return seconds
    return valid_duration


@dataclass(frozen=True)
class Flag:
    """One script option: its strings as argparse prints them, destination, and validator."""

    strings: tuple[str, ...]
    dest: str
    takes_value: bool = True
    validator: Callable[[str], object] | None = None
    type_name: str = ""
    """The script's validator function name, which argparse prints when it raises a plain ValueError."""

    @property
    def name(self) -> str:
        """``-b/--bucket``, as in argparse messages."""
        return "/".join(self.strings)


def script_flags(duration_limit: int) -> tuple[Flag, ...]:
    """Every flag of ``get_script_arguments`` (the C side only ever writes the long forms)."""
    return (
        Flag(("-b", "--bucket"), "bucket", validator=valid_bucket, type_name="arg_valid_bucket_name"),
        Flag(("-sr", "--service"), "service"), Flag(("-sb", "--subscriber"), "subscriber"),
        Flag(("-q", "--queue"), "queue", validator=valid_queue, type_name="args_valid_sqs_name"),
        Flag(("-O", "--aws_organization_id"), "aws_organization_id"),
        Flag(("-c", "--aws_account_id"), "aws_account_id", validator=valid_account_ids,
             type_name="arg_valid_accountid"),
        Flag(("-d", "--debug"), "debug"),
        Flag(("-a", "--access_key"), "access_key"), Flag(("-k", "--secret_key"), "secret_key"),
        Flag(("-R", "--remove"), "remove", takes_value=False),
        Flag(("-p", "--aws_profile"), "aws_profile"), Flag(("-x", "--external_id"), "external_id"),
        Flag(("-i", "--iam_role_arn"), "iam_role_arn", validator=valid_role_arn,
             type_name="args_valid_iam_role_arn"),
        Flag(("-n", "--aws_account_alias"), "aws_account_alias"),
        Flag(("-l", "--trail_prefix"), "trail_prefix", validator=valid_key, type_name="arg_valid_key"),
        Flag(("-L", "--trail_suffix"), "trail_suffix", validator=valid_key, type_name="arg_valid_key"),
        Flag(("-s", "--only_logs_after"), "only_logs_after", validator=valid_date,
             type_name="arg_valid_date"),
        Flag(("-r", "--regions"), "regions", validator=valid_regions, type_name="arg_valid_regions"),
        Flag(("-e", "--skip_on_error"), "skip_on_error", takes_value=False),
        Flag(("-o", "--reparse"), "reparse", takes_value=False),
        Flag(("-t", "--type"), "type"),
        Flag(("-g", "--aws_log_groups"), "aws_log_groups", validator=lambda value: valid_key(value, False),
             type_name="aws_logs_groups_valid_key"),
        Flag(("-P", "--remove-log-streams"), "remove_log_streams", takes_value=False),
        Flag(("-df", "--discard-field"), "discard_field"), Flag(("-dr", "--discard-regex"), "discard_regex"),
        Flag(("-st", "--sts_endpoint"), "sts_endpoint"),
        Flag(("-se", "--service_endpoint"), "service_endpoint"),
        Flag(("-rd", "--iam_role_duration"), "iam_role_duration",
             validator=duration_validator(duration_limit), type_name="arg_valid_iam_role_duration"),
    )


@dataclass(frozen=True)
class ArgumentError:
    """One argparse error: the flag, the value it got and the exact message after ``error: ``."""

    kind: str
    """``invalid`` (validator), ``missing`` (expected one argument) or ``unrecognized``."""
    flag: Flag | None
    value: str
    message: str


@dataclass
class ParsedArguments:
    """What argparse would produce: converted values and every error, in the order argparse meets them."""

    values: dict[str, object] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)
    errors: list[ArgumentError] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)


class _Matcher:
    def __init__(self, flags: tuple[Flag, ...]) -> None:
        self.by_string = {string: flag for flag in flags for string in flag.strings}
        self.long_strings = [string for string in self.by_string if string.startswith("--")]

    def match(self, token: str) -> tuple[Flag | None, str | None]:
        if not token.startswith("-") or token == "-" or " " in token:
            return None, None
        if token in self.by_string:
            return self.by_string[token], None
        if "=" in token:
            head, _, explicit = token.partition("=")
            if head in self.by_string:
                return self.by_string[head], explicit
        if token.startswith("--"):
            candidates = [string for string in self.long_strings if string.startswith(token)]
            if len(candidates) == 1:
                return self.by_string[candidates[0]], None
        return None, None

    def looks_like_option(self, token: str) -> bool:
        if not token.startswith("-") or token == "-":
            return False
        if self.match(token)[0] is not None:
            return True
        return not _NEGATIVE_NUMBER.match(token) and " " not in token


def parse_arguments(tokens: list[str], duration_limit: int) -> ParsedArguments:
    """Replay argparse over ``tokens`` (argv without the program), collecting every error."""
    matcher = _Matcher(script_flags(duration_limit))
    parsed = ParsedArguments()
    index = 0
    while index < len(tokens):
        token = tokens[index]
        flag, explicit = matcher.match(token)
        if flag is None:
            parsed.extras.append(token)
            index += 1
            continue
        if not flag.takes_value:
            parsed.values[flag.dest] = True
            index += 1
            continue
        if explicit is not None:
            value, index = explicit, index + 1
        elif index + 1 < len(tokens) and not matcher.looks_like_option(tokens[index + 1]):
            value, index = tokens[index + 1], index + 2
        else:
            parsed.errors.append(ArgumentError("missing", flag, "", f"argument {flag.name}: expected one "
                                                                    f"argument"))
            index += 1
            continue
        parsed.raw[flag.dest] = value
        try:
            parsed.values[flag.dest] = flag.validator(value) if flag.validator else value
        except ArgumentRejected as error:
            parsed.errors.append(ArgumentError("invalid", flag, value, f"argument {flag.name}: {error}"))
        except (ValueError, TypeError, OverflowError):
            # argparse's own wording when a type function fails with anything but ArgumentTypeError
            message = f"argument {flag.name}: invalid {flag.type_name} value: {value!r}"
            parsed.errors.append(ArgumentError("invalid", flag, value, message))
    if parsed.extras:
        parsed.errors.append(ArgumentError("unrecognized", None, " ".join(parsed.extras),
                                           f"unrecognized arguments: {' '.join(parsed.extras)}"))
    return parsed


def usage_error(program: str, message: str) -> str:
    """argparse's output on error: the (doubled) usage line, then ``<prog>: error: <message>``."""
    return f"usage: usage: {program} [options]\n{program}: error: {message}"
