"""Infer the layout from real keys and propose the block that would read them (wrong type, path or prefix).

Where ``AWSLogs/`` and the 12-digit account sit, the service folder, an organization id, a Firehose date
or an Umbrella/server-access name say which ``type``, ``path``, ``path_suffix`` and
``aws_organization_id`` the module needs; comparing that with the block names the exact tag to change.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from diagnostics.layout.listing import list_level
from diagnostics.layout.prefixes import (
    ACCOUNT_FOLDER,
    LOAD_BALANCER_TYPES,
    SERVICE_FOLDERS,
    UMBRELLA_FOLDERS,
    BucketLayout,
)

ORGANIZATION_FOLDER = re.compile(r"^o-[a-z0-9]{10,32}$")
FIREHOSE_DATE = re.compile(r"(?:^|/)(\d{4}/\d{2}/\d{2}/\d{2})/")
SERVER_ACCESS_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9A-Za-z]{16}$")
UMBRELLA_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PARTITIONED_ACCESS = re.compile(r"(?:^|/)\d{12}/[a-z]{2}(?:-gov)?-[a-z]+-\d/[^/]+/\d{4}/\d{2}/\d{2}/$")
SERVICE_TYPES = {"CloudTrail": "cloudtrail", "Config": "config", "vpcflowlogs": "vpcflow",
                 "GuardDuty": "guardduty", "elasticloadbalancing": "alb"}
UNREAD_SERVICE_FOLDERS = ("CloudTrail-Digest", "CloudTrail-Insight")


@dataclass(frozen=True)
class InferredLayout:
    """What one key (or a group of alike keys) says about the bucket's layout."""

    bucket_type: str
    path: str
    """``P`` with its trailing slash, as the module would use it."""
    path_suffix: str = ""
    organization_id: str | None = None
    account: str | None = None
    region: str | None = None
    candidates: tuple[str, ...] = ()
    """Other types that read the same layout (Firehose: custom, waf, guardduty through Kinesis)."""
    notes: tuple[str, ...] = ()
    example: str = ""
    count: int = 1

    @property
    def signature(self) -> tuple[str, str, str, str | None]:
        """What must agree for two keys to need the same block."""
        return self.bucket_type, self.path, self.path_suffix, self.organization_id


def _lb_type(name: str) -> str:
    """ALB files carry ``app.``, NLB files ``net.``; classic load balancer files carry neither."""
    parts = name.split("_")
    kind = parts[3] if len(parts) > 3 else ""
    if kind.startswith("app."):
        return "alb"
    if kind.startswith("net."):
        return "nlb"
    return "clb"


def infer_from_key(key: str) -> InferredLayout | None:
    """The layout one key belongs to, or None when no supported layout matches."""
    parts = key.split("/")
    name = parts[-1]
    if "AWSLogs" in parts[:-1]:
        found = _infer_awslogs(parts, key)
        if found is not None:
            return found
    for index, part in enumerate(parts[:-1]):
        if part in UMBRELLA_FOLDERS and index + 1 < len(parts) - 1 and UMBRELLA_DATE.match(parts[index + 1]):
            return InferredLayout("cisco_umbrella", "/".join(parts[:index + 1]) + "/", example=key)
    if SERVER_ACCESS_NAME.match(name):
        folder = "/".join(parts[:-1]) + "/" if len(parts) > 1 else ""
        notes: tuple[str, ...] = ()
        if PARTITIONED_ACCESS.search(folder):
            notes = ("date-partitioned server access logs (<account>/<region>/<bucket>/YYYY/MM/DD/): the "
                     "module needs the object name right after its path, so it reads none of them; switch "
                     "the bucket's log object key format to the simple prefix format",)
        return InferredLayout("server_access", folder, example=key, notes=notes)
    match = FIREHOSE_DATE.search(key)
    if match is not None:
        start = match.start(1)
        kind = "waf" if name.startswith("aws-waf-logs-") else "custom"
        return InferredLayout(kind, key[:start], example=key,
                              candidates=("custom", "waf", "guardduty") if kind == "custom" else ("waf",))
    return None


def _infer_awslogs(parts: list[str], key: str) -> InferredLayout | None:
    index = parts.index("AWSLogs")
    path = "/".join(parts[:index]) + "/" if index else ""
    between: list[str] = []
    for position in range(index + 1, len(parts) - 2):
        folder = parts[position]
        service = parts[position + 1]
        if ACCOUNT_FOLDER.match(folder) and (service in SERVICE_TYPES or service in UNREAD_SERVICE_FOLDERS):
            organization = next((item for item in between if ORGANIZATION_FOLDER.match(item)), None)
            suffix_parts = [item for item in between if item != organization]
            region = parts[position + 2] if position + 2 < len(parts) - 1 else None
            if service in UNREAD_SERVICE_FOLDERS:
                suffix = "/".join(suffix_parts) + "/" if suffix_parts else ""
                return InferredLayout("cloudtrail", path, suffix, organization, folder, region, example=key,
                                      notes=(f"{service} files are not logs the module reads",))
            bucket_type = SERVICE_TYPES[service]
            if bucket_type == "alb":
                bucket_type = _lb_type(parts[-1])
            if bucket_type in LOAD_BALANCER_TYPES and organization is not None:
                # The load balancers have no organization level: it must go into path_suffix.
                suffix_parts, organization = between, None
            return InferredLayout(bucket_type, path, "/".join(suffix_parts) + "/" if suffix_parts else "",
                                  organization, folder, region, example=key)
        between.append(folder)
    return None


def infer_layout(keys: Iterable[str]) -> tuple[InferredLayout, ...]:
    """Group keys by the block they need, most common first (keys of no known layout are left out)."""
    groups: dict[tuple[str, str, str, str | None], list[InferredLayout]] = {}
    for key in keys:
        if key.endswith("/"):
            continue
        found = infer_from_key(key)
        if found is not None:
            groups.setdefault(found.signature, []).append(found)
    result = []
    for members in groups.values():
        first = members[0]
        regions = Counter(member.region for member in members if member.region)
        notes = tuple(dict.fromkeys(note for member in members for note in member.notes))
        # A key inside a region folder is one the module reads; a service marker file beside the region
        # folders (ConfigWritabilityCheckFile) is never listed, so it must not be shown as the example.
        example = next((member.example for member in members if member.region), first.example)
        result.append(InferredLayout(first.bucket_type, first.path, first.path_suffix, first.organization_id,
                                     first.account, regions.most_common(1)[0][0] if regions else None,
                                     first.candidates, notes, example, len(members)))
    return tuple(sorted(result, key=lambda layout: -layout.count))


@dataclass(frozen=True)
class LayoutMismatch:
    """One option that disagrees with what the keys need."""

    option: str
    """``type``, ``path``, ``path_suffix`` or ``aws_organization_id``."""
    configured: str
    proposed: str


def compare_with_block(layout: BucketLayout, inferred: InferredLayout) -> tuple[LayoutMismatch, ...]:
    """The options to change so the module reads the inferred keys (empty when the block already fits)."""
    mismatches = []
    types = {inferred.bucket_type, *inferred.candidates}
    if layout.bucket_type not in types:
        mismatches.append(LayoutMismatch("type", layout.bucket_type, inferred.bucket_type))
    if layout.path != inferred.path:
        mismatches.append(LayoutMismatch("path", layout.path.rstrip("/"), inferred.path.rstrip("/")))
    if inferred.bucket_type in SERVICE_FOLDERS:
        if layout.path_suffix != inferred.path_suffix:
            mismatches.append(LayoutMismatch("path_suffix", layout.path_suffix.rstrip("/"),
                                             inferred.path_suffix.rstrip("/")))
        if (layout.organization_id or None) != inferred.organization_id:
            mismatches.append(LayoutMismatch("aws_organization_id", layout.organization_id or "",
                                             inferred.organization_id or ""))
    return tuple(mismatches)


def proposed_block(bucket: str, inferred: InferredLayout) -> tuple[str, ...]:
    """The ``<bucket>`` lines that would read the inferred keys (the module appends the ``/`` itself)."""
    lines = [f'<bucket type="{inferred.bucket_type}">', f"  <name>{bucket}</name>"]
    if inferred.path:
        lines.append(f"  <path>{inferred.path.rstrip('/')}</path>")
    if inferred.path_suffix:
        lines.append(f"  <path_suffix>{inferred.path_suffix.rstrip('/')}</path_suffix>")
    if inferred.organization_id:
        lines.append(f"  <aws_organization_id>{inferred.organization_id}</aws_organization_id>")
    lines.append("</bucket>")
    return tuple(lines)


@dataclass(frozen=True)
class KeySample:
    """Keys found by a bounded descent, and what it cost."""

    keys: tuple[str, ...]
    requests_made: int
    exhausted: bool
    """True when the descent stopped on its request budget."""


def _folder_rank(folder: str) -> int:
    name = folder.rstrip("/").split("/")[-1]
    if name == "AWSLogs":
        return 0
    if ACCOUNT_FOLDER.match(name) or ORGANIZATION_FOLDER.match(name):
        return 1
    if name in SERVICE_TYPES or name in UMBRELLA_FOLDERS:
        return 2
    if name in UNREAD_SERVICE_FOLDERS:
        return 9
    return 5


def sample_keys(client: Any, bucket: str, start_prefix: str = "", *, max_requests: int = 15, want: int = 40,
                breadth: int = 2, cancel: threading.Event | None = None) -> KeySample:
    """A few real keys under ``start_prefix``: one level at a time, preferring AWSLogs, account and service
    folders and otherwise the newest (last) folders, within a request budget."""
    stack = [start_prefix]
    keys: list[str] = []
    requests = 0
    while stack and requests < max_requests and len(keys) < want:
        if cancel is not None and cancel.is_set():
            break
        level = list_level(client, bucket, stack.pop(), cancel=cancel)
        requests += level.requests_made
        keys.extend(obj.key for obj in level.objects[-want:])
        ranked = sorted(enumerate(level.folders), key=lambda item: (_folder_rank(item[1]), -item[0]))
        chosen = [folder for _, folder in ranked[:breadth]]
        stack.extend(reversed(chosen))
    return KeySample(tuple(keys[:want]), requests, bool(stack) and requests >= max_requests)
