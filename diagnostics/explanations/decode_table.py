"""Explanations for decode failures; part of the one table in ``diagnostics.explanations``.

Placeholders: ``{key}`` the object key, ``{basename}`` its last part, ``{error}`` the module's ``repr(e)``,
``{position}`` where in the object, ``{count}``/``{records}`` numbers, ``{field}`` a JSON key,
``{mismatch}`` what the bytes look like against the key's suffix, ``{limit}`` a size.
"""

from __future__ import annotations

from diagnostics.explanations.table import Explanation
from diagnostics.findings import Status

_WHOLE = ("The module reads and parses the whole object before sending any of it, so none of its events is "
          "sent. Without skip_on_error the run stops here with this exit code and later objects wait for "
          "the next run (which fails the same way); with skip_on_error it prints the error, sends one event "
          "carrying 'error_msg' instead, marks the object as processed and moves on, so its events are lost "
          "for good.")
_SKIP_FIX = ("If the object cannot be fixed, set <skip_on_error>yes</skip_on_error> so one bad object does "
             "not block the rest, and accept that its events are lost.")

_DECOMPRESSION: tuple[Explanation, ...] = (
    Explanation("decode.snappy_unsupported", "Snappy-compressed object: {key}",
                "The module opens objects by key suffix and refuses '.snappy'. " + _WHOLE,
                "Deliver with GZIP (or no) compression, e.g. set the Firehose stream's compression to GZIP. "
                + _SKIP_FIX,
                exit_code=8,
                script_message="Couldn't decompress the {key} file, snappy compression is not supported."),
    Explanation("decode.invalid_gzip", "Not a valid gzip object: {key}",
                "The key ends in '.gz', so the module inflates the whole object first and rejects it "
                "({error}). " + _WHOLE,
                "Check how the object was written: a key ending in .gz must hold gzip data from start to "
                "end (truncated uploads and plain text named .gz fail here). " + _SKIP_FIX,
                exit_code=8, script_message="Invalid gzip file received."),
    Explanation("decode.invalid_zip", "Not a valid zip object: {key}",
                "The key ends in '.zip', so the module opens it as a zip archive and reads its first "
                "member; the archive cannot be opened ({error}). " + _WHOLE,
                "Re-deliver the object as a real zip (or gzip named .gz). " + _SKIP_FIX,
                exit_code=8, script_message="Invalid zip file received."),
    Explanation("decode.decompress_failed", "Could not read {key}: {error}",
                "Reading the object raised an error the module files under decompression (TypeError, "
                "OSError or a zip error), at {position}. " + _WHOLE,
                "Inspect the object at the position shown; the events there do not have the shape this "
                "bucket type expects. " + _SKIP_FIX,
                exit_code=8, script_message="Failed to decompress file {key}: {error}"),
    Explanation("decode.parse_failed", "Could not parse {key}: {error}",
                "The object is not in the format this bucket type expects ({position}). " + _WHOLE,
                "Make sure the bucket type matches what is in the bucket: CloudTrail/Config objects are one "
                "JSON document; custom buckets need concatenated EventBridge JSON with no newlines between "
                "objects (pretty-printed or one-per-line JSON fails); other JSON, CSV or text belongs in a "
                "<subscriber type=\"buckets\"> (4.7+). " + _SKIP_FIX,
                exit_code=9, script_message="Failed to parse file {key}: {error}"),
    Explanation("decode.unknown_error", "Unexpected error reading {key}: {error}",
                "Reading the object raised an error the module has no category for ({position}); it reports "
                "it as 'Unknown error'. A truncated gzip object ends up here (EOFError). " + _WHOLE,
                "Look at the object at the position shown (or re-upload it if it is truncated). " + _SKIP_FIX,
                exit_code=1, script_message="Unknown error reading/parsing file {key}: {error}"),
)

_TYPE_SPECIFIC: tuple[Explanation, ...] = (
    Explanation("decode.waf_structure", "WAF event without the expected headers list in {key}",
                "A WAF event on line {line} has no httpRequest.headers list of name/value pairs. Without "
                "skip_on_error the module stops with exit 9 and nothing of the object is sent; with it, the "
                "module prints the error and sends the event with its headers unchanged.",
                "Check that this bucket holds AWS WAF logs delivered by Firehose. " + _SKIP_FIX,
                exit_code=9, script_message="The {key} file doesn't have the expected structure."),
    Explanation("decode.waf_json", "Line {line} of {key} is not WAF JSON",
                "Each line must hold one or more JSON objects with nothing between them. Without "
                "skip_on_error the module stops with exit 9 and nothing of the object is sent; with it, the "
                "module prints the error and skips the rest of that line (objects before the bad spot on "
                "the line are kept).",
                "Check that the bucket holds AWS WAF logs, one event per line. " + _SKIP_FIX,
                exit_code=9, script_message="Events from {basename} file could not be loaded."),
    Explanation("decode.reformat_failed", "The module would crash while reformatting an event of {key}",
                "Reformatting event {position} raised {error}. This happens after earlier events were "
                "already sent, outside the per-object error handling, so skip_on_error does not help: the "
                "run stops with exit 7 every time, the object is never marked, and the same events are "
                "re-sent on every run.",
                "Find the odd field in the event shown (a value of an unexpected type) and fix the "
                "producer, or exclude the object from this bucket path.",
                exit_code=7, script_message="Unexpected error querying/working with objects in S3: {error}"),
    Explanation("decode.send_failed", "The module could not serialise event {position} of {key}",
                "json.dumps failed on the event ({error}), typically because it is nested too deeply. This "
                "happens while sending, after earlier events were sent: the run stops with exit 13 and the "
                "object is re-read (and its first events re-sent) on every run.",
                "Fix the producer of this object, or move it out of the bucket path.",
                exit_code=13, script_message="Error sending message to wazuh: {error}"),
    Explanation("decode.umbrella_path", "Cisco Umbrella path has no log kind: '{path}'",
                "The module picks the CSV columns from the bucket's <path>: it must contain 'dnslogs', "
                "'proxylogs' or 'iplogs'. Otherwise it exits 12 before reading anything.",
                "Set <path> to the Umbrella folder of one log kind, e.g. <path>dnslogs</path>; configure "
                "one bucket block per kind.",
                exit_code=12,
                script_message="Only 'dnslogs', 'proxylogs' or 'iplogs' are allowed for Cisco Umbrella"),
    Explanation("decode.guardduty_firehose_unsupported",
                "GuardDuty via Firehose is not supported in 5.x: {key}",
                "Wazuh 5.0 reads only GuardDuty's own S3 export (AWSLogs/<account>/GuardDuty/...); a "
                "GuardDuty bucket without it fails with 'Invalid type of bucket' (exit 12; 4.x read it like "
                "a custom bucket).",
                "Configure GuardDuty to export findings to S3 directly and point the bucket at that export, "
                "or use type 'custom' for the Firehose output.",
                exit_code=12, script_message="Invalid type of bucket"),
    Explanation("decode.guardduty_kinesis_deprecated", "GuardDuty via Firehose (deprecated since 4.5): {key}",
                "This 4.x module reads it like a custom bucket and prints a deprecation notice on every "
                "run; 5.0 refuses it (exit 12).",
                "Switch GuardDuty to its native S3 export before upgrading to 5.0.", status=Status.WARNING),
    Explanation("decode.invalid_discard_regex", "discard_regex does not compile: {error}",
                "The module compiles the regex at start-up; an invalid one is an exception in main(), so "
                "every run of this bucket fails (exit 12 at debug 0, exit 1 with a traceback at debug 1 or "
                "more).",
                "Fix the <discard_regex> pattern (Python 're' syntax).",
                exit_code=12, script_message="{error}", catch_all=True),
    Explanation("decode.unknown_bucket_type", "Unknown bucket type '{type}'",
                "No decoder matches this type; the module would refuse it too.",
                "Use one of: cloudtrail, config, vpcflow, custom, guardduty, waf, alb, clb, nlb, "
                "server_access, cisco_umbrella.",
                exit_code=12, script_message="Invalid type of bucket", catch_all=True),
)

_SILENT: tuple[Explanation, ...] = (
    Explanation("decode.no_detail", "{count} of {records} records in {key} have no 'detail' key",
                "A custom bucket keeps only EventBridge envelopes (objects with 'detail'); everything else "
                "is dropped without any log line, so the run looks clean while nothing reaches Wazuh.",
                "Send EventBridge events (with 'detail') to this bucket, or read arbitrary JSON with a "
                "<subscriber type=\"buckets\"> (4.7+).", status=Status.WARNING),
    Explanation("decode.no_records_key", "{key} has no '{field}' key",
                "The module sends nothing from this object but still marks it as processed, with no log "
                "line.",
                "Check that this object belongs to this bucket type (a CloudTrail digest or another "
                "service's JSON here is ignored).", status=Status.WARNING),
    Explanation("decode.duplicate_records_key", "'{field}' appears more than once in {key}",
                "JSON keeps only the last occurrence, so the module sends only the last list's records; the "
                "preview above may show the first list too.",
                "Fix the producer so the key appears once.", status=Status.WARNING),
    Explanation("decode.digest_file", "{key} is a CloudTrail digest, not a log file",
                "Digest files (CloudTrail-Digest/) sit outside the CloudTrail/ prefix the module lists, so "
                "it never reads them; they carry no events anyway.",
                "Nothing to do: digests are for log-file integrity validation only.", status=Status.OK),
    Explanation("decode.empty_object", "{key} is empty",
                "An empty object holds no events. A plain empty object is parsed as an empty document; this "
                "is harmless for line formats but an error for JSON documents.",
                "Check the producer if objects should not be empty.", status=Status.WARNING),
    Explanation("decode.custom_not_json", "{key} does not start with '{{': read as VPC flow fields",
                "A custom bucket object whose first character is not '{{' is split on spaces into the 14 "
                "VPC flow-log fields; the module reads the first character ('{first}') before that, so the "
                "first field of the first line loses it. Every line becomes an event with source 'vpc'.",
                "Use type vpcflow for flow logs, or a <subscriber type=\"buckets\"> for other text.",
                status=Status.WARNING),
    Explanation("decode.oversized_events", "{count} events of {key} exceed 65,535 bytes",
                "The module logs 'Event size exceeds the maximum allowed limit of 65535 bytes.' at debug 1 "
                "and still calls send() on the queue socket without setting its buffer size. A datagram "
                "that fits the sending socket's buffer (net.core.wmem_default: 212,992 bytes by default, "
                "which lets 212,960 bytes through) is accepted, but analysisd reads at most 65,535 bytes of "
                "it, so the JSON arrives cut off and the event is not decoded as AWS JSON. A larger one "
                "fails with errno 90: the module prints 'ERROR: Message too long to send to Wazuh.  "
                "Skipping message...' (and at debug 1 '+++ ERROR: Message longer than buffer socket for "
                "Wazuh. Consider increasing rmem_max. Skipping message...'), drops that event and goes on "
                "with the next one.",
                "Drop such events with <discard_regex>, or fix the producer so no single record is that "
                "large; raising rmem_max does not help, since the sender's buffer is the limit.",
                status=Status.WARNING),
    Explanation("decode.events_cut", "{count} events of {key} hold a string longer than {long} characters",
                "A datagram this large is refused by the queue socket at any default buffer size (errno "
                "90): the module prints 'ERROR: Message too long to send to Wazuh.  Skipping message...' "
                "(debug 1 adds '+++ ERROR: Message longer than buffer socket for Wazuh. Consider increasing "
                "rmem_max. Skipping message...'), sends nothing for that event and goes on with the next "
                "one. To get there it holds the whole object in memory several times over, which can make "
                "wazuh-modulesd run out of memory first. This tool read the string to its end without "
                "keeping it: the event shown keeps its first {kept} characters, and its size is a lower bound.",
                "Find who writes such records into the bucket (a whole file shipped as one field) and fix "
                "the producer; drop them meanwhile with <discard_regex>, or move the object out of the "
                "prefix the module reads.", status=Status.WARNING),
    Explanation("decode.magic_mismatch", "{key}: {mismatch}",
                "The module chooses how to open an object only from the end of its key (.gz gzip, .zip zip, "
                ".snappy refused, anything else plain text), never from its bytes.",
                "Make the key suffix match the content (or the content match the suffix) at the producer.",
                status=Status.WARNING),
)

_OURS: tuple[Explanation, ...] = (
    Explanation("decode.long_string_preview", "{key}: a string longer than {long} characters; the preview "
                "stopped there",
                "The string starting at char {position} is too long to show: a preview stops at it rather "
                "than inflate and scan hundreds of MiB (the evidence shows its record's first {kept} "
                "characters). The module would build a datagram far larger than its queue socket accepts "
                "and skip it with 'ERROR: Message too long to send to Wazuh.  Skipping message...'; "
                "'ingest' reads the object to its end and shows what happens to the records after it.",
                "Find who writes such records into the bucket and fix the producer; drop them meanwhile "
                "with <discard_regex>.", status=Status.WARNING),
    Explanation("decode.value_too_large", "{key} holds one record longer than {limit} characters; "
                "decoding stopped",
                "This tool holds at most that much text for one record (at {position}) so a hostile "
                "object cannot exhaust its memory. The module would load the whole object and build a "
                "datagram far above what its queue socket accepts, which fails with 'ERROR: Message too "
                "long to send to Wazuh.  Skipping message...', if it does not run out of memory first.",
                "Inspect the object by hand; fix the producer so no single record is that large.",
                status=Status.WARNING),
    Explanation("decode.too_large", "{key} inflates past {limit} bytes; decoding stopped",
                "This tool refuses to inflate more than the cap (a guard against compression bombs). The "
                "module itself would load the whole object into memory and may run out of it.",
                "Inspect the object by hand if it is genuine; very large objects slow every run.",
                status=Status.WARNING),
    Explanation("decode.read_failed", "Reading {key} failed: {error}",
                "The object could not be read to the end from S3 (network or permission trouble during the "
                "download), so the verdict is incomplete.",
                "Retry; if it persists, check connectivity and s3:GetObject/kms:Decrypt permissions."),
)

ENTRIES: tuple[Explanation, ...] = _DECOMPRESSION + _TYPE_SPECIFIC + _SILENT + _OURS
