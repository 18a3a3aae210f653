"""Browsing a bucket of 1,000,000 CloudTrail keys over three years: lazy levels against a full listing.

Usage: ``.venv/bin/python bench/bench_browse.py [--runs 3] [--naive-cap-s 5] [--servers stock,indexed]``.
For each level the app shows (bucket root, one account/region's years, one day, the marker position:
Browse's ``m``) it times the project's calls (``open_bucket`` then ``browse_level``; for the marker
``locate_marker`` then ``browse_level`` of its folder) and counts HTTP requests with a botocore
``before-send`` hook, against a naive listing of the same prefix without a delimiter (stopped at
``--naive-cap-s``). One more row times the Troubleshoot layout step's count of the files after the
marker (one 1,000-key ``iter_objects`` page from it, classified).

Keys are inserted straight into moto's backend in the server process. Two servers: ``stock`` moto (its
ListObjectsV2 scans and sorts every key of the bucket per request) and ``indexed`` (a bisect over the
sorted keys, as S3's index behaves) which isolates our client's cost.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import _common, _seeds

ONLY_LOGS_AFTER = "2024-MAR-01"
BROWSED_DAY = "2024/05/14/"


@dataclass
class RequestCounter:
    """Counts the HTTP requests a client sends (retries included), by operation."""

    sent: int = 0

    def __call__(self, **kwargs: Any) -> None:
        self.sent += 1


def lazy_level(session: Any, level: str) -> tuple[int, int]:
    """What the app does to show one level; (entries shown, keys classified)."""
    from diagnostics.bucket_session import browse_level
    from diagnostics.layout.classify import KeyScope
    from diagnostics.layout.listing import ListedObject, iter_objects

    account, region = _seeds.BROWSE_ACCOUNTS[0], _seeds.BROWSE_REGIONS[1]
    scope_prefix = _seeds.browse_scope_prefix(account, region)
    if level == "marker":
        from diagnostics.marker_location import locate_marker

        location = locate_marker(session, (account, region))
        assert location.prefix is not None, location.reason
        browsed = browse_level(session, location.prefix)
        return len(browsed.level.folders) + len(browsed.level.objects), len(browsed.keys)
    if level == "after-marker":
        scope = KeyScope(account, region, None, scope_prefix)
        marker = session.classifier.marker_for(scope)
        listed: list[ListedObject] = [item for item, _ in iter_objects(
            session.client, session.layout.bucket, scope_prefix, start_after=marker.value, max_pages=1)]
        verdicts = [session.classifier.classify(item, scope=scope, listed_after=marker.value)
                    for item in listed]
        return len(listed), len(verdicts)
    prefix = {"root": "", "years": scope_prefix, "day": scope_prefix + BROWSED_DAY}[level]
    browsed = browse_level(session, prefix)
    return len(browsed.level.folders) + len(browsed.level.objects), len(browsed.keys)


def naive_level(client: Any, level: str, cap_s: float) -> dict[str, Any]:
    """List the level's whole prefix without a delimiter (an eager tree), stopping at ``cap_s``."""
    account, region = _seeds.BROWSE_ACCOUNTS[0], _seeds.BROWSE_REGIONS[1]
    scope_prefix = _seeds.browse_scope_prefix(account, region)
    prefix = {"root": "", "years": scope_prefix, "day": scope_prefix + BROWSED_DAY,
              "marker": scope_prefix, "after-marker": scope_prefix}[level]
    stop_after = f"{scope_prefix}2024/03/01" if level in ("marker", "after-marker") else None
    arguments: dict[str, Any] = {"Bucket": _seeds.BROWSE_BUCKET, "Prefix": prefix, "MaxKeys": 1000}
    keys = pages = 0
    started = time.perf_counter()
    capped = done = False
    while not done:
        page = client.list_objects_v2(**arguments)
        pages += 1
        contents = page.get("Contents", [])
        keys += len(contents)
        if stop_after and contents and contents[-1]["Key"] > stop_after:
            break
        done = not page.get("IsTruncated")
        if not done:
            arguments["ContinuationToken"] = page["NextContinuationToken"]
        if not done and time.perf_counter() - started > cap_s:
            capped = True
            break
    return {"seconds": time.perf_counter() - started, "keys": keys, "pages": pages, "capped": capped}


def expected_keys(level: str) -> int:
    """How many keys a complete naive listing of the level reads (for the capped projection)."""
    per_scope = _seeds.BROWSE_KEYS // (len(_seeds.BROWSE_ACCOUNTS) * len(_seeds.BROWSE_REGIONS))
    if level == "root":
        return _seeds.BROWSE_KEYS
    if level == "years":
        return per_scope
    if level in ("marker", "after-marker"):
        return per_scope * 790 // _seeds.BROWSE_DAYS
    return 228


LEVELS = (("root", "bucket root"), ("years", "one account/region's years"),
          ("day", f"one day ({BROWSED_DAY})"),
          ("marker", f"marker position (m: the folder holding the StartAfter, only_logs_after {ONLY_LOGS_AFTER})"),
          ("after-marker", "files after the marker (Troubleshoot's count: first 1,000-key page after it)"))


def bench_server(kind: str, runs: int, cap_s: float) -> list[list[str]]:
    """Seed one server, measure every level lazily and naively; table rows."""
    arguments = ["--seed", "browse"] + (["--indexed-listing"] if kind == "indexed" else [])
    rows: list[list[str]] = []
    with _common.moto_server(*arguments) as server, tempfile.TemporaryDirectory() as folder:
        print(f"{kind} moto: {_seeds.BROWSE_KEYS:,} keys inserted in {server.ready_info['seed_s']} s "
              f"(server RSS {server.server_rss_mb():.0f} MB)", flush=True)
        counter = RequestCounter()
        opened = time.perf_counter()
        session = _common.open_session(server.endpoint, Path(folder), _seeds.BROWSE_BUCKET, ONLY_LOGS_AFTER)
        open_s = time.perf_counter() - opened
        session.client.meta.events.register("before-send.s3", counter)
        naive_client = _common.s3_client(server.endpoint)
        naive_counter = RequestCounter()
        naive_client.meta.events.register("before-send.s3", naive_counter)
        for level, title in LEVELS:
            timings, cpu, requests, shown = [], [], [], (0, 0)
            for _ in range(runs):
                counter.sent = 0
                started, cpu_started = time.perf_counter(), time.thread_time()
                shown = lazy_level(session, level)
                timings.append(time.perf_counter() - started)
                cpu.append(time.thread_time() - cpu_started)
                requests.append(counter.sent)
            lazy = _common.Spread.of(timings)
            naive_counter.sent = 0
            naive = naive_level(naive_client, level, cap_s)
            projection = ""
            if naive["capped"]:
                projected = naive["seconds"] * expected_keys(level) / max(1, naive["keys"])
                projection = (f" CAPPED at {cap_s:.0f} s after {naive['keys']:,} keys; "
                              f"projected {projected:,.0f} s")
            rows.append([kind, title, f"{shown[0]:,} shown / {shown[1]:,} classified", lazy.show(3),
                         f"{_common.Spread.of(cpu).median:.3f}",
                         f"{max(requests)}", f"{naive['seconds']:.2f}{projection}",
                         f"{naive_counter.sent:,}",
                         "yes" if lazy.high < 0.3 and max(requests) <= 3 else "NO"])
            print(f"  {kind} {level}: {lazy.show(3)} s, {max(requests)} request(s); naive "
                  f"{naive['seconds']:.1f} s {naive_counter.sent} request(s)"
                  f"{' (capped)' if naive['capped'] else ''}", flush=True)
        rows.append([kind, "open_bucket (credentials, STS identity, classifier)", "", f"{open_s:.3f}", "",
                     "1 (STS)", "", "", ""])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--naive-cap-s", type=float, default=5.0)
    parser.add_argument("--servers", default="stock,indexed")
    args = parser.parse_args()
    print(f"machine: {_common.facts_line()}", flush=True)
    rows: list[list[str]] = []
    for kind in args.servers.split(","):
        rows += bench_server(kind, args.runs, args.naive_cap_s)
    headers = ["server", "level", "entries", "lazy s, median (min–max)", "our CPU s", "lazy requests",
               "naive full listing s", "naive requests", "target met (<0.3 s, <=3 req)"]
    print(f"\nlazy: median (min–max) of {args.runs} runs; naive: one run, capped at "
          f"{args.naive_cap_s:.0f} s; load average after: {_common.load_average()}\n")
    print(_common.table(headers, rows))


if __name__ == "__main__":
    main()
