"""The region lists the aws-s3 module accepts, so region checks reproduce exit 22.

The module validates bucket and CloudWatch regions against its own ``ALL_REGIONS`` tuple (since 4.10) and
Inspector regions against the Inspector lists. The lists below are the ones of current releases; when an
installation is present, the tuple in its ``wodles/aws/aws_tools.py`` wins, because that is what runs.
"""

from __future__ import annotations

import ast
from pathlib import Path

ALL_REGIONS: frozenset[str] = frozenset({
    "af-south-1",
    "ap-east-1", "ap-east-2",
    "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
    "ap-south-1", "ap-south-2",
    "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
    "ap-southeast-5", "ap-southeast-7",
    "ca-central-1", "ca-west-1",
    "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2",
    "eu-west-1", "eu-west-2", "eu-west-3",
    "il-central-1",
    "me-central-1", "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1", "us-east-2", "us-west-1", "us-west-2",
})
"""The 33 commercial regions of the module's ``ALL_REGIONS`` (no GovCloud, no China)."""

ADDED_IN_2025: frozenset[str] = frozenset({"ap-east-2", "ap-southeast-5", "ap-southeast-7", "ca-west-1",
                                           "mx-central-1"})
"""Regions added to ``ALL_REGIONS`` by Wazuh PR #31418 (2025-08); older 4.x releases reject them."""

INSPECTOR_V1_REGIONS: frozenset[str] = frozenset({
    "ap-northeast-1", "ap-northeast-2", "ap-south-1", "ap-southeast-2", "eu-central-1", "eu-north-1",
    "eu-west-1", "eu-west-2", "us-east-1", "us-east-2", "us-west-1", "us-west-2",
})
"""Regions where the module queries Inspector Classic."""

INSPECTOR_REGIONS: frozenset[str] = INSPECTOR_V1_REGIONS | frozenset({
    "af-south-1", "ap-east-1", "ap-northeast-3", "ap-southeast-1", "ap-southeast-3", "ap-southeast-4",
    "ap-southeast-5", "ap-southeast-7", "ap-south-2", "ca-central-1", "ca-west-1", "eu-west-3",
    "eu-central-2", "eu-south-1", "eu-south-2", "il-central-1", "me-central-1", "sa-east-1", "mx-central-1",
})
"""Regions an ``<service type="inspector">`` accepts (Inspector Classic plus Inspector2: 31)."""

GOVCLOUD_REGIONS: frozenset[str] = frozenset({"us-gov-east-1", "us-gov-west-1"})
CHINA_REGIONS: frozenset[str] = frozenset({"cn-north-1", "cn-northwest-1"})

_MAX_SOURCE_BYTES = 2 * 1024 * 1024


def partition_of(region: str) -> str:
    """The AWS partition a region name belongs to, to explain why a region is refused."""
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    if region.startswith("cn-"):
        return "aws-cn"
    return "aws"


def _module_sources(wazuh_home: Path) -> list[Path]:
    folder = wazuh_home / "wodles" / "aws"
    return [folder / "aws_tools.py", folder / "constants.py"]


def _read_source(path: Path) -> ast.Module | None:
    try:
        if not path.is_file() or path.stat().st_size > _MAX_SOURCE_BYTES:
            return None
        return ast.parse(path.read_bytes())
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _string_tuple(node: ast.AST) -> frozenset[str] | None:
    if not isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return None
    values = [element.value for element in node.elts
              if isinstance(element, ast.Constant) and isinstance(element.value, str)]
    if len(values) != len(node.elts) or not values:
        return None
    return frozenset(values)


def installed_regions(wazuh_home: Path) -> frozenset[str] | None:
    """``ALL_REGIONS`` as written in the installed module (read, never imported), or None when absent.

    Patched installations (GovCloud added by hand, PR #39401) and older releases differ from our list.
    """
    for source in _module_sources(wazuh_home):
        tree = _read_source(source)
        if tree is None:
            continue
        for statement in tree.body:
            targets: list[ast.expr] = []
            value: ast.expr | None = None
            if isinstance(statement, ast.Assign):
                targets, value = list(statement.targets), statement.value
            elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
                targets, value = [statement.target], statement.value
            if value is None:
                continue
            if any(isinstance(target, ast.Name) and target.id == "ALL_REGIONS" for target in targets):
                regions = _string_tuple(value)
                if regions is not None:
                    return regions
    return None


def installed_role_duration_limit(wazuh_home: Path) -> int | None:
    """The ``iam_role_duration`` upper bound in the installed ``aws_tools.py`` (3600 or 43200), if readable.

    Releases disagree on the limit, so the installed code decides when it is there.
    """
    tree = _read_source(wazuh_home / "wodles" / "aws" / "aws_tools.py")
    if tree is None:
        return None
    for node in ast.walk(tree):
        if not (isinstance(node, ast.FunctionDef) and node.name == "arg_valid_iam_role_duration"):
            continue
        for inner in ast.walk(node):
            if (isinstance(inner, ast.Compare) and len(inner.comparators) == 2
                    and isinstance(inner.left, ast.Constant) and inner.left.value == 900):
                upper = inner.comparators[1]
                if isinstance(upper, ast.Constant) and isinstance(upper.value, int):
                    return upper.value
    return None
