"""The identity-policy side of "may these credentials delete?": explicit Deny, Allow, implicit deny, and the
statements we refuse to guess about (Condition, NotAction)."""

from __future__ import annotations

from typing import Any

import pytest

from diagnostics.aws.access_delete import DELETE_ACTION
from diagnostics.aws.identity_policies import evaluate
from diagnostics.aws.permission_probe import ALLOWED, DENIED, UNKNOWN

OBJECT = "arn:aws:s3:::logs-bucket/AWSLogs/example.json.gz"


def doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


@pytest.mark.parametrize(("documents", "verdict"), [
    ([doc({"Effect": "Allow", "Action": "s3:*", "Resource": "*"})], ALLOWED),
    ([doc({"Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": "*"})], DENIED),
    ([doc({"Effect": "Allow", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::other/*"})], DENIED),
    ([doc({"Effect": "Allow", "Action": "s3:deleteobject", "Resource": "arn:aws:s3:::logs-bucket/*"})], ALLOWED),
    ([doc({"Effect": "Allow", "Action": "s3:*", "Resource": "*"}),
      doc({"Effect": "Deny", "Action": "s3:Delete*", "Resource": "*"})], DENIED),
    ([doc({"Effect": "Allow", "Action": "s3:*", "Resource": "*",
           "Condition": {"Bool": {"aws:SecureTransport": "true"}}})], UNKNOWN),
    ([doc({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})], UNKNOWN),
    ([], DENIED),
])
def test_identity_policies_verdict(documents: list[dict[str, Any]], verdict: str) -> None:
    named = [(f"policy{index}", document) for index, document in enumerate(documents)]
    assert evaluate(named, (DELETE_ACTION,), OBJECT)[0].verdict == verdict
