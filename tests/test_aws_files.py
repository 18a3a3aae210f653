"""The tolerant ~/.aws reader: sections with lines, no secrets kept, never raising."""

from __future__ import annotations

from pathlib import Path

from diagnostics.aws.aws_files import FileKind, read_aws_file
from diagnostics.masking import mask_key_id, mask_user_id, scrub
from tests.unreadable import unreadable_file

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
KEY_ID = "AKIAIOSFODNN7EXAMPLE"


def write(path: Path, text: str, mode: int = 0o600) -> Path:
    path.write_text(text)
    path.chmod(mode)
    return path


def test_sections_keep_their_lines_and_drop_secrets(tmp_path: Path) -> None:
    path = write(
        tmp_path / "credentials",
        (
            "# admin keys\n"
            "[default]\n"
            f"aws_access_key_id = {KEY_ID}\n"
            f"aws_secret_access_key = {SECRET}\n"
            "\n"
            "[wazuh]\n"
            f"aws_access_key_id={KEY_ID}\n"
            f"aws_secret_access_key={SECRET}\n"
            "aws_session_token = FwoGZXIvYXdzEJr//////////\n"
        ),
    )
    aws_file = read_aws_file(path, FileKind.CREDENTIALS)
    assert aws_file.readable and aws_file.parser_error is None
    assert aws_file.profile_names == ("default", "wazuh")
    wazuh = aws_file.profile("wazuh")
    assert wazuh is not None and wazuh.line == 6
    assert wazuh.line_of("aws_secret_access_key") == 8
    assert wazuh.value("aws_access_key_id") == "AKIA****MPLE"
    assert wazuh.value("aws_secret_access_key") is None
    assert wazuh.value("aws_session_token") is None
    assert SECRET not in repr(aws_file) and "FwoGZXIv" not in repr(aws_file)


def test_config_profiles_need_the_prefix_except_default(tmp_path: Path) -> None:
    path = write(
        tmp_path / "config",
        (
            "[default]\nregion = us-east-1\n"
            "[profile prod]\nregion = eu-west-1\nmax_attempts = 5\n"
            "[legacy]\nregion = eu-west-2\n"
            "[sso-session corp]\nsso_region = eu-west-1\n"
        ),
    )
    aws_file = read_aws_file(path, FileKind.CONFIG)
    assert aws_file.profile_names == ("default", "prod")
    legacy = aws_file.section("legacy")
    assert legacy is not None and legacy.profile_name is None
    prod = aws_file.profile("prod")
    assert prod is not None and prod.value("region") == "eu-west-1" and prod.line_of("max_attempts") == 5
    # The module's own check (exit 23) accepts [NAME] as well as [profile NAME]; default only as [default].
    assert aws_file.module_accepts("legacy") == "legacy"
    assert aws_file.module_accepts("prod") == "profile prod"
    assert aws_file.module_accepts("missing") is None
    assert aws_file.module_accepts(None) == "default"


def test_profile_prefix_in_credentials_file_names_the_profile_with_the_prefix(tmp_path: Path) -> None:
    path = write(tmp_path / "credentials", f"[profile wazuh]\naws_access_key_id = {KEY_ID}\n")
    aws_file = read_aws_file(path, FileKind.CREDENTIALS)
    assert aws_file.profile_names == ("profile wazuh",)
    assert aws_file.sections[0].is_prefixed


def test_problems_are_reported_with_lines_and_without_values(tmp_path: Path) -> None:
    path = write(
        tmp_path / "credentials",
        (f"aws_access_key_id = {KEY_ID}\n[default]\nthis line is junk\n[ spaced ]\nregion = x\n"),
    )
    aws_file = read_aws_file(path, FileKind.CREDENTIALS)
    assert [problem.line for problem in aws_file.problems] == [1, 3, 4]
    assert all(KEY_ID not in problem.reason for problem in aws_file.problems)
    assert aws_file.parser_error is not None and "line: 1" in aws_file.parser_error
    assert KEY_ID not in aws_file.parser_error


def test_duplicate_sections_are_what_configparser_refuses(tmp_path: Path) -> None:
    path = write(tmp_path / "config", "[default]\nregion = a\n[default]\nregion = b\n")
    aws_file = read_aws_file(path, FileKind.CONFIG)
    assert aws_file.parser_error is not None
    assert "section 'default' already exists" in aws_file.parser_error


def test_missing_directory_and_binary_files_never_raise(tmp_path: Path) -> None:
    missing = read_aws_file(tmp_path / "nope", FileKind.CONFIG)
    assert not missing.exists and not missing.readable
    directory = read_aws_file(tmp_path, FileKind.CONFIG)
    assert directory.exists and directory.read_error == "not a regular file"
    binary = tmp_path / "bin"
    binary.write_bytes(b"\xff\xfe\x00[default]\x80")
    result = read_aws_file(binary, FileKind.CREDENTIALS)
    assert result.exists and result.read_error == "not UTF-8 text"


def test_unreadable_file_reports_why(tmp_path: Path) -> None:
    path = unreadable_file(tmp_path / "credentials", "[default]\n")
    aws_file = read_aws_file(path, FileKind.CREDENTIALS)
    assert aws_file.exists and not aws_file.readable and aws_file.read_error == "Permission denied"
    assert aws_file.sections == ()


def test_permissions_readable_by_others(tmp_path: Path) -> None:
    assert read_aws_file(write(tmp_path / "a", "[default]\n", 0o644), FileKind.CREDENTIALS).readable_by_others
    assert not read_aws_file(
        write(tmp_path / "b", "[default]\n", 0o600), FileKind.CREDENTIALS
    ).readable_by_others


def test_masking() -> None:
    assert mask_key_id(KEY_ID) == "AKIA****MPLE"
    assert mask_key_id("short") == "****"
    assert mask_key_id(None) == ""
    assert mask_user_id("AROAEXAMPLEROLEID1234:WazuhLogParsing") == "AROA****1234:WazuhLogParsing"
    assert scrub(f"bad secret {SECRET} here", [SECRET, None, ""]) == "bad secret **** here"
