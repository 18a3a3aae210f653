"""Hostile text: key names, ossec.conf values and log lines that hold terminal escapes or Rich markup are
shown as text in every face; secrets that do not look like AWS keys are masked by value.

The keys live on the moto server (anyone who may write to a bucket can name a key like this), the profile
name in ossec.conf, the log lines in ossec.log or the paste box; the tests read back what the terminal or the
rendered screen shows.
"""

from __future__ import annotations

import html
import json
import logging
import re
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from diagnostics.ingest.log_format import OssecLogFormatter
from diagnostics.masking import known_secrets, scrub
from diagnostics.text_safety import visible, visible_lines
from tests.conftest import admin_client
from tests.hardening_support import DAYS, ONLY_LOGS_AFTER, DoctorHome, make_home, ossec_conf, run_cli, trail_body
from tests.snapshot_apps.harness import wait_until

BUCKET = "hostile-keys"
DAY_PREFIX = f"AWSLogs/123456789012/CloudTrail/us-east-1/{DAYS[2]}/"
MARKUP_NAME = "[bold]x[profile x][link=https:evil.example]click[default].json.gz"
"""Markup without a slash, which would make the key a folder: a style, a section name and a link."""
CLOSING_KEY = DAY_PREFIX + "[/]x.json.gz"
"""``[/]`` crashed Rich; the slash makes ``[/`` a folder of the day."""
ESCAPE_NAME = "\x1b[2J\x1b]0;pwned\x07\x1b]52;c;ZXZpbA==\x07.json.gz"
MARKUP_KEY = DAY_PREFIX + MARKUP_NAME
ESCAPE_KEY = DAY_PREFIX + ESCAPE_NAME
PROFILE = "wazuh [bold]demo[/]"
"""A profile name that is not in the config file: its finding quotes it and every section found."""
LOG_LINE = ("2024/05/14 10:15:02 wazuh-modulesd:aws-s3: WARNING: Bucket:  -  An error occurred (AccessDenied) "
            "[profile x] [/] [link=https://evil.example]click[/link] \x1b]0;pwned\x07 [default]")

MINIO_SECRET = "minio-Secret-Key-123456"
MINIO_TOKEN = "minioSessionToken-abcdef"
REGEX_SECRET = "dEf4uLt+S3cr3t/Key.*?^$|()[]{}+==Zz9"
ODD_SECRETS = {"environment secret": MINIO_SECRET, "environment token": MINIO_TOKEN,
               "profile secret with regex characters": REGEX_SECRET}


def conf() -> str:
    return ossec_conf(
        f'    <bucket type="cloudtrail">\n      <name>{BUCKET}</name>\n'
        f"      <only_logs_after>{ONLY_LOGS_AFTER}</only_logs_after>\n    </bucket>\n",
        f'    <bucket type="cloudtrail">\n      <name>hostile-profile</name>\n'
        f"      <aws_profile>{PROFILE}</aws_profile>\n    </bucket>\n")


@pytest.fixture
def hostile_home(moto: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DoctorHome:
    """A bucket whose day folder holds a normal key, a key full of markup and one full of escapes."""
    home = make_home(tmp_path, monkeypatch, conf(),
                     config="[default]\nregion = us-east-1\n\n[profile reader]\nregion = us-east-1\n")
    s3 = admin_client(moto)
    s3.create_bucket(Bucket=BUCKET)
    normal = f"{DAY_PREFIX}123456789012_CloudTrail_us-east-1_{DAYS[2].replace('/', '')}T0010Z_a.json.gz"
    for index, key in enumerate((normal, MARKUP_KEY, ESCAPE_KEY, CLOSING_KEY)):
        s3.put_object(Bucket=BUCKET, Key=key, Body=trail_body(DAYS[2], index))
    return home


def without_escapes(text: str) -> None:
    """No raw control character except line breaks reaches the terminal."""
    raw = [character for character in text if character != "\n" and visible(character) != character]
    assert not raw, f"raw control characters reach the terminal: {raw[:5]}"


# -- the base function ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("raw", "shown"), [
    ("plain key.json", "plain key.json"),
    ("a\x1b[2Jb", "a\\x1b[2Jb"),
    ("a\nERROR: forged", "a\\nERROR: forged"),
    ("tab\there\r", "tab\\there\\r"),
    ("c1\x9b31m", "c1\\x9b31m"),
    ("bidi\u202eexe.txt", "bidi\\u202eexe.txt"),
    ("sep\u2028line", "sep\\u2028line"),
    ("ünïcødé ✓ [bold]", "ünïcødé ✓ [bold]"),
])
def test_visible_escapes_every_control_and_nothing_else(raw: str, shown: str) -> None:
    assert visible(raw) == shown
    assert visible(shown) == shown, "applying it twice changes nothing"


def test_visible_lines_keeps_only_line_breaks() -> None:
    assert visible_lines("fix:\n  <path>a\x1bb</path>") == "fix:\n  <path>a\\x1bb</path>"


def test_a_key_with_a_newline_cannot_forge_a_log_line() -> None:
    """moto refuses such keys, so the formatter is attacked directly with the record the pass would log."""
    record = logging.LogRecord("x", logging.DEBUG, __file__, 1, "+++ Found new log: %s", ("a\nERROR: forged",),
                               None)
    line = OssecLogFormatter().format(record)
    assert "\n" not in line and line.endswith("Found new log: a\\nERROR: forged")


# -- the CLI ----------------------------------------------------------------------------------------------
def test_keys_text_shows_escapes_and_markup_literally_and_json_stays_exact(
        hostile_home: DoctorHome, moto: str, capsys: pytest.CaptureFixture[str]) -> None:
    common = hostile_home.common(moto)
    code, out, err = run_cli(capsys, "keys", *common, "--bucket", BUCKET, "--prefix", DAY_PREFIX)
    assert code == 0, err
    without_escapes(out + err)
    assert visible(ESCAPE_KEY) in out and MARKUP_KEY in out, out
    assert f"folder     {DAY_PREFIX}[/\n" in out, out
    code, out, _ = run_cli(capsys, "keys", *common, "--bucket", BUCKET, "--prefix", DAY_PREFIX, "--format", "json")
    assert {row["key"] for row in json.loads(out)["keys"]} >= {ESCAPE_KEY, MARKUP_KEY}, "JSON keeps exact keys"


def test_the_pass_log_and_check_show_escapes_visibly(hostile_home: DoctorHome, moto: str, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    common = hostile_home.common(moto)
    _, out, err = run_cli(capsys, "ingest", *common, "--bucket", BUCKET, "--debug", "2", "--state-dir",
                          str(tmp_path / "state"))
    without_escapes(out + err)
    assert visible(ESCAPE_NAME) in err, "the pass's log names the key with its escapes visible"
    log_file = (tmp_path / "state" / "last-ingest.log").read_text()
    without_escapes(log_file)
    _, out, err = run_cli(capsys, "check", *common, "--verbose")
    without_escapes(out + err)
    assert "[default]" in out, "the missing profile's finding lists the sections found"


def test_explain_log_shows_escapes_visibly(hostile_home: DoctorHome, moto: str,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    log = hostile_home.wazuh_home / "logs" / "ossec.log"
    log.write_text(LOG_LINE + "\n")
    _, out, err = run_cli(capsys, "explain-log", str(log), *hostile_home.common(moto), "--verbose")
    without_escapes(out + err)
    assert "[link=https://evil.example]click[/link] \\x1b]0;pwned\\x07" in out


# -- the app ----------------------------------------------------------------------------------------------
def screen_text(app: Any) -> str:
    """What the screen shows, read from the exported screenshot (tags dropped, entities decoded)."""
    svg = app.export_screenshot()
    body = svg[svg.index("</style>"):] if "</style>" in svg else svg
    return html.unescape(re.sub(r"<[^>]+>", "", body)).replace("\xa0", " ")


async def test_the_app_renders_markup_and_escapes_from_data_as_text(hostile_home: DoctorHome, moto: str) -> None:
    """Overview and Troubleshoot (a profile name and the sections of the config file), Browse (key names
    with markup and escapes), Preview (its header) and the Log explainer (a pasted line): every bracket is
    shown, no tag is applied, no link is made and no escape reaches the terminal."""
    from textual.message import Message
    from textual.widgets import Input

    from diagnostics.checks import prepare_context
    from diagnostics.context import context_from_environment
    from tests.snapshot_apps.harness import ScreenHarness
    from tui.app import DoctorApp
    from tui.messages import ChecksCompleted, EventsDecoded, KeysListed, LogExplained
    from tui.screens.browse import BrowseScreen
    from tui.screens.log_explainer import LogExplainerScreen
    from tui.screens.preview import PreviewScreen
    from tui.screens.troubleshoot import TroubleshootScreen
    from tui.widgets.config_tree import ConfigTree
    from tui.widgets.key_tree import KeyEntry, KeyTree

    context = prepare_context(context_from_environment(None, str(hostile_home.wazuh_home), moto))
    messages: list[Message] = []
    shots: dict[str, str] = {}
    app = DoctorApp(context)
    async with app.run_test(size=(200, 60), message_hook=messages.append) as pilot:
        await wait_until(pilot, lambda: any(isinstance(m, ChecksCompleted) for m in messages))
        await pilot.pause()
        tree = app.screen.query_one(ConfigTree)
        profile_node = [node for wodle in tree.root.children for node in wodle.children][1]
        tree.move_cursor(profile_node)
        await pilot.pause()
        shots["overview"] = screen_text(app)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, TroubleshootScreen))
        await app.workers.wait_for_complete()
        await pilot.pause()
        shots["troubleshoot"] = screen_text(app)
    assert PROFILE in shots["overview"], "the profile name keeps its brackets in the Overview tree"
    assert "[default], [profile reader]" in re.sub(r"\s+", " ", shots["overview"]), "and in its findings"
    assert f"'{PROFILE}'" in shots["troubleshoot"], "and in the finding's title"
    assert "Sections found: [default], [profile reader]" in shots["troubleshoot"], "the evidence keeps them"

    loaded_blocks = __import__("diagnostics.checks", fromlist=["load_configuration"]).load_configuration(context)[0]
    block = loaded_blocks.blocks[0]
    messages.clear()
    browse = ScreenHarness(lambda: BrowseScreen(context, block))
    async with browse.run_test(size=(200, 50), message_hook=messages.append) as pilot:
        await wait_until(pilot, lambda: any(isinstance(m, KeysListed) for m in messages))
        screen = browse.screen
        screen.query_one("#browse-date", Input).value = DAYS[2].replace("/", "-")
        await screen.query_one("#browse-date", Input).action_submit()
        await wait_until(pilot, lambda: any(isinstance(m, KeysListed) and m.prefix == DAY_PREFIX for m in messages))
        await pilot.pause()
        shots["browse"] = screen_text(browse)
        key_tree = screen.query_one(KeyTree)
        labels = {child.data.classified.key: str(child.label) for child in key_tree.root.children
                  if isinstance(child.data, KeyEntry)}
        markup_node = next(child for child in key_tree.root.children
                           if isinstance(child.data, KeyEntry) and child.data.classified.key == MARKUP_KEY)
        key_tree.focus()
        key_tree.move_cursor(markup_node)
        await pilot.press("enter")
        await wait_until(pilot, lambda: any(isinstance(m, EventsDecoded) for m in messages))
        await pilot.pause()
        assert isinstance(browse.screen, PreviewScreen)
        shots["preview"] = screen_text(browse)
    assert MARKUP_NAME in labels[MARKUP_KEY] and visible(ESCAPE_NAME) in labels[ESCAPE_KEY]
    assert MARKUP_NAME in shots["browse"] and visible(ESCAPE_NAME) in shots["browse"]
    assert MARKUP_KEY in shots["preview"], "Preview's header names the key as it is"

    messages.clear()
    (hostile_home.wazuh_home / "logs" / "ossec.log").write_text(LOG_LINE + "\n")
    explainer = ScreenHarness(lambda: LogExplainerScreen(context))
    async with explainer.run_test(size=(460, 50), message_hook=messages.append) as pilot:  # no line wraps
        explainer.screen.action_open_file()  # type: ignore[attr-defined]
        await wait_until(pilot, lambda: any(isinstance(m, LogExplained) for m in messages))
        await pilot.pause()
        shots["log explainer"] = screen_text(explainer)
    shown = re.sub(r"  +", " ", shots["log explainer"])
    quoted = visible(LOG_LINE).replace("  ", " ")
    assert f"line 1: {quoted}" in shown, "the line above the finding shows the brackets and the escape as text"
    assert f"seen line 1: {quoted}" in shown, "and so does the finding's evidence"

    for where, text in shots.items():
        assert "\x1b" not in text, f"an escape reaches the terminal on {where}"


# -- secrets without an AWS shape -------------------------------------------------------------------------
def test_scrub_masks_a_secret_with_regex_characters_wholly() -> None:
    text = f"aws_secret_access_key={REGEX_SECRET} and {json.dumps(REGEX_SECRET)} again"
    assert scrub(text, [REGEX_SECRET]) == 'aws_secret_access_key=**** and "****" again'
    assert scrub("short", ["ab"]) == "short", "values too short to be secrets blank out nothing"


@pytest.fixture
def odd_secret_home(hostile_home: DoctorHome, monkeypatch: pytest.MonkeyPatch) -> DoctorHome:
    """MinIO-style secrets in the environment and a profile secret full of regex characters."""
    hostile_home.credentials.write_text(
        f"[default]\naws_access_key_id = minio-access\naws_secret_access_key = {REGEX_SECRET}\n")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", MINIO_SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", MINIO_TOKEN)
    return hostile_home


def test_known_secrets_come_from_the_environment_and_every_profile(odd_secret_home: DoctorHome) -> None:
    import os

    found = known_secrets(odd_secret_home.module_home, [dict(os.environ)], ["inline-Secret-9876"])
    assert set(ODD_SECRETS.values()) | {"inline-Secret-9876"} <= set(found)


def leaked(text: str) -> list[str]:
    return [name for name, secret in ODD_SECRETS.items()
            if any(secret[start:start + 12] in text for start in range(len(secret) - 11))]


def test_secrets_without_an_aws_shape_never_show(odd_secret_home: DoctorHome, moto: str, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """explain-log, ingest --real (a module that echoes them), check and the bundle mask them by value."""
    home = odd_secret_home
    common = home.common(moto)
    log = home.wazuh_home / "logs" / "ossec.log"
    log.write_text(
        "2024/05/14 10:15:02 wazuh-modulesd:aws-s3: WARNING: Bucket:  -  An error occurred "
        f"(InvalidClientTokenId) secret {MINIO_SECRET} token {MINIO_TOKEN} "
        f"aws_secret_access_key={REGEX_SECRET}\n")
    script = home.wazuh_home / "wodles" / "aws" / "aws-s3"
    script.write_text(f"#!{sys.executable}\n" + textwrap.dedent(f"""
        import os
        print("credentials " + os.environ.get("AWS_SECRET_ACCESS_KEY", "") + " "
              + os.environ.get("AWS_SESSION_TOKEN", "") + " profile {REGEX_SECRET}")
        raise SystemExit(1)
    """))
    script.chmod(0o755)
    outputs: dict[str, str] = {}
    for name, argv in {
        "explain-log": ["explain-log", str(log), *common, "--verbose"],
        "explain-log json": ["explain-log", str(log), *common, "--format", "json"],
        "ingest real": ["ingest", *common, "--bucket", BUCKET, "--real", "--yes"],
        "check": ["check", *common, "--verbose"],
    }.items():
        _, out, err = run_cli(capsys, *argv)
        outputs[name] = out + err
    assert "An error occurred" in outputs["explain-log"] and "credentials" in outputs["ingest real"]
    for name, text in outputs.items():
        assert not leaked(text), f"{leaked(text)} shows in {name}"


async def test_the_log_explainer_screen_masks_secrets_by_value(odd_secret_home: DoctorHome, moto: str) -> None:
    from textual.message import Message
    from textual.widgets import TextArea

    from diagnostics.checks import prepare_context
    from diagnostics.context import context_from_environment
    from tests.snapshot_apps.harness import ScreenHarness
    from tui.messages import LogExplained
    from tui.screens.log_explainer import LogExplainerScreen

    context = prepare_context(context_from_environment(None, str(odd_secret_home.wazuh_home), moto))
    messages: list[Message] = []
    app = ScreenHarness(lambda: LogExplainerScreen(context))
    async with app.run_test(size=(200, 50), message_hook=messages.append) as pilot:
        app.screen.query_one("#explain-paste", TextArea).text = (
            "2024/05/14 10:15:02 wazuh-modulesd:aws-s3: WARNING: Bucket:  -  An error occurred "
            f"(InvalidClientTokenId) secret {MINIO_SECRET} token {MINIO_TOKEN} key {REGEX_SECRET}")
        app.screen.action_explain_pasted()  # type: ignore[attr-defined]
        await wait_until(pilot, lambda: any(isinstance(m, LogExplained) for m in messages))
        await pilot.pause()
        shown = screen_text(app)
    results = shown[shown.index("annotated —"):]
    assert "InvalidClientTokenId" in results, "the results below the paste box quote the line"
    assert not leaked(results), f"{leaked(results)} shows in the Log explainer"


def test_the_bundle_masks_odd_secrets_and_an_endpoint_password(odd_secret_home: DoctorHome, moto: str,
                                                               tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """A ``<service_endpoint>`` URL with a password in it, MinIO-style secrets in the environment and a
    regex-character secret in the credentials file: none of them is in any file of the bundle."""
    import io
    import tarfile

    password = "Endp0int-Passw0rd-42"
    home = odd_secret_home
    home.conf.write_text(ossec_conf(
        f'    <bucket type="cloudtrail">\n      <name>{BUCKET}</name>\n'
        f"      <service_endpoint>https://wazuh:{password}@s3.internal.example</service_endpoint>\n"
        f"      <only_logs_after>{ONLY_LOGS_AFTER}</only_logs_after>\n    </bucket>\n"))
    log = home.wazuh_home / "logs" / "ossec.log"
    log.write_text(f"2024/05/14 10:15:02 wazuh-modulesd:aws-s3: WARNING: Bucket:  -  secret {MINIO_SECRET} "
                   f"endpoint https://wazuh:{password}@s3.internal.example key={REGEX_SECRET}\n")
    output = tmp_path / "bundle-out"
    output.mkdir()
    code, out, err = run_cli(capsys, "bundle", *home.common(moto), "--output", str(output), "--ossec-log", str(log))
    archives = list(output.glob("*.tar.gz"))
    assert archives, f"exit {code}: {out}{err}"
    members: dict[str, str] = {}
    with tarfile.open(fileobj=io.BytesIO(archives[0].read_bytes()), mode="r:gz") as archive:
        for member in archive.getmembers():
            extracted = archive.extractfile(member)
            if extracted is not None:
                members[member.name] = extracted.read().decode("utf-8", errors="replace")
    everything = out + err + "".join(members.values())
    assert "s3.internal.example" in everything, "the endpoint is in the bundle, without its password"
    assert password not in everything and not leaked(everything), [
        name for name, text in members.items() if password in text or leaked(text)]


async def test_the_ingest_screen_lists_a_block_whose_profile_holds_markup(hostile_home: DoctorHome, moto: str,
                                                                         tmp_path: Path) -> None:
    from textual.widgets import Select

    from diagnostics.checks import prepare_context
    from diagnostics.context import context_from_environment
    from tests.snapshot_apps.harness import ScreenHarness
    from tui.screens.ingest import IngestScreen

    context = prepare_context(context_from_environment(None, str(hostile_home.wazuh_home), moto))
    app = ScreenHarness(lambda: IngestScreen(context, state_dir=tmp_path / "state"))
    async with app.run_test(size=(160, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, IngestScreen)
        await wait_until(pilot, lambda: len(screen.blocks) == 2)
        screen.query_one("#ingest-bucket", Select).value = next(
            key for key, (block, _) in screen.blocks.items() if block.value("aws_profile"))
        await pilot.pause()
        shown = screen_text(app)
    assert "hostile-profile" in shown and f"profile {PROFILE} :" in shown, "the profile keeps its brackets"


def test_the_output_stream_masks_a_secret_written_in_pieces() -> None:
    import io

    from tui.render_text import ScrubbingStream

    target = io.StringIO()
    stream = ScrubbingStream(target, [MINIO_SECRET])
    stream.write("key: minio-Sec")
    assert target.getvalue() == "", "a line is held until it is whole"
    stream.write("ret-Key-123456 done\npartial minio-Secret-Key-123456")
    stream.flush()
    assert target.getvalue() == "key: **** done\npartial ****"


def test_every_command_output_masks_a_known_secret_even_in_data(odd_secret_home: DoctorHome, moto: str,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    """A key whose name holds the environment's secret: the listing, in text and JSON, shows ``****``."""
    admin_client(moto).put_object(Bucket=BUCKET, Key=f"{DAY_PREFIX}{MINIO_SECRET}.json.gz",
                                  Body=trail_body(DAYS[2], 5))
    for extra in ((), ("--format", "json")):
        _, out, err = run_cli(capsys, "keys", *odd_secret_home.common(moto), "--bucket", BUCKET, "--prefix",
                              DAY_PREFIX, *extra)
        assert f"{DAY_PREFIX}****.json.gz" in out, out
        assert not leaked(out + err)


def test_an_unknown_secret_with_regex_characters_is_dropped_wholly_by_its_label() -> None:
    """From another host's log, so not known by value: the value after ``aws_secret_access_key=`` goes whole."""
    from diagnostics.log_explainer.parser import mask_secrets

    masked, kinds = mask_secrets(f"failed with aws_secret_access_key={REGEX_SECRET} at startup")
    assert masked == "failed with aws_secret_access_key=**** at startup" and kinds == ("secret key",)
