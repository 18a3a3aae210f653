"""Explanations for the read-only pass over a CloudWatch Logs or Inspector block (``ingest --block``, the app).

Both faces show these fixes, so each names the way to act in both: the CLI's option and the app's control.
"""

from __future__ import annotations

from diagnostics.explanations.table import Explanation
from diagnostics.findings import Status

ENTRIES: tuple[Explanation, ...] = (
    Explanation(
        failure_id="service_pass.state_unusable",
        title="The doctor's own state for this service cannot be used",
        explanation="{error}",
        fix=("Make our state directory writable, or choose another outside the Wazuh home (--state-dir; the "
             "app's pass screen names its directory as 'our state'), or start a fresh state (--reset, or the "
             "reset box in the app); the module's aws_services.db is only ever copied. If copying the module's "
             "file says 'database is locked', wait until the module's run ends and try again."),
        status=Status.ERROR,
    ),
    Explanation(
        failure_id="service_pass.cancelled_cloudwatch",
        title="The CloudWatch Logs pass was cancelled after {streams} stream(s)",
        explanation=("Each stream read to its end has its row (token, first and last event time) saved in the "
                     "doctor's state, {state_path}. The next pass starts after those rows and reads the streams "
                     "this one never reached from their start, as the module's next run would."),
        fix="Run the pass again to continue, or start over (--reset, or the reset box in the app).",
        status=Status.SKIPPED,
    ),
    Explanation(
        failure_id="service_pass.cancelled_inspector",
        title="The Inspector pass was cancelled in {region}",
        explanation=("The regions finished before it ({done}) have their scan date saved in the doctor's state, "
                     "{state_path}; {region} has none from this pass, so the next pass asks it again for the "
                     "same window and sends its {count} finding(s) sent so far a second time."),
        fix="Run the pass again to continue, or start over (--reset, or the reset box in the app).",
        status=Status.SKIPPED,
    ),
    Explanation(
        failure_id="service_pass.exit",
        title="The module's run stops here with exit code {exit_code}",
        explanation="Exit code {exit_code} means: {meaning}. {error}",
        fix=("Troubleshoot the block (Enter on it in the app's Overview, or `wazuh-aws-doctor check --block "
             "{line}`): it explains the credential, permission and region problems behind this exit code."),
        status=Status.ERROR,
    ),
    Explanation(
        failure_id="service_pass.resend_next_run",
        title="The module's next run sends {count} event(s) of {where} again",
        explanation=("The module saves a stream's row only after reading it to its end. This run stopped inside "
                     "{where}, so the {count} event(s) it sent from there are not recorded and the next run "
                     "sends them again (so does the doctor's next pass, whose state was kept the same way)."),
        fix="Remove the cause of the stop (the finding before this one) before the next scheduled run.",
        status=Status.WARNING,
    ),
)
