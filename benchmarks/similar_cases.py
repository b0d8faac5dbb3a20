"""Similar-case search: are the cases it shows about the same problem, and how fast is it?

Workload: BANKING77. Each of the 10,003 train messages becomes a resolved conversation of one
workspace on a SQLite file (conversation, customer message, resolution through the store), placed
in the index with its MiniLM sentence vector, exactly what triage hands the index. Each of the
3,080 test messages is then searched for with ``SimilarCaseFinder.for_text``, the path behind
``POST /v1/agent/cases/search``. A shown case counts as right when its intent is the query's intent,
the closest thing in public data to "a past case about the same problem".

- ``precision_at_1``: share of queries with at least one case shown whose first case is right.
- ``precision_at_5``: mean share of right cases among those shown (up to 5).
- ``coverage``: share of queries with at least one case at or above the similarity threshold.
- ``abstain_unrelated``: share of CLINC150's 1,000 out-of-scope test queries (weather, trivia,
  small talk; nothing to do with banking) for which no case is shown: an agent should see nothing
  rather than noise.
- ``threshold_curve_train``: the same figures by threshold for train messages searched against
  the other train messages (leave-one-out), with ``abstain_unrelated`` on CLINC150's 100
  out-of-scope *validation* queries. The shipped threshold is a design value; this curve, not the
  test sets, is what to read when changing it.
- ``median_ms_search`` / ``p99_ms_search``: ``for_text`` per query, embedding included;
  ``median_ms_rank``: ranking alone, from the query vector, over 10,003 cases.
- ``load_s``: a fresh finder's first search (all vectors read and decoded).

    .venv/bin/python benchmarks/similar_cases.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from benchmarks._common import progress, report  # noqa: E402
from benchmarks._triage_data import banking77, clinc150, embed, sentence_width  # noqa: E402
from relaydesk.cases.similar import MIN_SIMILARITY, OVERLAP_S, SimilarCaseFinder  # noqa: E402
from relaydesk.domain.models import Channel, ConversationStatus, MessageRole, utcnow  # noqa: E402
from relaydesk.embeddings.local import load_embedder  # noqa: E402
from relaydesk.storage.case_store import SqlCaseStore  # noqa: E402
from relaydesk.storage.database import make_engine, upgrade  # noqa: E402
from relaydesk.storage.store import SqlStore  # noqa: E402

LIMIT = 5
CURVE = (0.3, 0.4, 0.5, 0.6, 0.7)


def figures(hits: list[list[bool]]) -> dict[str, float]:
    shown = [h for h in hits if h]
    return {
        "precision_at_1": round(sum(h[0] for h in shown) / max(len(shown), 1), 4),
        "precision_at_5": round(float(np.mean([sum(h) / len(h) for h in shown])) if shown else 0.0, 4),
        "coverage": round(len(shown) / max(len(hits), 1), 4),
    }


def train_curve(
    vectors: np.ndarray, labels: np.ndarray, unrelated: np.ndarray
) -> dict[str, dict[str, float]]:
    """Leave-one-out on train: each message against all the others, at each threshold; and how
    many ``unrelated`` query vectors find nothing."""
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    unrelated_best = (unrelated / np.linalg.norm(unrelated, axis=1, keepdims=True) @ unit.T).max(axis=1)
    top_scores, top_labels = [], []
    for start in range(0, len(unit), 1000):
        scores = unit[start : start + 1000] @ unit.T
        for offset in range(len(scores)):
            scores[offset, start + offset] = -np.inf
        best = np.argsort(-scores, axis=1)[:, :LIMIT]
        top_scores.append(np.take_along_axis(scores, best, axis=1))
        top_labels.append(labels[best])
    s, lab = np.vstack(top_scores), np.vstack(top_labels)
    curve = {}
    for threshold in CURVE:
        hits = [
            [bool(lab[i, j] == labels[i]) for j in range(LIMIT) if s[i, j] >= threshold]
            for i in range(len(labels))
        ]
        curve[str(threshold)] = {
            **figures(hits),
            "abstain_unrelated": round(float((unrelated_best < threshold).mean()), 4),
        }
    return curve


def main() -> None:
    train, test = banking77()
    width = sentence_width()
    train_vectors = embed([t for t, _ in train], "banking77 train")[:, :width]
    train_labels = np.asarray([label for _, label in train])
    clinc = clinc150()
    oos_val = embed([t for t, _ in clinc["oos_val"]], "clinc150 oos_val")[:, :width]
    oos_test = [t for t, _ in clinc["oos_test"]]
    progress("train leave-one-out curve")
    curve = train_curve(train_vectors, train_labels, oos_val)

    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/cases.db")
        upgrade(engine)
        store, cases = SqlStore(engine), SqlCaseStore(engine)
        workspace = store.create_workspace("bench", "Similar-case benchmark")
        intent_of: dict[str, str] = {}
        started = time.perf_counter()
        for i, ((text, label), vector) in enumerate(zip(train, train_vectors, strict=True)):
            customer = store.upsert_customer(workspace.id, external_id=f"c{i}")
            conv = store.create_conversation(workspace.id, customer.id, token=f"t{i}", channel=Channel.WEB)
            store.add_message(conv.id, role=MessageRole.CUSTOMER, text=text, channel=Channel.WEB)
            store.transition(
                conv.id,
                expected=[ConversationStatus.WITH_AI],
                to=ConversationStatus.RESOLVED,
                resolved_at=utcnow(),
            )
            cases.add_to_case(
                conv.id, workspace.id, load_embedder().model_id, vector, seq=1, intent=label, max_messages=3
            )
            intent_of[conv.id] = label
            if (i + 1) % 2000 == 0:
                progress(f"stored {i + 1}/{len(train)} resolved conversations")
        store_s = time.perf_counter() - started

        # Cases pile up over days in a real workspace; here they were written in a minute, and a
        # search re-reads the rows of the last OVERLAP_S seconds. Wait that window out first.
        time.sleep(OVERLAP_S)
        finder = SimilarCaseFinder(cases, load_embedder())
        started = time.perf_counter()
        finder.for_text(workspace.id, "warm up the index", limit=1)
        load_s = time.perf_counter() - started

        hits: list[list[bool]] = []
        times: list[float] = []
        for n, (text, label) in enumerate(test):
            started = time.perf_counter()
            found = finder.for_text(workspace.id, text, limit=LIMIT)
            times.append((time.perf_counter() - started) * 1000)
            hits.append([intent_of[c.conversation_id] == label for c in found])
            if (n + 1) % 1000 == 0:
                progress(f"searched {n + 1}/{len(test)}")

        unrelated_shown = sum(bool(finder.for_text(workspace.id, text, limit=LIMIT)) for text in oos_test)

        query_vectors = load_embedder().embed([t for t, _ in test[:300]])
        rank_times = []
        for vector in query_vectors:
            started = time.perf_counter()
            finder._search(workspace.id, load_embedder().model_id, vector, limit=LIMIT)
            rank_times.append((time.perf_counter() - started) * 1000)
        engine.dispose()

    ordered = sorted(times)
    report(
        "similar_cases",
        {
            **figures(hits),
            "abstain_unrelated": round(1 - unrelated_shown / len(oos_test), 4),
            "threshold": MIN_SIMILARITY,
            "cases": len(train),
            "queries": len(test),
            "median_ms_search": round(statistics.median(times), 2),
            "p99_ms_search": round(ordered[int(0.99 * (len(ordered) - 1))], 2),
            "median_ms_rank": round(statistics.median(rank_times), 2),
            "load_s": round(load_s, 3),
            "store_s": round(store_s, 1),
            "threshold_curve_train": curve,
        },
    )


if __name__ == "__main__":
    main()
