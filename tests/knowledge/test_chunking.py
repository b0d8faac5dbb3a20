from __future__ import annotations

from relaydesk.knowledge.chunking import chunk_articles, split_passages
from relaydesk.knowledge.types import ParsedArticle, Section


def test_long_text_is_cut_into_passages_within_the_word_limit_losing_nothing() -> None:
    sentences = [f"Sentence number {i} talks about parcel {i} in some detail." for i in range(60)]
    text = " ".join(sentences[:30]) + "\n\n" + " ".join(sentences[30:])
    passages = split_passages(text, max_words=50)
    assert len(passages) > 1
    assert all(len(p.split()) <= 50 for p in passages)
    assert " ".join(passages).split() == text.split()


def test_a_sentence_longer_than_the_limit_is_cut_by_words() -> None:
    words = [f"w{i}" for i in range(130)]
    passages = split_passages(" ".join(words), max_words=50)
    assert [len(p.split()) for p in passages] == [50, 50, 30]


def test_short_paragraphs_are_packed_together() -> None:
    assert split_passages("One.\n\nTwo.\n\nThree.", max_words=50) == ["One.\n\nTwo.\n\nThree."]


def test_chunks_carry_article_and_headings_in_order() -> None:
    article = ParsedArticle(
        title="Guide",
        url="https://h.example/g",
        sections=(Section(("Guide",), "Intro."), Section(("Guide", "Costs"), "Free.")),
    )
    chunks = chunk_articles([article])
    assert [(c.ordinal, c.headings, c.text) for c in chunks] == [
        (0, ("Guide",), "Intro."),
        (1, ("Guide", "Costs"), "Free."),
    ]
    assert chunks[1].context_text == "Guide > Costs\nFree."
    assert all(c.article_url == "https://h.example/g" for c in chunks)
