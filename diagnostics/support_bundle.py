"""The whole support-bundle job in one call: checks, host checks, then the redacted archive.

Both faces (``wazuh-aws-doctor bundle`` and the app's palette action) call this, so what a bundle holds
does not depend on where it was asked for.
"""

from __future__ import annotations

from pathlib import Path

from diagnostics.bundle import DEFAULT_KEYS_PER_BUCKET, DEFAULT_LOG_LINES, BundleResult, build_bundle, bundle_target
from diagnostics.checks import CheckReport, load_configuration, run_checks
from diagnostics.context import DoctorContext
from diagnostics.host.checks import check_host
from diagnostics.host.processes import find_processes


def make_support_bundle(context: DoctorContext, *, output: Path, bucket: str | None = None,
                        run_checks_first: bool = True, mask_accounts: bool = False,
                        keys_per_bucket: int = DEFAULT_KEYS_PER_BUCKET, state_dir: Path | None = None,
                        ossec_log: Path | None = None,
                        max_log_lines: int = DEFAULT_LOG_LINES, force: bool = False,
                        create_directory: bool = False) -> tuple[BundleResult, CheckReport | None]:
    """Run the checks (unless told not to), the host checks, and write the archive; never raises for AWS.

    The output path is judged first (OutputRefused: inside the Wazuh home, a link, an existing file
    without ``force``), so a refused path costs no checks and creates nothing.
    """
    bundle_target(context, output, force=force, create_directory=create_directory)
    report = run_checks(context, bucket=bucket) if run_checks_first else None
    config = report.config if report is not None else load_configuration(context)[0]
    processes = find_processes()
    host = check_host(context, config, processes=processes)
    result = build_bundle(
        context, report, output=output, config=config, host_findings=host, mask_accounts=mask_accounts,
        keys_per_bucket=keys_per_bucket, state_dir=state_dir, ossec_log=ossec_log, max_log_lines=max_log_lines,
        module_environs=[process.environ for process in processes if process.environ is not None], force=force)
    return result, report
