"""The KPI tests run on SQLite and PostgreSQL (their own store fixture, since tests/analytics is
not in tests/conftest.py's BOTH_DATABASES)."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from relaydesk.storage.database import make_engine
from relaydesk.storage.store import SqlStore


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def kpi_store(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[SqlStore]:
    if request.param == "postgres":
        cluster = request.getfixturevalue("pg_cluster")
        name = f"t_{uuid.uuid4().hex[:12]}"
        admin = create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE relaydesk_template'))
        admin.dispose()
        url = cluster.url(name)
    else:
        path = tmp_path / "relaydesk.db"
        shutil.copy(sqlite_template, path)
        url = f"sqlite:///{path}"
    engine = make_engine(url)
    yield SqlStore(engine)
    engine.dispose()
