"""What every benchmark shares: the moto server in its own process, child runs, machine facts and tables.

Measured passes run in fresh child processes so peak RSS (``ru_maxrss``) is the pass's own, and the moto
server runs in yet another process so its memory and CPU are never counted as ours.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULT_PREFIX = "BENCH-RESULT "
"""A child prints exactly one line starting with this, followed by its JSON result."""


def machine_facts() -> dict[str, str]:
    """CPU model, cores, Python and library versions: what a reader needs to compare numbers."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    facts = {"cpu": cpu, "cores": str(os.cpu_count() or "?"), "load": load_average(),
             "python": platform.python_version(),
             "os": f"{platform.system()} {platform.release()}"}
    for package in ("boto3", "botocore", "moto", "textual"):
        try:
            facts[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            facts[package] = "absent"
    return facts


def facts_line() -> str:
    """The machine facts as one printable line."""
    return ", ".join(f"{name} {value}" for name, value in machine_facts().items())


def peak_rss_mb() -> float:
    """This process's peak resident set size in MB (Linux reports ``ru_maxrss`` in KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """User plus system CPU of this process, all threads."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def emit_result(result: dict[str, Any]) -> None:
    """Hand a child's measurements to its parent (one tagged JSON line on stdout)."""
    result.setdefault("peak_rss_mb", round(peak_rss_mb(), 1))
    print(RESULT_PREFIX + json.dumps(result), flush=True)


def run_child(script: Path, arguments: Sequence[str], *, timeout: float = 600) -> dict[str, Any]:
    """Run ``script --child ...`` in a fresh interpreter; its result plus the wall time seen from here.

    ``process_wall_s`` runs from just before the process is spawned to its exit, so it includes
    interpreter start and imports.
    """
    started = time.perf_counter()
    completed = subprocess.run([sys.executable, str(script), "--child", *arguments], cwd=ROOT,
                               capture_output=True, text=True, timeout=timeout,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
    elapsed = time.perf_counter() - started
    for line in completed.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            result: dict[str, Any] = json.loads(line[len(RESULT_PREFIX):])
            result["process_wall_s"] = elapsed
            return result
    raise RuntimeError(f"{script.name} {' '.join(arguments)} gave no result (exit {completed.returncode}):\n"
                       f"{completed.stderr[-3000:]}")


@dataclass(frozen=True)
class Spread:
    """Median and range of repeated measurements."""

    median: float
    low: float
    high: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        return cls(statistics.median(values), min(values), max(values))

    def show(self, digits: int = 2, scale: float = 1.0) -> str:
        """``median (min–max)``."""
        return (f"{self.median * scale:.{digits}f} ({self.low * scale:.{digits}f}–"
                f"{self.high * scale:.{digits}f})")


def spread(results: Sequence[dict[str, Any]], field: str,
           derive: Callable[[dict[str, Any]], float] | None = None) -> Spread:
    """The spread of one field (or a derived value) over several results."""
    return Spread.of([derive(result) if derive else float(result[field]) for result in results])


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table, columns padded so it also reads well in a terminal."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=False)]

    def line(cells: Sequence[str]) -> str:
        return ("| " + " | ".join(str(cell).ljust(width) for cell, width in zip(cells, widths, strict=False))
                + " |")

    rule = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


class MotoServer:
    """``bench/_moto_server.py`` in its own process; ``endpoint`` once it printed its port."""

    def __init__(self, *arguments: str) -> None:
        self.arguments = arguments
        self.process: subprocess.Popen[str] | None = None
        self.endpoint = ""
        self.ready_info: dict[str, Any] = {}

    def start(self, timeout: float = 300) -> MotoServer:
        self.process = subprocess.Popen(
            [sys.executable, str(BENCH / "_moto_server.py"), *self.arguments], cwd=ROOT, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            if line.startswith("READY "):
                self.ready_info = json.loads(line[len("READY "):])
                self.endpoint = str(self.ready_info["endpoint"])
                return self
        self.stop()
        raise RuntimeError("the moto server process did not start")

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def server_cpu_s(self) -> float:
        """The server process's user+system CPU so far (all its threads), from ``/proc``; 0 if unknown."""
        if self.process is None:
            return 0.0
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def server_rss_mb(self) -> float | None:
        """The server's current RSS, to show it was kept out of our numbers."""
        if self.process is None:
            return None
        try:
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            return None
        return None


@contextmanager
def moto_server(*arguments: str) -> Iterator[MotoServer]:
    """A started server process, stopped on exit."""
    server = MotoServer(*arguments).start()
    try:
        yield server
    finally:
        server.stop()


def s3_client(endpoint: str) -> Any:
    """An S3 client built by the project's own factory (one attempt: a failure shows, it is not retried)."""
    import boto3

    from diagnostics.aws.clients import ClientSettings, make_client

    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                    region_name="us-east-1")
    return make_client(session, "s3", ClientSettings(endpoint_url=endpoint, max_attempts=1))


def load_average() -> str:
    """The 1/5/15-minute load averages: other work on the machine shows up here, not in our CPU time."""
    try:
        return "/".join(f"{value:.1f}" for value in os.getloadavg())
    except OSError:
        return "n/a"


def open_session(endpoint: str, home: Path, bucket: str, only_logs_after: str | None = None) -> Any:
    """A cloudtrail bucket opened as the app's Browse and Preview screens open it (credentials from the
    environment, STS identity, state reader, classifier), against ``endpoint``; the clock is 2025-01-01."""
    from datetime import datetime, timezone

    from diagnostics.bucket_session import open_bucket
    from diagnostics.context import DoctorContext
    from diagnostics.findings import SourceLocation
    from diagnostics.wazuh.versions import profile_for
    from diagnostics.wazuh.wodle import Block, Option

    (home / ".aws").mkdir(parents=True, exist_ok=True)
    (home / "ossec" / "wodles" / "aws").mkdir(parents=True, exist_ok=True)
    environ = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
               "AWS_DEFAULT_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true",
               "AWS_SHARED_CREDENTIALS_FILE": str(home / ".aws" / "credentials"),
               "AWS_CONFIG_FILE": str(home / ".aws" / "config")}
    context = DoctorContext(wazuh_home=home / "ossec", endpoint_url=endpoint, module_home=home,
                            environ=environ, profile=profile_for((4, 14, 7), "bench"),
                            now=datetime(2025, 1, 1, tzinfo=timezone.utc))
    options = {"name": Option("name", bucket, 3)}
    if only_logs_after:
        options["only_logs_after"] = Option("only_logs_after", only_logs_after, 4)
    block = Block(kind="bucket", block_type="cloudtrail", location=SourceLocation("bench.conf", 2),
                  options=options)
    session = open_bucket(context, block)
    if not session.usable:
        raise RuntimeError(f"could not open the bucket: {session.findings}")
    return session
