"""Explanations for the read-only subscriber pass (``ingest --block`` on a subscriber, the Notified objects screen).

The module bugs the pass meets (a key with a space, Security Hub's first finding, plain text read as CSV, the
'None' regex) reuse the queue entries of ``inputs_table``; these entries say what the pass read and where the
module's run stops.
"""

from __future__ import annotations

from diagnostics.explanations.table import Explanation
from diagnostics.findings import Status

NO_SOURCE_LAKE = "Security Lake writes to its own bucket, which its queue does not name"
NO_SOURCE_POLICY = "the queue policy names no source bucket"
DECODING_HUB = "The Security Hub subscriber decodes nothing, so any encoded character breaks the key."
DECODING_BUCKETS = "The buckets subscriber decodes '%XX' but keeps '+', so a space comes back as '+'."
STUCK_DEAD_LETTER = ("; after {max_receive} receives SQS moves it to {dead_letter_queue}, which the module never "
                     "reads, so its events are lost unless it is redriven")
STUCK_NO_DEAD_LETTER = "; with no dead-letter queue it keeps coming back until the queue's retention period ends"
RISK_DEAD_LETTER = ("Its redrive policy moves a message to {dead_letter_queue} after {max_receive} receives, and the "
                    "module never reads that queue: a message already received often (by failed runs, by another "
                    "consumer) may move there on this receive or the module's next one.")
RISK_NO_DEAD_LETTER = "It has no dead-letter queue, so a receive costs only the count."
RECEIVED_NEAR = (" {near} of them are within one receive of maxReceiveCount {max_receive}: the next receive moves "
                 "them to {dead_letter_queue}.")
RECEIVED_FAILED = " The receive failed: {error}."
"""Fragments the entries below take as values, chosen by what the pass found (kept here with the entries)."""

ENTRIES: tuple[Explanation, ...] = (
    Explanation(
        failure_id="subscriber_pass.summary",
        title="{objects} object(s) the queue would deliver: {sent} event(s) sent, {dropped} dropped; the module "
              "exits {exit_code}",
        explanation="From s3://{bucket}, the objects {route}: the {objects} newest of {matched} (of {listed} "
                    "listed{truncated}), met in the order of their LastModified time. S3 notifies roughly in "
                    "creation order; the queue's own order is only known by receiving, which this pass never "
                    "does. The queue holds {waiting} message(s) now. Nothing was received, deleted or written.",
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="subscriber_pass.stuck",
        title="The run stops at {key}: its message is never deleted",
        explanation="{reason} The module ends the run there (exit {exit_code} at debug {debug_level}) before "
                    "deleting the message, so the {behind} object(s) after it in this pass are not read either. "
                    "The message becomes visible again after the queue's {visibility} s visibility timeout; the "
                    "next run receives it, raising its receive count, and stops at it again{dead_letter}.",
        fix="Remove the cause (the finding about {key}), then purge the stuck message or let it expire; until "
            "then every run stops at it and the messages behind it wait.",
        status=Status.ERROR,
    ),
    Explanation(
        failure_id="subscriber_pass.no_source",
        title="The objects {queue} would deliver are not known: {reason}",
        explanation="The doctor never receives from the queue (a receive hides the message from the module and "
                    "raises its receive count), so it finds the notified objects in the bucket that notifies the "
                    "queue.",
        fix=("Name that bucket: the bucket field of the app's Notified objects, or wazuh-aws-doctor ingest --block "
             "{line} --bucket BUCKET."),
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="subscriber_pass.no_route",
        title="Bucket {bucket} sends no notification to {queue}",
        explanation="Its notification configuration has no queue configuration for {queue_arn} (it targets "
                    "{targets}), so no new object of {bucket} reaches the queue and the module's run has nothing "
                    "of it to read.",
        fix="Add an event notification on {bucket} (s3:ObjectCreated:*) with destination {queue_arn}, or name "
            "the bucket that does notify the queue with --bucket.",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="subscriber_pass.removed_events",
        title="{bucket} notifies {queue} of removed objects ({events}): such a message stops every run",
        explanation="The subscriber does not look at the event's name: it asks S3 for the object the message "
                    "names, which a removal notification names after it is gone. GetObject answers NoSuchKey and "
                    "the run ends there before deleting the message, which comes back after the visibility "
                    "timeout and stops the next runs too (recorded from 4.14.7: exit 1 at debug 2).",
        fix="Send only s3:ObjectCreated:* events of {bucket} to {queue}; purge the removal messages already "
            "queued.",
        exit_code=12,
        script_message="An error occurred (NoSuchKey) when calling the GetObject operation: The specified key "
                       "does not exist.",
        catch_all=True,
    ),
    Explanation(
        failure_id="subscriber_pass.repeat_events",
        title="{bucket} notifies {queue} of events on existing objects ({events}): their events are sent again",
        explanation="The subscriber reads the object each message names whatever the event, so a tag, ACL, "
                    "restore or replication event on an object already read sends all its events to Wazuh again "
                    "(duplicate alerts).",
        fix="Send only s3:ObjectCreated:* events of {bucket} to {queue}.",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="subscriber_pass.cancelled",
        title="The subscriber pass was cancelled after {done} object(s)",
        explanation="Nothing was received, deleted or written, so there is nothing to undo; {remaining} "
                    "object(s) were not read.",
        fix="Run the pass again to read them.",
        status=Status.SKIPPED,
    ),
    Explanation(
        failure_id="subscriber_pass.receive_risk",
        title="Receiving {count} message(s) from {queue} raises each one's receive count",
        explanation="Every ReceiveMessage raises the ApproximateReceiveCount of each message it returns, even "
                    "with VisibilityTimeout=0 (which makes them visible again at once, so the module's next run "
                    "still gets them). {redrive} The queue holds {waiting} message(s) now. The doctor never "
                    "deletes a message nor changes its visibility afterwards.",
        fix="Add --yes-i-understand-receive-count to receive anyway, or run the read-only pass (without "
            "--receive-messages), which reads the notified objects from the source bucket instead.",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="subscriber_pass.received",
        title="Received {count} message(s) naming {objects} object(s), none deleted",
        explanation="Received with VisibilityTimeout=0, so they are visible again already; the highest "
                    "receive count among them is now {highest}.{near}{error}",
        fix="",
        status=Status.OK,
    ),
)
