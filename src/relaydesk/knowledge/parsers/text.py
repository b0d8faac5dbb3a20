"""Plain text, and the UTF-8 decoding every text format shares."""

from __future__ import annotations

import re
from pathlib import Path

from relaydesk.knowledge.fetch import SourceError
from relaydesk.knowledge.types import ParsedArticle, RawSource, Section


def decode_text(raw: RawSource, charset: str | None = None) -> str:
    """The text of ``raw``: UTF-8 (a BOM is dropped) unless a charset was declared.

    A file that is not valid UTF-8 is refused with the offset of the first bad byte, rather than
    indexed as mojibake.
    """
    encoding = charset or raw.charset or "utf-8"
    if encoding.replace("-", "").lower() in ("utf8", "usascii", "ascii"):
        encoding = "utf-8"
    try:
        text = raw.data.decode(encoding)
    except LookupError:
        text = _decode_utf8(raw)
    except UnicodeDecodeError as exc:
        shown = "UTF-8" if encoding == "utf-8" else encoding
        raise SourceError(
            f'"{raw.uri}" is not valid {shown} text (byte 0x{raw.data[exc.start]:02x} at offset '
            f"{exc.start}); save it as UTF-8 and add it again"
        ) from exc
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _decode_utf8(raw: RawSource) -> str:
    try:
        return raw.data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(
            f'"{raw.uri}" is not valid UTF-8 text (byte 0x{raw.data[exc.start]:02x} at offset '
            f"{exc.start}); save it as UTF-8 and add it again"
        ) from exc


def title_from_name(name: str) -> str:
    """``shipping-times.md`` -> ``Shipping times``."""
    stem = Path(name).stem if "." in name else name
    words = re.sub(r"[_\-]+", " ", stem).strip()
    return (words[:1].upper() + words[1:]) if words else "Untitled"


def normalise_space(text: str) -> str:
    """Collapse runs of spaces inside lines and of blank lines between paragraphs."""
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def parse_text(raw: RawSource) -> list[ParsedArticle]:
    text = normalise_space(decode_text(raw))
    title = title_from_name(raw.name)
    return [ParsedArticle(title=title, url=_link(raw), sections=(Section((), text),))]


def _link(raw: RawSource) -> str | None:
    return raw.uri if raw.uri.startswith(("http://", "https://")) else None
