"""FAQ files: every question with its answer is an article of its own, cited by its question."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from relaydesk.knowledge.fetch import SourceError
from relaydesk.knowledge.parsers.text import decode_text, normalise_space
from relaydesk.knowledge.types import ParsedArticle, RawSource, Section

QUESTION_KEYS = ("question", "q", "title")
ANSWER_KEYS = ("answer", "a", "answers", "body")
LIST_KEYS = ("faqs", "faq", "items", "questions", "entries")


def parse_faq_csv(raw: RawSource) -> list[ParsedArticle]:
    text = decode_text(raw)
    try:
        reader = csv.DictReader(io.StringIO(text))
        fields = {(name or "").strip().lower(): name for name in reader.fieldnames or []}
        q_key = next((fields[k] for k in QUESTION_KEYS if k in fields), None)
        a_key = next((fields[k] for k in ANSWER_KEYS if k in fields), None)
        if q_key is None or a_key is None:
            found = ", ".join(f'"{f}"' for f in fields) or "none"
            raise SourceError(f'"{raw.uri}" needs "question" and "answer" columns (found: {found})')
        rows = [{(k or "").strip().lower(): v for k, v in row.items()} for row in reader]
    except csv.Error as exc:
        raise SourceError(f'"{raw.uri}" is not a readable CSV file ({exc})') from exc
    q_name, a_name = q_key.strip().lower(), a_key.strip().lower()
    return _articles(raw, [(r.get(q_name), r.get(a_name), r) for r in rows])


def parse_faq_json(raw: RawSource) -> list[ParsedArticle]:
    try:
        data = json.loads(decode_text(raw))
    except json.JSONDecodeError as exc:
        raise SourceError(
            f'"{raw.uri}" is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})'
        ) from exc
    if isinstance(data, dict):
        data = next((data[k] for k in LIST_KEYS if isinstance(data.get(k), list)), None)
    if not isinstance(data, list):
        raise SourceError(
            f'"{raw.uri}" must hold a list of {{"question", "answer"}} objects (or {{"faqs": [...]}})'
        )
    entries: list[tuple[Any, Any, dict[str, Any]]] = []
    for i, item in enumerate(data):
        if not isinstance(item, dict):
            raise SourceError(f'"{raw.uri}": entry {i} is a {type(item).__name__}, not an object')
        lowered = {str(k).lower(): v for k, v in item.items()}
        question = next((lowered[k] for k in QUESTION_KEYS if k in lowered), None)
        answer = next((lowered[k] for k in ANSWER_KEYS if k in lowered), None)
        entries.append((question, answer, lowered))
    return _articles(raw, entries)


def _articles(raw: RawSource, entries: list[tuple[Any, Any, dict[str, Any]]]) -> list[ParsedArticle]:
    articles: list[ParsedArticle] = []
    for i, (question, answer, extra) in enumerate(entries):
        q = normalise_space(str(question or "")).replace("\n", " ")
        parts = answer if isinstance(answer, list) else [answer]
        answers = [normalise_space(str(p)) for p in parts if p is not None and str(p).strip()]
        if not q or not answers:
            continue
        url = str(extra.get("url") or "") or None
        category = str(extra.get("category") or "").strip()
        headings = (category, q) if category else (q,)
        sections = (Section(headings, q), *(Section(headings, a) for a in answers))
        articles.append(ParsedArticle(title=q, url=url, sections=sections, key=f"q{i + 1}"))
    return articles
