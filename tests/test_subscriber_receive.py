"""The explicit opt-in that receives a subscriber queue's messages: warned first, refused without consent, and,
with it, received with VisibilityTimeout=0 and never deleted (every request recorded by the loopback proxy)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import admin_client
from tests.fault_proxy import FaultProxy, fault_proxy
from tests.hardening_support import DoctorHome, make_home, ossec_conf, run_cli
from tests.test_subscriber_pass import notified_bucket, put_in_order

CONF = ossec_conf('    <subscriber type="buckets">\n      <sqs_name>rx-queue</sqs_name>\n    </subscriber>\n')
LINE = CONF.splitlines().index('    <subscriber type="buckets">') + 1
NEVER = frozenset({"DeleteMessage", "DeleteMessageBatch", "ChangeMessageVisibility", "ChangeMessageVisibilityBatch",
                   "PurgeQueue", "SendMessage"})
"""What the opt-in must never send: it only receives."""


@pytest.fixture
def proxy(moto: str) -> Iterator[FaultProxy]:
    with fault_proxy(moto) as running:
        yield running


@pytest.fixture
def home(moto: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DoctorHome:
    home = make_home(tmp_path, monkeypatch, CONF)
    notified_bucket(moto, "rx-source", "rx-queue", redrive=("rx-dlq", 5))
    put_in_order(moto, "rx-source", {"2026/12/04/a.json": b'{"n": 1}', "2026/12/04/b.json": b'{"n": 2}{"n": 3}'})
    return home


def waiting(endpoint: str) -> tuple[str, str]:
    sqs = admin_client(endpoint, "sqs")
    url = sqs.get_queue_url(QueueName="rx-queue")["QueueUrl"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    return attributes["ApproximateNumberOfMessages"], attributes["ApproximateNumberOfMessagesNotVisible"]


def test_without_consent_it_warns_and_receives_nothing(home: DoctorHome, proxy: FaultProxy,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "ingest", *home.common(proxy.url), "--block", str(LINE), "--receive-messages", "3")
    assert code == 64
    text = " ".join(err.split())
    assert "Receiving 3 message(s) from rx-queue raises each one's receive count" in text
    assert "moves a message to rx-dlq after 5 receives" in text
    assert "add --yes-i-understand-receive-count to go ahead" in text
    assert "ReceiveMessage" not in proxy.operations()
    assert not set(proxy.operations()) & NEVER


def test_with_consent_it_receives_without_deleting_and_sends_what_the_pass_sends(
        home: DoctorHome, proxy: FaultProxy, moto: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = waiting(moto)
    assert int(before[0]) >= 2 and before[1] == "0"
    received = tmp_path / "received.jsonl"
    code, _, err = run_cli(capsys, "ingest", *home.common(proxy.url), "--block", str(LINE), "--receive-messages",
                           "10", "--yes-i-understand-receive-count", "--events-out", str(received))
    assert code == 0, err[-2000:]
    operations = proxy.operations()
    assert "ReceiveMessage" in operations
    assert not set(operations) & NEVER, "nothing deleted, no visibility changed"
    receives = [request for request in proxy.requests if request.operation == "ReceiveMessage"]
    assert receives and all(request.path in ("", "/") for request in receives)
    assert waiting(moto) == before, "VisibilityTimeout=0: every message is visible again at once"
    assert "DEBUG: The message is: {'Records': [{" in err, "the real notifications, as the module prints them"
    assert "Received" in err and "none deleted" in err
    read_only = tmp_path / "read-only.jsonl"
    code, _, _ = run_cli(capsys, "ingest", *home.common(moto), "--block", str(LINE), "--events-out", str(read_only))
    assert code == 0
    assert sorted(received.read_text().splitlines()) == sorted(read_only.read_text().splitlines())
    assert len(received.read_text().splitlines()) == 3


def test_a_received_key_with_a_space_stops_the_run_as_the_module_does(
        home: DoctorHome, proxy: FaultProxy, moto: str, capsys: pytest.CaptureFixture[str]) -> None:
    admin_client(moto).put_object(Bucket="rx-source", Key="2026/12/04/c d.json", Body=b'{"n": 4}')
    code, out, err = run_cli(capsys, "ingest", *home.common(proxy.url), "--block", str(LINE), "--receive-messages",
                             "10", "--yes-i-understand-receive-count", "--debug", "0")
    assert code == 12
    assert "ERROR: An error occurred (NoSuchKey) when calling the GetObject operation" in err
    assert "2026/12/04/c d.json (asked for as 2026/12/04/c+d.json): the run stops here" in out
    assert not set(proxy.operations()) & NEVER


def test_messages_one_receive_from_the_dead_letter_queue_are_named(
        home: DoctorHome, moto: str, capsys: pytest.CaptureFixture[str]) -> None:
    sqs = admin_client(moto, "sqs")
    url = sqs.get_queue_url(QueueName="rx-queue")["QueueUrl"]
    for _ in range(3):  # three earlier receives (failed runs): ours is the fourth, one short of maxReceiveCount 5
        sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0)
    code, _, err = run_cli(capsys, "ingest", *home.common(moto), "--block", str(LINE), "--receive-messages", "10",
                           "--yes-i-understand-receive-count")
    assert code == 0
    text = " ".join(err.split())
    assert "the highest receive count among them is now 4" in text
    assert "of them are within one receive of maxReceiveCount 5: the next receive moves them to rx-dlq" in text


def test_receive_messages_on_a_bucket_block_is_refused_not_ignored(moto: str, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    conf = ossec_conf('    <bucket type="cloudtrail">\n      <name>rx-trail</name>\n    </bucket>\n')
    bucket_home = make_home(tmp_path, monkeypatch, conf)
    line = conf.splitlines().index('    <bucket type="cloudtrail">') + 1
    code, _, err = run_cli(capsys, "ingest", *bucket_home.common(moto), "--block", str(line),
                           "--receive-messages", "3", "--yes-i-understand-receive-count")
    assert code == 64
    assert "--receive-messages works only on a <subscriber> block" in err
