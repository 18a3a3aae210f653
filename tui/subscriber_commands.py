"""``ingest --block LINE`` on a subscriber: the read-only pass over the objects its queue would deliver.

The module's lines stream to stderr as the pass meets each object, the datagrams go to ``--events-out``, each
object's fate and the findings follow, and the exit status is the module's exit for a run that meets these
messages. The queue is never received from.
"""

from __future__ import annotations

import argparse
import sys
import threading
from datetime import datetime, timezone
from typing import TYPE_CHECKING, TextIO

from diagnostics.findings import exit_for
from diagnostics.text_safety import visible
from tui.command_helpers import EventsOut, UsageProblem, print_findings, run_pass_in_worker

if TYPE_CHECKING:
    from diagnostics.configuration.block_selection import SelectedBlock
    from diagnostics.context import DoctorContext
    from diagnostics.subscriber_pass_session import SubscriberPassResult

INTERRUPTED = 130
"""The status of a command stopped by Ctrl-C, as every command exits."""
CANCEL_NOTE = ("Stopping after the current object (nothing was received from the queue, so there is nothing to "
               "undo); Ctrl-C again aborts.")


def parse_since(text: str | None) -> datetime | None:
    """``--since`` as an aware datetime (a date is its midnight UTC); None when not given."""
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as error:
        raise UsageProblem(f"--since {text!r} is not a date (YYYY-MM-DD or an ISO time)") from error
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=timezone.utc)


def run_subscriber_ingest(args: argparse.Namespace, context: DoctorContext, chosen: SelectedBlock) -> int:
    """The pass: lines to stderr as they come, datagrams to --events-out, the module's exit as ours."""
    from diagnostics.output_paths import protection_for
    from diagnostics.subscriber_pass_session import DEFAULT_LIMIT, SubscriberPassOptions, run_subscriber_pass

    if getattr(args, "receive_messages", None):
        return run_receiving_ingest(args, context, chosen)
    since = parse_since(getattr(args, "since", None))
    events = EventsOut(args, protection_for(context))  # opened on the first event: a pass sending nothing creates none
    options = SubscriberPassOptions(args.limit or DEFAULT_LIMIT, since, args.bucket, args.debug)
    cancel = threading.Event()
    try:
        result = run_pass_in_worker(lambda: run_subscriber_pass(
            context, chosen.block, chosen.wodle, options, send=events.send, cancel=cancel,
            emit_line=lambda line: print(visible(line), file=sys.stderr, flush=True)),
            cancel, CANCEL_NOTE, "subscriber-pass")
    finally:
        events.close()
    summary = sys.stderr if args.events_out == "-" else sys.stdout
    print_objects(result, summary)
    print_findings(result.findings)
    read_nothing = result.run is None and result.exit_code == 0
    # With no object read there is no run to judge: our status is ours, so no module exit is claimed for it.
    module_exit = "not known (no object was read)" if read_nothing else str(result.exit_code)
    print(f"{result.sent} event(s) sent, {result.dropped} dropped; the module's exit: {module_exit} (objects "
          f"in the order of their LastModified time, not the queue's; nothing was received from the queue)",
          file=sys.stderr)
    if read_nothing:
        return int(exit_for(result.findings))  # nothing was read: never a silent "ok"
    if result.run is not None and result.run.cancelled:
        return INTERRUPTED  # a cancelled pass never reached the module's end: it claims no exit of the module
    return result.exit_code


def print_objects(result: SubscriberPassResult, stream: TextIO) -> None:
    """One line per object the run met: when it was written, what it sent and dropped, or where it stops."""
    if result.run is None:
        return
    for item in result.run.objects:
        when = item.modified.isoformat(sep=" ", timespec="seconds") if item.modified else "?"
        asked = f" (asked for as {visible(item.asked_key)})" if item.asked_key != item.key else ""
        fate = (f"the run stops here: {visible(item.stop)}" if item.stop is not None else
                f"{len(item.datagrams)} sent, {len(item.dropped)} dropped" + (f", read as {item.data_format}"
                                                                             if item.data_format else ""))
        print(f"{when}  {visible(item.key)}{asked}: {fate}", file=stream)
    if result.run.not_reached:
        print(f"{result.run.not_reached} object(s) after it are not read by this run", file=stream)



def run_receiving_ingest(args: argparse.Namespace, context: DoctorContext, chosen: SelectedBlock) -> int:
    """The explicit opt-in: the receive-count risk first, a refusal without the consent flag, then a receive
    with VisibilityTimeout=0 that never deletes, the named objects met as the read-only pass meets them."""
    from diagnostics.subscriber_receive_session import receive_risk, run_received_pass

    count = int(args.receive_messages)
    risk = receive_risk(context, chosen.block, chosen.wodle, count)
    print_findings(risk.findings)
    if risk.queue is None:
        return next((finding.wazuh_exit_code for finding in risk.findings if finding.wazuh_exit_code),
                    int(exit_for(risk.findings)))
    if not args.yes_i_understand_receive_count:
        raise UsageProblem("--receive-messages receives from the queue (see the warning above); add "
                           "--yes-i-understand-receive-count to go ahead, or drop --receive-messages for the "
                           "read-only pass")
    from diagnostics.output_paths import protection_for

    events = EventsOut(args, protection_for(context))  # refused before anything is received
    sent: list[str] = []
    result = run_received_pass(context, chosen.block, chosen.wodle, count, debug_level=args.debug,
                               emit_line=lambda line: print(visible(line), file=sys.stderr, flush=True),
                               send=sent.append)
    try:  # written once the receive is over, so a receive that raises writes nothing
        for datagram in sent:
            events.send(datagram)
    finally:
        events.close()
    print_objects(result, sys.stderr if args.events_out == "-" else sys.stdout)
    print_findings([finding for finding in result.findings if finding.failure_id != "subscriber_pass.receive_risk"])
    print(f"{result.sent} event(s) sent, {result.dropped} dropped; the module's exit: {result.exit_code} (the "
          f"messages received; none deleted)", file=sys.stderr)
    return result.exit_code
