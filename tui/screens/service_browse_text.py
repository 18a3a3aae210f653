"""The Browse service screen's words: tree labels and the pane's text for a region, group, stream, event or finding.

Everything from AWS (names, messages, findings) passes through ``visible`` here, and the screen wraps the
result in a ``rich.text.Text``, so data is never parsed as markup nor sent raw to the terminal.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from rich.text import Text

from diagnostics.service_browse import EventEntry, FindingEntry, GroupEntry, ServiceBrowse, StreamEntry
from diagnostics.text_safety import visible, visible_lines
from diagnostics.wazuh.services_state import milliseconds_text

LABEL_CHARACTERS = 400
"""A tree label shows the start of a message (a 256 KB event would make every repaint slow); the pane has it all."""


def size_text(value: int | None) -> str:
    """Stored bytes as ``812 B``, ``3.1 KB``, ``2.4 MB``; ``size unknown`` when AWS did not say."""
    if value is None:
        return "size unknown"
    size = float(value)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{value} B"


def short_time(millis: int | None) -> str:
    """Epoch milliseconds as ``2026-12-04 12:04:05`` (UTC), or ``never``."""
    if millis is None:
        return "never"
    return datetime.fromtimestamp(millis / 1000, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def clock_text(millis: int | None, today: date) -> str:
    """``12:04:05`` for a time today (UTC), the date too otherwise: labels stay short in a narrow tree."""
    if millis is None:
        return "never"
    moment = datetime.fromtimestamp(millis / 1000, tz=timezone.utc)
    return moment.strftime("%H:%M:%S" if moment.date() == today else "%Y-%m-%d %H:%M:%S")


def stream_label(entry: StreamEntry, today: date) -> Text:
    """``s1 · next run from 12:04:05 · saved to 12:04:05 · 3.1 KB · last 12:10:00``: where the next run reads
    first, because a narrow tree cuts the end (the pane has it all)."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(visible(entry.info.name))
    starts = ", ".join(clock_text(start, today) for start, _end in entry.asks)
    text.append(f" · next run from {starts}")
    if entry.progress is not None and entry.progress.end_time is not None:
        text.append(f" · saved to {clock_text(entry.progress.end_time, today)}", style="green")
    else:
        text.append(" · nothing saved", style="yellow")
    text.append(f" · {size_text(entry.info.stored_bytes)} · last {clock_text(entry.info.last_event, today)}",
                style="dim")
    return text


def event_label(entry: EventEntry, today: date) -> Text:
    """``✓ 12:04:05 message`` (sent by the next run), ``⊘`` (dropped by it) or ``·`` (outside its range)."""
    event = entry.event
    mark = ("⊘ " if event.dropped_by else "✓ ") if entry.next_run else "· "
    text = Text(mark, no_wrap=True, overflow="ellipsis")
    text.append(clock_text(event.timestamp, today) + " ", style="dim")
    text.append(visible(event.message[:LABEL_CHARACTERS]), style="italic" if event.dropped_by else "")
    return text


def finding_label(entry: FindingEntry) -> Text:
    """``✓ HIGH CVE-…`` inside the next run's window, ``· before the window · LOW …`` outside it (said first,
    because a narrow tree cuts the end)."""
    dropped = entry.event.dropped_by is not None
    text = Text(("⊘ " if dropped else "✓ ") if entry.in_window else "· ", no_wrap=True, overflow="ellipsis")
    if not entry.in_window:
        text.append("before the window · ", style="dim")
    text.append(visible(entry.event.summary or entry.event.finding_arn))
    return text


def region_text(browse: ServiceBrowse, loop_region: str) -> str:
    """Which region this iteration reads, where the loop's regions come from, and Inspector's window."""
    regions = browse.regions
    read = regions.region_read(loop_region)
    lines = [f"Loop region {loop_region} (the run walks {', '.join(regions.loop_regions)}, from {regions.origin})."]
    if browse.unsupported(loop_region):
        lines.append(f"Inspector is not offered in {loop_region} in the module's list: its run stops here with "
                     "exit 22, and regions after it are never read.")
        return "\n".join(lines)
    if read != loop_region:
        lines.append(f"Its client reads {read}: the region of [{regions.profile_section}] in the module's "
                     f"~/.aws/config overrides the region the loop passes, so this iteration reads {read} and "
                     f"keeps its progress under {loop_region}.")
    else:
        lines.append(f"Its client reads {read}.")
    window = next((item for item in browse.windows if item.loop_region == loop_region), None)
    if window is not None:
        lines.append(f"The next run asks for findings updated from {window.start.isoformat(sep=' ')} to "
                     f"{window.end.isoformat(sep=' ', timespec='seconds')} ({window.origin}).")
    lines.append("Enter opens it.")
    return "\n".join(lines)


def group_text(entry: GroupEntry) -> str:
    """A log group's state under one loop region."""
    head = f"Log group {visible(entry.probe.group)} in {entry.region_read}"
    if entry.probe.exists:
        return (f"{head}: exists ({size_text(entry.probe.stored_bytes)} stored). DescribeLogStreams answers as "
                "it does for the module's first call. Enter lists its streams.")
    return (f"{head}: {entry.state} ({entry.probe.outcome.code or entry.probe.outcome.kind}). The module's "
            "DescribeLogStreams fails the same way; below: its exit code, its ossec.log lines and the fix.")


def stream_text(entry: StreamEntry, only_logs_after: str | None) -> str:
    """A stream's listing, its saved row (read-only) and the ranges the next run asks GetLogEvents for."""
    info = entry.info
    lines = [f"Stream {visible(info.name)}: {size_text(info.stored_bytes)} stored; first event "
             f"{short_time(info.first_event)}, last event {short_time(info.last_event)} (UTC)."]
    progress = entry.progress
    if progress is None:
        start = f"only_logs_after ({visible(only_logs_after)})" if only_logs_after else "today at 00:00 UTC"
        lines.append(f"Saved progress: none in aws_services.db, so the next run reads it from {start}.")
    else:
        lines.append(f"Saved progress (aws_services.db, read-only): events sent from "
                     f"{milliseconds_text(progress.start_time)} up to {milliseconds_text(progress.end_time)}; "
                     f"next token {visible(progress.token or 'none')}.")
    asks = "; ".join(f"from {milliseconds_text(start)}" + (f" to {milliseconds_text(end)}" if end else " on")
                     for start, end in entry.asks)
    lines.append(f"The next run asks GetLogEvents {asks}.")
    lines.append("Enter lists its events from the head: ✓ the next run sends it, ⊘ it drops it, · it does not "
                 "read it again.")
    return "\n".join(lines)


def event_text(entry: EventEntry) -> Text:
    """An event's time, the next run's verdict with the exact datagram, then its whole message."""
    event = entry.event
    where = f"{visible(event.group)}/{visible(event.stream)} in {event.region_read}"
    lines = [f"{milliseconds_text(event.timestamp)}, {where}."]
    if not entry.next_run:
        lines.append("The next run does not ask for it (sent before, or before where it starts). "
                     "It would be sent as:")
    elif event.dropped_by:
        lines.append(f"The next run drops it: {visible(event.dropped_by)}.")
    else:
        lines.append("The next run sends it as:")
    if not (entry.next_run and event.dropped_by):
        lines.append(visible(event.datagram))
    lines.append("")
    lines.append("Message:")
    lines.append(visible_lines(event.message))
    return Text("\n".join(lines))


def finding_text(entry: FindingEntry, browse: ServiceBrowse) -> Text:
    """A finding's place against the next run's window, its datagram (or why it is dropped) and its ARN."""
    event = entry.event
    window = next((item for item in browse.windows if item.loop_region == event.loop_region), None)
    updated = f"{entry.updated_at.isoformat(sep=' ')} UTC" if entry.updated_at is not None else "unknown"
    lines = [visible(event.summary), f"updatedAt {updated}."]
    start = window.start.isoformat(sep=" ") if window is not None else "unknown"
    if not entry.in_window:
        lines.append(f"Before the window: the module never sends it (the next run asks for findings updated "
                     f"from {start}).")
    elif event.dropped_by:
        lines.append(f"In the next run's window (from {start}), but it drops it: {visible(event.dropped_by)}.")
    else:
        lines.append(f"In the next run's window (from {start}): it sends it as:")
    if entry.in_window and not event.dropped_by:
        lines.append(visible(event.datagram))
    lines.append("")
    lines.append(visible(event.finding_arn))
    return Text("\n".join(lines))
