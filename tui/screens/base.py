"""What every screen shares: Escape cancels its work (or goes back) and one handler reports failures."""

from __future__ import annotations

from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from diagnostics.text_safety import visible


def describe_error(error: BaseException | None) -> str:
    """One line for an unexpected error: its type and message, never a traceback."""
    if error is None:
        return "unknown error"
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


MODE_BINDINGS = {
    "overview": Binding("f2,o", "app.open_mode('overview')", "Overview", show=False),
    "ingest": Binding("f3,i", "app.open_mode('ingest')", "Ingest", show=False),
    "explain": Binding("f4,x", "app.open_mode('explain')", "Explain log", show=False),
}
"""The screen switches: the App holds them hidden so they work from anywhere; base screens show theirs."""


def mode_keys(*modes: str) -> list[Binding]:
    """The switches to other modes, shown in a base screen's footer (F2-F4 are otherwise invisible)."""
    return [Binding(MODE_BINDINGS[mode].key, MODE_BINDINGS[mode].action, MODE_BINDINGS[mode].description)
            for mode in modes]


BACK = Binding("escape", "cancel_or_back", "Back")
"""Escape as pushed screens show it in the footer (base screens keep it out of their footer: it only
cancels work there, which their status line says)."""


class DoctorScreen(Screen[None]):
    """Base screen: Escape cancels this screen's running workers, or goes back when nothing runs."""

    BINDINGS = [Binding("escape", "cancel_or_back", "Cancel/Back", show=False)]

    def running_workers(self) -> list[Worker[object]]:
        """Workers started by this screen that have not finished (pending ones included)."""
        return [worker for worker in self.app.workers if worker.node is self and not worker.is_finished]

    def action_cancel_or_back(self) -> None:
        running = self.running_workers()
        if running:
            for worker in running:
                worker.cancel()
            self.notify("Cancelled the running work.", timeout=3)
            self.work_cancelled()
            return
        if len(self.app.screen_stack) > 1 and self.app.screen is self and self.is_pushed_screen:
            self.app.pop_screen()

    @property
    def is_pushed_screen(self) -> bool:
        """True for screens pushed on top of a mode's base screen (Troubleshoot, Browse, Preview)."""
        return False

    def work_failed(self, worker: Worker[object], message: str) -> None:
        """Hook: show a failure in place (the notification is already shown)."""

    def work_cancelled(self) -> None:
        """Hook: reset in-place progress after Escape."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place unexpected worker errors become messages instead of tracebacks."""
        if event.state is not WorkerState.ERROR:
            return
        message = describe_error(event.worker.error)
        title = event.worker.description or event.worker.name or "Background work"
        self.notify(visible(message), title=f"{title} failed", severity="error", timeout=10, markup=False)
        self.work_failed(event.worker, message)
