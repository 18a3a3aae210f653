"""Services and subscribers: ``keys --block`` shows the state per scope, and broken blocks are never ok."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from diagnostics.wazuh.services_state import milliseconds_text
from tests.test_service_access import write_services_db
from tui.cli import main

INPUTS_CONF = """<ossec_config>
  <wodle name="aws-s3">
    <disabled>no</disabled>
    <interval>10m</interval>
    <service type="cloudwatchlogs">
      <aws_log_groups>app-logs,other-logs</aws_log_groups>
      <regions>us-east-1</regions>
      <only_logs_after>2026-NOV-01</only_logs_after>
    </service>
    <service type="inspector">
      <regions>us-east-1,eu-west-1</regions>
    </service>
    <subscriber type="buckets">
      <sqs_name>wazuh-notifications</sqs_name>
    </subscriber>
  </wodle>
</ossec_config>
"""
CLOUDWATCH_LINE, INSPECTOR_LINE, SUBSCRIBER_LINE = 5, 10, 13
OCT_20, OCT_21, NOV_01, NOV_20 = 1_792_454_400_000, 1_792_540_800_000, 1_793_491_200_000, 1_795_132_800_000
"""2026-10-20, 2026-10-21, 2026-11-01 (the block's only_logs_after) and 2026-11-20 at 00:00 UTC, in epoch ms."""


@pytest.fixture
def inputs_home(clean_aws_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A Wazuh home with the blocks above and root's [default] profile (region us-east-1)."""
    home = tmp_path / "ossec"
    (home / "etc").mkdir(parents=True)
    (home / "etc" / "ossec.conf").write_text(INPUTS_CONF)
    (clean_aws_env / ".aws" / "credentials").write_text(
        "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = doctor-secret\n")
    (clean_aws_env / ".aws" / "config").write_text("[default]\nregion = us-east-1\n")
    monkeypatch.setenv("WAZUH_AWS_DOCTOR_MODULE_HOME", str(clean_aws_env))
    monkeypatch.setenv("HOME", str(clean_aws_env))
    return home


def keys_json(home: Path, line: int, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    code = main(["keys", "--wazuh-home", str(home), "--block", str(line), "--format", "json"])
    document: dict[str, Any] = json.loads(capsys.readouterr().out)
    return code, document


def test_keys_on_a_cloudwatch_block_shows_each_saved_stream_and_the_next_requests(
        inputs_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    start, end = NOV_01, NOV_20  # s1: sent from only_logs_after on, so the next run goes on after its end
    old_start, old_end = OCT_20, OCT_21  # s2: all before only_logs_after, so the module starts at that date
    write_services_db(inputs_home, [["us-east-1", "app-logs", "s1", "token-1", start, end],
                                    ["us-east-1", "app-logs", "s2", None, old_start, old_end],
                                    ["eu-west-1", "app-logs", "s9", "other", start, end]])
    code, document = keys_json(inputs_home, CLOUDWATCH_LINE, capsys)
    assert code == 0
    assert document["database_health"] == "ok"
    scopes = {scope["scope"]: scope for scope in document["scopes"]}
    assert set(scopes) == {"us-east-1 / app-logs / s1", "us-east-1 / app-logs / s2", "us-east-1 / other-logs"}, \
        "rows are keyed by the loop region: eu-west-1's row is not this block's"
    s1 = scopes["us-east-1 / app-logs / s1"]
    assert s1["saved"] == f"events sent from {milliseconds_text(start)} to {milliseconds_text(end)}, a saved token"
    assert s1["next_request"] == (f"GetLogEvents from {milliseconds_text(end + 1)} with the saved token to now "
                                  "on app-logs in us-east-1")
    assert scopes["us-east-1 / app-logs / s2"]["next_request"] == (
        "GetLogEvents from 2026-11-01 00:00:00.000 UTC to now (the saved end is not after only_logs_after) "
        "on app-logs in us-east-1")
    assert scopes["us-east-1 / other-logs"]["saved"] == "no row (never read)"
    assert "from 2026-11-01 00:00:00 UTC" in scopes["us-east-1 / other-logs"]["next_request"]


def test_keys_on_a_cloudwatch_stream_saved_after_only_logs_after_reads_the_gap_first(
        inputs_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    start = NOV_20  # after only_logs_after (2026-11-01): the module first reads the gap before it
    write_services_db(inputs_home, [["us-east-1", "app-logs", "s1", "t", start, start + 60_000]])
    _, document = keys_json(inputs_home, CLOUDWATCH_LINE, capsys)
    request = next(scope for scope in document["scopes"] if scope["scope"].endswith("/ s1"))["next_request"]
    assert request == (f"GetLogEvents from 2026-11-01 00:00:00.000 UTC to {milliseconds_text(start)} (the gap "
                       f"before the first event sent); then GetLogEvents from {milliseconds_text(start + 60_001)} "
                       "with the saved token to now on app-logs in us-east-1")


def test_keys_on_an_inspector_block_shows_the_last_scan_per_region_and_the_window(
        inputs_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = inputs_home / "wodles" / "aws" / "aws_services.db"
    db.parent.mkdir(parents=True)
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE aws_services (service_name 'text' NOT NULL, aws_account_id 'text' NOT NULL, "
                           "aws_region 'text' NOT NULL, scan_date 'text' NOT NULL, "
                           "PRIMARY KEY (service_name, aws_account_id, aws_region, scan_date))")
        connection.executemany("INSERT INTO aws_services VALUES (?, ?, ?, ?)", [
            ("inspector", "123456789012", "us-east-1", "2026-11-25 00:00:00.0"),
            ("inspector", "123456789012", "us-east-1", "2026-12-03 10:00:00.5")])
    connection.close()
    before = db.read_bytes()
    code, document = keys_json(inputs_home, INSPECTOR_LINE, capsys)
    assert code == 0
    assert "every client reads us-east-1" in document["regions"], "the profile's region overrides eu-west-1"
    scopes = {scope["scope"]: scope for scope in document["scopes"]}
    saved = scopes["123456789012 / us-east-1"]
    assert saved["saved"] == "last scan 2026-12-03 10:00:00.5 (UTC)"
    assert saved["next_request"].startswith("ListFindings updatedAt from 2026-12-03 10:00:00.500000 to now")
    assert scopes["eu-west-1"]["saved"] == "no scan saved"
    assert db.read_bytes() == before


def test_keys_on_a_subscriber_says_the_queue_is_the_state(inputs_home: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["keys", "--wazuh-home", str(inputs_home), "--block", str(SUBSCRIBER_LINE)])
    captured = capsys.readouterr()
    assert code == 0
    assert "the queue is their state" in captured.out
    assert "works on a bucket" not in captured.out + captured.err
    code, document = keys_json(inputs_home, SUBSCRIBER_LINE, capsys)
    assert document["scopes"] == [] and document["findings"][0]["failure_id"] == "queue.no_state"


BROKEN_CONF = """<ossec_config>
  <wodle name="aws-s3">
    <disabled>no</disabled>
    <interval>10m</interval>
    <subscriber type="security_lake">
      <sqs_name>lake-queue</sqs_name>
      <iam_role_arn>arn:aws-cn:iam::123456789012:role/lake-reader</iam_role_arn>
      <external_id>lake-external-id</external_id>
    </subscriber>
    <service type="inspector">
      <regions>us-east-1</regions>
      <iam_role_arn>arn:aws-us-gov:iam::123456789012:role/lake-reader</iam_role_arn>
    </service>
    <subscriber type="security_lake">
      <sqs_name>lake-queue</sqs_name>
    </subscriber>
    <subscriber type="security_lake">
      <sqs_name>lake-queue</sqs_name>
      <iam_role_arn>arn:aws:iam::123456789012:role/lake-reader</iam_role_arn>
      <external_id>lake-external-id</external_id>
    </subscriber>
  </wodle>
</ossec_config>
"""
CN_ROLE_LINE, GOV_ROLE_LINE, NO_ROLE_LINE, LAKE_LINE = 5, 10, 14, 17


@pytest.fixture
def broken_home(inputs_home: Path, moto: str) -> Path:
    """The blocks above on moto: the queue and the role exist (moto assumes any role of any partition)."""
    (inputs_home / "etc" / "ossec.conf").write_text(BROKEN_CONF)
    from tests.conftest import admin_client

    admin_client(moto, "sqs").create_queue(QueueName="lake-queue")
    admin_client(moto, "iam").create_role(RoleName="lake-reader", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"},
                                                "Action": "sts:AssumeRole"}]}))
    return inputs_home


def check_json(home: Path, moto: str, line: int, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[Any]]:
    code = main(["check", "--wazuh-home", str(home), "--endpoint-url", moto, "--block", str(line),
                 "--format", "json"])
    findings: list[Any] = json.loads(capsys.readouterr().out)["findings"]
    return code, findings


@pytest.mark.parametrize(("line", "partition", "role_line"), [(CN_ROLE_LINE, "aws-cn", 7),
                                                              (GOV_ROLE_LINE, "aws-us-gov", 12)])
def test_a_role_of_another_partition_is_named_with_its_block_and_line(
        broken_home: Path, moto: str, capsys: pytest.CaptureFixture[str], line: int, partition: str,
        role_line: int) -> None:
    code, findings = check_json(broken_home, moto, line, capsys)
    wrong = [finding for finding in findings if finding["failure_id"] == "config.role_partition"]
    assert len(wrong) == 1, "moto assumes the role anyway: only the configuration step can tell"
    assert wrong[0]["status"] == "warning" and code >= 1
    assert wrong[0]["location"].endswith(f"ossec.conf:{role_line}")
    assert f"a role of the {partition} partition" in wrong[0]["title"]
    assert "arn:aws:iam::123456789012:role/lake-reader" in wrong[0]["fix"]


def test_a_role_of_the_commercial_partition_is_not_flagged(broken_home: Path, moto: str,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    _, findings = check_json(broken_home, moto, LAKE_LINE, capsys)
    assert "config.role_partition" not in {finding["failure_id"] for finding in findings}


def test_security_lake_without_role_and_external_id_predicts_only_the_first_exit(
        broken_home: Path, moto: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, findings = check_json(broken_home, moto, NO_ROLE_LINE, capsys)
    missing = [finding for finding in findings if finding["failure_id"] == "config.security_lake_missing"]
    assert [finding["title"] for finding in missing] == ["Security Lake subscriber without <iam_role_arn>",
                                                         "Security Lake subscriber without <external_id>"]
    assert [finding["wazuh_exit_code"] for finding in missing] == [21, None]
    assert any("Used a subscriber but no --iam_role_arn provided." in line for line in missing[0]["ossec_log"])
    assert not any("external_id" in line for line in missing[0]["ossec_log"])
    assert missing[1]["ossec_log"] == [] and missing[1]["status"] == "error"
    assert code == 2


def test_assume_role_sends_the_external_id_and_session_name_the_module_sends(
        broken_home: Path, moto: str, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.fault_proxy import fault_proxy

    with fault_proxy(moto) as proxy:
        check_json(broken_home, proxy.url, LAKE_LINE, capsys)
        check_json(broken_home, proxy.url, GOV_ROLE_LINE, capsys)
    assumed = [request.form for request in proxy.requests if request.operation == "AssumeRole"]
    assert len(assumed) == 2
    assert assumed[0]["RoleSessionName"] == ["WazuhLogParsing"]
    assert assumed[0]["ExternalId"] == ["lake-external-id"], "a subscriber's <external_id> goes with AssumeRole"
    assert assumed[1]["RoleSessionName"] == ["WazuhLogParsing"]
    assert assumed[1]["RoleArn"] == ["arn:aws-us-gov:iam::123456789012:role/lake-reader"]
    _, findings = check_json(broken_home, moto, LAKE_LINE, capsys)
    role = next(finding for finding in findings if finding["check_id"] == "identity.assume_role")
    assert role["evidence"][0].endswith("RoleSessionName=WazuhLogParsing ExternalId=lake-external-id")


EVERY_BROKEN_CONF = """<ossec_config>
  <wodle name="aws-s3">
    <disabled>no</disabled>
    <interval>10m</interval>
    <subscriber type="buckets">
      <sqs_name>queue-never-created</sqs_name>
    </subscriber>
    <subscriber type="security_lake">
      <sqs_name>lake-queue</sqs_name>
      <iam_role_arn>arn:aws:iam::123456789012:role/lake-reader</iam_role_arn>
      <external_id>lake-external-id</external_id>
      <aws_profile>limited</aws_profile>
    </subscriber>
    <subscriber type="security_lake">
      <sqs_name>lake-queue</sqs_name>
      <iam_role_arn>arn:aws:iam::123456789012:role/lake-reader</iam_role_arn>
    </subscriber>
    <subscriber type="buckets">
      <sqs_name>https://sqs.us-east-1.amazonaws.com/123456789012/lake-queue</sqs_name>
    </subscriber>
    <subscriber type="buckets">
      <sqs_name>lake-queue</sqs_name>
      <aws_profile>no-such-profile</aws_profile>
    </subscriber>
    <service type="cloudwatchlogs">
      <aws_log_groups>group-never-created</aws_log_groups>
      <regions>us-east-1</regions>
    </service>
    <service type="cloudwatchlogs">
      <aws_log_groups>app-logs ,group-never-created</aws_log_groups>
      <regions>us-east-1</regions>
    </service>
    <service type="inspector">
      <regions>me-south-1</regions>
    </service>
    <service type="cloudwatchlogs">
      <aws_log_groups>app-logs</aws_log_groups>
      <regions>us-east-1</regions>
      <aws_profile>no-such-profile</aws_profile>
    </service>
  </wodle>
</ossec_config>
"""
BROKEN_EXITS = {5: (20, "queue.not_found"), 8: (3, "identity.assume_denied"),
                14: (21, "config.security_lake_missing"), 18: (2, "config.queue_name_invalid"),
                21: (23, None), 25: (16, "logs.group_failed"), 29: (2, "config.value_split"),
                33: (22, "config.inspector_region"), 36: (23, None)}
"""Line of each broken block -> the module's exit for it and the finding that predicts it."""


def test_no_broken_subscriber_or_service_is_ok_and_each_has_the_modules_exit(
        inputs_home: Path, clean_aws_env: Path, moto: str, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.conftest import admin_client, enable_auth

    (inputs_home / "etc" / "ossec.conf").write_text(EVERY_BROKEN_CONF)
    iam = admin_client(moto, "iam")
    keys = {}
    for user, actions in (("admin", ["*"]), ("limited", ["sqs:*", "sts:GetCallerIdentity"])):
        iam.create_user(UserName=user)
        iam.put_user_policy(UserName=user, PolicyName="p", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}))
        keys[user] = iam.create_access_key(UserName=user)["AccessKey"]
    iam.create_role(RoleName="lake-reader", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"},
                                                "Action": "sts:AssumeRole"}]}))
    admin_client(moto, "sqs").create_queue(QueueName="lake-queue")
    logs = admin_client(moto, "logs")
    logs.create_log_group(logGroupName="app-logs")
    logs.create_log_stream(logGroupName="app-logs", logStreamName="s1")
    (clean_aws_env / ".aws" / "credentials").write_text("".join(
        f"[{'default' if user == 'admin' else user}]\naws_access_key_id = {key['AccessKeyId']}\n"
        f"aws_secret_access_key = {key['SecretAccessKey']}\n" for user, key in keys.items()))
    (clean_aws_env / ".aws" / "config").write_text("[default]\nregion = us-east-1\n"
                                                   "[profile limited]\nregion = us-east-1\n")
    enable_auth(moto)
    from diagnostics.checks import prepare_context, run_checks
    from diagnostics.context import context_from_environment

    context = prepare_context(context_from_environment(None, str(inputs_home), moto))
    report = run_checks(context)
    by_line = {block.block.location.line: block for block in report.blocks}
    assert set(by_line) == set(BROKEN_EXITS)
    for line, (exit_code, failure_id) in BROKEN_EXITS.items():
        findings = by_line[line].findings
        assert by_line[line].status.value == "error", (line, [finding.title for finding in findings])
        predicted = [finding for finding in findings if finding.wazuh_exit_code is not None]
        assert predicted and predicted[0].wazuh_exit_code == exit_code, (line, [
            (finding.failure_id, finding.wazuh_exit_code) for finding in predicted])
        if failure_id is not None:
            assert predicted[0].failure_id == failure_id
        if line in (14, 18, 29):  # the script stops before any AWS call: no later step has an exit of its own
            assert len(predicted) == 1, (line, [(finding.failure_id, finding.wazuh_exit_code) for finding in predicted])
    group = next(finding for finding in by_line[29].findings if finding.failure_id == "logs.group_failed")
    assert "the module stops earlier (exit 2) and never reaches this step" in group.evidence
    assert group.ossec_log == ()


def test_a_wrong_subscriber_or_service_type_is_an_error_naming_its_line(
        inputs_home: Path, moto: str, capsys: pytest.CaptureFixture[str]) -> None:
    (inputs_home / "etc" / "ossec.conf").write_text(
        INPUTS_CONF.replace('type="buckets"', 'type="securitylake"').replace('type="inspector"', 'type="inspect"'))
    code = main(["check", "--wazuh-home", str(inputs_home), "--endpoint-url", moto, "--format", "json"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    wrong = {finding["location"].rsplit(":", 1)[1]: finding["title"] for finding in findings
             if finding["failure_id"] == "config.service_type_invalid"}
    assert wrong == {str(INSPECTOR_LINE): "Unknown service type 'inspect'",
                     str(SUBSCRIBER_LINE): "Unknown subscriber type 'securitylake'"}
    assert code == 2


def test_get_log_events_denied_is_exit_16_with_the_modules_line(moto: str, tmp_path: Path) -> None:
    from diagnostics.aws.service_access import check_service_access
    from tests.conftest import admin_client, enable_auth
    from tests.test_service_access import context, service_block, settings

    logs = admin_client(moto, "logs")
    logs.create_log_group(logGroupName="app-logs")
    logs.create_log_stream(logGroupName="app-logs", logStreamName="s1")
    iam = admin_client(moto, "iam")
    iam.create_user(UserName="streams-only")
    iam.put_user_policy(UserName="streams-only", PolicyName="p", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "logs:DescribeLogStreams",
                                                "Resource": "*"}]}))
    key = iam.create_access_key(UserName="streams-only")["AccessKey"]
    enable_auth(moto)
    import boto3

    reader = boto3.session.Session(aws_access_key_id=key["AccessKeyId"],
                                   aws_secret_access_key=key["SecretAccessKey"], region_name="us-east-1")
    home = tmp_path / "root"
    (home / ".aws").mkdir(parents=True)
    block = service_block("cloudwatchlogs", aws_log_groups="app-logs", regions="us-east-1")
    findings = check_service_access(reader, block, context(home), settings(moto))
    denied = next(finding for finding in findings if finding.failure_id == "logs.events_denied")
    assert denied.wazuh_exit_code == 16 and denied.status.value == "error"
    # moto answers a JSON-protocol call refused by its IAM with an XML body, so botocore names only the status
    assert any('The "get_log_events" request failed: An error occurred (' in line and "GetLogEvents operation"
               in line for line in denied.ossec_log), denied.ossec_log
    assert "logs.group_ok" not in {finding.failure_id for finding in findings}


def test_an_unreachable_cloudwatch_endpoint_is_an_error_without_an_exit(tmp_path: Path) -> None:
    import boto3

    from diagnostics.aws.service_access import check_service_access
    from tests.fault_proxy import refused_endpoint
    from tests.test_service_access import context, service_block, settings

    home = tmp_path / "root"
    (home / ".aws").mkdir(parents=True)
    block = service_block("cloudwatchlogs", aws_log_groups="app-logs", regions="us-east-1")
    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                    region_name="us-east-1")
    findings = check_service_access(session, block, context(home), settings(refused_endpoint()))
    unreachable = next(finding for finding in findings if finding.failure_id == "logs.group_unreachable")
    assert unreachable.status.value == "error" and unreachable.wazuh_exit_code is None
    assert "without a failure exit" in unreachable.explanation


def test_queue_attributes_show_counts_visibility_dead_letter_queue_and_the_policys_source(moto: str) -> None:
    from diagnostics.aws.queue_access import check_queue_access
    from tests.test_queue_access import context, seed_notified_queue, session, settings, subscriber_block

    sqs = admin_client_for(moto, "sqs")
    dead = sqs.create_queue(QueueName="wazuh-dead")["QueueUrl"]
    dead_arn = sqs.get_queue_attributes(QueueUrl=dead, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    url = seed_notified_queue(moto, {"bucket": "notified-logs", "queue": "wazuh-queue", "visibility_timeout": 45,
                                     "key": "app/one.json", "body_lines": [{"n": 1}]})
    policy = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["Policy"])["Attributes"]["Policy"]
    # moto drops the policy when other attributes are set alone, so it is set again with the redrive policy
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": policy, "RedrivePolicy": json.dumps(
        {"deadLetterTargetArn": dead_arn, "maxReceiveCount": "3"})})
    sqs.send_message(QueueUrl=url, MessageBody="{}")
    sqs.send_message(QueueUrl=dead, MessageBody="a notification the module gave up on")
    findings = check_queue_access(session(), subscriber_block(sqs_name="wazuh-queue"), context(), settings(moto))
    attributes = next(finding for finding in findings if finding.failure_id == "queue.attributes")
    evidence = "\n".join(attributes.evidence)
    waiting = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
    count = waiting["Attributes"]["ApproximateNumberOfMessages"]
    assert int(count) >= 1, "moto's own notifications and the message sent above"
    assert f"ApproximateNumberOfMessages={count} ApproximateNumberOfMessagesNotVisible=0" in evidence
    assert "VisibilityTimeout=45" in evidence
    assert "Policy: admits S3 notifications from notified-logs" in evidence
    assert "ApproximateAgeOfOldestMessage" in evidence, "the oldest message's age is said to be unavailable"
    dead_letter = next(finding for finding in findings if finding.failure_id == "queue.dead_letter")
    assert "wazuh-dead" in dead_letter.title + dead_letter.explanation
    assert "3" in dead_letter.explanation
    assert "Messages in wazuh-dead now: 1." in dead_letter.explanation, "each one a notification never read"
    assert next(finding for finding in findings if finding.failure_id == "queue.notification_ok")


def admin_client_for(endpoint: str, service: str):  # type: ignore[no-untyped-def]
    from tests.conftest import admin_client

    return admin_client(endpoint, service)


def test_an_unsupported_inspector_region_stops_the_loop_after_the_regions_sorted_before_it(
        inputs_home: Path, moto: str, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.test_service_access import load_golden

    golden = load_golden("inspector_unsupported_region_exit_22")
    regions = golden["arguments"][golden["arguments"].index("--regions") + 1]
    read = [line.split('"')[1] for line in golden["output"] if "Getting alerts from" in line]
    assert golden["exit_code"] == 22 and read == ["us-east-1"], "the module reads us-east-1, then stops"
    (inputs_home / "etc" / "ossec.conf").write_text(INPUTS_CONF.replace(
        "<regions>us-east-1,eu-west-1</regions>", f"<regions>{regions},us-west-9</regions>"))
    _, findings = check_json(inputs_home, moto, INSPECTOR_LINE, capsys)
    refused = [finding for finding in findings if finding["failure_id"] == "config.inspector_region"]
    assert [finding["title"] for finding in refused] == ["Inspector does not support region 'us-gov-west-1'",
                                                         "Inspector does not support region 'us-west-9'"]
    assert [finding["wazuh_exit_code"] for finding in refused] == [22, None], "only the first refusal is reached"
    assert "so us-east-1 is read on every run before the run stops here" in refused[0]["explanation"]
    assert "sorted loop" not in refused[1]["explanation"]


TRUST_CONF = """<ossec_config>
  <wodle name="aws-s3">
    <disabled>no</disabled>
    <interval>10m</interval>
    <subscriber type="security_lake">
      <sqs_name>lake-queue</sqs_name>
      <iam_role_arn>arn:aws:iam::123456789012:role/lake-reader</iam_role_arn>
      <external_id>not-the-one</external_id>
    </subscriber>
    <subscriber type="security_lake">
      <sqs_name>lake-queue</sqs_name>
      <iam_role_arn>arn:aws:iam::123456789012:role/lake-reader</iam_role_arn>
      <external_id>lake-external-id</external_id>
    </subscriber>
    <subscriber type="security_lake">
      <sqs_name>lake-queue</sqs_name>
      <iam_role_arn>arn:aws:iam::123456789012:role/never-created</iam_role_arn>
      <external_id>lake-external-id</external_id>
    </subscriber>
    <service type="cloudwatchlogs">
      <aws_log_groups>app-logs</aws_log_groups>
      <regions>us-east-1</regions>
      <iam_role_arn>arn:aws:iam::123456789012:role/lake-reader</iam_role_arn>
    </service>
  </wodle>
</ossec_config>
"""
WRONG_ID_LINE, RIGHT_ID_LINE, NO_ROLE_AT_ALL_LINE, SERVICE_ROLE_LINE = 5, 10, 15, 20
SUBSCRIBER_READS = frozenset({"GetCallerIdentity", "AssumeRole", "GetRole", "GetQueueUrl", "GetQueueAttributes",
                              "ListQueues", "SimulatePrincipalPolicy", "ListRolePolicies", "GetRolePolicy",
                              "ListAttachedRolePolicies", "GetPolicy", "GetPolicyVersion", "DescribeLogStreams",
                              "GetLogEvents", "DescribeLogGroups"})


@pytest.fixture
def trust_home(inputs_home: Path, moto: str) -> Path:
    """A Security Lake-like role whose trust policy demands one ExternalId; moto itself never checks it."""
    from tests.conftest import admin_client

    (inputs_home / "etc" / "ossec.conf").write_text(TRUST_CONF)
    admin_client(moto, "sqs").create_queue(QueueName="lake-queue")
    admin_client(moto, "logs").create_log_group(logGroupName="app-logs")
    admin_client(moto, "iam").create_role(RoleName="lake-reader", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"sts:ExternalId": "lake-external-id"}}}]}))
    return inputs_home


@pytest.mark.parametrize(("line", "failure_id", "exit_code", "where"), [
    (WRONG_ID_LINE, "role.external_id_wrong", 3, 8), (RIGHT_ID_LINE, "role.trust_ok", None, 12),
    (NO_ROLE_AT_ALL_LINE, "role.missing", 3, 17), (SERVICE_ROLE_LINE, "role.external_id_unsendable", 3, 23)])
def test_the_roles_trust_policy_tells_a_wrong_external_id_from_a_missing_role(
        trust_home: Path, moto: str, capsys: pytest.CaptureFixture[str], line: int, failure_id: str,
        exit_code: int | None, where: int) -> None:
    from tests.fault_proxy import fault_proxy

    with fault_proxy(moto) as proxy:
        code, findings = check_json(trust_home, proxy.url, line, capsys)
    trust = [finding for finding in findings if finding["check_id"] == "identity.role_trust"]
    assert [finding["failure_id"] for finding in trust] == [failure_id]
    assert trust[0]["wazuh_exit_code"] == exit_code
    assert trust[0]["location"].endswith(f"ossec.conf:{where}")
    predicted = [finding["wazuh_exit_code"] for finding in findings if finding["wazuh_exit_code"] is not None]
    if exit_code is not None:
        assert predicted[0] == 3 and code == 2, "moto assumed the role anyway: the trust policy is the proof"
        assert any("Access error: An error occurred (AccessDenied) when calling the AssumeRole operation"
                   in log_line for log_line in trust[0]["ossec_log"])
    operations = set(proxy.operations())
    assert "GetRole" in operations and operations <= SUBSCRIBER_READS, operations - SUBSCRIBER_READS


def test_trust_policy_external_ids_are_read_from_every_assume_role_statement() -> None:
    from diagnostics.aws.role_trust import external_ids_demanded

    policy = {"Statement": [
        {"Effect": "Allow", "Action": ["sts:AssumeRole"], "Condition": {"StringLike": {"STS:ExternalId": ["a-*"]}}},
        {"Effect": "Deny", "Action": "sts:AssumeRole"},
        {"Effect": "Allow", "Action": "sts:TagSession"}]}
    assert external_ids_demanded(json.dumps(policy)) == (["a-*"], False)
    policy["Statement"].append({"Effect": "Allow", "Action": "sts:*"})
    assert external_ids_demanded(policy) == (["a-*"], True)
    assert external_ids_demanded("%7B%22Statement%22%3A%5B%5D%7D") == ([], False), "GetRole URL-encodes it"


def test_an_unreadable_services_database_is_said_instead_of_a_first_run(
        inputs_home: Path, moto: str, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.conftest import admin_client

    admin_client(moto, "logs").create_log_group(logGroupName="app-logs")
    db = inputs_home / "wodles" / "aws" / "aws_services.db"
    db.parent.mkdir(parents=True)
    db.write_bytes(b"this is not an sqlite database at all" * 10)
    code, document = keys_json(inputs_home, CLOUDWATCH_LINE, capsys)
    assert code == 1 and document["scopes"] == []
    assert document["findings"][0]["failure_id"] == "service.state_unreadable"
    assert document["database_health"].startswith("not_a_db")
    _, findings = check_json(inputs_home, moto, CLOUDWATCH_LINE, capsys)
    ids = [finding["failure_id"] for finding in findings]
    assert "service.state_unreadable" in ids and "logs.state_first_run" not in ids
    assert db.read_bytes() == b"this is not an sqlite database at all" * 10


def test_describe_log_streams_is_paged_like_the_module(moto: str, tmp_path: Path) -> None:
    import boto3

    from diagnostics.aws.service_access import check_service_access
    from tests.conftest import admin_client
    from tests.test_service_access import context, service_block, settings

    logs = admin_client(moto, "logs")
    logs.create_log_group(logGroupName="busy-logs")
    for index in range(60):
        logs.create_log_stream(logGroupName="busy-logs", logStreamName=f"stream-{index:03d}")
    first_page = logs.describe_log_streams(logGroupName="busy-logs")
    assert "nextToken" in first_page and len(first_page["logStreams"]) < 60, "moto pages the answer too"
    home = tmp_path / "root"
    (home / ".aws").mkdir(parents=True)
    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                    region_name="us-east-1")
    findings = check_service_access(session, service_block("cloudwatchlogs", aws_log_groups="busy-logs",
                                                           regions="us-east-1"), context(home), settings(moto))
    ok = next(finding for finding in findings if finding.failure_id == "logs.group_ok")
    assert "60 stream(s)" in ok.title
    assert "pages read: 2" in ok.evidence


def test_a_subscriber_without_any_region_is_exit_12_before_the_queue_look_up(
        inputs_home: Path, clean_aws_env: Path, moto: str, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.conftest import admin_client

    admin_client(moto, "sqs").create_queue(QueueName="wazuh-notifications")
    (clean_aws_env / ".aws" / "config").write_text("[default]\noutput = json\n")
    code, findings = check_json(inputs_home, moto, SUBSCRIBER_LINE, capsys)
    no_region = next(finding for finding in findings if finding["failure_id"] == "queue.no_region")
    assert no_region["status"] == "error" and no_region["wazuh_exit_code"] == 12
    assert any(line.endswith("Subscriber: buckets wazuh-notifications  -  You must specify a region.")
               for line in no_region["ossec_log"])
    found = next(finding for finding in findings if finding["failure_id"] == "queue.url_ok")
    assert found["wazuh_exit_code"] is None and code == 2


def test_a_service_loop_is_read_only_up_to_its_first_refused_region(
        inputs_home: Path, moto: str, capsys: pytest.CaptureFixture[str]) -> None:
    (inputs_home / "etc" / "ossec.conf").write_text(INPUTS_CONF.replace(
        "<regions>us-east-1,eu-west-1</regions>", "<regions>us-west-2,us-gov-west-1,us-east-1</regions>"))
    _, findings = check_json(inputs_home, moto, INSPECTOR_LINE, capsys)
    listed = [finding for finding in findings if finding["failure_id"] == "inspector.findings_ok"]
    assert [finding["title"].rsplit(" in ", 1)[1].split(" ")[0] for finding in listed] == ["us-east-1"], \
        "us-gov-west-1 stops the sorted loop (exit 22): us-west-2 is never reached"
    _, document = keys_json(inputs_home, INSPECTOR_LINE, capsys)
    assert "the run stops at us-gov-west-1 (exit 22), after reading us-east-1" in document["regions"]
    assert [scope["scope"] for scope in document["scopes"]] == ["us-east-1"]
    (inputs_home / "etc" / "ossec.conf").write_text(INPUTS_CONF.replace(
        "<regions>us-east-1,eu-west-1</regions>", "<regions>me-south-1</regions>"))
    _, findings = check_json(inputs_home, moto, INSPECTOR_LINE, capsys)
    ids = [finding["failure_id"] for finding in findings]
    assert "inspector.findings_ok" not in ids and "service.region_overridden" not in ids
    assert "inspector.skipped" in ids
