"""wazuh-modulesd as a running process: who it runs as and which AWS settings its environment carries.

The module inherits wazuh-modulesd's environment, which is systemd's or the container's, not the admin's
shell; that difference explains "it works in my shell" and credentials missing on EKS (IRSA). Everything is
read from ``/proc`` through ``ProcFS`` so tests can point it at a fake tree or refuse a read. Variable
values are kept only in memory for comparison; anything shown goes through ``display_value``.
"""

from __future__ import annotations

import pwd
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from diagnostics.masking import HIDDEN, mask_key_id

MODULESD_NAMES: tuple[str, ...] = ("wazuh-modulesd", "ossec-modulesd")
"""Process names of the daemon that runs the aws-s3 thread (``ossec-`` before 4.2)."""
PROXY_NAMES: tuple[str, ...] = ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy",
                                "no_proxy")
KEPT_NAMES: tuple[str, ...] = ("PATH", "HOME", "PYTHONPATH", "PYTHONHOME", *PROXY_NAMES)
"""Non-AWS variables that change what the module does (interpreter lookup, ~/.aws, proxies)."""
CREDENTIAL_NAMES: frozenset[str] = frozenset({
    "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_SESSION_NAME",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE",
})
"""Variables that decide which credentials botocore finds (its chain reads the environment first)."""
CLI_ONLY_PREFIXES: tuple[str, ...] = ("AWS_CLI", "AWS_PAGER", "AWS_DEFAULT_OUTPUT")
"""Settings of the aws command only; botocore (and so the module) ignores them."""
IRSA_NAMES: frozenset[str] = frozenset({"AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE"})
"""Set by EKS for a pod's service account (IAM Roles for Service Accounts)."""
_MAX_PROC_READ = 1024 * 1024


def is_relevant(name: str) -> bool:
    """True for the variables compared between our shell and the module (AWS_*, PATH, proxies...)."""
    return name.startswith("AWS_") or name in KEPT_NAMES


def is_secret_name(name: str) -> bool:
    """Variables whose value is never shown (secret keys, session and authorization tokens)."""
    upper = name.upper()
    if upper.endswith("_FILE"):
        return False
    return any(word in upper for word in ("SECRET", "TOKEN", "PASSWORD"))


def _mask_userinfo(value: str) -> str:
    """``http://user:pass@proxy:3128`` → ``http://****@proxy:3128``: proxies may embed credentials."""
    scheme, separator, rest = value.partition("://")
    if not separator or "@" not in rest.split("/", 1)[0]:
        return value
    return f"{scheme}://{HIDDEN}@{rest.split('@', 1)[1]}"


def display_value(name: str, value: str) -> str:
    """What may be shown for a variable: nothing for secrets, a masked key id, proxies without userinfo."""
    if is_secret_name(name):
        return f"{HIDDEN} (set, {len(value)} characters)" if value else "(empty)"
    if name.upper() == "AWS_ACCESS_KEY_ID":
        return mask_key_id(value) or HIDDEN
    if name in PROXY_NAMES:
        return _mask_userinfo(value)
    return value


def relevant_environ(environ: Mapping[str, str]) -> dict[str, str]:
    """Only the variables that matter to the module, so unrelated secrets are never held."""
    return {name: value for name, value in environ.items() if is_relevant(name)}


def parse_environ(data: bytes) -> dict[str, str]:
    """``/proc/<pid>/environ``: NUL-separated ``NAME=value`` entries (invalid UTF-8 replaced)."""
    result: dict[str, str] = {}
    for entry in data.split(b"\x00"):
        name, separator, value = entry.decode("utf-8", errors="replace").partition("=")
        if separator and name:
            result[name] = value
    return result


@dataclass(frozen=True)
class ProcFS:
    """Read access to a ``/proc`` tree; subclass or point ``root`` elsewhere to fake processes in tests."""

    root: Path = Path("/proc")

    def pids(self) -> Iterator[int]:
        """Numeric entries of the tree (processes), in no particular order."""
        try:
            entries = list(self.root.iterdir())
        except OSError:
            return
        for entry in entries:
            if entry.name.isdigit():
                yield int(entry.name)

    def read(self, pid: int, name: str) -> bytes:
        """One file of a process (``comm``, ``cmdline``, ``status``, ``environ``); raises OSError."""
        with (self.root / str(pid) / name).open("rb") as handle:
            return handle.read(_MAX_PROC_READ)

    def path(self, pid: int, name: str) -> Path:
        """Where a process file lives, for messages."""
        return self.root / str(pid) / name


@dataclass(frozen=True)
class ProcessInfo:
    """One running wazuh-modulesd: identity, user and (when readable) its relevant environment."""

    pid: int
    name: str
    uid: int | None = None
    user: str | None = None
    cmdline: tuple[str, ...] = ()
    environ: Mapping[str, str] | None = field(default=None, repr=False)
    """Relevant variables only (``relevant_environ``), or None when ``/proc/<pid>/environ`` was refused."""
    environ_error: str | None = None
    environ_path: str = ""

    @property
    def home(self) -> Path | None:
        """The home directory of the process's user (where its ``~/.aws`` lives), when known."""
        if self.uid is None:
            return None
        try:
            return Path(pwd.getpwuid(self.uid).pw_dir)
        except KeyError:
            return None


def _uid_of(status: bytes) -> int | None:
    for line in status.decode("utf-8", errors="replace").splitlines():
        if line.startswith("Uid:"):
            fields = line.split()
            if len(fields) >= 3 and fields[2].isdigit():
                return int(fields[2])  # the effective uid decides file access
    return None


def _user_name(uid: int | None) -> str | None:
    if uid is None:
        return None
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _process_name(proc: ProcFS, pid: int) -> tuple[str, tuple[str, ...]] | None:
    """The process's comm and argv, or None when it has vanished or cannot be inspected."""
    try:
        comm = proc.read(pid, "comm").decode("utf-8", errors="replace").strip()
    except OSError:
        return None
    try:
        argv = tuple(part.decode("utf-8", errors="replace")
                     for part in proc.read(pid, "cmdline").split(b"\x00") if part)
    except OSError:
        argv = ()
    return comm, argv


def _matches(comm: str, argv: tuple[str, ...], names: tuple[str, ...]) -> str | None:
    """The daemon name this process is, by comm (cut at 15 characters) or argv[0]'s basename."""
    program = argv[0].rsplit("/", 1)[-1] if argv else ""
    for name in names:
        if comm == name or comm == name[:15] or program == name:
            return name
    return None


def find_processes(proc: ProcFS | None = None, names: tuple[str, ...] = MODULESD_NAMES
                   ) -> tuple[ProcessInfo, ...]:
    """Every running process with one of ``names``, with its user and environment when readable."""
    proc = proc or ProcFS()
    found: list[ProcessInfo] = []
    for pid in sorted(proc.pids()):
        identity = _process_name(proc, pid)
        if identity is None:
            continue
        name = _matches(identity[0], identity[1], names)
        if name is None:
            continue
        try:
            uid = _uid_of(proc.read(pid, "status"))
        except OSError:
            uid = None
        environ: dict[str, str] | None = None
        error: str | None = None
        try:
            environ = relevant_environ(parse_environ(proc.read(pid, "environ")))
        except PermissionError as refused:
            error = refused.strerror or "permission denied"
        except OSError as failed:
            error = failed.strerror or type(failed).__name__
        found.append(ProcessInfo(pid, name, uid, _user_name(uid), identity[1], environ, error,
                                 str(proc.path(pid, "environ"))))
    return tuple(found)


@dataclass(frozen=True)
class EnvComparison:
    """How the module's relevant variables differ from ours, by name (values are never kept here)."""

    only_ours: tuple[str, ...]
    only_module: tuple[str, ...]
    differing: tuple[str, ...]
    same: tuple[str, ...]

    @property
    def identical(self) -> bool:
        """True when both sides set the same AWS variables to the same values."""
        return not (self.only_ours or self.only_module or self.differing)


def compare_environments(ours: Mapping[str, str], module: Mapping[str, str]) -> EnvComparison:
    """Compare the AWS_* and proxy variables (PATH and HOME always differ and are left out)."""
    def aws(environ: Mapping[str, str]) -> dict[str, str]:
        return {name: value for name, value in environ.items() if name in PROXY_NAMES
                or (name.startswith("AWS_") and not name.startswith(CLI_ONLY_PREFIXES))}

    left, right = aws(ours), aws(module)
    return EnvComparison(
        only_ours=tuple(sorted(set(left) - set(right))),
        only_module=tuple(sorted(set(right) - set(left))),
        differing=tuple(sorted(name for name in set(left) & set(right) if left[name] != right[name])),
        same=tuple(sorted(name for name in set(left) & set(right) if left[name] == right[name])),
    )


def describe(names: tuple[str, ...], environ: Mapping[str, str]) -> str:
    """``AWS_REGION=eu-west-1, AWS_SECRET_ACCESS_KEY=**** (set, 40 characters)`` for messages."""
    return ", ".join(f"{name}={display_value(name, environ.get(name, ''))}" for name in names)
