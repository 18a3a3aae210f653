"""Our own copy of the module's ``cloudwatch_logs`` table, so a repeated CloudWatch pass resumes like the module.

The module keeps, per (loop region, log group, stream), the last token and the first and last event times it
sent, in ``aws_services.db``; the doctor never writes that file, so it keeps the same table in the user's cache
directory. ``--from-wazuh-state`` seeds it from a read-only copy of the module's file, to walk from exactly where
the module stands; ``--reset`` starts over (the module's first run), dropping only this table.
"""

from __future__ import annotations

# Re-exported because the app's service pass screen names the file through this module.
from diagnostics.ingest.services_state_file import SERVICES_FILE_NAME as SERVICES_FILE_NAME
from diagnostics.ingest.services_state_file import ServicesTable
from diagnostics.wazuh.services_state import StreamProgress

_CREATE = ("CREATE TABLE cloudwatch_logs (aws_region 'text' NOT NULL, aws_log_group 'text' NOT NULL, "
           "aws_log_stream 'text' NOT NULL, next_token 'text', start_time 'integer', end_time 'integer', "
           "PRIMARY KEY (aws_region, aws_log_group, aws_log_stream));")


def _text_or_none(value: object) -> str | None:
    """The module reads the text "None" back as None (its own writes can store it that way)."""
    return None if value is None or value == "None" else str(value)


def _int_or_none(value: object) -> int | None:
    return None if value is None or value == "None" else int(str(value))


class CloudWatchState(ServicesTable):
    """The ``cloudwatch_logs`` table in our state directory, written after each stream as the module writes it."""

    TABLE = "cloudwatch_logs"
    CREATE = _CREATE

    def progress(self, region: str, group: str, stream: str) -> StreamProgress | None:
        """The stream's saved row under a loop region, or None (the module's first read of it)."""
        row = self._connection.execute(
            "SELECT next_token, start_time, end_time FROM cloudwatch_logs WHERE aws_region=? AND "
            "aws_log_group=? AND aws_log_stream=?", (region, group, stream)).fetchone()
        if row is None:
            return None
        return StreamProgress(stream, _text_or_none(row[0]), _int_or_none(row[1]), _int_or_none(row[2]))

    def save(self, region: str, group: str, progress: StreamProgress) -> bool:
        """Insert or update the stream's row and commit it; True when a row was already there (an update)."""
        values = (progress.token, progress.start_time, progress.end_time, region, group, progress.stream)
        existed = self.progress(region, group, progress.stream) is not None
        if existed:
            self._connection.execute("UPDATE cloudwatch_logs SET next_token=?, start_time=?, end_time=? WHERE "
                                     "aws_region=? AND aws_log_group=? AND aws_log_stream=?", values)
        else:
            self._connection.execute("INSERT INTO cloudwatch_logs (next_token, start_time, end_time, aws_region, "
                                     "aws_log_group, aws_log_stream) VALUES (?, ?, ?, ?, ?, ?)", values)
        return existed

    def purge(self, region: str, group: str, existing: set[str]) -> set[str]:
        """Drop the rows of streams AWS no longer lists, as the module does after each group; the removed names."""
        rows = self._connection.execute("SELECT aws_log_stream FROM cloudwatch_logs WHERE aws_region=? AND "
                                        "aws_log_group=?", (region, group)).fetchall()
        gone = {str(row[0]) for row in rows} - existing
        for stream in gone:
            self._connection.execute("DELETE FROM cloudwatch_logs WHERE aws_region=? AND aws_log_group=? AND "
                                     "aws_log_stream=?", (region, group, stream))
        return gone

    def rows(self) -> list[tuple[str, str, str, str | None, int | None, int | None]]:
        """Every row, ordered like a dump of the module's table, for tests and the summary."""
        found = self._connection.execute("SELECT aws_region, aws_log_group, aws_log_stream, next_token, start_time, "
                                         "end_time FROM cloudwatch_logs ORDER BY aws_region, aws_log_group, "
                                         "aws_log_stream").fetchall()
        return [(str(r[0]), str(r[1]), str(r[2]), _text_or_none(r[3]), _int_or_none(r[4]), _int_or_none(r[5]))
                for r in found]
