"""Parsers: one per source format, each turning a ``RawSource`` into articles with sections."""

from __future__ import annotations

from collections.abc import Callable

from relaydesk.knowledge.fetch import SourceError
from relaydesk.knowledge.parsers.faq import parse_faq_csv, parse_faq_json
from relaydesk.knowledge.parsers.markdown import parse_markdown
from relaydesk.knowledge.parsers.pdf import parse_pdf
from relaydesk.knowledge.parsers.text import parse_text
from relaydesk.knowledge.parsers.webpage import parse_html
from relaydesk.knowledge.types import ParsedArticle, RawSource, SourceFormat

PARSERS: dict[SourceFormat, Callable[[RawSource], list[ParsedArticle]]] = {
    SourceFormat.MARKDOWN: parse_markdown,
    SourceFormat.HTML: parse_html,
    SourceFormat.PDF: parse_pdf,
    SourceFormat.TEXT: parse_text,
    SourceFormat.FAQ_CSV: parse_faq_csv,
    SourceFormat.FAQ_JSON: parse_faq_json,
}


def parse_source(raw: RawSource) -> list[ParsedArticle]:
    """The articles of ``raw``; raises ``SourceError`` when it is unreadable or has no text."""
    articles = [a for a in PARSERS[raw.format](raw) if any(s.text.strip() for s in a.sections)]
    if not articles:
        raise SourceError(f'"{raw.uri}" has no text to index (empty page or document)')
    return articles


__all__ = ["parse_source", "PARSERS"]
