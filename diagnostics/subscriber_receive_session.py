"""The explicit opt-in pass that receives a subscriber queue's messages (never the default, never deleting).

``receive_risk`` reads only the queue's attributes and says what receiving costs: every receive raises each
returned message's receive count, and a redrive policy moves a message to its dead-letter queue (which the module
never reads) after maxReceiveCount receives. ``run_received_pass`` receives with VisibilityTimeout=0, so the
messages are visible again at once, then meets the objects they name exactly as the read-only pass does.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from diagnostics.aws.access_probes import call
from diagnostics.aws.clients import make_client
from diagnostics.explanations import fill
from diagnostics.explanations.subscriber_pass_table import (
    RECEIVED_FAILED,
    RECEIVED_NEAR,
    RISK_DEAD_LETTER,
    RISK_NO_DEAD_LETTER,
)
from diagnostics.findings import Finding
from diagnostics.ingest.subscriber_pass import run_subscriber_objects
from diagnostics.ingest.subscriber_receive import Received, receive_messages, received_objects
from diagnostics.input_session import InputSession, open_input
from diagnostics.subscriber_pass_session import (
    QueueFacts,
    SubscriberPassResult,
    bug_findings,
    read_queue,
    stuck_finding,
    table_finding,
)

if TYPE_CHECKING:
    from diagnostics.context import DoctorContext
    from diagnostics.wazuh.wodle import Block, Wodle


@dataclass(frozen=True)
class ReceiveRisk:
    """What receiving would cost, read from the queue's attributes only; ``findings`` say why it cannot be read."""

    findings: tuple[Finding, ...]
    queue: QueueFacts | None = None


@dataclass(frozen=True)
class _OpenQueue:
    session: InputSession
    sqs: Any
    facts: QueueFacts | None
    findings: tuple[Finding, ...]


def _open_queue(context: DoctorContext, block: Block, wodle: Wodle | None, count: int) -> _OpenQueue:
    """The block's session and queue (GetQueueUrl, GetQueueAttributes) with the risk finding; nothing received."""
    session = open_input(context, block, wodle)
    if session.aws_session is None or session.settings is None:
        return _OpenQueue(session, None, None, session.findings)
    sqs: Any = make_client(session.aws_session, "sqs", session.settings)
    name = block.value("sqs_name") or ""
    looked_up = call(sqs, "get_queue_url", QueueName=name)
    if not looked_up.ok or looked_up.response is None:
        return _OpenQueue(session, sqs, None, (table_finding(session, "queue.url_failed", "queue.lookup", queue=name,
                                                             region=sqs.meta.region_name,
                                                             error=looked_up.error_text),))
    facts = read_queue(sqs, str(looked_up.response["QueueUrl"]), name, session).facts
    redrive = (fill(RISK_DEAD_LETTER, {"dead_letter_queue": facts.dead_letter_queue,
                                       "max_receive": facts.max_receive})
               if facts.dead_letter_queue else RISK_NO_DEAD_LETTER)
    risk = table_finding(session, "subscriber_pass.receive_risk", "subscriber.receive", queue=name, count=count,
                         waiting=facts.waiting, redrive=redrive)
    return _OpenQueue(session, sqs, facts, (risk,))


def receive_risk(context: DoctorContext, block: Block, wodle: Wodle | None, count: int) -> ReceiveRisk:
    """The cost of receiving ``count`` messages, from GetQueueAttributes (nothing is received)."""
    opened = _open_queue(context, block, wodle, count)
    return ReceiveRisk(opened.findings, opened.facts)


def run_received_pass(context: DoctorContext, block: Block, wodle: Wodle | None, count: int, *, debug_level: int,
                      emit_line: Callable[[str], None], send: Callable[[str], None]) -> SubscriberPassResult:
    """Receive up to ``count`` messages (VisibilityTimeout=0, never deleted) and meet the objects they name."""
    opened = _open_queue(context, block, wodle, count)
    session, facts = opened.session, opened.facts
    if facts is None or session.aws_session is None or session.settings is None:
        exit_code = next((finding.wazuh_exit_code for finding in opened.findings if finding.wazuh_exit_code), 1)
        return SubscriberPassResult(block.label, opened.findings, exit_code)
    kind = block.block_type or "buckets"
    received = receive_messages(opened.sqs, facts.url, count, kind)
    listing = received_objects(kind, received)
    s3: Any = make_client(session.aws_session, "s3", session.settings)
    run = run_subscriber_objects(s3, block, context, listing, facts.url, debug_level, emit_line, send)
    findings = [*opened.findings, _received_finding(session, facts, received, len(listing.objects)),
                *bug_findings(session, run)]
    stopped = run.stopped_at
    if stopped is not None:
        findings.append(stuck_finding(session, facts, run, stopped.key, stopped.stop or "", debug_level))
    return SubscriberPassResult(block.label, tuple(findings), run.exit_code, listing, run, (), facts)


def _received_finding(session: InputSession, facts: QueueFacts, received: Received, objects: int) -> Finding:
    counts = [message.receive_count for message in received.messages]
    max_receive = facts.max_receive or ""
    limit = int(max_receive) if facts.dead_letter_queue and max_receive.isdigit() else None
    close = sum(1 for seen in counts if limit is not None and seen >= limit - 1)
    near = fill(RECEIVED_NEAR, {"near": close, "max_receive": limit, "dead_letter_queue": facts.dead_letter_queue}) \
        if close else ""
    evidence = tuple(f"{message.message_id}: ApproximateReceiveCount={message.receive_count}, names "
                     f"{message.raw_key or '(no object: skipped by the module and never deleted)'}"
                     for message in received.messages[:20])
    finding = table_finding(session, "subscriber_pass.received", "subscriber.receive", count=len(received.messages),
                            objects=objects, highest=max(counts, default=0), near=near,
                            error=fill(RECEIVED_FAILED, {"error": received.error}) if received.error else "")
    return dataclasses.replace(finding, evidence=evidence)
