"""Explanations of the causes behind aws-s3 failure lines and of each exit code; part of the one table.

Split from ``log_table`` only to keep files small; the constants they share live there.
"""

from __future__ import annotations

from diagnostics.explanations.log_table import (
    DEBUG_HINT,
    LEGACY_FORBIDDEN,
    LEGACY_NOT_FOUND,
    WARNING,
)
from diagnostics.explanations.table import Explanation, LegacyBehaviour

_CAUSES: tuple[Explanation, ...] = (
    Explanation(
        "log.cause.profile_not_found", "AWS profile '{profile_name}' not found",
        "The block sets <aws_profile>{profile_name}</aws_profile>, but no such profile exists in the files "
        "the module reads. wazuh-modulesd runs as root, so it reads /root/.aws/credentials and "
        "/root/.aws/config, not the home of the admin who ran `aws configure` (a common trap with sudo). "
        "Exit 12 is the catch-all, not a bucket-type problem.",
        "Create the profile in /root/.aws/credentials ([{profile_name}] with aws_access_key_id and "
        "aws_secret_access_key) or fix <aws_profile>; `sudo aws sts get-caller-identity --profile "
        "{profile_name}` must work as root.",
        exit_code=12, script_message="The config profile ({profile_name}) could not be found",
        catch_all=True),
    Explanation(
        "log.cause.no_credentials", "No AWS credentials found",
        "No authentication method produced credentials: no access_key/secret_key, no <aws_profile>, no "
        "[default] profile in /root/.aws, no AWS_* variables in wazuh-modulesd's environment and no "
        "instance role. Custom-family buckets fail at GetCallerIdentity.",
        "Add a profile in /root/.aws/credentials and set <aws_profile>, or attach an IAM role to the "
        "instance.",
        exit_code=12, script_message="Unable to locate credentials", catch_all=True),
    Explanation(
        "log.cause.invalid_client_token", "The access key is not valid for STS",
        "GetCallerIdentity rejected the credentials (InvalidClientTokenId): the key was deleted or "
        "deactivated, belongs to another partition (GovCloud or China keys sent to the global STS), or "
        "environment variables for web identity are missing in wazuh-modulesd's environment.",
        "Check the key in IAM, use credentials for the right partition (set sts_endpoint), or use "
        "iam_role_arn.",
        exit_code=12, script_message="An error occurred (InvalidClientTokenId) when calling the "
        "GetCallerIdentity operation: The security token included in the request is invalid.",
        catch_all=True),
    Explanation(
        "log.cause.no_region", "No AWS region configured",
        "A client needed a region and none was found: SQS subscribers and some services take it only from "
        "the profile in /root/.aws/config or AWS_DEFAULT_REGION.",
        "Add `region = <region>` to the profile in /root/.aws/config (or [default]).",
        exit_code=12, script_message="You must specify a region.", catch_all=True),
    Explanation(
        "log.cause.invalid_type", "The bucket does not hold logs of the configured type",
        "`Invalid type of ...`: the keys under <path> do not match the layout the type expects (for "
        "example ALB logs without elasticloadbalancing/, or in 5.0 a GuardDuty bucket fed by Firehose "
        "instead of the native AWSLogs export).",
        "Set the type that matches the keys, or fix <path>; browse the bucket to see the real layout.",
        exit_code=12, script_message="Invalid type of bucket", catch_all=True),
    Explanation(
        "log.cause.umbrella_path", "Cisco Umbrella path must contain dnslogs, proxylogs or iplogs",
        "The cisco_umbrella type picks its field list from the path; the configured path names none.",
        "Point <path> at the dnslogs, proxylogs or iplogs folder.",
        exit_code=12, script_message="Only 'dnslogs', 'proxylogs' or 'iplogs' are allowed for Cisco Umbrella",
        catch_all=True),
    Explanation(
        "log.cause.legacy_common_prefixes", "Old releases: the bucket or path is empty ('CommonPrefixes')",
        "Wazuh 3.x failed with a KeyError on 'CommonPrefixes' when the listing returned no folders; current "
        "versions report the same situation as exit 14 (`No files were found`).",
        "Check the bucket name and <path>; upgrade Wazuh.", exit_code=14,
        script_message="No files were found in '<bucket>/<path>'. No logs will be processed.",
        legacy=LegacyBehaviour(12, "'CommonPrefixes'")),
    Explanation(
        "log.cause.no_such_bucket", "The bucket does not exist",
        "S3 answered NoSuchBucket: the name in <name> is wrong, or the bucket was deleted.",
        "Fix <name> (the bucket name only: the prefix goes in <path>).",
        exit_code=1, script_message="Unexpected error: 'An error occurred (NoSuchBucket) when calling the "
        "ListObjectsV2 operation: The specified bucket does not exist'.",
        legacy=LegacyBehaviour(3, LEGACY_NOT_FOUND)),
    Explanation(
        "log.cause.access_denied", "Access denied listing the bucket",
        "S3 answered AccessDenied: the credentials work but may not list this bucket (s3:ListBucket on "
        "arn:aws:s3:::<bucket>), or the bucket belongs to another account whose bucket policy does not "
        "allow them, or an SCP or VPC endpoint policy denies it.",
        "Grant s3:ListBucket on the bucket and s3:GetObject on its objects (plus kms:Decrypt for SSE-KMS "
        "logs) to the identity the module uses.",
        exit_code=1, script_message="Unexpected error: 'An error occurred (AccessDenied) when calling the "
        "ListObjectsV2 operation: Access Denied'.", legacy=LegacyBehaviour(3, LEGACY_FORBIDDEN)),
    Explanation(
        "log.cause.invalid_access_key", "The access key ID does not exist",
        "S3 answered InvalidAccessKeyId: the key ID in the profile or ossec.conf is unknown to AWS (deleted, "
        "mistyped, or from another partition).",
        "Create a new access key and update /root/.aws/credentials.",
        exit_code=1, script_message="Unexpected error: 'An error occurred (InvalidAccessKeyId) when calling "
        "the ListObjectsV2 operation: The AWS Access Key Id you provided does not exist in our records.'."),
    Explanation(
        "log.cause.client_error", "S3 refused the request ({error_code})",
        "An S3 error the module does not map to its own code: {message}",
        "Look up the error code; it usually names the missing permission or wrong setting.",
        exit_code=1, script_message="Unexpected error: '<botocore error>'."),
    Explanation(
        "log.cause.invalid_credentials", "Wrong secret key (invalid credentials)",
        "S3 rejected the request signature (SignatureDoesNotMatch): the access key ID exists but the "
        "secret key does not belong to it (mistyped, rotated, or stray spaces in the credentials file).",
        "Copy the secret key again into /root/.aws/credentials; check there are no quotes or spaces.",
        exit_code=3, script_message="Invalid credentials to access S3 Bucket"),
    Explanation(
        "log.cause.legacy_forbidden", "Old releases: HeadBucket 403 Forbidden",
        "Wazuh before 4.4 probed the bucket with HeadBucket and reported any failure as exit 3 `Access "
        "error`. A 403 means the credentials were rejected or lack permission: wrong keys, no "
        "s3:ListBucket on the bucket, or a bucket in another account. Ambiguous: HeadBucket returns no "
        "error code, only the status.",
        "Check the credentials (`aws s3 ls s3://<bucket> --profile <p>` as root) and grant s3:ListBucket "
        "and s3:GetObject.",
        exit_code=1, script_message="Unexpected error: 'An error occurred (AccessDenied) when calling the "
        "ListObjectsV2 operation: Access Denied'.", legacy=LegacyBehaviour(3, LEGACY_FORBIDDEN)),
    Explanation(
        "log.cause.legacy_not_found", "Old releases: HeadBucket 404 Not Found (no such bucket)",
        "Wazuh before 4.4 probed the bucket with HeadBucket and reported any failure as exit 3 `Access "
        "error`. A 404 means the bucket name does not exist.",
        "Fix <name> so it is exactly the bucket that receives the logs.",
        exit_code=1, script_message="Unexpected error: 'An error occurred (NoSuchBucket) when calling the "
        "ListObjectsV2 operation: The specified bucket does not exist'.",
        legacy=LegacyBehaviour(3, LEGACY_NOT_FOUND)),
    Explanation(
        "log.cause.legacy_head_bucket", "Old releases: HeadBucket failed ({status_code})",
        "Wazuh before 4.4 probed the bucket with HeadBucket and reported any failure as exit 3. A 301 or "
        "400 usually means the bucket is in another region than the client; other codes are rare.",
        "Check the bucket's region (set it in the profile) and the credentials.",
        exit_code=1, script_message="Unexpected error: '<botocore error>'.",
        legacy=LegacyBehaviour(3, "Access error: An error occurred (<status>) when calling the HeadBucket "
                                  "operation: <reason>")),
    Explanation(
        "log.cause.assume_role_denied", "AssumeRole on iam_role_arn was denied",
        "The base credentials may not assume the role: the caller lacks sts:AssumeRole on it, or the "
        "role's trust policy does not trust the caller (or requires an external ID).",
        "Allow sts:AssumeRole for the caller and add it to the role's trust policy.",
        exit_code=3, script_message="Access error: An error occurred (AccessDenied) when calling the "
        "AssumeRole operation: <details>"),
    Explanation(
        "log.cause.access_error", "Access error while building the AWS client",
        "The client or the AssumeRole call failed: {message}",
        "Check the credentials source and iam_role_arn.", exit_code=3, script_message="Access error: <e>"),
    Explanation(
        "log.cause.sts_client", "Could not create the STS client",
        "The STS client for iam_role_arn could not be built: {message}",
        "Check sts_endpoint and the credentials.", exit_code=3,
        script_message="Error getting STS client: <e>"),
    Explanation(
        "log.cause.boto3_missing", "boto3 is not installed for the module's Python",
        "The script's interpreter cannot import boto3. Agents have no embedded Python, and `pip3 show "
        "boto3` may look at a different interpreter than the one the wodle uses.",
        "Install boto3 for the interpreter in the shebang of wodles/aws/aws-s3 (or the Wazuh framework "
        "Python on managers), e.g. `pip3 install boto3`, then check with `wodles/aws/aws-s3 --help` as root.",
        exit_code=4, script_message="boto3 module is required."),
    Explanation(
        "log.cause.pyarrow_missing", "pyarrow is not installed for the module's Python",
        "Every run type imports the subscribers package, which needs pyarrow, even for plain buckets.",
        "Install pyarrow for the interpreter the wodle uses (`pip3 install pyarrow`).",
        exit_code=10, script_message="pyarrow module is required."),
    Explanation(
        "log.cause.wazuh_not_running", "Wazuh is not running",
        "The script could not connect to the queue socket (connection refused): Wazuh (analysisd) is "
        "stopped. Typical for a manual run on a stopped manager.",
        "Start Wazuh (`systemctl start wazuh-manager`) before running the module.",
        exit_code=11, script_message="Wazuh must be running."),
    Explanation(
        "log.cause.db_locked", "The state database is locked",
        "Another process holds s3_cloudtrail.db (or aws_services.db): usually a manual run of the script "
        "while the scheduled one runs, or two modulesd instances.",
        "Do not run the script by hand while Wazuh runs it; find the holder with `fuser "
        "<WAZUH_HOME>/wodles/aws/*.db`.",
        exit_code=6, script_message="Unable to create SQLite DB: database is locked"),
    Explanation(
        "log.cause.sqlite_error", "The state database could not be used",
        "An SQLite error while reading or updating the module's state: {message}",
        "Check ownership and permissions of <WAZUH_HOME>/wodles/aws/*.db and free disk space.",
        exit_code=5, script_message="Unexpected error accessing SQLite DB: <e>"),
    Explanation(
        "log.cause.sqlite_create", "The state database could not be created",
        "SQLite could not create or open the module's database: {message}",
        "Check that <WAZUH_HOME>/wodles/aws is writable by root and the disk is not full.",
        exit_code=6, script_message="Unable to create SQLite DB: <e>"),
    Explanation(
        "log.cause.s3_object_error", "Listing or reading S3 objects failed",
        "An error while working with the objects of the bucket: {message}",
        "Check s3:GetObject (and kms:Decrypt for SSE-KMS logs) on the objects.",
        exit_code=7, script_message="Unexpected error querying/working with objects in S3: <err>"),
    Explanation(
        "log.cause.decompress", "A log file could not be decompressed",
        "The file's extension does not match its content (only .gz and .zip are read; snappy is not "
        "supported): {message}",
        "Re-export the logs with gzip, or exclude the file; skip_on_error skips such files.",
        exit_code=8, script_message="Invalid gzip file received."),
    Explanation(
        "log.cause.parse", "A log file could not be parsed",
        "The file's content is not what the bucket type expects (pretty-printed or empty JSON in a custom "
        "bucket, corrupt Firehose output): {message}",
        "Inspect the file; use the SQS `buckets` subscriber for arbitrary JSON; skip_on_error skips it.",
        exit_code=9, script_message="Failed to parse file <key>: <repr>"),
    Explanation(
        "log.cause.send_failed", "Events could not be sent to Wazuh",
        "Writing to <WAZUH_HOME>/queue/sockets/queue failed: {message}. `[Errno 2]` means the socket "
        "does not exist (analysisd stopped).",
        "Make sure Wazuh is running; for `Message too long` raise net.core.rmem_max.",
        exit_code=13, script_message="Error sending message to wazuh: <e>"),
    Explanation(
        "log.cause.no_files", "No folders under the bucket path",
        "The module lists <path> with delimiter '/' and needs at least one sub-folder. `{path}` has none: "
        "<path> points at a leaf folder (a date folder, or AWSLogs/<account>/...), the prefix is mistyped, "
        "or the bucket is empty.",
        "Set <path> to the prefix above AWSLogs/ (or above the date folders for custom buckets), without "
        "leading slash.",
        exit_code=14, script_message="No files were found in '{path}'. No logs will be processed."),
    Explanation(
        "log.cause.endpoint", "The AWS endpoint could not be reached",
        "`Could not connect to the endpoint URL`: DNS or network failure, a proxy, a wrong "
        "service_endpoint/sts_endpoint, or a service not offered in that region. Buckets exit 15; services "
        "exit 12 with the same text.",
        "Check the URL from the server (`curl -v {url}`), the proxy settings and <service_endpoint>.",
        exit_code=15, script_message='Could not connect to the endpoint URL: "{url}"'),
    Explanation(
        "log.cause.throttling", "AWS throttled the requests",
        "The module sent requests faster than AWS allows for this account or bucket.",
        "Configure retries in /root/.aws/config (`max_attempts`, `retry_mode = adaptive`), reduce what each "
        "block reads, or raise <interval>.",
        exit_code=16, script_message="The '<name>' request was denied due to request throttling."),
    Explanation(
        "log.cause.marker_date", "The marker date could not be read",
        "The script could not extract a date from the marker of a Config bucket.",
        "Check <path> and the key layout of the Config bucket.", exit_code=16,
        script_message="There was an error while trying to extract a date from the marker '<m>'"),
    Explanation(
        "log.cause.cloudwatch_request", "A CloudWatch Logs request failed",
        "{message}", "Check logs:GetLogEvents/DescribeLogStreams permissions and the log group names.",
        exit_code=16, script_message='The "get_log_events" request failed: <err>'),
    Explanation(
        "log.cause.invalid_config_value", "Invalid key or value in /root/.aws/config",
        "A value in the profile section is not valid (for example a non-integer max_attempts), or a server "
        "access log file name has an unexpected format.",
        "Fix the profile section in /root/.aws/config.", exit_code=17,
        script_message="Invalid key or value found in config "),
    Explanation(
        "log.cause.no_logs_in_prefix", "No AWSLogs account folders under the prefix",
        "The script listed `{prefix}` and found no 12-digit account folders: <path> is wrong, an "
        "organization trail needs <aws_organization_id>, or a folder sits between AWSLogs/ and the "
        "account (path_suffix).",
        "Browse the bucket: set <path> to what is above AWSLogs/, and <path_suffix> or "
        "<aws_organization_id> for what sits between AWSLogs/ and the account ID.",
        exit_code=18, script_message="No logs found in '{prefix}'. Check the provided prefix and the "
        "location of the logs for the bucket type '<type>'"),
    Explanation(
        "log.cause.clock_skew", "The server clock is wrong",
        "AWS rejected the requests because the server time differs by more than 15 minutes "
        "(RequestTimeTooSkewed). Old releases reported it as `Invalid credentials`.",
        "Enable NTP (`timedatectl set-ntp true`) and compare `date -u` with real time.",
        exit_code=19, script_message="The server datetime and datetime of the AWS environment differ"),
    Explanation(
        "log.cause.queue_not_found", "The SQS queue does not exist",
        "GetQueueUrl failed: the queue name is wrong, it is in another region than the profile's, or the "
        "role may not see it.",
        "Fix <sqs_name> and the profile's region.", exit_code=20,
        script_message="Queue does not exist, verify the given name"),
    Explanation(
        "log.cause.subscriber_param", "A subscriber parameter is missing",
        "Security Lake needs iam_role_arn, sqs_name and external_id: {message}",
        "Add the missing tag to the <subscriber> block.", exit_code=21,
        script_message="Used a subscriber but no --iam_role_arn provided."),
    Explanation(
        "log.cause.sqs_failed", "Fetching or deleting SQS messages failed",
        "{message}", "Check sqs:ReceiveMessage/DeleteMessage and s3:GetObject on the notified objects.",
        exit_code=21, script_message="Error receiving message from SQS: <e>", debug_only=True),
    Explanation(
        "log.cause.invalid_region", "Invalid or unsupported region",
        "The region in <regions> is not in the module's list of regions. GovCloud and China regions are "
        "not in it either (checked since 4.10). At debug 0 the script prints nothing, so the second line is "
        "empty.",
        "Fix <regions>; for GovCloud upgrade to a release that lists it.",
        exit_code=22, script_message="+++ ERROR: Invalid region '{region}'", debug_only=True),
    Explanation(
        "log.cause.profile_not_in_config", "Profile missing from /root/.aws/config",
        "/root/.aws/config exists, so the module requires the profile there as [profile {profile_name}] "
        "(or [{profile_name}]), even when it exists in the credentials file.",
        "Add a [profile {profile_name}] section with `region = ...` to /root/.aws/config.",
        exit_code=23, script_message="No profile named: '{profile_name}' was found in the user config file"),
    Explanation(
        "log.cause.arguments", "The script rejected its arguments",
        "argparse refused the command line; the C side never shows argparse's text, only `Error parsing "
        "arguments.`. Likely causes: a value with a space (4.x splits it), an only_logs_after not in "
        "YYYY-MMM-DD, a bucket name with a path or s3://, an account ID that is not 12 digits, an invalid "
        "ARN or role duration, or an empty tag. Ambiguous: exit 2 is also SIGINT (`SIGINT received.`).",
        "Run the logged command (`Launching S3 Command:`, debug 1) by hand to read argparse's message, "
        "and fix the named tag in ossec.conf.",
        exit_code=2, script_message="argparse usage text"),
    Explanation(
        "log.cause.sigint", "The script was interrupted (SIGINT)",
        "The script received SIGINT, e.g. Wazuh was stopped or restarted during the run.",
        "Nothing to do if Wazuh was restarted on purpose.", WARNING, exit_code=2,
        script_message="SIGINT received."),
    Explanation(
        "log.cause.wazuh_control", "The Wazuh version could not be read",
        "The script runs bin/wazuh-control info to read the version; it failed.",
        "Check <WAZUH_HOME>/bin/wazuh-control and run the script from the Wazuh home.", exit_code=1,
        script_message="a problem occurred while executing <path>"),
    Explanation(
        "log.cause.role_duration_without_arn", "iam_role_duration without iam_role_arn",
        "iam_role_duration only applies to an assumed role.", "Add iam_role_arn or remove iam_role_duration.",
        exit_code=1, script_message="Unknown error: Used --iam_role_duration argument but no --iam_role_arn "
        "provided."),
    Explanation(
        "log.cause.listing_failed", "Listing the bucket failed",
        "A ListObjectsV2 call (iter_files_in_bucket, find_account_ids or find_regions) failed: {message}",
        "Grant s3:ListBucket and check the path.", exit_code=1,
        script_message='ERROR: The "iter_files_in_bucket" request failed: <err>'),
    Explanation(
        "log.cause.read_file_failed", "A log file could not be read",
        "An unexpected error while reading or parsing a file: {message}",
        "Inspect the file; skip_on_error skips it.", exit_code=1,
        script_message="Unknown error reading/parsing file <key>: <repr>"),
)

_EXIT_CODES: tuple[Explanation, ...] = (
    Explanation(
        "log.exit.1", "Unknown error (exit 1)",
        "Ambiguous: at debug 0 exit 1 is any S3 error the module does not map (AccessDenied, NoSuchBucket, "
        "InvalidAccessKeyId...), and `Unknown error.` means the script printed no detail. At debug 1-2 it "
        "is also every error that would exit 12.",
        DEBUG_HINT, exit_code=1, script_message="Unknown error: <e>"),
    Explanation(
        "log.exit.3", "Invalid credentials (exit 3)",
        "The credentials were refused: a wrong secret key, a failed AssumeRole, or (before 4.4) any S3 "
        "error.", "Check the keys, the profile and iam_role_arn. " + DEBUG_HINT, exit_code=3,
        script_message="Invalid credentials to access S3 Bucket"),
    Explanation(
        "log.exit.5", "State database error (exit 5)",
        "The module could not use its SQLite state database.",
        "Check <WAZUH_HOME>/wodles/aws/*.db permissions and free space; make sure no manual run is active.",
        exit_code=5, script_message="Unexpected error accessing SQLite DB: <e>"),
    Explanation(
        "log.exit.7", "S3 object error (exit 7)", "Listing or reading objects failed.",
        "Check s3:GetObject and kms:Decrypt. " + DEBUG_HINT, exit_code=7,
        script_message="Unexpected error querying/working with objects in S3: <err>"),
    Explanation(
        "log.exit.8", "Decompression error (exit 8)", "A log file is not valid gzip/zip or is snappy.",
        "Check the named file; enable skip_on_error to skip it.", exit_code=8,
        script_message="Invalid gzip file received."),
    Explanation(
        "log.exit.9", "Parse error (exit 9)", "A log file's content does not match the bucket type.",
        "Check the named file; enable skip_on_error to skip it.", exit_code=9,
        script_message="Failed to parse file <key>: <repr>"),
    Explanation(
        "log.exit.12", "Unhandled error (exit 12, the catch-all)",
        "Exit 12 alone does not name the cause: the script's message on the next line does.",
        "Read the script's message (the line after `Returned exit code 12`) as the real error. " + DEBUG_HINT,
        exit_code=12,
        script_message="<any exception text>", catch_all=True),
    Explanation(
        "log.exit.13", "Send error (exit 13)", "Events could not be written to the Wazuh queue socket.",
        "Make sure Wazuh is running.", exit_code=13, script_message="Error sending message to wazuh: <e>"),
    Explanation(
        "log.exit.16", "Request failed or throttled (exit 16)",
        "Throttling, a marker date problem (Config) or a CloudWatch Logs request failure.",
        "Read the second line; configure retries in /root/.aws/config for throttling.", exit_code=16,
        script_message="The '<name>' request was denied due to request throttling."),
    Explanation(
        "log.exit.17", "Invalid key or value (exit 17)",
        "A value in /root/.aws/config is invalid, or a server access log file name has a bad format.",
        "Check /root/.aws/config.", exit_code=17, script_message="Invalid key or value found in config "),
    Explanation(
        "log.exit.21", "SQS failure (exit 21)",
        "An SQS message could not be fetched or deleted, or a Security Lake parameter is missing; the "
        "detail is printed only at debug 1-2.", DEBUG_HINT, exit_code=21,
        script_message="Used a subscriber but no --iam_role_arn provided."),
    Explanation(
        "log.exit.other", "Exit code {code}", "{meaning}", DEBUG_HINT, exit_code=None),
)

ENTRIES: tuple[Explanation, ...] = _CAUSES + _EXIT_CODES
