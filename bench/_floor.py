"""The least a Python process can do to send these events: the floor under any pass, ours or the module's.

One list, then per object one header-signed GET on a kept-alive ``http.client`` connection, ``zlib``,
one ``json.loads``, and per record the module's envelope edits (our own ``envelope`` and CloudTrail
reformat, so the datagrams are the ones the module sends) and one ``json.dumps``. No state database, no
log, no walk rules, no error handling: nothing a real pass can skip is skipped, and nothing more is done.
"""

from __future__ import annotations

import http.client
import json
import urllib.parse
import zlib
from typing import IO, Any


def floor_pass(client: Any, bucket: str, prefix: str, start_after: str, out: IO[str]) -> dict[str, int]:
    """Read, decode and serialise every object under ``prefix`` after ``start_after``, one at a time."""
    from botocore.auth import S3SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.utils import percent_encode

    from diagnostics.decode.cloudtrail import CloudTrailDecoder
    from diagnostics.decode.envelope import build_message, payload_for

    keys: list[str] = []
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix,
                                                                 StartAfter=start_after):
        keys += [entry["Key"] for entry in page.get("Contents", [])]
    endpoint = urllib.parse.urlsplit(client.meta.endpoint_url)
    connection = http.client.HTTPConnection(endpoint.hostname or "127.0.0.1", endpoint.port)
    credentials = client._request_signer._credentials.get_frozen_credentials()
    signer = S3SigV4Auth(credentials, "s3", client.meta.region_name)
    decoder = CloudTrailDecoder()
    account = prefix.split("/")[1]
    events = 0
    for key in keys:
        path = f"/{bucket}/{percent_encode(key, safe='/~')}"
        request = AWSRequest(method="GET", url=f"{client.meta.endpoint_url}{path}", headers={})
        signer.add_auth(request)
        connection.request("GET", path, headers=dict(request.headers.items()))
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"GET {key}: HTTP {response.status}")
        for record in json.loads(zlib.decompress(body, 47))["Records"]:
            message = build_message(bucket, key, "", dict(record, source="cloudtrail"), account_id=account)
            for event in decoder.reformat(message, lambda line: None):
                out.write(payload_for(event) + "\n")
                events += 1
    connection.close()
    return {"files": len(keys), "events": events}
