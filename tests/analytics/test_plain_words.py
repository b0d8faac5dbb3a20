"""What an agent reads about a customer, in plain words: why a person was brought in (one clause
per kind of reason, no scores or thresholds), how frustrated the customer is, the language by
name and what they asked about."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from relaydesk.analytics.plain_words import (
    LANGUAGE_NAMES,
    REASON_CLAUSES,
    frustration_words,
    language_name,
    plain_reason,
    reason_ids,
    topic_words,
)
from relaydesk.triage.language import DEFAULT_LANGUAGES

POLICY = Path(__file__).resolve().parents[2] / "src/relaydesk/governance/policies/default.yaml"
INTENTS = Path(__file__).resolve().parents[2] / "src/relaydesk/triage/intent/intents.yaml"

# The desk's sentence for an explicit request made while the frustration rules fired too.
FRUSTRATED_AND_ASKED = (
    "The customer asked for a person, which is always honored at once. Also: frustration 0.86 is at "
    "or above 0.75 (rule frustrated_customer); the customer's words: harsh words (frustration 0.86) "
    "(rule harsh_words); frustration 0.86 is at or above 0.30 (rule mildly_frustrated)."
)


def test_a_frustrated_customer_who_asked_for_a_person_reads_as_one_plain_sentence() -> None:
    assert reason_ids(FRUSTRATED_AND_ASKED) == [
        "explicit_request",
        "frustrated_customer",
        "harsh_words",
        "mildly_frustrated",
    ]
    said = plain_reason(reason_ids(FRUSTRATED_AND_ASKED))
    assert said == "The customer is very frustrated and asked for a person."


@pytest.mark.parametrize(
    ("rules", "said"),
    [
        (["mildly_frustrated"], "The customer is somewhat frustrated."),
        (["harsh_words", "mildly_frustrated"], "The customer is upset and used harsh words."),
        (
            ["legal_or_security", "large_amount", "explicit_request"],
            "The customer raised a legal or security matter, mentions a large amount and asked for a person.",
        ),
        (["vip_refund_over_limit"], "Vip refund over limit."),  # a workspace's own rule: its words
        (
            ["key_account", "vip_refund_over_limit"],
            "The customer is a key account. Also: Vip refund over limit.",
        ),
        ([], ""),
    ],
)
def test_each_kind_of_reason_is_said_once_without_numbers(rules: list[str], said: str) -> None:
    assert plain_reason(rules) == said


def test_every_rule_of_the_bundled_policy_has_plain_words() -> None:
    policy = yaml.safe_load(POLICY.read_text(encoding="utf-8"))["escalation"]
    rules = {rule["id"] for family in ("implicit", "policy", "time_turns") for rule in policy[family]}
    assert rules <= set(REASON_CLAUSES), rules - set(REASON_CLAUSES)
    for rule in rules:
        assert not any(ch.isdigit() for ch in plain_reason([rule])), rule


def test_a_sentence_without_rule_ids_has_none() -> None:
    assert reason_ids("A person took it over") == []
    assert reason_ids(None) == []


@pytest.mark.parametrize(
    ("score", "words"),
    [
        (0.94, "very frustrated"),
        (0.75, "very frustrated"),
        (0.6, "frustrated"),
        (0.3, "somewhat frustrated"),
        (0.1, "calm"),
        (None, "calm"),
    ],
)
def test_frustration_reads_as_words(score: float | None, words: str) -> None:
    assert frustration_words(score) == words


def test_languages_and_topics_read_as_words() -> None:
    assert set(DEFAULT_LANGUAGES) <= set(LANGUAGE_NAMES)
    assert [language_name(code) for code in ("en", "pt-BR", "xx", None)] == [
        "English",
        "Portuguese",
        "xx",
        "an unknown language",
    ]
    intents = yaml.safe_load(INTENTS.read_text(encoding="utf-8"))["intents"]
    for intent in intents:
        if intent not in ("greeting", "thanks"):
            assert "_" not in topic_words(intent), intent
    assert topic_words("complaint") == "a complaint"
    assert topic_words("return_item") == "returning an item"
    assert topic_words("loyalty_points") == "loyalty points"
