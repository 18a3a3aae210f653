"""Secrets never leave the doctor: every command runs with known secret keys and session tokens in
ossec.conf, the shared credentials file and the environment (plus the temporary keys AssumeRole hands
out), and none of them appears in stdout, stderr, the JSON, the events file, the logs, the bundle or the
bytes of any database or file the doctor writes; access key ids appear only masked. Secrets left readable
by other users are warned about."""

from __future__ import annotations

import gzip
import io
import json
import re
import sys
import tarfile
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from diagnostics.ingest.state import IngestState
from diagnostics.masking import mask_key_id
from diagnostics.wazuh.state_scope import StateScope
from tests.conftest import admin_client
from tests.fault_proxy import FaultProxy, fault_proxy
from tests.hardening_support import DAYS, ONLY_LOGS_AFTER, DoctorHome, make_home, ossec_conf, run_cli, trail_body
from tests.snapshot_apps.harness import notifications, wait_until

INLINE_KEY_ID = "AKIAQ7INLINEZ3KEYWXY"
INLINE_SECRET = "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"
PROFILE_KEY_ID = "AKIAT4PROF1LEKEYQRST"
PROFILE_SECRET = "Pr0f1leS3cr3t+Vw2Xy3Zz4Aa5Bb6Cc7Dd8Ee9Ff0"
PROFILE_TOKEN = "FwoGZXIvYXdzEPr0f1leT0k3nQ2w3e4r5t6y7u8i9o0pA1s2d3f4g5h6j7k8l9z0x1c2v3b4n5m6"
ENV_KEY_ID = "ASIAV9ENVIRONKEYLMNO"
ENV_SECRET = "EnvS3cr3tK3y/Gh7Jk8Lm9Np0Qr1St2Uv3Wx4Yz5Ab"
ENV_TOKEN = "IQoJb3JpZ2luX2VjEEnvT0k3nPl4Mk5Nj6Bh7Vg8Cf9Xd0Zs1Aq2Ww3Ee4Rr5Tt6Yy7Uu8Ii9Oo0Pp"
SECRETS = {"inline secret_key": INLINE_SECRET, "profile secret": PROFILE_SECRET,
           "profile session token": PROFILE_TOKEN, "environment secret": ENV_SECRET,
           "environment session token": ENV_TOKEN}
KEY_IDS = {"inline": INLINE_KEY_ID, "profile": PROFILE_KEY_ID, "environment": ENV_KEY_ID}
ROLE = "arn:aws:iam::123456789012:role/wazuh-reader"
BUCKETS = ("sec-inline", "sec-profile", "sec-env", "sec-role")
FRAGMENT = 12
"""Any run of this many characters of a secret counts as a leak (a partial mask is a leak too)."""


def conf(*buckets: str) -> str:
    """ossec.conf with the named blocks (all of BUCKETS by default)."""
    extras = {
        "sec-inline": (f"      <access_key>{INLINE_KEY_ID}</access_key>\n"
                       f"      <secret_key>{INLINE_SECRET}</secret_key>\n      <aws_profile>reader</aws_profile>\n"),
        "sec-profile": "      <aws_profile>reader</aws_profile>\n",
        "sec-env": "",
        "sec-role": f"      <aws_profile>reader</aws_profile>\n      <iam_role_arn>{ROLE}</iam_role_arn>\n",
    }
    return ossec_conf(*(f'    <bucket type="cloudtrail">\n      <name>{name}</name>\n'
                        f"      <only_logs_after>{ONLY_LOGS_AFTER}</only_logs_after>\n{extras[name]}    </bucket>\n"
                        for name in buckets or BUCKETS))


@pytest.fixture
def secret_home(moto: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DoctorHome:
    credentials = (f"[reader]\naws_access_key_id = {PROFILE_KEY_ID}\naws_secret_access_key = {PROFILE_SECRET}\n"
                   f"aws_session_token = {PROFILE_TOKEN}\n\n[default]\naws_access_key_id = {PROFILE_KEY_ID}\n"
                   f"aws_secret_access_key = {PROFILE_SECRET}\n")
    home = make_home(tmp_path, monkeypatch, conf(), credentials=credentials,
                     config="[default]\nregion = us-east-1\n\n[profile reader]\nregion = us-east-1\n")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ENV_KEY_ID)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", ENV_SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", ENV_TOKEN)
    home.conf.chmod(0o644)  # others may read ossec.conf, which holds an inline secret key
    home.credentials.chmod(0o644)  # and the credentials file
    s3 = admin_client(moto)
    key = (f"AWSLogs/123456789012/CloudTrail/us-east-1/{DAYS[2]}/123456789012_CloudTrail_us-east-1_"
           f"{DAYS[2].replace('/', '')}T0010Z_a.json.gz")
    for bucket in BUCKETS:
        s3.create_bucket(Bucket=bucket)
        s3.put_object(Bucket=bucket, Key=key, Body=trail_body(DAYS[2], 0))
    # a module state database with one row, for --from-wazuh-state and the --real snapshot/restore
    with IngestState.open(home.state_db.parent, version="4.14.7", wal=False) as state:
        state.mark_complete(StateScope("cloudtrail", "sec-inline/", "123456789012", "us-east-1"), "x", 20240101)
    return home


@pytest.fixture
def proxy(moto: str) -> Iterator[FaultProxy]:
    with fault_proxy(moto) as running:
        running.keep_bodies.add("AssumeRole")
        yield running


def stand_in_module(home: DoctorHome) -> None:
    """A stand-in for wodles/aws/aws-s3 that echoes its arguments, as argparse does in a usage error."""
    script = home.wazuh_home / "wodles" / "aws" / "aws-s3"
    script.write_text(f"#!{sys.executable}\n" + textwrap.dedent("""
        import os, sys
        print("DEBUG: +++ Debug mode on - Level: 2")
        # a traceback-like line quoting the environment, then argparse echoing the inline keys
        print("botocore: credentials " + os.environ.get("AWS_SECRET_ACCESS_KEY", "") + " "
              + os.environ.get("AWS_SESSION_TOKEN", ""))
        print("aws-s3: error: unrecognized arguments: " + " ".join(sys.argv[1:]))
        sys.exit(2)
    """))
    script.chmod(0o755)


def explain_log_input(home: DoctorHome) -> Path:
    log = home.wazuh_home / "logs" / "ossec.log"
    log.write_text(
        "2024/05/14 10:15:01 wazuh-modulesd:aws-s3: INFO: Executing Bucket Analysis: (Bucket: sec-inline, "
        "Type: cloudtrail)\n"
        "2024/05/14 10:15:01 wazuh-modulesd:aws-s3: DEBUG: Launching S3 Command: wodles/aws/aws-s3 --bucket "
        f"sec-inline --access_key {INLINE_KEY_ID} --secret_key {INLINE_SECRET} --type cloudtrail --debug 2\n"
        "2024/05/14 10:15:02 wazuh-modulesd:aws-s3: WARNING: Bucket:  -  Returned exit code 12\n"
        "2024/05/14 10:15:02 wazuh-modulesd:aws-s3: WARNING: Bucket:  -  An error occurred "
        f"(InvalidClientTokenId) with aws_secret_access_key={ENV_SECRET} token {ENV_TOKEN}\n")
    return log


def run_every_command(home: DoctorHome, endpoint: str, capsys: pytest.CaptureFixture[str],
                      tmp_path: Path) -> dict[str, str]:
    """Every command, in text and JSON; returns what each printed (``exit N``, stdout, then stderr)."""
    outputs: dict[str, str] = {}
    common = home.common(endpoint)
    events = tmp_path / "out" / "events.jsonl"
    events.parent.mkdir()

    def run(name: str, *argv: str) -> None:
        code, out, err = run_cli(capsys, *argv)
        assert "Traceback" not in out + err, f"{name}: {err[-2000:]}"
        outputs[name] = f"exit {code}\n{out}\n{err}"

    run("check json", "check", *common, "--format", "json")
    run("check text", "check", *common, "--bucket", "sec-role", "--verbose")
    run("explain-log", "explain-log", str(explain_log_input(home)), *common, "--verbose")
    run("explain-log json", "explain-log", str(home.wazuh_home / "logs" / "ossec.log"), *common, "--format",
        "json")
    run("keys", "keys", *common, "--bucket", "sec-inline", "--prefix", "AWSLogs/")
    run("keys view", "keys", *common, "--bucket", "sec-role", "--wodle-view", "--format", "json")
    key = (f"AWSLogs/123456789012/CloudTrail/us-east-1/{DAYS[2]}/123456789012_CloudTrail_us-east-1_"
           f"{DAYS[2].replace('/', '')}T0010Z_a.json.gz")
    run("preview text", "preview", *common, "--bucket", "sec-env", "--key", key, "--raw")
    run("preview json", "preview", *common, "--bucket", "sec-profile", "--key", key, "--format", "json")
    run("ingest", "ingest", *common, "--bucket", "sec-inline", "--debug", "3", "--events-out", str(events),
        "--state-dir", str(tmp_path / "out" / "state"))
    run("ingest json", "ingest", *common, "--bucket", "sec-role", "--envelopes", "--events-out", "-",
        "--format", "json", "--state-dir", str(tmp_path / "out" / "state-role"))
    run("ingest from wazuh", "ingest", *common, "--bucket", "sec-env", "--from-wazuh-state", "--state-dir",
        str(tmp_path / "out" / "state-copy"), "--events-out", str(tmp_path / "out" / "events-env.jsonl"))
    stand_in_module(home)
    run("ingest real", "ingest", *common, "--bucket", "sec-inline", "--real", "--yes", "--snapshot-state",
        "--restore-state")
    run("host", "host", *common, "--format", "json")
    (tmp_path / "out" / "bundle").mkdir()
    run("bundle", "bundle", *common, "--bucket", "sec-inline", "--output", str(tmp_path / "out" / "bundle"),
        "--state-dir", str(tmp_path / "out" / "state"), "--ossec-log", str(home.wazuh_home / "logs" / "ossec.log"))
    return outputs


def written_files(tmp_path: Path, home: DoctorHome) -> dict[str, bytes]:
    """Every file the doctor wrote (archives unpacked), by path; our inputs are left out."""
    inputs = {home.conf, home.credentials, home.config, home.wazuh_home / "wodles" / "aws" / "aws-s3",
              home.wazuh_home / "logs" / "ossec.log"}
    found: dict[str, bytes] = {}
    for path in sorted(tmp_path.rglob("*")):
        if not path.is_file() or path in inputs:
            continue
        data = path.read_bytes()
        found[str(path)] = data
        if path.name.endswith((".tar.gz", ".tgz")):
            with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
                for member in archive.getmembers():
                    extracted = archive.extractfile(member)
                    if extracted is not None:
                        found[f"{path}!{member.name}"] = extracted.read()
        elif path.suffix == ".gz":
            found[f"{path}!gunzip"] = gzip.decompress(data)
    return found


def leaks(text: str, secret: str) -> bool:
    """True when any FRAGMENT-long run of the secret appears in the text."""
    return any(secret[start:start + FRAGMENT] in text for start in range(len(secret) - FRAGMENT + 1))


def assumed_role_secrets(proxy: FaultProxy) -> dict[str, str]:
    found: dict[str, str] = {}
    for number, (_, body) in enumerate(proxy.bodies):
        text = body.decode()
        for tag in ("SecretAccessKey", "SessionToken"):
            match = re.search(f"<{tag}>([^<]+)</{tag}>", text)
            if match:
                found[f"assumed role {tag} #{number}"] = match.group(1)
    return found


def test_no_command_leaks_a_secret_anywhere(secret_home: DoctorHome, proxy: FaultProxy, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    outputs = run_every_command(secret_home, proxy.url, capsys, tmp_path)
    files = written_files(tmp_path, secret_home)
    role_secrets = assumed_role_secrets(proxy)
    assert role_secrets, "AssumeRole was called through the proxy, so its temporary keys are known"
    secrets = {**SECRETS, **role_secrets}

    for where, text in [*outputs.items(), *((path, data.decode("latin-1")) for path, data in files.items())]:
        for name, secret in secrets.items():
            assert not leaks(text, secret), f"the {name} leaks into {where}"
        for name, key_id in KEY_IDS.items():
            assert key_id not in text, f"the {name} access key id appears unmasked in {where}"

    assert_permission_warnings(outputs["check json"], secret_home)
    everything = "\n".join(outputs.values())
    assert mask_key_id(INLINE_KEY_ID) in everything, "key ids are shown masked"
    assert mask_key_id(PROFILE_KEY_ID) in everything
    # the outputs really came from working commands, not from early failures
    assert outputs["ingest"].startswith("exit 0") and (tmp_path / "out" / "events.jsonl").stat().st_size > 0
    assert "unrecognized arguments" in outputs["ingest real"], "the stand-in's echo came through, masked"
    assert any(path.endswith(".tar.gz") for path in files), "the bundle was written"
    assert any(path.endswith("s3_cloudtrail.db") and "state" in path for path in files)
    events = (tmp_path / "out" / "events.jsonl").read_text()
    assert events.startswith("1:Wazuh-AWS:")


def assert_permission_warnings(check_json: str, home: DoctorHome) -> None:
    findings = json.JSONDecoder().raw_decode(check_json.split("\n", 1)[1])[0]["findings"]
    conf_warning = [f for f in findings if f["failure_id"] == "host.config_secrets_readable"]
    assert conf_warning and conf_warning[0]["status"] == "warning"
    assert conf_warning[0]["location"] == f"{home.conf}:10", "it points at the secret_key line"
    assert "0644" in conf_warning[0]["title"] + json.dumps(conf_warning[0]["evidence"])
    credentials_warning = [f for f in findings if f["failure_id"] == "credentials.file_permissions"
                           and str(home.credentials) in json.dumps(f)]
    assert credentials_warning and credentials_warning[0]["status"] == "warning"


def test_owner_only_secrets_are_not_warned_about(secret_home: DoctorHome, moto: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    secret_home.conf.chmod(0o640)
    secret_home.credentials.chmod(0o600)
    _, out, _ = run_cli(capsys, "check", *secret_home.common(moto), "--bucket", "sec-inline", "--format", "json")
    ids = {f["failure_id"] for f in json.loads(out)["findings"]}
    assert "host.config_secrets_readable" not in ids and "credentials.file_permissions" not in ids
    assert "credentials.inline_keys" in ids, "the inline keys were seen"


# -- the app, through App.run_test ----------------------------------------------------------------------------
async def test_the_app_screens_show_no_secret(secret_home: DoctorHome, moto: str) -> None:
    """Overview, each block's Troubleshoot screen and the Log explainer: screenshots (the SVG a snapshot test
    stores) and notifications carry no secret and no unmasked key id."""

    from textual.message import Message

    from diagnostics.checks import prepare_context
    from diagnostics.context import context_from_environment
    from tui.app import DoctorApp
    from tui.messages import ChecksCompleted, LogExplained
    from tui.screens.overview import OverviewScreen
    from tui.screens.troubleshoot import TroubleshootScreen
    from tui.widgets.config_tree import ConfigTree

    explain_log_input(secret_home)
    secret_home.conf.write_text(conf("sec-inline", "sec-role"))  # two blocks: inline keys, profile + role
    context = prepare_context(context_from_environment(None, str(secret_home.wazuh_home), moto))
    messages: list[Message] = []
    shots: dict[str, str] = {}
    app = DoctorApp(context)

    async with app.run_test(size=(160, 60), message_hook=messages.append) as pilot:
        await wait_until(pilot, lambda: any(isinstance(m, ChecksCompleted) for m in messages))
        await pilot.pause()
        shots["overview"] = app.export_screenshot()
        tree = app.screen.query_one(ConfigTree)
        nodes = [node for wodle in tree.root.children for node in wodle.children]
        assert len(nodes) == 2
        for node in nodes:
            tree.move_cursor(node)
            await pilot.pause()
            shots[f"overview {node.label}"] = app.export_screenshot()
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, TroubleshootScreen))
            await app.workers.wait_for_complete()
            await pilot.pause()
            shots[f"troubleshoot {node.label}"] = app.export_screenshot()
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, OverviewScreen))
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: any(isinstance(m, LogExplained) for m in messages))
        await pilot.pause()
        shots["log explainer"] = app.export_screenshot()
        notes = " ".join(f"{n.title} {n.message}" for n in notifications(messages))

    for where, text in [*shots.items(), ("notifications", notes)]:
        for name, secret in SECRETS.items():
            assert not leaks(text, secret), f"the {name} shows on {where}"
        for name, key_id in KEY_IDS.items():
            assert key_id not in text, f"the {name} key id shows unmasked on {where}"
    shown = "".join(shots.values())
    assert mask_key_id(INLINE_KEY_ID) in shown or mask_key_id(PROFILE_KEY_ID) in shown, \
        f"the screens name the key ids, masked ({[k for k, v in shots.items() if 'AKIA' in v]})"


async def browse_and_preview(context: Any, block: Any, day: str) -> tuple[dict[str, str], list[str]]:
    """Screenshots of Browse (root, marker, a day) and Preview (three views) for one block; notifications."""
    from textual.message import Message
    from textual.widgets import Input

    from tests.snapshot_apps.harness import ScreenHarness
    from tui.messages import EventsDecoded, KeysListed, MarkerLocated
    from tui.screens.browse import BrowseScreen
    from tui.screens.preview import PreviewScreen
    from tui.widgets.key_tree import KeyEntry, KeyTree

    messages: list[Message] = []
    shots: dict[str, str] = {}
    app = ScreenHarness(lambda: BrowseScreen(context, block))
    async with app.run_test(size=(160, 50), message_hook=messages.append) as pilot:
        await wait_until(pilot, lambda: any(isinstance(m, KeysListed) for m in messages))
        await pilot.pause()
        shots[f"browse {block.name}"] = app.export_screenshot()
        await pilot.press("m")
        await wait_until(pilot, lambda: any(isinstance(m, MarkerLocated) for m in messages))
        await pilot.pause()
        shots[f"marker {block.name}"] = app.export_screenshot()
        screen = app.screen
        screen.query_one("#browse-date", Input).value = DAYS[2].replace("/", "-")
        await screen.query_one("#browse-date", Input).action_submit()
        await wait_until(pilot, lambda: any(isinstance(m, KeysListed) and m.prefix == day for m in messages))
        await pilot.pause()
        shots[f"day {block.name}"] = app.export_screenshot()
        tree = screen.query_one(KeyTree)
        key_node = next(child for child in tree.root.children if isinstance(child.data, KeyEntry))
        tree.focus()
        tree.move_cursor(key_node)
        await pilot.press("enter")
        await wait_until(pilot, lambda: any(isinstance(m, EventsDecoded) for m in messages))
        await pilot.pause()
        assert isinstance(app.screen, PreviewScreen)
        for view in ("envelope", "record", "payload"):
            shots[f"preview {view} {block.name}"] = app.export_screenshot()
            await pilot.press("t")
            await pilot.pause()
        return shots, [f"{n.title} {n.message}" for n in notifications(messages)]


async def test_browse_preview_and_ingest_show_no_secret(secret_home: DoctorHome, moto: str,
                                                        tmp_path: Path) -> None:
    """Browse (root, a day, the marker), Preview (envelope, record, payload) and an Ingest pass with its live
    log, for the block with inline keys and the one with a profile and a role: no secret, no unmasked id."""
    from textual.message import Message
    from textual.widgets import Select

    from diagnostics.checks import load_configuration, prepare_context
    from diagnostics.context import context_from_environment
    from tests.snapshot_apps.harness import ScreenHarness
    from tui.messages import IngestFinished
    from tui.screens.ingest import IngestScreen
    from tui.widgets.live_log import LiveLog

    secret_home.conf.write_text(conf("sec-inline", "sec-role"))
    context = prepare_context(context_from_environment(None, str(secret_home.wazuh_home), moto))
    loaded, _ = load_configuration(context)
    shots: dict[str, str] = {}
    notes: list[str] = []
    for block in loaded.blocks:
        block_shots, block_notes = await browse_and_preview(
            context, block, f"AWSLogs/123456789012/CloudTrail/us-east-1/{DAYS[2]}/")
        shots.update(block_shots)
        notes += block_notes

    messages: list[Message] = []
    ingest = ScreenHarness(lambda: IngestScreen(context, state_dir=tmp_path / "state"))
    async with ingest.run_test(size=(160, 50), message_hook=messages.append) as pilot:
        screen = ingest.screen
        assert isinstance(screen, IngestScreen)
        await wait_until(pilot, lambda: bool(screen.blocks))
        # sec-inline has a row in the module's state (for --from-wazuh-state) that puts its marker past the file
        screen.query_one("#ingest-bucket", Select).value = next(
            key for key, (block, _) in screen.blocks.items() if block.name == "sec-role")
        await pilot.click("#ingest-start")
        await wait_until(pilot, lambda: any(isinstance(m, IngestFinished) for m in messages), timeout=60)
        await pilot.pause(0.3)
        shots["ingest"] = ingest.export_screenshot()
        shots["ingest live log"] = "\n".join(screen.query_one(LiveLog).lines)
        notes += [f"{n.title} {n.message}" for n in notifications(messages)]
    assert "Found new log" in shots["ingest live log"], shots["ingest live log"]
    assert "integration" in shots["preview envelope sec-inline"], "the preview showed the event"
    assert "Wazuh-AWS" in shots["preview payload sec-role"], "and its datagram"
    assert "StartAfter" in shots["marker sec-role"], "the marker jump showed the marker line"

    for where, text in [*shots.items(), ("notifications", " ".join(notes))]:
        for name, secret in SECRETS.items():
            assert not leaks(text, secret), f"the {name} shows on {where}"
        for name, key_id in KEY_IDS.items():
            assert key_id not in text, f"the {name} key id shows unmasked on {where}"


# -- said, not hidden -------------------------------------------------------------------------------------
def test_check_says_it_runs_a_credential_process_and_runs_it_once(moto: str, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """A profile whose keys come from a command: ``check`` names the program (not its arguments, not its
    output, which holds the keys) and runs it once for all its steps."""
    runs = tmp_path / "runs"
    program = tmp_path / "vault-creds"
    program.write_text(f"#!{sys.executable}\n" + textwrap.dedent(f"""
        import json
        with open({str(runs)!r}, "a") as counter:
            counter.write("ran\\n")
        print(json.dumps({{"Version": 1, "AccessKeyId": "{PROFILE_KEY_ID}", "SecretAccessKey": "{PROFILE_SECRET}"}}))
    """))
    program.chmod(0o755)
    home = make_home(tmp_path, monkeypatch, conf("sec-profile"), credentials="",
                     config=f"[profile reader]\nregion = us-east-1\n"
                            f"credential_process = {program} --password {INLINE_SECRET}\n")
    admin_client(moto).create_bucket(Bucket="sec-profile")
    _, out, err = run_cli(capsys, "check", *home.common(moto), "--verbose")
    assert "Traceback" not in err, err
    assert f"credential_process ran: {program} (2 arguments not shown)" in out, out
    assert runs.read_text().count("ran") == 1, "resolved once, then every step used those keys"
    _, out, _ = run_cli(capsys, "check", *home.common(moto))
    assert f"credential_process ran: {program}" in out, "said without --verbose too"
    for secret in (PROFILE_SECRET, INLINE_SECRET):
        assert not leaks(out + err, secret), "neither the command's arguments nor its output are shown"


def test_state_snapshots_keep_the_database_mode_and_only_the_newest_copies(tmp_path: Path) -> None:
    """``--snapshot-state`` copies Wazuh's 0640 state database: the copy is never readable by others, its
    folder is owner-only, and old copies are pruned."""
    import contextlib
    import sqlite3
    import stat

    from diagnostics.context import DoctorContext
    from diagnostics.ingest.real_module import SNAPSHOTS_KEPT, snapshot_state

    wazuh_home = tmp_path / "ossec"
    with IngestState.open(wazuh_home / "wodles" / "aws", version="4.14.7", wal=False) as state:
        state.mark_complete(StateScope("cloudtrail", "b/", "123456789012", "us-east-1"), "k", 20240101)
    database = wazuh_home / "wodles" / "aws" / "s3_cloudtrail.db"
    database.chmod(0o640)
    context = DoctorContext(wazuh_home=wazuh_home, environ={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    copies = [snapshot_state(context) for _ in range(SNAPSHOTS_KEPT + 3)]
    folder = copies[-1].parent
    assert folder.is_relative_to(tmp_path / "cache"), "the copies live in our cache, where the CLI says"
    assert stat.S_IMODE(copies[-1].stat().st_mode) == 0o640, "the copy has the database's mode"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert sorted(folder.glob("*.db")) == copies[-SNAPSHOTS_KEPT:], "only the newest copies are kept"
    with contextlib.closing(sqlite3.connect(copies[-1])) as copy:
        assert copy.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0, "the copy holds the tables"
