"""A migrated SQLite database with the shipped demo store loaded once, copied for each test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from relaydesk.commerce.tools import commerce_tools
from relaydesk.governance.actions import ActionPolicy, ActionSession
from relaydesk.governance.governed import GovernedTools
from relaydesk.governance.policy import load_policy
from relaydesk.storage.approval_store import SqlApprovalStore
from relaydesk.storage.commerce_store import SqlCommerceStore
from relaydesk.storage.database import make_engine, upgrade
from relaydesk.storage.store import SqlStore
from relaydesk.testing import make_workspace

YUSUF = "yusuf_rossi_9620"
YUSUF_EMAIL = "yusuf.rossi7301@example.com"
OLIVIA = "olivia_ito_3591"


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo-store") / "demo.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    SqlCommerceStore(engine).load_json()
    engine.dispose()
    return path


@pytest.fixture
def demo_store(demo_template: Path, tmp_path: Path) -> Iterator[SqlStore]:
    """A SqlStore whose database also holds the demo store's records."""
    path = tmp_path / "demo.db"
    shutil.copy(demo_template, path)
    engine = make_engine(f"sqlite:///{path}")
    yield SqlStore(engine)
    engine.dispose()


@pytest.fixture
def repo(demo_store: SqlStore) -> SqlCommerceStore:
    return SqlCommerceStore(demo_store.engine)


@pytest.fixture
def governed(demo_store: SqlStore, repo: SqlCommerceStore) -> GovernedTools:
    policy = load_policy()
    return GovernedTools(
        commerce_tools(repo),
        ActionPolicy(policy.actions, policy.label),
        demo_store,
        SqlApprovalStore(demo_store.engine),
    )


@pytest.fixture
def session(demo_store: SqlStore) -> ActionSession:
    workspace = make_workspace(demo_store, slug="store")
    return ActionSession(None, workspace.id)
