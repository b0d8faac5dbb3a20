"""Readers for the triage benchmark sets (BANKING77, CLINC150, USS) and their cached vectors."""

from __future__ import annotations

import csv
import json
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks._common import ROOT, data_path, progress

CACHE = ROOT / "var" / "cache"


def embed(texts: list[str], label: str) -> np.ndarray:
    """MiniLM vectors for ``texts`` in the view the product trains intent models on (the sentence
    vector first, then the extra layer blocks), cached under var/cache so reruns are cheap."""
    from relaydesk.embeddings.local import load_embedder
    from relaydesk.triage.intent.vector_cache import embed_cached
    from relaydesk.triage.intent.vectors import richest_view

    def report(done: int, total: int) -> None:
        if done == total or done % 4096 == 0:
            progress(f"embedding {label}: {done}/{total}")

    embedder = load_embedder()
    return embed_cached(embedder, texts, CACHE, on_progress=report, chunk=1024, view=richest_view(embedder))


def sentence_width() -> int:
    """Columns of the sentence vector at the front of :func:`embed`'s rows."""
    from relaydesk.embeddings.local import load_embedder

    return load_embedder().dimension


def banking77() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(train, test) as lists of (text, intent)."""

    def read(name: str) -> list[tuple[str, str]]:
        with data_path("banking77", name).open(newline="", encoding="utf-8") as handle:
            return [(row["text"], row["category"]) for row in csv.DictReader(handle)]

    return read("train.csv"), read("test.csv")


def clinc150() -> dict[str, list[tuple[str, str]]]:
    """The splits of data_full.json as lists of (text, intent); oos splits carry intent ``oos``."""
    raw = json.loads(data_path("clinc150", "data_full.json").read_text(encoding="utf-8"))
    return {split: [(text, label) for text, label in rows] for split, rows in raw.items()}


def split_validation(
    rows: list[tuple[str, str]], share: float = 0.1, seed: int = 13
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """A stratified (fit, validation) split of training rows with a fixed seed."""
    by_label: dict[str, list[tuple[str, str]]] = {}
    for row in rows:
        by_label.setdefault(row[1], []).append(row)
    rng = random.Random(seed)
    fit, val = [], []
    for label in sorted(by_label):
        group = list(by_label[label])
        rng.shuffle(group)
        cut = max(1, round(len(group) * share))
        val.extend(group[:cut])
        fit.extend(group[cut:])
    return fit, val


@dataclass(frozen=True)
class UssTurn:
    """One rated user turn of a USS dialogue, with what came before it."""

    dialogue: int
    index: int
    """Position among the dialogue's user turns (0 = first)."""
    text: str
    previous_system: str
    previous_user: tuple[str, ...]
    mean_rating: float
    ratings: tuple[int, ...]

    @property
    def dissatisfied(self) -> bool:
        return self.mean_rating < 3

    @property
    def dissatisfied_strict(self) -> bool:
        return round(self.mean_rating) <= 2


def uss(corpus: str) -> list[UssTurn]:
    """Every rated user turn of ``MWOZ`` or ``SGD`` (the OVERALL line is skipped)."""
    text = data_path("uss", f"{corpus}.txt").read_text(encoding="utf-8")
    turns: list[UssTurn] = []
    for number, block in enumerate(part for part in text.split("\n\n") if part.strip()):
        system = ""
        users: list[str] = []
        for line in block.splitlines():
            cells = line.split("\t")
            if len(cells) < 2:
                continue
            role, utterance = cells[0].strip(), cells[1].strip()
            if role == "SYSTEM":
                system = utterance
                continue
            if role != "USER" or utterance == "OVERALL":
                continue
            raw = cells[3] if len(cells) > 3 else ""
            ratings = tuple(int(r) for r in raw.split(",") if r.strip().isdigit())
            if not ratings:
                continue
            turns.append(
                UssTurn(
                    dialogue=number,
                    index=len(users),
                    text=utterance,
                    previous_system=system,
                    previous_user=tuple(users),
                    mean_rating=sum(ratings) / len(ratings),
                    ratings=ratings,
                )
            )
            users.append(utterance)
    return turns


def split_dialogues(
    turns: list[UssTurn], seed: int = 13, test_share: float = 0.2, val_share: float = 0.1
) -> tuple[list[UssTurn], list[UssTurn], list[UssTurn]]:
    """(train, validation, test) turns, split by whole dialogues with a fixed seed."""
    dialogues = sorted({t.dialogue for t in turns})
    random.Random(seed).shuffle(dialogues)
    n_test = round(len(dialogues) * test_share)
    n_val = round(len(dialogues) * val_share)
    test_ids = set(dialogues[:n_test])
    val_ids = set(dialogues[n_test : n_test + n_val])
    train = [t for t in turns if t.dialogue not in test_ids and t.dialogue not in val_ids]
    val = [t for t in turns if t.dialogue in val_ids]
    test = [t for t in turns if t.dialogue in test_ids]
    return train, val, test


def cache_path(name: str) -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    return CACHE / name
