"""Our own copy of the module's ``aws_services`` table, so a repeated Inspector pass asks for the module's window.

The module keeps Inspector's scan dates per (service, account, loop region): on a scope's first run it writes
the start it used (``only_logs_after``, else today, at midnight), and after each region it read it writes the
time the window ended, then keeps that scope's five newest rows. The next run asks ListFindings for findings
updated from the newest row (or ``only_logs_after`` when later) to now. A region is one transaction: the rows
are committed only when its findings were all read, as the module commits at the region's end, so a failed or
cancelled region leaves the previous scan in place and the next pass asks for the same window again.
``--from-wazuh-state`` copies the module's file read-only; ``--reset`` drops only this table, so the
CloudWatch Logs rows kept in the same file survive.
"""

from __future__ import annotations

from diagnostics.ingest.services_state_file import ServicesTable

SERVICE_NAME = "inspector"
"""The ``service_name`` the module files Inspector's rows under."""
RETAINED_ROWS = 5
"""Rows the module keeps per (service, account, region) after each run; older scans are deleted."""
SCAN_DATE_FORMAT = "%Y-%m-%d %H:%M:%S.%f"
"""How the module writes the end of a window (its first-run start is written as ``YYYY-MM-DD 00:00:00.0``)."""

_TABLE = "aws_services"
_CREATE = (f"CREATE TABLE {_TABLE} (service_name 'text' NOT NULL, aws_account_id 'text' NOT NULL, aws_region "
           "'text' NOT NULL, scan_date 'text' NOT NULL, PRIMARY KEY (service_name, aws_account_id, aws_region, "
           "scan_date));")
_SCOPE = "service_name=? AND aws_account_id=? AND aws_region=?"


class InspectorState(ServicesTable):
    """The ``aws_services`` table in our state directory; each region's rows are written in one transaction."""

    TABLE = _TABLE
    CREATE = _CREATE

    def last_scan(self, account: str, region: str) -> str | None:
        """The newest ``scan_date`` of the scope (text order, as the module sorts), or None on its first run."""
        row = self._connection.execute(f"SELECT scan_date FROM {_TABLE} WHERE {_SCOPE} ORDER BY scan_date DESC "
                                       "LIMIT 1", (SERVICE_NAME, account, region)).fetchone()
        return None if row is None else str(row[0])

    def begin_region(self, account: str, region: str, first_start: str) -> None:
        """Open the region's transaction; on the scope's first run, record the start it uses, as the module does."""
        self._connection.execute("BEGIN")
        if self.last_scan(account, region) is None:
            self._insert(account, region, first_start)

    def finish_region(self, account: str, region: str, scan_date: str) -> None:
        """Record the window's end, keep the scope's five newest rows and commit the region."""
        self._insert(account, region, scan_date)
        self._connection.execute(
            f"DELETE FROM {_TABLE} WHERE {_SCOPE} AND rowid NOT IN (SELECT rowid FROM {_TABLE} WHERE {_SCOPE} "
            "ORDER BY scan_date DESC LIMIT ?)", (SERVICE_NAME, account, region) * 2 + (RETAINED_ROWS,))
        self._connection.execute("COMMIT")

    def abandon_region(self) -> None:
        """Undo the region's rows (a failed ListFindings or a cancel): the module commits nothing for it."""
        if self._connection.in_transaction:
            self._connection.execute("ROLLBACK")

    def _insert(self, account: str, region: str, scan_date: str) -> None:
        self._connection.execute(f"INSERT OR IGNORE INTO {_TABLE} (service_name, aws_account_id, aws_region, "
                                 "scan_date) VALUES (?, ?, ?, ?)", (SERVICE_NAME, account, region, scan_date))

    def rows(self) -> list[tuple[str, str, str, str]]:
        """Every row in insertion order, like a dump of the module's table, for tests and the summary."""
        found = self._connection.execute(f"SELECT service_name, aws_account_id, aws_region, scan_date FROM {_TABLE} "
                                         "ORDER BY rowid").fetchall()
        return [(str(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in found]

    def close(self) -> None:
        """Undo a region left open, then close the connection."""
        self.abandon_region()
        super().close()
