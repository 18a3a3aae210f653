"""Every sample object decodes as its manifest entry says, whatever the date its key is rendered for."""

from __future__ import annotations

import io
import json
import re
from datetime import datetime
from typing import Any

import pytest

from diagnostics.decode.model import DecodeContext, DecodeCounters, FileProblem
from diagnostics.decode.registry import decode_object
from tests.decode_helpers import V4
from tests.sample_objects import MANIFEST, OBJECTS, load_manifest, render_key, sample_bytes

ENTRIES = load_manifest()


def test_manifest_describes_every_stored_file() -> None:
    stored = {str(path.relative_to(OBJECTS)) for path in OBJECTS.rglob("*") if path.is_file()}
    stored.discard("manifest.json")
    assert stored == {entry["file"] for entry in ENTRIES}
    assert len({entry["name"] for entry in ENTRIES}) == len(ENTRIES)
    assert json.loads(MANIFEST.read_text())["about"]


@pytest.mark.parametrize("entry", ENTRIES, ids=[entry["name"] for entry in ENTRIES])
def test_sample_matches_its_expectation(entry: dict[str, Any]) -> None:
    when = datetime(2025, 1, 9, 7, 5, 3)
    key = render_key(entry["key_template"], when)
    assert "{" not in key and "2025" in key
    counters = DecodeCounters()
    context = DecodeContext(bucket_type=entry["type"], bucket="acme-logs", path=entry["path"], profile=V4)
    items = list(decode_object(io.BytesIO(sample_bytes(entry)), key, context, counters=counters))
    problems = [item for item in items if isinstance(item, FileProblem)]
    expect = entry["expect"]
    assert counters.records_read == expect["records"]
    assert counters.events_sent == expect["sent"]
    assert [problem.finding.failure_id for problem in problems] == expect["problems"]
    exits = [problem.finding.wazuh_exit_code for problem in problems if problem.stops_run]
    assert (exits[0] if exits else None) == expect["exit_code"]


def test_keys_follow_the_services_layouts() -> None:
    when = datetime(2025, 1, 9, 7, 5, 3)
    keys = {entry["name"]: render_key(entry["key_template"], when) for entry in ENTRIES}
    assert re.fullmatch(r"AWSLogs/123456789012/CloudTrail/us-east-1/2025/01/09/"
                        r"123456789012_CloudTrail_us-east-1_"
                        r"20250109T0705Z_\w{16}\.json\.gz", keys["cloudtrail_console_login_failures"])
    assert "/Config/us-east-1/2025/1/9/ConfigHistory/" in keys["config_history"]
    assert keys["custom_macie_findings"].startswith(
        "macie/2025/01/09/07/firehose-macie-1-2025-01-09-07-05-03-")
    assert keys["server_access_log"].startswith("s3-access/2025-01-09-07-05-03-")
    assert keys["umbrella_dnslogs"].startswith("umbrella/dnslogs/2025-01-09/")
