"""VPC flow-log scenarios: keys named after flow logs that moto creates with ids of its own choosing.

The module reads a vpcflow key only when its flow-log id is one ``ec2:DescribeFlowLogs`` returns for the
iterated region, so the flow logs must exist on the server before the keys are written. moto picks a new
random id each time, so the scenarios name each flow log by a placeholder; ``create_flow_logs`` makes them and
returns placeholder -> id, ``resolve`` writes the ids into the keys, and ``to_placeholders`` turns a recorded
output back into placeholders so the goldens hold no id that only one server ever assigned. Only boto3 and
the standard library are used, so the recorder runs this in the oracle's own venv.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from tests.goldens.scenarios import ACCOUNT, DAY1, DAY2, DAY3, ONLY_LOGS_AFTER, READER_POLICY, Run, Scenario, gz

FOUND = "{flow_log_found}"
"""A flow log created on the server (in us-east-1, to the scenario's bucket): DescribeFlowLogs returns it."""
MISSING = "fl-0badc0ffee0000000"
"""A flow-log id no server ever assigned: its keys are in the bucket, DescribeFlowLogs never returns it."""
PLACEHOLDERS = (FOUND,)
"""The flow logs each vpcflow scenario creates, in creation order."""

FLOW_LOG_POLICY: dict[str, Any] = {"Version": "2012-10-17", "Statement": [
    *READER_POLICY["Statement"],
    {"Effect": "Allow", "Action": ["ec2:DescribeFlowLogs", "s3:PutObject", "s3:ListAllMyBuckets"], "Resource": "*"}]}
"""The reader of ``READER_POLICY`` that may also ask EC2 for the flow logs (what the module needs), and put
objects (so the second run's files are put with the same keys once moto checks signatures)."""


def vpc_key(day: str, flow_log_id: str, index: int, region: str = "us-east-1") -> str:
    stamp = day.replace("/", "")
    return (f"AWSLogs/{ACCOUNT}/vpcflowlogs/{region}/{day}/{ACCOUNT}_vpcflowlogs_{region}_{flow_log_id}_"
            f"{stamp}T{index:02d}05Z_{index:08x}.log.gz")


def vpc_body(day: str, index: int, count: int = 2) -> bytes:
    """A flow-log file as AWS writes it: the header line, then one space-separated record per line."""
    base = {"2026/11/02": 1793577600, "2026/11/03": 1793664000, "2026/11/04": 1793750400}[day] + index * 3600
    header = ("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end "
              "action log-status\n")
    lines = [f"2 {ACCOUNT} eni-0a1b2c3d4e5f6a7b{index} 10.0.{index}.{n} 10.0.9.9 4431{n} 443 6 {n + 3} "
             f"{(n + 3) * 120} {base + n} {base + n + 60} ACCEPT OK\n" for n in range(count)]
    return gz(header + "".join(lines))


def create_flow_logs(ec2: Any, bucket: str) -> dict[str, str]:
    """One VPC and one flow log to ``bucket`` per placeholder (admin credentials); placeholder -> moto's id."""
    ids: dict[str, str] = {}
    for number, placeholder in enumerate(PLACEHOLDERS):
        vpc_id = ec2.create_vpc(CidrBlock=f"10.{40 + number}.0.0/16")["Vpc"]["VpcId"]
        created = ec2.create_flow_logs(ResourceIds=[vpc_id], ResourceType="VPC", TrafficType="ALL",
                                       LogDestinationType="s3", LogDestination=f"arn:aws:s3:::{bucket}")
        ids[placeholder] = str(created["FlowLogIds"][0])
    return ids


def _resolved(objects: tuple[tuple[str, bytes], ...], ids: dict[str, str]) -> tuple[tuple[str, bytes], ...]:
    resolved = []
    for key, body in objects:
        for placeholder, real in ids.items():
            key = key.replace(placeholder, real)
        resolved.append((key, body))
    return tuple(resolved)


def resolve(scenario: Scenario, ids: dict[str, str]) -> Scenario:
    """The scenario with moto's flow-log ids written into every key it puts, first and between runs."""
    runs = tuple(dataclasses.replace(run, objects=_resolved(run.objects, ids)) for run in scenario.runs)
    return dataclasses.replace(scenario, objects=_resolved(scenario.objects, ids), runs=runs)


def to_placeholders(text: str, ids: dict[str, str]) -> str:
    """A recorded output with each id moto assigned replaced by its placeholder."""
    for placeholder, real in ids.items():
        text = text.replace(real, placeholder)
    return text


VPC_FOUND_AND_MISSING = Scenario(
    name="vpcflow_found_and_missing_flow_log",
    behaviour="VPC flow logs with a reader that may call ec2:DescribeFlowLogs: the keys of the flow log it "
              "returns are read (header line included as an event), the keys of an id it does not return are "
              "never read; the second run reads only the new file",
    bucket="golden-vpcflow", bucket_type="vpcflow",
    objects=((vpc_key(DAY1, FOUND, 1), vpc_body(DAY1, 1)), (vpc_key(DAY1, MISSING, 2), vpc_body(DAY1, 2)),
             (vpc_key(DAY2, FOUND, 3), vpc_body(DAY2, 3))),
    runs=(Run(), Run(objects=((vpc_key(DAY3, FOUND, 4), vpc_body(DAY3, 4)),
                              (vpc_key(DAY3, MISSING, 5), vpc_body(DAY3, 5))))),
    policy=FLOW_LOG_POLICY,
    options=(("only_logs_after", ONLY_LOGS_AFTER),))

VPC_DESCRIBE_DENIED = Scenario(
    name="vpcflow_describe_flow_logs_denied",
    behaviour="VPC flow logs with a reader that may list and read the bucket but not call "
              "ec2:DescribeFlowLogs: what the module does then, at debug 2 and 0",
    bucket="golden-vpcflow-denied", bucket_type="vpcflow",
    objects=((vpc_key(DAY1, FOUND, 1), vpc_body(DAY1, 1)),),
    runs=(Run(), Run(debug=0)), policy=READER_POLICY,
    options=(("only_logs_after", ONLY_LOGS_AFTER),))

VPC_PROFILE_REGION = Scenario(
    name="vpcflow_profile_region_describes_elsewhere",
    behaviour="VPC flow logs in us-east-1 read with root's [default] profile set to region eu-west-1: the "
              "profile's region goes into every client, so DescribeFlowLogs asks eu-west-1 while the walk is "
              "on us-east-1's keys; no flow log is returned there and nothing is read",
    bucket="golden-vpcflow-profile", bucket_type="vpcflow",
    objects=((vpc_key(DAY1, FOUND, 1), vpc_body(DAY1, 1)),),
    runs=(Run(),), policy=FLOW_LOG_POLICY, aws_config="[default]\nregion = eu-west-1\n",
    options=(("only_logs_after", ONLY_LOGS_AFTER),))

VPC_SCENARIOS = (VPC_FOUND_AND_MISSING, VPC_DESCRIBE_DENIED, VPC_PROFILE_REGION)
VPC_BY_NAME = {scenario.name: scenario for scenario in VPC_SCENARIOS}
