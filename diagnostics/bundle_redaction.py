"""Redaction of everything a support bundle carries: known secrets by value, secret shapes by pattern.

A bundle is meant to be attached to a public forum post, so redaction does not rely on the sections
being careful. The secret values the host knows of (inline keys in ossec.conf, the shared credentials and
config files the module and we read, secret-looking variables of our and the module's environment) are
collected first and removed wherever they appear, raw, XML-unescaped or JSON-escaped; access key ids
are masked (``AKIA****WXYZ``); the log parser's pattern masking catches what no file declared; 12-digit
account ids are masked on request. ``leaks`` re-checks the final bytes of every file.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from diagnostics.host.processes import is_secret_name
from diagnostics.log_explainer.parser import mask_secrets
from diagnostics.masking import (
    HIDDEN,
    MIN_SECRET_LENGTH,
    SECRET_FILE_KEYS,
    mask_key_id,
    shared_file_values,
    shared_files,
)
from diagnostics.wazuh.wodle import LoadedConfig

_KEY_ID = re.compile(
    r"(?<![A-Z0-9])(?:AKIA|ASIA|AIDA|AROA|AGPA|ANPA|ANVA|APKA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])")
"""Access key ids and IAM unique ids (users, roles, groups): not secrets, but never shown whole."""
_ACCOUNT_ID = re.compile(r"(?<!\d)\d{12}(?!\d)")
_URL_PASSWORD = re.compile(r"(?P<head>\b[A-Za-z][A-Za-z0-9+.\-]*://[^\s:/@<>\"']*:)(?P<password>[^\s/@<>\"']+)@")
"""``https://user:password@host``: an endpoint URL (``<service_endpoint>``, a proxy) may embed a password."""
_BUNDLE_FILE_KEYS = (*SECRET_FILE_KEYS, "credential_process")
"""A ``credential_process`` command line may carry a password, so a public bundle drops it too."""
_URL_OPTIONS = ("service_endpoint", "sts_endpoint")


def mask_account_id(account: str) -> str:
    """``123456789012`` → ``********9012``: enough to tell accounts apart in a thread."""
    return "*" * 8 + account[-4:]


@dataclass
class Redactor:
    """Replaces known secrets and secret shapes; counts what it replaced (never what it was)."""

    secrets: tuple[str, ...] = ()
    key_ids: tuple[str, ...] = ()
    mask_accounts: bool = False
    replacements: int = 0
    _forms: tuple[tuple[str, str], ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        forms: list[tuple[str, str]] = []
        variants = {form for secret in self.secrets for form in (secret, html.unescape(secret))}
        for secret in sorted(variants, key=len, reverse=True):  # longest first: no partial leftovers
            if len(secret) >= MIN_SECRET_LENGTH:
                escaped = json.dumps(secret)[1:-1]
                forms += [(secret, HIDDEN)] + ([(escaped, HIDDEN)] if escaped != secret else [])
        for key_id in sorted(set(self.key_ids), key=len, reverse=True):
            if len(key_id) >= MIN_SECRET_LENGTH:
                forms.append((key_id, mask_key_id(key_id)))
        self._forms = tuple(forms)

    @classmethod
    def for_host(cls, module_home: Path, config: LoadedConfig | None, environs: Iterable[Mapping[str, str]],
                 *, mask_accounts: bool = False) -> Redactor:
        """Collect the secrets of this host: config inline keys, shared files, secret-named variables."""
        environs = [dict(environ) for environ in environs] + [dict(os.environ)]
        secrets: set[str] = set()
        key_ids: set[str] = set()
        for wodle in config.wodles if config is not None else ():
            for options in (wodle.options, *(block.options for block in wodle.blocks)):
                for name, option in options.items():
                    if name == "access_key" and option.value:
                        key_ids.add(option.value)
                    elif name == "secret_key" and option.value:
                        secrets.add(option.value)
                    elif name in _URL_OPTIONS and option.value:
                        secrets |= {match["password"] for match in _URL_PASSWORD.finditer(option.value)}
        for path in shared_files(module_home, environs):
            found_secrets, found_ids = shared_file_values(path, _BUNDLE_FILE_KEYS)
            secrets |= found_secrets
            key_ids |= found_ids
        for environ in environs:
            for name, value in environ.items():
                if name.upper() == "AWS_ACCESS_KEY_ID" and value:
                    key_ids.add(value)
                elif is_secret_name(name) and value:
                    secrets.add(value)
        return cls(tuple(secrets), tuple(key_ids), mask_accounts)

    def text(self, value: str) -> str:
        """One string with every secret removed and ids masked."""
        for known, replacement in self._forms:
            if known in value:
                self.replacements += value.count(known)
                value = value.replace(known, replacement)
        value, found = mask_secrets(value)
        self.replacements += len(found)

        def url_password(match: re.Match[str]) -> str:
            self.replacements += 1
            return f"{match['head']}{HIDDEN}@"

        value = _URL_PASSWORD.sub(url_password, value)

        def key_id(match: re.Match[str]) -> str:
            self.replacements += 1
            return mask_key_id(match.group(0))

        value = _KEY_ID.sub(key_id, value)
        if self.mask_accounts:
            value = _ACCOUNT_ID.sub(lambda match: mask_account_id(match.group(0)), value)
        return value

    def data(self, value: Any) -> Any:
        """A JSON-ready structure with every string (keys included) passed through ``text``."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {self.text(str(key)): self.data(item) for key, item in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.data(item) for item in value]
        return value

    def leaks(self, blob: bytes) -> tuple[str, ...]:
        """Which known secrets or whole key ids (by kind, never by value) remain in final bytes."""
        text = blob.decode("utf-8", errors="replace")
        kinds = [("secret" if replacement == HIDDEN else "access key id")
                 for known, replacement in self._forms if known in text]
        return tuple(dict.fromkeys(kinds))

    def scrub_bytes(self, blob: bytes) -> bytes:
        """Last line of defence on a file's final bytes (used only when ``leaks`` found something)."""
        text = blob.decode("utf-8", errors="replace")
        for known, replacement in self._forms:
            if known in text:
                self.replacements += text.count(known)
                text = text.replace(known, replacement)
        return text.encode("utf-8")
