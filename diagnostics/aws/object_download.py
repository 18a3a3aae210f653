"""GetObject for the ingestion pass: one signed GET on the client's own HTTP pool, botocore on any failure.

A botocore ``get_object`` call costs about 3 ms of CPU here (event hooks, response parsing, the
``Last-Modified`` date through dateutil), more than decoding the 50 events of a CloudTrail file. The
pass only needs the body, so it asks the client where the bucket's objects live (one presigned URL per
pass: endpoint, addressing style and region rules stay botocore's), signs each GET with the client's
own signer (its credentials, refreshed as botocore refreshes them; header auth, as ``get_object`` does,
so a bucket policy that refuses presigned URLs changes nothing) and sends it on the client's connection
pool (its proxies, TLS settings and timeouts): about 1.3 ms. Anything but a 200 is asked again through
``get_object``, so errors, retries and region redirects are botocore's own, as the module meets them.
Response checksums are not validated on this path (TCP, TLS and the length check still guard the bytes).
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from diagnostics.decode.streams import as_buffered, open_s3_object

# Imported inside the functions that use them: botocore adds 9-170 ms to start-up
# (python -X importtime), paid otherwise by every command that never needs them.

PROBE_KEY = "wazuh-aws-doctor-address-probe"
"""A key used only to learn the URL of the bucket's objects; it is signed, never requested."""


@dataclass
class DownloadCounts:
    """How the pass's bodies were fetched: directly signed, or through ``get_object`` (and the first why)."""

    direct: int = 0
    through_get_object: int = 0
    first_reason: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def fell_back(self, reason: str) -> None:
        with self.lock:
            self.through_get_object += 1
            self.first_reason = self.first_reason or reason


class _SignedBody:
    """The response stream, checked against its Content-Length like botocore's StreamingBody (its pool
    does not enforce it) and handing its connection back to the pool once read to the end."""

    def __init__(self, raw: Any) -> None:
        self._raw = raw
        self._finished = False
        self._received = 0
        length = raw.headers.get("Content-Length") if raw.headers is not None else None
        self._expected = int(length) if length is not None and length.isdigit() else None

    def read(self, size: int = -1) -> bytes:
        data: bytes = self._raw.read(size if size >= 0 else None)
        self._received += len(data)
        if not data and not self._finished and size != 0:
            self._finished = True
            if self._expected is not None and self._received != self._expected:
                from botocore.exceptions import IncompleteReadError

                raise IncompleteReadError(actual_bytes=self._received, expected_bytes=self._expected)
            with contextlib.suppress(Exception):
                self._raw.release_conn()
        return data

    def close(self) -> None:
        """A body dropped half-read closes its connection (it cannot be reused)."""
        with contextlib.suppress(Exception):
            if self._finished:
                self._raw.release_conn()
            else:
                self._raw.close()


class ObjectDownloads:
    """Bodies of one bucket's objects for the pass; safe to share between the read-ahead threads."""

    def __init__(self, client: Any, bucket: str) -> None:
        self.client, self.bucket = client, bucket
        self.counts = DownloadCounts()
        self._lock = threading.Lock()
        self._resolved = False
        self._base_url: str | None = None
        self._unusable = ""

    def base_url(self) -> str | None:
        """Where the bucket's objects live (``https://bucket.s3.region.amazonaws.com/``), once per pass."""
        with self._lock:
            if not self._resolved:
                self._resolved = True
                self._base_url, self._unusable = self._resolve()
            return self._base_url

    def _resolve(self) -> tuple[str | None, str]:
        client = self.client
        if getattr(getattr(client, "_endpoint", None), "http_session", None) is None \
                or getattr(client, "_request_signer", None) is None:
            return None, "the client has no HTTP pool or signer to reuse"
        try:
            url = client.generate_presigned_url("get_object", Params={"Bucket": self.bucket, "Key": PROBE_KEY})
        except Exception as error:  # no credentials, a bucket name botocore refuses: get_object says why
            return None, f"the object address could not be resolved ({type(error).__name__})"
        address = str(url).split("?", 1)[0]
        if not address.endswith("/" + PROBE_KEY):
            return None, "the object address has an unexpected shape"
        return address[: -len(PROBE_KEY)], ""

    def open(self, key: str) -> BinaryIO:
        """The object's bytes as a buffered stream; botocore's errors (AccessDenied, NoSuchKey...) propagate."""
        body = self._signed_body(key)
        if body is None:
            return open_s3_object(self.client, self.bucket, key)
        with self.counts.lock:
            self.counts.direct += 1
        return as_buffered(body)

    def _signed_body(self, key: str) -> _SignedBody | None:
        from botocore.awsrequest import AWSRequest
        from botocore.utils import percent_encode

        base = self.base_url()
        if base is None:
            self.counts.fell_back(self._unusable)
            return None
        client = self.client
        try:
            request = AWSRequest(method="GET", url=base + percent_encode(key, safe="/~"), headers={})
            client._request_signer.sign("GetObject", request)
            prepared = request.prepare()
            prepared.stream_output = True
            response = client._endpoint.http_session.send(prepared)
        except Exception as error:  # expired credentials, a dropped connection: get_object retries and says why
            self.counts.fell_back(f"the signed GET failed ({type(error).__name__})")
            return None
        if response.status_code != 200:
            _discard(response.raw)
            self.counts.fell_back(f"the signed GET answered HTTP {response.status_code}")
            return None
        return _SignedBody(response.raw)


ERROR_BODY_BYTES = 64 * 1024
"""An error document is read to its end (so the connection goes back to the pool) when at most this long."""


def _discard(raw: Any) -> None:
    """Read a small error answer to its end and hand the connection back; close a large one.

    Closing a socket with unread bytes makes the kernel reset the connection, which the server sees as
    an abort; reading a few hundred bytes of XML is cheaper than a new connection anyway.
    """
    with contextlib.suppress(Exception):
        data = raw.read(ERROR_BODY_BYTES + 1)
        if len(data) <= ERROR_BODY_BYTES:
            raw.release_conn()
            return
    with contextlib.suppress(Exception):
        raw.close()
