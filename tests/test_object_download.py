"""The pass's GetObject: a signed GET on the client's pool, with botocore's own errors on any failure."""

from __future__ import annotations

import gzip

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, IncompleteReadError

from diagnostics.aws.object_download import ObjectDownloads
from tests.conftest import admin_client, enable_auth
from tests.fault_proxy import Fault, fault_proxy

BUCKET = "download-bucket"
KEY = "AWSLogs/123456789012/CloudTrail/us-east-1/2024/05/14/file name+1.json.gz"
BODY = gzip.compress(b'{"Records": [' + b", ".join(b'{"n": %d}' % n for n in range(2000)) + b"]}", mtime=0)


def client_for(endpoint: str, key_id: str = "testing", secret: str = "testing"):  # type: ignore[no-untyped-def]
    session = boto3.session.Session(aws_access_key_id=key_id, aws_secret_access_key=secret,
                                    region_name="us-east-1")
    return session.client("s3", endpoint_url=endpoint,
                          config=Config(retries={"max_attempts": 0, "mode": "standard"}, read_timeout=5))


def seed(endpoint: str) -> None:
    s3 = admin_client(endpoint)
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=BODY)


def test_the_body_comes_through_one_signed_get(moto: str) -> None:
    seed(moto)
    with fault_proxy(moto) as proxy:
        downloads = ObjectDownloads(client_for(proxy.url), BUCKET)
        for _ in range(3):
            stream = downloads.open(KEY)
            assert stream.read() == BODY
            stream.close()
        assert proxy.operations() == ["GetObject"] * 3
        assert not any(name.startswith("X-Amz-") for name in proxy.requests[0].query), "header auth, no URL auth"
    assert (downloads.counts.direct, downloads.counts.through_get_object) == (3, 0)


def test_a_missing_key_raises_botocores_no_such_key(moto: str) -> None:
    seed(moto)
    downloads = ObjectDownloads(client_for(moto), BUCKET)
    with pytest.raises(ClientError) as raised:
        downloads.open(KEY + ".missing")
    assert raised.value.response["Error"]["Code"] == "NoSuchKey"
    assert downloads.counts.through_get_object == 1 and "HTTP 404" in downloads.counts.first_reason


def test_a_user_without_get_object_gets_botocores_access_denied(moto: str) -> None:
    seed(moto)
    iam = admin_client(moto, "iam")
    iam.create_user(UserName="lister")
    iam.put_user_policy(UserName="lister", PolicyName="list", PolicyDocument=(
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:ListBucket"], '
        '"Resource": "*"}]}'))
    key = iam.create_access_key(UserName="lister")["AccessKey"]
    enable_auth(moto)
    downloads = ObjectDownloads(client_for(moto, key["AccessKeyId"], key["SecretAccessKey"]), BUCKET)
    with pytest.raises(ClientError) as raised:
        downloads.open(KEY)
    assert raised.value.response["Error"]["Code"] == "AccessDenied"
    assert "HTTP 403" in downloads.counts.first_reason


def test_an_allowed_user_reads_through_the_signed_get_with_auth_on(moto: str) -> None:
    seed(moto)
    iam = admin_client(moto, "iam")
    iam.create_user(UserName="reader")
    iam.put_user_policy(UserName="reader", PolicyName="read", PolicyDocument=(
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], '
        '"Resource": "*"}]}'))
    key = iam.create_access_key(UserName="reader")["AccessKey"]
    enable_auth(moto)
    downloads = ObjectDownloads(client_for(moto, key["AccessKeyId"], key["SecretAccessKey"]), BUCKET)
    assert downloads.open(KEY).read() == BODY
    assert downloads.counts.direct == 1 and downloads.counts.through_get_object == 0


def test_a_body_cut_short_raises_incomplete_read_like_botocore(moto: str) -> None:
    seed(moto)
    with fault_proxy(moto) as proxy:
        proxy.add(Fault("short_body", operation="GetObject"))
        stream = ObjectDownloads(client_for(proxy.url), BUCKET).open(KEY)
        with pytest.raises(Exception) as raised:
            stream.read()
    assert isinstance(raised.value.__cause__, IncompleteReadError), repr(raised.value)
    assert f"total bytes expected is {len(BODY)}" in str(raised.value.__cause__)


def test_a_server_error_is_retried_by_botocore(moto: str) -> None:
    seed(moto)
    with fault_proxy(moto) as proxy:
        proxy.add(Fault("status", operation="GetObject", status=500, code="InternalError", message="boom"))
        downloads = ObjectDownloads(client_for(proxy.url), BUCKET)
        assert downloads.open(KEY).read() == BODY
        assert proxy.operations() == ["GetObject", "GetObject"]
    assert "HTTP 500" in downloads.counts.first_reason


def test_an_unsigned_client_reads_a_public_object(moto: str) -> None:
    from botocore import UNSIGNED

    seed(moto)
    admin_client(moto).put_object_acl(Bucket=BUCKET, Key=KEY, ACL="public-read")
    s3 = boto3.session.Session(region_name="us-east-1").client(
        "s3", endpoint_url=moto, config=Config(signature_version=UNSIGNED, retries={"max_attempts": 0}))
    downloads = ObjectDownloads(s3, BUCKET)
    assert downloads.open(KEY).read() == BODY
    assert downloads.counts.direct + downloads.counts.through_get_object == 1
