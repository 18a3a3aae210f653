"""The app's Notified objects screen: a subscriber's source bucket, each object decoded as the module would."""

from __future__ import annotations

from pathlib import Path

import pytest

from diagnostics.context import context_from_environment
from diagnostics.findings import SourceLocation
from diagnostics.wazuh.wodle import Block, Option
from tests.conftest import admin_client
from tests.screen_text import screen_lines
from tests.snapshot_apps.harness import ScreenHarness, wait_until
from tests.test_queue_access import golden, seed_notified_queue
from tui.screens.notified_objects import NotifiedObjectsScreen


@pytest.fixture
def module_home(clean_aws_env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (clean_aws_env / ".aws" / "credentials").write_text(
        "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = doctor-secret\n")
    (clean_aws_env / ".aws" / "credentials").chmod(0o600)
    (clean_aws_env / ".aws" / "config").write_text("[default]\nregion = us-east-1\n")
    monkeypatch.setenv("WAZUH_AWS_DOCTOR_MODULE_HOME", str(clean_aws_env))
    return clean_aws_env


async def test_notified_objects_are_listed_newest_first_and_decoded(moto: str, module_home: Path,
                                                                    tmp_path: Path) -> None:
    seed = golden("subscriber_delete_denied")["seed"]
    seed_notified_queue(moto, seed)
    admin_client(moto).put_object(Bucket=seed["bucket"], Key="2026/12/05/z app log.txt",
                                  Body=b"None of the users logged in\nuser alice logged in\n")
    context = context_from_environment(None, str(tmp_path / "ossec"), moto)
    block = Block("subscriber", "buckets", SourceLocation(str(tmp_path / "ossec.conf"), 12),
                  {"sqs_name": Option("sqs_name", seed["queue"], 13)})
    app = ScreenHarness(lambda: NotifiedObjectsScreen(context, block))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_until(pilot, lambda: "The run stops here (exit 12)" in "\n".join(screen_lines(app)))
        text = "\n".join(screen_lines(app))
        assert f"s3://{seed['bucket']}: 2 newest object(s)" in text
        assert "The module asks S3 for: 2026/12/05/z+app+log.txt" in text
        await pilot.press("down")
        await wait_until(pilot, lambda: "Read as json: 2 event(s) sent" in "\n".join(screen_lines(app)))
        text = "\n".join(screen_lines(app))
        assert '1:Wazuh-AWS:{"integration": "aws", "aws": {"log_info": {"log_file":' in text
        assert '"source": "custom",' in text and '"n": 2}}' in text
        assert "doctor-secret" not in text
