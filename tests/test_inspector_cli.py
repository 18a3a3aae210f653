"""`preview --block` and `ingest --block` on an Inspector block write what the recorded module run sent."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.inputs_support import write_module_home
from tests.inspector_server import inspector_server
from tests.test_service_access import load_golden
from tui.cli import main

INSPECTOR_CONF = """<ossec_config>
  <wodle name="aws-s3">
    <disabled>no</disabled>
    <interval>10m</interval>
    <service type="inspector">
      <regions>us-east-1</regions>
      <only_logs_after>2026-NOV-25</only_logs_after>
      <discard_regex field="packageVulnerabilityDetails.vulnerablePackages.name">lod</discard_regex>
    </service>
    <service type="inspector">
      <regions>us-east-1,us-gov-west-1</regions>
    </service>
  </wodle>
</ossec_config>
"""
DISCARD_LINE = 5
UNSUPPORTED_LINE = 10


@pytest.fixture
def inspector_home(clean_aws_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A Wazuh home with the blocks above and root's [default] profile."""
    return write_module_home(clean_aws_env, tmp_path, monkeypatch, INSPECTOR_CONF)


def test_ingest_writes_the_modules_datagrams_and_leaves_the_state_alone(
        inspector_home: Path, moto: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    golden = load_golden("inspector_discard_nested_list")
    out = tmp_path / "events.txt"
    with inspector_server(golden["seed"]["findings"], upstream=moto) as server:
        code = main(["ingest", "--wazuh-home", str(inspector_home), "--endpoint-url", server.endpoint,
                     "--block", str(DISCARD_LINE), "--events-out", str(out), "--debug", "2"])
    err = capsys.readouterr().err
    assert code == 0
    assert out.read_text().splitlines() == golden["datagrams"]
    assert "2 event(s) sent, 1 skipped; the module's exit: 0" in err
    client_config = ("retries", "Region '", "Created Config")  # this home has a ~/.aws/config; the recording not
    printed = [line for line in err.splitlines() if line.startswith("DEBUG: ")
               and not any(part in line for part in client_config)]
    assert printed == [line for line in golden["output"] if not any(part in line for part in client_config)]
    assert not (inspector_home / "wodles").exists(), "no aws_services.db is created"


def test_preview_shows_the_window_and_marks_the_dropped_finding(
        inspector_home: Path, moto: str, capsys: pytest.CaptureFixture[str]) -> None:
    golden = load_golden("inspector_discard_nested_list")
    with inspector_server(golden["seed"]["findings"], upstream=moto) as server:
        code = main(["preview", "--wazuh-home", str(inspector_home), "--endpoint-url", server.endpoint,
                     "--block", str(DISCARD_LINE)])
    out = capsys.readouterr().out
    assert code == 0
    assert "us-east-1: findings updated from 2026-11-25 00:00:00 to " in out
    assert "99aa88bb77cc66dd55ee44ff33001122: " in out and "[dropped: discard_regex 'lod'" in out
    assert "2 finding(s) the next run sends, 1 dropped" in out


def test_preview_json_prints_the_sent_messages_and_the_saved_scan_moves_the_window(
        inspector_home: Path, moto: str, capsys: pytest.CaptureFixture[str]) -> None:
    golden = load_golden("inspector_window_moves")
    db = inspector_home / "wodles" / "aws" / "aws_services.db"
    db.parent.mkdir(parents=True)
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE aws_services (service_name 'text' NOT NULL, aws_account_id 'text' NOT NULL, "
                           "aws_region 'text' NOT NULL, scan_date 'text' NOT NULL, "
                           "PRIMARY KEY (service_name, aws_account_id, aws_region, scan_date))")
        connection.executemany("INSERT INTO aws_services VALUES (?, ?, ?, ?)", golden["state_before"])
    connection.close()
    with inspector_server(golden["seed"]["findings"], upstream=moto) as server:
        code = main(["preview", "--wazuh-home", str(inspector_home), "--endpoint-url", server.endpoint,
                     "--block", str(DISCARD_LINE), "--format", "json"])
    captured = capsys.readouterr()
    assert code == 0
    assert captured.out.splitlines() == [datagram.split(":", 2)[2] for datagram in golden["datagrams"]]
    assert f"from {golden['state_before'][-1][3]} " in captured.err
    assert "(the last scan saved in aws_services.db)" in captured.err


def test_an_unsupported_region_stops_with_exit_22(inspector_home: Path, moto: str,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    with inspector_server([], upstream=moto) as server:
        code = main(["ingest", "--wazuh-home", str(inspector_home), "--endpoint-url", server.endpoint,
                     "--block", str(UNSUPPORTED_LINE), "--events-out", "-"])
    assert code == 22
    assert "Unsupported region 'us-gov-west-1'" in capsys.readouterr().err


def test_a_denied_list_findings_is_exit_12_at_debug_0_and_1_above_it(
        inspector_home: Path, moto: str, capsys: pytest.CaptureFixture[str]) -> None:
    for debug, name in ((0, "inspector_list_findings_denied_debug0"), (1, "inspector_list_findings_denied_debug1")):
        golden = load_golden(name)
        with inspector_server([], upstream=moto, deny=golden["seed"]["deny"]) as server:
            code = main(["ingest", "--wazuh-home", str(inspector_home), "--endpoint-url", server.endpoint,
                         "--block", str(DISCARD_LINE), "--events-out", "-", "--debug", str(debug)])
        err = capsys.readouterr().err
        assert code == golden["exit_code"]
        assert golden["output"][-1] in err.splitlines(), "the module's error line, as it prints it"
