"""A buckets subscriber's objects decoded as the module does, compared with a recorded run of the real module."""

from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from diagnostics.decode.discard import compile_rule
from diagnostics.decode.subscriber_objects import (
    SubscriberStop,
    notified_key,
    object_text,
    security_lake_datagrams,
    subscriber_object,
)

GOLDENS = Path(__file__).parent / "goldens" / "module_4_14_7"


def golden(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((GOLDENS / name / "golden.json").read_text())
    return loaded


def stored_body(key: str, text: str) -> bytes:
    """The object's bytes as the recording stored them (gzip, mtime 0, for .gz keys)."""
    return gzip.compress(text.encode(), mtime=0) if key.endswith(".gz") else text.encode()


def test_every_object_format_sends_what_the_module_sent() -> None:
    recorded = golden("subscriber_buckets_object_formats")
    objects = recorded["seed"]["objects"]
    by_file: dict[str, list[str]] = {}
    for datagram in recorded["datagrams"]:
        log_file = json.loads(datagram.removeprefix("1:Wazuh-AWS:"))["aws"]["log_info"]["log_file"]
        by_file.setdefault(log_file, []).append(datagram)
    for key, spec in objects.items():
        decoded = subscriber_object("fmt-bucket", key, object_text(key, stored_body(key, spec["text"])),
                                    compile_rule(None, None))
        sent = [event.datagram for event in decoded.events if event.datagram is not None]
        assert sent == by_file.get(key, []), key


def test_plain_text_read_as_csv_is_said() -> None:
    text = golden("subscriber_buckets_object_formats")["seed"]["objects"]["2026/12/04/plain.log"]["text"]
    decoded = subscriber_object("fmt-bucket", "2026/12/04/plain.log", object_text("plain.log", text.encode()),
                                compile_rule(None, None))
    assert decoded.format == "csv"
    assert "first line becomes the column names" in decoded.note


def test_plain_lines_starting_with_none_are_dropped_with_the_reason() -> None:
    decoded = subscriber_object("b", "k.log", "1 started\nNone left\nok 2\n", compile_rule(None, None))
    assert decoded.format == "plain text"
    dropped = [event.record["full_log"] for event in decoded.events if event.dropped_by]
    assert dropped == ["None left"]
    assert "literal 'None'" in (decoded.events[1].dropped_by or "")


def test_a_key_with_a_space_is_asked_for_with_a_plus() -> None:
    recorded = golden("subscriber_buckets_key_with_space")
    key = next(iter(recorded["seed"]["objects"]))
    assert notified_key(key) == "2026/12/04/my+file.json" != key
    assert recorded["exit_code"] == 12
    assert recorded["output"] == ["ERROR: An error occurred (NoSuchKey) when calling the GetObject operation: "
                                  "The specified key does not exist."]
    assert notified_key("2026/12/04/a+b%.json") == "2026/12/04/a+b%.json"


@pytest.mark.parametrize(("key", "body", "exit_code"), [
    ("x.gz", b"not gzip", 8), ("x.snappy", b"", 8), ("x.json", b"\xff\xfe", 12)])
def test_unreadable_objects_stop_with_the_modules_exit(key: str, body: bytes, exit_code: int) -> None:
    with pytest.raises(SubscriberStop) as stopped:
        object_text(key, body)
    assert stopped.value.exit_code == exit_code


def test_security_hub_sends_one_event_per_export_with_only_the_first_finding() -> None:
    recorded = golden("subscriber_security_hub_first_finding_only")
    (key, spec), = recorded["seed"]["objects"].items()
    decoded = subscriber_object("hub-bucket2", key, object_text(key, spec["text"].encode()),
                                compile_rule(None, None), "security_hub")
    assert [event.datagram for event in decoded.events] == recorded["datagrams"]
    assert [event.lost_findings for event in decoded.events] == [0, 1, 0]


def test_security_hub_asks_for_the_encoded_key() -> None:
    assert notified_key("2026/12/04/hub stream", "security_hub") == "2026/12/04/hub+stream"
    assert notified_key("hub:stream", "security_hub") == "hub%3Astream"
    assert notified_key("hub-stream-1", "security_hub") == "hub-stream-1"


def test_security_lake_rows_are_sent_raw() -> None:
    recorded = golden("subscriber_security_lake_parquet")
    body = base64.b64decode(recorded["seed"]["parquet_base64"])
    assert security_lake_datagrams(body) == recorded["datagrams"]


def test_a_parquet_key_that_is_not_parquet_stops_the_run() -> None:
    with pytest.raises(SubscriberStop) as stopped:
        security_lake_datagrams(b"PAR1 but not really")
    assert "not a readable Parquet file" in str(stopped.value)
