"""Say, for any listed key, whether the module would read it, has read it, or skips it and why.

The key browser uses it on whatever level is expanded (keys below the marker included, so late files show
as "never read"); the module walk uses the same rules on the keys S3 returns after the marker, so both
faces and the ingestion engine agree on one verdict per key, with the debug line the module prints.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from diagnostics.layout.listing import ListedObject
from diagnostics.layout.marker import Marker, compute_marker, config_sort_date, processed_scope
from diagnostics.layout.prefixes import ACCOUNT_FOLDER, BucketLayout, Family, flow_log_id_of
from diagnostics.wazuh.state_db import ProcessedState
from diagnostics.wazuh.state_scope import StateScope
from diagnostics.wazuh.versions import WazuhProfile


class Verdict(str, enum.Enum):
    """What happens to a key."""

    READ = "read"
    """The next run would download and send it (``++ Found new log``)."""
    PROCESSED = "processed"
    """Already recorded in the state database for its scope."""
    SKIPPED = "skipped"
    """Never read; see the reason."""


class SkipReason(str, enum.Enum):
    """Why a key is never read."""

    EMPTY_KEY = "empty_key"
    FOLDER = "folder"
    """A ``.../`` folder placeholder object: always skipped."""
    OUTSIDE_LISTING = "outside_listing"
    """Not under any prefix the module lists (another service, account, region or path)."""
    UNKNOWN_FLOW_LOG = "unknown_flow_log"
    """A VPC flow-log id that ``ec2:DescribeFlowLogs`` does not return: silently ignored."""
    OTHER_PREFIX = "other_prefix"
    """The date is not right after the prefix (``++ Skipping file with another prefix``)."""
    BEFORE_MARKER = "before_marker"
    """Sorts at or before ``StartAfter`` and has no state row: S3 never returns it again."""
    BEFORE_ONLY_LOGS_AFTER = "before_only_logs_after"
    """Sorts before the only_logs_after date folder on a first run: the module starts after it."""
    AFTER_STOP = "after_stop"
    """Listed after a file the run stops at (no skip_on_error): not read this run."""
    CONFIG_BEFORE_ONLY_LOGS_AFTER = "config_before_only_logs_after"
    """Config file dated before only_logs_after (dropped silently after the year relist)."""


SKIP_WORDS = {
    SkipReason.EMPTY_KEY: "empty key",
    SkipReason.FOLDER: "folder placeholder",
    SkipReason.OUTSIDE_LISTING: "outside the module's listing",
    SkipReason.UNKNOWN_FLOW_LOG: "flow-log id not described",
    SkipReason.OTHER_PREFIX: "date not right after the prefix",
    SkipReason.BEFORE_MARKER: "behind the marker with no state row",
    SkipReason.BEFORE_ONLY_LOGS_AFTER: "older than only_logs_after",
    SkipReason.AFTER_STOP: "after the file the run stops at",
    SkipReason.CONFIG_BEFORE_ONLY_LOGS_AFTER: "Config file older than only_logs_after",
}


def skip_words(reason: str) -> str:
    """A skip reason's code in words, for summaries people read (the JSON keeps the code)."""
    try:
        return SKIP_WORDS[SkipReason(reason)]
    except ValueError:
        return reason


@dataclass(frozen=True)
class KeyScope:
    """The listing scope a key belongs to: the module lists ``prefix`` once per scope."""

    account: str | None
    region: str | None
    flow_log_id: str | None
    prefix: str


@dataclass(frozen=True)
class ClassifiedKey:
    """One key with its verdict, the reason, and what the module prints about it."""

    key: str
    verdict: Verdict
    reason: SkipReason | None
    explanation: str
    debug_line: str | None = None
    """The module's line for this key (without ``DEBUG: ``), or None when it is silent."""
    debug_level: int | None = None
    scope: KeyScope | None = None
    marker: str | None = None
    """The StartAfter of the key's scope."""
    object: ListedObject | None = None
    """Size, LastModified, ETag and storage class when the key came from a listing."""
    passed_over: bool = False
    """True for a key the module never lists (at or before its StartAfter), shown so its skip is counted."""

    @property
    def would_read(self) -> bool:
        """True when the next run downloads the file."""
        return self.verdict is Verdict.READ


FlowLogIds = Callable[[str], Collection[str]]
"""Region -> the flow-log ids ``DescribeFlowLogs`` returns there (the module's filter)."""


def contained_flow_log(key: str, described: Collection[str]) -> str | None:
    """The first described flow-log id the key contains (the module filters with ``id in key``)."""
    for flow_log_id in described:
        if flow_log_id in key:
            return flow_log_id
    return None


class KeyClassifier:
    """Classifies keys of one bucket against its layout, markers and state (markers cached per scope)."""

    def __init__(self, layout: BucketLayout, *, profile: WazuhProfile, today: date,
                 state: ProcessedState | None = None, only_logs_after: date | None = None,
                 caller_account: str | None = None, plan: Mapping[str, Collection[str]] | None = None,
                 flow_log_ids: FlowLogIds | None = None, reparse: bool = False,
                 state_problem: str | None = None) -> None:
        self.layout = layout
        self.profile = profile
        self.today = today
        self.state = state
        self.only_logs_after = only_logs_after
        self.caller_account = caller_account
        self.plan = plan
        """Accounts and the regions the module walks for each (None: any 12-digit account, any region)."""
        self.flow_log_ids = flow_log_ids
        self.reparse = reparse
        self.state_problem = state_problem
        self._markers: dict[KeyScope, Marker] = {}
        self._described: dict[str, tuple[str, ...]] = {}

    # -- scopes and markers -----------------------------------------------------------------------
    def described(self, region: str) -> tuple[str, ...] | None:
        """The described flow-log ids of a region (cached), or None when unknown."""
        if self.flow_log_ids is None:
            return None
        if region not in self._described:
            self._described[region] = tuple(self.flow_log_ids(region))
        return self._described[region]

    def scope_of(self, key: str) -> tuple[KeyScope | None, str]:
        """The scope the module would list this key in, or None with the reason it never lists it."""
        layout = self.layout
        if layout.family is not Family.AWSLOGS:
            if key.startswith(layout.path):
                return KeyScope(self.caller_account, None, None, layout.path), ""
            return None, f"not under the configured path '{layout.path}'"
        base = layout.base_prefix
        if not key.startswith(base):
            return None, f"not under '{base}'"
        parts = key[len(base):].split("/")
        if len(parts) < 4:
            return None, f"not under '{base}<account>/{layout.service_folder}/<region>/'"
        account, service, region = parts[0], parts[1], parts[2]
        if not ACCOUNT_FOLDER.match(account):
            return None, f"'{account}' is not a 12-digit account folder"
        if service != layout.service_folder:
            return None, f"service folder '{service}' is not '{layout.service_folder}'"
        if self.plan is not None:
            if account not in self.plan:
                return None, f"account {account} is not walked"
            if region not in self.plan[account]:
                return None, f"region {region} is not walked for account {account}"
        return KeyScope(account, region, None, layout.full_prefix(account, region)), ""

    def marker_for(self, scope: KeyScope) -> Marker:
        """The StartAfter of a scope, computed once."""
        if scope not in self._markers:
            self._markers[scope] = compute_marker(
                self.layout, profile=self.profile, today=self.today, account=scope.account,
                region=scope.region, flow_log_id=scope.flow_log_id, state=self.state,
                only_logs_after=self.only_logs_after, caller_account=self.caller_account,
                reparse=self.reparse, state_problem=self.state_problem)
        return self._markers[scope]

    def processed(self, scope: KeyScope, key: str) -> bool:
        """The module's exact-key check for the key's scope."""
        if self.state is None:
            return False
        state_scope: StateScope = processed_scope(self.layout, scope.account, scope.region, scope.flow_log_id,
                                                  self.caller_account, self.profile)
        return self.state.already_processed(state_scope, key)

    # -- verdicts -------------------------------------------------------------------------------------
    def classify(self, item: ListedObject | str, *, scope: KeyScope | None = None,
                 listed_after: str | None = None) -> ClassifiedKey:
        """The verdict for one key; ``listed_after`` is the StartAfter when the module itself listed it."""
        obj = item if isinstance(item, ListedObject) else ListedObject(item)
        key = obj.key

        def skipped(reason: SkipReason, text: str, line: str | None = None, level: int | None = None,
                    marker: str | None = None) -> ClassifiedKey:
            return ClassifiedKey(key, Verdict.SKIPPED, reason, text, line, level, scope, marker, obj)

        if not key:
            return skipped(SkipReason.EMPTY_KEY, "an empty key is ignored")
        if key.endswith("/"):
            return skipped(SkipReason.FOLDER, "a folder placeholder object: the module always skips it")
        if scope is None:
            scope, why = self.scope_of(key)
            if scope is None:
                return skipped(SkipReason.OUTSIDE_LISTING, f"the module never lists this key: {why}")
        if self.layout.bucket_type == "vpcflow" and scope.region is not None:
            flow_log_id = scope.flow_log_id
            if flow_log_id is None:
                described = self.described(scope.region)
                if described is None:
                    flow_log_id = flow_log_id_of(key)
                else:
                    flow_log_id = contained_flow_log(key, described)
                    if flow_log_id is None:
                        return skipped(SkipReason.UNKNOWN_FLOW_LOG,
                                       "its flow-log id is not returned by ec2:DescribeFlowLogs for the "
                                       "module's credentials in this region, so it is never read (no log "
                                       "line)")
                scope = KeyScope(scope.account, scope.region, flow_log_id, scope.prefix)
        marker = self.marker_for(scope)
        start_after = listed_after if listed_after is not None else marker.value
        pattern = self.layout.date_position_pattern
        match = pattern.search(key) if pattern is not None else None
        position_ok = pattern is None or (match is not None and match.start() == len(scope.prefix))
        other_prefix = (f"its date does not start right after '{scope.prefix}', so the module treats it as "
                        "another prefix and never reads it")
        if listed_after is None and key <= start_after:
            if self.processed(scope, key):
                return ClassifiedKey(key, Verdict.PROCESSED, None,
                                     "read by an earlier run (it sorts before the marker, so it is not "
                                     "listed again)", None, None, scope, start_after, obj)
            if not position_ok:
                return skipped(SkipReason.OTHER_PREFIX, f"{other_prefix}; it also sorts before the marker "
                               f"'{start_after}', so it is never even listed (no log line)",
                               marker=start_after)
            if not start_after.startswith(scope.prefix):
                return skipped(SkipReason.BEFORE_MARKER, borrowed_marker_text(self.layout, scope, start_after),
                               marker=start_after)
            marker = self.marker_for(scope)
            if marker.db_last_key is None and marker.only_logs_after_marker is not None \
                    and key <= marker.only_logs_after_marker:
                return skipped(SkipReason.BEFORE_ONLY_LOGS_AFTER,
                               f"it is older than only_logs_after: the module starts listing after "
                               f"'{marker.only_logs_after_marker}'", marker=start_after)
            return skipped(SkipReason.BEFORE_MARKER,
                           f"it sorts at or before the marker '{start_after}' and has no state row: S3 never "
                           "returns it to the module again (a late upload or an only_logs_after moved back)",
                           marker=start_after)
        if not position_ok:
            return skipped(SkipReason.OTHER_PREFIX, other_prefix,
                           f"++ Skipping file with another prefix: {key}", 3, start_after)
        if self.layout.bucket_type == "config" and self.profile.config_year_relist and self.only_logs_after:
            try:
                stamp = config_sort_date(key)
            except ValueError:
                stamp = None
            if stamp is None:
                return skipped(SkipReason.CONFIG_BEFORE_ONLY_LOGS_AFTER,
                               "it has no /YYYY/M/D/ date folder, and with only_logs_after set the module "
                               "drops every Config file it cannot date (silently)", marker=start_after)
            if stamp.date() < self.only_logs_after:
                return skipped(SkipReason.CONFIG_BEFORE_ONLY_LOGS_AFTER,
                               f"Config file dated {stamp.date().isoformat()}, before only_logs_after: dropped "
                               "silently after the year relist", marker=start_after)
        processed_level = 2 if self.layout.family is Family.SERVER_ACCESS else 1
        if self.processed(scope, key):
            if self.reparse:
                return ClassifiedKey(key, Verdict.READ, None, "already processed, but reparse reads it again",
                                     f"++ File previously processed, but reparse flag set: {key}", 1, scope,
                                     start_after, obj)
            return ClassifiedKey(key, Verdict.PROCESSED, None, "already in the state database for its scope",
                                 f"++ Skipping previously processed file: {key}", processed_level, scope,
                                 start_after, obj)
        return ClassifiedKey(key, Verdict.READ, None, "after the marker and not yet processed: the next run "
                             "reads it", f"++ Found new log: {key}", 2, scope, start_after, obj)


def borrowed_marker_text(layout: BucketLayout, scope: KeyScope, marker: str) -> str:
    """Why a key is never read when its scope's marker is another region's last key (no region column)."""
    return (f"the module's marker for {scope.region} is '{marker}', the last key read in another region: "
            f"the {layout.table} state has no region column, so every key of {scope.region} sorting before it "
            "is never read. Workaround: give each region its own prefix (one <bucket> block with its own "
            "<path> per prefix, or one bucket per region); until then only a manual run with --reparse reads "
            "them, re-sending everything since only_logs_after")


def classify_keys(classifier: KeyClassifier,
                  items: Collection[ListedObject | str]) -> tuple[ClassifiedKey, ...]:
    """Classify a listed level for the browser (any keys, in listing order)."""
    return tuple(classifier.classify(item) for item in items)


def summarize(keys: Collection[ClassifiedKey]) -> dict[str, int]:
    """Counts per verdict and per skip reason (``read``, ``processed``, ``skipped:other_prefix``...)."""
    counts: dict[str, int] = {}
    for classified in keys:
        name = classified.verdict.value
        if classified.reason is not None:
            name = f"{name}:{classified.reason.value}"
        counts[name] = counts.get(name, 0) + 1
    return counts


def newest(keys: Collection[ClassifiedKey]) -> datetime | None:
    """The newest LastModified among classified keys (for "last file arrived" hints)."""
    stamps = [k.object.last_modified for k in keys if k.object is not None and k.object.last_modified]
    return max(stamps) if stamps else None
