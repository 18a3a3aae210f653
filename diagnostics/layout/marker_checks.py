"""The marker part of the layout checks: where the next run starts, what it skips, and late files.

A mixin of ``checks._LayoutChecks`` (kept apart so each file holds one concept); it lists S3 read-only with
one-page budgets and builds its findings through the host class's ``add``.
"""

from __future__ import annotations

import threading
from datetime import date, timedelta
from typing import Any

from diagnostics.context import DoctorContext
from diagnostics.findings import Finding
from diagnostics.layout.classify import KeyClassifier, KeyScope, SkipReason, Verdict
from diagnostics.layout.listing import iter_objects
from diagnostics.layout.marker import Marker, MarkerSource, key_date, processed_scope
from diagnostics.layout.prefixes import BucketLayout, Family
from diagnostics.wazuh.state_db import StateReader
from diagnostics.wazuh.wodle import Block

LATE_FILE_LOOKBACK_DAYS = 2
"""Days before the marker searched for files that arrived late and were never read."""
EXAMPLES = 3


def module_date(day: date) -> str:
    """``YYYY-MMM-DD`` as only_logs_after expects it (``2024-MAY-01``)."""
    return day.strftime("%Y-%b-%d").upper()


class MarkerChecks:
    """Marker, first-run, only_logs_after and late-file findings of one block."""

    client: Any
    block: Block
    context: DoctorContext
    reader: StateReader
    caller_account: str | None
    cancel: threading.Event | None
    layout: BucketLayout | None
    only_logs_after: date | None

    def add(self, failure_id: str, check_id: str, evidence: tuple[str, ...] = (), **values: Any) -> Finding:
        """Provided by the host class: append a table finding."""
        raise NotImplementedError

    def marker_findings(self, layout: BucketLayout, scope: KeyScope, classifier: KeyClassifier) -> None:
        """The marker, what sorts after it, first-run and only_logs_after effects, and late files."""
        marker = classifier.marker_for(scope)
        label = scope_label(layout, scope)
        after, truncated, skipped_other = self._after_marker(scope, marker, classifier)
        count = f"{after}{'+' if truncated else ''}"
        after_text = f"{count} file(s) sort after it and would be considered by the next run."
        self.add("layout.marker", "layout.marker", (f"ListObjectsV2(Prefix='{scope.prefix}', "
                                                    f"StartAfter='{marker.value}')",),
                 scope=label, marker=marker.value, reason=marker.reason, after=after_text,
                 adjustments=f" Adjusted: {'; '.join(marker.adjustments)}." if marker.adjustments else "",
                 details={"debug_line": marker.debug_line})
        if skipped_other:
            self.add("layout.other_prefix", "layout.classify", count=len(skipped_other), prefix=scope.prefix,
                     example=skipped_other[0], proposal="")
        if marker.source is MarkerSource.TODAY:
            older, first = self._older_than(scope, marker)
            if older:
                suggested = module_date(first) if first else "YYYY-MMM-DD"
                self.add("layout.first_run_today", "layout.marker", scope=label, marker=marker.value,
                         older=older, suggested=suggested, location=self.block.line_of("name"))
        if marker.db_ahead_of_only_logs_after and self.only_logs_after is not None:
            self.add("layout.only_logs_after_ignored", "layout.marker", scope=label,
                     only_logs_after=module_date(self.only_logs_after), db_key=marker.db_last_key,
                     reparse_command=self.reparse_command(layout, scope, self.only_logs_after),
                     location=self.block.line_of("only_logs_after"))
        if marker.source is MarkerSource.DATABASE and not marker.value.startswith(scope.prefix):
            self._borrowed_marker(layout, scope, marker, classifier, label)
        elif marker.source is MarkerSource.DATABASE:
            self._late_files(layout, scope, marker, classifier, label)

    def _borrowed_marker(self, layout: BucketLayout, scope: KeyScope, marker: Marker, classifier: KeyClassifier,
                         label: str) -> None:
        """A marker from another region's key (no region column): this region's older files are never read."""
        start_after = marker.only_logs_after_marker if marker.only_logs_after_marker else None
        never: list[str] = []
        for listed, _ in iter_objects(self.client, layout.bucket, scope.prefix, start_after=start_after,
                                      max_pages=3, cancel=self.cancel):
            if listed.key > marker.value:
                break
            if classifier.classify(listed, scope=scope).reason is SkipReason.BEFORE_MARKER:
                never.append(listed.key)
        if never:
            since = self.only_logs_after or date.today()
            self.add("layout.marker_from_other_region", "layout.late_files",
                     (f"listed '{scope.prefix}' from '{start_after or scope.prefix}' up to the marker",),
                     scope=label, region=scope.region or "", count=len(never), marker=marker.value,
                     examples=", ".join(never[:EXAMPLES]), table=layout.table,
                     reparse_command=self.reparse_command(layout, scope, since))

    def _after_marker(self, scope: KeyScope, marker: Marker,
                      classifier: KeyClassifier) -> tuple[int, bool, list[str]]:
        count, truncated, other = 0, False, []
        for listed, page in iter_objects(self.client, self.layout_bucket, scope.prefix,
                                         start_after=marker.value, max_pages=1, cancel=self.cancel):
            if scope.flow_log_id and scope.flow_log_id not in listed.key:
                continue
            verdict = classifier.classify(listed, scope=scope, listed_after=marker.value)
            count += verdict.verdict is not Verdict.SKIPPED
            truncated = truncated or (page == 1 and count >= 1000)
            if verdict.reason is SkipReason.OTHER_PREFIX:
                other.append(listed.key)
        return count, truncated, other

    def _older_than(self, scope: KeyScope, marker: Marker) -> tuple[int, date | None]:
        older, first = 0, None
        assert self.layout is not None
        for listed, _ in iter_objects(self.client, self.layout_bucket, scope.prefix, max_pages=1,
                                      cancel=self.cancel):
            if listed.key > marker.value:
                break
            if listed.key.endswith("/"):
                continue
            older += 1
            first = first or key_date(self.layout, listed.key, scope.prefix)
        return older, first

    def _late_files(self, layout: BucketLayout, scope: KeyScope, marker: Marker, classifier: KeyClassifier,
                    label: str) -> None:
        anchor = key_date(layout, marker.db_last_key or marker.value, scope.prefix)
        if anchor is None:
            return
        start_day = anchor - timedelta(days=LATE_FILE_LOOKBACK_DAYS)
        retained = self.reader.first_key(processed_scope(layout, scope.account, scope.region,
                                                         scope.flow_log_id, self.caller_account,
                                                         self.context.profile))
        separator = "-" if layout.family is Family.SERVER_ACCESS else ""
        start_after = f"{scope.prefix}{layout.date_folder(start_day)}{separator}"
        never: list[str] = []
        for listed, _ in iter_objects(self.client, layout.bucket, scope.prefix, start_after=start_after,
                                      max_pages=3, cancel=self.cancel):
            if listed.key > marker.value:
                break
            if scope.flow_log_id and scope.flow_log_id not in listed.key:
                continue
            if retained is not None and listed.key < retained:
                continue  # below the oldest kept row: it may have been read and pruned by retention
            if classifier.classify(listed, scope=scope).reason is SkipReason.BEFORE_MARKER:
                never.append(listed.key)
        if never:
            self.add("layout.never_read_below_marker", "layout.late_files",
                     (f"listed '{scope.prefix}' from '{start_after}' up to the marker",), scope=label,
                     count=len(never), marker=marker.value, examples=", ".join(never[:EXAMPLES]),
                     reparse_command=self.reparse_command(layout, scope, start_day))

    @property
    def layout_bucket(self) -> str:
        assert self.layout is not None
        return self.layout.bucket

    def reparse_command(self, layout: BucketLayout, scope: KeyScope, since: date) -> str:
        """A manual ``--reparse`` run limited to this scope (as root, from the Wazuh home)."""
        parts = [f"{self.context.wazuh_home}/wodles/aws/aws-s3", "--bucket", layout.bucket, "--type",
                 layout.bucket_type]
        for flag, value in (("--trail_prefix", self.block.value("path")),
                            ("--trail_suffix", self.block.value("path_suffix")),
                            ("--aws_organization_id", self.block.value("aws_organization_id")),
                            ("--aws_profile", self.block.value("aws_profile")),
                            ("--iam_role_arn", self.block.value("iam_role_arn")),
                            ("--aws_account_id", scope.account if layout.family is Family.AWSLOGS else None),
                            ("--regions", scope.region)):
            if value:
                parts += [flag, value]
        parts += ["--only_logs_after", module_date(since), "--reparse", "--debug", "2"]
        return " ".join(parts)


def scope_label(layout: BucketLayout, scope: KeyScope) -> str:
    """``<account>/<region>[/<flow log>]``, or the bucket path for the families without accounts."""
    if layout.family is not Family.AWSLOGS:
        return layout.bucket_path
    return "/".join(part for part in (scope.account, scope.region, scope.flow_log_id) if part)
