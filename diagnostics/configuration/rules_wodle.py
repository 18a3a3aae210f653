"""Checks of the wodle's top-level tags and schedule (``wm_aws_read`` and ``sched_scan_read``).

The schedule is parsed exactly like the C code: ``strtoul`` with base 0 (so ``010m`` is octal), one suffix
letter, the 5-second code default, and the day/wday/time adjustments with their warnings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from diagnostics.configuration.rule_context import ParserMessage, ValidationContext, make_finding
from diagnostics.configuration.rules_parser import MODULE
from diagnostics.configuration.source import ChildTag
from diagnostics.findings import Finding

YES_NO_TAGS = ("disabled", "run_on_start", "skip_on_error", "remove_from_bucket")
SCHEDULE_TAGS = ("interval", "day", "wday", "time")
KNOWN_TAGS = frozenset({*YES_NO_TAGS, *SCHEDULE_TAGS, "access_key", "secret_key", "bucket", "service",
                        "subscriber"})
AWS_DEFAULT_INTERVAL = 5
"""``WM_AWS_DEFAULT_INTERVAL``: seconds (the documentation says 10m)."""
ULONG_MAX = 2 ** 64 - 1
UINT_MAX = 2 ** 32 - 1
WEEK, DAY = 604800, 86400
_UNITS = {"w": WEEK, "d": DAY, "h": 3600, "m": 60, "s": 1, "": 1}
_WEEKDAYS = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
_TIME = re.compile(r"^(\d{1,2}):(\d{1,2})$")


def strtoul(text: str) -> tuple[int, int]:
    """C ``strtoul(text, &end, 0)``: the value and the index where parsing stopped (0 when nothing parsed)."""
    index, length = 0, len(text)
    while index < length and text[index] in " \t\n\v\f\r":
        index += 1
    negative = False
    if index < length and text[index] in "+-":
        negative = text[index] == "-"
        index += 1
    base, digits = 10, "0123456789"
    hexadecimal = "0123456789abcdefABCDEF"
    if text[index:index + 2].lower() == "0x" and index + 2 < length and text[index + 2] in hexadecimal:
        base, digits, index = 16, hexadecimal, index + 2
    elif text[index:index + 1] == "0":
        base, digits = 8, "01234567"
    start = index
    while index < length and text[index] in digits:
        index += 1
    if index == start:
        return 0, 0
    value = min(int(text[start:index], base), ULONG_MAX)
    if negative:
        value = (ULONG_MAX + 1 - value) % (ULONG_MAX + 1)
    return value, index


@dataclass(frozen=True)
class Interval:
    """A parsed ``<interval>``: seconds (or months) and whether it was octal/hex."""

    value: int
    months: bool
    seconds: int
    unusual_base: bool


def parse_interval(text: str) -> Interval | None:
    """Wazuh's reading of ``<interval>``; None where it logs ``Invalid interval value``."""
    value, end = strtoul(text)
    if value <= 0 or value >= UINT_MAX:
        return None
    suffix = text[end] if end < len(text) else ""
    if suffix == "M":
        return Interval(value, True, 0, _unusual(text))
    if suffix not in _UNITS:
        return None
    return Interval(value, False, value * _UNITS[suffix], _unusual(text))


def _unusual(text: str) -> bool:
    stripped = text.strip().lstrip("+-")
    return len(stripped) > 1 and stripped[0] == "0" and stripped[1].isalnum()


def valid_wday(text: str) -> bool:
    """Weekday names, case-insensitive (the first three letters decide)."""
    return len(text) >= 3 and text[:3].lower() in {day[:3] for day in _WEEKDAYS}


def valid_time(text: str) -> bool:
    """``hh:mm`` in 24-hour form."""
    match = _TIME.match(text)
    return bool(match) and int(match.group(1)) < 24 and int(match.group(2)) < 60  # type: ignore[union-attr]


class _WodleChecker:
    def __init__(self, ctx: ValidationContext) -> None:
        self.ctx = ctx
        self.findings: list[Finding] = []
        index = ctx.wodle.index
        self.target = "wodle aws-s3" + (f" #{index + 1}" if index else "")

    def add(self, failure_id: str, line: int | None, message: str = "", *, level: str = "ERROR",
            tagged: bool = False, tag: str = "", value: str = "", seconds: int = 0) -> None:
        lines = self.ctx.parser_lines(ParserMessage(level, message, tagged)) if message else ()
        self.findings.append(make_finding(
            failure_id, rule=failure_id.split(".", 1)[1], target=self.target, profile=self.ctx.profile,
            location=self.ctx.at(line),
            values={"message": message, "tag": tag, "value": value, "seconds": seconds}, ossec_lines=lines))

    def check_tags(self) -> None:
        for child in self.ctx.source.children:
            if child.name == "subscriber" and not self.ctx.profile.has_subscribers:
                self.add("config.subscriber_unsupported", child.line,
                         f"No such tag 'subscriber' at module '{MODULE}'.", tag=child.name)
            elif child.name in YES_NO_TAGS and child.value not in ("yes", "no"):
                self.add("config.yes_no", child.line, f"Invalid content for tag '{child.name}' at module "
                                                      f"'{MODULE}'.",
                         tag=child.name, value=child.value)
            elif child.name not in KNOWN_TAGS:
                self.add("config.unknown_tag", child.line, f"No such tag '{child.name}' at module "
                                                           f"'{MODULE}'.",
                         tag=child.name)

    def check_schedule(self) -> None:
        scheduled = [child for child in self.ctx.source.children if child.name in SCHEDULE_TAGS]
        interval: Interval | None = Interval(AWS_DEFAULT_INTERVAL, False, AWS_DEFAULT_INTERVAL, False)
        day = wday = time_set = None
        for child in scheduled:
            if child.name == "interval":
                interval = self.check_interval(child)
            elif child.name == "day":
                valid = child.value.isdigit() and 1 <= int(child.value) <= 31
                day = child if valid else day
                if not valid:
                    self.value_error(child)
            elif child.name == "wday":
                wday = child if valid_wday(child.value) else wday
                if not valid_wday(child.value):
                    self.value_error(child)
            elif child.name == "time":
                time_set = child if valid_time(child.value) else time_set
                if not valid_time(child.value):
                    self.value_error(child)
        if not scheduled:
            self.add("config.interval_default", self.ctx.wodle.location.line)
        if interval is None:
            return
        self.adjustments(interval, day, wday, time_set)

    def value_error(self, child: ChildTag) -> None:
        self.add("config.schedule_value", child.line, f"(1235): Invalid value for element '{child.name}': "
                 f"{child.value}.", tag=child.name, value=child.value)

    def check_interval(self, child: ChildTag) -> Interval | None:
        interval = parse_interval(child.value)
        if interval is None:
            self.add("config.interval_invalid", child.line, f"Invalid interval value at module '{MODULE}'",
                     value=child.value)
        elif interval.unusual_base and not interval.months:
            self.add("config.interval_octal", child.line, tag="interval", value=child.value,
                     seconds=interval.seconds)
        return interval

    def adjustments(self, interval: Interval, day: ChildTag | None, wday: ChildTag | None,
                    time_set: ChildTag | None) -> None:
        if day is not None and wday is not None:
            self.add("config.day_wday", wday.line, "Options 'day' and 'wday' are not compatible.")
        elif day is not None and not interval.months:
            self.add("config.interval_adjusted", day.line,
                     "Interval must be a multiple of one month. New interval value: 1M", level="WARNING")
        elif wday is not None and (interval.months or interval.seconds % WEEK):
            self.add("config.interval_adjusted", wday.line,
                     "Interval must be a multiple of one week. New interval value: 1w", level="WARNING")
        elif day is None and wday is None and time_set is not None \
                and (interval.months or interval.seconds % DAY):
            self.add("config.interval_adjusted", time_set.line,
                     "Interval must be a multiple of one day. New interval value: 1d", level="WARNING")
        elif day is None and wday is None and time_set is None and interval.months:
            self.add("config.interval_adjusted", self.ctx.wodle.location.line,
                     "Interval value is in months. Setting scan day to first day of the "
                     "month.", level="WARNING")

    def check_state(self) -> None:
        wodle, children = self.ctx.wodle, self.ctx.source.children
        line = wodle.location.line
        if not children:
            self.add("config.empty_wodle", line, f"Tag <bucket> not found at module '{MODULE}'.")
            return
        has_subscribers = self.ctx.profile.has_subscribers
        if not any(block.kind != "subscriber" or has_subscribers for block in wodle.blocks):
            self.add("config.no_blocks", line,
                     f"No buckets, services or subscribers definitions found at module '{MODULE}'.",
                     level="WARNING", tagged=True)
        if wodle.disabled:
            option = wodle.options.get("disabled")
            self.add("config.wodle_disabled", option.line if option else line, "Module AWS is disabled. "
                                                                               "Exiting...",
                     level="INFO", tagged=True)
        if wodle.value("skip_on_error") is None:
            self.add("config.skip_on_error_default", line)


def check_wodle(ctx: ValidationContext) -> list[Finding]:
    """Top-level tag, schedule and state findings of one wodle."""
    checker = _WodleChecker(ctx)
    checker.check_state()
    if ctx.source.children:
        checker.check_tags()
        checker.check_schedule()
    return checker.findings
