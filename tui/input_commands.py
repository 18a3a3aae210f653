"""``preview`` and ``ingest`` for `<service>` and `<subscriber>` blocks, chosen with ``--block LINE``.

A CloudWatch Logs or Inspector block previews (and passes over) the next run's events; a subscriber previews
one object its notifications name (``--bucket B --key K``), since the queue's messages are never received.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from diagnostics.findings import CommandExit
from diagnostics.text_safety import visible
from tui.command_helpers import EventsOut, UsageProblem, print_findings, run_pass_in_worker

# The faces import diagnostics and other screens inside the functions that use them: importing
# them all up front made start-up ~0.9 s slower on this machine (best of 5: import tui.commands
# 1.0 s instead of 0.09 s, import tui.app 1.7 s instead of 0.65 s), paid before --help or the first screen.

if TYPE_CHECKING:
    from diagnostics.configuration.block_selection import SelectedBlock
    from diagnostics.context import DoctorContext
    from diagnostics.input_session import CloudWatchPreview, InputSession, InspectorPreview


_CANCEL_NOTES = {
    "cloudwatchlogs": "cancelling: the stream being read is read to its end and saved, then the pass stops; the "
                      "next pass goes on from the next stream (Ctrl-C again to abort)",
    "inspector": "cancelling: stopping after the current ListFindings page; this region's scan is not saved, so "
                 "the next pass asks it for the same window and sends its findings again (Ctrl-C again to abort)",
}
"""What the first Ctrl-C of a service pass says: what is saved and what the next pass reads again."""


def chosen_input(args: argparse.Namespace, context: DoctorContext) -> SelectedBlock | None:
    """The service or subscriber block ``--block LINE`` names, or None when it names a bucket (or no line)."""
    if getattr(args, "block", None) is None:
        return None
    from diagnostics.checks import load_configuration
    from diagnostics.configuration.block_selection import select_block

    config, _ = load_configuration(context)
    chosen = select_block(config, line=args.block, kinds=("bucket", "service", "subscriber"))
    return None if chosen.block.kind == "bucket" else chosen


def _opened(context: DoctorContext, chosen: SelectedBlock) -> InputSession:
    from diagnostics.input_session import open_input

    session = open_input(context, chosen.block, chosen.wodle)
    if not session.usable:
        print_findings(session.findings)
    return session


def run_input_preview(args: argparse.Namespace, context: DoctorContext, chosen: SelectedBlock) -> int:
    """The next CloudWatch run's events, or one notified object as the subscriber decodes it."""
    block = chosen.block
    if block.kind == "subscriber" and (not args.bucket or not args.key):
        raise UsageProblem(f"a subscriber's preview needs --bucket B --key K: the object a notification names "
                           f"(line {block.location.line}: {block.label}); the queue itself is never received from")
    session = _opened(context, chosen)
    if not session.usable:
        return int(CommandExit.ERRORS)
    if block.block_type == "inspector":
        from diagnostics.input_session import preview_inspector

        shown_findings = preview_inspector(session, limit=args.limit)
        _print_inspector(shown_findings, json_lines=args.format == "json")
        return int(CommandExit.ERRORS) if shown_findings.exit_code else int(CommandExit.OK)
    if block.kind == "service":
        from diagnostics.input_session import preview_cloudwatch

        preview = preview_cloudwatch(session, limit=args.limit)
        _print_cloudwatch(preview, json_lines=args.format == "json")
        return int(CommandExit.ERRORS) if preview.exit_code else int(CommandExit.OK)
    from diagnostics.input_session import preview_notified_object

    shown = preview_notified_object(session, args.bucket, args.key)
    if shown.asked_key != shown.key:
        print(f"note: the module asks S3 for {visible(shown.asked_key)!s}, not {visible(shown.key)}: the "
              f"notification's key is decoded that way", file=sys.stderr)
    if shown.stop is not None:
        from diagnostics.ingest.subscriber_log import stop_exit

        # The block, its line and the object are named: an admin with several subscribers must see which one.
        print(f"line {block.location.line} ({visible(block.label)}): s3://{visible(args.bucket)}/"
              f"{visible(shown.asked_key)}: the run stops here (exit "
              f"{stop_exit(shown.exit_code, context.debug_level)} at debug {context.debug_level}): "
              f"{visible(shown.stop)}", file=sys.stderr)
        return int(CommandExit.ERRORS)
    for datagram in shown.datagrams[:args.limit]:
        print(datagram.split(":", 2)[2] if args.format == "json" else visible(datagram))
    decoded = shown.decoded
    if decoded is not None and args.format != "json":
        dropped = [event for event in decoded.events if event.datagram is None]
        for event in dropped:
            print(f"dropped: {visible(json.dumps(event.record, default=str))}  ({event.dropped_by})")
        lost = sum(event.lost_findings for event in decoded.events)
        print(f"\nread as {decoded.format}: {len(shown.datagrams)} event(s) sent, {len(dropped)} dropped"
              + (f", {lost} finding(s) after the first of their event never sent" if lost else ""))
        if decoded.note:
            print(decoded.note)
    return int(CommandExit.OK)


def _print_cloudwatch(preview: CloudWatchPreview, *, json_lines: bool) -> None:
    for event in preview.events:
        if json_lines:
            if event.dropped_by is None:
                print(event.message)
            continue
        where = f"{event.loop_region}" + (f" (reads {event.region_read})" if event.region_read != event.loop_region
                                          else "")
        fate = f"  [dropped: {event.dropped_by}]" if event.dropped_by else ""
        print(f"{where} {visible(event.group)}/{visible(event.stream)} {event.timestamp}: "
              f"{visible(event.message)}{fate}")
    for failure in preview.failures:
        stop = f"the run stops here (exit {failure.exit_code})" if failure.exit_code else "printed, the run goes on"
        print(f"{failure.operation} for {visible(failure.group)} under {failure.loop_region} failed, {stop}: "
              f"{visible(failure.error)}", file=sys.stderr)
    sent = sum(1 for event in preview.events if event.dropped_by is None)
    more = " (limit reached; more follow)" if preview.truncated else ""
    print(f"\n{sent} event(s) the next run sends, {len(preview.events) - sent} dropped{more}",
          file=sys.stderr if json_lines else sys.stdout)


def _print_inspector(preview: InspectorPreview, *, json_lines: bool) -> None:
    summary = sys.stderr if json_lines else sys.stdout
    for window in preview.windows:
        reads = f" (reads {window.region_read})" if window.region_read != window.loop_region else ""
        print(f"{window.loop_region}{reads}: findings updated from {window.start.isoformat(sep=' ')} to "
              f"{window.end.isoformat(sep=' ')} ({window.origin})", file=summary)
    for event in preview.events:
        if json_lines:
            if event.dropped_by is None:
                print(event.message)
            continue
        fate = f"  [dropped: {event.dropped_by}]" if event.dropped_by else ""
        print(f"{event.loop_region} {visible(event.finding_arn)}: {visible(event.message)}{fate}")
    for failure in preview.failures:
        print(f"{failure.operation} for {failure.loop_region} failed, the run stops here (exit "
              f"{failure.exit_code}): {visible(failure.error)}", file=sys.stderr)
    sent = sum(1 for event in preview.events if event.dropped_by is None)
    more = " (limit reached; more follow)" if preview.truncated else ""
    print(f"\n{sent} finding(s) the next run sends, {len(preview.events) - sent} dropped{more}", file=summary)


def run_input_ingest(args: argparse.Namespace, context: DoctorContext, chosen: SelectedBlock) -> int:
    """A read-only pass over the next CloudWatch or Inspector run: its datagrams to --events-out, its exit as
    ours."""
    block = chosen.block
    if block.kind == "subscriber":  # the read-only pass over the objects its queue would deliver
        from tui.subscriber_commands import run_subscriber_ingest

        return run_subscriber_ingest(args, context, chosen)
    if block.kind != "service" or block.block_type not in ("cloudwatchlogs", "inspector"):
        raise UsageProblem("ingest --block works for buckets, CloudWatch Logs and Inspector blocks; a subscriber's "
                           "queue is never received from (use preview --block LINE --bucket B --key K for an "
                           "object)")
    return _service_pass(args, context, chosen)


def _service_pass(args: argparse.Namespace, context: DoctorContext, chosen: SelectedBlock) -> int:
    """The pass over our own state (``run_service_pass``, as the app runs it): datagrams to --events-out, the
    module's lines to stderr as they come, the module's exit as ours."""
    from diagnostics.ingest.state import default_state_dir
    from diagnostics.output_paths import check_output_directory, protection_for
    from diagnostics.service_pass import STATE_CHECK_ID, ServicePassOptions, run_service_pass

    protected = protection_for(context)
    state_dir = Path(args.state_dir) if args.state_dir else default_state_dir(context.environ or None)
    check_output_directory(state_dir, protected, what="--state-dir")  # refused before anything is created
    events = EventsOut(args, protected)  # its file is opened on the first event, so an unusable session creates none
    options = ServicePassOptions(state_dir, args.reset, args.from_wazuh_state, args.debug)
    cancel = threading.Event()
    try:
        result = run_pass_in_worker(lambda: run_service_pass(
            context, chosen.block, chosen.wodle, options, send=events.send, cancel=cancel,
            emit_line=lambda line: print(visible(line), file=sys.stderr, flush=True)),
            cancel, _CANCEL_NOTES[chosen.block.block_type or ""], "service-pass")
        if result.state_path is not None:
            events.open()
    finally:
        events.close()
    refused = [finding for finding in result.findings if finding.check_id == STATE_CHECK_ID]
    if refused:
        raise UsageProblem(refused[0].explanation)
    print_findings(result.findings)
    if result.state_path is None:
        return int(CommandExit.ERRORS)  # nothing ran: the credential or identity findings above say why
    print(f"{result.sent} event(s) sent, {result.skipped} skipped; the module's exit: {result.exit_code}; our "
          f"state: {result.state_path}", file=sys.stderr)
    return result.exit_code
