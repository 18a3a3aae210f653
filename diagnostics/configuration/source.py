"""The raw structure of a wodle as Wazuh's C parser walks it: tags in order, attributes in order, legacy form.

``LoadedConfig`` keeps options by name (last one wins), which is what the module finally uses; the C
parser, though, checks the first attribute of a block, every child in order and whether a ``<bucket>`` has
attributes at all. Those facts live here, produced by the loader and derived from the public shape when a
``LoadedConfig`` comes from elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from diagnostics.wazuh.wodle import Block, LoadedConfig, Wodle


@dataclass(frozen=True)
class ChildTag:
    """A child element as the C parser sees it, in file order (duplicates and unknown tags included)."""

    name: str
    value: str
    """Own text, stripped."""
    line: int | None
    attributes: tuple[tuple[str, str], ...] = ()
    content_empty: bool = True
    """True when Wazuh's content is the empty string (its emptiness checks use ``strlen``, not trimming)."""


@dataclass(frozen=True)
class BlockSource:
    """Raw facts about one block: its attributes in order, its children, and whether it is legacy."""

    tag: str
    line: int | None
    attributes: tuple[tuple[str, str], ...] = ()
    children: tuple[ChildTag, ...] = ()
    legacy: bool = False
    """``<bucket>name</bucket>`` (no attributes): Wazuh ignores children and uses the text as the name."""
    legacy_content_empty: bool = False


@dataclass(frozen=True)
class WodleSource:
    """Raw facts about one wodle: the root it sits in and its top-level tags in order."""

    root: str
    line: int | None
    children: tuple[ChildTag, ...] = ()


def derived_block_source(block: Block) -> BlockSource:
    """Best-effort raw facts for a block built without the loader (tests, other tools)."""
    attributes = (("type", block.block_type),) if block.block_type is not None else ()
    children = tuple(ChildTag(option.name, option.value, option.line, tuple(option.attributes.items()),
                              content_empty=(option.value == ""))
                     for option in block.options.values())
    return BlockSource(block.kind, block.location.line, attributes, children)


def derived_wodle_source(wodle: Wodle) -> WodleSource:
    """Best-effort raw facts for a wodle built without the loader."""
    children = [ChildTag(option.name, option.value, option.line, tuple(option.attributes.items()),
                         content_empty=(option.value == "")) for option in wodle.options.values()]
    children += [ChildTag(block.kind, "", block.location.line) for block in wodle.blocks]
    return WodleSource("ossec_config", None, tuple(children))


def block_source(loaded: LoadedConfig, wodle: Wodle, block: Block) -> BlockSource:
    """The loader's facts for a block when available, else derived ones."""
    sources = getattr(loaded, "block_sources", None)
    if isinstance(sources, dict):
        found = sources.get((wodle.index, block.index))
        if isinstance(found, BlockSource):
            return found
    return derived_block_source(block)


def wodle_source(loaded: LoadedConfig, wodle: Wodle) -> WodleSource:
    """The loader's facts for a wodle when available, else derived ones."""
    sources = getattr(loaded, "wodle_sources", None)
    if isinstance(sources, tuple) and 0 <= wodle.index < len(sources):
        found = sources[wodle.index]
        if isinstance(found, WodleSource):
            return found
    return derived_wodle_source(wodle)
