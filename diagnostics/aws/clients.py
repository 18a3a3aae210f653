"""The one factory for boto3 clients, so tests, the demo and production differ only in settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import boto3


@dataclass(frozen=True)
class ClientSettings:
    """Endpoint, region and network behaviour of the clients we build."""

    endpoint_url: str | None = None
    """``--endpoint-url`` / ``AWS_ENDPOINT_URL_S3``: points every client (S3, STS, EC2, IAM) at one endpoint."""
    service_endpoint: str | None = None
    """The block's ``service_endpoint``: S3 and EC2 clients, as the module uses it."""
    sts_endpoint: str | None = None
    """The block's ``sts_endpoint``: the STS client."""
    region: str | None = None
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    max_attempts: int = 3
    """botocore standard retry mode attempts (AWS's own retry guidance)."""

    def endpoint_for(self, service: str) -> str | None:
        """The endpoint a client of ``service`` talks to, or None for AWS's default."""
        if self.endpoint_url:
            return self.endpoint_url
        if service == "sts":
            return self.sts_endpoint
        if service in ("s3", "ec2"):
            return self.service_endpoint
        return None


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
    elif session.region_name is None:
        kwargs["region_name"] = "us-east-1"
    return session.client(service, **kwargs)
