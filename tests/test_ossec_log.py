"""The C side's titles and after-run lines, which every predicted ossec.log line uses."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from diagnostics.wazuh import ossec_log
from diagnostics.wazuh.ossec_log import RunTitle

WHEN = datetime(2020, 4, 28, 10, 45, 14, tzinfo=timezone.utc)


@pytest.mark.parametrize(("title", "text"), [
    (RunTitle.for_bucket(None, None), "Bucket:  - "),
    (RunTitle.for_bucket("123456789012", "prod"), "Bucket: 123456789012(prod)  - "),
    (RunTitle.for_bucket(None, "LEGACY"), "Bucket:(LEGACY)  - "),
    (RunTitle.for_bucket("123456789012", None), "Bucket: 123456789012  - "),
    (RunTitle.for_service("cloudwatchlogs"), "Service: cloudwatchlogs  - "),
    (RunTitle.for_subscriber("buckets", "my-queue"), "Subscriber: buckets my-queue  - "),
])
def test_titles_follow_wm_strcat(title: RunTitle, text: str) -> None:
    assert str(title) == text


def test_exit_12_renders_like_the_write_up_with_two_spaces() -> None:
    pairs = ossec_log.c_lines_after_run(RunTitle.for_bucket(None, None), 12,
                                        "ERROR: The config profile (default) could not be found\n", 0)
    assert ossec_log.render(pairs, WHEN) == (
        "2020/04/28 10:45:14 wazuh-modulesd:aws-s3: WARNING: Bucket:  -  Returned exit code 12",
        "2020/04/28 10:45:14 wazuh-modulesd:aws-s3: WARNING: Bucket:  -  The config profile (default) could "
        "not be found",
    )


def test_exit_1_without_unknown_error_text_and_exit_2() -> None:
    title = RunTitle.for_bucket(None, None)
    one = ossec_log.c_lines_after_run(title, 1, "ERROR: Unexpected error: 'x'.", 0)
    assert one[1] == ("WARNING", "Bucket:  -  Unknown error.")
    two = ossec_log.c_lines_after_run(title, 2, "usage: aws-s3 ...\naws-s3: error: argument -s", 0)
    assert two[1] == ("WARNING", "Bucket:  -  Error parsing arguments.")


def test_debug_levels_add_the_output_block() -> None:
    title = RunTitle.for_bucket(None, None)
    failed = ossec_log.c_lines_after_run(title, 14, "ERROR: No files were found in 'b/'.\nDEBUG: x", 1)
    assert failed[-1] == ("DEBUG", "Bucket:  -  OUTPUT: ERROR: No files were found in 'b/'.\nDEBUG: x")
    rendered = ossec_log.render(failed, WHEN)
    assert rendered[-1] == "DEBUG: x", "continuation lines carry no timestamp or tag"
    assert ossec_log.c_lines_after_run(title, 0, "DEBUG: ok", 1) == []
    assert ossec_log.c_lines_after_run(title, 0, "DEBUG: ok", 2) == [("DEBUG", "Bucket:  -  OUTPUT: DEBUG: ok")]


def test_catch_all_becomes_exit_1_with_traceback_at_debug() -> None:
    quiet = ossec_log.script_failure(12, "Unable to locate credentials", 0, catch_all=True)
    assert (quiet.exit_code, quiet.output) == (12, "ERROR: Unable to locate credentials")
    loud = ossec_log.script_failure(12, "Unable to locate credentials", 2, catch_all=True)
    assert loud.exit_code == 1
    assert "ERROR: Unknown error: Unable to locate credentials" in loud.output
    assert "DEBUG: +++ Error: Unable to locate credentials" in loud.output
    assert ossec_log.script_failure(22, "+++ ERROR: Invalid region 'x'", 0, debug_only=True).output == ""
