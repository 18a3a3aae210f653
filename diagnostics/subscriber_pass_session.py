"""One read-only pass over a subscriber block: the objects its queue would deliver, met as the module meets them.

Both faces call ``run_subscriber_pass`` (the CLI's ``ingest --block`` and the Notified objects screen), so they
tell the same story: the queue looked up as the module looks it up, its source bucket's notification routes to
the queue, the newest objects they admit, each object's datagrams and log lines, the module's exit, and a
finding for each module bug met and for the message a failure leaves in the queue. Nothing is received,
deleted or written.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from diagnostics.aws.access_probes import call
from diagnostics.aws.clients import make_client
from diagnostics.aws.permission_probe import DENIED, may_perform
from diagnostics.aws.queue_access import DELETE, RECEIVE, source_buckets
from diagnostics.explanations import build_finding, fill
from diagnostics.explanations.inputs_table import QUEUE_MISSING
from diagnostics.explanations.subscriber_pass_table import (
    DECODING_BUCKETS,
    DECODING_HUB,
    NO_SOURCE_LAKE,
    NO_SOURCE_POLICY,
    STUCK_DEAD_LETTER,
    STUCK_NO_DEAD_LETTER,
)
from diagnostics.findings import Finding, Status
from diagnostics.ingest.subscriber_pass import (
    DeliveredObjects,
    NotificationRoute,
    QueueDenial,
    SubscriberRun,
    delivered_objects,
    routes_to_queue,
    run_subscriber_objects,
)
from diagnostics.input_session import InputSession, open_input
from diagnostics.wazuh.ossec_log import script_failure

if TYPE_CHECKING:
    from diagnostics.context import DoctorContext
    from diagnostics.wazuh.wodle import Block, Wodle

DEFAULT_LIMIT = 50
"""Objects a pass reads unless told otherwise: the newest ones, as a queue read regularly holds."""
MAX_FINDINGS_PER_BUG = 5
"""Objects named per module bug; the summary counts the rest."""


@dataclass(frozen=True)
class SubscriberPassOptions:
    """How many objects, from when, from which bucket, and the module's debug level to print lines at."""

    limit: int = DEFAULT_LIMIT
    since: datetime | None = None
    bucket: str | None = None
    """The source bucket when the queue policy names none (Security Lake's own bucket, for one)."""
    debug_level: int | None = None
    """None: the context's debug level."""


@dataclass(frozen=True)
class QueueFacts:
    """What GetQueueAttributes says about the queue's redelivery: visibility timeout and dead-letter queue."""

    url: str
    arn: str
    waiting: str
    visibility: str
    dead_letter_queue: str | None = None
    max_receive: str | None = None


@dataclass(frozen=True)
class SubscriberPassResult:
    """What one pass read and met: findings, the objects and their runs, and the module's exit code."""

    block_label: str
    findings: tuple[Finding, ...]
    exit_code: int
    listing: DeliveredObjects | None = None
    run: SubscriberRun | None = None
    routes: tuple[NotificationRoute, ...] = ()
    queue: QueueFacts | None = None

    @property
    def sent(self) -> int:
        """Datagrams the module's run sends."""
        return sum(len(item.datagrams) for item in self.run.objects) if self.run else 0

    @property
    def dropped(self) -> int:
        """Records it drops (discard_regex, the literal 'None')."""
        return sum(len(item.dropped) for item in self.run.objects) if self.run else 0


def run_subscriber_pass(context: DoctorContext, block: Block, wodle: Wodle | None, options: SubscriberPassOptions,
                        *, emit_line: Callable[[str], None], send: Callable[[str], None],
                        cancel: threading.Event | None = None) -> SubscriberPassResult:
    """Open the block, find the queue and its source objects, and meet them as the module's run would."""
    session = open_input(context, block, wodle)
    if session.aws_session is None or session.settings is None:
        exit_code = next((finding.wazuh_exit_code for finding in session.findings if finding.wazuh_exit_code), 1)
        return SubscriberPassResult(block.label, session.findings, exit_code)
    debug_level = context.debug_level if options.debug_level is None else options.debug_level
    sqs: Any = make_client(session.aws_session, "sqs", session.settings)
    queue_name = block.value("sqs_name") or ""
    looked_up = call(sqs, "get_queue_url", QueueName=queue_name)
    if not looked_up.ok or looked_up.response is None:
        for line in script_failure(20, QUEUE_MISSING, debug_level).output.splitlines():
            emit_line(line)
        finding = table_finding(session, "queue.url_failed", "queue.lookup", queue=queue_name,
                                region=sqs.meta.region_name, error=looked_up.error_text)
        return SubscriberPassResult(block.label, (finding,), 20)
    queue = read_queue(sqs, str(looked_up.response["QueueUrl"]), queue_name, session)
    s3: Any = make_client(session.aws_session, "s3", session.settings)
    denied, permission = queue_denial(session, queue)
    if denied is not None and denied.operation == "receive":  # the run ends before any object is named
        nothing = DeliveredObjects(options.bucket or "", (), 0, 0, False)
        run = run_subscriber_objects(s3, block, context, nothing, queue.facts.url, debug_level, emit_line, send,
                                     denied=denied)
        return SubscriberPassResult(block.label, permission, run.exit_code, nothing, run, (), queue.facts)
    named = source_buckets(queue.policy) if options.bucket is None else (options.bucket,)
    line = str(block.location.line) if block.location and block.location.line else "LINE"
    if not named:
        reason = NO_SOURCE_LAKE if block.block_type == "security_lake" else NO_SOURCE_POLICY
        finding = table_finding(session, "subscriber_pass.no_source", "subscriber.pass", queue=queue_name,
                                reason=reason, line=line)
        return SubscriberPassResult(block.label, (finding,), 0, queue=queue.facts)
    bucket = named[0]
    routes: tuple[NotificationRoute, ...] = ()
    if block.block_type != "security_lake":
        configuration = call(s3, "get_bucket_notification_configuration", Bucket=bucket)
        if configuration.ok and configuration.response is not None:
            routes = routes_to_queue(configuration.response, queue.facts.arn)
        if not routes and options.bucket is None and configuration.ok:
            targets = ", ".join(str(item.get("QueueArn")) for item in (configuration.response or {}).get(
                "QueueConfigurations", [])) or "no queue at all"
            finding = table_finding(session, "subscriber_pass.no_route", "subscriber.pass", bucket=bucket,
                                    queue=queue_name, queue_arn=queue.facts.arn, targets=targets)
            return SubscriberPassResult(block.label, (finding,), 0, queue=queue.facts)
    listing = delivered_objects(s3, bucket, routes, limit=options.limit, since=options.since)
    if listing.problem is not None:
        finding = table_finding(session, "subscriber_pass.no_source", "subscriber.pass", queue=queue_name,
                                reason=listing.problem, line=line)
        return SubscriberPassResult(block.label, (finding,), 0, listing, routes=routes, queue=queue.facts)
    run = run_subscriber_objects(s3, block, context, listing, queue.facts.url, debug_level, emit_line, send,
                                 configuration_id=routes[0].configuration_id if routes else "", denied=denied,
                                 cancel=cancel)
    result = SubscriberPassResult(block.label, (), run.exit_code, listing, run, routes, queue.facts)
    findings = [_summary(session, result, listing, routes), *permission, *route_findings(session, bucket, routes),
                *bug_findings(session, run)]
    stopped = run.stopped_at
    if stopped is not None:
        findings.append(stuck_finding(session, queue.facts, run, stopped.key, stopped.stop or "", debug_level))
    if run.cancelled:
        findings.append(table_finding(session, "subscriber_pass.cancelled", "subscriber.cancel", done=len(run.objects),
                                      remaining=run.not_reached))
    return SubscriberPassResult(block.label, tuple(findings), run.exit_code, listing, run, routes, queue.facts)


LAKE_BUCKET_PREFIX = "aws-security-data-lake-"
"""How Security Lake names the buckets it writes to: the only hint at the bucket a lake queue never names."""


@dataclass(frozen=True)
class LakeBuckets:
    """The buckets the block's credentials can list whose names are Security Lake's, or why none are known."""

    names: tuple[str, ...]
    problem: str | None = None


def lake_buckets(session: InputSession) -> LakeBuckets:
    """One ListBuckets with the block's credentials, kept to Security Lake's names (the queue's region first),
    to suggest the source bucket a lake subscriber's queue does not name; a read-only call that may be denied."""
    if session.aws_session is None or session.settings is None:
        return LakeBuckets((), "no working session (see the credential findings)")
    s3: Any = make_client(session.aws_session, "s3", session.settings)
    outcome = call(s3, "list_buckets")
    if not outcome.ok or outcome.response is None:
        return LakeBuckets((), f"ListBuckets failed: {outcome.error_text}")
    names = [str(entry.get("Name", "")) for entry in outcome.response.get("Buckets", [])]
    region = f"{LAKE_BUCKET_PREFIX}{s3.meta.region_name}-"
    lake = sorted((name for name in names if name.startswith(LAKE_BUCKET_PREFIX)),
                  key=lambda name: (not name.startswith(region), name))
    return LakeBuckets(tuple(lake), None if lake else f"ListBuckets shows no bucket named {LAKE_BUCKET_PREFIX}*")


@dataclass(frozen=True)
class QueueRead:
    """The queue's facts and its policy (which names the source bucket)."""

    facts: QueueFacts
    policy: str | None


def read_queue(sqs: Any, url: str, name: str, session: InputSession) -> QueueRead:
    """GetQueueAttributes (All): the ARN, policy, waiting count, visibility timeout and redrive policy."""
    outcome = call(sqs, "get_queue_attributes", QueueUrl=url, AttributeNames=["All"])
    attributes = {str(key): str(value) for key, value in
                  ((outcome.response or {}).get("Attributes", {}) if outcome.ok else {}).items()}
    arn = attributes.get("QueueArn") or f"arn:aws:sqs:{sqs.meta.region_name}:{session.account_id or '*'}:{name}"
    dead_letter, max_receive = None, None
    try:
        redrive = json.loads(attributes.get("RedrivePolicy") or "{}")
        target = str(redrive.get("deadLetterTargetArn", ""))
        if target:
            dead_letter, max_receive = target.rsplit(":", 1)[-1], str(redrive.get("maxReceiveCount", "?"))
    except (ValueError, AttributeError):
        pass
    facts = QueueFacts(url, arn, attributes.get("ApproximateNumberOfMessages", "?"),
                       attributes.get("VisibilityTimeout", "?"), dead_letter, max_receive)
    return QueueRead(facts, attributes.get("Policy"))


def queue_denial(session: InputSession, queue: QueueRead) -> tuple[QueueDenial | None, tuple[Finding, ...]]:
    """Whether the module's receive or delete would be denied, asked of IAM's simulator or the readable
    policies (never by receiving); a denial found becomes the run's stop and its table finding."""
    assert session.aws_session is not None and session.settings is not None
    sts: Any = make_client(session.aws_session, "sts", session.settings)
    caller = call(sts, "get_caller_identity")
    principal = str((caller.response or {}).get("Arn", "")) or None if caller.ok else None
    iam = make_client(session.aws_session, "iam", dataclasses.replace(session.settings, max_attempts=0))
    answers = {answer.action: answer for answer in may_perform(iam, principal, session.account_id,
                                                               (RECEIVE, DELETE), queue.facts.arn, queue.policy)}
    how = "; ".join(f"{answer.action}: {answer.verdict} ({answer.detail})" for answer in answers.values())
    values = {"principal": principal or "the module's credentials", "queue": session.block.value("sqs_name") or "",
              "queue_arn": queue.facts.arn, "how": how}
    for action, operation, step in ((RECEIVE, "ReceiveMessage", "receive"), (DELETE, "DeleteMessage", "delete")):
        if answers[action].verdict == DENIED:
            error = f"An error occurred (AccessDenied) when calling the {operation} operation: <AWS's message>"
            finding = table_finding(session, f"queue.{step}_denied", "queue.permission", error=error, **values)
            verb = "receiving" if step == "receive" else "deleting"
            return QueueDenial(step, f"ERROR: Error {verb} message from SQS: {error}"), (finding,)
    return None, ()


def table_finding(session: InputSession, failure_id: str, check_id: str, **values: Any) -> Finding:
    """A finding from the table for this block."""
    return build_finding(failure_id, check_id=check_id, target=session.block.label,
                         profile=session.context.profile, values=values)


def _summary(session: InputSession, result: SubscriberPassResult, listing: DeliveredObjects,
             routes: tuple[NotificationRoute, ...]) -> Finding:
    route = ("its notifications to the queue send (" + "; ".join(route.describe() for route in routes) + ")"
             if routes else "it holds (no notification route to the queue is known, so every object)")
    evidence = tuple(f"{item.key}: {len(item.datagrams)} sent, {len(item.dropped)} dropped"
                     + (f", stops: {item.stop}" if item.stop else "") for item in (result.run.objects
                                                                                   if result.run else ())[:20])
    return build_finding("subscriber_pass.summary", check_id="subscriber.pass", target=session.block.label,
                         profile=session.context.profile, evidence=evidence,
                         status=Status.WARNING if result.exit_code else None, values={
                             "objects": len(listing.objects), "sent": result.sent, "dropped": result.dropped,
                             "exit_code": "? (cancelled before the end)" if result.run and result.run.cancelled
                             else result.exit_code, "bucket": listing.bucket, "route": route,
                             "matched": listing.matched, "listed": listing.listed,
                             "truncated": "; the bucket has more keys than the doctor lists" if listing.truncated
                             else "", "waiting": result.queue.waiting if result.queue else "?"})


def route_findings(session: InputSession, bucket: str, routes: tuple[NotificationRoute, ...]) -> list[Finding]:
    """Events other than object creation routed to the queue: a removal stops every run, the rest repeat."""
    events = sorted({event for route in routes for event in route.events if not event.startswith("s3:ObjectCreated")})
    removed = [event for event in events if event.startswith(("s3:ObjectRemoved", "s3:LifecycleExpiration"))]
    repeated = [event for event in events if event not in removed]
    queue = session.block.value("sqs_name") or ""
    findings = []
    if removed:
        findings.append(table_finding(session, "subscriber_pass.removed_events", "subscriber.routes", bucket=bucket,
                                      queue=queue, events=", ".join(removed)))
    if repeated:
        findings.append(table_finding(session, "subscriber_pass.repeat_events", "subscriber.routes", bucket=bucket,
                                      queue=queue, events=", ".join(repeated)))
    return findings


def bug_findings(session: InputSession, run: SubscriberRun) -> list[Finding]:
    """A finding per module bug the run met, from the queue entries of the table."""
    findings: list[Finding] = []
    kind = session.block.block_type or "buckets"
    renamed = [item for item in run.objects if item.asked_key != item.key]
    if renamed:
        decoding = DECODING_HUB if kind == "security_hub" else DECODING_BUCKETS
        findings.append(table_finding(session, "queue.key_with_space", "subscriber.objects",
                                      bucket=renamed[0].bucket, count=len(renamed),
                                      keys=", ".join(repr(item.key) for item in renamed[:MAX_FINDINGS_PER_BUG]),
                                      decoding=decoding))
    for item in [item for item in run.objects if item.lost_findings][:MAX_FINDINGS_PER_BUG]:
        findings.append(table_finding(session, "queue.findings_lost", "subscriber.objects", key=item.key,
                                      lost=item.lost_findings))
    for item in [item for item in run.objects if item.note][:MAX_FINDINGS_PER_BUG]:
        findings.append(table_finding(session, "queue.object_mangled", "subscriber.objects", key=item.key,
                                      note=item.note))
    for item in [item for item in run.objects if item.none_dropped][:MAX_FINDINGS_PER_BUG]:
        findings.append(table_finding(session, "queue.object_none_dropped", "subscriber.objects", key=item.key,
                                      count=len(item.none_dropped), example=repr(item.none_dropped[0][:60])))
    stopped = run.stopped_at
    if stopped is not None and stopped.asked_key == stopped.key and stopped.stop_code == 12:
        findings.append(table_finding(session, "queue.object_stops", "subscriber.objects", key=stopped.key,
                                      reason=stopped.stop or ""))
    return findings


def stuck_finding(session: InputSession, queue: QueueFacts, run: SubscriberRun, key: str, reason: str,
                  debug_level: int) -> Finding:
    """The message the run stops at: not deleted, back after the visibility timeout, maybe to a dead-letter queue."""
    dead_letter = (fill(STUCK_DEAD_LETTER, {"max_receive": queue.max_receive,
                                            "dead_letter_queue": queue.dead_letter_queue})
                   if queue.dead_letter_queue else STUCK_NO_DEAD_LETTER)
    return table_finding(session, "subscriber_pass.stuck", "subscriber.stop", key=key,
                         reason=reason.rstrip(".") + ".", exit_code=run.exit_code, debug_level=debug_level,
                         behind=run.not_reached, visibility=queue.visibility, dead_letter=dead_letter)
