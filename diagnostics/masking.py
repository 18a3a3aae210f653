"""Masking of AWS identifiers, so findings can name a key without ever showing a secret.

Access key ids and STS user ids are not secrets, but showing them whole in screenshots and pasted
reports helps nobody; keeping the prefix (the key type) and the last four is what AWS's own tools do.
Secret keys and session tokens are never shown at all; ``scrub`` removes them from any text. Secrets are
found by VALUE (``known_secrets`` collects them from the environment, every profile of the shared AWS
files and inline keys) because MinIO- or Ceph-style secrets have no shape a pattern could recognise.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

HIDDEN = "****"
MIN_SECRET_LENGTH = 8
"""Shorter "secrets" (``true``, ``none``) would blank out ordinary words; real keys are 16+ characters."""
SECRET_FILE_KEYS = ("secret", "token", "password")
"""Keys of the shared files whose values are secret (``aws_secret_access_key``, ``aws_session_token``...)."""
_ASSIGNMENT = re.compile(r"^\s*(?P<key>[A-Za-z0-9_.\-]+)\s*[=:]\s*(?P<value>.*?)\s*$")
_MAX_SHARED_FILE = 4 * 1024 * 1024


def mask_key_id(key_id: str | None) -> str:
    """``AKIAIOSFODNN7EXAMPLE`` → ``AKIA****MPLE``; short or empty values are hidden entirely."""
    if not key_id:
        return ""
    key_id = key_id.strip()
    if len(key_id) < 12:
        return HIDDEN
    return f"{key_id[:4]}{HIDDEN}{key_id[-4:]}"


def mask_user_id(user_id: str | None) -> str:
    """An STS UserId (``AIDA...`` or ``AROA...:session``): mask the id part, keep the session name."""
    if not user_id:
        return ""
    unique, separator, session = user_id.partition(":")
    return f"{mask_key_id(unique)}{separator}{session}"


def scrub(text: str, secrets: Iterable[str | None]) -> str:
    """``text`` with every given secret replaced by ``****``, literally and wholly.

    Longest first, so a secret that contains another leaves no tail; the JSON-escaped form is replaced
    too, so a secret holding a quote or a backslash is caught inside JSON text. Values shorter than
    ``MIN_SECRET_LENGTH`` are ignored (they would blank out ordinary words).
    """
    return scrub_forms(text, secret_forms(secrets))


def secret_forms(secrets: Iterable[str | None]) -> tuple[str, ...]:
    """The texts ``scrub`` replaces for these secrets (raw and JSON-escaped), longest first."""
    forms = {form for secret in secrets if secret and len(secret) >= MIN_SECRET_LENGTH
             for form in (secret, json.dumps(secret)[1:-1])}
    return tuple(sorted(forms, key=len, reverse=True))


def scrub_forms(text: str, forms: Iterable[str]) -> str:
    """``text`` with each of ``secret_forms``' texts replaced by ``****`` (for callers that scrub often)."""
    for form in forms:
        if form in text:
            text = text.replace(form, HIDDEN)
    return text


def is_secret_variable(name: str) -> bool:
    """Environment variables whose value is a secret (``AWS_SECRET_ACCESS_KEY``, ``*_TOKEN``, passwords)."""
    upper = name.upper()
    return not upper.endswith("_FILE") and any(word in upper for word in ("SECRET", "TOKEN", "PASSWORD"))


def shared_file_values(path: Path, secret_keys: Iterable[str] = SECRET_FILE_KEYS) -> tuple[set[str], set[str]]:
    """(secret values, access key ids) written in an AWS shared credentials or config file, every profile.

    Unreadable or missing files give nothing: a file the doctor cannot read is one it cannot echo either.
    """
    secrets: set[str] = set()
    key_ids: set[str] = set()
    words = tuple(secret_keys)
    try:
        with path.open("rb") as handle:
            text = handle.read(_MAX_SHARED_FILE).decode("utf-8", errors="replace")
    except OSError:
        return secrets, key_ids
    for line in text.splitlines():
        match = _ASSIGNMENT.match(line)
        if match is None or not match["value"]:
            continue
        key = match["key"].lower()
        if key == "aws_access_key_id":
            key_ids.add(match["value"])
        elif any(word in key for word in words):
            secrets.add(match["value"])
    return secrets, key_ids


def shared_files(module_home: Path, environs: Iterable[Mapping[str, str]]) -> list[Path]:
    """Every credentials/config file the module or we could read (homes and ``AWS_*_FILE`` variables)."""
    homes = [module_home, Path.home()]
    files = [home / ".aws" / name for home in homes for name in ("credentials", "config")]
    for environ in environs:
        for name in ("AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE"):
            value = environ.get(name)
            if value:
                expanded = value.replace("~", str(module_home), 1) if value.startswith("~") else value
                files.append(Path(expanded))
        home = environ.get("HOME")
        if home:
            files += [Path(home) / ".aws" / "credentials", Path(home) / ".aws" / "config"]
    return list(dict.fromkeys(files))


def known_secrets(module_home: Path, environs: Iterable[Mapping[str, str]] = (),
                  inline: Iterable[str | None] = ()) -> tuple[str, ...]:
    """Every secret value this host holds: secret-named variables of the given environments and ours,
    the secret keys of every profile in the shared files, and inline values (a block's ``secret_key``)."""
    every_environ = [*environs, os.environ]
    found = {value for value in inline if value}
    for path in shared_files(module_home, every_environ):
        found |= shared_file_values(path)[0]
    for environ in every_environ:
        found |= {value for name, value in environ.items() if value and is_secret_variable(name)}
    return tuple(sorted((value for value in found if len(value) >= MIN_SECRET_LENGTH), key=len, reverse=True))
