"""Explanations for the shared bucket session (browse and preview); part of the one table."""

from __future__ import annotations

from diagnostics.explanations.table import Explanation
from diagnostics.findings import Status

_SESSION: tuple[Explanation, ...] = (
    Explanation(
        failure_id="preview.get_object_failed",
        title="Cannot read s3://{bucket}/{key}",
        explanation=("GetObject failed: {error}. The module downloads every file it reads with the same "
                     "call, so it would fail on this object too (exit 1 with the error's repr, or an "
                     "error_msg event and the next file when skip_on_error is yes)."),
        fix=("Grant s3:GetObject on arn:aws:s3:::{bucket}/* to the module's identity; for SSE-KMS objects "
             "also kms:Decrypt on the object's key. Run `wazuh-aws-doctor check --bucket {bucket}` for "
             "the full access chain."),
        status=Status.ERROR,
    ),
    Explanation(
        failure_id="preview.no_such_key",
        title="s3://{bucket}/{key} does not exist",
        explanation=("GetObject answered NoSuchKey: no object is stored under this exact key (a typo, a key "
                     "cut or copied with an extra character, or an object deleted or moved since it was "
                     "listed). This is not a permission problem, and the module never meets it: it reads only "
                     "keys its own listing returns. {nearest}"),
        fix=("Use a key that exists: `wazuh-aws-doctor keys --bucket {bucket} --prefix {prefix}` lists "
             "what is stored there."),
        status=Status.ERROR,
    ),
)

SAMPLE_ENTRIES: tuple[Explanation, ...] = (
    Explanation(
        failure_id="sample.events_sent",
        title="The next file decodes: {sentence}",
        explanation=("{key} is the first file the module would read next; decoded exactly as the module "
                     "does, it yields events Wazuh would receive."),
        fix="Nothing to fix here. If alerts still do not appear, run `wazuh-aws-doctor preview --logtest`.",
        status=Status.OK,
    ),
    Explanation(
        failure_id="sample.nothing_sent_detail",
        title="The next file sends nothing: {sentence}",
        explanation=("A custom bucket keeps only EventBridge-style objects that have a \"detail\" key; every "
                     "record of {key} lacks it ({dropped}), so the module reads the file, marks it processed "
                     "and sends nothing, without a log line."),
        fix=("Arbitrary JSON, CSV or text needs the SQS-based <subscriber type=\"buckets\"> (Wazuh 4.7+), or "
             "deliver the events through EventBridge/Firehose so each record carries \"detail\"."),
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="sample.nothing_sent",
        title="The next file sends nothing: {sentence}",
        explanation=("Every record of {key} is dropped or discarded before it is sent ({dropped}); the module "
                     "still marks the file as processed."),
        fix=("Check the type and discard_regex of this block against what the file holds "
             "(`wazuh-aws-doctor preview --bucket {bucket} --key '{key}'`)."),
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="sample.empty_object",
        title="The next file holds no records: {key}",
        explanation="The module reads it, sends nothing and marks it processed.",
        fix="Nothing to fix if the producer writes empty files now and then.",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="sample.nothing_new",
        title="No new file to sample in {bucket}",
        explanation=("Every key the module would list from its marker is already processed or skipped, so the "
                     "next run reads nothing (the layout step says where the marker stands)."),
        fix=("Nothing to fix if logs are simply not due yet. To look at older files, open them in Browse or "
             "`wazuh-aws-doctor preview`."),
        status=Status.SKIPPED,
    ),
    Explanation(
        failure_id="sample.not_listed",
        title="Could not walk the keys to find a sample",
        explanation="Listing failed: {error}. The access and layout steps explain the listing failure.",
        fix="Fix the access problem first.",
        status=Status.SKIPPED,
    ),
)
ENTRIES: tuple[Explanation, ...] = _SESSION + SAMPLE_ENTRIES
