"""Where the module starts reading in a bucket: the folder whose listing holds its marker.

Browsing answers "why are my files not read?" fastest when it opens right where the module's
``StartAfter`` falls: keys at or before that line are never listed again, keys after it are (and read
unless already processed). Config's and GuardDuty's cut-back markers land on their year or day folder,
so the jump opens that folder (diagnostics/layout/marker.py computes them). Finding the place
costs the marker computation (the state database, read-only) and, for the AWSLogs types, the module's
own account and region discovery when no scope is chosen yet; showing it is one more listing request.
"""

from __future__ import annotations

from dataclasses import dataclass

from diagnostics.bucket_session import BucketSession
from diagnostics.layout.discovery import plan_accounts_and_regions
from diagnostics.layout.prefixes import configured_regions, split_list

SCOPE_PROBE = "~"
"""Appended to a scope's prefix to ask the classifier which scope it is (any name under the prefix)."""


@dataclass(frozen=True)
class ScopeChoice:
    """The account and region a jump goes to, or why there is none; ``note`` says when there were several."""

    account: str | None = None
    region: str | None = None
    note: str = ""
    problem: str = ""


@dataclass(frozen=True)
class MarkerLocation:
    """The folder to show, the marker inside it and where the marker comes from; or why it is unknown."""

    prefix: str | None
    marker: str | None = None
    reason: str = ""
    """The marker's own explanation (state database, only_logs_after, today), or why it is unknown."""
    note: str = ""
    scope_prefix: str = ""
    """The prefix the module lists for the scope: a face showing an empty folder may climb up to it."""


def choose_scope(session: BucketSession, hint: tuple[str, str] | None) -> ScopeChoice:
    """``hint`` when given, else the first account and region the module itself would walk."""
    layout = session.layout
    if not layout.iterates_accounts:
        return ScopeChoice()
    if hint is not None:
        return ScopeChoice(*hint)
    plan = plan_accounts_and_regions(session.client, layout, split_list(session.block.value("aws_account_id")),
                                     configured_regions(session.block.value("regions")))
    walked = [(account.account, region) for account in plan.accounts for region in account.regions]
    if not walked:
        return ScopeChoice(problem=plan.exit_message or "the module finds no account and region")
    account, region = walked[0]
    note = "" if len(walked) == 1 else (f"{len(walked)} account/region scopes; showing {account}/{region} "
                                        "(move into another to jump there)")
    return ScopeChoice(account, region, note)


def locate_marker(session: BucketSession, hint: tuple[str, str] | None = None) -> MarkerLocation:
    """The folder holding the marker of the scope ``hint`` (account, region), else of the module's first."""
    classifier = session.classifier
    if session.client is None or classifier is None:
        return MarkerLocation(None, reason="the bucket is not open")
    choice = choose_scope(session, hint)
    if choice.problem:
        return MarkerLocation(None, reason=choice.problem)
    prefix = session.layout.full_prefix(choice.account, choice.region)
    scope, why = classifier.scope_of(prefix + SCOPE_PROBE)
    if scope is None:
        return MarkerLocation(None, reason=why)
    marker = classifier.marker_for(scope)
    folder = marker.value[: marker.value.rfind("/") + 1]
    if not folder.startswith(scope.prefix):
        folder = scope.prefix
    return MarkerLocation(folder, marker.value, marker.reason, choice.note, scope.prefix)


def level_marker(session: BucketSession, prefix: str) -> str | None:
    """The StartAfter of the scope a browsed level belongs to, or None above the scopes (several accounts...),
    so a level can show where the module starts reading in it."""
    classifier = session.classifier
    if classifier is None:
        return None
    scope, _ = classifier.scope_of(prefix + SCOPE_PROBE)
    if scope is None or not prefix.startswith(scope.prefix):
        return None
    return classifier.marker_for(scope).value
