"""Our ``ingest --block`` and ``check --block`` on services and subscribers against recorded runs of the module.

``second_run_cloudwatch``: two CloudWatch Logs runs of Wazuh's 4.14.7 script on one ``aws_services.db``, with a
stream deleted, an event put and a stream created in between (``tests/goldens/record_services.py``). Our CLI
runs twice with its own state directory and must send the same datagrams and print the same lines, the second
run's purge line included. ``subscriber_receive_denied``: a ``buckets`` subscriber whose user may not receive;
``check --block`` must predict the module's exit and carry its lines.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import admin_client, enable_auth
from tests.goldens.record_services import seed_receive_denied
from tests.hardening_support import DoctorHome, make_home, ossec_conf, run_cli

GOLDENS = Path(__file__).resolve().parent / "goldens" / "module_4_14_7"
ONLY_LOGS_AFTER_MILLIS = "1796083200000"
"""2026-DEC-01 00:00 UTC: the one epoch-millisecond value every recording shares."""
LEVELS = ("DEBUG: ", "ERROR: ", "WARNING: ", "INFO: ", "CRITICAL: ")


def load(name: str) -> dict[str, Any]:
    golden: dict[str, Any] = json.loads((GOLDENS / name / "golden.json").read_text())
    return golden


def normalised(lines: list[str]) -> list[str]:
    """Times moto and the clock give each run become ``<ms>`` (only_logs_after stays as recorded)."""
    return [re.sub(r"-?\b\d{13}\b", lambda m: m.group(0) if m.group(0) == ONLY_LOGS_AFTER_MILLIS else "<ms>", line)
            for line in lines]


def module_lines(err: str) -> list[str]:
    """The lines our pass streams in the module's words (``LEVEL: text``), without our closing summary."""
    return [line for line in err.splitlines() if line.startswith(LEVELS)]


def block_line(conf: str, element: str) -> int:
    """The ossec.conf line of the first ``element`` (1-based)."""
    return next(number for number, line in enumerate(conf.splitlines(), start=1) if line.strip().startswith(element))


# -- CloudWatch Logs: the second run --------------------------------------------------------------------------

CLOUDWATCH_BLOCK = ("    <service type=\"cloudwatchlogs\">\n      <aws_log_groups>app-logs</aws_log_groups>\n"
                    "      <regions>us-east-1</regions>\n      <only_logs_after>2026-DEC-01</only_logs_after>\n"
                    "    </service>\n")


def put_events(logs: Any, group: str, stream: str, messages: list[str], first: int, create: bool) -> None:
    if create:
        logs.create_log_stream(logGroupName=group, logStreamName=stream)
    logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=[
        {"timestamp": first + 1000 * index, "message": message} for index, message in enumerate(messages)])


def our_latest_end_time(state_dir: Path) -> int:
    """The latest end_time our pass saved (the recorder puts the between-run events a second after it)."""
    with sqlite3.connect(f"file:{state_dir / 'aws_services.db'}?mode=ro", uri=True) as connection:
        (latest,) = connection.execute("SELECT max(end_time) FROM cloudwatch_logs").fetchone()
    connection.close()
    return int(latest)


def test_second_run_cloudwatch_matches_the_module_line_for_line(moto: str, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    golden = load("second_run_cloudwatch")
    seed, between = golden["seed"], golden["between_runs"]
    conf = ossec_conf(CLOUDWATCH_BLOCK)
    home = make_home(tmp_path, monkeypatch, conf, config=None)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    logs = admin_client(moto, "logs", seed["region"])
    logs.create_log_group(logGroupName=seed["log_group"])
    now = int(time.time() * 1000) - 60_000
    for stream, messages in seed["streams"].items():
        put_events(logs, seed["log_group"], stream, messages, now - 1000 * len(messages), create=True)
    state_dir = tmp_path / "doctor-state"
    line = str(block_line(conf, "<service"))
    for number, run in enumerate(golden["runs"], start=1):
        if number == 2:
            for stream in between["delete_streams"]:
                logs.delete_log_stream(logGroupName=seed["log_group"], logStreamName=stream)
            later = our_latest_end_time(state_dir) + 1000
            for stream, messages in between["put"].items():
                put_events(logs, seed["log_group"], stream, messages, later, create=stream not in seed["streams"])
        events = tmp_path / f"events-{number}.txt"
        code, _out, err = run_cli(capsys, "ingest", *home.common(moto), "--block", line, "--debug",
                                  run["arguments"][run["arguments"].index("--debug") + 1], "--state-dir",
                                  str(state_dir), "--events-out", str(events))
        assert code == run["exit_code"]
        assert events.read_text().splitlines() == run["datagrams"], f"run {number}: the module's datagrams"
        assert normalised(module_lines(err)) == normalised(run["output"]), f"run {number}: line for line"
    assert 'DEBUG: Data for the following log streams will be removed from cloudwatch_logs: "{\'s3-gone\'}"' \
        in golden["runs"][1]["output"]


# -- a subscriber whose user may not receive ------------------------------------------------------------------

def denied_subscriber(debug: int, moto: str, tmp_path: Path,
                      monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, Any], DoctorHome, int]:
    """The recorded run at ``debug``, a home whose root is the golden's IAM user (moto checking signatures from
    here on) and the subscriber's line, because the check and the pass replay the same recording."""
    golden = load("subscriber_receive_denied")
    (run,) = [run for run in golden["runs"] if run["arguments"][-1] == str(debug)]
    seed = golden["seed"]
    created = seed_receive_denied(admin_client(moto), admin_client(moto, "sqs"), admin_client(moto, "iam"), seed)
    credentials = (f"[default]\naws_access_key_id = {created['AccessKeyId']}\n"
                   f"aws_secret_access_key = {created['SecretAccessKey']}\n")
    conf = ossec_conf(f"    <subscriber type=\"buckets\">\n      <sqs_name>{seed['queue']}</sqs_name>\n"
                      "    </subscriber>\n")
    home = make_home(tmp_path, monkeypatch, conf, credentials=credentials, config=None)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    enable_auth(moto)
    return run, home, block_line(conf, "<subscriber")


@pytest.mark.parametrize("debug", [0, 1, 2])
def test_check_predicts_the_subscribers_receive_exit_and_lines(debug: int, moto: str, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    run, home, line = denied_subscriber(debug, moto, tmp_path, monkeypatch)
    (home.wazuh_home / "etc" / "local_internal_options.conf").write_text(f"wazuh_modules.debug={debug}\n")
    code, out, _err = run_cli(capsys, "check", *home.common(moto), "--block", str(line),
                              "--format", "json")
    findings = json.loads(out)["findings"]
    errors = [finding for finding in findings if finding["status"] == "error"]
    assert code == 2 and errors, "a subscriber the module cannot read is never ok"
    first = errors[0]
    assert (first["failure_id"], first["wazuh_exit_code"]) == ("queue.receive_denied", run["exit_code"])
    module_error = [line for line in run["output"] if "Error receiving message from SQS" in line]
    said = [line for line in first["ossec_log"] if "ReceiveMessage" in line]
    if debug == 0:
        assert module_error == [] and said == [], "at debug 0 the module prints nothing, only its exit code"
        assert any(line.endswith("Returned exit code 21") for line in first["ossec_log"])
        return
    (recorded,) = module_error
    head = recorded.split("An error occurred (", 1)[0] + "An error occurred ("
    assert any(f"OUTPUT: {head}" in line and "when calling the ReceiveMessage operation: " in line
               for line in said), "the script's own line, as wazuh-modulesd logs its output"


# -- a Security Lake object that is not Parquet ---------------------------------------------------------------

@pytest.mark.parametrize("run_index", [0, 1])
def test_security_lake_object_that_is_not_parquet_stops_as_the_module(run_index: int, moto: str, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """No error_msg event (the subscriber has no handler for it): exit 1 and 'Unknown error' at debug 2, 12 at
    debug 0, the module's lines word for word (but the queue's message, which we never receive)."""
    golden = load("subscriber_security_lake_not_parquet")
    seed, run = golden["seed"], golden["runs"][run_index]
    s3, sqs, iam = admin_client(moto), admin_client(moto, "sqs"), admin_client(moto, "iam")
    s3.create_bucket(Bucket=seed["bucket"])
    s3.put_object(Bucket=seed["bucket"], Key=seed["key"], Body=seed["body_text"].encode())
    role = seed["role"].rsplit("/", 1)[1]
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}))
    iam.put_role_policy(RoleName=role, PolicyName="read", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["sqs:*", "s3:GetObject",
                                                                            "s3:ListBucket"], "Resource": "*"}]}))
    url = sqs.create_queue(QueueName=seed["queue"])["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps(
        {"detail": {"bucket": {"name": seed["bucket"]}, "object": {"key": seed["key"]}}}))
    conf = ossec_conf(f"    <subscriber type=\"security_lake\">\n      <sqs_name>{seed['queue']}</sqs_name>\n"
                      f"      <iam_role_arn>{seed['role']}</iam_role_arn>\n"
                      f"      <external_id>{seed['external_id']}</external_id>\n    </subscriber>\n")
    home = make_home(tmp_path, monkeypatch, conf, config=None)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    debug = run["arguments"][run["arguments"].index("--debug") + 1]
    events = tmp_path / "events.txt"
    code, _out, err = run_cli(capsys, "ingest", *home.common(moto), "--block", str(block_line(conf, "<subscriber")),
                              "--bucket", seed["bucket"], "--debug", debug, "--events-out", str(events))
    assert (code, run["datagrams"]) == (run["exit_code"], [])
    assert not events.exists() or events.read_text() == ""
    def comparable(lines: list[str]) -> list[str]:
        return [line.replace(moto, "{endpoint}") for line in lines if not line.startswith("DEBUG: The message is: ")]
    assert comparable(module_lines(err)) == comparable(run["output"])


@pytest.mark.parametrize("debug", [0, 1, 2])
def test_subscriber_pass_stops_at_the_denied_receive_as_the_module(debug: int, moto: str, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """``ingest --block`` on the subscriber: exit 21, no event, the module's lines; AWS's own words after
    'An error occurred (' are only known by receiving, which the pass never does, so they are not compared."""
    run, home, line = denied_subscriber(debug, moto, tmp_path, monkeypatch)
    events = tmp_path / "events.txt"
    code, _out, err = run_cli(capsys, "ingest", *home.common(moto), "--block", str(line),
                              "--debug", str(debug), "--events-out", str(events))
    assert (code, run["datagrams"]) == (run["exit_code"], [])
    assert not events.exists() or events.read_text() == ""

    def comparable(lines: list[str]) -> list[str]:
        kept = [line.replace(moto, "{endpoint}").split("An error occurred (", 1)[0] for line in lines]
        return [line for line in kept if not line.startswith("<ErrorResponse>")]  # moto's XML body, line 2
    assert comparable(module_lines(err)) == comparable(run["output"])
