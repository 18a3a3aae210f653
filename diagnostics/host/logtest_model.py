"""What a logtest pass returns: per-event decoder and rule, events grouped by rule, and the findings.

Kept apart from the transports in ``logtest`` so the faces depend on a small frozen shape, and so the
text parser of the ``wazuh-logtest`` tool (its ``**Phase`` blocks) is testable on its own.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from diagnostics.configuration.xml_reader import read_tolerant
from diagnostics.context import DoctorContext
from diagnostics.explanations import build_finding
from diagnostics.findings import Finding

LOCATION = "Wazuh-AWS"
"""The location the module's datagrams carry (``1:Wazuh-AWS:``), so rules keyed on location match too."""
DEFAULT_ALERT_LEVEL = 3
"""``<alerts><log_alert_level>`` when ossec.conf does not set it (Wazuh's documented default)."""

ALERT, LEVEL_ZERO, BELOW, NO_RULE, NO_DECODER, ERROR = (
    "alert", "level_zero", "below_alert_level", "no_rule", "no_decoder", "error")
_FAILURE_IDS = {ALERT: "host.logtest_alerts", LEVEL_ZERO: "host.logtest_level_zero",
                BELOW: "host.logtest_below_alert_level", NO_RULE: "host.logtest_no_rule",
                NO_DECODER: "host.logtest_no_decoder"}
_FIELD = re.compile(r"^\t(?P<key>[^:\t][^:]*): '(?P<value>.*)'$")


@dataclass(frozen=True)
class EventMatch:
    """logtest's answer for one event: decoder, rule, level and its own alert verdict."""

    index: int
    """Position of the event in the input (discarded events keep their place)."""
    key: str | None = None
    """The S3 object the event came from (``aws.log_info.log_file``)."""
    decoder: str | None = None
    rule_id: str | None = None
    level: int | None = None
    description: str | None = None
    groups: tuple[str, ...] = ()
    alert: bool = False
    """analysisd's verdict (socket) or the tool's ``**Alert to be generated.`` line."""
    firedtimes: int | None = None
    messages: tuple[str, ...] = ()
    error: str | None = None

    @property
    def answered(self) -> bool:
        """True when logtest processed the event."""
        return self.error is None

    @classmethod
    def from_output(cls, index: int, key: str | None, output: Mapping[str, Any], alert: bool,
                    messages: tuple[str, ...] = ()) -> EventMatch:
        """Build from the alert JSON of a logtest answer (``output``)."""
        rule = as_mapping(output.get("rule"))
        decoder = as_mapping(output.get("decoder"))
        groups = rule.get("groups")
        groups = groups if isinstance(groups, list) else []
        return cls(index, key, _text(decoder.get("name")), _text(rule.get("id")), _int(rule.get("level")),
                   _text(rule.get("description")), tuple(str(group) for group in groups), alert,
                   _int(rule.get("firedtimes")), messages)

    def verdict(self, alert_level: int) -> str:
        """``alert``, ``level_zero``, ``below_alert_level``, ``no_rule``, ``no_decoder`` or ``error``."""
        if self.error is not None:
            return ERROR
        if self.rule_id is None:
            return NO_RULE if self.decoder else NO_DECODER
        if self.level == 0:
            return LEVEL_ZERO
        if self.alert or (self.level is not None and self.level >= alert_level):
            return ALERT
        return BELOW

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"index": self.index, "key": self.key, "decoder": self.decoder, "rule_id": self.rule_id,
                "level": self.level, "description": self.description, "groups": list(self.groups),
                "alert": self.alert, "firedtimes": self.firedtimes, "messages": list(self.messages),
                "error": self.error}


def as_mapping(value: Any) -> Mapping[str, Any]:
    """``value`` when it is a JSON object, else an empty one (answers are never trusted blindly)."""
    return value if isinstance(value, Mapping) else {}


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class RuleGroup:
    """Events of a file that end the same way (same rule and level, or the same kind of no-match)."""

    verdict: str
    rule_id: str | None
    level: int | None
    description: str | None
    decoder: str | None
    indexes: tuple[int, ...]
    keys: tuple[str, ...] = ()

    @property
    def count(self) -> int:
        """Number of events in the group."""
        return len(self.indexes)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"verdict": self.verdict, "rule_id": self.rule_id, "level": self.level,
                "description": self.description, "decoder": self.decoder, "count": self.count,
                "events": list(self.indexes), "keys": list(self.keys)}


@dataclass(frozen=True)
class LogtestReport:
    """Every event's match, the groups by rule, and the findings to show."""

    interface: str
    """``socket``, ``binary`` or ``none`` (logtest unavailable)."""
    target: str
    alert_level: int
    alert_level_source: str
    matches: tuple[EventMatch, ...] = ()
    groups: tuple[RuleGroup, ...] = ()
    findings: tuple[Finding, ...] = ()
    not_sent: int = 0
    """Events the module would not send (discard_regex), so they were not tested."""
    messages: tuple[str, ...] = field(default=())

    @property
    def available(self) -> bool:
        """True when some logtest interface was found."""
        return self.interface != "none"

    def to_dict(self) -> dict[str, Any]:
        """The ``preview --logtest --format json`` document."""
        return {"interface": self.interface, "target": self.target, "location": LOCATION,
                "alert_level": self.alert_level, "alert_level_source": self.alert_level_source,
                "not_sent": self.not_sent, "events": [match.to_dict() for match in self.matches],
                "groups": [group.to_dict() for group in self.groups],
                "findings": [finding.to_dict() for finding in self.findings]}


def read_alert_level(config_path: Path) -> tuple[int, str]:
    """``<alerts><log_alert_level>`` from ossec.conf (the last one wins), or Wazuh's default of 3."""
    default = (DEFAULT_ALERT_LEVEL, "Wazuh's default; ossec.conf does not set <log_alert_level>")
    try:
        with Path(config_path).open("rb") as handle:
            text = handle.read(32 * 1024 * 1024).decode("utf-8", errors="replace")
    except OSError:
        return DEFAULT_ALERT_LEVEL, f"Wazuh's default; {config_path} could not be read"
    found: tuple[int, str] | None = None
    for root in read_tolerant(text).roots:
        for section in root.children:
            if section.name != "alerts":
                continue
            for option in section.children:
                value = option.text.strip()
                if option.name == "log_alert_level" and value.isdigit() and 1 <= int(value) <= 16:
                    found = (int(value), f"<log_alert_level> at {config_path}:{option.line}")
    return found or default


def parse_text_output(text: str, expected: int) -> list[EventMatch]:
    """Split the tool's output into one match per event, in input order (missing ones are errors)."""
    blocks: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    pending: list[str] = []
    phase = 0
    for line in text.splitlines():
        if line.startswith("**Phase 1:"):
            current = {"rule": {}, "messages": tuple(pending), "alert": False}
            blocks.append(current)
            pending, phase = [], 1
        elif line.startswith("** Wazuh-logtest error"):
            blocks.append({"error": line[3:].strip(), "messages": tuple(pending)})
            current, pending, phase = None, [], 0
        elif line.startswith("** Wazuh-Logtest: "):
            pending.append(line[len("** Wazuh-Logtest: "):].strip())
        elif current is None:
            continue
        elif line.startswith("**Phase 2:"):
            phase = 2
        elif line.startswith("**Phase 3:"):
            phase = 3
        elif line.startswith("**Alert to be generated."):
            current["alert"] = True
        else:
            match = _FIELD.match(line)
            if match and phase == 2 and match["key"] == "name" and "decoder" not in current:
                current["decoder"] = match["value"]
            elif match and phase == 3 and match["key"] not in current["rule"]:
                current["rule"][match["key"]] = match["value"]
    matches: list[EventMatch] = []
    for index in range(expected):
        if index >= len(blocks):
            matches.append(EventMatch(index, error="wazuh-logtest gave no answer for this event"))
            continue
        block = blocks[index]
        if "error" in block:
            matches.append(EventMatch(index, messages=block["messages"], error=block["error"]))
            continue
        rule = dict(block["rule"])
        rule["groups"] = _groups(rule.get("groups"))
        output = {"rule": rule, "decoder": {"name": block.get("decoder")}}
        matches.append(EventMatch.from_output(index, None, output, block["alert"], block["messages"]))
    return matches


def _groups(value: Any) -> list[str]:
    if not isinstance(value, str):
        return []
    try:
        parsed = ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return [value]
    return [str(item) for item in parsed] if isinstance(parsed, (list, tuple)) else [str(parsed)]


def _group(matches: tuple[EventMatch, ...], alert_level: int) -> tuple[RuleGroup, ...]:
    order: dict[tuple[Any, ...], list[EventMatch]] = {}
    for match in matches:
        verdict = match.verdict(alert_level)
        key = (verdict, match.rule_id, match.level, match.description, match.decoder)
        order.setdefault(key, []).append(match)
    return tuple(RuleGroup(key[0], key[1], key[2], key[3], key[4], tuple(m.index for m in members),
                           tuple(dict.fromkeys(m.key for m in members if m.key))[:5])
                 for key, members in order.items())


def build_report(*, context: DoctorContext, interface: str, target: Path, alert_level: int,
                 alert_level_source: str, not_sent: int, matches: tuple[EventMatch, ...],
                 failure: str | None = None) -> LogtestReport:
    """Group the matches and turn every group, failure and logtest message into findings."""
    home = context.wazuh_home
    common = {"home": str(home), "socket": str(home / "queue" / "sockets" / "logtest"),
              "binary": str(home / "bin" / "wazuh-logtest"), "alert_level": alert_level,
              "alert_level_source": alert_level_source}

    def finding(failure_id: str, values: Mapping[str, Any], evidence: tuple[str, ...] = (),
                details: Mapping[str, Any] | None = None) -> Finding:
        return build_finding(failure_id, check_id="host.logtest", target="wazuh-logtest",
                             profile=context.profile, values={**common, **values}, evidence=evidence,
                             details=details)

    findings: list[Finding] = []
    if interface == "none":
        findings.append(finding("host.logtest_unavailable", {}))
    if failure is not None:
        findings.append(finding("host.logtest_failed",
                                {"interface": f"{interface} {target}", "error": failure}))
    groups = _group(matches, alert_level)
    for group in groups:
        if group.verdict == ERROR:
            errors = tuple(dict.fromkeys(m.error or "" for m in matches if m.index in group.indexes))
            findings.append(finding("host.logtest_failed", {"interface": f"{interface} {target}",
                                                            "error": errors[0]}, evidence=errors[1:5]))
            continue
        values = {"count": group.count, "rule_id": group.rule_id, "level": group.level,
                  "description": group.description or "", "decoder": group.decoder or "?"}
        shown = ", ".join(f"#{index}" for index in group.indexes[:20])
        evidence = (f"events {shown}{' ...' if group.count > 20 else ''}",
                    *(f"object {key}" for key in group.keys))
        findings.append(finding(_FAILURE_IDS[group.verdict], values, evidence, details=group.to_dict()))
    messages = tuple(dict.fromkeys(message for match in matches for message in match.messages
                                   if message.startswith(("WARNING", "ERROR"))))
    findings.extend(finding("host.logtest_messages", {"message": message}) for message in messages[:5])
    return LogtestReport(interface, str(target), alert_level, alert_level_source, matches, groups,
                         tuple(findings), not_sent, messages)
