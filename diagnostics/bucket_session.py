"""One bucket opened the way the module would open it, and the browse and preview calls made with it.

The CLI's ``keys``/``preview``/``ingest`` and the app's Browse, Preview and Ingest screens all start here,
so they resolve credentials, the caller account, the state and the classifier in exactly one way.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from diagnostics.aws.access_delete import DeleteVerdict, remove_denied_finding, remove_verdict
from diagnostics.aws.clients import make_client, settings_for
from diagnostics.aws.credentials import resolve_credentials
from diagnostics.aws.identity import check_identity
from diagnostics.checks import load_configuration
from diagnostics.context import DoctorContext
from diagnostics.decode.model import DecodeCounters, DecodedEvent, decode_context_for
from diagnostics.decode.registry import decode_object
from diagnostics.decode.streams import open_s3_object
from diagnostics.explanations import build_finding
from diagnostics.explanations.crash import step_crashed
from diagnostics.findings import Finding, Status
from diagnostics.ingest.fetch import flow_log_lookup
from diagnostics.ingest.model import IngestRequest
from diagnostics.layout.checks import STATE_FAILURES
from diagnostics.layout.classify import ClassifiedKey, KeyClassifier, classify_keys
from diagnostics.layout.discovery import guardduty_is_native
from diagnostics.layout.listing import ListedLevel, ListingError, list_level
from diagnostics.layout.marker import parse_only_logs_after
from diagnostics.layout.module_walk import ScopeStarted, WalkStopped, walk_module
from diagnostics.layout.prefixes import BucketLayout
from diagnostics.layout.stop_point import keys_with_stop
from diagnostics.layout.walk_findings import listing_failure, walk_stop
from diagnostics.wazuh.state_db import StateReader
from diagnostics.wazuh.wodle import Block, Wodle

# Imported inside the functions that use them: botocore adds 9-170 ms to start-up
# (python -X importtime), paid otherwise by every command that never needs them.

if TYPE_CHECKING:
    from diagnostics.aws.clients import ClientSettings
    from diagnostics.decode.model import DroppedRecord, FileProblem, SendTotals
    from diagnostics.wazuh.state_db import DbHealthReport


class BucketNotConfigured(LookupError):
    """The named bucket is not in the configuration (the faces turn this into a usage message)."""


@dataclass(frozen=True)
class BucketSession:
    """A configured bucket with a client built from the module's credentials and its classifier."""

    block: Block
    wodle: Wodle | None
    context: DoctorContext
    layout: BucketLayout
    findings: tuple[Finding, ...]
    """Credential and identity problems met while opening (empty when all went well)."""
    caller_account: str | None = None
    client: Any = field(default=None, repr=False, compare=False)
    state: StateReader | None = field(default=None, repr=False, compare=False)
    classifier: KeyClassifier | None = field(default=None, repr=False, compare=False)
    aws_session: Any = field(default=None, repr=False, compare=False)
    """The boto3 session (assumed role when configured) for other clients such as EC2; holds credentials."""
    settings: ClientSettings | None = None
    principal: str | None = None
    """The ARN the module's calls are made as (the assumed role's when configured), for explanations."""

    @property
    def usable(self) -> bool:
        """True when S3 calls can be made."""
        return self.client is not None

    @property
    def start_prefix(self) -> str:
        """Where browsing opens: the configured path (the level the module's check_bucket lists)."""
        return self.layout.path.lstrip("/") if self.layout.path.startswith("/") else self.layout.path


def open_configured_bucket(context: DoctorContext, block: Block) -> BucketSession:
    """Read ossec.conf now and open ``block`` as configured there, with its wodle, so a face that holds
    only the block (Browse, from Overview or Troubleshoot) decodes with the wodle's skip_on_error too.

    Raises BucketNotConfigured when the block is no longer in the file.
    """
    config, _ = load_configuration(context)
    found = next(((candidate, wodle) for wodle in config.wodles for candidate in wodle.blocks
                  if candidate.key == block.key and candidate.kind == "bucket"), None)
    if found is None:
        raise BucketNotConfigured(f"{block.label} is no longer configured in {config.path}")
    return open_bucket(context, *found)


def open_bucket(context: DoctorContext, block: Block, wodle: Wodle | None = None) -> BucketSession:
    """Resolve credentials and identity as the module would and build the S3 client and classifier."""
    layout = BucketLayout.from_block(block)
    credentials = resolve_credentials(block, context)
    settings = settings_for(block, context, credentials.region)
    try:
        identity = check_identity(credentials, block, context, settings)
    except Exception as error:  # never let one of our bugs (or botocore's surprises) end the command
        crashed = step_crashed("identity", block, context, error, settings.describe_retries())
        kept = tuple(f for f in credentials.findings if f.status in (Status.ERROR, Status.WARNING))
        return BucketSession(block, wodle, context, layout, (*kept, crashed))
    problems = tuple(f for f in credentials.findings + identity.findings
                     if f.status in (Status.ERROR, Status.WARNING))
    if identity.session is None:
        return BucketSession(block, wodle, context, layout, problems)
    client = make_client(identity.session, "s3", settings)
    if layout.bucket_type == "guardduty":
        try:
            native = guardduty_is_native(client, layout.bucket, layout.path)
        except ListingError:  # nothing lost: Browse's first listing of the same prefix fails and reports it
            native = True
        layout = BucketLayout.from_block(block, native_guardduty=native)
    state = StateReader(context.state_db_path)
    try:
        only_logs_after = parse_only_logs_after(block.value("only_logs_after"))
    except ValueError:  # the script's argparse refuses it (exit 2): the walk and the config checks say so
        only_logs_after = None
    classifier = KeyClassifier(layout, profile=context.profile, today=context.clock().date(), state=state,
                               only_logs_after=only_logs_after,
                               caller_account=identity.account_id)
    return BucketSession(block, wodle, context, layout, problems, identity.account_id, client, state,
                         classifier, identity.session, settings,
                         identity.assumed_role_arn or identity.arn)


def delete_verdict(session: BucketSession) -> DeleteVerdict | None:
    """remove_from_bucket: may the session's credentials delete? (None without the option; never deletes)."""
    if session.block.value("remove_from_bucket") != "yes" or session.client is None:
        return None
    iam = make_client(session.aws_session, "iam", session.settings) \
        if session.aws_session is not None and session.settings is not None else None
    return remove_verdict(session.block, session.client, iam, session.principal)


def ingest_request(session: BucketSession, **options: Any) -> IngestRequest:
    """The ingestion request for an opened bucket (client, wodle, caller account, flow-log lookup), so the
    CLI and the app start the same pass; ``options`` are IngestRequest's own (debug level, state...)."""
    verdict = delete_verdict(session)
    return IngestRequest(context=session.context, block=session.block, client=session.client,
                         wodle=session.wodle, caller_account=session.caller_account,
                         flow_logs=flow_log_lookup(session.block, session.aws_session, session.settings,
                                                   session.context),
                         may_delete=verdict.answer.verdict if verdict else None,
                         delete_resource=verdict.resource if verdict else "", **options)


@dataclass(frozen=True)
class BrowsedLevel:
    """One page of one level with each object's verdict for the module, or why the listing failed."""

    level: ListedLevel
    keys: tuple[ClassifiedKey, ...]
    failure: Finding | None = None
    """The failed listing as a finding (the call, AWS's error, what was retried, the fix); None when listed."""


def browse_level(session: BucketSession, prefix: str, *, continuation_token: str | None = None,
                 cancel: threading.Event | None = None) -> BrowsedLevel:
    """List one level (one request per page, Delimiter='/') and classify its objects; a failed listing
    comes back as ``failure``, so ``keys`` and Browse show the same finding."""
    if session.client is None or session.classifier is None:
        raise RuntimeError("the bucket session has no client; show its findings instead")
    bucket = session.layout.bucket
    try:
        level = list_level(session.client, bucket, prefix, continuation_token=continuation_token, cancel=cancel)
    except ListingError as error:
        failure = listing_failure(bucket, prefix, error, profile=session.context.profile,
                                  tried=retries_tried(session), principal=session.principal)
        return BrowsedLevel(ListedLevel(bucket, prefix), (), failure)
    return BrowsedLevel(level, classify_keys(session.classifier, level.objects))


def retries_tried(session: BucketSession) -> str:
    """What a failed call of this session tried (attempts, retry mode, timeouts), for evidence."""
    return session.settings.describe_retries() if session.settings is not None else "botocore's defaults"


PASSED_OVER_KEYS = 50
"""Keys at or before the marker shown per scope by the walk view (the module passes over them)."""


@dataclass(frozen=True)
class WalkedKeys:
    """The first keys of the module's walk in its order, and the finding when the walk stops early."""

    keys: tuple[ClassifiedKey, ...]
    findings: tuple[Finding, ...] = ()
    markers: tuple[str, ...] = ()
    """The StartAfter of each scope walked, so an empty walk can name the marker everything sorts before."""


def walk_keys(session: BucketSession, *, limit: int, cancel: threading.Event | None = None) -> WalkedKeys:
    """The module's own walk from its marker (``keys --wodle-view``): at most ``limit`` keys, with the
    exit code and reason when the module would stop (the same finding the ingestion pass reports)."""
    keys: list[ClassifiedKey] = []
    findings: list[Finding] = []
    markers: list[str] = []
    # asked before the walk, which then treats an unusable database as empty: say so instead of "read"
    health = session.state.health() if session.state is not None else None
    context = session.context
    for event in walk_module(session.client, session.block, context, session.state, cancel=cancel,
                             caller_account=session.caller_account,
                             flow_logs=flow_log_lookup(session.block, session.aws_session, session.settings,
                                                       context),
                             passed_over_keys=max(1, min(PASSED_OVER_KEYS, limit // 2))):
        if isinstance(event, ScopeStarted):
            markers.append(event.marker.value)
        elif isinstance(event, ClassifiedKey):
            keys.append(event)
            if len(keys) >= limit:
                break
        elif isinstance(event, WalkStopped) and not event.cancelled:
            findings.append(walk_stop(event, target=session.block.label, profile=context.profile,
                                      debug_level=context.debug_level, check_id="keys.walk",
                                      tried=retries_tried(session)).finding)
            break
    if health is not None and not health.health.usable:
        findings.append(state_unusable(session, health))
    elif session.state is not None and session.state.problem is not None:
        findings.append(state_unusable(session, session.state.problem))
    if session.client is not None:  # where a broken file stops the run, and what it never reaches
        verdict = delete_verdict(session)
        refused = remove_denied_finding(verdict, session.block, context.profile, principal=session.principal,
                                        check_id="keys.walk") \
            if verdict is not None and verdict.answer.verdict == "denied" else None
        marked, stops = keys_with_stop(session.client, session.block, session.wodle, context, keys,
                                       check_id="keys.walk", delete_refused=refused, cancel=cancel)
        return WalkedKeys(marked, (*findings, *stops), tuple(markers))
    return WalkedKeys(tuple(keys), tuple(findings), tuple(markers))


def state_unusable(session: BucketSession, problem: DbHealthReport) -> Finding:
    """The module's state database could not be read during a walk (locked, corrupt): its lookups answered
    "not processed", so every status shown would be a guess; the same finding ``check`` gives."""
    return build_finding(STATE_FAILURES.get(problem.health, "layout.state_damaged"), check_id="keys.state",
                         target=session.block.label, profile=session.context.profile,
                         values={"state_db": problem.path, "error": problem.detail, "health": problem.health.value},
                         evidence=(f"{problem.path}: {problem.detail}",
                                   "already-processed files cannot be told from new ones while it cannot be read"))


@dataclass(frozen=True)
class PreviewResult:
    """The first events of one object as the module would send them, and what is wrong with the file."""

    key: str
    events: tuple[DecodedEvent, ...]
    problems: tuple[FileProblem, ...]
    totals: SendTotals
    findings: tuple[Finding, ...] = ()
    """Problems opening the object (GetObject denied, KMS...), before any decoding."""
    dropped: tuple[DroppedRecord, ...] = ()
    """The first records the module drops without a word (no ``detail``...), each with why."""


def missing_key_finding(session: BucketSession, key: str, error: BaseException) -> Finding:
    """NoSuchKey: the key is not there; the finding offers the stored keys nearest to it (one listing)."""
    from diagnostics.aws.nearest_keys import nearest_keys

    bucket = session.layout.bucket
    near = nearest_keys(session.client, bucket, key)
    if near.keys:
        nearest = f"The {len(near.keys)} stored keys nearest to it, under '{near.prefix}', are listed as nearby."
    elif near.listing_error:
        nearest = f"Listing '{near.prefix}' to find the nearest keys failed: {near.listing_error}"
    else:
        nearest = f"Nothing is stored under '{near.prefix}'."
    return build_finding("preview.no_such_key", check_id="preview.get_object", target=f"s3://{bucket}/{key}",
                         profile=session.context.profile,
                         values={"key": key, "bucket": bucket, "prefix": near.prefix, "nearest": nearest},
                         evidence=(f"GetObject s3://{bucket}/{key}: {error}",
                                   *(f"nearby: {candidate}" for candidate in near.keys)))


def preview_object(session: BucketSession, key: str, *, limit: int = 50,
                   cancel: threading.Event | None = None) -> PreviewResult:
    """Stream and decode one object, stopping after ``limit`` events; never reads more than needed."""
    counters = DecodeCounters()
    if session.client is None:
        return PreviewResult(key, (), (), counters.freeze(), session.findings)
    bucket = session.layout.bucket
    tried = retries_tried(session)
    attempts = session.settings.max_attempts + 1 if session.settings is not None else 1
    context = replace(decode_context_for(session.block, session.wodle, session.context, path=session.layout.path),
                      keep_dropped=limit)
    events: list[DecodedEvent] = []
    problems: list[FileProblem] = []
    pause = cancel if cancel is not None else threading.Event()
    for attempt in range(attempts):
        if attempt and pause.wait(0.2 * 2 ** (attempt - 1)):
            break
        try:
            stream = open_s3_object(session.client, bucket, key)
        except Exception as error:
            from diagnostics.aws.nearest_keys import is_missing_key

            if is_missing_key(error):
                return PreviewResult(key, (), (), counters.freeze(), (missing_key_finding(session, key, error),))
            finding = build_finding("preview.get_object_failed", check_id="preview.get_object",
                                    target=f"s3://{bucket}/{key}", profile=session.context.profile,
                                    values={"key": key, "bucket": bucket, "error": str(error)},
                                    evidence=(f"GetObject s3://{bucket}/{key}: {error}", tried))
            return PreviewResult(key, (), (), counters.freeze(), (finding,))
        counters = DecodeCounters()
        events, problems = [], []
        try:
            for item in decode_object(stream, key, context, limit=limit, cancel=cancel, counters=counters):
                if isinstance(item, DecodedEvent):
                    events.append(item)
                else:
                    problems.append(item)
        finally:
            stream.close()
        if not any(problem.finding.failure_id == "decode.read_failed" for problem in problems):
            return PreviewResult(key, tuple(events), tuple(problems), counters.freeze(),
                                 dropped=tuple(counters.dropped_records))
    # the body broke off on every attempt (connection reset, cut short): the network, not the object
    broken = next(problem for problem in problems if problem.finding.failure_id == "decode.read_failed")
    finding = build_finding("preview.get_object_failed", check_id="preview.get_object",
                            target=f"s3://{bucket}/{key}", profile=session.context.profile,
                            values={"key": key, "bucket": bucket, "error": broken.finding.title},
                            evidence=(f"GetObject s3://{bucket}/{key}: the body broke off on each of "
                                      f"{attempts} download(s)", tried))
    return PreviewResult(key, tuple(events), tuple(problems), counters.freeze(), (finding,))
