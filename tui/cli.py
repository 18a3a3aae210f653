"""Command-line entry point: argparse to commands; with no sub-command the app opens."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from diagnostics.findings import CommandExit
from diagnostics.ingest.model import DEFAULT_WORKERS

# The faces import diagnostics and other screens inside the functions that use them: importing
# them all up front made start-up ~0.9 s slower on this machine (best of 5: import tui.commands
# 1.0 s instead of 0.09 s, import tui.app 1.7 s instead of 0.65 s), paid before --help or the first screen.

DESCRIPTION = (
    "Troubleshoot Wazuh's aws-s3 module: configuration, credentials, bucket access, key layouts, "
    "decoded events and a debug ingestion pass. With no command, the interactive app opens."
)


DEMO_INSTALL = "pip install 'wazuh-aws-doctor[demo]'"
"""The one command that brings the demo's embedded S3 server (moto with its server extra)."""


class DoctorArgumentParser(argparse.ArgumentParser):
    """argparse with its usage errors on the usage status (64), apart from ``check``'s 2 for failures found."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(int(CommandExit.USAGE), f"{self.prog}: error: {message}\n")


def _count(minimum: int) -> Callable[[str], int]:
    """An integer option that must be at least ``minimum`` (a negative limit would mean "everything")."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{value} is below the smallest allowed value, {minimum}")
        return value

    parse.__name__ = "count"
    return parse


def _seconds(text: str) -> float:
    """A positive, finite number of seconds."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text} is not a positive number of seconds")
    return value


def _common_options(*, suppress: bool = False) -> DoctorArgumentParser:
    """The options every command takes; sub-commands suppress defaults so values given before them stay."""
    common = DoctorArgumentParser(add_help=False, argument_default=argparse.SUPPRESS if suppress else None)
    common.add_argument("--config", metavar="PATH",
                        help="ossec.conf to read (default: WAZUH_HOME/etc/ossec.conf)")
    common.add_argument("--wazuh-home", metavar="DIR",
                        help="Wazuh installation directory (default: $WAZUH_HOME or /var/ossec)")
    common.add_argument("--endpoint-url", metavar="URL",
                        help="send every AWS call to this endpoint (S3-compatible stores, tests)")
    common.add_argument("--format", choices=("text", "json"), help="output format (default text)",
                        default=argparse.SUPPRESS if suppress else "text")
    if suppress:  # before or after the command: the same switch
        common.add_argument("--demo", action="store_true", default=argparse.SUPPRESS,
                            help="use the embedded demo endpoint and configuration")
    return common


def _block_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--block", type=_count(1), metavar="LINE",
                        help="the block whose <bucket>/<service>/<subscriber> element starts at this "
                             "ossec.conf line (tells same-named blocks apart)")


def build_parser() -> argparse.ArgumentParser:
    """The full parser; kept in one function so the help text and tests share it."""
    parser = DoctorArgumentParser(prog="wazuh-aws-doctor", description=DESCRIPTION,
                                  parents=[_common_options()])
    common = _common_options(suppress=True)
    parser.add_argument("--demo", action="store_true",
                        help="start an embedded S3 server seeded with samples (no AWS account needed)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", parents=[common], help="config, credentials, identity and access checks")
    check.add_argument("--bucket", metavar="NAME", help="check only this bucket (or service type)")
    _block_option(check)
    check.add_argument("--verbose", "-v", action="store_true", help="show evidence for passing checks too")

    explain = sub.add_parser("explain-log", parents=[common], help="annotate aws-s3 failures in ossec.log")
    explain.add_argument("file", nargs="?", metavar="FILE",
                         help="log file (default WAZUH_HOME/logs/ossec.log, '-' for stdin)")
    explain.add_argument("--verbose", "-v", action="store_true", help="explain the lines that are fine too")

    keys = sub.add_parser("keys", parents=[common], help="list a bucket's keys as the module sees them")
    keys.add_argument("--bucket", metavar="NAME", help="the bucket (when only one block reads it)")
    _block_option(keys)
    keys.add_argument("--prefix", metavar="P", help="level to list (default: the configured prefix)")
    keys.add_argument("--wodle-view", action="store_true",
                      help="list the keys the module would consider, in its order, from its marker")
    keys.add_argument("--limit", type=_count(1), default=200, metavar="N", help="at most N keys (default 200)")

    preview = sub.add_parser("preview", parents=[common], help="decode one object as the module would")
    preview.add_argument("--bucket", metavar="NAME", help="the bucket (when only one block reads it)")
    _block_option(preview)
    preview.add_argument("--key", metavar="KEY", help="the object (buckets, and subscribers with --bucket)")
    preview.add_argument("--limit", type=_count(1), default=20, metavar="N", help="at most N events (default 20)")
    preview.add_argument("--raw", action="store_true", help="show raw records instead of envelopes")
    preview.add_argument("--logtest", action="store_true",
                         help="run the events through wazuh-logtest: decoder, rule, level, alert or not")

    ingest = sub.add_parser("ingest", parents=[common], help="a debug-level ingestion pass with live log")
    ingest.add_argument("--bucket", metavar="NAME", help="the bucket (when only one block reads it)")
    _block_option(ingest)
    ingest.add_argument("--debug", type=int, choices=(0, 1, 2, 3), default=2, help="module debug level")
    ingest.add_argument("--events-out", metavar="FILE",
                        help="write events as JSON lines to a new file ('-' for stdout)")
    ingest.add_argument("--force", action="store_true", help="append to an existing --events-out file")
    ingest.add_argument("--envelopes", action="store_true",
                        help="write plain envelopes instead of '1:Wazuh-AWS:' socket payloads")
    ingest.add_argument("--state-dir", metavar="DIR", help="where our own state database lives")
    ingest.add_argument("--reset", action="store_true", help="forget our state and start over")
    ingest.add_argument("--from-wazuh-state", action="store_true",
                        help="start from a read-only copy of the module's state database")
    ingest.add_argument("--limit", type=_count(1), metavar="N", help="stop after N files")
    ingest.add_argument("--since", metavar="DATE",
                        help="a subscriber: only objects written since DATE (YYYY-MM-DD or an ISO time)")
    ingest.add_argument("--receive-messages", type=_count(1), metavar="N",
                        help="a subscriber: RECEIVE up to N messages (never deleted; raises their receive count)")
    ingest.add_argument("--yes-i-understand-receive-count", action="store_true",
                        help="with --receive-messages: receive after the receive-count warning")
    ingest.add_argument("--workers", type=_count(1), default=DEFAULT_WORKERS, metavar="N",
                        help=f"read-ahead pool size (default {DEFAULT_WORKERS})")
    ingest.add_argument("--real", action="store_true",
                        help="run the installed module itself (advances its marker, sends real events)")
    ingest.add_argument("--send", action="store_true",
                        help="send events to Wazuh's queue socket (only where it exists)")
    ingest.add_argument("--yes", action="store_true", help="do not ask before a real run")
    ingest.add_argument("--snapshot-state", action="store_true",
                        help="with --real: copy the module's state database before the run")
    ingest.add_argument("--restore-state", action="store_true",
                        help="with --snapshot-state: put the copy back afterwards (writes Wazuh's file)")
    host = sub.add_parser("host", parents=[common], help="the Wazuh host: module, its Python, modulesd, state")
    host.add_argument("--verbose", "-v", action="store_true", help="show evidence for passing checks too")
    host.add_argument("--timeout", type=_seconds, default=15.0, metavar="SECONDS",
                      help="limit for running the module's Python (default 15)")

    bundle = sub.add_parser("bundle", parents=[common], help="a redacted support archive for a forum post")
    bundle.add_argument("--output", metavar="PATH",
                        help="new file or existing directory (default: current directory; never in the Wazuh home)")
    bundle.add_argument("--force", action="store_true", help="replace an existing --output file")
    bundle.add_argument("--mask-accounts", action="store_true", help="mask AWS account ids too")
    bundle.add_argument("--keys-per-bucket", type=_count(0), default=20, metavar="N",
                        help="sample key names per bucket (0: no listing)")
    bundle.add_argument("--bucket", metavar="NAME", help="only this bucket's checks")
    bundle.add_argument("--no-checks", action="store_true", help="offline bundle: no AWS calls")
    bundle.add_argument("--state-dir", metavar="DIR", help="where our ingestion state and log live")
    bundle.add_argument("--ossec-log", metavar="PATH", help="ossec.log to take aws-s3 lines from")
    bundle.add_argument("--log-lines", type=_count(0), default=2000, metavar="N", help="at most N ossec.log lines")
    return parser


def _demo_missing() -> str | None:
    """The one-line answer when ``--demo`` cannot start because the demo extra is not installed."""
    try:
        import moto.server  # noqa: F401  (the demo's embedded endpoint; imported only for --demo)
    except ImportError as error:
        return f"--demo needs the demo extra ({error.name or 'moto'} is not installed): {DEMO_INSTALL}"
    return None


def _preflight(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Refuse, before anything runs, what can only end in a hang or a guess (FIFOs, link loops, no block)."""
    from diagnostics.input_paths import InputRefused, check_input_file

    if args.command in ("keys", "preview", "ingest") and args.bucket is None and args.block is None:
        parser.error(f"{args.command} needs --bucket NAME or --block LINE")
    named = [("--config", getattr(args, "config", None), True),
             ("--ossec-log", getattr(args, "ossec_log", None), False)]
    if args.command == "explain-log" and args.file not in (None, "-"):
        named.append(("log file", args.file, False))
    for what, value, directory_ok in named:
        if value:
            try:
                check_input_file(Path(value), what, directory_ok=directory_ok)
            except InputRefused as refused:
                parser.error(str(refused))
    if getattr(args, "demo", False):
        missing = _demo_missing()
        if missing is not None:
            parser.exit(int(CommandExit.USAGE), f"wazuh-aws-doctor: {missing}\n")


def _known_secrets() -> tuple[str, ...]:
    """Every secret value of this host (environment, the module's shared files), masked in all output."""
    from diagnostics.masking import known_secrets

    return known_secrets(Path(os.environ.get("WAZUH_AWS_DOCTOR_MODULE_HOME", "/root")), [dict(os.environ)])


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments and run one command (or the app); returns the process exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    _preflight(parser, args)
    from diagnostics.configuration.block_selection import BlockSelectionError
    from diagnostics.input_paths import InputRefused
    from diagnostics.output_paths import OutputRefused
    from tui import commands, host_commands
    from tui.render_text import scrubbed_output

    try:
        if args.command is None:
            return commands.open_app(args)
        runner = {
            "check": commands.run_check,
            "explain-log": commands.run_explain_log,
            "keys": commands.run_keys,
            "preview": commands.run_preview,
            "ingest": commands.run_ingest,
            "host": host_commands.run_host,
            "bundle": host_commands.run_bundle,
        }[args.command]
        with scrubbed_output(_known_secrets()):
            return runner(args)
    except KeyboardInterrupt:
        if threading.current_thread() is threading.main_thread():  # only the main thread may set handlers
            signal.signal(signal.SIGINT, signal.SIG_DFL)  # a further Ctrl-C while exiting ends it, no traceback
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 0
    except (commands.UsageProblem, BlockSelectionError, InputRefused, OutputRefused) as problem:
        from diagnostics.text_safety import visible_lines

        print(f"wazuh-aws-doctor: {visible_lines(str(problem))}", file=sys.stderr)
        return int(CommandExit.USAGE)


if __name__ == "__main__":
    sys.exit(main())
