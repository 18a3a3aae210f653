"""What the module's ``aws_services.db`` remembers for a `<service>` block, read without a lock.

CloudWatch Logs keeps one row per (region, log group, stream): the token and the time range already sent,
keyed by the region the loop passed (not the region the client read). Inspector keeps the last scan time
per (account, region). Both tell where the next run starts, which is what an admin asks when events are
missing or repeated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from diagnostics.wazuh.state_db import StateReader


@dataclass(frozen=True)
class StreamProgress:
    """One stream's row: the next token and the first and last event times sent (epoch milliseconds)."""

    stream: str
    token: str | None
    start_time: int | None
    end_time: int | None

    @property
    def next_start(self) -> int | None:
        """The first millisecond the next run asks for (one after the last event sent)."""
        return self.end_time + 1 if self.end_time is not None else None


def milliseconds_text(value: int | None) -> str:
    """Epoch milliseconds as a UTC time an admin can read."""
    if value is None:
        return "none"
    return datetime.fromtimestamp(value / 1000, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3] + " UTC"


def cloudwatch_progress(reader: StateReader, region: str, group: str) -> tuple[StreamProgress, ...]:
    """Every stream row the module keeps for a log group under a loop region, in stream order."""
    if reader.columns("cloudwatch_logs") is None:
        return ()
    rows = reader.select(
        "SELECT aws_log_stream, next_token, start_time, end_time FROM cloudwatch_logs "
        "WHERE aws_region=:region AND aws_log_group=:group ORDER BY aws_log_stream",
        {"region": region, "group": group})
    return tuple(StreamProgress(str(row[0]), row[1] if row[1] is None else str(row[1]),
                                None if row[2] is None else int(row[2]), None if row[3] is None else int(row[3]))
                 for row in rows)


def inspector_last_scan(reader: StateReader, account: str, region: str) -> str | None:
    """The newest ``scan_date`` for Inspector in an account and region, as the module stores it."""
    if reader.columns("aws_services") is None:
        return None
    rows = reader.select(
        "SELECT scan_date FROM aws_services WHERE service_name='inspector' AND aws_account_id=:account "
        "AND aws_region=:region ORDER BY scan_date DESC LIMIT 1", {"account": account, "region": region})
    return str(rows[0][0]) if rows else None


def inspector_scans(reader: StateReader, region: str) -> tuple[tuple[str, str], ...]:
    """Each account's newest Inspector ``scan_date`` in a region, as (account, scan_date), accounts sorted."""
    if reader.columns("aws_services") is None:
        return ()
    rows = reader.select(
        "SELECT aws_account_id, MAX(scan_date) FROM aws_services WHERE service_name='inspector' "
        "AND aws_region=:region GROUP BY aws_account_id ORDER BY aws_account_id", {"region": region})
    return tuple((str(row[0]), str(row[1])) for row in rows if row[1] is not None)
