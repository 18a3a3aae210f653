"""Command-line entry point: argparse to commands; with no sub-command the app opens."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from diagnostics.findings import CommandExit
from diagnostics.ingest.model import DEFAULT_WORKERS

DESCRIPTION = (
    "Troubleshoot Wazuh's aws-s3 module: configuration, credentials, bucket access, key layouts, "
    "decoded events and a debug ingestion pass. With no command, the interactive app opens."
)


def _common_options(*, suppress: bool = False) -> argparse.ArgumentParser:
    """The options every command takes; sub-commands suppress defaults so values given before them stay."""
    common = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS if suppress else None)
    common.add_argument("--config", metavar="PATH",
                        help="ossec.conf to read (default: WAZUH_HOME/etc/ossec.conf)")
    common.add_argument("--wazuh-home", metavar="DIR",
                        help="Wazuh installation directory (default: $WAZUH_HOME or /var/ossec)")
    common.add_argument("--endpoint-url", metavar="URL",
                        help="send every AWS call to this endpoint (S3-compatible stores, tests)")
    common.add_argument("--format", choices=("text", "json"), help="output format (default text)",
                        default=argparse.SUPPRESS if suppress else "text")
    return common


def build_parser() -> argparse.ArgumentParser:
    """The full parser; kept in one function so the help text and tests share it."""
    parser = argparse.ArgumentParser(prog="wazuh-aws-doctor", description=DESCRIPTION,
                                     parents=[_common_options()])
    common = _common_options(suppress=True)
    parser.add_argument("--demo", action="store_true",
                        help="start an embedded S3 server seeded with samples (no AWS account needed)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", parents=[common], help="config, credentials, identity and access checks")
    check.add_argument("--bucket", metavar="NAME", help="check only this bucket (or service type)")
    check.add_argument("--verbose", "-v", action="store_true", help="show evidence for passing checks too")

    explain = sub.add_parser("explain-log", parents=[common], help="annotate aws-s3 failures in ossec.log")
    explain.add_argument("file", nargs="?", metavar="FILE",
                         help="log file (default WAZUH_HOME/logs/ossec.log, '-' for stdin)")
    explain.add_argument("--verbose", "-v", action="store_true", help="explain the lines that are fine too")

    keys = sub.add_parser("keys", parents=[common], help="list a bucket's keys as the module sees them")
    keys.add_argument("--bucket", metavar="NAME", required=True)
    keys.add_argument("--prefix", metavar="P", help="level to list (default: the configured prefix)")
    keys.add_argument("--wodle-view", action="store_true",
                      help="list the keys the module would consider, in its order, from its marker")
    keys.add_argument("--limit", type=int, default=200, metavar="N", help="at most N keys (default 200)")

    preview = sub.add_parser("preview", parents=[common], help="decode one object as the module would")
    preview.add_argument("--bucket", metavar="NAME", required=True)
    preview.add_argument("--key", metavar="KEY", required=True)
    preview.add_argument("--limit", type=int, default=20, metavar="N", help="at most N events (default 20)")
    preview.add_argument("--raw", action="store_true", help="show raw records instead of envelopes")
    preview.add_argument("--logtest", action="store_true",
                         help="run the events through wazuh-logtest: decoder, rule, level, alert or not")

    ingest = sub.add_parser("ingest", parents=[common], help="a debug-level ingestion pass with live log")
    ingest.add_argument("--bucket", metavar="NAME", required=True)
    ingest.add_argument("--debug", type=int, choices=(1, 2, 3), default=2, help="module debug level")
    ingest.add_argument("--events-out", metavar="FILE", help="write events as JSON lines ('-' for stdout)")
    ingest.add_argument("--envelopes", action="store_true",
                        help="write plain envelopes instead of '1:Wazuh-AWS:' socket payloads")
    ingest.add_argument("--state-dir", metavar="DIR", help="where our own state database lives")
    ingest.add_argument("--reset", action="store_true", help="forget our state and start over")
    ingest.add_argument("--from-wazuh-state", action="store_true",
                        help="start from a read-only copy of the module's state database")
    ingest.add_argument("--limit", type=int, metavar="N", help="stop after N files")
    ingest.add_argument("--workers", type=int, default=DEFAULT_WORKERS, metavar="N",
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
    host.add_argument("--timeout", type=float, default=15.0, metavar="SECONDS",
                      help="limit for running the module's Python (default 15)")

    bundle = sub.add_parser("bundle", parents=[common], help="a redacted support archive for a forum post")
    bundle.add_argument("--output", metavar="PATH", help="file or directory (default: current directory)")
    bundle.add_argument("--mask-accounts", action="store_true", help="mask AWS account ids too")
    bundle.add_argument("--keys-per-bucket", type=int, default=20, metavar="N",
                        help="sample key names per bucket (0: no listing)")
    bundle.add_argument("--bucket", metavar="NAME", help="only this bucket's checks")
    bundle.add_argument("--no-checks", action="store_true", help="offline bundle: no AWS calls")
    bundle.add_argument("--state-dir", metavar="DIR", help="where our ingestion state and log live")
    bundle.add_argument("--ossec-log", metavar="PATH", help="ossec.log to take aws-s3 lines from")
    bundle.add_argument("--log-lines", type=int, default=2000, metavar="N", help="at most N ossec.log lines")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments and run one command (or the app); returns the process exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    from tui import commands, host_commands

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
        return runner(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 0
    except commands.UsageProblem as problem:
        from diagnostics.text_safety import visible

        print(f"wazuh-aws-doctor: {visible(str(problem))}", file=sys.stderr)
        return int(CommandExit.USAGE)


if __name__ == "__main__":
    sys.exit(main())
