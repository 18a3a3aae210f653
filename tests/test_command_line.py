"""The command wm_aws.c builds, how wm_exec splits it, and what the log may show (secrets masked)."""

from __future__ import annotations

import pytest

from diagnostics.findings import SourceLocation
from diagnostics.wazuh.command_line import (
    build_command,
    debug_argument,
    display_command,
    quote_argument,
    split_like_wm_exec,
)
from diagnostics.wazuh.versions import profile_for
from diagnostics.wazuh.wodle import Block, Option, Wodle

V4 = profile_for((4, 14, 7), "test")
V5 = profile_for((5, 0, 1), "test")
HERE = SourceLocation("ossec.conf", 1)


def block(kind: str, block_type: str | None, discard: Option | None = None, **options: str) -> Block:
    return Block(kind=kind, block_type=block_type, location=HERE, discard_regex=discard,
                 options={name: Option(name, value, 1) for name, value in options.items()})


def wodle(*blocks: Block, **options: str) -> Wodle:
    return Wodle(location=HERE, options={name: Option(name, value, 1) for name, value in options.items()},
                 blocks=blocks)


def test_bucket_arguments_follow_the_c_order() -> None:
    bucket = block("bucket", "cloudtrail", Option("discard_regex", "^Get", 1, {"field": "eventName"}),
                   name="wazuh-demo-cloudtrail", remove_from_bucket="yes", aws_profile="reader",
                   iam_role_arn="arn:aws:iam::123456789012:role/R", iam_role_duration="900",
                   aws_organization_id="o-abc", aws_account_id="123456789012", aws_account_alias="prod",
                   path="trails", path_suffix="suffix", only_logs_after="2024-JAN-01", regions="us-east-1",
                   sts_endpoint="sts.example", service_endpoint="s3.example")
    argv = build_command(bucket, wodle(bucket, skip_on_error="yes"), V4, 2)
    assert argv == ["wodles/aws/aws-s3", "--bucket", "wazuh-demo-cloudtrail", "--remove",
                    "--aws_profile", "reader", "--iam_role_arn", "arn:aws:iam::123456789012:role/R",
                    "--iam_role_duration", "900", "--aws_organization_id", "o-abc",
                    "--aws_account_id", "123456789012", "--aws_account_alias", "prod",
                    "--trail_prefix", "trails", "--trail_suffix", "suffix",
                    "--only_logs_after", "2024-JAN-01",
                    "--regions", "us-east-1", "--discard-field", "eventName", "--discard-regex", "^Get",
                    "--sts_endpoint", "sts.example", "--service_endpoint", "s3.example",
                    "--type", "cloudtrail", "--debug", "2", "--skip_on_error"]


def test_service_and_subscriber_arguments() -> None:
    service = block("service", "cloudwatchlogs", Option("discard_regex", "^x", 1), aws_profile="p",
                    aws_log_groups="g1,g2", remove_log_streams="yes", regions="us-east-1")
    assert build_command(service, wodle(service), V4, 0) == [
        "wodles/aws/aws-s3", "--service", "cloudwatchlogs", "--aws_profile", "p", "--regions", "us-east-1",
        "--aws_log_groups", "g1,g2", "--remove-log-streams", "--discard-regex", "^x"]
    subscriber = block("subscriber", "security_lake", sqs_name="q", external_id="ext",
                       iam_role_arn="arn:aws:iam::123456789012:role/R", aws_profile="p")
    assert build_command(subscriber, wodle(subscriber), V4, 1) == [
        "wodles/aws/aws-s3", "--subscriber", "security_lake", "--queue", "q", "--external_id", "ext",
        "--iam_role_arn", "arn:aws:iam::123456789012:role/R", "--aws_profile", "p", "--debug", "1"]


def test_missing_name_leaves_the_flag_without_value() -> None:
    bucket = block("bucket", "vpcflow", aws_profile="p")
    argv = build_command(bucket, wodle(bucket), V4, 0)
    assert argv[:3] == ["wodles/aws/aws-s3", "--bucket", "--aws_profile"]


@pytest.mark.parametrize(("level", "expected"), [(0, None), (1, "1"), (2, "2"), (3, "3"), (5, "3")])
def test_debug_mapping(level: int, expected: str | None) -> None:
    assert debug_argument(level) == expected


def test_4x_splits_values_with_spaces_and_5_quotes_them() -> None:
    bucket = block("bucket", "cloudtrail", name="wazuh-demo-cloudtrail", aws_profile="my reader")
    assert build_command(bucket, wodle(bucket), V4, 0)[3:6] == ["--aws_profile", "my", "reader"]
    assert build_command(bucket, wodle(bucket), V5, 0)[3:5] == ["--aws_profile", "my reader"]
    assert '--aws_profile "my reader"' in display_command(bucket, wodle(bucket), V5, 0)


def test_backslashes_and_quotes_survive_only_when_quoted() -> None:
    regex = Option("discard_regex", r'\d{12} "x"', 1, {"field": "userIdentity.accountId"})
    bucket = block("bucket", "cloudtrail", regex, name="wazuh-demo-cloudtrail")
    assert build_command(bucket, wodle(bucket), V5, 0)[-3] == r'\d{12} "x"'
    argv = build_command(bucket, wodle(bucket), V4, 0)
    assert argv[argv.index("--discard-regex") + 1:argv.index("--type")] == ["d{12}", "x"]


@pytest.mark.parametrize(("command", "words"), [
    ('--discard-regex "Security Hub Insight Results"', ["--discard-regex", "Security Hub Insight Results"]),
    ('"detail-type"', ["detail-type"]),
    (r'"a\\d+ \"b\""', ['a\\d+ "b"']),
    ("a  b ", ["a", "b"]),
    ('""', [""]),
    ("trailing\\", ["trailing"]),
])
def test_split_matches_w_strtok(command: str, words: list[str]) -> None:
    assert split_like_wm_exec(command) == words


def test_quote_argument_round_trips() -> None:
    value = 'a\\d+ "b" c'
    assert split_like_wm_exec(quote_argument(value)) == [value]


def test_display_masks_inline_keys_but_argv_keeps_them() -> None:
    bucket = block("bucket", "cloudtrail", name="wazuh-demo-cloudtrail", access_key="AKIAIOSFODNN7EXAMPLE",
                   secret_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    shown = display_command(bucket, wodle(bucket), V4, 1)
    assert "AKIA****MPLE" in shown and "--secret_key ****" in shown
    assert "EXAMPLEKEY" not in shown and "AKIAIOSFODNN7EXAMPLE" not in shown
    assert "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" in build_command(bucket, wodle(bucket), V4, 1)


def test_legacy_bucket_has_no_type_flag() -> None:
    bucket = block("bucket", None, name="legacy", aws_account_alias="LEGACY")
    argv = build_command(bucket, wodle(bucket), V4, 0)
    assert "--type" not in argv and argv[-2:] == ["--aws_account_alias", "LEGACY"]
