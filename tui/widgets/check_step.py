"""One troubleshooting step (configuration, credentials, HeadBucket...) as a collapsible with its findings."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Collapsible, Static

from diagnostics.checks import step_of
from diagnostics.decode.envelope import FOLDED_CHARS, shown_text
from diagnostics.findings import Finding, Status
from diagnostics.text_safety import visible
from tui.widgets.finding_detail import FindingDetail
from tui.widgets.status_badge import badge_text


@dataclass(frozen=True)
class StepDefinition:
    """A step of the Troubleshoot screen: its id, title and which findings belong to it."""

    step_id: str
    title: str
    belongs: Callable[[Finding], bool]
    rerun_group: str
    """Steps of one group are produced by one diagnostics call and rerun together."""
    kinds: frozenset[str] = frozenset({"bucket"})
    """The block kinds (bucket, service, subscriber) whose Troubleshoot screen shows this step."""


def _check_id_in(*prefixes: str) -> Callable[[Finding], bool]:
    return lambda finding: finding.check_id.startswith(prefixes)


_ACCESS_NAMED = ("access.head_bucket", "access.list_prefix", "access.head_object", "access.get_object")
_MARKER = ("layout.marker", "layout.state", "layout.late_files", "marker.", "state.")

_EVERY_KIND = frozenset({"bucket", "service", "subscriber"})

STEPS: tuple[StepDefinition, ...] = (
    StepDefinition("config", "Configuration", lambda f: step_of(f) == "config", "config", _EVERY_KIND),
    StepDefinition("credentials", "Credentials and profile", lambda f: step_of(f) == "credentials",
                   "credentials", _EVERY_KIND),
    StepDefinition("identity", "Identity (sts:GetCallerIdentity, AssumeRole, clock)",
                   lambda f: step_of(f) == "identity", "identity", _EVERY_KIND),
    StepDefinition("queue_lookup", "Find the queue (GetQueueUrl)", _check_id_in("queue.lookup"), "access",
                   frozenset({"subscriber"})),
    StepDefinition("queue_state", "Messages waiting, in flight, dead-letter queue", _check_id_in("queue.state"),
                   "access", frozenset({"subscriber"})),
    StepDefinition("queue_permission", "May receive and delete (never tried)", _check_id_in("queue.permission"),
                   "access", frozenset({"subscriber"})),
    StepDefinition("queue_notification", "The source bucket notifies the queue",
                   _check_id_in("queue.notification"), "access", frozenset({"subscriber"})),
    StepDefinition("queue_objects", "The notified objects, decoded as the module will",
                   _check_id_in("queue.objects"), "access", frozenset({"subscriber"})),
    StepDefinition("service_regions", "Regions the run walks and reads", _check_id_in("logs.regions",
                   "inspector.regions"), "access", frozenset({"service"})),
    StepDefinition("service_access", "What it reads (log groups and streams, or findings)", _check_id_in("logs.access",
                   "inspector.access"), "access", frozenset({"service"})),
    StepDefinition("service_state", "Saved progress (aws_services.db)", _check_id_in("logs.state"), "access",
                   frozenset({"service"})),
    StepDefinition("head_bucket", "HeadBucket", _check_id_in("access.head_bucket"), "access"),
    StepDefinition("list_prefix", "List the prefix", _check_id_in("access.list_prefix"), "access"),
    StepDefinition("read_object", "Read one object", _check_id_in("access.head_object", "access.get_object"),
                   "access"),
    StepDefinition("permissions", "Other permissions",
                   lambda f: step_of(f) == "access" and not f.check_id.startswith(_ACCESS_NAMED), "access"),
    StepDefinition("layout", "Key layout",
                   lambda f: step_of(f) == "layout" and not f.check_id.startswith(_MARKER), "layout"),
    StepDefinition("marker", "Start marker and state", _check_id_in(*_MARKER), "layout"),
    StepDefinition("sample", "Decode the next file as the module would", _check_id_in("sample.", "decode."),
                   "layout"),
)
STEP_BY_ID = {step.step_id: step for step in STEPS}


def step_for(finding: Finding) -> StepDefinition | None:
    """The step a finding is shown under (None for anything no step claims)."""
    for step in STEPS:
        if step.belongs(finding):
            return step
    return None


STEP_RANK = {Status.OK: 0, Status.SKIPPED: 1, Status.WARNING: 2, Status.ERROR: 3}
"""A step's badge order: a skipped check outranks ok, so a step that did not run never shows a green tick."""


def step_status(findings: Sequence[Finding]) -> Status:
    """The worst status of a step's findings, skipped counting as worse than ok (SKIPPED when empty)."""
    if not findings:
        return Status.SKIPPED
    return max((finding.status for finding in findings), key=STEP_RANK.__getitem__)


def split_into_steps(findings: Sequence[Finding]) -> dict[str, tuple[Finding, ...]]:
    """Findings per step id, in step order; unclaimed findings go to ``config``."""
    grouped: dict[str, list[Finding]] = {step.step_id: [] for step in STEPS}
    for finding in findings:
        step = step_for(finding)
        grouped[step.step_id if step is not None else "config"].append(finding)
    return {key: tuple(value) for key, value in grouped.items()}


class CheckStep(Collapsible):
    """A step's badge and headline as the title; expanding shows every finding in full."""

    def __init__(self, step: StepDefinition, findings: Sequence[Finding] = (), *,
                 pending: bool = True) -> None:
        super().__init__(Static("", classes="hint step-empty"), FindingDetail(findings), title=step.title,
                         collapsed=True, id=f"step-{step.step_id}")
        self.step = step
        self.findings: tuple[Finding, ...] = tuple(findings)
        self.pending = pending

    def on_mount(self) -> None:
        self._refresh_step()

    @property
    def status(self) -> Status | None:
        """The step's worst status, None while pending or when nothing ran."""
        if self.pending and not self.findings:
            return None
        return step_status(self.findings)

    def show(self, findings: Sequence[Finding], *, pending: bool = False) -> None:
        """Replace the step's findings; steps with problems open by themselves."""
        self.findings = tuple(findings)
        self.pending = pending
        if self.is_mounted:
            self._refresh_step()

    def first_fix(self) -> str | None:
        """The fix of the worst finding that has one (what Copy fix copies)."""
        ranked = sorted(self.findings, key=lambda finding: -finding.status.severity)
        for finding in ranked:
            if finding.fix and finding.status is not Status.OK:
                return finding.fix
        return None

    def _refresh_step(self) -> None:
        status = self.status
        headline = ""
        if self.findings:
            worst = max(self.findings, key=lambda finding: STEP_RANK[finding.status])
            headline = f" — {visible(shown_text(worst.title, FOLDED_CHARS))}"
        elif self.pending:
            headline = " — running…"
        else:
            headline = " — not reached"
        title = Text.assemble(badge_text(self.app, status), " ", (self.step.title, "bold"), headline)
        self.query_one("CollapsibleTitle").label = title  # type: ignore[attr-defined]
        self.query_one(FindingDetail).show(sorted(self.findings, key=lambda finding: -STEP_RANK[finding.status]))
        empty = self.query_one(".step-empty", Static)
        empty.update("" if self.findings else ("Running…" if self.pending else
                                               "This step did not run: an earlier step stopped the module."))
        empty.display = not self.findings
        if status in (Status.ERROR, Status.WARNING):
            self.collapsed = False
