"""``check`` over many blocks: wall time (with the load average beside it), CPU and peak RSS for 50 and
200 CloudTrail blocks, and the RSS each block adds; plus the ossec.conf reader on a tag with 40,000
attributes (the duplicate scan).

Usage: ``.venv/bin/python bench/bench_check_scale.py [--blocks 50,200] [--workers 1,4] [--runs 1]``.
moto runs in its own process (seeded over HTTP: one bucket and one today's CloudTrail object per block);
each ``check`` runs in a fresh child process calling ``run_checks`` as ``wazuh-aws-doctor check`` does, so
its peak RSS is its own; ``--workers`` sets how many blocks it checks at once.
Targets: 200 blocks in at most 20 s and 300 MB.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import _common

ACCOUNT = "123456789012"
TARGET_S, TARGET_MB = 20.0, 300.0


def _bucket(index: int) -> str:
    return f"scale-trail-{index:04d}"


def _config(blocks: int) -> str:
    body = "".join(f"""    <bucket type="cloudtrail">
      <name>{_bucket(index)}</name>
      <aws_profile>default</aws_profile>
    </bucket>
""" for index in range(blocks))
    return f"""<ossec_config>
  <wodle name="aws-s3">
    <disabled>no</disabled>
    <interval>10m</interval>
    <run_on_start>yes</run_on_start>
    <skip_on_error>yes</skip_on_error>
{body}  </wodle>
</ossec_config>
"""


def _seed(endpoint: str, blocks: int) -> None:
    client = _common.s3_client(endpoint)
    today = datetime.now(timezone.utc)
    body = gzip.compress(json.dumps({"Records": [{"eventName": "ConsoleLogin", "eventTime": today.isoformat()}]})
                         .encode())
    for index in range(blocks):
        client.create_bucket(Bucket=_bucket(index))
        client.put_object(Bucket=_bucket(index), Body=body,
                          Key=f"AWSLogs/{ACCOUNT}/CloudTrail/us-east-1/{today:%Y/%m/%d}/{ACCOUNT}_CloudTrail_"
                              f"us-east-1_{today:%Y%m%dT%H%M}Z_scale.json.gz")


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def child(endpoint: str, blocks: int, workers: int | None = None) -> None:
    """One ``check`` over ``blocks`` blocks in this fresh process (``workers`` blocks at once when given)."""
    root = Path(tempfile.mkdtemp(prefix="check-scale-"))
    home, module_home = root / "ossec", root / "root"
    (home / "etc").mkdir(parents=True)
    (module_home / ".aws").mkdir(parents=True)
    (home / "etc" / "ossec.conf").write_text(_config(blocks))
    (module_home / ".aws" / "credentials").write_text(
        "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = bench-secret-key\n")
    for name in [name for name in os.environ if name.startswith("AWS_")]:
        del os.environ[name]
    os.environ.update({"AWS_SHARED_CREDENTIALS_FILE": str(module_home / ".aws" / "credentials"),
                       "AWS_CONFIG_FILE": str(module_home / ".aws" / "config"), "HOME": str(module_home),
                       "WAZUH_AWS_DOCTOR_MODULE_HOME": str(module_home), "AWS_EC2_METADATA_DISABLED": "true"})
    from diagnostics import checks
    from diagnostics.checks import prepare_context, run_checks
    from diagnostics.context import context_from_environment

    if workers is not None:
        checks.CHECK_WORKERS = workers

    started, cpu = time.perf_counter(), _common.cpu_seconds()
    context = prepare_context(context_from_environment(wazuh_home=str(home), endpoint_url=endpoint))
    rss: list[float] = []
    report = run_checks(context, on_block=lambda _report: rss.append(_rss_mb()))
    wall = time.perf_counter() - started
    errors = sum(1 for finding in report.findings if finding.status.value == "error")
    quarter = max(len(rss) // 4, 1)
    per_block = (rss[-1] - rss[quarter - 1]) / max(len(rss) - quarter, 1) if len(rss) > 1 else 0.0
    _common.emit_result({"blocks": len(report.blocks), "wall_s": wall, "cpu_s": _common.cpu_seconds() - cpu,
                         "findings": len(report.findings), "errors": errors, "rss_first_mb": rss[0] if rss else 0,
                         "rss_last_mb": rss[-1] if rss else 0, "per_block_mb": per_block,
                         "load": _common.load_average()})


def xml_attributes(count: int = 40_000) -> dict[str, Any]:
    """The ossec.conf reader on one tag with ``count`` attributes and one duplicate at the end."""
    from diagnostics.configuration.xml_reader import read_tolerant

    attributes = " ".join(f'a{index}="v"' for index in range(count))
    text = f'<ossec_config><wodle name="aws-s3" {attributes} a7="again"></wodle></ossec_config>'
    started = time.perf_counter()
    document = read_tolerant(text)
    return {"attributes": count, "seconds": time.perf_counter() - started,
            "problems": [problem.message for problem in document.problems]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--endpoint", help=argparse.SUPPRESS)
    parser.add_argument("--blocks", default="50,200", help="comma-separated block counts (default 50,200)")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--workers", default="4", help="comma-separated blocks checked at once (default 4)")
    args = parser.parse_args()
    if args.child:
        child(args.endpoint, int(args.blocks), int(args.workers))
        return
    print(_common.facts_line())
    counts = [int(value) for value in args.blocks.split(",")]
    rows: list[list[str]] = []
    with _common.moto_server() as server:
        _seed(server.endpoint, max(counts))
        cpu_before = server.server_cpu_s()
        for blocks, workers in [(blocks, workers) for blocks in counts for workers in args.workers.split(",")]:
            results = [_common.run_child(Path(__file__), ["--endpoint", server.endpoint, "--blocks", str(blocks),
                                                          "--workers", workers], timeout=1800)
                       for _ in range(args.runs)]
            server_cpu = server.server_cpu_s()
            wall = _common.spread(results, "wall_s")
            rss = _common.spread(results, "peak_rss_mb")
            meets = "yes" if blocks != 200 or (wall.median <= TARGET_S and rss.median <= TARGET_MB) else "NO"
            cpu = _common.spread(results, "cpu_s")
            rows.append([str(blocks), workers, wall.show(1), results[-1]["load"], cpu.show(1),
                         f"{wall.median / blocks * 1000:.0f}", f"{cpu.median / blocks * 1000:.0f}", rss.show(0),
                         f"{statistics_mean(results, 'per_block_mb'):.2f}",
                         f"{server_cpu - cpu_before:.1f}", str(results[0]["errors"]), meets if blocks == 200 else "-"])
            cpu_before = server_cpu
    print(_common.table(["blocks", "workers", "wall s", "load 1/5/15 min", "CPU s", "wall ms/block",
                         "CPU ms/block", "peak RSS MB", "MB per block",
                         "moto CPU s", "errors",
                         f"200: <= {TARGET_S:.0f} s, <= {TARGET_MB:.0f} MB"], rows))
    scan = xml_attributes()
    print(f"\nossec.conf reader, one tag with {scan['attributes']:,} attributes and a duplicate: "
          f"{scan['seconds']:.3f} s, problems: {scan['problems']}")
    print(f"load average after: {_common.load_average()}")


def statistics_mean(results: list[dict[str, Any]], field: str) -> float:
    return sum(float(result[field]) for result in results) / len(results)


if __name__ == "__main__":
    main()
