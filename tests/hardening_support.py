"""Shared set-up for the reliability, secrets and read-only tests: a Wazuh home, root's ~/.aws, a seeded
CloudTrail bucket on moto, and the CLI run in-process with its output captured."""

from __future__ import annotations

import gzip
import json
import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.conftest import admin_client
from tui.cli import main

ACCOUNT = "123456789012"
ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
_TODAY = datetime.now(timezone.utc)
DAYS = tuple(f"{_TODAY - timedelta(days=back):%Y/%m/%d}" for back in (2, 1, 0))
"""Three recent days: the layout step (volume, late files) then lists only a few day folders."""
ONLY_LOGS_AFTER = f"{_TODAY - timedelta(days=2):%Y-%b-%d}".upper()
FILES_PER_DAY = 2
RECORDS_PER_FILE = 3
FAST_NETWORK = {"WAZUH_AWS_DOCTOR_CONNECT_TIMEOUT": "1", "WAZUH_AWS_DOCTOR_READ_TIMEOUT": "1",
                "WAZUH_AWS_DOCTOR_MAX_ATTEMPTS": "1"}
"""Client settings for fault tests: short timeouts and 1 retry (2 attempts), so every fault is bounded and
botocore's jittered backoff stays under a second."""
ATTEMPTS = 2


def bucket_block(name: str, *, extra: str = "", bucket_type: str = "cloudtrail") -> str:
    """One ``<bucket>`` of the test configuration (the CloudTrail layout, read from the first of ``DAYS``)."""
    return (f'    <bucket type="{bucket_type}">\n      <name>{name}</name>\n'
            f"      <only_logs_after>{ONLY_LOGS_AFTER}</only_logs_after>\n{extra}    </bucket>\n")


def ossec_conf(*blocks: str) -> str:
    """A minimal ossec.conf with one aws-s3 wodle holding ``blocks``."""
    return ("<ossec_config>\n  <wodle name=\"aws-s3\">\n    <disabled>no</disabled>\n"
            "    <interval>10m</interval>\n    <run_on_start>yes</run_on_start>\n"
            + "".join(blocks) + "  </wodle>\n</ossec_config>\n")


@dataclass(frozen=True)
class DoctorHome:
    """A temporary Wazuh home and module (root) home, wired into the environment."""

    wazuh_home: Path
    module_home: Path
    root: Path

    @property
    def conf(self) -> Path:
        return self.wazuh_home / "etc" / "ossec.conf"

    @property
    def state_db(self) -> Path:
        return self.wazuh_home / "wodles" / "aws" / "s3_cloudtrail.db"

    @property
    def credentials(self) -> Path:
        return self.module_home / ".aws" / "credentials"

    @property
    def config(self) -> Path:
        return self.module_home / ".aws" / "config"

    def common(self, endpoint: str, bucket: str | None = None) -> list[str]:
        """The options every command of a test takes."""
        args = ["--wazuh-home", str(self.wazuh_home), "--endpoint-url", endpoint]
        return [*args, "--bucket", bucket] if bucket else args


def make_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, conf: str, *,
              credentials: str | None = None, config: str | None = "[default]\nregion = us-east-1\n",
              network: dict[str, str] | None = None) -> DoctorHome:
    """Write the homes, clear AWS_* and point the module home, HOME and the cache at them."""
    for name in list(os.environ):
        if name.startswith("AWS_") or name.startswith("WAZUH_AWS_DOCTOR_"):
            monkeypatch.delenv(name, raising=False)
    wazuh_home = tmp_path / "ossec"
    module_home = tmp_path / "root"
    (wazuh_home / "etc").mkdir(parents=True)
    (wazuh_home / "wodles" / "aws").mkdir(parents=True)
    (wazuh_home / "logs").mkdir(parents=True)
    (module_home / ".aws").mkdir(parents=True)
    (wazuh_home / "etc" / "ossec.conf").write_text(conf)
    creds = module_home / ".aws" / "credentials"
    creds.write_text(credentials if credentials is not None else
                     f"[default]\naws_access_key_id = {ACCESS_KEY_ID}\naws_secret_access_key = {SECRET_KEY}\n")
    creds.chmod(0o600)
    if config is not None:
        (module_home / ".aws" / "config").write_text(config)
        (module_home / ".aws" / "config").chmod(0o600)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(creds))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(module_home / ".aws" / "config"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("WAZUH_AWS_DOCTOR_MODULE_HOME", str(module_home))
    monkeypatch.setenv("HOME", str(module_home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("WAZUH_HOME", raising=False)
    for name, value in (network or {}).items():
        monkeypatch.setenv(name, value)
    return DoctorHome(wazuh_home, module_home, tmp_path)


def trail_key(day: str, index: int) -> str:
    """A CloudTrail key of ``day`` (``YYYY/MM/DD``) as the service writes it."""
    stamp = day.replace("/", "")
    return (f"AWSLogs/{ACCOUNT}/CloudTrail/us-east-1/{day}/{ACCOUNT}_CloudTrail_us-east-1_{stamp}T"
            f"{index:02d}10Z_file{index}.json.gz")


def trail_body(day: str, index: int, records: int = RECORDS_PER_FILE) -> bytes:
    """A gzip CloudTrail object whose records carry unique event ids."""
    stamp = day.replace("/", "-")
    body = {"Records": [{"eventVersion": "1.08", "eventID": f"{stamp}-{index}-{number}",
                         "eventTime": f"{stamp}T0{index}:10:0{number}Z", "eventName": "GetObject",
                         "eventSource": "s3.amazonaws.com", "awsRegion": "us-east-1",
                         "sourceIPAddress": "192.0.2.10"} for number in range(records)]}
    return gzip.compress(json.dumps(body).encode())


def seed_trail(endpoint: str, bucket: str) -> list[str]:
    """Create ``bucket`` with the CloudTrail files of ``DAYS``; returns the keys in listing order."""
    s3 = admin_client(endpoint)
    s3.create_bucket(Bucket=bucket)
    keys = []
    for day in DAYS:
        for index in range(FILES_PER_DAY):
            key = trail_key(day, index)
            s3.put_object(Bucket=bucket, Key=key, Body=trail_body(day, index))
            keys.append(key)
    return sorted(keys)


def expected_event_ids() -> list[str]:
    """Every event id ``seed_trail`` wrote, sorted."""
    return sorted(f"{day.replace('/', '-')}-{index}-{number}" for day in DAYS
                  for index in range(FILES_PER_DAY) for number in range(RECORDS_PER_FILE))


def event_ids(events_file: Path) -> list[str]:
    """The CloudTrail event ids of an ``--events-out`` file (socket payload lines), in file order."""
    ids = []
    for line in events_file.read_text().splitlines():
        payload = json.loads(line.split(":", 2)[2]) if line.startswith("1:Wazuh-AWS:") else json.loads(line)
        ids.append(str(payload["aws"]["eventID"]))
    return ids


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run one command in-process; returns (exit status, stdout, stderr)."""
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err
