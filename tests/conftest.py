"""Shared fixtures: a real moto S3 server on loopback and an AWS environment that never touches ~/.aws."""

from __future__ import annotations

import json
import logging
import os
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """Start moto's threaded server on 127.0.0.1 (free port) for the whole session."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def moto_post(endpoint: str, path: str, body: bytes = b"") -> None:
    """POST to moto's control API (reset, reset-auth); text/plain keeps Flask from eating the body."""
    request = urllib.request.Request(f"{endpoint}{path}", data=body, method="POST",
                                     headers={"Content-Type": "text/plain"})
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()


@pytest.fixture
def clean_aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Remove every AWS_* variable and point the shared files at an empty temp home; returns that home."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name, raising=False)
    home = tmp_path / "modulehome"
    (home / ".aws").mkdir(parents=True)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(home / ".aws" / "credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(home / ".aws" / "config"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    return home


@pytest.fixture
def moto(moto_endpoint: str) -> Iterator[str]:
    """A freshly reset moto server (all backends, auth off); yields its endpoint."""
    moto_post(moto_endpoint, "/moto-api/reset")
    moto_post(moto_endpoint, "/moto-api/reset-auth", b"inf")
    yield moto_endpoint
    moto_post(moto_endpoint, "/moto-api/reset-auth", b"inf")
    moto_post(moto_endpoint, "/moto-api/reset")


def admin_client(endpoint: str, service: str = "s3", region: str = "us-east-1"):  # type: ignore[no-untyped-def]
    """A client with moto's root test credentials, for seeding (never the code under test)."""
    import boto3
    from botocore.config import Config

    return boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name=region
    ).client(service, endpoint_url=endpoint, config=Config(retries={"max_attempts": 1}))


def enable_auth(endpoint: str) -> None:
    """Turn on moto's IAM enforcement (create users and keys first)."""
    moto_post(endpoint, "/moto-api/reset-auth", b"0")


def json_dumps(value: object) -> str:
    """Compact JSON for seeding."""
    return json.dumps(value, separators=(",", ":"))
