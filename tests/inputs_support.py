"""What the command tests of services and subscribers share: a Wazuh home on root's profile and the CLI's JSON.

Kept in one module because the keys, subscriber-chain, service-chain and bad-block tests (and the Inspector and
inputs CLI tests) build the same home and read the same ``check``/``keys --format json`` answers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tui.cli import main

INPUTS_CONF = """<ossec_config>
  <wodle name="aws-s3">
    <disabled>no</disabled>
    <interval>10m</interval>
    <service type="cloudwatchlogs">
      <aws_log_groups>app-logs,other-logs</aws_log_groups>
      <regions>us-east-1</regions>
      <only_logs_after>2026-NOV-01</only_logs_after>
    </service>
    <service type="inspector">
      <regions>us-east-1,eu-west-1</regions>
    </service>
    <subscriber type="buckets">
      <sqs_name>wazuh-notifications</sqs_name>
    </subscriber>
  </wodle>
</ossec_config>
"""
CLOUDWATCH_LINE, INSPECTOR_LINE, SUBSCRIBER_LINE = 5, 10, 13
OCT_20, OCT_21, NOV_01, NOV_20 = 1_792_454_400_000, 1_792_540_800_000, 1_793_491_200_000, 1_795_132_800_000
"""2026-10-20, 2026-10-21, 2026-11-01 (the block's only_logs_after) and 2026-11-20 at 00:00 UTC, in epoch ms."""


def write_module_home(clean_aws_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, conf: str) -> Path:
    """A Wazuh home with ``conf`` as its ossec.conf and root's [default] profile (region us-east-1), because every
    command test of services and subscribers starts from the credentials the module itself would use."""
    home = tmp_path / "ossec"
    (home / "etc").mkdir(parents=True)
    (home / "etc" / "ossec.conf").write_text(conf)
    (clean_aws_env / ".aws" / "credentials").write_text(
        "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = doctor-secret\n")
    (clean_aws_env / ".aws" / "config").write_text("[default]\nregion = us-east-1\n")
    monkeypatch.setenv("WAZUH_AWS_DOCTOR_MODULE_HOME", str(clean_aws_env))
    monkeypatch.setenv("HOME", str(clean_aws_env))
    return home


@pytest.fixture
def inputs_home(clean_aws_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A Wazuh home with the blocks above and root's [default] profile (region us-east-1)."""
    return write_module_home(clean_aws_env, tmp_path, monkeypatch, INPUTS_CONF)


def keys_json(home: Path, line: int, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    code = main(["keys", "--wazuh-home", str(home), "--block", str(line), "--format", "json"])
    document: dict[str, Any] = json.loads(capsys.readouterr().out)
    return code, document


def check_json(home: Path, moto: str, line: int, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[Any]]:
    code = main(["check", "--wazuh-home", str(home), "--endpoint-url", moto, "--block", str(line),
                 "--format", "json"])
    findings: list[Any] = json.loads(capsys.readouterr().out)["findings"]
    return code, findings


BROKEN_CONF = """<ossec_config>
  <wodle name="aws-s3">
    <disabled>no</disabled>
    <interval>10m</interval>
    <subscriber type="security_lake">
      <sqs_name>lake-queue</sqs_name>
      <iam_role_arn>arn:aws-cn:iam::123456789012:role/lake-reader</iam_role_arn>
      <external_id>lake-external-id</external_id>
    </subscriber>
    <service type="inspector">
      <regions>us-east-1</regions>
      <iam_role_arn>arn:aws-us-gov:iam::123456789012:role/lake-reader</iam_role_arn>
    </service>
    <subscriber type="security_lake">
      <sqs_name>lake-queue</sqs_name>
    </subscriber>
    <subscriber type="security_lake">
      <sqs_name>lake-queue</sqs_name>
      <iam_role_arn>arn:aws:iam::123456789012:role/lake-reader</iam_role_arn>
      <external_id>lake-external-id</external_id>
    </subscriber>
  </wodle>
</ossec_config>
"""
CN_ROLE_LINE, GOV_ROLE_LINE, NO_ROLE_LINE, LAKE_LINE = 5, 10, 14, 17


@pytest.fixture
def broken_home(inputs_home: Path, moto: str) -> Path:
    """The blocks above on moto: the queue and the role exist (moto assumes any role of any partition)."""
    (inputs_home / "etc" / "ossec.conf").write_text(BROKEN_CONF)
    from tests.conftest import admin_client

    admin_client(moto, "sqs").create_queue(QueueName="lake-queue")
    admin_client(moto, "iam").create_role(RoleName="lake-reader", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"},
                                                "Action": "sts:AssumeRole"}]}))
    return inputs_home
