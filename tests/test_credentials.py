"""Credentials resolved as the module does, as root, over root's ~/.aws and the module's environment."""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from diagnostics.aws.credentials import CredentialReport, resolve_credentials
from diagnostics.context import DoctorContext
from diagnostics.explanations.credentials_table import DEPRECATION_NOTICE
from diagnostics.findings import Finding, SourceLocation, Status
from diagnostics.wazuh.versions import profile_for
from diagnostics.wazuh.wodle import Block, Option

KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
INLINE_KEY_ID = "AKIAINLINEKEY0000001"
INLINE_SECRET = "inlineSecretThatMustNeverShow/0123456789"
ENV_SECRET = "envSecretThatMustNeverShow/01234567890123"
NOW = datetime(2025, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
QUIET = {"AWS_EC2_METADATA_DISABLED": "true"}


def make_block(block_type: str = "cloudtrail", **options: str) -> Block:
    """A bucket block as the loader builds it, options on consecutive lines from 11."""
    return Block(
        "bucket",
        block_type,
        SourceLocation("/var/ossec/etc/ossec.conf", 10),
        {name: Option(name, value, 11 + index) for index, (name, value) in enumerate(options.items())},
    )


def context_for(
    home: Path,
    environ: dict[str, str] | None = None,
    debug_level: int = 0,
    version: tuple[int, int, int] = (4, 14, 7),
) -> DoctorContext:
    return DoctorContext(
        module_home=home,
        environ=dict(QUIET if environ is None else environ),
        debug_level=debug_level,
        now=NOW,
        profile=profile_for(version, "test"),
    )


def write(path: Path, text: str, mode: int = 0o600) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(mode)


def credentials_text(profile: str = "wazuh", key_id: str = KEY_ID, secret: str = SECRET) -> str:
    return f"[{profile}]\naws_access_key_id = {key_id}\naws_secret_access_key = {secret}\n"


def by_failure(report: CredentialReport, failure_id: str) -> Finding:
    matches = [finding for finding in report.findings if finding.failure_id == failure_id]
    assert matches, f"{failure_id} not in {[finding.failure_id for finding in report.findings]}"
    return matches[0]


def failure_ids(report: CredentialReport) -> list[str | None]:
    return [finding.failure_id for finding in report.findings]


def assert_no_secret(report: CredentialReport, *secrets: str) -> None:
    dumped = json.dumps(report.to_dict()) + repr(report)
    for secret in secrets:
        assert secret not in dumped


@pytest.fixture
def home(clean_aws_env: Path) -> Path:
    """The module user's home, with an empty ~/.aws (process env cleared by clean_aws_env)."""
    return clean_aws_env


def test_profile_from_credentials_file(home: Path) -> None:
    write(home / ".aws" / "credentials", credentials_text())
    report = resolve_credentials(
        make_block(name="trail", aws_profile="wazuh"), context_for(home), other_homes=[]
    )
    assert report.resolved and report.method == "shared-credentials-file"
    assert report.masked_key_id == "AKIA****MPLE"
    assert report.module_exit_code is None
    resolved = by_failure(report, "credentials.resolved")
    assert resolved.status is Status.OK
    assert any(f"[wazuh] in {home}/.aws/credentials:1" in line for line in resolved.evidence)
    session = report.session()
    assert session is not None and session.get_credentials().access_key == KEY_ID
    assert_no_secret(report, SECRET)


def test_missing_profile_without_config_file_is_exit_12(home: Path) -> None:
    write(home / ".aws" / "credentials", credentials_text("default"))
    report = resolve_credentials(
        make_block(name="trail", aws_profile="cloudtrailtest"), context_for(home), other_homes=[]
    )
    finding = by_failure(report, "credentials.profile_not_found")
    assert not report.resolved and report.module_exit_code == 12
    assert finding.wazuh_exit_code == 12
    assert finding.location == SourceLocation("/var/ossec/etc/ossec.conf", 12)
    assert finding.ossec_log == (
        "2025/03/01 12:00:00 wazuh-modulesd:aws-s3: INFO: Executing Bucket Analysis: (Bucket: trail, "
        "Type: cloudtrail, Profile: cloudtrailtest)",
        "2025/03/01 12:00:00 wazuh-modulesd:aws-s3: WARNING: Bucket:  -  Returned exit code 12",
        "2025/03/01 12:00:00 wazuh-modulesd:aws-s3: WARNING: Bucket:  -  The config profile (cloudtrailtest) "
        "could not be found",
    )


def test_missing_profile_at_debug_2_is_exit_1_with_traceback(home: Path) -> None:
    report = resolve_credentials(
        make_block(name="trail", aws_profile="ghost"), context_for(home, debug_level=2), other_homes=[]
    )
    finding = by_failure(report, "credentials.profile_not_found")
    assert finding.wazuh_exit_code == 1
    assert any(
        "Unknown error: The config profile (ghost) could not be found" in line for line in finding.ossec_log
    )


def test_missing_profile_with_config_file_is_exit_23(home: Path) -> None:
    write(home / ".aws" / "credentials", credentials_text("test"))
    write(home / ".aws" / "config", "[profile other]\nregion = eu-west-1\n")
    report = resolve_credentials(
        make_block(name="trail", aws_profile="test"), context_for(home), other_homes=[]
    )
    finding = by_failure(report, "credentials.config_profile_missing")
    assert report.module_exit_code == 23 and finding.wazuh_exit_code == 23
    assert finding.ossec_log[-1] == (
        "2025/03/01 12:00:00 wazuh-modulesd:aws-s3: WARNING: Bucket:  -  No profile "
        "named: 'profile test' was found in the user config file"
    )
    # boto3 would find [test] in the credentials file, but the module never gets that far.
    assert report.resolved and by_failure(report, "credentials.resolved").status is Status.OK


def test_exit_23_without_aws_profile_needs_default_section(home: Path) -> None:
    write(home / ".aws" / "credentials", credentials_text("default"))
    write(home / ".aws" / "config", "[profile prod]\nregion = eu-west-1\n")
    report = resolve_credentials(make_block(name="trail"), context_for(home, debug_level=2), other_homes=[])
    finding = by_failure(report, "credentials.config_profile_missing")
    assert finding.wazuh_exit_code == 23
    output = next(line for line in finding.ossec_log if "OUTPUT" in line)
    assert output.endswith("OUTPUT: ERROR: No profile named: 'default' was found in the user config file")
    assert finding.ossec_log[-1] == (
        "DEBUG: The region for the 'default' must be specified in '~/.aws/config' "
        "under the '[default]' section."
    )


def test_unprefixed_config_section_passes_the_module_check_but_not_botocore(home: Path) -> None:
    write(home / ".aws" / "credentials", credentials_text("wazuh"))
    write(home / ".aws" / "config", "[wazuh]\nregion = eu-west-1\n")
    report = resolve_credentials(
        make_block(name="trail", aws_profile="wazuh"), context_for(home), other_homes=[]
    )
    assert report.module_exit_code is None
    assert by_failure(report, "credentials.config_profile_found").status is Status.OK
    naming = by_failure(report, "credentials.config_section_unprefixed")
    assert naming.location == SourceLocation(f"{home}/.aws/config", 1)
    assert report.region is None  # botocore ignores [wazuh] in the config file
    assert "credentials.region_missing" in failure_ids(report)


def test_region_from_the_profile(home: Path) -> None:
    write(home / ".aws" / "credentials", credentials_text("wazuh"))
    write(home / ".aws" / "config", "[profile wazuh]\nregion = eu-west-1\n")
    report = resolve_credentials(
        make_block(name="trail", aws_profile="wazuh"), context_for(home), other_homes=[]
    )
    assert report.region == "eu-west-1"
    assert report.region_origin == f"[profile wazuh] in {home}/.aws/config:2"


def test_invalid_max_attempts_is_exit_17(home: Path) -> None:
    write(home / ".aws" / "credentials", credentials_text("wazuh"))
    write(home / ".aws" / "config", "[profile wazuh]\nregion = eu-west-1\nmax_attempts = ten\n")
    report = resolve_credentials(
        make_block(name="trail", aws_profile="wazuh"), context_for(home), other_homes=[]
    )
    finding = by_failure(report, "credentials.config_invalid_value")
    assert finding.wazuh_exit_code == 17 and finding.location == SourceLocation(f"{home}/.aws/config", 3)
    assert finding.ossec_log[-1].endswith("WARNING: Bucket:  -  Invalid key or value found in config ")


def test_unparsable_config_is_exit_12(home: Path) -> None:
    write(home / ".aws" / "credentials", credentials_text("default"))
    write(home / ".aws" / "config", "region = eu-west-1\n[default]\n")
    report = resolve_credentials(make_block(name="trail"), context_for(home), other_homes=[])
    finding = by_failure(report, "credentials.config_unparsable")
    assert finding.wazuh_exit_code == 12 and "File contains no section headers" in finding.ossec_log[-1]


def test_no_credentials_at_all_is_exit_12(home: Path) -> None:
    report = resolve_credentials(make_block(name="trail"), context_for(home), other_homes=[])
    finding = by_failure(report, "credentials.no_credentials")
    assert not report.resolved and report.session() is None
    assert finding.wazuh_exit_code == 12
    assert finding.ossec_log[-1].endswith("WARNING: Bucket:  -  Unable to locate credentials")


def test_no_credentials_with_a_role_is_exit_3(home: Path) -> None:
    block = make_block(name="trail", iam_role_arn="arn:aws:iam::123456789012:role/reader")
    finding = by_failure(
        resolve_credentials(block, context_for(home), other_homes=[]), "credentials.no_credentials_for_role"
    )
    assert finding.wazuh_exit_code == 3
    assert finding.ossec_log[-1].endswith("WARNING: Bucket:  -  Access error: Unable to locate credentials")


def test_no_credentials_does_not_hang_on_instance_metadata(home: Path) -> None:
    started = time.monotonic()
    report = resolve_credentials(make_block(name="trail"), context_for(home, environ={}), other_homes=[])
    assert time.monotonic() - started < 5
    assert "credentials.no_credentials" in failure_ids(report)


def test_inline_keys_win_over_the_profile(home: Path) -> None:
    write(home / ".aws" / "credentials", credentials_text("wazuh"))
    block = make_block(name="trail", access_key=INLINE_KEY_ID, secret_key=INLINE_SECRET, aws_profile="wazuh")
    report = resolve_credentials(block, context_for(home), other_homes=[])
    assert report.method == "explicit" and report.inline_keys
    assert report.masked_key_id == "AKIA****0001"
    deprecation = by_failure(report, "credentials.inline_keys")
    assert deprecation.status is Status.WARNING and DEPRECATION_NOTICE in deprecation.explanation
    assert "credentials.inline_keys_override_profile" in failure_ids(report)
    session = report.session()
    assert session is not None and session.get_credentials().access_key == INLINE_KEY_ID
    assert_no_secret(report, INLINE_SECRET, SECRET)


def test_inline_keys_still_need_the_profile_to_exist(home: Path) -> None:
    block = make_block(name="trail", access_key=INLINE_KEY_ID, secret_key=INLINE_SECRET, aws_profile="ghost")
    report = resolve_credentials(block, context_for(home), other_homes=[])
    assert by_failure(report, "credentials.profile_not_found").wazuh_exit_code == 12
    assert_no_secret(report, INLINE_SECRET)


def test_half_inline_keys_are_ignored(home: Path) -> None:
    write(home / ".aws" / "credentials", credentials_text("default"))
    report = resolve_credentials(
        make_block(name="trail", access_key=INLINE_KEY_ID), context_for(home), other_homes=[]
    )
    assert "credentials.inline_keys_incomplete" in failure_ids(report)
    assert report.method == "shared-credentials-file" and not report.inline_keys


def test_environment_credentials_come_from_the_context_not_our_process(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAPROCESSENV000000")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "processSecret")
    module_env = {**QUIET, "AWS_ACCESS_KEY_ID": "AKIAMODULEENV0000099", "AWS_SECRET_ACCESS_KEY": ENV_SECRET}
    report = resolve_credentials(
        make_block(name="trail"), context_for(home, environ=module_env), other_homes=[]
    )
    assert report.method == "env" and report.masked_key_id == "AKIA****0099"
    assert "credentials.from_environment" in failure_ids(report)
    assert_no_secret(report, ENV_SECRET)
    # With nothing in the module's environment, our own variables must not leak in.
    quiet = resolve_credentials(make_block(name="trail"), context_for(home), other_homes=[])
    assert quiet.method is None and "credentials.no_credentials" in failure_ids(quiet)


def test_shared_credentials_file_variable_is_honoured(home: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere" / "creds"
    write(elsewhere, credentials_text("wazuh"))
    environ = {**QUIET, "AWS_SHARED_CREDENTIALS_FILE": str(elsewhere)}
    report = resolve_credentials(
        make_block(name="trail", aws_profile="wazuh"), context_for(home, environ=environ), other_homes=[]
    )
    assert report.method == "shared-credentials-file" and str(elsewhere) in report.source_files


def test_profile_in_another_users_home_is_the_sudo_trap(home: Path, tmp_path: Path) -> None:
    admin_home = tmp_path / "home" / "admin"
    write(admin_home / ".aws" / "credentials", credentials_text("cloudtrailtest"))
    report = resolve_credentials(
        make_block(name="trail", aws_profile="cloudtrailtest"), context_for(home), other_homes=[admin_home]
    )
    trap = by_failure(report, "credentials.profile_in_other_home")
    assert trap.location == SourceLocation(str(admin_home / ".aws" / "credentials"), 1)
    assert str(admin_home / ".aws" / "credentials") in trap.title
    assert trap.wazuh_exit_code is None  # the exit belongs to the ProfileNotFound finding
    assert by_failure(report, "credentials.profile_not_found").wazuh_exit_code == 12


def test_profile_prefix_in_credentials_file(home: Path) -> None:
    write(home / ".aws" / "credentials", credentials_text("profile wazuh"))
    report = resolve_credentials(
        make_block(name="trail", aws_profile="wazuh"), context_for(home), other_homes=[]
    )
    naming = by_failure(report, "credentials.profile_prefixed_in_credentials")
    assert naming.location == SourceLocation(f"{home}/.aws/credentials", 1)
    assert "[wazuh]" in naming.fix
    assert by_failure(report, "credentials.profile_not_found").wazuh_exit_code == 12


def test_closest_profile_is_suggested(home: Path) -> None:
    write(home / ".aws" / "credentials", credentials_text("cloudtrail-reader") + credentials_text("default"))
    report = resolve_credentials(
        make_block(name="trail", aws_profile="cloudtrail-reeder"), context_for(home), other_homes=[]
    )
    closest = by_failure(report, "credentials.profile_closest")
    assert closest.title == "Did you mean profile 'cloudtrail-reader'?"


def test_credentials_file_readable_by_others_is_a_warning(home: Path) -> None:
    write(home / ".aws" / "credentials", credentials_text("default"), mode=0o644)
    report = resolve_credentials(make_block(name="trail"), context_for(home), other_homes=[])
    assert by_failure(report, "credentials.file_permissions").status is Status.WARNING
    write(home / ".aws" / "credentials", credentials_text("default"), mode=0o600)
    report = resolve_credentials(make_block(name="trail"), context_for(home), other_homes=[])
    assert "credentials.file_permissions" not in failure_ids(report)


def test_files_are_listed_with_their_sections(home: Path) -> None:
    write(home / ".aws" / "credentials", credentials_text("default") + "\n" + credentials_text("wazuh"))
    report = resolve_credentials(make_block(name="trail"), context_for(home), other_homes=[])
    listed = next(f for f in report.findings if f.failure_id == "credentials.files_read")
    assert listed.evidence == ("[default] line 1", "[wazuh] line 5")
    assert listed.details["profiles"] == ["default", "wazuh"]


def test_aws_profile_variable_selects_the_profile_without_aws_profile(home: Path) -> None:
    write(
        home / ".aws" / "credentials",
        credentials_text("default") + credentials_text("fromenv", "AKIAFROMENV000000077"),
    )
    report = resolve_credentials(
        make_block(name="trail"),
        context_for(home, environ={**QUIET, "AWS_PROFILE": "fromenv"}),
        other_homes=[],
    )
    assert report.profile_name == "fromenv" and report.masked_key_id == "AKIA****0077"
    assert by_failure(report, "credentials.profile_from_environment").status is Status.WARNING
