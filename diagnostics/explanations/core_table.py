"""Explanations for the shared bucket session (browse and preview); part of the one table."""

from __future__ import annotations

from diagnostics.explanations.table import Explanation
from diagnostics.findings import Status

ENTRIES: tuple[Explanation, ...] = (
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
)
