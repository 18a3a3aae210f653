"""One finding in full: evidence, explanation, fix, predicted exit code and ossec.log lines."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import App
from textual.widgets import Static

from diagnostics.decode.envelope import FOLDED_CHARS, shown_text
from diagnostics.findings import Finding
from diagnostics.text_safety import visible
from tui.widgets.data_text import data_lines, data_text
from tui.widgets.status_badge import badge_text, theme_style


def finding_renderable(app: App[object], finding: Finding, *, with_title: bool = True) -> RenderableType:
    """The Rich rendering of a finding: labelled rows with hanging indents; the fix stands out.

    Every value is a ``Text`` built from data, never a markup string: evidence quotes section names such as
    ``[profile x]`` and key names, which Rich would otherwise read as tags.
    """
    label = theme_style(app, "foreground-darken-2")
    rows = Table.grid(padding=(0, 1), expand=True)
    rows.add_column(no_wrap=True, style=label)
    rows.add_column(ratio=1, overflow="fold")
    if finding.location is not None:
        rows.add_row("where", data_text(str(finding.location)))
    if finding.target and (finding.location is None or finding.target not in str(finding.location)):
        rows.add_row("target", data_text(finding.target))
    for item in finding.evidence:  # an error repr may quote kilobytes of bytes: folded here, sent whole
        rows.add_row("seen", data_text(shown_text(item, FOLDED_CHARS)))
    if finding.explanation:
        rows.add_row("why", data_lines(shown_text(finding.explanation, FOLDED_CHARS)))
    if finding.fix:
        rows.add_row("fix", data_lines(finding.fix, style=theme_style(app, "text-accent")))
    if finding.wazuh_exit_code is not None:
        rows.add_row("module", Text(f"exits with code {finding.wazuh_exit_code}"))
    if finding.ossec_log:
        log_style = theme_style(app, "text-secondary")
        log_text = Text("\n".join(visible(shown_text(line, FOLDED_CHARS)) for line in finding.ossec_log),
                        style=log_style, overflow="fold")
        rows.add_row("log", log_text)
    parts: list[RenderableType] = []
    if with_title:
        parts.append(Text.assemble(badge_text(app, finding.status, word=True), " ",
                                   (visible(shown_text(finding.title, FOLDED_CHARS)), "bold")))
    parts.append(rows)
    return Group(*parts)


def findings_renderable(app: App[object], findings: Sequence[Finding], empty_text: str = "No findings."
                        ) -> RenderableType:
    """Several findings one after another, separated by a blank line."""
    parts: list[RenderableType] = []
    for index, finding in enumerate(findings):
        if index:
            parts.append(Text(""))
        parts.append(finding_renderable(app, finding))
    return Group(*parts) if parts else Text(empty_text)


class FindingDetail(Static):
    """A Static that shows one or several findings."""

    def __init__(self, findings: Sequence[Finding] = (), *, with_title: bool = True, empty_text: str = "No findings.",
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._findings = tuple(findings)
        self._with_title = with_title
        self._empty_text = empty_text

    def on_mount(self) -> None:
        self._render_findings()

    def show(self, findings: Sequence[Finding]) -> None:
        """Replace the findings shown."""
        self._findings = tuple(findings)
        if self.is_mounted:
            self._render_findings()

    def _render_findings(self) -> None:
        if len(self._findings) == 1 and not self._with_title:
            self.update(finding_renderable(self.app, self._findings[0], with_title=False))
        else:
            self.update(findings_renderable(self.app, self._findings, self._empty_text))
        self.display = bool(self._findings) or bool(self._empty_text)
