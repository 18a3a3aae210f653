"""The demo: an embedded moto server seeded from samples/, with a throw-away AWS and Wazuh home.

Everything lives in one temporary directory and on 127.0.0.1, so ``--demo`` never touches the user's
``~/.aws`` or a real Wazuh installation; IAM auth is switched on after seeding so a forbidden bucket
answers a real 403. ``start_demo`` returns once the files and users exist; a thread fills the buckets
when the first request needs them (the first screen paints meanwhile), and the server holds other
requests until that is done.
"""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from diagnostics.context import DoctorContext
from tui.demo_inputs import INPUT_ACTIONS, NORECEIVE_POLICY, NORECEIVE_PROFILE, NORECEIVE_USER, seed_inputs
from tui.demo_server import DemoServer, preload_ec2
from tui.sample_objects import SAMPLES, manifest_by_name, render_key, sample_bytes

# The faces import diagnostics and other screens inside the functions that use them: importing
# them all up front made start-up ~0.9 s slower on this machine (best of 5: import tui.commands
# 1.0 s instead of 0.09 s, import tui.app 1.7 s instead of 0.65 s), paid before --help or the first screen.

DEMO_CONFIG = SAMPLES / "demo" / "ossec.conf"

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"
"""moto's account, which the samples' keys and records use too."""
DEMO_VERSION = "4.14.7"
READER_PROFILE = "wazuh-demo"
LIMITED_PROFILE = "wazuh-limited"

READER_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Action": ["s3:ListBucket", "s3:HeadBucket", "s3:GetObject", "s3:GetBucketLocation",
                   "sts:GetCallerIdentity", "ec2:DescribeFlowLogs", *INPUT_ACTIONS],
        "Resource": "*",
    }],
}
"""What the module needs to read buckets (s3:HeadBucket is moto's stand-in for ListBucket on HEAD), queues,
log groups and Inspector findings."""
LIMITED_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "sts:GetCallerIdentity"], "Resource": "*"}],
}
"""A user that may read objects but not list: listing answers 403 AccessDenied."""
USERS = ((READER_PROFILE, "wazuh-reader", READER_POLICY), (LIMITED_PROFILE, "wazuh-limited", LIMITED_POLICY),
         (NORECEIVE_PROFILE, NORECEIVE_USER, NORECEIVE_POLICY))
"""(profile, IAM user, inline policy) of the three demo users."""


@dataclass
class DemoEnvironment:
    """A running demo: its context, endpoint and temp directory; ``stop`` undoes everything."""

    context: DoctorContext
    endpoint_url: str
    root: Path
    buckets: tuple[str, ...] = ()
    _server: DemoServer | None = field(default=None, repr=False)
    _seeder: threading.Thread | None = field(default=None, repr=False)

    def wait_seeded(self, timeout: float | None = None) -> None:
        """Block until the buckets are filled; raises what stopped the seeding (tests and the bench use it)."""
        if self._server is not None:
            self._server.want_seeding()
        if self._seeder is not None:
            self._seeder.join(timeout)
            if self._seeder.is_alive():
                raise TimeoutError("the demo is still seeding its buckets")
        gate = self._server.gate if self._server is not None else None
        if gate is not None and gate.failure is not None:
            raise RuntimeError(f"the demo could not seed its buckets: {gate.failure}") from gate.failure

    def stop(self) -> None:
        """Stop the server, switch moto's auth back off and delete the temp directory (idempotent)."""
        atexit.unregister(self.stop)
        server, self._server = self._server, None
        if server is not None:
            seeder, self._seeder = self._seeder, None
            server.want_seeding(cancel=True)
            if seeder is not None:
                seeder.join(timeout=30)  # moto's state is per process: let the seeder finish before resetting
            try:
                server.control(self.endpoint_url, "/moto-api/reset-auth", b"inf")
                server.control(self.endpoint_url, "/moto-api/reset")
            except OSError:
                pass
            server.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def _admin_session(root: Path) -> Any:
    """A boto3 session with moto's seeding credentials whose config files are empty temp files."""
    import boto3
    import botocore.session

    from diagnostics.aws.module_session import shared_loader

    admin_dir = root / "admin"
    admin_dir.mkdir()
    (admin_dir / "config").write_text("")
    (admin_dir / "credentials").write_text("")
    core = botocore.session.Session()
    core.set_config_variable("config_file", str(admin_dir / "config"))
    core.set_config_variable("credentials_file", str(admin_dir / "credentials"))
    core.set_credentials("testing", "testing")
    core.lazy_register_component("data_loader", lambda: shared_loader(core.get_config_variable("data_path")))
    return boto3.session.Session(botocore_session=core, region_name=REGION)


def _client(session: Any, service: str, server: DemoServer, endpoint: str) -> Any:
    """A seeding client: no retries, and the seeder's header so the gate lets it through."""
    from botocore.config import Config

    return server.sign_as_seeder(
        session.client(service, endpoint_url=endpoint, config=Config(retries={"max_attempts": 1})))


def _create_users_in_moto() -> dict[str, tuple[str, str]] | None:
    """The same users made straight in moto's IAM backend, the state its server answers from, because an
    IAM client and six round trips cost a quarter of a second before the first screen; None when this
    moto's backend differs (the caller then resets moto and uses the API)."""
    try:
        from moto.iam.models import iam_backends

        backend = iam_backends[ACCOUNT_ID]["aws"]
        keys: dict[str, tuple[str, str]] = {}
        for profile, user, policy in USERS:
            backend.create_user(REGION, user)
            backend.put_user_policy(user, f"{user}-policy", json.dumps(policy))
            access_key = backend.create_access_key(user)
            keys[profile] = (str(access_key.access_key_id), str(access_key.secret_access_key))
        return keys
    except (ImportError, AttributeError, TypeError, KeyError, ValueError):
        return None


def _create_users(iam: Any) -> dict[str, tuple[str, str]]:
    """IAM users for the two demo profiles; returns profile -> (access key id, secret)."""
    keys: dict[str, tuple[str, str]] = {}
    for profile, user, policy in USERS:
        iam.create_user(UserName=user)
        iam.put_user_policy(UserName=user, PolicyName=f"{user}-policy", PolicyDocument=json.dumps(policy))
        access_key = iam.create_access_key(UserName=user)["AccessKey"]
        keys[profile] = (access_key["AccessKeyId"], access_key["SecretAccessKey"])
    return keys


def _write_aws_files(module_home: Path, keys: dict[str, tuple[str, str]]) -> None:
    """root's ~/.aws as the module reads it: the demo profiles, and no ``wazuh-ghost``."""
    aws_dir = module_home / ".aws"
    aws_dir.mkdir(parents=True)
    credentials = []
    config = []
    for profile, (key_id, secret) in keys.items():
        credentials += [f"[{profile}]", f"aws_access_key_id = {key_id}",
                        f"aws_secret_access_key = {secret}", ""]
        config += [f"[profile {profile}]", f"region = {REGION}", ""]
    (aws_dir / "credentials").write_text("\n".join(credentials))
    (aws_dir / "config").write_text("\n".join(config))
    (aws_dir / "credentials").chmod(0o600)


def _write_wazuh_home(home: Path) -> None:
    """A minimal installation: ossec.conf, debug 2, a version file and an empty ossec.log folder."""
    (home / "etc").mkdir(parents=True)
    (home / "logs").mkdir()
    (home / "wodles" / "aws").mkdir(parents=True)
    shutil.copyfile(DEMO_CONFIG, home / "etc" / "ossec.conf")
    (home / "etc" / "local_internal_options.conf").write_text(
        "# Demo: the module runs with --debug 2\nwazuh_modules.debug=2\n")
    (home / "bin").mkdir()
    (home / "bin" / "wazuh-control").write_text(
        "#!/bin/sh\n# Demo stand-in: only the version line, as installations write it.\n"
        f'VERSION="v{DEMO_VERSION}"\n')
    shutil.copyfile(SAMPLES / "ossec-logs" / "debug1-failures-4.14.log", home / "logs" / "ossec.log")


def start_demo(*, now: datetime | None = None, root: Path | None = None,
               on_step: Callable[[str], None] | None = None) -> DemoEnvironment:
    """Start the endpoint, write the homes and users, and leave the buckets to a seeder thread; ``now`` fixes
    the clock (tests), ``root`` the temp directory, ``on_step`` hears each step before this returns.

    The endpoint holds every other client's request until the buckets are filled, so a caller may use the
    environment at once and sees exactly what a fully seeded demo shows.
    """
    root = Path(tempfile.mkdtemp(prefix="wazuh-aws-doctor-demo-")) if root is None else root
    step = on_step or (lambda text: None)
    step("Starting the embedded AWS endpoint on 127.0.0.1…")
    server = DemoServer()
    endpoint = server.start()
    environment = DemoEnvironment(context=DoctorContext(), endpoint_url=endpoint, root=root, _server=server)
    atexit.register(environment.stop)  # a crash or an unhandled exit still removes the temp directory
    try:
        server.control(endpoint, "/moto-api/reset")
        server.control(endpoint, "/moto-api/reset-auth", b"inf")
        session = _admin_session(root)
        step("Creating the IAM users wazuh-reader, wazuh-limited and wazuh-noreceive…")
        keys = _create_users_in_moto()
        if keys is None:
            server.control(endpoint, "/moto-api/reset")
            keys = _create_users(_client(session, "iam", server, endpoint))
        started = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
        today = started.date()
        home = root / "var-ossec"
        _write_wazuh_home(home)
        _write_state(home / "wodles" / "aws", processed_rows(today))
        module_home = root / "root"
        _write_aws_files(module_home, keys)
        step("Reading the demo installation…")
        environment.context = _demo_context(DoctorContext(
            wazuh_home=home,
            config_path=home / "etc" / "ossec.conf",
            endpoint_url=endpoint,
            module_home=module_home,
            environ={
                "HOME": str(module_home),
                "AWS_SHARED_CREDENTIALS_FILE": str(module_home / ".aws" / "credentials"),
                "AWS_CONFIG_FILE": str(module_home / ".aws" / "config"),
                "AWS_EC2_METADATA_DISABLED": "true",
            },
            debug_level=2,
            now=now,
        ))
        environment._seeder = threading.Thread(target=_seed_then_open, args=(server, session, endpoint, started),
                                               name="demo-seeder", daemon=True)
        environment._seeder.start()
    except BaseException:
        environment.stop()
        raise
    environment.buckets = DEMO_BUCKETS
    return environment


def _demo_context(context: DoctorContext) -> DoctorContext:
    """The version and debug level read from the demo's home, as ``diagnostics.checks.prepare_context``
    reads them, without importing the whole check machinery before the first screen."""
    from diagnostics.host.internal_options import read_debug_level
    from diagnostics.wazuh.installation import detect_profile

    profile = detect_profile(context.wazuh_home)
    return context.with_changes(profile=profile,
                                debug_level=read_debug_level(context.wazuh_home, profile=profile).level)


@dataclass(frozen=True)
class DemoObject:
    """One sample placed in a demo bucket: which manifest entry, how many days ago, at what time."""

    bucket: str
    sample: str
    days_ago: int
    hour: int
    minute: int = 0
    processed: bool = False
    """Also recorded in the demo's state database (read by an earlier run)."""


DEMO_OBJECTS: tuple[DemoObject, ...] = (
    # demo-cloudtrail: today's logs after a marker left by yesterday's run; older days processed,
    # including broken objects a previous run got past, kept for the preview.
    DemoObject("demo-cloudtrail", "cloudtrail_console_login_failures", 0, 0, 5),
    DemoObject("demo-cloudtrail", "cloudtrail_denied_create_role", 0, 0, 10),
    DemoObject("demo-cloudtrail", "cloudtrail_oversized_event", 0, 0, 15),
    DemoObject("demo-cloudtrail", "cloudtrail_digest", 0, 0, 20),
    DemoObject("demo-cloudtrail", "cloudtrail_console_login_failures", 1, 9, processed=True),
    DemoObject("demo-cloudtrail", "cloudtrail_denied_create_role", 1, 22, 45, processed=True),
    DemoObject("demo-cloudtrail", "cloudtrail_truncated_gzip", 2, 3, processed=True),
    DemoObject("demo-cloudtrail", "cloudtrail_empty_object", 2, 4, processed=True),
    DemoObject("demo-cloudtrail", "cloudtrail_plain_named_gz", 2, 5, processed=True),
    DemoObject("demo-cloudtrail", "cloudtrail_denied_create_role", 3, 12, processed=True),
    # demo-macie: Macie findings through EventBridge and Firehose.
    DemoObject("demo-macie", "custom_macie_findings", 0, 0, 30),
    DemoObject("demo-macie", "custom_macie_findings", 1, 14, processed=True),
    DemoObject("demo-vpcflow", "vpcflow_default_format", 0, 0, 5),
    DemoObject("demo-vpcflow", "vpcflow_custom_format", 0, 0, 10),
    DemoObject("demo-guardduty", "guardduty_native", 0, 0, 25),
    DemoObject("demo-alb", "alb_access_log", 0, 0, 5),
    DemoObject("demo-config", "config_history", 0, 0, 5),
    DemoObject("demo-forbidden", "cloudtrail_console_login_failures", 0, 0, 5),
    DemoObject("demo-custom-nodetail", "custom_no_detail", 0, 0, 5),
    # demo-old-trail: a month-old trail and no state, so the first run starts today and reads nothing.
    DemoObject("demo-old-trail", "cloudtrail_console_login_failures", 30, 10),
    DemoObject("demo-old-trail", "cloudtrail_denied_create_role", 31, 10),
)
DEMO_BUCKETS = tuple(dict.fromkeys(item.bucket for item in DEMO_OBJECTS))
FLOW_LOG_SAMPLES = ("fl-0a1b2c3d4e5f60718", "fl-0b2c3d4e5f6071829")
"""The flow-log ids in the vpcflow samples' keys; each is replaced by the id moto's EC2 gives a demo flow
log, so the module's DescribeFlowLogs filter reads them."""


def _seed_then_open(server: DemoServer, session: Any, endpoint: str, started: datetime) -> None:
    """The seeder thread: once a request needs it, buckets, flow logs and objects, then IAM auth on, then the
    gate opens (always)."""
    failure: BaseException | None = None
    if not server.wait_until_wanted():
        server.open_gate()
        return
    try:
        preload_ec2()
        seed_objects(_client(session, "s3", server, endpoint), _client(session, "ec2", server, endpoint),
                     started.date())
        seed_inputs(lambda service: _client(session, service, server, endpoint), started)
        server.control(endpoint, "/moto-api/reset-auth", b"0")
    except BaseException as error:  # reported by wait_seeded; the gate must open whatever happens
        failure = error
    server.open_gate(failure)


def _demo_flow_logs(ec2: Any) -> dict[str, str]:
    """One VPC and flow log (to demo-vpcflow) per sample id; returns sample id -> the id moto assigned."""
    assigned: dict[str, str] = {}
    for number, sample_id in enumerate(FLOW_LOG_SAMPLES):
        vpc_id = ec2.create_vpc(CidrBlock=f"10.{20 + number}.0.0/16")["Vpc"]["VpcId"]
        created = ec2.create_flow_logs(ResourceIds=[vpc_id], ResourceType="VPC", TrafficType="ALL",
                                       LogDestinationType="s3", LogDestination="arn:aws:s3:::demo-vpcflow")
        assigned[sample_id] = str(created["FlowLogIds"][0])
    return assigned


def _object_key(item: DemoObject, entry: dict[str, Any], today: date, flow_log_ids: dict[str, str]) -> str:
    """The key of one demo object, dated from ``today``, with sample flow-log ids replaced by moto's."""
    day = today - timedelta(days=item.days_ago)
    key = render_key(entry["key_template"],
                     datetime(day.year, day.month, day.day, item.hour, item.minute, 0, tzinfo=timezone.utc))
    for sample_id, assigned in flow_log_ids.items():
        key = key.replace(sample_id, assigned)
    return key


def processed_rows(today: date) -> list[tuple[str, str, str]]:
    """(bucket, type, key) of the objects an earlier run processed: known before any bucket exists."""
    manifest = manifest_by_name()
    return [(item.bucket, manifest[item.sample]["type"], _object_key(item, manifest[item.sample], today, {}))
            for item in DEMO_OBJECTS if item.processed]


def seed_objects(s3: Any, ec2: Any, today: date) -> tuple[str, ...]:
    """Create the demo buckets, the VPC flow logs and the objects (keys dated from ``today``)."""
    manifest = manifest_by_name()
    for bucket in DEMO_BUCKETS:
        s3.create_bucket(Bucket=bucket)
    flow_log_ids = _demo_flow_logs(ec2)
    for item in DEMO_OBJECTS:
        entry = manifest[item.sample]
        s3.put_object(Bucket=item.bucket, Key=_object_key(item, entry, today, flow_log_ids),
                      Body=sample_bytes(entry))
    return DEMO_BUCKETS


def _write_state(state_dir: Path, processed: list[tuple[str, str, str]]) -> None:
    """The module's s3_cloudtrail.db as an earlier run left it (tables and scopes as the module keys them)."""
    from diagnostics.ingest.state import IngestState, created_date_for
    from diagnostics.layout.prefixes import BucketLayout
    from diagnostics.wazuh.state_scope import StateScope

    with IngestState.open(state_dir, version=DEMO_VERSION) as state:
        for bucket, bucket_type, key in processed:
            path = "macie" if bucket_type == "custom" else None
            layout = BucketLayout.build(bucket_type, bucket, path)
            scope = StateScope(layout.table, layout.bucket_path, ACCOUNT_ID, REGION)
            state.mark_complete(scope, key, created_date_for(layout.table, key, None))
