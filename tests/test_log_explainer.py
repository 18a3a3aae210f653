"""The ossec.log explainer: the write-up's lines, every exit code, run grouping, attribution and masking."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagnostics.explanations import all_explanations, fill
from diagnostics.explanations.log_table import EXIT_MEANINGS, NOTES, SUSPECTS
from diagnostics.findings import Status, worst_status
from diagnostics.log_explainer.explainer import PLACEHOLDERS, LogReport, explain_log
from diagnostics.log_explainer.files import explain_log_file
from diagnostics.log_explainer.parser import mask_secrets, parse_command, parse_line, parse_title, read_log_file
from diagnostics.log_explainer.patterns import C_MESSAGES, CAUSES, SCRIPT_LINES
from diagnostics.wazuh.versions import profile_for

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "ossec-logs"
V4_14 = profile_for((4, 14, 7), "test")
V4_3 = profile_for((4, 3, 11), "test")
V5 = profile_for((5, 0, 1), "test")
TAG = "2025/03/03 09:10:05 wazuh-modulesd:aws-s3:"


def explain(text: str, profile: object = V4_14) -> LogReport:
    return explain_log(text.splitlines(), profile)  # type: ignore[arg-type]


def exit_annotation(report: LogReport, code: int):  # type: ignore[no-untyped-def]
    matches = [a for a in report.annotations if a.finding.wazuh_exit_code == code
               and "Returned exit code" in a.text]
    assert len(matches) == 1, [a.text for a in report.annotations]
    return matches[0]


def failure(code: int, message: str, bucket: str = "acme-bucket") -> str:
    return (f"{TAG} INFO: Executing Bucket Analysis: (Bucket: {bucket}, Type: cloudtrail, Profile: p)\n"
            f"{TAG} WARNING: Bucket:  -  Returned exit code {code}\n"
            f"{TAG} WARNING: Bucket:  -  {message}\n")


# --- the write-up ----------------------------------------------------------------------------------

def test_writeup_profile_not_found_is_exit_12_catch_all_attributed_to_the_bucket() -> None:
    report = explain_log_file(SAMPLES / "writeup-macie-profile-not-found.log", V4_14)
    annotation = exit_annotation(report, 12)
    finding = annotation.finding
    assert annotation.line == 4
    assert finding.failure_id == "log.cause.profile_not_found"
    assert finding.status is Status.ERROR
    assert finding.target == "bucket 'wazuh-aws-wodle'"
    assert "/root/.aws/credentials" in finding.explanation and "catch-all" in finding.explanation
    assert "[default]" in finding.fix
    assert "line 3" in finding.explanation  # attributed to the Executing line
    assert finding.ossec_log == (
        "2020/04/28 10:45:14 wazuh-modulesd:aws-s3: WARNING: Bucket:  -  Returned exit code 12",
        "2020/04/28 10:45:14 wazuh-modulesd:aws-s3: WARNING: Bucket:  -  The config profile (default) could "
        "not be found")
    assert NOTES["single_space"] not in finding.explanation
    assert [run.outcome for run in report.runs if run.kind == "bucket"] == ["failed"]


def test_writeup_success_has_no_problem() -> None:
    report = explain_log_file(SAMPLES / "writeup-macie-success.log", V4_14)
    assert worst_status(report.findings) is Status.OK
    buckets = [run for run in report.runs if run.kind == "bucket"]
    assert [(run.name, run.field("Path"), run.field("Type"), run.outcome) for run in buckets] == [
        ("wazuh-aws-wodle", "macie", "custom", "ok")]
    assert report.counts.module_lines == 4 and report.counts.unrecognised_lines == 0


def test_writeup_troubleshooting_lines_without_timestamps_and_single_spaces() -> None:
    report = explain_log_file(SAMPLES / "writeup-cloudtrail-troubleshooting.log", V4_14)
    failed = report.failed_runs
    assert [(run.name, run.exit_code) for run in failed] == [
        ("wazuh-cloudtrail", 12), ("wazuh-cloudtrail", 3), ("wazuh-cloudnottrail", 3)]
    by_line = {a.line: a.finding for a in report.annotations if "Returned exit code" in a.text}
    assert by_line[4].failure_id == "log.cause.profile_not_found"
    forbidden, not_found = by_line[10], by_line[15]
    assert forbidden.failure_id == "log.cause.legacy_forbidden"
    assert not_found.failure_id == "log.cause.legacy_not_found"
    for finding in (forbidden, not_found):
        assert finding.wazuh_exit_code == 3
        assert "before 4.4" in finding.explanation
        assert "never prints this line" in finding.explanation  # the profile is newer than the line
        assert NOTES["single_space"] in finding.explanation
    assert "AccessDenied" in forbidden.explanation and "exit 1" in forbidden.explanation
    assert "NoSuchBucket" in not_found.explanation and "exit 1" in not_found.explanation
    assert not_found.target == "bucket 'wazuh-cloudnottrail'"


def test_writeup_legacy_lines_on_an_old_version_say_they_match() -> None:
    report = explain_log_file(SAMPLES / "writeup-cloudtrail-troubleshooting.log", V4_3)
    forbidden = next(a.finding for a in report.annotations if a.line == 10)
    assert "matches the version profile (4.3.11)" in forbidden.explanation
    assert "never prints this line" not in forbidden.explanation
    assert fill(NOTES["code_mismatch"], {"expected": 3, "version": "4.3.11", "code": 3}) \
        not in forbidden.explanation


def test_legacy_3x_wording_and_old_tag() -> None:
    report = explain_log_file(SAMPLES / "legacy-3x-headbucket.log", V4_14)
    assert [(run.name, run.exit_code) for run in report.failed_runs] == [("s3-dev-bucket", 3),
                                                                          ("s3-vpc-bucket", 12)]
    ids = {a.finding.failure_id for a in report.annotations}
    assert {"log.cause.legacy_forbidden", "log.cause.legacy_common_prefixes"} <= ids
    assert report.counts.module_lines == 12  # the blank line ends the 3.x message: it belongs to it


# --- every exit code with the line after it --------------------------------------------------------

EXIT_CASES = [
    (1, "Unknown error.", "log.exit.1"),
    (1, "Unexpected error: 'An error occurred (NoSuchBucket) when calling the ListObjectsV2 operation: The "
        "specified bucket does not exist'.", "log.cause.no_such_bucket"),
    (1, "Unexpected error: 'An error occurred (AccessDenied) when calling the ListObjectsV2 operation: "
        "Access Denied'.", "log.cause.access_denied"),
    (1, "Unexpected error: 'An error occurred (InvalidAccessKeyId) when calling the ListObjectsV2 operation: "
        "The AWS Access Key Id you provided does not exist in our records.'.",
     "log.cause.invalid_access_key"),
    (1, "ERROR: The \"iter_files_in_bucket\" request failed: boom", "log.cause.listing_failed"),
    (2, "Error parsing arguments.", "log.cause.arguments"),
    (3, "Invalid credentials to access S3 Bucket", "log.cause.invalid_credentials"),
    (3, "Access error: An error occurred (AccessDenied) when calling the AssumeRole operation: User is not "
        "authorized", "log.cause.assume_role_denied"),
    (3, "Access error: An error occurred (403) when calling the HeadBucket operation: Forbidden",
     "log.cause.legacy_forbidden"),
    (3, "Access error: An error occurred (404) when calling the HeadBucket operation: Not Found",
     "log.cause.legacy_not_found"),
    (4, "boto3 module is required.", "log.cause.boto3_missing"),
    (5, "Unexpected error accessing SQLite DB: disk I/O error", "log.cause.sqlite_error"),
    (6, "Unable to create SQLite DB: database is locked", "log.cause.db_locked"),
    (7, "Unexpected error querying/working with objects in S3: timeout", "log.cause.s3_object_error"),
    (8, "Invalid gzip file received.", "log.cause.decompress"),
    (9, "Failed to parse file custom/2024/01/01/x.json: JSONDecodeError('Expecting value')",
     "log.cause.parse"),
    (10, "pyarrow module is required.", "log.cause.pyarrow_missing"),
    (11, "Wazuh must be running.", "log.cause.wazuh_not_running"),
    (12, "The config profile (prod) could not be found", "log.cause.profile_not_found"),
    (12, "Unable to locate credentials", "log.cause.no_credentials"),
    (12, "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The "
         "security token included in the request is invalid.", "log.cause.invalid_client_token"),
    (12, "You must specify a region.", "log.cause.no_region"),
    (12, "Invalid type of bucket", "log.cause.invalid_type"),
    (12, "'NoneType' object is not subscriptable", "log.exit.12"),
    (13, "Error sending message to wazuh: [Errno 2] No such file or directory", "log.cause.send_failed"),
    (14, "No files were found in 'acme-bucket/vpc/'. No logs will be processed.", "log.cause.no_files"),
    (15, 'Could not connect to the endpoint URL: "https://s3.example.internal/acme-bucket"',
     "log.cause.endpoint"),
    (16, "The 'check_bucket' request was denied due to request throttling. If the problem persists check the "
         "following link", "log.cause.throttling"),
    (17, "Invalid key or value found in config ", "log.cause.invalid_config_value"),
    (18, "No logs found in 'AWSLogs/'. Check the provided prefix and the location of the logs for the bucket "
         "type 'cloudtrail'", "log.cause.no_logs_in_prefix"),
    (19, "The server datetime and datetime of the AWS environment differ", "log.cause.clock_skew"),
    (20, "Queue does not exist, verify the given name", "log.cause.queue_not_found"),
    (21, "Used a subscriber but no --external_id provided.", "log.cause.subscriber_param"),
    (21, "", "log.exit.21"),
    (22, "", "log.cause.invalid_region"),
    (23, "No profile named: 'profile prod' was found in the user config file",
     "log.cause.profile_not_in_config"),
]


@pytest.mark.parametrize(("code", "message", "failure_id"), EXIT_CASES)
def test_every_exit_code_is_explained_with_its_message(code: int, message: str, failure_id: str) -> None:
    report = explain(failure(code, message))
    finding = exit_annotation(report, code).finding
    assert finding.failure_id == failure_id
    assert finding.title.startswith(f"Exit {code}: ")
    assert fill(NOTES["exit_meaning"], {"code": code, "meaning": EXIT_MEANINGS[code]}) in finding.explanation
    assert finding.fix
    assert finding.target == "bucket 'acme-bucket'"
    assert "{" not in finding.explanation + finding.fix + finding.title
    assert report.failed_runs[0].message == message.rstrip()


def test_all_exit_codes_1_to_23_are_covered_by_the_cases() -> None:
    assert {code for code, _, _ in EXIT_CASES} == set(range(1, 24)) == set(EXIT_MEANINGS)


def test_exit_12_tells_its_causes_apart() -> None:
    causes = {message: exit_annotation(explain(failure(12, message)), 12).finding.failure_id
              for code, message, _ in EXIT_CASES if code == 12}
    assert len(set(causes.values())) == len(causes)


def test_unknown_exit_12_message_is_quoted_and_called_a_catch_all() -> None:
    finding = exit_annotation(explain(failure(12, "'NoneType' object is not subscriptable")), 12).finding
    assert "'NoneType' object is not subscriptable" in finding.explanation
    assert "catch-all" in finding.explanation


def test_exit_22_with_empty_second_line() -> None:
    finding = exit_annotation(explain(failure(22, "")), 22).finding
    assert NOTES["empty_message"] in finding.explanation


def test_exit_2_names_the_argument_suspects_from_the_logged_command() -> None:
    text = (f"{TAG} INFO: Executing Bucket Analysis: (Bucket: acme-waf, Type: waf, Profile: security ro)\n"
            f"{TAG} DEBUG: Launching S3 Command: wodles/aws/aws-s3 --bucket acme-waf "
            f"--aws_profile security ro --only_logs_after 2025-03-01 --type waf --debug 1\n"
            f"{TAG} WARNING: Bucket:  -  Returned exit code 2\n"
            f"{TAG} WARNING: Bucket:  -  Error parsing arguments.\n")
    report = explain(text)
    finding = exit_annotation(report, 2).finding
    stray = fill(SUSPECTS["stray"], {"token": "ro"})
    date = fill(SUSPECTS["date"], {"value": "2025-03-01"})
    assert stray in finding.explanation and date in finding.explanation
    assert any(a.finding.failure_id == "log.command_stray_argument" for a in report.annotations)


def test_exit_2_stray_token_on_a_5x_profile_points_at_a_4x_log() -> None:
    text = (f"{TAG} DEBUG: Launching S3 Command: wodles/aws/aws-s3 --bucket b --aws_profile a b --debug 1\n"
            f"{TAG} WARNING: Bucket:  -  Returned exit code 2\n"
            f"{TAG} WARNING: Bucket:  -  Error parsing arguments.\n")
    finding = exit_annotation(explain(text, V5), 2).finding
    assert fill(SUSPECTS["stray_quoted"], {"token": "b", "version": V5.label}) in finding.explanation


def test_exit_2_with_sigint_in_the_output() -> None:
    output = f"{TAG} DEBUG: Bucket:  -  OUTPUT: ERROR: SIGINT received.\n"
    text = failure(2, "Error parsing arguments.") + output
    assert exit_annotation(explain(text), 2).finding.failure_id == "log.cause.sigint"


def test_debug_reraise_of_a_catch_all_is_explained_as_exit_1() -> None:
    text = failure(1, "Unknown error: The config profile (prod) could not be found")
    finding = exit_annotation(explain(text), 1).finding
    assert finding.failure_id == "log.cause.profile_not_found"
    assert NOTES["reraised"] in finding.explanation


def test_unexpected_code_for_a_message_is_called_uncertain() -> None:
    finding = exit_annotation(explain(failure(14, "You must specify a region.")), 14).finding
    assert finding.failure_id == "log.cause.no_region"
    assert "treat the explanation as likely" in finding.explanation


def test_endpoint_error_from_a_service_is_exit_12_without_a_mismatch_note() -> None:
    text = (f"{TAG} INFO: Executing Service Analysis: (Service: inspector, Profile: p)\n"
            f"{TAG} WARNING: Service: inspector  -  Returned exit code 12\n"
            f"{TAG} WARNING: Service: inspector  -  Could not connect to the endpoint URL: "
            f"\"https://inspector.af-south-1.amazonaws.com/\"\n")
    finding = exit_annotation(explain(text), 12).finding
    assert finding.failure_id == "log.cause.endpoint" and finding.target == "service 'inspector'"
    assert "treat the explanation as likely" not in finding.explanation
    assert "curl -v https://inspector.af-south-1.amazonaws.com/" in finding.fix


def test_unknown_exit_code_is_still_explained() -> None:
    finding = exit_annotation(explain(failure(127, "sh: 1: wodles/aws/aws-s3: not found")), 127).finding
    assert finding.failure_id == "log.exit.other" and "126/127" in finding.explanation


# --- runs, grouping and attribution ----------------------------------------------------------------

def test_several_buckets_are_grouped_and_failures_attributed() -> None:
    report = explain_log_file(SAMPLES / "debug0-several-buckets-4.14.log", V4_14)
    named = [(run.kind, run.name, run.cycle, run.outcome, run.exit_code) for run in report.runs
             if run.kind != "module"]
    assert named == [
        ("bucket", "acme-cloudtrail", 1, "ok", None),
        ("bucket", "acme-vpc-flow", 1, "failed", 14),
        ("bucket", "acme-alb-logs", 1, "failed", 1),
        ("bucket", "acme-guardduty", 1, "failed", 22),
        ("service", "inspector", 1, "failed", 12),
        ("subscriber", "buckets acme-s3-notifications", 1, "failed", 12),
        ("bucket", "acme-cloudtrail", 2, "ok", None),
        ("bucket", "acme-vpc-flow", 2, "failed", 14),
    ]
    alb = next(run for run in report.runs if run.name == "acme-alb-logs")
    assert alb.title_detail == "123456789012(prod)" and alb.field("Account Alias") == "prod"
    assert report.counts.ignored_lines == 2  # syscollector and remoted lines
    for annotation in report.annotations:
        run = report.runs[annotation.run_index or 0]
        assert run.first_line <= annotation.line <= run.last_line
    overtaken = [a for a in report.annotations if a.finding.failure_id == "log.interval_overtaken"]
    assert len(overtaken) == 1 and overtaken[0].finding.status is Status.WARNING


def test_failure_goes_to_the_bucket_of_the_preceding_executing_line() -> None:
    text = (f"{TAG} INFO: Starting fetching of logs.\n"
            f"{TAG} INFO: Executing Bucket Analysis: (Bucket: first-ok, Type: cloudtrail)\n"
            f"{TAG} INFO: Executing Bucket Analysis: (Bucket: second-bad, Type: custom)\n"
            f"{TAG} WARNING: Bucket:  -  Returned exit code 14\n"
            f"{TAG} WARNING: Bucket:  -  No files were found in 'second-bad/'. No logs will be processed.\n"
            f"{TAG} INFO: Executing Bucket Analysis: (Bucket: third-ok, Type: cloudtrail)\n"
            f"{TAG} INFO: Fetching logs finished.\n")
    report = explain(text)
    assert exit_annotation(report, 14).finding.target == "bucket 'second-bad'"
    outcomes = {run.name: run.outcome for run in report.runs if run.kind == "bucket"}
    assert outcomes == {"first-ok": "ok", "second-bad": "failed", "third-ok": "ok"}


def test_failure_without_executing_line_says_the_bucket_is_unknown() -> None:
    text = (f"{TAG} WARNING: Bucket:  -  Returned exit code 14\n"
            f"{TAG} WARNING: Bucket:  -  No files were found in 'b/'. No logs will be processed.\n"
            f"{TAG} WARNING: Bucket:  -  Returned exit code 3\n"
            f"{TAG} WARNING: Bucket:  -  Invalid credentials to access S3 Bucket\n")
    report = explain(text)
    assert len(report.failed_runs) == 2
    for code in (14, 3):
        finding = exit_annotation(report, code).finding
        assert finding.target == "bucket (not named in this excerpt)"
        assert NOTES["not_attributed"] in finding.explanation


def test_launching_line_names_the_bucket_when_executing_is_missing() -> None:
    text = (f"{TAG} DEBUG: Launching S3 Command: wodles/aws/aws-s3 --bucket from-command --debug 1\n"
            f"{TAG} WARNING: Bucket:  -  Returned exit code 14\n"
            f"{TAG} WARNING: Bucket:  -  No files were found in 'from-command/'.\n")
    report = explain(text)
    assert exit_annotation(report, 14).finding.target == "bucket 'from-command'"
    assert report.failed_runs[0].debug_level == 1


def test_debug1_output_block_and_tracebacks() -> None:
    report = explain_log_file(SAMPLES / "debug1-failures-4.14.log", V4_14)
    runs = {run.name: run for run in report.runs}
    legacy = runs["acme-legacy-trail"]
    assert legacy.exit_code == 1 and legacy.output_lines == 3 and legacy.debug_level == 1
    assert exit_annotation(report, 22).finding.failure_id == "log.cause.invalid_region"
    first = next(a.finding for a in report.annotations if a.line == 6)
    assert first.failure_id == "log.cause.invalid_access_key"  # resolved from OUTPUT, not "Unknown error."
    assert "line 10" in first.explanation
    profile = next(a.finding for a in report.annotations if a.line == 14)
    assert profile.failure_id == "log.cause.profile_not_found" and NOTES["reraised"] in profile.explanation
    tracebacks = [a for a in report.annotations if a.finding.failure_id == "log.traceback"]
    assert [a.line for a in tracebacks] == [16, 26]
    assert tracebacks[0].finding.title.endswith(
        "botocore.exceptions.ProfileNotFound: The config profile (cloudtrailtest) could not be found")
    assert runs["acme-cloudtrail"].last_line == 29  # continuation lines belong to the run
    assert runs["acme-config"].outcome == "ok"


def test_debug2_success_runs_markers_and_repeats() -> None:
    report = explain_log_file(SAMPLES / "debug2-success-runs-5.0.log", V5)
    assert report.failed_runs == ()
    assert report.counts.ignored_lines == 1  # the sca line
    ids = [a.finding.failure_id for a in report.annotations]
    assert ids.count("log.found_new_log") == 2  # once per run, with a count
    found = next(a for a in report.annotations if a.finding.failure_id == "log.found_new_log")
    assert fill(NOTES["repeats"], {"count": 3, "line": 12}) in found.finding.explanation
    today = next(a for a in report.annotations if a.finding.failure_id == "log.marker_today")
    assert today.line == 11 and "2025-05-20" in today.finding.title
    assert [a.line for a in report.annotations if a.finding.failure_id == "log.marker"] == [22, 35]
    prefix = next(a for a in report.annotations if a.finding.failure_id == "log.skipping_other_prefix")
    assert prefix.finding.status is Status.WARNING
    assert dict(report.counts.by_failure_id)["log.found_new_log"] == 4
    assert "log.sleeping_until" in ids and "log.skipping_processed" in ids and "log.no_logs_to_process" in ids


def test_marker_with_leading_slash() -> None:
    report = explain_log_file(SAMPLES / "debug2-marker-leading-slash.log", V4_14)
    finding = next(a.finding for a in report.annotations
                   if a.finding.failure_id == "log.marker_leading_slash")
    assert finding.status is Status.ERROR and "<path>cloudtrail</path>" in finding.fix


def test_pasted_manual_run_output_is_explained() -> None:
    report = explain_log_file(SAMPLES / "manual-run-debug2-output.log", V4_14)
    ids = {a.finding.failure_id for a in report.annotations}
    assert {"log.debug_banner", "log.retries_default", "log.marker", "log.event_too_large",
            "log.message_too_long", "log.db_maintenance"} <= ids
    assert report.counts.ignored_lines == 0


def test_host_problems_sample() -> None:
    report = explain_log_file(SAMPLES / "host-problems-4.x.log", V4_14)
    assert {run.exit_code for run in report.failed_runs} == {3, 4, 6, 8, 9, 10, 11, 13, 16, 18, 19, 20, 23}
    ids = {a.finding.failure_id for a in report.annotations}
    assert {"log.module_disabled", "log.no_blocks", "log.internal_error"} <= ids
    profile = next(a.finding for a in report.annotations if a.finding.wazuh_exit_code == 23
                   and "Returned" in a.text)
    assert "[profile test]" in profile.fix


# --- single patterns -------------------------------------------------------------------------------

PATTERN_LINES = [
    (f"{TAG} INFO: Module AWS started", "log.module_started"),
    (f"{TAG} INFO: Module AWS is disabled. Exiting...", "log.module_disabled"),
    (f"{TAG} WARNING: Interval overtaken.", "log.interval_overtaken"),
    (f"{TAG} WARNING: No AWS buckets, services or subscribers defined. Exiting...", "log.no_blocks"),
    (f"{TAG} DEBUG: Sleeping until: 2025/03/03 09:20:00", "log.sleeping_until"),
    (f"{TAG} ERROR: Internal error. Exiting...", "log.internal_error"),
    (f"{TAG} ERROR: Can't connect to queue.", "log.cant_connect_queue"),
    ("2025/03/03 09:10:05 wazuh-modulesd: WARNING: Deprecated tag <access_key> found at module 'aws-s3'. "
     "This tag was deprecated in 4.4.", "log.config_deprecated_keys"),
    ("2025/03/03 09:10:05 wazuh-modulesd: ERROR: Invalid content for tag 'disabled' at module 'aws-s3'.",
     "log.config_rejected"),
    ("2025/03/03 09:10:05 wazuh-modulesd: WARNING: Empty content for tag 'path' at module 'aws-s3'.",
     "log.config_warning"),
    ("DEBUG: ++ Skipping file with another prefix: test_prefix/2021/10/18/00/firehose_macie-1",
     "log.skipping_other_prefix"),
    ("DEBUG: +++ No logs to process in bucket: 123456789012/us-east-1", "log.no_logs_to_process"),
    ("DEBUG: +++ No logs to process for fl-0a1b2c flow log ID in bucket: 123456789012/us-east-1",
     "log.no_logs_to_process"),
    ("DEBUG: ++ Found new log: AWSLogs/1/CloudTrail/us-east-1/2024/01/01/x.json.gz", "log.found_new_log"),
    ("DEBUG: ++ Skipping previously processed file: AWSLogs/1/x.json.gz", "log.skipping_processed"),
    ("DEBUG: +++ Marker: AWSLogs/123456789012/CloudTrail/us-east-1/2022/12/26", "log.marker"),
    ("The access_key and secret_key authentication parameter was deprecated in 4.4. Please use another "
     "authentication method instead.", "log.deprecated_keys_notice"),
    ("DEBUG: Event size exceeds the maximum allowed limit of 65535 bytes.", "log.event_too_large"),
    ("ERROR: Message too long to send to Wazuh.  Skipping message...", "log.message_too_long"),
    ("ERROR: Wazuh must be running.", "log.cause.wazuh_not_running"),
    ("ERROR: boto3 module is required.", "log.cause.boto3_missing"),
    ("ERROR: pyarrow module is required.", "log.cause.pyarrow_missing"),
    ("ERROR: Unable to create SQLite DB: database is locked", "log.cause.db_locked"),
    ("ERROR: The 'check_bucket' request was denied due to request throttling.", "log.cause.throttling"),
    ("ERROR: The server datetime and datetime of the AWS environment differ", "log.cause.clock_skew"),
    ("ERROR: Invalid credentials to access S3 Bucket", "log.cause.invalid_credentials"),
    ('ERROR: Could not connect to the endpoint URL: "https://s3.us-east-1.amazonaws.com/b"',
     "log.cause.endpoint"),
    ("DEBUG: +++ Error: Unable to locate credentials", "log.cause.no_credentials"),
    ("DEBUG: +++ ERROR: Invalid region 'us-gov-east-1'", "log.cause.invalid_region"),
    ("DEBUG: +++ No 'region' found in profile 'prod'", "log.profile_without_region"),
    ("WARNING: The region 'useast1' has not a valid format.'", "log.region_bad_format"),
    ("DEBUG: +++ Table does not exist; create", "log.table_created"),
    ("DEBUG: +++ GuardDuty whatever", None),
]


@pytest.mark.parametrize(("line", "failure_id"), PATTERN_LINES)
def test_single_lines_are_recognised(line: str, failure_id: str | None) -> None:
    report = explain(line)
    ids = [a.finding.failure_id for a in report.annotations]
    if failure_id is None:
        assert ids == [] and report.counts.ignored_lines == 1
    else:
        assert ids == [failure_id]
        assert report.annotations[0].line == 1 and report.annotations[0].text == line


def test_old_daemon_tag_and_debug_format_and_bare_lines_are_module_lines() -> None:
    lines = ["2018/09/27 12:41:41 ossec-modulesd:aws-s3: INFO: Module AWS started",
             "2023/08/08 19:55:24 wazuh-modulesd:aws-s3[24310] wm_aws.c:376 at wm_aws_run_s3(): DEBUG: "
             "Create argument list",
             "INFO: Starting fetching of logs.",
             "2023/10/11 14:30:11 sca[24982] wm_sca.c:271 at wm_sca_send_alert(): DEBUG: Sending event: {}",
             "2023/10/11 14:30:11 wazuh-modulesd:syscollector: INFO: Evaluation finished.",
             "some unrelated text"]
    report = explain_log(lines, V4_14)
    assert report.counts.module_lines == 3 and report.counts.ignored_lines == 3
    assert [a.finding.failure_id for a in report.annotations] == [
        "log.module_started", "log.create_argument_list", "log.fetch_started"]


def test_unknown_module_warning_is_annotated_as_unknown() -> None:
    report = explain(f"{TAG} WARNING: Something new happened in a future release.")
    assert [a.finding.failure_id for a in report.annotations] == ["log.unrecognised_warning"]
    assert report.counts.unrecognised_lines == 1


def test_no_module_lines_is_a_file_finding() -> None:
    report = explain("2023/10/11 14:30:11 wazuh-remoted: INFO: Started.\n")
    assert [f.failure_id for f in report.findings] == ["log.no_module_lines"]


# --- secrets ---------------------------------------------------------------------------------------

SECRET = "Tz9m/1kQp2EXAMPLEsecretKEYvalue+abc12345"
KEY_ID = "AKIAZ7EXAMPLE4Q7WXYZ"


def all_output(report: LogReport) -> str:
    parts = [json.dumps([a.finding.to_dict() for a in report.annotations]),
             json.dumps([f.to_dict() for f in report.findings]),
             " ".join(a.text for a in report.annotations), repr(report.runs), json.dumps(report.to_dict())]
    return "\n".join(parts)


def test_keys_on_the_command_line_are_masked_everywhere_and_warned_about() -> None:
    report = explain_log_file(SAMPLES / "debug1-failures-4.14.log", V4_14)
    text = all_output(report)
    assert SECRET not in text and KEY_ID not in text
    assert "AKIA****WXYZ" in text
    warning = next(a.finding for a in report.annotations if a.finding.failure_id == "log.command_has_keys")
    assert warning.status is Status.WARNING and "clear text" in warning.title
    legacy = next(run for run in report.runs if run.name == "acme-legacy-trail")
    assert "--secret_key" in legacy.command and SECRET not in legacy.command


def test_report_json_shape() -> None:
    report = explain_log_file(SAMPLES / "debug0-several-buckets-4.14.log", V4_14)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["wazuh_version"] == "4.14.7" and data["counts"]["total_lines"] == 28
    vpc = next(run for run in data["runs"] if run["name"] == "acme-vpc-flow")
    assert (vpc["kind"], vpc["exit_code"], vpc["outcome"], vpc["fields"]["Type"]) == (
        "bucket", 14, "failed", "vpcflow")
    exit_line = next(a for a in data["annotations"] if a["line"] == 6)
    assert exit_line["finding"]["wazuh_exit_code"] == 14 and exit_line["run"] == vpc["index"]


def test_secrets_anywhere_in_output_are_masked() -> None:
    lines = [f"{TAG} WARNING: Bucket:  -  Returned exit code 3",
             f"{TAG} WARNING: Bucket:  -  Invalid credentials to access S3 Bucket",
             f"{TAG} DEBUG: Bucket:  -  OUTPUT: DEBUG: +++ Debug mode on - Level: 2",
             f"DEBUG: credentials {{'aws_access_key_id': '{KEY_ID}', 'aws_secret_access_key': '{SECRET}'}}",
             f"ERROR: Unknown error: key {KEY_ID} secret_key={SECRET} rejected"]
    report = explain_log(lines, V4_14)
    text = all_output(report)
    assert SECRET not in text and KEY_ID not in text
    flagged = [a.line for a in report.annotations if a.finding.failure_id == "log.secret_in_log"]
    assert flagged == [4, 5]


@pytest.mark.parametrize(("raw", "kept", "gone"), [
    (f"--access_key {KEY_ID} --secret_key {SECRET}", "--access_key AKIA****WXYZ --secret_key ****", SECRET),
    (f"aws-s3 -a plainkeyvalue99 -k {SECRET}", "-a plai****ue99 -k ****", "plainkeyvalue99"),
    (f"<secret_key>{SECRET}</secret_key>", "<secret_key>****</secret_key>", SECRET),
    (f"aws_secret_access_key = {SECRET}", "aws_secret_access_key = ****", SECRET),
    (f"token {SECRET} here", "token **** here", SECRET),
])
def test_mask_secrets(raw: str, kept: str, gone: str) -> None:
    masked, kinds = mask_secrets(raw)
    assert kept in masked and gone not in masked and kinds


def test_mask_keeps_ordinary_text_and_key_paths() -> None:
    key = ("AWSLogs/123456789012/CloudTrail/us-east-1/2025/05/20/"
           "123456789012_CloudTrail_us-east-1_20250520T0005Z")
    sha = "da39a3ee5e6b4b0d3255bfef95601890afd80709"
    for text in (key, sha, "curl -k https://example", "Bucket:  -  Returned exit code 12"):
        assert mask_secrets(text) == (text, ())


# --- parser details --------------------------------------------------------------------------------

def test_title_forms() -> None:
    real = parse_title("Bucket:  -  Returned exit code 12")
    blog = parse_title("Bucket: - Returned exit code 12")
    account = parse_title("Bucket: 123456789012(my-prod)  -  Returned exit code 1")
    empty = parse_title("Bucket:  -")
    assert real is not None and not real.single_space and real.rest == "Returned exit code 12"
    assert blog is not None and blog.single_space and blog.rest == "Returned exit code 12"
    assert account is not None and account.detail == "123456789012(my-prod)"
    assert empty is not None and empty.rest == ""
    assert parse_title("Bucketing: nothing") is None


def test_parse_line_debug_format() -> None:
    line = parse_line(7, "2023/08/08 19:55:24 wazuh-modulesd:aws-s3[24310] wm_aws.c:491 at wm_aws_run_s3(): "
                         "DEBUG: Launching S3 Command: wodles/aws/aws-s3 --bucket b")
    assert (line.number, line.daemon, line.module, line.function, line.level) == (
        7, "wazuh-modulesd", "aws-s3", "wm_aws_run_s3", "DEBUG")
    assert line.from_aws_module and line.message.startswith("Launching S3 Command:")


def test_parse_command_quoted_5x_values() -> None:
    command = parse_command('wodles/aws/aws-s3 --bucket b --aws_profile "my profile" --skip_on_error -d 2')
    assert command.value("--aws_profile") == "my profile" and command.stray == ()
    assert command.has("--skip_on_error") and command.debug_level == 2


# --- files -----------------------------------------------------------------------------------------

def test_read_log_file_tolerates_bad_bytes_and_gzip(tmp_path: Path) -> None:
    raw = (f"{TAG} WARNING: Bucket:  -  Returned exit code 14\n").encode() + b"\xff\xfe broken \x80\n"
    plain = tmp_path / "ossec.log"
    plain.write_bytes(raw)
    packed = tmp_path / "ossec-03.log.gz"
    packed.write_bytes(gzip.compress(raw))
    assert list(read_log_file(plain)) == list(read_log_file(packed))
    assert len(list(read_log_file(plain))) == 2 and "\ufffd" in list(read_log_file(plain))[1]
    report = explain_log_file(packed, V4_14)
    assert report.failed_runs[0].exit_code == 14


def test_very_long_line_is_cut(tmp_path: Path) -> None:
    path = tmp_path / "long.log"
    path.write_bytes(b"x" * 300_000 + b"\nsecond\n")
    lines = list(read_log_file(path))
    assert len(lines) == 2 and len(lines[0]) < 70_000 and lines[1] == "second"


def test_missing_and_unreadable_files_are_findings(tmp_path: Path) -> None:
    missing = explain_log_file(tmp_path / "nope.log", V4_14)
    assert [f.failure_id for f in missing.findings] == ["log.file_missing"]
    directory = explain_log_file(tmp_path, V4_14)
    assert [f.failure_id for f in directory.findings] == ["log.file_unreadable"]


def test_huge_input_is_streamed_and_annotations_capped() -> None:
    cycle = failure(12, "Unable to locate credentials").splitlines()

    def endless():  # type: ignore[no-untyped-def]
        for _ in range(5000):
            yield from cycle

    report = explain_log(endless(), V4_14, max_per_pattern=50)
    assert report.counts.total_lines == 15000
    assert dict(report.counts.by_failure_id)["log.cause.no_credentials"] == 5000
    assert sum(1 for a in report.annotations if a.finding.failure_id == "log.cause.no_credentials") == 50
    assert len(report.failed_runs) == 5000


# --- the table -------------------------------------------------------------------------------------

def test_every_pattern_points_at_a_table_entry() -> None:
    registry = all_explanations()
    for patterns in (C_MESSAGES, SCRIPT_LINES, CAUSES):
        for _, failure_id in patterns:
            assert failure_id in registry, failure_id
    for code in range(1, 24):
        assert f"log.exit.{code}" in registry or code in {2, 4, 6, 10, 11, 14, 15, 18, 19, 20, 22, 23}


def test_log_entries_fill_without_leftover_placeholders() -> None:
    values = {**PLACEHOLDERS, "target": "bucket 'b'", "code": "3", "meaning": "m"}
    for failure_id, entry in all_explanations().items():
        if not failure_id.startswith("log."):
            continue
        for template in (entry.title, entry.explanation, entry.fix):
            filled = fill(template, values)
            assert not re.search(r"\{\w+\}", filled), (failure_id, filled)


# --- robustness ------------------------------------------------------------------------------------

KNOWN_LINES = [line for line, _ in PATTERN_LINES] + [
    f"{TAG} WARNING: Bucket:  -  Returned exit code 12", f"{TAG} WARNING: Bucket:  -  ",
    f"{TAG} DEBUG: Bucket:  -  OUTPUT: DEBUG: +++ Debug mode on - Level: 2",
    "Traceback (most recent call last):", '  File "x.py", line 1, in main',
    "botocore.exceptions.NoCredentialsError: Unable to locate credentials",
    f"{TAG} INFO: Executing Bucket Analysis: (Bucket: b, Type: custom)",
    f"{TAG} INFO: Fetching logs finished.",
    f"{TAG} DEBUG: Launching S3 Command: wodles/aws/aws-s3 --bucket b --secret_key x --aws_profile 'a",
    "WARNING: Bucket: - Returned exit code 99999999999999999999", "", "INFO:",
    "WARNING: Service:  -  OUTPUT:",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(max_size=120), max_size=30))
def test_random_text_never_raises(lines: list[str]) -> None:
    report = explain_log(lines, V4_14)
    assert report.counts.total_lines == len(lines)
    assert report.counts.module_lines + report.counts.ignored_lines == len(lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(KNOWN_LINES), st.text(max_size=60)), max_size=40))
def test_random_mixes_of_known_lines_never_raise(lines: list[str]) -> None:
    report = explain_log(lines, V4_3)
    for annotation in report.annotations:
        assert 1 <= annotation.line <= len(lines)
        assert annotation.finding.location is not None


def test_a_lone_exit_12_line_asks_for_the_missing_message_and_says_its_meaning_once() -> None:
    finding = exit_annotation(explain(f"{TAG} WARNING: Bucket:  -  Returned exit code 12\n"), 12).finding
    assert "``" not in finding.explanation and "not one this tool recognises" not in finding.explanation
    assert "is not in it" in finding.explanation
    assert "second line" not in finding.fix and "Paste the line that follows" in finding.fix
    assert finding.explanation.count("invalid type of bucket") + finding.explanation.count(
        "Invalid type of bucket") == 1


def test_an_unknown_exit_code_says_its_meaning_once() -> None:
    finding = exit_annotation(explain(f"{TAG} WARNING: Bucket:  -  Returned exit code 127\n"), 127).finding
    assert finding.explanation.count("126/127") == 1
