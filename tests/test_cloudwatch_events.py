"""The next CloudWatch Logs run's datagrams, compared byte for byte with recorded runs of the real module."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from diagnostics.ingest.cloudwatch_events import CloudWatchEvent, StreamFailure, discard_reason, next_cloudwatch_events
from diagnostics.wazuh.wodle import Option
from tests.test_service_access import (
    GOLDENS,
    block_from_arguments,
    context,
    load_golden,
    seed,
    session,
    settings,
)

GOLDEN_NAMES = sorted(path.name for path in GOLDENS.glob("cloudwatch_*"))


def with_discard(arguments: list[str], block: Any) -> Any:
    """The golden's --discard-regex as the block's <discard_regex>."""
    if "--discard-regex" not in arguments:
        return block
    regex = arguments[arguments.index("--discard-regex") + 1]
    return type(block)(block.kind, block.block_type, block.location, block.options, block.index,
                       Option("discard_regex", regex, 30))


@pytest.mark.parametrize("name", GOLDEN_NAMES)
def test_next_run_sends_exactly_what_the_module_sent(moto: str, tmp_path: Path, name: str) -> None:
    golden = load_golden(name)
    home = seed(moto, golden, tmp_path)
    arguments = golden["arguments"]
    block = with_discard(arguments, block_from_arguments(arguments))
    failures: list[StreamFailure] = []
    events = list(next_cloudwatch_events(session(), block, context(home), settings(moto), failures=failures))
    sent = [event.datagram for event in events if event.dropped_by is None]
    assert sent == golden["datagrams"]
    stopped = next((failure.exit_code for failure in failures if failure.exit_code is not None), 0)
    assert stopped == golden["exit_code"]


def test_the_dropped_none_messages_are_named_with_the_reason(moto: str, tmp_path: Path) -> None:
    golden = load_golden("cloudwatch_plain_text_none_dropped_debug0")
    home = seed(moto, golden, tmp_path)
    block = block_from_arguments(golden["arguments"])
    events: list[CloudWatchEvent] = list(next_cloudwatch_events(session(), block, context(home), settings(moto)))
    dropped = [event.message for event in events if event.dropped_by is not None]
    assert dropped == ["None of the 3 login attempts succeeded", "Nonesuch service started"]
    assert golden["output"] == [], "at debug 0 the module says nothing about them"
    assert all("literal 'None'" in (event.dropped_by or "") for event in events if event.dropped_by)


def test_discard_reason_follows_the_modules_rules() -> None:
    assert discard_reason('{"user": "None"}', None, None) is None
    assert discard_reason('{"user": {"name": "bot-1"}}', "bot", "user.name") is not None
    assert discard_reason('{"user": [{"name": "x"}, {"name": "bot"}]}', "bot", "user.name") is not None
    assert discard_reason('{"count": 7}', "7", "count") is None, "the module never matches a number"
    assert discard_reason("bot said hi", "bot", None) is not None
    assert discard_reason("hello", "(?!)", None) is None
