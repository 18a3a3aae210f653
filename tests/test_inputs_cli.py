"""`check` on services and subscribers end to end: a broken queue or log group is never reported as ok."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import admin_client
from tui.cli import main

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
  </wodle>
</ossec_config>
"""


@pytest.fixture
def inputs_home(moto: str, clean_aws_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A Wazuh home with the inputs above, root's [default] profile, one queue and one log group on moto."""
    home = tmp_path / "ossec"
    (home / "etc").mkdir(parents=True)
    (home / "etc" / "ossec.conf").write_text(INPUTS_CONF)
    (clean_aws_env / ".aws" / "credentials").write_text(
        "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = doctor-secret\n")
    (clean_aws_env / ".aws" / "config").write_text("[default]\nregion = us-east-1\n")
    monkeypatch.setenv("WAZUH_AWS_DOCTOR_MODULE_HOME", str(clean_aws_env))
    monkeypatch.setenv("HOME", str(clean_aws_env))
    admin_client(moto, "sqs").create_queue(QueueName="wazuh-notifications")
    logs = admin_client(moto, "logs")
    logs.create_log_group(logGroupName="app-logs")
    logs.create_log_stream(logGroupName="app-logs", logStreamName="s1")
    return home


def test_check_reports_the_missing_queue_and_log_group_with_the_modules_exits(
        inputs_home: Path, moto: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", "--wazuh-home", str(inputs_home), "--endpoint-url", moto, "--format", "json"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    by_id = {str(finding["failure_id"]): finding for finding in findings}
    missing_queue = by_id["queue.not_found"]
    assert missing_queue["target"] == "lake-queue-that-was-never-created"
    assert missing_queue["wazuh_exit_code"] == 20
    assert missing_queue["location"].endswith("ossec.conf:6")
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
