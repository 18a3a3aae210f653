"""Files named on the command line are judged before they are opened: a FIFO or a link loop is refused.

Opening a FIFO for reading waits for a writer that may never come, so ``--config``, ``--ossec-log`` or
``explain-log FILE`` naming one would hang the command; a symbolic link loop has no file behind it for
anyone, root included, so it is refused with that reason instead of a permissions hint.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from diagnostics.configuration.loader import special_file_kind


class InputRefused(Exception):
    """A named input that cannot be read as a file; the message says what it is."""


def check_input_file(path: Path, what: str, *, directory_ok: bool = False) -> None:
    """Raise InputRefused when ``path`` is a FIFO, device, socket, link loop (or a directory, unless allowed).

    A missing or unreadable file passes: the command reports it in its own words (a finding with a fix).
    """
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise InputRefused(f"{what} {path} is a symbolic link loop: there is no file behind it; "
                               "repair the link or name the real file") from None
        return
    kind = special_file_kind(mode)
    if kind is not None:
        raise InputRefused(f"{what} {path} is a {kind}, not a file: reading it could wait forever; "
                           "name a regular file")
    if stat.S_ISDIR(mode) and not directory_ok:
        raise InputRefused(f"{what} {path} is a directory; name the file inside it")
