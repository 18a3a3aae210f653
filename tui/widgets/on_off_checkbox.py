"""A checkbox whose state reads without colour: ``▐✔▌`` when on, ``▐ ▌`` when off."""

from __future__ import annotations

from textual.widgets import Checkbox


class OnOffCheckbox(Checkbox):
    """Textual's Checkbox shows ``X`` in both states and tells them apart by colour alone.

    A monochrome terminal, a screen reader or a colour-blind admin saw two identical boxes; the glyph
    now changes with the value.
    """

    ON = "✔"
    OFF = " "

    def __init__(self, label: str, value: bool = False, *, id: str | None = None, compact: bool = False) -> None:
        super().__init__(label, value, id=id, compact=compact)
        self.BUTTON_INNER = self.ON if value else self.OFF

    def watch_value(self) -> None:
        """Change the glyph with the value, then let Checkbox set its class and post Changed."""
        self.BUTTON_INNER = self.ON if self.value else self.OFF
        self.refresh()
        super().watch_value()
