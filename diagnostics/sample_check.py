"""The "read one object" step: decode the next file the module would read and say what it would send.

Listing and reading can both succeed while nothing reaches Wazuh (a custom bucket whose objects have no
``detail``, a gzip that is not one, a discard_regex that drops everything), so the troubleshooting walk
ends by decoding one real file exactly as the module would.
"""

from __future__ import annotations

import threading
from itertools import islice
from typing import Any

from diagnostics.context import DoctorContext
from diagnostics.decode.model import decode_context_for
from diagnostics.decode.registry import module_would_send
from diagnostics.decode.streams import open_s3_object
from diagnostics.explanations import build_finding
from diagnostics.findings import Finding, Status
from diagnostics.layout.classify import ClassifiedKey, Verdict
from diagnostics.layout.module_walk import WalkStopped, walk_module
from diagnostics.layout.prefixes import BucketLayout
from diagnostics.layout.stop_point import keys_with_stop
from diagnostics.layout.walk_findings import walk_stop
from diagnostics.wazuh.wodle import Block, Wodle

SAMPLE_MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024
"""Decode at most this much of the sampled object (a check must stay quick on huge files)."""
SAMPLE_SCAN_KEYS = 2000
"""Look at most at this many keys of the module's walk for one it would read."""


def check_sample_object(client: Any, block: Block, wodle: Wodle | None, context: DoctorContext, state: Any, *,
                        caller_account: str | None = None, flow_logs: Any = None,
                        cancel: threading.Event | None = None) -> tuple[Finding, ...]:
    """Decode the first key the module would read next and report what it would send from it."""
    target = block.name or block.label
    profile = context.profile
    location = block.line_of("name")
    try:
        listed: list[ClassifiedKey] = []
        for event in islice(walk_module(client, block, context, state, cancel=cancel,
                                        caller_account=caller_account, flow_logs=flow_logs), SAMPLE_SCAN_KEYS):
            if isinstance(event, ClassifiedKey):
                listed.append(event)
            elif isinstance(event, WalkStopped) and event.exit_code is not None:
                return (walk_stop(event, target=target, profile=profile, debug_level=context.debug_level,
                                  check_id="sample.decode").finding,)
        marked, stops = keys_with_stop(client, block, wodle, context, listed, check_id="sample.decode",
                                       cancel=cancel)
        if stops:  # the run stops at a broken file: that, not the first file, is what the admin must see
            return stops
        first = next((key for key in marked if key.verdict is Verdict.READ), None)
    except Exception as error:
        return (build_finding("sample.not_listed", check_id="sample.decode", target=target, profile=profile,
                              location=location, values={"error": str(error)}),)
    if first is None:
        return (build_finding("sample.nothing_new", check_id="sample.decode", target=target, profile=profile,
                              location=location, values={"bucket": target}),)
    key = first.key
    values: dict[str, Any] = {"bucket": target, "key": key}
    try:
        stream = open_s3_object(client, block.name or "", key)
    except Exception as error:
        values["error"] = str(error)
        return (build_finding("preview.get_object_failed", check_id="sample.decode", target=target,
                              profile=profile, location=location, values=values),)
    layout = BucketLayout.from_block(block, native_guardduty="AWSLogs/" in key)
    try:
        verdict = module_would_send(stream, key, decode_context_for(block, wodle, context, path=layout.path),
                                    cancel=cancel, preview=1,
                                    max_decompressed_bytes=SAMPLE_MAX_DECOMPRESSED_BYTES)
    finally:
        stream.close()
    totals = verdict.totals
    values["sentence"] = totals.sentence()
    evidence = (f"GetObject s3://{target}/{key}", totals.sentence())
    findings = [problem.finding for problem in verdict.problems]
    findings.extend(_discard_findings(block, verdict.first_events, target, profile))
    if totals.events_sent > 0:
        findings.insert(0, build_finding("sample.events_sent", check_id="sample.decode", target=target,
                                         profile=profile, location=location, values=values, evidence=evidence))
    elif totals.records_read > 0 and not verdict.problems:
        dropped = "; ".join(f"{count} {reason}" for reason, count in totals.dropped.items()) or "none"
        values["dropped"] = dropped
        failure = "sample.nothing_sent_detail" if block.block_type == "custom" and totals.dropped else \
            "sample.nothing_sent"
        findings.insert(0, build_finding(failure, check_id="sample.decode", target=target, profile=profile,
                                         location=location, values=values, evidence=evidence))
    elif not verdict.problems:
        findings.insert(0, build_finding("sample.empty_object", check_id="sample.decode", target=target,
                                         profile=profile, location=location, values=values, evidence=evidence,
                                         status=Status.WARNING))
    return tuple(findings)


def _discard_findings(block: Block, events: Any, target: str, profile: Any) -> list[Finding]:
    """A discard_regex whose field holds numbers, booleans or objects in the sampled events never matches."""
    from diagnostics.decode.discard import non_string_kinds

    rule = block.discard_regex
    field = rule.attributes.get("field") if rule is not None else None
    if not field:
        return []
    for event in events:
        record = event.raw_record if event.raw_record is not None else event.message.get("aws", event.message)
        kinds = non_string_kinds(record, field)
        if kinds:
            return [build_finding("decode.discard_never_matches", check_id="sample.decode", target=target,
                                  profile=profile, location=block.line_of("discard_regex"),
                                  values={"field": field, "kinds": " or ".join(kinds),
                                          "regex": rule.value if rule is not None else ""})]
    return []
