"""Loading ossec.conf: every ``<wodle name="aws-s3">`` with its options and blocks, each with file:line.

Real files have several roots, comments, CRLF, stray bytes and sometimes errors; the loader never raises
and turns every problem into a finding. It keeps, besides the public ``LoadedConfig`` shape, the raw
structure the C parser looks at (attribute order, tags in order, legacy ``<bucket>name</bucket>``) so the
validators can reproduce Wazuh's exact messages.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from diagnostics.configuration.rule_context import (
    WAZUH_CONFIG_NAME,
    ParserMessage,
    make_finding,
    now_utc,
    parser_log,
)
from diagnostics.configuration.source import BlockSource, ChildTag, WodleSource
from diagnostics.configuration.xml_reader import XmlDocument, XmlNode, read_tolerant, strict_xml_problem
from diagnostics.findings import Finding, SourceLocation
from diagnostics.wazuh.versions import assumed_profile
from diagnostics.wazuh.wodle import Block as WodleBlock
from diagnostics.wazuh.wodle import LoadedConfig, Option, Wodle

MAX_BYTES = 32 * 1024 * 1024
"""Larger files are read only up to here: no real ossec.conf comes close."""

ROOT_ELEMENTS = ("ossec_config", "agent_config")
BLOCK_TAGS = ("bucket", "service", "subscriber")
WODLE_NAME = "aws-s3"


def special_file_kind(mode: int) -> str | None:
    """``FIFO``, ``device`` or ``socket`` for a file that is not a plain file or directory, else None."""
    if stat.S_ISFIFO(mode):
        return "FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return None


def _read_capped(handle: BinaryIO, limit: int) -> bytes:
    """Read up to ``limit`` bytes in chunks, so a small file never costs a ``limit``-sized buffer."""
    chunks: list[bytes] = []
    remaining = limit
    while remaining > 0:
        chunk = handle.read(min(remaining, 1024 * 1024))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


@dataclass(frozen=True)
class OssecConfig(LoadedConfig):
    """``LoadedConfig`` plus the raw structure the validators need to reproduce the C parser."""

    wodle_sources: tuple[WodleSource, ...] = ()
    """Parallel to ``wodles``."""
    block_sources: Mapping[tuple[int, int], BlockSource] = field(default_factory=dict)
    """Keyed by (wodle index, block index)."""
    xml_fatal: bool = False
    """True when Wazuh's XML reader would stop: the manager does not start at all."""


def _child_tag(node: XmlNode) -> ChildTag:
    raw = node.tail_after_last_child if node.children else node.text
    value = raw.strip()
    return ChildTag(node.name, value, node.line, tuple(node.attributes), content_empty=(raw == ""))


def _option(tag: ChildTag) -> Option:
    return Option(tag.name, tag.value, tag.line, dict(tag.attributes))


def _legacy_block(path: str, node: XmlNode, index: int, top: Mapping[str, Option]) -> tuple[WodleBlock,
                                                                                             BlockSource]:
    """The bucket Wazuh builds from ``<bucket>name</bucket>`` and the top-level keys (alias ``LEGACY``)."""
    raw = node.tail_after_last_child if node.children else node.text
    options: dict[str, Option] = {
        "name": Option("name", raw.strip(), node.line),
        "aws_account_alias": Option("aws_account_alias", "LEGACY", node.line, {"synthetic": "yes"}),
    }
    for key in ("access_key", "secret_key"):
        if key in top and top[key].value:
            options[key] = top[key]
    if not (top.get("access_key") and top["access_key"].value):
        remove = top.get("remove_from_bucket")
        if remove is not None and remove.value == "yes":
            options["remove_from_bucket"] = remove
    block = WodleBlock(kind="bucket", block_type=None, location=SourceLocation(path, node.line),
                       options=options, index=index)
    source = BlockSource("bucket", node.line, (), tuple(_child_tag(child) for child in node.children),
                         legacy=True, legacy_content_empty=(raw == ""))
    return block, source


def _wodle(path: str, root: XmlNode, node: XmlNode, wodle_index: int,
           sources: dict[tuple[int, int], BlockSource]) -> tuple[Wodle, WodleSource]:
    top_tags = [_child_tag(child) for child in node.children]
    top_options = {tag.name: _option(tag) for tag in top_tags if tag.name not in BLOCK_TAGS}
    blocks: list[WodleBlock] = []
    legacy: XmlNode | None = None
    for child in node.children:
        if child.name not in BLOCK_TAGS:
            continue
        if child.name == "bucket" and not child.attributes:
            legacy = child
            continue
        children = [_child_tag(grandchild) for grandchild in child.children]
        options = {tag.name: _option(tag) for tag in children}
        discard = next((tag for tag in reversed(children) if tag.name == "discard_regex"), None)
        block = WodleBlock(kind=child.name, block_type=child.attribute("type"),
                           location=SourceLocation(path, child.line), options=options, index=len(blocks),
                           discard_regex=_option(discard) if discard else None)
        sources[(wodle_index, block.index)] = BlockSource(child.name, child.line, tuple(child.attributes),
                                                          tuple(children))
        blocks.append(block)
    if legacy is not None:
        block, source = _legacy_block(path, legacy, len(blocks), top_options)
        sources[(wodle_index, block.index)] = source
        blocks.append(block)
    wodle = Wodle(location=SourceLocation(path, node.line), options=top_options, blocks=tuple(blocks),
                  index=wodle_index)
    return wodle, WodleSource(root.name, root.line, tuple(top_tags))


def _is_aws_wodle(node: XmlNode) -> bool:
    return node.name == "wodle" and node.attribute("name") == WODLE_NAME


def _misplaced_wodles(roots: tuple[XmlNode, ...]) -> list[XmlNode]:
    """aws-s3 wodles not directly under a root: Wazuh never looks there."""
    found: list[XmlNode] = []
    pending = [(root, 0) for root in roots]
    while pending:
        current, depth = pending.pop()
        if _is_aws_wodle(current) and depth != 1:
            found.append(current)
        pending.extend((child, depth + 1) for child in current.children)
    return sorted(found, key=lambda node: node.line)


@dataclass
class _Loader:
    path: Path
    when: datetime
    findings: list[Finding] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(self.path)

    def add(self, failure_id: str, line: int | None = None,
            values: Mapping[str, object] | None = None, evidence: tuple[str, ...] = (),
            log: tuple[ParserMessage, ...] = ()) -> None:
        self.findings.append(make_finding(
            failure_id, rule=failure_id.split(".", 1)[1], target=self.label, profile=assumed_profile(),
            location=SourceLocation(self.label, line), values={"path": self.label, **(values or {})},
            evidence=evidence, ossec_lines=parser_log(log, self.when)))

    def read_bytes(self) -> bytes | None:
        try:
            if self.path.is_dir():
                self.add("config.file_is_directory")
                return None
            # O_NONBLOCK: a FIFO opens at once (and is refused below) instead of waiting for a writer
            descriptor = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
            kind = special_file_kind(os.fstat(descriptor).st_mode)
            if kind is not None:
                os.close(descriptor)
                self.add("config.file_not_regular", values={"kind": kind})
                return None
            os.set_blocking(descriptor, True)
            with os.fdopen(descriptor, "rb") as handle:
                data = _read_capped(handle, MAX_BYTES + 1)
        except FileNotFoundError:
            message = (f"(1226): Error reading XML file '{WAZUH_CONFIG_NAME}': XMLERR: File "
                       f"'{WAZUH_CONFIG_NAME}' not found. (line 0).")
            self.add("config.file_missing", log=(ParserMessage("ERROR", message),))
            return None
        except PermissionError:
            self.add("config.file_unreadable", values={"reason": "permission denied"})
            return None
        except OSError as error:
            if error.errno == errno.ELOOP:
                self.add("config.file_symlink_loop")
                return None
            reason = error.strerror or type(error).__name__
            self.add("config.file_unreadable", values={"reason": reason})
            return None
        if len(data) > MAX_BYTES:
            self.add("config.file_too_large", values={"limit": MAX_BYTES // (1024 * 1024)})
            data = data[:MAX_BYTES]
        return data

    def decode(self, data: bytes) -> str:
        if b"\x00" in data:
            line = data[:data.index(b"\x00")].count(b"\n") + 1
            self.add("config.file_nul_bytes", line)
            data = data.replace(b"\x00", b"")
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data[:error.start].count(b"\n") + 1
            self.add("config.file_not_utf8", line,
                     values={"byte": f"0x{data[error.start]:02x}", "line": line})
            return data.decode("utf-8", errors="replace")

    def check_xml(self, text: str, document: XmlDocument) -> bool:
        fatal = document.first_fatal
        if fatal is not None:
            message = (f"(1226): Error reading XML file '{WAZUH_CONFIG_NAME}': {fatal.message} "
                       f"(line {fatal.line}).")
            others = tuple(f"line {problem.line}: {problem.message}" for problem in document.problems
                           if problem.fatal and problem is not fatal)
            self.add("config.xml_malformed", fatal.line, values={"error": fatal.message},
                     evidence=others[:10], log=(ParserMessage("ERROR", message),))
        for problem in document.problems:
            if not problem.fatal:
                self.add("config.xml_declaration_ignored", problem.line,
                         values={"error": problem.message})
        if fatal is None:
            strict = strict_xml_problem(text)
            if strict is not None:
                self.add("config.xml_not_wellformed", strict.line, values={"error": strict.message})
        return fatal is not None

    def check_roots(self, document: XmlDocument) -> None:
        for root in document.roots:
            if root.name not in ROOT_ELEMENTS:
                message = f"(1230): Invalid element in the configuration: '{root.name}'."
                self.add("config.invalid_root", root.line, values={"element": root.name},
                         log=(ParserMessage("ERROR", message),))
        for node in _misplaced_wodles(document.roots):
            self.add("config.wodle_misplaced", node.line)


def load_config(path: Path, *, now: datetime | None = None) -> OssecConfig:
    """Read ossec.conf (or a copy) into wodles, blocks and options; problems become findings, never raises."""
    loader = _Loader(Path(path), now_utc(now))
    try:
        data = loader.read_bytes()
        if data is None:
            return OssecConfig(path=loader.label, findings=tuple(loader.findings))
        text = loader.decode(data)
        document = read_tolerant(text)
        fatal = loader.check_xml(text, document)
        loader.check_roots(document)
        wodles: list[Wodle] = []
        wodle_sources: list[WodleSource] = []
        block_sources: dict[tuple[int, int], BlockSource] = {}
        for root in document.roots:
            if root.name not in ROOT_ELEMENTS:
                continue
            for child in root.children:
                if _is_aws_wodle(child):
                    wodle, source = _wodle(loader.label, root, child, len(wodles), block_sources)
                    wodles.append(wodle)
                    wodle_sources.append(source)
        return OssecConfig(path=loader.label, wodles=tuple(wodles), findings=tuple(loader.findings),
                           wodle_sources=tuple(wodle_sources), block_sources=block_sources, xml_fatal=fatal)
    except (RecursionError, MemoryError, ValueError, OSError) as error:  # last resort: report, never raise
        loader.add("config.file_unreadable", values={"reason": type(error).__name__})
        return OssecConfig(path=loader.label, findings=tuple(loader.findings))
