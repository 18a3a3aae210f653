"""The ``StartAfter`` marker exactly as the module computes it, per type and per version.

S3 returns only keys that sort after ``StartAfter``, so this one string decides what a run can ever read;
showing it (and why it has that value) answers most "old logs are ignored" questions. The steps are the
module's: DB last key of the scope (restricted with ``LIKE``), else only_logs_after, else today (UTC); the
larger of DB and only_logs_after markers as strings; then the per-type adjustments.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from diagnostics.layout.prefixes import CONFIG_DATE, LOAD_BALANCER_TYPES, BucketLayout, Family
from diagnostics.wazuh.state_db import ProcessedState
from diagnostics.wazuh.state_scope import ANY_ACCOUNT, StateScope
from diagnostics.wazuh.versions import WazuhProfile

GUARDDUTY_DAY_FOLDER = re.compile(r"^(.*/GuardDuty/[^/]+/\d{4}/\d{2}/\d{2}/)")
_LEADING_ZERO = re.compile(r"/(0)(?P<num>\d)")
_SLASH_DATE_AT_START = re.compile(r"^(\d{4})/(\d{2})/(\d{2})")
_DASH_DATE_AT_START = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_CONFIG_SORT_DATE = re.compile(r"/(\d{4})/(\d{1,2})/(\d{1,2})/")
DAILY_WALK_BEFORE = (4, 8, 0)
"""Before 4.8 the module walked Config and VPC flow logs day by day with per-day prefixes (Wazuh PR
#16325 replaced it). Inferred from the source history, not verified on a running 4.7: markers for those
versions are flagged approximate."""


class MarkerSource(str, enum.Enum):
    """Where the marker's value came from, before the per-type adjustments."""

    DATABASE = "database"
    ONLY_LOGS_AFTER = "only_logs_after"
    TODAY = "today"


def parse_only_logs_after(text: str | None) -> date | None:
    """``YYYY-MMM-DD`` as the script parses it (``strptime('%Y-%b-%d')``: month case-insensitive).

    Raises ValueError for a bad value (the module exits 2 on it; the config checks report that).
    """
    if not text:
        return None
    return datetime.strptime(text.strip(), "%Y-%b-%d").date()


@dataclass(frozen=True)
class Marker:
    """The StartAfter of one listing scope, how it was reached, and the debug line the module prints."""

    value: str
    """The ``StartAfter`` sent with the first ``ListObjectsV2`` of the scope."""
    reason: str
    """One sentence: where the value comes from."""
    debug_line: str
    """``+++ Marker: <m>`` exactly as printed at debug 2 (Config prints it before the year cut)."""
    source: MarkerSource
    prefix: str
    """The full prefix listed with this marker."""
    db_last_key: str | None = None
    only_logs_after_marker: str | None = None
    date_marker: str | None = None
    """The today (UTC) marker the module falls back to when the scope has no state and no only_logs_after."""
    adjustments: tuple[str, ...] = ()
    extra_debug_lines: tuple[tuple[int, str], ...] = ()
    """Other (level, text) lines printed with the marker (GuardDuty's day-folder rewind)."""
    notes: tuple[str, ...] = ()
    approximate: bool = False
    """True when the value may differ from the module's (unknown caller account, unreadable state, an old
    version whose walk differs)."""
    exit_code: int | None = None
    """Set when the module would stop here (Config marker without a date: exit 16)."""
    exit_message: str | None = None

    @property
    def db_ahead_of_only_logs_after(self) -> bool:
        """True when only_logs_after is set but the state is already past it (so it has no effect)."""
        return (self.only_logs_after_marker is not None and self.db_last_key is not None
                and self.source is MarkerSource.DATABASE)


def db_scope(layout: BucketLayout, account: str | None, region: str | None, flow_log_id: str | None,
             caller_account: str | None) -> StateScope:
    """The state scope of the marker query: folder account for AWSLogs keys, caller account otherwise."""
    if layout.family is Family.AWSLOGS:
        db_account = account or ANY_ACCOUNT
    else:
        db_account = caller_account or ANY_ACCOUNT
        region = None
    return StateScope(layout.table, layout.bucket_path, db_account, region, flow_log_id)


def processed_scope(layout: BucketLayout, account: str | None, region: str | None, flow_log_id: str | None,
                    caller_account: str | None, profile: WazuhProfile) -> StateScope:
    """The scope of the "already processed" check.

    4.x load balancers check with the caller identity's account while their rows carry the folder account,
    so when both differ files are not seen as processed (code reading of 4.x sources). Native GuardDuty
    checks with the key's folder account, as its rows are written (recorded from 4.14.7 in
    tests/goldens/module_4_14_7/guardduty_marker_regions).
    """
    scope = db_scope(layout, account, region, flow_log_id, caller_account)
    custom_check = layout.bucket_type in LOAD_BALANCER_TYPES and not profile.lb_per_region_marker
    if custom_check and caller_account:
        return StateScope(scope.table, scope.bucket_path, caller_account, scope.region, scope.flow_log_id)
    return scope


def like_prefix(layout: BucketLayout, full_prefix: str, profile: WazuhProfile) -> str:
    """The ``LIKE`` restriction of the last-key query: ``P`` in 4.x, the full prefix for 5.0's rewinding
    types (cloudtrail and the load balancers)."""
    if profile.rewinds_one_day and layout.bucket_type in ("cloudtrail", *LOAD_BALANCER_TYPES):
        return full_prefix
    return layout.path


def remove_padding_zeros(marker: str) -> str | None:
    """Config's unpadding: the first ``YYYY/M/D`` in the marker loses leading zeros (None when no date)."""
    match = CONFIG_DATE.search(marker)
    if match is None:
        return None
    found = match.group(0)
    return marker.replace(found, _LEADING_ZERO.sub(r"/\g<num>", found))


def compute_marker(
    layout: BucketLayout,
    *,
    profile: WazuhProfile,
    today: date,
    account: str | None = None,
    region: str | None = None,
    flow_log_id: str | None = None,
    state: ProcessedState | None = None,
    only_logs_after: date | None = None,
    caller_account: str | None = None,
    reparse: bool = False,
    state_problem: str | None = None,
) -> Marker:
    """The marker of one scope (account/region/flow log for AWSLogs types; the one prefix otherwise)."""
    full = layout.full_prefix(account, region)
    notes: list[str] = []
    approximate = False
    if layout.family is not Family.AWSLOGS and caller_account is None:
        approximate = True
        notes.append("the caller identity's account is unknown, so the state was searched for any account")
    if state_problem:
        approximate = True
        notes.append(f"the state database could not be read ({state_problem}); it was treated as empty")
    if layout.bucket_type in ("config", "vpcflow") and profile.version < DAILY_WALK_BEFORE:
        approximate = True
        notes.append(f"Wazuh {profile.label} walked {layout.bucket_type} day by day with per-day prefixes; "
                     "this marker follows the later single-listing walk")

    def date_marker(day: date) -> str:
        text = f"{full}{day.strftime(layout.date_format)}"
        return (remove_padding_zeros(text) or text) if layout.bucket_type == "config" else text

    ola_marker = date_marker(only_logs_after) if only_logs_after else None
    today_marker = date_marker(today)
    adjustments: list[str] = []
    db_key: str | None = None
    if reparse:
        value = ola_marker or today_marker
        source = MarkerSource.ONLY_LOGS_AFTER if ola_marker else MarkerSource.TODAY
        reason = "Reparse mode starts at only_logs_after (or today) and ignores the state"
    else:
        if state is not None:
            scope = db_scope(layout, account, region, flow_log_id, caller_account)
            db_key = state.last_key(scope, like_prefix(layout, full, profile))
        if db_key is not None:
            value, source = db_key, MarkerSource.DATABASE
            reason = "The last key this scope read, from the state database"
            if profile.rewinds_one_day and layout.bucket_type in ("cloudtrail", *LOAD_BALANCER_TYPES):
                rewound = _previous_day_marker(db_key, full)
                if rewound is not None:
                    value = rewound
                    adjustments.append("moved back one day to re-list late files (5.0)")
                    notes.append("the rewound marker is written without a trailing '/'; either form lists "
                                 "the whole previous day")
        elif ola_marker is not None:
            value, source = ola_marker, MarkerSource.ONLY_LOGS_AFTER
            reason = "The only_logs_after date (this scope has no state yet)"
        else:
            value, source = today_marker, MarkerSource.TODAY
            reason = ("No state and no only_logs_after: the module starts at today's date (UTC), so a first "
                      "run reads only today's logs")
        if ola_marker is not None and ola_marker > value:
            value, source = ola_marker, MarkerSource.ONLY_LOGS_AFTER
            if db_key is not None:
                reason = "The only_logs_after date, which sorts after the last key read"
    if layout.marker_delimiter:
        value = value[:len(full)] + value[len(full):].replace("/", layout.marker_delimiter)
        adjustments.append("'/' after the prefix replaced with '-'")
    debug_line = f"+++ Marker: {value}"
    extra: list[tuple[int, str]] = []
    exit_code: int | None = None
    exit_message: str | None = None
    if layout.bucket_type == "config":
        if remove_padding_zeros(value) is None:
            exit_code = 16
            exit_message = f"There was an error while trying to extract a date from the marker '{value}'"
        elif profile.config_year_relist:
            match = CONFIG_DATE.search(value, len(full))
            if match is not None:
                value = f"{full}{match.group(0).split('/')[0]}/"
                adjustments.append("cut back to the year folder; listed files are sorted by date (4.9.1+)")
    if layout.bucket_type == "guardduty" and profile.guardduty_day_rewind:
        match = GUARDDUTY_DAY_FOLDER.match(value)
        if match is not None and match.group(1) != value:
            value = match.group(1)
            extra.append((2, f"+++ GuardDuty: Rewound marker to day folder: {value}"))
            adjustments.append("cut back to its day folder (4.14.5+)")
    return Marker(value=value, reason=reason, debug_line=debug_line, source=source, prefix=full,
                  db_last_key=db_key, only_logs_after_marker=ola_marker, date_marker=today_marker,
                  adjustments=tuple(adjustments), extra_debug_lines=tuple(extra), notes=tuple(notes),
                  approximate=approximate, exit_code=exit_code, exit_message=exit_message)


def _previous_day_marker(key: str, full_prefix: str) -> str | None:
    """``<full>YYYY/MM/DD`` of the day before the key's date folder, or None when the key has none there."""
    if not key.startswith(full_prefix):
        return None
    match = _SLASH_DATE_AT_START.match(key[len(full_prefix):])
    if match is None:
        return None
    try:
        day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None
    return f"{full_prefix}{(day - timedelta(days=1)).strftime('%Y/%m/%d')}"


def key_date(layout: BucketLayout, key: str, full_prefix: str) -> date | None:
    """The date right after the full prefix (Config unpadded; Umbrella and server access dashed), or None."""
    rest = key[len(full_prefix):] if key.startswith(full_prefix) else key
    if layout.bucket_type == "config":
        match = CONFIG_DATE.match(rest)
    elif layout.family in (Family.UMBRELLA, Family.SERVER_ACCESS):
        match = _DASH_DATE_AT_START.match(rest)
    else:
        match = _SLASH_DATE_AT_START.match(rest)
    if match is None:
        return None
    parts = match.group(0).split("/") if layout.bucket_type == "config" else list(match.groups())
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


def config_sort_date(key: str) -> datetime | None:
    """The date Config's page sort uses: the first ``/YYYY/M/D/`` anywhere in the key, or None without one.

    Raises ValueError for an impossible date (month 13), as building that date does in the module.
    """
    match = _CONFIG_SORT_DATE.search(key)
    if match is None:
        return None
    return datetime(int(match.group(1)), int(match.group(2)), int(match.group(3)))
