"""Lazy one-level listing against moto's server: one request per level page, never the whole bucket."""

from __future__ import annotations

import threading

import pytest

from diagnostics.layout.listing import ListingError, iter_level_pages, iter_objects, list_level
from tests.conftest import admin_client
from tests.layout_support import ACCOUNT, RequestCounter, bulk_seed, seed, trail_key

BUCKET = "listing-bucket"


def test_a_level_of_a_big_bucket_takes_one_request(moto: str) -> None:
    client = admin_client(moto)
    keys = [trail_key(f"2024/05/0{day}", f"{n:04d}") for day in range(1, 4) for n in range(400)]
    assert bulk_seed(client, BUCKET, keys) == 1200
    counter = RequestCounter(client)
    level = list_level(client, BUCKET, f"AWSLogs/{ACCOUNT}/CloudTrail/us-east-1/2024/05/")
    assert counter.count() == 1 and level.requests_made == 1
    assert level.folders == tuple(
        f"AWSLogs/{ACCOUNT}/CloudTrail/us-east-1/2024/05/0{day}/" for day in (1, 2, 3)
    )
    assert level.objects == () and level.complete
    root = list_level(client, BUCKET, "")
    assert root.folders == ("AWSLogs/",) and counter.count() == 2
    assert counter.listed()[0]["Delimiter"] == "/"


def test_pages_of_one_level(moto: str) -> None:
    client = admin_client(moto)
    seed(client, BUCKET, [f"top/f{n}/x" for n in range(5)] + ["top/a.txt", "top/b.txt"])
    counter = RequestCounter(client)
    first = list_level(client, BUCKET, "top/", max_keys=3)
    assert first.next_token is not None and not first.complete
    assert len(first.folders) + len(first.objects) == 3
    second = list_level(client, BUCKET, "top/", continuation_token=first.next_token, max_keys=3)
    third = list_level(client, BUCKET, "top/", continuation_token=second.next_token, max_keys=3)
    assert third.complete
    folders = first.folders + second.folders + third.folders
    objects = first.objects + second.objects + third.objects
    assert folders == tuple(f"top/f{n}/" for n in range(5))
    assert [obj.key for obj in objects] == ["top/a.txt", "top/b.txt"]
    assert counter.count() == 3
    assert [level.requests_made for level in iter_level_pages(client, BUCKET, "top/", max_keys=3)] == [
        1,
        1,
        1,
    ]
    assert len(list(iter_level_pages(client, BUCKET, "top/", max_keys=3, max_pages=2))) == 2


def test_object_fields(moto: str) -> None:
    client = admin_client(moto)
    seed(client, BUCKET, ["lvl/one.json.gz"], body=b"hello")
    (obj,) = list_level(client, BUCKET, "lvl/").objects
    assert obj.key == "lvl/one.json.gz" and obj.size == 5
    assert obj.etag == "5d41402abc4b2a76b9719d911017c592"  # md5("hello"), quotes stripped
    assert obj.storage_class == "STANDARD" and obj.last_modified is not None


def test_cancelled_before_the_call_makes_no_request(moto: str) -> None:
    client = admin_client(moto)
    seed(client, BUCKET, ["a/b"])
    counter = RequestCounter(client)
    cancel = threading.Event()
    cancel.set()
    level = list_level(client, BUCKET, "a/", cancel=cancel)
    assert level.cancelled and level.requests_made == 0 and counter.count() == 0
    assert list(iter_objects(client, BUCKET, "a/", cancel=cancel)) == []


def test_missing_bucket_is_a_listing_error(moto: str) -> None:
    with pytest.raises(ListingError) as raised:
        list_level(admin_client(moto), "no-such-bucket-here", "")
    assert raised.value.code == "NoSuchBucket"
    assert "ListObjectsV2" in str(raised.value)


def test_unreachable_endpoint_is_a_listing_error() -> None:
    client = admin_client("http://127.0.0.1:9")
    with pytest.raises(ListingError) as raised:
        list_level(client, BUCKET, "")
    assert raised.value.code == "" and "127.0.0.1:9" in str(raised.value)


def test_iter_objects_uses_start_after_then_only_tokens(moto: str) -> None:
    client = admin_client(moto)
    seed(client, BUCKET, [f"p/{n:02d}" for n in range(7)])
    counter = RequestCounter(client)
    listed = [
        (obj.key, page) for obj, page in iter_objects(client, BUCKET, "p/", start_after="p/01", max_keys=2)
    ]
    assert [key for key, _ in listed] == ["p/02", "p/03", "p/04", "p/05", "p/06"]
    assert [page for _, page in listed] == [1, 1, 2, 2, 3]
    calls = counter.listed()
    assert calls[0]["StartAfter"] == "p/01" and "ContinuationToken" not in calls[0]
    assert all("StartAfter" not in call and "ContinuationToken" in call for call in calls[1:])
