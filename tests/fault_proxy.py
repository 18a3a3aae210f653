"""A fault-injecting loopback HTTP proxy placed in front of moto's server as the tools' endpoint_url.

Every request the tool makes passes through it and is recorded (method, path, query, the AWS operation and
service it stands for, and the status returned), and scripted faults hit chosen requests: a reset
connection before any answer or in the middle of a body, a body cut short, a slow answer, an HTTP error
with an S3 or query-protocol error document, or a callback run just before forwarding (delete the bucket,
rewrite the object). Faults are matched by operation, path and the n-th matching request, and are bounded:
each fires at most ``times`` times, a delay is capped at ``MAX_DELAY_S`` and every sleep ends when the proxy
stops. It listens on 127.0.0.1 only and forwards only to a loopback upstream.
"""

from __future__ import annotations

import http.client
import re
import socket
import struct
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
MAX_DELAY_S = 5.0
"""No scripted delay is longer than this, whatever a test asks."""
MAX_FIRES = 50
"""No fault fires more often than this (a runaway retry loop cannot keep a test busy)."""
UPSTREAM_TIMEOUT_S = 10.0
READ_ONLY_FORM_ACTIONS = ("GetCallerIdentity", "AssumeRole", "GetRole")
"""Query-protocol actions that read (STS, and IAM's GetRole for a role's trust policy); EC2 ``Describe*``
actions are read-only too."""
READ_ONLY_JSON_OPERATIONS = ("ListFindings", "DescribeLogGroups", "DescribeLogStreams", "GetLogEvents",
                             "GetQueueUrl", "GetQueueAttributes")
"""JSON-protocol calls that read: Inspector's ListFindings (a POST by its API's design), CloudWatch Logs' and
SQS's look-ups (ReceiveMessage is not one: it hides the message and raises its receive count)."""
REST_JSON_OPERATIONS = {("inspector2", "/findings/list"): "ListFindings"}

_HOP_BY_HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
                         "proxy-authorization", "proxy-authenticate"})
_CREDENTIAL_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request")


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the proxy saw it, reduced to what read-only and retry assertions need."""

    number: int
    method: str
    path: str
    """The URL path, percent-decoded (``/bucket/key with spaces``)."""
    query: dict[str, list[str]]
    operation: str
    service: str
    """From the SigV4 credential scope (``s3``, ``sts``, ``ec2``), or ``""`` when unsigned."""
    region: str
    fault: str | None = None
    """The fault applied to this request, if any."""
    form: dict[str, list[str]] = field(default_factory=dict)
    """The form parameters of an STS request (AssumeRole's RoleSessionName, ExternalId...); empty otherwise."""

    @property
    def is_write(self) -> bool:
        """True for anything that could change state on the server (the tool must never send one)."""
        if self.method in ("GET", "HEAD") or self.operation in READ_ONLY_JSON_OPERATIONS:
            return False
        if self.method == "POST" and self.path in ("", "/"):
            return not (self.operation in READ_ONLY_FORM_ACTIONS or self.operation.startswith("Describe"))
        return True


def s3_operation(method: str, path: str, query: dict[str, list[str]]) -> str:
    """The S3 API operation of a path-style request (enough to tell reads from writes)."""
    parts = [part for part in path.split("/", 2)[1:] if part != ""] if path != "/" else []
    has_key = len(parts) == 2
    if method == "GET":
        if not parts:
            return "ListBuckets"
        if has_key:
            return "GetObject"
        if "list-type" in query:
            return "ListObjectsV2"
        if "location" in query:
            return "GetBucketLocation"
        if "versions" in query:
            return "ListObjectVersions"
        return "ListObjects" if not query or set(query) <= {"prefix", "delimiter", "marker", "max-keys"} \
            else "GetBucket?" + "&".join(sorted(query))
    if method == "HEAD":
        return "HeadObject" if has_key else "HeadBucket"
    if method == "PUT":
        return "PutObject" if has_key else "CreateBucket"
    if method == "DELETE":
        return "DeleteObject" if has_key else "DeleteBucket"
    if method == "POST":
        return "DeleteObjects" if "delete" in query else "PostObject"
    return method


@dataclass
class Fault:
    """One scripted fault: what to do to which requests, and how often."""

    action: str
    """``reset`` (RST before answering), ``reset_mid_body`` (headers and half the body, then RST),
    ``short_body`` (headers promising the full length, half the body, then a clean close),
    ``slow`` (wait ``delay`` seconds, then answer), ``status`` (an HTTP error with an error document),
    ``call`` (run ``callback`` and then forward normally), ``header`` (forward, replacing ``headers`` in the
    answer)."""
    operation: str | None = None
    """Only requests of this operation (``ListObjectsV2``, ``GetObject``, ``GetCallerIdentity``...)."""
    path: str | None = None
    """Only requests whose decoded path matches this regular expression (``re.search``)."""
    nth: int | None = None
    """Only the n-th matching request (1-based); None means the first ``times`` matching ones."""
    times: int = 1
    status: int = 503
    code: str = "SlowDown"
    message: str = "Please reduce your request rate."
    delay: float = 0.0
    callback: Callable[[], None] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    matched: int = 0
    fired: int = 0

    def __post_init__(self) -> None:
        allowed = ("reset", "reset_mid_body", "short_body", "slow", "status", "call", "header")
        if self.action not in allowed:
            raise ValueError(f"unknown fault action {self.action!r}; expected one of {allowed}")
        self.times = max(0, min(self.times, MAX_FIRES))
        self.delay = max(0.0, min(self.delay, MAX_DELAY_S))

    def wants(self, operation: str, path: str) -> bool:
        """Count the request if it matches, and say whether this fault fires on it."""
        if self.operation is not None and operation != self.operation:
            return False
        if self.path is not None and re.search(self.path, path) is None:
            return False
        self.matched += 1
        if self.fired >= self.times:
            return False
        if self.nth is not None and self.matched != self.nth:
            return False
        self.fired += 1
        return True


@dataclass
class FaultProxy:
    """The running proxy: its URL, the faults to apply and every request recorded."""

    upstream: str
    faults: list[Fault] = field(default_factory=list)
    requests: list[RecordedRequest] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    """Exceptions raised by callbacks or while forwarding (a test should find this empty)."""
    keep_bodies: set[str] = field(default_factory=set)
    """Operations whose answers are kept in ``bodies`` (to learn the temporary keys AssumeRole hands out)."""
    bodies: list[tuple[str, bytes]] = field(default_factory=list)
    url: str = ""
    stopping: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, *faults: Fault) -> FaultProxy:
        """Script more faults (applied in the order given; the first that fires wins)."""
        with self.lock:
            self.faults.extend(faults)
        return self

    def clear(self) -> None:
        """Forget faults and recorded requests (between phases of one test)."""
        with self.lock:
            self.faults.clear()
            self.requests.clear()

    def operations(self, service: str | None = None) -> list[str]:
        """Operations seen, in order (optionally of one service)."""
        with self.lock:
            return [r.operation for r in self.requests if service is None or r.service == service]

    def count(self, operation: str) -> int:
        """How many requests of one operation reached the proxy (retries included)."""
        return self.operations().count(operation)

    def choose(self, operation: str, path: str) -> Fault | None:
        with self.lock:
            chosen = None
            for fault in self.faults:
                if fault.wants(operation, path) and chosen is None:
                    chosen = fault
            return chosen

    def record(self, request: RecordedRequest) -> None:
        with self.lock:
            self.requests.append(request)

    def next_number(self) -> int:
        with self.lock:
            return len(self.requests) + 1


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, proxy: FaultProxy) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.proxy = proxy
        upstream = urlsplit(proxy.upstream)
        if upstream.hostname not in LOOPBACK_HOSTS:
            raise ValueError(f"the fault proxy only forwards to loopback, not {proxy.upstream}")
        self.upstream_host = upstream.hostname or "127.0.0.1"
        self.upstream_port = upstream.port or 80


def _error_document(service: str, code: str, message: str) -> bytes:
    """An error body botocore parses: S3's ``<Error>`` or the query protocol's ``<ErrorResponse>``."""
    if service in ("sts", "ec2", "iam"):
        return (f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message>"
                "</Error><RequestId>FAULTPROXY</RequestId></ErrorResponse>").encode()
    return (f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code><Message>{message}</Message>'
            "<RequestId>FAULTPROXY</RequestId></Error>").encode()


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        # headers and body go out as separate writes: without NODELAY, Nagle and delayed ACKs add ~40 ms each
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: object) -> None:
        """Silent: the access log would land on the tool's stderr."""

    def do_GET(self) -> None:
        self._handle()

    def do_HEAD(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    # -- plumbing ---------------------------------------------------------------------------------------
    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _describe(self, body: bytes) -> tuple[str, str, dict[str, list[str]], str, str]:
        split = urlsplit(self.path)
        path = unquote(split.path)
        query = parse_qs(split.query, keep_blank_values=True)
        scope = _CREDENTIAL_SCOPE.search(self.headers.get("Authorization", ""))
        region, service = (scope.group(1), scope.group(2)) if scope else ("", "")
        target = self.headers.get("X-Amz-Target", "")
        if target:  # JSON 1.1 protocol (CloudWatch Logs): the operation is named in a header
            operation = target.rsplit(".", 1)[-1]
        elif (service, path) in REST_JSON_OPERATIONS:
            operation = REST_JSON_OPERATIONS[(service, path)]
        elif self.command == "POST" and split.path in ("", "/") and body:
            form = parse_qs(body.decode("utf-8", "replace"))
            operation = form.get("Action", ["PostUnknown"])[0]
        elif service in ("", "s3"):
            operation = s3_operation(self.command, path, query)
        else:
            operation = f"{service}:{self.command}"
        return path, operation, query, service, region

    def _reset(self) -> None:
        """Close with RST (SO_LINGER 0): the client sees 'connection reset by peer'."""
        self.close_connection = True
        with suppress(OSError):
            self.wfile.flush()
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()

    def _forward(self, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        upstream = http.client.HTTPConnection(self.server.upstream_host, self.server.upstream_port,
                                              timeout=UPSTREAM_TIMEOUT_S)
        try:
            headers = {name: value for name, value in self.headers.items() if name.lower() not in _HOP_BY_HOP}
            if body or self.command in ("POST", "PUT"):
                headers["Content-Length"] = str(len(body))
            upstream.request(self.command, self.path, body=body or None, headers=headers)
            response = upstream.getresponse()
            data = response.read()
            return response.status, list(response.getheaders()), data
        finally:
            upstream.close()

    def _send(self, status: int, headers: list[tuple[str, str]], data: bytes, *, declared: int | None = None,
              body_bytes: int | None = None, replace: dict[str, str] | None = None) -> None:
        self.send_response_only(status)  # not send_response: it would add a second Date and Server header
        length = declared if declared is not None else len(data)
        replaced = {name.lower(): value for name, value in (replace or {}).items()}
        if not any(name.lower() == "date" for name, _ in headers) and "date" not in replaced:
            self.send_header("Date", self.date_time_string())
        for name, value in headers:
            if name.lower() in _HOP_BY_HOP or name.lower() == "content-length" or name.lower() in replaced:
                continue
            self.send_header(name, value)
        for name, value in (replace or {}).items():
            self.send_header(name, value)
        if self.command == "HEAD":
            upstream_length = next((value for name, value in headers if name.lower() == "content-length"),
                                   "0")
            self.send_header("Content-Length", upstream_length)
        else:
            self.send_header("Content-Length", str(length))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data if body_bytes is None else data[:body_bytes])
        self.wfile.flush()

    # -- one request ------------------------------------------------------------------------------------
    def _handle(self) -> None:
        proxy = self.server.proxy
        body = self._read_body()
        path, operation, query, service, region = self._describe(body)
        fault = proxy.choose(operation, path)
        number = proxy.next_number()
        form = parse_qs(body.decode("utf-8", "replace")) if operation in READ_ONLY_FORM_ACTIONS and body else {}
        proxy.record(RecordedRequest(number, self.command, path, query, operation, service, region,
                                     fault.action if fault else None, form))
        try:
            self._apply(fault, body, service, operation)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self.close_connection = True  # the client gave up (its timeout): nothing more to do
        except Exception as error:  # a callback or the upstream failed: record it, answer 502
            with proxy.lock:
                proxy.errors.append(f"{type(error).__name__}: {error}")
            self.close_connection = True

    def _apply(self, fault: Fault | None, body: bytes, service: str, operation: str) -> None:
        proxy = self.server.proxy
        if fault is not None and fault.action == "reset":
            self._reset()
            return
        if fault is not None and fault.action == "status":
            document = _error_document(service, fault.code, fault.message)
            headers = [("Content-Type", "application/xml"), ("x-amz-request-id", "FAULTPROXY")]
            if fault.status == 503 or fault.code in ("SlowDown", "Throttling", "ThrottlingException"):
                headers.append(("Retry-After", "0"))
            self._send(fault.status, headers, document)
            return
        if fault is not None and fault.action == "slow" and proxy.stopping.wait(fault.delay):
            self._reset()  # the proxy is stopping: end the wait now rather than after the delay
            return
        if fault is not None and fault.action == "call" and fault.callback is not None:
            fault.callback()
        status, headers, data = self._forward(body)
        if operation in proxy.keep_bodies:
            with proxy.lock:
                proxy.bodies.append((operation, data))
        if fault is not None and fault.action in ("reset_mid_body", "short_body") and len(data) > 1:
            self._send(status, headers, data, declared=len(data), body_bytes=len(data) // 2)
            if fault.action == "reset_mid_body":
                self._reset()
            else:
                self.close_connection = True
            return
        self._send(status, headers, data,
                   replace=fault.headers if fault is not None and fault.action == "header" else None)


@contextmanager
def fault_proxy(upstream: str) -> Iterator[FaultProxy]:
    """Run a proxy to ``upstream`` (loopback only) for the duration of the block; always stopped after."""
    proxy = FaultProxy(upstream)
    server = _Server(proxy)
    host, port = server.server_address[:2]
    proxy.url = f"http://{host}:{port}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name="fault-proxy", daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        proxy.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def refused_endpoint() -> str:
    """A loopback URL nothing listens on (bound, then closed): connections to it are refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"
