"""The support bundle: what it holds, and proof that no secret survives (against moto's real server).

Known secrets are planted where the doctor reads them (inline keys in ossec.conf, root's credentials file,
our environment, wazuh-modulesd's environment) and where they leak in real life (the debug-1 command line
in ossec.log, a traceback, the doctor's ingestion log). No file of the archive may contain any of them,
in raw or JSON-escaped form, and access key ids may only appear masked.
"""

from __future__ import annotations

import gzip
import json
import tarfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from diagnostics.bundle import build_bundle
from diagnostics.bundle_redaction import Redactor
from diagnostics.checks import prepare_context, run_checks
from diagnostics.context import DoctorContext, context_from_environment
from diagnostics.host.checks import check_host
from diagnostics.host.processes import ProcessInfo
from diagnostics.ingest.state import IngestState
from diagnostics.wazuh.state_scope import StateScope
from tests.conftest import admin_client

INLINE_KEY_ID = "AKIAINLINEKEY0000001"
INLINE_SECRET = "inline-Secret/with+odd\"chars\\and-more-1"
PROFILE_KEY_ID = "AKIAPROFILEKEY000002"
PROFILE_SECRET = "Pr0fileSecretKeyAbCdEfGhIjKlMnOpQrStUvWx"
PROFILE_TOKEN = "FwoGZXIvYXdzEProfileSessionToken+abc/def=="
ENV_KEY_ID = "ASIAENVKEY0000000003"
ENV_SECRET = "EnvSecretValue-not-shaped-like-a-key"
ENV_TOKEN = "IQoJb3JpZ2luX2VjEEnvSessionToken//xyz+123=="
MODULE_SECRET = "ModulesdOwnSecret-9876543210"
SECRETS = (INLINE_SECRET, PROFILE_SECRET, PROFILE_TOKEN, ENV_SECRET, ENV_TOKEN, MODULE_SECRET)
KEY_IDS = (INLINE_KEY_ID, PROFILE_KEY_ID, ENV_KEY_ID)
ACCOUNT = "123456789012"
TODAY = datetime.now(timezone.utc)
KEY = (f"AWSLogs/{ACCOUNT}/CloudTrail/us-east-1/{TODAY:%Y/%m/%d}/{ACCOUNT}_CloudTrail_us-east-1_"
       f"{TODAY:%Y%m%dT%H%M}Z_abc.json.gz")

CONF = f"""<ossec_config>
  <wodle name="aws-s3">
    <disabled>no</disabled>
    <interval>10m</interval>
    <bucket type="cloudtrail">
      <name>doctor-trail</name>
      <access_key>{INLINE_KEY_ID}</access_key>
      <secret_key>{INLINE_SECRET.replace('"', "&quot;")}</secret_key>
    </bucket>
    <bucket type="cloudtrail">
      <name>doctor-trail</name>
      <aws_profile>default</aws_profile>
      <regions>us-east-1</regions>
    </bucket>
  </wodle>
</ossec_config>
"""

TAG = "wazuh-modulesd:aws-s3:"
OSSEC_LOG = f"""2026/01/05 10:00:00 {TAG} INFO: Executing Bucket Analysis: (Bucket: doctor-trail)
2026/01/05 10:00:00 {TAG} DEBUG: Launching S3 Command: wodles/aws/aws-s3 --bucket doctor-trail \
--access_key {INLINE_KEY_ID} --secret_key {INLINE_SECRET} --debug 2
2026/01/05 10:00:02 wazuh-analysisd: INFO: unrelated line mentioning {ENV_SECRET}
2026/01/05 10:00:03 wazuh-modulesd:aws-s3: WARNING: Bucket:  -  Returned exit code 1
2026/01/05 10:00:03 wazuh-modulesd:aws-s3: DEBUG: Bucket:  -  OUTPUT: ERROR: Unknown error: boom
Traceback (most recent call last):
  credentials aws_secret_access_key={PROFILE_SECRET} token {ENV_TOKEN}
botocore.exceptions.ClientError: account {ACCOUNT} key {PROFILE_KEY_ID}
2026/01/05 10:00:04 wazuh-syscheckd: INFO: done
"""


@pytest.fixture
def host(moto: str, clean_aws_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DoctorContext:
    """A Wazuh home full of planted secrets, a seeded bucket, and the context the commands would build."""
    home = tmp_path / "ossec"
    (home / "etc").mkdir(parents=True)
    (home / "logs").mkdir()
    (home / "etc" / "ossec.conf").write_text(CONF)
    (home / "bin").mkdir()
    (home / "bin" / "wazuh-control").write_text('VERSION="v4.14.7"\n')
    (home / "logs" / "ossec.log").write_text(OSSEC_LOG)
    (clean_aws_env / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = {PROFILE_KEY_ID}\naws_secret_access_key = {PROFILE_SECRET}\n"
        f"aws_session_token = {PROFILE_TOKEN}\n")
    (clean_aws_env / ".aws" / "config").write_text("[default]\nregion = us-east-1\n")
    cache = tmp_path / "cache"
    (cache / "wazuh-aws-doctor").mkdir(parents=True)
    (cache / "wazuh-aws-doctor" / "last-ingest.log").write_text(
        f"wazuh-aws-doctor: pass started with {ENV_SECRET} and {INLINE_SECRET}\nFound new log: {KEY}\n")
    with IngestState.open(home / "wodles" / "aws", version="4.14.7", wal=False) as state:
        state.mark_complete(StateScope("cloudtrail", "doctor-trail/", ACCOUNT, "us-east-1"), KEY, 20260105)
    monkeypatch.setenv("WAZUH_AWS_DOCTOR_MODULE_HOME", str(clean_aws_env))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ENV_KEY_ID)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", ENV_SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", ENV_TOKEN)
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    s3 = admin_client(moto)
    s3.create_bucket(Bucket="doctor-trail")
    s3.put_object(Bucket="doctor-trail", Key=KEY, Body=gzip.compress(b'{"Records": []}'))
    return prepare_context(context_from_environment(wazuh_home=str(home), endpoint_url=moto))


def members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as archive:
        return {info.name.split("/", 1)[1]: archive.extractfile(info).read()  # type: ignore[union-attr]
                for info in archive.getmembers() if info.isfile()}


def assert_nothing_secret(files: dict[str, bytes]) -> None:
    for name, data in files.items():
        text = data.decode("utf-8")
        for secret in SECRETS:
            for form in (secret, json.dumps(secret)[1:-1]):
                assert form not in text, f"a planted secret survived in {name}"
        for key_id in KEY_IDS:
            assert key_id not in text, f"a whole access key id survived in {name}"


def test_no_secret_survives_and_key_ids_appear_only_masked(host: DoctorContext, tmp_path: Path) -> None:
    report = run_checks(host)
    module = ProcessInfo(4242, "wazuh-modulesd", 0, "root",
                         environ={"AWS_SECRET_ACCESS_KEY": MODULE_SECRET, "AWS_REGION": "us-east-1"})
    host_findings = check_host(host, report.config, processes=(module,))
    result = build_bundle(host, report, output=tmp_path / "out.tar.gz", host_findings=host_findings,
                          module_environs=[module.environ or {}])
    files = members(result.path)
    assert set(files) >= {"README.txt", "manifest.json", "config/aws-s3.xml", "findings.json",
                          "identity.json", "state.json", "keys.json", "logs/ossec-aws-s3.log",
                          "logs/last-ingest.log"}
    assert_nothing_secret(files)
    assert not any("final check" in note for note in result.notes)  # the sections' redaction did it
    assert result.redactions > 0 and (result.path.stat().st_mode & 0o777) == 0o600
    config = files["config/aws-s3.xml"].decode()
    assert "<access_key>AKIA****0001</access_key>" in config and "<secret_key>****</secret_key>" in config
    assert "<aws_profile>default</aws_profile>" in config and "<regions>us-east-1</regions>" in config
    log = files["logs/ossec-aws-s3.log"].decode()
    assert "--access_key AKIA****0001" in log and "Returned exit code 1" in log
    assert "Traceback" in log and "AKIA****0002" in log  # the OUTPUT block's untagged lines are kept
    assert "wazuh-analysisd" not in log and "syscheckd" not in log
    identity = json.loads(files["identity.json"])
    assert [entry["credentials"]["method"] for entry in identity] == ["explicit", "shared-credentials-file"]
    assert json.loads(files["keys.json"]) == {"bucket doctor-trail (cloudtrail)": [KEY]}
    state = json.loads(files["state.json"])
    assert state["health"] == "ok" and state["buckets"][0]["scopes"][0]["last_key"] == KEY
    findings = json.loads(files["findings.json"])
    assert findings["wazuh_version"] == "4.14.7" and findings["findings"]
    assert {f["failure_id"] for f in findings["host_findings"]} >= {"host.modulesd_running"}
    assert ACCOUNT in files["keys.json"].decode()  # kept unless asked
    manifest = json.loads(files["manifest.json"])
    assert manifest["masked_accounts"] is False and manifest["ossec_log_lines"] == 7


def test_account_ids_masked_on_request(host: DoctorContext, tmp_path: Path) -> None:
    report = run_checks(host)
    result = build_bundle(host, report, output=tmp_path, mask_accounts=True)
    assert result.path.parent == tmp_path and result.path.name.startswith("wazuh-aws-doctor-bundle-")
    files = members(result.path)
    assert_nothing_secret(files)
    for name, data in files.items():
        assert ACCOUNT not in data.decode(), name
    assert "********9012" in files["keys.json"].decode()
    assert "account ids are masked" in files["README.txt"].decode()


def test_offline_bundle_without_checks_or_logs(host: DoctorContext, tmp_path: Path) -> None:
    (host.wazuh_home / "logs" / "ossec.log").unlink()
    result = build_bundle(host, None, output=tmp_path / "offline.tar.gz", state_dir=tmp_path / "nothing")
    files = members(result.path)
    assert_nothing_secret(files)
    assert "<secret_key>****</secret_key>" in files["config/aws-s3.xml"].decode()
    assert files["logs/ossec-aws-s3.log"] == b""
    assert any("offline bundle" in note for note in result.notes)
    assert any("ossec.log does not exist" in note for note in result.notes)
    assert "logs/last-ingest.log" not in files


def test_redactor_catches_json_escaped_and_pattern_secrets() -> None:
    redactor = Redactor(secrets=(INLINE_SECRET,), key_ids=("AKIAXXXXKNOWN0000009",))
    assert redactor.text(json.dumps({"v": INLINE_SECRET})) == '{"v": "****"}'
    assert redactor.text("id AKIAXXXXKNOWN0000009 other AKIAOTHERKEY00000042") == \
        "id AKIA****0009 other AKIA****0042"
    assert "wJalr" not in redactor.text("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    assert redactor.leaks(INLINE_SECRET.encode()) == ("secret",)
    assert redactor.leaks(b"nothing here") == ()


def test_config_is_re_serialised_as_written(tmp_path: Path) -> None:
    from diagnostics.bundle_sections import config_xml
    from diagnostics.configuration.loader import load_config

    conf = tmp_path / "ossec.conf"
    conf.write_text(f"""<ossec_config>
  <wodle name="aws-s3">
    <access_key>{INLINE_KEY_ID}</access_key>
    <secret_key>{PROFILE_SECRET}</secret_key>
    <bucket>legacy-bucket</bucket>
    <bucket type="custom">
      <name>b</name>
      <discard_regex field="data.x">^a&amp;b</discard_regex>
    </bucket>
  </wodle>
</ossec_config>
""")
    text = config_xml(load_config(conf))
    assert PROFILE_SECRET not in text and INLINE_KEY_ID not in text
    assert '<discard_regex field="data.x">^a&amp;b</discard_regex>  <!-- line 8 -->' in text  # not re-escaped
    assert "<bucket>legacy-bucket</bucket>  <!-- line 5: legacy form" in text
    assert text.count("<access_key>AKIA****0001</access_key>") == 1  # the legacy block's copy is not repeated


def test_bundle_command_offline(host: DoctorContext, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    from tui.host_commands import run_bundle

    args = argparse.Namespace(demo=False, config=None, wazuh_home=str(host.wazuh_home), endpoint_url=None,
                              format="text", no_checks=True, output=str(tmp_path / "b.tar.gz"),
                              mask_accounts=True, keys_per_bucket=5, bucket=None, state_dir=None,
                              ossec_log=None, log_lines=100)
    assert run_bundle(args) == 0
    out = capsys.readouterr().out
    assert f"Support bundle written: {tmp_path / 'b.tar.gz'}" in out and "account ids masked" in out
    assert_nothing_secret(members(tmp_path / "b.tar.gz"))
