"""`check` on services and subscribers end to end: a broken queue or log group is never reported as ok."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import admin_client
from tests.inputs_support import write_module_home
from tests.test_service_access import load_golden
from tui.cli import main

PLAIN_LOGS_LINE = 17
"""The ossec.conf line of the second <service> element above."""

INPUTS_CONF = """<ossec_config>
  <wodle name="aws-s3">
    <disabled>no</disabled>
    <interval>10m</interval>
    <subscriber type="security_lake">
      <sqs_name>lake-queue-that-was-never-created</sqs_name>
      <iam_role_arn>arn:aws:iam::123456789012:role/never-created</iam_role_arn>
      <external_id>wazuh-doctor</external_id>
    </subscriber>
    <subscriber type="buckets">
      <sqs_name>wazuh-notifications</sqs_name>
    </subscriber>
    <service type="cloudwatchlogs">
      <aws_log_groups>app-logs,missing-group</aws_log_groups>
      <regions>us-east-1</regions>
    </service>
    <service type="cloudwatchlogs">
      <aws_log_groups>plain-logs</aws_log_groups>
      <regions>us-east-1</regions>
      <only_logs_after>2026-DEC-01</only_logs_after>
    </service>
  </wodle>
</ossec_config>
"""


@pytest.fixture
def inputs_home(moto: str, clean_aws_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A Wazuh home with the inputs above, root's [default] profile, one queue and one log group on moto."""
    home = write_module_home(clean_aws_env, tmp_path, monkeypatch, INPUTS_CONF)
    admin_client(moto, "sqs").create_queue(QueueName="wazuh-notifications")
    logs = admin_client(moto, "logs")
    logs.create_log_group(logGroupName="app-logs")
    logs.create_log_stream(logGroupName="app-logs", logStreamName="s1")
    return home


def test_check_reports_the_missing_queue_and_log_group_with_the_modules_exits(
        inputs_home: Path, moto: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", "--wazuh-home", str(inputs_home), "--endpoint-url", moto, "--format", "json"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    by_id: dict[str, dict[str, Any]] = {}
    for finding in findings:
        by_id.setdefault(str(finding["failure_id"]), finding)
    missing_queue = by_id["queue.not_found"]
    assert missing_queue["target"] == "lake-queue-that-was-never-created"
    assert missing_queue["status"] == "error"
    assert missing_queue["location"].endswith("ossec.conf:6")
    # moto assumes any role, but AWS refuses a role that was never created: the module stops there first
    missing_role = by_id["role.missing"]
    assert missing_role["wazuh_exit_code"] == 3 and missing_role["location"].endswith("ossec.conf:7")
    assert missing_queue["wazuh_exit_code"] is None
    assert "the module stops earlier (exit 3) and never reaches this step" in missing_queue["evidence"]
    missing_group = by_id["logs.group_failed"]
    assert missing_group["wazuh_exit_code"] == 16
    assert "missing-group" in missing_group["title"]
    assert by_id["logs.group_ok"]["status"] == "ok"
    assert by_id["queue.empty"]["status"] == "warning"
    assert code == 2
    assert "doctor-secret" not in json.dumps(findings)


def test_check_text_names_the_queue_step(inputs_home: Path, moto: str, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "--wazuh-home", str(inputs_home), "--endpoint-url", moto])
    out = capsys.readouterr().out
    assert "Queue lake-queue-that-was-never-created does not exist in us-east-1" in out
    assert "Log group missing-group cannot be read in us-east-1 (ResourceNotFoundException)" in out


def seed_plain_logs(endpoint: str) -> list[str]:
    """The recorded plain-text messages in plain-logs; returns the module's datagrams for them."""
    golden = load_golden("cloudwatch_plain_text_none_dropped_debug0")
    messages = golden["seed"]["messages"]["us-east-1"]
    logs = admin_client(endpoint, "logs")
    logs.create_log_group(logGroupName="plain-logs")
    logs.create_log_stream(logGroupName="plain-logs", logStreamName="s1")
    now = int(time.time() * 1000)
    logs.put_log_events(logGroupName="plain-logs", logStreamName="s1", logEvents=[
        {"timestamp": now - 1000 * (len(messages) - index), "message": message}
        for index, message in enumerate(messages)])
    datagrams: list[str] = golden["datagrams"]
    return datagrams


def test_ingest_of_a_cloudwatch_block_writes_the_modules_datagrams(
        inputs_home: Path, moto: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expected = seed_plain_logs(moto)
    out = tmp_path / "events.txt"
    code = main(["ingest", "--wazuh-home", str(inputs_home), "--endpoint-url", moto, "--block", str(PLAIN_LOGS_LINE),
                 "--events-out", str(out)])
    assert code == 0
    assert out.read_text().splitlines() == expected
    assert "3 event(s) sent, 2 skipped" in capsys.readouterr().err


def test_preview_of_a_cloudwatch_block_marks_the_dropped_messages(
        inputs_home: Path, moto: str, capsys: pytest.CaptureFixture[str]) -> None:
    seed_plain_logs(moto)
    code = main(["preview", "--wazuh-home", str(inputs_home), "--endpoint-url", moto, "--block",
                 str(PLAIN_LOGS_LINE)])
    out = capsys.readouterr().out
    assert code == 0
    assert "None of the 3 login attempts succeeded  [dropped: the text matches the regex 'None'" in out
    assert "3 event(s) the next run sends, 2 dropped" in out


def test_preview_of_a_subscriber_object_and_no_ingest_from_a_queue(
        inputs_home: Path, moto: str, capsys: pytest.CaptureFixture[str]) -> None:
    s3 = admin_client(moto)
    s3.create_bucket(Bucket="sub-logs")
    s3.put_object(Bucket="sub-logs", Key="2026/12/04/app log.json", Body=b'{"n": 1}')
    code = main(["preview", "--wazuh-home", str(inputs_home), "--endpoint-url", moto, "--block", "10",
                 "--bucket", "sub-logs", "--key", "2026/12/04/app log.json"])
    captured = capsys.readouterr()
    assert code == 2
    assert "the module asks S3 for 2026/12/04/app+log.json" in captured.err
    assert ("line 10 (subscriber wazuh-notifications (buckets)): s3://sub-logs/2026/12/04/app+log.json: the run "
            "stops here (exit 12 at debug 0)") in captured.err, "the block, its line and the object are named"
    (inputs_home / "etc" / "local_internal_options.conf").write_text("wazuh_modules.debug=2\n")
    code = main(["preview", "--wazuh-home", str(inputs_home), "--endpoint-url", moto, "--block", "10",
                 "--bucket", "sub-logs", "--key", "2026/12/04/app log.json"])
    assert "the run stops here (exit 1 at debug 2)" in capsys.readouterr().err, "a catch-all error is re-raised"
    (inputs_home / "etc" / "local_internal_options.conf").unlink()
    code = main(["ingest", "--wazuh-home", str(inputs_home), "--endpoint-url", moto, "--block", "10"])
    captured = capsys.readouterr()
    assert code == 1, "the queue names no source bucket: the subscriber pass reads nothing and receives nothing"
    assert "the queue policy names no source bucket" in captured.err
    assert "nothing was received from the queue" in captured.err
    assert "the module's exit: not known (no object was read)" in captured.err, "exit 1 is ours, never the module's 0"
