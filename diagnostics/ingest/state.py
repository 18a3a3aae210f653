"""The ingestion pass's OWN state database, with the module's schema and retention.

The doctor never writes Wazuh's ``s3_cloudtrail.db``: it keeps its own copy of the same tables in the
user's cache directory, so a debug pass can be repeated, resumed or reset without moving the module's
marker. ``--from-wazuh-state`` seeds it from a read-only copy of the module's file, to walk from exactly
where the module stands.

Commit semantics differ on purpose: the module commits once at the end of a run (a crash loses every mark
of that run), whereas we commit after each file, and only once all its events reached the sink, so a
cancelled pass resumes with no loss and no duplicates.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from diagnostics.layout.prefixes import TABLE_FOR_TYPE
from diagnostics.wazuh.state_scope import REGION_TABLES, StateScope

STATE_FILE_NAME = "s3_cloudtrail.db"
"""Same file name as the module's, so the copy is recognisable; it never lives in the module's folder."""
MAX_RECORD_RETENTION = 500
"""``MAX_RECORD_RETENTION``: rows kept per scope by the module's DB maintenance."""

AWSLOGS_DATE_TABLES = REGION_TABLES
"""Tables whose ``created_date`` comes from the file name's ``_<YYYYMMDD>T...`` field."""


_CUSTOM_DATE = re.compile(r".*(\d\d\d\d[/\-]\d\d[/\-]\d\d).*")


class StateError(Exception):
    """Our state database cannot be opened or would be the module's own file."""


def _create_table_sql(table: str) -> str:
    region = "aws_region 'text' NOT NULL,\n" if table in REGION_TABLES else ""
    flow = "flow_log_id 'text' NOT NULL,\n" if table == "vpcflow" else ""
    key = ["bucket_path", "aws_account_id"]
    if table in REGION_TABLES:
        key.append("aws_region")
    if table == "vpcflow":
        key.append("flow_log_id")
    key.append("log_key")
    return (f"CREATE TABLE {table} (\nbucket_path 'text' NOT NULL,\naws_account_id 'text' NOT NULL,\n"
            f"{region}{flow}log_key 'text' NOT NULL,\nprocessed_date 'text' NOT NULL,\n"
            f"created_date 'integer' NOT NULL,\nPRIMARY KEY ({', '.join(key)}));")


def created_date_for(table: str, key: str, last_modified: datetime | None) -> int:
    """The ``created_date`` the module stores; ValueError when it cannot be computed (then the module
    does not mark the file and re-reads it on every run)."""
    if table in AWSLOGS_DATE_TABLES:
        parts = os.path.basename(key).split("_")
        if len(parts) < 2:
            raise ValueError(f"list index out of range ({key!r} has no '_<date>T' field)")
        return int(parts[-2].split("T")[0])
    match = _CUSTOM_DATE.match(key)
    if match is None:
        if last_modified is None:
            raise ValueError(f"no date in {key!r} and no LastModified")
        return int(last_modified.strftime("%Y%m%d"))
    return int(match.group(1).replace("/", "").replace("-", ""))


def default_state_dir(environ: Mapping[str, str] | None = None) -> Path:
    """``$XDG_CACHE_HOME/wazuh-aws-doctor`` or ``~/.cache/wazuh-aws-doctor``: the user's, never Wazuh's."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_CACHE_HOME") or str(Path(env.get("HOME") or Path.home()) / ".cache")
    return Path(base) / "wazuh-aws-doctor"


def read_only_uri(path: Path) -> str:
    """A ``file:...?mode=ro`` URI, so inspecting a database can never write to it."""
    return f"{path.resolve().as_uri()}?mode=ro"


def _remove_database(path: Path) -> None:
    """Delete our database file with its WAL companions (starting over must not resurrect old rows)."""
    for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        candidate.unlink(missing_ok=True)


class IngestState:
    """Our state database: the module's tables, queries and retention, committed per file."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._connection = connection
        self._columns: dict[str, frozenset[str]] = {}
        tables = connection.execute("SELECT tbl_name FROM sqlite_master WHERE type='table'").fetchall()
        for (table,) in tables:
            self._read_columns(str(table))

    def _read_columns(self, table: str) -> None:
        rows = self._connection.execute(f"PRAGMA table_info({table})").fetchall()
        self._columns[table] = frozenset(str(row[1]) for row in rows)

    @classmethod
    def open(cls, state_dir: Path, *, version: str, reset: bool = False,
             forbidden: Path | None = None, wal: bool = True) -> IngestState:
        """Open (creating) ``<state_dir>/s3_cloudtrail.db``; ``reset`` starts over; ``forbidden`` is the
        module's own database, which we refuse to open for writing; ``wal=False`` keeps the module's own
        rollback journal (tests that build a stand-in of the module's database)."""
        path = state_dir / STATE_FILE_NAME
        if forbidden is not None and _same_file(path, forbidden):
            raise StateError(f"{path} is the module's own state database; choose another --state-dir")
        try:
            state_dir.mkdir(parents=True, exist_ok=True)
            if reset:
                _remove_database(path)
            connection = sqlite3.connect(path, timeout=5, isolation_level=None, check_same_thread=False)
            # Our own file only: WAL keeps each per-file commit cheap (bench/RESULTS.md) and NORMAL sync still
            # survives a crash of our process; the module's database is never opened for writing.
            if wal:
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute("PRAGMA synchronous=NORMAL")
        except (OSError, sqlite3.Error) as error:
            raise StateError(f"cannot open the doctor's state database {path}: {error}") from error
        state = cls(path, connection)
        state._ensure_metadata(version)
        return state

    @classmethod
    def from_wazuh_state(cls, wazuh_db: Path, state_dir: Path, *, version: str) -> IngestState:
        """Replace our database with a copy of the module's, read through a ``mode=ro`` connection with
        SQLite's backup API (a consistent snapshot even while the module runs, and never a write)."""
        path = state_dir / STATE_FILE_NAME
        if _same_file(path, wazuh_db):
            raise StateError(f"{path} is the module's own state database; choose another --state-dir")
        if not wazuh_db.is_file():
            raise StateError(f"the module's state database {wazuh_db} does not exist (no run yet?)")
        state_dir.mkdir(parents=True, exist_ok=True)
        _remove_database(path)
        try:
            copy_database_read_only(wazuh_db, path)
        except sqlite3.Error as error:
            raise StateError(f"cannot copy {wazuh_db} read-only: {error}") from error
        return cls.open(state_dir, version=version)

    def close(self) -> None:
        """Close the connection (the module runs ``PRAGMA optimize`` at this point too)."""
        try:
            self._connection.execute("PRAGMA optimize;")
        finally:
            self._connection.close()

    def __enter__(self) -> IngestState:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- schema -----------------------------------------------------------------------------------
    def _ensure_metadata(self, version: str) -> None:
        if "metadata" in self._columns:
            return
        with _transaction(self._connection):
            self._connection.execute(
                "CREATE TABLE metadata (key 'text' NOT NULL, value 'text' NOT NULL, "
                "PRIMARY KEY (key, value));")
            self._connection.execute("INSERT INTO metadata (key, value) VALUES ('version', ?)", (version,))
        self._read_columns("metadata")

    def has_table(self, table: str) -> bool:
        """True when the table exists (the module creates it on its first run of that type)."""
        return table in self._columns

    def ensure_table(self, table: str) -> bool:
        """Create the table if missing; True when it was created (the module logs
        ``+++ Table does not exist; create`` then)."""
        if table in self._columns:
            return False
        if table not in TABLE_FOR_TYPE.values():
            raise StateError(f"unknown state table {table!r}")
        with _transaction(self._connection):
            self._connection.execute(_create_table_sql(table))
        self._read_columns(table)
        return True

    # -- the module's queries ---------------------------------------------------------------------
    def already_processed(self, scope: StateScope, key: str) -> bool:
        """The exact-key check the module makes before reading a file."""
        if scope.table not in self._columns:
            return False
        where, params = scope.where(self._columns[scope.table])
        row = self._connection.execute(
            f"SELECT count(*) FROM {scope.table} WHERE {where} AND log_key=:log_key",
            {**params, "log_key": key}).fetchone()
        return bool(row[0])

    def last_key(self, scope: StateScope, like_prefix: str) -> str | None:
        """Highest processed key of the scope matching ``LIKE '<like_prefix>%'`` (the marker source)."""
        if scope.table not in self._columns:
            return None
        where, params = scope.where(self._columns[scope.table])
        row = self._connection.execute(
            f"SELECT log_key FROM {scope.table} WHERE {where} AND log_key LIKE :prefix "
            "ORDER BY log_key DESC LIMIT 1", {**params, "prefix": f"{like_prefix}%"}).fetchone()
        return None if row is None else str(row[0])

    def mark_complete(self, scope: StateScope, key: str, created_date: int) -> None:
        """Record one file as processed and commit at once (cancel-safe: marks only after the events)."""
        self.ensure_table(scope.table)
        present = self._columns[scope.table]
        columns = ["bucket_path", "aws_account_id"]
        values: dict[str, object] = {"bucket_path": scope.bucket_path, "aws_account_id": scope.account_id}
        if "aws_region" in present:
            columns.append("aws_region")
            values["aws_region"] = scope.region or ""
        if "flow_log_id" in present:
            columns.append("flow_log_id")
            values["flow_log_id"] = scope.flow_log_id or ""
        columns += ["log_key", "created_date"]
        values.update(log_key=key, created_date=created_date)
        placeholders = ", ".join(f":{column}" for column in columns)
        with _transaction(self._connection):
            self._connection.execute(
                f"INSERT OR IGNORE INTO {scope.table} ({', '.join(columns)}, processed_date) "
                f"VALUES ({placeholders}, DATETIME('now'))", values)

    def forget(self, marks: list[tuple[StateScope, str]]) -> int:
        """Remove the given rows in one transaction: a pass the module would have ended records nothing.

        The module commits once at the end of a run, so a run that exits part-way leaves its database as it
        was; the pass commits per file (cancel-safe) and takes its marks back when it ends like that.
        """
        removed = 0
        with _transaction(self._connection):
            for scope, key in marks:
                if scope.table not in self._columns:
                    continue
                where, params = scope.where(self._columns[scope.table])
                cursor = self._connection.execute(f"DELETE FROM {scope.table} WHERE {where} AND log_key = :key",
                                                  {**params, "key": key})
                removed += int(cursor.rowcount)
        return removed

    def count(self, scope: StateScope) -> int:
        """Rows kept for the scope."""
        if scope.table not in self._columns:
            return 0
        where, params = scope.where(self._columns[scope.table])
        return int(self._connection.execute(f"SELECT count(*) FROM {scope.table} WHERE {where}",
                                            params).fetchone()[0])

    def db_maintenance(self, scope: StateScope, retain: int = MAX_RECORD_RETENTION) -> int:
        """The module's retention: past ``retain`` rows, delete every row at or below the (retain+1)-th
        newest key. Returns the rows deleted."""
        if self.count(scope) <= retain:
            return 0
        where, params = scope.where(self._columns[scope.table])
        with _transaction(self._connection):
            cursor = self._connection.execute(
                f"DELETE FROM {scope.table} WHERE {where} AND log_key <= (SELECT log_key FROM {scope.table} "
                f"WHERE {where} ORDER BY log_key DESC LIMIT 1 OFFSET :retain)", {**params, "retain": retain})
        return int(cursor.rowcount)

    def keys(self, scope: StateScope) -> list[str]:
        """Every processed key of the scope, sorted (for reports and tests)."""
        if scope.table not in self._columns:
            return []
        where, params = scope.where(self._columns[scope.table])
        return [str(row[0]) for row in self._connection.execute(
            f"SELECT log_key FROM {scope.table} WHERE {where} ORDER BY log_key", params)]


class _transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (or ROLLBACK on error) on an autocommit connection."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def __enter__(self) -> None:
        self._connection.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *rest: object) -> None:
        self._connection.execute("ROLLBACK" if exc_type is not None else "COMMIT")


COPY_LOCK_TIMEOUT_S = 1.0
"""How long a read-only copy waits for a writer's lock: the module holds its exclusive lock only while it
commits (milliseconds); longer means a stuck or running writer, reported rather than waited for."""


_BUSY_CODES = (5, 6)
"""SQLITE_BUSY and SQLITE_LOCKED (stable result codes; the sqlite3 module names them only from 3.11)."""


def backup_within(source: sqlite3.Connection, destination: sqlite3.Connection, timeout: float) -> None:
    """``source.backup(destination)``, but giving up with ``sqlite3.OperationalError`` once a lock has kept
    it from progressing for ``timeout`` seconds: Python's backup retries a busy database forever."""
    deadline = [time.monotonic() + timeout]

    def progress(status: int, remaining: int, total: int) -> None:
        if status not in _BUSY_CODES:
            deadline[0] = time.monotonic() + timeout
        elif time.monotonic() > deadline[0]:
            raise sqlite3.OperationalError("database is locked")

    source.backup(destination, pages=256, progress=progress, sleep=0.05)


def copy_database_read_only(source: Path, destination: Path, *, timeout: float = COPY_LOCK_TIMEOUT_S) -> None:
    """Copy a SQLite database through a ``mode=ro`` connection with the backup API (never writes it).

    A read transaction is taken first, so a writer's exclusive lock fails fast with "database is locked"
    after ``timeout`` seconds, and the copy is one consistent snapshot.
    """
    reader = sqlite3.connect(read_only_uri(source), uri=True, timeout=timeout, isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM sqlite_master").fetchone()
        writer = sqlite3.connect(destination)
        try:
            backup_within(reader, writer, timeout)
        finally:
            writer.close()
        reader.execute("COMMIT")
    finally:
        reader.close()


def _same_file(candidate: Path, protected: Path) -> bool:
    try:
        return candidate.resolve() == protected.resolve()
    except OSError:
        return False
