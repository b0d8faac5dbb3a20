"""PDF documents with a text layer, read by pypdf. Each page's text joins the document body."""

from __future__ import annotations

import io
import logging

from relaydesk.knowledge.fetch import SourceError
from relaydesk.knowledge.parsers.text import normalise_space, title_from_name
from relaydesk.knowledge.types import ParsedArticle, RawSource, Section


def parse_pdf(raw: RawSource) -> list[ParsedArticle]:
    from pypdf import PdfReader

    if not raw.data.lstrip()[:5].startswith(b"%PDF"):
        raise SourceError(f'"{raw.uri}" is not a PDF (it does not start with %PDF)')
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(raw.data), strict=False)
        if reader.is_encrypted:
            raise SourceError(f'"{raw.uri}" is an encrypted PDF; remove the password and add it again')
        pages = [page.extract_text() or "" for page in reader.pages]
        meta_title = (reader.metadata.title if reader.metadata else None) or ""
    except SourceError:
        raise
    except Exception as exc:  # pypdf raises many types for damaged files
        raise SourceError(f'"{raw.uri}" is not a readable PDF ({type(exc).__name__}: {exc})') from exc
    sections = tuple(Section((), normalise_space(text)) for text in pages if text.strip())
    if not sections:
        raise SourceError(f'"{raw.uri}" has no text layer (a scanned PDF?); nothing to index')
    title = normalise_space(str(meta_title)) or title_from_name(raw.name)
    url = raw.uri if raw.uri.startswith(("http://", "https://")) else None
    return [ParsedArticle(title=title, url=url, sections=sections)]
