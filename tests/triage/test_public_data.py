"""The intent model on real public data (BANKING77, CLINC150); skipped when ../shared/data is absent."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from relaydesk.triage.intent.calibration import calibrate
from relaydesk.triage.intent.data import OOS_LABEL
from relaydesk.triage.intent.model import fit_model

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
pytestmark = pytest.mark.data


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"public data not found at {path} (../shared/data beside the project)")
    return path


def test_banking77_subset_reads_held_out_queries(embedder) -> None:  # type: ignore[no-untyped-def]
    def rows(name: str) -> list[tuple[str, str]]:
        with _need(DATA / "banking77" / name).open(newline="", encoding="utf-8") as handle:
            return [(r["text"], r["category"]) for r in csv.DictReader(handle)]

    train, test = rows("train.csv"), rows("test.csv")
    intents = sorted({label for _, label in train})[:12]
    train = [r for r in train if r[1] in intents][::2]
    test = [r for r in test if r[1] in intents]
    model = fit_model([t for t, _ in train], [lbl for _, lbl in train], embedder.embed([t for t, _ in train]))
    predictions = model.predict([t for t, _ in test], embedder.embed([t for t, _ in test]))
    accuracy = np.mean([p.best_guess == label for p, (_, label) in zip(predictions, test, strict=True)])
    assert accuracy > 0.85


def test_clinc150_subset_rejects_out_of_scope_queries(embedder) -> None:  # type: ignore[no-untyped-def]
    raw = json.loads(_need(DATA / "clinc150" / "data_full.json").read_text(encoding="utf-8"))
    intents = sorted({label for _, label in raw["train"]})[:15]

    def pick(split: str, oos_split: str, per_intent: int) -> tuple[list[str], list[str]]:
        rows = [(t, lbl) for t, lbl in raw[split] if lbl in intents]
        kept: dict[str, int] = {}
        chosen = []
        for text, label in rows:
            if kept.get(label, 0) < per_intent:
                kept[label] = kept.get(label, 0) + 1
                chosen.append((text, label))
        chosen += [(t, OOS_LABEL) for t, _ in raw[oos_split][:150]]
        return [t for t, _ in chosen], [lbl for _, lbl in chosen]

    texts, labels = pick("train", "oos_train", 40)
    model = fit_model(texts, labels, embedder.embed(texts))
    val_texts, val_labels = pick("val", "oos_val", 20)
    model, _ = calibrate(model, val_texts, val_labels, embedder.embed(val_texts))
    test_texts, test_labels = pick("test", "oos_test", 30)
    predictions = model.predict(test_texts, embedder.embed(test_texts))
    oos = np.asarray(test_labels) == OOS_LABEL
    rejected = np.asarray([not p.in_scope for p in predictions])
    right = np.asarray([p.intent == t for p, t in zip(predictions, test_labels, strict=True)])
    assert rejected[oos].mean() > 0.6
    assert right[~oos].mean() > 0.85
