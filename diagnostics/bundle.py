"""A redacted support bundle: one tar.gz to attach to a forum post or GitHub issue.

It carries what a helper asks for first (the peers' gap in failures-and-peers.md part 3): the aws-s3
configuration blocks, every finding, identity and access results, the state database and marker summary,
sample key names per bucket, the doctor's last ingestion log and the module's lines of ossec.log. Every
file passes through ``Redactor`` (known secrets by value, secret shapes by pattern, key ids masked,
account ids optionally masked) and its final bytes are checked again before they are written.
"""

from __future__ import annotations

import io
import json
import tarfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from diagnostics.bundle_redaction import Redactor
from diagnostics.bundle_sections import (
    config_xml,
    identity_and_access,
    last_ingest_log,
    read_module_log,
    sample_keys,
    state_summary,
)
from diagnostics.configuration.loader import load_config
from diagnostics.context import DoctorContext
from diagnostics.findings import Finding
from diagnostics.ingest.state import default_state_dir
from diagnostics.input_paths import InputRefused, check_input_file
from diagnostics.output_paths import (
    Existing,
    check_output_directory,
    check_output_file,
    open_output_binary,
    protection_for,
)
from diagnostics.wazuh.wodle import LoadedConfig

if TYPE_CHECKING:
    from diagnostics.checks import CheckReport
    from diagnostics.host.logtest_model import LogtestReport

BUNDLE_PREFIX = "wazuh-aws-doctor-bundle"
DEFAULT_KEYS_PER_BUCKET = 20
DEFAULT_LOG_LINES = 2000

README = """wazuh-aws-doctor support bundle ({created})

Files:
  manifest.json         what was collected, versions, and what could not be included
  config/aws-s3.xml     the <wodle name="aws-s3"> blocks as read from {config} (inline keys redacted)
  findings.json         every check's finding: config, credentials, identity, access, layout, host
  identity.json         per block: credential source, caller identity (masked ids), access probes
  state.json            the module's state database: health, scopes, last keys, marker findings
  keys.json             the first key names under each bucket's path
  logs/ossec-aws-s3.log the aws-s3 lines of ossec.log (the last {log_lines} at most)
  logs/<name>.log       the doctor's last ingestion pass, when one was kept

Redaction: secret keys and session tokens are removed ("****"), access key ids are masked to
AKIA****WXYZ (prefix and last 4), {accounts}.
Read the files before posting them anyway.
"""


@dataclass(frozen=True)
class BundleResult:
    """Where the bundle went and what it holds; ``notes`` says what could not be included."""

    path: Path
    files: tuple[str, ...]
    size_bytes: int
    redactions: int
    """Replacements made (secrets removed, ids masked), counted, never listed."""
    masked_accounts: bool
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for ``bundle --format json``."""
        return {"path": str(self.path), "files": list(self.files), "size_bytes": self.size_bytes,
                "redactions": self.redactions, "masked_accounts": self.masked_accounts,
                "notes": list(self.notes)}


def default_bundle_name(when: datetime) -> str:
    """``wazuh-aws-doctor-bundle-20260101T120000Z.tar.gz``."""
    return f"{BUNDLE_PREFIX}-{when.strftime('%Y%m%dT%H%M%SZ')}.tar.gz"


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, default=str) + "\n"


def _findings(report: CheckReport | None, host: Sequence[Finding], logtest: LogtestReport | None
              ) -> dict[str, Any]:
    document: dict[str, Any] = report.to_dict() if report is not None else {"findings": []}
    document["host_findings"] = [finding.to_dict() for finding in host]
    if logtest is not None:
        document["logtest"] = logtest.to_dict()
    return document


def default_bundle_dir(environ: Mapping[str, str] | None = None) -> Path:
    """``~/.cache/wazuh-aws-doctor/bundles`` (``$XDG_CACHE_HOME`` first): the app's bundles go there, not
    into whatever directory it was started from (often a checkout that would then carry host details)."""
    return default_state_dir(environ) / "bundles"


def bundle_target(context: DoctorContext, output: Path, *, force: bool = False,
                  create_directory: bool = False) -> Path:
    """The file the bundle will be written to, judged before anything is collected or created.

    ``output`` is a file or an existing directory (the default name goes inside); raises OutputRefused
    for a path inside the Wazuh home, a link, a special file or, without ``force``, an existing file.
    ``create_directory`` makes a missing default directory (mode 0700), never a user-named one.
    """
    protected = protection_for(context)
    existing = Existing.TRUNCATE if force else Existing.REFUSE
    if create_directory and not output.exists():
        check_output_directory(output, protected, what="bundle directory")
        output.mkdir(mode=0o700, parents=True, exist_ok=True)
    if output.is_dir() and not output.is_symlink():
        directory = check_output_directory(output, protected, what="bundle directory")
        return check_output_file(directory / default_bundle_name(context.clock()), protected,
                                 existing=existing, what="bundle")
    return check_output_file(output, protected, existing=existing, what="bundle")


def _write_archive(context: DoctorContext, path: Path, force: bool, top: str, files: Mapping[str, bytes],
                   mtime: float) -> int:
    """Write the tar.gz (0600: it describes the host) to a file opened without following links."""
    protected = protection_for(context)
    handle = open_output_binary(path, protected, existing=Existing.TRUNCATE if force else Existing.REFUSE,
                                what="bundle")
    try:
        with handle as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            for name, data in files.items():
                info = tarfile.TarInfo(f"{top}/{name}")
                info.size, info.mtime, info.mode = len(data), int(mtime), 0o644
                archive.addfile(info, io.BytesIO(data))
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path.stat().st_size


def build_bundle(
    context: DoctorContext,
    report: CheckReport | None,
    *,
    output: Path,
    config: LoadedConfig | None = None,
    host_findings: Sequence[Finding] = (),
    logtest: LogtestReport | None = None,
    mask_accounts: bool = False,
    keys_per_bucket: int = DEFAULT_KEYS_PER_BUCKET,
    keys: Mapping[str, Sequence[str]] | None = None,
    state_dir: Path | None = None,
    ossec_log: Path | None = None,
    max_log_lines: int = DEFAULT_LOG_LINES,
    module_environs: Sequence[Mapping[str, str]] = (),
    force: bool = False,
) -> BundleResult:
    """Collect, redact and write the bundle to ``output`` (a file, or a directory for the default name).

    ``report`` is a ``run_checks`` result (None for an offline bundle: no identity, access or key names).
    ``keys`` replaces the listing (label → key names); otherwise the first ``keys_per_bucket`` keys under
    each bucket's path are listed with the module's credentials. ``module_environs`` are extra
    environments whose secrets must be known (wazuh-modulesd's, when read). Raises OSError only when the
    archive itself cannot be written, OutputRefused before collecting anything for a path it must not
    write (inside the Wazuh home, a link, an existing file without ``force``).
    """
    now = context.clock()
    path = bundle_target(context, output, force=force)
    config = config or (report.config if report is not None else load_config(context.config_path))
    redactor = Redactor.for_host(context.module_home, config, [context.environ, *module_environs],
                                 mask_accounts=mask_accounts)
    notes: list[str] = []
    if keys is None:
        listed, listing_notes = sample_keys(report, context, keys_per_bucket)
        notes += listing_notes
    else:
        listed = {label: list(names)[:max(keys_per_bucket, 0)] for label, names in keys.items()}
    log_path = ossec_log or context.ossec_log_path
    log_lines: list[str]
    log_note: str | None
    try:
        check_input_file(log_path, "ossec.log")  # a FIFO or link loop there would hang or fail the read
    except InputRefused as refused:
        log_lines, log_note = [], str(refused)
    else:
        log_lines, log_note = read_module_log(log_path, max_log_lines)
    if log_note:
        notes.append(log_note)
    texts: dict[str, str] = {
        "config/aws-s3.xml": config_xml(config),
        "findings.json": _json(_findings(report, host_findings, logtest)),
        "identity.json": _json(identity_and_access(report)),
        "state.json": _json(state_summary(context, config, report)),
        "keys.json": _json(listed),
        "logs/ossec-aws-s3.log": "\n".join(log_lines) + ("\n" if log_lines else ""),
    }
    ingest = last_ingest_log(state_dir or default_state_dir(context.environ or None), max_log_lines)
    if ingest is not None:
        texts[f"logs/{ingest[0]}"] = "\n".join(ingest[1]) + "\n"
    else:
        notes.append("no ingestion log of the doctor was found")
    if report is None:
        notes.append("offline bundle: no identity, access or key listing (checks were not run)")
    files: dict[str, bytes] = {}
    for name, text in texts.items():
        files[name] = (redactor.text(text) if name.endswith((".log", ".xml")) else
                       _json(redactor.data(json.loads(text)))).encode("utf-8")
    manifest = {
        "created": now.isoformat(), "tool": "wazuh-aws-doctor", "wazuh_version": context.profile.label,
        "wazuh_version_source": context.profile.source, "wazuh_home": str(context.wazuh_home),
        "config": str(context.config_path), "ossec_log": str(log_path), "ossec_log_lines": len(log_lines),
        "masked_accounts": mask_accounts, "files": sorted(files), "notes": notes,
    }
    files["manifest.json"] = _json(redactor.data(manifest)).encode("utf-8")
    files["README.txt"] = README.format(
        created=now.isoformat(), config=redactor.text(str(context.config_path)), log_lines=max_log_lines,
        accounts="account ids are masked to ********WXYZ" if mask_accounts else
        "account ids are kept (use --mask-accounts to mask them)").encode("utf-8")
    for name, data in list(files.items()):
        leaked = redactor.leaks(data)
        if leaked:  # should never happen: the final check scrubs and says so, never what it was
            files[name] = redactor.scrub_bytes(data)
            notes.append(f"{name}: the final check removed a {' and '.join(leaked)} the sections missed")
    top = default_bundle_name(now).removesuffix(".tar.gz")
    size = _write_archive(context, path, force, top, files, now.timestamp() if context.now else time.time())
    return BundleResult(path, tuple(sorted(files)), size, redactor.replacements, mask_accounts, tuple(notes))
