"""The demo: how soon ``--demo`` shows its first screen and has checked every block, and what
``--demo check`` costs end to end, against the targets (first screen <= 1 s, every block checked <= 3 s,
``--demo check`` <= 3 s and <= 200 MB peak RSS).

Usage: ``.venv/bin/python bench/bench_demo.py [--runs 3] [--tree DIR]``; ``--tree`` measures another
checkout of the project (an older commit unpacked with ``git archive``) for before/after tables.

* ``--demo check``: the console command in a fresh process, timed from just before the spawn to its exit;
  peak RSS is the child's own ``ru_maxrss`` from ``wait4`` (moto runs inside that process, so it counts).
* Phases: the same work in one fresh process with a mark after each step (imports, ``start_demo``
  returned, buckets seeded, each block checked, stopped), to say where the time and memory go.
* The app: ``DoctorApp(None, demo=True)`` headless at 80x24 in a fresh process; times from just before the
  spawn to the first frame, the Overview painted with its blocks, and every block's checks completed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
if os.environ.get("BENCH_DEMO_TREE"):  # a child measuring another checkout imports the project from there
    sys.path.insert(0, os.environ["BENCH_DEMO_TREE"])

from bench import _common

TARGETS = {"first_screen_s": 1.0, "all_checked_s": 3.0, "check_wall_s": 3.0, "check_rss_mb": 200.0}


def _child_env(tree: Path) -> dict[str, str]:
    """Our environment with ``tree`` first on the import path (the measured checkout)."""
    return {**os.environ, "PYTHONPATH": str(tree), "BENCH_DEMO_TREE": str(tree)}


def demo_check_rss(tree: Path) -> tuple[float, dict[str, Any]]:
    """One ``--demo check`` run under ``fork``/``wait4`` so the child's own peak RSS is known."""
    started = time.perf_counter()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: stdout to the pipe, then exec the command
        os.close(read_end)
        os.dup2(write_end, 1)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.chdir("/")
        os.execve(sys.executable, [sys.executable, "-c", "import sys; from tui.cli import main; "
                                   "sys.exit(main(['--demo', 'check']))"], _child_env(tree))
    os.close(write_end)
    chunks = []
    while chunk := os.read(read_end, 65536):
        chunks.append(chunk)
    os.close(read_end)
    _pid, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - started
    lines = b"".join(chunks).decode(errors="replace").strip().splitlines()
    return usage.ru_maxrss / 1024, {"wall_s": wall, "exit": os.waitstatus_to_exitcode(status),
                                    "cpu_s": usage.ru_utime + usage.ru_stime, "summary": lines[-1] if lines else ""}


def phases_child() -> None:
    """In one process: marks (seconds since start, peak and current RSS MB) after each step of --demo check."""
    started = time.perf_counter()
    marks: list[tuple[str, float, float, float]] = []

    def mark(label: str) -> None:
        current = int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
        marks.append((label, time.perf_counter() - started, _common.peak_rss_mb(), current))

    from diagnostics.checks import prepare_context, run_checks
    from tui.demo import start_demo
    mark("imports (diagnostics, tui.demo)")
    environment = start_demo()
    mark("start_demo returned")
    wait = getattr(environment, "wait_seeded", None)
    if wait is not None:
        wait()
        mark("buckets seeded")
    checked = []
    report = run_checks(prepare_context(environment.context),
                        on_block=lambda block_report: checked.append(time.perf_counter() - started))
    mark(f"{len(report.blocks)} blocks checked")
    environment.stop()
    mark("stopped and cleaned up")
    _common.emit_result({"marks": marks, "checked": checked})


def app_child(t0: float) -> None:
    """The demo app headless at 80x24 until every block is checked; times relative to ``t0``."""
    marks: dict[str, float] = {"interpreter": time.time() - t0}
    from tui.app import DoctorApp
    from tui.screens.overview import OverviewScreen

    marks["imports"] = time.time() - t0
    root = Path(sys.modules["tui"].__file__ or ".").parent

    class TimedApp(DoctorApp):
        CSS_PATH = str(root / "styles" / "app.tcss")  # relative paths would follow this subclass

        def on_ready(self) -> None:
            marks["first_frame"] = time.time() - t0
            self.set_interval(0.005, self.watch_overview)

        def watch_overview(self) -> None:
            screen = self.screen
            if isinstance(screen, OverviewScreen) and "overview_mounted" not in marks:
                marks["overview_mounted"] = time.time() - t0
                self.call_after_refresh(lambda: marks.setdefault("overview_painted", time.time() - t0))
            if isinstance(screen, OverviewScreen) and screen.report is not None and "overview_painted" in marks:
                marks["all_checked"] = time.time() - t0
                marks["blocks"] = float(len(screen.report.blocks))
                self.exit()
            if time.time() - t0 > 120:
                self.exit()

    TimedApp(None, demo=True).run(headless=True, size=(80, 24))
    marks["exited"] = time.time() - t0
    marks["cpu_s"] = _common.cpu_seconds()
    _common.emit_result(marks)


def run_child(tree: Path, *arguments: str) -> dict[str, Any]:
    """This script as a child over ``tree``; its result."""
    completed = subprocess.run([sys.executable, __file__, "--child", *arguments, "--tree", str(tree)],
                               capture_output=True, text=True,
                               timeout=300, env=_child_env(tree), cwd="/")
    line = next((line for line in completed.stdout.splitlines() if line.startswith(_common.RESULT_PREFIX)), "")
    if not line:
        raise RuntimeError(f"child {arguments} gave no result:\n{completed.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(line[len(_common.RESULT_PREFIX):])
    return result


def verdict(value: float, target: float) -> str:
    return "yes" if value <= target else f"**no** ({value / target:.2f}x)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--child", choices=("phases", "app"), help=argparse.SUPPRESS)
    parser.add_argument("--t0", type=float, default=0.0, help=argparse.SUPPRESS)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tree", type=Path, default=_common.ROOT, help="the checkout to measure")
    args = parser.parse_args()
    if args.child is not None:
        import tui

        assert Path(tui.__file__ or "").is_relative_to(args.tree.resolve()), "measuring the wrong checkout"
    if args.child == "phases":
        phases_child()
        return
    if args.child == "app":
        app_child(args.t0)
        return
    tree = args.tree.resolve()
    print(f"machine: {_common.facts_line()}\ntree: {tree}", flush=True)
    checks = [demo_check_rss(tree) for _ in range(args.runs)]
    apps = []
    for _ in range(args.runs):
        apps.append(run_child(tree, "app", "--t0", repr(time.time())))
    phases = run_child(tree, "phases")
    wall = _common.Spread.of([run["wall_s"] for _, run in checks])
    rss = _common.Spread.of([peak for peak, _ in checks])
    first = _common.Spread.of([app["overview_painted"] for app in apps])
    checked = _common.Spread.of([app["all_checked"] for app in apps])
    frame = _common.Spread.of([app["first_frame"] for app in apps])
    check_cpu = _common.Spread.of([run["cpu_s"] for _, run in checks])
    app_cpu = _common.Spread.of([app["cpu_s"] for app in apps])
    print(f"\nmedian (min–max) of {args.runs} fresh-process runs; load average after: {_common.load_average()}\n")
    print(_common.table(
        ["measure", "result", "target", "met?"],
        [["app: first frame (the starting message) s", frame.show(2), "—", "—"],
         ["app: first screen (Overview with its blocks painted) s", first.show(2),
          f"≤ {TARGETS['first_screen_s']:g}", verdict(first.median, TARGETS["first_screen_s"])],
         [f"app: every demo block checked ({int(apps[0].get('blocks', 0))} blocks) s", checked.show(2),
          f"≤ {TARGETS['all_checked_s']:g}", verdict(checked.median, TARGETS["all_checked_s"])],
         ["`--demo check` wall s", wall.show(2), f"≤ {TARGETS['check_wall_s']:g}",
          verdict(wall.median, TARGETS["check_wall_s"])],
         ["`--demo check` peak RSS MB", rss.show(1), f"≤ {TARGETS['check_rss_mb']:g}",
          verdict(rss.median, TARGETS["check_rss_mb"])],
         ["`--demo check` CPU s (user + system, all threads)", check_cpu.show(2), "—", "—"],
         ["app CPU s until every block was checked", app_cpu.show(2), "—", "—"]]))
    print(f"\n`--demo check` exit {checks[0][1]['exit']}: {checks[0][1]['summary']}")
    print("\nphases of one `--demo check`-like run in one process (s since start, peak / current RSS MB):\n")
    rows = [[label, f"{at:.2f}", f"{peak:.0f}", f"{current:.0f}"] for label, at, peak, current in phases["marks"]]
    print(_common.table(["step", "at s", "peak RSS", "current RSS"], rows))
    print("blocks checked at s: " + ", ".join(f"{at:.2f}" for at in phases["checked"]))


if __name__ == "__main__":
    main()
