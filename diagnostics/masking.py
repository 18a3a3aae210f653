"""Masking of AWS identifiers, so findings can name a key without ever showing a secret.

Access key ids and STS user ids are not secrets, but showing them whole in screenshots and pasted
reports helps nobody; keeping the prefix (the key type) and the last four is what AWS's own tools do.
Secret keys and session tokens are never shown at all; ``scrub`` removes them from any text.
"""

from __future__ import annotations

from collections.abc import Iterable

HIDDEN = "****"


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
    """``text`` with every given secret replaced by ``****`` (empty secrets are ignored)."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, HIDDEN)
    return text
