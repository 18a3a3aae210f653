"""Read the module's state databases strictly read-only, never holding a lock.

Every query opens ``file:...?mode=ro`` with a short timeout, reads, and closes, so the module's own run
is never blocked by us. A missing, locked, corrupt or foreign file is reported as a ``DbHealth`` (turned
into findings by the checks), never raised to the caller; lookups on an unusable database answer as if it
were empty and keep the reason in ``problem``.
"""

from __future__ import annotations

import enum
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from diagnostics.wazuh.state_scope import ANY_ACCOUNT, StateScope

SQLITE_HEADER = b"SQLite format 3\x00"
MAX_RECORD_RETENTION = 500
"""Rows the module keeps per bucket scope (``MAX_RECORD_RETENTION``)."""
INSPECTOR_RETENTION = 5
"""Rows the module keeps per Inspector scope in ``aws_services``."""
DEFAULT_TIMEOUT = 0.25
"""Seconds to wait for a lock before calling the database locked; short so we never queue behind a run."""

KEY_COLUMN: Mapping[str, str] = {"aws_services": "scan_date", "cloudwatch_logs": "aws_log_stream"}
"""The column that orders a table's rows; ``log_key`` for every bucket table."""
SCOPE_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "aws_services": ("service_name", "aws_account_id", "aws_region"),
    "cloudwatch_logs": ("aws_region", "aws_log_group"),
}
"""The columns that form a retention scope for the services tables."""
BUCKET_SCOPE_COLUMNS = ("bucket_path", "aws_account_id", "aws_region", "flow_log_id")
"""Scope columns of the bucket tables, in the module's order; absent ones are skipped per table."""


class DbHealth(str, enum.Enum):
    """Whether the module (and we) can use the database file."""

    OK = "ok"
    MISSING = "missing"
    """No file yet: the module has not run (it creates the file on its first run)."""
    EMPTY = "empty"
    """A zero-byte file: SQLite treats it as a new database."""
    LOCKED = "locked"
    """Another connection holds a write lock (a running module, a manual run, or a stuck process)."""
    CORRUPT = "corrupt"
    """SQLite header present but the content is damaged."""
    NOT_A_DB = "not_a_db"
    """The file is not an SQLite database at all."""
    UNREADABLE = "unreadable"
    """We cannot open it (permissions, a directory, an I/O error)."""

    @property
    def usable(self) -> bool:
        """True when lookups can be trusted (a missing file is simply a fresh state)."""
        return self in (DbHealth.OK, DbHealth.MISSING, DbHealth.EMPTY)


@dataclass(frozen=True)
class DbHealthReport:
    """The outcome of opening and checking a state database."""

    path: str
    health: DbHealth
    detail: str = ""
    """SQLite's own message (``database is locked``, ``file is not a database``...)."""
    tables: tuple[str, ...] = ()
    version: str | None = None
    """The ``metadata`` table's ``version`` row: the Wazuh version that last opened the file."""


@dataclass(frozen=True)
class ScopeSummary:
    """One retention scope of a table: its row count and first/last keys."""

    table: str
    scope: Mapping[str, str]
    """Scope column values (bucket_path, aws_account_id, aws_region, flow_log_id when present)."""
    rows: int
    first_key: str | None
    last_key: str | None
    last_processed: str | None = None
    """Newest ``processed_date`` (UTC text the module writes with ``DATETIME('now')``)."""
    retention: int | None = MAX_RECORD_RETENTION

    @property
    def over_retention(self) -> bool:
        """True when the scope holds more rows than the module keeps (its DB maintenance is not running)."""
        return self.retention is not None and self.rows > self.retention


class ProcessedState(Protocol):
    """What the key walk needs from a state: the module's two queries (ours and the ingest engine's)."""

    def last_key(self, scope: StateScope, like_prefix: str) -> str | None:
        """Highest ``log_key`` of the scope with ``log_key LIKE '<like_prefix>%'``."""

    def already_processed(self, scope: StateScope, key: str) -> bool:
        """The exact-key check made before reading a file."""


class StateDbError(Exception):
    """Internal: a query failed; carries the classified health."""

    def __init__(self, health: DbHealth, detail: str) -> None:
        super().__init__(detail)
        self.health = health
        self.detail = detail


def classify_sqlite_error(error: BaseException) -> DbHealth:
    """Map SQLite's message to a health value (the messages are stable across SQLite versions)."""
    text = str(error).lower()
    if "locked" in text or "busy" in text:
        return DbHealth.LOCKED
    if "not a database" in text:
        return DbHealth.NOT_A_DB
    if "malformed" in text or "corrupt" in text:
        return DbHealth.CORRUPT
    return DbHealth.UNREADABLE


@dataclass
class StateReader:
    """Read-only access to ``s3_cloudtrail.db`` (or ``aws_services.db``); each query opens and closes."""

    path: Path
    timeout: float = DEFAULT_TIMEOUT
    problem: DbHealthReport | None = None
    """Set when a lookup failed; lookups then answer as if the database were empty."""
    _columns: dict[str, tuple[str, ...] | None] = field(default_factory=dict, repr=False)
    _keys: dict[StateScope, frozenset[str]] = field(default_factory=dict, repr=False)

    # -- plumbing -----------------------------------------------------------------------------------
    def _query(self, sql: str, params: Mapping[str, Any] | Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        if not self.path.exists():
            raise StateDbError(DbHealth.MISSING, "the file does not exist")
        try:
            connection = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True,
                                         timeout=self.timeout)
        except sqlite3.Error as error:
            raise StateDbError(classify_sqlite_error(error), str(error)) from error
        try:
            return list(connection.execute(sql, params).fetchall())
        except sqlite3.Error as error:
            raise StateDbError(classify_sqlite_error(error), str(error)) from error
        finally:
            connection.close()

    def _record(self, error: StateDbError) -> None:
        if error.health is not DbHealth.MISSING and self.problem is None:
            self.problem = DbHealthReport(str(self.path), error.health, error.detail)

    @property
    def usable(self) -> bool:
        """False once a lookup has hit a lock, corruption or an unreadable file."""
        return self.problem is None

    def refresh(self) -> None:
        """Forget cached rows and problems (the module may have run since)."""
        self._columns.clear()
        self._keys.clear()
        self.problem = None

    # -- health ---------------------------------------------------------------------------------------
    def health(self) -> DbHealthReport:
        """Open the file as the module would and say whether it can be used (never raises)."""
        path = str(self.path)
        if not self.path.exists():
            return DbHealthReport(path, DbHealth.MISSING, "the file does not exist")
        try:
            with self.path.open("rb") as handle:
                header = handle.read(len(SQLITE_HEADER))
        except OSError as error:
            return DbHealthReport(path, DbHealth.UNREADABLE, str(error))
        if header == b"":
            return DbHealthReport(path, DbHealth.EMPTY, "the file is empty")
        if header != SQLITE_HEADER:
            return DbHealthReport(path, DbHealth.NOT_A_DB, "file is not a database (no SQLite header)")
        try:
            tables = tuple(sorted(row[0] for row in self._query(
                "SELECT name FROM sqlite_master WHERE type='table'")))
            check = self._query("PRAGMA quick_check(1)")
        except StateDbError as error:
            return DbHealthReport(path, error.health, error.detail)
        if check and str(check[0][0]).lower() != "ok":
            return DbHealthReport(path, DbHealth.CORRUPT, str(check[0][0]), tables)
        version = None
        if "metadata" in tables:
            try:
                rows = self._query("SELECT value FROM metadata WHERE key='version'")
            except StateDbError as error:
                return DbHealthReport(path, error.health, error.detail, tables)
            version = str(rows[0][0]) if rows else None
        return DbHealthReport(path, DbHealth.OK, "", tables, version)

    def select(self, sql: str, params: Mapping[str, Any] | Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows of a read-only query; empty (and ``problem`` set) when the file cannot be read."""
        try:
            return self._query(sql, params)
        except StateDbError as error:
            self._record(error)
            return []

    # -- schema -----------------------------------------------------------------------------------
    def columns(self, table: str) -> tuple[str, ...] | None:
        """The table's columns, or None when it does not exist (or the file cannot be read)."""
        if table not in self._columns:
            if not table.replace("_", "").isalnum():
                return None
            try:
                rows = self._query(f"PRAGMA table_info({table})")
            except StateDbError as error:
                self._record(error)
                return None
            self._columns[table] = tuple(str(row[1]) for row in rows) or None
        return self._columns[table]

    def _where(self, scope: StateScope, columns: tuple[str, ...]) -> tuple[str, dict[str, str]]:
        clauses = ["bucket_path=:bucket_path"]
        params = {"bucket_path": scope.bucket_path}
        if scope.account_id != ANY_ACCOUNT:
            clauses.append("aws_account_id=:aws_account_id")
            params["aws_account_id"] = scope.account_id
        if scope.region is not None and "aws_region" in columns:
            clauses.append("aws_region=:aws_region")
            params["aws_region"] = scope.region
        if scope.flow_log_id is not None and "flow_log_id" in columns:
            clauses.append("flow_log_id=:flow_log_id")
            params["flow_log_id"] = scope.flow_log_id
        return " AND ".join(clauses), params

    # -- the module's queries ---------------------------------------------------------------------
    def last_key(self, scope: StateScope, like_prefix: str) -> str | None:
        """The marker query: highest ``log_key`` of the scope matching ``LIKE '<like_prefix>%'``.

        SQLite's LIKE is used on purpose, so its quirks (case-insensitive ASCII, ``_`` and ``%`` in the
        prefix acting as wildcards) behave exactly as in the module. Region and flow-log id are applied
        only when the table has those columns (guardduty and 4.x load balancers have no region column).
        """
        columns = self.columns(scope.table)
        if columns is None:
            return None
        where, params = self._where(scope, columns)
        try:
            rows = self._query(f"SELECT log_key FROM {scope.table} WHERE {where} AND log_key LIKE :prefix "
                               "ORDER BY log_key DESC LIMIT 1", {**params, "prefix": f"{like_prefix}%"})
        except StateDbError as error:
            self._record(error)
            return None
        return str(rows[0][0]) if rows else None

    def processed_keys(self, scope: StateScope) -> frozenset[str]:
        """Every key recorded for the scope (read once, then cached: at most a few hundred rows)."""
        if scope not in self._keys:
            columns = self.columns(scope.table)
            keys: frozenset[str] = frozenset()
            if columns is not None:
                where, params = self._where(scope, columns)
                try:
                    keys = frozenset(str(row[0]) for row in self._query(
                        f"SELECT log_key FROM {scope.table} WHERE {where}", params))
                except StateDbError as error:
                    self._record(error)
            self._keys[scope] = keys
        return self._keys[scope]

    def already_processed(self, scope: StateScope, key: str) -> bool:
        """The module's exact-key check for one scope."""
        return key in self.processed_keys(scope)

    def first_key(self, scope: StateScope) -> str | None:
        """Lowest key kept for the scope: below it, rows may have been pruned by retention."""
        keys = self.processed_keys(scope)
        return min(keys) if keys else None

    # -- summaries ----------------------------------------------------------------------------------
    def tables(self) -> tuple[str, ...]:
        """The tables in the file (empty when missing or unusable)."""
        try:
            return tuple(sorted(str(row[0]) for row in self._query(
                "SELECT name FROM sqlite_master WHERE type='table'")))
        except StateDbError as error:
            self._record(error)
            return ()

    def scope_summaries(self, table: str, bucket_path: str | None = None) -> tuple[ScopeSummary, ...]:
        """Row count and first/last key per scope of a table (optionally one bucket_path only)."""
        columns = self.columns(table)
        if columns is None:
            return ()
        scope_columns = [name for name in SCOPE_COLUMNS.get(table, BUCKET_SCOPE_COLUMNS) if name in columns]
        key_column = KEY_COLUMN.get(table, "log_key")
        if key_column not in columns or not scope_columns:
            return ()
        processed = "max(processed_date)" if "processed_date" in columns else "NULL"
        where, params = ("", {})
        if bucket_path is not None and "bucket_path" in columns:
            where, params = "WHERE bucket_path=:bucket_path", {"bucket_path": bucket_path}
        group = ", ".join(scope_columns)
        try:
            rows = self._query(f"SELECT {group}, count(*), min({key_column}), max({key_column}), {processed} "
                               f"FROM {table} {where} GROUP BY {group} ORDER BY {group}", params)
        except StateDbError as error:
            self._record(error)
            return ()
        retention = {"aws_services": INSPECTOR_RETENTION, "cloudwatch_logs": None}.get(table,
                                                                                       MAX_RECORD_RETENTION)
        width = len(scope_columns)
        return tuple(
            ScopeSummary(table, dict(zip(scope_columns, (str(value) for value in row[:width]), strict=True)),
                         int(row[width]), _text(row[width + 1]), _text(row[width + 2]), _text(row[width + 3]),
                         retention)
            for row in rows)


def _text(value: object) -> str | None:
    return None if value is None else str(value)
