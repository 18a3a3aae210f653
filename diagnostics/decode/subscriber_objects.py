"""What a `buckets` (or Security Hub) subscriber sends for one notified object, decided as the module does.

The module guesses the format from the text: a ``.jsonl.gz`` key is JSON lines; otherwise concatenated JSON
documents (each ``detail`` unwrapped, ``source`` forced to ``custom``); failing that, CSV when the first line
has no digit, else one event per line (``full_log``). Two of its habits lose or mangle logs, and both are
reproduced here so a preview shows them: plain text whose first line has no digit is read as CSV with a
sniffed delimiter (the first line becomes the header), and ``full_log`` lines are matched against the literal
``None`` when no ``discard_regex`` is set.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus, unquote

from diagnostics.decode.discard import DiscardRule

DATAGRAM_HEADER = "1:Wazuh-AWS:"


class SubscriberStop(Exception):
    """A failure that ends the module's run while it reads the object (exit 12 at debug 0 unless it says)."""

    def __init__(self, reason: str, exit_code: int = 12) -> None:
        super().__init__(reason)
        self.exit_code = exit_code


@dataclass(frozen=True)
class SubscriberEvent:
    """One record of the object: the datagram the module sends, or why it drops the record."""

    record: dict[str, Any]
    datagram: str | None
    dropped_by: str | None = None


@dataclass(frozen=True)
class SubscriberObject:
    """The format the module settles on, and every record with its fate."""

    key: str
    format: str
    """``json``, ``json lines``, ``csv`` or ``plain text``."""
    events: tuple[SubscriberEvent, ...]
    note: str = ""


def notified_key(key: str) -> str:
    """The key the module asks S3 for: the notification's URL-encoded key (spaces as '+') after ``unquote``.

    ``unquote`` turns ``%XX`` back but keeps ``+``, so a key with a space comes back with a '+' instead, an
    object that does not exist.
    """
    return unquote(quote_plus(key, safe="/"))


def object_text(key: str, body: bytes) -> str:
    """The text the module reads from an object: gzip or the first zip member inflated, UTF-8, newlines as LF."""
    if key.endswith(".snappy"):
        raise SubscriberStop(f"Couldn't decompress the {key} file, snappy compression is not supported.", 8)
    if key.endswith(".gz"):
        try:
            body = gzip.decompress(body)
        except (OSError, EOFError, zlib.error) as error:
            raise SubscriberStop(f"Invalid gzip file received. ({error})", 8) from error
    elif key.endswith(".zip"):
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                body = archive.read(archive.namelist()[0])
        except (zipfile.BadZipFile, IndexError) as error:
            raise SubscriberStop(f"Invalid zip file received. ({error})", 8) from error
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SubscriberStop(f"the object is not UTF-8 text: {error}") from error
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _is_csv(text: str) -> bool:
    """The module's test: CSV when the first line (stripped) has no digit at all."""
    return re.search(r"\d", text.split("\n", 1)[0].strip()) is None


def _json_documents(text: str) -> list[Any]:
    decoder = json.JSONDecoder()
    documents: list[Any] = []
    while text:
        document, index = decoder.raw_decode(text)
        text = text[index:].lstrip()
        documents.append(document)
    return documents


def _remove_none(record: dict[Any, Any]) -> None:
    """None values removed from dicts, recursively through dicts only (lists are left as they are)."""
    for key, value in list(record.items()):
        if isinstance(value, dict):
            _remove_none(value)
        elif value is None:
            del record[key]


def parse_object_text(key: str, text: str) -> tuple[str, list[dict[Any, Any]], str]:
    """(format, records, note) for an object's text; SubscriberStop when the module's reading would crash."""
    if key.endswith(".jsonl.gz"):
        try:
            return "json lines", [dict(json.loads(line)) for line in io.StringIO(text)], ""
        except json.JSONDecodeError:
            pass
        except (TypeError, ValueError) as error:
            raise SubscriberStop(f"a JSON line is not an object: {error}") from error
    else:
        try:
            documents = _json_documents(text)
            return "json", [dict(document.get("detail", document), source="custom") for document in documents], ""
        except (json.JSONDecodeError, AttributeError):
            pass
        except (TypeError, ValueError) as error:
            raise SubscriberStop(f"a 'detail' value is not an object: {error}") from error
    if _is_csv(text):
        try:
            dialect = csv.Sniffer().sniff(text.split("\n", 1)[0] + "\n")
        except csv.Error as error:
            raise SubscriberStop(f"CSV sniffing failed: {error}") from error
        reader = csv.DictReader(io.StringIO(text), dialect=dialect)
        records = [dict({name: value for name, value in row.items() if value is not None}, source="custom")
                   for row in reader]
        note = ("" if dialect.delimiter == "," else
                f"The first line has no digit, so the module reads the file as CSV with the delimiter "
                f"{dialect.delimiter!r}: the first line becomes the column names and is never sent itself.")
        return "csv", records, note
    return "plain text", [{"full_log": line, "source": "custom"} for line in text.splitlines()], ""


def subscriber_object(bucket: str, key: str, text: str, rule: DiscardRule) -> SubscriberObject:
    """Every record of an object with its datagram or the reason the module drops it."""
    data_format, records, note = parse_object_text(key, text)
    events = []
    for record in records:
        _remove_none(record)
        full_log = record.get("full_log")
        if "full_log" in record:
            if not isinstance(full_log, str):
                raise SubscriberStop("a record's 'full_log' is not text: the module's regex check fails on it")
            if rule.pattern.match(full_log):
                unset = " (no discard_regex is set: the module uses the literal 'None')" \
                    if rule.pattern.pattern == "None" and not rule.field else ""
                events.append(SubscriberEvent(record, None, f"full_log matches '{rule.pattern.pattern}'{unset}"))
                continue
        elif rule.matches(record):
            events.append(SubscriberEvent(record, None, rule.describe()))
            continue
        payload: dict[Any, Any] = {"log_info": {"log_file": key, "s3bucket": bucket}}
        payload.update(record)
        message = {"integration": "aws", "aws": payload}
        events.append(SubscriberEvent(record, DATAGRAM_HEADER + json.dumps(message, default=str)))
    return SubscriberObject(key, data_format, tuple(events), note)
