"""Explanations for access failures; part of the one table in ``diagnostics.explanations``."""

from __future__ import annotations

from diagnostics.explanations.table import Explanation, LegacyBehaviour
from diagnostics.findings import Status

RETRY_URL = ("https://documentation.wazuh.com/current/amazon/services/prerequisites/considerations.html"
             "#Connection-configuration-for-retries")
UNEXPECTED = "Unexpected error: '{error}'."
"""What check_bucket prints for every ClientError it does not single out (then exit 1)."""
HEAD_BUCKET_IS_OURS = (
    " The module itself never calls HeadBucket (since 4.4 it lists the path instead; see the next step): "
    "this is our probe, and a HEAD answer carries only the HTTP status."
)

ENTRIES: tuple[Explanation, ...] = (
    Explanation(
        failure_id="access.skipped",
        title="Bucket access not checked: {reason}",
        explanation="The access checks need a bucket name and working credentials.",
        fix="",
        status=Status.SKIPPED,
    ),
    Explanation(
        failure_id="access.invalid_bucket_name",
        title="'{bucket}' is not a valid bucket name",
        explanation=(
            "The module's argument parser accepts only lowercase letters, digits, dots and hyphens (3 to 63 "
            "characters, no xn-- prefix, no -s3alias or --ol-s3 suffix), so it stops before any AWS call: "
            "'{bucket}' isn't a valid bucket name. A path or an s3:// URL in <name> is the usual cause."
        ),
        fix="Put only the bucket name in <name> and the folder in <path>.",
        exit_code=2,
    ),
    Explanation(
        failure_id="access.head_bucket_ok",
        title="Bucket {bucket} answers (region {region})",
        explanation="HeadBucket returned 200." + HEAD_BUCKET_IS_OURS,
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="access.bucket_in_other_region",
        title="{bucket} is in {bucket_region}, the client starts in {client_region}",
        explanation=(
            "S3 answers a request sent to the wrong region with 301 PermanentRedirect and the "
            "x-amz-bucket-region header; botocore then re-signs and resends it to {bucket_region}. The "
            "module's client does the same, so this works at the cost of a redirect, unless "
            "<service_endpoint> pins a single regional endpoint."
        ),
        fix="Set region = {bucket_region} in the profile the module uses ({config_hint}).",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="access.wrong_region",
        title="{bucket} must be reached through {bucket_region}",
        explanation=(
            "S3 keeps answering 301 PermanentRedirect (bucket region {bucket_region}) and botocore could "
            "not follow it, typically because <service_endpoint> or the endpoint URL is fixed to another "
            "region."
        ),
        fix="Use an endpoint in {bucket_region}, or remove <service_endpoint> and set the profile region.",
        exit_code=1,
        script_message=UNEXPECTED,
    ),
    Explanation(
        failure_id="access.head_bucket_not_found",
        title="HeadBucket: no bucket named {bucket} (404)",
        explanation=(
            "S3 says the bucket does not exist: a typo in <name>, a bucket deleted or never created, or a "
            "name from another partition." + HEAD_BUCKET_IS_OURS
        ),
        fix="Copy the exact name from the S3 console or from the trail/flow log's destination.",
        legacy=LegacyBehaviour(3, "Access error: {error}"),
    ),
    Explanation(
        failure_id="access.head_bucket_forbidden",
        title="HeadBucket: 403 Forbidden on {bucket} (follow-up says {code})",
        explanation=(
            "HEAD answers have no body, so S3 can only say 403; the follow-up {followup} answered {code}, "
            "which the listing step explains." + HEAD_BUCKET_IS_OURS
        ),
        fix="See the listing step for the fix of {code}.",
        legacy=LegacyBehaviour(3, "Access error: {error}"),
    ),
    Explanation(
        failure_id="access.head_bucket_failed",
        title="HeadBucket on {bucket} failed: {code}",
        explanation="S3 answered {code} ({message})." + HEAD_BUCKET_IS_OURS,
        fix="See the listing step, which shows what the module gets.",
        legacy=LegacyBehaviour(3, "Access error: {error}"),
    ),
    Explanation(
        failure_id="access.head_bucket_unreachable",
        title="S3 endpoint unreachable: {url}",
        explanation="The connection failed before any HTTP answer: {error}." + HEAD_BUCKET_IS_OURS,
        fix="See the listing step, which shows the module's own message.",
        status=Status.ERROR,
    ),
    Explanation(
        failure_id="access.bucket_rejected_client_side",
        title="botocore refuses the bucket name '{bucket}' before sending anything",
        explanation="ParamValidationError: {error}",
        fix="Put only the bucket name in <name> and the folder in <path>.",
        status=Status.ERROR,
    ),
    Explanation(
        failure_id="access.bucket_closest",
        title="Did you mean bucket '{closest}'?",
        explanation="ListBuckets with these credentials shows '{closest}', the nearest name to '{bucket}'.",
        fix="Set <name>{closest}</name> if that is the log bucket.",
        status=Status.ERROR,
    ),
    Explanation(
        failure_id="access.list_prefix_ok",
        title="The module's listing of '{prefix}' finds folders",
        explanation=(
            "The module's first S3 call lists Prefix='{prefix}' with Delimiter='/' and needs at least one "
            "folder (CommonPrefixes); it gets: {folders}."
        ),
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="access.prefix_empty",
        title="No folder under '{bucket}/{prefix}': the module stops (exit 14)",
        explanation=(
            "The module lists Prefix='{prefix}' with Delimiter='/' and needs at least one folder "
            "(CommonPrefixes) on some page; there is none. {found}. Typical causes: <path> points at a "
            "leaf folder or at AWSLogs/ itself (it must be the part above AWSLogs/), a leading or "
            "trailing slash mismatch, or an empty bucket."
        ),
        fix=(
            "Set <path> to the prefix the logs are written under, above AWSLogs/ (CloudTrail, VPC, "
            "Config) or above the YYYY/ folders (Firehose); leave it out when the logs start at the root."
        ),
        exit_code=14,
        script_message="No files were found in '{bucket_path}'. No logs will be processed.",
    ),
    Explanation(
        failure_id="access.prefix_undetermined",
        title="No folder in the first {pages} pages under '{bucket}/{prefix}'",
        explanation=(
            "The module keeps paging until it finds a folder; we stopped after {pages} pages of 1000 keys "
            "with files only. If no page has a folder the module stops with exit 14; the many files "
            "directly under the prefix also make each run slow."
        ),
        fix="Point <path> at the folder above the date or AWSLogs/ folders.",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="access.no_such_bucket",
        title="No bucket named {bucket}",
        explanation=(
            "ListObjectsV2 answered NoSuchBucket: the name in <name> does not exist (typo, deleted bucket, "
            "or a name from another partition)."
        ),
        fix="Copy the exact name from the S3 console or from the trail/flow log's destination.",
        exit_code=1,
        script_message=UNEXPECTED,
    ),
    Explanation(
        failure_id="access.list_denied",
        title="Listing {bucket} is denied (AccessDenied)",
        explanation=(
            "The credentials ({principal}) may not call s3:ListBucket on arn:aws:s3:::{bucket}: the IAM "
            "policy lacks it, a bucket policy, SCP or VPC endpoint policy denies it, or the bucket belongs "
            "to another account that did not grant access. A CloudTrail bucket policy for "
            "cloudtrail.amazonaws.com does not grant the reader anything."
        ),
        fix=(
            "Allow s3:ListBucket on arn:aws:s3:::{bucket} and s3:GetObject on arn:aws:s3:::{bucket}/* for "
            "{principal} (and in the bucket policy when the bucket is in another account)."
        ),
        exit_code=1,
        script_message=UNEXPECTED,
    ),
    Explanation(
        failure_id="access.invalid_access_key",
        title="S3 does not know access key {key_id} (InvalidAccessKeyId)",
        explanation=(
            "The access key id was deleted or deactivated, is mistyped, or belongs to another partition. "
            "Only SignatureDoesNotMatch is reported as 'Invalid credentials' by the module; this one is an "
            "unexpected error (exit 1)."
        ),
        fix="Create a new access key for the IAM user and store it where the module reads it.",
        exit_code=1,
        script_message=UNEXPECTED,
    ),
    Explanation(
        failure_id="access.signature_mismatch",
        title="The secret key does not match access key {key_id} (SignatureDoesNotMatch)",
        explanation=(
            "The key id exists but the request was signed with another secret: a truncated paste, an "
            "extra character, or a key pair rotated without updating the secret. This is the only S3 "
            "error the module reports as invalid credentials (exit 3)."
        ),
        fix="Store the secret that belongs to {key_id}, or create a new key pair.",
        exit_code=3,
        script_message="Invalid credentials to access S3 Bucket",
    ),
    Explanation(
        failure_id="access.expired_token",
        title="The session token has expired ({code})",
        explanation=(
            "The credentials are temporary (a session token) and past their expiry; the module cannot "
            "renew them."
        ),
        fix="Give the module long-lived credentials (IAM user keys or an instance role) or iam_role_arn.",
        exit_code=1,
        script_message=UNEXPECTED,
    ),
    Explanation(
        failure_id="access.clock_skewed",
        title="S3 rejects the request time (RequestTimeTooSkewed)",
        explanation="The host clock is more than 15 minutes away from AWS's, so every signature is refused.",
        fix="Synchronise the clock (chronyd or systemd-timesyncd; `timedatectl set-ntp true`).",
        exit_code=19,
        script_message="The server datetime and datetime of the AWS environment differ",
    ),
    Explanation(
        failure_id="access.throttled",
        title="The listing was throttled (ThrottlingException)",
        explanation=(
            "AWS refused the request rate even after botocore's retries. The module retries per "
            "max_attempts/retry_mode of its profile (10 attempts, standard mode by default)."
        ),
        fix="Raise max_attempts and use retry_mode = adaptive in the profile, or run fewer buckets at once.",
        exit_code=16,
        script_message=(
            "The 'check_bucket' request was denied due to request throttling. If the problem persists "
            "check the following link to learn how to use the Retry configuration to avoid it: "
            f"'{RETRY_URL}': {{error}}"
        ),
    ),
    Explanation(
        failure_id="access.slow_down",
        title="S3 asks to slow down ({code})",
        explanation=(
            "S3 signals throttling with 503 SlowDown, but the module recognises only ThrottlingException, "
            "so it reports this as an unexpected error (exit 1), not as throttling (exit 16)."
        ),
        fix="Raise max_attempts and use retry_mode = adaptive in the profile, or run fewer buckets at once.",
        exit_code=1,
        script_message=UNEXPECTED,
    ),
    Explanation(
        failure_id="access.list_failed",
        title="Listing {bucket} failed: {code}",
        explanation="S3 answered {code}: {message}.",
        fix="Look up {code} in the S3 error reference; the message names what to change.",
        exit_code=1,
        script_message=UNEXPECTED,
    ),
    Explanation(
        failure_id="access.endpoint_unreachable",
        title="Cannot connect to {url}",
        explanation=(
            "No HTTP answer at all: DNS, a firewall or proxy, no route to the internet or to the VPC "
            "endpoint, or a wrong <service_endpoint>."
        ),
        fix="Check `curl -v {url}` from this host; fix <service_endpoint>, DNS, the proxy or the route.",
        exit_code=15,
        script_message="{error}",
    ),
    Explanation(
        failure_id="access.list_transport_error",
        title="The connection to S3 broke: {error}",
        explanation="A network error other than a refused connection (timeout, TLS, proxy) ends the run.",
        fix="Check the network path to {url}; raise read_timeout only if S3 is slow to answer.",
        exit_code=12,
        script_message="{error}",
        catch_all=True,
    ),
)
