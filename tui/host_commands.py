"""Headless faces of the host checks, rule matching and the support bundle (wired into ``tui.cli``).

``run_host`` and ``run_bundle`` take the parsed arguments like the other commands; ``logtest_lines``
renders a logtest pass for ``preview --logtest``. All three only call diagnostics and render.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from diagnostics.findings import Finding, exit_for
from tui.render_text import badge, render_finding, render_groups, summary_line, to_json, use_colour

# The faces import diagnostics and other screens inside the functions that use them: importing
# them all up front made start-up ~0.9 s slower on this machine (best of 5: import tui.commands
# 1.0 s instead of 0.09 s, import tui.app 1.7 s instead of 0.65 s), paid before --help or the first screen.

if TYPE_CHECKING:
    from diagnostics.context import DoctorContext
    from diagnostics.host.logtest_model import LogtestReport

_VERDICT_WORDS = {"alert": "ALERT", "level_zero": "no alert (level 0)",
                  "below_alert_level": "no alert (below log_alert_level)", "no_rule": "no rule matched",
                  "no_decoder": "no decoder matched", "error": "logtest error"}


def _option(args: argparse.Namespace, name: str, default: Any) -> Any:
    """The argument's value, or ``default`` when this subcommand's parser does not define it or left it None."""
    value = getattr(args, name, None)
    return default if value is None else value


def run_host(args: argparse.Namespace) -> int:
    """``host``: the installed module and its Python, wazuh-modulesd and its environment, state, regions."""
    from diagnostics.checks import load_configuration
    from diagnostics.host.checks import check_host
    from diagnostics.host.python_probe import DEFAULT_TIMEOUT_S
    from tui.command_helpers import command_context

    with command_context(args) as context:
        config, _ = load_configuration(context)
        findings = check_host(context, config, timeout_s=float(_option(args, "timeout", DEFAULT_TIMEOUT_S)))
    if _option(args, "format", "text") == "json":
        print(to_json({"wazuh_home": str(context.wazuh_home), "wazuh_version": context.profile.label,
                       "findings": [finding.to_dict() for finding in findings]}))
    else:
        heading = f"{context.wazuh_home}  (Wazuh {context.profile.label})"
        print(render_groups([(heading, list(findings))], verbose=bool(_option(args, "verbose", False))))
        print(summary_line(findings))
    return int(exit_for(findings))


def run_bundle(args: argparse.Namespace) -> int:
    """``bundle``: run the checks (unless --no-checks) and write a redacted tar.gz for a forum post."""
    from diagnostics.bundle import DEFAULT_KEYS_PER_BUCKET, DEFAULT_LOG_LINES
    from diagnostics.support_bundle import make_support_bundle
    from tui.command_helpers import UsageProblem, command_context

    bucket = _option(args, "bucket", None)
    with command_context(args) as context:
        output = Path(_option(args, "output", None) or Path.cwd())
        state_dir = _option(args, "state_dir", None)
        ossec_log = _option(args, "ossec_log", None)
        try:
            result, report = make_support_bundle(
                context, output=output, bucket=bucket, run_checks_first=not _option(args, "no_checks", False),
                mask_accounts=bool(_option(args, "mask_accounts", False)),
                keys_per_bucket=int(_option(args, "keys_per_bucket", DEFAULT_KEYS_PER_BUCKET)),
                state_dir=Path(state_dir) if state_dir else None,
                ossec_log=Path(ossec_log) if ossec_log else None,
                max_log_lines=int(_option(args, "log_lines", DEFAULT_LOG_LINES)),
                force=bool(_option(args, "force", False)))
            if report is not None and bucket and not report.blocks:
                raise UsageProblem(f"no bucket or service named '{bucket}' in {report.config.path}")
        except OSError as error:
            raise UsageProblem(f"cannot write the bundle to {output}: {error.strerror or error}") from None
    if _option(args, "format", "text") == "json":
        print(to_json(result.to_dict()))
        return 0
    print(f"Support bundle written: {result.path} ({result.size_bytes} bytes, {len(result.files)} files, "
          f"{result.redactions} values redacted{', account ids masked' if result.masked_accounts else ''})")
    for note in result.notes:
        print(f"  note: {note}")
    print("Secrets are removed and key ids masked; read the files before posting them anyway.")
    return 0


def logtest_lines(context: DoctorContext, events: Iterable[Any], *, colour: bool | None = None,
                  verbose: bool = False) -> tuple[list[str], LogtestReport]:
    """``preview --logtest``: each event's rule and level, the events grouped by rule, then the findings.

    Returns the lines to print and the report (its ``findings`` feed the exit status, ``to_dict()`` the
    JSON output).
    """
    from diagnostics.host.logtest import match_events

    report = match_events(context, events)
    colour = use_colour(sys.stdout) if colour is None else colour
    lines = [f"wazuh-logtest via {report.interface} {report.target}: location Wazuh-AWS, log_alert_level "
             f"{report.alert_level} ({report.alert_level_source})"]
    for match in report.matches:
        verdict = _VERDICT_WORDS[match.verdict(report.alert_level)]
        if match.error is not None:
            lines.append(f"  #{match.index}  {verdict}: {match.error}")
            continue
        rule = f"rule {match.rule_id} level {match.level}" if match.rule_id else "no rule"
        lines.append(f"  #{match.index}  {rule:<22} {verdict:<34} {match.description or ''}"
                     f"  (decoder {match.decoder or 'none'})".rstrip())
    if report.not_sent:
        lines.append(f"  {report.not_sent} event(s) discarded by discard_regex: the module never sends them")
    if report.groups:
        lines.append("By rule:")
        for group in report.groups:
            rule = f"rule {group.rule_id}" if group.rule_id else "no rule"
            level = group.level if group.level is not None else "-"
            lines.append(f"  {group.count:>4} x {rule:<12} level {level:<3} {_VERDICT_WORDS[group.verdict]}")
    findings: list[Finding] = list(report.findings)
    for finding in findings:
        if verbose or finding.status.severity > 0:
            lines += render_finding(finding, colour=colour, verbose=verbose)
        else:
            lines.append(f"{badge(finding.status, colour)} {finding.title}")
    return lines, report
