"""The ingestion pass: the module's walk for one bucket, decoded and emitted, with our own state.

It replays exactly the keys the module would consider, in its order, from its marker, with its filters
(``walk_module``), decodes them as the module would, and writes each event to a sink in the module's
payload format. Downloads run ahead in a small pool (bounded memory: at most ``workers`` files in flight)
but everything visible happens strictly in key order on the calling thread: log lines, emission, and the
state mark, which comes only after a file's events reached the sink, so a cancelled pass resumes with no
loss and no duplicate. Nothing is ever deleted from S3, even with remove_from_bucket.
"""

from __future__ import annotations

import concurrent.futures
import json
import threading
import time
from collections.abc import Callable
from typing import Any

from diagnostics.aws.object_download import ObjectDownloads
from diagnostics.decode.envelope import build_message, payload_for
from diagnostics.decode.errors import classify_load_error, module_repr
from diagnostics.decode.model import AWSLOGS_TYPES, DecodedEvent, FileProblem, decode_context_for
from diagnostics.explanations import build_finding
from diagnostics.findings import Finding
from diagnostics.ingest.fetch import Entry, FetchedFile, events_withheld, fetch_and_decode, problem_script_lines
from diagnostics.ingest.late_files import late_files
from diagnostics.ingest.log_format import ModuleLog
from diagnostics.ingest.model import IngestProgress, IngestRequest, IngestSummary
from diagnostics.ingest.ordered_commit import PassCancelled, commit_in_order
from diagnostics.ingest.preamble import print_preamble
from diagnostics.ingest.sinks import (
    MESSAGE_HEADER,
    EmittedEvent,
    EventSink,
    MessageTooLong,
    SendFailure,
    queue_socket_path,
)
from diagnostics.ingest.state import IngestState, StateError, created_date_for, default_state_dir
from diagnostics.ingest.stop_effects import PassStop, RunLedger, delete_refused, discard_note
from diagnostics.ingest.tally import PASSED_OVER_COUNTED, Tally
from diagnostics.layout.classify import ClassifiedKey, Verdict
from diagnostics.layout.marker import db_scope, processed_scope
from diagnostics.layout.module_walk import ScopeFinished, ScopeStarted, WalkNote, WalkStopped, walk_module
from diagnostics.layout.prefixes import BucketLayout, Family
from diagnostics.layout.walk_findings import walk_stop
from diagnostics.wazuh.state_scope import StateScope

PROGRESS_INTERVAL_S = 0.2
WHOLE_DOCUMENT_CHARS = 4 * 1024 * 1024
"""Documents up to 4 MiB of text are parsed in one call: several times less CPU than streaming, and no
more memory, since a read-ahead file keeps all its decoded events until its turn comes anyway."""

__all__ = ["run_ingestion"]


class _Pass:
    """One run of the engine: the request, the sink, the state and the counters, used in key order."""

    def __init__(self, request: IngestRequest, sink: EventSink, cancel: threading.Event,
                 on_progress: Callable[[IngestProgress], None] | None) -> None:
        block, context = request.block, request.context
        self.request, self.block, self.context = request, block, context
        self.sink, self.cancel, self.on_progress = sink, cancel, on_progress
        self.bucket = block.name or ""
        self.bucket_type = (block.block_type or "cloudtrail").lower()
        self.log = ModuleLog(self.bucket, request.debug_level, request.logger, bucket_type=self.bucket_type)
        self.layout = BucketLayout.from_block(block)
        self.tally = Tally()
        self.started = time.monotonic()
        self.last_progress = 0.0
        self.findings: list[Finding] = []
        self.first_stop: PassStop | None = None
        self.ledger = RunLedger()  # what to take back when the run stops: the module commits only at its end
        self.scope: ScopeStarted | None = None
        self.remove_from_bucket = block.value("remove_from_bucket") == "yes"
        self.downloads = ObjectDownloads(request.client, self.bucket)
        self.decode = decode_context_for(block, request.wodle, context, path=self.layout.path,
                                         debug_level=request.debug_level, keep_raw=False,
                                         whole_document_chars=WHOLE_DOCUMENT_CHARS)
        self.skip_on_error = self.decode.skip_on_error

    def finding(self, failure_id: str, check_id: str, values: dict[str, Any], **extra: Any) -> Finding:
        return build_finding(failure_id, check_id=check_id, target=self.block.label,
                             profile=self.context.profile, values=values, **extra)

    # -- state ----------------------------------------------------------------------------------------------
    def open_state(self) -> IngestState:
        request = self.request
        folder = request.state_dir or default_state_dir(self.context.environ or None)
        version = ".".join(str(part) for part in self.context.profile.version)
        if request.from_wazuh_state:
            return IngestState.from_wazuh_state(self.context.state_db_path, folder, version=version)
        return IngestState.open(folder, version=version, reset=request.reset,
                                forbidden=self.context.state_db_path)

    def mark_scope(self) -> StateScope | None:
        """Where the module writes this scope's rows (the folder account for AWSLogs keys)."""
        if self.scope is None:
            return None
        scope = self.scope.scope
        return db_scope(self.layout, scope.account, scope.region, scope.flow_log_id,
                        self.request.caller_account)

    # -- progress -----------------------------------------------------------------------------------------
    def progress(self, phase: str, key: str | None = None, *, force: bool = True) -> None:
        now = time.monotonic()
        if self.on_progress is None or (not force and now - self.last_progress < PROGRESS_INTERVAL_S):
            return
        self.last_progress = now
        tally, scope = self.tally, (self.scope.scope if self.scope else None)
        label = f"{scope.account}/{scope.region}" if scope and scope.region else self.layout.bucket_path
        self.on_progress(IngestProgress(
            bucket=self.bucket, phase=phase, key=key, scope=label, files_found=tally.found,
            files_read=tally.read, files_skipped=tally.skipped_total + tally.processed_before,
            files_failed=tally.failed, events=tally.events, bytes_read=tally.bytes_read,
            elapsed_s=now - self.started))

    # -- walk events, in key order --------------------------------------------------------------------------
    def handle(self, entry: Entry, state: IngestState) -> None:
        event = entry.event
        if isinstance(event, ClassifiedKey):
            self.handle_key(event, entry.future, state)
        elif isinstance(event, ScopeStarted):
            self.scope = event
            self.log_lines(event.debug_lines)
            self.progress("scope")
        elif isinstance(event, ScopeFinished):
            self.log_lines(event.debug_lines)
            self.finish_scope(state)
        elif isinstance(event, WalkNote):
            for line in event.printed:
                self.log.module_print(line)
            self.log_lines(event.debug_lines)
        elif isinstance(event, WalkStopped):
            self.walk_stopped(event)

    def log_lines(self, lines: tuple[tuple[int, str], ...]) -> None:
        for level, text in lines:
            self.log.module_debug(level, text)

    def finish_scope(self, state: IngestState) -> None:
        """DB maintenance as the module does after each scope, then our late-file check (silent in Wazuh)."""
        scope = self.mark_scope()
        if scope is None or self.scope is None:
            return
        self.log.db_maintenance()
        state.db_maintenance(scope)
        key_scope = self.scope.scope
        check_scope = processed_scope(self.layout, key_scope.account, key_scope.region, key_scope.flow_log_id,
                                      self.request.caller_account, self.context.profile)
        late = late_files(self.request.client, self.layout, key_scope, self.scope.marker.value, state,
                          scope, check_scope, self.cancel)
        if late:
            self.tally.add_never_read(late)
            self.log.doctor_note(f"{len(late)} file(s) at or before the marker {self.scope.marker.value} "
                                 f"have no state row: the module never reads them (first: {late[0]})")

    def handle_key(self, classified: ClassifiedKey, future: concurrent.futures.Future[FetchedFile] | None,
                   state: IngestState) -> None:
        self.tally.count_key(classified)
        if classified.debug_line and classified.debug_level:
            self.log.module_debug(classified.debug_level, classified.debug_line)
        if classified.verdict is not Verdict.READ:
            self.progress("skipped", classified.key, force=False)
            return
        size = classified.object.size if classified.object else 0
        fetched = (self.wait(future) if future is not None else fetch_and_decode(
            self.request.client, self.bucket, classified.key, size, self.decode, self.cancel, self.downloads))
        if fetched is None or fetched.cancelled:
            raise PassCancelled
        self.emit_file(classified, fetched, state)

    def wait(self, future: concurrent.futures.Future[FetchedFile]) -> FetchedFile | None:
        """The file's download and decode; None when cancelled while waiting."""
        while True:
            try:
                return future.result(timeout=0.05)
            except concurrent.futures.TimeoutError:
                if self.cancel.is_set():
                    future.cancel()
                    return None

    def emit_file(self, classified: ClassifiedKey, fetched: FetchedFile, state: IngestState) -> None:
        """Emit one file's events, then (only then) mark it, as the module marks after sending."""
        tally, key = self.tally, classified.key
        sent_before = tally.events
        stop: PassStop | None = None
        failed = False
        if fetched.error is not None:
            failed = True
            stop = self.download_failed(key, fetched.error, attempts=fetched.details.get("attempts"))
        withheld = events_withheld(fetched)
        for item in fetched.items:
            if isinstance(item, DecodedEvent):
                if not withheld:
                    self.emit_event(item, key)
                continue
            failed = failed or not item.recoverable
            problem_stop = self.file_problem(item)
            stop = stop or problem_stop
        tally.read += 1
        tally.bytes_read += fetched.bytes_read
        tally.failed += failed
        self.sink.file_done(key)
        if stop is None and self.remove_from_bucket:  # the module deletes after sending, before marking
            self.log.remove_file(key)
            tally.add_would_delete(key)
            if self.request.may_delete == "denied":
                line, finding = delete_refused(self.finding, self.bucket, key, self.request.delete_resource)
                self.log.module_line(line)
                stop = PassStop(1, finding)  # not a broken file: skip_on_error would not help
            else:  # gone from the bucket for the module's next run, whatever stops this one later
                self.ledger.removed(key, tally.events - sent_before)
        if stop is not None:
            self.ledger.stopped(tally.events, tally.read)
            if not self.request.continue_after_failure:
                raise stop
            self.first_stop = self.first_stop or stop
            self.findings.append(stop.finding)
            self.progress("file", key)
            return
        self.mark(classified, state)
        self.progress("file", key)

    def download_failed(self, key: str, error: BaseException, attempts: int | None = None) -> PassStop | None:
        """GetObject failed: ``get_log_file`` reports it like any load error (exit 1 for a ClientError), or
        with skip_on_error sends an ``error_msg`` event and goes on."""
        classified = classify_load_error(error, key)
        retries = getattr(getattr(self.request.client, "meta", None), "config", None)
        tried = (f"downloaded {attempts} time(s)" if attempts else
                 f"retries: {getattr(retries, 'retries', None) or 'botocore defaults'}")
        finding = self.finding("host.ingest_read_failed", "ingest.read",
                               {"key": key, "error": module_repr(error), "exit_code": classified.exit_code},
                               evidence=(f"GetObject s3://{self.bucket}/{key}: {module_repr(error)}", tried))
        if not self.skip_on_error:
            self.log.module_error(classified.message)
            return PassStop(classified.exit_code, finding, key)
        self.log.skipping_after_error(classified.message)
        account = self.scope.scope.account if self.scope and self.layout.family is Family.AWSLOGS else None
        message = build_message(self.bucket, key, self.decode.account_alias, None,
                                account_id=account if self.bucket_type in AWSLOGS_TYPES else None,
                                error_msg=classified.message)
        self.tally.error_events += 1
        self.send(EmittedEvent(message, key, payload_for(message)[len(MESSAGE_HEADER):]))
        self.findings.append(finding)
        return None

    def mark(self, classified: ClassifiedKey, state: IngestState) -> None:
        scope = self.mark_scope()
        if scope is None:
            return
        last_modified = classified.object.last_modified if classified.object else None
        try:
            created = created_date_for(self.layout.table, classified.key, last_modified)
        except ValueError as error:
            self.log.error_marking_complete(classified.key, str(error))
            return
        state.mark_complete(scope, classified.key, created)
        self.ledger.marked(scope, classified.key)

    def emit_event(self, event: DecodedEvent, key: str) -> None:
        self.log_lines(event.debug_lines)
        for line in event.warnings:
            self.log.module_line(line)
        if not event.sent:
            self.tally.discarded += 1
            return
        noted = discard_note(self.ledger, self.finding, event, self.decode)
        if noted is not None:
            self.log.doctor_note(noted[0])
            self.findings.append(noted[1])
        self.tally.oversized += event.oversized
        json_text = event.payload[len(MESSAGE_HEADER):]
        self.log.event_json(json_text)
        self.send(EmittedEvent(event.message, key, json_text), cut_size=event.size_bytes if event.cut_chars else 0)

    def send(self, emitted: EmittedEvent, *, cut_size: int = 0) -> None:
        """Hand one event to the sink; a cut event (``cut_size``) is the module's errno 90 without sending."""
        try:
            if cut_size:
                raise MessageTooLong(f"at least {cut_size} bytes")
            self.sink.emit(emitted)
        except MessageTooLong:
            self.log.module_error("Message too long to send to Wazuh.  Skipping message...")
            self.log.module_debug(1, "+++ ERROR: Message longer than buffer socket for Wazuh. Consider "
                                     "increasing rmem_max. Skipping message...")
            self.findings.append(self.finding("host.event_too_long_for_socket", "ingest.send",
                                              {"size": cut_size or len(emitted.payload), "key": emitted.key}))
            return
        except SendFailure as failure:
            socket = str(queue_socket_path(self.context.wazuh_home))
            finding = self.finding(failure.failure_id, "ingest.send",
                                   {"socket": socket, "error": failure.error})
            self.log.module_error("Wazuh must be running." if failure.exit_code == 11
                                  else f"Error sending message to wazuh: {failure.error}")
            raise PassStop(failure.exit_code, finding) from failure
        self.tally.events += 1

    def file_problem(self, problem: FileProblem) -> PassStop | None:
        """Log what the module prints for a problem; send its error_msg event; say whether the run stops."""
        for level, line in problem_script_lines(problem):
            self.log.module_line(line, debug_level=level)
        if problem.error_payload is not None:
            self.tally.error_events += 1
            json_text = problem.error_payload[len(MESSAGE_HEADER):]
            self.send(EmittedEvent(json.loads(json_text), problem.key, json_text))
        if problem.stops_run:
            return PassStop(problem.finding.wazuh_exit_code or 1, problem.finding, problem.key)
        self.findings.append(problem.finding)
        return None

    def walk_stopped(self, event: WalkStopped) -> None:
        if event.cancelled:
            raise PassCancelled
        stop = walk_stop(event, target=self.block.label, profile=self.context.profile,
                         debug_level=self.request.debug_level, check_id="ingest.walk")
        if stop.exit_code is None:
            self.findings.append(stop.finding)
            return
        for line in stop.output:
            self.log.module_line(line, debug_level=2)
        raise PassStop(stop.exit_code, stop.finding)

    # -- the end ------------------------------------------------------------------------------------------
    def summary(self, state: IngestState | None, exit_code: int, *, cancelled: bool, limited: bool,
                stop: PassStop | None, extra: tuple[Finding, ...] = ()) -> IngestSummary:
        """The frozen summary of this pass, with the findings that explain how it ended."""
        tally = self.tally
        findings = [*extra, *self.findings]
        if stop is not None and stop.finding not in findings:
            findings.append(stop.finding)
        findings.extend(self.ledger.stop_findings(self.finding, exit_code) if stop is not None else ())
        findings.extend(tally.closing_findings(self.finding, self.bucket, stopped_on=stop.key if stop else None,
                                               exit_code=exit_code, cancelled=cancelled))
        return IngestSummary(
            bucket=self.bucket, bucket_type=self.bucket_type, files_found=tally.found, files_read=tally.read,
            files_processed_before=tally.processed_before, files_skipped=dict(tally.skipped),
            files_failed=tally.failed, events=tally.events, events_discarded=tally.discarded,
            events_oversized=tally.oversized, error_events=tally.error_events, bytes_read=tally.bytes_read,
            duration_s=time.monotonic() - self.started, exit_code=exit_code, cancelled=cancelled,
            limited=limited, never_read=tuple(tally.never_read), would_delete=tuple(tally.would_delete),
            state_path=state.path if state is not None else None, findings=tuple(findings),
            details={"debug_level": self.request.debug_level, "workers": self.request.workers,
                     "never_read_count": tally.never_read_count,
                     "would_delete_count": tally.would_delete_count,
                     "resend_next_run": self.ledger.resend_next_run if stop is not None else 0})


def run_ingestion(request: IngestRequest, *, sink: EventSink, cancel: threading.Event,
                  on_progress: Callable[[IngestProgress], None] | None = None) -> IngestSummary:
    """Walk one bucket block as the module would, emit its events to ``sink``, keep our own state.

    The caller owns the sink (and closes it). Bad input and AWS errors do not raise: the summary carries
    the module's exit code for the same walk and the findings that explain it.
    """
    run = _Pass(request, sink, cancel, on_progress)
    try:
        state = run.open_state()
    except StateError as error:
        finding = run.finding("host.ingest_state_unusable", "ingest.state", {"error": str(error)})
        return run.summary(None, 0, cancelled=False, limited=False, stop=None, extra=(finding,))
    cancelled = limited = False
    stop: PassStop | None = None
    workers = max(1, request.workers)
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ingest-read")
    try:
        print_preamble(run.log, run.block, run.context, state, run.layout.table, request.debug_level)
        run.progress("started")
        walk = walk_module(request.client, run.block, run.context, state, cancel=cancel,
                           caller_account=request.caller_account, flow_logs=request.flow_logs,
                           passed_over_keys=PASSED_OVER_COUNTED)
        try:
            limited = commit_in_order(
                walk, pool=pool, workers=workers, limit=request.limit, cancel=cancel,
                fetch=lambda entry: fetch_and_decode(request.client, run.bucket, entry.key, entry.size,
                                                     run.decode, cancel, run.downloads),
                handle=lambda entry: run.handle(entry, state))
        except PassCancelled:
            cancelled = True
        except PassStop as stopped:
            stop = stopped
        stop = stop or run.first_stop
        if stop is not None:  # a stopped run records nothing: take back this pass's marks, count the re-sends
            run.log.doctor_note(run.ledger.take_back(state, run.tally.events, run.tally.read))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        state.close()
    run.progress("finished")
    return run.summary(state, stop.exit_code if stop else 0, cancelled=cancelled, limited=limited, stop=stop)
