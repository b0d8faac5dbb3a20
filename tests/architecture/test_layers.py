"""The core and the capability packages talk to the edges only through ports."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "relaydesk"
CORE_AND_CAPABILITIES = [
    "domain",
    "triage",
    "knowledge",
    "governance",
    "routing",
    "specialists",
    "handoff",
    "assist",
    "analytics",
    "simulation",
]
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


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", [p for p in CORE_AND_CAPABILITIES if (SRC / p).is_dir()])
def test_package_source_names_no_framework_orm_or_sdk(package: str) -> None:
    offenders = {
        str(path.relative_to(SRC)): sorted(_imports(path) & set(FORBIDDEN))
        for path in (SRC / package).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


@pytest.mark.parametrize("package", [p for p in CORE_AND_CAPABILITIES if (SRC / p).is_dir()])
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
