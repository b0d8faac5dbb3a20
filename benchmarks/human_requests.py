"""Requests for a person, read by meaning: how many real requests triage honours (recall) and how
many messages that only use the words in another sense it takes for one (false positives).

Workload: ``benchmarks/data/human_requests.csv``, sentences written for this benchmark the way shop
customers write in a chat, in English, Spanish, French, German and Portuguese, with typos: half ask
for a person ("can i tlak to a humna pls", "quiero hablar con una persona"), half use the same words
in another sense ("is this wig made of human hair?", "the tour operator cancelled my trip", "I am a
sales representative", "are you a real person?"). It is a development set: the readers were
changed while looking at its misses. ``human_requests_heldout.csv`` (120 sentences) was written
afterwards by someone who had seen neither the readers nor the development set; its figures are
reported beside the headline as ``held_out``. Its first run gave recall 56.7% and false requests
3.3%; the reader was then widened while looking at its misses, so later figures are optimistic.

``human_requests_heldout2.csv`` (200 sentences, 40 per language) was written blind afterwards. Its
first run, on the phrase reader, gave recall 72.0% and false requests 6.0% (es and pt recall 60%):
phrase lists did not generalise. The reader was rebuilt by structure (``person_request*.py``:
per-language lexicons of person nouns, contact and hand-over verbs, request markers, and guards for
negation, reports of past contact and other senses, read clause by clause) while looking at sets 1
and 2. ``human_requests_heldout3.csv`` (240 sentences, 48 per language) was then written blind and
run once on the rebuilt reader: recall 86.7%, false requests 4.2% (de recall 66.7%). That first run
is the honest estimate of how the reader generalises; figures after it are optimistic. Its misses
were then read and the lexicons widened by word family (account managers, callbacks, requests
spread over a comma, past reports in es/de, hiring questions). ``human_requests_heldout4.csv`` (200
sentences) was written blind after that and run once: recall 87.0%, false requests 3.0%. Two blind
sets in a row at about 87%: widening the lexicons after each set does not move the next blind set
much, the long tail of phrasings is the limit of a reader by rules.

Each sentence goes through the real triage (``MessageTriage.analyze``: the structural reader
``triage/person_request.py`` and the intent model's guess, refused for a self-description or a
question about the assistant) as the first message of a conversation; ``wants_human`` is the
verdict.

    .venv/bin/python benchmarks/human_requests.py [--show]
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import progress, report, scratch_runtime  # noqa: E402

DATA = Path(__file__).resolve().parent / "data" / "human_requests.csv"
HELD_OUT = Path(__file__).resolve().parent / "data" / "human_requests_heldout.csv"
HELD_OUT_2 = Path(__file__).resolve().parent / "data" / "human_requests_heldout2.csv"
HELD_OUT_3 = Path(__file__).resolve().parent / "data" / "human_requests_heldout3.csv"
HELD_OUT_4 = Path(__file__).resolve().parent / "data" / "human_requests_heldout4.csv"
HELD_OUT_SETS = {
    "held_out": HELD_OUT,
    "held_out_2": HELD_OUT_2,
    "held_out_3": HELD_OUT_3,
    "held_out_4": HELD_OUT_4,
}


def score(rows: list[dict[str, str]], verdicts: list[bool]) -> dict[str, Any]:
    positives = [v for r, v in zip(rows, verdicts, strict=True) if r["request"] == "1"]
    negatives = [v for r, v in zip(rows, verdicts, strict=True) if r["request"] == "0"]
    return {
        "sentences": len(rows),
        "recall": round(sum(positives) / max(len(positives), 1), 4),
        "false_positive_rate": round(sum(negatives) / max(len(negatives), 1), 4),
        "requests": len(positives),
        "other_senses": len(negatives),
    }


def read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def measure(rows: list[dict[str, str]], triage: Any, show: bool) -> dict[str, Any]:
    verdicts = [triage.analyze(row["text"], None).wants_human for row in rows]
    misses = [
        {"text": r["text"], "language": r["language"], "request": r["request"] == "1"}
        for r, v in zip(rows, verdicts, strict=True)
        if v != (r["request"] == "1")
    ]
    if show:
        for miss in misses:
            kind = "missed request" if miss["request"] else "false request"
            print(f"{kind} [{miss['language']}] {miss['text']}", file=sys.stderr)
    by_language: dict[str, tuple[list[dict[str, str]], list[bool]]] = defaultdict(lambda: ([], []))
    for row, verdict in zip(rows, verdicts, strict=True):
        by_language[row["language"]][0].append(row)
        by_language[row["language"]][1].append(verdict)
    return {
        **score(rows, verdicts),
        "per_language": {lang: score(r, v) for lang, (r, v) in sorted(by_language.items())},
        "misses": misses,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show", action="store_true", help="print every miss on stderr")
    args = parser.parse_args()
    development = read(DATA)
    held = {name: read(path) for name, path in HELD_OUT_SETS.items()}
    progress(f"{len(development)} sentences, {sum(len(rows) for rows in held.values())} held out")
    with scratch_runtime("requests") as runtime:
        triage = runtime.capabilities.triage
        result = measure(development, triage, args.show)
        for name, rows in held.items():
            result[name] = measure(rows, triage, args.show)
    report("human_requests", result)


if __name__ == "__main__":
    main()
