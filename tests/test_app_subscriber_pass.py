"""The subscriber pass from the app's Notified objects screen: p runs it, Escape cancels it between objects."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input

from diagnostics.configuration.loader import load_config
from diagnostics.context import context_from_environment
from diagnostics.findings import SourceLocation
from diagnostics.wazuh.wodle import Block, Option
from tests.conftest import admin_client
from tests.fault_proxy import Fault, FaultProxy, fault_proxy
from tests.hardening_support import make_home, ossec_conf, run_cli
from tests.screen_text import screen_lines
from tests.snapshot_apps.harness import ScreenHarness, wait_until
from tests.test_subscriber_pass import golden, notified_bucket, put_in_order
from tui.screens.notified_objects import NotifiedObjectsScreen


@pytest.fixture
def module_home(clean_aws_env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (clean_aws_env / ".aws" / "credentials").write_text(
        "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = doctor-secret\n")
    (clean_aws_env / ".aws" / "credentials").chmod(0o600)
    (clean_aws_env / ".aws" / "config").write_text("[default]\nregion = us-east-1\n")
    monkeypatch.setenv("WAZUH_AWS_DOCTOR_MODULE_HOME", str(clean_aws_env))
    return clean_aws_env


@pytest.fixture
def proxy(moto: str) -> Iterator[FaultProxy]:
    with fault_proxy(moto) as running:
        yield running


def shown(app: ScreenHarness) -> str:
    return "\n".join(screen_lines(app))


def screen(endpoint: str, tmp_path: Path) -> NotifiedObjectsScreen:
    context = context_from_environment(None, str(tmp_path / "ossec"), endpoint)
    block = Block("subscriber", "buckets", SourceLocation(str(tmp_path / "ossec.conf"), 12),
                  {"sqs_name": Option("sqs_name", "app-queue", 13)})
    return NotifiedObjectsScreen(context, block)


async def test_p_runs_the_pass_and_shows_the_exit_and_the_findings(moto: str, module_home: Path,
                                                                    tmp_path: Path) -> None:
    notified_bucket(moto, "app-source", "app-queue", redrive=("app-dlq", 4))
    put_in_order(moto, "app-source", {"2026/12/04/ok.json": b'{"n": 1}{"n": 2}', "2026/12/04/my file.json": b"{}"})
    app = ScreenHarness(lambda: screen(moto, tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: "2 newest object(s)" in shown(app))
        assert "p Run pass" in shown(app), "the footer names the key"
        await pilot.press("p")
        await wait_until(pilot, lambda: "Subscriber pass over 2 object(s)" in shown(app))
        text = shown(app)
        assert ("in LastModified order (not the queue's): 2 sent, 0 dropped; the module's exit code: 12"
                in " ".join(text.split())), "the summary line"
        assert "2026/12/04/ok.json: 2 sent, 0 dropped" in text
        assert "ERROR: An error occurred (NoSuchKey) when calling the GetObject" in text, "the module's line"
        app.screen.query_one("#next-run-findings").focus()
        await pilot.press("end")
        await wait_until(pilot, lambda: "The run stops at 2026/12/04/my file.json: its message is never deleted"
                         in shown(app))
        assert "until then every run stops at it" in " ".join(shown(app).split()), "the finding's fix"
        assert "doctor-secret" not in text


async def test_escape_cancels_the_pass_between_objects(proxy: FaultProxy, moto: str, module_home: Path,
                                                       tmp_path: Path) -> None:
    notified_bucket(moto, "app-source", "app-queue")
    for index in range(3):
        admin_client(moto).put_object(Bucket="app-source", Key=f"2026/12/04/{index}.json", Body=b'{"n": 1}')
    app = ScreenHarness(lambda: screen(proxy.url, tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: "Read as json: 1 event(s) sent" in shown(app))  # the highlighted object
        before = proxy.count("GetObject")
        proxy.add(Fault("slow", operation="GetObject", delay=3.0, times=1))  # the pass's first object
        await pilot.press("p")
        await wait_until(pilot, lambda: proxy.count("GetObject") > before and "Escape cancels" in shown(app))
        await pilot.press("escape")
        await wait_until(pilot, lambda: "cancelled (Escape) before the end" in " ".join(shown(app).split()))
        text = one_line(app)
        assert "The module's exit code" not in text and "the module exits ? (cancelled before the end)" in text
        app.screen.query_one("#next-run-findings").focus()
        await pilot.press("end")  # the cancelled finding follows the summary's
        await wait_until(pilot, lambda: "The subscriber pass was cancelled after 1 object(s)" in one_line(app))
        assert proxy.count("GetObject") == before + 1, "no object was read after Escape"
        assert "ReceiveMessage" not in proxy.operations()


LAKE = "aws-security-data-lake-us-east-1-x1y2z3"
LAKE_CONF = ossec_conf('    <subscriber type="security_lake">\n      <sqs_name>lake-queue</sqs_name>\n'
                       "    </subscriber>\n")


def one_line(app: ScreenHarness) -> str:
    return " ".join(shown(app).split())


async def test_security_lake_runs_over_the_bucket_listbuckets_suggests_as_the_cli_does(
        moto: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("pyarrow")
    seed = golden("subscriber_security_lake_parquet")["seed"]
    for bucket in ("aws-security-data-lake-eu-west-1-other", "app-elsewhere", LAKE):
        admin_client(moto).create_bucket(Bucket=bucket)
    admin_client(moto).put_object(Bucket=LAKE, Key=seed["key"], Body=base64.b64decode(seed["parquet_base64"]))
    admin_client(moto, "sqs").create_queue(QueueName="lake-queue")
    home = make_home(tmp_path, monkeypatch, LAKE_CONF)
    (wodle,) = load_config(home.conf).wodles
    (block,) = wodle.blocks
    context = context_from_environment(None, str(home.wazuh_home), moto)
    app = ScreenHarness(lambda: NotifiedObjectsScreen(context, block, wodle))
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_until(pilot, lambda: "bucket suggested by ListBuckets" in shown(app))
        assert (f"bucket suggested by ListBuckets (names starting aws-security-data-lake-): {LAKE}, "
                "aws-security-data-lake-eu-west-1-other") in shown(app), "the queue's region first, no other bucket"
        assert app.screen.query_one("#notified-bucket", Input).value == LAKE
        await wait_until(pilot, lambda: '1:Wazuh-AWS:{"class_uid": 3002' in shown(app))  # the object decoded
        assert "eventDay=" in shown(app) and "s3://" + LAKE + ": 1 newest object(s)" in one_line(app), "listed"
        await wait_until(pilot, lambda: "p Run pass" in shown(app))
        await pilot.press("p")
        await wait_until(pilot, lambda: "The same pass from the shell" in shown(app))
        text = one_line(app)
        assert "Subscriber pass over 1 object(s), in LastModified order (not the queue's): 2 sent" in text
        command = re.search(r"The same pass from the shell: wazuh-aws-doctor (ingest .*?--limit 50)", text)
        assert "\\n" not in text, "the command on its own line, not after a visible escape"
        assert command is not None and f"--bucket {LAKE}" in command.group(1)
    code, out, err = run_cli(capsys, *command.group(1).split(), *home.common(moto))  # outside the app's capture
    assert code == 0 and "2 event(s) sent, 0 dropped; the module's exit: 0" in err
    title = "1 object(s) the queue would deliver: 2 event(s) sent, 0 dropped; the module exits 0"
    assert title in " ".join((out + err).split()) and title in text, "the CLI and the app tell the same story"


async def test_the_newest_and_since_fields_choose_the_objects_and_a_bad_count_is_refused(
        moto: str, module_home: Path, tmp_path: Path) -> None:
    notified_bucket(moto, "app-source", "app-queue")
    put_in_order(moto, "app-source", {"2026/12/04/a.json": b'{"n": 1}', "2026/12/04/b.json": b'{"n": 2}',
                                      "2026/12/04/c.json": b'{"n": 3}'})
    app = ScreenHarness(lambda: screen(moto, tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: "the one the queue policy names" in shown(app))
        assert app.screen.query_one("#notified-bucket", Input).value == "app-source", "prefilled"
        app.screen.query_one("#notified-limit", Input).value = "0"
        app.screen.query_one("#notified-limit", Input).focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Not run: newest 0 is not a count of objects" in one_line(app))
        app.screen.query_one("#notified-limit", Input).value = "1"
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Subscriber pass over 1 object(s)" in one_line(app))
        assert "2026/12/04/c.json: 1 sent, 0 dropped" in shown(app), "the newest one"
        app.screen.query_one("#notified-since", Input).value = "yesterday"
        app.screen.query_one("#notified-since", Input).focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Not run: since 'yesterday' is not a date" in one_line(app))


async def test_a_lake_with_no_bucket_to_suggest_says_where_to_name_it(moto: str, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    admin_client(moto).create_bucket(Bucket="app-elsewhere")
    admin_client(moto, "sqs").create_queue(QueueName="lake-queue")
    home = make_home(tmp_path, monkeypatch, LAKE_CONF)
    (wodle,) = load_config(home.conf).wodles
    context = context_from_environment(None, str(home.wazuh_home), moto)
    app = ScreenHarness(lambda: NotifiedObjectsScreen(context, wodle.blocks[0], wodle))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: "No bucket to suggest (ListBuckets shows no bucket named "
                         "aws-security-data-lake-*): type the lake's bucket, then Enter runs the pass" in one_line(app))
        assert app.screen.query_one("#notified-bucket", Input).value == ""
        await pilot.press("p")
        await wait_until(pilot, lambda: "Subscriber pass: nothing read" in one_line(app))
        app.screen.query_one("#next-run-findings").focus()
        await pilot.press("end")
        await wait_until(pilot, lambda: "Name that bucket: the bucket field of the app's Notified objects, or "
                         f"wazuh-aws-doctor ingest --block {wodle.blocks[0].location.line} --bucket BUCKET"
                         in one_line(app))
