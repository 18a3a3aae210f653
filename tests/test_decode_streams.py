"""Streams: incremental reading, the decompression cap, zip first members, magic bytes and S3 bodies."""

from __future__ import annotations

import gzip
import io
import json
import random
import threading
import zipfile
from typing import Any

from diagnostics.decode.model import DecodeContext, DecodeCounters, DecodedEvent, FileProblem
from diagnostics.decode.registry import decode_object, module_would_send
from diagnostics.decode.streams import Compression, compression_for_key, open_s3_object, sniff_content
from tests.conftest import admin_client
from tests.decode_helpers import V4, decode

KEY = ("AWSLogs/123456789012/CloudTrail/us-east-1/2024/05/14/"
       "123456789012_CloudTrail_us-east-1_20240514T0805Z_Ab3dE5fG7hJ9kL1m.json.gz")
CONTEXT = DecodeContext(bucket_type="cloudtrail", bucket="acme-logs", profile=V4)


class CountingReader:
    """A non-seekable byte source that remembers how much was asked of it (like a StreamingBody)."""

    def __init__(self, data: bytes) -> None:
        self._buffer = io.BytesIO(data)
        self.total = len(data)
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self._buffer.read(size)
        self.read_bytes += len(chunk)
        return chunk


class FailingReader(CountingReader):
    """Fails like a dropped connection after ``limit`` bytes."""

    def __init__(self, data: bytes, limit: int) -> None:
        super().__init__(data)
        self.limit = limit

    def read(self, size: int = -1) -> bytes:
        if self.read_bytes >= self.limit:
            raise ConnectionResetError(104, "Connection reset by peer")
        return super().read(min(size, self.limit - self.read_bytes) if size > 0 else self.limit)


def big_trail(count: int) -> bytes:
    """A CloudTrail document whose random IDs keep it from compressing away."""
    rng = random.Random(7)
    return json.dumps({"Records": [
        {"eventName": "GetObject", "eventID": f"{rng.getrandbits(128):032x}",
         "requestID": f"{rng.getrandbits(128):032x}", "sourceIPAddress": f"10.0.{n % 250}.{n % 199}",
         "requestParameters": {"bucketName": "acme", "key": f"data/{rng.getrandbits(256):064x}"}}
        for n in range(count)]}).encode()


def test_first_event_comes_without_reading_the_whole_object() -> None:
    body = CountingReader(gzip.compress(big_trail(25000), mtime=0))
    assert body.total > 2_000_000
    counters = DecodeCounters()
    items = decode_object(body, KEY, CONTEXT, counters=counters)  # type: ignore[arg-type]
    first = next(items)
    assert isinstance(first, DecodedEvent) and first.message["aws"]["eventName"] == "GetObject"
    assert body.read_bytes < body.total // 10
    items.close()
    assert not counters.complete


def test_limit_and_cancel_stop_early() -> None:
    body = CountingReader(gzip.compress(big_trail(20000), mtime=0))
    counters = DecodeCounters()
    events = list(decode_object(body, KEY, CONTEXT, limit=3, counters=counters))  # type: ignore[arg-type]
    assert len(events) == 3 and not counters.complete and body.read_bytes < body.total // 5
    cancel = threading.Event()
    cancel.set()
    assert list(decode_object(io.BytesIO(gzip.compress(big_trail(10))), KEY, CONTEXT, cancel=cancel)) == []


def test_line_formats_stream_too() -> None:
    line = "2 123456789012 eni-0a1b2c3d 10.0.1.%d 10.0.0.2 %d 53 17 2 148 1715674800 1715674860 ACCEPT OK\n"
    rng = random.Random(3)
    data = "".join(line % (rng.randrange(250), rng.randrange(65535)) for _ in range(120000)).encode()
    body = CountingReader(gzip.compress(data, mtime=0))
    key = KEY.replace("CloudTrail", "vpcflowlogs").replace(".json.gz", ".log.gz")
    context = DecodeContext(bucket_type="vpcflow", bucket="acme-logs", profile=V4)
    first = next(iter(decode_object(body, key, context)))  # type: ignore[arg-type]
    assert isinstance(first, DecodedEvent) and body.read_bytes < body.total // 5


def test_gzip_bomb_is_refused_at_the_cap() -> None:
    bomb = gzip.compress(b'{"Records": [' + b" " * 20_000_000 + b"]}", mtime=0)
    counters = DecodeCounters()
    items = list(decode_object(io.BytesIO(bomb), KEY, CONTEXT, counters=counters,
                               max_decompressed_bytes=1_000_000))
    ids = [item.finding.failure_id for item in items if isinstance(item, FileProblem)]
    assert ids == ["decode.too_large"]
    assert "inflates past 1000000 bytes" in items[-1].finding.title  # type: ignore[union-attr]


def test_read_failure_mid_object_is_ours_not_the_modules() -> None:
    body = FailingReader(gzip.compress(big_trail(5000), mtime=0), limit=50_000)
    items = list(decode_object(body, KEY, CONTEXT))  # type: ignore[arg-type]
    problem = items[-1]
    assert isinstance(problem, FileProblem) and problem.finding.failure_id == "decode.read_failed"
    assert problem.finding.wazuh_exit_code is None and "ConnectionResetError" in problem.finding.title


def zipped(*members: tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_reads_only_the_first_member() -> None:
    zkey = "custom/2024/05/14/07/firehose_custom-1-2024-05-14-09-16-03.zip"
    first = b'{"source":"aws.macie","detail":{"a":1}}'
    second = b'{"source":"aws.macie","detail":{"b":2}}'
    outcome = decode(zipped(("first", first), ("second", second)), zkey, "custom", path="custom/")
    assert [event.message["aws"].get("a") for event in outcome.events] == [1]


def test_zip_failures() -> None:
    zkey = "custom/2024/05/14/07/firehose_custom-1.zip"
    empty = decode(zipped(), zkey, "custom")
    assert empty.problem("decode.unknown_error").finding.evidence[0].endswith("IndexError('list index out of "
                                                                              "range')")
    broken = decode(b"not a zip at all", zkey, "custom")
    assert broken.problem("decode.invalid_zip").finding.evidence[0] == "ERROR: Invalid zip file received."
    archive = bytearray(zipped(("first", b'{"source":"aws.x","detail":{"a":1}}' * 50)))
    archive[60] ^= 0xFF  # damage the deflate stream inside the member
    damaged = decode(bytes(archive), zkey, "custom")
    assert damaged.problem("decode.decompress_failed").finding.evidence[0] == (
        f"ERROR: Failed to decompress file {zkey}: BadZipFile(\"Bad CRC-32 for file 'first'\")")


def test_compression_is_chosen_by_suffix_only() -> None:
    assert compression_for_key("a/b.json.gz") is Compression.GZIP
    assert compression_for_key("a/b.gzip") is Compression.PLAIN
    assert compression_for_key("a/b.zip") is Compression.ZIP
    assert compression_for_key("a/b.snappy") is Compression.SNAPPY
    assert compression_for_key("a/b.parquet") is Compression.PLAIN
    assert sniff_content(b"\x1f\x8b\x08") == "gzip" and sniff_content(b"PK\x03\x04") == "zip"
    assert sniff_content(b"PAR1\x15") == "parquet" and sniff_content(b"") == "empty"
    assert sniff_content(b'{"a": 1}') == "text" and sniff_content(b"\x00\x01\x02") == "binary"


def test_s3_body_streams_from_moto(moto: str) -> None:
    client: Any = admin_client(moto)
    client.create_bucket(Bucket="acme-logs")
    client.put_object(Bucket="acme-logs", Key=KEY, Body=gzip.compress(big_trail(50), mtime=0))
    verdict = module_would_send(open_s3_object(client, "acme-logs", KEY), KEY, CONTEXT, preview=2)
    assert verdict.totals.records_read == 50 and verdict.totals.events_sent == 50 and verdict.totals.complete
    assert len(verdict.first_events) == 2 and verdict.problems == ()
    partial = list(decode_object(open_s3_object(client, "acme-logs", KEY), KEY, CONTEXT, limit=1))
    assert len(partial) == 1
