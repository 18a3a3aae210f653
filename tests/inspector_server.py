"""A loopback inspector2 endpoint that answers ListFindings with fixed findings, because moto's has none.

Findings are kept in their wire form (timestamps as epoch seconds, as the API sends them) so botocore
parses them exactly as it parses the real service's answers. ListFindings filters on the request's
``updatedAt`` window and pages ``page_size`` findings at a time with a ``nextToken``; every request body
is kept, so a test can compare the window asked for with the module's.
"""

from __future__ import annotations

import json
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ACCOUNT = "123456789012"
"""moto's default account, so the module's GetCallerIdentity and the findings agree."""


def sample_findings() -> list[dict[str, Any]]:
    """Three Inspector v2 findings in wire form: nested objects, lists, nulls, fractional epoch timestamps."""
    arn = f"arn:aws:inspector2:us-east-1:{ACCOUNT}:finding/"
    return [
        {
            "findingArn": arn + "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
            "awsAccountId": ACCOUNT,
            "type": "PACKAGE_VULNERABILITY",
            "description": "A use-after-free in openssl's SSL_free_buffers may crash a client.",
            "title": "CVE-2024-4741 - openssl",
            "remediation": {"recommendation": {"text": "None Provided", "Url": None}},
            "severity": "HIGH",
            "firstObservedAt": 1795856400.123,
            "lastObservedAt": 1796115600.5,
            "updatedAt": 1796115600.987654,
            "status": "ACTIVE",
            "resources": [{
                "type": "AWS_EC2_INSTANCE",
                "id": "i-0123456789abcdef0",
                "partition": "aws",
                "region": "us-east-1",
                "tags": {"Name": "web-1", "env": "prod"},
                "details": {"awsEc2Instance": {
                    "type": "t3.micro",
                    "imageId": "ami-0abcdef1234567890",
                    "ipV4Addresses": ["10.0.1.15"],
                    "ipV6Addresses": [],
                    "keyName": None,
                    "iamInstanceProfileArn": f"arn:aws:iam::{ACCOUNT}:instance-profile/web",
                    "vpcId": "vpc-0a1b2c3d",
                    "subnetId": "subnet-0a1b2c3d",
                    "launchedAt": 1762000000,
                    "platform": "AMAZON_LINUX_2",
                }},
            }],
            "inspectorScore": 7.5,
            "inspectorScoreDetails": {"adjustedCvss": {
                "scoreSource": "NVD", "cvssSource": "NVD", "version": "3.1", "score": 7.5,
                "scoringVector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", "adjustments": []}},
            "packageVulnerabilityDetails": {
                "vulnerabilityId": "CVE-2024-4741",
                "vulnerablePackages": [{"name": "openssl", "version": "3.0.8", "epoch": 1, "release": "1.amzn2",
                                        "arch": "X86_64", "packageManager": "OS", "fixedInVersion": "1:3.0.8-2",
                                        "remediation": "yum update openssl"}],
                "source": "NVD",
                "cvss": [{"baseScore": 7.5, "scoringVector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H",
                          "version": "3.1", "source": "NVD"}],
                "relatedVulnerabilities": [],
                "sourceUrl": "https://nvd.nist.gov/vuln/detail/CVE-2024-4741",
                "vendorSeverity": "HIGH",
                "vendorCreatedAt": 1717000000,
                "vendorUpdatedAt": None,
                "referenceUrls": ["https://www.openssl.org/news/secadv/20240528.txt"],
            },
            "fixAvailable": "YES",
            "exploitAvailable": "NO",
            "epss": {"score": 0.00043},
        },
        {
            "findingArn": arn + "1f2e3d4c5b6a79887766554433221100",
            "awsAccountId": ACCOUNT,
            "type": "NETWORK_REACHABILITY",
            "description": "Port 22 is reachable from an internet gateway.",
            "title": "Port 22 is reachable from an Internet Gateway - TCP",
            "remediation": {"recommendation": {"text": "Restrict access to port 22."}},
            "severity": "MEDIUM",
            "firstObservedAt": 1795942800,
            "lastObservedAt": 1796202000,
            "updatedAt": 1796202000,
            "status": "ACTIVE",
            "resources": [{
                "type": "AWS_EC2_INSTANCE", "id": "i-0fedcba9876543210", "partition": "aws", "region": "us-east-1",
                "tags": {}, "details": {"awsEc2Instance": {"type": "t3.small", "platform": "UBUNTU_22_04"}},
            }],
            "networkReachabilityDetails": {
                "protocol": "TCP",
                "openPortRange": {"begin": 22, "end": 22},
                "networkPath": {"steps": [{"componentId": "igw-0a1b2c3d", "componentType": "AWS::EC2::InternetGateway"},
                                          {"componentId": "sg-0a1b2c3d", "componentType": "AWS::EC2::SecurityGroup",
                                           "componentArn": None}]},
            },
            "fixAvailable": None,
        },
        {
            "findingArn": arn + "99aa88bb77cc66dd55ee44ff33001122",
            "awsAccountId": ACCOUNT,
            "type": "PACKAGE_VULNERABILITY",
            "description": "Prototype pollution in lodash's zipObjectDeep.",
            "title": "CVE-2020-8203 - lodash",
            "remediation": {"recommendation": {"text": "Upgrade lodash."}},
            "severity": "CRITICAL",
            "firstObservedAt": 1796029200.000001,
            "lastObservedAt": 1796288400.25,
            "updatedAt": 1796288400.25,
            "status": "ACTIVE",
            "resources": [{
                "type": "AWS_ECR_CONTAINER_IMAGE",
                "id": f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/shop/sha256:9f86d081884c7d659a2feaa0c55ad015",
                "partition": "aws", "region": "us-east-1",
                "details": {"awsEcrContainerImage": {
                    "repositoryName": "shop", "imageTags": ["latest", "v1.2.0"], "pushedAt": 1763000000.5,
                    "author": None, "architecture": "amd64",
                    "imageHash": "sha256:9f86d081884c7d659a2feaa0c55ad015", "registry": ACCOUNT,
                    "platform": "ALPINE_LINUX_3_18", "lastInUseAt": 1796236000, "inUseCount": 3}},
            }],
            "inspectorScore": 9.1,
            "packageVulnerabilityDetails": {
                "vulnerabilityId": "CVE-2020-8203",
                "vulnerablePackages": [{"name": "lodash", "version": "4.17.15", "packageManager": "NPM",
                                        "filePath": "app/node_modules/lodash/package.json",
                                        "fixedInVersion": "4.17.19"}],
                "source": "GITHUB_SECURITY_ADVISORY",
                "relatedVulnerabilities": ["GHSA-p6mc-m468-83gw"],
                "sourceUrl": "https://github.com/advisories/GHSA-p6mc-m468-83gw",
                "vendorSeverity": "high",
                "vendorCreatedAt": 1594944000,
                "vendorUpdatedAt": 1700000000.75,
                "referenceUrls": [],
            },
            "fixAvailable": "YES",
            "exploitAvailable": "YES",
            "exploitabilityDetails": {"lastKnownExploitAt": 1710000000},
        },
    ]


class _Handler(BaseHTTPRequestHandler):
    server: InspectorServer

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path != "/findings/list":
            self._forward(raw)
            return
        body = json.loads(raw or b"{}")
        self.server.requests.append(body)
        scope = re.search(r"Credential=[^/]+/\d{8}/([^/]+)/", self.headers.get("Authorization", ""))
        self.server.signing_regions.append(scope.group(1) if scope else "")
        if self.server.deny is not None:
            self._reply(403, {"message": self.server.deny}, error="AccessDeniedException")
            return
        self._reply(200, self.server.page(body))

    def _forward(self, raw: bytes) -> None:
        """Any other call (STS for the identity) goes to the upstream server, or gets a 404."""
        if self.server.upstream is None:
            self._reply(404, {"message": f"unknown path {self.path}"})
            return
        headers = {name: value for name, value in self.headers.items() if name.lower() != "host"}
        request = urllib.request.Request(self.server.upstream + self.path, data=raw, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                status, data, kind = answer.status, answer.read(), answer.headers.get("Content-Type", "")
        except urllib.error.HTTPError as error:
            status, data, kind = error.code, error.read(), error.headers.get("Content-Type", "")
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _reply(self, status: int, document: dict[str, Any], error: str | None = None) -> None:
        data = json.dumps(document).encode()
        self.send_response(status)
        if error is not None:
            self.send_header("x-amzn-ErrorType", error)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test's output is the findings, not the access log."""


class InspectorServer(ThreadingHTTPServer):
    """The endpoint's state: the findings it holds, its page size and the request bodies it received."""

    def __init__(self, findings: list[dict[str, Any]], page_size: int = 2, upstream: str | None = None,
                 deny: str | None = None) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.upstream = upstream
        self.deny = deny
        """When set, ListFindings answers 403 AccessDeniedException with this message."""
        self.findings = findings
        self.page_size = page_size
        self.requests: list[dict[str, Any]] = []
        self.signing_regions: list[str] = []
        """The region each ListFindings was signed for: the region the client really talks to."""

    @property
    def endpoint(self) -> str:
        """The URL a client's endpoint_url takes."""
        return f"http://127.0.0.1:{self.server_address[1]}"

    def page(self, body: dict[str, Any]) -> dict[str, Any]:
        """The findings updated inside the request's window, from its nextToken on, one page."""
        windows = (body.get("filterCriteria") or {}).get("updatedAt") or [{}]
        start = float(windows[0].get("startInclusive", float("-inf")))
        end = float(windows[0].get("endInclusive", float("inf")))
        chosen = [finding for finding in self.findings if start <= float(finding["updatedAt"]) <= end]
        first = int(body.get("nextToken") or 0)
        size = min(self.page_size, int(body.get("maxResults") or self.page_size))
        page: dict[str, Any] = {"findings": chosen[first:first + size]}
        if first + size < len(chosen):
            page["nextToken"] = str(first + size)
        return page


@contextmanager
def inspector_server(findings: list[dict[str, Any]], page_size: int = 2, upstream: str | None = None,
                     deny: str | None = None) -> Iterator[InspectorServer]:
    """Serve the findings on 127.0.0.1 (port 0) in a thread for the duration of the block; other calls go to
    ``upstream`` (moto), so one endpoint answers both the identity and ListFindings."""
    server = InspectorServer(findings, page_size, upstream, deny)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
