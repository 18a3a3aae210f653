"""The failure-path scenarios recorded from the real module: buckets, objects, options and the runs made.

One definition serves both sides: ``record_module.py`` seeds the oracle's moto server and runs Wazuh's
script on it; ``tests/test_module_goldens.py`` seeds the test server the same way and runs our commands.
Only boto3 and the standard library are imported, so the recorder runs in the oracle's own venv.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field, replace
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
    options: tuple[tuple[str, str], ...] | None = None
    """The block's children for this run (the admin edited ossec.conf before it); None keeps the scenario's."""


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

    def for_run(self, run: Run) -> Scenario:
        """The scenario as ossec.conf stands for ``run`` (its own options, when it has some)."""
        return self if run.options is None else replace(self, options=run.options)

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
                 ("iam_role_duration", "--iam_role_duration"), ("aws_account_id", "--aws_account_id"),
                 ("path", "--trail_prefix"),
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

VAR_REMOVE_DENIED_BROKEN_FIRST = Scenario(
    name="var_remove_denied_broken_first_skip_on",
    behaviour="remove_from_bucket without delete permission, skip_on_error on and a broken first file",
    bucket="var-remove-broken", bucket_type="cloudtrail", skip_on_error=True,
    options=(("only_logs_after", ONLY_LOGS_AFTER), ("remove_from_bucket", "yes")),
    objects=((trail_key(DAY1, 1), b"\x1f\x8bnot really gzip"), (trail_key(DAY2, 2), trail_body(DAY2, 2))),
    runs=(Run(),), policy=READER_POLICY)

VAR_STOP_FIRST_GZIP = Scenario(
    name="var_stop_first_gzip_two_regions",
    behaviour="CloudTrail in two regions, the very first file a broken gzip: exit 8 before any event",
    bucket="var-stop-first", bucket_type="cloudtrail",
    objects=((trail_key(DAY1, 1, "ap-south-1"), b"\x1f\x8bbroken"),
             (trail_key(DAY2, 2, "ap-south-1"), trail_body(DAY2, 2)),
             (trail_key(DAY1, 3), trail_body(DAY1, 3))),
    runs=(Run(), Run(debug=1)))

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


VAR_SKIP_OFF_WAF_LAST = Scenario(
    name="var_skip_off_broken_last_waf",
    behaviour="skip_on_error off and a WAF object whose last line is not JSON, last in the walk",
    bucket="var-skip-waf", bucket_type="waf",
    options=(("path", "waf"), ("only_logs_after", ONLY_LOGS_AFTER)),
    objects=((waf_key(DAY1, 1, "a"), waf_body(DAY1, 1)),
             (waf_key(DAY2, 1, "b"), gz('{"timestamp": 1, "httpRequest": {}}\n{broken\n'))),
    runs=(Run(),))

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

VAR_DISCARD_INVALID = Scenario(
    name="var_discard_regex_invalid",
    behaviour="a discard_regex that does not compile: the script fails before listing (exit 1 with a traceback at "
              "debug 2, exit 12 at debug 0); no key is read",
    bucket="var-discard-invalid", bucket_type="cloudtrail",
    options=(("only_logs_after", ONLY_LOGS_AFTER), ("discard_regex@eventName", "(unclosed")),
    objects=((trail_key(DAY1, 1), trail_body(DAY1, 1)),), runs=(Run(debug=2), Run(debug=0)))

VAR_DURATION_WITHOUT_ROLE = Scenario(
    name="var_role_duration_without_role",
    behaviour="iam_role_duration without iam_role_arn: the script refuses its arguments with exit 1 at every debug "
              "level, before printing anything else",
    bucket="var-duration-norole", bucket_type="cloudtrail",
    options=(("iam_role_duration", "1000"), ("only_logs_after", ONLY_LOGS_AFTER)),
    objects=((trail_key(DAY1, 1), trail_body(DAY1, 1)),), runs=(Run(), Run(debug=0)))

VAR_ONLY_LOGS_AFTER_ISO = Scenario(
    name="var_only_logs_after_iso_date",
    behaviour="only_logs_after written as an ISO date (2026-11-01): the script's argparse refuses it, exit 2",
    bucket="var-ola-iso", bucket_type="config",
    options=(("only_logs_after", "2026-11-01"),),
    objects=((config_key((2026, 11, 2), 1), config_body(1)),), runs=(Run(),))

VAR_GET_DENIED_SKIP_ON = Scenario(
    name="var_get_object_denied_skip_on",
    behaviour="GetObject refused with skip_on_error on (Config): one error event per file, every file marked "
              "processed, exit 0 at debug 2 and 0; the second run reads nothing",
    bucket="var-get-denied-skip", bucket_type="config", skip_on_error=True,
    objects=((config_key((2026, 11, 2), 1), config_body(1)), (config_key((2026, 11, 3), 2), config_body(2))),
    runs=(Run(), Run(debug=0)),
    policy={"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetBucketLocation", "sts:GetCallerIdentity", "iam:*"],
         "Resource": "*"}]})

VAR_REMOVE_DENIED_SKIP_MIDDLE = Scenario(
    name="var_remove_denied_skip_on_broken_first",
    behaviour="remove_from_bucket without delete permission, skip_on_error on and a Firehose object that is not "
              "JSON first: its error event is sent, the delete is refused, exit 1; the next run sends that one "
              "event again",
    bucket="var-remove-skip", bucket_type="custom", skip_on_error=True,
    options=(("path", "firehose"), ("only_logs_after", ONLY_LOGS_AFTER), ("remove_from_bucket", "yes")),
    objects=((firehose_key(DAY1, 1, "a"), b"{broken"), (firehose_key(DAY2, 1, "b"), firehose_body(DAY2, 1))),
    runs=(Run(), Run()), policy=READER_POLICY)

VAR_LATER_ONLY_LOGS_AFTER = Scenario(
    name="var_second_run_later_only_logs_after",
    behaviour="only_logs_after moved forward between two runs: what the second run reads from the marker",
    bucket="var-ola-later", bucket_type="cloudtrail",
    objects=((trail_key(DAY1, 1), trail_body(DAY1, 1)), (trail_key(DAY2, 2), trail_body(DAY2, 2))),
    runs=(Run(), Run(options=(("only_logs_after", "2026-NOV-05"),),
                     objects=((trail_key(DAY3, 3), trail_body(DAY3, 3)), (trail_key(DAY4, 4), trail_body(DAY4, 4)),
                              (trail_key(DAY1, 5, "eu-west-1"), trail_body(DAY1, 5))))))


VARIATIONS = (VAR_BAD_REGION, VAR_REMOVE_ALLOWED_THEN_BROKEN, VAR_REMOVE_DENIED_BROKEN_FIRST, VAR_STOP_FIRST_GZIP,
              VAR_GUARDDUTY_TWO_ACCOUNTS, VAR_SKIP_OFF_WAF_LAST, VAR_KEYS_TWO_REGIONS,
              VAR_GUARDDUTY_FIREHOSE, VAR_DISCARD_INVALID, VAR_DURATION_WITHOUT_ROLE, VAR_ONLY_LOGS_AFTER_ISO,
              VAR_GET_DENIED_SKIP_ON, VAR_REMOVE_DENIED_SKIP_MIDDLE, VAR_LATER_ONLY_LOGS_AFTER)
"""Variations of the behaviours above that no one had tried when they were fixed (issue 12's "scenarios
nobody here has seen"); ``tests/test_goldens_variations.py`` compares ours with each."""
SCENARIOS = SCENARIOS + VARIATIONS
BY_NAME = {scenario.name: scenario for scenario in SCENARIOS}
