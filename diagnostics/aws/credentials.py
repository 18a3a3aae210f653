"""Credentials as the module resolves them: inline keys, then aws_profile, then botocore's default chain.

The steps run in the module's own order (the first failure wins): its ``~/.aws/config`` check (exit 23/17), the
deprecation notice for inline keys, ``boto3.Session`` (ProfileNotFound → exit 12) and the credential
chain (nothing found → exit 12, or 3 when a role must be assumed). botocore does the resolving, over the
module's environment and root's shared files, so the winning source is botocore's own
``credentials.method``.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from diagnostics.aws.aws_files import AwsFile, AwsSection, FileKind, read_aws_file
from diagnostics.aws.module_session import SessionInputs, module_boto3_session
from diagnostics.aws.prediction import Predictor
from diagnostics.aws.profile_hints import default_other_homes, file_findings, missing_profile_hints
from diagnostics.aws.session_pool import credential_key, keep_session, session_lock, shared_session
from diagnostics.context import DoctorContext
from diagnostics.findings import Finding, SourceLocation
from diagnostics.masking import known_secrets, mask_key_id, scrub
from diagnostics.wazuh.wodle import Block

# Imported inside the functions that use them: botocore adds 9-170 ms to start-up
# (python -X importtime), paid otherwise by every command that never needs them.

if TYPE_CHECKING:
    import boto3

_INTEGER_KEYS = ("max_attempts", "s3.max_concurrent_requests", "s3.max_queue_size", "proxy.port")
"""Keys the module converts with int() while building its Config (a bad value is exit 17)."""


@dataclass(frozen=True)
class CredentialReport:
    """Which credentials the module would use and what went wrong on the way; never holds a secret in view.

    ``session_factory`` hands out a boto3 Session with those credentials for later checks; it is kept
    out of ``repr``, equality and ``to_dict`` because it closes over the keys.
    """

    findings: tuple[Finding, ...]
    method: str | None = None
    """botocore's ``credentials.method`` (``explicit``, ``env``, ``shared-credentials-file``...)."""
    masked_key_id: str | None = None
    profile_name: str | None = None
    """The profile boto3 uses: aws_profile, else AWS_PROFILE from the module's environment, else None."""
    region: str | None = None
    region_origin: str | None = None
    source_files: tuple[str, ...] = ()
    """The shared files read (credentials, config, and the module's literal ~/.aws/config if different)."""
    files: tuple[AwsFile, ...] = ()
    inline_keys: bool = False
    role_arn: str | None = None
    module_exit_code: int | None = None
    """The exit the module reaches while setting up credentials (it stops before any S3 call)."""
    session_factory: Callable[[], boto3.session.Session] | None = field(default=None, repr=False,
                                                                       compare=False)
    inputs: SessionInputs | None = field(default=None, repr=False, compare=False)
    """Environment and files the sessions are built over (kept for the assumed-role session)."""

    @property
    def resolved(self) -> bool:
        """True when some source produced credentials and a session can be built."""
        return self.session_factory is not None and self.method is not None

    def session(self) -> boto3.session.Session | None:
        """A boto3 Session with the module's credentials, or None: the one shared by every block with the
        same static credentials (build clients from it with ``make_client``, which locks it), else a new one."""
        return self.session_factory() if self.session_factory is not None else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form without any secret."""
        return {
            "method": self.method,
            "masked_key_id": self.masked_key_id,
            "profile_name": self.profile_name,
            "region": self.region,
            "region_origin": self.region_origin,
            "source_files": list(self.source_files),
            "inline_keys": self.inline_keys,
            "role_arn": self.role_arn,
            "module_exit_code": self.module_exit_code,
            "findings": [finding.to_dict() for finding in self.findings],
        }


def _env_path(environ: dict[str, str], name: str, home: Path) -> Path | None:
    """A path from the module's environment, with ``~`` meaning the module user's home."""
    value = environ.get(name)
    if not value:
        return None
    if value == "~" or value.startswith("~/"):
        return home / value[2:]
    return Path(value)


def _integer_problem(section: AwsSection) -> tuple[str, str, int] | None:
    """The first setting the module's int() would reject: (key, value, line), or None."""
    text = " ".join(f"{entry.key} {entry.value or ''}" for entry in section.entries)
    wanted = {"max_attempts": section.has("max_attempts") or section.has("retry_mode"),
              "s3.max_concurrent_requests": "s3" in text, "s3.max_queue_size": "s3" in text,
              "proxy.port": "proxy" in text}
    for key in _INTEGER_KEYS:
        value = section.value(key)
        if wanted[key] and value is not None:
            try:
                int(value)
            except ValueError:
                return key, value, section.line_of(key)
    return None


def _module_config_check(predictor: Predictor, module_config: AwsFile, profile: str | None,
                         botocore_config: Path) -> list[Finding]:
    """The module's own read of ~/.aws/config: a section for the profile must exist (exit 23)."""
    path = str(module_config.path)
    if not module_config.readable:
        return []
    values: dict[str, object] = {"config_path": path, "path": path, "profile": profile or "default"}
    evidence = tuple(f"[{s.header}] at line {s.line}" for s in module_config.sections)
    if module_config.path != botocore_config:
        evidence += (f"botocore reads {botocore_config} (AWS_CONFIG_FILE), the module's check reads {path}",)
    if module_config.parser_error is not None:
        return [predictor.finding("credentials.config_unparsable", check_id="credentials.config_profile",
                                  target=path, location=SourceLocation(path), evidence=evidence,
                                  values={**values, "error": module_config.parser_error})]
    section_name = module_config.module_accepts(profile)
    if section_name is None:
        wanted = f"profile {profile}" if profile else "default"
        debug_tail = (f"\nDEBUG: The region for the '{wanted}' must be specified in '~/.aws/config' under "
                      f"the '[{wanted}]' section." if predictor.context.debug_level >= 2 else "")
        return [predictor.finding(
            "credentials.config_profile_missing", check_id="credentials.config_profile", target=path,
            location=SourceLocation(path), evidence=evidence,
            values={**values, "section": wanted, "debug_tail": debug_tail, "suggested": wanted,
                    "accepted": f"[{profile}] or [profile {profile}]" if profile else "[default]",
                    "sections": ", ".join(f"[{h}]" for h in module_config.headers) or "none"})]
    section = module_config.section(section_name)
    assert section is not None
    findings = [predictor.finding(
        "credentials.config_profile_found", check_id="credentials.config_profile", target=path,
        location=SourceLocation(path, section.line), evidence=evidence,
        values={**values, "section": section_name})]
    problem = _integer_problem(section)
    if problem is not None:
        key, value, line = problem
        findings.append(predictor.finding(
            "credentials.config_invalid_value", check_id="credentials.config_values", target=path,
            location=SourceLocation(path, line),
            values={**values, "key": key, "value": value, "section": section_name, "line": line}))
    return findings


def _inline_key_findings(predictor: Predictor, block: Block, profile: str | None) -> list[Finding]:
    """Deprecation, precedence over aws_profile and half-set keys."""
    access_key, secret_key = block.value("access_key"), block.value("secret_key")
    values = {"home": str(predictor.context.module_home), "profile": profile or ""}
    if access_key and secret_key:
        findings = [predictor.finding("credentials.inline_keys", check_id="credentials.inline_keys",
                                      location=block.line_of("access_key"), values=values,
                                      evidence=(f"access_key {mask_key_id(access_key)}",))]
        if profile:
            findings.append(predictor.finding("credentials.inline_keys_override_profile",
                                              check_id="credentials.inline_keys",
                                              location=block.line_of("aws_profile"), values=values))
        return findings
    if access_key or secret_key:
        present = "access_key" if access_key else "secret_key"
        return [predictor.finding("credentials.inline_keys_incomplete", check_id="credentials.inline_keys",
                                  location=block.line_of(present), values={**values, "present": present})]
    return []


def _source_text(method: str, profile: str | None, credentials_file: AwsFile, config_file: AwsFile,
                 block: Block) -> str:
    """Where the winning credentials sit, in the words of the file or variable (a fact, not advice)."""
    name = profile or "default"
    if method == "explicit":
        return f"access_key/secret_key in {block.line_of('access_key')}"
    if method == "env":
        return "AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the module's environment"
    if method == "shared-credentials-file":
        section = credentials_file.profile(name)
        return f"[{name}] in {credentials_file.path}:{section.line if section else '?'}"
    if method == "config-file":
        section = config_file.profile(name)
        header, line = (section.header, section.line) if section else (name, "?")
        return f"[{header}] in {config_file.path}:{line}"
    if method == "iam-role":
        return "the EC2 instance role, from the instance metadata service"
    if method == "container-role":
        return "the container credentials endpoint"
    return f"the '{method}' provider of profile {name}"


def _process_finding(predictor: Predictor, profile: str | None, files: Sequence[AwsFile],
                     values: dict[str, object], secrets: Sequence[str | None]) -> Finding:
    """Says that resolving ran the profile's ``credential_process`` and which program (never its output).

    The file reader keeps no value of that key, since a command line often carries a password, so the one
    line is read again here and only its program is shown; the arguments are counted, not quoted.
    """
    name = profile or "default"
    for aws_file in files:
        section = aws_file.profile(name)
        if section is None or not section.has("credential_process"):
            continue
        number = section.line_of("credential_process")
        location = f"{aws_file.path}:{number}"
        return predictor.finding("credentials.process_ran", check_id="credentials.process",
                                 evidence=(f"credential_process at {location}",), details={"notice": True},
                                 values={**values, "command": _program_of(aws_file.path, number, secrets),
                                         "location": location})
    return predictor.finding("credentials.process_ran", check_id="credentials.process", details={"notice": True},
                             values={**values, "command": "a command botocore found", "location": "its files"})


def _program_of(path: Path, number: int, secrets: Sequence[str | None]) -> str:
    """``/usr/local/bin/vault-creds (2 arguments not shown)`` from line ``number`` of a shared file."""
    try:
        with path.open("rb") as handle:
            lines = handle.read(4 * 1024 * 1024).decode("utf-8", errors="replace").splitlines()
        command = lines[number - 1].split("=", 1)[1].strip()
        words = shlex.split(command)
    except (OSError, IndexError, ValueError):
        return "a command (its line could not be read again)"
    if not words:
        return "an empty command"
    arguments = len(words) - 1
    shown = scrub(words[0], secrets)
    return f"{shown} ({arguments} argument{'s' if arguments != 1 else ''} not shown)" if arguments else shown


def _region_origin(environ: dict[str, str], config_file: AwsFile, profile: str | None) -> str | None:
    """Where botocore's region comes from: the environment variable wins over the profile."""
    if environ.get("AWS_DEFAULT_REGION"):
        return "AWS_DEFAULT_REGION"
    section = config_file.profile(profile or "default")
    if section is not None and section.value("region"):
        return f"[{section.header}] in {config_file.path}:{section.line_of('region')}"
    return None


def resolve_credentials(block: Block, context: DoctorContext, *,
                        other_homes: Sequence[Path] | None = None) -> CredentialReport:
    """Resolve the block's credentials exactly as the module would, as root, over root's ~/.aws.

    ``other_homes`` are the homes searched for a profile written to the wrong user (default: /home/*,
    $SUDO_USER's home and ours).
    """
    from botocore.credentials import DeferredRefreshableCredentials
    from botocore.exceptions import BotoCoreError, ProfileNotFound

    environ = dict(context.environ)
    home = context.module_home
    predictor = Predictor(block, context)
    credentials_path = (_env_path(environ, "AWS_SHARED_CREDENTIALS_FILE", home)
                        or home / ".aws" / "credentials")
    config_path = _env_path(environ, "AWS_CONFIG_FILE", home) or home / ".aws" / "config"
    module_config_path = home / ".aws" / "config"
    credentials_file = read_aws_file(credentials_path, FileKind.CREDENTIALS)
    config_file = read_aws_file(config_path, FileKind.CONFIG)
    module_config = (config_file if module_config_path == config_path
                     else read_aws_file(module_config_path, FileKind.CONFIG))
    files = (credentials_file, config_file) + (() if module_config is config_file else (module_config,))
    aws_profile = block.value("aws_profile")
    profile_variable = next((name for name in ("AWS_DEFAULT_PROFILE", "AWS_PROFILE") if environ.get(name)),
                            None)
    effective_profile = aws_profile or (environ[profile_variable] if profile_variable else None)
    role_arn = block.value("iam_role_arn")
    access_key, secret_key = block.value("access_key"), block.value("secret_key")
    inline = bool(access_key and secret_key)
    values: dict[str, object] = {
        "home": str(home), "credentials_path": str(credentials_path), "config_path": str(config_path),
        "profile": effective_profile or "default", "role_arn": role_arn or "",
        "available": ", ".join(dict.fromkeys(credentials_file.profile_names + config_file.profile_names))
        or "none",
        "imds": ("disabled by AWS_EC2_METADATA_DISABLED"
                 if environ.get("AWS_EC2_METADATA_DISABLED", "").lower() == "true"
                 else "no instance metadata service answered"),
    }

    findings: list[Finding] = []
    for aws_file in files:
        findings.extend(file_findings(predictor, aws_file, home))
    findings.extend(_module_config_check(predictor, module_config, aws_profile, config_path))
    findings.extend(_inline_key_findings(predictor, block, aws_profile))
    if profile_variable and not aws_profile:
        findings.append(predictor.finding("credentials.profile_from_environment",
                                          check_id="credentials.profile",
                                          values={**values, "variable": profile_variable}))

    inputs = SessionInputs(environ=environ, credentials_file=credentials_path, config_file=config_path)

    resolved_sessions: list[boto3.session.Session] = []
    """The session resolved below, handed to the first later caller, so a credential_process (or any
    provider that does work to resolve) runs once per check rather than once per step."""
    pool_key = credential_key(environ, (credentials_path, config_path), profile=aws_profile,
                              access_key=access_key if inline else None,
                              secret_key=secret_key if inline else None, imds_timeout=inputs.imds_timeout)
    shared: list[boto3.session.Session | None] = [shared_session(pool_key)]
    """A session kept for the same static credentials, which every caller gets instead of a new one."""

    def factory() -> boto3.session.Session:
        if shared[0] is not None:
            return shared[0]
        if resolved_sessions:
            return resolved_sessions.pop()
        return module_boto3_session(inputs, profile_name=aws_profile,
                                    access_key=access_key if inline else None,
                                    secret_key=secret_key if inline else None)

    homes = tuple(other_homes) if other_homes is not None else default_other_homes(home, environ)
    secrets = (*known_secrets(home, [environ], (secret_key,)), access_key)
    report_args: dict[str, Any] = {"profile_name": effective_profile, "files": files, "inline_keys": inline,
                                   "role_arn": role_arn, "source_files": tuple(str(f.path) for f in files)}

    def finish(method: str | None = None, masked: str | None = None, working: bool = False,
               region: str | None = None, origin: str | None = None) -> CredentialReport:
        return CredentialReport(findings=tuple(findings), method=method, masked_key_id=masked, region=region,
                                region_origin=origin, module_exit_code=predictor.stopped_with,
                                session_factory=factory if working else None,
                                inputs=inputs, **report_args)

    try:
        session = factory()
        credentials = session.get_credentials()
    except ProfileNotFound:
        findings.append(predictor.finding("credentials.profile_not_found", check_id="credentials.source",
                                          location=block.line_of("aws_profile"), values=values))
        findings.extend(missing_profile_hints(predictor, effective_profile or "default", files, homes,
                                              values))
        return finish()
    except (BotoCoreError, ValueError, OSError) as error:
        findings.append(predictor.finding("credentials.load_failed", check_id="credentials.source",
                                          values={**values, "error": scrub(str(error), secrets)}))
        return finish()

    if credentials is None:
        failure_id = "credentials.no_credentials_for_role" if role_arn else "credentials.no_credentials"
        findings.append(predictor.finding(failure_id, check_id="credentials.source", values=values))
        if not aws_profile:
            findings.extend(missing_profile_hints(predictor, "default", (), homes, values))
        return finish()

    method = credentials.method
    masked = None if isinstance(credentials, DeferredRefreshableCredentials) else mask_key_id(
        credentials.access_key)
    source = _source_text(method, effective_profile, credentials_file, config_file, block)
    findings.append(predictor.finding("credentials.resolved", check_id="credentials.source",
                                      evidence=(f"credentials.method = {method}", f"source: {source}"),
                                      values={**values, "method": method, "source": source,
                                              "key_id": masked or "(fetched on first use)"},
                                      details={"method": method, "masked_key_id": masked}))
    if method == "env":
        findings.append(predictor.finding("credentials.from_environment", check_id="credentials.source",
                                          values=values))
    if method == "custom-process":
        findings.append(_process_finding(predictor, effective_profile, (config_file, credentials_file),
                                         values, secrets))
    if shared[0] is None:
        kept = keep_session(pool_key, session, method)
        if session_lock(kept) is None:  # not shared: the first later caller gets it, as before
            resolved_sessions.append(session)
        else:
            shared[0] = kept
    region = session.region_name
    origin = _region_origin(environ, config_file, effective_profile)
    if region:
        findings.append(predictor.finding("credentials.region_found", check_id="credentials.region",
                                          values={**values, "region": region,
                                                  "origin": origin or "botocore"}))
    else:
        suggested = f"profile {effective_profile}" if effective_profile else "default"
        findings.append(predictor.finding("credentials.region_missing", check_id="credentials.region",
                                          values={**values, "suggested": suggested}))
    return finish(method, masked, working=True, region=region, origin=origin)
