"""Shared helpers for the layout tests: blocks, version profiles, state DBs and request counting."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from diagnostics.context import DoctorContext
from diagnostics.findings import SourceLocation
from diagnostics.wazuh.versions import WazuhProfile, parse_version, profile_for
from diagnostics.wazuh.wodle import Block, Option

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_SQL = ROOT / "samples" / "state" / "s3_cloudtrail.sql"
ACCOUNT = "123456789012"
OTHER_ACCOUNT = "210987654321"
NOW = datetime(2024, 5, 4, 10, 30, tzinfo=timezone.utc)
VERSIONS = ("4.3.10", "4.9.0", "4.14.4", "4.14.7", "5.0.0")


def profile(version: str) -> WazuhProfile:
    """A detected profile for a version string."""
    parsed = parse_version(version)
    assert parsed is not None
    return profile_for(parsed, "test")


def bucket_block(bucket_type: str | None, name: str = "logs-bucket", **options: str) -> Block:
    """A ``<bucket type=...>`` block with the given child tags (line numbers are fake but present)."""
    tags = {"name": Option("name", name, 3)}
    for number, (tag, value) in enumerate(options.items(), start=4):
        tags[tag] = Option(tag, value, number)
    return Block(
        kind="bucket", block_type=bucket_type, location=SourceLocation("ossec.conf", 2), options=tags
    )


def context(
    tmp_path: Path, version: str = "4.14.7", now: datetime = NOW, debug_level: int = 0
) -> DoctorContext:
    """A context whose Wazuh home is a temp folder (``wodles/aws`` created) and whose clock is fixed."""
    (tmp_path / "wodles" / "aws").mkdir(parents=True, exist_ok=True)
    return DoctorContext(
        wazuh_home=tmp_path,
        config_path=tmp_path / "etc" / "ossec.conf",
        profile=profile(version),
        now=now,
        debug_level=debug_level,
    )


def create_state_db(
    path: Path, rows: Mapping[str, Iterable[tuple[Any, ...]]] = (), *, with_samples: bool = False
) -> Path:
    """A state DB with the module's schema (from samples/state/s3_cloudtrail.sql) plus ``rows`` per table.

    Rows are given without ``processed_date``/``created_date``; they are filled in.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    script = SCHEMA_SQL.read_text()
    statements = [statement for statement in script.split(";") if statement.strip()]
    connection = sqlite3.connect(path)
    try:
        for statement in statements:
            body = "\n".join(line for line in statement.splitlines() if not line.strip().startswith("--"))
            if body.strip().upper().startswith("CREATE") or with_samples:
                connection.execute(body)
        for table, table_rows in dict(rows).items():
            for row in table_rows:
                placeholders = ", ".join("?" for _ in row)
                connection.execute(
                    f"INSERT INTO {table} VALUES ({placeholders}, '2024-05-03 00:00:00', 20240503)", row
                )
        connection.commit()
    finally:
        connection.close()
    return path


class RequestCounter:
    """Counts API calls a client makes through botocore's ``before-call`` event (no patching), and keeps
    each call's API parameters from ``before-parameter-build``."""

    def __init__(self, client: Any) -> None:
        self.calls: list[str] = []
        self.params: list[tuple[str, dict[str, Any]]] = []
        client.meta.events.register("before-call", self._call)
        client.meta.events.register("before-parameter-build", self._params)

    def _call(self, model: Any, **_: Any) -> None:
        self.calls.append(model.name)

    def _params(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        self.params.append((model.name, dict(params)))

    def count(self, operation: str = "ListObjectsV2") -> int:
        return sum(1 for name in self.calls if name == operation)

    def listed(self) -> list[dict[str, Any]]:
        """API parameters of every ListObjectsV2 call, in order."""
        return [params for name, params in self.params if name == "ListObjectsV2"]


def seed(
    client: Any, bucket: str, keys: Iterable[str], body: bytes = b"x", region: str = "us-east-1"
) -> None:
    """Create the bucket if needed and put one small object per key (test code: the tool never writes)."""
    try:
        if region == "us-east-1":
            client.create_bucket(Bucket=bucket)
        else:
            client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
    except client.exceptions.BucketAlreadyOwnedByYou:
        pass
    for key in keys:
        client.put_object(Bucket=bucket, Key=key, Body=body)


def trail_key(
    day: str, stamp: str = "0000", account: str = ACCOUNT, region: str = "us-east-1", prefix: str = ""
) -> str:
    """A CloudTrail key for ``day`` (``2024/05/03``)."""
    compact = day.replace("/", "")
    return (
        f"{prefix}AWSLogs/{account}/CloudTrail/{region}/{day}/"
        f"{account}_CloudTrail_{region}_{compact}T{stamp}Z_abcdef0123456789.json.gz"
    )


def bulk_seed(client: Any, bucket: str, keys: Iterable[str], body: bytes = b"x") -> int:
    """Many objects at once, straight into moto's in-process backend (HTTP puts cost ~8 ms each).

    Test seeding only: the server runs in this process, and the code under test still lists over HTTP.
    """
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.s3.models import s3_backends

    seed(client, bucket, ())
    backend = s3_backends[DEFAULT_ACCOUNT_ID]["aws"]
    count = 0
    for key in keys:
        backend.put_object(bucket, key, body)
        count += 1
    return count
