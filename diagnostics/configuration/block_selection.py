"""Choosing exactly one configured block by its ossec.conf line or its name, never by guessing.

Two blocks may read the same bucket with different paths, types or profiles; taking the first one that
matches a name would show the admin another block's keys and events, so an ambiguous name is refused
with the choices and their lines, and ``--block LINE`` selects one block (and its wodle) exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

from diagnostics.wazuh.wodle import Block, LoadedConfig, Wodle

DISTINGUISHING_OPTIONS = ("path", "path_suffix", "aws_profile", "iam_role_arn", "aws_account_id", "regions",
                          "only_logs_after", "service_endpoint", "sts_endpoint", "sqs_name")
"""The options shown beside each choice, because they are what usually tells same-named blocks apart."""


class BlockSelectionError(LookupError):
    """No block, or more than one, answers the selection; the message lists the blocks with their lines."""


@dataclass(frozen=True)
class SelectedBlock:
    """The chosen block and the wodle whose settings (interval, skip_on_error...) it runs under."""

    block: Block
    wodle: Wodle


def _blocks(config: LoadedConfig) -> list[tuple[Block, Wodle]]:
    return [(block, wodle) for wodle in config.wodles for block in wodle.blocks]


def block_details(block: Block) -> tuple[tuple[str, str], ...]:
    """The distinguishing options a block sets, in DISTINGUISHING_OPTIONS order (a subscriber's queue is its name)."""
    own_name = "sqs_name" if block.kind == "subscriber" else None
    return tuple((name, value) for name in DISTINGUISHING_OPTIONS
                 if name != own_name and (value := block.value(name)) is not None)


def same_named(block: Block, blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """The other blocks of the same kind and name (a service's name is its type), which a name alone confuses."""
    return tuple(other for other in blocks if other is not block and other.kind == block.kind
                 and (other.name or other.block_type) == (block.name or block.block_type))


def differing_details(block: Block, blocks: tuple[Block, ...]) -> tuple[str, ...]:
    """Which of ``type`` and the distinguishing options tell ``block`` apart from blocks of the same name.

    Empty when no other block shares its kind and name, so a face can show those options first and
    keep them visible when it has to shorten the rest.
    """
    twins = same_named(block, blocks)
    if not twins:
        return ()
    names = ("type", *DISTINGUISHING_OPTIONS)

    def of(candidate: Block, name: str) -> str | None:
        return candidate.block_type if name == "type" else candidate.value(name)

    return tuple(name for name in names if any(of(other, name) != of(block, name) for other in twins))


def describe_block(block: Block) -> str:
    """``line 12: bucket doctor-trail (cloudtrail) path=/firehose/ aws_profile=default``: one choice, one line."""
    extras = [f"{name}={value}" for name, value in block_details(block)]
    line = block.location.line if block.location.line is not None else "?"
    return " ".join([f"line {line}: {block.label}", *extras])


def _named(block: Block, name: str) -> bool:
    """A bucket or subscriber answers to its name; a service, which has none, to its type."""
    return block.name == name or (block.kind == "service" and block.block_type == name)


def _choices(candidates: list[tuple[Block, Wodle]]) -> str:
    return "\n".join("  " + describe_block(block) for block, _ in candidates) or "  (none)"


def select_block(config: LoadedConfig, *, name: str | None = None, line: int | None = None,
                 kinds: tuple[str, ...] = ("bucket",)) -> SelectedBlock:
    """The one block at ``line`` (checked against ``name`` when both are given), or the only one named ``name``.

    ``kinds`` limits what may be chosen (``keys`` and ``preview`` need a bucket); raises
    BlockSelectionError with a message that lists the candidates and their lines.
    """
    every = _blocks(config)
    usable = [(block, wodle) for block, wodle in every if block.kind in kinds]
    wanted = " or ".join(kinds)
    if line is not None:
        at_line = [(block, wodle) for block, wodle in every if block.location.line == line]
        if not at_line:
            raise BlockSelectionError(
                f"no <bucket>, <service> or <subscriber> starts at line {line} of {config.path}; "
                f"the blocks are at:\n{_choices(every)}")
        block, wodle = at_line[0]
        if block.kind not in kinds:
            raise BlockSelectionError(f"line {line} of {config.path} is a <{block.kind}> block, and this "
                                      f"command works on a {wanted}; the {wanted} blocks are at:\n"
                                      f"{_choices(usable)}")
        if name is not None and not _named(block, name):
            raise BlockSelectionError(f"the block at line {line} of {config.path} is {block.label}, "
                                      f"not '{name}'")
        return SelectedBlock(block, wodle)
    if name is None:
        raise BlockSelectionError(f"name a {wanted} with --bucket NAME or --block LINE; the blocks of "
                                  f"{config.path} are at:\n{_choices(usable)}")
    named = [(block, wodle) for block, wodle in usable if _named(block, name)]
    if not named:
        raise BlockSelectionError(f"{wanted} '{name}' is not configured in {config.path}; the configured "
                                  f"ones are at:\n{_choices(usable)}")
    if len(named) > 1:
        raise BlockSelectionError(f"{len(named)} blocks of {config.path} are named '{name}'; choose one with "
                                  f"--block LINE:\n{_choices(named)}")
    block, wodle = named[0]
    return SelectedBlock(block, wodle)
