"""Record the real module's Inspector runs against tests/inspector_server.py as goldens (not a test).

Run with the module oracle's Python after its ``up`` (STS GetCallerIdentity goes to that moto server; the
module's inspector2 client reaches our endpoint through AWS_ENDPOINT_URL_INSPECTOR2, so its arguments
carry no endpoint)::

    $ORACLE/venv/bin/python tests/record_inspector_goldens.py --oracle ../shared/tools/module-oracle \\
        --wazuh-src $ORACLE/wazuh --state $PEER/state.json --home $PEER/ossec --work $PEER/runs
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.inspector_server import inspector_server, sample_findings

GOLDENS = Path(__file__).parent / "goldens" / "module_4_14_7"
RERECORD = ("tests/record_inspector_goldens.py --oracle <module-oracle> --wazuh-src <wazuh v4.14.7> "
            "--state <up's state.json> --home <fresh home> --work <dir>  (after module_oracle.py up --files 0 "
            "--custom-files 0)")


def services_rows(home: Path) -> list[list[Any]]:
    """The aws_services table after the run, in rowid order."""
    db = home / "wodles" / "aws" / "aws_services.db"
    if not db.exists():
        return []
    with sqlite3.connect(db) as con:
        try:
            return [list(row) for row in con.execute("SELECT * FROM aws_services ORDER BY rowid")]
        except sqlite3.Error:
            return []


def main() -> None:
    parser = argparse.ArgumentParser()
    for name in ("--oracle", "--wazuh-src", "--state", "--home", "--work"):
        parser.add_argument(name, required=True)
    parser.add_argument("--only", help="record only this golden")
    args = parser.parse_args()
    sys.path.insert(0, args.oracle)
    import module_oracle as oracle  # type: ignore[import-not-found]

    state = oracle.load_state(args.state)
    home = Path(args.home)

    def run(name: str, arguments: list[str], findings: list[dict[str, Any]], note: str, *, fresh: bool = True,
            env: dict[str, str] | None = None, before: list[list[Any]] | None = None,
            extra_seed: dict[str, Any] | None = None, deny: str | None = None,
            aws_config: str | None = None) -> dict[str, Any]:
        oracle.prepare_home(args.wazuh_src, str(home))
        oracle.write_aws_home(str(home / "fakehome"), {"default": (oracle.ACCESS_KEY, oracle.SECRET_KEY)})
        if aws_config is not None:
            (home / "fakehome" / ".aws" / "config").write_text(aws_config)
        db = home / "wodles" / "aws" / "aws_services.db"
        if fresh and db.exists():
            db.unlink()
        out = Path(args.work) / name
        with inspector_server(findings, deny=deny) as server:
            environment = oracle.module_env(str(home), state["endpoint"],
                                            {"AWS_ENDPOINT_URL_INSPECTOR2": server.endpoint, **(env or {})})
            argv = [state.get("python", sys.executable), str(home / "wodles" / "aws" / "aws_s3.py"), *arguments]
            result = oracle.run_measured(argv, environment, str(out), str(home / "queue" / "sockets" / "queue"))
            requests = list(server.requests)
            signing_regions = list(server.signing_regions)
        datagrams = [json.loads(line)["msg"] for line in (out / "messages.jsonl").read_text().splitlines()]
        golden: dict[str, Any] = {
            "recorded_with": {
                "module": "wazuh/wazuh v4.14.7 wodles/aws/aws_s3.py (unmodified)",
                "python": platform.python_version(),
                "harness": "shared/tools/module-oracle (prepare_home, module_env, run_measured), moto for STS on "
                           "127.0.0.1, inspector2 ListFindings from tests/inspector_server.py via "
                           "AWS_ENDPOINT_URL_INSPECTOR2" + "".join(f", {k}={v}" for k, v in (env or {}).items()),
                "rerecord": RERECORD + (f" --only {name}"),
            },
            "note": note,
            "seed": {"findings": findings, "page_size": 2, "deny": deny, **(extra_seed or {})},
            "state_before": before or [],
            "arguments": arguments,
            "environment": env or {},
            "exit_code": result["rc"],
            "datagrams": datagrams,
            "output": (out / "stdout.log").read_text().splitlines(),
            "stderr": (out / "stderr.log").read_text().splitlines(),
            "requests": requests,
            "signing_regions": signing_regions,
            "aws_config": aws_config,
            "state": {"aws_services": services_rows(home)},
        }
        if args.only in (None, name):
            target = GOLDENS / name
            target.mkdir(parents=True, exist_ok=True)
            (target / "golden.json").write_text(json.dumps(golden, indent=1) + "\n")
            print(name, "exit", result["rc"], len(datagrams), "datagram(s)")
        return golden

    findings = sample_findings()
    base = ["--service", "inspector", "--regions", "us-east-1"]
    run("inspector_happy_debug2", [*base, "--debug", "2", "--only_logs_after", "2026-NOV-25"], findings,
        "Three findings over two pages (nextToken), updated inside the window from only_logs_after to now.")
    run("inspector_only_logs_after_cuts", [*base, "--debug", "1", "--only_logs_after", "2026-DEC-02"], findings,
        "only_logs_after 2026-DEC-02: the finding updated on 2026-12-01 is outside the window.")
    run("inspector_discard_nested_list", [*base, "--debug", "2", "--only_logs_after", "2026-NOV-25",
                                         "--discard-field", "packageVulnerabilityDetails.vulnerablePackages.name",
                                         "--discard-regex", "lod"], findings,
        "discard_regex on a field inside a list of objects: the lodash finding is skipped, re.match anchored.")
    run("inspector_discard_debug3", [*base, "--debug", "3", "--only_logs_after", "2026-NOV-25",
                                    "--discard-field", "severity", "--discard-regex", "MEDIUM"], findings,
        "Debug 3: a 'Processing N events' line per page and each sent message printed; the MEDIUM one skipped.")
    run("inspector_two_regions_no_findings", ["--service", "inspector", "--regions", "us-east-1,eu-west-1", "--debug",
                                              "2", "--only_logs_after", "2026-DEC-04"], findings,
        "Two regions, nothing updated since only_logs_after: the 'no findings' lines per region; the table is "
        "created once.")
    run("inspector_unsupported_region_exit_22", ["--service", "inspector", "--regions", "us-east-1,us-gov-west-1",
                                                 "--debug", "1", "--only_logs_after", "2026-NOV-25"], findings,
        "us-gov-west-1 is not in the module's Inspector list: us-east-1 (first in order) is read, then exit 22.")
    denied = ("User: arn:aws:iam::123456789012:user/wazuh is not authorized to perform: inspector2:ListFindings "
              "on resource: arn:aws:inspector2:us-east-1:123456789012:/findings/list")
    run("inspector_list_findings_denied_debug0", [*base, "--only_logs_after", "2026-NOV-25"], findings,
        "ListFindings answers 403 AccessDeniedException: the module's generic handler, exit 1.", deny=denied)
    run("inspector_list_findings_denied_debug1", [*base, "--debug", "1", "--only_logs_after", "2026-NOV-25"],
        findings, "The same at debug 1: the handler re-raises, so a traceback follows on stderr.", deny=denied)
    run("inspector_list_findings_denied_debug2", [*base, "--debug", "2", "--only_logs_after", "2026-NOV-25"],
        findings, "At debug 2 the catch-all also prints its '+++ Error:' line before re-raising.", deny=denied)
    run("inspector_profile_region_overrides", [*base, "--debug", "2", "--only_logs_after", "2026-NOV-25"], findings,
        "~/.aws/config [default] region = eu-west-1 with <regions>us-east-1: the client signs for eu-west-1 while "
        "the scan is saved under us-east-1.", aws_config="[default]\nregion = eu-west-1\n")
    first = run("inspector_window_moves", [*base, "--debug", "1", "--only_logs_after", "2026-NOV-25"], findings,
                "first run (overwritten below)")
    before = first["state"]["aws_services"]
    time.sleep(1.5)
    newer = json.loads(json.dumps(findings[1]))
    newer["findingArn"] = newer["findingArn"][:-4] + "beef"
    newer["updatedAt"] = round(time.time() - 0.5, 3)
    time.sleep(1)
    run("inspector_window_moves", [*base, "--debug", "1", "--only_logs_after", "2026-NOV-25"], [*findings, newer],
        "Second run: the window starts at the first run's scan_date (state_before), so only the finding "
        "updated since then is sent; the first run's three are not sent again.", fresh=False, before=before)
    run("inspector_local_timezone", [*base, "--debug", "1", "--only_logs_after", "2026-NOV-25"], findings,
        "TZ=Asia/Tokyo: botocore parses the API's epoch timestamps in the host's local zone; createdAt/updatedAt "
        "are formatted with a 'Z' whatever the zone, nested timestamps keep their +09:00 offset.",
        env={"TZ": "Asia/Tokyo"})
    os.sync()


if __name__ == "__main__":
    main()
