"""Reading sources: files, folders and URLs become ``RawSource`` bytes with a known format.

Every failure is a ``SourceError`` that names the source and the problem, so a batch can report it
and carry on with the other sources.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlparse

import httpx

from relaydesk.domain.errors import InvalidInput
from relaydesk.knowledge.types import RawSource, SourceFormat

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
URL_TIMEOUT_S = 15.0

SUFFIX_FORMATS = {
    ".md": SourceFormat.MARKDOWN,
    ".markdown": SourceFormat.MARKDOWN,
    ".html": SourceFormat.HTML,
    ".htm": SourceFormat.HTML,
    ".pdf": SourceFormat.PDF,
    ".txt": SourceFormat.TEXT,
    ".text": SourceFormat.TEXT,
    ".csv": SourceFormat.FAQ_CSV,
    ".json": SourceFormat.FAQ_JSON,
}
CONTENT_TYPE_FORMATS = {
    "text/html": SourceFormat.HTML,
    "application/xhtml+xml": SourceFormat.HTML,
    "application/pdf": SourceFormat.PDF,
    "text/markdown": SourceFormat.MARKDOWN,
    "text/x-markdown": SourceFormat.MARKDOWN,
    "text/csv": SourceFormat.FAQ_CSV,
    "application/json": SourceFormat.FAQ_JSON,
    "text/plain": SourceFormat.TEXT,
}


class SourceError(InvalidInput):
    """One source could not be read or parsed. The message names the source and the problem."""


def is_url(locator: str) -> bool:
    return locator.startswith(("http://", "https://"))


def expand_locators(inputs: Iterable[str | Path]) -> list[str]:
    """Files and URLs to ingest: folders are walked (supported suffixes, no hidden files), sorted.

    Paths that do not exist are kept, so that reading them reports a precise error.
    """
    out: list[str] = []
    for item in inputs:
        text = str(item)
        if is_url(text):
            out.append(text)
            continue
        path = Path(text).expanduser()
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path)
                if any(part.startswith(".") for part in rel.parts):
                    continue
                if child.is_file() and child.suffix.lower() in SUFFIX_FORMATS:
                    out.append(str(child.resolve()))
        else:
            out.append(str(path.resolve()) if path.exists() else text)
    return list(dict.fromkeys(out))


def human_size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} bytes"


def read_source(
    locator: str, *, max_bytes: int = DEFAULT_MAX_BYTES, client: httpx.Client | None = None
) -> RawSource:
    """The bytes and format of one file or URL; raises ``SourceError`` naming the problem."""
    if is_url(locator):
        return _read_url(locator, max_bytes=max_bytes, client=client)
    return _read_file(Path(locator), max_bytes=max_bytes)


def _read_file(path: Path, *, max_bytes: int) -> RawSource:
    if not path.exists():
        raise SourceError(f'"{path}" does not exist')
    if not path.is_file():
        raise SourceError(f'"{path}" is not a regular file')
    fmt = SUFFIX_FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(SUFFIX_FORMATS))
        raise SourceError(
            f'"{path}" has an unsupported file type "{path.suffix or "(none)"}" (known: {known})'
        )
    size = path.stat().st_size
    if size > max_bytes:
        raise SourceError(
            f'"{path}" is {human_size(size)}, over the {human_size(max_bytes)} limit for one source'
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f'"{path}" could not be read: {exc.strerror or exc}') from exc
    return RawSource(uri=str(path), data=data, format=fmt, name=path.name)


def _read_url(url: str, *, max_bytes: int, client: httpx.Client | None) -> RawSource:
    own_client = client is None
    http = client or httpx.Client(timeout=URL_TIMEOUT_S, follow_redirects=True)
    try:
        with http.stream("GET", url) as response:
            if response.status_code >= 400:
                raise SourceError(f'URL "{url}" answered HTTP {response.status_code}')
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise SourceError(
                    f'URL "{url}" is {human_size(int(declared))}, over the '
                    f"{human_size(max_bytes)} limit for one source"
                )
            body = bytearray()
            for piece in response.iter_bytes():
                body.extend(piece)
                if len(body) > max_bytes:
                    raise SourceError(f'URL "{url}" is over the {human_size(max_bytes)} limit for one source')
            content_type = response.headers.get("content-type", "")
    except httpx.TimeoutException as exc:
        raise SourceError(f'URL "{url}" timed out after {URL_TIMEOUT_S:.0f} s') from exc
    except httpx.HTTPError as exc:
        raise SourceError(f'URL "{url}" could not be fetched ({type(exc).__name__})') from exc
    finally:
        if own_client:
            http.close()
    mime, charset = _parse_content_type(content_type)
    path = urlparse(url).path
    fmt = _url_format(url, path, mime)
    name = Path(path).name or urlparse(url).netloc
    return RawSource(uri=url, data=bytes(body), format=fmt, name=name, charset=charset)


def _parse_content_type(value: str) -> tuple[str, str | None]:
    mime = value.split(";", 1)[0].strip().lower()
    match = re.search(r"charset=\"?([\w.:-]+)", value, flags=re.IGNORECASE)
    return mime, (match.group(1).lower() if match else None)


def _url_format(url: str, path: str, mime: str) -> SourceFormat:
    suffix_fmt = SUFFIX_FORMATS.get(Path(path).suffix.lower())
    if mime == "text/plain" and suffix_fmt is not None:
        return suffix_fmt  # servers often send Markdown and CSV as text/plain
    fmt = CONTENT_TYPE_FORMATS.get(mime) or suffix_fmt
    if fmt is None:
        raise SourceError(f'URL "{url}" has an unsupported content type "{mime or "(none)"}"')
    return fmt
