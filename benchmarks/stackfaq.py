"""StackFAQ retrieval and abstention (see ../shared/BENCHMARKS.md).

Index: each of the 125 threads is one FAQ article (question + answers), ingested through the
product's own path (FAQ JSON -> chunks -> embeddings -> hybrid index). Queries: every paraphrase in
``rephr`` ("*" entries dropped). Retrieval uses no training on the set.

Splits, fixed in advance: threads with an even number (2, 4, ...) are the dev half, odd ones the
held-out half. The dev half is used for exactly two choices: the BM25 weight of linear fusion (grid
below) and, with CLINC150 ``oos_val``, the abstain threshold. ``map``/``mrr``/... are over all
paraphrases (and per half); ``answer_rate`` is on the held-out half, ``abstain_oos`` on CLINC150
``oos_test``; neither of those was looked at to choose anything.

Threshold rule: maximise balanced accuracy (mean of answer rate on dev paraphrases and abstain
rate on oos_val); among ties take the middle of the tied range.
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, data_path, progress, report  # noqa: E402

from relaydesk.embeddings.local import load_embedder  # noqa: E402
from relaydesk.knowledge import InMemoryKnowledgeStore, KnowledgeBase, KnowledgeConfig  # noqa: E402
from relaydesk.knowledge.base import DEFAULT_ANSWER_THRESHOLD  # noqa: E402
from relaydesk.knowledge.index import LEXICAL_WEIGHT  # noqa: E402

CACHE = ROOT / "var" / "cache" / "stackfaq"
WEIGHT_GRID = (0.0, 0.05, 0.1, 0.2, 0.3)


class CachedEmbedder:
    """The shared embedder with vectors cached on disk by the hash of the batch (cheap reruns)."""

    def __init__(self) -> None:
        self.inner = load_embedder()
        self.model_id = self.inner.model_id
        self.dimension = self.inner.dimension

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        key = hashlib.sha256(("\x1f".join([self.model_id, *texts])).encode()).hexdigest()[:20]
        path = CACHE / f"{key}.npy"
        if path.exists():
            return np.load(path)
        vectors = self.inner.embed(list(texts))
        CACHE.mkdir(parents=True, exist_ok=True)
        np.save(path, vectors)
        return vectors


def main() -> None:
    threads = json.loads(data_path("stackfaq", "stackExchange-FAQ.json").read_text())["root"]["qapair"]
    clinc = json.loads(data_path("clinc150", "data_full.json").read_text())
    embedder = CachedEmbedder()
    faq = [{"question": t["question"], "answer": t["answer"]} for t in threads]
    threshold_default = DEFAULT_ANSWER_THRESHOLD
    kb = KnowledgeBase(InMemoryKnowledgeStore(), "stackfaq", lambda: embedder)
    progress(f"ingesting {len(faq)} threads")
    outcome = kb.add_content("stackfaq.json", json.dumps(faq))
    progress(f"{outcome.status.value}: {outcome.chunks} chunks")

    queries = [
        (q, i + 1) for i, t in enumerate(threads) for q in t["rephr"] if q and q.strip() not in ("", "*")
    ]
    gold = np.array([g for _, g in queries])
    dev = gold % 2 == 0
    progress(f"{len(queries)} paraphrases ({dev.sum()} dev, {(~dev).sum()} held out)")
    qvecs = embedder.embed([q for q, _ in queries])
    index = kb.index()
    key_of = {}  # article key "qN" -> thread number
    for c in index.chunks:
        key_of[c.article_key] = int(c.article_key[1:])

    def ranks(fusion: str, weight: float) -> np.ndarray:
        index.fusion, index.lexical_weight = fusion, weight
        out = []
        for (q, g), v in zip(queries, qvecs, strict=True):
            hits = kb.search(q, query_vector=v, articles=index.article_count).articles
            order = [key_of[h.article_key] for h in hits]
            out.append(order.index(g) + 1 if g in order else 10**6)
        return np.array(out)

    grid, dense_only = {}, None
    for w in WEIGHT_GRID:
        r = ranks("linear", w)
        dense_only = r if w == 0.0 else dense_only
        grid[w] = (float(np.mean(1 / r[dev])), float(np.mean(1 / r[~dev])))
        progress(f"linear w={w}: MAP dev {grid[w][0]:.4f}, held-out {grid[w][1]:.4f}")
    chosen_weight = max(WEIGHT_GRID, key=lambda w: (grid[w][0], -w))
    rrf = ranks("rrf", 0.0)
    progress(f"rrf: MAP {np.mean(1 / rrf):.4f}; dev chooses lexical weight {chosen_weight}")
    r = ranks("linear", LEXICAL_WEIGHT)

    def metrics(rk: np.ndarray) -> dict[str, float]:
        return {
            "map": float(np.mean(1 / rk)),
            "mrr": float(np.mean(1 / rk)),
            "ndcg10": float(np.mean([1 / math.log2(x + 1) if x <= 10 else 0.0 for x in rk])),
            "recall1": float(np.mean(rk <= 1)),
            "recall5": float(np.mean(rk <= 5)),
        }

    overall = metrics(r)
    progress(f"linear w={LEXICAL_WEIGHT}: {overall}")

    # -- abstention -------------------------------------------------------------------------------
    def confidences(texts: list[str], vectors: np.ndarray) -> np.ndarray:
        return np.array(
            [kb.search(t, query_vector=v).confidence for t, v in zip(texts, vectors, strict=True)]
        )

    oos_val = [q for q, _ in clinc["oos_val"]]
    oos_test = [q for q, _ in clinc["oos_test"]]
    conf_q = confidences([q for q, _ in queries], qvecs)
    conf_val = confidences(oos_val, embedder.embed(oos_val))
    thresholds = np.round(np.arange(0.0, 1.0, 0.005), 3)
    balanced = np.array([((conf_q[dev] >= t).mean() + (conf_val < t).mean()) / 2 for t in thresholds])
    tied = thresholds[balanced == balanced.max()]
    chosen = float(np.round((tied.min() + tied.max()) / 2, 3))
    progress(f"threshold chosen on dev + oos_val: {chosen} (balanced accuracy {balanced.max():.4f})")

    kb_test = KnowledgeBase(
        kb.store, "stackfaq", lambda: embedder, config=KnowledgeConfig(answer_threshold=chosen)
    )
    oos_vecs = embedder.embed(oos_test)
    answered_heldout = [
        kb_test.answer(q, query_vector=v).answered
        for (q, _), v, is_dev in zip(queries, qvecs, dev, strict=True)
        if not is_dev
    ]
    abstained_oos = [
        not kb_test.answer(q, query_vector=v).answered for q, v in zip(oos_test, oos_vecs, strict=True)
    ]
    conf_oos = confidences(oos_test, oos_vecs)

    report(
        "stackfaq",
        {
            **{k: round(v, 4) for k, v in overall.items()},
            "abstain_oos": round(float(np.mean(abstained_oos)), 4),
            "answer_rate": round(float(np.mean(answered_heldout)), 4),
            "threshold": chosen,
            "threshold_configured_default": threshold_default,
            "at_configured_default": {
                "abstain_oos": round(float((conf_oos < threshold_default).mean()), 4),
                "answer_rate": round(float((conf_q[~dev] >= threshold_default).mean()), 4),
            },
            "answer_rate_all_paraphrases": round(float((conf_q >= chosen).mean()), 4),
            "queries": len(queries),
            "threads": len(threads),
            "chunks": len(index),
            "map_dev_half": round(float(np.mean(1 / r[dev])), 4),
            "map_heldout_half": round(float(np.mean(1 / r[~dev])), 4),
            "fusion": "linear",
            "lexical_weight": LEXICAL_WEIGHT,
            "lexical_weight_chosen_on_dev": chosen_weight,
            "weight_grid_map_dev": {str(w): round(v[0], 4) for w, v in grid.items()},
            "map_rrf": round(float(np.mean(1 / rrf)), 4),
            "map_dense_only": round(float(np.mean(1 / dense_only)), 4) if dense_only is not None else None,
            "embedder": embedder.model_id,
            "splits": "dev = even thread numbers + CLINC oos_val; held out = odd threads + CLINC oos_test",
        },
    )


if __name__ == "__main__":
    main()
