"""The failure-path scenarios recorded from the real module: buckets, objects, options and the runs made.

One definition serves both sides: ``record_module.py`` seeds the oracle's moto server and runs Wazuh's
script on it; ``tests/test_module_goldens.py`` seeds the test server the same way and runs our commands.
Only boto3 and the standard library are imported, so the recorder runs in the oracle's own venv.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from typing import Any

ACCOUNT = "111122223333"
"""The account folder of the AWSLogs keys (not the caller's: moto's caller is 123456789012)."""
CALLER_ACCOUNT = "123456789012"
ONLY_LOGS_AFTER = "2026-NOV-01"


def gz(text: str) -> bytes:
    """Gzip with a fixed header time so the objects are byte-identical on every seeding."""
    return gzip.compress(text.encode(), mtime=0)


def trail_key(day: str, index: int, region: str = "us-east-1", account: str = ACCOUNT) -> str:
    stamp = day.replace("/", "")
    return (f"AWSLogs/{account}/CloudTrail/{region}/{day}/{account}_CloudTrail_{region}_{stamp}T"
            f"{index:02d}10Z_f{index}.json.gz")


def trail_records(day: str, index: int, count: int = 2, **extra: Any) -> list[dict[str, Any]]:
    return [{"eventVersion": "1.08", "eventID": f"{day.replace('/', '-')}-{index}-{n}",
             "eventTime": f"{day.replace('/', '-')}T{index:02d}:10:0{n}Z", "eventSource": "s3.amazonaws.com",
             "eventName": "GetObject", "awsRegion": "us-east-1", "sourceIPAddress": "203.0.113.7",
             "recipientAccountId": ACCOUNT, **extra} for n in range(count)]


def trail_body(day: str, index: int, count: int = 2, **extra: Any) -> bytes:
    return gz(json.dumps({"Records": trail_records(day, index, count, **extra)}))


def config_key(day: tuple[int, int, int], index: int, region: str = "us-east-1") -> str:
    year, month, dom = day
    stamp = f"{year}{month:02d}{dom:02d}T0{index}0000Z"
    return (f"AWSLogs/{ACCOUNT}/Config/{region}/{year}/{month}/{dom}/ConfigHistory/{ACCOUNT}_Config_{region}_"
            f"ConfigHistory_AWS::EC2::Instance_{stamp}_{stamp}_{index}.json.gz")


def config_body(index: int) -> bytes:
    item = {"configurationItemVersion": "1.3", "configurationItemCaptureTime": "2026-11-02T01:00:00.000Z",
            "configurationStateId": index, "awsAccountId": ACCOUNT, "configurationItemStatus": "OK",
            "resourceType": "AWS::EC2::Instance", "resourceId": f"i-{index:017d}", "awsRegion": "us-east-1",
            "configuration": {"instanceId": f"i-{index:017d}"}}
    return gz(json.dumps({"fileVersion": "1.0", "configurationItems": [item]}))


def guardduty_key(region: str, day: str, name: str, account: str = ACCOUNT) -> str:
    return f"AWSLogs/{account}/GuardDuty/{region}/{day}/{name}.jsonl.gz"


def guardduty_body(region: str, finding_id: str) -> bytes:
    finding = {"schemaVersion": "2.0", "accountId": ACCOUNT, "region": region, "id": finding_id,
               "type": "Recon:EC2/PortProbeUnprotectedPort", "severity": 2,
               "service": {"serviceName": "guardduty", "count": 1}}
    return gz(json.dumps(finding) + "\n")


def firehose_key(day: str, hour: int, name: str) -> str:
    stamp = day.replace("/", "-")
    return f"firehose/{day}/{hour:02d}/stream-1-{stamp}-{hour:02d}-00-00-{name}"


def firehose_body(day: str, hour: int, count: int = 2) -> bytes:
    envelopes = [{"version": "0", "id": f"env-{day}-{hour}-{n}", "detail-type": "Macie Finding",
                  "source": "aws.macie", "account": CALLER_ACCOUNT, "time": f"{day.replace('/', '-')}T00:00:00Z",
                  "region": "us-east-1", "detail": {"id": f"finding-{day}-{hour}-{n}", "severity": "Low"}}
                 for n in range(count)]
    return "".join(json.dumps(item) for item in envelopes).encode()


@dataclass(frozen=True)
class Run:
    """One run of the module (and of our pass), after putting ``objects`` in the bucket."""

    objects: tuple[tuple[str, bytes], ...] = ()
    debug: int = 2


@dataclass(frozen=True)
class Scenario:
    """A bucket block, what the bucket holds, and the runs; ``policy`` turns moto's IAM checks on."""

    name: str
    behaviour: str
    """What the scenario shows, in one sentence (copied into the golden's command.json)."""
    bucket: str
    bucket_type: str
    options: tuple[tuple[str, str], ...] = (("only_logs_after", ONLY_LOGS_AFTER),)
    """The ``<bucket>`` children, in ossec.conf order (discard_regex as ``discard_regex@field``)."""
    skip_on_error: bool = False
    objects: tuple[tuple[str, bytes], ...] = ()
    runs: tuple[Run, ...] = (Run(),)
    policy: dict[str, Any] | None = None
    """The IAM policy of the module's user; None keeps moto's authentication off."""
    extra_args: tuple[str, ...] = ()
    args_override: tuple[str, ...] | None = None
    """The script's whole argument list (preflight cases), ``{endpoint}`` filled in."""
    aws_config: str | None = None
    """The module's ~/.aws/config (None: no file)."""
    notes: tuple[str, ...] = field(default=())

    def option(self, tag: str) -> str | None:
        for name, value in self.options:
            if name == tag:
                return value
        return None

    def block_xml(self) -> str:
        """The ``<bucket>`` element of ossec.conf for this scenario."""
        lines = [f'    <bucket type="{self.bucket_type}">', f"      <name>{self.bucket}</name>"]
        for tag, value in self.options:
            if tag.startswith("discard_regex@"):
                lines.append(f'      <discard_regex field="{tag.split("@", 1)[1]}">{value}</discard_regex>')
            else:
                lines.append(f"      <{tag}>{value}</{tag}>")
        lines.append("    </bucket>")
        return "\n".join(lines) + "\n"

    def module_args(self, endpoint: str, debug: int) -> list[str]:
        """The script's arguments in the order wm_aws.c builds them for this block."""
        if self.args_override is not None:
            return [arg.format(endpoint=endpoint) for arg in self.args_override]
        args = ["--bucket", self.bucket]
        if self.option("remove_from_bucket") == "yes":
            args.append("--remove")
        flags = (("aws_profile", "--aws_profile"), ("iam_role_arn", "--iam_role_arn"),
                 ("aws_account_id", "--aws_account_id"), ("path", "--trail_prefix"),
                 ("path_suffix", "--trail_suffix"), ("only_logs_after", "--only_logs_after"), ("regions", "--regions"))
        for tag, flag in flags:
            value = self.option(tag)
            if value:
                args += [flag, value]
        for tag, value in self.options:
            if tag.startswith("discard_regex@"):
                args += ["--discard-field", tag.split("@", 1)[1], "--discard-regex", value]
        args += ["--service_endpoint", endpoint, "--type", self.bucket_type, *self.extra_args]
        args += ["--debug", str(debug)] if debug else []
        if self.skip_on_error:
            args.append("--skip_on_error")
        return args


def seed(s3: Any, scenario: Scenario, objects: tuple[tuple[str, bytes], ...]) -> None:
    """Create the bucket once and put ``objects`` (admin credentials, before authentication is on)."""
    existing = {item["Name"] for item in s3.list_buckets().get("Buckets", [])}
    if scenario.bucket not in existing:
        s3.create_bucket(Bucket=scenario.bucket)
    for key, body in objects:
        s3.put_object(Bucket=scenario.bucket, Key=key, Body=body)


READER_POLICY = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetObject", "s3:HeadBucket", "s3:GetBucketLocation",
                                   "s3:GetBucketPolicy", "sts:GetCallerIdentity"], "Resource": "*"},
    {"Effect": "Allow", "Action": ["iam:GetUser", "iam:ListUserPolicies", "iam:GetUserPolicy",
                                   "iam:ListAttachedUserPolicies", "iam:GetPolicy", "iam:GetPolicyVersion",
                                   "iam:SimulatePrincipalPolicy"], "Resource": "*"}]}
"""A reader that may list and read, and read its own IAM policies, but not delete (remove_from_bucket)."""

DAY1, DAY2, DAY3, DAY4 = "2026/11/02", "2026/11/03", "2026/11/04", "2026/11/05"

STOP_MID_WALK = Scenario(
    name="stop_mid_walk_gzip",
    behaviour="a broken gzip in the third file stops the run with exit 8 after two files' events; nothing is "
              "committed, so the second run sends the same events again",
    bucket="golden-stop-mid-walk", bucket_type="cloudtrail",
    objects=((trail_key(DAY1, 1), trail_body(DAY1, 1)), (trail_key(DAY2, 2), trail_body(DAY2, 2, 3)),
             (trail_key(DAY3, 3), b"\x1f\x8bnot really gzip"), (trail_key(DAY4, 4), trail_body(DAY4, 4))),
    runs=(Run(), Run()))

STOP_MID_WALK_PARSE = Scenario(
    name="stop_mid_walk_parse",
    behaviour="a file that is gzip but not JSON stops the run with exit 9 after the first file; nothing is "
              "committed",
    bucket="golden-stop-parse", bucket_type="cloudtrail",
    objects=((trail_key(DAY1, 1), trail_body(DAY1, 1)), (trail_key(DAY2, 2), gz("{not json")),
             (trail_key(DAY3, 3), trail_body(DAY3, 3))),
    runs=(Run(), Run()))

REMOVE_DENIED = Scenario(
    name="remove_denied",
    behaviour="remove_from_bucket with credentials that may not delete: the first file's events are sent, "
              "DeleteObject is denied, exit 1, nothing committed; every run sends them again",
    bucket="golden-remove-denied", bucket_type="cloudtrail",
    options=(("only_logs_after", ONLY_LOGS_AFTER), ("remove_from_bucket", "yes")),
    objects=((trail_key(DAY1, 1), trail_body(DAY1, 1)), (trail_key(DAY2, 2), trail_body(DAY2, 2))),
    runs=(Run(), Run()), policy=READER_POLICY)

SKIP_OFF_BROKEN = Scenario(
    name="skip_off_broken_custom",
    behaviour="skip_on_error off and a Firehose object that is not JSON: the run stops there (exit 9); the "
              "keys after it are not read this run",
    bucket="golden-skip-off", bucket_type="custom", options=(("path", "firehose"),
                                                             ("only_logs_after", ONLY_LOGS_AFTER)),
    objects=((firehose_key(DAY1, 1, "a"), firehose_body(DAY1, 1)),
             (firehose_key(DAY2, 1, "b"), b"{this is not json"),
             (firehose_key(DAY3, 1, "c"), firehose_body(DAY3, 1))),
    runs=(Run(),))

CONFIG_NO_DATE = Scenario(
    name="config_no_date_folder",
    behaviour="a Config key without a date folder inside a region prefix breaks the date sort: exit 7; a "
              "key outside the region prefixes (an empty object) is never listed",
    bucket="golden-config-nodate", bucket_type="config",
    objects=((config_key((2026, 11, 2), 1), config_body(1)),
             (f"AWSLogs/{ACCOUNT}/Config/us-east-1/ConfigWritabilityCheckFile", b""),
             (f"AWSLogs/{ACCOUNT}/Config/ConfigWritabilityCheckFile", b"")),
    runs=(Run(),))

GUARDDUTY_REGIONS = Scenario(
    name="guardduty_marker_regions",
    behaviour="native GuardDuty in two regions: state rows use the key's account folder; on the second run "
              "a new file in eu-west-1 (sorting before the us-east-1 marker) is never read",
    bucket="golden-guardduty", bucket_type="guardduty",
    objects=((guardduty_key("eu-west-1", DAY1, "gd-eu-1"), guardduty_body("eu-west-1", "eu-1")),
             (guardduty_key("us-east-1", DAY2, "gd-us-1"), guardduty_body("us-east-1", "us-1"))),
    runs=(Run(), Run(objects=((guardduty_key("eu-west-1", DAY3, "gd-eu-2"), guardduty_body("eu-west-1", "eu-2")),
                              (guardduty_key("us-east-1", DAY3, "gd-us-2"),
                               guardduty_body("us-east-1", "us-2"))))))

DISCARD_NON_STRING = Scenario(
    name="discard_regex_non_string",
    behaviour="discard_regex on a number field never matches: every event is sent",
    bucket="golden-discard-number", bucket_type="cloudtrail",
    options=(("only_logs_after", ONLY_LOGS_AFTER), ("discard_regex@additionalEventData.bytesTransferredIn", "1")),
    objects=((trail_key(DAY1, 1), trail_body(DAY1, 1, additionalEventData={"bytesTransferredIn": 1})),),
    runs=(Run(),))

KEYS_BEFORE_MARKER = Scenario(
    name="keys_before_marker",
    behaviour="a second run after a late upload into an older day: the module lists only after its marker "
              "and never reads the late file",
    bucket="golden-before-marker", bucket_type="cloudtrail",
    objects=((trail_key(DAY1, 1), trail_body(DAY1, 1)), (trail_key(DAY3, 3), trail_body(DAY3, 3))),
    runs=(Run(), Run(objects=((trail_key(DAY2, 2), trail_body(DAY2, 2)),))))

BAD_BUCKET_NAME = Scenario(
    name="preflight_bad_bucket_name",
    behaviour="a bucket name the script's argument check rejects: exit 2 before any AWS call",
    bucket="Golden_Bad", bucket_type="cloudtrail",
    args_override=("--bucket", "Golden_Bad", "--only_logs_after", ONLY_LOGS_AFTER, "--service_endpoint",
                   "{endpoint}", "--type", "cloudtrail", "--debug", "2"))

ROLE_NOT_ASSUMABLE = Scenario(
    name="preflight_role_denied",
    behaviour="an iam_role_arn the credentials may not assume: exit 3 before any listing",
    bucket="golden-role-denied", bucket_type="cloudtrail",
    options=(("iam_role_arn", f"arn:aws:iam::{CALLER_ACCOUNT}:role/golden-missing"),
             ("only_logs_after", ONLY_LOGS_AFTER)),
    objects=((trail_key(DAY1, 1), trail_body(DAY1, 1)),), runs=(Run(debug=2), Run(debug=0)),
    policy=READER_POLICY)

PROFILE_CONFIG_ONLY = Scenario(
    name="preflight_profile_config_only",
    behaviour="a profile that exists only in ~/.aws/config (no keys anywhere): exit 1 with a traceback at "
              "debug 1 and above, exit 12 at debug 0",
    bucket="golden-profile-config", bucket_type="cloudtrail",
    options=(("aws_profile", "cfgonly"), ("only_logs_after", ONLY_LOGS_AFTER)),
    objects=((trail_key(DAY1, 1), trail_body(DAY1, 1)),), runs=(Run(debug=1), Run(debug=0)),
    aws_config="[default]\nregion = us-east-1\n\n[profile cfgonly]\nregion = us-east-1\n")

DEBUG_PREAMBLE = Scenario(
    name="debug_preamble_with_config",
    behaviour="the lines the script prints before its walk when ~/.aws/config has the profile with a region "
              "and no retry settings (debug 2), and with the retry settings (second run)",
    bucket="golden-preamble", bucket_type="cloudtrail",
    objects=((trail_key(DAY1, 1), trail_body(DAY1, 1)),), runs=(Run(),),
    aws_config="[default]\nregion = us-east-1\n")

DEBUG_PREAMBLE_RETRIES = Scenario(
    name="debug_preamble_with_retries",
    behaviour="the lines the script prints before its walk when the profile sets max_attempts and retry_mode",
    bucket="golden-preamble-retries", bucket_type="cloudtrail",
    objects=((trail_key(DAY1, 1), trail_body(DAY1, 1)),), runs=(Run(),),
    aws_config="[default]\nregion = us-east-1\nmax_attempts = 4\nretry_mode = adaptive\n")

PATH_SUFFIX_BESIDE = Scenario(
    name="path_suffix_beside_unsuffixed",
    behaviour="path_suffix set, with an unsuffixed CloudTrail layout beside the suffixed one: the module reads "
              "only the suffixed files",
    bucket="golden-suffix", bucket_type="cloudtrail",
    options=(("path_suffix", "sfx"), ("only_logs_after", ONLY_LOGS_AFTER)),
    objects=((trail_key(DAY1, 1), trail_body(DAY1, 1)), (trail_key(DAY2, 2), trail_body(DAY2, 2)),
             (trail_key(DAY3, 3), trail_body(DAY3, 3)),
             ("AWSLogs/sfx/" + trail_key(DAY2, 5)[len("AWSLogs/"):], trail_body(DAY2, 5))),
    runs=(Run(),))

SKIP_ON_ERROR_LONG_REPRS = Scenario(
    name="skip_on_error_long_reprs",
    behaviour="skip_on_error on and two Firehose objects that are not UTF-8 (a binary blob, and a long JSON line "
              "with one bad byte at its end): the module sends one error_msg event per object, whole",
    bucket="golden-long-reprs", bucket_type="custom", skip_on_error=True,
    options=(("path", "firehose"), ("only_logs_after", ONLY_LOGS_AFTER)),
    objects=((firehose_key(DAY1, 1, "a"), firehose_body(DAY1, 1)),
             (firehose_key(DAY2, 1, "b"), b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40),
             (firehose_key(DAY2, 2, "c"), b'{"note": "' + b"x" * 5000 + b'\xff"}'),
             (firehose_key(DAY3, 1, "d"), firehose_body(DAY3, 1))),
    runs=(Run(),))

SCENARIOS = (STOP_MID_WALK, STOP_MID_WALK_PARSE, REMOVE_DENIED, SKIP_OFF_BROKEN, CONFIG_NO_DATE,
             GUARDDUTY_REGIONS, DISCARD_NON_STRING, KEYS_BEFORE_MARKER, BAD_BUCKET_NAME,
             ROLE_NOT_ASSUMABLE, PROFILE_CONFIG_ONLY, DEBUG_PREAMBLE, DEBUG_PREAMBLE_RETRIES,
             PATH_SUFFIX_BESIDE, SKIP_ON_ERROR_LONG_REPRS)
BY_NAME = {scenario.name: scenario for scenario in SCENARIOS}


# -- variations of the behaviours above, on other bucket types, accounts, regions and positions ---------------

OTHER_ACCOUNT = "444455556666"
FULL_S3_POLICY = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["s3:*", "sts:GetCallerIdentity", "iam:*"], "Resource": "*"}]}
"""A reader that may also delete (remove_from_bucket succeeds)."""


def alb_key(day: str, index: int, region: str = "us-east-1") -> str:
    year, month, dom = day.split("/")
    return (f"AWSLogs/{ACCOUNT}/elasticloadbalancing/{region}/{day}/{ACCOUNT}_elasticloadbalancing_{region}_"
            f"app.web-alb.50dc6c495c0c9188_{year}{month}{dom}T{index:02d}15Z_203.0.113.20_2xq9a8b{index}.log.gz")


def alb_body(day: str, index: int) -> bytes:
    stamp = day.replace("/", "-")
    return gz("".join(
        f'https {stamp}T{index:02d}:15:0{n}.123456Z app/web-alb/50dc6c495c0c9188 203.0.113.{10 + n}:4982{n} '
        f'10.0.1.25:80 0.001 0.012 0.000 200 200 431 5123 "GET https://shop.example.com:443/p{n} HTTP/1.1" '
        f'"curl/8.5.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:'
        f'targetgroup/web-tg/73e2d6bc24d8a067 "Root=1-{index}-{n}" "shop.example.com" "-" 0 '
        f'{stamp}T{index:02d}:15:00.000000Z "forward" "-" "-" "10.0.1.25:80" "200" "-" "-" TID_{index}{n}\n'
        for n in range(2)))


def server_access_key(day: str, index: int, path: str = "s3-access/") -> str:
    return f"{path}{day.replace('/', '-')}-{index:02d}-15-00-6E8D2F1C3B4A59{index:02d}"


def server_access_body(day: str, index: int) -> bytes:
    stamp = {"2026/11/02": "02/Nov/2026", "2026/11/03": "03/Nov/2026", "2026/11/04": "04/Nov/2026",
             "2026/11/05": "05/Nov/2026"}[day]
    return "".join(
        f'7009a8971cd538e11f6b6606438875e7 acme-assets [{stamp}:{index:02d}:15:0{n} +0000] 198.51.100.{n} - '
        f'3E57427F3EXAMPLE{n} REST.GET.OBJECT f{index}-{n}.txt "GET /f{index}-{n}.txt HTTP/1.1" 200 - 243 243 9 - '
        f'"-" "curl/8.5.0" - Ks3pW0mLXa0= SigV4 TLS_AES_128_GCM_SHA256 - acme-assets.s3.us-east-1.amazonaws.com '
        f"TLSv1.3 - -\n" for n in range(2)).encode()


def waf_key(day: str, hour: int, name: str) -> str:
    stamp = day.replace("/", "-")
    return f"waf/{day}/{hour:02d}/aws-waf-logs-shop-1-{stamp}-{hour:02d}-00-00-{name}.gz"


def waf_body(day: str, hour: int, count: int = 2) -> bytes:
    return gz("".join(json.dumps({"timestamp": 1_790_000_000_000 + hour * 1000 + n, "formatVersion": 1,
                                  "webaclId": f"acl-{day}-{hour}-{n}", "action": "ALLOW",
                                  "httpRequest": {"clientIp": "198.51.100.7", "country": "DE",
                                                  "headers": [{"name": "Host", "value": "shop.example.com"}],
                                                  "uri": f"/p{n}", "httpMethod": "GET",
                                                  "requestId": f"req-{day}-{hour}-{n}"}}) + "\n"
                      for n in range(count)))


VAR_REMOVE_DENIED_CONFIG = Scenario(
    name="var_remove_denied_config",
    behaviour="remove_from_bucket without delete permission on a Config bucket in two regions: the first file's "
              "events are sent, the delete is denied, exit 1, nothing committed",
    bucket="var-remove-config", bucket_type="config",
    options=(("only_logs_after", ONLY_LOGS_AFTER), ("remove_from_bucket", "yes")),
    objects=((config_key((2026, 11, 2), 1), config_body(1)),
             (config_key((2026, 11, 3), 2, "eu-west-1"), config_body(2))),
    runs=(Run(), Run(debug=0)), policy=READER_POLICY)

VAR_REMOVE_DENIED_FIREHOSE = Scenario(
    name="var_remove_denied_firehose",
    behaviour="remove_from_bucket without delete permission on a Firehose custom bucket at debug 1: exit 1 "
              "after the first file's events",
    bucket="var-remove-firehose", bucket_type="custom",
    options=(("path", "firehose"), ("only_logs_after", ONLY_LOGS_AFTER), ("remove_from_bucket", "yes")),
    objects=((firehose_key(DAY1, 1, "a"), firehose_body(DAY1, 1)),
             (firehose_key(DAY2, 1, "b"), firehose_body(DAY2, 1))),
    runs=(Run(debug=1),), policy=READER_POLICY)

VAR_REMOVE_ALLOWED = Scenario(
    name="var_remove_allowed",
    behaviour="remove_from_bucket with delete permission: every file is read and deleted, exit 0",
    bucket="var-remove-allowed", bucket_type="cloudtrail",
    options=(("only_logs_after", ONLY_LOGS_AFTER), ("remove_from_bucket", "yes")),
    objects=((trail_key(DAY1, 1), trail_body(DAY1, 1)), (trail_key(DAY2, 2), trail_body(DAY2, 2))),
    runs=(Run(),), policy=FULL_S3_POLICY)

VAR_STOP_FIRST_GZIP = Scenario(
    name="var_stop_first_gzip_two_regions",
    behaviour="CloudTrail in two regions, the very first file a broken gzip: exit 8 before any event",
    bucket="var-stop-first", bucket_type="cloudtrail",
    objects=((trail_key(DAY1, 1, "ap-south-1"), b"\x1f\x8bbroken"),
             (trail_key(DAY2, 2, "ap-south-1"), trail_body(DAY2, 2)),
             (trail_key(DAY1, 3), trail_body(DAY1, 3))),
    runs=(Run(), Run(debug=1)))

VAR_STOP_LAST_ALB = Scenario(
    name="var_stop_last_alb",
    behaviour="an ALB bucket whose last file is a broken gzip: two files' events sent, then exit 8",
    bucket="var-stop-alb", bucket_type="alb",
    objects=((alb_key(DAY1, 1), alb_body(DAY1, 1)), (alb_key(DAY2, 2), alb_body(DAY2, 2)),
             (alb_key(DAY3, 3), b"\x1f\x8bnot gzip")),
    runs=(Run(), Run()))

VAR_STOP_CONFIG_JSON = Scenario(
    name="var_stop_config_bad_json",
    behaviour="a Config bucket whose middle file is gzip but not JSON: exit 9 after the first file",
    bucket="var-stop-config", bucket_type="config",
    objects=((config_key((2026, 11, 2), 1), config_body(1)), (config_key((2026, 11, 3), 2), gz("{nope")),
             (config_key((2026, 11, 4), 3), config_body(3))),
    runs=(Run(), Run()))

VAR_CONFIG_README_DEEP = Scenario(
    name="var_config_readme_in_year",
    behaviour="a Config key in a year folder without month and day (a README) breaks the date sort: exit 7",
    bucket="var-config-readme", bucket_type="config",
    objects=((config_key((2026, 11, 2), 1), config_body(1)),
             (f"AWSLogs/{ACCOUNT}/Config/us-east-1/2026/README.txt", b"notes")),
    runs=(Run(),))

VAR_CONFIG_NODATE_OTHER_REGION = Scenario(
    name="var_config_nodate_unlisted_region",
    behaviour="a Config key without a date folder in a region the block does not list: the module never lists "
              "it, exit 0",
    bucket="var-config-regions", bucket_type="config",
    options=(("only_logs_after", ONLY_LOGS_AFTER), ("regions", "eu-west-1")),
    objects=((config_key((2026, 11, 2), 1, "eu-west-1"), config_body(1)),
             (f"AWSLogs/{ACCOUNT}/Config/us-east-1/ConfigWritabilityCheckFile", b"")),
    runs=(Run(),))

VAR_GUARDDUTY_TWO_ACCOUNTS = Scenario(
    name="var_guardduty_two_accounts",
    behaviour="native GuardDuty for two accounts and two regions: on the second run, new files sorting after "
              "each account's marker are read and those before it are not",
    bucket="var-guardduty-accounts", bucket_type="guardduty",
    objects=((guardduty_key("eu-west-1", DAY1, "gd-a-eu"), guardduty_body("eu-west-1", "a-eu")),
             (guardduty_key("us-east-1", DAY1, "gd-a-us"), guardduty_body("us-east-1", "a-us")),
             (guardduty_key("eu-west-1", DAY2, "gd-b-eu", OTHER_ACCOUNT), guardduty_body("eu-west-1", "b-eu"))),
    runs=(Run(), Run(objects=(
        (guardduty_key("eu-west-1", DAY3, "gd-a-eu2"), guardduty_body("eu-west-1", "a-eu2")),
        (guardduty_key("us-west-2", DAY3, "gd-a-usw2"), guardduty_body("us-west-2", "a-usw2")),
        (guardduty_key("eu-west-1", DAY3, "gd-b-eu2", OTHER_ACCOUNT), guardduty_body("eu-west-1", "b-eu2"))))))

VAR_GUARDDUTY_REGIONS_OPTION = Scenario(
    name="var_guardduty_regions_option",
    behaviour="native GuardDuty with <regions> naming two of three regions: the third is never read; a new "
              "file in the first region on the second run sorts before the marker",
    bucket="var-guardduty-regions", bucket_type="guardduty",
    options=(("only_logs_after", ONLY_LOGS_AFTER), ("regions", "us-east-1,ap-south-1")),
    objects=((guardduty_key("ap-south-1", DAY1, "gd-ap"), guardduty_body("ap-south-1", "ap")),
             (guardduty_key("eu-west-1", DAY1, "gd-eu"), guardduty_body("eu-west-1", "eu")),
             (guardduty_key("us-east-1", DAY2, "gd-us"), guardduty_body("us-east-1", "us"))),
    runs=(Run(), Run(objects=((guardduty_key("ap-south-1", DAY3, "gd-ap2"), guardduty_body("ap-south-1", "ap2")),))))

VAR_SUFFIX_SLASH = Scenario(
    name="var_path_suffix_trailing_slash",
    behaviour="path_suffix with a trailing slash beside an unsuffixed layout",
    bucket="var-suffix-slash", bucket_type="cloudtrail",
    options=(("path_suffix", "sfx/"), ("only_logs_after", ONLY_LOGS_AFTER)),
    objects=((trail_key(DAY1, 1), trail_body(DAY1, 1)),
             ("AWSLogs/sfx/" + trail_key(DAY2, 5)[len("AWSLogs/"):], trail_body(DAY2, 5))),
    runs=(Run(),))

VAR_SUFFIX_WITH_PATH = Scenario(
    name="var_path_and_suffix_only_unsuffixed",
    behaviour="path and path_suffix set while only the unsuffixed layout exists under the path: nothing is read",
    bucket="var-suffix-path", bucket_type="cloudtrail",
    options=(("path", "org1"), ("path_suffix", "o-abc123"), ("only_logs_after", ONLY_LOGS_AFTER)),
    objects=(("org1/" + trail_key(DAY1, 1), trail_body(DAY1, 1)),
             ("org1/" + trail_key(DAY2, 2), trail_body(DAY2, 2))),
    runs=(Run(),))

VAR_SUFFIX_ORG = Scenario(
    name="var_path_suffix_org_layout",
    behaviour="path_suffix naming an organization id with two accounts under it: both are read",
    bucket="var-suffix-org", bucket_type="cloudtrail",
    options=(("path_suffix", "o-abc123"), ("only_logs_after", ONLY_LOGS_AFTER)),
    objects=(("AWSLogs/o-abc123/" + trail_key(DAY1, 1)[len("AWSLogs/"):], trail_body(DAY1, 1)),
             ("AWSLogs/o-abc123/" + trail_key(DAY2, 2, account=OTHER_ACCOUNT)[len("AWSLogs/"):],
              trail_body(DAY2, 2))),
    runs=(Run(),))

VAR_BAD_NAME_CONFIG = Scenario(
    name="var_preflight_bad_name_debug0",
    behaviour="a bucket name with a dot at its end on a Config block at debug 0: exit 2",
    bucket="var-bad-name.", bucket_type="config",
    args_override=("--bucket", "var-bad-name.", "--only_logs_after", ONLY_LOGS_AFTER, "--service_endpoint",
                   "{endpoint}", "--type", "config"), runs=(Run(debug=0),))

VAR_ROLE_DENIED_CONFIG = Scenario(
    name="var_preflight_role_denied_config",
    behaviour="a Config block with an iam_role_arn the credentials may not assume, at debug 1: exit 3",
    bucket="var-role-config", bucket_type="config",
    options=(("iam_role_arn", f"arn:aws:iam::{CALLER_ACCOUNT}:role/var-missing"),
             ("only_logs_after", ONLY_LOGS_AFTER)),
    objects=((config_key((2026, 11, 2), 1), config_body(1)),), runs=(Run(debug=1),),
    policy=READER_POLICY)

VAR_PROFILE_MISSING = Scenario(
    name="var_preflight_profile_missing",
    behaviour="an aws_profile that exists nowhere: the module's exit at debug 2 and at debug 0",
    bucket="var-profile-missing", bucket_type="cloudtrail",
    options=(("aws_profile", "nowhere"), ("only_logs_after", ONLY_LOGS_AFTER)),
    objects=((trail_key(DAY1, 1), trail_body(DAY1, 1)),), runs=(Run(debug=2), Run(debug=0)),
    aws_config="[default]\nregion = us-east-1\n")

VAR_NO_SUCH_BUCKET = Scenario(
    name="var_preflight_no_such_bucket",
    behaviour="a bucket that does not exist: the module's exit before any event",
    bucket="var-missing-bucket", bucket_type="cloudtrail",
    args_override=("--bucket", "var-missing-bucket", "--only_logs_after", ONLY_LOGS_AFTER, "--service_endpoint",
                   "{endpoint}", "--type", "cloudtrail", "--debug", "2"))

VAR_PREAMBLE_PROFILE = Scenario(
    name="var_preamble_named_profile_retries",
    behaviour="the script's preamble at debug 1 for a named profile with only retry_mode set",
    bucket="var-preamble-profile", bucket_type="config",
    options=(("aws_profile", "logs"), ("only_logs_after", ONLY_LOGS_AFTER)),
    objects=((config_key((2026, 11, 2), 1), config_body(1)),), runs=(Run(debug=1), Run(debug=2)),
    aws_config="[default]\nregion = us-east-1\n\n[profile logs]\nregion = eu-west-1\nretry_mode = standard\n")

VAR_PREAMBLE_NO_REGION = Scenario(
    name="var_preamble_profile_without_region",
    behaviour="the script's preamble when the default profile has max_attempts but no region",
    bucket="var-preamble-noregion", bucket_type="guardduty",
    objects=((guardduty_key("us-east-1", DAY1, "gd-1"), guardduty_body("us-east-1", "1")),), runs=(Run(debug=3),),
    aws_config="[default]\nmax_attempts = 7\n")

VAR_DISCARD_BOOL = Scenario(
    name="var_discard_regex_bool",
    behaviour="discard_regex on a boolean field",
    bucket="var-discard-bool", bucket_type="cloudtrail",
    options=(("only_logs_after", ONLY_LOGS_AFTER), ("discard_regex@readOnly", "True")),
    objects=((trail_key(DAY1, 1), trail_body(DAY1, 1, readOnly=True)),
             (trail_key(DAY2, 2), trail_body(DAY2, 2, readOnly=False))),
    runs=(Run(),))

VAR_DISCARD_OBJECT = Scenario(
    name="var_discard_regex_object",
    behaviour="discard_regex on a field holding an object",
    bucket="var-discard-object", bucket_type="cloudtrail",
    options=(("only_logs_after", ONLY_LOGS_AFTER), ("discard_regex@userIdentity", ".*")),
    objects=((trail_key(DAY1, 1), trail_body(DAY1, 1, userIdentity={"type": "Root", "accountId": ACCOUNT})),),
    runs=(Run(),))

VAR_DISCARD_LIST = Scenario(
    name="var_discard_regex_list_guardduty",
    behaviour="discard_regex on a GuardDuty field holding a list, and on a nested string that matches",
    bucket="var-discard-list", bucket_type="guardduty",
    options=(("only_logs_after", ONLY_LOGS_AFTER), ("discard_regex@service.tags", "prod")),
    objects=((guardduty_key("us-east-1", DAY1, "gd-list"),
              gz(json.dumps({"schemaVersion": "2.0", "accountId": ACCOUNT, "region": "us-east-1", "id": "l1",
                             "type": "Recon", "severity": 2, "service": {"serviceName": "guardduty",
                                                                          "tags": ["prod", "x"]}}) + "\n"
                 + json.dumps({"schemaVersion": "2.0", "accountId": ACCOUNT, "region": "us-east-1", "id": "l2",
                               "type": "Recon", "severity": 2, "service": {"serviceName": "guardduty",
                                                                            "tags": "prod"}}) + "\n")),),
    runs=(Run(),))

VAR_DISCARD_NUMBER_FIREHOSE = Scenario(
    name="var_discard_regex_number_custom",
    behaviour="discard_regex on a number in a Firehose custom bucket, and on a string with the same digits",
    bucket="var-discard-custom", bucket_type="custom",
    options=(("path", "firehose"), ("only_logs_after", ONLY_LOGS_AFTER), ("discard_regex@detail.count", "7")),
    objects=((firehose_key(DAY1, 1, "a"), json.dumps({"version": "0", "id": "n1", "detail-type": "x",
                                                        "source": "aws.macie", "account": CALLER_ACCOUNT,
                                                        "time": "2026-11-02T00:00:00Z", "region": "us-east-1",
                                                        "detail": {"id": "n1", "count": 7}}).encode()
              + json.dumps({"version": "0", "id": "n2", "detail-type": "x", "source": "aws.macie",
                            "account": CALLER_ACCOUNT, "time": "2026-11-02T00:00:00Z", "region": "us-east-1",
                            "detail": {"id": "n2", "count": "7"}}).encode()),),
    runs=(Run(),))

VAR_SKIP_OFF_FIRST = Scenario(
    name="var_skip_off_broken_first_cloudtrail",
    behaviour="skip_on_error off and a CloudTrail object that is not gzip first: exit 8 before any event",
    bucket="var-skip-first", bucket_type="cloudtrail",
    objects=((trail_key(DAY1, 1), gz("{not json")), (trail_key(DAY2, 2), trail_body(DAY2, 2))),
    runs=(Run(),))

VAR_SKIP_OFF_WAF_LAST = Scenario(
    name="var_skip_off_broken_last_waf",
    behaviour="skip_on_error off and a WAF object whose last line is not JSON, last in the walk",
    bucket="var-skip-waf", bucket_type="waf",
    options=(("path", "waf"), ("only_logs_after", ONLY_LOGS_AFTER)),
    objects=((waf_key(DAY1, 1, "a"), waf_body(DAY1, 1)),
             (waf_key(DAY2, 1, "b"), gz('{"timestamp": 1, "httpRequest": {}}\n{broken\n'))),
    runs=(Run(),))

VAR_SKIP_ON_GUARDDUTY = Scenario(
    name="var_skip_on_broken_middle_guardduty",
    behaviour="skip_on_error on and a GuardDuty object that is not gzip in the middle: the walk goes on",
    bucket="var-skip-on-gd", bucket_type="guardduty", skip_on_error=True,
    objects=((guardduty_key("us-east-1", DAY1, "gd-1"), guardduty_body("us-east-1", "1")),
             (guardduty_key("us-east-1", DAY2, "gd-2"), b"\x1f\x8bbroken"),
             (guardduty_key("us-east-1", DAY3, "gd-3"), guardduty_body("us-east-1", "3"))),
    runs=(Run(), Run()))

VAR_KEYS_SERVER_ACCESS = Scenario(
    name="var_keys_server_access_marker",
    behaviour="server access logs: a key before only_logs_after, then a late key before the marker on the "
              "second run",
    bucket="var-keys-sal", bucket_type="server_access",
    options=(("path", "s3-access"), ("only_logs_after", ONLY_LOGS_AFTER)),
    objects=((server_access_key("2026/10/30".replace("10/30", "10/30"), 1), b"old"),
             (server_access_key(DAY1, 1), server_access_body(DAY1, 1)),
             (server_access_key(DAY3, 3), server_access_body(DAY3, 3))),
    runs=(Run(), Run(objects=((server_access_key(DAY2, 2), server_access_body(DAY2, 2)),
                              (server_access_key(DAY4, 4), server_access_body(DAY4, 4))))))

VAR_KEYS_TWO_REGIONS = Scenario(
    name="var_keys_cloudtrail_two_regions",
    behaviour="CloudTrail in two regions: old keys and late uploads before each region's marker are passed "
              "over on the second run, new ones read",
    bucket="var-keys-regions", bucket_type="cloudtrail",
    objects=((trail_key("2026/10/31", 1), trail_body("2026/10/31", 1)),
             (trail_key(DAY2, 2), trail_body(DAY2, 2)),
             (trail_key(DAY2, 3, "eu-west-1"), trail_body(DAY2, 3))),
    runs=(Run(), Run(objects=((trail_key(DAY1, 4), trail_body(DAY1, 4)),
                              (trail_key(DAY1, 5, "eu-west-1"), trail_body(DAY1, 5)),
                              (trail_key(DAY3, 6, "eu-west-1"), trail_body(DAY3, 6))))))

VAR_KEYS_NO_ONLY_LOGS_AFTER = Scenario(
    name="var_keys_without_only_logs_after",
    behaviour="no only_logs_after: the first run starts today and passes over every older key",
    bucket="var-keys-today", bucket_type="cloudtrail", options=(),
    objects=((trail_key(DAY1, 1), trail_body(DAY1, 1)), (trail_key(DAY2, 2), trail_body(DAY2, 2))),
    runs=(Run(),))

VAR_REMOVE_DENIED_BROKEN_FIRST = Scenario(
    name="var_remove_denied_broken_first_skip_on",
    behaviour="remove_from_bucket without delete permission, skip_on_error on and a broken first file",
    bucket="var-remove-broken", bucket_type="cloudtrail", skip_on_error=True,
    options=(("only_logs_after", ONLY_LOGS_AFTER), ("remove_from_bucket", "yes")),
    objects=((trail_key(DAY1, 1), b"\x1f\x8bnot really gzip"), (trail_key(DAY2, 2), trail_body(DAY2, 2))),
    runs=(Run(),), policy=READER_POLICY)

VAR_LIST_DENIED = Scenario(
    name="var_preflight_list_denied",
    behaviour="credentials that may read objects but not list the bucket",
    bucket="var-list-denied", bucket_type="cloudtrail",
    objects=((trail_key(DAY1, 1), trail_body(DAY1, 1)),), runs=(Run(), Run(debug=0)),
    policy={"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:GetObject", "sts:GetCallerIdentity", "iam:*"], "Resource": "*"}]})

VAR_GET_DENIED = Scenario(
    name="var_get_object_denied",
    behaviour="credentials that may list the bucket but not read its objects",
    bucket="var-get-denied", bucket_type="cloudtrail",
    objects=((trail_key(DAY1, 1), trail_body(DAY1, 1)), (trail_key(DAY2, 2), trail_body(DAY2, 2))),
    runs=(Run(),),
    policy={"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetBucketLocation", "sts:GetCallerIdentity", "iam:*"],
         "Resource": "*"}]})

VAR_TRAIL_README_IN_REGION = Scenario(
    name="var_cloudtrail_readme_in_region",
    behaviour="a CloudTrail key without a date folder inside a region prefix",
    bucket="var-trail-readme", bucket_type="cloudtrail",
    objects=((trail_key(DAY1, 1), trail_body(DAY1, 1)),
             (f"AWSLogs/{ACCOUNT}/CloudTrail/us-east-1/README.txt", b"notes"),
             (trail_key(DAY2, 2), trail_body(DAY2, 2))),
    runs=(Run(),))

VAR_DISCARD_PREFIX_MATCH = Scenario(
    name="var_discard_regex_not_anchored",
    behaviour="discard_regex matching the middle of a string field and the start of another",
    bucket="var-discard-middle", bucket_type="cloudtrail",
    options=(("only_logs_after", ONLY_LOGS_AFTER), ("discard_regex@eventName", "Object")),
    objects=((trail_key(DAY1, 1), trail_body(DAY1, 1)),
             (trail_key(DAY2, 2), trail_body(DAY2, 2, eventName="ObjectLockCheck"))),
    runs=(Run(),))

VAR_DISCARD_LIST_ITEM = Scenario(
    name="var_discard_regex_through_list",
    behaviour="discard_regex on a dotted path through a one-element list, a missing field, and a string "
              "requestParameters",
    bucket="var-discard-through", bucket_type="cloudtrail",
    options=(("only_logs_after", ONLY_LOGS_AFTER), ("discard_regex@resources.type", "AWS::S3")),
    objects=((trail_key(DAY1, 1), trail_body(DAY1, 1, resources=[{"type": "AWS::S3::Object", "ARN": "x"}])),
             (trail_key(DAY2, 2), trail_body(DAY2, 2, requestParameters="plain")),
             (trail_key(DAY3, 3), trail_body(DAY3, 3, resources={"type": "AWS::S3::Bucket"}))),
    runs=(Run(),))

VAR_SERVER_ACCESS_BINARY = Scenario(
    name="var_server_access_binary_middle",
    behaviour="server access logs with a non-UTF-8 object in the middle and skip_on_error off",
    bucket="var-sal-binary", bucket_type="server_access",
    options=(("path", "s3-access/"), ("only_logs_after", ONLY_LOGS_AFTER)),
    objects=((server_access_key(DAY1, 1), server_access_body(DAY1, 1)),
             (server_access_key(DAY2, 2), b"\xff\xfe binary \x00\x01"),
             (server_access_key(DAY3, 3), server_access_body(DAY3, 3))),
    runs=(Run(), Run(debug=0)))

VAR_CLB_PLAIN = Scenario(
    name="var_clb_broken_line_skip_on",
    behaviour="a Classic Load Balancer bucket (plain .log) with a short row, skip_on_error on",
    bucket="var-clb", bucket_type="alb", skip_on_error=True,
    objects=((alb_key(DAY1, 1), alb_body(DAY1, 1)),
             (alb_key(DAY2, 2), gz("https 2026-11-03T02:15:00Z app/web short\n")),
             (alb_key(DAY3, 3), alb_body(DAY3, 3))),
    runs=(Run(),))

VAR_ACCOUNT_FILTER = Scenario(
    name="var_cloudtrail_account_and_region_filter",
    behaviour="aws_account_id and regions filters over two accounts and three regions, second run",
    bucket="var-filters", bucket_type="cloudtrail",
    options=(("aws_account_id", OTHER_ACCOUNT), ("only_logs_after", ONLY_LOGS_AFTER),
             ("regions", "eu-west-1,us-east-1")),
    objects=((trail_key(DAY1, 1, account=OTHER_ACCOUNT), trail_body(DAY1, 1)),
             (trail_key(DAY1, 2, "eu-west-1", OTHER_ACCOUNT), trail_body(DAY1, 2)),
             (trail_key(DAY1, 3, "ap-south-1", OTHER_ACCOUNT), trail_body(DAY1, 3)),
             (trail_key(DAY1, 4), trail_body(DAY1, 4))),
    runs=(Run(), Run(objects=((trail_key(DAY2, 5, "eu-west-1", OTHER_ACCOUNT), trail_body(DAY2, 5)),))))

VAR_CUSTOM_PATH_SLASH = Scenario(
    name="var_custom_path_trailing_slash_second_run",
    behaviour="a Firehose custom bucket with path ending in a slash; the second run reads only the new file",
    bucket="var-custom-slash", bucket_type="custom",
    options=(("path", "firehose/"), ("only_logs_after", ONLY_LOGS_AFTER)),
    objects=((firehose_key(DAY1, 1, "a"), firehose_body(DAY1, 1)),
             (firehose_key(DAY2, 1, "b"), firehose_body(DAY2, 1))),
    runs=(Run(), Run(objects=((firehose_key(DAY1, 2, "late"), firehose_body(DAY1, 2)),
                              (firehose_key(DAY3, 1, "c"), firehose_body(DAY3, 1))))))

VAR_GUARDDUTY_FIREHOSE = Scenario(
    name="var_guardduty_firehose_skip_off",
    behaviour="GuardDuty through Firehose (path, no AWSLogs) with a broken middle object, skip_on_error off",
    bucket="var-gd-firehose", bucket_type="guardduty",
    options=(("path", "firehose"), ("only_logs_after", ONLY_LOGS_AFTER)),
    objects=((firehose_key(DAY1, 1, "a"), json.dumps({"version": "0", "id": "e1", "detail-type": "GuardDuty Finding",
                                                     "source": "aws.guardduty", "account": ACCOUNT,
                                                     "region": "us-east-1", "detail": {
                                                         "id": "gdf-1", "type": "Recon", "severity": 2,
                                                         "service": {"serviceName": "guardduty"}}}).encode()),
             (firehose_key(DAY2, 1, "b"), b"{broken"),
             (firehose_key(DAY3, 1, "c"), b"{}")),
    runs=(Run(),))

VAR_BAD_REGION = Scenario(
    name="var_preflight_bad_region",
    behaviour="a regions entry that is not a region",
    bucket="var-bad-region", bucket_type="cloudtrail",
    options=(("only_logs_after", ONLY_LOGS_AFTER), ("regions", "us-east-1,moon-1")),
    objects=((trail_key(DAY1, 1), trail_body(DAY1, 1)),), runs=(Run(),))

VAR_REMOVE_ALLOWED_THEN_BROKEN = Scenario(
    name="var_remove_allowed_then_broken",
    behaviour="remove_from_bucket with delete permission and a broken second file: the first is deleted "
              "before the run stops with exit 8, so the second run no longer finds it",
    bucket="var-remove-then-broken", bucket_type="cloudtrail",
    options=(("only_logs_after", ONLY_LOGS_AFTER), ("remove_from_bucket", "yes")),
    objects=((trail_key(DAY1, 1), trail_body(DAY1, 1)), (trail_key(DAY2, 2), b"\x1f\x8bnot really gzip")),
    runs=(Run(), Run()), policy=FULL_S3_POLICY)

VAR_REMOVE_DENIED_GUARDDUTY = Scenario(
    name="var_remove_denied_guardduty_debug0",
    behaviour="remove_from_bucket without delete permission on native GuardDuty at debug 0",
    bucket="var-remove-gd", bucket_type="guardduty",
    options=(("only_logs_after", ONLY_LOGS_AFTER), ("remove_from_bucket", "yes")),
    objects=((guardduty_key("us-east-1", DAY1, "gd-1"), guardduty_body("us-east-1", "1")),
             (guardduty_key("us-east-1", DAY2, "gd-2"), guardduty_body("us-east-1", "2"))),
    runs=(Run(debug=0),), policy=READER_POLICY)

VAR_SKIP_ON_CONFIG_JSON = Scenario(
    name="var_skip_on_config_bad_json",
    behaviour="skip_on_error on and a Config file that is gzip but not JSON: an error event, the walk goes on",
    bucket="var-skip-on-config", bucket_type="config", skip_on_error=True,
    objects=((config_key((2026, 11, 2), 1), config_body(1)), (config_key((2026, 11, 3), 2), gz("{nope")),
             (config_key((2026, 11, 4), 3), config_body(3))),
    runs=(Run(), Run()))

VAR_EMPTY_OBJECT_TRAIL = Scenario(
    name="var_cloudtrail_empty_object_middle",
    behaviour="an empty .json.gz object among CloudTrail files",
    bucket="var-trail-empty", bucket_type="cloudtrail",
    objects=((trail_key(DAY1, 1), trail_body(DAY1, 1)), (trail_key(DAY2, 2), b""),
             (trail_key(DAY3, 3), trail_body(DAY3, 3))),
    runs=(Run(),))

VAR_PLAIN_JSON_TRAIL = Scenario(
    name="var_cloudtrail_uncompressed_json",
    behaviour="CloudTrail objects written as plain .json (no gzip) beside gzip ones",
    bucket="var-trail-plain", bucket_type="cloudtrail",
    objects=((trail_key(DAY1, 1), trail_body(DAY1, 1)),
             (trail_key(DAY2, 2).replace(".json.gz", ".json"),
              json.dumps({"Records": trail_records(DAY2, 2)}).encode())),
    runs=(Run(),))

VAR_FUTURE_ONLY_LOGS_AFTER = Scenario(
    name="var_only_logs_after_in_the_future",
    behaviour="only_logs_after after every key: nothing is read",
    bucket="var-future", bucket_type="config",
    options=(("only_logs_after", "2027-JAN-01"),),
    objects=((config_key((2026, 11, 2), 1), config_body(1)),), runs=(Run(),))

VAR_ACCOUNTS_ONE_MISSING = Scenario(
    name="var_account_ids_one_missing",
    behaviour="aws_account_id naming two accounts, one with no folder in the bucket; a new account on the "
              "second run is not in the list",
    bucket="var-accounts", bucket_type="cloudtrail",
    options=(("aws_account_id", f"{ACCOUNT},999988887777"), ("only_logs_after", ONLY_LOGS_AFTER)),
    objects=((trail_key(DAY1, 1), trail_body(DAY1, 1)),),
    runs=(Run(), Run(objects=((trail_key(DAY2, 2, account=OTHER_ACCOUNT), trail_body(DAY2, 2)),
                              (trail_key(DAY2, 3), trail_body(DAY2, 3))))))

VAR_SERVER_ACCESS_ODD_KEY = Scenario(
    name="var_server_access_undated_key",
    behaviour="server access logs with a key whose name has no date beside dated ones",
    bucket="var-sal-odd", bucket_type="server_access",
    options=(("path", "s3-access"), ("only_logs_after", ONLY_LOGS_AFTER)),
    objects=((server_access_key(DAY1, 1), server_access_body(DAY1, 1)), ("s3-access/README", b"notes\n"),
             (server_access_key(DAY2, 2), server_access_body(DAY2, 2))),
    runs=(Run(),))

VAR_CUSTOM_NO_PATH = Scenario(
    name="var_custom_no_path_root_keys",
    behaviour="a custom bucket without path whose Firehose keys sit at the root, one of them not JSON, debug 1",
    bucket="var-custom-root", bucket_type="custom",
    objects=(("2026/11/02/01/stream-a", firehose_body(DAY1, 1)), ("2026/11/03/01/stream-b", b"not json"),
             ("2026/11/04/01/stream-c", firehose_body(DAY3, 1))),
    runs=(Run(debug=1),))

VAR_KEYS_NEW_ACCOUNT = Scenario(
    name="var_keys_new_account_second_run",
    behaviour="CloudTrail: on the second run a new account appears (no marker yet: read from only_logs_after) "
              "and a late file lands behind the first account's marker",
    bucket="var-keys-account", bucket_type="cloudtrail",
    objects=((trail_key(DAY2, 1), trail_body(DAY2, 1)),),
    runs=(Run(), Run(debug=3, objects=((trail_key(DAY1, 2, account=OTHER_ACCOUNT), trail_body(DAY1, 2)),
                                       (trail_key(DAY1, 3), trail_body(DAY1, 3))))))

VAR_DISCARD_ALL = Scenario(
    name="var_discard_regex_multi_item_list",
    behaviour="discard_regex through a list of two objects, and matching a whole nested string",
    bucket="var-discard-multi", bucket_type="cloudtrail",
    options=(("only_logs_after", ONLY_LOGS_AFTER), ("discard_regex@resources.ARN", "arn:aws:s3:::x")),
    objects=((trail_key(DAY1, 1), trail_body(DAY1, 1, resources=[{"ARN": "arn:aws:s3:::x"},
                                                                  {"ARN": "arn:aws:s3:::y"}])),
             (trail_key(DAY2, 2), trail_body(DAY2, 2, resources=[{"ARN": "arn:aws:s3:::x"}]))),
    runs=(Run(),))

VAR_GUARDDUTY_BROKEN_FIRST_REGION = Scenario(
    name="var_guardduty_broken_first_region",
    behaviour="native GuardDuty: a broken object in the first region stops the run before the second region",
    bucket="var-gd-broken", bucket_type="guardduty",
    objects=((guardduty_key("ap-south-1", DAY1, "gd-ap"), gz("{broken\n")),
             (guardduty_key("us-east-1", DAY1, "gd-us"), guardduty_body("us-east-1", "us"))),
    runs=(Run(), Run()))

VAR_CONFIG_EMPTY_SECOND_REGION = Scenario(
    name="var_config_empty_object_second_region",
    behaviour="Config in two regions with an empty .json.gz in the second",
    bucket="var-config-empty", bucket_type="config",
    objects=((config_key((2026, 11, 2), 1, "eu-west-1"), config_body(1)),
             (config_key((2026, 11, 3), 2), b""), (config_key((2026, 11, 4), 3), config_body(3))),
    runs=(Run(),))

VAR_TRAIL_PATH_TWO_ACCOUNTS_BROKEN_LAST = Scenario(
    name="var_cloudtrail_path_two_accounts_broken_last",
    behaviour="CloudTrail under a path with two accounts; the last file of the second account is not JSON",
    bucket="var-trail-path", bucket_type="cloudtrail",
    options=(("path", "trails"), ("only_logs_after", ONLY_LOGS_AFTER)),
    objects=(("trails/" + trail_key(DAY1, 1), trail_body(DAY1, 1)),
             ("trails/" + trail_key(DAY1, 2, account=OTHER_ACCOUNT), trail_body(DAY1, 2)),
             ("trails/" + trail_key(DAY2, 3, account=OTHER_ACCOUNT), gz("[1, 2"))),
    runs=(Run(), Run(debug=1)))

VARIATIONS = (VAR_REMOVE_DENIED_CONFIG, VAR_REMOVE_DENIED_FIREHOSE, VAR_REMOVE_ALLOWED, VAR_STOP_FIRST_GZIP,
              VAR_STOP_LAST_ALB, VAR_STOP_CONFIG_JSON, VAR_CONFIG_README_DEEP, VAR_CONFIG_NODATE_OTHER_REGION,
              VAR_GUARDDUTY_TWO_ACCOUNTS, VAR_GUARDDUTY_REGIONS_OPTION, VAR_SUFFIX_SLASH, VAR_SUFFIX_WITH_PATH,
              VAR_SUFFIX_ORG, VAR_BAD_NAME_CONFIG, VAR_ROLE_DENIED_CONFIG, VAR_PROFILE_MISSING, VAR_NO_SUCH_BUCKET,
              VAR_PREAMBLE_PROFILE, VAR_PREAMBLE_NO_REGION, VAR_DISCARD_BOOL, VAR_DISCARD_OBJECT, VAR_DISCARD_LIST,
              VAR_DISCARD_NUMBER_FIREHOSE, VAR_SKIP_OFF_FIRST, VAR_SKIP_OFF_WAF_LAST, VAR_SKIP_ON_GUARDDUTY,
              VAR_KEYS_SERVER_ACCESS, VAR_KEYS_TWO_REGIONS, VAR_KEYS_NO_ONLY_LOGS_AFTER,
              VAR_REMOVE_DENIED_BROKEN_FIRST, VAR_LIST_DENIED, VAR_GET_DENIED, VAR_TRAIL_README_IN_REGION,
              VAR_DISCARD_PREFIX_MATCH, VAR_DISCARD_LIST_ITEM, VAR_SERVER_ACCESS_BINARY, VAR_CLB_PLAIN,
              VAR_ACCOUNT_FILTER, VAR_CUSTOM_PATH_SLASH, VAR_GUARDDUTY_FIREHOSE, VAR_BAD_REGION,
              VAR_REMOVE_ALLOWED_THEN_BROKEN, VAR_REMOVE_DENIED_GUARDDUTY, VAR_SKIP_ON_CONFIG_JSON,
              VAR_EMPTY_OBJECT_TRAIL, VAR_PLAIN_JSON_TRAIL, VAR_FUTURE_ONLY_LOGS_AFTER, VAR_ACCOUNTS_ONE_MISSING,
              VAR_SERVER_ACCESS_ODD_KEY, VAR_CUSTOM_NO_PATH, VAR_KEYS_NEW_ACCOUNT, VAR_DISCARD_ALL,
              VAR_GUARDDUTY_BROKEN_FIRST_REGION, VAR_CONFIG_EMPTY_SECOND_REGION,
              VAR_TRAIL_PATH_TWO_ACCOUNTS_BROKEN_LAST)
"""Variations of the behaviours above that no one had tried when they were fixed (issue 12's "scenarios
nobody here has seen"); ``tests/test_goldens_variations.py`` compares ours with each."""
SCENARIOS = SCENARIOS + VARIATIONS
BY_NAME = {scenario.name: scenario for scenario in SCENARIOS}
