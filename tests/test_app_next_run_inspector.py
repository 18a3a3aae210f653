"""The app's Next run screen for an Inspector block: the window, each finding's message, and the dropped one."""

from __future__ import annotations

from pathlib import Path

import pytest

from diagnostics.context import context_from_environment
from diagnostics.findings import SourceLocation
from diagnostics.wazuh.wodle import Block, Option
from tests.inspector_server import inspector_server
from tests.screen_text import screen_lines
from tests.snapshot_apps.harness import ScreenHarness, wait_until
from tests.test_service_access import load_golden
from tui.screens.next_run import NextRunScreen


@pytest.fixture
def root_profile(clean_aws_env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Root's [default] profile in the module's home."""
    (clean_aws_env / ".aws" / "credentials").write_text(
        "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = doctor-secret\n")
    (clean_aws_env / ".aws" / "credentials").chmod(0o600)
    monkeypatch.setenv("WAZUH_AWS_DOCTOR_MODULE_HOME", str(clean_aws_env))
    return clean_aws_env


async def test_next_run_lists_the_findings_and_the_discarded_one_at_80x24(
        root_profile: Path, moto: str, tmp_path: Path) -> None:
    golden = load_golden("inspector_discard_nested_list")
    block = Block("service", "inspector", SourceLocation(str(tmp_path / "ossec.conf"), 12),
                  {"regions": Option("regions", "us-east-1", 13),
                   "only_logs_after": Option("only_logs_after", "2026-NOV-25", 14)}, 0,
                  Option("discard_regex", "lod", 15, {"field": "packageVulnerabilityDetails.vulnerablePackages.name"}))
    with inspector_server(golden["seed"]["findings"], upstream=moto) as server:
        context = context_from_environment(None, str(tmp_path / "ossec"), server.endpoint)
        app = ScreenHarness(lambda: NextRunScreen(context, block))
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until(pilot, lambda: "The next run sends 2 event(s), drops 1" in "\n".join(screen_lines(app))
                             and " Sent " in "\n".join(screen_lines(app))
                             and "0a1b2c3d4e5f" in "\n".join(screen_lines(app)))
            text = "\n".join(screen_lines(app))
            assert "✓ HIGH CVE-2024-4741" in text
            assert "✓ MEDIUM Port 22 is" in text
            assert "⊘ CRITICAL CVE-2020-8203" in text
            assert "findings updated from 2026-11-25 00:00:00" in text
            await pilot.press("down", "down")
            await wait_until(pilot, lambda: " Dropped " in "\n".join(screen_lines(app))
                             and "discard_regex 'lod'" in "\n".join(screen_lines(app)))
            assert "99aa88bb77cc" in "\n".join(screen_lines(app)), "the dropped finding's ARN in the pane"
            assert "doctor-secret" not in "\n".join(screen_lines(app))


@pytest.mark.parametrize(("debug_level", "code"), [(0, 12), (2, 1)])
async def test_a_denied_list_findings_shows_the_modules_exit_at_its_debug_level(
        root_profile: Path, moto: str, tmp_path: Path, debug_level: int, code: int) -> None:
    block = Block("service", "inspector", SourceLocation(str(tmp_path / "ossec.conf"), 12),
                  {"regions": Option("regions", "us-east-1", 13)})
    with inspector_server([], upstream=moto, deny="not authorized to perform: inspector2:ListFindings") as server:
        context = context_from_environment(None, str(tmp_path / "ossec"), server.endpoint)
        app = ScreenHarness(lambda: NextRunScreen(context.with_changes(debug_level=debug_level), block))
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until(pilot, lambda: "ListFindings under us-east-1" in "\n".join(screen_lines(app)))
            assert f"exit {code})" in "\n".join(screen_lines(app))
            assert "No event would be sent." in "\n".join(screen_lines(app))
