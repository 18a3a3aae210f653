"""wazuh_modules.debug read like getDefine_Int, and what each level means for ossec.log."""

from __future__ import annotations

from pathlib import Path

import pytest

from diagnostics.findings import Status
from diagnostics.host.internal_options import read_debug_level


def home_with(tmp_path: Path, default: str | None = "wazuh_modules.debug=0\n",
              local: str | None = None) -> Path:
    etc = tmp_path / "etc"
    etc.mkdir(parents=True, exist_ok=True)
    if default is not None:
        (etc / "internal_options.conf").write_text(default)
    if local is not None:
        (etc / "local_internal_options.conf").write_text(local)
    return tmp_path


def ids(setting: object) -> list[str]:
    return [finding.failure_id or "" for finding in setting.findings]  # type: ignore[attr-defined]


def test_local_file_overrides_the_default(tmp_path: Path) -> None:
    home = home_with(tmp_path, local="# debug\nwazuh_modules.debug=2\n")
    setting = read_debug_level(home)
    assert setting.level == 2 and setting.raw == "2"
    assert setting.location is not None and setting.location.line == 2
    assert setting.location.path.endswith("local_internal_options.conf")
    meaning = setting.findings[-1]
    assert meaning.failure_id == "config.debug_level_2" and meaning.status is Status.OK
    assert "every run" in meaning.title


def test_default_file_is_the_fallback(tmp_path: Path) -> None:
    home = home_with(tmp_path, default="agent.debug=2\nwazuh_modules.debug=1\n", local="")
    setting = read_debug_level(home)
    assert setting.level == 1 and setting.location is not None and setting.location.line == 2
    assert "only for failed runs" in setting.findings[-1].title


@pytest.mark.parametrize(("line", "level"), [
    ("wazuh_modules.debug = 2", 2),          # spaces around '=' are allowed
    ("wazuh_modules.debug=1\r", 1),          # CRLF
    ("wazuh_modules.debug=", 0),             # empty is atoi("") = 0
])
def test_c_parsing_rules(tmp_path: Path, line: str, level: int) -> None:
    setting = read_debug_level(home_with(tmp_path, local=line + "\nwazuh_modules.debug=0\n"))
    assert setting.level == level and "config.debug_level_invalid" not in ids(setting)


def test_commented_and_indented_lines_are_skipped_and_first_match_wins(tmp_path: Path) -> None:
    local = "#wazuh_modules.debug=2\n wazuh_modules.debug=2\nwazuh_modules.debug=1\nwazuh_modules.debug=2\n"
    setting = read_debug_level(home_with(tmp_path, local=local))
    assert setting.level == 1 and setting.location is not None and setting.location.line == 3


@pytest.mark.parametrize(("value", "level"), [("5", 2), ("two", 0), ("2 ", 0), ("-1", 0)])
def test_invalid_values_stop_modulesd(tmp_path: Path, value: str, level: int) -> None:
    setting = read_debug_level(home_with(tmp_path, local=f"wazuh_modules.debug={value}\n"))
    assert setting.level == level
    invalid = next(finding for finding in setting.findings
                   if finding.failure_id == "config.debug_level_invalid")
    assert invalid.status is Status.ERROR
    assert f"(2302): Invalid definition for wazuh_modules.debug: '{value}'." in invalid.explanation


def test_no_installation_assumes_0(tmp_path: Path) -> None:
    setting = read_debug_level(tmp_path / "nothing")
    assert setting.level == 0 and setting.location is None
    assert ids(setting) == ["config.debug_level_not_found", "config.debug_level_0"]
    assert setting.findings[0].status is Status.SKIPPED


def test_definition_missing_is_an_error(tmp_path: Path) -> None:
    setting = read_debug_level(home_with(tmp_path, default="agent.debug=0\n"))
    assert ids(setting)[0] == "config.debug_level_missing" and setting.findings[0].status is Status.ERROR


def test_wazuh_control_enable_debug_overrides(tmp_path: Path) -> None:
    home = home_with(tmp_path)
    (home / "bin").mkdir()
    (home / "bin" / ".process_list").write_text('DEBUG_CLI="-d"\n')
    setting = read_debug_level(home)
    assert setting.level == 1 and setting.from_command_line
    assert "config.debug_level_cli" in ids(setting) and ids(setting)[-1] == "config.debug_level_1"
    (home / "bin" / ".process_list").write_text('DEBUG_CLI="-d"\nDEBUG_CLI=""\n')
    assert read_debug_level(home).level == 0
