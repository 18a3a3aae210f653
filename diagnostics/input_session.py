"""A `<service>` or `<subscriber>` block opened as the module would, for the faces' preview and pass.

Both faces call these functions, so the CLI and the app read the same events: the next CloudWatch or
Inspector run's datagrams, or one notified object decoded the way the block's subscriber decodes it. Nothing here
receives from a queue or writes anywhere.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from diagnostics.aws.access_probes import call
from diagnostics.aws.clients import make_client, settings_for
from diagnostics.aws.credentials import resolve_credentials
from diagnostics.aws.identity import check_identity
from diagnostics.decode.discard import compile_rule
from diagnostics.decode.subscriber_objects import (
    SubscriberStop,
    notified_key,
    object_text,
    security_lake_datagrams,
    subscriber_object,
)
from diagnostics.findings import Finding, Status
from diagnostics.ingest.cloudwatch_events import StreamFailure, next_cloudwatch_events
from diagnostics.ingest.inspector_events import (
    InspectorEvent,
    InspectorFailure,
    InspectorWindow,
    inspector_windows,
    next_inspector_events,
)
from diagnostics.ingest.inspector_log import module_exit

if TYPE_CHECKING:
    import boto3

    from diagnostics.aws.clients import ClientSettings
    from diagnostics.context import DoctorContext
    from diagnostics.decode.subscriber_objects import SubscriberObject
    from diagnostics.ingest.cloudwatch_events import CloudWatchEvent
    from diagnostics.wazuh.wodle import Block, Wodle


@dataclass(frozen=True)
class InputSession:
    """Credentials and identity resolved for one service or subscriber block; ``usable`` when a session exists."""

    block: Block
    wodle: Wodle | None
    context: DoctorContext
    findings: tuple[Finding, ...]
    aws_session: boto3.session.Session | None = field(default=None, repr=False, compare=False)
    settings: ClientSettings | None = None
    account_id: str | None = None
    """The caller's account from GetCallerIdentity: the module keys Inspector's saved scans by it."""

    @property
    def usable(self) -> bool:
        """True when AWS calls can be made with the block's credentials."""
        return self.aws_session is not None and self.settings is not None


@dataclass(frozen=True)
class CloudWatchPreview:
    """The next run's events (sent and dropped) and the failure it would stop at, if any."""

    events: tuple[CloudWatchEvent, ...]
    failures: tuple[StreamFailure, ...]
    truncated: bool

    @property
    def exit_code(self) -> int:
        """The module's exit for the run: 16 when a call stops it, else 0."""
        return next((failure.exit_code for failure in self.failures if failure.exit_code is not None), 0)


@dataclass(frozen=True)
class InspectorPreview:
    """The next Inspector run: the window per region, its findings (sent and dropped), where it stops."""

    windows: tuple[InspectorWindow, ...]
    events: tuple[InspectorEvent, ...]
    failures: tuple[InspectorFailure, ...]
    truncated: bool
    pages: tuple[tuple[str, int], ...] = ()
    """Each ListFindings page read: (loop region, findings in it)."""

    @property
    def exit_code(self) -> int:
        """The module's exit for the run at debug 0: 22 for an unsupported region, 12 when ListFindings fails."""
        return self.failures[0].exit_code if self.failures else 0

    def exit_at(self, debug_level: int) -> int:
        """The exit at the module's debug level: a failed ListFindings is re-raised above debug 0 (exit 1)."""
        return module_exit(self.failures, debug_level)


@dataclass(frozen=True)
class ObjectPreview:
    """One notified object as the block's subscriber decodes it, or why it stops the run."""

    key: str
    asked_key: str
    datagrams: tuple[str, ...] = ()
    decoded: SubscriberObject | None = None
    stop: str | None = None
    exit_code: int = 0


def open_input(context: DoctorContext, block: Block, wodle: Wodle | None = None) -> InputSession:
    """Resolve the block's credentials and identity exactly as the checks do."""
    credentials = resolve_credentials(block, context)
    settings = settings_for(block, context, credentials.region)
    identity = check_identity(credentials, block, context, settings)
    problems = tuple(finding for finding in credentials.findings + identity.findings
                     if finding.status in (Status.ERROR, Status.WARNING))
    return InputSession(block, wodle, context, problems, identity.session, settings, identity.account_id)


def preview_cloudwatch(session: InputSession, *, limit: int | None = None,
                       cancel: threading.Event | None = None) -> CloudWatchPreview:
    """The next CloudWatch run, up to ``limit`` events (sent or dropped)."""
    if session.aws_session is None or session.settings is None:
        return CloudWatchPreview((), (), False)
    failures: list[StreamFailure] = []
    events: list[CloudWatchEvent] = []
    truncated = False
    for event in next_cloudwatch_events(session.aws_session, session.block, session.context, session.settings,
                                        cancel=cancel, failures=failures):
        if limit is not None and len(events) >= limit:
            truncated = True
            break
        events.append(event)
    return CloudWatchPreview(tuple(events), tuple(failures), truncated)


def preview_inspector(session: InputSession, *, limit: int | None = None,
                      cancel: threading.Event | None = None) -> InspectorPreview:
    """The next Inspector run, up to ``limit`` findings (sent or dropped)."""
    if session.aws_session is None or session.settings is None:
        return InspectorPreview((), (), (), False)
    windows = tuple(inspector_windows(session.block, session.context, session.account_id))
    failures: list[InspectorFailure] = []
    pages: list[tuple[str, int]] = []
    events: list[InspectorEvent] = []
    truncated = False
    for event in next_inspector_events(session.aws_session, session.block, session.context, session.settings,
                                       session.account_id, cancel=cancel, failures=failures, pages=pages):
        if limit is not None and len(events) >= limit:
            truncated = True
            break
        events.append(event)
    return InspectorPreview(windows, tuple(events), tuple(failures), truncated, tuple(pages))


def preview_notified_object(session: InputSession, bucket: str, key: str) -> ObjectPreview:
    """The object a notification names, fetched under the name the module asks for and decoded its way."""
    kind = session.block.block_type or "buckets"
    asked = key if kind == "security_lake" else notified_key(key, kind)
    if session.aws_session is None or session.settings is None:
        return ObjectPreview(key, asked, stop="no working session (see the credential findings)", exit_code=1)
    s3: Any = make_client(session.aws_session, "s3", session.settings)
    fetched = call(s3, "get_object", Bucket=bucket, Key=asked)
    if not fetched.ok or fetched.response is None:
        exit_code = 21 if kind == "security_lake" else 12
        return ObjectPreview(key, asked, stop=fetched.error_text or fetched.kind, exit_code=exit_code)
    body = fetched.response["Body"].read()
    try:
        if kind == "security_lake":
            return ObjectPreview(key, asked, tuple(security_lake_datagrams(body)))
        discard = session.block.discard_regex
        regex = (discard.value or None) if discard is not None else None
        rule = compile_rule(discard.attributes.get("field") if discard is not None and regex else None, regex)
        decoded = subscriber_object(bucket, asked, object_text(asked, body), rule, kind)
    except SubscriberStop as stop:
        return ObjectPreview(key, asked, stop=str(stop), exit_code=stop.exit_code)
    sent = tuple(event.datagram for event in decoded.events if event.datagram is not None)
    return ObjectPreview(key, asked, sent, decoded)


def next_cloudwatch_run(context: DoctorContext, block: Block, wodle: Wodle | None = None, *,
                        limit: int | None = None, cancel: threading.Event | None = None
                        ) -> tuple[InputSession, CloudWatchPreview]:
    """Open a CloudWatch block and read its next run, in one call for a face's worker."""
    session = open_input(context, block, wodle)
    return session, preview_cloudwatch(session, limit=limit, cancel=cancel)


def next_inspector_run(context: DoctorContext, block: Block, wodle: Wodle | None = None, *,
                       limit: int | None = None, cancel: threading.Event | None = None
                       ) -> tuple[InputSession, InspectorPreview]:
    """Open an Inspector block and read its next run, in one call for a face's worker."""
    session = open_input(context, block, wodle)
    return session, preview_inspector(session, limit=limit, cancel=cancel)
