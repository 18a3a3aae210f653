"""Lazy, one-level S3 listing for the key browser: one ``ListObjectsV2`` with ``Delimiter='/'`` per call.

A level is never built by listing the whole bucket: each call returns one page of folders and objects and
a continuation token, so expanding a tree node costs one request however large the bucket is.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

# Imported inside the functions that use them: botocore adds 9-170 ms to start-up
# (python -X importtime), paid otherwise by every command that never needs them.


class ListingError(Exception):
    """An S3 listing failed; carries the botocore code so callers can explain it (AccessDenied...)."""

    def __init__(self, operation: str, code: str, message: str) -> None:
        super().__init__(f"An error occurred ({code}) when calling the {operation} operation: {message}"
                         if code else message)
        self.operation = operation
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ListedObject:
    """One object of a listing page (the fields the browser and the walk use)."""

    key: str
    size: int = 0
    last_modified: datetime | None = None
    etag: str | None = None
    storage_class: str | None = None

    @classmethod
    def from_entry(cls, entry: Mapping[str, Any]) -> ListedObject:
        """From a ``Contents`` entry of ``ListObjectsV2``."""
        etag = entry.get("ETag")
        return cls(key=str(entry.get("Key", "")), size=int(entry.get("Size", 0) or 0),
                   last_modified=entry.get("LastModified"),
                   etag=str(etag).strip('"') if etag is not None else None,
                   storage_class=entry.get("StorageClass"))


@dataclass(frozen=True)
class ListedLevel:
    """One page of one level: sub-folders (common prefixes) and the objects directly under ``prefix``."""

    bucket: str
    prefix: str
    folders: tuple[str, ...] = ()
    """Full common prefixes, each ending in ``/``."""
    objects: tuple[ListedObject, ...] = ()
    next_token: str | None = None
    """Pass back as ``continuation_token`` for the next page; None when the level is complete."""
    requests_made: int = 0
    cancelled: bool = False

    @property
    def complete(self) -> bool:
        """True when this was the last page of the level."""
        return self.next_token is None and not self.cancelled


def client_error_parts(error: BaseException) -> tuple[str, str]:
    """(code, message) of a botocore error, or ("", text) for anything else."""
    response = getattr(error, "response", None)
    if isinstance(response, Mapping):
        details = response.get("Error", {}) or {}
        return str(details.get("Code", "")), str(details.get("Message", ""))
    return "", str(error)


def list_objects_page(client: Any, operation_args: Mapping[str, Any]) -> Mapping[str, Any]:
    """One ``ListObjectsV2`` call; botocore errors become ``ListingError`` (endpoint errors included)."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        response: Mapping[str, Any] = client.list_objects_v2(**operation_args)
    except ClientError as error:
        code, message = client_error_parts(error)
        raise ListingError("ListObjectsV2", code, message) from error
    except BotoCoreError as error:
        raise ListingError("ListObjectsV2", "", str(error)) from error
    return response


def list_level(client: Any, bucket: str, prefix: str, *, continuation_token: str | None = None,
               max_keys: int = 1000, cancel: threading.Event | None = None) -> ListedLevel:
    """One page of the level under ``prefix`` (exactly one request; none when already cancelled)."""
    if cancel is not None and cancel.is_set():
        return ListedLevel(bucket, prefix, cancelled=True)
    args: dict[str, Any] = {"Bucket": bucket, "Prefix": prefix, "Delimiter": "/", "MaxKeys": max_keys}
    if continuation_token:
        args["ContinuationToken"] = continuation_token
    response = list_objects_page(client, args)
    folders = tuple(str(entry["Prefix"]) for entry in response.get("CommonPrefixes", []) or [])
    objects = tuple(ListedObject.from_entry(entry) for entry in response.get("Contents", []) or [])
    token = response.get("NextContinuationToken") if response.get("IsTruncated") else None
    return ListedLevel(bucket, prefix, folders, objects, token, requests_made=1)


def iter_level_pages(client: Any, bucket: str, prefix: str, *, max_pages: int | None = None,
                     max_keys: int = 1000, cancel: threading.Event | None = None) -> Iterator[ListedLevel]:
    """Pages of one level, fetched only as the caller asks for them (stops at ``max_pages``)."""
    token: str | None = None
    pages = 0
    while max_pages is None or pages < max_pages:
        level = list_level(client, bucket, prefix, continuation_token=token, max_keys=max_keys, cancel=cancel)
        pages += 1
        yield level
        if level.next_token is None:
            return
        token = level.next_token


def iter_objects(client: Any, bucket: str, prefix: str, *, start_after: str | None = None,
                 max_keys: int = 1000, max_pages: int | None = None,
                 cancel: threading.Event | None = None) -> Iterator[tuple[ListedObject, int]]:
    """Every object under ``prefix`` (no delimiter) after ``start_after``, lazily, with its page number.

    The first request carries ``StartAfter``; later ones only the continuation token, as the module does.
    """
    args: dict[str, Any] = {"Bucket": bucket, "Prefix": prefix, "MaxKeys": max_keys}
    if start_after:
        args["StartAfter"] = start_after
    page = 0
    while max_pages is None or page < max_pages:
        if cancel is not None and cancel.is_set():
            return
        response = list_objects_page(client, args)
        page += 1
        for entry in response.get("Contents", []) or []:
            yield ListedObject.from_entry(entry), page
        if not response.get("IsTruncated"):
            return
        args = {"Bucket": bucket, "Prefix": prefix, "MaxKeys": max_keys,
                "ContinuationToken": response["NextContinuationToken"]}
