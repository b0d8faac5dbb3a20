"""Markdown: ATX and setext headings become the heading path; front matter may set title and url."""

from __future__ import annotations

import re

from relaydesk.knowledge.parsers.text import decode_text, normalise_space, title_from_name
from relaydesk.knowledge.types import ParsedArticle, RawSource, Section

_ATX = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_SETEXT = re.compile(r"^\s*(=+|-+)\s*$")


def parse_markdown(raw: RawSource) -> list[ParsedArticle]:
    text = decode_text(raw)
    meta, body = split_front_matter(text)
    sections, first_h1 = markdown_sections(body)
    title = meta.get("title") or first_h1 or title_from_name(raw.name)
    url = meta.get("url") or (raw.uri if raw.uri.startswith(("http://", "https://")) else None)
    return [ParsedArticle(title=title, url=url, sections=tuple(sections))]


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """``---`` delimited ``key: value`` lines at the very top (a small, safe subset of YAML)."""
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---", 4)
    if end < 0:
        return {}, text
    meta: dict[str, str] = {}
    for line in text[4:end].split("\n"):
        key, sep, value = line.partition(":")
        if sep and key.strip():
            meta[key.strip().lower()] = value.strip().strip("\"'")
    rest = text[end + 4 :]
    return meta, rest.split("\n", 1)[1] if "\n" in rest else ""


def markdown_sections(body: str) -> tuple[list[Section], str | None]:
    """Sections under their heading path, and the first level-1 heading (the usual title)."""
    sections: list[Section] = []
    path: list[tuple[int, str]] = []
    buffer: list[str] = []
    first_h1: str | None = None
    in_fence = False

    def flush() -> None:
        text = normalise_space(clean_inline("\n".join(buffer)))
        if text:
            sections.append(Section(tuple(h for _, h in path), text))
        buffer.clear()

    for line in setext_to_atx(body.split("\n")):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        atx = None if in_fence else _ATX.match(line)
        if atx is None:
            buffer.append(line)
            continue
        flush()
        level, name = len(atx.group(1)), clean_inline(atx.group(2)).strip()
        if level == 1 and first_h1 is None:
            first_h1 = name
        while path and path[-1][0] >= level:
            path.pop()
        path.append((level, name))
    flush()
    return sections, first_h1


def setext_to_atx(lines: list[str]) -> list[str]:
    """``Title`` over ``=====`` (or ``-----``) becomes ``# Title`` (or ``## Title``)."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line, nxt = lines[i], lines[i + 1] if i + 1 < len(lines) else ""
        starts_block = not out or not out[-1].strip()
        if line.strip() and starts_block and _SETEXT.match(nxt) and not _ATX.match(line):
            out.append(("# " if nxt.strip().startswith("=") else "## ") + line.strip())
            i += 2
            continue
        out.append(line)
        i += 1
    return out


def clean_inline(text: str) -> str:
    """Markdown markup removed, text kept: links keep their words, images and HTML tags go."""
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>\n]+>", "", text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?!\w)", r"\1", text)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = re.sub(r"^\s{0,3}>\s?", "", text, flags=re.MULTILINE)
    return text
