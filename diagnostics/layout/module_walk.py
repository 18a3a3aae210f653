"""The keys the module would consider, in its order, lazily: the walk the ingestion engine replays.

``walk_module`` reproduces one bucket run's listing work (GuardDuty layout test, check_bucket, account and
region discovery with its quirks, one ``ListObjectsV2(Prefix=<full>, StartAfter=<marker>, MaxKeys=1000)``
per scope then ``ContinuationToken`` pages) and yields typed events; ``module_view`` keeps only the keys.
Nothing is downloaded and nothing is written: reading files and marking them is the engine's job.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import replace
from datetime import timezone
from typing import Any

from diagnostics.aws.access import MODULE_BUCKET_NAME
from diagnostics.configuration.rules_argparse import parse_arguments
from diagnostics.context import DoctorContext
from diagnostics.layout.classify import ClassifiedKey, KeyClassifier, KeyScope, Verdict, contained_flow_log
from diagnostics.layout.discovery import (
    describe_error_text,
    guardduty_is_native,
    module_check_bucket,
    plan_accounts_and_regions,
    throttling_message,
)
from diagnostics.layout.listing import ListedObject, ListingError, iter_objects, list_objects_page
from diagnostics.layout.marker import Marker, MarkerSource, config_sort_date, parse_only_logs_after
from diagnostics.layout.prefixes import BucketLayout, Family, configured_regions, split_list
from diagnostics.layout.walk_events import (  # re-exported: the walk's callers import its events from here
    ScopeFinished as ScopeFinished,
)
from diagnostics.layout.walk_events import (
    ScopeStarted as ScopeStarted,
)
from diagnostics.layout.walk_events import (
    WalkEvent as WalkEvent,
)
from diagnostics.layout.walk_events import (
    WalkNote as WalkNote,
)
from diagnostics.layout.walk_events import (
    WalkStopped as WalkStopped,
)
from diagnostics.wazuh.state_db import ProcessedState, StateReader
from diagnostics.wazuh.wodle import Block

# Imported inside the functions that use them: botocore adds 9-170 ms to start-up
# (python -X importtime), paid otherwise by every command that never needs them.

GUARDDUTY_DEPRECATED = ("The functionality to process GuardDuty logs stored in S3 via Kinesis was deprecated "
                        "in 4.5. Consider configuring GuardDuty to store its findings directly in an S3 "
                        "bucket instead. Check https://documentation.wazuh.com/current/amazon/services/"
                        "supported-services/guardduty.html for more information.")


FlowLogSource = Mapping[str, Collection[str]] | Callable[[str], Collection[str]]
"""Region -> flow-log ids that ``DescribeFlowLogs`` returns (a mapping or a callable, e.g. over EC2)."""


def _flow_log_lookup(source: FlowLogSource | None) -> Callable[[str], Collection[str]] | None:
    if source is None:
        return None
    if callable(source):
        return source
    mapping = source
    return lambda region: mapping.get(region, ())


def _empty_message(layout: BucketLayout, scope: KeyScope) -> str:
    """``_print_no_logs_to_process_message`` with the type's template."""
    if layout.bucket_type == "vpcflow":
        return (f"+++ No logs to process for {scope.flow_log_id} flow log ID in bucket: "
                f"{scope.account}/{scope.region}")
    if scope.account is not None and scope.region is not None:
        return f"+++ No logs to process in bucket: {scope.account}/{scope.region}"
    return f"+++ No logs to process in bucket: {layout.bucket}"


def config_page_order(objects: list[ListedObject]) -> list[ListedObject]:
    """One Config page in the module's order: folders and empty keys (skipped anyway), then files by date.

    Python's own ``sorted`` on the same dates reproduces the module exactly, including the TypeError (and its
    wording) when a key has no date folder and the ValueError of an impossible date; both propagate.
    """
    skipped = [obj for obj in objects if not obj.key or obj.key.endswith("/")]
    files = [obj for obj in objects if obj.key and not obj.key.endswith("/")]
    return [*skipped, *sorted(files, key=_config_sort_key)]


def _config_sort_key(obj: ListedObject) -> Any:
    """A date or None: typed Any because comparing the two is exactly the failure being reproduced."""
    return config_sort_date(obj.key)


def _listing_failure(error: ListingError) -> WalkStopped:
    """How iter_files_in_bucket ends on a listing error (16 throttling, 1 ClientError, 7 otherwise)."""
    if error.code == "ThrottlingException":
        text = f"{throttling_message('iter_files_in_bucket')}: {error}"
        return WalkStopped(16, "S3 throttled the listing", f"ERROR: {text}")
    if error.code:
        return WalkStopped(1, f"the listing failed ({error.code})",
                           f'ERROR: ERROR: The "iter_files_in_bucket" request failed: {error}')
    return WalkStopped(7, "the listing failed",
                       f"ERROR: Unexpected error querying/working with objects in S3: {error}")


def _check_bucket_failure(error: ListingError) -> WalkStopped:
    """How the module's check_bucket ends on a failed first listing (exits 3, 15, 16, 19, else 1)."""
    from botocore.exceptions import EndpointConnectionError

    if error.code == "SignatureDoesNotMatch":
        return WalkStopped(3, "the secret key is wrong", "ERROR: Invalid credentials to access S3 Bucket")
    if error.code == "RequestTimeTooSkewed":
        return WalkStopped(19, "the host clock is skewed",
                           "ERROR: The server datetime and datetime of the AWS environment differ")
    if error.code == "ThrottlingException":
        return WalkStopped(16, "S3 throttled the listing", f"ERROR: {throttling_message('check_bucket')}: {error}")
    if isinstance(error.__cause__, EndpointConnectionError):
        return WalkStopped(15, "the endpoint is unreachable", f"ERROR: {error.__cause__}")
    return WalkStopped(1, f"the first listing failed ({error.code or 'connection'})",
                       f"ERROR: Unexpected error: '{error}'.")


class _Walker:
    """One walk's state: layout, classifier and counters (kept out of the generator for readability)."""

    def __init__(self, client: Any, layout: BucketLayout, classifier: KeyClassifier,
                 cancel: threading.Event | None, max_keys: int, passed_over_keys: int = 0) -> None:
        self.client = client
        self.layout = layout
        self.classifier = classifier
        self.cancel = cancel
        self.max_keys = max_keys
        self.passed_over_keys = passed_over_keys

    def passed_over(self, scope: KeyScope, marker: Marker) -> Iterator[WalkEvent]:
        """The keys the module passes over in this scope (at or before its StartAfter), each with the reason.

        The module never lists them, so this is one listing of ours, bounded by ``passed_over_keys``. It
        starts at only_logs_after when the marker comes from the state (the keys between them are the
        processed ones and the late uploads), else at the scope's first key.
        """
        start = None
        if marker.source is MarkerSource.DATABASE and marker.only_logs_after_marker \
                and marker.only_logs_after_marker < marker.value:
            start = marker.only_logs_after_marker
        shown = 0
        try:
            for listed, _page in iter_objects(self.client, self.layout.bucket, scope.prefix, start_after=start,
                                              max_keys=min(self.max_keys, self.passed_over_keys + 1),
                                              cancel=self.cancel):
                if listed.key > marker.value:
                    return
                if shown >= self.passed_over_keys:
                    yield WalkNote(f"more keys at or before the marker {marker.value} are not shown "
                                   f"(first {shown} listed)")
                    return
                shown += 1
                yield replace(self.classifier.classify(listed, scope=scope), passed_over=True)
        except ListingError as error:
            yield WalkNote(f"the keys before the marker could not be listed: {error}")

    def cancelled(self) -> bool:
        return self.cancel is not None and self.cancel.is_set()

    def scope(self, scope: KeyScope, first_lines: tuple[tuple[int, str], ...] = (),
              undescribed: bool = False) -> Iterator[WalkEvent]:
        """List one scope as ``iter_files_in_bucket`` does and classify every key returned; ``undescribed``
        also yields, as skipped, the listed keys of flow-log ids DescribeFlowLogs does not return (the module
        filters them out silently, so the region's first flow log reports them once)."""
        marker = self.classifier.marker_for(scope)
        if marker.exit_code is not None:
            yield WalkStopped(marker.exit_code, marker.exit_message or "", f"ERROR: {marker.exit_message}")
            return
        yield ScopeStarted(scope, marker, (*first_lines, (2, marker.debug_line), *marker.extra_debug_lines))
        if self.passed_over_keys:
            yield from self.passed_over(scope, marker)
        args: dict[str, Any] = {"Bucket": self.layout.bucket, "MaxKeys": self.max_keys,
                                "Prefix": scope.prefix, "StartAfter": marker.value}
        counts = {Verdict.READ: 0, Verdict.PROCESSED: 0, Verdict.SKIPPED: 0}
        requests, empty_lines = 0, []
        while True:
            if self.cancelled():
                yield WalkStopped(None, "cancelled", cancelled=True)
                return
            try:
                page = list_objects_page(self.client, args)
            except ListingError as error:
                yield _listing_failure(error)
                return
            requests += 1
            if "Contents" not in page:
                empty_lines.append((1, _empty_message(self.layout, scope)))
                break
            objects = [ListedObject.from_entry(entry) for entry in page["Contents"]]
            if self.layout.bucket_type == "config" and self.classifier.profile.config_year_relist:
                try:
                    objects = config_page_order(objects)
                except (TypeError, ValueError) as error:
                    yield WalkStopped(7, "a Config key on this page has no date folder, so the module's date "
                                         "sort fails before any file of the page is read",
                                      f"ERROR: Unexpected error querying/working with objects in S3: {error}",
                                      debug_lines=((2, f"+++ Unexpected error: {error}"),))
                    return
            read_on_page = 0
            for obj in objects:
                if self.cancelled():
                    yield WalkStopped(None, "cancelled", cancelled=True)
                    return
                if scope.flow_log_id is not None and obj.key and not obj.key.endswith("/") \
                        and scope.flow_log_id not in obj.key:
                    if undescribed and contained_flow_log(obj.key, self.classifier.described(scope.region or "")
                                                          or ()) is None:
                        yield self.classifier.classify(obj, scope=replace(scope, flow_log_id=None),
                                                       listed_after=marker.value)
                    continue
                classified = self.classifier.classify(obj, scope=scope, listed_after=marker.value)
                counts[classified.verdict] += 1
                read_on_page += classified.verdict is Verdict.READ
                yield classified
            if read_on_page == 0:
                empty_lines.append((1, _empty_message(self.layout, scope)))
            if not page.get("IsTruncated"):
                break
            args = {"Bucket": self.layout.bucket, "MaxKeys": self.max_keys, "Prefix": scope.prefix,
                    "ContinuationToken": page["NextContinuationToken"]}
        yield ScopeFinished(scope, counts[Verdict.READ], counts[Verdict.PROCESSED], counts[Verdict.SKIPPED],
                            requests, tuple(empty_lines))


VALIDATED_FLAGS = (("iam_role_arn", "--iam_role_arn"), ("aws_account_id", "--aws_account_id"),
                   ("path", "--trail_prefix"), ("path_suffix", "--trail_suffix"),
                   ("only_logs_after", "--only_logs_after"), ("regions", "--regions"))
"""The bucket block's values the script's argparse validates after --bucket, in the order the C side writes
them (argparse reports the first it meets)."""


def argument_rejection(block: Block) -> WalkStopped | None:
    """Exit 2 when the script's argparse rejects one of the block's values (the bucket name, a malformed
    region, account id, role ARN, path or date), before any AWS call and any line; None when all pass."""
    if not MODULE_BUCKET_NAME.match(block.name or ""):
        return WalkStopped(2, "the script's argument check rejects this bucket name (before any AWS call)",
                           f"argument -b/--bucket: '{block.name or ''}' isn't a valid bucket name.")
    tokens = [word for tag, flag in VALIDATED_FLAGS if (value := block.value(tag)) for word in (flag, value)]
    errors = parse_arguments(tokens, duration_limit=3600).errors  # no --iam_role_duration here: bound unused
    if not errors:
        return None
    first = errors[0]
    tags = [tag for tag, flag in VALIDATED_FLAGS if first.flag is not None and flag in first.flag.strings]
    what = f"<{tags[0]}>" if tags else "a value of the block"
    return WalkStopped(2, f"the script's argument check rejects {what} (before any AWS call)", first.message)


def startup_failure(block: Block) -> WalkStopped | None:
    """Where the script fails after parsing its arguments but before listing: iam_role_duration without a
    role (exit 1 at every debug level, raised outside main), or a discard_regex that does not compile (main's
    catch-all: exit 12 at debug 0, 1 above); None when neither applies."""
    if block.value("iam_role_duration") and not block.value("iam_role_arn"):
        return WalkStopped(1, "iam_role_duration is set without iam_role_arn",
                           "ERROR: Unknown error: Used --iam_role_duration argument but no --iam_role_arn provided.")
    option = block.discard_regex
    if option is None or not option.value or not option.attributes.get("field"):
        return None  # the C side passes no regex without a field
    try:
        re.compile(f"{option.value}")
    except re.error as error:
        return WalkStopped(12, "discard_regex does not compile (the script fails before listing)", str(error),
                           catch_all=True)
    return None


def walk_module(client: Any, block: Block, context: DoctorContext, state: ProcessedState | None, *,
                cancel: threading.Event | None = None, caller_account: str | None = None,
                flow_logs: FlowLogSource | None = None, reparse: bool = False, check_bucket: bool = True,
                max_keys: int = 1000, passed_over_keys: int = 0) -> Iterator[WalkEvent]:
    """Every event of one bucket run's listing, lazily and in the module's order.

    ``caller_account`` is ``sts:GetCallerIdentity`` of the base credentials (the custom family's DB key);
    ``flow_logs`` gives ``DescribeFlowLogs`` per region (vpcflow only). Listing errors end the walk with the
    module's exit code rather than raising. ``passed_over_keys`` > 0 also yields, per scope and before its
    listed keys, up to that many keys the module passes over (at or before its marker) with the reason.
    """
    profile = context.profile
    rejected = argument_rejection(block) or startup_failure(block)
    if rejected is not None:
        yield rejected
        return
    only_logs_after = parse_only_logs_after(block.value("only_logs_after"))
    bucket_type = (block.block_type or "cloudtrail").lower()
    try:
        native = True
        if bucket_type == "guardduty":
            native = guardduty_is_native(client, block.name or "", BucketLayout.build(
                "custom", block.name or "", block.value("path")).path)
            if not native and not profile.guardduty_firehose_supported:
                yield WalkStopped(12, "GuardDuty without <path>AWSLogs is no longer supported",
                                  "ERROR: Invalid type of bucket")  # sys.exit(12) at every debug level
                return
        layout = BucketLayout.from_block(block, native_guardduty=native)
        if check_bucket:
            checked = module_check_bucket(client, layout)
            if not checked.found and not checked.pages_capped:
                yield WalkStopped(14, "no folder under the path",
                                  f"ERROR: No files were found in '{layout.bucket_path}'. No logs will be "
                                  "processed.")
                return
    except ListingError as error:
        yield _check_bucket_failure(error)
        return
    stored = state
    problem: str | None = None
    if isinstance(state, StateReader):
        health = state.health()
        if not health.health.usable:
            stored, problem = None, f"{health.health.value}: {health.detail}"
    flow_lookup = _flow_log_lookup(flow_logs)
    classifier = KeyClassifier(layout, profile=profile, today=context.clock().astimezone(timezone.utc).date(),
                               state=stored, only_logs_after=only_logs_after, caller_account=caller_account,
                               flow_log_ids=flow_lookup, reparse=reparse, state_problem=problem)
    walker = _Walker(client, layout, classifier, cancel, max_keys, passed_over_keys)
    if layout.family is not Family.AWSLOGS:
        if bucket_type == "guardduty":
            yield WalkNote("GuardDuty through Kinesis Firehose is deprecated",
                           printed=(GUARDDUTY_DEPRECATED,))
        yield from walker.scope(KeyScope(caller_account, None, None, layout.path))
        return
    if bucket_type == "vpcflow" and flow_lookup is None:
        yield WalkStopped(None, "the VPC flow-log walk needs the ids DescribeFlowLogs returns per region "
                                "(pass flow_logs); without them the module's filter cannot be reproduced")
        return
    plan = plan_accounts_and_regions(client, layout, split_list(block.value("aws_account_id")),
                                     configured_regions(block.value("regions")))
    if plan.exit_code is not None:
        yield WalkStopped(plan.exit_code, plan.exit_message or "", plan.exit_message,
                          debug_only=plan.exit_debug_only)
        return
    classifier.plan = plan.regions_by_account()
    for account_plan in plan.accounts:
        if account_plan.skipped:
            yield WalkNote(f"no region folders for account {account_plan.account}",
                           ((1, f"+++ No regions found for AWS Account {account_plan.account}"),))
            continue
        for region in account_plan.regions:
            working = ((1, f"+++ Working on {account_plan.account} - {region}"),)
            prefix = layout.full_prefix(account_plan.account, region)
            if bucket_type != "vpcflow":
                for event in walker.scope(KeyScope(account_plan.account, region, None, prefix), working):
                    yield event
                    if isinstance(event, WalkStopped):
                        return
                continue
            try:
                flow_ids = tuple(classifier.described(region) or ())
            except Exception as error:  # the module does not catch it either: main()'s catch-all, exit 12
                yield WalkStopped(12, "DescribeFlowLogs failed", f"ERROR: {describe_error_text(error)}",
                                  debug_lines=working, catch_all=True)  # the region's line comes first
                return
            if not flow_ids:
                yield WalkNote(f"DescribeFlowLogs returned no flow log in {region}: nothing is listed there",
                               working)
            for index, flow_log_id in enumerate(flow_ids):
                scope = KeyScope(account_plan.account, region, flow_log_id, prefix)
                events = walker.scope(scope, working if index == 0 else (), undescribed=index == 0)
                for event in events:
                    yield event
                    if isinstance(event, WalkStopped):
                        return
            if walker.cancelled():
                return


def module_view(client: Any, block: Block, context: DoctorContext, state: ProcessedState | None, *,
                cancel: threading.Event | None = None, caller_account: str | None = None,
                flow_logs: FlowLogSource | None = None, reparse: bool = False,
                check_bucket: bool = True, passed_over_keys: int = 0) -> Iterator[ClassifiedKey]:
    """Only the keys of ``walk_module``, in the module's order (for the key browser's "module view")."""
    for event in walk_module(client, block, context, state, cancel=cancel, caller_account=caller_account,
                             flow_logs=flow_logs, reparse=reparse, check_bucket=check_bucket,
                             passed_over_keys=passed_over_keys):
        if isinstance(event, ClassifiedKey):
            yield event
