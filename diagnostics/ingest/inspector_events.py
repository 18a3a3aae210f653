"""What the module's next Inspector run sends, read-only: every finding as its datagram, or why it is dropped.

The walk follows the module: per loop region (an unsupported one stops the run with exit 22), the window
from the newest ``scan_date`` saved for the account and region (moved up to ``only_logs_after`` when that is
later) to now, then ListFindings 100 at a time with ``nextToken`` through the client region that really
applies. Each finding goes through ``discard_regex`` as botocore parsed it (timestamps are datetimes there,
so they never match), then into the module's envelope: ``createdAt``/``updatedAt`` printed with a literal
``Z`` in the parsed datetime's own zone, every other timestamp as ``str()`` of it, and ``source`` last.
Nothing is written to AWS or to Wazuh's database.
"""

from __future__ import annotations

import dataclasses
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from diagnostics.aws.access_probes import call
from diagnostics.aws.clients import ClientSettings, make_client
from diagnostics.aws.service_access import inspector_window_start
from diagnostics.aws.service_regions import service_regions
from diagnostics.decode.discard import DiscardRule, compile_rule
from diagnostics.wazuh.regions import INSPECTOR_REGIONS
from diagnostics.wazuh.services_state import inspector_last_scan
from diagnostics.wazuh.state_db import StateReader

if TYPE_CHECKING:
    import boto3

    from diagnostics.context import DoctorContext
    from diagnostics.wazuh.wodle import Block

DATAGRAM_HEADER = "1:Wazuh-AWS:"
PAGE_SIZE = 100
"""``maxResults`` of each ListFindings call, as the module asks."""
MAX_PAGES_PER_REGION = 10_000
"""A bound on ListFindings pages per region, so an endless ``nextToken`` chain cannot hold the pass."""
RETRIES_NOTE = re.compile(r" \(reached max retries: \d+\)")
"""botocore's note of our own retry count in an error's text; the module's client retries differently."""
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
"""How the module prints a finding's ``createdAt`` and ``updatedAt`` (no zone conversion before the Z)."""


@dataclass(frozen=True)
class InspectorWindow:
    """The ``updatedAt`` range the next run asks one region for, and where its start comes from."""

    loop_region: str
    region_read: str
    start: datetime
    end: datetime
    origin: str


@dataclass(frozen=True)
class InspectorEvent:
    """One finding as the next run meets it: its message, and whether it is sent or dropped (and why)."""

    loop_region: str
    region_read: str
    finding_arn: str
    message: str
    """The JSON after the datagram header: ``{"integration": "aws", "aws": {...}}``."""
    dropped_by: str | None = None
    summary: str = ""
    """Severity and title, to tell findings apart in a list (every message starts alike)."""

    @property
    def datagram(self) -> str:
        """What the module writes to the queue socket for it."""
        return DATAGRAM_HEADER + self.message


@dataclass(frozen=True)
class InspectorFailure:
    """What ends the module's run: an unsupported region (exit 22) or a failed ListFindings (exit 12 at debug 0,
    1 above it: see ``inspector_log.module_exit``)."""

    loop_region: str
    operation: str
    error: str
    exit_code: int


def inspector_message(finding: dict[str, Any]) -> str:
    """The module's envelope of one parsed finding, serialised as it serialises it (``default=str``)."""
    record = dict(finding)
    if "service" in record:
        record["source"] = str(record.pop("service")).lower()
    elif "findingArn" in record:
        record["source"] = "inspector2"
    for name in ("createdAt", "updatedAt"):
        if name in record:
            record[name] = datetime.strftime(record[name], TIMESTAMP_FORMAT)
    return json.dumps({"integration": "aws", "aws": record}, default=str)


def discard_rule(block: Block) -> DiscardRule:
    """The block's ``discard_regex`` and its field, compiled the module's way."""
    regex = (block.discard_regex.value or None) if block.discard_regex else None
    field = block.discard_regex.attributes.get("field") if block.discard_regex and regex else None
    return compile_rule(field, regex)


def inspector_windows(block: Block, context: DoctorContext, account_id: str | None) -> list[InspectorWindow]:
    """The window of every loop region, in the module's order, from aws_services.db (read-only)."""
    regions = service_regions(block, context.module_home)
    state = StateReader(context.services_db_path)
    end = context.clock().astimezone(timezone.utc).replace(tzinfo=None)
    windows = []
    for loop_region in regions.loop_regions:
        last_scan = inspector_last_scan(state, account_id, loop_region) if account_id else None
        start, origin = inspector_window_start(block, context, last_scan)
        windows.append(InspectorWindow(loop_region, regions.region_read(loop_region), start, end, origin))
    return windows


def next_inspector_events(session: boto3.session.Session, block: Block, context: DoctorContext,
                          settings: ClientSettings, account_id: str | None, *,
                          cancel: threading.Event | None = None,
                          failures: list[InspectorFailure] | None = None,
                          pages: list[tuple[str, int]] | None = None,
                          windows: list[InspectorWindow] | None = None) -> Iterator[InspectorEvent]:
    """Every finding the next run meets, in the module's order; a failure that stops the run is appended to
    ``failures`` and ends the walk, and each page read to ``pages`` as (loop region, findings in it).
    ``windows`` replaces the ones read from aws_services.db (a pass over the doctor's own state)."""
    failures = failures if failures is not None else []
    pages = pages if pages is not None else []
    rule = discard_rule(block)
    for window in windows if windows is not None else inspector_windows(block, context, account_id):
        if window.loop_region not in INSPECTOR_REGIONS:
            failures.append(InspectorFailure(window.loop_region, "region check",
                                             f"Unsupported region '{window.loop_region}'", 22))
            return
        client = make_client(session, "inspector2", dataclasses.replace(settings, region=window.region_read))
        criteria = {"updatedAt": [{"startInclusive": window.start, "endInclusive": window.end}]}
        arguments: dict[str, Any] = {"maxResults": PAGE_SIZE, "filterCriteria": criteria}
        for _page in range(MAX_PAGES_PER_REGION):
            if cancel is not None and cancel.is_set():
                return
            outcome = call(client, "list_findings", **arguments)
            if not outcome.ok or outcome.response is None:
                error = RETRIES_NOTE.sub("", outcome.error_text, count=1)
                failures.append(InspectorFailure(window.loop_region, "ListFindings", error, 12))
                return
            pages.append((window.loop_region, len(outcome.response.get("findings", []))))
            for finding in outcome.response.get("findings", []):
                dropped = rule.describe() if rule.matches(finding) else None
                summary = f"{finding.get('severity', '')} {finding.get('title', '')}".strip()
                yield InspectorEvent(window.loop_region, window.region_read, str(finding.get("findingArn", "")),
                                     inspector_message(finding), dropped, summary)
            if "nextToken" not in outcome.response:
                break
            arguments["nextToken"] = outcome.response["nextToken"]
