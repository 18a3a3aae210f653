"""Whether a running module holds its state database, asked without ever taking a lock ourselves.

A doctor must never queue behind or block a scheduled run, so the question goes to the kernel (F_GETLK on
SQLite's lock bytes) and, elsewhere, to a short read-only connection.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import struct
import sys
from dataclasses import dataclass
from pathlib import Path

_SQLITE_PENDING_BYTE = 0x40000000
_SQLITE_RESERVED_BYTE = _SQLITE_PENDING_BYTE + 1
_FLOCK_FORMAT = "hhqqi4x"
"""``struct flock`` on 64-bit Linux (l_type, l_whence, l_start, l_len, l_pid)."""


@dataclass(frozen=True)
class LockStatus:
    """Whether another process is writing the module's state database."""

    locked: bool
    holder_pid: int | None = None
    detail: str = ""


def _fcntl_writer(path: Path) -> int | None:
    """PID holding SQLite's RESERVED or PENDING byte (a writer), asked with F_GETLK, which takes no lock."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        for start in (_SQLITE_RESERVED_BYTE, _SQLITE_PENDING_BYTE):
            request = struct.pack(_FLOCK_FORMAT, fcntl.F_WRLCK, os.SEEK_SET, start, 1, 0)
            lock_type, _whence, _start, _length, pid = struct.unpack(
                _FLOCK_FORMAT, fcntl.fcntl(descriptor, fcntl.F_GETLK, request))
            if lock_type != fcntl.F_UNLCK:
                return int(pid)
        return None
    finally:
        os.close(descriptor)


def state_db_lock(path: Path, *, timeout: float = 0.2) -> LockStatus:
    """Is a writer (a running module) inside the state database? Never takes a lock itself.

    A plain read is not enough: while the module holds its write transaction (RESERVED, for most of a run)
    readers still succeed. On Linux we ask the kernel who holds SQLite's lock bytes (F_GETLK); elsewhere a
    short-timeout read catches only a commit in progress, and a leftover ``-journal`` hints at a writer.
    """
    if not path.exists():
        return LockStatus(False, detail="the file does not exist yet")
    if sys.platform.startswith("linux") and struct.calcsize(_FLOCK_FORMAT) == 32:
        try:
            pid = _fcntl_writer(path)
        except OSError as error:
            return LockStatus(False, detail=f"cannot query locks: {error}")
        if pid is not None:
            return LockStatus(True, pid or None, f"process {pid} holds a write lock")
    try:
        reader = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=timeout)
        try:
            reader.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            reader.close()
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            return LockStatus(True, detail=str(error))
        return LockStatus(False, detail=str(error))
    except sqlite3.DatabaseError as error:
        return LockStatus(False, detail=f"not a readable SQLite database: {error}")
    journal = path.with_name(path.name + "-journal")
    if journal.exists():
        return LockStatus(True, detail=f"{journal.name} exists: a write is in progress or was interrupted")
    return LockStatus(False)
