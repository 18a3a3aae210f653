"""A step of ours that raised, turned into an error finding, so one bug never hides the other results."""

from __future__ import annotations

from typing import TYPE_CHECKING

from diagnostics.explanations import build_finding
from diagnostics.findings import Finding
from diagnostics.masking import known_secrets, scrub

if TYPE_CHECKING:
    from diagnostics.context import DoctorContext
    from diagnostics.wazuh.wodle import Block


def step_crashed(step: str, block: Block, context: DoctorContext, error: BaseException,
                 retries: str = "") -> Finding:
    """An unexpected exception in one step as an error finding with secrets scrubbed, since the error text
    may quote a credential; ``retries`` says what the failed call tried, when it was an AWS call."""
    secrets = known_secrets(context.module_home, [context.environ], (block.value("secret_key"),))
    text = scrub(f"{type(error).__name__}: {error}", secrets)
    evidence = (text, retries) if retries else (text,)
    return build_finding("host.step_crashed", check_id=f"{step}.crashed", target=block.label,
                         profile=context.profile, values={"step": step, "error": text}, evidence=evidence)
