"""The app: cold start to the first painted Overview, and how fast the Ingest screen's live log absorbs lines
while a key press still gets through.

Usage: ``.venv/bin/python bench/bench_app.py [--runs 3] [--lines 200000]``.

* Cold start: a fresh process runs ``DoctorApp(...).run(headless=True)``; times are from just before the
  parent spawns it (interpreter start and imports included) to: imports done, the first frame (Textual's
  ``Ready``), the Overview screen painted (after its first refresh), and every check completed. Two
  set-ups: a two-bucket ossec.conf against a moto server in another process, and ``--demo`` (embedded moto,
  seeding and a throw-away Wazuh home, all inside the app).
* Live log: the real ``IngestScreen`` under ``App.run_test``; a producer thread logs ``--lines`` lines in
  ossec.log format through the screen's own ``BatchingHandler`` into ``IngestLogged`` messages, as the
  built-in pass does. Lines/s is until every line reached the ``LiveLog``; meanwhile a priority key
  (f9) is pressed every 50 ms and the time until its action runs is the key latency.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import _common, _seeds

CONFIG = """<ossec_config>
  <wodle name="aws-s3">
    <disabled>no</disabled>
    <interval>10m</interval>
    <run_on_start>yes</run_on_start>
    <bucket type="cloudtrail">
      <name>{trail}</name>
      <only_logs_after>2024-APR-30</only_logs_after>
    </bucket>
    <bucket type="custom">
      <name>{firehose}</name>
      <path>firehose</path>
    </bucket>
  </wodle>
</ossec_config>
"""
LOG_LINE = ("2024/05/14 10:00:{second:02d} wazuh-modulesd:aws-s3: DEBUG: ++ Found new log: AWSLogs/123456789012/"
            "CloudTrail/us-east-1/2024/05/14/123456789012_CloudTrail_us-east-1_20240514T1000Z_{n:06d}.json.gz")


def cold_child(t0: float, demo: bool, timeout_s: float) -> None:
    """Run the app headless until the Overview shows its checks; print times relative to ``t0``."""
    marks: dict[str, float] = {"interpreter": time.time() - t0}
    from diagnostics.checks import prepare_context
    from diagnostics.context import context_from_environment
    from tui.app import DoctorApp
    from tui.screens.overview import OverviewScreen

    marks["imports"] = time.time() - t0

    class TimedApp(DoctorApp):
        CSS_PATH = str(_common.ROOT / "tui" / "styles" / "app.tcss")  # relative paths follow the subclass

        def on_ready(self) -> None:
            marks["first_frame"] = time.time() - t0
            self.set_interval(0.005, self.watch_overview)

        def watch_overview(self) -> None:
            screen = self.screen
            if isinstance(screen, OverviewScreen) and "overview_mounted" not in marks:
                marks["overview_mounted"] = time.time() - t0
                self.call_after_refresh(lambda: marks.setdefault("overview_painted", time.time() - t0))
            if isinstance(screen, OverviewScreen) and screen.report is not None and "overview_painted" in marks:
                marks["checks_done"] = time.time() - t0
                self.exit()
            if time.time() - t0 > timeout_s:
                self.exit()

    context = None if demo else prepare_context(context_from_environment())
    TimedApp(context, demo=demo).run(headless=True, size=(120, 40))
    marks["exited"] = time.time() - t0
    _common.emit_result(marks)


def cold_start(runs: int, demo: bool, env: dict[str, str]) -> dict[str, _common.Spread | None]:
    """Fresh-process cold starts; spreads of each mark."""
    import json
    import subprocess

    results = []
    for _ in range(runs):
        started = time.time()
        completed = subprocess.run([sys.executable, __file__, "--child", "cold", "--t0", repr(started)]
                                   + (["--demo"] if demo else []), capture_output=True, text=True, timeout=300,
                                   env={**os.environ, **env, "PYTHONPATH": str(_common.ROOT)}, cwd=_common.ROOT)
        line = next((line for line in completed.stdout.splitlines() if line.startswith(_common.RESULT_PREFIX)), "")
        if not line:
            raise RuntimeError(f"cold start gave no result:\n{completed.stderr[-3000:]}")
        results.append(json.loads(line[len(_common.RESULT_PREFIX):]))
    names = ("interpreter", "imports", "first_frame", "overview_painted", "checks_done", "peak_rss_mb")
    return {name: (_common.Spread.of([r[name] for r in results]) if all(name in r for r in results) else None)
            for name in names}


async def live_log(lines: int, home: Path) -> dict[str, Any]:
    """Flood the Ingest screen's live log from a thread while pressing a key; throughput and latency."""
    import asyncio
    import logging
    import threading

    from textual import events
    from textual.app import App
    from textual.binding import Binding

    from diagnostics.context import context_from_environment
    from diagnostics.ingest.log_format import OssecLogFormatter
    from tui.messages import IngestLogged
    from tui.screens.ingest import IngestScreen
    from tui.widgets.live_log import BatchingHandler, LiveLog

    pressed: list[float] = []
    handled: list[float] = []

    class FloodApp(App[None]):
        CSS_PATH = str(_common.ROOT / "tui" / "styles" / "app.tcss")
        BINDINGS = [Binding("f9", "ping", "ping", priority=True)]

        def on_mount(self) -> None:
            self.push_screen(IngestScreen(context_from_environment(wazuh_home=str(home)), state_dir=home))

        def action_ping(self) -> None:
            handled.append(time.perf_counter())

    alone = logging.getLogger("wazuh_aws_doctor.bench.alone")
    alone.propagate, alone.level = False, logging.DEBUG
    quiet = BatchingHandler(lambda batch: None)
    quiet.setFormatter(OssecLogFormatter(show_bucket=False))
    alone.addHandler(quiet)
    started = time.perf_counter()
    for number in range(lines):
        alone.debug(LOG_LINE.format(second=number % 60, n=number))
    quiet.flush()
    producer_alone_s = time.perf_counter() - started
    app = FloodApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.5)
        screen = app.screen
        log = screen.query_one(LiveLog)
        handler = BatchingHandler(lambda batch: screen.post_message(IngestLogged(batch)),
                                  backlog=lambda: screen.message_queue_size)
        handler.setFormatter(OssecLogFormatter(show_bucket=False))
        logger = logging.getLogger("wazuh_aws_doctor.bench.flood")
        logger.propagate, logger.level = False, logging.DEBUG
        logger.addHandler(handler)

        def produce() -> None:
            for number in range(lines):
                logger.debug(LOG_LINE.format(second=number % 60, n=number))
            handler.flush()

        producer = threading.Thread(target=produce, name="flood")
        started = time.perf_counter()
        producer.start()
        while log.lines_received < lines and time.perf_counter() - started < 300:
            pressed.append(time.perf_counter())
            app.post_message(events.Key("f9", None))  # not pilot.press: it waits for idle, never seen in a flood
            await asyncio.sleep(0.05)
        absorbed = time.perf_counter() - started
        producer.join()
        await pilot.pause(0.2)
        shown = log.line_count
        handled_all = len(handled)
    latencies = [after - before for before, after in zip(pressed, handled[:handled_all], strict=False)]
    return {"lines": lines, "seconds": absorbed, "producer_alone_per_s": lines / producer_alone_s,
            "lines_per_s": lines / absorbed, "received": log.lines_received,
            "shown": shown, "presses": len(pressed), "handled": len(handled),
            "latency_median_ms": statistics.median(latencies) * 1000 if latencies else None,
            "latency_max_ms": max(latencies) * 1000 if latencies else None,
            "latency_p95_ms": (sorted(latencies)[int(len(latencies) * 0.95)] * 1000) if latencies else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--child", choices=("cold",), help=argparse.SUPPRESS)
    parser.add_argument("--t0", type=float, default=0.0, help=argparse.SUPPRESS)
    parser.add_argument("--demo", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--lines", type=int, default=200_000)
    args = parser.parse_args()
    if args.child == "cold":
        cold_child(args.t0, args.demo, 120.0)
        return
    import asyncio

    print(f"machine: {_common.facts_line()}", flush=True)
    rows: list[list[str]] = []
    with tempfile.TemporaryDirectory(prefix="wad-bench-app-") as folder:
        home = Path(folder)
        (home / "etc").mkdir()
        (home / "etc" / "ossec.conf").write_text(CONFIG.format(trail=_seeds.TRAIL_BUCKET,
                                                               firehose=_seeds.FIREHOSE_BUCKET))
        (home / "aws").mkdir()
        with _common.moto_server("--seed", "ingest") as server:
            env = {"WAZUH_HOME": str(home), "AWS_ENDPOINT_URL_S3": server.endpoint,
                   "WAZUH_AWS_DOCTOR_MODULE_HOME": str(home / "aws"), "AWS_ACCESS_KEY_ID": "testing",
                   "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1",
                   "AWS_EC2_METADATA_DISABLED": "true",
                   "AWS_SHARED_CREDENTIALS_FILE": str(home / "aws" / "credentials"),
                   "AWS_CONFIG_FILE": str(home / "aws" / "config")}
            for demo in (False, True):
                spreads = cold_start(args.runs, demo, env)
                label = "--demo (embedded moto + seeding)" if demo else "2-bucket ossec.conf, moto in another process"
                rows.append([label] + [(spread.show(1 if name == "peak_rss_mb" else 3) if spread else "n/a")
                                     for name, spread in spreads.items()])
                print(f"  cold start {label}: overview painted {rows[-1][4]} s", flush=True)
        result = asyncio.run(live_log(args.lines, home))
    headers = ["cold start (fresh process, headless 120x40)", "interpreter up s", "imports done s",
               "first frame s", "Overview painted s", "checks done s", "peak RSS MB"]
    print(f"\nmedian (min–max) of {args.runs} runs; load average after: {_common.load_average()}\n")
    print(_common.table(headers, rows))
    print("\nlive log (IngestScreen under run_test, BatchingHandler producer thread):\n")
    print(_common.table(
        ["lines", "absorbed in s", "lines/s", "producer alone lines/s", "shown (max_lines)", "key presses handled",
         "key latency median / p95 / max ms"],
        [[f"{result['lines']:,}", f"{result['seconds']:.2f}", f"{result['lines_per_s']:,.0f}",
          f"{result['producer_alone_per_s']:,.0f}", str(result["shown"]),
          f"{result['handled']}/{result['presses']}",
          f"{result['latency_median_ms']:.1f} / {result['latency_p95_ms']:.1f} / {result['latency_max_ms']:.1f}"
          if result["latency_median_ms"] is not None else "n/a"]]))


if __name__ == "__main__":
    main()
