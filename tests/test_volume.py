"""Per-day volume counting and the run-time projection against the interval."""

from __future__ import annotations

from datetime import date

import pytest

from diagnostics.layout.prefixes import BucketLayout
from diagnostics.layout.volume import (
    DayVolume,
    VolumeEstimate,
    estimate_values,
    estimate_volume,
    format_duration,
    format_size,
    parse_interval,
)
from tests.conftest import admin_client
from tests.layout_support import ACCOUNT, RequestCounter, seed, trail_key

BUCKET = "volume-bucket"


@pytest.mark.parametrize(
    ("text", "seconds"), [(None, 5), ("10m", 600), ("1h", 3600), ("30", 30), ("2d", 172800), ("x", None)]
)
def test_parse_interval(text: str | None, seconds: int | None) -> None:
    assert parse_interval(text) == seconds


def test_counts_each_day_with_its_own_listing(moto: str) -> None:
    client = admin_client(moto)
    keys = [trail_key("2024/05/02", f"{n:04d}") for n in range(3)] + [trail_key("2024/05/04", "0001")]
    seed(client, BUCKET, [*keys, trail_key("2024/05/04", "0002", region="eu-west-1")], body=b"y" * 100)
    counter = RequestCounter(client)
    layout = BucketLayout.build("cloudtrail", BUCKET)
    estimate = estimate_volume(
        client,
        layout,
        date(2024, 5, 1),
        date(2024, 5, 4),
        scopes=[(ACCOUNT, "us-east-1")],
        interval_seconds=600,
    )
    assert [(day.day.day, day.objects) for day in estimate.days] == [(4, 1), (3, 0), (2, 3), (1, 0)]
    assert counter.count() == 4 and estimate.requests_made == 4
    assert estimate.objects == 4 and estimate.bytes == 400 and not estimate.capped
    assert estimate.days[0].prefix == f"AWSLogs/{ACCOUNT}/CloudTrail/us-east-1/2024/05/04/"


def test_request_budget_and_flat_layouts(moto: str) -> None:
    client = admin_client(moto)
    seed(
        client, BUCKET, ["s3/2024-05-04-10-00-00-ABCDEF0123456789", "s3/2024-05-03-10-00-00-ABCDEF0123456789"]
    )
    layout = BucketLayout.build("server_access", BUCKET, "s3")
    estimate = estimate_volume(client, layout, date(2024, 4, 1), date(2024, 5, 4), max_requests=2)
    assert [day.prefix for day in estimate.days] == ["s3/2024-05-04-", "s3/2024-05-03-"]
    assert estimate.capped and estimate.extrapolated and estimate.range_days == 34


def test_projection_and_overtaken_interval() -> None:
    days = tuple(DayVolume(date(2024, 5, d), "p/", 1_000_000, 10**10, 1000) for d in (3, 4))
    estimate = VolumeEstimate(days, date(2024, 5, 1), date(2024, 5, 4), 2000, False, interval_seconds=60)
    assert estimate.objects_per_day == 1_000_000
    assert estimate.backlog_seconds == pytest.approx(4 * (1_000_000 * 0.1 + 10**10 / 5_000_000))
    assert estimate.steady_run_seconds == pytest.approx((100_000 + 2000) * 60 / 86400)
    assert estimate.overtakes_interval  # 70 s of work every 60 s
    values = estimate_values(estimate)
    assert values["interval"] == "60 s" and values["per_day"] == "1000000"
    assert format_size(1536) == "1.5 KB" and format_duration(7200) == "2.0 h"
