"""The app's Next run screen for a CloudWatch Logs block: what the next run sends and what it drops."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from diagnostics.context import context_from_environment
from diagnostics.findings import SourceLocation
from diagnostics.wazuh.wodle import Block, Option
from tests.conftest import admin_client
from tests.screen_text import screen_lines
from tests.snapshot_apps.harness import ScreenHarness, wait_until
from tui.screens.next_run import NextRunScreen


@pytest.fixture
def plain_logs(moto: str, clean_aws_env: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """plain-logs on moto with a message the module drops, and root's [default] profile."""
    (clean_aws_env / ".aws" / "credentials").write_text(
        "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = doctor-secret\n")
    (clean_aws_env / ".aws" / "credentials").chmod(0o600)
    monkeypatch.setenv("WAZUH_AWS_DOCTOR_MODULE_HOME", str(clean_aws_env))
    logs = admin_client(moto, "logs")
    logs.create_log_group(logGroupName="plain-logs")
    logs.create_log_stream(logGroupName="plain-logs", logStreamName="s1")
    now = int(time.time() * 1000)
    logs.put_log_events(logGroupName="plain-logs", logStreamName="s1", logEvents=[
        {"timestamp": now - 2000, "message": "None of the 3 login attempts succeeded"},
        {"timestamp": now - 1000, "message": "user [bold]alice[/] logged in"}])
    return moto


async def test_next_run_lists_sent_and_dropped_messages_at_80x24(plain_logs: str, tmp_path: Path) -> None:
    context = context_from_environment(None, str(tmp_path / "ossec"), plain_logs)
    block = Block("service", "cloudwatchlogs", SourceLocation(str(tmp_path / "ossec.conf"), 12),
                  {"aws_log_groups": Option("aws_log_groups", "plain-logs", 13),
                   "regions": Option("regions", "us-east-1", 14)})
    app = ScreenHarness(lambda: NextRunScreen(context, block))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: "The next run sends 1 event(s), drops 1" in "\n".join(screen_lines(app))
                         and "the module uses the literal 'None'" in "\n".join(screen_lines(app)))
        text = "\n".join(screen_lines(app))
        assert "⊘ None of the 3 login" in text
        assert "✓ user [bold]alice[/] logg" in text
        assert "Dropped (plain-logs/s1, us-east-1): the text" in text
        assert "the module uses the literal 'None'" in text
        await pilot.press("down")
        await wait_until(pilot, lambda: "1:Wazuh-AWS:user [bold]alice[/] logged in" in "\n".join(screen_lines(app)))
        assert "doctor-secret" not in "\n".join(screen_lines(app))
