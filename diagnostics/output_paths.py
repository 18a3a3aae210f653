"""Where the doctor may write: never inside the Wazuh home, never through a symlink, never over a file unasked.

The doctor often runs as root, so an output option pointed at ``ossec.conf``, the module's state database
or ``ossec.log`` (directly, through a symlink or a hard link) would damage the installation it inspects.
Every path is judged before anything is created, and files are opened with ``O_NOFOLLOW`` relative to a
directory descriptor that was checked, so a link swapped in afterwards is not followed either.
"""

from __future__ import annotations

import enum
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO

from diagnostics.context import DoctorContext

OUTPUT_MODE = 0o600
"""Outputs describe the host (events, findings, logs): readable by their owner only."""


class OutputRefused(Exception):
    """A path the doctor will not write to; the message says why and what to do instead."""


class Existing(enum.Enum):
    """What to do when the output file is already there."""

    REFUSE = "refuse"
    """Refuse (the default for every user-named output: ``--force`` lifts it)."""
    APPEND = "append"
    """Add to the end (``ingest --events-out --force``: a resumed pass continues its output)."""
    TRUNCATE = "truncate"
    """Start it over (the doctor's own log in its own state directory)."""


@dataclass(frozen=True)
class Protected:
    """The directories and files no output may land in or on: the Wazuh home and the files the doctor read."""

    directories: tuple[Path, ...] = ()
    files: tuple[Path, ...] = ()

    @classmethod
    def of(cls, wazuh_home: Path, files: Iterable[Path] = ()) -> Protected:
        """The Wazuh home plus files read from elsewhere (a ``--config`` or ``--ossec-log`` outside it)."""
        return cls((_real(wazuh_home),), tuple(_real(path) for path in files))

    def covers(self, path: Path) -> Path | None:
        """The protected directory or file ``path`` (already resolved) falls in, or None."""
        for directory in self.directories:
            if path == directory or directory in path.parents:
                return directory
        for file in self.files:
            if path == file:
                return file
        return None


def protection_for(context: DoctorContext) -> Protected:
    """The Wazuh home of ``context`` and the files it names (config, ossec.log, state DB), wherever they are."""
    return Protected.of(context.wazuh_home, (context.config_path, context.ossec_log_path, context.state_db_path,
                                             context.services_db_path))


def _real(path: Path) -> Path:
    """The absolute path with every symlink resolved (as far as it exists), so aliases compare equal."""
    return Path(os.path.realpath(os.path.abspath(path)))


def _refuse_protected(path: Path, protected: Protected, what: str) -> None:
    hit = protected.covers(path)
    if hit is not None:
        raise OutputRefused(f"{what} {path} is inside {hit}, which the doctor never writes to "
                            "(it belongs to Wazuh); choose a path outside it")


def check_output_directory(path: Path, protected: Protected, *, what: str = "directory") -> Path:
    """Accept a directory to write into (it may not exist yet); returns its resolved path or raises OutputRefused."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise OutputRefused(f"{what} {path} cannot be used: {error.strerror or error}") from None
    if info is not None and stat.S_ISLNK(info.st_mode):
        raise OutputRefused(f"{what} {path} is a symbolic link; the doctor never writes through a link, "
                            "name the real directory")
    if info is not None and not stat.S_ISDIR(info.st_mode):
        raise OutputRefused(f"{what} {path} exists and is not a directory")
    real = _real(path)
    _refuse_protected(real, protected, what)
    return real


def check_output_file(path: Path, protected: Protected, *, existing: Existing = Existing.REFUSE,
                      what: str = "output file") -> Path:
    """Accept a file to write; returns its resolved path or raises OutputRefused, creating nothing.

    Refused: a path inside a protected directory or naming a protected file (through links too), a
    symbolic link, anything that is not a regular file (FIFO, device, directory), a file with other hard
    links, an existing file unless ``existing`` allows it, a parent directory that does not exist.
    """
    path = Path(path)
    parent = _real(path.parent)
    if not parent.is_dir():
        raise OutputRefused(f"{what} {path}: the directory {path.parent} does not exist")
    target = parent / path.name
    _refuse_protected(target, protected, what)
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return target
    except OSError as error:
        raise OutputRefused(f"{what} {path} cannot be used: {error.strerror or error}") from None
    if stat.S_ISLNK(info.st_mode):
        raise OutputRefused(f"{what} {path} is a symbolic link; the doctor never writes through a link")
    if not stat.S_ISREG(info.st_mode):
        raise OutputRefused(f"{what} {path} exists and is not a regular file")
    if info.st_nlink > 1:
        raise OutputRefused(f"{what} {path} has other hard links (it may be another program's file); "
                            "choose a new file")
    if existing is Existing.REFUSE:
        raise OutputRefused(f"{what} {path} already exists; pass --force to replace it, or choose a new file")
    return target


def open_output_text(path: Path, protected: Protected, *, existing: Existing = Existing.REFUSE,
                     what: str = "output file") -> TextIO:
    """``open_output_descriptor`` as a UTF-8 text file."""
    return os.fdopen(open_output_descriptor(path, protected, existing=existing, what=what), "w",
                     encoding="utf-8")


def open_output_binary(path: Path, protected: Protected, *, existing: Existing = Existing.REFUSE,
                       what: str = "output file") -> BinaryIO:
    """``open_output_descriptor`` as a binary file."""
    return os.fdopen(open_output_descriptor(path, protected, existing=existing, what=what), "wb")


def open_output_descriptor(path: Path, protected: Protected, *, existing: Existing = Existing.REFUSE,
                           what: str = "output file") -> int:
    """Check ``path`` and open it for writing without following a link and without racing a new one in."""
    target = check_output_file(path, protected, existing=existing, what=what)
    # O_NONBLOCK: a FIFO swapped in after the check fails at once instead of waiting for a reader
    flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if existing is Existing.REFUSE:
        flags |= os.O_EXCL
    elif existing is Existing.APPEND:
        flags |= os.O_APPEND
    directory = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0))
    try:
        if Path("/proc/self/fd").is_dir() and _real(Path(f"/proc/self/fd/{directory}")) != target.parent:
            raise OutputRefused(f"{what} {path}: its directory changed while it was being opened")
        try:
            descriptor = os.open(target.name, flags, OUTPUT_MODE, dir_fd=directory)
        except FileExistsError:
            raise OutputRefused(f"{what} {path} already exists; pass --force to replace it") from None
        except OSError as error:
            raise OutputRefused(f"{what} {path} cannot be opened: {error.strerror or error}") from None
    finally:
        os.close(directory)
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode) or info.st_nlink > 1:
        os.close(descriptor)
        raise OutputRefused(f"{what} {path} is not a plain file of its own")
    os.set_blocking(descriptor, True)
    if existing is Existing.TRUNCATE:
        os.ftruncate(descriptor, 0)  # only after the checks, so a refused file keeps its content
    return descriptor
