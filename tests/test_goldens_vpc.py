"""Our ``keys --wodle-view``, ``ingest`` and ``check`` on VPC flow logs against the real module's recordings.

moto gives every flow log a random id, and the module reads a vpcflow key only when DescribeFlowLogs returns
its id, so the goldens (``tests/goldens/module_4_14_7/vpcflow_*``) hold a placeholder where the recorder's
server put its id. Here the same flow logs are created on the test server, the keys written with the ids it
assigns, and every output of ours is mapped back to the placeholders before it is compared. All three
commands run with the module's credentials: an IAM user (moto's signature checks on) whose policy allows
DescribeFlowLogs, or does not.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import admin_client, enable_auth, moto_post
from tests.goldens.scenarios import seed
from tests.goldens.scenarios_vpc import MISSING, VPC_BY_NAME, create_flow_logs, resolve, to_placeholders
from tests.hardening_support import make_home, ossec_conf
from tests.test_module_goldens import GOLDENS, Built, GoldenRun, by_key, read_keys

MODULE_LINE = re.compile(r"wazuh-modulesd:aws-s3\[[^\]]*\]: (?P<level>DEBUG|ERROR|WARNING): (?P<text>.*)$")
"""A line the script prints on stdout (our INFO lines stand for its stderr, e.g. a traceback)."""


def build_vpc(name: str, moto: str, tmp_path: Path,
              monkeypatch: pytest.MonkeyPatch) -> tuple[Built, dict[str, str]]:
    """The bucket, the flow logs (ids written into the keys), the module's IAM user, then auth on."""
    scenario = VPC_BY_NAME[name]
    s3 = admin_client(moto)
    seed(s3, scenario, ())
    ids = create_flow_logs(admin_client(moto, "ec2"), scenario.bucket)
    scenario = resolve(scenario, ids)
    seed(s3, scenario, scenario.objects)
    iam = admin_client(moto, "iam")
    iam.create_user(UserName="golden-module")
    iam.put_user_policy(UserName="golden-module", PolicyName="golden", PolicyDocument=json.dumps(scenario.policy))
    created = iam.create_access_key(UserName="golden-module")["AccessKey"]
    credentials = (f"[default]\naws_access_key_id = {created['AccessKeyId']}\n"
                   f"aws_secret_access_key = {created['SecretAccessKey']}\n")
    home = make_home(tmp_path, monkeypatch, ossec_conf(scenario.block_xml()), credentials=credentials,
                     config=scenario.aws_config)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    enable_auth(moto)
    return Built(home, moto, s3, scenario), ids


def put_run_objects(built: Built, run: int) -> None:
    """The files the recorder put before ``run``, with the admin keys (auth off for the moment)."""
    objects = built.scenario.runs[run - 1].objects
    if objects:
        moto_post(built.endpoint, "/moto-api/reset-auth", b"inf")
        seed(built.s3, built.scenario, objects)
        enable_auth(built.endpoint)


def mapped(rows: list[dict[str, Any]], ids: dict[str, str]) -> list[dict[str, Any]]:
    """``keys`` rows with moto's flow-log ids back to the golden's placeholders."""
    return [{**row, "key": to_placeholders(str(row["key"]), ids)} for row in rows]


def module_lines(err: str, ids: dict[str, str]) -> list[str]:
    """Our pass's log lines as the script prints them (``LEVEL: text``, ids back to placeholders)."""
    lines = []
    for line in err.splitlines():
        match = MODULE_LINE.search(line)
        if match:
            lines.append(to_placeholders(f"{match['level']}: {match['text']}", ids))
    return lines


def predicted_exit(findings: list[dict[str, Any]]) -> int:
    """The exit ``check`` predicts: the first error's module exit code, 0 when nothing stops the run."""
    for finding in findings:
        if finding["status"] == "error" and finding["wazuh_exit_code"] is not None:
            return int(finding["wazuh_exit_code"])
    return 0


def test_flow_log_found_is_read_and_unknown_id_never(moto: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    name = "vpcflow_found_and_missing_flow_log"
    built, ids = build_vpc(name, moto, tmp_path, monkeypatch)
    for run in (1, 2):
        put_run_objects(built, run)
        golden = GoldenRun.load(name, run)
        if run > 1:  # keys reads the module's database: as the module's previous run left it
            module_state_after(built, GoldenRun.load(name, run - 1), ids)
        _code, view = built.keys(capsys)
        rows = mapped(view["keys"], ids)
        assert read_keys(rows) == list(golden.keys_read), f"run {run}: keys --wodle-view reads the module's keys"
        unknown = [row for row in rows if MISSING in row["key"]]
        assert unknown and {row["status"] for row in unknown} == {"skipped"}, "never read, as by the module"
        assert "unknown_flow_log" in {row["reason"] for row in unknown} <= {"unknown_flow_log", "before_marker"}
        assert not any(f["status"] == "error" for f in view.get("findings", [])), \
            "the same credentials ingest uses may describe the flow logs"
        _code, findings = built.check(capsys)
        assert predicted_exit(findings) == golden.exit_code == 0
        described = [f for f in findings if f["failure_id"] == "access.flow_logs_ok"]
        assert described and ids["{flow_log_found}"] in described[0]["explanation"]
        code, datagrams, _summary, err = built.ingest(capsys, run)
        assert code == golden.exit_code
        assert [to_placeholders(line, ids) for line in datagrams] == list(golden.datagrams), \
            f"run {run}: the module's datagrams, header line included, in order"
        assert module_lines(err, ids) == golden.stdout.splitlines(), f"run {run}: the module's lines, word for word"


@pytest.mark.parametrize(("run", "debug"), [(1, 2), (2, 0)])
def test_describe_flow_logs_denied_gives_the_module_exit(run: int, debug: int, moto: str, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """Denied DescribeFlowLogs: the module's catch-all exit (1 with a traceback at debug 2, 12 at debug 0),
    its ERROR line, no event; ``keys`` and ``check`` say so with the same credentials."""
    name = "vpcflow_describe_flow_logs_denied"
    built, _ids = build_vpc(name, moto, tmp_path, monkeypatch)
    golden = GoldenRun.load(name, run)
    assert built.scenario.runs[run - 1].debug == debug
    options = built.home.wazuh_home / "etc" / "local_internal_options.conf"
    options.write_text(f"wazuh_modules.debug={debug}\n")
    _code, findings = built.check(capsys)
    assert predicted_exit(findings) == golden.exit_code
    code, datagrams, _summary, err = built.ingest(capsys, run, debug)
    assert (code, datagrams) == (golden.exit_code, list(golden.datagrams))
    assert golden.error_line() in err, "the module's own ERROR line, word for word"
    assert module_lines(err, {}) == golden.stdout.splitlines()
    stderr = (GOLDENS / name / f"run{run}" / "stderr.txt").read_text()
    assert ("Traceback (most recent call last):" in err) == stderr.startswith("Traceback"), \
        "a traceback on stderr exactly when the module's catch-all re-raises (debug >= 1)"
    _code, view = built.keys(capsys)
    assert read_keys(view.get("keys", [])) == [] == list(golden.keys_read)
    assert any(f["status"] == "error" and f["wazuh_exit_code"] is not None for f in view.get("findings", []))


def test_keys_of_the_found_flow_log_are_processed_after_the_module_run(moto: str, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """From the module's own state after run 1 (its rows carry the flow-log id), run 1's keys are processed."""
    name = "vpcflow_found_and_missing_flow_log"
    built, ids = build_vpc(name, moto, tmp_path, monkeypatch)
    first = GoldenRun.load(name, 1)
    module_state_after(built, first, ids)
    put_run_objects(built, 2)
    _code, view = built.keys(capsys)
    rows = by_key(mapped(view["keys"], ids))
    assert {rows[key]["status"] for key in first.keys_read} == {"processed"}
    assert read_keys(list(rows.values())) == list(GoldenRun.load(name, 2).keys_read)


def module_state_after(built: Built, golden: GoldenRun, ids: dict[str, str]) -> None:
    """The module's database as the recorded run left it, with the test server's flow-log ids in its rows."""
    def real(value: Any) -> Any:
        for placeholder, assigned in ids.items():
            value = value.replace(placeholder, assigned) if isinstance(value, str) else value
        return value
    state = {table: [[real(value) for value in row] for row in rows] for table, rows in golden.state.items()}
    built.module_state_after(GoldenRun(golden.exit_code, golden.datagrams, golden.keys_read, state, golden.stdout))


def test_profile_region_sends_describe_flow_logs_elsewhere(moto: str, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """root's [default] region (eu-west-1) goes into the module's EC2 client for every walked region: it asks
    eu-west-1 for flow logs while walking us-east-1's keys, finds none, and reads nothing. keys, check and
    ingest must all ask where the module asks."""
    name = "vpcflow_profile_region_describes_elsewhere"
    built, ids = build_vpc(name, moto, tmp_path, monkeypatch)
    golden = GoldenRun.load(name, 1)
    _code, view = built.keys(capsys)
    assert read_keys(mapped(view["keys"], ids)) == list(golden.keys_read) == []
    _code, findings = built.check(capsys)
    assert predicted_exit(findings) == golden.exit_code == 0
    (none,) = [f for f in findings if f["failure_id"] == "access.flow_logs_none_profile_region"]
    assert "eu-west-1" in none["title"] and "every client it builds" in none["explanation"]
    assert not [f for f in findings if f["failure_id"] == "access.flow_logs_ok"]
    code, datagrams, _summary, err = built.ingest(capsys, 1)
    assert (code, datagrams) == (golden.exit_code, list(golden.datagrams))
    assert module_lines(err, ids) == golden.stdout.splitlines()
