"""How the module turns a failure while reading one object into an exit code and a message.

The module's ``get_log_file`` maps exception *types* to exit codes, so decoders here
raise the same Python exceptions the module's own code would, and this module classifies them once.
"""

from __future__ import annotations

import csv
import zipfile
from dataclasses import dataclass, field
from typing import Any

from diagnostics.wazuh.versions import WazuhProfile


class ModuleExit(Exception):
    """A place where the module's code calls ``sys.exit`` itself (not through ``get_log_file``)."""

    def __init__(self, failure_id: str, exit_code: int, message: str, values: dict[str, Any] | None = None,
                 *, skippable: bool = False) -> None:
        super().__init__(message)
        self.failure_id = failure_id
        self.exit_code = exit_code
        self.message = message
        self.values = dict(values or {})
        self.skippable = skippable
        """True when ``skip_on_error`` makes the module print the message and carry on (decompression)."""


class DecompressedSizeExceeded(Exception):
    """Our own refusal to inflate an object past the size cap (a gzip or zip bomb)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"decompressed data exceeds {limit} bytes")
        self.limit = limit


class CompressionFault(Exception):
    """An error raised by the decompression layer, kept apart so it maps like the module's validation step."""

    def __init__(self, container: str, original: BaseException, compressed_offset: int | None) -> None:
        super().__init__(repr(original))
        self.container = container
        """``gzip`` (validated up front by the module) or ``zip`` (read lazily)."""
        self.original = original
        self.compressed_offset = compressed_offset


class DecodeCancelled(Exception):
    """The cancel event was set while an object was being read: stop inside it, between chunks."""


class StreamReadError(Exception):
    """Reading the object itself failed (network, S3): not the module's problem but ours."""


@dataclass(frozen=True)
class ClassifiedError:
    """An exception translated into the module's words."""

    failure_id: str
    exit_code: int
    message: str
    values: dict[str, Any] = field(default_factory=dict)


def classify_load_error(error: BaseException, key: str) -> ClassifiedError:
    """``get_log_file``'s mapping: decompress (8), parse (9) or unknown (1), each with ``repr(e)``."""
    text = module_repr(error)
    values = {"key": key, "error": text}
    if isinstance(error, (TypeError, OSError, zipfile.BadZipFile, zipfile.LargeZipFile)):
        return ClassifiedError("decode.decompress_failed", 8, f"Failed to decompress file {key}: {text}",
                               values)
    if isinstance(error, (ValueError, csv.Error)):
        return ClassifiedError("decode.parse_failed", 9, f"Failed to parse file {key}: {text}", values)
    return ClassifiedError("decode.unknown_error", 1, f"Unknown error reading/parsing file {key}: {text}",
                           values)


def module_repr(error: BaseException) -> str:
    """``repr(e)`` exactly as the module prints and sends it, however long (a UnicodeDecodeError quotes the
    whole 8 KiB chunk being decoded): the error_msg event carries it whole, so only the faces fold it."""
    return repr(error)


def none_context_error(profile: WazuhProfile) -> BaseException:
    """What ``with None as f`` raises after a refused decompression with skip_on_error.

    The module's decompress helpers print their error and return None when skip_on_error is set; the
    caller's ``with`` statement then fails. Python 3.10 (the interpreter bundled with 4.8-4.14) raises
    AttributeError('__enter__') (exit-1 wording); 3.11+ raises TypeError (exit-8 wording). 5.0 runs the
    host's python3, assumed to be 3.11 or newer.
    """
    if profile.version < (5, 0, 0):
        return AttributeError("__enter__")
    return TypeError("'NoneType' object does not support the context manager protocol")


def csv_rejects_nul(profile: WazuhProfile) -> bool:
    """Python 3.10's csv module raises ``line contains NUL``; 3.11 accepts NUL (see none_context_error)."""
    return profile.version < (5, 0, 0)
