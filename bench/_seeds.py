"""Deterministic bench data: CloudTrail and Firehose objects, a million browse keys, big gzip objects.

Shared by the moto server process (which inserts the objects into its backend directly, far faster than
one PUT per object over HTTP) and by the benches (which need to know the keys they ask for).
"""

from __future__ import annotations

import gzip
import json
import random
import struct
import zlib
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

ACCOUNT = "123456789012"
REGION = "us-east-1"
NOW = datetime(2024, 6, 1, 12, 0, tzinfo=timezone.utc)

TRAIL_BUCKET = "bench-trail"
TRAIL_FILES = 2000
TRAIL_RECORDS = 50
TRAIL_FIRST_DAY = date(2024, 5, 1)
TRAIL_FILES_PER_DAY = 100

FIREHOSE_BUCKET = "bench-firehose"
FIREHOSE_PATH = "firehose"
FIREHOSE_FILES = 500
FIREHOSE_EVENTS = 48

BROWSE_BUCKET = "bench-browse"
BROWSE_KEYS = 1_000_000
BROWSE_ACCOUNTS = ("123456789012", "210987654321")
BROWSE_REGIONS = ("eu-west-1", "us-east-1")
BROWSE_FIRST_DAY = date(2022, 1, 1)
BROWSE_DAYS = 1096
"""Three years (2022-01-01 .. 2024-12-31)."""

PREVIEW_BUCKET = "bench-preview"

_USER_AGENTS = ("aws-cli/2.15.40 md/awscrt#0.19.19 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.8",
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                "Chrome/124.0.0.0 Safari/537.36", "Boto3/1.34.90 md/Botocore#1.34.90 ua/2.0 os/linux",
                "console.amazonaws.com")
_EVENTS = (("s3.amazonaws.com", "GetObject"), ("iam.amazonaws.com", "ListRoles"),
           ("ec2.amazonaws.com", "DescribeInstances"), ("signin.amazonaws.com", "ConsoleLogin"),
           ("sts.amazonaws.com", "AssumeRole"), ("kms.amazonaws.com", "Decrypt"))


def _uuid(rng: random.Random) -> str:
    text = f"{rng.getrandbits(128):032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def cloudtrail_record(rng: random.Random, when: datetime, region: str = REGION) -> dict[str, Any]:
    """One management event shaped like CloudTrail's (about 1 KB of JSON), with random ids."""
    source, name = rng.choice(_EVENTS)
    user = f"user-{rng.randrange(40):02d}"
    return {
        "eventVersion": "1.09",
        "userIdentity": {"type": "IAMUser", "principalId": f"AIDA{rng.getrandbits(60):015X}",
                         "arn": f"arn:aws:iam::{ACCOUNT}:user/{user}", "accountId": ACCOUNT,
                         "accessKeyId": f"AKIA{rng.getrandbits(64):016X}", "userName": user},
        "eventTime": when.strftime("%Y-%m-%dT%H:%M:%SZ"), "eventSource": source, "eventName": name,
        "awsRegion": region,
        "sourceIPAddress": ".".join(str(rng.randrange(1, 224) if part == 0 else rng.randrange(256))
                                   for part in range(4)),
        "userAgent": rng.choice(_USER_AGENTS),
        "requestParameters": {"bucketName": f"data-{rng.randrange(20)}", "key": f"reports/{_uuid(rng)}.csv"}
        if source == "s3.amazonaws.com" else {"maxItems": 100},
        "responseElements": None, "requestID": _uuid(rng), "eventID": _uuid(rng),
        "readOnly": rng.random() < 0.7, "eventType": "AwsApiCall", "managementEvent": True,
        "recipientAccountId": ACCOUNT, "eventCategory": "Management",
        "tlsDetails": {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
                       "clientProvidedHostHeader": source},
    }


def trail_key(day: date, index: int) -> str:
    """A CloudTrail object key of our account and region on ``day`` (index orders them in the day)."""
    stamp = f"{day:%Y%m%d}T{index // 60 % 24:02d}{index % 60:02d}Z"
    return (f"AWSLogs/{ACCOUNT}/CloudTrail/{REGION}/{day:%Y/%m/%d}/"
            f"{ACCOUNT}_CloudTrail_{REGION}_{stamp}_{index:04d}Bench.json.gz")


def _pool(make: Any, size: int, seed: int) -> list[str]:
    """``size`` distinct records as JSON text; objects are cut from this pool so seeding takes seconds."""
    rng = random.Random(seed)
    start = datetime(2024, 5, 1, tzinfo=timezone.utc)
    return [json.dumps(make(rng, start + timedelta(seconds=37 * i))) for i in range(size)]


def _window(pool: list[str], start: int, count: int) -> list[str]:
    return [pool[(start + i) % len(pool)] for i in range(count)]


def trail_objects() -> Iterator[tuple[str, bytes]]:
    """``TRAIL_FILES`` gzip objects of ``TRAIL_RECORDS`` records each (100,000 events)."""
    pool = _pool(cloudtrail_record, 5003, 20240501)
    for number in range(TRAIL_FILES):
        day = TRAIL_FIRST_DAY + timedelta(days=number // TRAIL_FILES_PER_DAY)
        records = ", ".join(_window(pool, number * TRAIL_RECORDS, TRAIL_RECORDS))
        body = gzip.compress(('{"Records": [' + records + "]}").encode(), 6)
        yield trail_key(day, number % TRAIL_FILES_PER_DAY), body


def macie_finding(rng: random.Random, when: datetime) -> dict[str, Any]:
    """A Macie policy finding as EventBridge delivers it through Firehose (about 1.5 KB)."""
    bucket = f"acme-bucket-{rng.randrange(50):02d}"
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "version": "0", "id": _uuid(rng), "detail-type": "Macie Finding", "source": "aws.macie",
        "account": ACCOUNT, "time": stamp, "region": REGION, "resources": [],
        "detail": {
            "schemaVersion": "1.0", "id": f"{rng.getrandbits(128):032x}", "accountId": ACCOUNT,
            "partition": "aws", "region": REGION, "type": "Policy:IAMUser/S3BlockPublicAccessDisabled",
            "title": "Block Public Access settings are disabled for the S3 bucket",
            "description": "All Amazon S3 block public access settings are disabled for the bucket.",
            "severity": {"score": rng.choice((1, 2, 3)),
                         "description": rng.choice(("Low", "Medium", "High"))},
            "createdAt": stamp, "updatedAt": stamp, "count": rng.randrange(1, 5), "category": "POLICY",
            "sample": False, "archived": False,
            "resourcesAffected": {"s3Bucket": {
                "arn": f"arn:aws:s3:::{bucket}", "name": bucket, "createdAt": "2023-11-02T16:20:11.000Z",
                "owner": {"displayName": "acme-aws", "id": f"{rng.getrandbits(256):064x}"},
                "tags": [{"key": "team", "value": "web"}],
                "defaultServerSideEncryption": {"encryptionType": "AES256", "kmsMasterKeyId": None},
                "publicAccess": {"effectivePermission": "PUBLIC", "permissionConfiguration": {
                    "bucketLevelPermissions": {
                        "accessControlList": {"allowsPublicReadAccess": False,
                                              "allowsPublicWriteAccess": False},
                        "blockPublicAccess": {"blockPublicAcls": False, "blockPublicPolicy": False,
                                              "ignorePublicAcls": False, "restrictPublicBuckets": False}}}}}},
        },
    }


def firehose_objects() -> Iterator[tuple[str, bytes]]:
    """``FIREHOSE_FILES`` Firehose objects (concatenated JSON, no separator) of Macie findings."""
    pool = [text.replace(", ", ",").replace(": ", ":") for text in _pool(macie_finding, 2003, 20240502)]
    for number in range(FIREHOSE_FILES):
        when = datetime(2024, 5, 2, tzinfo=timezone.utc) + timedelta(minutes=number * 5)
        body = "".join(_window(pool, number * FIREHOSE_EVENTS, FIREHOSE_EVENTS))
        key = f"{FIREHOSE_PATH}/{when:%Y/%m/%d/%H}/macie-stream-1-{when:%Y-%m-%d-%H-%M-%S}-{number:04d}-bench"
        yield key, body.encode()


def browse_scope_prefix(account: str, region: str) -> str:
    """The folder whose children are the years of one account and region."""
    return f"AWSLogs/{account}/CloudTrail/{region}/"


def browse_keys() -> Iterator[tuple[str, datetime]]:
    """``BROWSE_KEYS`` CloudTrail keys over three years, four account/region scopes, in sorted order.

    Each scope-day holds 228 or 229 keys so the total is exactly one million.
    """
    scopes = [(account, region) for account in BROWSE_ACCOUNTS for region in BROWSE_REGIONS]
    slots = len(scopes) * BROWSE_DAYS
    base, extra = divmod(BROWSE_KEYS, slots)
    slot = 0
    for account, region in scopes:
        prefix = browse_scope_prefix(account, region)
        for offset in range(BROWSE_DAYS):
            day = BROWSE_FIRST_DAY + timedelta(days=offset)
            count = base + (1 if slot < extra else 0)
            slot += 1
            folder = f"{prefix}{day:%Y/%m/%d}/"
            midnight = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
            for index in range(count):
                minute = index * 1440 // count
                stamp = f"{day:%Y%m%d}T{minute // 60:02d}{minute % 60:02d}Z"
                yield (f"{folder}{account}_CloudTrail_{region}_{stamp}_{index:04d}abcdEFGH.json.gz",
                       midnight + timedelta(minutes=minute + 5))


def write_gzip_cloudtrail(path: Path, target_bytes: int) -> dict[str, int]:
    """A gzip CloudTrail object of about ``target_bytes`` compressed: one ``{"Records": [...]}`` document.

    One gzip member whose deflate stream is cut by full flushes (the window is reset, so no match crosses
    a cut): a chunk of 1,000 records is compressed once and its bytes repeated, so a 500 MB object takes
    seconds to write and still reads like any single-member file (``gzip.decompress`` does it in one
    call). Records compress about 9:1, like real CloudTrail files.
    """
    rng = random.Random(target_bytes)
    when = datetime(2024, 5, 14, tzinfo=timezone.utc)

    def deflated(data: bytes, mode: int = zlib.Z_FULL_FLUSH) -> bytes:
        compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
        return compressor.compress(data) + compressor.flush(mode)

    head = b'{"Records": [' + json.dumps(cloudtrail_record(rng, when)).encode()
    chunk = "".join(", " + json.dumps(cloudtrail_record(rng, when + timedelta(seconds=i)))
                    for i in range(1000)).encode()
    tail = b"]}"
    head_z, chunk_z, tail_z = deflated(head), deflated(chunk), deflated(tail, zlib.Z_FINISH)
    repeats = max(0, (target_bytes - 18 - len(head_z) - len(tail_z)) // len(chunk_z))
    crc, size = zlib.crc32(head), len(head)
    with path.open("wb") as out:
        out.write(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff")  # gzip header: deflate, no name, mtime 0
        out.write(head_z)
        for _ in range(repeats):
            out.write(chunk_z)
            crc = zlib.crc32(chunk, crc)
        out.write(tail_z)
        crc, size = zlib.crc32(tail, crc), size + repeats * len(chunk) + len(tail)
        out.write(struct.pack("<II", crc, size & 0xFFFFFFFF))
    return {"compressed_bytes": path.stat().st_size, "uncompressed_bytes": size, "records": 1 + repeats * 1000}
