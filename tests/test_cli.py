"""The headless commands end to end: `check --format json` on a broken configuration against moto's
server, and `explain-log` on the write-up's lines."""

from __future__ import annotations

import gzip
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES, admin_client
from tui.cli import main

BROKEN_CONF = """<ossec_config>
  <!-- a healthy bucket, a missing one, a slash in the path, a missing profile, a bad date -->
  <wodle name="aws-s3">
    <disabled>no</disabled>
    <interval>10m</interval>
    <run_on_start>yes</run_on_start>
    <bucket type="cloudtrail">
      <name>doctor-trail</name>
      <aws_profile>default</aws_profile>
    </bucket>
    <bucket type="cloudtrail">
      <name>doctor-missing</name>
      <aws_profile>default</aws_profile>
    </bucket>
    <bucket type="custom">
      <name>doctor-trail</name>
      <path>/firehose/</path>
      <aws_profile>default</aws_profile>
    </bucket>
    <bucket type="cloudtrail">
      <name>doctor-trail</name>
      <aws_profile>wazuh-reader</aws_profile>
    </bucket>
    <bucket type="cloudtrail">
      <name>doctor-trail</name>
      <only_logs_after>2024-01-15</only_logs_after>
      <aws_profile>default</aws_profile>
    </bucket>
  </wodle>
</ossec_config>
"""


@pytest.fixture
def doctor_env(moto: str, clean_aws_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A Wazuh home with the broken ossec.conf, root's ~/.aws with [default], and one seeded bucket."""
    home = tmp_path / "ossec"
    (home / "etc").mkdir(parents=True)
    (home / "etc" / "ossec.conf").write_text(BROKEN_CONF)
    (clean_aws_env / ".aws" / "credentials").write_text(
        "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = "
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n")
    (clean_aws_env / ".aws" / "credentials").chmod(0o600)
    monkeypatch.setenv("WAZUH_AWS_DOCTOR_MODULE_HOME", str(clean_aws_env))
    monkeypatch.setenv("HOME", str(clean_aws_env))
    s3 = admin_client(moto)
    s3.create_bucket(Bucket="doctor-trail")
    today = datetime.now(timezone.utc)
    day = today.strftime("%Y/%m/%d")
    body = gzip.compress(json.dumps({"Records": [{"eventName": "ConsoleLogin"}]}).encode())
    s3.put_object(Bucket="doctor-trail",
                  Key=f"AWSLogs/123456789012/CloudTrail/us-east-1/{day}/123456789012_CloudTrail_us-east-1_"
                      f"{today:%Y%m%dT%H%M}Z_abc.json.gz", Body=body)
    return home


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object]]:
    code = main(list(argv))
    return code, json.loads(capsys.readouterr().out)


def test_check_json_names_every_problem_with_line_exit_code_and_fix(
        doctor_env: Path, moto: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, document = run_json(capsys, "check", "--wazuh-home", str(doctor_env), "--endpoint-url", moto,
                              "--format", "json")
    findings = document["findings"]
    assert isinstance(findings, list)
    by_id: dict[str, list[dict[str, object]]] = {}
    for finding in findings:
        by_id.setdefault(str(finding["failure_id"] or finding["check_id"]), []).append(finding)
    conf = str(doctor_env / "etc" / "ossec.conf")

    missing = by_id["access.no_such_bucket"][0]
    assert missing["target"] == "doctor-missing"
    assert missing["wazuh_exit_code"] == 1
    # at debug 0 the C side finds no "Unknown error" in the script's output, so it logs "Unknown error."
    assert any(line.endswith("Bucket:  -  Unknown error.") for line in missing["ossec_log"])  # type: ignore[union-attr]
    assert "NoSuchBucket" in json.dumps(missing)
    assert missing["fix"]

    slash = [f for f in findings if "slash" in str(f["check_id"]) or "slash" in str(f["failure_id"])]
    assert slash, "the leading/trailing slash in <path> is reported"
    assert slash[0]["location"] == f"{conf}:17"

    profile = by_id["credentials.profile_not_found"][0]
    assert profile["wazuh_exit_code"] == 12
    assert any("The config profile (wazuh-reader) could not be found" in line
               for line in profile["ossec_log"])  # type: ignore[union-attr]

    date = by_id["config.date_invalid"][0]
    assert date["location"] == f"{conf}:26"
    assert date["wazuh_exit_code"] == 2
    assert "2024-JAN" in str(date["fix"])

    ok_listing = [f for f in findings if f["check_id"] == "access.list_prefix" and f["status"] == "ok"]
    assert ok_listing, "the healthy bucket lists fine"
    assert code == 2
    assert "wJalrXUtnFEMI" not in json.dumps(document)
    assert "AKIAIOSFODNN7EXAMPLE" not in json.dumps(document)


def test_check_one_bucket_text_report(doctor_env: Path, moto: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", "--wazuh-home", str(doctor_env), "--endpoint-url", moto, "--bucket", "doctor-missing"])
    out = capsys.readouterr().out
    assert "doctor-missing" in out
    assert "ossec.log would show:" in out
    assert "Returned exit code 1" in out
    assert code == 2


def test_check_unknown_bucket_is_a_usage_problem(doctor_env: Path, moto: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", "--wazuh-home", str(doctor_env), "--endpoint-url", moto, "--bucket", "nope"])
    assert code == 64
    assert "no bucket or service named 'nope'" in capsys.readouterr().err


@pytest.mark.parametrize(("log_file", "expected"), [
    ("writeup-macie-profile-not-found.log", ["exit code 12", "The config profile (default) could not be found"]),
    ("writeup-cloudtrail-troubleshooting.log", ["exit code 3", "HeadBucket"]),
])
def test_explain_log_annotates_the_write_up(tmp_path: Path, capsys: pytest.CaptureFixture[str], log_file: str,
                                            expected: list[str]) -> None:
    path = SAMPLES / "ossec-logs" / log_file
    code = main(["explain-log", str(path), "--wazuh-home", str(tmp_path)])
    out = capsys.readouterr().out
    for text in expected:
        assert text in out
    assert "fix:" in out
    assert code in (1, 2)


def test_explain_log_json_from_stdin(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    lines = ("2020/04/28 10:45:14 wazuh-modulesd:aws-s3: WARNING: Bucket:  -  Returned exit code 12\n"
             "2020/04/28 10:45:14 wazuh-modulesd:aws-s3: WARNING: Bucket:  -  The config profile (default) "
             "could not be found\n")
    monkeypatch.setattr("sys.stdin", io.StringIO(lines))
    code = main(["explain-log", "-", "--wazuh-home", str(tmp_path), "--format", "json"])
    document = json.loads(capsys.readouterr().out)
    text = json.dumps(document)
    assert "could not be found" in text
    assert code == 2


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command in ("check", "explain-log", "keys", "preview", "ingest"):
        assert command in out
    assert (ROOT / "README.md").read_text().count("wazuh-aws-doctor --demo") >= 1


def test_keys_lists_one_level_with_module_status(doctor_env: Path, moto: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    today = datetime.now(timezone.utc)
    prefix = f"AWSLogs/123456789012/CloudTrail/us-east-1/{today:%Y/%m/%d}/"
    code, document = run_json(capsys, "keys", "--wazuh-home", str(doctor_env), "--endpoint-url", moto,
                              "--block", "7", "--prefix", prefix, "--format", "json")
    assert code == 0
    keys = document["keys"]
    assert isinstance(keys, list) and len(keys) == 1
    row = keys[0]
    assert row["key"].startswith(prefix)
    assert row["status"] == "read"
    assert row["size"] > 0 and row["last_modified"]

    code, document = run_json(capsys, "keys", "--wazuh-home", str(doctor_env), "--endpoint-url", moto,
                              "--block", "7", "--format", "json")
    assert document["folders"] == ["AWSLogs/"]


def test_keys_wodle_view_and_preview_and_ingest(doctor_env: Path, moto: str, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    # four blocks read doctor-trail: --block names the first (line 7), --bucket alone would be refused
    common = ["--wazuh-home", str(doctor_env), "--endpoint-url", moto, "--block", "7"]
    code, document = run_json(capsys, "keys", *common, "--wodle-view", "--format", "json")
    assert code == 0
    keys = document["keys"]
    assert [row["status"] for row in keys] == ["read"]
    key = keys[0]["key"]

    code = main(["preview", *common, "--key", key, "--format", "json"])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 0
    assert lines[0]["integration"] == "aws"
    assert lines[0]["aws"]["log_info"]["s3bucket"] == "doctor-trail"
    assert lines[0]["aws"]["eventName"] == "ConsoleLogin"

    events = tmp_path / "events.jsonl"
    state = tmp_path / "state"
    code = main(["ingest", *common, "--events-out", str(events), "--state-dir", str(state)])
    out = capsys.readouterr()
    assert code == 0
    assert events.read_text().startswith("1:Wazuh-AWS:{")
    assert "1 read" in out.out
    assert "Found new log" in out.err  # debug 2 is the default

    code = main(["ingest", *common, "--events-out", str(events), "--state-dir", str(state), "--force"])
    out = capsys.readouterr()
    assert code == 0
    assert "0 read" in out.out, "a second pass reads nothing new"
    assert len(events.read_text().splitlines()) == 1
