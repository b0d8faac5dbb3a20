from __future__ import annotations

from pathlib import Path

import pytest

from relaydesk.embeddings.local import OnnxSentenceEmbedder
from relaydesk.knowledge import IngestStatus, InMemoryKnowledgeStore, KnowledgeBase, KnowledgeConfig
from relaydesk.knowledge.fetch import SourceError, UrlPolicy
from tests.knowledge.pdfs import text_pdf


def write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def by_name(report) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {Path(o.uri).name: o for o in report.outcomes}


def test_a_bad_source_is_reported_and_the_rest_of_the_batch_is_ingested(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    write(tmp_path, "good.md", "# Gift cards\n\nGift cards never expire and carry no fees.\n")
    write(tmp_path, "manual.pdf", text_pdf(["The kettle switches off when the water boils."]))
    write(tmp_path, "broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n%%EOF garbage")
    write(tmp_path, "latin1.txt", "Cr\xe8me br\xfbl\xe9e".encode("latin-1"))
    write(tmp_path, "empty.html", "<html><body></body></html>")
    report = kb.add([tmp_path, tmp_path / "missing.md"])
    outcomes = by_name(report)
    assert outcomes["good.md"].status is IngestStatus.ADDED
    assert outcomes["manual.pdf"].status is IngestStatus.ADDED
    assert "not a readable PDF" in outcomes["broken.pdf"].error
    assert "not valid UTF-8 text (byte 0xe8 at offset 2)" in outcomes["latin1.txt"].error
    assert "has no text to index" in outcomes["empty.html"].error
    assert outcomes["missing.md"].error == f'"{tmp_path / "missing.md"}" does not exist'
    assert {s.title for s in kb.sources()} == {"Gift cards", "Manual"}
    assert kb.search("does my gift card expire").articles[0].title == "Gift cards"
    assert kb.search("when does the kettle turn off").articles[0].title == "Manual"


def test_a_file_over_the_size_limit_is_refused_with_the_limit(
    embedder: OnnxSentenceEmbedder, tmp_path: Path
) -> None:
    kb = KnowledgeBase(
        InMemoryKnowledgeStore(), "ws", lambda: embedder, config=KnowledgeConfig(max_source_bytes=2048)
    )
    big = write(tmp_path, "big.txt", "word " * 1000)
    [outcome] = kb.add([big]).outcomes
    assert outcome.status is IngestStatus.FAILED
    assert outcome.error == f'"{big}" is 4.9 KB, over the 2.0 KB limit for one source'
    assert kb.sources() == []
    too_big = kb.add_content("pasted.md", "# Big\n\n" + "word " * 1000)
    assert too_big.status is IngestStatus.FAILED and "over the 2.0 KB limit" in (too_big.error or "")


def test_unchanged_sources_are_skipped_and_changed_ones_replace_their_chunks(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    doc = write(tmp_path, "returns.md", "# Returns\n\nReturns are accepted within 30 days.\n")
    assert kb.add([doc]).outcomes[0].status is IngestStatus.ADDED
    assert kb.add([doc]).outcomes[0].status is IngestStatus.UNCHANGED
    write(
        tmp_path,
        "returns.md",
        "# Returns\n\nReturns are accepted within 60 days.\n\n## Labels\n\nLabels are free.\n",
    )
    updated = kb.add([doc]).outcomes[0]
    assert updated.status is IngestStatus.UPDATED and updated.chunks == 2
    [source] = kb.sources()
    assert source.chunk_count == 2
    texts = [c.chunk.text for c in kb.search("how many days do I have to return", chunks=10).chunks]
    assert "Returns are accepted within 60 days." in texts
    assert "Returns are accepted within 30 days." not in texts


def test_folders_are_walked_skipping_hidden_and_unsupported_files(kb: KnowledgeBase, tmp_path: Path) -> None:
    write(tmp_path, "a/one.md", "# One\n\nFirst article text.\n")
    write(tmp_path, "a/b/two.txt", "Second article text.\n")
    write(tmp_path, "a/.drafts/three.md", "# Draft\n\nNot published.\n")
    write(tmp_path, "a/image.png", b"\x89PNG")
    report = kb.add([tmp_path / "a"])
    assert sorted(Path(o.uri).name for o in report.outcomes) == ["one.md", "two.txt"]
    assert report.count(IngestStatus.ADDED) == 2


def test_progress_is_reported_after_each_source(kb: KnowledgeBase, tmp_path: Path) -> None:
    for i in range(3):
        write(tmp_path, f"doc{i}.md", f"# Doc {i}\n\nText of document {i}.\n")
    seen: list[tuple[int, int, str]] = []
    kb.add([tmp_path], progress=lambda done, total, o: seen.append((done, total, o.status.value)))
    assert seen == [(1, 3, "added"), (2, 3, "added"), (3, 3, "added")]


def test_urls_are_fetched_and_failing_urls_are_precise_errors(
    intranet_kb: KnowledgeBase, web: tuple[str, Path]
) -> None:
    kb = intranet_kb
    base, root = web
    write(root, "help/shipping.html", "<h1>Shipping</h1><p>Parcels leave within one business day.</p>")
    write(root, "help/faq.md", "# FAQ\n\n## Pets\n\nPets are welcome in our stores.\n")
    urls = [f"{base}/help/shipping.html", f"{base}/help/faq.md", f"{base}/nope.html", f"{base}/broken/x.html"]
    outcomes = kb.add(urls).outcomes
    assert [o.status for o in outcomes[:2]] == [IngestStatus.ADDED, IngestStatus.ADDED]
    assert outcomes[2].error == f'URL "{base}/nope.html" answered HTTP 404'
    assert outcomes[3].error == f'URL "{base}/broken/x.html" answered HTTP 500'
    hit = kb.search("how fast do parcels leave").articles[0]
    assert (hit.title, hit.url) == ("Shipping", f"{base}/help/shipping.html")


def test_an_unreachable_url_is_a_precise_error(intranet_kb: KnowledgeBase) -> None:
    [outcome] = intranet_kb.add(["http://127.0.0.1:9/help.html"]).outcomes
    assert outcome.error == 'URL "http://127.0.0.1:9/help.html" could not be fetched (ConnectError)'


def test_internal_addresses_are_refused_by_default(kb: KnowledgeBase, web: tuple[str, Path]) -> None:
    base, root = web
    write(root, "secret.md", "# Internal\n\nThe admin password is hunter2.\n")
    [outcome] = kb.add([f"{base}/secret.md"]).outcomes
    assert outcome.status is IngestStatus.FAILED
    assert outcome.error == (
        f'URL "{base}/secret.md": host "127.0.0.1" resolves to 127.0.0.1, not a public address (loopback); '
        "set RELAYDESK_KNOWLEDGE_URL_ALLOW_PRIVATE=true to ingest from internal hosts"
    )
    assert kb.sources() == []


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://10.1.2.3/help.html", "private"),
        ("http://192.168.0.10:8080/faq.md", "private"),
        ("http://[::1]/help.html", "loopback"),
        ("http://[::ffff:127.0.0.1]/help.html", "loopback"),
        ("http://0.0.0.0/help.html", "unspecified"),
        ("http://localhost/help.html", "loopback"),
        ("http://[::ffff:0:7f00:1]/", "loopback"),  # IPv4-translated (SIIT)
        ("http://[64:ff9b::a9fe:a9fe]/", "link-local"),  # NAT64 of 169.254.169.254
        ("http://[2002:7f00:1::]/", "loopback"),  # 6to4
        ("http://[fec0::1]/", "site-local"),
    ],
)
def test_the_url_policy_names_the_kind_of_internal_address(url: str, kind: str) -> None:
    with pytest.raises(SourceError, match=f"not a public address \\({kind}\\)"):
        UrlPolicy().check(url)


def test_public_addresses_and_allowed_hosts() -> None:
    UrlPolicy().check("https://93.184.215.14/help")  # a public address literal: no DNS needed
    only = UrlPolicy(allow_private=True, hosts=("help.example.com",))
    only.check("https://help.example.com/a")
    only.check("https://eu.help.example.com/a")
    with pytest.raises(SourceError, match='host "evil-help.example.com" is not in the allowed hosts'):
        only.check("https://evil-help.example.com/a")
    with pytest.raises(SourceError, match="must be http:// or https://"):
        UrlPolicy().check("file:///etc/passwd")
    with pytest.raises(SourceError, match="has an invalid port"):
        UrlPolicy().check("http://help.example.com:99999/")
    assert UrlPolicy(hosts=(" Help.Example.com. ",)).hosts == ("help.example.com",)


def test_the_address_a_connection_reached_is_checked_too() -> None:
    """A DNS answer may change between the check and the connection (rebinding)."""
    UrlPolicy().check_peer("https://help.example.com/a", ("93.184.215.14", 443))
    with pytest.raises(SourceError, match=r"resolves to 10\.0\.0\.7, not a public address \(private\)"):
        UrlPolicy().check_peer("https://help.example.com/a", ("10.0.0.7", 443))
    UrlPolicy(allow_private=True).check_peer("https://help.example.com/a", ("10.0.0.7", 443))


def test_every_redirect_is_checked(embedder: OnnxSentenceEmbedder, web: tuple[str, Path]) -> None:
    base, root = web
    write(root, "help/shipping.html", "<h1>Shipping</h1><p>Parcels leave within one business day.</p>")
    port = base.rsplit(":", 1)[1]
    pinned = UrlPolicy(allow_private=True, hosts=("127.0.0.1",))
    kb = KnowledgeBase(
        InMemoryKnowledgeStore(), "ws", lambda: embedder, config=KnowledgeConfig(url_policy=pinned)
    )
    followed, refused = kb.add(
        [
            f"{base}/moved?to=/help/shipping.html",
            f"{base}/moved?to=http://localhost:{port}/help/shipping.html",
        ]
    ).outcomes
    assert followed.status is IngestStatus.ADDED and followed.uri == f"{base}/moved?to=/help/shipping.html"
    assert refused.error == (
        f'URL "http://localhost:{port}/help/shipping.html": host "localhost" is not in the allowed hosts '
        "(127.0.0.1; RELAYDESK_KNOWLEDGE_URL_HOSTS)"
    )


def test_pasted_content_is_ingested_under_its_name(kb: KnowledgeBase) -> None:
    outcome = kb.add_content("loyalty.md", "# Loyalty points\n\nEvery dollar earns one point.\n")
    assert (outcome.uri, outcome.status, outcome.title) == (
        "upload:loyalty.md",
        IngestStatus.ADDED,
        "Loyalty points",
    )
    assert kb.search("how many points per dollar").articles[0].title == "Loyalty points"
