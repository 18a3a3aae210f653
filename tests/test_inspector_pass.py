"""The Inspector pass over our own state, run after run, against recorded runs of the real module.

Each golden's findings are served by tests/inspector_server.py and the module's clock is replayed, so the pass
must send the same datagrams, print the same lines, ask ListFindings for the same window and leave the same
``aws_services`` rows as the module did; a second pass must ask only for what the module's second run asked for.
"""

from __future__ import annotations

import json
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from diagnostics.ingest.cloudwatch_state import CloudWatchState
from diagnostics.ingest.inspector_pass import InspectorPassResult, run_inspector_pass
from diagnostics.ingest.inspector_state import InspectorState
from diagnostics.ingest.services_state_file import SERVICES_FILE_NAME
from diagnostics.wazuh.services_state import StreamProgress
from diagnostics.wazuh.wodle import Block
from tests.inspector_server import ACCOUNT, inspector_server, sample_findings
from tests.test_inspector_cli import inspector_home as inspector_home
from tests.test_inspector_events import GOLDEN_NAMES, block_of, module_clock, recorded_host, without_end
from tests.test_inspector_events import local_zone as local_zone
from tests.test_service_access import context, load_golden, session, settings
from tui.cli import main

SCAN = "%Y-%m-%d %H:%M:%S.%f"


def debug_of(golden: dict[str, Any]) -> int:
    arguments = golden["arguments"]
    return int(arguments[arguments.index("--debug") + 1]) if "--debug" in arguments else 0


def run(tmp_path: Path, block: Block, endpoint: str, now: datetime, debug: int, *, wazuh_home: Path | None = None,
        from_wazuh_state: bool = False, cancel: threading.Event | None = None,
        after_send: Any = None, reset: bool = False
        ) -> tuple[InspectorPassResult, list[str], list[str], list[tuple[str, ...]]]:
    """One pass with our state in tmp_path/state: its result, lines, datagrams sent and the rows left."""
    ctx = context(tmp_path / "root", wazuh_home=wazuh_home).with_changes(now=now)
    state = InspectorState.open(tmp_path / "state", wazuh_db=ctx.services_db_path, from_wazuh_state=from_wazuh_state,
                                reset=reset)
    lines: list[str] = []
    sent: list[str] = []

    def send(datagram: str) -> None:
        sent.append(datagram)
        if after_send is not None:
            after_send(len(sent))

    try:
        result = run_inspector_pass(session(), block, ctx, settings(endpoint), ACCOUNT, state, debug, lines.append,
                                    send, cancel=cancel)
        rows = [tuple(row) for row in state.rows()]
    finally:
        state.close()
    return result, lines, sent, rows


@pytest.mark.parametrize("name", GOLDEN_NAMES)
def test_one_pass_sends_prints_asks_and_saves_what_the_module_did(tmp_path: Path, name: str, local_zone: None,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    golden, wazuh_home = recorded_host(tmp_path, name, monkeypatch)
    with inspector_server(golden["seed"]["findings"], golden["seed"]["page_size"],
                          deny=golden["seed"].get("deny")) as server:
        result, lines, sent, rows = run(tmp_path, block_of(golden["arguments"]), server.endpoint,
                                        module_clock(golden), debug_of(golden), wazuh_home=wazuh_home,
                                        from_wazuh_state=bool(golden["state_before"]))
    assert sent == list(result.datagrams) == golden["datagrams"]
    assert lines == golden["output"], "the module's lines, printed as the pass read"
    assert result.exit_code == golden["exit_code"]
    assert [without_end(request) for request in server.requests] == [without_end(request) for request in
                                                                       golden["requests"]]
    regions = {row[2] for row in golden["state"]["aws_services"]}
    if len(regions) <= 1:  # one clock for the run: each region of a longer run ended at its own "now"
        assert rows == [tuple(row) for row in golden["state"]["aws_services"]], "the module's rows, 5 kept"
    else:
        assert [row[:3] for row in rows] == [tuple(row[:3]) for row in golden["state"]["aws_services"]]


def test_the_second_pass_asks_only_for_the_modules_second_window(tmp_path: Path) -> None:
    golden = load_golden("inspector_window_moves")
    first_clock = datetime.strptime(golden["state_before"][-1][3], SCAN).replace(tzinfo=timezone.utc)
    block = block_of(golden["arguments"])
    older = [finding for finding in golden["seed"]["findings"] if not finding["findingArn"].endswith("beef")]
    (tmp_path / "root").mkdir()
    with inspector_server(older, golden["seed"]["page_size"]) as server:
        first, first_lines, first_sent, first_rows = run(tmp_path, block, server.endpoint, first_clock, 1)
        first_requests = list(server.requests)
        server.findings = golden["seed"]["findings"]
        server.requests.clear()
        second, lines, sent, rows = run(tmp_path, block, server.endpoint, module_clock(golden), 1)
    happy = load_golden("inspector_happy_debug2")  # the same block's first run, recorded at debug 2
    assert first_sent == happy["datagrams"] and first.exit_code == 0
    assert [without_end(request) for request in first_requests] == [without_end(r) for r in happy["requests"]]
    debug_two = ("Debug mode on", "Attempting to fetch", "configuration for retries")  # printed at debug 2 only
    assert first_lines == ["DEBUG: +++ Debug mode on - Level: 1"] + [
        line for line in happy["output"] if not any(part in line for part in debug_two)]
    assert first_rows == [tuple(row) for row in golden["state_before"]], "the first run's rows, as the module left"
    assert sent == golden["datagrams"], "only the finding updated since the first pass"
    assert lines == golden["output"]
    assert server.requests == golden["requests"], "the window from the first pass's scan to the second's clock"
    assert rows == [tuple(row) for row in golden["state"]["aws_services"]]
    assert second.regions_saved == ("us-east-1",)


def test_only_the_five_newest_scans_are_kept(tmp_path: Path) -> None:
    block = block_of(["--regions", "us-east-1", "--only_logs_after", "2026-NOV-25"])
    (tmp_path / "root").mkdir()
    with inspector_server(sample_findings()) as server:
        for minute in range(7):
            result, _lines, sent, rows = run(tmp_path, block, server.endpoint,
                                             datetime(2026, 12, 4, 12, minute, tzinfo=timezone.utc), 0)
            assert len(sent) == (3 if minute == 0 else 0) and result.exit_code == 0
    assert [row[3] for row in rows] == [f"2026-12-04 12:0{minute}:00.000000" for minute in range(2, 7)]


def test_a_cancelled_region_saves_nothing_and_the_next_pass_asks_again(tmp_path: Path) -> None:
    block = block_of(["--regions", "us-east-1", "--only_logs_after", "2026-NOV-25"])
    (tmp_path / "root").mkdir()
    cancel = threading.Event()
    now = datetime(2026, 12, 4, 12, 0, tzinfo=timezone.utc)
    with inspector_server(sample_findings(), 2) as server:
        first, _lines, sent, rows = run(tmp_path, block, server.endpoint, now, 1, cancel=cancel,
                                        after_send=lambda count: cancel.set() if count == 2 else None)
        assert first.cancelled and first.stopped_in == "us-east-1" and first.unsaved == 2
        assert len(sent) == 2 and len(server.requests) == 1, "the second page is never asked for"
        assert rows == [], "not even the first run's start row: the module commits a region at its end"
        server.requests.clear()
        _again, lines, resent, rows = run(tmp_path, block, server.endpoint, now, 1)
    assert resent[:2] == sent and len(resent) == 3, "the next pass sends the cancelled region's findings again"
    assert server.requests[0]["filterCriteria"]["updatedAt"][0]["startInclusive"] == \
        datetime(2026, 11, 25, tzinfo=timezone.utc).timestamp()
    assert "DEBUG: +++ Table does not exist; create" not in lines, "the table outlived the cancel, as the module's"
    assert [row[3] for row in rows] == ["2026-11-25 00:00:00.0", "2026-12-04 12:00:00.000000"]


def test_a_denied_list_findings_keeps_the_previous_scan(tmp_path: Path) -> None:
    golden = load_golden("inspector_list_findings_denied_debug1")
    block = block_of(["--regions", "us-east-1", "--only_logs_after", "2026-NOV-25"])
    (tmp_path / "root").mkdir()
    now = datetime(2026, 12, 4, 12, 0, tzinfo=timezone.utc)
    with inspector_server(sample_findings()) as server:
        _first, _lines, _sent, before = run(tmp_path, block, server.endpoint, now, 1)
    with inspector_server([], deny=golden["seed"]["deny"]) as server:
        denied, lines, _sent, after = run(tmp_path, block, server.endpoint, now.replace(hour=13), 1)
    assert denied.exit_code == golden["exit_code"] == 1 and denied.failure is not None
    assert lines[-1] == golden["output"][-1]
    assert after == before, "nothing of the failed region is saved"


def test_the_cli_pass_twice_sends_then_sends_only_the_finding_updated_since(
        inspector_home: Path, moto: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    golden = load_golden("inspector_window_moves")
    conf = inspector_home / "etc" / "ossec.conf"
    conf.write_text(conf.read_text().replace('      <discard_regex field="packageVulnerabilityDetails.vulnerable'
                                             'Packages.name">lod</discard_regex>\n', ""))
    older = [finding for finding in golden["seed"]["findings"] if not finding["findingArn"].endswith("beef")]
    state = tmp_path / "state"
    with inspector_server(older, upstream=moto) as server:
        argv = ["ingest", "--wazuh-home", str(inspector_home), "--endpoint-url", server.endpoint, "--block", "5",
                "--debug", "1", "--state-dir", str(state), "--events-out"]
        assert main([*argv, str(tmp_path / "first.txt")]) == 0
        first_err = capsys.readouterr().err
        newer = json.loads(json.dumps(next(finding for finding in golden["seed"]["findings"]
                                           if finding["findingArn"].endswith("beef"))))
        newer["updatedAt"] = round(time.time(), 3)
        server.findings = [*older, newer]
        time.sleep(0.01)
        assert main([*argv, str(tmp_path / "second.txt")]) == 0
        second_err = capsys.readouterr().err
    assert (tmp_path / "first.txt").read_text().splitlines() == load_golden("inspector_happy_debug2")["datagrams"]
    updated = datetime.fromtimestamp(newer["updatedAt"]).strftime("%Y-%m-%dT%H:%M:%SZ")  # local zone, then a Z
    assert (tmp_path / "second.txt").read_text().splitlines() == [
        datagram.replace('"updatedAt": "2026-12-04T16:47:31Z"', f'"updatedAt": "{updated}"')
        for datagram in golden["datagrams"]]
    assert "3 event(s) sent, 0 skipped; the module's exit: 0" in first_err
    client_config = ("retries", "Region '", "Created Config")  # this home has a ~/.aws/config; the recording not
    assert [line for line in second_err.splitlines() if line.startswith("DEBUG: ")
            and not any(part in line for part in client_config)] == golden["output"]
    first_end = server.requests[0]["filterCriteria"]["updatedAt"][0]["endInclusive"]
    assert server.requests[-1]["filterCriteria"]["updatedAt"][0]["startInclusive"] == first_end, \
        "the second window starts where the first ended"
    assert (state / SERVICES_FILE_NAME).is_file() and not (inspector_home / "wodles").exists()


def test_reset_starts_inspector_over_and_keeps_the_cloudwatch_rows(tmp_path: Path) -> None:
    block = block_of(["--regions", "us-east-1", "--only_logs_after", "2026-NOV-25"])
    (tmp_path / "root").mkdir()
    now = datetime(2026, 12, 4, 12, 0, tzinfo=timezone.utc)
    with inspector_server(sample_findings()) as server:
        run(tmp_path, block, server.endpoint, now, 1)
        cloudwatch = CloudWatchState.open(tmp_path / "state", wazuh_db=tmp_path / "none.db")
        cloudwatch.save("us-east-1", "g", StreamProgress("s", "t", 1, 2))
        cloudwatch.close()
        _again, _lines, resent, _rows = run(tmp_path, block, server.endpoint, now.replace(hour=13), 1)
        _reset, lines, sent, rows = run(tmp_path, block, server.endpoint, now.replace(hour=14), 1, reset=True)
    assert resent == [] and len(sent) == 3, "after --reset, the first run's window again"
    assert "DEBUG: +++ Table does not exist; create" in lines
    assert [row[3] for row in rows] == ["2026-11-25 00:00:00.0", "2026-12-04 14:00:00.000000"]
    cloudwatch = CloudWatchState.open(tmp_path / "state", wazuh_db=tmp_path / "none.db")
    assert cloudwatch.rows() == [("us-east-1", "g", "s", "t", 1, 2)], "--reset of Inspector leaves CloudWatch's rows"
    cloudwatch.close()
