"""Validation as Wazuh does it: one row per rule with its id, status, line, exit code and exact Wazuh text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diagnostics.configuration.loader import load_config
from diagnostics.configuration.rules import validate
from diagnostics.findings import Finding, SourceLocation, Status
from diagnostics.wazuh.regions import ALL_REGIONS, GOVCLOUD_REGIONS
from diagnostics.wazuh.versions import profile_for
from diagnostics.wazuh.wodle import Block, LoadedConfig, Option, Wodle

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "ossec"
NOW = datetime(2025, 1, 1, tzinfo=timezone.utc)
V4 = (4, 14, 7)
V5 = (5, 0, 1)
TS = "2025/01/01 00:00:00 "


def findings_for(sample: str | Path, version: tuple[int, int, int] = V4, debug: int = 1,
                 **kwargs: object) -> tuple[Finding, ...]:
    path = sample if isinstance(sample, Path) else SAMPLES / sample
    return validate(load_config(path, now=NOW), profile_for(version, "test"), debug_level=debug, now=NOW,
                    **kwargs)  # type: ignore[arg-type]


def text_of(finding: Finding) -> str:
    return "\n".join((finding.title, finding.explanation, finding.fix, *finding.ossec_log))


@dataclass(frozen=True)
class Row:
    sample: str
    check_id: str
    status: Status
    line: int
    exit_code: int | None
    message: str
    version: tuple[int, int, int] = V4
    debug: int = 1


ROWS = [
    # C parser stage: exact ossec.log lines, no exit code (wazuh-modulesd refuses the configuration).
    Row("bad_yes_no.conf", "config.yes_no", Status.ERROR, 4, None,
        TS + "wazuh-modulesd: ERROR: Invalid content for tag 'disabled' at module 'aws-s3'."),
    Row("bad_interval.conf", "config.interval_invalid", Status.ERROR, 5, None,
        TS + "wazuh-modulesd: ERROR: Invalid interval value at module 'aws-s3'"),
    Row("no_interval.conf", "config.interval_default", Status.WARNING, 3, None, "runs every 5 seconds"),
    Row("day_and_wday.conf", "config.day_wday", Status.ERROR, 6, None,
        "ERROR: Options 'day' and 'wday' are not compatible."),
    Row("unknown_tag.conf", "config.unknown_tag", Status.ERROR, 6, None,
        "wazuh-modulesd: ERROR: No such tag 'aws_profile' at module 'aws-s3'."),
    Row("no_blocks.conf", "config.no_blocks", Status.ERROR, 3, None,
        "wazuh-modulesd:aws-s3: WARNING: No buckets, services or subscribers definitions found at module "
        "'aws-s3'."),
    Row("bad_type.conf", "config.bucket_type_invalid", Status.ERROR, 7, None,
        "wazuh-modulesd:aws-s3: ERROR: Invalid bucket type 'vpflow'. Valid ones are 'cloudtrail', 'config', "
        "'guardduty', 'vpcflow', 'waf', 'cisco_umbrella', custom', alb', clb', nlb' or 'server_access'"),
    Row("attribute_not_type.conf", "config.type_attribute", Status.ERROR, 7, None,
        "Attribute name 'name' is not valid. The valid one is 'type'."),
    Row("unknown_child.conf", "config.unknown_child", Status.ERROR, 9, None,
        "wazuh-modulesd: ERROR: No such child tag 'profile' of bucket at module 'aws-s3'."),
    Row("empty_name.conf", "config.empty_content_error", Status.ERROR, 8, None,
        "ERROR: Empty content for tag 'name' at module 'aws-s3'."),
    Row("empty_tags.conf", "config.empty_content_error", Status.ERROR, 11, None,
        "ERROR: Empty content for tag 'bucket' at module 'aws-s3'."),
    Row("empty_tags.conf", "config.empty_content_ignored", Status.WARNING, 10, None,
        "wazuh-modulesd: WARNING: Empty content for tag 'path' at module 'aws-s3'."),
    Row("discard_without_field.conf", "config.discard_field_missing", Status.ERROR, 10, None,
        "Required attribute 'field' is missing in 'discard_regex'. This is a mandatory parameter."),
    Row("legacy_bucket.conf", "config.legacy_bucket", Status.WARNING, 8, None,
        "wazuh-modulesd:aws-s3: WARNING: Deprecated config defined; please use current config definition at "
        "module 'aws-s3'."),
    Row("legacy_bucket.conf", "config.inline_secrets", Status.WARNING, 6, None, "clear text"),
    Row("inline_keys.conf", "config.inline_secrets", Status.WARNING, 9, None,
        "WARNING: Deprecated tag <access_key> found at module 'aws-s3'. This tag was deprecated in 4.4; "
        "please "
        "use a different authentication method."),
    Row("missing_type.conf", "config.legacy_bucket_children", Status.ERROR, 7, 2,
        "aws-s3.py: error: argument -b/--bucket: expected one argument"),
    # Script stage: argparse (exit 2, the reason only under OUTPUT at debug 1) and later checks.
    Row("path_in_name.conf", "config.name_has_path", Status.ERROR, 8, 2,
        "usage: usage: aws-s3.py [options]\naws-s3.py: error: argument -b/--bucket: "
        "'wazuh-demo-cloudtrail/AWSLogs/123456789012' isn't a valid bucket name."),
    Row("s3_url_name.conf", "config.name_is_url", Status.ERROR, 8, 2,
        "'s3://wazuh-demo-cloudtrail/trails/' isn't a valid bucket name."),
    Row("bad_account_id.conf", "config.account_id_invalid", Status.ERROR, 10, 2,
        "error: argument -c/--aws_account_id: Not valid AWS account ID (numeric digits only): "
        "'12345678901'."),
    Row("bad_date.conf", "config.date_invalid", Status.ERROR, 10, 2,
        "Argument not a valid date in format YYYY-MMM-DD: '2024-01-15'."),
    Row("bad_region_format.conf", "config.region_format", Status.ERROR, 10, 2,
        "argument -r/--regions: WARNING: The region 'us-east1' has not a valid format.'"),
    Row("unknown_region.conf", "config.region_unknown", Status.ERROR, 10, 22,
        "OUTPUT: DEBUG: +++ Debug mode on - Level: 1\nDEBUG: +++ ERROR: Invalid region 'us-east-7'"),
    Row("govcloud_region.conf", "config.region_govcloud", Status.ERROR, 10, 22,
        "WARNING: Bucket:  -  Invalid region 'us-gov-west-1'"),
    Row("bad_role.conf", "config.role_arn_invalid", Status.ERROR, 9, 2,
        "Invalid ARN Role specified. Value must be a valid ARN Role."),
    Row("bad_role_duration.conf", "config.role_duration_invalid", Status.ERROR, 10, 2,
        "Invalid session duration specified. Value must be between 900 and 3600."),
    Row("duration_without_role.conf", "config.role_duration_without_arn", Status.ERROR, 10, 1,
        "WARNING: Bucket:  -  Unknown error: Used --iam_role_duration argument but no --iam_role_arn "
        "provided."),
    Row("space_in_profile.conf", "config.value_split", Status.ERROR, 9, 2,
        "aws-s3.py: error: unrecognized arguments: reader"),
    Row("bad_queue.conf", "config.queue_name_invalid", Status.ERROR, 7, 2,
        "Invalid SQS Name specified. Value must be up to 80 characters"),
    Row("security_lake_missing.conf", "config.security_lake_missing", Status.ERROR, 6, 21,
        "Subscriber: security_lake wazuh-demo-security-lake  -  Used a subscriber but no --iam_role_arn "
        "provided."),
    Row("bad_discard_regex.conf", "config.discard_regex_invalid", Status.ERROR, 10, 12,
        "WARNING: Bucket:  -  missing ), unterminated subpattern at position 0", debug=0),
    Row("bad_discard_regex.conf", "config.discard_regex_invalid", Status.ERROR, 10, 1,
        "WARNING: Bucket:  -  Unknown error: missing ), unterminated subpattern at position 0"),
    Row("umbrella_path.conf", "config.umbrella_path", Status.ERROR, 10, 12,
        "WARNING: Bucket:  -  Only 'dnslogs', 'proxylogs' or 'iplogs' are allowed for Cisco Umbrella"),
    Row("guardduty_firehose.conf", "config.guardduty_firehose", Status.ERROR, 10, 12,
        "WARNING: Bucket:  -  Invalid type of bucket", version=V5, debug=0),
    Row("guardduty_firehose.conf", "config.guardduty_kinesis_note", Status.OK, 10, None, "deprecated"),
    # Silent mistakes.
    Row("trailing_slash_path.conf", "config.path_leading_slash", Status.WARNING, 10, None,
        "<path>cloudtrail/</path>"),
    Row("awslogs_in_path.conf", "config.path_contains_awslogs", Status.WARNING, 10, None,
        "<path>trails</path>"),
    Row("future_date.conf", "config.only_logs_after_future", Status.WARNING, 10, None, "2099-JAN-01"),
    Row("dashboard_discard_field.conf", "config.discard_field_dashboard", Status.WARNING, 10, None,
        'field="eventName"'),
    Row("custom_bucket.conf", "config.custom_type_note", Status.OK, 7, None, "'detail'"),
]


@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"{row.sample}:{row.check_id}:{row.debug}")
def test_rule(row: Row) -> None:
    findings = [finding for finding in findings_for(row.sample, row.version, row.debug)
                if finding.check_id == row.check_id]
    assert findings, f"{row.check_id} not reported for {row.sample}"
    finding = findings[0]
    assert finding.status is row.status
    assert finding.location is not None and finding.location.line == row.line
    assert finding.location.path.endswith(row.sample)
    assert finding.wazuh_exit_code == row.exit_code
    assert row.message in text_of(finding)
    assert finding.failure_id == row.check_id and finding.explanation and finding.fix


def test_healthy_config_gives_one_ok_per_block() -> None:
    findings = findings_for("healthy.conf")
    assert [finding.check_id for finding in findings] == ["config.block_ok"] * 5
    assert all(finding.status is Status.OK for finding in findings)
    assert findings[0].evidence[0].startswith("command: wodles/aws/aws-s3 --bucket wazuh-demo-cloudtrail")


def test_argument_errors_predict_the_whole_log() -> None:
    finding = next(item for item in findings_for("bad_date.conf", debug=1)
                   if item.check_id == "config.date_invalid")
    assert finding.ossec_log == (
        TS + "wazuh-modulesd:aws-s3: INFO: Executing Bucket Analysis: (Bucket: wazuh-demo-cloudtrail, "
             "Type: cloudtrail, Profile: wazuh-reader)",
        TS + "wazuh-modulesd:aws-s3: DEBUG: Launching S3 Command: wodles/aws/aws-s3 --bucket "
             "wazuh-demo-cloudtrail --aws_profile wazuh-reader --only_logs_after 2024-01-15 --type "
             "cloudtrail "
             "--debug 1 --skip_on_error",
        TS + "wazuh-modulesd:aws-s3: WARNING: Bucket:  -  Returned exit code 2",
        TS + "wazuh-modulesd:aws-s3: WARNING: Bucket:  -  Error parsing arguments.",
        TS + "wazuh-modulesd:aws-s3: DEBUG: Bucket:  -  OUTPUT: usage: usage: aws-s3.py [options]",
        "aws-s3.py: error: argument -s/--only_logs_after: Argument not a valid date in format YYYY-MMM-DD: "
        "'2024-01-15'.")


def test_invalid_region_prints_nothing_at_debug_0() -> None:
    finding = next(item for item in findings_for("unknown_region.conf", debug=0)
                   if item.check_id == "config.region_unknown")
    assert finding.ossec_log[-1] == TS + "wazuh-modulesd:aws-s3: WARNING: Bucket:  -  "
    assert not any("DEBUG" in line or "Invalid region" in line for line in finding.ossec_log)


def test_installed_region_list_wins() -> None:
    findings = findings_for("govcloud_region.conf", regions=ALL_REGIONS | GOVCLOUD_REGIONS)
    assert [finding.check_id for finding in findings] == ["config.block_ok"]


def test_region_list_check_exists_only_since_4_10() -> None:
    findings = findings_for("unknown_region.conf", (4, 9, 1))
    assert [finding.check_id for finding in findings] == ["config.block_ok"]


def test_regions_added_in_2025_are_warned_for_older_releases(tmp_path: Path) -> None:
    text = (SAMPLES / "unknown_region.conf").read_text().replace("us-east-1,us-east-7", "mx-central-1")
    (tmp_path / "ossec.conf").write_text(text)
    old = [finding.check_id for finding in findings_for(tmp_path / "ossec.conf", (4, 12, 0))]
    assert "config.region_added_later" in old
    assert [finding.check_id for finding in findings_for(tmp_path / "ossec.conf", V4)] == ["config.block_ok"]


def test_5_quotes_the_profile_so_the_space_is_fine() -> None:
    assert [finding.check_id for finding in findings_for("space_in_profile.conf", V5)] == ["config.block_ok"]


def test_secrets_never_appear_in_findings() -> None:
    for sample in ("inline_keys.conf", "legacy_bucket.conf"):
        for debug in (0, 1, 2):
            for finding in findings_for(sample, debug=debug):
                dumped = str(finding.to_dict())
                assert "EXAMPLEKEY" not in dumped and "AKIAIOSFODNN7EXAMPLE" not in dumped


def _wodle_config(tmp_path: Path, top: str, block: str = "<bucket type=\"cloudtrail\"><name>wazuh-demo-"
                  "cloudtrail</name></bucket>") -> Path:
    path = tmp_path / "ossec.conf"
    path.write_text(f'<ossec_config>\n<wodle name="aws-s3">\n{top}\n{block}\n</wodle>\n</ossec_config>\n')
    return path


@pytest.mark.parametrize(("top", "check_id", "message"), [
    ("<interval>010m</interval>", "config.interval_octal", "480 seconds"),
    ("<interval>08m</interval>", "config.interval_invalid", "Invalid interval value at module 'aws-s3'"),
    ("<interval>10m</interval><wday>Tue</wday>", "config.interval_adjusted",
     "WARNING: Interval must be a multiple of one week. New interval value: 1w"),
    ("<interval>1h</interval><time>10:30</time>", "config.interval_adjusted",
     "Interval must be a multiple of one day. New interval value: 1d"),
    ("<day>5</day>", "config.interval_adjusted", "Interval must be a multiple of one month. New interval "
                                                 "value: 1M"),
    ("<interval>1M</interval>", "config.interval_adjusted",
     "Interval value is in months. Setting scan day to first day of the month."),
    ("<interval>1d</interval><day>40</day>", "config.schedule_value", "(1235): Invalid value for element "
                                                                      "'day': 40."),
    ("<interval>1d</interval><time>25:00</time>", "config.schedule_value", "element 'time': 25:00."),
    ("<interval>1d</interval><disabled>yes</disabled>", "config.wodle_disabled",
     "wazuh-modulesd:aws-s3: INFO: Module AWS is disabled. Exiting..."),
    ("<interval>1d</interval>", "config.skip_on_error_default", "the code default is 'no'"),
])
def test_schedule_and_wodle_rules(tmp_path: Path, top: str, check_id: str, message: str) -> None:
    found = findings_for(_wodle_config(tmp_path, top))
    findings = [finding for finding in found if finding.check_id == check_id]
    assert findings and message in text_of(findings[0])
    assert findings[0].location is not None and findings[0].location.line in (2, 3)


def test_subscriber_needs_4_7(tmp_path: Path) -> None:
    path = _wodle_config(tmp_path, "<interval>1d</interval>",
                         '<subscriber type="buckets"><sqs_name>q</sqs_name></subscriber>')
    findings = findings_for(path, (4, 6, 0))
    unsupported = next(item for item in findings if item.check_id == "config.subscriber_unsupported")
    assert "No such tag 'subscriber' at module 'aws-s3'." in unsupported.ossec_log[0]
    assert "config.no_blocks" in [finding.check_id for finding in findings]
    assert "config.block_ok" not in [finding.check_id for finding in findings]


@pytest.mark.parametrize(("block", "check_id", "message"), [
    ('<service type="guardduty"><aws_profile>p</aws_profile></service>', "config.service_type_invalid",
     "Invalid service type 'guardduty'. Valid ones are 'inspector' or 'cloudwatchlogs'"),
    ("<service><aws_profile>p</aws_profile></service>", "config.type_missing", "Undefined type for service."),
    ('<subscriber type="lake"><sqs_name>q</sqs_name></subscriber>', "config.service_type_invalid",
     "Invalid subscriber type 'lake'. Valid ones are 'security_lake', 'buckets' or 'security_hub'"),
    ('<subscriber type="buckets"><sqs_name></sqs_name></subscriber>', "config.subscriber_empty",
     "Invalid content for tag 'sqs_name': It cannot be empty"),
    ('<subscriber type="buckets"><sqs_name>q</sqs_name><access_key>a</access_key></subscriber>',
     "config.unknown_child", "No such child tag 'access_key' of service at module 'aws-s3'."),
    ('<subscriber type="security_lake"><sqs_name>q</sqs_name><discard_regex>x</discard_regex></subscriber>',
     "config.discard_regex_security_lake", "The 'discard_regex' parameter is not available for Security "
                                           "Lake."),
    ('<service type="cloudwatchlogs"><aws_log_groups></aws_log_groups></service>',
     "config.empty_content_error",
     "Empty content for tag 'aws_log_groups' at module 'aws-s3'."),
    ('<service type="inspector"><aws_account_id></aws_account_id></service>', "config.empty_content_error",
     "Empty content for tag 'service' at module 'aws-s3'."),
    ('<service type="inspector"><regions>me-south-1</regions></service>', "config.inspector_region",
     "DEBUG: +++ ERROR: Unsupported region 'me-south-1'"),
    ('<bucket type="cloudtrail"><name>b-1</name><discard_regex field="a"></discard_regex></bucket>',
     "config.discard_regex_empty", "No value was provided for 'discard_regex'. No event will be skipped."),
    ('<bucket type="cloudtrail"><name>wazuh-demo-cloudtrail</name><remove_from_bucket>1</remove_from_bucket>'
     "</bucket>", "config.yes_no", "Invalid content for tag 'remove_from_bucket' at module 'aws-s3'."),
    ('<bucket type="cloudtrail"><name>wazuh-demo-cloudtrail</name>'
     "<access_key>AKIAIOSFODNN7EXAMPLE</access_key>"
     "</bucket>", "config.keys_incomplete", "Only access_key is set"),
    ('<bucket type="custom"><name>wazuh-demo-custom</name><path>a//b</path></bucket>',
     "config.path_double_slash",
     "<path>a/b</path>"),
    ('<bucket type="custom"><name>wazuh-demo-custom</name><path>a{b}</path></bucket>',
     "config.key_invalid_chars",
     "'a{b}' has an invalid character. Avoid to use"),
    ('<bucket type="cloudtrail"><name>wazuh-demo-cloudtrail</name>'
     '<discard_regex field="userIdentity.accountId">^\\d{12}$</discard_regex></bucket>',
     "config.value_mangled", "reaches the module as '^d{12}$'"),
    ('<bucket type="config"><name>wazuh-demo-config</name><iam_role_arn>arn:aws:iam::123456789012:role/R'
     "</iam_role_arn><iam_role_duration>\u00b2</iam_role_duration></bucket>", "config.role_duration_invalid",
     "argument -rd/--iam_role_duration: invalid arg_valid_iam_role_duration value: '\u00b2'"),
    ('<bucket type="cloudtrail"><name>wazuh-demo-cloudtrail</name><aws_profile>-prod</aws_profile></bucket>',
     "config.value_looks_like_flag", "argument -p/--aws_profile: expected one argument"),
    ('<bucket type="cloudtrail"><name>wazuh-demo-cloudtrail</name><regions>us-east-1, eu-west-1</regions>'
     "</bucket>", "config.value_split", "the module never quotes <regions>"),
])
def test_block_rules(tmp_path: Path, block: str, check_id: str, message: str) -> None:
    path = _wodle_config(tmp_path, "<interval>1d</interval>", block)
    findings = [finding for finding in findings_for(path) if finding.check_id == check_id]
    assert findings, check_id
    assert message in text_of(findings[0])
    assert findings[0].location is not None and findings[0].location.line == 4


def test_name_split_is_offered_as_details() -> None:
    finding = next(item for item in findings_for("path_in_name.conf")
                   if item.check_id == "config.name_has_path")
    assert finding.details == {"suggested_name": "wazuh-demo-cloudtrail",
                               "suggested_path": "AWSLogs/123456789012"}
    url = next(item for item in findings_for("s3_url_name.conf") if item.check_id == "config.name_is_url")
    assert url.details == {"suggested_name": "wazuh-demo-cloudtrail", "suggested_path": "trails"}


def test_subscriber_without_queue_fails_in_argparse(tmp_path: Path) -> None:
    block = ('<subscriber type="security_lake"><iam_role_arn>arn:aws:iam::123456789012:role/R</iam_role_arn>'
             "<external_id>ext</external_id></subscriber>")
    findings = findings_for(_wodle_config(tmp_path, "<interval>1d</interval>", block))
    missing = next(item for item in findings if item.check_id == "config.argument_missing_value")
    assert missing.wazuh_exit_code == 2 and "argument -q/--queue: expected one argument" in text_of(missing)


TAGS = ["name", "path", "path_suffix", "aws_account_id", "aws_profile", "iam_role_arn", "iam_role_duration",
        "only_logs_after", "regions", "aws_account_alias", "access_key", "secret_key", "sqs_name",
        "external_id", "aws_log_groups", "remove_from_bucket", "aws_organization_id", "sts_endpoint"]


@settings(max_examples=200, deadline=None)
@given(kind=st.sampled_from([("bucket", "cloudtrail"), ("bucket", "cisco_umbrella"), ("bucket", None),
                             ("service", "inspector"), ("service", "cloudwatchlogs"),
                             ("subscriber", "security_lake"), ("subscriber", "buckets")]),
       values=st.dictionaries(st.sampled_from(TAGS), st.text(max_size=30), max_size=8),
       regex=st.one_of(st.none(), st.tuples(st.text(max_size=20), st.text(max_size=10))),
       debug=st.integers(-1, 5))
def test_any_option_values_never_raise(kind: tuple[str, str | None], values: dict[str, str],
                                       regex: tuple[str, str] | None, debug: int) -> None:
    discard = Option("discard_regex", regex[0], 5, {"field": regex[1]}) if regex else None
    block = Block(kind=kind[0], block_type=kind[1], location=SourceLocation("ossec.conf", 3),
                  discard_regex=discard,
                  options={tag: Option(tag, value, 4) for tag, value in values.items()})
    wodle = Wodle(location=SourceLocation("ossec.conf", 2), blocks=(block,))
    for version in (V4, V5, (4, 3, 0)):
        loaded = LoadedConfig("ossec.conf", (wodle,))
        for finding in validate(loaded, profile_for(version, "t"), debug_level=debug, now=NOW):
            assert finding.check_id.startswith("config.")


def test_no_wodle_and_plain_loaded_config() -> None:
    empty = LoadedConfig(path="ossec.conf")
    assert [finding.check_id for finding in validate(empty, profile_for(V4, "t"))] == ["config.no_wodle"]
    block = Block(kind="bucket", block_type="cloudtrail", location=SourceLocation("ossec.conf", 3),
                  options={"name": Option("name", "Bad_Name", 4)})
    wodle = Wodle(location=SourceLocation("ossec.conf", 2), blocks=(block,),
                  options={"interval": Option("interval", "10m", 2)})
    findings = validate(LoadedConfig(path="ossec.conf", wodles=(wodle,)), profile_for(V4, "t"), now=NOW)
    invalid = next(item for item in findings if item.check_id == "config.bucket_name_invalid")
    assert invalid.location == SourceLocation("ossec.conf", 4) and invalid.wazuh_exit_code == 2
