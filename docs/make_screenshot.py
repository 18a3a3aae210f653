"""Write docs/screenshot.svg: the demo's Troubleshoot screen for a forbidden bucket (README picture)."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


async def main() -> None:
    from textual.widgets import Tree

    from tui.app import DoctorApp
    from tui.demo import start_demo
    from tui.screens.troubleshoot import TroubleshootScreen

    demo = start_demo()
    try:
        app = DoctorApp(demo.context)
        async with app.run_test(size=(120, 36)) as pilot:
            deadline = time.monotonic() + 90
            tree = None
            while time.monotonic() < deadline:
                await pilot.pause(0.5)
                tree = app.screen.query_one(Tree)
                labels = [str(node.label) for wodle in tree.root.children for node in wodle.children]
                if labels and not any("…" in label.split(" ")[0] for label in labels):
                    break
            assert tree is not None
            for wodle in tree.root.children:
                for node in wodle.children:
                    if node.data is not None and node.data.block is not None and \
                            node.data.block.name == "demo-forbidden":
                        tree.move_cursor(node)
            await pilot.press("enter")
            while not isinstance(app.screen, TroubleshootScreen) and time.monotonic() < deadline:
                await pilot.pause(0.2)
            await pilot.pause(2)
            svg = app.export_screenshot(title="wazuh-aws-doctor --demo")
        (ROOT / "docs" / "screenshot.svg").write_text(svg)
    finally:
        demo.stop()


if __name__ == "__main__":
    asyncio.run(main())
