"""Hostile objects: one huge JSON string and megabytes of whitespace, through the real CLI and the decoder.

Usage: ``.venv/bin/python bench/bench_hostile.py [--string-mib 500] [--spaces 16,32,64,128,256,512]``.

* ``preview`` and ``ingest`` run as the admin runs them (``wazuh-aws-doctor ...`` in a child process, moto in
  another): peak RSS is the child's ``ru_maxrss`` (from ``wait4``), "first answer" the time from spawning
  the process to its first byte of output (stdout or stderr), and the bytes written to stdout are counted.
* The decoder alone (``decode_object`` over the object's bytes, a fresh child per size) shows whether the
  time stays linear in the input: seconds per MiB should not grow with the size.
* Ctrl-C: SIGINT to ``ingest``/``preview`` while they read the 512 MiB object; the time to exit and whether
  a traceback was printed, for one SIGINT and for two in a row.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import _common

MIB = 1024 * 1024
ACCOUNT = "123456789012"
TARGET_RSS_MB = 150
TARGET_FIRST_S = 1.0
PREVIEW_INTERRUPT_AT_S = 3.0
"""After start-up (1.5-2.5 s on this 2-core machine), while the preview inflates the object."""
INGEST_INTERRUPT_AT_S = 1.0
"""After the pass logged ``Found new log`` for the object, while it inflates it."""


def _gzip_file(path: Path, parts: Iterator[bytes]) -> int:
    """Write one gzip member piece by piece (never holding the inflated text); its compressed size."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    with path.open("wb") as out:
        for part in parts:
            out.write(compressor.compress(part))
        out.write(compressor.flush())
    return path.stat().st_size


def string_parts(mib: int) -> Iterator[bytes]:
    """One CloudTrail-like record whose ``requestParameters.blob`` holds ``mib`` MiB, then a normal one."""
    yield b'{"Records":[{"eventVersion":"1.08","eventName":"Hostile","requestParameters":{"blob":"'
    block = b"A" * MIB
    for _ in range(mib):
        yield block
    yield b'"}},{"eventVersion":"1.08","eventName":"After"}]}'


def many_parts(records: int, mib: int) -> Iterator[bytes]:
    """``records`` records whose strings hold ``mib`` MiB each: under the 4 MiB cut, so each is kept whole."""
    yield b'{"Records":['
    for index in range(records):
        yield (b"," if index else b"") + b'{"eventVersion":"1.08","eventName":"Big","blob":"'
        yield b"A" * (mib * MIB) + b'"}'
    yield b"]}"


def space_parts(mib: int) -> Iterator[bytes]:
    """``{"Records":[`` + ``mib`` MiB of spaces + ``]}``, the reported shape."""
    yield b'{"Records":['
    block = b" " * MIB
    for _ in range(mib):
        yield block
    yield b"]}"


def object_key(name: str) -> str:
    today = datetime.now(timezone.utc)
    return (f"AWSLogs/{ACCOUNT}/CloudTrail/us-east-1/{today:%Y/%m/%d}/{ACCOUNT}_CloudTrail_us-east-1_"
            f"{today:%Y%m%dT%H%M}Z_{name}.json.gz")


# -- child: the decoder alone ------------------------------------------------------------------------------

def child_decode(path: str, limit: int | None) -> None:
    from diagnostics.decode.model import DecodeContext, DecodedEvent
    from diagnostics.decode.registry import decode_object
    from diagnostics.wazuh import ossec_log
    from diagnostics.wazuh.versions import profile_for

    context = DecodeContext(bucket_type="cloudtrail", bucket="bench", path="", account_alias="",
                            profile=profile_for((4, 14, 7), "bench"), discard_field=None, discard_regex=None,
                            skip_on_error=False, run_title=ossec_log.RunTitle.for_bucket(None, None),
                            debug_level=2)
    started = time.perf_counter()
    cpu = _common.cpu_seconds()
    events = problems = 0
    first: float | None = None
    with open(path, "rb") as stream:
        for item in decode_object(stream, object_key("x"), context, limit=limit):
            first = time.perf_counter() - started if first is None else first
            if isinstance(item, DecodedEvent):
                events += 1
            else:
                problems += 1
    _common.emit_result({"decode_s": time.perf_counter() - started, "cpu_s": _common.cpu_seconds() - cpu,
                         "first_s": first, "events": events, "problems": problems})


# -- the CLI as the admin runs it ----------------------------------------------------------------------------

@dataclass
class CliRun:
    exit_code: int
    wall_s: float
    first_output_s: float | None
    stdout_bytes: int
    stderr: str
    peak_rss_mb: float


def run_cli(arguments: Sequence[str], environ: dict[str, str], *,
            interrupts: Sequence[float] = (), after: str | None = None) -> CliRun:
    """``wazuh-aws-doctor ARGS`` in a child; SIGINT at each of ``interrupts`` seconds after spawning it, or
    after ``after`` appeared on its stderr."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "tui.cli", *arguments], cwd=_common.ROOT, env=environ,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first: list[float] = []
    out_bytes = [0]
    err_chunks: list[bytes] = []

    def pump(stream: Any, count: bool) -> None:
        while True:
            chunk = stream.read1(65536)
            if not chunk:
                return
            if not first:
                first.append(time.perf_counter() - started)
            if count:
                out_bytes[0] += len(chunk)
            else:
                err_chunks.append(chunk)

    readers = [threading.Thread(target=pump, args=(process.stdout, True), daemon=True),
               threading.Thread(target=pump, args=(process.stderr, False), daemon=True)]
    for reader in readers:
        reader.start()
    if interrupts:
        base = started
        while after is not None and after not in b"".join(err_chunks).decode(errors="replace") \
                and process.poll() is None:
            time.sleep(0.01)
            base = time.perf_counter()
        for at in interrupts:
            time.sleep(max(0.0, base + at - time.perf_counter()))
            os.kill(process.pid, signal.SIGINT)  # not send_signal: its poll() could reap the child first
    interrupted_at = time.perf_counter()
    _, status, usage = os.wait4(process.pid, 0)
    ended = time.perf_counter()
    process.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join(10)
    wall = (ended - interrupted_at) if interrupts else (ended - started)
    return CliRun(process.returncode, wall, first[0] if first else None, out_bytes[0],
                  b"".join(err_chunks).decode(errors="replace"), usage.ru_maxrss / 1024)


def write_home(folder: Path, buckets: Sequence[str]) -> tuple[Path, dict[str, str]]:
    """A Wazuh home with one cloudtrail block per bucket and root's ~/.aws; the environment for the CLI."""
    home = folder / "ossec"
    (home / "etc").mkdir(parents=True)
    blocks = "".join(f'    <bucket type="cloudtrail">\n      <name>{name}</name>\n'
                     f"      <aws_profile>default</aws_profile>\n    </bucket>\n" for name in buckets)
    (home / "etc" / "ossec.conf").write_text(
        "<ossec_config>\n  <wodle name=\"aws-s3\">\n    <disabled>no</disabled>\n    <interval>10m</interval>\n"
        f"    <run_on_start>yes</run_on_start>\n{blocks}  </wodle>\n</ossec_config>\n")
    module_home = folder / "root"
    (module_home / ".aws").mkdir(parents=True)
    credentials = module_home / ".aws" / "credentials"
    credentials.write_text("[default]\naws_access_key_id = testing\naws_secret_access_key = testing\n")
    credentials.chmod(0o600)
    environ = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    environ.update({"PYTHONPATH": str(_common.ROOT), "HOME": str(module_home),
                    "WAZUH_AWS_DOCTOR_MODULE_HOME": str(module_home), "AWS_EC2_METADATA_DISABLED": "true",
                    "AWS_SHARED_CREDENTIALS_FILE": str(credentials),
                    "AWS_CONFIG_FILE": str(module_home / ".aws" / "config"), "NO_COLOR": "1"})
    return home, environ


def traceback_in(text: str) -> str:
    return "yes" if "Traceback (most recent call last)" in text else "no"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--child", nargs="*")
    parser.add_argument("--string-mib", type=int, default=500)
    parser.add_argument("--spaces", default="16,32,64,128,256,512")
    parser.add_argument("--parts", default="string,spaces,interrupts", help="which tables to print")
    args = parser.parse_args()
    if args.child is not None:
        path, limit = args.child
        child_decode(path, int(limit) if limit != "none" else None)
        return
    sizes = [int(size) for size in args.spaces.split(",")]
    print(_common.facts_line())
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        objects: dict[str, tuple[str, Path, int]] = {}
        string_file = folder / "string.json.gz"
        objects["hostile-string"] = (object_key("string"), string_file,
                                     _gzip_file(string_file, string_parts(args.string_mib)))
        many_file = folder / "many.json.gz"
        objects["hostile-many"] = (object_key("many"), many_file, _gzip_file(many_file, many_parts(100, 3)))
        small_file = folder / "small.json.gz"
        objects["hostile-small"] = (object_key("small"), small_file, _gzip_file(small_file, iter(
            [b'{"Records":[{"eventVersion":"1.08","eventName":"Small"}]}'])))
        for size in sizes:
            path = folder / f"spaces{size}.json.gz"
            objects[f"hostile-spaces-{size}"] = (object_key(f"spaces{size}"), path,
                                                 _gzip_file(path, space_parts(size)))
        specs = [f"--object={bucket}/{key}={path}" for bucket, (key, path, _) in objects.items()]
        home, environ = write_home(folder, list(objects))
        with _common.moto_server(*specs) as server:
            common = ["--wazuh-home", str(home), "--endpoint-url", server.endpoint]
            parts = args.parts.split(",")
            if "string" in parts:
                report_string(args.string_mib, objects, common, environ, folder)
            if "spaces" in parts:
                report_spaces(sizes, objects, common, environ, folder)
            if "interrupts" in parts:
                report_interrupts(max(sizes), objects, common, environ, folder)
    print(f"\nload average after: {_common.load_average()}")


def report_string(mib: int, objects: dict[str, tuple[str, Path, int]], common: list[str],
                  environ: dict[str, str], folder: Path) -> None:
    key, path, compressed = objects["hostile-string"]
    small_key, many_key = objects["hostile-small"][0], objects["hostile-many"][0]
    print(f"\n### One record with a {mib} MiB string ({compressed / 1e3:.0f} kB gzip)\n")
    rows = []
    preview = run_cli(["preview", *common, "--bucket", "hostile-string", "--key", key], environ)
    rows.append(["preview (CLI)", f"{preview.first_output_s:.2f}", f"{preview.wall_s:.2f}",
                 f"{preview.peak_rss_mb:.0f}", f"{preview.stdout_bytes:,}", str(preview.exit_code)])
    ingest = run_cli(["ingest", *common, "--bucket", "hostile-string", "--events-out",
                      str(folder / "string-events.jsonl"), "--state-dir", str(folder / "state-string")], environ)
    rows.append(["ingest (CLI)", f"{ingest.first_output_s:.2f}", f"{ingest.wall_s:.2f}",
                 f"{ingest.peak_rss_mb:.0f}", f"{ingest.stdout_bytes:,}", str(ingest.exit_code)])
    for label, limit in (("decode_object, a preview (limit 20)", "20"), ("decode_object, the pass (no limit)", "none")):
        decoded = _common.run_child(Path(__file__), [str(path), limit], timeout=900)
        rows.append([label, f"{decoded['first_s']:.2f}", f"{decoded['decode_s']:.2f}",
                     f"{decoded['peak_rss_mb']:.0f}", "-", "-"])
    for label, arguments in (
            ("preview (CLI), 100 records of 3 MiB", ["preview", *common, "--bucket", "hostile-many", "--key",
                                                     many_key]),
            ("ingest (CLI), 100 records of 3 MiB", ["ingest", *common, "--bucket", "hostile-many", "--events-out",
                                                    str(folder / "many.jsonl"), "--state-dir",
                                                    str(folder / "state-many")])):
        run = run_cli(arguments, environ)
        rows.append([label, f"{run.first_output_s:.2f}", f"{run.wall_s:.2f}", f"{run.peak_rss_mb:.0f}",
                     f"{run.stdout_bytes:,}", str(run.exit_code)])
    small = run_cli(["preview", *common, "--bucket", "hostile-small", "--key", small_key], environ)
    rows.append(["preview (CLI) of a one-record object", f"{small.first_output_s:.2f}", f"{small.wall_s:.2f}",
                 f"{small.peak_rss_mb:.0f}", f"{small.stdout_bytes:,}", str(small.exit_code)])
    print(_common.table(["run", "first answer s", "wall s", "peak RSS MB", "stdout bytes", "exit"], rows))
    sent = [json.loads(line.split(":", 2)[2])["aws"]["eventName"]
            for line in (folder / "string-events.jsonl").read_text().splitlines()]
    print(f"\ntargets: RSS <= {TARGET_RSS_MB} MB, first answer <= {TARGET_FIRST_S} s (preview). "
          f"ingest sent {len(sent)} event(s): {sent}; "
          f"'Message too long' logged: {'Message too long to send to Wazuh' in ingest.stderr}")


def report_spaces(sizes: Sequence[int], objects: dict[str, tuple[str, Path, int]], common: list[str],
                  environ: dict[str, str], folder: Path) -> None:
    print("\n### `{\"Records\":[` + N MiB of spaces + `]}`\n")
    rows = []
    for size in sizes:
        _, path, compressed = objects[f"hostile-spaces-{size}"]
        decoded = _common.run_child(Path(__file__), [str(path), "none"], timeout=900)
        rows.append([str(size), f"{compressed / 1e3:.0f}", f"{decoded['decode_s']:.2f}",
                     f"{decoded['decode_s'] / size * 1000:.1f}", f"{decoded['peak_rss_mb']:.0f}"])
    print(_common.table(["MiB of spaces", "gzip kB", "decode s", "ms per MiB", "peak RSS MB"], rows))
    largest = max(sizes)
    bucket = f"hostile-spaces-{largest}"
    ingest = run_cli(["ingest", *common, "--bucket", bucket, "--events-out", str(folder / "spaces-events.jsonl"),
                      "--state-dir", str(folder / "state-spaces")], environ)
    print(f"\n`ingest` on the {largest} MiB object: {ingest.wall_s:.2f} s, peak RSS {ingest.peak_rss_mb:.0f} MB, "
          f"exit {ingest.exit_code}")


def report_interrupts(size: int, objects: dict[str, tuple[str, Path, int]], common: list[str],
                      environ: dict[str, str], folder: Path) -> None:
    print(f"\n### Ctrl-C while reading the {size} MiB whitespace object\n")
    bucket = f"hostile-spaces-{size}"
    key = objects[bucket][0]
    rows = []
    ingest = ["ingest", *common, "--bucket", bucket, "--events-out"]
    preview = ["preview", *common, "--bucket", bucket, "--key", key]
    at, soon = INGEST_INTERRUPT_AT_S, INGEST_INTERRUPT_AT_S + 0.1
    for label, arguments, interrupts, after in (
            ("ingest, one SIGINT 1 s into the object", [*ingest, str(folder / "int1.jsonl"), "--state-dir",
                                                        str(folder / "state-int1")], (at,), "Found new log"),
            ("ingest, two SIGINTs 0.1 s apart", [*ingest, str(folder / "int2.jsonl"), "--state-dir",
                                                 str(folder / "state-int2")], (at, soon), "Found new log"),
            ("preview, one SIGINT 3 s after start", preview, (PREVIEW_INTERRUPT_AT_S,), None),
            ("preview, two SIGINTs 0.1 s apart", preview, (PREVIEW_INTERRUPT_AT_S, PREVIEW_INTERRUPT_AT_S + 0.1),
             None)):
        run = run_cli(arguments, environ, interrupts=interrupts, after=after)
        rows.append([label, f"{run.wall_s:.2f}", str(run.exit_code), traceback_in(run.stderr),
                     run.stderr.strip().splitlines()[-1][:70] if run.stderr.strip() else ""])
    print(_common.table(["run", "s from first SIGINT to exit", "exit", "traceback", "last stderr line"], rows))


if __name__ == "__main__":
    main()
