"""Our own copy of the module's ``aws_services.db``, the one file both services' tables share.

The module keeps CloudWatch Logs' ``cloudwatch_logs`` and Inspector's ``aws_services`` tables in one
``aws_services.db``; the doctor never writes that file, so each service's pass opens the same-named copy in our
state directory here, with one rule for ``--from-wazuh-state`` (a read-only copy of the module's file) and
``--reset`` (dropping only that service's table, so the other service's rows survive).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import ClassVar, TypeVar

from diagnostics.ingest.state import StateError, _remove_database, _same_file, copy_database_read_only

_Table = TypeVar("_Table", bound="ServicesTable")

SERVICES_FILE_NAME = "aws_services.db"
"""The module's file name, so the copy is recognisable; it only ever lives in our state directory."""


def connect_services(path: Path, table: str, *, reset: bool) -> sqlite3.Connection:
    """Our ``aws_services.db`` in autocommit mode; ``reset`` drops only ``table`` (the other service's rows share
    the file), or the whole file when it is no database at all, so --reset still repairs a damaged state."""
    connection = sqlite3.connect(path, timeout=5, isolation_level=None, check_same_thread=False)
    if not reset:
        return connection
    try:
        connection.execute(f"DROP TABLE IF EXISTS {table}")
    except sqlite3.DatabaseError as error:
        if isinstance(error, sqlite3.OperationalError) and "locked" in str(error):
            raise
        connection.close()
        _remove_database(path)
        connection = sqlite3.connect(path, timeout=5, isolation_level=None, check_same_thread=False)
    return connection


def open_services_table(state_dir: Path, table: str, create: str, *, wazuh_db: Path, reset: bool,
                        from_wazuh_state: bool) -> tuple[Path, sqlite3.Connection, bool]:
    """Open (creating) ``<state_dir>/aws_services.db`` and one service's table in it: the path, the connection and
    whether the table was there before, because the module announces a table's creation on its first run.

    The table is created at once when missing, as the module's CREATE TABLE outlives a failed run; the module's
    own file is never opened for writing, only copied, so a pass cannot move where the real module stands.
    """
    path = state_dir / SERVICES_FILE_NAME
    if _same_file(path, wazuh_db):
        raise StateError(f"{path} is the module's own state database; choose another --state-dir")
    try:
        state_dir.mkdir(parents=True, exist_ok=True)
        if from_wazuh_state:
            if not wazuh_db.is_file():
                raise StateError(f"the module's state database {wazuh_db} does not exist (no run yet?)")
            _remove_database(path)
            copy_database_read_only(wazuh_db, path)
        connection = connect_services(path, table, reset=reset and not from_wazuh_state)
        existed = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (table,)).fetchone() is not None
        if not existed:
            connection.execute(create)
    except (OSError, sqlite3.Error) as error:
        raise StateError(f"cannot open the doctor's state database {path}: {error}") from error
    return path, connection, existed


class ServicesTable:
    """One service's table in our ``aws_services.db`` copy, opened by ``open_services_table``; a subclass names the
    table and its CREATE statement and adds its own reads and writes, so each service keeps its own concept."""

    TABLE: ClassVar[str]
    CREATE: ClassVar[str]

    def __init__(self, path: Path, connection: sqlite3.Connection, table_existed: bool) -> None:
        self.path = path
        self._connection = connection
        self.table_existed = table_existed
        """Whether the table was there before this pass: the module announces its creation otherwise."""

    @classmethod
    def open(cls: type[_Table], state_dir: Path, *, wazuh_db: Path, reset: bool = False,
             from_wazuh_state: bool = False) -> _Table:
        """Open (creating) ``<state_dir>/aws_services.db``; never the module's own file, which is only copied."""
        path, connection, existed = open_services_table(state_dir, cls.TABLE, cls.CREATE, wazuh_db=wazuh_db,
                                                        reset=reset, from_wazuh_state=from_wazuh_state)
        return cls(path, connection, existed)

    def close(self) -> None:
        """Close the connection; a write outside a transaction was committed as it was made (autocommit)."""
        self._connection.close()
