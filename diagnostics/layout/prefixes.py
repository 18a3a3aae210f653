"""Where each bucket type expects its keys, computed exactly as the module builds prefixes.

One frozen ``BucketLayout`` per configured bucket answers every "which prefix" question (base prefix for
account discovery, service prefix for regions, full prefix listed, DB ``bucket_path``, table, date formats
and the date-position rule), so discovery, the marker, classification and the walk never re-derive them.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date

from diagnostics.wazuh.wodle import Block


class Family(str, enum.Enum):
    """How the module iterates a type: per account and region under AWSLogs, or one flat prefix."""

    AWSLOGS = "awslogs"
    """``<P>AWSLogs/<S>[<org>/]<acct>/<Service>/<region>/YYYY/MM/DD/`` (cloudtrail, config, vpcflow,
    native guardduty, alb/clb/nlb)."""
    FIREHOSE = "firehose"
    """``<P>YYYY/MM/DD/HH/...`` (custom, waf, guardduty through Kinesis Firehose)."""
    UMBRELLA = "umbrella"
    """``<P>YYYY-MM-DD/...`` (cisco_umbrella)."""
    SERVER_ACCESS = "server_access"
    """``<P>YYYY-MM-DD-HH-MM-SS-<unique>`` (S3 server access logs)."""


SERVICE_FOLDERS: dict[str, str] = {
    "cloudtrail": "CloudTrail",
    "config": "Config",
    "vpcflow": "vpcflowlogs",
    "guardduty": "GuardDuty",
    "alb": "elasticloadbalancing",
    "clb": "elasticloadbalancing",
    "nlb": "elasticloadbalancing",
}
"""The exact (case-sensitive) service folder after the account id, as the module spells it."""

TABLE_FOR_TYPE: dict[str, str] = {
    "cloudtrail": "cloudtrail",
    "config": "config",
    "vpcflow": "vpcflow",
    "custom": "custom",
    "guardduty": "guardduty",
    "waf": "waf",
    "alb": "alb",
    "clb": "clb",
    "nlb": "nlb",
    "server_access": "s3_server_access",
    "cisco_umbrella": "cisco_umbrella",
}
"""Bucket type to its table in ``s3_cloudtrail.db`` (several types share one, e.g. the load balancers)."""

LOAD_BALANCER_TYPES = frozenset({"alb", "clb", "nlb"})
UMBRELLA_FOLDERS = ("dnslogs", "proxylogs", "iplogs")
"""The substrings the module looks for in an Umbrella path to pick the CSV columns (else exit 12)."""

SLASH_DATE = re.compile(r"(\d{4}/\d{2}/\d{2})")
"""The module's ``date_regex``: the first zero-padded ``YYYY/MM/DD`` in a key."""
SERVER_ACCESS_DATE = re.compile(r"(\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2})")
"""server_access's ``date_regex``: the object name's ``YYYY-MM-DD-HH-MM-SS``."""
CONFIG_DATE = re.compile(r"\d{4}/\d{1,2}/\d{1,2}")
"""Config's unpadded ``YYYY/M/D`` folders."""
ACCOUNT_FOLDER = re.compile(r"^\d{12}$")
"""The module's ``prefix_regex`` for account folders found by discovery."""
FLOW_LOG_ID = re.compile(r"_vpcflowlogs_[a-z0-9-]+_(fl-[0-9A-Za-z]+)_")
"""The flow-log id in a VPC flow log file name (``<acct>_vpcflowlogs_<region>_<fl-id>_<ts>_<hash>``)."""

_INVALID_KEY_CHARACTERS = "\\{}^%`[]'\"<>~#|"
_XML_ENTITIES = ("&apos;", "&quot;", "&amp;", "&lt;", "&gt;", "&#13;", "&#10;")


def normalize_prefix(value: str | None) -> str:
    """``path``/``path_suffix`` as the script's argparse leaves them: a ``/`` appended, a leading ``/`` kept.

    An empty or missing value stays ``""`` (the C side does not pass empty tags).
    """
    if not value:
        return ""
    return value if value.endswith("/") else value + "/"


def invalid_prefix_characters(value: str) -> tuple[str, ...]:
    """The characters or XML entities argparse rejects in ``path``/``path_suffix`` (exit 2)."""
    found = [char for char in _INVALID_KEY_CHARACTERS if char in value]
    found += [entity for entity in _XML_ENTITIES if entity in value]
    return tuple(found)


def flow_log_id_of(key: str) -> str | None:
    """The ``fl-...`` id in a VPC flow log key, or None."""
    match = FLOW_LOG_ID.search(key)
    return match.group(1) if match else None


def split_list(value: str | None) -> tuple[str, ...]:
    """A comma list as the script reads it (items stripped, empty items dropped)."""
    if not value:
        return ()
    return tuple(item.strip() for item in value.split(",") if item.strip())


REGION_FORMAT = re.compile(r"^([a-z]{2}(-gov)?)-([a-z]+)-\d$")


def configured_regions(value: str | None) -> tuple[str, ...]:
    """``regions`` as argparse leaves them: badly formatted ones dropped, duplicates removed, sorted."""
    return tuple(sorted({region for region in split_list(value) if REGION_FORMAT.match(region)}))


@dataclass(frozen=True)
class BucketLayout:
    """The prefixes, table and date rules of one configured bucket, as the module computes them."""

    bucket_type: str
    bucket: str
    path: str
    """``P``: the ``path`` option with the trailing ``/`` rule applied (a leading ``/`` is kept)."""
    path_suffix: str
    """``S``: ``path_suffix`` with the same rule; used only by the AWSLogs types."""
    organization_id: str | None
    family: Family
    native_guardduty: bool = True
    """For guardduty: True when ``<P>AWSLogs`` exists (native export), False for the Firehose layout."""

    @classmethod
    def from_block(cls, block: Block, *, native_guardduty: bool = True) -> BucketLayout:
        """The layout of a ``<bucket>`` block (type defaults to cloudtrail, as the script's ``-t``)."""
        bucket_type = (block.block_type or "cloudtrail").lower()
        return cls.build(bucket_type, block.name or "", block.value("path"), block.value("path_suffix"),
                         block.value("aws_organization_id"), native_guardduty=native_guardduty)

    @classmethod
    def build(cls, bucket_type: str, bucket: str, path: str | None = None, path_suffix: str | None = None,
              organization_id: str | None = None, *, native_guardduty: bool = True) -> BucketLayout:
        """The layout from raw option values (the module's prefix rules applied here, once)."""
        if bucket_type in ("custom", "waf") or (bucket_type == "guardduty" and not native_guardduty):
            family = Family.FIREHOSE
        elif bucket_type == "cisco_umbrella":
            family = Family.UMBRELLA
        elif bucket_type == "server_access":
            family = Family.SERVER_ACCESS
        elif bucket_type in SERVICE_FOLDERS:
            family = Family.AWSLOGS
        else:
            raise ValueError(f"unknown bucket type {bucket_type!r}")
        return cls(bucket_type, bucket, normalize_prefix(path), normalize_prefix(path_suffix),
                   organization_id or None, family, native_guardduty)

    # -- what the module keys and lists ---------------------------------------------------------
    @property
    def table(self) -> str:
        """The state table of this type."""
        return TABLE_FOR_TYPE[self.bucket_type]

    @property
    def uses_suffix_in_bucket_path(self) -> bool:
        """Only the AWSLogsBucket classes (cloudtrail, config, vpcflow) add ``S`` to ``bucket_path``."""
        return self.bucket_type in ("cloudtrail", "config", "vpcflow")

    @property
    def bucket_path(self) -> str:
        """``<bucket>/<P>`` or ``<bucket>/<P><S>``: the DB key of the bucket (a new ``path`` starts over)."""
        suffix = self.path_suffix if self.uses_suffix_in_bucket_path else ""
        return f"{self.bucket}/{self.path}{suffix}"

    @property
    def iterates_accounts(self) -> bool:
        """True when the module walks accounts and regions (AWSLogs family)."""
        return self.family is Family.AWSLOGS

    @property
    def service_folder(self) -> str | None:
        """``CloudTrail``, ``vpcflowlogs``... or None for the flat families."""
        return SERVICE_FOLDERS[self.bucket_type] if self.family is Family.AWSLOGS else None

    @property
    def base_prefix(self) -> str:
        """The prefix listed for account discovery; the flat families list ``P`` only."""
        if self.family is not Family.AWSLOGS:
            return self.path
        base = f"{self.path}AWSLogs/{self.path_suffix}"
        if self.organization_id and self.bucket_type not in LOAD_BALANCER_TYPES:
            base += f"{self.organization_id}/"
        return base

    def service_prefix(self, account: str) -> str:
        """``<base><acct>/<Service>/``: listed for region discovery."""
        return f"{self.base_prefix}{account}/{self.service_folder}/"

    def full_prefix(self, account: str | None = None, region: str | None = None) -> str:
        """The ``Prefix`` of each ``ListObjectsV2`` the module makes for a scope."""
        if self.family is not Family.AWSLOGS:
            return self.path
        if account is None or region is None:
            raise ValueError("the AWSLogs types need an account and a region for their full prefix")
        return f"{self.service_prefix(account)}{region}/"

    # -- dates ------------------------------------------------------------------------------------
    @property
    def date_format(self) -> str:
        """``strftime`` of the date the module appends to the full prefix for a date marker."""
        if self.family in (Family.UMBRELLA, Family.SERVER_ACCESS):
            return "%Y-%m-%d"
        return "%Y/%m/%d"

    def date_folder(self, day: date) -> str:
        """The date part of a key for ``day`` (Config unpadded, Umbrella and server access with dashes)."""
        if self.bucket_type == "config":
            return f"{day.year}/{day.month}/{day.day}"
        return day.strftime(self.date_format)

    def day_prefix(self, day: date, account: str | None = None, region: str | None = None) -> str:
        """The listing prefix holding one day's keys (``.../YYYY/MM/DD/``; server access: ``P`` + date)."""
        folder = self.date_folder(day)
        separator = "-" if self.family is Family.SERVER_ACCESS else "/"
        return f"{self.full_prefix(account, region)}{folder}{separator}"

    @property
    def date_position_pattern(self) -> re.Pattern[str] | None:
        """The date that must start right after the full prefix (``check_prefix``), or None when unchecked.

        custom/waf/Firehose guardduty and, because they derive from AWSCustomBucket, native guardduty and
        the load balancers use ``YYYY/MM/DD``; server_access its dashed timestamp; the others none.
        """
        if self.family is Family.SERVER_ACCESS:
            return SERVER_ACCESS_DATE
        if self.family is Family.FIREHOSE or self.bucket_type in ("guardduty", *LOAD_BALANCER_TYPES):
            return SLASH_DATE
        return None

    @property
    def marker_delimiter(self) -> str:
        """server_access replaces every ``/`` after the prefix in its marker with ``-``."""
        return "-" if self.family is Family.SERVER_ACCESS else ""

    @property
    def custom_family(self) -> bool:
        """Types whose state is keyed by the caller identity's account (AWSCustomBucket subclasses)."""
        return self.bucket_type not in ("cloudtrail", "config", "vpcflow")

    def describe(self) -> str:
        """One line: where the module looks for this bucket's keys."""
        if self.family is Family.AWSLOGS:
            return (f"s3://{self.bucket}/{self.base_prefix}<account>/{self.service_folder}/<region>/"
                    f"YYYY/{'M/D' if self.bucket_type == 'config' else 'MM/DD'}/")
        shapes = {Family.FIREHOSE: "YYYY/MM/DD/HH/", Family.UMBRELLA: "YYYY-MM-DD/",
                  Family.SERVER_ACCESS: "YYYY-MM-DD-HH-MM-SS-<unique>"}
        return f"s3://{self.bucket}/{self.path}{shapes[self.family]}"
