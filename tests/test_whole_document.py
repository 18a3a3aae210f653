"""The ingestion pass parses small JSON documents in one call: it must decode exactly what streaming does."""

from __future__ import annotations

import io
import json
import os
from datetime import datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagnostics.decode.json_stream import DocumentOutline, stream_document_field
from diagnostics.decode.model import BUCKET_TYPES, DecodeContext, DecodedEvent, FileProblem
from diagnostics.decode.registry import decode_object
from tests.decode_helpers import V4
from tests.sample_objects import load_manifest, render_key, sample_bytes

WHEN = datetime(2024, 5, 14, 10, 15, 1)
WHOLE = 1 << 20
FUZZ = settings(max_examples=int(os.environ.get("DECODE_FUZZ_EXAMPLES", "150")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


def outcome(data: bytes, key: str, bucket_type: str, whole: int) -> list[tuple[Any, ...]]:
    """Everything visible of a decode: payloads and debug lines of events, ids and texts of problems."""
    context = DecodeContext(bucket_type=bucket_type, bucket="acme-logs", profile=V4, keep_raw=False,
                            whole_document_chars=whole)
    seen: list[tuple[Any, ...]] = []
    for item in decode_object(io.BytesIO(data), key, context, max_decompressed_bytes=2_000_000):
        if isinstance(item, DecodedEvent):
            seen.append(("event", item.payload, item.debug_lines, item.warnings))
        else:
            assert isinstance(item, FileProblem)
            finding = item.finding
            seen.append(("problem", finding.failure_id, finding.title, finding.evidence, item.recoverable))
    return seen


def streamed_and_whole(text: str, field: str = "Records") -> tuple[Any, Any]:
    """(elements, outline, error text) from both paths of ``stream_document_field``."""
    results = []
    for whole in (0, WHOLE):
        outline = DocumentOutline()
        try:
            elements: Any = list(stream_document_field(io.StringIO(text), field, outline, whole_below=whole))
        except Exception as error:  # compared by type and text
            elements = (type(error).__name__, str(error))
        results.append((elements, outline))
    return results[0], results[1]


def test_every_sample_decodes_the_same_whole_and_streamed() -> None:
    compared = 0
    for entry in load_manifest():
        key = render_key(entry["key_template"], WHEN)
        data = sample_bytes(entry)
        streamed = outcome(data, key, entry["type"], 0)
        assert outcome(data, key, entry["type"], WHOLE) == streamed, entry["name"]
        compared += 1
    assert compared == len(load_manifest()) >= 25


def test_the_whole_path_really_is_taken_for_a_small_document() -> None:
    class CountingText(io.StringIO):
        reads: list[int] = []

        def read(self, size: int | None = -1) -> str:
            self.reads.append(size if size is not None else -1)
            return super().read(size)

    text = CountingText(json.dumps({"Records": [{"eventName": f"e{n}"} for n in range(200)]}))
    elements = list(stream_document_field(text, "Records", DocumentOutline(), whole_below=WHOLE))
    assert len(elements) == 200
    assert text.reads == [WHOLE + 1]


def test_a_document_larger_than_the_limit_streams_on_from_what_was_read() -> None:
    document = {"Records": [{"eventName": f"e{n}", "pad": "x" * 50} for n in range(100)], "tail": 1}
    text = json.dumps(document)
    outline = DocumentOutline()
    elements = list(stream_document_field(io.StringIO(text), "Records", outline, whole_below=len(text) // 3))
    assert elements == document["Records"]
    assert outline.field_streamed and outline.is_object


def test_errors_keep_the_streamed_position_and_text() -> None:
    broken = '{"Records": [{"a": 1}, {"b": 2},, {"c": 3}]}'
    streamed, whole = streamed_and_whole(broken)
    assert streamed[0] == whole[0]
    assert whole[0][0] == "JSONDecodeError" and "(char 32)" in whole[0][1]


def test_a_repeated_records_member_keeps_the_duplicate_note() -> None:
    document = '{"Records": [{"a": 1}], "Records": [{"b": 2}]}'
    streamed, whole = streamed_and_whole(document)
    assert streamed[0] == whole[0]
    assert whole[1].duplicate_field and streamed[1].duplicate_field


@FUZZ
@given(text=st.lists(st.sampled_from([*'{}[]",:0123456789.-aelnrstu \n\t\\', '"Records":', '"Records": [',
                                      '{"a": 1}', "null", "true", '"x"', "\ufeff"]), max_size=60).map("".join))
def test_json_like_text_gives_the_same_elements_outline_and_error(text: str) -> None:
    streamed, whole = streamed_and_whole(text)
    assert whole == streamed


@FUZZ
@given(records=st.lists(st.dictionaries(st.sampled_from(["eventName", "a", "requestParameters", "tags"]),
                                        st.one_of(st.none(), st.integers(), st.text(max_size=5),
                                                  st.lists(st.integers(), max_size=2)), max_size=4),
                        max_size=6),
       gz=st.booleans())
def test_cloudtrail_documents_send_the_same_events(records: list[dict[str, Any]], gz: bool) -> None:
    import gzip

    data = json.dumps({"Records": records}).encode()
    key = "AWSLogs/123456789012/CloudTrail/us-east-1/2024/05/14/123456789012_CloudTrail_x.json"
    if gz:
        data, key = gzip.compress(data, mtime=0), key + ".gz"
    assert outcome(data, key, "cloudtrail", WHOLE) == outcome(data, key, "cloudtrail", 0)


@FUZZ
@given(text=st.lists(st.sampled_from(['{"detail": {"a": 1}, "source": "aws.macie"}', '{"x": 1}', " ", "\n",
                                      '{"detail": {"lat":00.5,"lon":-01.25}, "source": "aws.macie"}', "{", "}",
                                      '"lat":0', "[1]", "null", '{"detail": null, "source": "aws.x"}']),
                     min_size=1, max_size=12).map("".join),
       gz=st.booleans())
def test_firehose_concatenated_objects_send_the_same_events(text: str, gz: bool) -> None:
    import gzip

    data = ("{" + text.lstrip("{")).encode()
    key = "firehose/2024/05/14/10/delivery-stream-1-2024-05-14-10-00-00-abc"
    if gz:
        data, key = gzip.compress(data, mtime=0), key + ".gz"
    assert outcome(data, key, "custom", WHOLE) == outcome(data, key, "custom", 0)


@FUZZ
@given(data=st.binary(max_size=600), bucket_type=st.sampled_from(BUCKET_TYPES),
       wrap=st.sampled_from(["plain", "gzip", "gzip twice", "gzip cut", "gzip crlf"]))
def test_any_bytes_decode_the_same_from_memory_and_through_the_stream_layers(data: bytes, bucket_type: str,
                                                                         wrap: str) -> None:
    import gzip

    key = "AWSLogs/123456789012/CloudTrail/us-east-1/2024/05/14/object"
    if wrap == "gzip crlf":
        data = data.replace(b"\n", b"\r\n")
    if wrap != "plain":
        key += ".gz"
        body = gzip.compress(data, mtime=0)
        data = {"gzip": body, "gzip twice": body + gzip.compress(b"{}", mtime=0),
                "gzip cut": body[: len(body) // 2], "gzip crlf": body}[wrap]
    assert outcome(data, key, bucket_type, WHOLE) == outcome(data, key, bucket_type, 0)


def test_the_body_is_held_in_memory_only_up_to_the_limit() -> None:
    from diagnostics.decode.errors import StreamReadError
    from diagnostics.decode.streams import read_body

    small = read_body(io.BytesIO(b"x" * 100), 100)
    assert isinstance(small, io.BytesIO) and small.getvalue() == b"x" * 100
    body = bytes(range(256)) * 1000
    large = read_body(io.BufferedReader(io.BytesIO(body)), 1000)  # type: ignore[arg-type]
    assert not isinstance(large, io.BytesIO) and large.read() == body, "what was read ahead is replayed"

    class Broken(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, buffer: object) -> int:
            raise StreamReadError("reading the object failed: ConnectionResetError()")

    failing = read_body(io.BufferedReader(Broken()), 1000)  # type: ignore[arg-type]
    try:
        failing.read(10)
    except StreamReadError as error:
        assert "ConnectionResetError" in str(error)
    else:
        raise AssertionError("the read failure must surface where decoding reads")
    context = DecodeContext(bucket_type="cloudtrail", bucket="acme-logs", profile=V4, keep_raw=False,
                            whole_document_chars=WHOLE)
    problems = [item for item in decode_object(read_body(io.BufferedReader(Broken()), 1000),  # type: ignore[arg-type]
                                               "AWSLogs/x.json.gz", context) if isinstance(item, FileProblem)]
    assert [problem.finding.failure_id for problem in problems] == ["decode.read_failed"]
    assert str(problems[0].finding).count("reading the object failed") == 1, "said once, not wrapped twice"


def test_carriage_returns_keep_the_text_layers_universal_newlines() -> None:
    """The module reads text with universal newlines: \\r\\n counts as one character in error positions."""
    import gzip

    broken = b'{"Records": [\r\n  {"eventName": "a"},\r\n  ,\r\n]}'
    key = "AWSLogs/123456789012/CloudTrail/us-east-1/2024/05/14/object.json.gz"
    data = gzip.compress(broken, mtime=0)
    streamed = outcome(data, key, "cloudtrail", 0)
    assert outcome(data, key, "cloudtrail", WHOLE) == streamed
    assert any("line 3 column 3 (char 38)" in str(item) for item in streamed), streamed
