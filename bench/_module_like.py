"""A same-machine stand-in for the module's work, so our numbers can be compared on this machine too.

It does what the module's bucket loop does at the least: ``ListObjectsV2`` pages with
``StartAfter``, ``GetObject().read()``, ``gzip.decompress``, ``json.loads`` (or ``raw_decode`` for
Firehose), the envelope with None fields removed and one-element lists flattened, ``json.dumps`` per
event, one state row per file and a single commit at the end. It is an approximation, not the module.
"""

from __future__ import annotations

import gzip
import json
import sqlite3
from pathlib import Path
from typing import IO, Any


def _remove_none(node: dict[str, Any]) -> None:
    for name, value in list(node.items()):
        if isinstance(value, dict):
            _remove_none(value)
        elif value is None:
            del node[name]


def _flatten(node: dict[str, Any]) -> None:
    for name, value in list(node.items()):
        if isinstance(value, list) and len(value) == 1:
            node[name] = value[0]
        elif isinstance(value, dict):
            _flatten(value)


def _records(body: bytes, key: str, bucket_type: str) -> list[dict[str, Any]]:
    if key.endswith(".gz"):
        body = gzip.decompress(body)
    text = body.decode()
    if bucket_type == "cloudtrail":
        return [dict(record, source="cloudtrail") for record in json.loads(text)["Records"]]
    decoder, position, found = json.JSONDecoder(), 0, []
    while position < len(text):
        value, position = decoder.raw_decode(text, position)
        if "detail" in value:
            found.append(dict(value["detail"], source=value["source"].replace("aws.", "")))
    return found


def module_like_pass(client: Any, bucket: str, prefix: str, start_after: str, bucket_type: str,
                     out: IO[str], state_path: Path) -> dict[str, int]:
    """List, read, decode and serialise every object under ``prefix`` after ``start_after``, one at a time."""
    database = sqlite3.connect(state_path)
    database.execute("CREATE TABLE IF NOT EXISTS processed (bucket_path TEXT, log_key TEXT PRIMARY KEY)")
    arguments: dict[str, Any] = {"Bucket": bucket, "Prefix": prefix, "StartAfter": start_after,
                                 "MaxKeys": 1000}
    files = events = 0
    while True:
        page = client.list_objects_v2(**arguments)
        for entry in page.get("Contents", []):
            key = entry["Key"]
            body = client.get_object(Bucket=bucket, Key=key)["Body"].read()
            for record in _records(body, key, bucket_type):
                message: dict[str, Any] = {"integration": "aws", "aws": {
                    "log_info": {"aws_account_alias": "", "log_file": key, "s3bucket": bucket}}}
                _remove_none(record)
                message["aws"].update(record)
                _flatten(message)
                out.write("1:Wazuh-AWS:" + json.dumps(message, default=str) + "\n")
                events += 1
            database.execute("INSERT OR IGNORE INTO processed VALUES (?, ?)", (bucket, key))
            files += 1
        if not page.get("IsTruncated"):
            break
        arguments = {"Bucket": bucket, "Prefix": prefix, "MaxKeys": 1000,
                     "ContinuationToken": page["NextContinuationToken"]}
    database.commit()
    database.close()
    return {"files": files, "events": events}
