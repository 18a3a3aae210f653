"""A tiny loopback S3 for what moto cannot emulate: 301 region redirects, throttling and KMS denials.

It answers path-style requests for one bucket. The region a request was signed for is read from its
SigV4 ``Authorization`` header: a request signed for another region gets ``301 PermanentRedirect`` with
the ``x-amz-bucket-region`` header, as S3 does, so botocore's own redirect logic is exercised for real.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

SIGNED_REGION = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/s3/aws4_request")
KEY = "AWSLogs/123456789012/CloudTrail/eu-west-1/2024/01/01/trail.json.gz"
KMS_KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
LIST_ERRORS = {
    "throttle": (400, "ThrottlingException", "Rate exceeded"),
    "slowdown": (503, "SlowDown", "Please reduce your request rate."),
    "skewed": (
        403,
        "RequestTimeTooSkewed",
        "The difference between the request time and the current time is too large.",
    ),
    "expired": (400, "ExpiredToken", "The provided token has expired."),
}
"""Modes whose bucket listing fails with that (status, code, message)."""
MODES = ("regional", "always_redirect", "kms_denied", *LIST_ERRORS)


def _error_xml(code: str, message: str, extra: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code><Message>{message}</Message>'
        f"{extra}<RequestId>TESTREQUEST</RequestId></Error>"
    ).encode()


def _listing_xml(bucket: str, prefix: str, delimiter: str) -> bytes:
    entries = (
        f"<CommonPrefixes><Prefix>{prefix}AWSLogs/</Prefix></CommonPrefixes>"
        if delimiter
        else f"<Contents><Key>{KEY}</Key><LastModified>2024-01-01T00:00:00.000Z</LastModified>"
        '<ETag>"0123"</ETag><Size>2048</Size><StorageClass>STANDARD</StorageClass></Contents>'
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
        f"<Name>{bucket}</Name><Prefix>{prefix}</Prefix><KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys>"
        f"<Delimiter>{delimiter}</Delimiter><IsTruncated>false</IsTruncated>{entries}</ListBucketResult>"
    ).encode()


class FakeS3(ThreadingHTTPServer):
    """Holds the bucket, its region and the behaviour under test."""

    daemon_threads = True

    def __init__(self, bucket: str, region: str, mode: str) -> None:
        assert mode in MODES
        super().__init__(("127.0.0.1", 0), _Handler)
        self.bucket = bucket
        self.region = region
        self.mode = mode
        self.requests: list[tuple[str, str, str | None]] = []
        """(method, path, signed region) of every request, for assertions."""


class _Handler(BaseHTTPRequestHandler):
    server: FakeS3

    def log_message(self, format: str, *args: object) -> None:
        """Silence the access log (it would land on stderr)."""

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)

    def _handle(self) -> None:
        server = self.server
        url = urlsplit(self.path)
        query = {name: values[0] for name, values in parse_qs(url.query, keep_blank_values=True).items()}
        match = SIGNED_REGION.search(self.headers.get("Authorization", ""))
        signed = match.group(1) if match else None
        server.requests.append((self.command, self.path, signed))
        parts = url.path.lstrip("/").split("/", 1)
        bucket, key = parts[0], (parts[1] if len(parts) > 1 else "")
        region_header = {"x-amz-bucket-region": server.region}
        if bucket != server.bucket:
            self._send(404, _error_xml("NoSuchBucket", "The specified bucket does not exist"))
            return
        if server.mode == "always_redirect" or signed != server.region:
            extra = f"<Endpoint>{bucket}.s3.{server.region}.amazonaws.com</Endpoint><Bucket>{bucket}</Bucket>"
            self._send(
                301,
                _error_xml(
                    "PermanentRedirect",
                    "The bucket you are attempting to access must be addressed using the "
                    "specified endpoint. Please send all future requests to this endpoint.",
                    extra,
                ),
                region_header,
            )
            return
        if "list-type" in query and server.mode in LIST_ERRORS:
            status, code, message = LIST_ERRORS[server.mode]
            self._send(status, _error_xml(code, message))
            return
        if not key and "list-type" in query:
            body = _listing_xml(bucket, query.get("prefix", ""), query.get("delimiter", ""))
            self._send(200, body, {"Content-Type": "application/xml", **region_header})
        elif not key:
            self._send(200, b"", region_header)
        elif self.command == "HEAD":
            headers = {
                "Content-Type": "application/octet-stream",
                "Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT",
                "ETag": '"0123"',
                "x-amz-server-side-encryption": "aws:kms",
                "x-amz-server-side-encryption-aws-kms-key-id": KMS_KEY,
            }
            self.send_response(200)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "2048")
            self.end_headers()
        elif server.mode == "kms_denied":
            self._send(
                403,
                _error_xml(
                    "AccessDenied", f"User is not authorized to perform: kms:Decrypt on resource: {KMS_KEY}"
                ),
            )
        else:
            self._send(206, b"\x1f\x8b" + b"\0" * 14, {"Content-Range": "bytes 0-15/2048"})

    def do_GET(self) -> None:
        self._handle()

    def do_HEAD(self) -> None:
        self._handle()


@contextmanager
def fake_s3(bucket: str, region: str = "eu-west-1", mode: str = "regional") -> Iterator[FakeS3]:
    """Serve the fake bucket on 127.0.0.1 (free port) for the duration of the block."""
    server = FakeS3(bucket, region, mode)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def endpoint_of(server: FakeS3) -> str:
    """The ``http://127.0.0.1:<port>`` URL of a running fake."""
    host, port = server.server_address[:2]
    return f"http://{host}:{port}"
