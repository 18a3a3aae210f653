"""The headless commands: each builds a context, calls diagnostics, and renders text or JSON."""

from __future__ import annotations

import argparse
import json
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from diagnostics.findings import CommandExit, Finding, exit_for
from diagnostics.text_safety import visible
from tui.command_helpers import UsageProblem as UsageProblem  # re-exported: cli.py catches commands.UsageProblem
from tui.command_helpers import command_context, print_findings
from tui.render_text import render_finding, render_groups, summary_line, to_json, use_colour

# The faces import diagnostics and other screens inside the functions that use them: importing
# them all up front made start-up ~0.9 s slower on this machine (best of 5: import tui.commands
# 1.0 s instead of 0.09 s, import tui.app 1.7 s instead of 0.65 s), paid before --help or the first screen.

if TYPE_CHECKING:
    from diagnostics.bucket_session import BucketSession
    from diagnostics.context import DoctorContext
    from diagnostics.decode.model import DroppedRecord
    from diagnostics.wazuh.wodle import Block


def open_app(args: argparse.Namespace) -> int:
    """No sub-command: the Textual app (the demo starts inside it)."""
    from diagnostics.checks import prepare_context
    from diagnostics.context import context_from_environment
    from tui.app import run_app

    if args.demo:
        from diagnostics.context import DoctorContext

        return run_app(DoctorContext(), demo=True)
    context = prepare_context(context_from_environment(args.config, args.wazuh_home, args.endpoint_url))
    return run_app(context, demo=False)


def run_check(args: argparse.Namespace) -> int:
    """``check``: config → credentials → identity → access → layout for every block (or one)."""
    from diagnostics.checks import run_checks

    with command_context(args) as context:
        report = run_checks(context, bucket=args.bucket, line=args.block)
    if args.block is not None and not report.blocks:
        from diagnostics.configuration.block_selection import select_block

        select_block(report.config, name=args.bucket, line=args.block, kinds=("bucket", "service", "subscriber"))
    if args.bucket and not report.blocks:
        raise UsageProblem(f"no bucket or service named '{args.bucket}' in {report.config.path}")
    if args.format == "json":
        print(to_json(report.to_dict()))
    else:
        groups: list[tuple[str, list[Finding]]] = [
            (f"{report.config.path}  (Wazuh {context.profile.label}, debug level {context.debug_level})",
             list(report.general))]
        for block_report in report.blocks:
            where = f"  {block_report.block.location}" if block_report.block.location else ""
            groups.append((f"{block_report.block.label}{where}", list(block_report.findings)))
        print(render_groups(groups, verbose=args.verbose))
        print(summary_line(report.findings))
    return int(exit_for(report.findings))


def run_explain_log(args: argparse.Namespace) -> int:
    """``explain-log``: annotate the aws-s3 lines of ossec.log (a file, or ``-`` for stdin)."""
    from diagnostics.log_explainer.explainer import explain_log
    from diagnostics.log_explainer.files import explain_log_file
    from diagnostics.masking import known_secrets

    with command_context(args) as context:
        secrets = known_secrets(context.module_home, [context.environ])
        if args.file == "-":
            report = explain_log(sys.stdin, context.profile, source="<stdin>", secrets=secrets)
        else:
            from diagnostics.input_paths import check_input_file

            path = Path(args.file) if args.file else context.ossec_log_path
            check_input_file(path, "log file")  # the default ossec.log too: a FIFO there would hang the read
            report = explain_log_file(path, context.profile, secrets=secrets)
    findings = list(report.file_findings) + [annotation.finding for annotation in report.annotations]
    if args.format == "json":
        print(to_json(report.to_dict()))
        return int(exit_for(findings))
    colour = use_colour(sys.stdout)
    out: list[str] = [f"{visible(report.source)}: {report.counts.module_lines} aws-s3 lines in "
                      f"{report.counts.total_lines}, {len(report.runs)} runs, {len(report.annotations)} "
                      f"annotated (Wazuh {report.profile_label})", ""]
    for finding in report.file_findings:
        out.extend(render_finding(finding, colour=colour, verbose=True))
    verbose = bool(getattr(args, "verbose", False))
    for annotation in report.annotations:
        lines = render_finding(annotation.finding, colour=colour, verbose=verbose)
        if len(lines) == 1:
            out.append(f"line {annotation.line}: {lines[0]}")
            continue
        out.append(f"line {annotation.line}: {visible(annotation.text)}")
        out.extend("  " + line for line in lines)
        out.append("")
    print("\n".join(out))
    return int(exit_for(findings))


def _open_session(args: argparse.Namespace, context: DoctorContext) -> BucketSession:
    """Open the bucket block chosen by --block LINE or an unambiguous --bucket NAME, as the module would."""
    from diagnostics.bucket_session import open_bucket
    from diagnostics.checks import load_configuration
    from diagnostics.configuration.block_selection import select_block

    config, _ = load_configuration(context)
    chosen = select_block(config, name=args.bucket, line=args.block)
    return open_bucket(context, chosen.block, chosen.wodle)


def run_keys(args: argparse.Namespace) -> int:
    """``keys``: one level (or the module's walk) with each key's size, age and verdict."""
    import humanize

    from diagnostics.bucket_session import browse_level, walk_keys
    from tui.input_commands import chosen_input

    with command_context(args) as context:
        chosen = chosen_input(args, context)
        if chosen is not None:
            return _input_keys(args, context, chosen.block)
        session = _open_session(args, context)
        if not session.usable:
            print_findings(session.findings)
            return int(CommandExit.ERRORS)
        folders: tuple[str, ...] = ()
        problems: list[Finding] = []
        markers: tuple[str, ...] = ()
        if args.wodle_view:
            walked = walk_keys(session, limit=args.limit)
            rows = [_key_row(classified) for classified in walked.keys]
            problems.extend(walked.findings)
            markers = walked.markers
        else:
            browsed = browse_level(session, args.prefix if args.prefix is not None else session.start_prefix)
            folders = browsed.level.folders
            rows = [_key_row(classified) for classified in browsed.keys[: args.limit]]
            problems.extend(() if browsed.failure is None else (browsed.failure,))
        now = context.clock()
    if args.format == "json":
        document: dict[str, Any] = {"bucket": session.block.name, "line": session.block.location.line,
                                    "folders": list(folders), "keys": rows}
        if problems:
            document["findings"] = [finding.to_dict() for finding in problems]
        if markers:
            document["markers"] = list(markers)
        print(to_json(document))
        return int(exit_for(problems))
    print_findings(problems)  # then the rows: the keys before a stop are still the module's
    for folder in folders:
        print(f"{'':>10}  {'':>14}  {'folder':<10} {visible(folder)}")
    for row in rows:
        age = humanize.naturaltime(now - row["_modified"]) if row["_modified"] else "-"
        reason = f" ({row['explanation']})" if row["reason"] else ""  # the reason in words, not its code
        print(f"{humanize.naturalsize(row['size'], binary=True):>10}  {age:>14}  {row['status']:<10} "
              f"{visible(row['key'])}{visible(reason)}")
    if markers and not any(row["status"] == "read" for row in rows):
        print(f"(no key after the module's marker: every key sorts at or before {visible(' and '.join(markers))})")
    elif not rows and not folders and not problems:
        print("(nothing listed at this level)")
    return int(exit_for(problems)) if problems else 0


def _input_keys(args: argparse.Namespace, context: DoctorContext, block: Block) -> int:
    """``keys --block`` on a service or subscriber: its saved state per scope and the next run's requests."""
    from diagnostics.aws.input_state import input_state

    state = input_state(context, block)
    if args.format == "json":
        print(to_json({"block": block.label, "line": block.location.line, "database": state.database or None,
                       "database_health": state.database_health or None, "regions": state.regions or None,
                       "scopes": [{"scope": scope.scope, "saved": scope.saved, "next_request": scope.next_request}
                                  for scope in state.scopes],
                       "findings": [finding.to_dict() for finding in state.findings]}))
        return int(exit_for(state.findings))
    colour = use_colour(sys.stdout)
    for finding in state.findings:
        print("\n".join(render_finding(finding, colour=colour, verbose=True)))
    if block.kind == "subscriber":
        return int(exit_for(state.findings))
    print(f"{visible(block.label)}  line {block.location.line}: {visible(state.database)} ({state.database_health})")
    print(f"regions walked: {visible(state.regions)}")
    for scope in state.scopes:
        print(f"{visible(scope.scope)}\n  saved: {visible(scope.saved)}\n  next run: {visible(scope.next_request)}")
    if not state.scopes and not state.findings:
        print("(no scope: the next run reads no log group or region)")
    return int(exit_for(state.findings))


def _key_row(classified: Any) -> dict[str, Any]:
    listed = classified.object
    modified = listed.last_modified if listed is not None else None
    return {
        "key": classified.key,
        "size": listed.size if listed is not None else 0,
        "last_modified": modified.isoformat() if modified else None,
        "status": classified.verdict.value,
        "reason": classified.reason.value if classified.reason else None,
        "explanation": classified.explanation,
        "module_line": classified.debug_line,
        "_modified": modified,
    }


def _print_dropped(dropped: DroppedRecord) -> None:
    """A record the module drops without a word, shown in --raw with the reason (it sends nothing for it)."""
    print(f"record {dropped.record_index + 1}  [dropped: {dropped.reason}; the module sends nothing for it]")
    print(json.dumps(dropped.raw_record, indent=2, default=str))


def run_preview(args: argparse.Namespace) -> int:
    """``preview``: the decoded events of one object, as the module would send them."""
    from diagnostics.bucket_session import preview_object
    from diagnostics.decode.envelope import shown_text
    from tui.input_commands import chosen_input, run_input_preview

    with command_context(args) as context:
        chosen = chosen_input(args, context)
        if chosen is not None:
            return run_input_preview(args, context, chosen)
        if not args.key:
            raise UsageProblem("preview of a bucket needs --key KEY")
        session = _open_session(args, context)
        if not session.usable:
            print_findings(session.findings)
            return int(CommandExit.ERRORS)
        result = preview_object(session, args.key, limit=args.limit)
        logtest = None
        if args.logtest:
            from tui.host_commands import logtest_lines

            logtest = logtest_lines(context, result.events)
    findings = list(result.findings) + [problem.finding for problem in result.problems]
    if logtest is not None:
        findings.extend(logtest[1].findings)
    if args.format == "json":
        if logtest is not None:
            print(json.dumps({"logtest": logtest[1].to_dict()}, default=str), file=sys.stderr)
        for event in result.events:
            print(json.dumps(event.raw_record) if args.raw else event.payload.split(":", 2)[2]
                  if event.payload.startswith("1:Wazuh-AWS:") else event.payload)
        for dropped in result.dropped if args.raw else ():
            print(json.dumps({"dropped": {"record_index": dropped.record_index, "reason": dropped.reason,
                                          "record": dropped.raw_record}}, default=str), file=sys.stderr)
        for finding in findings:
            print(json.dumps({"finding": finding.to_dict()}), file=sys.stderr)
        return int(exit_for(findings))
    colour = use_colour(sys.stdout)
    dropped_left = sorted(result.dropped, key=lambda dropped: dropped.record_index) if args.raw else []
    for event in result.events:
        while dropped_left and dropped_left[0].record_index < event.record_index:
            _print_dropped(dropped_left.pop(0))
        flags = ["oversized"] if event.oversized else []
        if event.discarded_by:
            flags.append(f"discarded by {event.discarded_by}")
        summary = event.summary
        head = " | ".join(part for part in (summary.time, summary.source, summary.name, summary.user,
                                            summary.source_ip) if part)
        if event.cut_chars:
            flags.append(f"{event.cut_chars:,} characters of long strings not kept")
        print(f"#{event.index} {visible(head)}{'  [' + ', '.join(flags) + ']' if flags else ''}")
        shown = json.dumps(event.raw_record if args.raw else event.message, indent=2, default=str)
        print(shown_text(shown) if event.oversized else shown)  # MiBs of one event would flood the terminal
    for dropped in dropped_left:
        _print_dropped(dropped)
    totals = result.totals
    print(f"\n{totals.records_read} records read, {totals.events_sent} would be sent, "
          f"{totals.discarded} discarded by discard_regex, {sum(totals.dropped.values())} dropped silently"
          + (f" ({', '.join(f'{n} {why}' for why, n in totals.dropped.items())})" if totals.dropped else ""))
    if logtest is not None:
        print("\n".join(logtest[0]))
    shown_by_logtest = logtest[1].findings if logtest is not None else ()
    for finding in findings:
        if finding not in shown_by_logtest:  # the logtest lines above already end with their findings
            print("\n".join(render_finding(finding, colour=colour, verbose=True)))
    return int(exit_for(findings))


def run_ingest(args: argparse.Namespace) -> int:
    """``ingest``: the debug-level pass (ours by default, the installed module with ``--real``)."""
    from tui.ingest_command import run_ingest_command
    from tui.input_commands import chosen_input, run_input_ingest

    with command_context(args) as context:
        if args.real:
            return run_real(args, context)
        chosen = chosen_input(args, context)
        if getattr(args, "receive_messages", None) and (chosen is None or chosen.block.kind != "subscriber"):
            # Refused rather than ignored: an admin who asked to receive must not believe a bucket pass did.
            raise UsageProblem("--receive-messages works only on a <subscriber> block (--block LINE): a bucket or "
                               "service has no queue to receive from")
        if chosen is not None:
            return run_input_ingest(args, context, chosen)
        # The script runs with --debug N: a catch-all preflight error is exit 12 at 0 but 1 above.
        context = context.with_changes(debug_level=args.debug)
        session = _open_session(args, context)
        if not session.usable:  # the status is the module's exit for the same preflight failure
            print_findings(session.findings)
            module_exits = [f.wazuh_exit_code for f in session.findings if f.wazuh_exit_code is not None]
            return module_exits[0] if module_exits else int(CommandExit.ERRORS)
        return run_ingest_command(args, context, session, threading.Event())


def run_real(args: argparse.Namespace, context: DoctorContext) -> int:
    """``ingest --real``: the installed module itself, after a plain warning."""
    from tui.ingest_command import run_real_command

    return run_real_command(args, context)
