from __future__ import annotations

import numpy as np
import pytest

from relaydesk.domain.errors import NotFound
from relaydesk.knowledge.types import ChunkDraft, SourceFormat
from relaydesk.storage.knowledge_store import SqlKnowledgeStore
from relaydesk.storage.store import SqlStore
from relaydesk.testing import make_workspace


def drafts(*texts: str) -> list[ChunkDraft]:
    return [
        ChunkDraft(i, "", "Guide", "https://h.example/g", ("Guide", f"Part {i}"), t)
        for i, t in enumerate(texts)
    ]


def vectors(n: int, seed: int = 0) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=(n, 8)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def write(kb: SqlKnowledgeStore, ws: str, texts: tuple[str, ...], digest: str = "h1", seed: int = 0):  # type: ignore[no-untyped-def]
    return kb.replace_source(
        ws,
        uri="/docs/guide.md",
        format=SourceFormat.MARKDOWN,
        title="Guide",
        content_hash=digest,
        pipeline="p1",
        size_bytes=100,
        chunks=drafts(*texts),
        vectors=vectors(len(texts), seed),
    )


def test_a_source_and_its_chunks_round_trip_with_vectors(store: SqlStore) -> None:
    ws = make_workspace(store).id
    kb = SqlKnowledgeStore(store.engine)
    source = write(kb, ws, ("first", "second"))
    assert kb.find_source(ws, "/docs/guide.md") == source
    assert kb.list_sources(ws) == [source]
    chunks = kb.load_chunks(ws)
    assert [(c.ordinal, c.text, c.headings, c.article_url) for c in chunks] == [
        (0, "first", ("Guide", "Part 0"), "https://h.example/g"),
        (1, "second", ("Guide", "Part 1"), "https://h.example/g"),
    ]
    np.testing.assert_array_equal(np.stack([c.vector for c in chunks]), vectors(2))


def test_rewriting_a_source_replaces_all_its_chunks_and_changes_the_revision(store: SqlStore) -> None:
    ws = make_workspace(store).id
    kb = SqlKnowledgeStore(store.engine)
    first = write(kb, ws, ("old one", "old two"))
    before = kb.revision(ws)
    second = write(kb, ws, ("new",), digest="h2", seed=1)
    assert second.id == first.id and second.chunk_count == 1 and second.content_hash == "h2"
    assert [c.text for c in kb.load_chunks(ws)] == ["new"]
    assert kb.revision(ws) != before


def test_a_failed_write_leaves_the_previous_version_whole(store: SqlStore) -> None:
    ws = make_workspace(store).id
    kb = SqlKnowledgeStore(store.engine)
    write(kb, ws, ("kept one", "kept two"))
    revision = kb.revision(ws)
    bad = [*drafts("replacement"), ChunkDraft(1, "", None, None, (), "no title")]  # type: ignore[arg-type]
    with pytest.raises(Exception):  # noqa: B017 - the database refuses the NULL title mid-write
        kb.replace_source(
            ws,
            uri="/docs/guide.md",
            format=SourceFormat.MARKDOWN,
            title="Guide",
            content_hash="h3",
            pipeline="p1",
            size_bytes=1,
            chunks=bad,
            vectors=vectors(2),
        )
    assert [c.text for c in kb.load_chunks(ws)] == ["kept one", "kept two"]
    assert kb.find_source(ws, "/docs/guide.md").content_hash == "h1"  # type: ignore[union-attr]
    assert kb.revision(ws) == revision


def test_sources_are_private_to_their_workspace_and_deletable(store: SqlStore) -> None:
    ws, other = make_workspace(store).id, make_workspace(store).id
    kb = SqlKnowledgeStore(store.engine)
    source = write(kb, ws, ("a",))
    assert kb.list_sources(other) == [] and kb.load_chunks(other) == []
    with pytest.raises(NotFound, match=source.id):
        kb.get_source(other, source.id)
    with pytest.raises(NotFound):
        kb.delete_source(other, source.id)
    kb.delete_source(ws, source.id)
    assert kb.list_sources(ws) == [] and kb.load_chunks(ws) == []


def test_migration_0002_creates_exactly_the_knowledge_tables(store: SqlStore) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from relaydesk.storage.tables import Base

    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert [d for d in diff if "kb_" in repr(d)] == []


def test_one_runtime_builds_its_knowledge_bases_once_on_its_own_database(runtime) -> None:  # type: ignore[no-untyped-def]
    knowledge = runtime.capabilities.knowledge
    assert knowledge is not None and runtime.knowledge() is runtime.knowledge()
    assert knowledge.owned_engine is None  # no second engine on the same database
    assert runtime.knowledge().get("ws_x") is runtime.knowledge().get("ws_x")


def test_knowledge_search_embeds_with_the_configured_remote_embedder(store: SqlStore) -> None:
    from relaydesk.knowledge import ingest_directory
    from relaydesk.services.wiring import build_knowledge
    from relaydesk.settings import Settings
    from relaydesk.testing import EmbeddingsServer

    ws = make_workspace(store).id
    url = store.engine.url.render_as_string(hide_password=False)
    with EmbeddingsServer(dimension=32) as server:
        settings = Settings(  # type: ignore[call-arg]
            database_url=url, embedder="openai:fake-embed", embeddings_base_url=server.url, _env_file=None
        )
        bases = build_knowledge(settings, store.engine)
        report = ingest_directory(bases.get(ws))
        ingested = len(server.requests)
        result = bases.get(ws).search("how do I return an item")
        assert ingested > 0 and len(server.requests) == ingested + 1
    assert report.chunks_written > 0 and not report.failed and result.articles
    assert result.chunks[0].chunk.vector.shape == (32,)
