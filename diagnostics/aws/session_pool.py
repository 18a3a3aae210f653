"""One boto3 session per set of static credentials, shared by every block that resolves to the same set.

Building a session costs botocore's handler registration and a fresh read of the shared files, which a
``check`` over hundreds of blocks with one profile would otherwise pay once per block. Only credentials
that are a pure function of what the key covers (the environment, the two shared files' bytes, the
profile and inline keys) are shared, so a shared session gives every block the answer its own would.

Sessions are not thread-safe (boto3 says so; clients are, once built), so a shared session carries a
lock that ``make_client`` holds while it builds a client from it. Clients are never shared: each keeps
per-client state (S3's bucket-region cache, the retry quota, our per-call response hooks) that one block's
findings must not take from another's.
"""

from __future__ import annotations

import hashlib
import os
import stat
import threading
import weakref
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import boto3

STATIC_METHODS = frozenset({"explicit", "env", "shared-credentials-file", "config-file"})
"""botocore ``credentials.method`` values read only from the environment, the two files or inline keys."""

POOL_SIZE = 16
"""Credential sets kept: enough for any real configuration, bounded so a file edited in a loop cannot grow it."""

_FILE_LIMIT = 4 * 1024 * 1024
_pool: OrderedDict[str, boto3.session.Session] = OrderedDict()
_pool_lock = threading.Lock()
_session_locks: weakref.WeakKeyDictionary[Any, threading.Lock] = weakref.WeakKeyDictionary()


def _file_bytes(path: Path) -> bytes | None:
    """The file's bytes, ``absent`` for a missing file, or None when what botocore reads there cannot be
    pinned down (not a regular file, unreadable, too large): such a key is never shared."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return b"absent"
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size > _FILE_LIMIT:
        return None  # never opened: a FIFO would block
    try:
        with path.open("rb") as handle:
            data = handle.read(_FILE_LIMIT + 1)
    except OSError:
        return None
    return b"present\0" + data if len(data) <= _FILE_LIMIT else None


def credential_key(environ: Mapping[str, str], files: tuple[Path, ...], *, profile: str | None,
                   access_key: str | None, secret_key: str | None, imds_timeout: int) -> str | None:
    """A digest of everything a session's static credentials and region depend on (never the inputs
    themselves, so no secret is kept in a readable key), or None when a file's content cannot be read."""
    digest = hashlib.sha256()
    for name, value in sorted(environ.items()):
        digest.update(f"env\0{name}\0{value}\0".encode("utf-8", "surrogateescape"))
    for path in files:
        content = _file_bytes(path)
        if content is None:
            return None
        digest.update(f"file\0{path}\0".encode("utf-8", "surrogateescape"))
        digest.update(content)
    for part in (profile, access_key, secret_key, str(imds_timeout)):
        digest.update(b"\1" if part is None else f"\0{part}".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def shared_session(key: str | None) -> boto3.session.Session | None:
    """The session kept for ``key``, or None."""
    if key is None:
        return None
    with _pool_lock:
        session = _pool.get(key)
        if session is not None:
            _pool.move_to_end(key)
        return session


def keep_session(key: str | None, session: boto3.session.Session, method: str | None
                 ) -> boto3.session.Session:
    """Keep ``session`` for ``key`` when its credentials came from a static source; returns the session
    every later block with that key gets (an earlier one kept by another thread wins)."""
    if key is None or method not in STATIC_METHODS:
        return session
    with _pool_lock:
        kept = _pool.get(key)
        if kept is not None:
            return kept
        _session_locks[session] = threading.Lock()
        _pool[key] = session
        while len(_pool) > POOL_SIZE:
            _pool.popitem(last=False)
        return session


def session_lock(session: Any) -> threading.Lock | None:
    """The lock guarding a shared session, or None for a session only one caller holds."""
    return _session_locks.get(session)


def clear() -> None:
    """Forget every kept session (tests; a long-lived app after its admin changed something unseen)."""
    with _pool_lock:
        _pool.clear()
