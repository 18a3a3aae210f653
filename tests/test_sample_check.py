"""The "read one object" step decodes the next file the module would read and says what it would send."""

from __future__ import annotations

import gzip
import json
from datetime import datetime, timezone
from pathlib import Path

import boto3
import pytest

from diagnostics.aws.clients import ClientSettings, make_client
from diagnostics.context import DoctorContext
from diagnostics.findings import SourceLocation, Status
from diagnostics.sample_check import check_sample_object
from diagnostics.wazuh.wodle import Block, Option
from tests.conftest import admin_client

NOW = datetime.now(timezone.utc)


def bucket_block(bucket_type: str, name: str, path: str | None = None) -> Block:
    options = {"name": Option("name", name, 3)}
    if path:
        options["path"] = Option("path", path, 4)
    return Block("bucket", bucket_type, SourceLocation("ossec.conf", 2), options)


def client_for(endpoint: str) -> object:
    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                    region_name="us-east-1")
    return make_client(session, "s3", ClientSettings(endpoint_url=endpoint, max_attempts=1))


@pytest.fixture
def context(tmp_path: Path) -> DoctorContext:
    return DoctorContext(wazuh_home=tmp_path / "ossec", now=NOW)


def test_custom_objects_without_detail_send_nothing(moto: str, context: DoctorContext) -> None:
    s3 = admin_client(moto)
    s3.create_bucket(Bucket="sample-custom")
    body = b'{"id": 1, "message": "plain json"}{"id": 2, "message": "no detail"}'
    s3.put_object(Bucket="sample-custom", Key=f"logs/{NOW:%Y/%m/%d/%H}/firehose-1-{NOW:%Y-%m-%d-%H-%M-%S}-x",
                  Body=body)
    findings = check_sample_object(client_for(moto), bucket_block("custom", "sample-custom", "logs"), None,
                                   context, None, caller_account="123456789012")
    assert findings, "the step always says something"
    assert any(f.status is Status.WARNING and "detail" in (f.title + f.explanation) for f in findings)
    assert all(f.status is not Status.OK for f in findings)


def test_cloudtrail_next_file_sends_its_records(moto: str, context: DoctorContext) -> None:
    s3 = admin_client(moto)
    s3.create_bucket(Bucket="sample-trail")
    records = {"Records": [{"eventName": "ConsoleLogin", "eventTime": NOW.isoformat()},
                           {"eventName": "CreateRole", "errorCode": "AccessDenied"}]}
    key = (f"AWSLogs/123456789012/CloudTrail/us-east-1/{NOW:%Y/%m/%d}/123456789012_CloudTrail_us-east-1_"
           f"{NOW:%Y%m%dT%H%M}Z_abc.json.gz")
    s3.put_object(Bucket="sample-trail", Key=key, Body=gzip.compress(json.dumps(records).encode()))
    findings = check_sample_object(client_for(moto), bucket_block("cloudtrail", "sample-trail"), None,
                                   context, None)
    assert findings[0].status is Status.OK
    assert findings[0].failure_id == "sample.events_sent"
    assert "2 records read, 2 would be sent" in findings[0].title
    assert findings[0].location == SourceLocation("ossec.conf", 3)


def test_nothing_after_the_marker_is_skipped(moto: str, context: DoctorContext) -> None:
    s3 = admin_client(moto)
    s3.create_bucket(Bucket="sample-old")
    s3.put_object(Bucket="sample-old", Key="AWSLogs/123456789012/CloudTrail/us-east-1/2020/01/02/"
                  "123456789012_CloudTrail_us-east-1_20200102T0000Z_abc.json.gz",
                  Body=gzip.compress(b'{"Records": []}'))
    findings = check_sample_object(client_for(moto), bucket_block("cloudtrail", "sample-old"), None,
                                   context, None)
    assert [f.failure_id for f in findings] == ["sample.nothing_new"]
    assert findings[0].status is Status.SKIPPED
