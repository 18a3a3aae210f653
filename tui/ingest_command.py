"""The ``ingest`` command's face: live module-words log on stderr, events to a file, a closing summary."""

from __future__ import annotations

import argparse
import logging
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from tui.command_helpers import wait_cancelling_on_interrupt as _wait_cancelling_on_interrupt
from tui.render_text import render_finding, to_json, use_colour

if TYPE_CHECKING:
    from diagnostics.bucket_session import BucketSession
    from diagnostics.context import DoctorContext

from diagnostics.findings import CommandExit
from diagnostics.ingest.model import IngestSummary
from diagnostics.text_safety import visible

# The faces import diagnostics and other screens inside the functions that use them: importing
# them all up front made start-up ~0.9 s slower on this machine (best of 5: import tui.commands
# 1.0 s instead of 0.09 s, import tui.app 1.7 s instead of 0.65 s), paid before --help or the first screen.

LAST_LOG_NAME = "last-ingest.log"
"""The newest pass's log, kept in the state directory for ``bundle``."""


def _attach_logs(debug_level: int, state_dir: Path) -> tuple[logging.Logger, list[logging.Handler]]:
    """Stream the pass's log lines to stderr in ossec.log format and keep a copy in the state directory."""
    from diagnostics.ingest.log_format import LOGGER_NAME, OssecLogFormatter, level_for_debug

    logger = logging.getLogger(LOGGER_NAME)
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    from diagnostics.output_paths import Existing, OutputRefused, Protected, open_output_text

    try:
        state_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        copy = logging.FileHandler(state_dir / LAST_LOG_NAME, mode="w", encoding="utf-8", delay=True)
        # our own file, opened without following a link planted in its place; the handler closes it
        copy.stream = cast(Any, open_output_text(state_dir / LAST_LOG_NAME, Protected(), what="the log copy",
                                                 existing=Existing.TRUNCATE))
        handlers.append(copy)
    except (OSError, OutputRefused) as error:
        print(f"note: not keeping a copy of the log in {state_dir}: {error}", file=sys.stderr)
    for handler in handlers:
        handler.setFormatter(OssecLogFormatter(show_bucket=True))
        logger.addHandler(handler)
    logger.setLevel(level_for_debug(debug_level))
    logger.propagate = False
    return logger, handlers


def _sink_for(args: argparse.Namespace, context: DoctorContext, target: str) -> Any:
    """Where events go: a JSON-lines file or stdout, tee'd to Wazuh's queue socket only with ``--send``."""
    from diagnostics.ingest.sinks import CountingSink, JsonLinesSink, TeeSink, open_queue_sink

    sinks: list[Any] = []
    if args.events_out == "-":
        sinks.append(JsonLinesSink(sys.stdout, envelopes=args.envelopes))
    elif args.events_out:
        from diagnostics.output_paths import Existing, open_output_text, protection_for

        handle = open_output_text(Path(args.events_out), protection_for(context), what="--events-out",
                                  existing=Existing.APPEND if args.force else Existing.REFUSE)
        sinks.append(JsonLinesSink(handle, envelopes=args.envelopes, owns_stream=True))
    else:
        sinks.append(CountingSink())
    if args.send:
        queue_sink, problem = open_queue_sink(context, target)
        if queue_sink is None:
            from tui.command_helpers import UsageProblem

            raise UsageProblem(problem.title if problem is not None else "Wazuh's queue socket is missing")
        sinks.append(queue_sink)
    return sinks[0] if len(sinks) == 1 else TeeSink(*sinks)


def run_ingest_command(args: argparse.Namespace, context: DoctorContext, session: BucketSession,
                       cancel: threading.Event) -> int:
    """Run our own pass for one bucket; the exit status is the module's exit code for the same walk."""
    from diagnostics.bucket_session import ingest_request
    from diagnostics.ingest.engine import run_ingestion
    from diagnostics.ingest.state import default_state_dir

    request = ingest_request(session, debug_level=args.debug,
                             state_dir=Path(args.state_dir) if args.state_dir else None, reset=args.reset,
                             from_wazuh_state=args.from_wazuh_state, limit=args.limit, workers=args.workers)

    from diagnostics.output_paths import check_output_directory, protection_for

    state_dir = Path(args.state_dir) if args.state_dir else default_state_dir(context.environ or None)
    check_output_directory(state_dir, protection_for(context), what="--state-dir")  # before creating anything
    sink = _sink_for(args, context, session.block.label)
    logger, handlers = _attach_logs(args.debug, state_dir)
    outcome: list[IngestSummary] = []
    worker = threading.Thread(target=lambda: outcome.append(run_ingestion(request, sink=sink, cancel=cancel)),
                              name="ingest", daemon=True)
    try:
        worker.start()
        _wait_cancelling_on_interrupt(worker, cancel)
    finally:
        sink.close()
        for handler in handlers:
            logger.removeHandler(handler)
            handler.close()
    if not outcome:
        print("the ingestion pass stopped without a summary", file=sys.stderr)
        return 1
    summary = outcome[0]
    if summary.state_path is None and any(finding.failure_id == "host.ingest_state_unusable"
                                          for finding in summary.findings):
        # no walk happened, so there is no module exit code to report: say why and fail
        if args.format == "json":
            print(to_json(summary.to_dict()))
        for finding in summary.findings:
            print("\n".join(render_finding(finding, colour=use_colour(sys.stderr), verbose=True)), file=sys.stderr)
        return int(CommandExit.ERRORS)
    _print_summary(args, summary)
    return summary.exit_code


def _print_summary(args: argparse.Namespace, summary: IngestSummary) -> None:
    stream = sys.stdout if args.events_out != "-" else sys.stderr
    if args.format == "json":
        print(to_json(summary.to_dict()), file=stream)
        return
    lines = ["", *summary.closing_lines()]
    print("\n".join(visible(line) for line in lines), file=stream)
    for finding in summary.findings:
        print("\n".join(render_finding(finding, colour=use_colour(stream), verbose=True)), file=stream)


def run_real_command(args: argparse.Namespace, context: DoctorContext) -> int:
    """Run the installed module for one bucket with live output, after saying what it changes."""
    from diagnostics.checks import load_configuration
    from diagnostics.configuration.block_selection import select_block
    from diagnostics.ingest.real_module import (
        SNAPSHOTS_KEPT,
        plan_real_run,
        restore_state,
        run_real_module,
        snapshot_state,
    )

    config, _ = load_configuration(context)
    chosen = select_block(config, name=args.bucket, line=args.block)
    block, wodle = chosen.block, chosen.wodle
    plan = plan_real_run(context, block, wodle, args.debug)
    colour = use_colour(sys.stderr)
    for finding in plan.findings:
        print("\n".join(render_finding(finding, colour=colour, verbose=True)), file=sys.stderr)
    print(f"command: {plan.display}", file=sys.stderr)
    if not plan.ready:
        return 2
    if not args.yes:
        if not sys.stdin.isatty():
            print("refusing to run the real module without --yes (no terminal to ask)", file=sys.stderr)
            return 2
        answer = input("This advances the module's marker and sends real events. Run it? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            return 0
    snapshot = None
    if args.snapshot_state and context.state_db_path.exists():
        snapshot = snapshot_state(context)
        print(f"copied the module's state database to {snapshot} (its mode kept; the newest "
              f"{SNAPSHOTS_KEPT} copies are kept in {snapshot.parent})", file=sys.stderr)
    cancel = threading.Event()
    outcome: list[Any] = []
    worker = threading.Thread(target=lambda: outcome.append(run_real_module(
        plan, context, on_line=lambda line: print(line, file=sys.stderr, flush=True), cancel=cancel)),
        name="real-module", daemon=True)
    worker.start()
    try:
        _wait_cancelling_on_interrupt(worker, cancel)
    finally:
        if snapshot is not None and args.restore_state:
            restore_state(context, snapshot)
            print("restored the module's state database from the copy (--restore-state)", file=sys.stderr)
    if not outcome:
        return 130
    result = outcome[0]
    for finding in result.findings:
        print("\n".join(render_finding(finding, colour=colour, verbose=True)), file=sys.stderr)
    if result.ossec_log:
        print("ossec.log would show:", file=sys.stderr)
        print("\n".join("  " + visible(line) for line in result.ossec_log), file=sys.stderr)
    return result.exit_code if result.exit_code is not None else 130
