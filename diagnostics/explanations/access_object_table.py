"""Explanations for reading one object (HeadObject, GetObject, KMS) and the per-type extra permissions;
part of the one table."""

from __future__ import annotations

from diagnostics.explanations.table import Explanation
from diagnostics.findings import Status

ENTRIES: tuple[Explanation, ...] = (
    Explanation(
        failure_id="access.no_object",
        title="No object under '{prefix}' to read",
        explanation="Reading one object checks s3:GetObject and KMS; there is none under the prefix yet.",
        fix="",
        status=Status.SKIPPED,
    ),
    Explanation(
        failure_id="access.head_object_ok",
        title="HeadObject {key}: {size} bytes, encryption {encryption}",
        explanation=(
            "Our probe (the module reads objects with GetObject only): last modified {last_modified}, "
            "server-side encryption {encryption}{kms_text}."
        ),
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="access.head_object_failed",
        title="HeadObject {key}: {code}",
        explanation=(
            "HeadObject needs s3:GetObject, like the module's reads; S3 answered {code}. The next step "
            "shows what the module gets."
        ),
        fix="Allow s3:GetObject on arn:aws:s3:::{bucket}/* for {principal}.",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="access.object_kms",
        title="Objects are encrypted with KMS key {kms_key}",
        explanation=(
            "SSE-KMS objects can be read only by principals allowed kms:Decrypt on that key, in their IAM "
            "policy and in the key policy; s3:GetObject alone is not enough."
        ),
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="access.get_object_ok",
        title="GetObject {key}: read {read} bytes",
        explanation="The first kilobyte of an object under the path can be read, as the module reads logs.",
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="access.kms_decrypt_denied",
        title="Reading {key} is denied: kms:Decrypt on {kms_key} is missing",
        explanation=(
            "The object is SSE-KMS encrypted (HeadObject: aws:kms, key {kms_key}) and GetObject answered "
            "{code}; S3 must decrypt with the key on the caller's behalf, so {principal} needs kms:Decrypt "
            "on it. The module fails on the first file (with skip_on_error it logs it at debug 1 and "
            "sends an error event instead)."
        ),
        fix=(
            "Allow kms:Decrypt on {kms_key} for {principal} in its IAM policy, and in the key policy "
            "when the key is in another account."
        ),
        exit_code=1,
        script_message="Unknown error reading/parsing file {key}: {error_repr}",
    ),
    Explanation(
        failure_id="access.get_object_denied",
        title="Reading {key} is denied ({code})",
        explanation=(
            "The listing works but GetObject is refused: {principal} lacks s3:GetObject on "
            "arn:aws:s3:::{bucket}/* (or a bucket/SCP/endpoint policy denies it). The module fails on the "
            "first file (with skip_on_error it logs it at debug 1 and sends an error event instead)."
        ),
        fix="Allow s3:GetObject on arn:aws:s3:::{bucket}/* for {principal}.",
        exit_code=1,
        script_message="Unknown error reading/parsing file {key}: {error_repr}",
    ),
    Explanation(
        failure_id="access.get_object_error_events",
        title="Reading {key} is refused ({code}): each file becomes an error event and is marked processed",
        explanation=(
            "GetObject is refused for {principal} and skip_on_error is on, so the module does not stop: for "
            "every file it sends one error_msg event instead of the file's records, records the file as "
            "processed and ends with exit 0. Those logs are never read, even after the permission is fixed."
        ),
        fix=("Allow s3:GetObject on arn:aws:s3:::{bucket}/* for {principal} (and kms:Decrypt when the objects "
             "are encrypted with a KMS key); then read the files again from only_logs_after with --reparse."),
    ),
    Explanation(
        failure_id="access.get_object_failed",
        title="Reading {key} failed: {code}",
        explanation="GetObject answered {code}: {message}.",
        fix="Look up {code} in the S3 error reference.",
        exit_code=1,
        script_message="Unknown error reading/parsing file {key}: {error_repr}",
    ),
    Explanation(
        failure_id="access.caller_identity_ok",
        title="sts:GetCallerIdentity works (account {account})",
        explanation=(
            "{type} buckets and services call it with the base credentials to key their state on the "
            "account id."
        ),
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="access.caller_identity_failed",
        title="sts:GetCallerIdentity fails, and {type} needs it ({code})",
        explanation=(
            "The module calls it with the base credentials before listing the bucket and has no handler "
            "for its errors: the run stops (exit 12 at debug 0). The identity check explains the cause."
        ),
        fix="Fix the base credentials as the identity check says.",
        status=Status.ERROR,
    ),
    Explanation(
        failure_id="access.flow_logs_ok",
        title="ec2:DescribeFlowLogs in {region}: {count} flow log(s)",
        explanation=(
            "The module reads only the keys whose flow-log id DescribeFlowLogs returns for these "
            "credentials: {ids}."
        ),
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="access.flow_logs_none",
        title="ec2:DescribeFlowLogs in {region} returns no flow log",
        explanation=(
            "The module keeps only keys whose flow-log id these credentials can describe, so it reads "
            "nothing in {region}, silently. Typical with a central bucket receiving flow logs of other "
            "accounts."
        ),
        fix="Use credentials (or iam_role_arn) of the account owning the flow logs, one block per account.",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="access.flow_logs_none_profile_region",
        title="ec2:DescribeFlowLogs in {region} (the profile's region) returns no flow log",
        explanation=(
            "The module's profile sets region {region} in root's ~/.aws/config, and the module hands that "
            "region to every client it builds: whatever region it walks, it asks {region} for the flow logs. "
            "None is there, so it reads no vpcflow key at all, silently."
        ),
        fix="Remove the region line from the profile the module uses (the walked region then goes to EC2), or "
            "read these flow logs with a profile whose region is the flow logs' region.",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="access.flow_logs_denied",
        title="ec2:DescribeFlowLogs is denied in {region} ({code})",
        explanation=(
            "vpcflow buckets need ec2:DescribeFlowLogs to learn which flow-log ids to read; the module "
            "does not handle this error, so the run stops in its generic handler."
        ),
        fix="Allow ec2:DescribeFlowLogs (it takes Resource \"*\") for {principal}.",
        exit_code=12,
        script_message="{error}",
        catch_all=True,
    ),
)
