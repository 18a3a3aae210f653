"""A `<service>` block (CloudWatch Logs or Inspector) checked with the calls the module makes, read-only.

CloudWatch Logs: per region and log group, DescribeLogStreams paged like the module (a ClientError stops
the run with exit 16), then one GetLogEvents on the first stream. Inspector: one ListFindings over the
window the next run asks for (an error there reaches the module's generic handler). Streams are never
deleted, whatever ``remove_log_streams`` says.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from diagnostics.aws.access_probes import CallOutcome, call
from diagnostics.aws.clients import ClientSettings, make_client
from diagnostics.aws.prediction import FindingChain, Predictor
from diagnostics.aws.role_trust import check_role_trust
from diagnostics.aws.service_regions import ServiceRegions, reached_regions, service_regions
from diagnostics.decode.discard import compile_rule
from diagnostics.findings import Finding
from diagnostics.wazuh.regions import installed_regions
from diagnostics.wazuh.services_state import cloudwatch_progress, inspector_last_scan, milliseconds_text
from diagnostics.wazuh.state_db import StateReader

if TYPE_CHECKING:
    import boto3

    from diagnostics.context import DoctorContext
    from diagnostics.wazuh.wodle import Block

SAMPLED_EVENTS = 50
"""Events read from the first stream to show what the module would drop (one GetLogEvents page)."""
MAX_STREAM_PAGES = 20
"""DescribeLogStreams pages we read per group; the module reads them all, but a count is enough here."""
NOT_FOUND = "ResourceNotFoundException"


def check_service_access(session: boto3.session.Session | None, block: Block, context: DoctorContext,
                         settings: ClientSettings, *, principal: str | None = None, account_id: str | None = None,
                         stopped_with: int | None = None,
                         base_session: boto3.session.Session | None = None) -> tuple[Finding, ...]:
    """The chain for a CloudWatch Logs or Inspector block, in the module's order, first failure predicted."""
    predictor = Predictor(block, context, stopped_with=stopped_with)
    prefix = "inspector" if block.block_type == "inspector" else "logs"
    trust = check_role_trust(base_session, block, predictor, settings, account_id) \
        if block.kind == "service" else ()
    if block.kind != "service" or block.block_type not in ("cloudwatchlogs", "inspector") or session is None:
        reason = ("not a CloudWatch Logs or Inspector block" if session is not None
                  else "no working session (the credentials or AssumeRole failed)")
        return (*trust, predictor.finding(f"{prefix}.skipped", check_id=f"{prefix}.access",
                                          values={"reason": reason}))
    configured = service_regions(block, context.module_home)
    regions = reached_regions(configured, block, installed_regions(context.wazuh_home))
    chain = FindingChain(predictor, {"principal": principal or "the module's credentials",
                                      "location": block.line_of("regions"),
                                      "discard_regex_set": bool(block.discard_regex and block.discard_regex.value)})
    chain.findings.extend(trust)
    if not regions.loop_regions:
        chain.record(f"{prefix}.skipped", f"{prefix}.access", reason=f"the module stops at its first region, "
                     f"{configured.loop_regions[0]} (exit 22, see the configuration step)")
        return tuple(chain.findings)
    _region_findings(chain, block, regions, prefix)
    state = StateReader(context.services_db_path)
    health = state.health()
    if not health.health.usable:
        chain.record("service.state_unreadable", f"{prefix}.state", evidence=(health.path,),
                     health=health.health.value, detail=health.detail or "no detail", state_db=health.path)
    if block.block_type == "inspector":
        _inspector_steps(chain, session, settings, block, regions, context, state, account_id)
    else:
        _cloudwatch_steps(chain, session, settings, block, regions)
        if health.health.usable:
            _cloudwatch_state(chain, block, regions, context, state)
    return tuple(chain.findings)


def _probed_regions(regions: ServiceRegions) -> tuple[str, ...]:
    """The loop regions we call: all configured ones, or only the first when the module would try them all."""
    if regions.origin == "every region in the module's list":
        return regions.loop_regions[:1]
    return regions.loop_regions


def _region_findings(chain: FindingChain, block: Block, regions: ServiceRegions, prefix: str) -> None:
    """Say how the loop's regions were chosen, and when the clients read another region."""
    evidence = (f"regions walked: {', '.join(regions.loop_regions)} (from {regions.origin})",
                f"client region from the module's ~/.aws/config: {regions.client_region or 'none'}")
    if regions.origin == "every region in the module's list" and block.block_type == "cloudwatchlogs":
        chain.record("logs.regions_all", "logs.regions", evidence=evidence, count=len(regions.loop_regions),
                     first=regions.loop_regions[0], profile_section=regions.profile_section)
    overridden = regions.overridden
    if not overridden and regions.origin != "every region in the module's list":
        chain.record("service.regions_ok", f"{prefix}.regions", evidence=evidence,
                     loop=", ".join(regions.loop_regions), origin=regions.origin)
    if overridden:
        chain.record("service.region_overridden", f"{prefix}.regions", evidence=evidence,
                     client_region=regions.client_region, loop=", ".join(regions.loop_regions),
                     overridden=", ".join(overridden), count=len(regions.loop_regions),
                     section=regions.profile_section)


def _cloudwatch_steps(chain: FindingChain, session: boto3.session.Session, settings: ClientSettings,
                      block: Block, regions: ServiceRegions) -> None:
    """DescribeLogStreams per group and region, then one GetLogEvents; stops at the module's first failure."""
    groups = [part for part in (block.value("aws_log_groups") or "").split(",") if part]
    if not groups:
        chain.record("logs.skipped", "logs.access", reason="the block has no <aws_log_groups>")
        return
    if (block.value("remove_log_streams") or "").strip().lower() == "yes":
        chain.record("logs.remove_streams", "logs.access", group=", ".join(groups))
    for loop_region in _probed_regions(regions):
        region = regions.region_read(loop_region)
        logs = make_client(session, "logs", dataclasses.replace(settings, region=region))
        for group in groups:
            if not _one_group(chain, logs, group, region):
                return


def _one_group(chain: FindingChain, logs: Any, group: str, region: str) -> bool:
    """One log group's streams and first events; False when the module's run would stop here."""
    pages, outcome = 0, call(logs, "describe_log_streams", logGroupName=group)
    streams: list[str] = []
    while outcome.ok and outcome.response is not None:
        pages += 1
        streams.extend(str(item.get("logStreamName", "")) for item in outcome.response.get("logStreams", []))
        token = outcome.response.get("nextToken")
        if not token or pages >= MAX_STREAM_PAGES:
            break
        outcome = call(logs, "describe_log_streams", logGroupName=group, nextToken=token)
    call_text = f"DescribeLogStreams logGroupName='{group}' in {region}"
    if outcome.kind in ("unreachable", "transport"):
        chain.record("logs.group_unreachable", "logs.access", outcome, evidence=(call_text,), region=region,
                     group=group)
        return False
    if not outcome.ok:
        chain.record("logs.group_failed", "logs.access", outcome, evidence=(call_text,), region=region,
                     group=group, fix_hint=_group_fix(logs, group, region, outcome))
        return False
    more = " or more" if pages >= MAX_STREAM_PAGES else ""
    read_note = ""
    if streams:
        events = call(logs, "get_log_events", logGroupName=group, logStreamName=streams[0], limit=SAMPLED_EVENTS,
                      startFromHead=True)
        if not events.ok or events.response is None:
            chain.record("logs.events_denied", "logs.access", events, region=region, group=group,
                         stream=streams[0])
            return False
        read_note = f" GetLogEvents on {streams[0]} answered too."
        _none_bug(chain, events.response.get("events", []), streams[0])
    else:
        read_note = " The group has no stream yet, so the module will send nothing from it."
    chain.record("logs.group_ok", "logs.access", outcome, evidence=(call_text, f"pages read: {pages}"),
                 region=region, group=group, streams=f"{len(streams)}{more}", read_note=read_note)
    return True


def _none_bug(chain: FindingChain, events: list[dict[str, Any]], stream: str) -> None:
    """Say so when sampled plain-text messages start with 'None', which the module drops with no discard_regex."""
    if chain.values.get("discard_regex_set"):
        return
    rule = compile_rule(None, None)
    dropped = []
    for event in events:
        message = str(event.get("message", ""))
        try:
            json.loads(message)
        except ValueError:
            if rule.pattern.match(message):
                dropped.append(message)
    if dropped:
        chain.record("logs.none_dropped", "logs.access",
                     evidence=tuple(f"dropped: {text[:120]}" for text in dropped[:5]),
                     count=len(dropped), sampled=len(events), stream=stream, example=repr(dropped[0][:60]))


def _group_fix(logs: Any, group: str, region: str, outcome: CallOutcome) -> str:
    """The fix for a failed DescribeLogStreams: a name nearby, a stray space, or the missing permission."""
    if outcome.code != NOT_FOUND:
        return f"Allow logs:DescribeLogStreams and logs:GetLogEvents on {group} in {region}."
    if group != group.strip():
        return f"Remove the spaces around '{group}' in <aws_log_groups>: the module keeps them in the name."
    listing = call(logs, "describe_log_groups", logGroupNamePrefix=group.strip()[:1] or "/", limit=50)
    names = [str(item.get("logGroupName", "")) for item in (listing.response or {}).get("logGroups", [])]
    close = difflib.get_close_matches(group, names, n=3, cutoff=0.6)
    nearby = f" Groups with a similar name in {region}: {', '.join(close)}." if close else ""
    return f"Create the group in {region} or fix its name or the region.{nearby}"


def _cloudwatch_state(chain: FindingChain, block: Block, regions: ServiceRegions, context: DoctorContext,
                      state: StateReader) -> None:
    """Where the next run starts for each group, from aws_services.db (keyed by the loop's region)."""
    groups = [part for part in (block.value("aws_log_groups") or "").split(",") if part]
    first = first_run_start(block, context)
    for loop_region in _probed_regions(regions):
        for group in groups:
            rows = cloudwatch_progress(state, loop_region, group)
            values: dict[str, Any] = {"group": group, "loop_region": loop_region}
            if not rows:
                chain.record("logs.state_first_run", "logs.state", evidence=(str(context.services_db_path),),
                             start=first.strftime("%Y-%m-%d %H:%M:%S UTC"), **values)
                continue
            latest = max((row.end_time for row in rows if row.end_time is not None), default=None)
            streams = "; ".join(f"{row.stream}: sent {milliseconds_text(row.start_time)} to "
                                f"{milliseconds_text(row.end_time)}, next from {milliseconds_text(row.next_start)}"
                                for row in rows[:10]) + (f"; and {len(rows) - 10} more" if len(rows) > 10 else "")
            chain.record("logs.state", "logs.state", evidence=(str(context.services_db_path),), count=len(rows),
                         latest=milliseconds_text(latest), streams=streams, **values)


def _inspector_steps(chain: FindingChain, session: boto3.session.Session, settings: ClientSettings,
                     block: Block, regions: ServiceRegions, context: DoctorContext, state: StateReader,
                     account_id: str | None) -> None:
    """One ListFindings per probed region over the window the next run will ask for."""
    now = context.clock().astimezone(timezone.utc).replace(tzinfo=None)
    for loop_region in _probed_regions(regions):
        last_scan = inspector_last_scan(state, account_id, loop_region) if account_id else None
        start, origin = inspector_window_start(block, context, last_scan)
        region = regions.region_read(loop_region)
        client = make_client(session, "inspector2", dataclasses.replace(settings, region=region))
        window = {"updatedAt": [{"startInclusive": start, "endInclusive": now}]}
        outcome = call(client, "list_findings", maxResults=1, filterCriteria=window)
        if not outcome.ok or outcome.response is None:
            chain.record("inspector.findings_failed", "inspector.access", outcome, region=region)
            return
        chain.record("inspector.findings_ok", "inspector.access", outcome, region=region,
                     count=len(outcome.response.get("findings", [])), start=start.isoformat(sep=" "),
                     window_origin=origin)


def only_logs_after(block: Block) -> datetime | None:
    """``<only_logs_after>`` as a naive UTC date, or None when unset or unreadable (the config step says why)."""
    text = (block.value("only_logs_after") or "").strip()
    for pattern in ("%Y-%b-%d", "%Y%m%d"):
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


def first_run_start(block: Block, context: DoctorContext) -> datetime:
    """``only_logs_after``, else today at 00:00 UTC: where a service's first run starts."""
    today = context.clock().astimezone(timezone.utc)
    return only_logs_after(block) or datetime(today.year, today.month, today.day)


def inspector_window_start(block: Block, context: DoctorContext, last_scan: str | None) -> tuple[datetime, str]:
    """The module's window start: the last scan saved for the region, moved up to only_logs_after if later."""
    if last_scan is None:
        return first_run_start(block, context), "no scan saved yet: only_logs_after, else today"
    try:
        scanned = datetime.strptime(last_scan, "%Y-%m-%d %H:%M:%S.%f")
    except ValueError:
        return first_run_start(block, context), f"the saved scan date '{last_scan}' is unreadable"
    after = only_logs_after(block)
    if after is not None and after > scanned:
        return after, "only_logs_after, later than the last scan"
    return scanned, "the last scan saved in aws_services.db"
