"""Explanations for a subscriber's queue chain (queue, permissions, notification, the objects it names).

Part of the one table of explanations; CloudWatch Logs and Inspector entries live in ``services_table`` and role
trust in ``role_table``, so each file holds one concept.
"""

from __future__ import annotations

from diagnostics.explanations.table import Explanation
from diagnostics.findings import Status

QUEUE_MISSING = "Queue does not exist, verify the given name"
"""What the subscriber prints for every GetQueueUrl failure, whatever the cause."""
OURS = " The module never makes this call: it is our read-only probe."
"""Appended to the explanation of a probe of ours (here and in ``role_table``), so no one reads it as the module's."""

ENTRIES: tuple[Explanation, ...] = (
    Explanation(
        failure_id="queue.skipped",
        title="Queue not checked: {reason}",
        explanation="The queue checks need a subscriber block with <sqs_name> and working credentials.",
        fix="",
        status=Status.SKIPPED,
    ),
    Explanation(
        failure_id="queue.no_region",
        title="The module's SQS client has no region: the subscriber stops before looking up {queue}",
        explanation="Subscribers have no <regions> option, and neither the profile the module uses nor "
                    "AWS_DEFAULT_REGION gives one, so building the SQS client fails ('You must specify a region.') "
                    "before any call. That error is not one the module handles: exit 12 at debug 0, exit 1 with a "
                    "traceback above it. (The doctor's own probes below use us-east-1.)",
        fix="Add region = <the queue's region> to {config_hint} in the module's ~/.aws/config, or set "
            "AWS_DEFAULT_REGION in wazuh-modulesd's environment.",
        exit_code=12,
        script_message="You must specify a region.",
        catch_all=True,
    ),
    Explanation(
        failure_id="queue.url_ok",
        title="Queue {queue} found in {region}",
        explanation="GetQueueUrl answered {url}; the module asks for it by name the same way at the start of "
                    "every run.",
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="queue.not_found",
        title="Queue {queue} does not exist in {region}",
        explanation="GetQueueUrl answered {code}: there is no queue named '{queue}' in {region}, the region the "
                    "module's SQS client uses (subscribers have no <regions> option: the region comes only from "
                    "the profile or the module's environment). Queues this identity sees in {region}: "
                    "{visible}.",
        fix="Fix <sqs_name>, or set region = <the queue's region> in the profile the module uses "
            "({config_hint}).",
        exit_code=20,
        script_message=QUEUE_MISSING,
    ),
    Explanation(
        failure_id="queue.url_denied",
        title="{principal} may not look up queue {queue}",
        explanation="GetQueueUrl answered {code}: {message}. The module reports this exactly like a missing "
                    "queue, which sends many admins looking for a typo that is not there.",
        fix="Allow sqs:GetQueueUrl, sqs:ReceiveMessage and sqs:DeleteMessage on the queue for {principal} "
            "(identity policy or the queue policy).",
        exit_code=20,
        script_message=QUEUE_MISSING,
    ),
    Explanation(
        failure_id="queue.url_failed",
        title="Queue {queue} cannot be looked up",
        explanation="GetQueueUrl failed ({error}). The module stops with its 'queue does not exist' message "
                    "for any error of this call.",
        fix="Check the endpoint and network path to SQS in {region}, then rerun.",
        exit_code=20,
        script_message=QUEUE_MISSING,
    ),
    Explanation(
        failure_id="queue.attributes",
        title="{waiting} message(s) waiting, {in_flight} in flight",
        explanation="Each message is one S3 notification; the module receives up to 10 at a time (waiting up to "
                    "20 s), reads the object each points to, sends its events and deletes the message. Messages "
                    "in flight were received by someone and not yet deleted: another manager reading the same "
                    "queue, or a run that stopped before deleting.{dead_letter}",
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="queue.empty",
        title="No messages waiting in {queue}",
        explanation="The next run will find nothing to read and send no event. If logs are expected, the "
                    "notifications do not reach this queue (see the notification step), or another consumer "
                    "takes them first ({in_flight} in flight).",
        fix="Check that the source bucket's event notification targets this queue, and that only one manager "
            "reads it.",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="queue.in_flight",
        title="{in_flight} message(s) in flight: another consumer may be reading {queue}",
        explanation="Messages in flight were received and not deleted. A second manager (or any other reader) "
                    "on the same queue gets its own share of the notifications, so each manager sees only part "
                    "of the logs; a message that is never deleted comes back after the {visibility} s "
                    "visibility timeout and its events are sent again.",
        fix="Let one manager read the queue, or give each manager its own queue (S3 can notify several "
            "queues through SNS or EventBridge).",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="queue.dead_letter",
        title="Messages received {max_receive} time(s) move to {dead_letter_queue}",
        explanation="The queue's redrive policy moves a message to {dead_letter_queue} after {max_receive} "
                    "receives. The module never reads that queue, so the logs a moved message points to are "
                    "never ingested, and every receive (ours included, which is why we never receive) counts. "
                    "Messages in {dead_letter_queue} now: {dead_letter_waiting}.",
        fix="Inspect {dead_letter_queue} for stuck notifications and fix what made their runs fail; redrive them "
            "to {queue} afterwards.",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="queue.kms_encrypted",
        title="{queue} is encrypted with KMS key {kms_key}",
        explanation="Receiving from a queue encrypted with a customer managed key needs kms:Decrypt on that key; "
                    "without it ReceiveMessage fails and the module stops with exit 21, printing the reason "
                    "only at debug 1 and above.",
        fix="Allow kms:Decrypt on {kms_key} for {principal}.",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="queue.no_state",
        title="Subscribers keep no state: the queue is their state",
        explanation="The module writes no database for a subscriber. A message it deletes is done; a message "
                    "still in the queue (waiting or in flight) is read again by a later run. So what the next run "
                    "reads is exactly what the queue holds, and nothing on this host can be reset or rewound.",
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="queue.attributes_unreadable",
        title="The queue's attributes cannot be read",
        explanation="GetQueueAttributes answered {code}: {message}. Without them the doctor cannot count "
                    "waiting messages or see the dead-letter queue and the queue policy." + OURS,
        fix="Allow sqs:GetQueueAttributes to see the queue's state (optional for the module).",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="queue.permission_ok",
        title="{principal} may receive and delete messages",
        explanation="{how}.",
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="queue.receive_denied",
        title="{principal} may not receive messages from {queue}",
        explanation="{how}. The module's first ReceiveMessage fails and the run stops; at debug 0 nothing is "
                    "printed but the exit code.",
        fix="Allow sqs:ReceiveMessage and sqs:DeleteMessage on {queue_arn} for {principal}.",
        exit_code=21,
        script_message="DEBUG: ERROR: Error receiving message from SQS: {error}",
        debug_only=True,
    ),
    Explanation(
        failure_id="queue.delete_denied",
        title="{principal} may receive but not delete messages: events are sent again every run",
        explanation="{how}. The module sends a notification's events first and deletes the message after; the "
                    "delete fails, the run stops, and the message comes back after the visibility timeout, so "
                    "the same events reach Wazuh again on every run (duplicate alerts).",
        fix="Allow sqs:DeleteMessage on {queue_arn} for {principal}.",
        exit_code=21,
        script_message="DEBUG: ERROR: Error deleting message from SQS: {error}",
        debug_only=True,
    ),
    Explanation(
        failure_id="queue.permission_unknown",
        title="Whether {principal} may receive and delete cannot be known without receiving",
        explanation="{how}. Receiving would hide a message from the module and raise its receive count (a "
                    "dead-letter queue may then swallow it), so the doctor does not try.",
        fix="Check that {principal} has sqs:ReceiveMessage and sqs:DeleteMessage on {queue_arn}, or allow "
            "iam:SimulatePrincipalPolicy so the doctor can ask IAM.",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="queue.notification_ok",
        title="Bucket {bucket} notifies {queue} ({events})",
        explanation="GetBucketNotificationConfiguration lists a queue configuration targeting {queue_arn}." + OURS,
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="queue.notification_missing",
        title="Bucket {bucket} does not notify {queue}",
        explanation="The queue policy names {bucket} as its source, but the bucket's event notifications target "
                    "{targets}. No new object in {bucket} reaches the queue, so the module has nothing to read.",
        fix="Add an event notification on {bucket} (s3:ObjectCreated:*) with destination {queue_arn}.",
        status=Status.ERROR,
    ),
    Explanation(
        failure_id="queue.notification_unknown",
        title="The bucket behind {queue} is not known",
        explanation="{reason}. Which bucket's objects the notifications point to is only in the messages, and "
                    "the doctor never receives them.",
        fix="",
        status=Status.SKIPPED,
    ),
    Explanation(
        failure_id="queue.key_with_space",
        title="{count} object(s) in {bucket} are asked for under another name: every run stops at them",
        explanation="S3 URL-encodes the key in each notification (a space becomes '+'). {decoding} So the "
                    "module asks S3 for an object that does not exist and ends the run (exit 12) before deleting "
                    "the message, which comes back after the visibility timeout: every run stops at it until it "
                    "expires or moves to a dead-letter queue, and the messages behind it wait. Keys: {keys}. This "
                    "is a bug of the module, reproduced from a recorded run of 4.14.7.",
        fix="Rename the objects with only letters, digits and '/-_.' in their keys (or have the writer do so), "
            "then purge or redrive the stuck messages; read the renamed objects once with a "
            "<bucket type=\"custom\"> block if their events are needed.",
        exit_code=12,
        script_message="An error occurred (NoSuchKey) when calling the GetObject operation: The specified key "
                       "does not exist.",
        catch_all=True,
    ),
    Explanation(
        failure_id="queue.findings_lost",
        title="{lost} finding(s) of {key} will never reach Wazuh: only the first finding of an event is sent",
        explanation="The Security Hub subscriber sends one event per exported EventBridge event and copies only "
                    "the first item of its 'findings' list; events that carry several findings (custom actions "
                    "do) lose the rest. This is a bug of the module, reproduced from a recorded run of 4.14.7.",
        fix="Send findings one per event (the 'Security Hub Findings - Imported' rule does), or read the "
            "exported files with a <bucket type=\"custom\"> block, which sends each record whole.",
        status=Status.ERROR,
    ),
    Explanation(
        failure_id="queue.objects_unlisted",
        title="The objects of {bucket} cannot be listed ({code})",
        explanation="ListObjectsV2 answered: {message}. The module never lists (it reads the objects the "
                    "notifications name), so this only limits what the doctor can show." + OURS,
        fix="Allow s3:ListBucket on {bucket} to let the doctor sample its newest object (optional).",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="queue.object_denied",
        title="The newest object of {bucket} cannot be read ({code})",
        explanation="GetObject on {key} answered: {message}. The module reads each notified object the same "
                    "way, has no handler for this error, and ends the run before deleting the message, so the "
                    "same notification stops every run.",
        fix="Allow s3:GetObject on arn:aws:s3:::{bucket}/* (and kms:Decrypt on the bucket's key if it uses "
            "SSE-KMS) for {principal}.",
        exit_code=12,
        script_message="{error}",
        catch_all=True,
    ),
    Explanation(
        failure_id="queue.object_stops",
        title="Reading {key} stops the run",
        explanation="{reason}. The module ends the run there, before deleting the message, so the same "
                    "notification stops every run.",
        fix="Fix or remove the object, then purge the stuck message.",
        exit_code=12,
        script_message="{reason}",
        catch_all=True,
    ),
    Explanation(
        failure_id="queue.object_sample",
        title="Newest object {key}: read as {format}, {sent} event(s) sent, {dropped} dropped",
        explanation="Decoded the way the subscriber decodes a notified object.{note}",
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="queue.object_mangled",
        title="{key} is plain text whose first line has no digit: the module mangles it",
        explanation="{note} Each later line is split on that delimiter into fields named after the first "
                    "line's words, which decoders and rules do not expect. This is a bug of the module, "
                    "reproduced from a recorded run of 4.14.7.",
        fix="Write the logs as JSON (one object per line, key ending .jsonl.gz) or start each file with a line "
            "that contains a digit (a timestamp), or read the bucket with a <bucket type=\"custom\"> block.",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="queue.object_none_dropped",
        title="{count} line(s) of {key} will be dropped: they start with 'None'",
        explanation="With no <discard_regex>, the module compiles the literal pattern 'None' and skips every "
                    "plain-text line that starts with it (e.g. {example}). This is a bug of the module that loses "
                    "logs.",
        fix="Add <discard_regex>(?!)</discard_regex> (a pattern that never matches) to the <subscriber> block.",
        status=Status.ERROR,
    ),
)
