"""Reading sources: files, folders and URLs become ``RawSource`` bytes with a known format.

Every failure is a ``SourceError`` that names the source and the problem, so a batch can report it
and carry on with the other sources.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlparse

import httpx

from relaydesk.domain.errors import InvalidInput
from relaydesk.knowledge.types import RawSource, SourceFormat

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
URL_TIMEOUT_S = 15.0
MAX_REDIRECTS = 5

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


@dataclass(frozen=True, slots=True)
class UrlPolicy:
    """Which URLs the server may fetch for the knowledge base.

    Anyone who can add a source can make the server fetch a URL, so by default it fetches only
    public addresses: a URL whose host resolves to a loopback, private, link-local (cloud metadata)
    or otherwise reserved address is refused, on the first request and on every redirect, and the
    address the connection actually reached is checked again before the body is read (a DNS
    answer that changes between the check and the connection is caught there).
    ``allow_private`` lifts that for an intranet help center; ``hosts``, when given, is the only
    set of hosts (and their subdomains) that may be fetched at all.
    """

    allow_private: bool = False
    hosts: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        hosts = tuple(h.strip().lower().rstrip(".") for h in self.hosts if h.strip())
        object.__setattr__(self, "hosts", hosts)

    def check(self, url: str) -> None:
        """Raise ``SourceError`` when ``url`` may not be fetched; the message says why."""
        parts = urlparse(url)
        try:
            port = parts.port
        except ValueError as exc:
            raise SourceError(f'URL "{url}" has an invalid port') from exc
        host = (parts.hostname or "").lower().rstrip(".")
        if parts.scheme not in ("http", "https") or not host:
            raise SourceError(f'URL "{url}" must be http:// or https:// with a host name')
        if self.hosts and not any(host == h or host.endswith("." + h) for h in self.hosts):
            raise SourceError(
                f'URL "{url}": host "{host}" is not in the allowed hosts ({", ".join(self.hosts)}; '
                "RELAYDESK_KNOWLEDGE_URL_HOSTS)"
            )
        if self.allow_private:
            return
        for address in _addresses(host, port or (443 if parts.scheme == "https" else 80), url):
            self._check_address(url, host, address)

    def check_peer(self, url: str, peer: object) -> None:
        """Refuse a connection that reached a non-public address (``peer``: the socket's address)."""
        if self.allow_private or not isinstance(peer, tuple) or not peer:
            return
        try:
            address = ipaddress.ip_address(str(peer[0]).split("%", 1)[0])
        except ValueError:
            return
        self._check_address(url, urlparse(url).hostname or "", address)

    @staticmethod
    def _check_address(url: str, host: str, address: IpAddress) -> None:
        kind = non_public_kind(address)
        if kind is not None:
            raise SourceError(
                f'URL "{url}": host "{host}" resolves to {address}, not a public address ({kind}); '
                "set RELAYDESK_KNOWLEDGE_URL_ALLOW_PRIVATE=true to ingest from internal hosts"
            )


IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
EMBEDS_IPV4 = tuple(
    ipaddress.ip_network(n)
    for n in ("::/96", "::ffff:0:0:0/96", "64:ff9b::/96", "64:ff9b:1::/48")  # compatible, SIIT, NAT64
)


def non_public_kind(address: IpAddress) -> str | None:
    """Why ``address`` is not a public one (``loopback``, ``private``, ...), or None when it is.

    IPv6 forms that carry an IPv4 address (mapped, compatible, SIIT, NAT64, 6to4, Teredo) are judged by
    the IPv4 address inside them as well.
    """
    candidates: list[IpAddress] = []
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            candidates.append(address.ipv4_mapped)
        if address.sixtofour is not None:
            candidates.append(address.sixtofour)
        if address.teredo is not None:
            candidates.extend(address.teredo)
        if any(address in network for network in EMBEDS_IPV4) and int(address) > 1:
            candidates.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
        if address.is_site_local:
            return "site-local"
    candidates.append(address)  # the IPv4 inside names the kind best, so it goes first
    for candidate in candidates:
        if not candidate.is_global:
            return _kind(candidate)
    return None


def _addresses(host: str, port: int, url: str) -> list[IpAddress]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise SourceError(f'URL "{url}": host "{host}" could not be resolved') from exc
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]


def _kind(address: IpAddress) -> str:
    for kind in ("unspecified", "loopback", "link_local", "multicast", "private"):
        if getattr(address, f"is_{kind}"):
            return kind.replace("_", "-")
    return "non-public"


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
    locator: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    client: httpx.Client | None = None,
    url_policy: UrlPolicy | None = None,
) -> RawSource:
    """The bytes and format of one file or URL; raises ``SourceError`` naming the problem."""
    if is_url(locator):
        return _read_url(locator, max_bytes=max_bytes, client=client, policy=url_policy or UrlPolicy())
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


def _read_url(url: str, *, max_bytes: int, client: httpx.Client | None, policy: UrlPolicy) -> RawSource:
    own_client = client is None
    http = client or httpx.Client(timeout=URL_TIMEOUT_S)
    requested, hops = url, 0
    try:
        while True:
            policy.check(url)  # every hop: a public page must not redirect the server inward
            with http.stream("GET", url, follow_redirects=False) as response:
                stream = response.extensions.get("network_stream")
                if stream is not None:
                    policy.check_peer(url, stream.get_extra_info("server_addr"))
                if response.is_redirect and "location" in response.headers:
                    hops += 1
                    if hops > MAX_REDIRECTS:
                        raise SourceError(f'URL "{requested}" redirected more than {MAX_REDIRECTS} times')
                    url = urljoin(url, response.headers["location"])
                    continue
                body, content_type = _read_body(response, url, max_bytes)
                break
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
    return RawSource(uri=requested, data=body, format=fmt, name=name, charset=charset)


def _read_body(response: httpx.Response, url: str, max_bytes: int) -> tuple[bytes, str]:
    if response.status_code >= 400:
        raise SourceError(f'URL "{url}" answered HTTP {response.status_code}')
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        size = human_size(int(declared))
        raise SourceError(f'URL "{url}" is {size}, over the {human_size(max_bytes)} limit for one source')
    body = bytearray()
    for piece in response.iter_bytes():
        body.extend(piece)
        if len(body) > max_bytes:
            raise SourceError(f'URL "{url}" is over the {human_size(max_bytes)} limit for one source')
    return bytes(body), response.headers.get("content-type", "")


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
