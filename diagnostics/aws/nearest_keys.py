"""The keys nearest to one that does not exist, from a read-only listing of its folder.

A NoSuchKey answer means a mistyped or moved key, not a missing permission; showing what is stored next to
it lets the admin correct the key instead of chasing IAM policies.
"""

from __future__ import annotations

import bisect
import difflib
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

MISSING_CODES = frozenset({"NoSuchKey", "404", "NotFound"})
"""Error codes S3 gives for a key with no object (GetObject says NoSuchKey, HeadObject a bare 404)."""
LISTED_KEYS = 1000
"""One ListObjectsV2 page: enough to find neighbours in a day's folder without walking the bucket."""


def is_missing_key(error: BaseException) -> bool:
    """True when an S3 error says the key holds no object (and not that reading it is denied)."""
    if isinstance(error, ClientError):
        return str(error.response.get("Error", {}).get("Code", "")) in MISSING_CODES
    return "NoSuchKey" in str(error)


@dataclass(frozen=True)
class NearestKeys:
    """Where the listing looked and the stored keys closest to the missing one (best first)."""

    prefix: str
    keys: tuple[str, ...]
    listing_error: str | None = None


def folder_of(key: str) -> str:
    """``a/b/c.gz`` → ``a/b/``; a key without a slash lives at the root ``""``."""
    return key.rsplit("/", 1)[0] + "/" if "/" in key else ""


def nearest_keys(client: Any, bucket: str, key: str, *, count: int = 5) -> NearestKeys:
    """List (never read) the key's folder, else the folder above it, and pick the closest stored keys.

    Closest means most alike (a typo) first, then the keys that sort right around where it would be.
    """
    folder = folder_of(key)
    prefixes = [folder] + ([folder_of(folder.rstrip("/"))] if folder else [])
    listed: list[str] = []
    prefix = folder
    for prefix in prefixes:
        try:
            response = client.list_objects_v2(Bucket=bucket, Prefix=prefix, MaxKeys=LISTED_KEYS)
        except (ClientError, BotoCoreError) as error:
            return NearestKeys(prefix, (), str(error))
        listed = sorted(str(item["Key"]) for item in response.get("Contents", ()))
        if listed:
            break
    alike = difflib.get_close_matches(key, listed, n=count, cutoff=0.6)
    at = bisect.bisect_left(listed, key)
    around = listed[max(0, at - count // 2):at + count - count // 2]
    chosen = list(dict.fromkeys([*alike, *around]))[:count]
    return NearestKeys(prefix, tuple(chosen))
