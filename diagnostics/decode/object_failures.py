"""How a failure ends one object: the module's exit, or with skip_on_error the ``error_msg`` event it sends.

The module inflates or reads a whole object before it parses, so a read error found late still wins over a
parse error found first; and each kind of failure maps to the module's own exit code and message.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from diagnostics.decode import problems
from diagnostics.decode.base import TypeDecoder
from diagnostics.decode.cuts import ValueTooLarge
from diagnostics.decode.errors import (
    CompressionFault,
    DecodeCancelled,
    DecompressedSizeExceeded,
    ModuleExit,
    StreamReadError,
    classify_load_error,
    module_repr,
    none_context_error,
)
from diagnostics.decode.model import DecodeContext, DecodeCounters, FileProblem
from diagnostics.decode.streams import Compression, OpenedObject, is_gzip_validation_failure

FIRST_READ_ERRORS = (CompressionFault, UnicodeDecodeError, DecompressedSizeExceeded, StreamReadError)
"""Errors of inflating or reading the text, which the module meets before any parse error."""


def first_read_error(error: Exception, decoder: TypeDecoder, opened: OpenedObject) -> BaseException:
    """The error the module meets first: for gzip and whole-text types, a read error later in the object."""
    if isinstance(error, FIRST_READ_ERRORS):
        return error
    if opened.compression is Compression.GZIP or decoder.reads_whole_text:
        try:
            opened.drain()
        except FIRST_READ_ERRORS as earlier:
            return earlier
        except DecodeCancelled:
            raise
        except Exception:  # a second, unrelated read error: keep the first one
            return error
    return error


def failure_position(error: BaseException, last_line: int | None) -> tuple[int | None, int | None]:
    """(line, character) where a failure happened, as far as it can be told."""
    if isinstance(error, json.JSONDecodeError):
        return error.lineno, error.pos
    if isinstance(error, CompressionFault):
        return None, error.compressed_offset
    if last_line is not None:
        return last_line + 1, None
    return None, None


def failure_problems(ref: problems.ObjectRef, context: DecodeContext, counters: DecodeCounters,
                     error: BaseException, line: int | None, offset: int | None) -> Iterator[FileProblem]:
    """The problem a failure makes of the object; the events already counted are lost to the module."""
    lost = counters.events_sent
    counters.aborted = True
    counters.events_sent = 0
    refusal = _size_or_read_refusal(ref, error)
    if refusal is not None:
        counters.events_sent = lost
        counters.problems += 1
        yield refusal
        return
    if isinstance(error, CompressionFault) and is_gzip_validation_failure(error):
        error = ModuleExit("decode.invalid_gzip", 8, "Invalid gzip file received.",
                           {"error": module_repr(error.original)}, skippable=True)
        line, offset = None, None
    elif isinstance(error, CompressionFault):
        original = error.original
        error = original if isinstance(original, Exception) else error
    skip = context.skip_on_error
    if isinstance(error, ModuleExit):
        skip = error.skippable and skip
        follow = classify_load_error(none_context_error(context.profile), ref.key) if skip else None
        found = problems.failure_problem(
            ref, error.failure_id, error.exit_code, error.message, {"key": ref.key, **error.values}, line=line,
            offset=offset, lost_events=lost, skip=skip, printed_first=f"ERROR: {error.message}" if skip else None,
            skip_message=follow.message if follow else None)
    else:
        classified = classify_load_error(error, ref.key)
        found = problems.failure_problem(ref, classified.failure_id, classified.exit_code, classified.message,
                                         classified.values, line=line, offset=offset, lost_events=lost, skip=skip)
    if skip:
        counters.error_events += 1
    counters.problems += 1
    yield found


def _size_or_read_refusal(ref: problems.ObjectRef, error: BaseException) -> FileProblem | None:
    """Our own refusals (too large, unreadable): the module would not get as far, and they lose nothing."""
    if isinstance(error, DecompressedSizeExceeded):
        return problems.problem(ref, "decode.too_large", {"limit": error.limit}, recoverable=False)
    if isinstance(error, ValueTooLarge):
        return problems.problem(ref, "decode.value_too_large", {"limit": error.chars, "position": error.where},
                                recoverable=False)
    if isinstance(error, StreamReadError):
        return problems.problem(ref, "decode.read_failed", {"error": str(error)}, recoverable=False)
    return None
