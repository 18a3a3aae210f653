"""Pieces shared by the AWSLogs JSON types (CloudTrail, Config): one document, records under one key.

The module does ``json.load`` on the whole file, then ``[dict(x, source=...) for x in doc[field]]``;
here the elements stream out while the rest of the document is still validated, and an element the
module could not convert is reported only after the whole document parsed, as the module would.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TextIO

from diagnostics.decode.base import (
    LoadContext,
    LoadedRecord,
    LoadItem,
    LoadNote,
    account_from_key,
    raw_copy,
)
from diagnostics.decode.json_stream import DocumentOutline, stream_document_field


def load_document_records(text: TextIO, field_name: str, source: str,
                          load: LoadContext) -> Iterator[LoadItem]:
    """Records of ``document[field_name]`` each with ``source`` added, streamed."""
    outline = DocumentOutline()
    deferred: Exception | None = None
    for element in stream_document_field(text, field_name, outline,
                                         whole_below=load.decode.whole_document_chars, ledger=load.cuts):
        if deferred is not None:
            continue  # the module would still be parsing; keep validating, yield nothing more
        try:
            record = dict(element, source=source)
        except Exception as error:  # TypeError/ValueError exactly as dict() raises them in the module
            deferred = error
            continue
        yield LoadedRecord(record=record, raw=raw_copy(load, element))
    if deferred is not None:
        raise deferred
    if outline.duplicate_field:
        yield LoadNote("decode.duplicate_records_key", {"key": load.key, "field": field_name})
    if outline.is_object and outline.field_streamed:
        return
    document: Any = outline.whole_value if not outline.is_object else None
    if outline.is_object:
        if not outline.field_found:
            yield LoadNote("decode.no_records_key", {"key": load.key, "field": field_name})
            return
        values: Any = outline.field_value
    else:
        if field_name not in document:
            yield LoadNote("decode.no_records_key", {"key": load.key, "field": field_name})
            return
        values = document[field_name]
    records = [LoadedRecord(record=dict(element, source=source), raw=raw_copy(load, element))
               for element in values]
    yield from records


def awslogs_account(load: LoadContext) -> str | None:
    """The account the module iterates for this key (configured, else the key's account folder)."""
    return load.decode.aws_account_id or account_from_key(load.key, load.decode.bucket_type) or ""
