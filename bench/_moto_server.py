"""moto's S3 server for the benches, in its own process, seeded in-process (no PUT per object over HTTP).

Usage: ``python bench/_moto_server.py [--seed ingest|browse] [--object BUCKET/KEY=FILE ...]
[--indexed-listing] [--latency-ms N]``. Prints ``READY {"endpoint": ..., ...}`` once serving and stops
when its stdin closes (the parent's exit closes it too, so it never outlives the bench).

``--indexed-listing`` replaces moto's ListObjectsV2, which scans and sorts every key of the bucket on
every request (O(bucket)), with a bisect over a sorted key list (O(page)), as S3's index behaves; only
seeded browse buckets use it. ``--latency-ms`` delays every request, as a real network would.
"""

from __future__ import annotations

import argparse
import bisect
import json
import logging
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import _seeds


def _backend() -> Any:
    from moto.s3.models import s3_backends

    return s3_backends[_seeds.ACCOUNT]["aws"]


def _put(backend: Any, bucket: str, key: str, body: bytes) -> None:
    backend.put_object(bucket, key, body, disable_notification=True)


def seed_ingest(backend: Any) -> dict[str, int]:
    """The CloudTrail bucket (2,000 x 50 records) and the Firehose bucket (500 x 48 Macie findings)."""
    counts = {"trail_objects": 0, "firehose_objects": 0, "bytes": 0}
    backend.create_bucket(_seeds.TRAIL_BUCKET, _seeds.REGION)
    for key, body in _seeds.trail_objects():
        _put(backend, _seeds.TRAIL_BUCKET, key, body)
        counts["trail_objects"] += 1
        counts["bytes"] += len(body)
    backend.create_bucket(_seeds.FIREHOSE_BUCKET, _seeds.REGION)
    for key, body in _seeds.firehose_objects():
        _put(backend, _seeds.FIREHOSE_BUCKET, key, body)
        counts["firehose_objects"] += 1
        counts["bytes"] += len(body)
    return counts


def _listed_key_class() -> type[Any]:
    """A FakeKey carrying only what a listing shows: a million real FakeKeys (each with a spooled buffer,
    a lock and an ACL) would take gigabytes; these take about 400 bytes each."""
    from moto.s3.models import FakeKey

    class ListedKey(FakeKey):
        __module__ = FakeKey.__module__  # moto's model metaclass names the service after the module

        def __init__(self, name: str, last_modified: datetime, size: int) -> None:
            self.name = name
            self.last_modified = last_modified
            self.contentsize = size
            self._etag = "0f343b0931126a20f133d67c2b018a3b"
            self._storage_class = "STANDARD"
            self._version_id = "null"
            self.checksum_algorithm = None
            self.disposed = True

        @property
        def size(self) -> int:
            return int(self.contentsize)

        @property
        def etag(self) -> str:
            return f'"{self._etag}"'

        def dispose(self, garbage: bool = False) -> None:
            return None

    return ListedKey


def seed_browse(backend: Any, indexed: bool) -> dict[str, int]:
    """One million listing-only keys straight into the bucket's key store (a few seconds)."""
    backend.create_bucket(_seeds.BROWSE_BUCKET, _seeds.REGION)
    bucket = backend.get_bucket(_seeds.BROWSE_BUCKET)
    listed_key = _listed_key_class()
    store = bucket.keys
    names: list[str] = []
    set_list = dict.__setitem__
    for key, modified in _seeds.browse_keys():
        set_list(store, key, [listed_key(key, modified, 2300)])
        names.append(key)
    if indexed:
        names.sort()
        bucket.bench_sorted_names = names
    return {"browse_keys": len(names)}


def install_indexed_listing() -> None:
    """ListObjectsV2 by bisect for buckets that carry ``bench_sorted_names``; moto's own for the rest."""
    from moto.s3.models import S3Backend

    original = S3Backend.list_objects_v2

    def list_objects_v2(self: Any, bucket: Any, prefix: str | None, delimiter: str | None,
                        continuation_token: str | None, start_after: str | None, max_keys: int) -> Any:
        names: list[str] | None = getattr(bucket, "bench_sorted_names", None)
        if names is None:
            return original(self, bucket, prefix, delimiter, continuation_token, start_after, max_keys)
        prefix = prefix or ""
        after = self._pagination_tokens.get(continuation_token) if continuation_token else start_after
        index = bisect.bisect_left(names, prefix)
        if after:
            index = max(index, bisect.bisect_right(names, after))
        results: list[Any] = []
        while index < len(names) and len(results) <= max_keys:
            name = names[index]
            if not name.startswith(prefix):
                break
            rest = name[len(prefix):]
            cut = rest.find(delimiter) if delimiter else -1
            if cut < 0:
                results.append(bucket.keys[name])
                index += 1
                continue
            folder = prefix + rest[:cut + len(delimiter or "")]
            if not after or folder > after:
                results.append(folder)
            index = bisect.bisect_left(names, folder[:-1] + chr(ord(folder[-1]) + 1), index)
        return self._truncate_result(results, max_keys)

    S3Backend.list_objects_v2 = list_objects_v2  # type: ignore[method-assign]


def install_latency(milliseconds: float) -> None:
    """Delay each request before it is handled (every connection has its own thread, so delays overlap)."""
    from werkzeug.serving import WSGIRequestHandler

    original = WSGIRequestHandler.handle_one_request

    def delayed(self: Any) -> None:
        time.sleep(milliseconds / 1000)
        original(self)

    WSGIRequestHandler.handle_one_request = delayed  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", choices=("ingest", "browse"), action="append", default=[])
    parser.add_argument("--object", action="append", default=[], help="BUCKET/KEY=FILE to store")
    parser.add_argument("--indexed-listing", action="store_true")
    parser.add_argument("--latency-ms", type=float, default=0.0)
    args = parser.parse_args()

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    if args.latency_ms:
        install_latency(args.latency_ms)
    if args.indexed_listing:
        install_indexed_listing()
    started = time.perf_counter()
    backend = _backend()
    info: dict[str, Any] = {}
    if "ingest" in args.seed:
        info.update(seed_ingest(backend))
    if "browse" in args.seed:
        info.update(seed_browse(backend, args.indexed_listing))
    for spec in args.object:
        target, _, file_name = spec.partition("=")
        bucket, _, key = target.partition("/")
        if bucket not in backend.buckets:
            backend.create_bucket(bucket, _seeds.REGION)
        _put(backend, bucket, key, Path(file_name).read_bytes())
    info["seed_s"] = round(time.perf_counter() - started, 2)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    info["endpoint"] = f"http://{host}:{port}"
    print("READY " + json.dumps(info), flush=True)
    sys.stdin.read()
    server.stop()


if __name__ == "__main__":
    main()
