"""Explanations for access failures; part of the one table in ``diagnostics.explanations``."""

from __future__ import annotations

from diagnostics.explanations.table import Explanation

ENTRIES: tuple[Explanation, ...] = ()
