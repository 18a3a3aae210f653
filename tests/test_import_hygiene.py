"""Import hygiene read from the source: diagnostics/ stays UI-free, imports run down the layers, no circles.

Imports are read with ``ast`` from every module, including those inside functions and under
``TYPE_CHECKING``, so a late import can neither bring textual or rich into ``diagnostics/`` nor hide an
upward arrow or a circle from these tests.
"""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import diagnostics

ROOT = Path(__file__).resolve().parent.parent
UI_LIBRARIES = ("textual", "rich")

# The layers stated in README's Architecture section, lowest first: a package may import its own layer
# and the layers below it, never one above. Top-level diagnostics modules not named here (checks,
# bucket_session, sample_check, marker_location, bundle*, support_bundle and any new one) are orchestration.
LAYERS: tuple[tuple[str, frozenset[str]], ...] = (
    ("base", frozenset({"diagnostics", "findings", "masking", "text_safety"})),
    ("facts", frozenset({"wazuh", "context"})),
    ("explanations", frozenset({"explanations"})),
    ("readers", frozenset({"configuration", "log_explainer", "decode"})),
    ("aws", frozenset({"aws"})),
    ("layout", frozenset({"layout"})),
    ("ingest and host", frozenset({"ingest", "host"})),
    ("orchestration", frozenset()),
    ("tui", frozenset({"tui"})),
)
ORCHESTRATION = "orchestration"


@dataclass(frozen=True)
class Import:
    """One import statement resolved to the project module it loads, with where it was written."""

    importer: str
    imported: str
    line: int


def module_files() -> dict[str, Path]:
    """Every project module of diagnostics/ and tui/ by dotted name (a package by its __init__)."""
    files: dict[str, Path] = {}
    for top in ("diagnostics", "tui"):
        for path in (ROOT / top).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            files[".".join(parts)] = path
    return files


FILES = module_files()


def project_module(name: str) -> str | None:
    """The project module an import of ``name`` loads: the longest dotted prefix that is a module."""
    while name and name not in FILES:
        name = name.rpartition(".")[0]
    return name or None


def imported_names(module: str, tree: ast.AST) -> Iterator[tuple[str, int]]:
    """Every dotted name imported anywhere in ``tree`` (functions included), relative imports resolved.

    ``from X import Y`` yields ``X.Y``, which ``project_module`` reads as module X.Y or, failing that, X.
    """
    package = module if FILES[module].name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            for alias in node.names:
                yield f"{source}.{alias.name}", node.lineno


def project_imports() -> list[Import]:
    """Every import of one project module by another, read from the source."""
    found: set[Import] = set()
    for module, path in FILES.items():
        for name, line in imported_names(module, ast.parse(path.read_text(), str(path))):
            target = project_module(name)
            if target is not None and target != module:
                found.add(Import(module, target, line))
    return sorted(found, key=lambda item: (item.importer, item.line, item.imported))


def package_of(module: str) -> str:
    """The unit the layers speak of: ``tui``, a diagnostics subpackage, or a top-level diagnostics module."""
    parts = module.split(".")
    if parts[0] == "tui":
        return "tui"
    return parts[1] if len(parts) > 1 else "diagnostics"


def layer_of(package: str) -> int:
    """The rank of ``package`` in LAYERS; a top-level module nobody placed is orchestration."""
    for rank, (_, members) in enumerate(LAYERS):
        if package in members:
            return rank
    if (ROOT / "diagnostics" / package).is_dir():
        raise AssertionError(f"diagnostics/{package}/ is in no layer: add it to LAYERS and to README")
    return next(rank for rank, (name, _) in enumerate(LAYERS) if name == ORCHESTRATION)


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan), each one import circle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(edges.get(node, ())):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(found)


def all_diagnostics_modules() -> list[str]:
    return [info.name for info in pkgutil.walk_packages(diagnostics.__path__, "diagnostics.")]


def test_there_are_modules_to_check() -> None:
    assert len(all_diagnostics_modules()) > 5
    assert len(project_imports()) > 100


def test_the_source_reader_sees_imports_inside_functions() -> None:
    source = "def late() -> None:\n    if True:\n        from rich.text import Text\n        import textual.app\n"
    names = {name for name, _ in imported_names("diagnostics.findings", ast.parse(source))}
    assert {"rich.text.Text", "textual.app"} <= names


def test_diagnostics_source_never_imports_textual_or_rich() -> None:
    offenders = []
    for module, path in FILES.items():
        if not module.startswith("diagnostics"):
            continue
        for name, line in imported_names(module, ast.parse(path.read_text(), str(path))):
            if name.split(".")[0] in UI_LIBRARIES:
                offenders.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    assert offenders == []


def test_diagnostics_never_imports_textual_or_rich_at_run_time() -> None:
    """Importing every module must not load them through a third-party library either."""
    modules = all_diagnostics_modules()
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {UI_LIBRARIES!r})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                            timeout=120, check=True)
    assert result.stdout.strip() == "", f"diagnostics pulled in: {result.stdout.strip()}"


def test_diagnostics_never_prints() -> None:
    offenders = []
    for path in (ROOT / "diagnostics").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_imports_run_down_the_layers() -> None:
    upward = []
    for item in project_imports():
        source, target = package_of(item.importer), package_of(item.imported)
        if layer_of(target) > layer_of(source):
            upward.append(f"{FILES[item.importer].relative_to(ROOT)}:{item.line} ({LAYERS[layer_of(source)][0]}) "
                          f"imports {item.imported} ({LAYERS[layer_of(target)][0]})")
    assert upward == []


def test_the_layer_check_catches_an_upward_import() -> None:
    assert layer_of("wazuh") < layer_of("explanations") < layer_of("decode") < layer_of("aws")
    assert layer_of("aws") < layer_of("layout") < layer_of("ingest") < layer_of("checks") < layer_of("tui")
    assert layer_of("a_new_top_level_module") == layer_of("bucket_session")


def test_no_package_imports_in_a_circle() -> None:
    edges: dict[str, set[str]] = {}
    for item in project_imports():
        source, target = package_of(item.importer), package_of(item.imported)
        if source != target:
            edges.setdefault(source, set()).add(target)
    assert cycles(edges) == [], "packages importing each other in a circle"


def test_no_module_imports_in_a_circle() -> None:
    edges: dict[str, set[str]] = {}
    for item in project_imports():
        edges.setdefault(item.importer, set()).add(item.imported)
    found = cycles(edges)
    arrows = [f"{FILES[item.importer].relative_to(ROOT)}:{item.line} imports {item.imported}"
              for circle in found for item in project_imports()
              if item.importer in circle and item.imported in circle]
    assert found == [], "modules importing each other in a circle:\n" + "\n".join(arrows)


def test_the_circle_finder_finds_a_circle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
