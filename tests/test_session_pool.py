"""Blocks with the same static credentials share one boto3 session; anything else gets its own."""

from __future__ import annotations

import concurrent.futures
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from diagnostics.aws import session_pool
from diagnostics.aws.clients import ClientSettings, make_client
from diagnostics.aws.credentials import resolve_credentials
from tests.test_credentials import KEY_ID, SECRET, context_for, credentials_text, make_block, write

OTHER_KEY_ID = "AKIAOTHERKEY00000002"


@pytest.fixture(autouse=True)
def empty_pool() -> Iterator[None]:
    session_pool.clear()
    yield
    session_pool.clear()


def _home(tmp_path: Path) -> Path:
    write(tmp_path / ".aws" / "credentials",
          credentials_text("wazuh") + credentials_text("other", OTHER_KEY_ID, SECRET))
    write(tmp_path / ".aws" / "config", "[profile wazuh]\nregion = us-east-1\n[profile other]\nregion = eu-west-1\n")
    return tmp_path


def test_same_profile_shares_one_session_and_gives_the_same_findings(tmp_path: Path) -> None:
    context = context_for(_home(tmp_path))
    first = resolve_credentials(make_block(name="logs", aws_profile="wazuh"), context)
    second = resolve_credentials(make_block(name="logs", path="elsewhere", aws_profile="wazuh"), context)
    assert first.session() is second.session()
    assert first.findings == second.findings and first.masked_key_id == second.masked_key_id
    assert session_pool.session_lock(first.session()) is not None


def test_other_profile_environment_or_inline_keys_get_their_own_session(tmp_path: Path) -> None:
    context = context_for(_home(tmp_path))
    wazuh = resolve_credentials(make_block(aws_profile="wazuh"), context)
    other = resolve_credentials(make_block(aws_profile="other"), context)
    inline = resolve_credentials(make_block(access_key=OTHER_KEY_ID, secret_key=SECRET), context)
    moved = resolve_credentials(make_block(aws_profile="wazuh"),
                                context_for(tmp_path, {"AWS_EC2_METADATA_DISABLED": "true",
                                                       "AWS_DEFAULT_REGION": "ap-south-1"}))
    sessions = [report.session() for report in (wazuh, other, inline, moved)]
    assert len({id(session) for session in sessions}) == 4
    assert (other.masked_key_id, other.region) == ("AKIA****0002", "eu-west-1")
    assert moved.region == "ap-south-1" and wazuh.region == "us-east-1"


def test_an_edited_credentials_file_gives_a_new_session_with_the_new_key(tmp_path: Path) -> None:
    context = context_for(_home(tmp_path))
    before = resolve_credentials(make_block(aws_profile="wazuh"), context)
    write(tmp_path / ".aws" / "credentials", credentials_text("wazuh", OTHER_KEY_ID, SECRET))
    after = resolve_credentials(make_block(aws_profile="wazuh"), context)
    assert after.session() is not before.session()
    assert (before.masked_key_id, after.masked_key_id) == (f"AKIA****{KEY_ID[-4:]}",
                                                           "AKIA****0002")


def test_a_credential_process_runs_for_each_block_and_is_never_shared(tmp_path: Path) -> None:
    program = tmp_path / "creds.py"
    answer = {"Version": 1, "AccessKeyId": KEY_ID, "SecretAccessKey": SECRET}
    program.write_text(f"print({json.dumps(json.dumps(answer))})\n")
    write(tmp_path / ".aws" / "config", f"[profile proc]\nregion = us-east-1\n"
                                         f"credential_process = {sys.executable} {program}\n")
    context = context_for(tmp_path)
    first = resolve_credentials(make_block(aws_profile="proc"), context)
    second = resolve_credentials(make_block(aws_profile="proc"), context)
    assert first.method == second.method == "custom-process"
    assert first.session() is not second.session()
    assert session_pool.session_lock(first.session()) is None


def test_threads_build_their_own_clients_from_a_shared_session(tmp_path: Path) -> None:
    context = context_for(_home(tmp_path))
    session = resolve_credentials(make_block(aws_profile="wazuh"), context).session()
    assert session is not None
    settings = ClientSettings(endpoint_url="http://127.0.0.1:9", region="us-east-1")
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        clients = list(pool.map(lambda _: make_client(session, "s3", settings), range(32)))
    assert len({id(client) for client in clients}) == 32  # per-client state never crosses blocks
    assert {client._request_signer._credentials.access_key for client in clients} == {KEY_ID}



def test_a_credentials_path_that_is_no_regular_file_is_never_shared_nor_opened(tmp_path: Path) -> None:
    home = _home(tmp_path)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    key = session_pool.credential_key({}, (home / ".aws" / "credentials", fifo), profile="wazuh",
                                      access_key=None, secret_key=None, imds_timeout=1)
    assert key is None  # returned at once: opening a FIFO would block
    fresh = boto3.session.Session(aws_access_key_id=KEY_ID, aws_secret_access_key=SECRET)
    assert session_pool.keep_session(key, fresh, "explicit") is fresh
    assert session_pool.session_lock(fresh) is None and session_pool.shared_session(key) is None
