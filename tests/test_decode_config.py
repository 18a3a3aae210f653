"""AWS Config: the lossy reshaping of securityGroups, availabilityZones, state, createdTime and Content."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import datetime

import pytest

from tests.decode_helpers import decode
from tests.sample_objects import entry_named, render_key, sample_bytes

KEY = ("AWSLogs/123456789012/Config/us-east-1/2024/5/14/ConfigHistory/"
       "123456789012_Config_us-east-1_ConfigHistory_"
       "AWS::EC2::Instance_20240514T092531Z_20240514T092531Z_1.json.gz")


@pytest.fixture
def host_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """createdTime goes through time.mktime, i.e. the host's zone; pin it and restore it."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def items(*configurations: dict[str, object]) -> bytes:
    return json.dumps({"fileVersion": "1.0", "configurationItems": [
        {"resourceType": "AWS::EC2::Instance", "configuration": configuration}
        for configuration in configurations
    ]}).encode()


def configuration_of(data: bytes) -> dict[str, object]:
    outcome = decode(data, KEY, "config", gz=True)
    assert outcome.problems == []
    return dict(outcome.events[0].message["aws"]["configuration"])


def test_security_groups_every_shape() -> None:
    pairs = [{"groupName": "web", "groupId": "sg-1"}, {"groupName": "ssh", "groupId": "sg-2"}]
    assert configuration_of(items({"securityGroups": pairs}))["securityGroups"] == {
        "groupId": ["sg-1", "sg-2"], "groupName": ["web", "ssh"]}
    assert configuration_of(items({"securityGroups": ["sg-1", "sg-2"]}))["securityGroups"] == {}
    assert configuration_of(items({"securityGroups": ["sg-1"]}))["securityGroups"] == {"groupId": ["sg-1"]}
    assert configuration_of(items({"securityGroups": [pairs[0]]}))["securityGroups"] == {
        "groupName": ["web"], "groupId": ["sg-1"]}


def test_zones_state_and_profile() -> None:
    configuration = configuration_of(items({
        "availabilityZones": [{"zoneName": "us-east-1a", "subnetId": "subnet-1"}, {"zoneName": "us-east-1b"}],
        "state": "running", "iamInstanceProfile": "web-server"}))
    assert configuration["availabilityZones"] == {"subnetId": ["subnet-1"],
                                                  "zoneName": ["us-east-1a", "us-east-1b"]}
    assert configuration["state"] == {"name": "running"}
    assert configuration["iamInstanceProfile"] == {"name": "web-server"}


def test_created_time_is_an_epoch_in_the_hosts_zone(host_zone: None) -> None:
    configuration = configuration_of(items({"createdTime": "2024-03-02T14:29:11.060Z"}))
    assert configuration["createdTime"] == 1709389751.0
    assert configuration_of(items({"createdTime": 5}))["createdTime"] == 5.0


def test_created_time_without_fraction_warns_and_stays() -> None:
    event = decode(items({"createdTime": "2024-03-02T14:29:11Z"}), KEY, "config", gz=True).events[0]
    assert event.message["aws"]["configuration"]["createdTime"] == "2024-03-02T14:29:11Z"
    assert event.warnings and event.warnings[0].startswith("WARNING: Could not reformat event "
                                                           "{'integration': 'aws'")


def test_inventory_content_becomes_its_keys() -> None:
    configuration = configuration_of(items({"AWS:Application": {"SchemaVersion": "1.1", "Content": {
        "nginx": {"Version": "1.18"}, "openssh-server": {"Version": "8.9"}}}}))
    assert configuration["AWS:Application"] == {"SchemaVersion": "1.1",
                                                "Content": ["nginx", "openssh-server"]}


def test_content_that_is_not_a_dict_crashes_the_run_with_exit_7() -> None:
    outcome = decode(items({"x": {"Content": "text"}}, {"state": "ok"}), KEY, "config", gz=True)
    problem = outcome.problem("decode.reformat_failed")
    assert problem.finding.wazuh_exit_code == 7 and problem.stops_run
    assert ("ERROR: Unexpected error querying/working with objects in S3: "
            "'str' object has no attribute 'keys'") in problem.finding.evidence
    assert outcome.events == [] and outcome.counters.aborted


def test_sample_history_with_unpadded_folders(host_zone: None) -> None:
    entry = entry_named("config_history")
    key = render_key(entry["key_template"], datetime(2024, 5, 4, 9, 25, 31))
    assert "/2024/5/4/ConfigHistory/" in key
    outcome = decode(sample_bytes(entry), key, "config")
    instance, alb, group, inventory = (event.message["aws"] for event in outcome.events)
    assert instance["configuration"]["securityGroups"] == {
        "groupId": ["sg-0a1b2c3d4e5f60718", "sg-0f9e8d7c6b5a49382"], "groupName": ["web-public", "ssh-admin"]}
    assert "resourceName" not in instance  # None removed
    assert alb["configuration"]["securityGroups"] == {}
    assert alb["configuration"]["createdTime"] == 1709389751.0
    # the one-element ipPermissions list became a dict, but the lists inside it are not revisited
    assert group["configuration"]["ipPermissions"]["ipRanges"] == ["0.0.0.0/0"]
    assert inventory["configuration"]["AWS:InstanceInformation"]["Content"] == ["i-0a1b2c3d4e5f60718"]
    assert instance["aws_account_id"] == "123456789012"
