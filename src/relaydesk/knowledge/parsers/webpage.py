"""HTML pages: headings h1-h6 become the heading path; scripts, styles and navigation are dropped."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from relaydesk.knowledge.parsers.text import decode_text, normalise_space, title_from_name
from relaydesk.knowledge.types import ParsedArticle, RawSource, Section

SKIPPED = frozenset({"script", "style", "noscript", "template", "svg", "nav", "header", "footer", "form"})
BLOCKS = frozenset(
    {
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "br",
        "tr",
        "table",
        "section",
        "article",
        "main",
        "blockquote",
        "pre",
        "dd",
        "dt",
        "dl",
        "hr",
        "aside",
        "details",
        "summary",
        "figcaption",
    }
)
HEADINGS = {f"h{i}": i for i in range(1, 7)}
VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "wbr", "source", "area", "col", "base"})
_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([\w.:-]+)", re.IGNORECASE)


class _PageReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.sections: list[Section] = []
        self.path: list[tuple[int, str]] = []
        self.first_h1: str | None = None
        self._text: list[str] = []
        self._heading: list[str] | None = None
        self._heading_level = 0
        self._skip_depth = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED:
            self._skip_depth += 1
        elif tag == "title":
            self._in_title = True
        elif tag in HEADINGS and not self._skip_depth:
            self._flush()
            self._heading, self._heading_level = [], HEADINGS[tag]
        elif tag in BLOCKS:
            self._text.append("\n\n" if tag != "li" and tag != "br" else "\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "hr"):
            self._text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag == "title":
            self._in_title = False
        elif tag in HEADINGS and self._heading is not None:
            name = normalise_space(" ".join(self._heading)).replace("\n", " ")
            level = self._heading_level
            self._heading = None
            if not name:
                return
            if level == 1 and self.first_h1 is None:
                self.first_h1 = name
            while self.path and self.path[-1][0] >= level:
                self.path.pop()
            self.path.append((level, name))
        elif tag in BLOCKS:
            self._text.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif self._skip_depth:
            return
        elif self._heading is not None:
            self._heading.append(data)
        else:
            self._text.append(data)

    def _flush(self) -> None:
        text = normalise_space("".join(self._text))
        if text:
            self.sections.append(Section(tuple(h for _, h in self.path), text))
        self._text.clear()

    def finish(self) -> None:
        self.close()
        self._flush()


def parse_html(raw: RawSource) -> list[ParsedArticle]:
    charset = raw.charset
    if charset is None:
        declared = _META_CHARSET.search(raw.data[:4096])
        charset = declared.group(1).decode("ascii").lower() if declared else None
    reader = _PageReader()
    reader.feed(decode_text(raw, charset))
    reader.finish()
    title = normalise_space(reader.first_h1 or reader.title) or title_from_name(raw.name)
    url = raw.uri if raw.uri.startswith(("http://", "https://")) else None
    return [ParsedArticle(title=title, url=url, sections=tuple(reader.sections))]
