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

# An optional dependency is imported where it is used, inside a guard for its absence.

DATAGRAM_HEADER = "1:Wazuh-AWS:"


class SubscriberStop(Exception):
    """A failure that ends the module's run while it reads the object (exit 12 at debug 0 unless it says)."""

    def __init__(self, reason: str, exit_code: int = 12, printed: str | None = None) -> None:
        super().__init__(reason)
        self.exit_code = exit_code
        # The module's own error line carries only the exception's text, while the reason may say more.
        self.printed = printed if printed is not None else reason


@dataclass(frozen=True)
class SubscriberEvent:
    """One record of the object: the datagram the module sends, or why it drops the record."""

    record: dict[str, Any]
    datagram: str | None
    dropped_by: str | None = None
    lost_findings: int = 0
    """Security Hub: findings of the event after the first, which the module never sends."""


HUB_FIELDS = ("findings", "actionName", "actionDescription", "insightName", "insightArn", "resultType",
              "insightResults")
"""The detail fields the Security Hub subscriber copies into its event (``findings`` as its first item)."""


@dataclass(frozen=True)
class SubscriberObject:
    """The format the module settles on, and every record with its fate."""

    key: str
    format: str
    """``json``, ``json lines``, ``csv`` or ``plain text``."""
    events: tuple[SubscriberEvent, ...]
    note: str = ""


def notified_key(key: str, subscriber_type: str = "buckets") -> str:
    """The key the module asks S3 for, from the notification's URL-encoded key (spaces as '+').

    The buckets subscriber applies ``unquote``, which turns ``%XX`` back but keeps ``+``, so a key with a space
    comes back with a '+' instead; the Security Hub subscriber decodes nothing, so any character S3 encodes
    breaks it. Either way the module asks for an object that does not exist.
    """
    encoded = quote_plus(key, safe="/")
    return encoded if subscriber_type == "security_hub" else unquote(encoded)


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


def security_hub_records(text: str) -> tuple[list[dict[Any, Any]], list[int]]:
    """Security Hub events as the module rebuilds them, and how many findings each loses after the first."""
    try:
        documents = _json_documents(text)
    except json.JSONDecodeError as error:
        raise SubscriberStop("Data in the file does not contain JSON objects.", 9) from error
    records, lost = [], []
    for document in documents:
        if not isinstance(document, dict):
            raise SubscriberStop("Data in the file does not contain JSON objects.", 9)
        try:
            detail, record = document["detail"], {"source": "securityhub", "detail_type": document["detail-type"]}
        except KeyError as error:
            raise SubscriberStop(f"an event has no {error} field") from error
        for name in HUB_FIELDS:
            if name in detail:
                if name == "findings":
                    record.setdefault("finding", detail[name][0])
                else:
                    record.setdefault(name, detail[name])
        records.append(record)
        findings = detail.get("findings")
        lost.append(len(findings) - 1 if isinstance(findings, list) and findings else 0)
    return records, lost


def subscriber_object(bucket: str, key: str, text: str, rule: DiscardRule,
                      subscriber_type: str = "buckets") -> SubscriberObject:
    """Every record of an object with its datagram or the reason the module drops it."""
    if subscriber_type == "security_hub":
        records, lost = security_hub_records(text)
        data_format, note = "Security Hub events", ""
    else:
        (data_format, records, note), lost = parse_object_text(key, text), []
    events = []
    for index, record in enumerate(records):
        lost_findings = lost[index] if index < len(lost) else 0
        _remove_none(record)
        if subscriber_type != "security_hub" and "full_log" in record:
            full_log = record["full_log"]
            if not isinstance(full_log, str):
                raise SubscriberStop("a record's 'full_log' is not text: the module's regex check fails on it")
            if rule.pattern.match(full_log):
                unset = " (no discard_regex is set: the module uses the literal 'None')" \
                    if rule.pattern.pattern == "None" and not rule.field else ""
                events.append(SubscriberEvent(record, None, f"full_log matches '{rule.pattern.pattern}'{unset}",
                                              lost_findings))
                continue
        elif rule.matches(record):
            events.append(SubscriberEvent(record, None, rule.describe(), lost_findings))
            continue
        payload: dict[Any, Any] = {"log_info": {"log_file": key, "s3bucket": bucket}}
        payload.update(record)
        message = {"integration": "aws", "aws": payload}
        events.append(SubscriberEvent(record, DATAGRAM_HEADER + json.dumps(message, default=str), None,
                                      lost_findings))
    return SubscriberObject(key, data_format, tuple(events), note)


def security_lake_datagrams(body: bytes) -> list[str]:
    """Every Parquet row as the Security Lake subscriber sends it: the row's JSON, nothing added or removed.

    pyarrow is an optional dependency (the ``parquet`` extra), imported here so everything else works
    without it; a SubscriberStop says how to install it.
    """
    try:
        import pyarrow.parquet as parquet  # optional extra: only Security Lake objects need it
    except ImportError as error:
        raise SubscriberStop("reading Parquet needs pyarrow: pip install 'wazuh-aws-doctor[parquet]' "
                             "(the module itself needs it on every run: exit 10 without it)", 10) from error
    try:
        table = parquet.ParquetFile(io.BytesIO(body))
        return [DATAGRAM_HEADER + json.dumps(row, default=str)
                for batch in table.iter_batches() for row in batch.to_pylist()]
    except Exception as error:  # pyarrow raises its own error types for any malformed file
        raise SubscriberStop(f"the object is not a readable Parquet file: {type(error).__name__}: {error}",
                             printed=str(error)) from error
