"""The read-only subscriber pass against moto, judged by recorded runs of the real module (4.14.7).

Each test seeds the objects a golden's seed describes into a bucket that notifies a queue, runs the pass at the
golden's debug level, and compares the datagrams, the exit code and the module's lines. The notification lines
(``The message is: ...``) are left out of the recordings (they carry times and request ids), so they are left
out of the comparison too.
"""

from __future__ import annotations

import base64
import gzip
import json
import re
import time
from pathlib import Path
from typing import Any

import pytest

from diagnostics.context import context_from_environment
from diagnostics.findings import SourceLocation, Status
from diagnostics.ingest.subscriber_pass import NotificationRoute, routes_to_queue
from diagnostics.subscriber_pass_session import SubscriberPassOptions, SubscriberPassResult, run_subscriber_pass
from diagnostics.wazuh.wodle import Block, Option
from tests.conftest import admin_client
from tests.hardening_support import DoctorHome, make_home, ossec_conf, run_cli

GOLDENS = Path(__file__).parent / "goldens" / "module_4_14_7"
ACCOUNT = "123456789012"
NOT_RECORDED = ("DEBUG: The message is: ", "DEBUG: Processed message ", "DEBUG: The raw message is: ")
"""Lines that vary between runs (times, message and request ids) or that some recordings leave out: each
notification and each ReceiveMessage response as Python prints them."""


def golden(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((GOLDENS / name / "golden.json").read_text())
    return loaded


def queue_arn(queue: str) -> str:
    return f"arn:aws:sqs:us-east-1:{ACCOUNT}:{queue}"


def notified_bucket(endpoint: str, bucket: str, queue: str, *, redrive: tuple[str, int] | None = None,
                    filters: dict[str, str] | None = None) -> str:
    """A bucket whose object-created events go to the queue (the policy names the bucket); the queue's URL."""
    s3, sqs = admin_client(endpoint, "s3"), admin_client(endpoint, "sqs")
    s3.create_bucket(Bucket=bucket)
    policy = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "sqs:SendMessage",
        "Resource": queue_arn(queue), "Condition": {"ArnLike": {"aws:SourceArn": f"arn:aws:s3:::{bucket}"}}}]}
    attributes = {"Policy": json.dumps(policy), "VisibilityTimeout": "45"}
    if redrive is not None:
        sqs.create_queue(QueueName=redrive[0])
        attributes["RedrivePolicy"] = json.dumps({"deadLetterTargetArn": queue_arn(redrive[0]),
                                                  "maxReceiveCount": redrive[1]})
    url: str = sqs.create_queue(QueueName=queue, Attributes=attributes)["QueueUrl"]
    route: dict[str, Any] = {"QueueArn": queue_arn(queue), "Events": ["s3:ObjectCreated:*"]}
    if filters:
        route["Filter"] = {"Key": {"FilterRules": [{"Name": name, "Value": value}
                                                   for name, value in filters.items()]}}
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={
        "QueueConfigurations": [route]})
    return url


def put_in_order(endpoint: str, bucket: str, objects: dict[str, bytes]) -> None:
    """The objects one second apart, so LastModified (whole seconds) orders them as they were written."""
    s3 = admin_client(endpoint)
    for index, (key, body) in enumerate(objects.items()):
        if index:
            time.sleep(1.05)
        s3.put_object(Bucket=bucket, Key=key, Body=body)


def seeded_bodies(recorded: dict[str, Any]) -> dict[str, bytes]:
    return {key: gzip.compress(spec["text"].encode(), mtime=0) if key.endswith(".gz") else spec["text"].encode()
            for key, spec in recorded["seed"]["objects"].items()}


@pytest.fixture
def module_home(moto: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A module home with keys and no ~/.aws/config (as the recordings ran), the region from the environment."""
    home = make_home(tmp_path, monkeypatch, ossec_conf(), config=None)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    return home.wazuh_home


def subscriber(kind: str, queue: str, **options: str) -> Block:
    values = {"sqs_name": queue, **options}
    return Block("subscriber", kind, SourceLocation("/var/ossec/etc/ossec.conf", 30),
                 {name: Option(name, value, 31 + index) for index, (name, value) in enumerate(values.items())})


def run_pass(endpoint: str, wazuh_home: Path, block: Block, debug_level: int,
             **options: Any) -> tuple[SubscriberPassResult, list[str], list[str]]:
    context = context_from_environment(None, str(wazuh_home), endpoint)
    lines: list[str] = []
    sent: list[str] = []
    result = run_subscriber_pass(context, block, None, SubscriberPassOptions(debug_level=debug_level, **options),
                                 emit_line=lines.append, send=sent.append)
    return result, lines, sent


def comparable(lines: list[str]) -> list[str]:
    """The lines as recorded: no notification lines, the queue's URL without its port."""
    return [re.sub(r"http://127\.0\.0\.1:\d+/", "http://127.0.0.1:PORT/", line) for line in lines
            if not line.startswith(NOT_RECORDED)]


def assert_ran_as_recorded(recorded: dict[str, Any], result: SubscriberPassResult, lines: list[str], sent: list[str],
                           exit_code: int, *, exact: bool = False) -> None:
    """The pass sent, exited and printed as the module did in the recording (``exact``: every line to the letter,
    else as ``comparable`` sees them), because each replay test first proves that before its own point."""
    assert sent == recorded["datagrams"]
    assert result.exit_code == recorded["exit_code"] == exit_code
    if exact:
        assert lines == recorded["output"]
    else:
        assert comparable(lines) == comparable(recorded["output"])


def user_home(moto: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, actions: list[str]) -> DoctorHome:
    """A home whose root is a new IAM user allowed only ``actions``, with moto checking signatures from here on,
    because the denied receive and delete replays must meet the module's refusals."""
    from tests.conftest import enable_auth
    from tests.test_queue_access import user_session

    user, _ = user_session(moto, actions)
    credentials = user.get_credentials()
    home = make_home(tmp_path, monkeypatch, ossec_conf(), config=None, credentials=(
        f"[default]\naws_access_key_id = {credentials.access_key}\n"
        f"aws_secret_access_key = {credentials.secret_key}\n"))
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    enable_auth(moto)
    return home


def test_every_object_format_as_the_module_ran_them(moto: str, module_home: Path) -> None:
    recorded = golden("subscriber_buckets_object_formats")
    notified_bucket(moto, "fmt-bucket", "fmt-queue")
    put_in_order(moto, "fmt-bucket", seeded_bodies(recorded))
    result, lines, sent = run_pass(moto, module_home, subscriber("buckets", "fmt-queue"), 2)
    assert_ran_as_recorded(recorded, result, lines, sent, 0)
    assert sum(line.startswith("DEBUG: The message is: {'Records': [{") for line in lines) == 6
    by_id = {finding.failure_id: finding for finding in result.findings}
    assert by_id["subscriber_pass.summary"].title == ("6 object(s) the queue would deliver: 12 event(s) sent, "
                                                      "0 dropped; the module exits 0")
    assert "order of their LastModified time" in by_id["subscriber_pass.summary"].explanation
    assert "2026/12/04/plain.log" in by_id["queue.object_mangled"].title


def test_debug_3_lines_as_the_module_printed_them(moto: str, module_home: Path) -> None:
    recorded = golden("subscriber_buckets_debug3")
    seed = recorded["seed"]
    notified_bucket(moto, seed["bucket"], seed["queue"])
    put_in_order(moto, seed["bucket"], seeded_bodies(recorded))
    result, lines, sent = run_pass(moto, module_home, subscriber("buckets", seed["queue"]), 3)
    assert_ran_as_recorded(recorded, result, lines, sent, 0)
    raw = "DEBUG: The raw message is: "
    assert sum(line.startswith(raw) for line in lines) == sum(line.startswith(raw) for line in recorded["output"]) \
        == 2, "one per receive: the batch, then the empty one that ends the run"
    dropped = next(finding for finding in result.findings if finding.failure_id == "queue.object_none_dropped")
    assert dropped.title == "1 line(s) of logs/b.log will be dropped: they start with 'None'"


def test_a_key_with_a_space_stops_the_run_and_its_message_comes_back(moto: str, module_home: Path) -> None:
    recorded = golden("subscriber_buckets_key_with_space")
    notified_bucket(moto, "space-bucket", "space-queue", redrive=("space-dlq", 3))
    put_in_order(moto, "space-bucket", {"2026/12/04/a first.json": b'{"n": 0}', **seeded_bodies(recorded)})
    result, lines, sent = run_pass(moto, module_home, subscriber("buckets", "space-queue"), 0)
    assert_ran_as_recorded(recorded, result, lines, sent, 12, exact=True)
    assert sent == []
    assert result.run is not None and result.run.not_reached == 1
    by_id = {finding.failure_id: finding for finding in result.findings}
    assert by_id["queue.key_with_space"].wazuh_exit_code == 12
    stuck = by_id["subscriber_pass.stuck"]
    assert stuck.status is Status.ERROR and "2026/12/04/a first.json" in stuck.title
    assert "45 s visibility timeout" in stuck.explanation
    assert "after 3 receives SQS moves it to space-dlq" in stuck.explanation
    assert "1 object(s) after it" in stuck.explanation


def test_a_key_with_a_space_at_debug_2_is_the_modules_exit_1(moto: str, module_home: Path) -> None:
    notified_bucket(moto, "space-bucket", "space-queue")
    admin_client(moto).put_object(Bucket="space-bucket", Key="my file.json", Body=b"{}")
    result, lines, _ = run_pass(moto, module_home, subscriber("buckets", "space-queue"), 2)
    assert result.exit_code == 1
    error = "An error occurred (NoSuchKey) when calling the GetObject operation: The specified key does not exist."
    assert lines[-2:] == [f"DEBUG: +++ Error: {error}", f"ERROR: Unknown error: {error}"]


def test_security_hub_sends_only_the_first_finding_of_each_event(moto: str, module_home: Path) -> None:
    recorded = golden("subscriber_security_hub_first_finding_only")
    notified_bucket(moto, "hub-bucket2", "hub-queue2")
    put_in_order(moto, "hub-bucket2", seeded_bodies(recorded))
    result, lines, sent = run_pass(moto, module_home, subscriber("security_hub", "hub-queue2"), 1)
    assert_ran_as_recorded(recorded, result, lines, sent, 0, exact=True)
    lost = next(finding for finding in result.findings if finding.failure_id == "queue.findings_lost")
    assert lost.title.startswith("1 finding(s) of hub-stream-1-2026-12-04-10-00-00 will never reach Wazuh")


@pytest.mark.parametrize(("name", "debug_level"), [("subscriber_security_lake_parquet", 2),
                                                  ("subscriber_security_lake_debug3", 3)])
def test_security_lake_rows_as_the_module_sent_them(moto: str, module_home: Path, name: str,
                                                    debug_level: int) -> None:
    pytest.importorskip("pyarrow")
    recorded = golden(name)
    seed = recorded["seed"]
    queue = recorded["arguments"][recorded["arguments"].index("--queue") + 1]
    admin_client(moto, "s3").create_bucket(Bucket=seed["bucket"])
    admin_client(moto, "sqs").create_queue(QueueName=queue)
    admin_client(moto).put_object(Bucket=seed["bucket"], Key=seed["key"],
                                  Body=base64.b64decode(seed["parquet_base64"]))
    block = subscriber("security_lake", queue, iam_role_arn=f"arn:aws:iam::{ACCOUNT}:role/lake-reader",
                       external_id="wazuh-ext")
    result, lines, sent = run_pass(moto, module_home, block, debug_level, bucket=seed["bucket"])
    assert_ran_as_recorded(recorded, result, lines, sent, 0)


def test_security_lake_without_a_named_bucket_says_how_to_name_it(moto: str, module_home: Path) -> None:
    admin_client(moto, "sqs").create_queue(QueueName="lake-queue")
    block = subscriber("security_lake", "lake-queue", iam_role_arn=f"arn:aws:iam::{ACCOUNT}:role/lake-reader",
                       external_id="wazuh-ext")
    result, _, sent = run_pass(moto, module_home, block, 0)
    (finding,) = result.findings
    assert finding.failure_id == "subscriber_pass.no_source" and sent == []
    assert "ingest --block 30 --bucket BUCKET" in finding.fix


def test_the_notification_filters_limit_and_since_choose_the_objects(moto: str, module_home: Path) -> None:
    notified_bucket(moto, "filtered", "filtered-queue", filters={"prefix": "app/", "suffix": ".json"})
    put_in_order(moto, "filtered", {"app/1.json": b'{"n": 1}', "app/skip.txt": b"1 x", "other/2.json": b"{}",
                                    "app/3.json": b'{"n": 3}', "app/4.json": b'{"n": 4}'})
    result, _, sent = run_pass(moto, module_home, subscriber("buckets", "filtered-queue"), 0, limit=2)
    assert result.listing is not None and result.listing.matched == 3
    assert [item.key for item in result.listing.objects] == ["app/3.json", "app/4.json"], "newest two, oldest first"
    assert [json.loads(datagram.split(":", 2)[2])["aws"]["n"] for datagram in sent] == [3, 4]
    assert result.routes == (NotificationRoute(("s3:ObjectCreated:*",), "app/", ".json",
                                               result.routes[0].configuration_id),)
    later, _, sent = run_pass(moto, module_home, subscriber("buckets", "filtered-queue"), 0,
                              since=result.listing.objects[-1].modified)
    assert later.listing is not None and [item.key for item in later.listing.objects] == ["app/4.json"]


def test_a_bucket_that_notifies_another_queue_is_reported_not_read(moto: str, module_home: Path) -> None:
    notified_bucket(moto, "elsewhere", "other-queue")
    policy = {"Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": queue_arn("mine"),
                             "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::elsewhere"}}}]}
    admin_client(moto, "sqs").create_queue(QueueName="mine", Attributes={"Policy": json.dumps(policy)})
    admin_client(moto).put_object(Bucket="elsewhere", Key="a.json", Body=b"{}")
    result, _, sent = run_pass(moto, module_home, subscriber("buckets", "mine"), 0)
    assert [finding.failure_id for finding in result.findings] == ["subscriber_pass.no_route"] and sent == []
    assert queue_arn("other-queue") in result.findings[0].explanation


def test_routes_keep_only_object_created_events_to_the_queue() -> None:
    configuration = {"QueueConfigurations": [
        {"Id": "a", "QueueArn": queue_arn("q"), "Events": ["s3:ObjectRemoved:*"]},
        {"Id": "b", "QueueArn": queue_arn("q"), "Events": ["s3:ObjectCreated:Put"],
         "Filter": {"Key": {"FilterRules": [{"Name": "Suffix", "Value": ".gz"}]}}},
        {"Id": "c", "QueueArn": queue_arn("other"), "Events": ["s3:ObjectCreated:*"]}]}
    routes = routes_to_queue(configuration, queue_arn("q"))
    assert [route.configuration_id for route in routes] == ["a", "b"]
    assert not routes[0].admits("x.gz") and routes[1].admits("x.gz") and not routes[1].admits("x.json")


def test_ingest_block_on_a_subscriber_writes_the_datagrams_and_exits_as_the_module(
        moto: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    conf = ossec_conf("    <subscriber type=\"buckets\">\n      <sqs_name>cli-queue</sqs_name>\n    </subscriber>\n")
    home = make_home(tmp_path, monkeypatch, conf)
    notified_bucket(moto, "cli-bucket", "cli-queue")
    put_in_order(moto, "cli-bucket", {"2026/12/04/ok.json": b'{"n": 1}', "2026/12/04/bad key.json": b"{}"})
    events = tmp_path / "events.jsonl"
    line = conf.splitlines().index('    <subscriber type="buckets">') + 1
    code, out, err = run_cli(capsys, "ingest", *home.common(moto), "--block", str(line), "--debug", "0",
                             "--events-out", str(events), "--limit", "5")
    assert code == 12
    assert events.read_text() == ('1:Wazuh-AWS:{"integration": "aws", "aws": {"log_info": {"log_file": '
                                  '"2026/12/04/ok.json", "s3bucket": "cli-bucket"}, "n": 1, "source": "custom"}}\n')
    assert "ERROR: An error occurred (NoSuchKey) when calling the GetObject operation" in err
    assert "2026/12/04/bad key.json (asked for as 2026/12/04/bad+key.json): the run stops here" in out
    assert "not the queue's; nothing was received from the queue" in err
    code, out, err = run_cli(capsys, "ingest", *home.common(moto), "--block", str(line), "--debug", "0",
                             "--events-out", "-", "--envelopes", "--limit", "5")
    assert code == 12 and out.splitlines()[0] == ('{"integration": "aws", "aws": {"log_info": {"log_file": '
                                                  '"2026/12/04/ok.json", "s3bucket": "cli-bucket"}, "n": 1, '
                                                  '"source": "custom"}}'), "--envelopes: no 1:Wazuh-AWS: header"
    code, _, err = run_cli(capsys, "ingest", *home.common(moto), "--block", str(line), "--since", "yesterday")
    assert code == 64 and "--since 'yesterday' is not a date" in err


def test_a_denied_delete_sends_the_first_objects_events_then_exits_21(
        moto: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.test_queue_access import seed_notified_queue

    recorded = golden("subscriber_delete_denied")
    seed_notified_queue(moto, recorded["seed"])
    # iam:Get*/List* lets the doctor read the user's policies; the module never calls IAM, so the recorded
    # run with the same queue and S3 permissions still applies.
    home = user_home(moto, tmp_path, monkeypatch, [*recorded["seed"]["user_policy"], "iam:Get*", "iam:List*"])
    first = recorded["runs"][0]
    result, lines, sent = run_pass(moto, home.wazuh_home, subscriber("buckets", recorded["seed"]["queue"]), 2)
    assert sent == first["datagrams"]
    assert result.exit_code == first["exit_code"] == 21
    assert comparable(lines)[:-1] == comparable(first["output"])[:-2]
    assert lines[-1].startswith("DEBUG: ERROR: Error deleting message from SQS: An error occurred (")
    by_id = {finding.failure_id: finding for finding in result.findings}
    assert "again on every run" in by_id["queue.delete_denied"].explanation
    assert "2026/12/04/app.json" in by_id["subscriber_pass.stuck"].title
    quiet, lines, sent = run_pass(moto, home.wazuh_home, subscriber("buckets", recorded["seed"]["queue"]), 0)
    assert (quiet.exit_code, lines, sent) == (recorded["runs"][1]["exit_code"], recorded["runs"][1]["output"],
                                              recorded["runs"][1]["datagrams"])


def test_a_denied_receive_stops_the_run_before_any_object(moto: str, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.test_queue_access import seed_notified_queue

    seed = golden("subscriber_delete_denied")["seed"]
    seed_notified_queue(moto, seed)
    allowed = [action for action in seed["user_policy"] if action != "sqs:ReceiveMessage"]
    home = user_home(moto, tmp_path, monkeypatch, [*allowed, "sqs:DeleteMessage", "iam:Get*", "iam:List*"])
    result, lines, sent = run_pass(moto, home.wazuh_home, subscriber("buckets", seed["queue"]), 1)
    assert (result.exit_code, sent) == (21, [])
    assert lines == ["DEBUG: +++ Debug mode on - Level: 1",
                     "DEBUG: ERROR: Error receiving message from SQS: An error occurred (AccessDenied) when calling "
                     "the ReceiveMessage operation: <AWS's message>"]
    assert [finding.failure_id for finding in result.findings] == ["queue.receive_denied"]


def test_removal_events_routed_to_the_queue_are_reported_as_stopping_every_run(moto: str,
                                                                               module_home: Path) -> None:
    recorded = golden("subscriber_buckets_object_removed")
    assert recorded["exit_code"] == 1 and recorded["output"][-1].startswith("ERROR: Unknown error: An error "
                                                                             "occurred (NoSuchKey)")
    notified_bucket(moto, "rm-bucket", "rm-queue")
    s3 = admin_client(moto)
    s3.put_bucket_notification_configuration(Bucket="rm-bucket", NotificationConfiguration={"QueueConfigurations": [
        {"QueueArn": queue_arn("rm-queue"), "Events": ["s3:ObjectCreated:*", *recorded["seed"]["events"],
                                                       "s3:ObjectTagging:*"]}]})
    s3.put_object(Bucket="rm-bucket", Key="logs/kept.json", Body=b'{"a": 1}')
    result, _, sent = run_pass(moto, module_home, subscriber("buckets", "rm-queue"), 0)
    assert len(sent) == 1 and result.exit_code == 0, "the objects still there are read as usual"
    by_id = {finding.failure_id: finding for finding in result.findings}
    removed = by_id["subscriber_pass.removed_events"]
    assert removed.wazuh_exit_code == 12 and "s3:ObjectRemoved:*" in removed.title
    assert "s3:ObjectTagging:*" in by_id["subscriber_pass.repeat_events"].title


def test_ctrl_c_stops_the_cli_pass_after_the_current_object(
        moto: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import os
    import signal

    from tests.fault_proxy import Fault, fault_proxy

    conf = ossec_conf("    <subscriber type=\"buckets\">\n      <sqs_name>int-queue</sqs_name>\n    </subscriber>\n")
    home = make_home(tmp_path, monkeypatch, conf)
    notified_bucket(moto, "int-bucket", "int-queue")
    for index in range(3):
        admin_client(moto).put_object(Bucket="int-bucket", Key=f"{index}.json", Body=b'{"n": 1}')
    events = tmp_path / "events.jsonl"
    line = conf.splitlines().index('    <subscriber type="buckets">') + 1
    with fault_proxy(moto) as proxy:
        proxy.add(Fault("call", operation="GetObject", callback=lambda: os.kill(os.getpid(), signal.SIGINT)))
        code, _, err = run_cli(capsys, "ingest", *home.common(proxy.url), "--block", str(line), "--debug", "0",
                               "--events-out", str(events))
        assert proxy.count("GetObject") == 1, "no object read after Ctrl-C"
    assert code == 130
    assert "Stopping after the current object" in err
    assert "The subscriber pass was cancelled after 1 object(s)" in err
    assert len(events.read_text().splitlines()) == 1
