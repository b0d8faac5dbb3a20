"""Shared fixtures: real SQLite and a real PostgreSQL (started by this test run), a runtime, a live server."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from relaydesk.services.runtime import Runtime, build_runtime
from relaydesk.settings import Settings
from relaydesk.storage.database import make_engine, upgrade
from relaydesk.storage.store import SqlStore
from tests.pg_cluster import PostgresCluster, find_pg_bin

# Suites that must pass on both databases; everything else runs on SQLite.
BOTH_DATABASES = (
    "tests/storage",
    "tests/api",
    "tests/services",
    "tests/handoff",
    "tests/cases",
    "tests/routing",
)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "db_backend" in metafunc.fixturenames:
        path = str(Path(metafunc.definition.fspath).relative_to(Path(__file__).parent.parent))
        backends = ["sqlite"]
        if path.startswith(BOTH_DATABASES):
            backends.append(pytest.param("postgres", marks=pytest.mark.postgres))
        metafunc.parametrize("db_backend", backends, indirect=True)


@pytest.fixture
def db_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PostgresCluster]:
    bin_dir = find_pg_bin()
    if bin_dir is None:
        if os.environ.get("RELAYDESK_REQUIRE_POSTGRES") == "1":
            pytest.fail("PostgreSQL is required (RELAYDESK_REQUIRE_POSTGRES=1) but initdb was not found")
        pytest.skip("PostgreSQL is not installed; `make test` installs it")
    cluster = PostgresCluster(bin_dir)
    cluster.start()
    engine = create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("CREATE DATABASE relaydesk_template"))
    engine.dispose()
    template = make_engine(cluster.url("relaydesk_template"))
    upgrade(template)
    template.dispose()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture
def db_url(request: pytest.FixtureRequest, db_backend: str, tmp_path: Path, sqlite_template: Path) -> str:
    """A fresh, fully migrated database for one test (SQLite file, or a new PostgreSQL database)."""
    if db_backend == "postgres":
        cluster: PostgresCluster = request.getfixturevalue("pg_cluster")
        name = f"t_{uuid.uuid4().hex[:12]}"
        engine = create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE relaydesk_template'))
        engine.dispose()
        return cluster.url(name)
    path = tmp_path / "relaydesk.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def store(db_url: str) -> Iterator[SqlStore]:
    engine = make_engine(db_url)
    yield SqlStore(engine)
    engine.dispose()


@pytest.fixture(scope="session")
def shared_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data dir for model artifacts across the run, so models are trained once."""
    return tmp_path_factory.mktemp("relaydesk-data")


@pytest.fixture
def settings(db_url: str, shared_data_dir: Path) -> Settings:
    return Settings(environment="test", database_url=db_url, data_dir=shared_data_dir, _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    rt = build_runtime(settings)
    yield rt
    rt.close()


CAMERA_REFUND = (
    "my order W3638028 arrived damaged and I want a refund",
    "james.li4495@example.com",
    "the security camera, the lens is cracked",
    "yes",
)
"""A customer of the demo store asks for the refund of a damaged camera ($274.98): under the
default policy it waits for a person's approval (``shop_runtime``)."""


@pytest.fixture(scope="module")
def shop_runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    """One runtime per module on a SQLite file with the demo store's orders and customers, and no
    background timers (the tests drive the sweeps themselves)."""
    from relaydesk.services.demo_data import load_demo_store

    work = tmp_path_factory.mktemp("shop")
    settings = Settings(  # type: ignore[call-arg]
        database_url=f"sqlite:///{work}/shop.db",
        data_dir=work,
        recovery_interval_s=0,
        routing_sweep_s=0,
        _env_file=None,
    )
    built = build_runtime(settings)
    load_demo_store(built)
    try:
        yield built
    finally:
        built.close()


class LiveServer:
    def __init__(self, base_url: str, app: Any = None) -> None:
        self.base_url = base_url
        self.ws_url = base_url.replace("http://", "ws://")
        self.app = app
        """The ASGI app it serves (its ``state`` holds the in-flight gate)."""


@pytest.fixture
def live_server(runtime: Runtime) -> Iterator[LiveServer]:
    """The real app under uvicorn on a free port, in a background thread."""
    import uvicorn

    from relaydesk.api.app import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(runtime=runtime)
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        ws="websockets-sansio" if _has_sansio() else "websockets",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    yield LiveServer(f"http://127.0.0.1:{port}", app)
    server.should_exit = True
    thread.join(timeout=10)


def _has_sansio() -> bool:
    try:
        from uvicorn.protocols.websockets import websockets_sansio_impl  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A real redis-server started for this test run."""
    from tests.redis_server import RedisServer

    try:
        server = RedisServer()
    except FileNotFoundError:
        if os.environ.get("RELAYDESK_REQUIRE_REDIS") == "1":
            pytest.fail("Redis is required (RELAYDESK_REQUIRE_REDIS=1) but redis-server was not found")
        pytest.skip("redis-server is not installed; `make test` installs it")
    server.start()
    yield server.url
    server.stop()
