"""The next Inspector run's datagrams, compared byte for byte with recorded runs of the real module.

Each golden's findings are served again by tests/inspector_server.py; the module's state before the run
and its clock (the scan_date it saved) are replayed, so the window asked for must match too.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from diagnostics.aws.clients import settings_for
from diagnostics.ingest.inspector_events import (
    InspectorFailure,
    inspector_message,
    inspector_windows,
    next_inspector_events,
)
from diagnostics.ingest.inspector_log import inspector_run_lines, module_exit
from diagnostics.wazuh.wodle import Block, Option
from tests.inspector_server import ACCOUNT, inspector_server, sample_findings
from tests.test_service_access import GOLDENS, context, load_golden, service_block, session, settings

GOLDEN_NAMES = sorted(path.name for path in GOLDENS.glob("inspector_*"))


def block_of(arguments: list[str]) -> Block:
    """The `<service type="inspector">` block whose command line the golden recorded."""
    names = {"--regions": "regions", "--only_logs_after": "only_logs_after"}
    options = {names[flag]: arguments[index + 1] for index, flag in enumerate(arguments) if flag in names}
    block = service_block("inspector", **options)
    if "--discard-regex" not in arguments:
        return block
    regex = Option("discard_regex", arguments[arguments.index("--discard-regex") + 1], 30,
                   {"field": arguments[arguments.index("--discard-field") + 1]})
    return Block(block.kind, block.block_type, block.location, block.options, block.index, regex)


def write_state(wazuh_home: Path, rows: list[list[Any]]) -> None:
    """aws_services.db with the module's Inspector table and the rows it held before the run."""
    if not rows:
        return  # a first run: the module found no database (it creates the table and says so)
    path = wazuh_home / "wodles" / "aws" / "aws_services.db"
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE aws_services (service_name 'text' NOT NULL, aws_account_id 'text' NOT NULL, "
                           "aws_region 'text' NOT NULL, scan_date 'text' NOT NULL, "
                           "PRIMARY KEY (service_name, aws_account_id, aws_region, scan_date))")
        connection.executemany("INSERT INTO aws_services VALUES (?, ?, ?, ?)", rows)
    connection.close()


def module_clock(golden: dict[str, Any]) -> datetime:
    """The module's "now" for the run: the newest scan_date it saved, else (nothing saved after a failed run)
    the end of the last window it asked for."""
    saved = [row[3] for row in golden["state"]["aws_services"]]
    if saved:
        return datetime.strptime(max(saved), "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=timezone.utc)
    end = float(golden["requests"][-1]["filterCriteria"]["updatedAt"][0]["endInclusive"])
    return datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(microseconds=round(end * 1_000_000))


@pytest.fixture
def local_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Restores the process's zone after a test that sets TZ (botocore parses epochs in the local zone)."""
    yield
    monkeypatch.undo()
    time.tzset()


def recorded_host(tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, Any], Path]:
    """The golden and a Wazuh home set up as the module's host was when it was recorded (environment and zone, the
    state it had saved, root's ~/.aws/config), because a pass must start from exactly that to match it."""
    golden = load_golden(name)
    for variable, value in golden["environment"].items():
        monkeypatch.setenv(variable, value)
    time.tzset()
    wazuh_home = tmp_path / "ossec"
    write_state(wazuh_home, golden["state_before"])
    (tmp_path / "root" / ".aws").mkdir(parents=True)
    if golden.get("aws_config") is not None:
        (tmp_path / "root" / ".aws" / "config").write_text(golden["aws_config"])
    return golden, wazuh_home


@pytest.mark.parametrize("name", GOLDEN_NAMES)
def test_next_run_sends_exactly_what_the_module_sent(tmp_path: Path, name: str, local_zone: None,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    golden, wazuh_home = recorded_host(tmp_path, name, monkeypatch)
    ctx = context(tmp_path / "root", wazuh_home=wazuh_home).with_changes(now=module_clock(golden))
    failures: list[InspectorFailure] = []
    pages: list[tuple[str, int]] = []
    block = block_of(golden["arguments"])
    with inspector_server(golden["seed"]["findings"], golden["seed"]["page_size"],
                          deny=golden["seed"].get("deny")) as server:
        windows = inspector_windows(block, ctx, ACCOUNT)
        events = list(next_inspector_events(session(), block, ctx, settings(server.endpoint), ACCOUNT,
                                            failures=failures, pages=pages))
    assert [event.datagram for event in events if event.dropped_by is None] == golden["datagrams"]
    assert [without_end(request) for request in server.requests] == [without_end(request) for request in
                                                                       golden["requests"]], "same windows and pages"
    assert server.requests[-1] == golden["requests"][-1], "the last region's window ends at the module's clock"
    assert server.signing_regions == golden.get("signing_regions", server.signing_regions), "the region read"
    arguments = golden["arguments"]
    debug = int(arguments[arguments.index("--debug") + 1]) if "--debug" in arguments else 0
    assert module_exit(failures, debug) == golden["exit_code"]
    lines = inspector_run_lines(block, ctx, debug, windows, events, pages, failures)
    assert lines == golden["output"], "the module's ossec.log lines for the run"


def without_end(request: dict[str, Any]) -> dict[str, Any]:
    """A ListFindings body without the window's end: each region's run ends at its own "now"."""
    window = dict(request["filterCriteria"]["updatedAt"][0])
    window.pop("endInclusive")
    return {**request, "filterCriteria": {"updatedAt": [window]}}


def test_the_discarded_finding_is_named_with_the_reason(tmp_path: Path) -> None:
    golden = load_golden("inspector_discard_nested_list")
    (tmp_path / "root").mkdir()
    ctx = context(tmp_path / "root").with_changes(now=module_clock(golden))
    with inspector_server(golden["seed"]["findings"]) as server:
        events = list(next_inspector_events(session(), block_of(golden["arguments"]), ctx,
                                            settings(server.endpoint), ACCOUNT))
    dropped = [event for event in events if event.dropped_by is not None]
    assert [event.finding_arn[-4:] for event in dropped] == ["1122"]
    assert "'lod'" in (dropped[0].dropped_by or "")
    assert any("regex found a match" in line for line in golden["output"])


def test_an_unsupported_region_stops_the_run_with_exit_22(tmp_path: Path) -> None:
    (tmp_path / "root").mkdir()
    block = service_block("inspector", regions="us-east-1,us-gov-west-1", only_logs_after="2026-NOV-25")
    failures: list[InspectorFailure] = []
    with inspector_server(sample_findings()) as server:
        events = list(next_inspector_events(session(), block, context(tmp_path / "root"),
                                            settings(server.endpoint), ACCOUNT, failures=failures))
    assert len(events) == 3, "us-east-1 sorts first and is read before the run stops"
    assert [(failure.loop_region, failure.exit_code) for failure in failures] == [("us-gov-west-1", 22)]


def test_created_and_updated_get_a_z_while_other_timestamps_keep_their_zone() -> None:
    moment = datetime(2026, 12, 1, 18, 0, 0, 500000, tzinfo=timezone.utc)
    message = inspector_message({"findingArn": "a", "createdAt": moment, "updatedAt": moment,
                                 "firstObservedAt": moment})
    assert message == ('{"integration": "aws", "aws": {"findingArn": "a", "createdAt": "2026-12-01T18:00:00Z", '
                       '"updatedAt": "2026-12-01T18:00:00Z", "firstObservedAt": "2026-12-01 18:00:00.500000+00:00", '
                       '"source": "inspector2"}}')


def test_the_blocks_service_endpoint_reaches_the_inspector_client_as_in_the_module(tmp_path: Path) -> None:
    (tmp_path / "root").mkdir()
    with inspector_server(sample_findings()) as server:
        block = service_block("inspector", regions="us-east-1", only_logs_after="2026-NOV-25",
                              service_endpoint=server.endpoint)
        ctx = context(tmp_path / "root")
        events = list(next_inspector_events(session(), block, ctx, settings_for(block, ctx), ACCOUNT))
    assert len(events) == 3 and len(server.requests) == 2
