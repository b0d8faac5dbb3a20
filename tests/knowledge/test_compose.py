from __future__ import annotations

from relaydesk.domain.errors import RelaydeskError
from relaydesk.embeddings.local import OnnxSentenceEmbedder
from relaydesk.knowledge import MISSING_KNOWLEDGE, GroundedLLMComposer, InMemoryKnowledgeStore, KnowledgeBase
from relaydesk.knowledge.compose import ExtractiveComposer, trim_passage
from relaydesk.knowledge.types import Passage
from relaydesk.testing import ScriptedLLM

PASSAGES = [
    Passage("Refunds", "https://h.example/refunds", "Card refunds take 3 to 10 business days."),
    Passage("Gift cards", None, "Gift card refunds are immediate."),
]


def test_a_long_passage_is_trimmed_to_the_sentences_that_match() -> None:
    filler = " ".join(f"Unrelated sentence {i} about our company history." for i in range(20))
    text = f"{filler} Gift cards never expire and carry no fees. {filler}"
    trimmed = trim_passage("do gift cards expire", text, max_chars=200)
    assert "Gift cards never expire and carry no fees." in trimmed
    assert len(trimmed) <= 200


def test_extractive_answer_quotes_the_best_passage_with_title_and_link() -> None:
    answer = ExtractiveComposer().compose("how long do refunds take", PASSAGES, confidence=0.7, threshold=0.5)
    assert answer.text == (
        "Card refunds take 3 to 10 business days.\n\nSource: Refunds (https://h.example/refunds)"
    )
    assert [c.title for c in answer.citations] == ["Refunds"]


def test_llm_answer_is_grounded_in_numbered_passages_and_cites_them() -> None:
    llm = ScriptedLLM(["Card refunds take 3 to 10 business days [1]; gift cards are instant [2]."])
    answer = GroundedLLMComposer(llm).compose("refund timing?", PASSAGES, confidence=0.7, threshold=0.5)
    assert answer.answered and answer.composer == "llm:scripted"
    assert [c.title for c in answer.citations] == ["Refunds", "Gift cards"]
    assert answer.text is not None and answer.text.endswith(
        "Sources:\n[1] Refunds (https://h.example/refunds)\n[2] Gift cards"
    )
    system, user = llm.calls[0].messages
    assert "ONLY the numbered passages" in system.content and "NO_ANSWER" in system.content
    assert "[1] Refunds\nCard refunds take 3 to 10 business days." in user.content
    assert user.content.endswith("Customer question: refund timing?")


def test_llm_refusal_or_uncited_reply_becomes_missing_knowledge() -> None:
    for reply in ("NO_ANSWER", "Refunds are quick, I think."):
        answer = GroundedLLMComposer(ScriptedLLM([reply])).compose(
            "x?", PASSAGES, confidence=0.7, threshold=0.5
        )
        assert not answer.answered and answer.abstain_reason == MISSING_KNOWLEDGE


def test_llm_failure_falls_back_to_quoting() -> None:
    llm = ScriptedLLM([RelaydeskError("endpoint down")])
    answer = GroundedLLMComposer(llm).compose("refunds?", PASSAGES, confidence=0.7, threshold=0.5)
    assert answer.answered and answer.text is not None and answer.text.startswith("Card refunds take")
    assert "LLM unavailable (endpoint down); quoted instead" in answer.reasons


def test_the_llm_is_not_asked_when_retrieval_confidence_is_below_threshold(
    embedder: OnnxSentenceEmbedder,
) -> None:
    llm = ScriptedLLM(["Parking is free [1]."])
    kb = KnowledgeBase(InMemoryKnowledgeStore(), "ws", lambda: embedder, composer=GroundedLLMComposer(llm))
    kb.add_content("parking.md", "# Parking\n\nCustomer parking is free for two hours.\n")
    assert not kb.answer("who won the football world cup in 1998").answered
    assert llm.calls == []
    answer = kb.answer("is customer parking free?")
    assert answer.answered and len(llm.calls) == 1
    assert "Customer parking is free for two hours." in llm.calls[0].messages[1].content


def test_the_llm_never_sees_the_customers_personal_data_but_keeps_the_articles_contact_details() -> None:
    passages = [
        Passage("Contact", None, "Call our refunds desk on +1 (555) 010-4477 or write to help@shop.example.")
    ]
    question = (
        "I paid with 4111 1111 1111 1111, my email is jo.doe@mail.example and I live at "
        "12 Baker Street, how do I reach the refunds desk?"
    )
    llm = ScriptedLLM(["Call +1 (555) 010-4477 [1]."])
    answer = GroundedLLMComposer(llm).compose(question, passages, confidence=0.7, threshold=0.5)
    assert answer.answered
    sent = llm.calls[0].messages[1].content
    for secret in ("4111 1111 1111 1111", "jo.doe@mail.example", "12 Baker Street"):
        assert secret not in sent
    assert "[card ending 1111]" in sent and "[email]" in sent and "[address]" in sent
    assert "+1 (555) 010-4477" in sent and "help@shop.example" in sent


def test_masking_can_be_turned_off_for_a_self_hosted_model() -> None:
    llm = ScriptedLLM(["Write to us [1]."])
    GroundedLLMComposer(llm, redact=None).compose(
        "my email is jo.doe@mail.example", PASSAGES, confidence=0.7, threshold=0.5
    )
    assert "jo.doe@mail.example" in llm.calls[0].messages[1].content
