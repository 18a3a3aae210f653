"""The pieces of a support bundle, each built from what the doctor already knows (nothing is redacted here).

``bundle.build_bundle`` passes every piece through the redactor before it is written; these builders only
select and shape: the aws-s3 configuration re-serialised from the loaded blocks, identity and access
results, the state database summary, sample key names, and the module's lines of ossec.log.
"""

from __future__ import annotations

import collections
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from diagnostics.aws.clients import make_client, settings_for
from diagnostics.context import DoctorContext
from diagnostics.layout.listing import iter_objects
from diagnostics.layout.prefixes import BucketLayout
from diagnostics.log_explainer.parser import parse_line, read_log_file
from diagnostics.masking import HIDDEN, mask_key_id
from diagnostics.wazuh.state_db import StateReader
from diagnostics.wazuh.wodle import Block, LoadedConfig, Option

if TYPE_CHECKING:
    from diagnostics.checks import CheckReport

INLINE_SECRET_TAGS = frozenset({"secret_key"})
INLINE_KEY_ID_TAGS = frozenset({"access_key"})


# -- configuration --------------------------------------------------------------------------------------
def _option_xml(option: Option, indent: str) -> str | None:
    if option.attributes.get("synthetic"):
        return None  # added by the loader (the legacy bucket's alias), not written by the admin
    if option.name in INLINE_SECRET_TAGS:
        value = HIDDEN if option.value else ""
    elif option.name in INLINE_KEY_ID_TAGS:
        value = mask_key_id(option.value) if option.value else ""
    else:
        value = option.value
    attributes = "".join(f' {name}="{_raw(text)}"' for name, text in option.attributes.items())
    where = f"  <!-- line {option.line} -->" if option.line else ""
    return f"{indent}<{option.name}{attributes}>{_raw(value)}</{option.name}>{where}"


def _raw(text: str) -> str:
    """Values as written in ossec.conf: Wazuh never decodes entities, so they are not escaped again."""
    return text.replace("<", "&lt;").replace('"', "&quot;")


def _block_xml(block: Block) -> list[str]:
    alias = block.options.get("aws_account_alias")
    if block.kind == "bucket" and alias is not None and alias.attributes.get("synthetic"):
        return [f"    <bucket>{_raw(block.value('name') or '')}</bucket>  <!-- line {block.location.line}: "
                "legacy form, read as a cloudtrail bucket with alias LEGACY and the top-level keys -->"]
    attribute = f' type="{_raw(block.block_type)}"' if block.block_type is not None else ""
    lines = [f"    <{block.kind}{attribute}>  <!-- line {block.location.line} -->"]
    lines += [text for option in block.options.values() if (text := _option_xml(option, "      "))]
    lines.append(f"    </{block.kind}>")
    return lines


def config_xml(config: LoadedConfig) -> str:
    """The aws-s3 wodles as the doctor read them, with inline keys redacted and source lines as comments."""
    lines = [f"<!-- aws-s3 configuration read from {config.path} by wazuh-aws-doctor; inline access keys "
             "masked, secret keys removed; other sections of the file are not included -->", "<ossec_config>"]
    for wodle in config.wodles:
        lines.append(f'  <wodle name="aws-s3">  <!-- line {wodle.location.line} -->')
        lines += [text for option in wodle.options.values() if (text := _option_xml(option, "    "))]
        for block in wodle.blocks:
            lines += _block_xml(block)
        lines.append("  </wodle>")
    if not config.wodles:
        lines.append("  <!-- no <wodle name=\"aws-s3\"> found -->")
    lines.append("</ossec_config>")
    return "\n".join(lines) + "\n"


# -- identity, access and state -------------------------------------------------------------------------
def identity_and_access(report: CheckReport | None) -> list[dict[str, Any]]:
    """Per block: the credential source, the caller identity and every access-step finding."""
    if report is None:
        return []
    return [{
        "block": block_report.block.label,
        "location": str(block_report.block.location),
        "credentials": block_report.credentials.to_dict() if block_report.credentials else None,
        "identity": block_report.identity.to_dict() if block_report.identity else None,
        "access": [finding.to_dict() for finding in block_report.step("access")],
    } for block_report in report.blocks]


def state_summary(context: DoctorContext, config: LoadedConfig | None,
                  report: CheckReport | None) -> dict[str, Any]:
    """The module's state database: health, and per configured bucket its scopes and last keys."""
    reader = StateReader(context.state_db_path)
    health = reader.health()
    buckets: list[dict[str, Any]] = []
    for block in config.blocks if config is not None else ():
        if block.kind != "bucket" or not block.name:
            continue
        try:
            layout = BucketLayout.from_block(block)
        except (ValueError, KeyError) as error:
            buckets.append({"block": block.label, "error": str(error)})
            continue
        scopes = reader.scope_summaries(layout.table, layout.bucket_path) if health.health.usable else ()
        rows = [{"scope": dict(scope.scope), "rows": scope.rows, "first_key": scope.first_key,
                 "last_key": scope.last_key, "last_processed": scope.last_processed,
                 "over_retention": scope.over_retention} for scope in scopes]
        buckets.append({"block": block.label, "table": layout.table, "bucket_path": layout.bucket_path,
                        "scopes": rows})
    markers = [finding.to_dict() for block_report in (report.blocks if report is not None else ())
               for finding in block_report.step("layout")]
    return {"path": health.path, "health": health.health.value, "detail": health.detail,
            "tables": list(health.tables), "version": health.version, "buckets": buckets,
            "marker_and_layout_findings": markers}


def sample_keys(report: CheckReport | None, context: DoctorContext, per_bucket: int
                ) -> tuple[dict[str, list[str]], list[str]]:
    """The first ``per_bucket`` key names under each bucket's path, listed with the module's credentials."""
    keys: dict[str, list[str]] = {}
    notes: list[str] = []
    if report is None or per_bucket <= 0:
        return keys, notes
    for block_report in report.blocks:
        block = block_report.block
        identity = block_report.identity
        if block.kind != "bucket" or not block.name:
            continue
        if identity is None or identity.session is None:
            notes.append(f"{block.label}: no key names (the module's credentials did not work)")
            continue
        try:
            region = block_report.credentials.region if block_report.credentials else None
            client = make_client(identity.session, "s3", settings_for(block, context, region))
            prefix = BucketLayout.from_block(block).path.lstrip("/")
            listed = iter_objects(client, block.name, prefix, max_keys=per_bucket, max_pages=1)
            keys[block.label] = [listed_object.key for listed_object, _ in listed][:per_bucket]
        except Exception as error:  # a listing failure is already a finding; the bundle just says so
            notes.append(f"{block.label}: listing failed ({type(error).__name__}: {error})")
    return keys, notes


# -- logs ---------------------------------------------------------------------------------------------------
def module_log_lines(lines: Iterable[str], max_lines: int) -> list[str]:
    """The aws-s3 lines of ossec.log (and the untagged OUTPUT lines that follow them), the last ones."""
    kept: collections.deque[str] = collections.deque(maxlen=max_lines)
    following = False
    for number, raw in enumerate(lines, 1):
        if following and not raw[:4].isdigit():  # an untimestamped line of the OUTPUT block above
            kept.append(parse_line(number, raw).text)
            continue
        following = False
        if "aws" not in raw:  # cheap test first: ossec.log is mostly other daemons
            continue
        line = parse_line(number, raw)
        if line.from_aws_module:
            kept.append(line.text)
            following = True
    return list(kept)


def read_module_log(path: Path, max_lines: int) -> tuple[list[str], str | None]:
    """``module_log_lines`` of a file (plain or gzip); the second value says why nothing was read."""
    try:
        return module_log_lines(read_log_file(path), max_lines), None
    except FileNotFoundError:
        return [], f"{path} does not exist"
    except (OSError, EOFError) as error:
        return [], f"{path} could not be read ({error})"


def last_ingest_log(state_dir: Path, max_lines: int) -> tuple[str, list[str]] | None:
    """The newest ``*.log`` in the doctor's state directory (our ingestion passes), its last lines."""
    try:
        candidates = sorted((path for path in state_dir.glob("*.log") if path.is_file()),
                            key=lambda path: path.stat().st_mtime, reverse=True)
    except OSError:
        return None
    for path in candidates:
        try:
            with path.open("rb") as handle:
                tail: Sequence[bytes] = collections.deque(handle, maxlen=max_lines)
        except OSError:
            continue
        return path.name, [line.rstrip(b"\r\n").decode("utf-8", errors="replace") for line in tail]
    return None
