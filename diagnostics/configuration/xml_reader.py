"""A tolerant XML reader that sees ossec.conf the way Wazuh's own ``os_xml`` parser does.

Wazuh does not use a standard XML parser: several roots are normal, text outside elements is ignored,
entities are never decoded (the raw ``&amp;`` reaches the module) and a DTD means nothing. Reading the file
with a standard parser would both reject valid Wazuh files and hide Wazuh's own errors, so this reader
mimics ``os_xml`` (iteratively: no recursion, no entity expansion, bounded work) and reports its
``XMLERR`` texts; a separate strict expat pass only flags files that other XML tools would reject.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from xml.parsers import expat

MAX_DEPTH = 1024
"""``os_xml`` refuses deeper nesting (``XMLERR: Max recursion level reached``)."""

_NAME_END = re.compile(r"[\s>]")
_SPACE = " \t\r\n\f\v"


@dataclass
class XmlNode:
    """One element: name, attributes in order, own text, children and the line of its start tag."""

    name: str
    line: int
    attributes: list[tuple[str, str]] = field(default_factory=list)
    children: list[XmlNode] = field(default_factory=list)
    text_parts: list[str] = field(default_factory=list)
    tail_parts: list[str] = field(default_factory=list)
    """Text chunks after the last child (a list: growing a string chunk by chunk is quadratic)."""

    @property
    def tail_after_last_child(self) -> str:
        """Text after the last child: what ``os_xml`` keeps as the content of an element with children."""
        return "".join(self.tail_parts)

    @property
    def text(self) -> str:
        """All the element's own text (children excluded), raw."""
        return "".join(self.text_parts)

    def attribute(self, name: str) -> str | None:
        """Value of an attribute, or None."""
        for key, value in self.attributes:
            if key == name:
                return value
        return None


@dataclass(frozen=True)
class XmlProblem:
    """A reading problem with its line; ``fatal`` when Wazuh's reader stops there (manager won't start)."""

    message: str
    line: int
    fatal: bool


@dataclass(frozen=True)
class XmlDocument:
    """Root elements in file order and the problems met while reading."""

    roots: tuple[XmlNode, ...]
    problems: tuple[XmlProblem, ...]

    @property
    def first_fatal(self) -> XmlProblem | None:
        """The error Wazuh would report: its reader stops at the first one."""
        for problem in self.problems:
            if problem.fatal:
                return problem
        return None


class _Reader:
    """Single pass over the text with an explicit element stack."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.newlines = [match.start() for match in re.finditer("\n", text)]
        self.roots: list[XmlNode] = []
        self.stack: list[XmlNode] = []
        self.problems: list[XmlProblem] = []

    def line_at(self, position: int) -> int:
        return bisect.bisect_left(self.newlines, position) + 1

    def problem(self, message: str, position: int, fatal: bool = True) -> None:
        self.problems.append(XmlProblem(message, self.line_at(position), fatal))

    def add_text(self, chunk: str) -> None:
        if self.stack and chunk:
            node = self.stack[-1]
            node.text_parts.append(chunk)
            node.tail_parts.append(chunk)

    def run(self) -> XmlDocument:
        text, position, length = self.text, 0, len(self.text)
        while position < length:
            start = text.find("<", position)
            if start < 0:
                self.add_text(text[position:])
                break
            self.add_text(text[position:start])
            position = self.markup(start)
        if self.stack:
            self.problem("XMLERR: End of file and some elements were not closed.", length)
        return XmlDocument(tuple(self.roots), tuple(self.problems))

    def markup(self, start: int) -> int:
        text = self.text
        if text.startswith("<!--", start):
            end = text.find("-->", start + 4)
            if end < 0:
                self.problem("XMLERR: Comment not closed.", start)
                return len(text)
            return end + 3
        if text.startswith("<![CDATA[", start):
            end = text.find("]]>", start)
            stop = len(text) if end < 0 else end
            self.add_text(text[start + 9:stop])
            return stop + 3
        if text.startswith("<!", start):
            return self.declaration(start)
        if text.startswith("<?", start):
            end = text.find("?>", start + 2)
            return len(text) if end < 0 else end + 2
        if text.startswith("</", start):
            return self.close_tag(start)
        return self.open_tag(start)

    def declaration(self, start: int) -> int:
        """Skip ``<!DOCTYPE ...>`` (with an internal subset) without ever defining an entity."""
        text, depth, position = self.text, 0, start + 2
        self.problem("A DOCTYPE/declaration was ignored: Wazuh has no DTD support and entities are never "
                     "expanded", start, fatal=False)
        while position < len(text):
            char = text[position]
            if char == "[":
                depth += 1
            elif char == "]":
                depth = max(depth - 1, 0)
            elif char == ">" and depth == 0:
                return position + 1
            position += 1
        return len(text)

    def close_tag(self, start: int) -> int:
        end = self.text.find(">", start)
        if end < 0:
            self.problem("XMLERR: End of file and some elements were not closed.", start)
            return len(self.text)
        name = self.text[start + 2:end].strip()
        if not self.stack:
            self.problem("XMLERR: Element not opened.", start)
            return end + 1
        if self.stack[-1].name == name:
            self.stack.pop()
            return end + 1
        self.problem(f"XMLERR: Element '{self.stack[-1].name}' not closed.", start)
        if any(node.name == name for node in self.stack):
            while self.stack and self.stack[-1].name != name:
                self.stack.pop()
            if self.stack:
                self.stack.pop()
        return end + 1

    def open_tag(self, start: int) -> int:
        text = self.text
        match = _NAME_END.search(text, start + 1)
        name_end = match.start() if match else len(text)
        name = text[start + 1:name_end]
        self_closing = name.endswith("/")
        if self_closing:
            name = name[:-1]
        if not name:
            self.add_text("<")
            return start + 1
        if match is None:
            self.problem("XMLERR: End of file and some elements were not closed.", start)
            return len(text)
        attributes: list[tuple[str, str]] = []
        position = name_end
        if text[name_end] != ">":
            position, closes = self.attributes(name_end, attributes)
            self_closing = self_closing or closes
        else:
            position = name_end + 1
        node = XmlNode(name=name, line=self.line_at(start), attributes=attributes)
        if self.stack:
            parent = self.stack[-1]
            parent.children.append(node)
            parent.tail_parts = []
        else:
            self.roots.append(node)
        if not self_closing:
            if len(self.stack) >= MAX_DEPTH:
                self.problem("XMLERR: Max recursion level reached", start)
            else:
                self.stack.append(node)
        return position

    def attributes(self, position: int, into: list[tuple[str, str]]) -> tuple[int, bool]:
        """Read ``key="value"`` pairs up to ``>``; returns the next position and whether it self-closed."""
        text, length = self.text, len(self.text)
        seen = {existing for existing, _ in into}  # a set: a tag with 40k attributes must not cost 40k² looks
        while True:
            while position < length and text[position] in _SPACE:
                position += 1
            if position >= length:
                self.problem("XMLERR: End of file while reading an attribute.", position)
                return length, True
            if text[position] == ">":
                return position + 1, False
            if text.startswith("/>", position):
                return position + 2, True
            key_start = position
            while position < length and text[position] not in _SPACE + "=>/":
                position += 1
            key = text[key_start:position]
            while position < length and text[position] in _SPACE:
                position += 1
            if position >= length or text[position] != "=":
                self.problem(f"XMLERR: Attribute '{key}' has no value.", key_start)
                return self.skip_tag(position)
            position += 1
            while position < length and text[position] in _SPACE:
                position += 1
            if position >= length or text[position] not in "\"'":
                self.problem(f"XMLERR: Attribute '{key}' not followed by a \" or '.", key_start)
                return self.skip_tag(position)
            quote = text[position]
            value_end = text.find(quote, position + 1)
            if value_end < 0:
                self.problem("XMLERR: End of file while reading an attribute.", position)
                return length, True
            value = text[position + 1:value_end]
            if key in seen:
                self.problem(f"XMLERR: Attribute '{key}' already defined.", key_start)
            seen.add(key)
            into.append((key, value))
            position = value_end + 1
            if position < length and text[position] not in _SPACE + ">/":
                self.problem(f"XMLERR: Bad attribute closing for '{key}'='{value}'.", position)
                return self.skip_tag(position)

    def skip_tag(self, position: int) -> tuple[int, bool]:
        end = self.text.find(">", position)
        if end < 0:
            return len(self.text), True
        return end + 1, self.text[end - 1] == "/"


def read_tolerant(text: str) -> XmlDocument:
    """Read text like ``os_xml``; never raises and never expands entities."""
    try:
        return _Reader(text).run()
    except (RecursionError, MemoryError, IndexError, ValueError) as error:  # defensive: report, never crash
        return XmlDocument((), (XmlProblem(f"XMLERR: could not read the file ({type(error).__name__})", 1,
                                           True),))


_WRAPPER = "wazuh_aws_doctor_wrapper"
_DECLARATION = re.compile(r"^\ufeff?\s*<\?xml[^>]*\?>")


def strict_xml_problem(text: str) -> XmlProblem | None:
    """The first standard-XML error (expat), or None; the text is wrapped so several roots are allowed.

    Wrapping also means any DOCTYPE is a syntax error rather than a definition, so no entity can ever be
    declared, let alone expanded (billion laughs, external entities).
    """
    body = _DECLARATION.sub(lambda match: " " * len(match.group(0).replace("\n", "")) +
                            "\n" * match.group(0).count("\n"), text, count=1)
    parser = expat.ParserCreate()
    try:
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.Parse(f"<{_WRAPPER}>{body}</{_WRAPPER}>", True)
    except expat.ExpatError as error:
        message = expat.errors.messages.get(error.code, str(error))
        return XmlProblem(f"not well-formed XML: {message}", max(int(error.lineno), 1), False)
    except (ValueError, RecursionError, MemoryError, OverflowError) as error:
        return XmlProblem(f"not well-formed XML ({type(error).__name__})", 1, False)
    return None
