"""Explanations for CloudWatch Logs and Inspector blocks and the aws_services.db they share; part of the one table.

Kept apart from the subscriber queue entries because a service reads its own API, regions and state file.
"""

from __future__ import annotations

from diagnostics.explanations.table import Explanation
from diagnostics.findings import Status

ENTRIES: tuple[Explanation, ...] = (
    Explanation(
        failure_id="logs.skipped",
        title="CloudWatch Logs not checked: {reason}",
        explanation="The CloudWatch Logs checks need <aws_log_groups> and working credentials.",
        fix="",
        status=Status.SKIPPED,
    ),
    Explanation(
        failure_id="logs.regions_all",
        title="No region: the module tries all {count} regions, starting with {first}",
        explanation="Without <regions> the module takes the region of [{profile_section}] in the module's "
                    "~/.aws/config, read as a plain section name (a [profile NAME] section is not found this "
                    "way); failing that it asks every region in its list, in order. A log group exists in one "
                    "region, so the first region without it ends the run (exit 16) before the group's region "
                    "is reached.",
        fix="Set <regions> to the log groups' region(s).",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="service.regions_ok",
        title="The run walks {loop}, and each region's client reads that region",
        explanation="The regions come from {origin}; no region in the module's ~/.aws/config overrides them.",
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="service.region_overridden",
        title="Every region of the run reads {client_region}: {overridden} are never read",
        explanation="The module builds each region's client with the region of [{section}] from its "
                    "~/.aws/config ({client_region}), and that region wins over the one the loop passes. So "
                    "each of the {count} iterations ({loop}) reads {client_region} and stores its progress "
                    "under the loop's region: the same events are sent once per iteration (duplicate alerts), "
                    "and nothing in {overridden} is ever read. This is predicted from how the module sets up "
                    "its clients; the tests record it from a real run where a golden file exists.",
        fix="Set <regions> to exactly {client_region}, or give each region its own <service> block with an "
            "<aws_profile> whose region is that region.",
        status=Status.ERROR,
    ),
    Explanation(
        failure_id="logs.group_ok",
        title="Log group {group} in {region}: {streams} stream(s)",
        explanation="DescribeLogStreams answered like the module's first call for the group.{read_note}",
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="logs.group_failed",
        title="Log group {group} cannot be read in {region} ({code})",
        explanation="DescribeLogStreams answered: {message}. The module's whole run stops at this call (exit "
                    "16): the groups and regions after this one are not read either.",
        fix="{fix_hint}",
        exit_code=16,
        script_message='The "get_log_streams" request failed: {error}',
    ),
    Explanation(
        failure_id="logs.group_unreachable",
        title="CloudWatch Logs in {region} cannot be reached",
        explanation="{error}. The module prints the error and goes on with no streams for the group, so the run "
                    "ends without events and without a failure exit.",
        fix="Check the network path (proxy, VPC endpoint) to logs.{region}.amazonaws.com.",
        status=Status.ERROR,
    ),
    Explanation(
        failure_id="logs.events_denied",
        title="Events of {group} cannot be read ({code})",
        explanation="GetLogEvents on stream {stream} answered: {message}. The module's whole run stops at the "
                    "first stream it cannot read (exit 16), before any later stream, group or region.",
        fix="Allow logs:GetLogEvents on {group} for {principal}.",
        exit_code=16,
        script_message='The "get_log_events" request failed: {error}',
    ),
    Explanation(
        failure_id="logs.none_dropped",
        title="{count} of the first {sampled} events of {stream} will be dropped: they start with 'None'",
        explanation="With no <discard_regex>, the module compiles the literal pattern 'None' and applies it to "
                    "every CloudWatch message that is not JSON, so plain-text messages beginning with 'None' "
                    "(e.g. {example}) are silently skipped; only debug level 2 shows a 'regex found a match' "
                    "line. This is a bug of the module that loses logs, reproduced from a recorded run of "
                    "4.14.7.",
        fix="Add <discard_regex>(?!)</discard_regex> (a pattern that never matches) to the <service> block: "
            "the module then sends every message.",
        status=Status.ERROR,
    ),
    Explanation(
        failure_id="logs.remove_streams",
        title="remove_log_streams deletes every stream of {group} the module has read",
        explanation="With <remove_log_streams>yes</remove_log_streams> the module calls DeleteLogStream after "
                    "reading each stream: the logs are gone from CloudWatch afterwards, and a failed delete stops "
                    "the run (exit 16). The doctor never deletes streams.",
        fix="Keep it only if Wazuh is the logs' sole destination; the role then also needs logs:DeleteLogStream.",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="logs.state_first_run",
        title="No saved progress for {group} under {loop_region}: the next run reads from {start}",
        explanation="aws_services.db has no cloudwatch_logs row for this group and loop region, so the module "
                    "reads every stream from {start} (only_logs_after, else today at 00:00 UTC) to now.",
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="logs.state",
        title="{count} stream(s) of {group} read before under {loop_region}; latest event sent {latest}",
        explanation="The module keeps, per stream, the token and the first and last event times it sent, keyed "
                    "by the loop's region ({loop_region}). The next run asks each stream for events after its "
                    "last one (and, when only_logs_after is earlier than a stream's first event, for the gap "
                    "before it). Streams: {streams}.",
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="inspector.skipped",
        title="Inspector not checked: {reason}",
        explanation="The Inspector checks need working credentials.",
        fix="",
        status=Status.SKIPPED,
    ),
    Explanation(
        failure_id="inspector.findings_ok",
        title="Inspector findings readable in {region} ({count} on the first page)",
        explanation="ListFindings answered for the window the next run asks for: updatedAt from {start} to now "
                    "({window_origin}).",
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="inspector.findings_failed",
        title="Inspector findings cannot be listed in {region} ({code})",
        explanation="ListFindings answered: {message}. The module has no handler for this error, so the run "
                    "ends in its generic error path.",
        fix="Allow inspector2:ListFindings for {principal}, and check Inspector is enabled in {region}.",
        exit_code=12,
        script_message="{error}",
        catch_all=True,
    ),
    Explanation(
        failure_id="service.state_unreadable",
        title="aws_services.db cannot be read ({health}): where the next run starts is unknown",
        explanation="Opening {state_db} read-only failed ({detail}), so the saved CloudWatch Logs progress and "
                    "Inspector scan dates cannot be shown; the steps below assume none is saved.",
        fix="Check the file's ownership and permissions (root:wazuh, 0660) and that it is an SQLite file; if it "
            "is locked, run the check again after the scheduled run ends.",
        status=Status.WARNING,
    ),
)
