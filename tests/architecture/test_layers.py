"""The layers of docs/architecture.md, checked on the source: arrows point down only, no import circle.

interfaces    api/ web/ cli/ demo/
use cases     services/
adapters      storage/ bus/ llm/ embeddings/ channels/
capabilities  triage/ knowledge/ specialists/ governance/ routing/ handoff/ cases/ commerce/ dialogue/ ...
core          domain/
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "relaydesk"

# Every package under src/relaydesk is in exactly one layer (a test checks it). Packages the
# architecture names but that do not exist yet are listed too; the tests skip what is not there.
INTERFACES = ["api", "web", "cli", "demo"]
USE_CASES = ["services"]
ADAPTERS = ["storage", "bus", "llm", "embeddings", "channels", "testing"]
"""``testing`` is an adapter too: ``MemoryStore`` implements the store ports in memory."""
CAPABILITIES = [
    "triage",
    "knowledge",
    "specialists",
    "governance",
    "routing",
    "handoff",
    "cases",
    "commerce",
    "rules_files",
    "assist",
    "analytics",
    "simulation",
    "dialogue",
]
CORE = ["domain"]
LAYERS = {
    "interfaces": INTERFACES,
    "use cases": USE_CASES,
    "adapters": ADAPTERS,
    "capabilities": CAPABILITIES,
    "core": CORE,
}
CORE_AND_CAPABILITIES = CORE + CAPABILITIES
FORBIDDEN = (
    "fastapi",
    "starlette",
    "sqlalchemy",
    "alembic",
    "psycopg",
    "uvicorn",
    "openai",
    "anthropic",
    "redis",
    "boto3",
    "google",
)


def _existing(packages: list[str]) -> list[str]:
    return [p for p in packages if (SRC / p / "__init__.py").is_file()]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES: dict[str, Path] = {_module_name(p): p for p in sorted(SRC.rglob("*.py"))}


@dataclass(frozen=True)
class Import:
    module: str
    """The module imported, absolute (``from x import y`` gives ``x.y`` when that is a module)."""
    line: int
    at_module_level: bool
    """Run when the module is imported (``if TYPE_CHECKING:`` included); not inside a function."""


def _resolve(importer: str, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    is_package = MODULES[importer].name == "__init__.py"
    base = importer.split(".") if is_package else importer.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _walk(node: ast.AST, at_module_level: bool) -> Iterator[tuple[ast.AST, bool]]:
    for child in ast.iter_child_nodes(node):
        yield child, at_module_level
        nested = at_module_level and not isinstance(
            child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
        )
        yield from _walk(child, nested)


def imports_of(module: str) -> list[Import]:
    """Every import statement in ``module``'s file, wherever it is."""
    found: list[Import] = []
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    for node, top in _walk(tree, True):
        if isinstance(node, ast.Import):
            found += [Import(alias.name, node.lineno, top) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(module, node)
            submodules = [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in MODULES]
            if len(submodules) < len(node.names):
                found.append(Import(base, node.lineno, top))
            found += [Import(name, node.lineno, top) for name in submodules]
    return found


def _in(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _where(module: str, imp: Import) -> str:
    return f"{MODULES[module].relative_to(SRC.parent)}:{imp.line} -> {imp.module}"


def _offending_imports(package: str, forbidden: list[str]) -> list[str]:
    """Imports (module level or inside functions, type-only ones included) of ``package``'s
    modules that reach a forbidden relaydesk package."""
    targets = [f"relaydesk.{p}" for p in forbidden]
    return [
        _where(module, imp)
        for module in MODULES
        if _in(module, f"relaydesk.{package}")
        for imp in imports_of(module)
        if any(_in(imp.module, t) for t in targets)
    ]


# -- every package is in a layer --------------------------------------------------------------


def test_every_package_is_in_exactly_one_layer() -> None:
    packages = sorted(p.parent.name for p in SRC.glob("*/__init__.py"))
    listed = [p for layer in LAYERS.values() for p in layer]
    assert sorted({p for p in listed if listed.count(p) > 1}) == [], "a package is in two layers"
    assert [p for p in packages if p not in listed] == [], "packages in no layer; add them to LAYERS"


# -- the project's own import directions --------------------------------------------------------


@pytest.mark.parametrize("package", _existing(CAPABILITIES))
def test_capabilities_never_import_storage_services_or_interfaces(package: str) -> None:
    offenders = _offending_imports(package, ["storage", "services", "api", "cli"])
    assert not offenders, "a capability imports storage, services or interfaces:\n" + "\n".join(offenders)


@pytest.mark.parametrize("package", _existing(INTERFACES))
def test_interfaces_never_import_storage(package: str) -> None:
    offenders = _offending_imports(package, ["storage"])
    assert not offenders, "an interface imports storage (call a use case instead):\n" + "\n".join(offenders)


@pytest.mark.parametrize("package", _existing(CORE))
def test_the_core_imports_nothing_else_of_relaydesk(package: str) -> None:
    others = sorted({m.split(".")[1] for m in MODULES if m.count(".") >= 1} - {package})
    offenders = _offending_imports(package, others)
    assert not offenders, "the core imports another package:\n" + "\n".join(offenders)


@pytest.mark.parametrize("package", _existing(USE_CASES + ADAPTERS + CAPABILITIES + CORE))
def test_only_interfaces_import_interfaces(package: str) -> None:
    offenders = _offending_imports(package, INTERFACES)
    assert not offenders, "an import points up to the interfaces:\n" + "\n".join(offenders)


# -- no import circle -----------------------------------------------------------------------------


def _graph() -> dict[str, set[str]]:
    """Module -> the relaydesk modules it imports when it is imported (imports inside functions
    are left out: they run later, and are how a circle is broken; ``if TYPE_CHECKING:`` counts)."""
    graph: dict[str, set[str]] = {}
    for module in MODULES:
        graph[module] = {
            imp.module
            for imp in imports_of(module)
            if imp.at_module_level and imp.module in MODULES and imp.module != module
        }
    return graph


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """For each group of modules that import each other (a strongly connected component, Tarjan):
    the shortest circle through its first module, then the group's other modules, if any."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.add(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(group)

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10 * len(graph)))
    for v in sorted(graph):
        if v not in index:
            visit(v)

    circles = []
    for group in groups:
        start = min(group)
        # Breadth-first from start back to start, inside the group: the shortest circle through it.
        paths = {start: [start]}
        frontier = [start]
        circle: list[str] | None = None
        while frontier and circle is None:
            nxt = []
            for v in frontier:
                for w in sorted(graph[v] & group):
                    if w == start:
                        circle = paths[v] + [start]
                        break
                    if w not in paths:
                        paths[w] = paths[v] + [w]
                        nxt.append(w)
                if circle:
                    break
            frontier = nxt
        assert circle is not None
        circles.append(circle + sorted(group - set(circle)))
    return circles


def test_the_circle_finder_finds_a_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}}
    assert _circles(graph) == [["a", "b", "c", "a"]]
    graph = {"a": {"b", "x"}, "b": {"a"}, "x": {"y"}, "y": {"a"}, "z": {"a"}}
    assert _circles(graph) == [["a", "b", "a", "x", "y"]]
    assert _circles({"a": {"b"}, "b": set()}) == []


def test_the_import_graph_has_no_circle() -> None:
    circles = []
    for found in _circles(_graph()):
        end = found.index(found[0], 1) + 1
        rest = f"  (also in this circle of modules: {', '.join(found[end:])})" if found[end:] else ""
        circles.append(" -> ".join(found[:end]) + rest)
    assert not circles, "import circles (module level, TYPE_CHECKING included):\n" + "\n".join(circles)


# -- no framework, ORM or SDK in the core and the capabilities -----------------------------------


def _third_party(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", _existing(CORE_AND_CAPABILITIES))
def test_package_source_names_no_framework_orm_or_sdk(package: str) -> None:
    offenders = {
        str(path.relative_to(SRC)): sorted(_third_party(path) & set(FORBIDDEN))
        for path in (SRC / package).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


@pytest.mark.parametrize("package", _existing(CORE_AND_CAPABILITIES))
def test_importing_the_package_loads_no_framework_orm_or_sdk(package: str) -> None:
    modules = [
        f"relaydesk.{package}." + str(p.relative_to(SRC / package).with_suffix("")).replace("/", ".")
        for p in (SRC / package).rglob("*.py")
        if p.name != "__init__.py"
    ]
    script = (
        "import importlib, sys\n"
        f"for m in {modules!r}:\n    importlib.import_module(m)\n"
        f"bad = sorted(n for n in sys.modules if n.split('.')[0] in {FORBIDDEN!r})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
