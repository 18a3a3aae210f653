"""Text from data made safe for a terminal: control characters become visible escapes such as ``\\x1b``.

Key names, object contents, AWS error messages and log lines are controlled by whoever can write to a
bucket; written raw, an ESC or OSC sequence clears the admin's screen, retitles the window or fills the
clipboard, and a newline forges a log line. Every face passes such text through ``visible`` before it
reaches a terminal; JSON output keeps the exact value instead, because JSON escapes controls itself.
"""

from __future__ import annotations

_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
_INVISIBLE = (
    [chr(code) for code in range(0x20)] + ["\x7f"] + [chr(code) for code in range(0x80, 0xA0)]
    + [chr(code) for code in range(0x202A, 0x202F)] + [chr(code) for code in range(0x2066, 0x206A)]
    + ["\u2028", "\u2029"]
)
"""C0 and C1 controls and DEL (terminal sequences), bidi overrides (text that reads in another order) and
the Unicode line separators (which ``str.splitlines`` and some widgets treat as a newline)."""


def _escape(character: str) -> str:
    if character in _NAMED:
        return _NAMED[character]
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_TABLE = {ord(character): _escape(character) for character in _INVISIBLE}


def visible(text: str) -> str:
    """``text`` on one line with every control character written as its escape (``\\x1b``, ``\\n``).

    Applying it twice gives the same result, so a face may pass already-safe text through it again.
    """
    if text.isprintable():
        return text
    return text.translate(_TABLE)


def visible_lines(text: str) -> str:
    """Like ``visible`` but keeps the line breaks (``\\n``) of a text that is meant to span lines."""
    if text.isprintable():
        return text
    return "\n".join(line.translate(_TABLE) for line in text.split("\n"))

