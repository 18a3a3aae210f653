"""diagnostics/ must stay UI-free: importing every module must not pull textual or rich."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import diagnostics

ROOT = Path(__file__).resolve().parent.parent


def all_diagnostics_modules() -> list[str]:
    return [info.name for info in pkgutil.walk_packages(diagnostics.__path__, "diagnostics.")]


def test_there_are_modules_to_check() -> None:
    assert len(all_diagnostics_modules()) > 5


def test_diagnostics_never_imports_textual_or_rich() -> None:
    modules = all_diagnostics_modules()
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                            timeout=120, check=True)
    assert result.stdout.strip() == "", f"diagnostics pulled in: {result.stdout.strip()}"


def test_diagnostics_never_prints() -> None:
    offenders = []
    for path in (ROOT / "diagnostics").rglob("*.py"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if line.lstrip().startswith("print("):
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == []
