"""Knowledge-base speed with 10,000 chunks (see ../shared/BENCHMARKS.md).

Workload: 100 Markdown documents of 100 sections each (one chunk per section), written from real
customer messages of ../shared/data/twcs-airlines when present, else from a seeded synthetic
vocabulary. Everything goes through the product path on a SQLite file: parse, chunk, embed with the
shared embedder, write each source and its chunks in one transaction.

- ``ingest_chunks_per_s``: chunks / wall time of ``KnowledgeBase.add`` (embedding included).
- ``load_s``: a fresh store on a fresh engine, time to the first usable index (rows read, vectors
  decoded, BM25 built); the embedder is shared with triage and is timed apart (``embedder_load_s``).
- ``median_ms_search`` / ``p99_ms_search``: ``KnowledgeBase.search`` on 300 queries, each embedded
  by the search itself (``*_with_vector``: the triage vector is passed in, as the responder does).
"""

from __future__ import annotations

import bz2
import csv
import io
import random
import re
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import DATA, progress, report  # noqa: E402

from relaydesk.embeddings.local import load_embedder  # noqa: E402
from relaydesk.knowledge import KnowledgeBase  # noqa: E402
from relaydesk.storage.database import make_engine, upgrade  # noqa: E402
from relaydesk.storage.knowledge_store import SqlKnowledgeStore  # noqa: E402
from relaydesk.storage.store import SqlStore  # noqa: E402

DOCS, SECTIONS, QUERIES = 100, 100, 300
SEED = 7


def customer_texts(limit: int) -> tuple[list[str], str]:
    path = DATA / "twcs-airlines" / "airlines_raw.csv.bz2"
    if not path.exists():
        return synthetic_texts(limit), "synthetic"
    texts: list[str] = []
    with io.TextIOWrapper(bz2.open(path), encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            text = re.sub(r"__\w+__|<\w+__|__\w+>|\*\w+|https?://\S+", " ", row["first_utterance"])
            text = " ".join(text.split())
            if len(text.split()) >= 8:
                texts.append(text)
            if len(texts) >= limit:
                break
    return texts, "twcs-airlines first customer messages"


def synthetic_texts(limit: int) -> list[str]:
    rng = random.Random(SEED)
    words = [
        f"{a}{b}" for a in ("bag", "seat", "fare", "gate", "meal", "card", "trip", "crew") for b in range(60)
    ]
    return [" ".join(rng.choices(words, k=rng.randint(20, 60))) for _ in range(limit)]


def main() -> None:
    texts, origin = customer_texts(DOCS * SECTIONS + QUERIES)
    if len(texts) < DOCS * SECTIONS + QUERIES:
        texts += synthetic_texts(DOCS * SECTIONS + QUERIES - len(texts))
    corpus, queries = texts[: DOCS * SECTIONS], texts[DOCS * SECTIONS :]
    t0 = time.perf_counter()
    embedder = load_embedder()
    embedder.embed(["warm up"])
    embedder_load_s = time.perf_counter() - t0

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        for d in range(DOCS):
            sections = [f"## Topic {d}-{s}\n\n{corpus[d * SECTIONS + s]}\n" for s in range(SECTIONS)]
            (folder / f"doc{d:03d}.md").write_text(
                f"# Document {d}\n\n" + "\n".join(sections), encoding="utf-8"
            )
        url = f"sqlite:///{tmp}/kb.db"
        engine = make_engine(url)
        upgrade(engine)
        workspace = SqlStore(engine).create_workspace("speed", "Speed")
        kb = KnowledgeBase(SqlKnowledgeStore(engine), workspace.id, lambda: embedder)
        progress(f"ingesting {DOCS} documents ({origin})")
        t0 = time.perf_counter()
        ingest = kb.add(
            [folder], progress=lambda done, total, _: done % 20 == 0 and progress(f"{done}/{total}")
        )
        ingest_s = time.perf_counter() - t0
        chunks = ingest.chunks_written
        progress(f"{chunks} chunks in {ingest_s:.1f} s; failed: {len(ingest.failed)}")
        engine.dispose()

        loads = []
        for _ in range(3):
            engine = make_engine(url)
            fresh = KnowledgeBase(SqlKnowledgeStore(engine), workspace.id, lambda: embedder)
            t0 = time.perf_counter()
            indexed = len(fresh.index())
            loads.append(time.perf_counter() - t0)
            engine.dispose()
        progress(f"index load: {loads} s for {indexed} chunks")

        engine = make_engine(url)
        fresh = KnowledgeBase(SqlKnowledgeStore(engine), workspace.id, lambda: embedder)
        fresh.index()
        for q in queries[:10]:
            fresh.search(q)
        timings, timings_vec = [], []
        vectors = embedder.embed(queries)
        for q, v in zip(queries, vectors, strict=True):  # two separate loops: ONNX Runtime's
            t0 = time.perf_counter()  # threads keep spinning for a while after each embedding
            fresh.search(q, query_vector=v)
            timings_vec.append((time.perf_counter() - t0) * 1000)
        for q in queries:
            t0 = time.perf_counter()
            fresh.search(q)
            timings.append((time.perf_counter() - t0) * 1000)
        engine.dispose()

    report(
        "kb_speed",
        {
            "chunks": indexed,
            "median_ms_search": round(float(np.median(timings)), 2),
            "p99_ms_search": round(float(np.percentile(timings, 99)), 2),
            "median_ms_search_with_vector": round(float(np.median(timings_vec)), 2),
            "p99_ms_search_with_vector": round(float(np.percentile(timings_vec, 99)), 2),
            "ingest_chunks_per_s": round(chunks / ingest_s, 1),
            "ingest_s": round(ingest_s, 1),
            "load_s": round(float(np.median(loads)), 3),
            "load_s_runs": [round(x, 3) for x in loads],
            "embedder_load_s": round(embedder_load_s, 2),
            "queries": len(queries),
            "text": origin,
            "database": "sqlite file",
        },
    )


if __name__ == "__main__":
    main()
