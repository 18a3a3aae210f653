"""The ingestion pass over moto: 2,000 CloudTrail objects x 50 records and 500 Firehose (Macie) objects.

Usage: ``.venv/bin/python bench/bench_ingest.py [--runs 3] [--variants 8,1,module,floor] [--latency-ms 0]
[--verify-events]``. Each measured pass runs in a fresh child process (wall time, events/s, CPU-seconds of
the whole process per 100,000 events, peak RSS); the moto server runs in another process, seeded
in-process, so neither its CPU nor its memory is counted as ours (its CPU is shown apart: the two
share this machine's cores). ``module`` is a module-like loop (``_module_like.py``) and ``floor`` the
least any Python process can do for the same datagrams (``_floor.py``); ``--verify-events`` checks
that our pass and the floor write byte-identical datagrams. ``--latency-ms`` delays every S3 request on
the server, as a real network would, to show what the read-ahead pool hides. Events go to a JSON-lines
sink on /dev/null and the module-words log (debug 2) to a handler on /dev/null, as ``ingest`` does.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import _common, _seeds

MODULE_REFERENCE: dict[str, dict[str, Any]] = {
    "cloudtrail": {"wall_s": 16.0, "events_s": 6300.0, "cpu_per_100k": 11.4, "rss_mb": 87.0},
    "firehose": {"wall_s": 4.4, "events_s": 24000 / 4.4, "cpu_per_100k": None, "rss_mb": 95.0},
}
"""The real module on the issue's machine (issue 6); Firehose CPU was not given."""
CASES = ("cloudtrail", "firehose")


def _apply_what_ifs(what_ifs: list[str]) -> None:
    """Bench-only patches that estimate a suggested change's gain (production code is not edited)."""
    from diagnostics.decode import awslogs, custom, registry
    from diagnostics.decode.model import EventSummary
    from diagnostics.ingest.state import IngestState

    if "wal" in what_ifs:  # our own state DB in WAL mode with synchronous=NORMAL: no fsync per commit
        original_open = IngestState.open.__func__  # type: ignore[attr-defined]

        def open_wal(cls: Any, *args: Any, **kwargs: Any) -> Any:
            state = original_open(cls, *args, **kwargs)
            state._connection.execute("PRAGMA journal_mode=WAL")
            state._connection.execute("PRAGMA synchronous=NORMAL")
            return state

        IngestState.open = classmethod(open_wal)  # type: ignore[assignment,method-assign]
    if "no-raw" in what_ifs:  # no JSON round trip per record for the preview's raw view
        for module in (awslogs, custom):
            module.json_clone = lambda value: value  # type: ignore[attr-defined]
        registry._json_safe = lambda value: value
    if "no-summary" in what_ifs:  # no display summary built for events nobody displays
        empty = EventSummary(time="", source="", name="", user="", source_ip="", region="", outcome="",
                             resource="")
        registry._ObjectRun._summary = staticmethod(lambda decoder, message: empty)  # type: ignore[method-assign]


def child(endpoint: str, case: str, variant: str, debug: int, profile_to: str | None,
          what_ifs: list[str], events_to: str | None = None) -> None:
    """One pass, measured from inside (after imports and client set-up, which are reported apart)."""
    import logging
    import os
    import tempfile
    import threading
    import time

    from bench._module_like import module_like_pass
    from diagnostics.context import DoctorContext
    from diagnostics.findings import SourceLocation
    from diagnostics.ingest.engine import run_ingestion
    from diagnostics.ingest.log_format import LOGGER_NAME, OssecLogFormatter, level_for_debug
    from diagnostics.ingest.model import IngestRequest
    from diagnostics.ingest.sinks import JsonLinesSink
    from diagnostics.wazuh.versions import profile_for
    from diagnostics.wazuh.wodle import Block, Option, Wodle

    _apply_what_ifs(what_ifs)
    client = _common.s3_client(endpoint)
    client.head_bucket(Bucket=_seeds.TRAIL_BUCKET)  # connection and botocore's lazy loading, not measured
    if case == "cloudtrail":
        name, options = _seeds.TRAIL_BUCKET, {"only_logs_after": "2024-APR-30"}
    else:
        name = _seeds.FIREHOSE_BUCKET
        options = {"path": _seeds.FIREHOSE_PATH, "only_logs_after": "2024-MAY-01"}
    tags = {"name": Option("name", name, 3)}
    tags.update({tag: Option(tag, value, line) for line, (tag, value) in enumerate(options.items(), 4)})
    block = Block(kind="bucket", block_type="cloudtrail" if case == "cloudtrail" else "custom",
                  location=SourceLocation("bench.conf", 2), options=tags)
    wodle = Wodle(location=SourceLocation("bench.conf", 1), options={})
    devnull = open(os.devnull, "w")  # noqa: SIM115 (open for the whole child)
    events_out = open(events_to, "w") if events_to else devnull  # noqa: SIM115
    logger = logging.getLogger(LOGGER_NAME)
    handler = logging.StreamHandler(devnull)
    handler.setFormatter(OssecLogFormatter(show_bucket=True))
    logger.addHandler(handler)
    logger.setLevel(level_for_debug(debug))
    logger.propagate = False
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "ossec"
        (home / "wodles" / "aws").mkdir(parents=True)
        context = DoctorContext(wazuh_home=home, profile=profile_for((4, 14, 7), "bench"), now=_seeds.NOW)
        workers = 1 if variant in ("module", "floor") else int(variant)
        request = IngestRequest(context=context, block=block, client=client, wodle=wodle, debug_level=debug,
                                state_dir=Path(folder) / "state", reset=True, workers=workers,
                                caller_account=_seeds.ACCOUNT)
        sink = JsonLinesSink(events_out)
        rss_before = _common.peak_rss_mb()
        cpu_before, started = _common.cpu_seconds(), time.perf_counter()
        profiler: Any = None
        if profile_to:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.002)
            profiler.start()
        if variant == "floor":
            from bench._floor import floor_pass

            if case != "cloudtrail":
                raise SystemExit("the floor variant reads CloudTrail only")
            counts = floor_pass(client, name, f"AWSLogs/{_seeds.ACCOUNT}/CloudTrail/{_seeds.REGION}/",
                                f"AWSLogs/{_seeds.ACCOUNT}/CloudTrail/{_seeds.REGION}/2024/04/30", events_out)
            events, files, exit_code = counts["events"], counts["files"], 0
        elif variant == "module":
            prefix = (f"AWSLogs/{_seeds.ACCOUNT}/CloudTrail/{_seeds.REGION}/" if case == "cloudtrail"
                      else f"{_seeds.FIREHOSE_PATH}/")
            marker = f"{prefix}2024/04/30" if case == "cloudtrail" else f"{prefix}2024/05/01"
            counts = module_like_pass(client, name, prefix, marker, block.block_type or "", events_out,
                                      Path(folder) / "module.db")
            events, files, exit_code = counts["events"], counts["files"], 0
        else:
            summary = run_ingestion(request, sink=sink, cancel=threading.Event())
            events, files, exit_code = summary.events, summary.files_read, summary.exit_code
        if profiler is not None and profile_to:
            profiler.stop()
            Path(profile_to).write_text(profiler.output_text(unicode=False, color=False, show_all=False))
        wall, cpu = time.perf_counter() - started, _common.cpu_seconds() - cpu_before
    events_out.flush()
    _common.emit_result({"case": case, "variant": variant, "wall_s": wall, "cpu_s": cpu, "events": events,
                         "files": files, "exit_code": exit_code, "rss_before_mb": rss_before,
                         "total_cpu_s": _common.cpu_seconds()})


def measure(server: _common.MotoServer, case: str, variant: str, runs: int, debug: int,
            what_ifs: list[str]) -> dict[str, Any]:
    """``runs`` fresh-process passes of one case and variant; their spreads (the server's CPU too)."""
    arguments = ["--endpoint", server.endpoint, "--case", case, "--variants", variant, "--debug", str(debug)]
    if what_ifs:
        arguments += ["--what-if", ",".join(what_ifs)]
    results = []
    for _ in range(runs):
        server_before = server.server_cpu_s()
        result = _common.run_child(Path(__file__), arguments)
        result["server_cpu_s"] = server.server_cpu_s() - server_before
        results.append(result)
    for result in results:
        if result["exit_code"] != 0 or result["events"] == 0:
            raise RuntimeError(f"pass failed: {result}")
    label = {"module": "module-like loop", "floor": "floor (least possible)"}.get(variant, f"ours, workers={variant}")
    return {
        "case": case, "label": label + (f" + {'+'.join(what_ifs)}" if what_ifs else ""),
        "events": results[0]["events"], "files": results[0]["files"],
        "wall": _common.spread(results, "wall_s"),
        "rate": _common.spread(results, "", lambda r: r["events"] / r["wall_s"]),
        "cpu100k": _common.spread(results, "", lambda r: r["cpu_s"] * 100_000 / r["events"]),
        "rss": _common.spread(results, "peak_rss_mb"),
        "server_cpu100k": _common.spread(results, "", lambda r: r["server_cpu_s"] * 100_000 / r["events"]),
        "rss_before": _common.spread(results, "rss_before_mb"),
    }


def verify_events(endpoint: str, variant: str, debug: int) -> str:
    """Run ours and the floor once each into files; say whether the datagrams are byte-identical."""
    import hashlib
    import tempfile

    digests = {}
    with tempfile.TemporaryDirectory() as folder:
        for name in (variant, "floor"):
            target = Path(folder) / f"{name}.jsonl"
            _common.run_child(Path(__file__), ["--endpoint", endpoint, "--case", "cloudtrail", "--variants", name,
                                               "--debug", str(debug), "--events-to", str(target)])
            digest, lines = hashlib.sha256(), 0
            with target.open("rb") as stream:  # in pieces: this process's peak RSS is inherited by later runs
                for piece in iter(lambda: stream.read(1 << 20), b""):
                    digest.update(piece)
                    lines += piece.count(b"\n")
            digests[name] = (lines, digest.hexdigest()[:16])
    same = digests[variant] == digests["floor"]
    return (f"events: ours (workers={variant}) {digests[variant][0]:,} sha256 {digests[variant][1]}, floor "
            f"{digests['floor'][0]:,} sha256 {digests['floor'][1]}: {'IDENTICAL' if same else 'DIFFERENT'}")


def versus(row: dict[str, Any], reference: dict[str, Any] | None) -> str:
    """Ratios to the issue's module numbers and to the module-like loop on this machine."""
    module = MODULE_REFERENCE[row["case"]]
    parts = [f"issue: {row['rate'].median / module['events_s']:.2f}x ev/s"]
    if module["cpu_per_100k"]:
        parts.append(f"{row['cpu100k'].median / module['cpu_per_100k']:.2f}x CPU")
    parts.append(f"{row['rss'].median / module['rss_mb']:.2f}x RSS")
    if reference is not None and reference is not row:
        parts.append(f"here: {row['rate'].median / reference['rate'].median:.2f}x ev/s, "
                     f"{row['cpu100k'].median / reference['cpu100k'].median:.2f}x CPU")
    return "; ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--endpoint", help=argparse.SUPPRESS)
    parser.add_argument("--case", choices=CASES, action="append",
                        help="cloudtrail and/or firehose (default both)")
    parser.add_argument("--variants", default="8,1,module,floor",
                        help="pool sizes, 'module' (the module-like loop) and/or 'floor' (the least possible), "
                             "comma separated")
    parser.add_argument("--debug", type=int, default=2, choices=(0, 1, 2, 3))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reference-runs", type=int, default=1, help="runs of the module-like loop and floor")
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--what-if", default="", help="bench-only patches: wal,no-raw,no-summary")
    parser.add_argument("--profile", metavar="FILE", help="one pyinstrument-profiled pass per case, to FILE")
    parser.add_argument("--events-to", help=argparse.SUPPRESS)
    parser.add_argument("--verify-events", action="store_true",
                        help="also check that ours (first variant) and the floor write byte-identical events")
    args = parser.parse_args()
    what_ifs = [item for item in args.what_if.split(",") if item]
    if args.child:
        child(args.endpoint, args.case[0], args.variants, args.debug, args.profile, what_ifs, args.events_to)
        return
    cases = args.case or list(CASES)
    variants = args.variants.split(",")
    server_args = ["--seed", "ingest"] + (["--latency-ms", str(args.latency_ms)] if args.latency_ms else [])
    print(f"machine: {_common.facts_line()}", flush=True)
    with _common.moto_server(*server_args) as server:
        print(f"moto server seeded in {server.ready_info['seed_s']} s (separate process, "
              f"{server.server_rss_mb():.0f} MB RSS, not counted); latency {args.latency_ms} ms/request",
              flush=True)
        if args.profile:
            for case in cases:
                target = Path(f"{args.profile}.{case}.txt")
                arguments = ["--endpoint", server.endpoint, "--case", case, "--variants", variants[0],
                             "--debug", str(args.debug), "--profile", str(target)]
                if what_ifs:
                    arguments += ["--what-if", args.what_if]
                _common.run_child(Path(__file__), arguments)
                print(target.read_text())
            return
        if args.verify_events:
            print(verify_events(server.endpoint, variants[0], args.debug), flush=True)
        rows = []
        for case in cases:
            for variant in variants:
                if variant == "floor" and case != "cloudtrail":
                    continue  # the floor is written for CloudTrail documents only
                runs = args.reference_runs if variant in ("module", "floor") else args.runs
                rows.append(measure(server, case, variant, runs, args.debug,
                                    [] if variant == "module" else what_ifs))
                print(f"  {case} {rows[-1]['label']}: {rows[-1]['wall'].show()} s", flush=True)
    headers = ["case", "variant", "events", "wall s", "events/s", "CPU s / 100k ev", "server CPU s / 100k ev",
               "peak RSS MB", "RSS before pass MB", "vs module (issue) / module-like loop (here)"]
    body = []
    for row in rows:
        reference = next((other for other in rows
                          if other["case"] == row["case"] and other["label"] == "module-like loop"), None)
        body.append([f"{row['case']} ({row['files']} objects)", row["label"], str(row["events"]),
                     row["wall"].show(2), row["rate"].show(0), row["cpu100k"].show(2),
                     row["server_cpu100k"].show(2), row["rss"].show(1),
                     row["rss_before"].show(1), versus(row, reference)])
    print(f"\nmedian (min–max) of {args.runs} runs ({args.reference_runs} for the module-like loop), each in a "
          f"fresh process; debug {args.debug}; "
          f"latency {args.latency_ms} ms/request; load average after: {_common.load_average()}\n")
    print(_common.table(headers, body))
    reference_rows = [[case, f"{ref['wall_s']:.1f}", f"{ref['events_s']:.0f}",
                       f"{ref['cpu_per_100k']:.1f}" if ref["cpu_per_100k"] else "n/a", f"{ref['rss_mb']:.0f}"]
                      for case, ref in MODULE_REFERENCE.items()]
    print("\nreal module (issue 6, its machine):\n")
    print(_common.table(["case", "wall s", "events/s", "CPU s / 100k ev", "peak RSS MB"], reference_rows))


if __name__ == "__main__":
    main()
