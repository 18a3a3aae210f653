"""Ask the module's own Python which of boto3, botocore and pyarrow it can import (exits 4 and 10).

The answer must come from the interpreter wazuh-modulesd starts (the embedded framework Python behind the
4.x wrapper, or the shebang's ``python3`` found on the daemon's PATH), never from ours: ``pip3 show
boto3`` succeeding for another Python is the classic trap. The interpreter runs as a child
process with a timeout and a fixed, import-only snippet; nothing of the module itself is executed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from diagnostics.wazuh.installation import ModuleEntry

PROBED_MODULES: tuple[str, ...] = ("boto3", "botocore", "pyarrow")
DEFAULT_TIMEOUT_S = 15.0
"""Importing boto3 and pyarrow takes well under a second; a slow disk or a cold cache gets slack."""

_MARKER = "WAZUH-AWS-DOCTOR-PROBE "
PROBE_SNIPPET = "\n".join((
    "import json, sys",
    "result = {'python': sys.version.split()[0], 'modules': {}, 'errors': {}}",
    f"for name in {PROBED_MODULES!r}:",
    "    try:",
    "        module = __import__(name)",
    "        result['modules'][name] = str(getattr(module, '__version__', 'unknown'))",
    "    except BaseException as error:",
    "        result['modules'][name] = None",
    "        result['errors'][name] = type(error).__name__ + ': ' + str(error)",
    f"print({_MARKER!r} + json.dumps(result))",
))
"""A fixed import-only program (``python -c``): it never touches the module's files."""


@dataclass(frozen=True)
class PythonProbe:
    """What the module's interpreter said about its modules, or why it could not be asked."""

    interpreter: str
    """As the module names it (``python3`` for an env shebang, or a path)."""
    resolved: str | None = None
    """The file that runs (PATH lookup done with the daemon's PATH when known)."""
    python_version: str | None = None
    versions: Mapping[str, str | None] = field(default_factory=dict)
    """Module name → ``__version__``, or None when the import failed."""
    errors: Mapping[str, str] = field(default_factory=dict)
    problem: str | None = None
    """Why the interpreter could not be run or answered nonsense (missing, timeout, crash)."""

    @property
    def ran(self) -> bool:
        """True when the interpreter answered."""
        return self.problem is None

    def missing(self, name: str) -> bool:
        """True when the interpreter answered and could not import ``name``."""
        return self.ran and self.versions.get(name) is None


def resolve_interpreter(entry: ModuleEntry, environ: Mapping[str, str] | None) -> str | None:
    """The interpreter file for an entry point, searched on the given PATH for ``/usr/bin/env`` shebangs."""
    if entry.interpreter is None:
        return None
    if os.sep in entry.interpreter:
        return entry.interpreter if Path(entry.interpreter).exists() else None
    path = (environ or {}).get("PATH") or os.environ.get("PATH") or os.defpath
    return shutil.which(entry.interpreter, path=path)


def probe_interpreter(entry: ModuleEntry, *, environ: Mapping[str, str] | None = None,
                      cwd: Path | None = None, timeout_s: float = DEFAULT_TIMEOUT_S) -> PythonProbe:
    """Run the module's interpreter with an import-only snippet and read the versions it reports."""
    interpreter = entry.interpreter or ""
    resolved = resolve_interpreter(entry, environ)
    if resolved is None:
        return PythonProbe(interpreter, problem=f"{interpreter or 'no interpreter'} was not found")
    env = dict(environ) if environ is not None else dict(os.environ)
    env.pop("PYTHONSTARTUP", None)
    try:
        completed = subprocess.run(
            [resolved, "-c", PROBE_SNIPPET], cwd=cwd if cwd is not None and cwd.is_dir() else None, env=env,
            stdin=subprocess.DEVNULL, capture_output=True, text=True, errors="replace", timeout=timeout_s,
            check=False)
    except subprocess.TimeoutExpired:
        return PythonProbe(interpreter, resolved, problem=f"no answer within {timeout_s:g} s")
    except OSError as error:
        return PythonProbe(interpreter, resolved, problem=error.strerror or str(error))
    for line in completed.stdout.splitlines():
        if line.startswith(_MARKER):
            return _parse(interpreter, resolved, line[len(_MARKER):])
    tail = (completed.stderr or completed.stdout).strip().splitlines()[-1:] or ["no output"]
    return PythonProbe(interpreter, resolved, problem=f"exit status {completed.returncode}: {tail[0][:300]}")


def _parse(interpreter: str, resolved: str, text: str) -> PythonProbe:
    try:
        data = json.loads(text)
    except ValueError:
        return PythonProbe(interpreter, resolved, problem="unreadable answer")
    modules = data.get("modules") if isinstance(data, dict) else None
    if not isinstance(modules, dict):
        return PythonProbe(interpreter, resolved, problem="unreadable answer")
    errors = data.get("errors") if isinstance(data.get("errors"), dict) else {}
    return PythonProbe(
        interpreter, resolved, python_version=str(data.get("python") or "") or None,
        versions={name: (str(modules[name]) if modules.get(name) is not None else None)
                  for name in PROBED_MODULES},
        errors={str(name): str(message)[:300] for name, message in errors.items()})
