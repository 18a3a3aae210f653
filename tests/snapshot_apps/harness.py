"""A minimal App that shows one screen, so a test drives that screen without the Overview's checks."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from textual.app import App
from textual.message import Message
from textual.notifications import Notification, Notify
from textual.screen import Screen

STYLESHEET = Path(__file__).resolve().parents[2] / "tui" / "styles" / "app.tcss"


class ScreenHarness(App[None]):
    """Pushes ``make_screen()`` on mount; everything else (styles, notifications) is the real app's."""

    CSS_PATH = str(STYLESHEET)
    TITLE = "wazuh-aws-doctor"

    def __init__(self, make_screen: Callable[[], Screen[object]]) -> None:
        super().__init__()
        self._make_screen = make_screen

    def on_mount(self) -> None:
        self.push_screen(self._make_screen())


async def wait_until(pilot: Any, condition: Callable[[], bool], timeout: float = 90) -> None:
    """Pause until ``condition`` holds (workers post their messages in their own time)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await pilot.pause(0.05)


def notifications(messages: Iterable[Message]) -> list[Notification]:
    """The notifications the app posted, oldest first, read from Textual's public ``Notify`` message.

    A ``message_hook`` sees every one, including those whose toast has already timed out.
    """
    return [message.notification for message in messages if isinstance(message, Notify)]
