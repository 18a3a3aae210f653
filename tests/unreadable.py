"""A file that ``open()`` refuses with "Permission denied" to whoever runs the tests, root included.

Root reads any file whatever its mode, so as root the path is a symlink to a write-only sysfs attribute:
the kernel refuses to open such an attribute for reading even for root (EACCES), the same error an
unreadable ossec.conf or credentials file gives a non-root user.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

WRITE_ONLY_ATTRIBUTES = ("/sys/bus/cpu/uevent", "/sys/bus/platform/uevent", "/sys/module/kernel/uevent")


def unreadable_file(path: Path, text: str) -> Path:
    """``path`` holding ``text`` with mode 0 (non-root), or pointing at a write-only sysfs attribute (root)."""
    if os.geteuid() != 0:
        path.write_text(text)
        path.chmod(0)
    else:
        target = next((Path(name) for name in WRITE_ONLY_ATTRIBUTES if Path(name).exists()), None)
        if target is None:
            pytest.skip("running as root without sysfs: no file refuses to be read")
        path.symlink_to(target)
    with pytest.raises(PermissionError):
        path.open("rb").close()
    return path
