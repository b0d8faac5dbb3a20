from __future__ import annotations

import json

import pytest

from relaydesk.knowledge.chunking import chunk_articles
from relaydesk.knowledge.fetch import SourceError
from relaydesk.knowledge.parsers import parse_source
from relaydesk.knowledge.types import RawSource, SourceFormat
from tests.knowledge.pdfs import text_pdf


def raw(data: str | bytes, fmt: SourceFormat, name: str = "doc", charset: str | None = None) -> RawSource:
    body = data.encode("utf-8") if isinstance(data, str) else data
    return RawSource(uri=f"/kb/{name}", data=body, format=fmt, name=name, charset=charset)


def test_markdown_sections_keep_their_heading_path_and_front_matter() -> None:
    text = (
        "---\ntitle: Returns guide\nurl: https://help.example/returns\n---\n"
        "# Returning things\n\nIntro line.\n\n## Label costs\n\nA label costs **$6**.\n\n"
        "### Members\n\nMembers pay [nothing](https://x.example).\n\n## Exchanges\n\nSwap sizes.\n"
    )
    [article] = parse_source(raw(text, SourceFormat.MARKDOWN, "returns.md"))
    assert article.title == "Returns guide"
    assert article.url == "https://help.example/returns"
    paths = [(s.headings, s.text) for s in article.sections]
    assert paths == [
        (("Returning things",), "Intro line."),
        (("Returning things", "Label costs"), "A label costs $6."),
        (("Returning things", "Label costs", "Members"), "Members pay nothing."),
        (("Returning things", "Exchanges"), "Swap sizes."),
    ]
    chunk = chunk_articles([article])[2]
    assert chunk.context_text.splitlines()[0] == "Returns guide > Returning things > Label costs > Members"


def test_markdown_setext_headings_count_and_code_fences_do_not() -> None:
    text = "Shipping\n========\n\nWe ship.\n\n```\n# not a heading\n```\n\nCosts\n-----\n\nFree over $50.\n"
    [article] = parse_source(raw(text, SourceFormat.MARKDOWN, "ship.md"))
    assert article.title == "Shipping"
    assert [s.headings for s in article.sections] == [("Shipping",), ("Shipping", "Costs")]
    assert "# not a heading" in article.sections[0].text


def test_html_drops_scripts_and_navigation_and_uses_headings() -> None:
    page = (
        "<html><head><title>Help | Shop</title><script>var secret = 1;</script></head><body>"
        "<nav>Home Products Cart</nav><h1>Gift cards</h1><p>They never expire.</p>"
        "<h2>Balance</h2><p>See it under <b>Account</b>.</p><footer>Copyright</footer></body></html>"
    )
    [article] = parse_source(raw(page, SourceFormat.HTML, "gift.html"))
    assert article.title == "Gift cards"
    assert [(s.headings, s.text) for s in article.sections] == [
        (("Gift cards",), "They never expire."),
        (("Gift cards", "Balance"), "See it under Account."),
    ]
    flat = " ".join(s.text for s in article.sections)
    assert "secret" not in flat and "Cart" not in flat and "Copyright" not in flat


def test_html_declared_charset_is_respected() -> None:
    page = '<html><head><meta charset="iso-8859-1"></head><body><h1>Caf\xe9</h1><p>Cr\xe8me</p></body></html>'
    [article] = parse_source(raw(page.encode("latin-1"), SourceFormat.HTML, "cafe.html"))
    assert article.title == "Café" and article.sections[0].text == "Crème"


def test_pdf_text_layer_is_read_with_its_title() -> None:
    pdf = text_pdf(["Warranty lasts two years.", "Keep your receipt."], title="Warranty terms")
    [article] = parse_source(raw(pdf, SourceFormat.PDF, "warranty.pdf"))
    assert article.title == "Warranty terms"
    body = " ".join(s.text for s in article.sections)
    assert "Warranty lasts two years." in body and "Keep your receipt." in body


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"this is not a pdf at all", "is not a PDF"),
        (text_pdf(["Hello"])[:60], "is not a readable PDF"),
    ],
)
def test_corrupt_pdf_is_a_precise_error(data: bytes, expected: str) -> None:
    with pytest.raises(SourceError) as caught:
        parse_source(raw(data, SourceFormat.PDF, "broken.pdf"))
    assert expected in caught.value.detail and "/kb/broken.pdf" in caught.value.detail


def test_faq_csv_rows_become_articles_cited_by_question() -> None:
    csv_text = "Question,Answer,URL\nCan I pay later?,Yes with PayLater.,https://h.example/later\n,empty,\n"
    articles = parse_source(raw(csv_text, SourceFormat.FAQ_CSV, "faq.csv"))
    assert [(a.title, a.url, a.key) for a in articles] == [
        ("Can I pay later?", "https://h.example/later", "q1")
    ]
    assert articles[0].sections[-1].text == "Yes with PayLater."


def test_faq_csv_without_answer_column_names_the_columns_it_found() -> None:
    with pytest.raises(SourceError, match='needs "question" and "answer" columns \\(found: "q", "reply"\\)'):
        parse_source(raw("q,reply\nx,y\n", SourceFormat.FAQ_CSV, "faq.csv"))


def test_faq_json_accepts_a_list_or_a_faqs_object_with_answer_lists() -> None:
    items = [{"question": "Do you ship abroad?", "answer": ["To Canada.", "Not elsewhere."]}]
    for payload in (items, {"faqs": items}):
        [article] = parse_source(raw(json.dumps(payload), SourceFormat.FAQ_JSON, "faq.json"))
        assert article.title == "Do you ship abroad?"
        assert [s.text for s in article.sections] == ["Do you ship abroad?", "To Canada.", "Not elsewhere."]


def test_invalid_faq_json_names_line_and_column() -> None:
    with pytest.raises(SourceError, match=r"is not valid JSON \(line 2, column 1"):
        parse_source(raw('[{"question": "a",\n}]', SourceFormat.FAQ_JSON, "faq.json"))


def test_non_utf8_text_is_refused_with_the_offending_byte() -> None:
    with pytest.raises(SourceError, match=r"is not valid UTF-8 text \(byte 0xe9 at offset 3\)"):
        parse_source(raw("caf\xe9 au lait".encode("latin-1"), SourceFormat.TEXT, "notes.txt"))


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        ("", SourceFormat.MARKDOWN),
        ("<html><body><script>x()</script></body></html>", SourceFormat.HTML),
        ("   \n\n ", SourceFormat.TEXT),
        ("question,answer\n", SourceFormat.FAQ_CSV),
    ],
)
def test_empty_sources_are_refused(data: str, fmt: SourceFormat) -> None:
    with pytest.raises(SourceError, match="has no text to index"):
        parse_source(raw(data, fmt, "empty"))
