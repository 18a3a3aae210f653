"""The command line ``wm_aws.c`` builds for each block and the argv the script really receives.

The C side concatenates flags and raw values into one string, logs it (``Launching S3 Command``) and hands
it to ``wm_exec``, which splits it with ``w_strtok``: spaces separate words, ``"`` toggles quoting and
``\\`` escapes the next character. 4.x appends values raw, so a space splits a value (argparse exit 2) and
quotes or backslashes vanish; 5.0 wraps six free-text values in escaped quotes. Reproducing both steps
shows exactly what the script parses, which is what the argument checks need.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from diagnostics.masking import HIDDEN, mask_key_id
from diagnostics.wazuh.versions import WazuhProfile
from diagnostics.wazuh.wodle import Block, Wodle

SCRIPT_PATH = "wodles/aws/aws-s3"
"""``WM_AWS_SCRIPT_PATH``: relative to the Wazuh home, where wazuh-modulesd runs."""

QUOTED_TAGS = frozenset({"aws_profile", "aws_account_alias", "path", "path_suffix", "discard_field",
                         "discard_regex"})
"""Values 5.0 passes through ``wm_aws_add_quoted_arg``; every other value is appended raw in all versions."""


@dataclass(frozen=True)
class CommandArgument:
    """One flag of the C command, with the configuration tag its value comes from."""

    flag: str
    value: str | None = None
    """None for a flag without value, or when the tag is missing (wm_strcat then skips it)."""
    tag: str | None = None
    takes_value: bool = True


def debug_argument(debug_level: int) -> str | None:
    """``--debug`` value from wm_aws.c's ``isDebug()``: above 2 gives 3, above 1 gives 2, otherwise 1."""
    if debug_level <= 0:
        return None
    if debug_level > 2:
        return "3"
    if debug_level > 1:
        return "2"
    return "1"


def _discard(block: Block) -> tuple[str | None, str | None]:
    """Discard field and regex as the C parser stores them (regex only when it has content)."""
    option = block.discard_regex
    if option is None or not option.value:
        return None, None
    field_name = option.attributes.get("field") or None
    if field_name is None and not (block.kind == "subscriber" or block.block_type == "cloudwatchlogs"):
        return None, None
    return field_name, option.value


def _value(block: Block, tag: str, flag: str) -> CommandArgument:
    return CommandArgument(flag, block.value(tag), tag)


def _credential_arguments(block: Block) -> list[CommandArgument]:
    return [_value(block, "access_key", "--access_key"), _value(block, "secret_key", "--secret_key"),
            _value(block, "aws_profile", "--aws_profile"), _value(block, "iam_role_arn", "--iam_role_arn"),
            _value(block, "iam_role_duration", "--iam_role_duration")]


def command_arguments(block: Block, wodle: Wodle, debug_level: int) -> list[CommandArgument]:
    """The flags ``wm_aws_run_s3`` / ``_run_service`` / ``_run_subscriber`` append, in their fixed order."""
    field_name, regex = _discard(block)
    discard = [CommandArgument("--discard-field", field_name, "discard_field"),
               CommandArgument("--discard-regex", regex, "discard_regex")]
    endpoints = [_value(block, "sts_endpoint", "--sts_endpoint"),
                 _value(block, "service_endpoint", "--service_endpoint")]
    arguments: list[CommandArgument]
    if block.kind == "service":
        arguments = [CommandArgument("--service", block.block_type, "type"), *_credential_arguments(block),
                     _value(block, "aws_account_id", "--aws_account_id"),
                     _value(block, "aws_account_alias", "--aws_account_alias"),
                     _value(block, "only_logs_after", "--only_logs_after"),
                     _value(block, "regions", "--regions"),
                     _value(block, "aws_log_groups", "--aws_log_groups")]
        if block.value("remove_log_streams") == "yes":
            arguments.append(CommandArgument("--remove-log-streams", takes_value=False))
        arguments += discard + endpoints
    elif block.kind == "subscriber":
        arguments = [CommandArgument("--subscriber", block.block_type, "type"),
                     _value(block, "sqs_name", "--queue"), _value(block, "external_id", "--external_id"),
                     _value(block, "iam_role_arn", "--iam_role_arn"),
                     _value(block, "iam_role_duration", "--iam_role_duration"),
                     _value(block, "aws_profile", "--aws_profile"), *endpoints, *discard]
    else:
        arguments = [_value(block, "name", "--bucket")]
        if block.value("remove_from_bucket") == "yes":
            arguments.append(CommandArgument("--remove", takes_value=False))
        arguments += [*_credential_arguments(block),
                      _value(block, "aws_organization_id", "--aws_organization_id"),
                      _value(block, "aws_account_id", "--aws_account_id"),
                      _value(block, "aws_account_alias", "--aws_account_alias"),
                      _value(block, "path", "--trail_prefix"), _value(block, "path_suffix", "--trail_suffix"),
                      _value(block, "only_logs_after", "--only_logs_after"),
                     _value(block, "regions", "--regions"),
                      *discard, *endpoints, CommandArgument("--type", block.block_type, "type")]
    debug = debug_argument(debug_level)
    if debug is not None:
        arguments.append(CommandArgument("--debug", debug))
    if wodle.value("skip_on_error") == "yes":
        arguments.append(CommandArgument("--skip_on_error", takes_value=False))
    return arguments


def quote_argument(value: str) -> str:
    """``wm_aws_add_quoted_arg``: wrap in double quotes, escaping ``"`` and ``\\`` (5.0)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


_ALWAYS_WRITTEN = frozenset({"--bucket", "--queue", "--service", "--subscriber"})
"""Flags the C side appends unconditionally; a missing value is then simply skipped (wm_strcat of NULL)."""


def _render(arguments: list[CommandArgument], profile: WazuhProfile, masked: bool) -> str:
    words = [SCRIPT_PATH]
    for argument in arguments:
        if argument.takes_value and argument.value is None and argument.flag not in _ALWAYS_WRITTEN:
            continue
        words.append(argument.flag)
        if not argument.takes_value or argument.value is None:
            continue
        value = argument.value
        if masked and argument.tag == "access_key":
            value = mask_key_id(value) or HIDDEN
        elif masked and argument.tag == "secret_key":
            value = HIDDEN
        if profile.quotes_arguments and argument.tag in QUOTED_TAGS:
            value = quote_argument(value)
        words.append(value)
    return " ".join(words)


def c_command(block: Block, wodle: Wodle, profile: WazuhProfile, debug_level: int) -> str:
    """The exact string the C side builds, secrets included: only for splitting, never for display."""
    return _render(command_arguments(block, wodle, debug_level), profile, masked=False)


def display_command(block: Block, wodle: Wodle, profile: WazuhProfile, debug_level: int) -> str:
    """The ``Launching S3 Command`` text with the access key masked and the secret hidden.

    The module itself logs both in clear text at debug 1; this is the same line made safe to show.
    """
    return _render(command_arguments(block, wodle, debug_level), profile, masked=True)


_SPECIAL = re.compile(r'[ "\\]')


def split_like_wm_exec(command: str) -> list[str]:
    """``w_strtok``: split on spaces outside double quotes; ``\\`` keeps the next character literally."""
    words: list[str] = []
    accumulated: str | None = None
    quoting = False
    start = 0
    while True:
        match = _SPECIAL.search(command, start)
        if match is None:
            break
        index = match.start()
        char = command[index]
        if char == " ":
            if quoting:
                accumulated = (accumulated or "") + command[start:index + 1]
            else:
                if index > start:
                    accumulated = (accumulated or "") + command[start:index]
                if accumulated is not None:
                    words.append(accumulated)
                    accumulated = None
        elif char == '"':
            if index > start or quoting:
                accumulated = (accumulated or "") + command[start:index]
            quoting = not quoting
        else:
            if index > start:
                accumulated = (accumulated or "") + command[start:index]
            if index + 1 < len(command):
                index += 1
                accumulated = (accumulated or "") + command[index]
        start = index + 1
    if start < len(command):
        accumulated = (accumulated or "") + command[start:]
    if accumulated is not None:
        words.append(accumulated)
    return words


def build_command(block: Block, wodle: Wodle, profile: WazuhProfile, debug_level: int) -> list[str]:
    """The argv the script receives for this block (``argv[0]`` is ``wodles/aws/aws-s3``).

    It contains the configured secrets when keys are written inline: use it to run or check, never to show.
    """
    return split_like_wm_exec(c_command(block, wodle, profile, debug_level))
