"""Our ``ingest``, ``keys --wodle-view`` and ``check`` against the real module on variations of the failure paths.

Each variation of ``tests/goldens/scenarios.py`` (another bucket type, several accounts or regions, the broken
object first or last, debug 0/1, path_suffix with a slash...) was run through Wazuh's unmodified 4.14.7 script
and recorded under ``tests/goldens/module_4_14_7/``; here the same bucket is rebuilt on the test server and, run
after run, our pass must give the module's exit code and event multiset (and its debug preamble, and the count of
events the next run sends again), ``keys --wodle-view`` must call "read" exactly the keys the module read (and
count the passed-over keys as the pass does), ``check`` must predict the module's exit code, and a pass seeded
``--from-wazuh-state`` must do what the module's next run did. Some variations were also recorded from 5.x.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import enable_auth, moto_post
from tests.goldens.scenarios import VARIATIONS
from tests.test_module_goldens import (
    GOLDENS,
    GOLDENS_5,
    Built,
    GoldenRun,
    build,
    payload_multiset,
    put_objects,
    read_keys,
    skipped_counts,
)


@dataclass(frozen=True)
class Expect:
    """How a variation's recording is read before comparing."""

    python_310_wording: bool = False
    """The recording ran on Python 3.11, whose ``with None`` error (a refused gzip under skip_on_error) differs
    from the 3.10 that 4.14 bundles and that we reproduce: compare after putting the golden into 3.10's words."""


EXPECT: dict[str, Expect] = {
    "var_remove_denied_broken_first_skip_on": Expect(python_310_wording=True),
}
PY311_NONE_CONTEXT = re.compile(r'Failed to decompress file (?P<key>[^:"]+): TypeError\(\\"\'NoneType\' object '
                                r'does not support the context manager protocol\\"\)')
"""Python 3.11's words for ``with None`` in a datagram (JSON-escaped quotes)."""


def in_python_310_words(datagrams: tuple[str, ...]) -> tuple[str, ...]:
    """The same datagrams as Python 3.10 words the refused-gzip error (exit-1 family, AttributeError)."""
    return tuple(PY311_NONE_CONTEXT.sub(lambda match: f"Unknown error reading/parsing file {match['key']}: "
                                                      "AttributeError('__enter__')", line) for line in datagrams)


def check_prediction(findings: list[dict[str, Any]]) -> int:
    """The exit ``check`` predicts: the first module exit code any finding gives, 0 when none stops the run."""
    for finding in findings:
        if finding["wazuh_exit_code"] is not None:
            return int(finding["wazuh_exit_code"])
    return 0


def compare(built: Built, name: str, capsys: pytest.CaptureFixture[str], root: Path = GOLDENS) -> list[str]:
    """Every disagreement between our faces and the module's recorded runs, in words.

    Per run: our pass on its own state first (it must know what the module's earlier runs left, deleted files
    included); then the bucket and Wazuh's state as the module left them for ``keys``, ``check`` and a pass
    seeded ``--from-wazuh-state``."""
    expect = EXPECT.get(name, Expect())
    problems: list[str] = []
    for number, run in enumerate(built.scenario.runs, start=1):
        golden = GoldenRun.load(name, number, root)
        if expect.python_310_wording and root == GOLDENS:  # 5.x runs the host's Python (3.11 here and there)
            golden = dataclasses.replace(golden, datagrams=in_python_310_words(golden.datagrams))
        if number > 1:
            put_objects(built, number)
        if run.options is not None:  # the admin edited the block before this run
            conf = built.home.conf.read_text()
            built.home.conf.write_text(conf.replace(built.scenario.block_xml(),
                                                    built.scenario.for_run(run).block_xml()))
        code, datagrams, summary, err = built.ingest(capsys, number, run.debug)
        problems += [f"run {number} {problem}" for problem in pass_problems(golden, code, datagrams)]
        following = built.scenario.runs[number:number + 1]
        if code and following and not following[0].objects and "details" in summary:
            resent = len(GoldenRun.load(name, number + 1, root).datagrams)
            if summary["details"]["resend_next_run"] != resent:
                problems.append(f"run {number} says {summary['details']['resend_next_run']} event(s) are sent "
                                f"again; the module's next run sent {resent}")
        ours_preamble = preamble("DEBUG: " + line.split(": DEBUG: ", 1)[1] for line in err.splitlines()
                                 if ": DEBUG: " in line)
        if summary and ours_preamble != preamble(golden.stdout.splitlines()):  # a pass ran (no preflight stop)
            problems.append(f"run {number} preamble: ours {ours_preamble} "
                            f"module {preamble(golden.stdout.splitlines())}")
        if number > 1:
            previous = GoldenRun.load(name, number - 1, root)
            replay_deletes(built, previous)
            built.module_state_after(previous)
        view: dict[str, Any] | None = None
        if run.debug >= 2:  # the module names the keys it reads from debug 2 on
            _code, view = built_keys(built, capsys)
            ours = read_keys(view.get("keys", []))
            if ours != list(golden.keys_read):
                problems.append(f"run {number} keys read: ours {ours} module {list(golden.keys_read)}")
            if code == 0 and "files_skipped" in summary \
                    and summary["files_skipped"] != skipped_counts(view.get("keys", [])):
                problems.append(f"run {number} ingest skipped {summary['files_skipped']}, keys lists "
                                f"{skipped_counts(view.get('keys', []))}")
        options = built.home.wazuh_home / "etc" / "local_internal_options.conf"
        options.write_text(f"wazuh_modules.debug={min(run.debug, 2)}\n")  # check predicts for this level
        _code, findings = built.check(capsys)
        predicted = check_prediction(findings)
        if predicted != golden.exit_code:
            problems.append(f"run {number} check predicts {predicted}, module exit {golden.exit_code}")
        if number > 1:
            code, datagrams, _summary, _err = built.ingest(capsys, number + 100, run.debug, "--from-wazuh-state",
                                                           "--state-dir", str(built.home.root / f"seeded-{number}"))
            problems += [f"run {number} from the module's state: {problem}"
                         for problem in pass_problems(golden, code, datagrams)]
    return problems


def pass_problems(golden: GoldenRun, code: int, datagrams: list[str]) -> list[str]:
    """Our pass against the module's run: exit code and event multiset."""
    problems = [f"ingest exit {code}, module {golden.exit_code}"] if code != golden.exit_code else []
    if payload_multiset(datagrams) != payload_multiset(golden.datagrams):
        ours_only = payload_multiset(datagrams) - payload_multiset(golden.datagrams)
        theirs_only = payload_multiset(golden.datagrams) - payload_multiset(datagrams)
        problems.append(f"events: ours {len(datagrams)} module {len(golden.datagrams)}; "
                        f"ours only {list(ours_only)[:1]}, module only {list(theirs_only)[:1]}")
    return problems


REMOVED = re.compile(r"^DEBUG: \+\+\+ Remove file from S3 Bucket:(?P<key>.+)$", re.MULTILINE)


def replay_deletes(built: Built, golden: GoldenRun) -> None:
    """Delete from the test bucket what the module deleted on that run (remove_from_bucket), with the seeding
    client and authentication briefly off: the doctor itself never deletes."""
    keys = [match["key"] for match in REMOVED.finditer(golden.stdout)]
    if "when calling the DeleteObject operation" in golden.stdout:
        keys = keys[:-1]  # the refused delete stopped the run
    if not keys:
        return
    moto_post(built.endpoint, "/moto-api/reset-auth", b"inf")
    for key in keys:
        built.s3.delete_object(Bucket=built.scenario.bucket, Key=key)
    if built.scenario.policy is not None:
        enable_auth(built.endpoint)


def preamble(lines: Iterable[str]) -> list[str]:
    """The DEBUG lines the script prints before it opens its state table (debug mode, region, retries)."""
    kept: list[str] = []
    for line in lines:
        if not line.startswith("DEBUG: ") or line.startswith("DEBUG: +++ Table") or "Working on" in line:
            break
        kept.append(line)
    return kept


def built_keys(built: Built, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    """``keys --wodle-view`` as JSON; a refusal (no JSON) reads as no keys."""
    try:
        return built.keys(capsys)
    except ValueError:
        return 2, {}


@pytest.mark.parametrize("name", [scenario.name for scenario in VARIATIONS])
def test_variation_agrees_with_the_module(name: str, moto: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    built = build(name, moto, tmp_path, monkeypatch)
    problems = compare(built, name, capsys)
    assert not problems, "\n".join(problems)


FIVE_X = ("var_guardduty_firehose_skip_off", "var_remove_denied_broken_first_skip_on", "var_preflight_bad_region",
          "var_remove_allowed_then_broken")
"""Variations also recorded from 5.x (``module_5_1_0``): GuardDuty via Firehose exits 12 at every debug level
there, and the host's Python words the refused gzip differently from 4.14's bundled 3.10."""


@pytest.mark.parametrize("name", FIVE_X)
def test_variation_agrees_with_the_five_x_module(name: str, moto: str, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    built = build(name, moto, tmp_path, monkeypatch)
    (built.home.wazuh_home / "VERSION.json").write_text('{"version": "5.1.0", "stage": "alpha0"}')
    problems = compare(built, name, capsys, GOLDENS_5)
    assert not problems, "\n".join(problems)
