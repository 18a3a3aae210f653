"""Choosing one block: ``--block LINE`` selects exactly the block (and its wodle) at that ossec.conf line,
and a bucket name that several blocks read is refused with the choices instead of taking the first."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from diagnostics.configuration.block_selection import BlockSelectionError, select_block
from diagnostics.configuration.loader import load_config
from tests.conftest import admin_client
from tui.cli import main

# line numbers matter: the tests name blocks by the line of their element
TWIN_CONF = """<ossec_config>
  <wodle name="aws-s3">
    <interval>10m</interval>
    <skip_on_error>yes</skip_on_error>
    <bucket type="cloudtrail">
      <name>twin-trail</name>
      <aws_profile>default</aws_profile>
    </bucket>
    <service type="cloudwatchlogs">
      <aws_log_groups>app</aws_log_groups>
    </service>
  </wodle>
  <wodle name="aws-s3">
    <interval>1h</interval>
    <skip_on_error>no</skip_on_error>
    <bucket type="custom">
      <name>twin-trail</name>
      <path>firehose</path>
      <aws_profile>default</aws_profile>
    </bucket>
  </wodle>
</ossec_config>
"""
TRAIL_LINE, SERVICE_LINE, CUSTOM_LINE = 5, 9, 16


@pytest.fixture
def twin_conf(tmp_path: Path) -> Path:
    path = tmp_path / "ossec.conf"
    path.write_text(TWIN_CONF)
    return path


def test_the_line_selects_the_block_and_its_own_wodle(twin_conf: Path) -> None:
    config = load_config(twin_conf)
    chosen = select_block(config, line=CUSTOM_LINE)
    assert (chosen.block.block_type, chosen.block.value("path")) == ("custom", "firehose")
    assert chosen.wodle.value("interval") == "1h", "the block's own wodle, not the first one"
    assert chosen.wodle.value("skip_on_error") == "no"
    first = select_block(config, line=TRAIL_LINE, name="twin-trail")
    assert (first.block.block_type, first.wodle.value("interval")) == ("cloudtrail", "10m")


def test_an_ambiguous_name_is_refused_with_each_choice_and_what_tells_them_apart(twin_conf: Path) -> None:
    with pytest.raises(BlockSelectionError) as refused:
        select_block(load_config(twin_conf), name="twin-trail")
    message = str(refused.value)
    assert "2 blocks" in message and "--block LINE" in message
    assert f"line {TRAIL_LINE}: bucket twin-trail (cloudtrail) aws_profile=default" in message
    assert f"line {CUSTOM_LINE}: bucket twin-trail (custom) path=firehose aws_profile=default" in message


def test_a_line_that_is_no_block_lists_the_blocks_lines(twin_conf: Path) -> None:
    config = load_config(twin_conf)
    with pytest.raises(BlockSelectionError) as refused:
        select_block(config, line=TRAIL_LINE + 1)
    assert f"no <bucket>, <service> or <subscriber> starts at line {TRAIL_LINE + 1}" in str(refused.value)
    for line in (TRAIL_LINE, SERVICE_LINE, CUSTOM_LINE):
        assert f"line {line}: " in str(refused.value)
    with pytest.raises(BlockSelectionError, match="is a <service> block"):
        select_block(config, line=SERVICE_LINE)
    assert select_block(config, line=SERVICE_LINE, kinds=("bucket", "service")).block.kind == "service"
    with pytest.raises(BlockSelectionError, match="not 'other-bucket'"):
        select_block(config, line=TRAIL_LINE, name="other-bucket")


@pytest.fixture
def twin_env(moto: str, clean_aws_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A Wazuh home whose two blocks read one bucket: CloudTrail at its root, custom under firehose/."""
    home = tmp_path / "ossec"
    (home / "etc").mkdir(parents=True)
    (home / "etc" / "ossec.conf").write_text(TWIN_CONF)
    (clean_aws_env / ".aws" / "credentials").write_text(
        "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = "
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n")
    monkeypatch.setenv("WAZUH_AWS_DOCTOR_MODULE_HOME", str(clean_aws_env))
    monkeypatch.setenv("HOME", str(clean_aws_env))
    s3 = admin_client(moto)
    s3.create_bucket(Bucket="twin-trail")
    body = gzip.compress(json.dumps({"Records": [{"eventName": "ConsoleLogin"}]}).encode())
    s3.put_object(Bucket="twin-trail", Key="AWSLogs/123456789012/CloudTrail/us-east-1/2024/01/02/a.json.gz",
                  Body=body)
    s3.put_object(Bucket="twin-trail", Key="firehose/2024/01/02/stream-1",
                  Body=b'{"source": "my.app", "detail": {"kind": "custom"}}')
    return home


def test_keys_preview_and_ingest_refuse_an_ambiguous_bucket(twin_env: Path, moto: str, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    common = ["--wazuh-home", str(twin_env), "--endpoint-url", moto, "--bucket", "twin-trail"]
    for argv in (["keys", *common], ["preview", *common, "--key", "firehose/2024/01/02/stream-1"],
                 ["ingest", *common, "--state-dir", str(tmp_path / "state")], ["ingest", *common, "--real"]):
        assert main(argv) == 64, argv
        err = capsys.readouterr().err
        assert f"line {TRAIL_LINE}: bucket twin-trail (cloudtrail)" in err
        assert f"line {CUSTOM_LINE}: bucket twin-trail (custom) path=firehose" in err
    assert not (tmp_path / "state").exists(), "a refused selection creates nothing"


def test_keys_and_preview_use_exactly_the_block_at_the_line(twin_env: Path, moto: str,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    common = ["--wazuh-home", str(twin_env), "--endpoint-url", moto, "--format", "json"]
    assert main(["keys", *common, "--block", str(TRAIL_LINE)]) == 0
    trail = json.loads(capsys.readouterr().out)
    assert (trail["line"], trail["folders"]) == (TRAIL_LINE, ["AWSLogs/", "firehose/"])
    assert main(["keys", *common, "--block", str(CUSTOM_LINE)]) == 0
    custom = json.loads(capsys.readouterr().out)
    assert (custom["line"], custom["folders"]) == (CUSTOM_LINE, ["firehose/2024/"]), "opened at the block's path"

    assert main(["preview", *common, "--block", str(CUSTOM_LINE), "--key", "firehose/2024/01/02/stream-1"]) == 0
    event = json.loads(capsys.readouterr().out.splitlines()[0])
    assert event["aws"]["kind"] == "custom", "decoded by the custom block, not the CloudTrail one"


def test_check_block_checks_that_block_alone(twin_env: Path, moto: str, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "--wazuh-home", str(twin_env), "--endpoint-url", moto, "--format", "json",
          "--block", str(CUSTOM_LINE)])
    findings = json.loads(capsys.readouterr().out)["findings"]
    checked = {finding["target"] for finding in findings if finding["check_id"].startswith(("access", "identity"))}
    assert checked, "the block's access checks ran"
    assert "s3://twin-trail/firehose/2024/01/02/stream-1" in checked, "the custom block's sample was read"
    other_lines = {f"ossec.conf:{line}" for line in (TRAIL_LINE, SERVICE_LINE)}
    # configuration findings cover the whole file; every other finding belongs to the chosen block alone
    others = [(finding["target"], finding["location"]) for finding in findings
              if not finding["check_id"].startswith("config.")
              and ("AWSLogs" in finding["target"] or "cloudwatchlogs" in finding["target"]
                   or (finding["location"] or "").rsplit("/", 1)[-1] in other_lines)]
    assert others == [], "the other blocks were not checked"
    assert main(["check", "--wazuh-home", str(twin_env), "--endpoint-url", moto, "--block", "3"]) == 64
    assert "no <bucket>, <service> or <subscriber> starts at line 3" in capsys.readouterr().err
