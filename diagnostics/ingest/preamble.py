"""The lines the script prints before its walk: debug mode, the profile's client settings, the table it makes.

They are printed only when the script gets that far: an argument argparse rejects, or a role duration without a
role, ends it before any line, and a regex that does not compile ends it before the table is created.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from diagnostics.aws.prediction import client_config_lines
from diagnostics.layout.module_walk import argument_rejection, startup_failure

if TYPE_CHECKING:
    from diagnostics.context import DoctorContext
    from diagnostics.ingest.log_format import ModuleLog
    from diagnostics.ingest.state import IngestState
    from diagnostics.wazuh.wodle import Block


def print_preamble(log: ModuleLog, block: Block, context: DoctorContext, state: IngestState, table: str,
                   debug_level: int) -> None:
    """Print what the script prints before listing, and create our state's table where the module creates its."""
    duration_without_role = bool(block.value("iam_role_duration")) and not block.value("iam_role_arn")
    if argument_rejection(block) is not None or duration_without_role:
        return  # the script stops before its first line
    if debug_level > 0:
        log.debug_mode_on(debug_level)
    for level, text in client_config_lines(context.module_home / ".aws" / "config", block.value("aws_profile")):
        log.module_debug(level, text)
    if startup_failure(block) is None and state.ensure_table(table):
        log.table_created()
