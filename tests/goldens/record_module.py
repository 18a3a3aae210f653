"""Record what Wazuh's own aws-s3 script does on each scenario of ``scenarios.py``, as golden files.

Run it with the module oracle's venv (boto3, moto, pyarrow) and a Wazuh source tree; it starts one fresh
moto server per scenario through the oracle harness, seeds it, runs the unmodified script once per
``Run`` and writes what happened under ``module_<version>/<scenario>/``. CI never runs it: the tests only
read what it wrote. Usage (from the repository root)::

    /tmp/oracle/venv/bin/python -m tests.goldens.record_module --wazuh-src /tmp/oracle/wazuh \
        --oracle ../shared/tools/module-oracle [--only NAME ...]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from tests.goldens.scenarios import SCENARIOS, Scenario, seed
from tests.goldens.scenarios_vpc import VPC_SCENARIOS, create_flow_logs, resolve, to_placeholders

HERE = Path(__file__).resolve().parent
FOUND = re.compile(r"\+\+ Found new log: (?P<key>.*)$")


def load_oracle(folder: Path) -> Any:
    spec = importlib.util.spec_from_file_location("module_oracle", folder / "module_oracle.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def state_rows(db: Path) -> dict[str, list[list[Any]]]:
    """Every row of every bucket table (processed_date dropped: it is the wall clock)."""
    if not db.exists():
        return {}
    tables: dict[str, list[list[Any]]] = {}
    with sqlite3.connect(db) as connection:
        names = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name != 'metadata' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        for name in names:
            columns = [row[1] for row in connection.execute(f"PRAGMA table_info({name})")]
            keep = [column for column in columns if column != "processed_date"]
            order = ", ".join(str(n) for n in range(1, len(keep) + 1))
            rows = connection.execute(f"SELECT {', '.join(keep)} FROM {name} ORDER BY {order}").fetchall()
            tables[name] = [keep, *[list(row) for row in rows]]
    return tables


def python_version(python: str) -> str:
    return subprocess.run([python, "-c", "import sys; print(sys.version.split()[0])"], check=True,
                          capture_output=True, text=True).stdout.strip()


def admin(oracle: Any, service: str, endpoint: str, key: str = "testing", secret: str = "testing") -> Any:
    return oracle.boto_client(service, endpoint, key=key, secret=secret)


def record(oracle: Any, scenario: Scenario, src: Path, out_root: Path, python: str) -> None:
    work = Path(tempfile.mkdtemp(prefix=f"golden-{scenario.name}-"))
    home = work / "ossec"
    version = oracle.prepare_home(str(src), str(home))
    pid, endpoint = oracle.start_moto(str(work))
    try:
        key, secret = oracle.ACCESS_KEY, oracle.SECRET_KEY
        s3 = admin(oracle, "s3", endpoint)
        ids: dict[str, str] = {}
        if scenario.bucket_type == "vpcflow":  # the flow logs first: their ids go into the keys
            seed(s3, scenario, ())
            ids = create_flow_logs(admin(oracle, "ec2", endpoint), scenario.bucket)
            scenario = resolve(scenario, ids)
        if scenario.args_override is None or scenario.objects:
            seed(s3, scenario, scenario.objects)
        if scenario.policy is not None:
            iam = admin(oracle, "iam", endpoint)
            iam.create_user(UserName="golden-module")
            iam.put_user_policy(UserName="golden-module", PolicyName="golden",
                                PolicyDocument=json.dumps(scenario.policy))
            created = iam.create_access_key(UserName="golden-module")["AccessKey"]
            key, secret = created["AccessKeyId"], created["SecretAccessKey"]
            os.kill(pid, signal.SIGUSR1)
        oracle.write_aws_home(str(home / "fakehome"), {"default": (key, secret)})
        if scenario.aws_config is not None:
            (home / "fakehome" / ".aws" / "config").write_text(scenario.aws_config)
        target = out_root / f"module_{version.lstrip('v').replace('.', '_')}" / scenario.name
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        runs = []
        for number, run in enumerate(scenario.runs, start=1):
            if run.objects:
                seed(admin(oracle, "s3", endpoint, key, secret) if scenario.policy else s3, scenario, run.objects)
            argv = [python, str(home / "wodles" / "aws" / "aws_s3.py"),
                    *scenario.for_run(run).module_args(endpoint, run.debug)]
            capture = work / f"run{number}"
            result = oracle.run_measured(argv, oracle.module_env(str(home), endpoint), str(capture),
                                         str(home / "queue" / "sockets" / "queue"))
            folder = target / f"run{number}"
            folder.mkdir()
            messages = [to_placeholders(json.loads(line)["msg"], ids)
                        for line in (capture / "messages.jsonl").read_text().splitlines()]
            stdout = to_placeholders((capture / "stdout.log").read_text(), ids)
            stderr = to_placeholders((capture / "stderr.log").read_text(), ids)
            (folder / "datagrams.txt").write_text("".join(f"{message}\n" for message in messages))
            for name, text in (("stdout.txt", stdout), ("stderr.txt", stderr)):
                (folder / name).write_text(text.replace(endpoint, "{endpoint}").replace(str(work), "{work}"))
            read = [match["key"] for line in stdout.splitlines() if (match := FOUND.search(line))]
            facts = {"exit_code": result["rc"], "events": len(messages), "keys_read": read,
                     "state": state_rows(home / "wodles" / "aws" / "s3_cloudtrail.db"),
                     "put_before_run": [object_key for object_key, _ in run.objects], "debug": run.debug}
            (folder / "result.json").write_text(to_placeholders(json.dumps(facts, indent=1), ids) + "\n")
            runs.append({"run": number, "argv": ["python3", "aws_s3.py",
                                                 *scenario.for_run(run).module_args("{endpoint}", run.debug)]})
        command = {
            "scenario": scenario.name, "behaviour": scenario.behaviour, "wazuh_version": version,
            "wazuh_source": "github.com/wazuh/wazuh tag " + version + " (wodles/ and VERSION.json, unmodified)",
            "python": python_version(python), "moto_auth": scenario.policy is not None,
            "runs": runs,
            "how": "python -m tests.goldens.record_module --wazuh-src <tree> --oracle <module-oracle> "
                   f"--only {scenario.name}  (oracle venv: boto3, moto[server], python-dateutil, pyarrow)",
            "env": {"HOME": "<fake home with [default] keys>", "AWS_ENDPOINT_URL": "{endpoint}",
                    "AWS_DEFAULT_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true"},
        }
        if ids:
            command["flow_logs"] = {placeholder: "a flow log created in us-east-1 (ec2 create_vpc, create_flow_logs "
                                    "to the bucket) before the objects; moto's random id is replaced by this "
                                    "placeholder in every file" for placeholder in ids}
        (target / "command.json").write_text(json.dumps(command, indent=1) + "\n")
        print(f"{scenario.name}: " + ", ".join(
            f"run{n}: exit {json.loads((target / f'run{n}' / 'result.json').read_text())['exit_code']}"
            for n in range(1, len(scenario.runs) + 1)))
    finally:
        oracle.stop_pid(pid)
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wazuh-src", type=Path, required=True)
    parser.add_argument("--oracle", type=Path, required=True)
    parser.add_argument("--python", default=sys.executable, help="the Python that runs Wazuh's script")
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args()
    oracle = load_oracle(args.oracle.resolve())
    for scenario in (*SCENARIOS, *VPC_SCENARIOS):
        if args.only and scenario.name not in args.only:
            continue
        record(oracle, scenario, args.wazuh_src.resolve(), HERE, args.python)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
