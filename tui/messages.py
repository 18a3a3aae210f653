"""Worker results, named in the past tense; each carries diagnostics objects, never widgets."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from textual.message import Message

if TYPE_CHECKING:
    from diagnostics.aws.credentials import CredentialReport
    from diagnostics.aws.identity import IdentityResult
    from diagnostics.bucket_session import BrowsedLevel, BucketSession, PreviewResult
    from diagnostics.bundle import BundleResult
    from diagnostics.checks import BlockReport, CheckReport
    from diagnostics.findings import Finding
    from diagnostics.host.logtest_model import LogtestReport
    from diagnostics.ingest.model import IngestProgress, IngestSummary
    from diagnostics.ingest.real_module import RealRunPlan, RealRunResult
    from diagnostics.input_session import CloudWatchPreview, InputSession, InspectorPreview, ObjectPreview
    from diagnostics.log_explainer.explainer import LogReport
    from diagnostics.marker_location import MarkerLocation
    from diagnostics.service_browse import EventsListing, FindingsListing, GroupEntry, ServiceBrowse, StreamsListing
    from diagnostics.service_pass import ServicePassOptions, ServicePassResult
    from diagnostics.subscriber_pass_session import LakeBuckets, SubscriberPassResult
    from diagnostics.subscriber_preview import NotifiedObjects
    from diagnostics.wazuh.wodle import LoadedConfig
    from tui.demo import DemoEnvironment


@dataclass
class DemoStepped(Message, bubble=False):
    """The demo moved on to another setup step (shown while it starts)."""

    text: str


@dataclass
class DemoReady(Message, bubble=False):
    """The embedded S3 server is seeded and the throw-away Wazuh home written."""

    environment: DemoEnvironment


@dataclass
class ConfigLoaded(Message, bubble=False):
    """ossec.conf was read and validated (findings include the loader's and the validators')."""

    loaded: LoadedConfig
    findings: tuple[Finding, ...]


@dataclass
class BlockChecked(Message, bubble=False):
    """One block's checks finished (sent as each block completes, so badges fill in progressively)."""

    report: BlockReport


@dataclass
class ChecksCompleted(Message, bubble=False):
    """Every check of the configuration ran (or the run was cancelled part way)."""

    report: CheckReport
    cancelled: bool = False


@dataclass
class StepRerun(Message, bubble=False):
    """One troubleshooting step ran again for a block; its findings replace the step's old ones."""

    step: str
    """The rerun group: ``config``, ``credentials``, ``identity``, ``access`` or ``layout``."""
    findings: tuple[Finding, ...]
    credentials: CredentialReport | None = None
    """The new credential resolution (credentials group), for the later steps."""
    identity: IdentityResult | None = None
    """The new identity result (identity group), for the later steps."""
    ran: bool = True
    """False when an earlier step had no result, so nothing could run."""


@dataclass
class LogExplained(Message, bubble=False):
    """An ossec.log excerpt (a file or pasted lines) was explained."""

    report: LogReport


@dataclass
class BucketOpened(Message, bubble=False):
    """A bucket was opened with the module's credentials (or could not be: see its findings)."""

    session: BucketSession


@dataclass
class KeysListed(Message, bubble=False):
    """One page of one level was listed and classified."""

    prefix: str
    browsed: BrowsedLevel
    marker: str | None
    """The StartAfter of the scope this level belongs to, when it belongs to exactly one."""
    append: bool = False
    """True for a next page of a level already shown."""


@dataclass
class ListingFailed(Message, bubble=False):
    """Listing a level failed in a way the module would also meet (AccessDenied...)."""

    prefix: str
    error: str
    finding: Finding | None = None
    """The failure as diagnostics explains it (the call, what was retried, the fix), as ``keys`` shows it."""


@dataclass
class EventsDecoded(Message, bubble=False):
    """An object was downloaded (as a stream) and decoded as the module would."""

    result: PreviewResult


@dataclass
class IngestLogged(Message, bubble=False):
    """A batch of the pass's log lines (batched in the worker so bursts cost one message)."""

    lines: tuple[str, ...]


@dataclass
class IngestProgressed(Message, bubble=False):
    """The pass moved on; only the newest one matters, so queued ones are dropped."""

    progress: IngestProgress

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, IngestProgressed)


@dataclass
class IngestFinished(Message, bubble=False):
    """The built-in pass ended (completed, stopped by the module's rules, or cancelled)."""

    summary: IngestSummary | None
    """None when the bucket could not even be opened (the log says why)."""


@dataclass
class RealModulePlanned(Message, bubble=False):
    """The real module's command and pre-flight findings are ready; the user confirms before it runs."""

    plan: RealRunPlan


@dataclass
class RealModuleFinished(Message, bubble=False):
    """The installed module returned (or was stopped)."""

    result: RealRunResult


@dataclass
class DayLocated(Message, bubble=False):
    """The folder holding one day's keys was worked out (or could not be, with the reason)."""

    prefix: str | None
    note: str = ""


@dataclass
class MarkerLocated(Message, bubble=False):
    """The folder where the module's StartAfter falls was found (or could not be, with the reason)."""

    location: MarkerLocation


@dataclass
class BundleWritten(Message, bubble=False):
    """The redacted support bundle was written (palette action)."""

    result: BundleResult


@dataclass
class LogtestMatched(Message, bubble=False):
    """The previewed events went through wazuh-logtest (or it was found unavailable)."""

    report: LogtestReport


@dataclass
class NextRunRead(Message, bubble=False):
    """A CloudWatch or Inspector block's next run was read (its events, sent or dropped, and where it would
    stop)."""

    session: InputSession
    preview: CloudWatchPreview | InspectorPreview


@dataclass
class ServicePassSent(Message, bubble=False):
    """The service pass sent another datagram; only the newest count matters, so queued ones are dropped."""

    sent: int
    """Datagrams sent so far in this pass."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ServicePassSent)


@dataclass
class ServicePassFinished(Message, bubble=False):
    """A CloudWatch Logs or Inspector pass ended (completed, stopped where the module stops, or cancelled)."""

    result: ServicePassResult


@dataclass
class EventsFileOpened(Message, bubble=False):
    """The file a pass writes its datagrams to was checked and opened (the pass closes it)."""

    handle: TextIO
    path: Path
    options: ServicePassOptions
    """The pass to run once the file is open."""


@dataclass
class EventsFileRefused(Message, bubble=False):
    """The datagrams file was refused (inside the Wazuh home, a link, an existing file without append)."""

    reason: str


@dataclass
class NotifiedObjectsListed(Message, bubble=False):
    """A subscriber's source bucket was found and its newest objects listed (or why they cannot be)."""

    listed: NotifiedObjects


@dataclass
class NotifiedObjectDecoded(Message, bubble=False):
    """One notified object was decoded as the subscriber would (its datagrams, or where the run stops)."""

    preview: ObjectPreview


@dataclass
class SubscriberPassFinished(Message, bubble=False):
    """The read-only subscriber pass met the objects its queue would deliver (or was cancelled, or read none)."""

    result: SubscriberPassResult
    lines: tuple[str, ...]
    """The module's lines for the run, at the pass's debug level."""


@dataclass
class LakeBucketsListed(Message, bubble=False):
    """ListBuckets named the buckets whose names are Security Lake's (or said why none can be suggested)."""

    suggested: LakeBuckets


@dataclass
class ServiceBrowseOpened(Message, bubble=False):
    """A CloudWatch Logs or Inspector block was opened for browsing (its session, regions and windows)."""

    browse: ServiceBrowse


@dataclass
class ServiceLevelListed(Message, bubble=False):
    """One level of a service's Browse tree was read: a region's groups or findings, a group's streams, a
    stream's events; ``node_id`` is the tree node it belongs under, ``append`` when it is a further page."""

    node_id: int
    listing: tuple[GroupEntry, ...] | StreamsListing | EventsListing | FindingsListing
    append: bool = False
