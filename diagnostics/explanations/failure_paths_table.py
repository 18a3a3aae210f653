"""Explanations for the paths where a module run breaks part-way; part of the one table.

Each entry was checked against a recording of the real module (tests/goldens/module_4_14_7/), so the exit
codes and the consequences stated here (what is re-sent, what is never read) are observed, not inferred.
"""

from __future__ import annotations

from diagnostics.explanations.table import Explanation
from diagnostics.findings import Status

DUPLICATES = (
    "The module deletes each file right after sending its events and before recording it as processed. "
    "When the delete is refused, the run ends there with exit 1 and records nothing, so the next run reads "
    "the same first file and sends its events again: Wazuh receives duplicates on every run, and no file "
    "after the first is ever read."
)

ENTRIES: tuple[Explanation, ...] = (
    Explanation(
        failure_id="access.remove_denied",
        title="remove_from_bucket is set, but these credentials may not delete from {bucket}",
        explanation=DUPLICATES + " Found without deleting anything: {source} ({detail}).",
        fix="Allow s3:DeleteObject on {resource} for {principal}, or set <remove_from_bucket>no"
            "</remove_from_bucket> (deleting after reading is rarely needed: a lifecycle rule is safer).",
        exit_code=1,
        script_message='ERROR: ERROR: The "iter_files_in_bucket" request failed: {error}',
    ),
    Explanation(
        failure_id="access.remove_allowed",
        title="remove_from_bucket: these credentials may delete from {bucket} ({source})",
        explanation=(
            "The module deletes every file it has read, right after sending its events ({detail}). The doctor "
            "itself never deletes: its passes only say which files the module would remove."
        ),
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="access.remove_unknown",
        title="remove_from_bucket: cannot know whether these credentials may delete from {bucket}",
        explanation=(
            "Nothing these credentials may read settles it ({detail}); the doctor never tries a delete to "
            "find out. If the delete is refused: " + DUPLICATES
        ),
        fix="Check that the policy of {principal} allows s3:DeleteObject on {resource} (IAM console: Policy "
            "simulator), or set <remove_from_bucket>no</remove_from_bucket>.",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="walk.stops_at_file",
        title="The run stops at {key} (exit {exit_code}): {not_reached} listed file(s) after it are not read",
        explanation=(
            "Without skip_on_error the module exits at the first file it cannot read or decode ({cause}). "
            "The files listed after it are not read by this run, and since a stopped run records nothing, "
            "the next run sends the events of every file before it again."
        ),
        fix="Remove or fix {key}, or set <skip_on_error>yes</skip_on_error> in the wodle so the module sends "
            "an error event for it and goes on.",
    ),
    Explanation(
        failure_id="layout.marker_from_other_region",
        title="{count} file(s) in {region} will never be read: its marker is another region's last key",
        explanation=(
            "The {table} state has no region column, so the module starts the {region} listing after the "
            "newest key it has read in any region ('{marker}'). Every {region} file sorting before that key is "
            "passed over without a log line, on this run and every later one: {examples}."
        ),
        fix="Give each region its own prefix (GuardDuty's export destination accepts one) with one <bucket> "
            "block and <path> per prefix, or one bucket per region. Until then only a manual run reads them, "
            "re-sending everything since only_logs_after: {reparse_command}",
    ),
    Explanation(
        failure_id="ingest.resend_next_run",
        title="The module's next run sends these {count} event(s) again: a run that stops records nothing",
        explanation=(
            "The module records the files it read once, at the end of a run. This run stops with exit "
            "{exit_code}, so none of the {files} file(s) read before the stop is recorded: the next run reads "
            "them again and Wazuh receives their {count} event(s) a second time, on every run until the cause "
            "is gone. This pass took its own marks back the same way, so its next pass behaves like the module."
        ),
        fix="Remove the cause of the stop (the finding before this one); for broken files, "
            "<skip_on_error>yes</skip_on_error> lets the module record them and go on.",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="decode.discard_never_matches",
        title="discard_regex on '{field}' never matches: the field holds a {kinds}, not text",
        explanation=(
            "The module tests the regex with Python's re.match, which only accepts text (or a list it can "
            "search); on a {kinds} the test fails quietly and counts as no match, so every event is sent "
            "whatever '{regex}' says (recorded from 4.14.7 in tests/goldens/module_4_14_7/discard_regex_non_string)."
        ),
        fix="Point field at a text field, or filter these events with a Wazuh rule on the decoded value instead.",
        status=Status.WARNING,
    ),
)
