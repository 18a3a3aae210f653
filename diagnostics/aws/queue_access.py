"""A subscriber's SQS queue checked the way the module reaches it, without ever receiving a message.

The module looks the queue up by name (any failure: exit 20), then receives, sends the notified objects'
events and deletes each message (a failed receive or delete: exit 21, explained only at debug 1). Every
step here reads: GetQueueUrl, GetQueueAttributes, IAM's policy simulator and the source bucket's
notification configuration. ReceiveMessage is never called: it hides a message from the module and raises
its receive count, which a dead-letter queue may turn into a lost notification.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from diagnostics.aws.access_probes import CallOutcome, call
from diagnostics.aws.clients import ClientSettings, make_client
from diagnostics.aws.notified_objects import check_notified_objects
from diagnostics.aws.permission_probe import ALLOWED, DENIED, PermissionAnswer, may_perform
from diagnostics.aws.prediction import FindingChain, Predictor
from diagnostics.aws.role_trust import check_role_trust
from diagnostics.configuration.rules_argparse import ArgumentRejected, valid_queue
from diagnostics.findings import Finding

if TYPE_CHECKING:
    import boto3

    from diagnostics.context import DoctorContext
    from diagnostics.wazuh.wodle import Block

RECEIVE = "sqs:ReceiveMessage"
DELETE = "sqs:DeleteMessage"
NOT_FOUND_CODES = frozenset({"AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist",
                             "NonExistentQueue"})
DENIED_CODES = frozenset({"AccessDenied", "AccessDeniedException", "UnauthorizedOperation"})
AWS_MANAGED_SQS_KEY = "alias/aws/sqs"
STEP_OF: Mapping[str, str] = {
    **dict.fromkeys(("queue.attributes", "queue.no_state", "queue.empty", "queue.in_flight", "queue.dead_letter",
                     "queue.kms_encrypted", "queue.attributes_unreadable"), "queue.state"),
    **dict.fromkeys(("queue.permission_ok", "queue.receive_denied", "queue.delete_denied",
                     "queue.permission_unknown"), "queue.permission"),
    **dict.fromkeys(("queue.notification_ok", "queue.notification_missing", "queue.notification_unknown"),
                    "queue.notification"),
    **dict.fromkeys(("queue.key_with_space", "queue.objects_unlisted", "queue.object_denied", "queue.object_stops",
                     "queue.object_sample", "queue.object_mangled", "queue.object_none_dropped", "queue.findings_lost"),
                    "queue.objects"),
}
"""The check each finding belongs to; the look-up findings (name, URL, not found) are ``queue.lookup``."""
NOTIFIED_TYPES = frozenset({"buckets", "security_hub"})
"""Subscribers fed by an S3 event notification the admin configures (Security Lake feeds its own queue)."""


class _QueueChain(FindingChain):
    """What the steps of one queue's chain share; each finding's check is its step of the chain."""

    def add(self, failure_id: str, outcome: CallOutcome | None = None, evidence: tuple[str, ...] = (),
            reached: bool = True, **values: Any) -> None:
        """Append a table finding with the call's evidence, under the check of its step."""
        self.record(failure_id, STEP_OF.get(failure_id, "queue.lookup"), outcome, evidence, reached, **values)


def looks_like_url_or_arn(name: str) -> bool:
    """True for a queue URL or ARN written where the module expects a bare queue name."""
    return name.startswith(("http://", "https://", "arn:")) or "/" in name


def source_buckets(policy_text: str | None) -> tuple[str, ...]:
    """Buckets a queue policy admits as senders (``aws:SourceArn`` conditions naming an S3 bucket)."""
    if not policy_text:
        return ()
    try:
        document = json.loads(policy_text)
    except ValueError:
        return ()
    statements = document.get("Statement", []) if isinstance(document, Mapping) else []
    buckets: list[str] = []
    for statement in statements if isinstance(statements, list) else [statements]:
        conditions = statement.get("Condition", {}) if isinstance(statement, Mapping) else {}
        for operator in conditions.values() if isinstance(conditions, Mapping) else ():
            if not isinstance(operator, Mapping):
                continue
            for key, value in operator.items():
                if key.lower() != "aws:sourcearn":
                    continue
                for arn in value if isinstance(value, list) else [value]:
                    if isinstance(arn, str) and arn.startswith("arn:") and ":s3:::" in arn:
                        name = arn.split(":s3:::", 1)[1].split("/", 1)[0]
                        if name and "*" not in name and name not in buckets:
                            buckets.append(name)
    return tuple(buckets)


def check_queue_access(session: boto3.session.Session | None, block: Block, context: DoctorContext,
                       settings: ClientSettings, *, principal: str | None = None, account_id: str | None = None,
                       stopped_with: int | None = None,
                       base_session: boto3.session.Session | None = None) -> tuple[Finding, ...]:
    """The subscriber chain: the role's trust, look-up, queue state, receive/delete permission, source
    notification."""
    predictor = Predictor(block, context, stopped_with=stopped_with)
    queue = block.value("sqs_name") or ""
    # the role's trust is read only when the module reaches AssumeRole (its argument check passed)
    trust = check_role_trust(base_session, block, predictor, settings, account_id) \
        if block.kind == "subscriber" and _valid_name(queue) else ()
    if block.kind != "subscriber" or not queue or session is None:
        reason = ("not a subscriber block" if block.kind != "subscriber" else "the block has no <sqs_name>"
                  if not queue else "no working session (the credentials or AssumeRole failed)")
        return (*trust, predictor.finding("queue.skipped", check_id="queue.lookup", values={"reason": reason}))
    sqs = make_client(session, "sqs", settings)
    region = str(sqs.meta.region_name)
    profile = block.value("aws_profile")
    chain = _QueueChain(predictor, {
        "queue": queue, "region": region, "principal": principal or "the module's credentials",
        "config_hint": f"[profile {profile}]" if profile else "[default]",
        "location": block.line_of("sqs_name"),
    })
    try:
        valid_queue(queue)
    except ArgumentRejected:
        hint = queue.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1] if looks_like_url_or_arn(queue) else ""
        reason = ("the module's argument check refuses <sqs_name> and stops with exit 2 before any AWS call "
                  "(see the configuration step)" + (f"; the queue's name is probably '{hint}'" if hint else ""))
        return (predictor.finding("queue.skipped", check_id="queue.lookup", values={"reason": reason}),)
    chain.findings.extend(trust)
    if settings.region is None and session.region_name is None:  # neither the profile nor AWS_DEFAULT_REGION
        chain.add("queue.no_region")
    looked_up = call(sqs, "get_queue_url", QueueName=queue)
    if not looked_up.ok or looked_up.response is None:
        _lookup_failure(chain, sqs, looked_up)
        return tuple(chain.findings)
    url = str(looked_up.response.get("QueueUrl", ""))
    chain.add("queue.url_ok", looked_up, url=url)
    attributes = _attribute_steps(chain, sqs, url)
    queue_arn = str(attributes.get("QueueArn") or f"arn:aws:sqs:{region}:{account_id or '*'}:{queue}")
    chain.values["queue_arn"] = queue_arn
    policy = attributes.get("Policy")
    iam = make_client(session, "iam", dataclasses.replace(settings, max_attempts=0))
    answers = may_perform(iam, principal, account_id, (RECEIVE, DELETE), queue_arn, policy)
    _permission_step(chain, answers)
    if block.block_type in NOTIFIED_TYPES:
        for bucket in _notification_step(chain, session, settings, policy, queue_arn):
            check_notified_objects(chain.add, make_client(session, "s3", settings), bucket, block)
    else:
        chain.add("queue.notification_unknown", reached=False,
                  reason="Security Lake creates this queue and sends its notifications itself")
    return tuple(chain.findings)


def _valid_name(queue: str) -> bool:
    """True when the module's argument check accepts <sqs_name>."""
    try:
        valid_queue(queue)
    except ArgumentRejected:
        return False
    return bool(queue)


def _lookup_failure(chain: _QueueChain, sqs: Any, outcome: CallOutcome) -> None:
    """Name the cause behind the module's one 'queue does not exist' message."""
    if outcome.kind == "client_error" and outcome.code in NOT_FOUND_CODES:
        listing = call(sqs, "list_queues", MaxResults=1000)
        names: list[str] = []
        if listing.ok and listing.response is not None:
            names = [str(url).rsplit("/", 1)[-1] for url in listing.response.get("QueueUrls", [])]
        close = difflib.get_close_matches(str(chain.values["queue"]), names, n=3, cutoff=0.5)
        visible = (", ".join(close) + " (closest names)") if close else (
            f"{len(names)} queue(s), none with a similar name" if listing.ok else
            f"unknown ({listing.code or listing.kind})")
        chain.add("queue.not_found", outcome, evidence=(listing.evidence(),), visible=visible)
    elif outcome.kind == "client_error" and outcome.code in DENIED_CODES:
        chain.add("queue.url_denied", outcome)
    else:
        chain.add("queue.url_failed", outcome)


def _attribute_steps(chain: _QueueChain, sqs: Any, url: str) -> dict[str, str]:
    """GetQueueAttributes (all): waiting and in-flight counts, dead-letter queue, encryption, policy."""
    outcome = call(sqs, "get_queue_attributes", QueueUrl=url, AttributeNames=["All"])
    if not outcome.ok or outcome.response is None:
        chain.add("queue.attributes_unreadable", outcome, reached=False)
        return {}
    attributes = {str(key): str(value) for key, value in outcome.response.get("Attributes", {}).items()}
    waiting = int(attributes.get("ApproximateNumberOfMessages", "0") or 0)
    in_flight = int(attributes.get("ApproximateNumberOfMessagesNotVisible", "0") or 0)
    delayed = int(attributes.get("ApproximateNumberOfMessagesDelayed", "0") or 0)
    visibility = attributes.get("VisibilityTimeout", "?")
    redrive = _redrive(attributes.get("RedrivePolicy"))
    dead_letter = (f" Messages received {redrive[1]} time(s) move to {redrive[0]}." if redrive else
                   " No dead-letter queue is set.")
    evidence = (f"ApproximateNumberOfMessages={waiting} ApproximateNumberOfMessagesNotVisible={in_flight} "
                f"ApproximateNumberOfMessagesDelayed={delayed} VisibilityTimeout={visibility}",
                f"MessageRetentionPeriod={attributes.get('MessageRetentionPeriod', '?')} s",
                _policy_evidence(attributes.get("Policy")),
                "the age of the oldest message is a CloudWatch metric (ApproximateAgeOfOldestMessage), "
                "not a queue attribute: it is not read here")
    chain.add("queue.attributes", evidence=evidence, waiting=waiting, in_flight=in_flight,
              dead_letter=dead_letter, visibility=visibility)
    chain.add("queue.no_state")
    if waiting == 0:
        chain.add("queue.empty", in_flight=in_flight)
    if in_flight:
        chain.add("queue.in_flight", in_flight=in_flight, visibility=visibility)
    if redrive:
        waiting_there, dead_evidence = _dead_letter_count(sqs, attributes.get("RedrivePolicy"))
        chain.add("queue.dead_letter", evidence=dead_evidence, dead_letter_queue=redrive[0],
                  max_receive=redrive[1], dead_letter_waiting=waiting_there)
    kms_key = attributes.get("KmsMasterKeyId")
    if kms_key and kms_key != AWS_MANAGED_SQS_KEY:
        chain.add("queue.kms_encrypted", kms_key=kms_key)
    return attributes


def _policy_evidence(policy: str | None) -> str:
    """What the queue policy says about senders: the source buckets it admits, or that it names none."""
    if not policy:
        return "Policy: none (only the queue owner's account may send)"
    buckets = source_buckets(policy)
    return (f"Policy: admits S3 notifications from {', '.join(buckets)}" if buckets else
            "Policy: set, with no aws:SourceArn condition naming a bucket")


def _dead_letter_count(sqs: Any, redrive_text: str | None) -> tuple[str, tuple[str, ...]]:
    """How many messages already wait in the dead-letter queue (each a notification the module will never
    read), from GetQueueUrl and GetQueueAttributes on it; 'unknown' when it cannot be read."""
    try:
        target = str(json.loads(redrive_text or "{}").get("deadLetterTargetArn", ""))
    except (ValueError, AttributeError):
        return "unknown", ()
    parts = target.split(":")
    if len(parts) != 6:
        return "unknown", ()
    looked_up = call(sqs, "get_queue_url", QueueName=parts[5], QueueOwnerAWSAccountId=parts[4])
    if not looked_up.ok or looked_up.response is None:
        return f"unknown ({looked_up.code or looked_up.kind})", (looked_up.evidence(),)
    counted = call(sqs, "get_queue_attributes", QueueUrl=str(looked_up.response.get("QueueUrl", "")),
                   AttributeNames=["ApproximateNumberOfMessages"])
    if not counted.ok or counted.response is None:
        return f"unknown ({counted.code or counted.kind})", (counted.evidence(),)
    count = str(counted.response.get("Attributes", {}).get("ApproximateNumberOfMessages", "unknown"))
    return count, (f"{parts[5]}: ApproximateNumberOfMessages={count}",)


def _redrive(text: str | None) -> tuple[str, str] | None:
    """(dead-letter queue name, maxReceiveCount) from a RedrivePolicy attribute."""
    if not text:
        return None
    try:
        policy = json.loads(text)
    except ValueError:
        return None
    target = str(policy.get("deadLetterTargetArn", ""))
    if not target:
        return None
    return target.rsplit(":", 1)[-1], str(policy.get("maxReceiveCount", "?"))


def _permission_step(chain: _QueueChain, answers: tuple[PermissionAnswer, ...]) -> None:
    """One finding from the receive and delete verdicts, the first failure being the module's."""
    by_action = {answer.action: answer for answer in answers}
    how = "; ".join(f"{answer.action}: {answer.verdict} ({answer.detail})" for answer in answers)
    evidence = tuple(f"{answer.action}: {answer.verdict} by {answer.source}" for answer in answers)
    receive, delete = by_action[RECEIVE], by_action[DELETE]
    if receive.verdict == DENIED:
        chain.add("queue.receive_denied", evidence=evidence, how=how,
                  error="An error occurred (AccessDenied) when calling the ReceiveMessage operation: "
                        "<AWS's message>")
    elif delete.verdict == DENIED:
        chain.add("queue.delete_denied", evidence=evidence, how=how,
                  error="An error occurred (AccessDenied) when calling the DeleteMessage operation: "
                        "<AWS's message>")
    elif receive.verdict == ALLOWED and delete.verdict == ALLOWED:
        chain.add("queue.permission_ok", evidence=evidence, how=how)
    else:
        chain.add("queue.permission_unknown", evidence=evidence, how=how)


def _notification_step(chain: _QueueChain, session: boto3.session.Session, settings: ClientSettings,
                       policy: str | None, queue_arn: str) -> tuple[str, ...]:
    """The source bucket (named by the queue policy) must send its object-created events to this queue;
    returns the source buckets found."""
    buckets = source_buckets(policy)
    if not buckets:
        reason = ("The queue policy names no source bucket (no aws:SourceArn condition)" if policy else
                  "The queue has no policy, or it could not be read")
        chain.add("queue.notification_unknown", reached=False, reason=reason)
        return ()
    s3 = make_client(session, "s3", settings)
    for bucket in buckets:
        outcome = call(s3, "get_bucket_notification_configuration", Bucket=bucket)
        if not outcome.ok or outcome.response is None:
            chain.add("queue.notification_unknown", outcome, reached=False,
                      reason=f"The notification configuration of {bucket} cannot be read "
                             f"({outcome.code or outcome.kind})")
            continue
        configurations = outcome.response.get("QueueConfigurations", [])
        matching = [item for item in configurations if item.get("QueueArn") == queue_arn]
        if matching:
            events = ", ".join(sorted({str(event) for item in matching for event in item.get("Events", [])}))
            chain.add("queue.notification_ok", outcome, reached=False, bucket=bucket, events=events)
        else:
            targets = ", ".join(str(item.get("QueueArn")) for item in configurations) or "no queue at all"
            chain.add("queue.notification_missing", outcome, reached=False, bucket=bucket, targets=targets)
    return buckets
