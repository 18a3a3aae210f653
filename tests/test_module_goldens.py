"""Our ``ingest``, ``keys --wodle-view`` and ``check`` against what the real module did on the same scenarios.

Each scenario of ``tests/goldens/scenarios.py`` was run through Wazuh's unmodified aws-s3 script (4.14.7)
and recorded under ``tests/goldens/module_4_14_7/``; here the same bucket is rebuilt on the test server and
our commands must give the module's exit code, the same datagrams and the same state, run after run.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import admin_client, enable_auth, moto_post
from tests.goldens.scenarios import ACCOUNT, BY_NAME, DAY2, DAY3, Scenario, guardduty_key, seed, trail_key
from tests.hardening_support import DoctorHome, make_home, ossec_conf, run_cli
from tests.layout_support import create_state_db

GOLDENS = Path(__file__).resolve().parent / "goldens" / "module_4_14_7"
GOLDENS_5 = GOLDENS.parent / "module_5_1_0"


@dataclass(frozen=True)
class GoldenRun:
    """What the module did on one run of a scenario."""

    exit_code: int
    datagrams: tuple[str, ...]
    keys_read: tuple[str, ...]
    state: dict[str, list[list[Any]]]
    stdout: str

    @classmethod
    def load(cls, scenario: str, run: int, root: Path = GOLDENS) -> GoldenRun:
        folder = root / scenario / f"run{run}"
        facts = json.loads((folder / "result.json").read_text())
        datagrams = tuple((folder / "datagrams.txt").read_text().splitlines())
        return cls(facts["exit_code"], datagrams, tuple(facts["keys_read"]), facts["state"],
                   (folder / "stdout.txt").read_text())

    def error_line(self) -> str:
        """The script's last ``ERROR: `` line, without the prefix our log format adds back."""
        errors = [line for line in self.stdout.splitlines() if line.startswith("ERROR: ")]
        return errors[-1][len("ERROR: "):]

    def state_keys(self) -> list[str]:
        """The log_key column of every row the module committed."""
        keys: list[str] = []
        for rows in self.state.values():
            column = rows[0].index("log_key")
            keys.extend(str(row[column]) for row in rows[1:])
        return sorted(keys)


@dataclass(frozen=True)
class Built:
    """A scenario rebuilt on the test server: the doctor's home and the admin S3 client."""

    home: DoctorHome
    endpoint: str
    s3: Any
    scenario: Scenario

    def ingest(self, capsys: pytest.CaptureFixture[str], run: int, debug: int = 2,
               *extra: str) -> tuple[int, list[str], dict[str, Any], str]:
        """One pass; returns (exit status, datagrams, the JSON summary, stderr)."""
        events = self.home.root / f"events-{run}.txt"
        code, out, err = run_cli(capsys, "ingest", *self.home.common(self.endpoint, self.scenario.bucket),
                                 "--debug", str(debug), "--events-out", str(events), "--state-dir",
                                 str(self.home.root / "state"), "--format", "json", *extra)
        datagrams = events.read_text().splitlines() if events.exists() else []
        summary = json.loads(out) if out.strip().startswith("{") else {}
        return code, datagrams, summary, err

    def keys(self, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
        code, out, _err = run_cli(capsys, "keys", *self.home.common(self.endpoint, self.scenario.bucket),
                                  "--wodle-view", "--format", "json")
        return code, json.loads(out)

    def module_state_after(self, golden: GoldenRun) -> None:
        """Write the module's own state database as the recorded run left it."""
        rows = {table: [tuple(row[:-1]) for row in table_rows[1:]] for table, table_rows in golden.state.items()}
        create_state_db(self.home.state_db, rows)

    def check(self, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict[str, Any]]]:
        code, out, _err = run_cli(capsys, "check", *self.home.common(self.endpoint, self.scenario.bucket),
                                  "--format", "json")
        return code, json.loads(out)["findings"]


def build(name: str, moto: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
          policy: dict[str, Any] | None = None) -> Built:
    """Seed the scenario's bucket, write ossec.conf and root's ~/.aws as the recorder did (``policy``
    replaces the scenario's IAM policy for checks whose module behaviour is the same)."""
    scenario = BY_NAME[name]
    if policy is not None:
        scenario = dataclasses.replace(scenario, policy=policy)
    s3 = admin_client(moto)
    if scenario.args_override is None or scenario.objects:
        seed(s3, scenario, scenario.objects)
    credentials = None
    if scenario.policy is not None:
        iam = admin_client(moto, "iam")
        iam.create_user(UserName="golden-module")
        iam.put_user_policy(UserName="golden-module", PolicyName="golden",
                            PolicyDocument=json.dumps(scenario.policy))
        created = iam.create_access_key(UserName="golden-module")["AccessKey"]
        credentials = (f"[default]\naws_access_key_id = {created['AccessKeyId']}\n"
                       f"aws_secret_access_key = {created['SecretAccessKey']}\n")
    wodle_options = "    <skip_on_error>yes</skip_on_error>\n" if scenario.skip_on_error else ""
    home = make_home(tmp_path, monkeypatch, ossec_conf(wodle_options, scenario.block_xml()),
                     credentials=credentials, config=scenario.aws_config)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    if scenario.policy is not None:
        enable_auth(moto)
    return Built(home, moto, s3, scenario)


def put_objects(built: Built, run: int) -> None:
    """The objects the recorder put before this run (admin credentials: auth is off in these scenarios)."""
    objects = built.scenario.runs[run - 1].objects
    if objects:
        seed(built.s3, built.scenario, objects)


def payload_multiset(datagrams: list[str] | tuple[str, ...]) -> Counter[str]:
    """Datagrams compared as parsed JSON with sorted keys (byte order of keys is checked elsewhere)."""
    return Counter(json.dumps(json.loads(line.split(":", 2)[2]), sort_keys=True) for line in datagrams)


def read_keys(rows: list[dict[str, Any]]) -> list[str]:
    return [row["key"] for row in rows if row["status"] == "read"]


def by_key(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["key"]: row for row in rows}


# -- a run that stops mid-walk commits nothing ----------------------------------------------------------------

@pytest.mark.parametrize("name", ["stop_mid_walk_gzip", "stop_mid_walk_parse"])
def test_a_run_stopped_mid_walk_commits_nothing_and_resends(name: str, moto: str, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    built = build(name, moto, tmp_path, monkeypatch)
    for run in (1, 2):
        golden = GoldenRun.load(name, run)
        code, datagrams, summary, err = built.ingest(capsys, run)
        assert code == golden.exit_code
        assert datagrams == list(golden.datagrams), f"run {run}: the same datagrams, in the same order"
        assert golden.state_keys() == []
        assert summary["details"]["resend_next_run"] == len(golden.datagrams)
        assert f"{len(golden.datagrams)} event(s)" in err
        assert golden.error_line() in err, "the module's own error line, word for word"


def test_check_says_where_the_run_stops_and_what_it_costs(moto: str, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    built = build("stop_mid_walk_gzip", moto, tmp_path, monkeypatch)
    golden = GoldenRun.load("stop_mid_walk_gzip", 1)
    _code, findings = built.check(capsys)
    (stop,) = [f for f in findings if f["failure_id"] == "walk.stops_at_file"]
    assert golden.keys_read[-1] in stop["title"] and f"exit {golden.exit_code}" in stop["title"]
    assert "1 listed file(s) after it are not read" in stop["title"]
    assert golden.exit_code in [f["wazuh_exit_code"] for f in findings], "the predicted exit is the module's"


# -- remove_from_bucket without delete permission ------------------------------------------------------------

def test_remove_from_bucket_denied_exits_1_and_resends_every_run(moto: str, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    built = build("remove_denied", moto, tmp_path, monkeypatch)
    for run in (1, 2):
        golden = GoldenRun.load("remove_denied", run)
        code, datagrams, summary, err = built.ingest(capsys, run)
        assert (code, datagrams) == (golden.exit_code, list(golden.datagrams))
        assert summary["details"]["resend_next_run"] == len(golden.datagrams)
        assert f"ERROR: {golden.error_line()}" in err, "the module's doubled ERROR line, word for word"
    _code, view = built.keys(capsys)
    assert read_keys(view["keys"]) == list(GoldenRun.load("remove_denied", 1).keys_read), \
        "keys: the run stops after the first file, so the second is not read"
    assert [f["failure_id"] for f in view["findings"]] == ["access.remove_denied"]
    moto_post(moto, "/moto-api/reset-auth", b"inf")  # moto's root keys list what is left
    assert sorted(o["Key"] for o in built.s3.list_objects_v2(Bucket=built.scenario.bucket)["Contents"]) == \
        sorted(key for key, _ in built.scenario.objects), "nothing was deleted"


def test_check_finds_the_refused_delete_without_deleting(moto: str, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    built = build("remove_denied", moto, tmp_path, monkeypatch)
    golden = GoldenRun.load("remove_denied", 1)
    _code, findings = built.check(capsys)
    (remove,) = [f for f in findings if f["check_id"] == "access.remove_from_bucket"]
    assert remove["failure_id"] == "access.remove_denied"
    assert remove["wazuh_exit_code"] == golden.exit_code
    assert "identity policies" in " ".join(remove["evidence"])
    assert "sends its events again" in remove["explanation"]


def test_check_reads_a_bucket_policy_deny(moto: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    built = build("stop_mid_walk_gzip", moto, tmp_path, monkeypatch)
    built.s3.put_bucket_policy(Bucket=built.scenario.bucket, Policy=json.dumps({"Statement": [
        {"Sid": "NoDeletes", "Effect": "Deny", "Principal": "*", "Action": "s3:DeleteObject",
         "Resource": f"arn:aws:s3:::{built.scenario.bucket}/*"}]}))
    conf = built.home.conf.read_text().replace("</only_logs_after>",
                                               "</only_logs_after>\n      <remove_from_bucket>yes</remove_from_bucket>")
    built.home.conf.write_text(conf)
    _code, findings = built.check(capsys)
    (remove,) = [f for f in findings if f["check_id"] == "access.remove_from_bucket"]
    assert remove["failure_id"] == "access.remove_denied"
    assert "statement NoDeletes denies s3:DeleteObject" in " ".join(remove["evidence"])


CONDITIONAL_READER = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["s3:*", "sts:GetCallerIdentity"], "Resource": "*",
     "Condition": {"Bool": {"aws:SecureTransport": "true"}}},
    {"Effect": "Allow", "Action": "iam:*", "Resource": "*"}]}
"""A policy whose S3 grant hangs on a Condition: nothing readable settles whether a delete is allowed."""


def test_check_says_it_cannot_know_when_nothing_readable_settles_it(moto: str, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    built = build("remove_denied", moto, tmp_path, monkeypatch, policy=CONDITIONAL_READER)
    _code, findings = built.check(capsys)
    (remove,) = [f for f in findings if f["check_id"] == "access.remove_from_bucket"]
    assert remove["failure_id"] == "access.remove_unknown"
    assert remove["status"] == "warning" and remove["wazuh_exit_code"] is None
    assert "Condition" in remove["explanation"]


# -- skip_on_error off and a broken object -------------------------------------------------------------------

def test_skip_on_error_off_stops_at_the_broken_object(moto: str, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    built = build("skip_off_broken_custom", moto, tmp_path, monkeypatch)
    golden = GoldenRun.load("skip_off_broken_custom", 1)
    code, datagrams, _summary, err = built.ingest(capsys, 1)
    assert (code, datagrams) == (golden.exit_code, list(golden.datagrams))
    assert golden.error_line() in err
    _code, view = built.keys(capsys)
    rows = by_key(view["keys"])
    broken, after = golden.keys_read[-1], [key for key, _ in built.scenario.objects][-1]
    assert rows[broken]["status"] == "read" and f"exit {golden.exit_code}" in rows[broken]["explanation"]
    assert rows[after]["status"] == "skipped" and rows[after]["reason"] == "after_stop"
    assert read_keys(view["keys"]) == list(golden.keys_read)
    assert any(f["failure_id"] == "walk.stops_at_file" for f in view.get("findings", []))
    _code, out, _err = run_cli(capsys, "keys", *built.home.common(built.endpoint, built.scenario.bucket),
                               "--wodle-view")
    (line,) = [row for row in out.splitlines() if row.rstrip().endswith(")") and after in row]
    assert "not read this run" in line and "after_stop" not in line, "the reason in words, not its code"
    _code, findings = built.check(capsys)
    assert any(f["failure_id"] == "walk.stops_at_file" and broken in f["title"] for f in findings)


# -- Config: a key without a date folder ---------------------------------------------------------------------

def test_config_key_without_a_date_folder_exits_7(moto: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    built = build("config_no_date_folder", moto, tmp_path, monkeypatch)
    golden = GoldenRun.load("config_no_date_folder", 1)
    code, datagrams, _summary, err = built.ingest(capsys, 1)
    assert (code, datagrams) == (golden.exit_code, list(golden.datagrams))
    (module_error,) = [line for line in golden.stdout.splitlines() if line.startswith("ERROR: ")]
    assert module_error[len("ERROR: "):] in err
    assert "DEBUG: +++ Unexpected error: '<' not supported" in err
    _code, findings = built.check(capsys)
    assert golden.exit_code in [f["wazuh_exit_code"] for f in findings], "check predicts the module's exit 7"
    text = json.dumps(findings)
    assert "InvalidRange" not in text and "416" not in text
    assert f"AWSLogs/{ACCOUNT}/Config/ConfigWritabilityCheckFile" not in text, \
        "the key outside the region prefixes is never probed"


# -- GuardDuty: folder account and a marker shared across regions --------------------------------------------

def test_guardduty_runs_match_and_the_borrowed_marker_is_said(moto: str, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    built = build("guardduty_marker_regions", moto, tmp_path, monkeypatch)
    for run in (1, 2):
        put_objects(built, run)
        golden = GoldenRun.load("guardduty_marker_regions", run)
        code, datagrams, _summary, _err = built.ingest(capsys, run)
        assert (code, datagrams) == (golden.exit_code, list(golden.datagrams))
    built.module_state_after(GoldenRun.load("guardduty_marker_regions", 1))
    _code, view = built.keys(capsys)
    golden = GoldenRun.load("guardduty_marker_regions", 2)
    assert read_keys(view["keys"]) == list(golden.keys_read)
    late = guardduty_key("eu-west-1", DAY3, "gd-eu-2")
    row = by_key(view["keys"])[late]
    assert row["status"] == "skipped" and "no region column" in row["explanation"]
    assert "Workaround" in row["explanation"]
    code, out, _err = run_cli(capsys, "keys", *built.home.common(built.endpoint, built.scenario.bucket),
                              "--prefix", late.rsplit("/", 1)[0] + "/", "--format", "json")
    browsed = by_key(json.loads(out)["keys"])[late]
    assert browsed["status"] == "skipped" and "no region column" in browsed["explanation"], \
        "Browse (one level) says it as loudly as the walk"
    _code, findings = built.check(capsys)
    (borrowed,) = [f for f in findings if f["failure_id"] == "layout.marker_from_other_region"]
    assert borrowed["status"] == "error" and "1 file(s) in eu-west-1 will never be read" in borrowed["title"]
    assert late in borrowed["explanation"] and "--reparse" in borrowed["fix"]


# -- keys before the marker ----------------------------------------------------------------------------------

def test_keys_before_the_marker_are_listed_as_skipped_in_words(moto: str, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    built = build("keys_before_marker", moto, tmp_path, monkeypatch)
    put_objects(built, 2)
    first, second = GoldenRun.load("keys_before_marker", 1), GoldenRun.load("keys_before_marker", 2)
    built.module_state_after(first)
    _code, view = built.keys(capsys)
    rows = by_key(view["keys"])
    assert read_keys(view["keys"]) == list(second.keys_read) == []
    late = trail_key(DAY2, 2)
    assert rows[late]["status"] == "skipped" and rows[late]["reason"] == "before_marker"
    assert "sorts at or before the marker" in rows[late]["explanation"]
    assert {rows[key]["status"] for key in first.keys_read} == {"processed"}


def test_error_events_carry_the_whole_repr_the_module_sends(moto: str, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    """skip_on_error and objects that are not UTF-8: each error_msg is the module's repr of the decoded
    chunk (23,641 characters for the binary one), byte for byte; only the text face folds it."""
    built = build("skip_on_error_long_reprs", moto, tmp_path, monkeypatch)
    golden = GoldenRun.load("skip_on_error_long_reprs", 1)
    code, datagrams, summary, err = built.ingest(capsys, 1)
    assert (code, datagrams) == (golden.exit_code, list(golden.datagrams))
    messages = [json.loads(line.split(":", 2)[2]).get("error_msg", "") for line in datagrams]
    assert max(len(message) for message in messages) > 20_000 and summary["error_events"] == 2
    skipping = [line.split("DEBUG: ", 1)[1] for line in err.splitlines() if line.endswith("; skipping...")]
    assert skipping == [line.split("DEBUG: ", 1)[1] for line in golden.stdout.splitlines()
                        if line.endswith("; skipping...")]
    _code, text, _err = run_cli(capsys, "ingest", *built.home.common(built.endpoint, built.scenario.bucket),
                                "--state-dir", str(built.home.root / "state-text"), "--events-out",
                                str(built.home.root / "events-text.txt"))
    assert "more characters not shown" in text and max(len(line) for line in text.splitlines()) < 3000
    binary = built.scenario.objects[1][0]
    _code, shown, _err = run_cli(capsys, "preview", *built.home.common(built.endpoint, built.scenario.bucket),
                                 "--key", binary)
    assert "more characters not shown" in shown and max(len(line) for line in shown.splitlines()) < 3000
    sent = [json.loads(line.split(":", 2)[2]) for line in golden.datagrams if binary in line]
    assert sent and all(sent[0]["error_msg"] not in line for line in shown.splitlines())


def skipped_counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    """``keys --wodle-view``'s skipped rows counted by reason."""
    return dict(Counter(str(row["reason"]) for row in rows if row["status"] == "skipped"))


def test_ingest_counts_the_passed_over_keys_as_keys_lists_them(moto: str, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """For the same walk, the pass's skipped counts are keys' skipped rows: a key older than only_logs_after
    on the first run, the late upload behind the marker on the second (from the marker's state on, both
    look back only to only_logs_after)."""
    built = build("keys_before_marker", moto, tmp_path, monkeypatch)
    old = trail_key("2026/10/30", 9)
    seed(built.s3, built.scenario, ((old, b"never read"),))
    first, second = GoldenRun.load("keys_before_marker", 1), GoldenRun.load("keys_before_marker", 2)
    _code, view = built.keys(capsys)
    assert by_key(view["keys"])[old]["reason"] == "before_only_logs_after"
    code, datagrams, summary, _err = built.ingest(capsys, 1)
    assert (code, payload_multiset(datagrams)) == (first.exit_code, payload_multiset(first.datagrams))
    assert summary["files_skipped"] == skipped_counts(view["keys"]) == {"before_only_logs_after": 1}
    put_objects(built, 2)
    built.module_state_after(first)
    _code, view = built.keys(capsys)
    code, datagrams, summary, _err = built.ingest(capsys, 2, 2, "--from-wazuh-state")
    assert (code, datagrams) == (second.exit_code, list(second.datagrams)) == (0, [])
    assert summary["files_skipped"] == skipped_counts(view["keys"]) == {"before_marker": 1}
    _code, text, _err = run_cli(capsys, "ingest", *built.home.common(built.endpoint, built.scenario.bucket),
                                "--state-dir", str(built.home.root / "state-text"), "--from-wazuh-state",
                                "--events-out", str(built.home.root / "events-text.txt"))
    assert "1 skipped (1 behind the marker with no state row)" in text  # in words, not the code


# -- discard_regex on a number -------------------------------------------------------------------------------

def test_discard_regex_on_a_number_never_matches(moto: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    built = build("discard_regex_non_string", moto, tmp_path, monkeypatch)
    golden = GoldenRun.load("discard_regex_non_string", 1)
    code, datagrams, summary, err = built.ingest(capsys, 1)
    assert (code, datagrams) == (golden.exit_code, list(golden.datagrams))
    assert "holds a number" in err, "the pass's log says why nothing is discarded"
    assert any(f["failure_id"] == "decode.discard_never_matches" for f in summary["findings"])
    _code, findings = built.check(capsys)
    (never,) = [f for f in findings if f["failure_id"] == "decode.discard_never_matches"]
    assert "additionalEventData.bytesTransferredIn" in never["title"] and "number" in never["title"]


# -- the script's debug preamble -----------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["debug_preamble_with_config", "debug_preamble_with_retries", "stop_mid_walk_gzip"])
def test_the_debug_preamble_is_logged_where_the_module_prints_it(name: str, moto: str, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    built = build(name, moto, tmp_path, monkeypatch)
    golden = GoldenRun.load(name, 1)
    _code, _datagrams, _summary, err = built.ingest(capsys, 1)
    ours = [line.split(": DEBUG: ", 1)[1] for line in err.splitlines() if ": DEBUG: " in line]
    theirs = [line[len("DEBUG: "):] for line in golden.stdout.splitlines() if line.startswith("DEBUG: ")]
    assert ours[:4] == theirs[:4], "debug mode, the client configuration lines, then the table"


# -- preflight exits -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "run"), [("preflight_bad_bucket_name", 1), ("preflight_role_denied", 1),
                                           ("preflight_profile_config_only", 1),
                                           ("preflight_profile_config_only", 2), ("preflight_role_denied", 2)])
def test_preflight_failures_give_the_module_exit(name: str, run: int, moto: str, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    built = build(name, moto, tmp_path, monkeypatch)
    golden = GoldenRun.load(name, run)
    code, datagrams, _summary, _err = built.ingest(capsys, run, built.scenario.runs[run - 1].debug)
    assert (code, datagrams) == (golden.exit_code, list(golden.datagrams))


# -- path_suffix beside an unsuffixed layout -----------------------------------------------------------------

def test_path_suffix_beside_an_unsuffixed_layout_is_no_error(moto: str, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    built = build("path_suffix_beside_unsuffixed", moto, tmp_path, monkeypatch)
    golden = GoldenRun.load("path_suffix_beside_unsuffixed", 1)
    code, datagrams, _summary, _err = built.ingest(capsys, 1)
    assert (code, datagrams) == (golden.exit_code, list(golden.datagrams))
    _code, findings = built.check(capsys)
    inference = [f for f in findings if f["check_id"] == "layout.inference"]
    assert [f["failure_id"] for f in inference] == ["layout.matches_keys"], \
        "the suffixed keys the module reads exist: no change may be proposed"


def test_five_x_rewinds_one_day_and_reads_the_late_file(moto: str, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    built = build("keys_before_marker", moto, tmp_path, monkeypatch)
    (built.home.wazuh_home / "VERSION.json").write_text('{"version": "5.1.0", "stage": "alpha0"}')
    for run in (1, 2):
        put_objects(built, run)
        golden = GoldenRun.load("keys_before_marker", run, GOLDENS_5)
        code, datagrams, _summary, _err = built.ingest(capsys, run)
        assert (code, datagrams) == (golden.exit_code, list(golden.datagrams))
    built.module_state_after(GoldenRun.load("keys_before_marker", 1, GOLDENS_5))
    _code, view = built.keys(capsys)
    assert read_keys(view["keys"]) == list(GoldenRun.load("keys_before_marker", 2, GOLDENS_5).keys_read)


@pytest.mark.parametrize(("name", "run"), [("preflight_bad_bucket_name", 1), ("preflight_role_denied", 2),
                                           ("preflight_profile_config_only", 2)])
def test_check_predicts_the_preflight_exit_at_debug_0(name: str, run: int, moto: str, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    built = build(name, moto, tmp_path, monkeypatch)
    golden = GoldenRun.load(name, run)
    _code, findings = built.check(capsys)
    predicted = [f["wazuh_exit_code"] for f in findings if f["wazuh_exit_code"] is not None]
    assert predicted[:1] == [golden.exit_code], "no internal_options: debug 0, the module's first exit"
