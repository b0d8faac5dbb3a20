"""Fixtures for the knowledge tests: the shared embedder, a knowledge base, a local web server."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

import pytest

from relaydesk.embeddings.local import OnnxSentenceEmbedder, load_embedder
from relaydesk.knowledge import HELPCENTER_DIR, InMemoryKnowledgeStore, KnowledgeBase
from relaydesk.knowledge.base import KnowledgeConfig
from relaydesk.knowledge.fetch import UrlPolicy


@pytest.fixture(scope="session")
def embedder() -> OnnxSentenceEmbedder:
    return load_embedder()


@pytest.fixture
def kb(embedder: OnnxSentenceEmbedder) -> KnowledgeBase:
    return KnowledgeBase(InMemoryKnowledgeStore(), "ws_test", lambda: embedder)


@pytest.fixture
def intranet_kb(embedder: OnnxSentenceEmbedder) -> KnowledgeBase:
    """A knowledge base allowed to fetch from internal hosts, like the test server on 127.0.0.1."""
    config = KnowledgeConfig(url_policy=UrlPolicy(allow_private=True))
    return KnowledgeBase(InMemoryKnowledgeStore(), "ws_test", lambda: embedder, config=config)


@pytest.fixture(scope="module")
def helpcenter_kb(embedder: OnnxSentenceEmbedder) -> KnowledgeBase:
    """The demo help center, ingested once per module."""
    base = KnowledgeBase(InMemoryKnowledgeStore(), "ws_demo", lambda: embedder)
    report = base.add([HELPCENTER_DIR])
    assert not report.failed, report.failed
    return base


class _Handler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet test output
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if self.path.startswith("/moved?to="):
            self.send_response(302)
            self.send_header("Location", unquote(self.path.removeprefix("/moved?to=")))
            self.end_headers()
            return
        if self.path.startswith("/broken"):
            self.send_error(500, "broken on purpose")
            return
        super().do_GET()

    def guess_type(self, path: str | Path) -> str:
        if str(path).endswith(".md"):
            return "text/markdown; charset=utf-8"
        return str(super().guess_type(path))


@pytest.fixture
def web(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A local http.server on 127.0.0.1 serving ``tmp_path/site``: (base URL, folder)."""
    root = tmp_path / "site"
    root.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", root
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
