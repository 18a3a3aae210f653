"""Time to the first decoded event and peak RSS when previewing 1 MB, 100 MB and 500 MB gzip CloudTrail
objects, against reading the whole object first as the module does.

Usage: ``.venv/bin/python bench/bench_preview.py [--runs 3] [--sizes 1,100,500] [--whole-cap-gb 8]``.
Each measurement runs in a fresh child process (peak RSS is its own ``ru_maxrss``):

* ``stream (moto)``: ``open_s3_object`` + ``decode_object(limit=50)``, the code under ``preview_object``,
  timed from the GetObject call to the first event and to the 50th; then ``preview_object`` itself.
* ``stream (local file)``: the same ``decode_object`` over a local file, which takes the server out.
* ``whole (moto)``: ``GetObject().read()`` + ``gzip.decompress`` + ``json.loads``, the module's way, with
  the child's address space capped at ``--whole-cap-gb`` (a MemoryError is reported, not fatal).

Objects are written streaming to temp files (gzip members, about 9:1) and stored in moto in-process.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import _common, _seeds

KEY = (f"AWSLogs/{_seeds.ACCOUNT}/CloudTrail/{_seeds.REGION}/2024/05/14/"
       f"{_seeds.ACCOUNT}_CloudTrail_{_seeds.REGION}_20240514T1000Z_{{size}}MBbench.json.gz")
PREVIEW_LIMIT = 50


def _decode_context() -> Any:
    from diagnostics.decode.model import DecodeContext
    from diagnostics.wazuh import ossec_log
    from diagnostics.wazuh.versions import profile_for

    return DecodeContext(bucket_type="cloudtrail", bucket=_seeds.PREVIEW_BUCKET, path="", account_alias="",
                         profile=profile_for((4, 14, 7), "bench"), discard_field=None, discard_regex=None,
                         skip_on_error=False, run_title=ossec_log.RunTitle.for_bucket(None, None),
                         debug_level=2)


def _first_events(open_stream: Any, key: str) -> dict[str, Any]:
    """Seconds from opening to the first and to the ``PREVIEW_LIMIT``-th decoded event."""
    from diagnostics.decode.model import DecodedEvent
    from diagnostics.decode.registry import decode_object

    context = _decode_context()
    started = time.perf_counter()
    stream = open_stream()
    opened = time.perf_counter() - started
    first = last = None
    count = 0
    try:
        for item in decode_object(stream, key, context, limit=PREVIEW_LIMIT):
            if isinstance(item, DecodedEvent):
                count += 1
                last = time.perf_counter() - started
                first = last if first is None else first
    finally:
        stream.close()
    return {"first_s": first, "limit_s": last, "open_s": opened, "events": count}


def child(mode: str, size: int, endpoint: str, local_file: str, cap_gb: float) -> None:
    """One measurement; results on stdout."""
    key = KEY.format(size=size)
    if mode == "stream-local":
        _common.emit_result(_first_events(lambda: open(local_file, "rb"), key))  # noqa: SIM115
        return
    if mode == "stream-moto":
        from diagnostics.bucket_session import preview_object
        from diagnostics.decode.streams import open_s3_object

        with tempfile.TemporaryDirectory() as folder:
            session = _common.open_session(endpoint, Path(folder), _seeds.PREVIEW_BUCKET)
            session.client.head_bucket(Bucket=_seeds.PREVIEW_BUCKET)
            result = _first_events(lambda: open_s3_object(session.client, _seeds.PREVIEW_BUCKET, key), key)
            started = time.perf_counter()
            preview = preview_object(session, key, limit=PREVIEW_LIMIT)
            result["preview_object_s"] = time.perf_counter() - started
            result["preview_events"] = len(preview.events)
        _common.emit_result(result)
        return
    import gzip
    import json
    import resource

    client = _common.s3_client(endpoint)
    client.head_bucket(Bucket=_seeds.PREVIEW_BUCKET)
    limit = int(cap_gb * 1024**3)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    started = time.perf_counter()
    try:
        body = client.get_object(Bucket=_seeds.PREVIEW_BUCKET, Key=key)["Body"].read()
        read_s = time.perf_counter() - started
        text = gzip.decompress(body)
        del body
        records = json.loads(text)["Records"]
        first = time.perf_counter() - started
        _common.emit_result({"first_s": first, "read_s": read_s, "events": len(records)})
    except MemoryError:
        _common.emit_result({"first_s": None, "memory_error_after_s": time.perf_counter() - started,
                             "events": 0})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--mode", help=argparse.SUPPRESS)
    parser.add_argument("--endpoint", default="", help=argparse.SUPPRESS)
    parser.add_argument("--local-file", default="", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="1,100,500", help="gzip object sizes in MB")
    parser.add_argument("--whole-cap-gb", type=float, default=8.0)
    parser.add_argument("--whole-sizes", default="1,100,500", help="sizes to also read whole (module's way)")
    args = parser.parse_args()
    if args.child:
        child(args.mode, args.size, args.endpoint, args.local_file, args.whole_cap_gb)
        return
    sizes = [int(value) for value in args.sizes.split(",")]
    whole_sizes = {int(value) for value in args.whole_sizes.split(",") if value}
    print(f"machine: {_common.facts_line()}", flush=True)
    rows: list[list[str]] = []
    with tempfile.TemporaryDirectory(prefix="wad-bench-preview-") as folder:
        files: dict[int, Path] = {}
        for size in sizes:
            files[size] = Path(folder) / f"{size}MB.json.gz"
            started = time.perf_counter()
            info = _seeds.write_gzip_cloudtrail(files[size], size * 1024 * 1024)
            print(f"{size} MB object: {info['compressed_bytes']:,} B gzip, {info['uncompressed_bytes']:,} B "
                  f"JSON, {info['records']:,} records, written in {time.perf_counter() - started:.1f} s",
                  flush=True)
        objects = [f"--object={_seeds.PREVIEW_BUCKET}/{KEY.format(size=size)}={files[size]}" for size in sizes]
        with _common.moto_server(*objects) as server:
            print(f"moto server stored them in {server.ready_info['seed_s']} s "
                  f"(server RSS {server.server_rss_mb():.0f} MB, not counted)", flush=True)
            for size in sizes:
                modes = ["stream-moto", "stream-local"] + (["whole-moto"] if size in whole_sizes else [])
                for mode in modes:
                    arguments = ["--mode", mode, "--size", str(size), "--endpoint", server.endpoint,
                                 "--local-file", str(files[size]), "--whole-cap-gb", str(args.whole_cap_gb)]
                    results = [_common.run_child(Path(__file__), arguments, timeout=900)
                               for _ in range(args.runs if mode != "whole-moto" or size < 100 else 1)]
                    rows.append(_row(size, mode, results, args.whole_cap_gb))
                    print(f"  {size} MB {mode}: first event {rows[-1][3]} s, peak RSS {rows[-1][5]} MB",
                          flush=True)
    headers = ["object", "how", "GetObject returned s (whole: body read)", "first event s",
               f"first {PREVIEW_LIMIT} events s / preview_object s",
               "peak RSS MB", "target met (<0.5 s, <100 MB)"]
    print(f"\nmedian (min–max) of {args.runs} fresh-process runs (whole reads of 100 MB and more: one run); "
          f"load average after: {_common.load_average()}\n")
    print(_common.table(headers, rows))


def _row(size: int, mode: str, results: list[dict[str, Any]], cap_gb: float) -> list[str]:
    how = {"stream-moto": "stream, decode_object(limit=50) over moto", "stream-local": "stream, local file",
           "whole-moto": "whole: read + gzip.decompress + json.loads"}[mode]
    rss = _common.spread(results, "peak_rss_mb")
    if any(result["first_s"] is None for result in results):
        after = max(float(result.get("memory_error_after_s") or 0) for result in results)
        return [f"{size} MB", how, "", f"MemoryError at the {cap_gb:.0f} GB cap after {after:.1f}", "",
                rss.show(0), "NO"]
    first = _common.spread(results, "first_s")
    opened = _common.spread(results, "open_s" if mode != "whole-moto" else "read_s").show(3)
    later = ""
    if mode != "whole-moto":
        later = _common.spread(results, "limit_s").show(3)
        if "preview_object_s" in results[0]:
            later += f" / {_common.spread(results, 'preview_object_s').show(3)}"
    met = first.high < 0.5 and rss.high < 100
    return [f"{size} MB", how, opened, first.show(3), later, rss.show(1), "yes" if met else "NO"]


if __name__ == "__main__":
    main()
