"""Host checks on fake Wazuh homes and a fake /proc: the module's Python, modulesd's environment and more.

The interpreter probe runs for real: the "embedded Python" of each fake home is a shell script that execs
this interpreter (with ``-S`` when boto3 must be missing), so the import results are genuine.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from diagnostics.configuration.loader import load_config
from diagnostics.context import DoctorContext
from diagnostics.findings import Finding, Status
from diagnostics.host.checks import check_host
from diagnostics.host.processes import (
    ProcessInfo,
    ProcFS,
    compare_environments,
    display_value,
    find_processes,
    parse_environ,
)
from diagnostics.wazuh.installation import detect_profile
from diagnostics.wazuh.wodle import LoadedConfig

WRAPPER = '#!/bin/sh\nWPYTHON_BIN="framework/python/bin/python3"\n${WAZUH_PATH}/${WPYTHON_BIN} "$@"\n'
KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKY"


def put(path: Path, text: str, mode: int | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    if mode is not None:
        path.chmod(mode)
    return path


def fake_python(path: Path, *flags: str) -> Path:
    """A 'python3' that is this interpreter (``-S``: no site-packages, so no boto3)."""
    return put(path, f'#!/bin/sh\nexec {sys.executable} {" ".join(flags)} "$@"\n', 0o755)


def wazuh_home(tmp_path: Path, version: str = "4.14.7", *, python_flags: tuple[str, ...] | None = (),
               regions: tuple[str, ...] | None = None) -> Path:
    home = tmp_path / "ossec"
    put(home / "bin" / "wazuh-control", f'#!/bin/sh\nVERSION="v{version}"\n')
    put(home / "wodles" / "aws" / "aws-s3", WRAPPER, 0o750)
    if python_flags is not None:
        fake_python(home / "framework" / "python" / "bin" / "python3", *python_flags)
    if regions is not None:
        put(home / "wodles" / "aws" / "aws_tools.py", f"ALL_REGIONS = {regions!r}\n")
    return home


def context_for(home: Path, **environ: str) -> DoctorContext:
    return DoctorContext(wazuh_home=home, config_path=home / "etc" / "ossec.conf",
                         profile=detect_profile(home), environ=dict(environ), module_home=Path("/root"))


def by_id(findings: tuple[Finding, ...]) -> dict[str, Finding]:
    return {finding.failure_id or finding.check_id: finding for finding in findings}


def text_of(findings: tuple[Finding, ...]) -> str:
    return json.dumps([finding.to_dict() for finding in findings])


# -- the module's interpreter ------------------------------------------------------------------------------

def test_wrapper_python_without_boto3_predicts_exit_4(tmp_path: Path) -> None:
    home = wazuh_home(tmp_path, python_flags=("-S",))
    findings = by_id(check_host(context_for(home), processes=()))
    installed = findings["host.module_installed"]
    assert installed.status is Status.OK and "4.x shell wrapper" in installed.title
    assert "4.14.7" in installed.explanation
    boto3 = findings["host.boto3_missing"]
    assert boto3.status is Status.ERROR and boto3.wazuh_exit_code == 4
    assert "ModuleNotFoundError" in boto3.explanation
    assert str(home / "framework" / "python" / "bin" / "python3") in boto3.fix
    assert "host.python_modules_ok" not in findings


def without_pyarrow(tmp_path: Path) -> str:
    """A PYTHONPATH on which ``import pyarrow`` fails as when it is not installed, whatever this venv holds."""
    site = tmp_path / "no-pyarrow"
    put(site / "pyarrow" / "__init__.py", "raise ModuleNotFoundError(\"No module named 'pyarrow'\", name='pyarrow')\n")
    return str(site)


def test_pyarrow_missing_predicts_exit_10_only_since_subscribers(tmp_path: Path) -> None:
    home = wazuh_home(tmp_path)
    findings = by_id(check_host(context_for(home, PYTHONPATH=without_pyarrow(tmp_path)), processes=()))
    assert findings["host.pyarrow_missing"].wazuh_exit_code == 10
    assert "host.boto3_missing" not in findings and "host.python_modules_ok" not in findings
    old = wazuh_home(tmp_path / "old", version="4.6.0")
    old_findings = by_id(check_host(context_for(old, PYTHONPATH=without_pyarrow(tmp_path)), processes=()))
    assert "host.pyarrow_missing" not in old_findings
    assert "pyarrow" not in old_findings["host.python_modules_ok"].title


def test_all_modules_present_shows_their_versions(tmp_path: Path) -> None:
    home = wazuh_home(tmp_path)
    site = tmp_path / "site"
    put(site / "pyarrow" / "__init__.py", "__version__ = '17.0.0'\n")
    findings = by_id(check_host(context_for(home, PYTHONPATH=str(site)), processes=()))
    ok = findings["host.python_modules_ok"]
    assert ok.status is Status.OK
    assert "pyarrow 17.0.0" in ok.title and "boto3 " in ok.title
    assert ok.details["modules"]["pyarrow"] == "17.0.0"


def test_missing_embedded_python_is_exit_127(tmp_path: Path) -> None:
    home = wazuh_home(tmp_path, python_flags=None)
    finding = by_id(check_host(context_for(home), processes=()))["host.interpreter_missing"]
    assert finding.status is Status.ERROR and finding.wazuh_exit_code == 127


def test_env_shebang_is_resolved_on_modulesd_path_not_ours(tmp_path: Path) -> None:
    home = wazuh_home(tmp_path, version="5.0.1", python_flags=None)
    put(home / "wodles" / "aws" / "aws-s3", "#!/usr/bin/env python3\nimport sys\n", 0o750)
    module_bin = tmp_path / "module-bin"
    fake_python(module_bin / "python3", "-S")
    process = ProcessInfo(pid=4242, name="wazuh-modulesd", uid=0, user="root",
                          environ={"PATH": str(module_bin)}, environ_path="/proc/4242/environ")
    findings = by_id(check_host(context_for(home, PATH="/nonexistent"), processes=(process,)))
    assert "Python script itself" in findings["host.module_installed"].title
    boto3 = findings["host.boto3_missing"]
    assert boto3.details["interpreter"] == str(module_bin / "python3")


def test_probe_timeout_is_a_warning_not_a_crash(tmp_path: Path) -> None:
    home = wazuh_home(tmp_path, python_flags=None)
    put(home / "framework" / "python" / "bin" / "python3", "#!/bin/sh\nsleep 5\n", 0o755)
    finding = by_id(check_host(context_for(home), processes=(), timeout_s=0.3))["host.python_probe_failed"]
    assert finding.status is Status.WARNING and "0.3 s" in finding.explanation


# -- wazuh-modulesd and its environment ---------------------------------------------------------------------

def fake_proc(root: Path, pid: int, comm: str, *, uid: int = 0, environ: dict[str, str] | None = None,
              argv: tuple[str, ...] = ()) -> None:
    folder = root / str(pid)
    put(folder / "comm", comm + "\n")
    (folder / "cmdline").write_bytes(b"\x00".join(part.encode() for part in argv) + b"\x00")
    put(folder / "status", f"Name:\t{comm}\nUid:\t{uid}\t{uid}\t{uid}\t{uid}\n")
    env = environ or {}
    (folder / "environ").write_bytes(b"".join(f"{k}={v}".encode() + b"\x00" for k, v in env.items()))


class RefusingProc(ProcFS):
    """/proc as a non-root user sees it: another user's environ is refused."""

    def read(self, pid: int, name: str) -> bytes:
        if name == "environ":
            raise PermissionError(13, "Permission denied")
        return super().read(pid, name)


def test_discovery_by_comm_or_argv_with_user_and_environment(tmp_path: Path) -> None:
    proc = tmp_path / "proc"
    fake_proc(proc, 1, "systemd")
    fake_proc(proc, 77, "wazuh-analysisd")
    fake_proc(proc, 4242, "wazuh-modulesd",
              environ={"AWS_REGION": "eu-west-1", "LANG": "C", "PATH": "/usr/bin"},
              argv=("/var/ossec/bin/wazuh-modulesd",))
    fake_proc(proc, 5000, "python3", argv=("/var/ossec/bin/ossec-modulesd", "-f"))
    found = find_processes(ProcFS(proc))
    assert [(p.pid, p.name, p.user) for p in found] == [(4242, "wazuh-modulesd", "root"),
                                                         (5000, "ossec-modulesd", "root")]
    assert found[0].environ == {"AWS_REGION": "eu-west-1", "PATH": "/usr/bin"}  # LANG is not kept
    refused = find_processes(RefusingProc(proc))[0]
    assert refused.environ is None and refused.environ_error == "Permission denied"


def test_irsa_in_shell_but_not_in_modulesd(tmp_path: Path) -> None:
    proc = tmp_path / "proc"
    fake_proc(proc, 4242, "wazuh-modulesd", environ={
        "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": KEY_ID, "AWS_SECRET_ACCESS_KEY": SECRET})
    home = wazuh_home(tmp_path, python_flags=("-S",))
    context = context_for(home, AWS_ROLE_ARN="arn:aws:iam::123456789012:role/wazuh",
                          AWS_WEB_IDENTITY_TOKEN_FILE="/var/run/secrets/eks/token", AWS_REGION="eu-west-1")
    findings = check_host(context, proc=ProcFS(proc))
    found = by_id(findings)
    assert found["host.modulesd_running"].title == "wazuh-modulesd runs as root (pid 4242)"
    irsa = found["host.irsa_missing_in_module"]
    assert irsa.status is Status.ERROR
    assert "AWS_ROLE_ARN" in irsa.title and "AWS_WEB_IDENTITY_TOKEN_FILE" in irsa.title
    module_only = found["host.environ_only_in_module"]
    assert "AWS_ACCESS_KEY_ID=AKIA****MPLE" in module_only.explanation
    assert "AWS_SECRET_ACCESS_KEY=**** (set, 40 characters)" in module_only.explanation
    differ = found["host.environ_values_differ"]
    assert "eu-west-1" in differ.explanation and "us-east-1" in differ.explanation
    dumped = text_of(findings)
    assert SECRET not in dumped and KEY_ID not in dumped


def test_works_in_my_shell_and_unreadable_environment(tmp_path: Path) -> None:
    proc = tmp_path / "proc"
    fake_proc(proc, 900, "wazuh-modulesd", environ={"PATH": "/usr/bin"})
    home = wazuh_home(tmp_path, python_flags=("-S",))
    context = context_for(home, AWS_ACCESS_KEY_ID=KEY_ID, AWS_SECRET_ACCESS_KEY=SECRET, AWS_PAGER="")
    findings = check_host(context, proc=ProcFS(proc))
    shell = by_id(findings)["host.environ_only_in_shell"]
    assert shell.title.endswith("AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY")  # AWS_PAGER is the CLI's
    assert shell.status is Status.WARNING
    assert SECRET not in text_of(findings) and KEY_ID not in text_of(findings)
    unreadable = by_id(check_host(context, proc=RefusingProc(proc)))
    assert unreadable["host.module_environ_unreadable"].status is Status.SKIPPED
    assert "host.environ_only_in_shell" not in unreadable


def test_not_running_and_not_root(tmp_path: Path) -> None:
    home = wazuh_home(tmp_path, python_flags=("-S",))
    context = context_for(home)
    assert by_id(check_host(context, proc=ProcFS(tmp_path / "empty")))["host.modulesd_not_running"].status \
        is Status.WARNING
    proc = tmp_path / "proc"
    fake_proc(proc, 10, "wazuh-modulesd", uid=65534)
    found = by_id(check_host(context, proc=ProcFS(proc)))
    assert found["host.modulesd_not_root"].status is Status.WARNING


def test_environment_helpers() -> None:
    assert parse_environ(b"A=1\x00B=x=y\x00broken\x00") == {"A": "1", "B": "x=y"}
    assert display_value("HTTPS_PROXY", "http://user:pw@proxy:3128") == "http://****@proxy:3128"
    assert display_value("AWS_WEB_IDENTITY_TOKEN_FILE", "/t") == "/t"
    assert display_value("AWS_SESSION_TOKEN", "abc").startswith("****")
    same = compare_environments({"AWS_REGION": "x", "PATH": "/a"}, {"AWS_REGION": "x", "PATH": "/b"})
    assert same.identical and same.same == ("AWS_REGION",)


# -- the state database -------------------------------------------------------------------------------------

def _hold_write_lock(db: Path) -> subprocess.Popen[str]:
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sqlite3, sys
        connection = sqlite3.connect({str(db)!r})
        connection.execute("INSERT INTO metadata VALUES ('k', 'v')")
        print("ready", flush=True)
        sys.stdin.readline()
    """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
    return holder


def test_state_database_absent_ok_locked_and_broken(tmp_path: Path) -> None:
    home = wazuh_home(tmp_path, python_flags=("-S",))
    context = context_for(home)
    assert "host.state_db_absent" in by_id(check_host(context, processes=()))
    db = home / "wodles" / "aws" / "s3_cloudtrail.db"
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE metadata (key text, value text)")
        connection.execute("INSERT INTO metadata VALUES ('version', '4.14.7')")
    connection.close()
    ok = by_id(check_host(context, processes=()))["host.state_db_ok"]
    assert "4.14.7" in ok.explanation and "metadata" in ok.explanation
    holder = _hold_write_lock(db)
    try:
        locked = by_id(check_host(context, processes=()))["host.state_db_locked"]
        assert locked.status is Status.WARNING and locked.details["holder_pid"] == holder.pid
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=5)
    db.write_bytes(b"this is not sqlite")
    broken = by_id(check_host(context, processes=()))["host.state_db_unreadable"]
    assert broken.status is Status.ERROR and broken.wazuh_exit_code == 5


# -- regions -----------------------------------------------------------------------------------------------

def config_with_regions(tmp_path: Path, regions: str) -> LoadedConfig:
    conf = put(tmp_path / "ossec.conf", textwrap.dedent(f"""\
        <ossec_config>
          <wodle name="aws-s3">
            <bucket type="cloudtrail">
              <name>trail</name>
              <regions>{regions}</regions>
            </bucket>
          </wodle>
        </ossec_config>
        """))
    return load_config(conf)


def test_govcloud_region_refused_by_installed_list(tmp_path: Path) -> None:
    home = wazuh_home(tmp_path, python_flags=("-S",), regions=("us-east-1", "eu-west-1"))
    config = config_with_regions(tmp_path, "us-east-1,us-gov-west-1")
    found = by_id(check_host(context_for(home), config, processes=()))
    region_list = found["host.region_list"]
    assert region_list.title == "The installed module accepts 2 regions (no GovCloud, no China)"
    assert "aws_tools.py" in region_list.explanation and "Missing compared" in region_list.explanation
    refused = found["host.region_not_accepted"]
    assert refused.status is Status.ERROR and refused.wazuh_exit_code == 22
    assert "us-gov-west-1" in refused.title and "us-east-1" not in refused.title
    assert refused.location is not None and refused.location.line == 5
    assert "aws-us-gov" in refused.explanation


def test_patched_list_accepts_govcloud_and_old_versions_do_not_check(tmp_path: Path) -> None:
    home = wazuh_home(tmp_path, python_flags=("-S",), regions=("us-east-1", "us-gov-west-1"))
    config = config_with_regions(tmp_path, "us-gov-west-1")
    found = by_id(check_host(context_for(home), config, processes=()))
    assert "GovCloud included" in found["host.region_list"].title
    assert "us-gov-west-1" in found["host.region_list"].explanation  # added compared with current releases
    assert "host.region_not_accepted" not in found
    old = wazuh_home(tmp_path / "old", version="4.9.2", python_flags=("-S",))
    assert "host.region_list_unchecked" in by_id(check_host(context_for(old), config, processes=()))


def test_no_installation_skips_what_needs_one(tmp_path: Path) -> None:
    findings = check_host(context_for(tmp_path / "nothing"), processes=())
    assert [finding.failure_id for finding in findings] == ["host.module_absent", "host.modulesd_not_running"]


def test_host_command_text_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    from tui.host_commands import run_host

    home = wazuh_home(tmp_path, python_flags=("-S",))
    args = argparse.Namespace(demo=False, config=None, wazuh_home=str(home), endpoint_url=None, format="json",
                              verbose=False, timeout=15.0)
    assert run_host(args) == 2  # boto3 missing is an error
    document = json.loads(capsys.readouterr().out)
    assert document["wazuh_version"] == "4.14.7"
    assert "host.boto3_missing" in {finding["failure_id"] for finding in document["findings"]}
    args.format = "text"
    run_host(args)
    out = capsys.readouterr().out
    assert "The module's Python cannot import boto3: every run exits 4" in out
    assert "module exit code: 4" in out
