"""Which files will the module never read? Keys at or before a scope's marker that have no state row.

The module lists only after its marker, so it never says a word about them; the pass checks each scope once
it is done with it.
"""

from __future__ import annotations

import threading
from typing import Any

from diagnostics.ingest.state import IngestState
from diagnostics.layout.classify import KeyScope
from diagnostics.layout.listing import ListingError, iter_objects
from diagnostics.layout.prefixes import BucketLayout
from diagnostics.wazuh.state_scope import StateScope


def late_files(client: Any, layout: BucketLayout, scope: KeyScope, marker: str, state: IngestState,
               mark_scope: StateScope, check_scope: StateScope, cancel: threading.Event) -> list[str]:
    """Keys between the scope's oldest kept state row and its marker that have no row: never read.

    Older keys are not judged (the module prunes rows past 500 per scope, so their absence means nothing),
    and a scope with no rows yet has nothing to compare with (its first run starts at the marker on purpose).
    """
    kept = state.keys(mark_scope)
    if not kept:
        return []
    pattern = layout.date_position_pattern
    late: list[str] = []
    try:
        listing = iter_objects(client, layout.bucket, scope.prefix, start_after=kept[0], cancel=cancel)
        for listed, _page in listing:
            key = listed.key
            if key > marker:
                break
            if not key or key.endswith("/"):
                continue
            if scope.flow_log_id is not None and scope.flow_log_id not in key:
                continue
            if pattern is not None:
                match = pattern.search(key)
                if match is None or match.start() != len(scope.prefix):
                    continue
            if not state.already_processed(check_scope, key):
                late.append(key)
    except ListingError:
        # The late-file count is our own addition (the module never lists behind its marker), so a failed
        # listing only makes it a lower bound; the walk's own listing reports any failure the module meets.
        return late
    return late
