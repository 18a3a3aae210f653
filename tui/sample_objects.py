"""Sample S3 objects from samples/objects/manifest.json: keys dated relative to a day, bytes as delivered.

A seeder (tests, the demo) renders each entry's key for a date and compresses the stored file as the
manifest says, so the same samples serve "today's logs" runs and fixed-date tests.
"""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any


def samples_root() -> Path:
    """``samples/``: inside the installed ``tui`` package (a wheel), else beside it (a source checkout).

    The wheel maps the checkout's top-level ``samples/`` to ``tui/samples``, so ``pipx install`` gets a
    working ``--demo``; an editable install and the tests use the checkout's folder itself.
    """
    here = Path(__file__).resolve().parent
    packaged = here / "samples"
    if (packaged / "objects" / "manifest.json").is_file():
        return packaged
    return here.parent / "samples"


SAMPLES = samples_root()
OBJECTS = SAMPLES / "objects"
MANIFEST = OBJECTS / "manifest.json"
ACCOUNT = "123456789012"
REGION = "us-east-1"


def load_manifest() -> list[dict[str, Any]]:
    """Every manifest entry (dicts with file, type, key_template, compress, note, path, expect)."""
    return list(json.loads(MANIFEST.read_text())["objects"])


def manifest_by_name() -> dict[str, dict[str, Any]]:
    """Manifest entries by name (the demo picks its objects by name)."""
    return {entry["name"]: entry for entry in load_manifest()}


def entry_named(name: str) -> dict[str, Any]:
    """The entry whose ``name`` matches."""
    for entry in load_manifest():
        if entry["name"] == name:
            return entry
    raise KeyError(name)


def render_key(template: str, when: datetime, account: str = ACCOUNT, region: str = REGION) -> str:
    """Fill ``{account} {region} {Y} {m} {d} {H} {M} {S}`` (zero-padded) and ``{mu} {du}`` (unpadded)."""
    return template.format(
        account=account, region=region, Y=f"{when.year:04d}", m=f"{when.month:02d}", d=f"{when.day:02d}",
        H=f"{when.hour:02d}", M=f"{when.minute:02d}", S=f"{when.second:02d}", mu=str(when.month),
        du=str(when.day))


def sample_bytes(entry: dict[str, Any]) -> bytes:
    """The object's bytes: the stored file compressed as declared (gzip/zip deterministic, none, as-is)."""
    raw: bytes = (OBJECTS / entry["file"]).read_bytes()
    compress = entry["compress"]
    if compress == "gzip":
        return gzip.compress(raw, mtime=0)
    if compress == "zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            info = zipfile.ZipInfo(Path(entry["file"]).name, date_time=(2024, 5, 14, 10, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, raw)
        return buffer.getvalue()
    if compress in ("none", "as-is"):
        return raw
    raise ValueError(f"unknown compress mode {compress!r} in {entry['name']}")


def rendered(when: datetime, account: str = ACCOUNT,
             region: str = REGION) -> Iterator[tuple[dict[str, Any], str, bytes]]:
    """(entry, key, bytes) for every sample, keys dated ``when``."""
    for entry in load_manifest():
        yield entry, render_key(entry["key_template"], when, account, region), sample_bytes(entry)
