"""Preview's evidence on the demo's moto server: a missing key and the records the module drops silently."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timezone

import pytest

from diagnostics.bucket_session import BucketSession, open_bucket, preview_object
from diagnostics.checks import load_configuration
from tui.cli import main
from tui.demo import DemoEnvironment, start_demo

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoEnvironment]:
    environment = start_demo(now=NOW, root=tmp_path_factory.mktemp("preview-demo"))
    try:
        yield environment
    finally:
        environment.stop()


def session_for(demo: DemoEnvironment, name: str) -> BucketSession:
    loaded, _ = load_configuration(demo.context)
    block = next(block for block in loaded.blocks if block.name == name and block.value("aws_profile") == "wazuh-demo")
    session = open_bucket(demo.context, block)
    assert session.usable
    return session


def keys_of(session: BucketSession) -> list[str]:
    listed = session.client.list_objects_v2(Bucket=session.layout.bucket)
    return sorted(item["Key"] for item in listed.get("Contents", ()))


def test_a_missing_key_says_it_is_not_there_and_offers_the_nearest_keys(demo: DemoEnvironment) -> None:
    session = session_for(demo, "demo-alb")
    stored = [key for key in keys_of(session) if key.endswith(".log.gz")]
    typo = stored[0][:-9] + "X" + stored[0][-8:]  # one character changed
    result = preview_object(session, typo)
    assert not result.events and len(result.findings) == 1
    finding = result.findings[0]
    assert finding.failure_id == "preview.no_such_key"
    assert "does not exist" in finding.title and "not a permission problem" in finding.explanation
    assert "kms:Decrypt" not in finding.fix and "s3:GetObject" not in finding.fix
    assert f"nearby: {stored[0]}" in finding.evidence  # the key it was meant to be comes first


def test_records_without_detail_are_kept_for_the_raw_view_each_with_why(demo: DemoEnvironment) -> None:
    session = session_for(demo, "demo-custom-nodetail")
    key = next(key for key in keys_of(session) if key.startswith("cwlogs/"))
    result = preview_object(session, key)
    assert not result.events and result.totals.dropped_total == len(result.dropped) == 2
    assert [dropped.record_index for dropped in result.dropped] == [0, 1]
    assert all(dropped.reason == 'no "detail" key' for dropped in result.dropped)
    assert result.dropped[0].raw_record["logGroup"] == "/aws/lambda/orders-api"


def test_preview_raw_prints_the_dropped_records_with_why(capsys: pytest.CaptureFixture[str], demo: DemoEnvironment,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    session = session_for(demo, "demo-custom-nodetail")
    key = next(key for key in keys_of(session) if key.startswith("cwlogs/"))
    for name, value in demo.context.environ.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("WAZUH_AWS_DOCTOR_MODULE_HOME", str(demo.context.module_home))
    common = ["--wazuh-home", str(demo.context.wazuh_home), "--endpoint-url", demo.endpoint_url,
              "--bucket", "demo-custom-nodetail", "--key", key, "--raw"]
    code = main(["preview", *common])
    out = capsys.readouterr().out
    assert 'record 1  [dropped: no "detail" key; the module sends nothing for it]' in out
    assert 'record 2  [dropped: no "detail" key' in out and '"logGroup": "/aws/lambda/orders-api"' in out
    assert code == 1

    code = main(["preview", *common, "--format", "json"])
    captured = capsys.readouterr()
    dropped = [json.loads(line)["dropped"] for line in captured.err.splitlines() if line.startswith('{"dropped"')]
    assert [item["record_index"] for item in dropped] == [0, 1]


def test_a_key_in_a_folder_that_does_not_exist_looks_one_folder_up(demo: DemoEnvironment) -> None:
    from diagnostics.aws.nearest_keys import nearest_keys

    session = session_for(demo, "demo-alb")
    stored = [key for key in keys_of(session) if key.endswith(".log.gz")]
    day = stored[0].rsplit("/", 2)[0]  # .../2026/11
    near = nearest_keys(session.client, session.layout.bucket, f"{day}/31/missing.log.gz")
    assert near.prefix == f"{day}/" and near.keys and all(key.startswith(f"{day}/") for key in near.keys)
    assert near.listing_error is None
