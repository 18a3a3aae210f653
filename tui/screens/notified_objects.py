"""Notified objects: a subscriber's source bucket, newest first, each decoded as the subscriber would send it."""

from __future__ import annotations

import humanize
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from diagnostics.context import DoctorContext
from diagnostics.input_session import ObjectPreview
from diagnostics.subscriber_pass_session import (
    DEFAULT_LIMIT,
    LAKE_BUCKET_PREFIX,
    SubscriberPassOptions,
    SubscriberPassResult,
)
from diagnostics.subscriber_preview import NotifiedObjects
from diagnostics.text_safety import visible
from diagnostics.wazuh.wodle import Block, Wodle
from tui.command_helpers import UsageProblem
from tui.messages import LakeBucketsListed, NotifiedObjectDecoded, NotifiedObjectsListed, SubscriberPassFinished
from tui.screens.base import BACK, DoctorScreen
from tui.widgets.data_text import data_lines, data_text
from tui.widgets.finding_detail import FindingDetail


class NotifiedObjectsScreen(DoctorScreen):
    """Lists the source bucket in a worker; highlighting an object decodes it in another, and p meets the objects
    the queue would deliver as the module's run would (the queue is never received from)."""

    help_title = "Notified objects"
    BINDINGS = [BACK, Binding("p", "run_pass", "Run pass")]

    def __init__(self, context: DoctorContext, block: Block, wodle: Wodle | None = None) -> None:
        super().__init__()
        self.context = context
        self.block = block
        self.wodle = wodle
        self.listed: NotifiedObjects | None = None
        self.command = ""
        """The CLI command that runs the same pass as the one shown (the fields' values as its options)."""
        self.policy_bucket: str | None = None
        """The bucket the queue policy names: given as the bucket, the pass runs as the CLI without --bucket."""
        self.asked_lake = False

    @property
    def is_pushed_screen(self) -> bool:
        return True

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="")
        yield Static(data_text(f"{self.block.label}: objects its notifications point to (the queue is never "
                               "received from)"), id="notified-header", classes="status-line")
        with Horizontal(id="notified-options"):
            yield Label("pass over bucket ")
            yield Input(placeholder="the source bucket", id="notified-bucket", compact=True)
            yield Label(" newest ")
            yield Input(str(DEFAULT_LIMIT), type="integer", id="notified-limit", compact=True)
            yield Label(" since ")
            yield Input(placeholder="YYYY-MM-DD", id="notified-since", compact=True)
        yield Static("", id="notified-bucket-source")
        with Horizontal(id="next-run-body"):
            yield OptionList(id="notified-list")
            with VerticalScroll(id="next-run-pane"):
                yield Static("Finding the queue's source bucket…", id="notified-object")
        with VerticalScroll(id="next-run-findings"):
            yield Static("", id="notified-totals")
            yield FindingDetail(id="notified-problems", empty_text="")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = visible(f"Notified objects {self.block.value('sqs_name') or ''}")
        self.query_one("#notified-list", OptionList).focus()
        self.list_objects()

    @work(thread=True, exclusive=True, exit_on_error=False, group="notified-list",
          description="Listing the source bucket")
    def list_objects(self, bucket: str | None = None) -> None:
        from diagnostics.subscriber_preview import list_notified_objects

        self.post_message(NotifiedObjectsListed(list_notified_objects(self.context, self.block, self.wodle,
                                                                      bucket=bucket)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="notified-decode",
          description="Decoding the object")
    def decode(self, bucket: str, key: str) -> None:
        from diagnostics.input_session import preview_notified_object

        if self.listed is not None:
            self.post_message(NotifiedObjectDecoded(preview_notified_object(self.listed.session, bucket, key)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="lake-buckets",
          description="Listing Security Lake's buckets")
    def suggest_lake_buckets(self) -> None:
        from diagnostics.subscriber_pass_session import lake_buckets

        if self.listed is not None:
            self.post_message(LakeBucketsListed(lake_buckets(self.listed.session)))

    @on(Input.Submitted)
    def action_run_pass(self) -> None:
        """Start the read-only subscriber pass with the fields' values; Escape cancels it between objects."""
        try:
            options = pass_options(self.query_one("#notified-bucket", Input).value,
                                   self.query_one("#notified-limit", Input).value,
                                   self.query_one("#notified-since", Input).value, self.policy_bucket,
                                   min(3, max(0, self.context.debug_level)))
        except ValueError as error:
            self.query_one("#notified-totals", Static).update(data_text(f"Not run: {error}."))
            return
        self.command = cli_command(self.block, options)
        self.query_one("#notified-totals", Static).update(data_text(
            "Running the subscriber pass (the queue is never received from)… · Escape cancels"))
        self.run_pass(options)
        if options.bucket and (self.listed is None or self.listed.bucket != options.bucket):
            self.list_objects(options.bucket)  # the list and its decoding follow the bucket the pass reads

    @work(thread=True, exclusive=True, exit_on_error=False, group="subscriber-pass",
          description="The subscriber pass")
    def run_pass(self, options: SubscriberPassOptions) -> None:
        from diagnostics.subscriber_pass_session import run_subscriber_pass

        lines: list[str] = []
        result = run_subscriber_pass(self.context, self.block, self.wodle, options,
                                     emit_line=lines.append, send=lambda datagram: None,
                                     cancel=get_current_worker().cancelled_event)
        self.post_message(SubscriberPassFinished(result, tuple(lines)))

    @on(SubscriberPassFinished)
    def pass_finished(self, message: SubscriberPassFinished) -> None:
        result = message.result
        self.query_one("#notified-totals", Static).update(data_lines(f"{pass_summary(result)}\nThe same pass "
                                                                     f"from the shell: {self.command}"))
        self.query_one("#notified-problems", FindingDetail).show(list(result.findings))
        self.query_one("#notified-object", Static).update(data_lines(pass_details(result, message.lines)))

    def work_cancelled(self) -> None:
        self.query_one("#notified-totals", Static).update("Cancelling between objects…")

    @on(NotifiedObjectsListed)
    def objects_listed(self, message: NotifiedObjectsListed) -> None:
        self.listed = listed = message.listed
        listing = self.query_one("#notified-list", OptionList)
        listing.clear_options()
        for item in listed.objects:
            line = Text(f"{humanize.naturalsize(item.size, binary=True):>9} ", no_wrap=True, overflow="ellipsis")
            line.append(visible(item.key))
            listing.add_option(Option(line))
        totals = (f"s3://{listed.bucket}: {len(listed.objects)} newest object(s)" if listed.problem is None
                  else listed.problem)
        self.query_one("#notified-totals", Static).update(data_text(totals))
        self.query_one("#notified-problems", FindingDetail).show(list(listed.session.findings))
        field = self.query_one("#notified-bucket", Input)
        lake = self.block.block_type == "security_lake"
        if lake and listed.bucket is None and listed.session.aws_session is not None and not self.asked_lake:
            self.asked_lake = True
            self._bucket_source(f"Asking ListBuckets for Security Lake's buckets ({LAKE_BUCKET_PREFIX}*)…")
            self.suggest_lake_buckets()
        elif listed.bucket is not None and not lake and not field.value:
            self.policy_bucket = field.value = listed.bucket
            self._bucket_source(f"bucket: {listed.bucket}, the one the queue policy names (aws:SourceArn)")
        elif listed.bucket is None and not lake:
            self._bucket_source("No bucket is known: type the queue's source bucket, then Enter runs the pass")
        elif listed.bucket is not None and not lake and listed.bucket != self.policy_bucket:
            self._bucket_source(f"bucket: {listed.bucket}, as typed (the queue policy names "
                                f"{self.policy_bucket or 'none'})")
        if listed.objects:
            listing.highlighted = 0
        else:
            self.query_one("#notified-object", Static).update(data_text(listed.problem or "The bucket is empty."))

    @on(LakeBucketsListed)
    def lake_buckets_listed(self, message: LakeBucketsListed) -> None:
        names = message.suggested.names
        if not names:
            self._bucket_source(f"No bucket to suggest ({message.suggested.problem}): type the lake's bucket, "
                                "then Enter runs the pass")
            return
        field = self.query_one("#notified-bucket", Input)
        field.value = field.value or names[0]
        self._bucket_source(f"bucket suggested by ListBuckets (names starting {LAKE_BUCKET_PREFIX}): "
                            + ", ".join(names))
        self.list_objects(field.value)  # the list and its decoding show the suggested bucket's objects

    def _bucket_source(self, text: str) -> None:
        self.query_one("#notified-bucket-source", Static).update(
            Text(visible(text), overflow="ellipsis", style="dim"))

    @on(OptionList.OptionHighlighted, "#notified-list")
    def object_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        listed = self.listed
        if listed is None or listed.bucket is None or not 0 <= event.option_index < len(listed.objects):
            return
        self.query_one("#notified-object", Static).update("Decoding…")
        self.decode(listed.bucket, listed.objects[event.option_index].key)

    @on(NotifiedObjectDecoded)
    def object_decoded(self, message: NotifiedObjectDecoded) -> None:
        self.query_one("#notified-object", Static).update(data_lines(describe(message.preview)))


def describe(preview: ObjectPreview) -> str:
    """The pane's text: the key the module asks for, then the datagrams or where the run stops."""
    lines = [f"The module asks S3 for: {preview.asked_key}"]
    if preview.asked_key != preview.key:
        lines.append("(not the object's key: the notification's encoding is decoded that way)")
    if preview.stop is not None:
        lines += ["", f"The run stops here (exit {preview.exit_code}): {preview.stop}"]
        return "\n".join(lines)
    decoded = preview.decoded
    if decoded is not None:
        dropped = [event for event in decoded.events if event.datagram is None]
        lost = sum(event.lost_findings for event in decoded.events)
        lines.append(f"Read as {decoded.format}: {len(preview.datagrams)} event(s) sent, {len(dropped)} dropped"
                     + (f", {lost} finding(s) never sent" if lost else ""))
        if decoded.note:
            lines.append(decoded.note)
        lines += [f"dropped: {event.dropped_by}" for event in dropped[:20]]
    lines.append("")
    lines += list(preview.datagrams[:50])
    return "\n".join(lines)


def pass_options(bucket: str, limit: str, since: str, policy_bucket: str | None,
                 debug_level: int) -> SubscriberPassOptions:
    """The fields as the CLI's options: an empty bucket, or the queue policy's, is no ``--bucket`` (so the pass
    follows the bucket's notification routes exactly as ``ingest --block`` without it); ValueError names a bad
    field."""
    from tui.subscriber_commands import parse_since

    count = int(limit) if limit.strip().isdigit() else 0
    if count < 1:
        raise ValueError(f"newest {limit.strip() or '(empty)'} is not a count of objects (1 or more)")
    try:
        start = parse_since(since.strip())
    except UsageProblem:
        raise ValueError(f"since {since.strip()!r} is not a date (YYYY-MM-DD or an ISO time)") from None
    named = bucket.strip() or None
    return SubscriberPassOptions(count, start, None if named == policy_bucket else named, debug_level)


def cli_command(block: Block, options: SubscriberPassOptions) -> str:
    """``wazuh-aws-doctor ingest --block LINE ...``: the headless command that runs the same pass."""
    line = block.location.line if block.location and block.location.line else "LINE"
    words = ["wazuh-aws-doctor", "ingest", "--block", str(line), "--debug", str(options.debug_level)]
    if options.bucket:
        words += ["--bucket", options.bucket]
    words += ["--limit", str(options.limit)]
    if options.since is not None:
        words += ["--since", options.since.isoformat()]
    return " ".join(words)


def pass_summary(result: SubscriberPassResult) -> str:
    """The pass in one line: objects, events sent and dropped, the module's exit (or that it was cancelled)."""
    objects = len(result.listing.objects) if result.listing else 0
    if result.run is None:
        return f"Subscriber pass: nothing read ({objects} object(s)); see the findings below"
    end = ("cancelled (Escape) before the end" if result.run.cancelled else
           f"the module's exit code: {result.exit_code}")
    if not result.run.objects and result.exit_code:
        return f"Subscriber pass: the module's run stops before any object; {end}"
    return (f"Subscriber pass over {objects} object(s), in LastModified order (not the queue's): {result.sent} "
            f"sent, {result.dropped} dropped; {end}")


def pass_details(result: SubscriberPassResult, lines: tuple[str, ...]) -> str:
    """Each object the run met with its fate, then the module's lines for the run."""
    shown: list[str] = []
    for item in result.run.objects if result.run else ():
        fate = (f"the run stops here (message not deleted): {item.stop}" if item.stop is not None else
                f"{len(item.datagrams)} sent, {len(item.dropped)} dropped")
        shown.append(f"{item.key}: {fate}")
    if result.run is not None and result.run.not_reached:
        shown.append(f"{result.run.not_reached} object(s) after it not read by this run")
    if lines:
        shown += ["", "The module's lines:", *lines[:200]]
    return "\n".join(shown)
