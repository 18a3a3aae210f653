"""Explanations for subscriber queues, CloudWatch Logs and Inspector; part of the one table of explanations."""

from __future__ import annotations

from diagnostics.explanations.table import Explanation
from diagnostics.findings import Status

QUEUE_MISSING = "Queue does not exist, verify the given name"
"""What the subscriber prints for every GetQueueUrl failure, whatever the cause."""
OURS = " The module never makes this call: it is our read-only probe."

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
    Explanation(
        failure_id="logs.skipped",
        title="CloudWatch Logs not checked: {reason}",
        explanation="The CloudWatch Logs checks need <aws_log_groups> and working credentials.",
        fix="",
        status=Status.SKIPPED,
    ),
    Explanation(
        failure_id="logs.regions_all",
        title="No region: the module tries all {count} regions, starting with {first}",
        explanation="Without <regions> the module takes the region of [{profile_section}] in the module's "
                    "~/.aws/config, read as a plain section name (a [profile NAME] section is not found this "
                    "way); failing that it asks every region in its list, in order. A log group exists in one "
                    "region, so the first region without it ends the run (exit 16) before the group's region "
                    "is reached.",
        fix="Set <regions> to the log groups' region(s).",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="service.regions_ok",
        title="The run walks {loop}, and each region's client reads that region",
        explanation="The regions come from {origin}; no region in the module's ~/.aws/config overrides them.",
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="service.region_overridden",
        title="Every region of the run reads {client_region}: {overridden} are never read",
        explanation="The module builds each region's client with the region of [{section}] from its "
                    "~/.aws/config ({client_region}), and that region wins over the one the loop passes. So "
                    "each of the {count} iterations ({loop}) reads {client_region} and stores its progress "
                    "under the loop's region: the same events are sent once per iteration (duplicate alerts), "
                    "and nothing in {overridden} is ever read. This is predicted from how the module sets up "
                    "its clients; the tests record it from a real run where a golden file exists.",
        fix="Set <regions> to exactly {client_region}, or give each region its own <service> block with an "
            "<aws_profile> whose region is that region.",
        status=Status.ERROR,
    ),
    Explanation(
        failure_id="logs.group_ok",
        title="Log group {group} in {region}: {streams} stream(s)",
        explanation="DescribeLogStreams answered like the module's first call for the group.{read_note}",
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="logs.group_failed",
        title="Log group {group} cannot be read in {region} ({code})",
        explanation="DescribeLogStreams answered: {message}. The module's whole run stops at this call (exit "
                    "16): the groups and regions after this one are not read either.",
        fix="{fix_hint}",
        exit_code=16,
        script_message='The "get_log_streams" request failed: {error}',
    ),
    Explanation(
        failure_id="logs.group_unreachable",
        title="CloudWatch Logs in {region} cannot be reached",
        explanation="{error}. The module prints the error and goes on with no streams for the group, so the run "
                    "ends without events and without a failure exit.",
        fix="Check the network path (proxy, VPC endpoint) to logs.{region}.amazonaws.com.",
        status=Status.ERROR,
    ),
    Explanation(
        failure_id="logs.events_denied",
        title="Events of {group} cannot be read ({code})",
        explanation="GetLogEvents on stream {stream} answered: {message}. The module's whole run stops at the "
                    "first stream it cannot read (exit 16), before any later stream, group or region.",
        fix="Allow logs:GetLogEvents on {group} for {principal}.",
        exit_code=16,
        script_message='The "get_log_events" request failed: {error}',
    ),
    Explanation(
        failure_id="logs.none_dropped",
        title="{count} of the first {sampled} events of {stream} will be dropped: they start with 'None'",
        explanation="With no <discard_regex>, the module compiles the literal pattern 'None' and applies it to "
                    "every CloudWatch message that is not JSON, so plain-text messages beginning with 'None' "
                    "(e.g. {example}) are silently skipped; only debug level 2 shows a 'regex found a match' "
                    "line. This is a bug of the module that loses logs, reproduced from a recorded run of "
                    "4.14.7.",
        fix="Add <discard_regex>(?!)</discard_regex> (a pattern that never matches) to the <service> block: "
            "the module then sends every message.",
        status=Status.ERROR,
    ),
    Explanation(
        failure_id="logs.remove_streams",
        title="remove_log_streams deletes every stream of {group} the module has read",
        explanation="With <remove_log_streams>yes</remove_log_streams> the module calls DeleteLogStream after "
                    "reading each stream: the logs are gone from CloudWatch afterwards, and a failed delete stops "
                    "the run (exit 16). The doctor never deletes streams.",
        fix="Keep it only if Wazuh is the logs' sole destination; the role then also needs logs:DeleteLogStream.",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="logs.state_first_run",
        title="No saved progress for {group} under {loop_region}: the next run reads from {start}",
        explanation="aws_services.db has no cloudwatch_logs row for this group and loop region, so the module "
                    "reads every stream from {start} (only_logs_after, else today at 00:00 UTC) to now.",
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="logs.state",
        title="{count} stream(s) of {group} read before under {loop_region}; latest event sent {latest}",
        explanation="The module keeps, per stream, the token and the first and last event times it sent, keyed "
                    "by the loop's region ({loop_region}). The next run asks each stream for events after its "
                    "last one (and, when only_logs_after is earlier than a stream's first event, for the gap "
                    "before it). Streams: {streams}.",
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="inspector.skipped",
        title="Inspector not checked: {reason}",
        explanation="The Inspector checks need working credentials.",
        fix="",
        status=Status.SKIPPED,
    ),
    Explanation(
        failure_id="inspector.findings_ok",
        title="Inspector findings readable in {region} ({count} on the first page)",
        explanation="ListFindings answered for the window the next run asks for: updatedAt from {start} to now "
                    "({window_origin}).",
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="inspector.findings_failed",
        title="Inspector findings cannot be listed in {region} ({code})",
        explanation="ListFindings answered: {message}. The module has no handler for this error, so the run "
                    "ends in its generic error path.",
        fix="Allow inspector2:ListFindings for {principal}, and check Inspector is enabled in {region}.",
        exit_code=12,
        script_message="{error}",
        catch_all=True,
    ),    Explanation(
        failure_id="service.state_unreadable",
        title="aws_services.db cannot be read ({health}): where the next run starts is unknown",
        explanation="Opening {state_db} read-only failed ({detail}), so the saved CloudWatch Logs progress and "
                    "Inspector scan dates cannot be shown; the steps below assume none is saved.",
        fix="Check the file's ownership and permissions (root:wazuh, 0660) and that it is an SQLite file; if it "
            "is locked, run the check again after the scheduled run ends.",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="role.missing",
        title="Role {role_arn} does not exist",
        explanation="iam:GetRole in account {account} answered NoSuchEntity. STS refuses AssumeRole on a missing "
                    "role like any other denial (AccessDenied), so the module stops with exit 3 ('Access error') "
                    "before any other call." + OURS,
        fix="Create the role, or copy its exact ARN from the IAM console into <iam_role_arn>.",
        exit_code=3,
        script_message="Access error: {error}",
    ),
    Explanation(
        failure_id="role.external_id_wrong",
        title="The trust policy of {role_arn} expects ExternalId {demanded}, not {sent}",
        explanation="The module sends <external_id> as the ExternalId of its AssumeRole call; the role's trust "
                    "policy admits only {demanded}, so STS refuses the call (AccessDenied) and the module stops "
                    "with exit 3 ('Access error')." + OURS,
        fix="Set <external_id> to the value the role expects (for Security Lake: the external id given when "
            "the subscriber was created), or change the trust policy's sts:ExternalId condition.",
        exit_code=3,
        script_message="Access error: {error}",
    ),
    Explanation(
        failure_id="role.external_id_missing",
        title="The trust policy of {role_arn} demands an ExternalId; the block sends none",
        explanation="The role's trust policy admits AssumeRole only with ExternalId {demanded}, and the block "
                    "has no <external_id>, so STS refuses the call (AccessDenied) and the module stops with "
                    "exit 3 ('Access error')." + OURS,
        fix="Add <external_id> with the value the role expects to the subscriber block.",
        exit_code=3,
        script_message="Access error: {error}",
    ),
    Explanation(
        failure_id="role.external_id_unsendable",
        title="The trust policy of {role_arn} demands an ExternalId the module never sends here",
        explanation="The role's trust policy admits AssumeRole only with ExternalId {demanded}, but the module "
                    "passes <external_id> for subscribers only, so every run of this block ends with exit 3 "
                    "('Access error')." + OURS,
        fix="Use a role whose trust policy has no sts:ExternalId condition for this principal.",
        exit_code=3,
        script_message="Access error: {error}",
    ),
    Explanation(
        failure_id="role.trust_ok",
        title="The trust policy of {role_arn} admits the ExternalId the module sends ({sent})",
        explanation="The role exists and its trust policy's sts:ExternalId condition ({demanded}) does not "
                    "refuse what the module sends; whether this caller may assume it is the AssumeRole step's "
                    "answer." + OURS,
        fix="",
        status=Status.OK,
    ),
)
