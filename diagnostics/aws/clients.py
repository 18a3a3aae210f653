"""The one factory for boto3 clients, so tests, the demo and production differ only in settings."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any

from diagnostics.aws.session_pool import session_lock

# Imported inside the functions that use them: botocore adds 9-170 ms to start-up
# (python -X importtime), paid otherwise by every command that never needs them.

if TYPE_CHECKING:
    import boto3

    from diagnostics.context import DoctorContext
    from diagnostics.wazuh.wodle import Block

NETWORK_VARIABLES: Mapping[str, str] = {
    "connect_timeout": "WAZUH_AWS_DOCTOR_CONNECT_TIMEOUT",
    "read_timeout": "WAZUH_AWS_DOCTOR_READ_TIMEOUT",
    "max_attempts": "WAZUH_AWS_DOCTOR_MAX_ATTEMPTS",
}
"""Environment overrides of the network behaviour (slow links, tests that must fail fast)."""


@dataclass(frozen=True)
class ClientSettings:
    """Endpoint, region and network behaviour of the clients we build."""

    endpoint_url: str | None = None
    """``--endpoint-url`` / ``AWS_ENDPOINT_URL_S3``: every client (S3, STS, EC2, IAM) goes there."""
    service_endpoint: str | None = None
    """The block's ``service_endpoint``: S3, EC2, CloudWatch Logs and Inspector clients, as the module uses it."""
    sts_endpoint: str | None = None
    """The block's ``sts_endpoint``: the STS client."""
    region: str | None = None
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    max_attempts: int = 3
    """Retries after the first attempt in botocore's standard retry mode (AWS's own retry guidance):
    botocore's ``max_attempts`` client setting counts retries, so a call is tried max_attempts + 1 times."""

    def endpoint_for(self, service: str) -> str | None:
        """The endpoint a client of ``service`` talks to, or None for AWS's default."""
        if self.endpoint_url:
            return self.endpoint_url
        if service == "sts":
            return self.sts_endpoint
        if service in ("s3", "ec2", "logs", "inspector2"):  # the module's service clients take it too
            return self.service_endpoint
        return None

    def describe_retries(self) -> str:
        """What a failed call tried, for evidence: attempts, retry mode and timeouts."""
        return (f"up to {self.max_attempts + 1} attempts ({self.max_attempts} retries in botocore's standard "
                f"mode: backoff on throttling, 5xx, timeouts and dropped connections), connect timeout "
                f"{self.connect_timeout:g} s, read timeout {self.read_timeout:g} s")

    @classmethod
    def from_environ(cls, environ: Mapping[str, str], **values: Any) -> ClientSettings:
        """Settings with ``NETWORK_VARIABLES`` applied from ``environ``; unusable values keep the default."""
        defaults = {item.name: item.default for item in fields(cls)}
        for name, variable in NETWORK_VARIABLES.items():
            text = environ.get(variable, "").strip()
            if not text or name in values:
                continue
            try:
                number = int(text) if name == "max_attempts" else float(text)
            except ValueError:
                continue
            usable = number >= 0 if name == "max_attempts" else math.isfinite(number) and number > 0
            values[name] = number if usable else defaults[name]
        return cls(**values)


def settings_for(block: Block, context: DoctorContext, region: str | None = None) -> ClientSettings:
    """Client settings for a block: our --endpoint-url override, else its service/sts endpoints, so every
    step that talks to AWS for the block reaches the same endpoints the module would."""
    return ClientSettings.from_environ(context.environ, endpoint_url=context.endpoint_url,
                                       service_endpoint=block.value("service_endpoint"),
                                       sts_endpoint=block.value("sts_endpoint"), region=region)


def regional_clients(session: boto3.session.Session, service: str, settings: ClientSettings
                     ) -> Callable[[str], Any]:
    """region -> a client of ``service`` in that region with the same endpoints and network behaviour, for
    calls the module makes once per region (DescribeFlowLogs)."""
    return lambda region: make_client(session, service, replace(settings, region=region))


def make_client(session: boto3.session.Session, service: str, settings: ClientSettings) -> Any:
    """A client for ``service`` honouring the endpoint overrides, timeouts and standard retries."""
    from botocore.config import Config

    config = Config(
        connect_timeout=settings.connect_timeout,
        read_timeout=settings.read_timeout,
        retries={"mode": "standard", "max_attempts": settings.max_attempts},
        signature_version="s3v4" if service == "s3" else None,
    )
    kwargs: dict[str, Any] = {"config": config}
    endpoint = settings.endpoint_for(service)
    if endpoint:
        kwargs["endpoint_url"] = endpoint
    if settings.region:
        kwargs["region_name"] = settings.region
    # a session shared by several blocks' threads is locked while it builds: boto3 sessions are not
    # thread-safe, the clients they build are
    with session_lock(session) or contextlib.nullcontext():
        if not settings.region and session.region_name is None:
            kwargs["region_name"] = "us-east-1"
        return session.client(service, **kwargs)
