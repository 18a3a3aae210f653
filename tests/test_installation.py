"""Installed version, module entry point and the installed region list, all read from files."""

from __future__ import annotations

from pathlib import Path

from diagnostics.wazuh.installation import detect_profile, module_entry_point
from diagnostics.wazuh.regions import (
    ALL_REGIONS,
    GOVCLOUD_REGIONS,
    INSPECTOR_REGIONS,
    installed_regions,
    installed_role_duration_limit,
)

WRAPPER = """#!/bin/sh
# Wazuh wrapper
WPYTHON_BIN="framework/python/bin/python3"
SCRIPT_PATH_NAME="$0"
${WAZUH_PATH}/${WPYTHON_BIN} ${PYTHON_SCRIPT} "$@"
"""


def put(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_version_from_wazuh_control(tmp_path: Path) -> None:
    put(tmp_path / "bin" / "wazuh-control",
        '#!/bin/sh\n# Installation info\nVERSION="v4.14.7"\nREVISION="1"\n')
    profile = detect_profile(tmp_path)
    assert profile.version == (4, 14, 7) and profile.known
    assert profile.source.endswith("bin/wazuh-control")


def test_version_from_old_ossec_init_conf(tmp_path: Path) -> None:
    put(tmp_path / "etc" / "ossec-init.conf", 'DIRECTORY="/var/ossec"\nNAME="Wazuh"\nVERSION="v4.1.5"\n')
    profile = detect_profile(tmp_path)
    assert profile.version == (4, 1, 5) and profile.every_client_error_is_exit_3
    legacy = put(tmp_path / "system" / "ossec-init.conf", 'VERSION="v3.13.1"\n')
    assert detect_profile(tmp_path / "empty", legacy_init_conf=legacy).version == (3, 13, 1)


def test_version_json_and_framework(tmp_path: Path) -> None:
    put(tmp_path / "a" / "VERSION.json", '{"version": "5.0.1", "stage": "alpha0"}')
    assert detect_profile(tmp_path / "a").version == (5, 0, 1)
    init = tmp_path / "b" / "framework" / "python" / "lib" / "python3.10" / "site-packages" / "wazuh"
    put(init / "__init__.py", "__version__ = '4.9.2'\n")
    profile = detect_profile(tmp_path / "b")
    assert profile.version == (4, 9, 2) and profile.known


def test_nothing_found_assumes_and_says_so(tmp_path: Path) -> None:
    profile = detect_profile(tmp_path / "missing")
    assert not profile.known and "assumed" in profile.label
    put(tmp_path / "w" / "wodles" / "aws" / "aws-s3", WRAPPER)
    wrapper_profile = detect_profile(tmp_path / "w")
    assert not wrapper_profile.known and wrapper_profile.version[0] == 4
    assert "wrapper" in wrapper_profile.source
    put(tmp_path / "s" / "wodles" / "aws" / "aws-s3", "#!/usr/bin/env python3\nimport sys\n")
    put(tmp_path / "s" / "framework" / "python" / "bin" / "python3", "")
    script_profile = detect_profile(tmp_path / "s")
    assert script_profile.version == (5, 0, 0) and not script_profile.known


def test_entry_point_kinds(tmp_path: Path) -> None:
    assert module_entry_point(tmp_path) is None
    put(tmp_path / "wodles" / "aws" / "aws-s3", WRAPPER)
    wrapper = module_entry_point(tmp_path)
    assert wrapper is not None and wrapper.kind == "wrapper"
    assert wrapper.interpreter == str(tmp_path / "framework" / "python" / "bin" / "python3")
    assert wrapper.python_script == tmp_path / "wodles" / "aws" / "aws-s3.py"
    assert wrapper.interpreter_exists is False
    put(tmp_path / "wodles" / "aws" / "aws-s3", "#!/usr/bin/env python3\n")
    script = module_entry_point(tmp_path)
    assert script is not None and script.kind == "script" and script.interpreter == "python3"
    assert script.interpreter_exists is None
    put(tmp_path / "wodles" / "aws" / "aws-s3", "\x7fELF binary")
    unknown = module_entry_point(tmp_path)
    assert unknown is not None and unknown.kind == "unknown"


def test_reference_region_lists() -> None:
    assert len(ALL_REGIONS) == 33 and not ALL_REGIONS & GOVCLOUD_REGIONS
    assert "cn-north-1" not in ALL_REGIONS and len(INSPECTOR_REGIONS) == 31


def test_installed_regions_and_duration_are_read_not_imported(tmp_path: Path) -> None:
    assert installed_regions(tmp_path) is None and installed_role_duration_limit(tmp_path) is None
    put(tmp_path / "wodles" / "aws" / "aws_tools.py",
        "import sys\nsys.exit(99)\nALL_REGIONS = (\n    'us-east-1', 'us-gov-west-1'\n)\n"
        "def arg_valid_iam_role_duration(arg_string):\n"
        "    num_seconds = int(arg_string)\n"
        "    if not (900 <= num_seconds <= 43200):\n        raise ValueError()\n")
    assert installed_regions(tmp_path) == frozenset({"us-east-1", "us-gov-west-1"})
    assert installed_role_duration_limit(tmp_path) == 43200


def test_regions_from_constants_and_broken_files(tmp_path: Path) -> None:
    put(tmp_path / "wodles" / "aws" / "aws_tools.py", "def broken(:\n")
    assert installed_regions(tmp_path) is None
    put(tmp_path / "wodles" / "aws" / "constants.py", "ALL_REGIONS = ('eu-west-1', 'eu-west-2')\n")
    assert installed_regions(tmp_path) == frozenset({"eu-west-1", "eu-west-2"})
