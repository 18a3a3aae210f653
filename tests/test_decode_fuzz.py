"""Random and mangled bytes never make a decoder raise: every failure comes back as a FileProblem."""

from __future__ import annotations

import io
import os
from datetime import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagnostics.decode.model import BUCKET_TYPES, DecodeContext, DecodedEvent, FileProblem
from diagnostics.decode.registry import decode_object
from tests.decode_helpers import V4, V5
from tests.sample_objects import load_manifest, render_key, sample_bytes

SUFFIXES = ("", ".gz", ".zip", ".json", ".log.gz", ".jsonl.gz", ".snappy", ".csv.gz")
SAMPLES = [(entry, sample_bytes(entry)) for entry in load_manifest()]
WHEN = datetime(2024, 5, 14, 10, 15, 1)
FUZZ = settings(max_examples=int(os.environ.get("DECODE_FUZZ_EXAMPLES", "80")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])
"""Raise DECODE_FUZZ_EXAMPLES (e.g. 5000) for a long local run."""


def run(data: bytes, key: str, bucket_type: str, **context: object) -> list[object]:
    ctx = DecodeContext(bucket_type=bucket_type, bucket="acme-logs", **context)  # type: ignore[arg-type]
    items = list(decode_object(io.BytesIO(data), key, ctx, max_decompressed_bytes=2_000_000))
    assert all(isinstance(item, (DecodedEvent, FileProblem)) for item in items)
    for item in items:
        if isinstance(item, DecodedEvent):
            assert item.payload.startswith("1:Wazuh-AWS:{") and item.size_bytes >= len(item.payload)
    return items


@FUZZ
@given(data=st.binary(max_size=2048), bucket_type=st.sampled_from(BUCKET_TYPES),
       suffix=st.sampled_from(SUFFIXES),
       skip=st.booleans(), newer=st.booleans())
def test_random_bytes_never_raise(data: bytes, bucket_type: str, suffix: str, skip: bool,
                                  newer: bool) -> None:
    key = f"AWSLogs/123456789012/GuardDuty/us-east-1/2024/05/14/object{suffix}"
    run(data, key, bucket_type, skip_on_error=skip, profile=V5 if newer else V4, path="dnslogs/")


@FUZZ
@given(text=st.lists(st.sampled_from([*'{}[]",:0123456789.-aelnrstu \n\t\\/', '"detail":', '"source":',
                                      '"lat":0', '"Records":', "null", "true"]), max_size=120).map("".join),
       bucket_type=st.sampled_from(BUCKET_TYPES))
def test_json_like_text_never_raises(text: str, bucket_type: str) -> None:
    run(text.encode(), "macie/2024/05/14/10/object", bucket_type, path="proxylogs/")


@FUZZ
@given(sample=st.sampled_from(range(len(SAMPLES))), cut=st.integers(min_value=0, max_value=10_000),
       position=st.integers(min_value=0, max_value=10_000), byte=st.integers(min_value=0, max_value=255),
       insert=st.binary(max_size=8), skip=st.booleans())
def test_mangled_samples_never_raise(sample: int, cut: int, position: int, byte: int, insert: bytes,
                                     skip: bool) -> None:
    entry, data = SAMPLES[sample]
    mangled = bytearray(data)
    if mangled:
        mangled[position % len(mangled)] = byte
        at = (position * 7) % len(mangled)
        mangled[at:at] = insert
        if cut % 3 == 0:  # sometimes truncate as well
            del mangled[len(mangled) - (cut % (len(mangled) + 1)):]
    run(bytes(mangled), render_key(entry["key_template"], WHEN), entry["type"], path=entry["path"],
        skip_on_error=skip, discard_field="eventName", discard_regex="Get")
