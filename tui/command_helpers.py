"""What every headless command shares: the usage problem, the command's context, printing findings, running a pass.

``commands``, ``host_commands`` and ``ingest_command`` all import from here (and never from each other's
helpers), so the command modules form no import circle.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from tui.render_text import render_finding, use_colour

# The faces import diagnostics and other screens inside the functions that use them: importing
# them all up front made start-up ~0.9 s slower on this machine (best of 5: import tui.commands
# 1.0 s instead of 0.09 s, import tui.app 1.7 s instead of 0.65 s), paid before --help or the first screen.

if TYPE_CHECKING:
    from diagnostics.context import DoctorContext
    from diagnostics.findings import Finding
    from diagnostics.output_paths import Protected

_Result = TypeVar("_Result")


class UsageProblem(Exception):
    """A problem with what the user asked for (unknown bucket, missing file), reported in one line."""


@contextmanager
def command_context(args: argparse.Namespace) -> Iterator[DoctorContext]:
    """The context for a command: the demo's when ``--demo``, else CLI > environment > defaults."""
    from diagnostics.checks import prepare_context
    from diagnostics.context import context_from_environment

    if getattr(args, "demo", False):
        from tui.demo import start_demo

        demo = start_demo()
        try:
            yield prepare_context(demo.context)
        finally:
            demo.stop()
        return
    context = context_from_environment(args.config, args.wazuh_home, args.endpoint_url)
    yield prepare_context(context)


def print_findings(findings: Iterable[Finding], stream: Any = None) -> None:
    """Each finding in full (evidence, explanation, fix) on ``stream`` (stderr by default)."""
    target = stream if stream is not None else sys.stderr
    for finding in findings:
        print("\n".join(render_finding(finding, colour=use_colour(target), verbose=True)), file=target)


BUCKET_CANCEL_NOTE = ("cancelling: stopping inside the current file, which is left unmarked so the next pass reads "
                      "it again (Ctrl-C again to abort)")
"""What the first Ctrl-C of a bucket pass says: what is kept and what the next pass reads again."""


def wait_cancelling_on_interrupt(worker: threading.Thread, cancel: threading.Event,
                                 note: str = BUCKET_CANCEL_NOTE) -> None:
    """Wait for a pass; Ctrl-C sets the cancel event and prints ``note`` (what is saved, what the next pass
    re-reads), a second Ctrl-C aborts.

    The first Ctrl-C is taken by a signal handler rather than as a KeyboardInterrupt inside ``join``: on
    Python before 3.13 an interrupted ``join`` marks the still-running thread as finished, and the command
    then closed the sink under the pass and reported it as stopped without a summary.
    """
    def on_interrupt(signum: int, frame: Any) -> None:
        if cancel.is_set():
            raise KeyboardInterrupt
        cancel.set()
        print(note, file=sys.stderr, flush=True)

    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, on_interrupt) if in_main else None
    try:
        while worker.is_alive():
            worker.join(0.2)
    finally:
        if in_main:
            signal.signal(signal.SIGINT, previous)


class EventsOut:
    """Where a pass's datagrams go (``--events-out FILE``, ``-`` for stdout; ``--envelopes`` keeps only the
    envelope), checked when made and opened on the first datagram, so a refused path fails before the pass and a
    pass that sends nothing creates nothing."""

    def __init__(self, args: argparse.Namespace, protected: Protected) -> None:
        from diagnostics.output_paths import Existing, check_output_file

        self._envelopes = bool(args.envelopes)
        self._to_stdout = args.events_out == "-"
        self.path = Path(args.events_out) if args.events_out and not self._to_stdout else None
        self._protected = protected
        self._existing = Existing.APPEND if args.force else Existing.REFUSE
        self._handle: TextIO | None = None
        if self.path is not None:
            check_output_file(self.path, protected, what="--events-out", existing=self._existing)

    def send(self, datagram: str) -> None:
        """Write one datagram (or its envelope) as the pass sends it."""
        text = datagram.split(":", 2)[2] if self._envelopes else datagram
        if self._to_stdout:
            print(text, flush=True)
        elif self.path is not None:
            self.open()
            assert self._handle is not None
            self._handle.write(text + "\n")

    def open(self) -> None:
        """Create the file now if it is not open yet, for a pass that ran but sent nothing and still names it."""
        from diagnostics.output_paths import open_output_text

        if self.path is not None and self._handle is None:
            self._handle = open_output_text(self.path, self._protected, what="--events-out", existing=self._existing)

    def close(self) -> None:
        """Close the file if it was opened."""
        if self._handle is not None:
            self._handle.close()


def run_pass_in_worker(run: Callable[[], _Result], cancel: threading.Event, note: str, name: str) -> _Result:
    """Run a pass in a daemon thread and wait for it, Ctrl-C cancelling it (see wait_cancelling_on_interrupt); its
    error is raised again here, because a second Ctrl-C aborts the wait and nobody else would see it."""
    outcome: list[_Result] = []
    failed: list[BaseException] = []

    def work() -> None:
        try:
            outcome.append(run())
        except BaseException as error:  # raised again below; after an abort nobody waits for it
            failed.append(error)

    worker = threading.Thread(target=work, name=name, daemon=True)
    worker.start()
    wait_cancelling_on_interrupt(worker, cancel, note)
    if failed:
        raise failed[0]
    return outcome[0]
