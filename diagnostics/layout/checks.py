"""Layout findings for one bucket block: prefixes, discovery, what the keys need, markers, state, volume.

Every finding is built from the explanations table and predicts, for the first failure only, the exit code
and ossec.log lines of the detected version (through ``Predictor``). The checks list S3 read-only with
small request budgets and read the state database read-only; listing errors stop them with a skipped
finding, since the access checks own those errors.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Mapping
from datetime import date, timezone
from typing import Any

from diagnostics.aws.prediction import Predictor
from diagnostics.context import DoctorContext
from diagnostics.findings import Finding, SourceLocation
from diagnostics.layout.classify import KeyClassifier, KeyScope
from diagnostics.layout.discovery import (
    ModulePlan,
    describe_flow_log_ids,
    diff_flow_logs,
    guardduty_is_native,
    plan_accounts_and_regions,
)
from diagnostics.layout.inference import compare_with_block, infer_layout, proposed_block, sample_keys
from diagnostics.layout.listing import ListingError, iter_objects
from diagnostics.layout.marker import key_date, parse_only_logs_after
from diagnostics.layout.marker_checks import MarkerChecks
from diagnostics.layout.prefixes import (
    TABLE_FOR_TYPE,
    UMBRELLA_FOLDERS,
    BucketLayout,
    Family,
    configured_regions,
    split_list,
)
from diagnostics.layout.volume import estimate_values, estimate_volume, parse_interval
from diagnostics.wazuh.state_db import DbHealth, StateReader
from diagnostics.wazuh.wodle import Block

MAX_SCOPES = 8
STATE_FAILURES = {DbHealth.LOCKED: "host.state_db_locked", DbHealth.UNREADABLE: "host.state_db_unreadable"}
"""Unusable-database cases explained by the host table; corrupt and foreign files by layout.state_damaged."""


class _LayoutChecks(MarkerChecks):
    """One block's checks; holds the shared objects so each step stays short."""

    def __init__(self, client: Any, block: Block, context: DoctorContext, reader: StateReader,
                 caller_account: str | None, ec2_client_for: Callable[[str], Any] | None,
                 cancel: threading.Event | None) -> None:
        self.client = client
        self.block = block
        self.context = context
        self.reader = reader
        self.caller_account = caller_account
        self.ec2_client_for = ec2_client_for
        self.cancel = cancel
        self.predictor = Predictor(block, context)
        self.findings: list[Finding] = []
        self.today = context.clock().astimezone(timezone.utc).date()
        try:
            self.only_logs_after = parse_only_logs_after(block.value("only_logs_after"))
        except ValueError:
            self.only_logs_after = None  # the configuration checks report the bad date (exit 2)
        self.layout: BucketLayout | None = None
        self.state_usable = True

    def add(self, failure_id: str, check_id: str, evidence: tuple[str, ...] = (), *,
            location: SourceLocation | None = None, details: dict[str, Any] | None = None,
            **values: Any) -> Finding:
        """Append a table finding for this block (location defaults to the <path> line)."""
        base = {"bucket": self.block.name, "bucket_type": self.layout.bucket_type if self.layout else "",
                "version": self.context.profile.label}
        finding = self.predictor.finding(failure_id, check_id=check_id, evidence=evidence,
                                         values={**base, **values}, details=details,
                                         location=location or self.block.line_of("path"))
        self.findings.append(finding)
        return finding

    # -- steps ------------------------------------------------------------------------------------------
    def build_layout(self) -> BucketLayout | None:
        """The layout (GuardDuty's depends on a listing), with the Firehose GuardDuty findings."""
        bucket_type = (self.block.block_type or "cloudtrail").lower()
        native = True
        if bucket_type == "guardduty":
            path = BucketLayout.build("custom", self.block.name or "", self.block.value("path")).path
            native = guardduty_is_native(self.client, self.block.name or "", path)
        self.layout = BucketLayout.from_block(self.block, native_guardduty=native)
        layout = self.layout
        self.add("layout.prefixes", "layout.prefixes", where=layout.describe(), path=layout.path,
                 path_suffix=layout.path_suffix, table=layout.table, bucket_path=layout.bucket_path)
        if layout.path.startswith("/"):
            self.add("layout.leading_slash", "layout.prefixes", path=layout.path,
                     suggested=layout.path.strip("/"))
        if bucket_type == "guardduty" and not native:
            supported = self.context.profile.guardduty_firehose_supported
            failure = ("layout.guardduty_firehose_deprecated" if supported
                       else "layout.guardduty_firehose_unsupported")
            self.add(failure, "layout.guardduty_type", path=layout.path)
        if layout.family is Family.UMBRELLA and not any(word in layout.path for word in UMBRELLA_FOLDERS):
            self.add("layout.umbrella_path", "layout.prefixes")
        return layout

    def state(self, layout: BucketLayout) -> None:
        """Health of the state DB and the rows of this bucket."""
        health = self.reader.health()
        values: dict[str, Any] = {"state_db": str(self.reader.path), "error": health.detail,
                                  "health": health.health.value}
        if health.health is DbHealth.MISSING:
            self.add("layout.state_missing", "layout.state", **values)
            return
        if not health.health.usable:
            self.state_usable = False
            failure = STATE_FAILURES.get(health.health, "layout.state_damaged")
            self.add(failure, "layout.state", **values)
            return
        summaries = self.reader.scope_summaries(layout.table, layout.bucket_path)
        last_keys = "; ".join(f"{_scope_text(summary.scope)}: {summary.last_key}"
                              for summary in summaries[:4])
        self.add("layout.state_ok", "layout.state", rows=sum(summary.rows for summary in summaries),
                 scopes=len(summaries), version=health.version or "unknown", last_keys=last_keys or "none",
                 **values, bucket_path=layout.bucket_path)
        for summary in summaries:
            if summary.over_retention:
                self.add("layout.state_over_retention", "layout.state", scope=_scope_text(summary.scope),
                         rows=summary.rows, retention=summary.retention)

    def inference(self, layout: BucketLayout) -> None:
        """Sample real keys and compare the layout they need with the block."""
        own = layout.base_prefix if layout.family is Family.AWSLOGS else layout.path
        sample = sample_keys(self.client, layout.bucket, own, cancel=self.cancel)
        requests = sample.requests_made
        groups = infer_layout(sample.keys)
        if own != layout.path and not any(not compare_with_block(layout, group) for group in groups):
            # The block's own prefix (path_suffix, organization) holds nothing it reads: look at the path.
            beside = sample_keys(self.client, layout.bucket, layout.path, cancel=self.cancel)
            requests += beside.requests_made
            groups = infer_layout(sample.keys + beside.keys) or groups
            sample = beside if not sample.keys else sample
        if layout.path and not any(not compare_with_block(layout, group) for group in groups):
            wider = sample_keys(self.client, layout.bucket, "", cancel=self.cancel)
            requests += wider.requests_made
            groups = infer_layout(sample.keys + wider.keys) or groups
            sample = wider if not sample.keys else sample
        evidence = (f"{requests} ListObjectsV2 request(s) with Delimiter='/' to sample keys",)
        if not groups:
            if sample.keys:
                self.add("layout.unknown_layout", "layout.inference", evidence, example=sample.keys[0])
            else:
                self.add("layout.no_keys", "layout.inference", evidence, prefix=layout.path,
                         requests=requests)
            return
        matching = [group for group in groups if not compare_with_block(layout, group)]
        for group in groups:
            if group.bucket_type == "server_access" and group.notes:
                self.add("layout.server_access_partitioned", "layout.inference", evidence,
                         example=group.example)
        if matching:
            self.add("layout.matches_keys", "layout.inference", evidence, example=matching[0].example,
                     path=layout.path)
            return
        best = groups[0]
        mismatches = compare_with_block(layout, best)
        changes = ", ".join((f"{m.option} '{m.proposed}'" if m.proposed else f"no {m.option}")
                            + f" (configured: '{m.configured}')" for m in mismatches)
        self.add("layout.block_mismatch", "layout.inference", evidence, changes=changes, example=best.example,
                 inferred_type=best.bucket_type, notes=" ".join(best.notes),
                 proposal="\n".join(proposed_block(layout.bucket, best)))

    def plan(self, layout: BucketLayout) -> ModulePlan | None:
        """Accounts and regions, with exit 18, folder and region-reuse findings."""
        plan = plan_accounts_and_regions(self.client, layout, split_list(self.block.value("aws_account_id")),
                                         configured_regions(self.block.value("regions")),
                                         list_own_regions=True)
        evidence = (f"{plan.requests_made} ListObjectsV2 request(s) with Delimiter='/' under "
                    f"'{layout.base_prefix}'",)
        discovery = plan.discovery
        if plan.exit_code == 18:
            self.add("layout.no_logs_found", "layout.discovery", evidence, base_prefix=layout.base_prefix,
                     seen="", proposal="")
            return None
        if plan.exit_code is not None:
            self.add("layout.check_incomplete", "layout.discovery", evidence, error=plan.exit_message or "")
            return None
        if discovery is not None and discovery.found_folders and not discovery.accounts:
            self.add("layout.no_account_folders", "layout.discovery", evidence,
                     base_prefix=layout.base_prefix,
                     folders=", ".join(discovery.folders[:5]), proposal="")
        if discovery is not None and discovery.first_page_truncated:
            self.add("layout.accounts_truncated", "layout.discovery", evidence,
                     base_prefix=layout.base_prefix)
        walked = [account for account in plan.accounts if not account.skipped]
        if walked:
            source = "from <aws_account_id>" if plan.configured_accounts else "discovered"
            regions = "; ".join(f"{account.account}: {', '.join(account.regions)}" for account in walked)
            self.add("layout.accounts_found", "layout.discovery", evidence,
                     accounts=", ".join(account.account for account in walked), source=source.capitalize(),
                     regions=regions)
        for account in plan.accounts:
            if account.skipped:
                self.add("layout.no_regions", "layout.discovery", evidence, account=account.account,
                         service_prefix=layout.service_prefix(account.account))
            elif account.regions_never_walked:
                every = sorted({*account.regions, *account.regions_never_walked})
                self.add("layout.regions_reused", "layout.discovery", evidence, account=account.account,
                         reused_from=account.reused_from, missing=", ".join(account.regions_never_walked),
                         all_regions=",".join(every))
        return plan

    def scopes(self, layout: BucketLayout, plan: ModulePlan | None,
               classifier: KeyClassifier) -> list[KeyScope]:
        """The listing scopes (flow-log ids per region when DescribeFlowLogs can be asked)."""
        if layout.family is not Family.AWSLOGS:
            return [KeyScope(self.caller_account, None, None, layout.path)]
        scopes: list[KeyScope] = []
        for account in plan.accounts if plan else ():
            for region in account.regions:
                prefix = layout.full_prefix(account.account, region)
                described = classifier.described(region) if layout.bucket_type == "vpcflow" else None
                for flow_log_id in described or (None,):
                    scopes.append(KeyScope(account.account, region, flow_log_id, prefix))
        return scopes[:MAX_SCOPES]

    def flow_logs(self, layout: BucketLayout, plan: ModulePlan | None, classifier: KeyClassifier) -> None:
        """Flow-log ids in the keys that DescribeFlowLogs does not return (never read, silently)."""
        for account in plan.accounts if plan else ():
            for region in account.regions:
                described = classifier.described(region)
                if described is None:
                    continue
                keys = [listed.key for listed, _ in iter_objects(
                    self.client, layout.bucket, layout.day_prefix(self.today, account.account, region),
                    max_pages=1, cancel=self.cancel)]
                diff = diff_flow_logs(region, keys, described)
                if diff.never_read:
                    self.add("layout.unknown_flow_logs", "layout.flow_logs", ids=", ".join(diff.never_read),
                             region=region, described=", ".join(diff.described) or "none")

    def volume(self, layout: BucketLayout, plan: ModulePlan | None, interval_seconds: int | None,
               start: date) -> None:
        """Objects and bytes per day, and the projected run time against the interval."""
        pairs: list[tuple[str | None, str | None]] = [(None, None)]
        if layout.family is Family.AWSLOGS:
            pairs = []
            for account in plan.accounts if plan else ():
                pairs.extend((account.account, region) for region in account.regions)
            pairs = pairs[:4]
        if not pairs:
            return
        estimate = estimate_volume(self.client, layout, min(start, self.today), self.today, scopes=pairs,
                                   interval_seconds=interval_seconds, cancel=self.cancel)
        values = estimate_values(estimate)
        self.add("layout.volume", "layout.volume", where=layout.describe(), **values)
        if estimate.overtakes_interval:
            self.add("layout.interval_overtaken", "layout.volume", **values)

def _scope_text(scope: Mapping[str, str]) -> str:
    return "/".join(value for key, value in dict(scope).items() if key != "bucket_path")


def check_layout(client: Any, block: Block, context: DoctorContext, state: StateReader | None = None, *,
                 caller_account: str | None = None, ec2_client_for: Callable[[str], Any] | None = None,
                 sample: bool = True, include_volume: bool = False, interval: str | None = None,
                 cancel: threading.Event | None = None) -> tuple[Finding, ...]:
    """The layout findings of one ``<bucket>`` block (read-only S3 listings and state reads).

    ``caller_account`` is the base credentials' account (the custom family's state key);
    ``ec2_client_for(region)`` returns an EC2 client to ask DescribeFlowLogs (vpcflow); ``interval`` is
    the wodle's ``<interval>`` text for the volume projection (only with ``include_volume``).
    """
    bucket_type = block.block_type or "cloudtrail"
    if block.kind != "bucket" or not block.name or bucket_type not in TABLE_FOR_TYPE:
        return ()
    reader = state or StateReader(context.state_db_path)
    checks = _LayoutChecks(client, block, context, reader, caller_account, ec2_client_for, cancel)
    try:
        layout = checks.build_layout()
        if layout is None:
            return tuple(checks.findings)
        checks.state(layout)
        if sample:
            checks.inference(layout)
        plan = checks.plan(layout) if layout.family is Family.AWSLOGS else None
        if layout.family is Family.AWSLOGS and plan is None:
            return tuple(checks.findings)
        flow_ids: Callable[[str], Collection[str]] | None = None
        if layout.bucket_type == "vpcflow" and ec2_client_for is not None:
            make_ec2 = ec2_client_for
            flow_ids = lambda region: describe_flow_log_ids(make_ec2(region))  # noqa: E731
        classifier = KeyClassifier(layout, profile=context.profile, today=checks.today,
                                   state=checks.reader if checks.state_usable else None,
                                   only_logs_after=checks.only_logs_after, caller_account=caller_account,
                                   plan=plan.regions_by_account() if plan else None, flow_log_ids=flow_ids)
        start = checks.today
        for scope in checks.scopes(layout, plan, classifier):
            checks.marker_findings(layout, scope, classifier)
            start = min(start, key_date(layout, classifier.marker_for(scope).value, scope.prefix) or start)
        if layout.bucket_type == "vpcflow":
            checks.flow_logs(layout, plan, classifier)
        if include_volume:
            checks.volume(layout, plan, parse_interval(interval), start)
    except ListingError as error:
        checks.add("layout.check_incomplete", "layout.listing", error=str(error))
    except Exception as error:  # DescribeFlowLogs: the access checks explain its failures
        if type(error).__name__ not in ("ClientError", "NoCredentialsError", "EndpointConnectionError"):
            raise
        checks.add("layout.check_incomplete", "layout.flow_logs", error=str(error))
    return tuple(checks.findings)
