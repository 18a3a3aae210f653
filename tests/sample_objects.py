"""The sample objects helpers live in ``tui.sample_objects`` (the demo seeds from them too)."""

from __future__ import annotations

from tui.sample_objects import (
    ACCOUNT,
    MANIFEST,
    OBJECTS,
    REGION,
    entry_named,
    load_manifest,
    render_key,
    rendered,
    sample_bytes,
)

__all__ = ["ACCOUNT", "MANIFEST", "OBJECTS", "REGION", "entry_named", "load_manifest", "render_key", "rendered",
           "sample_bytes"]
