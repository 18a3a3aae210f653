"""The demo's embedded AWS endpoint: moto's own WSGI application on 127.0.0.1 behind a seeding gate.

The demo answers the screen before its buckets are filled, so every request that is not the seeder's waits at
the gate until seeding is done: a check never sees a half-seeded endpoint, and every answer still comes from
moto. moto is imported here only, so normal runs never pay for it.
"""

from __future__ import annotations

import logging
import secrets
import threading
import urllib.request
import warnings
from collections.abc import Callable, Iterable
from typing import Any

# The faces import diagnostics and other screens inside the functions that use them: importing
# them all up front made start-up ~0.9 s slower on this machine (best of 5: import tui.commands
# 1.0 s instead of 0.09 s, import tui.app 1.7 s instead of 0.65 s), paid before --help or the first screen.

SEED_HEADER = "X-Wazuh-Aws-Doctor-Seed"
"""The header that lets the seeder's own requests through the gate (its value is a per-run token)."""
GATE_TIMEOUT_SECONDS = 120.0
"""How long a request waits for the seeding before moto answers it anyway (a stuck seeder must not hang the app)."""
POLL_SECONDS = 0.05
"""werkzeug's shutdown poll: its default of 0.5 s would add half a second to every demo's exit."""


class SeedGate:
    """WSGI middleware that holds requests without the seeder's token until ``opened`` is set, because the
    screen and the checks start while the demo is still filling its buckets."""

    def __init__(self, app: Callable[..., Iterable[bytes]], token: str) -> None:
        self.app = app
        self.token = token
        self.wanted = threading.Event()
        """Set by the first request that needs the seeded endpoint: the seeder waits for it, so the first
        screen paints without the seeder competing for the interpreter."""
        self.cancelled = False
        """Set when the demo stops before anyone wanted the seeding: the seeder then leaves at once."""
        self.opened = threading.Event()
        self.failure: BaseException | None = None
        """What stopped the seeding, if it failed (the gate opens anyway and moto answers as it stands)."""

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("HTTP_" + SEED_HEADER.upper().replace("-", "_")) != self.token:
            self.wanted.set()
            self.opened.wait(GATE_TIMEOUT_SECONDS)
        return self.app(environ, start_response)


def lighten_moto() -> None:
    """Skip two moto start-up costs the demo never uses, leaving every answer as moto gives it.

    moto's EC2 parses every region's instance-type offerings on import (about 75 MB and most of a second; flow
    logs never read them) and builds 1,300 default AMIs with volumes per region (0.4 s; moto's documented
    ``MOTO_EC2_LOAD_DEFAULT_AMIS=false``, applied here without touching our environment), and each backend
    builds botocore sessions that parse the same service models again (EC2's 12 times) beside the copy our
    own clients hold; its dispatcher also lists moto's package folder, under a lock, on every request. If a
    moto release moves these, the demo only gets slower, never wrong. moto's request parser keeps its own
    models: handing it ours changed the HTTP status of its error answers (an S3 403 became 400).
    """
    try:
        import moto.backends as moto_backends
        import moto.settings as moto_settings
        import moto.utilities.utils as moto_utils
        from moto.core.base_backend import AccountSpecificBackend
    except ImportError:
        return
    _patch(moto_settings, "ec2_load_default_amis", lambda: False)
    if not getattr(moto_backends.list_of_moto_modules, "demo_light", False):
        modules = tuple(moto_backends.list_of_moto_modules())  # the installed package does not change

        def listed_once() -> tuple[str, ...]:
            return modules

        listed_once.demo_light = True  # type: ignore[attr-defined]
        _patch(moto_backends, "list_of_moto_modules", listed_once)
    load_resource = moto_utils.load_resource
    if not getattr(load_resource, "demo_light", False):
        def light_load_resource(resource: str) -> Any:
            return [] if "instance_type_offerings" in resource else load_resource(resource)

        light_load_resource.demo_light = True  # type: ignore[attr-defined]
        _patch(moto_utils, "load_resource", light_load_resource)
    if hasattr(AccountSpecificBackend, "get_session"):
        _patch(AccountSpecificBackend, "get_session", classmethod(lambda cls: _session_sharing_models()))


_ORIGINALS: dict[tuple[int, str], tuple[Any, Any]] = {}
"""(owner id, attribute) -> (owner, the value before the demo lightened moto), to put back on stop."""


def _patch(owner: Any, name: str, value: Any) -> None:
    """Set one of moto's attributes for the demo, remembering the first original so ``restore_moto`` can undo it."""
    _ORIGINALS.setdefault((id(owner), name), (owner, owner.__dict__.get(name, getattr(owner, name))))
    setattr(owner, name, value)


def restore_moto() -> None:
    """Put moto back as it was: the demo shares the process (and moto's globals) with any other moto server,
    such as a test's, which must answer exactly as stock moto does."""
    for (_, name), (owner, original) in list(_ORIGINALS.items()):
        setattr(owner, name, original)
    _ORIGINALS.clear()


def preload_ec2() -> None:
    """Import moto's EC2 while ``boto3.Session`` shares the process's model loader, because that import builds
    three throw-away sessions at module level that each parse EC2's 23 MB model (the demo's peak memory)."""
    import boto3

    from diagnostics.aws.module_session import shared_loader

    original = boto3.Session

    class SharingSession(original):  # type: ignore[misc,valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            core = self._session
            core.lazy_register_component("data_loader",
                                         lambda: shared_loader(core.get_config_variable("data_path")))

    boto3.Session = SharingSession
    try:
        import moto.ec2.models  # noqa: F401 - imported for its side effect only
    except ImportError:
        pass
    finally:
        boto3.Session = original


def serve_inspector_findings(account_id: str, region: str, findings: list[dict[str, Any]]) -> bool:
    """Make moto's inspector2 backend of one account and region answer ListFindings from ``findings`` (wire
    form, epoch ``updatedAt``), filtered by the request's ``updatedAt`` ranges, because moto has no call that
    creates findings and its own queue of answers ignores the window the module asks for.

    Only that backend object changes (moto still signs, authorises and parses the request, and a reset drops
    the override with the object); False when this moto's backend differs, and the region then has none.
    """
    try:
        from moto.inspector2.models import inspector2_backends

        backend = inspector2_backends[account_id][region]
    except (ImportError, KeyError, AttributeError, TypeError):
        return False
    if not hasattr(backend, "list_findings"):
        return False

    def list_findings(filter_criteria: dict[str, Any] | None = None, max_results: Any = None,
                      next_token: Any = None, sort_criteria: Any = None) -> list[dict[str, Any]]:
        return findings_updated_within(findings, filter_criteria or {})

    setattr(backend, "list_findings", list_findings)  # noqa: B010 - an instance attribute, not moto's method
    return True


def findings_updated_within(findings: list[dict[str, Any]], criteria: dict[str, Any]) -> list[dict[str, Any]]:
    """The findings whose ``updatedAt`` falls in any of the criteria's ``updatedAt`` ranges (inclusive, epoch
    seconds), in their order; all of them when no range is given, as the service answers."""
    ranges = criteria.get("updatedAt") or []
    if not ranges:
        return list(findings)
    chosen = []
    for finding in findings:
        updated = float(finding.get("updatedAt", 0))
        if any(float(limit.get("startInclusive", float("-inf"))) <= updated
               <= float(limit.get("endInclusive", float("inf"))) for limit in ranges):
            chosen.append(finding)
    return chosen


def _session_sharing_models() -> Any:
    """A fresh boto3 session (as moto makes one per call) whose model loader is the process's shared one."""
    import boto3
    import botocore.session

    from diagnostics.aws.module_session import shared_loader

    core = botocore.session.Session()
    core.lazy_register_component("data_loader", lambda: shared_loader(core.get_config_variable("data_path")))
    return boto3.session.Session(botocore_session=core)


class DemoServer:
    """moto's server application on a free loopback port, in a daemon thread, behind a ``SeedGate``."""

    def __init__(self) -> None:
        self.token = secrets.token_hex(16)
        self.gate: SeedGate | None = None
        self._server: Any = None
        self._thread: threading.Thread | None = None

    def start(self) -> str:
        """Start serving; returns the endpoint URL (requests wait at the gate until ``open_gate``)."""
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # its access log would land in the app's screen
        # moto warns on stderr when an error it answers (the missing queue's) has no shape in the service
        # model: the answer itself is right, and the warning would land on the CLI's output or the app's screen.
        warnings.filterwarnings("ignore", message=r"Exception\(.*\) with code .* does not match an error shape",
                                category=UserWarning)
        lighten_moto()
        from moto.moto_server.werkzeug_app import (
            DomainDispatcherApplication,
            MotoRequestHandler,
            create_backend_app,
        )
        from werkzeug.serving import make_server

        self.gate = SeedGate(DomainDispatcherApplication(create_backend_app), self.token)
        self._server = make_server("127.0.0.1", 0, self.gate, threaded=True, request_handler=MotoRequestHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": POLL_SECONDS},
                                        name="demo-endpoint", daemon=True)
        self._thread.start()
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def wait_until_wanted(self) -> bool:
        """Block the seeder until a request needs the seeded endpoint; False when the demo stopped first."""
        if self.gate is None:
            return False
        self.gate.wanted.wait()
        return not self.gate.cancelled

    def want_seeding(self, *, cancel: bool = False) -> None:
        """Start the seeding now (``wait_seeded``), or tell a seeder that has not begun to leave (``stop``)."""
        if self.gate is not None:
            self.gate.cancelled = cancel and not self.gate.wanted.is_set()
            self.gate.wanted.set()

    def open_gate(self, failure: BaseException | None = None) -> None:
        """Let every request through, recording why the seeding failed if it did."""
        if self.gate is not None:
            self.gate.failure = failure
            self.gate.opened.set()

    def stop(self) -> None:
        """Stop serving and close the listening socket (idempotent)."""
        server, self._server = self._server, None
        self.open_gate(self.gate.failure if self.gate else None)  # a held request must not outlive the server
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        restore_moto()

    def control(self, endpoint: str, path: str, body: bytes = b"") -> None:
        """POST to moto's control API as the seeder; text/plain keeps Flask from swallowing the body."""
        request = urllib.request.Request(f"{endpoint}{path}", data=body, method="POST",
                                         headers={"Content-Type": "text/plain", SEED_HEADER: self.token})
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()

    def sign_as_seeder(self, client: Any) -> Any:
        """Add the seeder's header to every request of a boto3 client, so it passes the gate."""
        def add_header(request: Any, **_: Any) -> None:
            request.headers[SEED_HEADER] = self.token

        client.meta.events.register("before-send", add_header)
        return client
