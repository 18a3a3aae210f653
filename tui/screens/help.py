"""The key list (F1 / ?), built from the bindings active where it was opened so it never goes stale."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

GENERAL_HELP = (
    "wazuh-aws-doctor checks the aws-s3 wodle as Wazuh would run it: the configuration, the credentials "
    "and profile, the identity, bucket access, the key layout and the start marker. Screens: Overview "
    "(F2 or o, from any screen: it closes Troubleshoot, Browse and Preview), Ingest (F3 or i), Log explainer "
    "(F4 or x; letters type text while a text field has focus). Press Enter on a bucket to troubleshoot it, "
    "b to browse its keys. Escape cancels running work or goes back; ctrl+q quits at any time; ctrl+p opens "
    "the command palette. The footer shows the main keys of each screen; this list has all of them."
)


class HelpScreen(ModalScreen[None]):
    """A modal table of keys and what they do on the screen below."""

    BINDINGS = [Binding("escape,f1,question_mark,q", "dismiss_help", "Close", show=True)]

    def __init__(self, screen_title: str, rows: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self._screen_title = screen_title
        self.rows = tuple(rows)

    def compose(self) -> ComposeResult:
        table = Table(show_header=True, header_style="bold", box=None, expand=True, padding=(0, 2))
        table.add_column("Key", no_wrap=True)
        table.add_column("Action")
        for key, description in self.rows:
            table.add_row(key, description)
        with VerticalScroll(id="help-body") as body:
            body.border_title = f"Keys — {self._screen_title}"
            # The keys first: at 80x24 they are what fits; the overview of the screens follows them.
            yield Static(table, id="help-table")
            yield Static(Text(GENERAL_HELP), classes="hint", id="help-general")

    def action_dismiss_help(self) -> None:
        self.dismiss(None)
