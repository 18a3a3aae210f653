"""Record what Wazuh's own aws-s3 script does on service and subscriber scenarios that need work between runs.

Scenarios: ``second_run_cloudwatch`` (a first and a second CloudWatch Logs run on the same ``aws_services.db``,
with events put, a stream created and a stream deleted in between; not named ``cloudwatch_*``, which the
single-run goldens' tests collect) and
``subscriber_receive_denied`` (a ``buckets`` subscriber whose IAM user may look the queue up but not receive
from it, with moto's signature checks on, at debug 0, 1 and 2). Each is written as ``golden.json`` under
``module_<version>/<name>/`` with the seed, the work between runs, the script's arguments per run, its exit
codes, datagrams and stdout lines (the moto endpoint as ``{endpoint}``). Run it with the module oracle's venv
and a Wazuh source tree (CI never runs it)::

    /tmp/oracle/venv/bin/python -m tests.goldens.record_services --wazuh-src /tmp/oracle/wazuh \
        --oracle ../shared/tools/module-oracle [--only NAME ...]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.goldens.record_module import HERE, load_oracle, python_version

ONLY_LOGS_AFTER = "2026-DEC-01"
GROUP = "app-logs"
CLOUDWATCH_SEED: dict[str, list[str]] = {
    "s1": [json.dumps({"stream": "s1", "n": 1}), json.dumps({"stream": "s1", "n": 2})],
    "s2": [json.dumps({"stream": "s2", "n": 1})],
    "s3-gone": [json.dumps({"stream": "s3-gone", "n": 1})],
}
"""Streams of ``app-logs`` (us-east-1) and their messages, oldest first, before the first run."""
CLOUDWATCH_BETWEEN: dict[str, Any] = {
    "delete_streams": ["s3-gone"],
    "put": {"s2": [json.dumps({"stream": "s2", "n": 2})],
            "s4-new": [json.dumps({"stream": "s4-new", "n": 1}), json.dumps({"stream": "s4-new", "n": 2})]},
}
"""What changes between the runs: a stream deleted (its row is purged), an event put in s2, a new stream."""
CLOUDWATCH_ARGS = ["--service", "cloudwatchlogs", "--aws_log_groups", GROUP, "--regions", "us-east-1",
                   "--only_logs_after", ONLY_LOGS_AFTER]

SUBSCRIBER_SEED: dict[str, Any] = {
    "bucket": "sub-logs", "key": "2026/12/04/app.json", "body_lines": [{"source": "app", "n": 1}],
    "queue": "wazuh-sub", "visibility_timeout": 1, "notification": "s3:ObjectCreated:* -> wazuh-sub",
    "user": "sub-no-receive",
    "user_policy": ["sqs:GetQueueUrl", "sqs:GetQueueAttributes", "s3:GetObject", "s3:ListBucket",
                    "sts:GetCallerIdentity", "iam:GetUser", "iam:ListUserPolicies", "iam:GetUserPolicy",
                    "iam:ListAttachedUserPolicies", "iam:SimulatePrincipalPolicy"],
}
"""A notified bucket whose module user may look the queue up and read the bucket but not receive (and may
read its own IAM policies, which the module never asks for, so the doctor can find that out)."""
SUBSCRIBER_DEBUGS = (0, 1, 2)


def put_events(logs: Any, stream: str, messages: list[str], first: int, create: bool) -> None:
    """``messages`` into ``stream`` of the group, one second apart from ``first`` (epoch milliseconds)."""
    if create:
        logs.create_log_stream(logGroupName=GROUP, logStreamName=stream)
    logs.put_log_events(logGroupName=GROUP, logStreamName=stream, logEvents=[
        {"timestamp": first + 1000 * index, "message": message} for index, message in enumerate(messages)])


def after_first_run(rows: list[list[Any]]) -> int:
    """The first timestamp of the events put between runs: a second after the latest ``end_time`` saved,
    so the second run's ``start_time`` (that end_time + 1) lets them through whatever the clock did."""
    column = rows[0].index("end_time")
    return max(int(row[column]) for row in rows[1:]) + 1000


def services_rows(db: Path) -> dict[str, list[list[Any]]]:
    """The rows of ``aws_services.db`` (the CloudWatch table), header first."""
    if not db.exists():
        return {}
    with sqlite3.connect(db) as connection:
        names = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        tables: dict[str, list[list[Any]]] = {}
        for name in names:
            width = len(connection.execute(f"PRAGMA table_info({name})").fetchall())
            order = ", ".join(str(number) for number in range(1, width + 1))
            cursor = connection.execute(f"SELECT * FROM {name} ORDER BY {order}")
            tables[name] = [[column[0] for column in cursor.description], *[list(row) for row in cursor]]
    connection.close()
    return tables


class Session:
    """One throw-away fake Wazuh home and moto server, and the runs made in it."""

    def __init__(self, oracle: Any, src: Path, python: str) -> None:
        self.oracle, self.python = oracle, python
        self.work = Path(tempfile.mkdtemp(prefix="golden-services-"))
        self.home = self.work / "ossec"
        self.version = oracle.prepare_home(str(src), str(self.home))
        self.pid, self.endpoint = oracle.start_moto(str(self.work))
        self.runs = 0

    def client(self, service: str, key: str | None = None, secret: str | None = None) -> Any:
        return self.oracle.boto_client(service, self.endpoint, key=key or "testing", secret=secret or "testing")

    def keys(self, key: str, secret: str) -> None:
        self.oracle.write_aws_home(str(self.home / "fakehome"), {"default": (key, secret)})

    def run(self, arguments: list[str]) -> dict[str, Any]:
        """The script once with ``arguments``; its exit code, datagrams, stdout lines and services rows."""
        self.runs += 1
        capture = self.work / f"run{self.runs}"
        argv = [self.python, str(self.home / "wodles" / "aws" / "aws_s3.py"), *arguments]
        result = self.oracle.run_measured(argv, self.oracle.module_env(str(self.home), self.endpoint), str(capture),
                                          str(self.home / "queue" / "sockets" / "queue"))
        datagrams = [json.loads(line)["msg"] for line in (capture / "messages.jsonl").read_text().splitlines()]
        output = (capture / "stdout.log").read_text().replace(self.endpoint, "{endpoint}").splitlines()
        stderr = (capture / "stderr.log").read_text().replace(self.endpoint, "{endpoint}")
        return {"arguments": arguments, "exit_code": result["rc"], "datagrams": datagrams, "output": output,
                "stderr_tail": stderr.splitlines()[-1:] if stderr else [],
                "state": services_rows(self.home / "wodles" / "aws" / "aws_services.db")}

    def close(self) -> None:
        self.oracle.stop_pid(self.pid)
        shutil.rmtree(self.work, ignore_errors=True)


def second_run_cloudwatch(session: Session) -> dict[str, Any]:
    session.keys(session.oracle.ACCESS_KEY, session.oracle.SECRET_KEY)
    logs = session.oracle.boto3_client_region("logs", session.endpoint, "us-east-1")
    logs.create_log_group(logGroupName=GROUP)
    now = int(time.time() * 1000) - 60_000
    for stream, messages in CLOUDWATCH_SEED.items():
        put_events(logs, stream, messages, now - 1000 * len(messages), create=True)
    first = session.run([*CLOUDWATCH_ARGS, "--debug", "2"])
    for stream in CLOUDWATCH_BETWEEN["delete_streams"]:
        logs.delete_log_stream(logGroupName=GROUP, logStreamName=stream)
    later = after_first_run(first["state"]["cloudwatch_logs"])
    for stream, messages in CLOUDWATCH_BETWEEN["put"].items():
        put_events(logs, stream, messages, later, create=stream not in CLOUDWATCH_SEED)
    second = session.run([*CLOUDWATCH_ARGS, "--debug", "2"])
    return {
        "note": "Two runs on the same aws_services.db. Between them s3-gone is deleted (the second run's purge "
                "drops its row and names it at debug 2), one event is put in s2 and a stream s4-new is "
                "created with two events, all stamped from a second after the first run's saved end_time. "
                "moto answers s2's saved forward token as an index into the events after startTime (AWS: a "
                "position in the stream), so the event put in s2 is not returned and not sent. "
                "Timestamps are the recording's clock (13-digit milliseconds; only "
                "only_logs_after, 1796083200000, is the same in every recording).",
        "seed": {"region": "us-east-1", "log_group": GROUP, "streams": CLOUDWATCH_SEED},
        "between_runs": CLOUDWATCH_BETWEEN,
        "aws_home": {"credentials": "[default]", "config": None},
        "runs": [first, second],
    }


def seed_receive_denied(s3: Any, sqs: Any, iam: Any, seed: dict[str, Any]) -> dict[str, str]:
    """The notified bucket and its object, the queue S3 may send to, and an IAM user that may look the queue up but
    not receive; returns the user's new access key, because the recording and the test replaying it seed alike."""
    s3.create_bucket(Bucket=seed["bucket"])
    arn = f"arn:aws:sqs:us-east-1:123456789012:{seed['queue']}"
    policy = {"Version": "2012-10-17", "Statement": [{
        "Sid": "s3-sends", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
        "Action": "sqs:SendMessage", "Resource": arn,
        "Condition": {"ArnLike": {"aws:SourceArn": f"arn:aws:s3:::{seed['bucket']}"}}}]}
    sqs.create_queue(QueueName=seed["queue"], Attributes={"VisibilityTimeout": str(seed["visibility_timeout"]),
                                                           "Policy": json.dumps(policy)})
    s3.put_bucket_notification_configuration(Bucket=seed["bucket"], NotificationConfiguration={
        "QueueConfigurations": [{"QueueArn": arn, "Events": ["s3:ObjectCreated:*"]}]})
    body = "".join(json.dumps(line) + "\n" for line in seed["body_lines"])
    s3.put_object(Bucket=seed["bucket"], Key=seed["key"], Body=body.encode())
    iam.create_user(UserName=seed["user"])
    iam.put_user_policy(UserName=seed["user"], PolicyName="no-receive", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": seed["user_policy"],
                                                 "Resource": "*"}]}))
    created: dict[str, str] = iam.create_access_key(UserName=seed["user"])["AccessKey"]
    return created


def subscriber_receive_denied(session: Session) -> dict[str, Any]:
    seed = SUBSCRIBER_SEED
    created = seed_receive_denied(session.client("s3"), session.client("sqs"), session.client("iam"), seed)
    session.keys(created["AccessKeyId"], created["SecretAccessKey"])
    os.kill(session.pid, signal.SIGUSR1)  # moto checks signatures and IAM from here on
    runs = [session.run(["--subscriber", "buckets", "--queue", seed["queue"], "--debug", str(debug)])
            for debug in SUBSCRIBER_DEBUGS]
    return {
        "note": "The user may look the queue up (GetQueueUrl) but not receive from it: the script stops at its "
                "first ReceiveMessage with exit 21 at every debug level and prints the error only from "
                "debug 1 on. Nothing is received, so the message stays in the queue.",
        "seed": seed, "aws_home": {"credentials": "[default] of the IAM user above (keys not stored)",
                                   "config": None},
        "runs": runs,
    }


LAKE_SEED: dict[str, Any] = {
    "bucket": "lake-bucket", "queue": "lake-queue", "visibility_timeout": 0,
    "role": "arn:aws:iam::123456789012:role/lake-reader", "external_id": "wazuh-ext",
    "key": "ext/CLOUD_TRAIL_MGMT/2.0/region=us-east-1/accountId=123456789012/eventDay=20261204/broken.gz.parquet",
    "body_text": '{"not": "parquet"}\n',
    "message": "EventBridge shape: {detail: {bucket: {name}, object: {key}}}, sent by hand",
}
"""A Security Lake queue whose message names an object that is not Parquet (a JSON line)."""
LAKE_DEBUGS = (2, 0)


def security_lake_not_parquet(session: Session) -> dict[str, Any]:
    seed = LAKE_SEED
    s3, sqs, iam = session.client("s3"), session.client("sqs"), session.client("iam")
    session.keys(session.oracle.ACCESS_KEY, session.oracle.SECRET_KEY)
    s3.create_bucket(Bucket=seed["bucket"])
    s3.put_object(Bucket=seed["bucket"], Key=seed["key"], Body=seed["body_text"].encode())
    iam.create_role(RoleName="lake-reader", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"},
                                                "Action": "sts:AssumeRole"}]}))
    url = sqs.create_queue(QueueName=seed["queue"],
                           Attributes={"VisibilityTimeout": str(seed["visibility_timeout"])})["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps(
        {"detail": {"bucket": {"name": seed["bucket"]}, "object": {"key": seed["key"]}}}))
    arguments = ["--subscriber", "security_lake", "--queue", seed["queue"], "--iam_role_arn", seed["role"],
                 "--external_id", seed["external_id"]]
    runs = [session.run([*arguments, "--debug", str(debug)]) for debug in LAKE_DEBUGS]
    return {
        "note": "A Security Lake object that is not Parquet: pyarrow's ParquetFile raises inside the subscriber, "
                "which has no handler for it (skip_on_error is not consulted, no error_msg event is built), so "
                "main()'s catch-all ends the run: the exception propagates at debug >= 1 (exit 1, 'Unknown "
                "error', traceback on stderr), exit 12 with its ERROR line at debug 0. The message is never "
                "deleted, so every run stops on it again.",
        "seed": seed, "aws_home": {"credentials": "[default]", "config": None},
        "runs": runs,
    }


RECORDERS: dict[str, Callable[[Session], dict[str, Any]]] = {
    "second_run_cloudwatch": second_run_cloudwatch,
    "subscriber_receive_denied": subscriber_receive_denied,
    "subscriber_security_lake_not_parquet": security_lake_not_parquet,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--wazuh-src", type=Path, required=True)
    parser.add_argument("--oracle", type=Path, required=True)
    parser.add_argument("--python", default=sys.executable, help="the Python that runs Wazuh's script")
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args()
    oracle = load_oracle(args.oracle.resolve())
    for name, recorder in RECORDERS.items():
        if args.only and name not in args.only:
            continue
        session = Session(oracle, args.wazuh_src.resolve(), args.python)
        try:
            golden = recorder(session)
        finally:
            session.close()
        version = session.version
        golden = {"recorded_with": {
            "module": f"wazuh/wazuh {version} wodles/aws/aws_s3.py (unmodified)",
            "python": python_version(args.python),
            "harness": "shared/tools/module-oracle (start_moto, prepare_home, run_measured), moto on 127.0.0.1",
            "rerecord": f"python -m tests.goldens.record_services --wazuh-src <tree> --oracle <module-oracle> "
                        f"--only {name}"}, **golden}
        target = HERE / f"module_{version.lstrip('v').replace('.', '_')}" / name
        target.mkdir(parents=True, exist_ok=True)
        (target / "golden.json").write_text(json.dumps(golden, indent=1) + "\n")
        print(f"{name}: " + ", ".join(f"exit {run['exit_code']} ({len(run['datagrams'])} events)"
                                      for run in golden["runs"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
