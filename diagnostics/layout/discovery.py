"""Accounts, regions, GuardDuty's layout, check_bucket and VPC flow-log ids, found as the module finds them.

Each function makes the same requests as the module (same prefix, delimiter and page limits), so what it
reports (exit 18 when the base prefix has no folders, the first account's regions reused for the others,
only the first page of accounts) is what the module will do, not what a thorough crawl would find.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from diagnostics.layout.listing import ListingError, client_error_parts, list_objects_page
from diagnostics.layout.prefixes import ACCOUNT_FOLDER, BucketLayout, Family, flow_log_id_of

THROTTLING = "ThrottlingException"
RETRY_URL = ("https://documentation.wazuh.com/current/amazon/services/prerequisites/considerations.html"
             "#Connection-configuration-for-retries")


def throttling_message(operation: str) -> str:
    """The module's throttling text for a named request (exit 16)."""
    return (f"The '{operation}' request was denied due to request throttling. If the problem persists check "
            f"the following link to learn how to use the Retry configuration to avoid it: '{RETRY_URL}'")


def _last_part(prefix: str) -> str:
    """The module's ``Prefix.split('/')[-2]``: the folder name of a common prefix."""
    parts = prefix.split("/")
    return parts[-2] if len(parts) >= 2 else ""


@dataclass(frozen=True)
class AccountDiscovery:
    """Result of listing the base prefix with ``Delimiter='/'`` (first page only, as the module)."""

    base_prefix: str
    accounts: tuple[str, ...]
    """Folders named with exactly 12 digits, in listing order."""
    folders: tuple[str, ...]
    """Every folder name found (to show what was there instead)."""
    found_folders: bool
    """False means the module exits 18 (``No logs found in '<base_prefix>'...``)."""
    first_page_truncated: bool
    """True when more folders exist after the first page: the module never sees them."""
    requests_made: int = 1


@dataclass(frozen=True)
class AccountPlan:
    """One account of the module's loop and the regions it walks there."""

    account: str
    regions: tuple[str, ...]
    """Regions the module walks for this account (configured, discovered, or reused)."""
    regions_found: tuple[str, ...] | None = None
    """This account's own region folders, when they were listed (to show what reuse hides)."""
    reused_from: str | None = None
    """The account whose discovered regions were reused (the module's quirk)."""

    @property
    def skipped(self) -> bool:
        """True when the module skips the account (``+++ No regions found for AWS Account``)."""
        return not self.regions

    @property
    def regions_never_walked(self) -> tuple[str, ...]:
        """Region folders this account has that the module does not walk because of reuse."""
        if self.regions_found is None:
            return ()
        return tuple(region for region in self.regions_found if region not in self.regions)


@dataclass(frozen=True)
class ModulePlan:
    """The accounts and regions the module iterates for an AWSLogs bucket, and how it stops."""

    accounts: tuple[AccountPlan, ...] = ()
    discovery: AccountDiscovery | None = None
    configured_accounts: tuple[str, ...] = ()
    configured_regions: tuple[str, ...] = ()
    debug_lines: tuple[tuple[int, str], ...] = ()
    exit_code: int | None = None
    exit_message: str | None = None
    exit_debug_only: bool = False
    requests_made: int = 0
    error_code: str | None = None

    def regions_by_account(self) -> dict[str, tuple[str, ...]]:
        """Account -> walked regions (the classifier's plan)."""
        return {plan.account: plan.regions for plan in self.accounts}


def discover_accounts(client: Any, layout: BucketLayout) -> AccountDiscovery:
    """``ListObjectsV2(Prefix=<base>, Delimiter='/')``, one page: the 12-digit folders are the accounts."""
    response = list_objects_page(client, {"Bucket": layout.bucket, "Prefix": layout.base_prefix,
                                          "Delimiter": "/"})
    common = response.get("CommonPrefixes")
    folders = tuple(_last_part(str(entry["Prefix"])) for entry in common or [])
    accounts = tuple(name for name in folders if ACCOUNT_FOLDER.match(name))
    return AccountDiscovery(layout.base_prefix, accounts, folders, common is not None,
                            bool(response.get("IsTruncated")))


def discover_regions(client: Any, layout: BucketLayout, account: str) -> tuple[str, ...]:
    """``ListObjectsV2(Prefix=<base><acct>/<Service>/, Delimiter='/')``, one page: the region folders."""
    response = list_objects_page(client, {"Bucket": layout.bucket, "Prefix": layout.service_prefix(account),
                                          "Delimiter": "/"})
    return tuple(_last_part(str(entry["Prefix"])) for entry in response.get("CommonPrefixes", []) or [])


def no_logs_found_message(layout: BucketLayout) -> str:
    """The module's text for exit 18 (no key under the expected prefix)."""
    return (f"No logs found in '{layout.base_prefix}'. Check the provided prefix and the location of the "
            f"logs for the bucket type '{layout.bucket_type}'")


def plan_accounts_and_regions(client: Any, layout: BucketLayout, configured_accounts: Sequence[str] = (),
                              configured_regions: Sequence[str] = (), *,
                              list_own_regions: bool = False) -> ModulePlan:
    """The module's account/region loop: discovery when not configured, with the region-reuse quirk.

    With ``list_own_regions`` each later account's own region folders are listed too (extra requests the
    module does not make), so the plan can say which regions the reuse hides.
    """
    requests = 0
    lines: list[tuple[int, str]] = []
    discovery: AccountDiscovery | None = None
    accounts = tuple(configured_accounts)
    try:
        if not accounts:
            discovery = discover_accounts(client, layout)
            requests += 1
            if not discovery.found_folders:
                return ModulePlan(discovery=discovery, configured_regions=tuple(configured_regions),
                                  exit_code=18, exit_message=no_logs_found_message(layout),
                                  requests_made=requests)
            accounts = discovery.accounts
        plans: list[AccountPlan] = []
        regions: tuple[str, ...] = tuple(configured_regions)
        found_by: str | None = None
        for account in accounts:
            own: tuple[str, ...] | None = None
            reused_from: str | None = None
            if not regions:
                regions = discover_regions(client, layout, account)
                requests += 1
                own, found_by = regions, account
                if not regions:
                    lines.append((1, f"+++ No regions found for AWS Account {account}"))
                    plans.append(AccountPlan(account, (), own))
                    continue
            elif not configured_regions:
                reused_from = found_by
                if list_own_regions:
                    own = discover_regions(client, layout, account)
                    requests += 1
            for region in regions:
                lines.append((1, f"+++ Working on {account} - {region}"))
            plans.append(AccountPlan(account, regions, own, reused_from))
    except ListingError as error:
        operation = "find_account_ids" if discovery is None and not configured_accounts else "find_regions"
        if error.code == THROTTLING:
            return ModulePlan(discovery=discovery, exit_code=16, error_code=error.code,
                              requests_made=requests, exit_message=f"ERROR: {throttling_message(operation)}.",
                              exit_debug_only=True)
        return ModulePlan(discovery=discovery, exit_code=1, error_code=error.code, requests_made=requests,
                          exit_message=f'ERROR: The "find_account_ids" request failed: {error}',
                          exit_debug_only=True)
    return ModulePlan(tuple(plans), discovery, tuple(configured_accounts), tuple(configured_regions),
                      tuple(lines), requests_made=requests)


def guardduty_is_native(client: Any, bucket: str, path: str) -> bool:
    """The module's GuardDuty test: ``ListObjectsV2(Prefix=<P>AWSLogs, Delimiter='/', MaxKeys=1)`` has
    folders (native export) or not (Kinesis Firehose)."""
    response = list_objects_page(client, {"Bucket": bucket, "Prefix": f"{path}AWSLogs", "Delimiter": "/",
                                          "MaxKeys": 1})
    return "CommonPrefixes" in response


@dataclass(frozen=True)
class CheckBucketResult:
    """``check_bucket``: pages of ``ListObjectsV2(Prefix=P, Delimiter='/')`` until one has folders."""

    found: bool
    """False means exit 14 (``No files were found in '<bucket_path>'. No logs will be processed.``)."""
    requests_made: int
    pages_capped: bool = False
    """True when we stopped paging before the module would (the verdict is then unknown)."""


def module_check_bucket(client: Any, layout: BucketLayout, *, max_pages: int = 20) -> CheckBucketResult:
    """The module's first request; server_access accepts objects too and reads one page only."""
    args: dict[str, Any] = {"Bucket": layout.bucket, "Prefix": layout.path, "Delimiter": "/"}
    if layout.family is Family.SERVER_ACCESS:
        response = list_objects_page(client, args)
        return CheckBucketResult("CommonPrefixes" in response or "Contents" in response, 1)
    for page in range(1, max_pages + 1):
        response = list_objects_page(client, args)
        if response.get("CommonPrefixes"):
            return CheckBucketResult(True, page)
        if not response.get("IsTruncated"):
            return CheckBucketResult(False, page)
        args["ContinuationToken"] = response["NextContinuationToken"]
    return CheckBucketResult(False, max_pages, pages_capped=True)


# -- VPC flow logs ------------------------------------------------------------------------------------
def describe_flow_log_ids(ec2_client: Any) -> tuple[str, ...]:
    """``DescribeFlowLogs()`` once, unpaginated, as the module calls it (its ClientError is exit 12)."""
    response = ec2_client.describe_flow_logs()
    return tuple(str(entry["FlowLogId"]) for entry in response.get("FlowLogs", []))


def describe_error_text(error: BaseException) -> str:
    """The text the module's catch-all prints for a failed DescribeFlowLogs."""
    code, message = client_error_parts(error)
    return f"An error occurred ({code}) when calling the DescribeFlowLogs operation: {message}" if code \
        else str(error)


@dataclass(frozen=True)
class FlowLogDiff:
    """Flow-log ids seen in keys against the ids ``DescribeFlowLogs`` returns in one region."""

    region: str
    in_keys: tuple[str, ...]
    described: tuple[str, ...]
    never_read: tuple[str, ...] = field(default=())
    """In the keys but not described: the module silently ignores these files."""
    without_keys: tuple[str, ...] = field(default=())
    """Described but with no key seen (yet, or delivered elsewhere)."""


def diff_flow_logs(region: str, keys: Iterable[str], described: Collection[str]) -> FlowLogDiff:
    """Compare the ids in ``keys`` with the described ids (the module's filter is ``id in key``)."""
    in_keys = sorted({flow_id for flow_id in (flow_log_id_of(key) for key in keys) if flow_id})
    described_sorted = tuple(sorted(described))
    never = tuple(flow_id for flow_id in in_keys if not any(known in flow_id for known in described))
    without = tuple(known for known in described_sorted if not any(known in flow_id for flow_id in in_keys))
    return FlowLogDiff(region, tuple(in_keys), described_sorted, never, without)
