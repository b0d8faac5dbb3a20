"""Reading intent examples from YAML and CSV."""

from __future__ import annotations

from pathlib import Path

import pytest

from relaydesk.domain.errors import InvalidInput
from relaydesk.triage.intent.data import OOS_LABEL, load_examples, parse_csv, parse_yaml
from relaydesk.triage.intent.default_model import DEFAULT_INTENTS

YAML = """
version: tiny-1
threshold: 0.4
intents:
  greet:
    description: hello
    examples: [hi, hello there]
  bye: [goodbye, see you]
out_of_scope: [what's the weather]
"""


def test_yaml_gives_examples_labels_threshold_and_out_of_scope() -> None:
    data = parse_yaml(YAML)
    assert data.name == "tiny-1"
    assert data.threshold == 0.4
    assert data.intents == ("bye", "greet")
    assert list(zip(data.texts, data.labels, strict=True))[-1] == ("what's the weather", OOS_LABEL)
    assert data.descriptions == {"greet": "hello"}


def test_csv_reads_intent_and_example_columns() -> None:
    data = parse_csv("intent,example\ngreet,hi\nbye,  see   you \noos,tell me a joke\n")
    assert data.texts == ("hi", "see you", "tell me a joke")
    assert data.labels == ("greet", "bye", OOS_LABEL)


def test_digest_changes_when_an_example_changes() -> None:
    assert parse_yaml(YAML).digest() != parse_yaml(YAML.replace("see you", "see ya")).digest()


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("intents: [1, 2]", "needs a mapping"),
        ("intents:\n  greet: []\n  bye: [x]", 'Intent "greet"'),
        ("intents:\n  greet: [hi]\n  bye: ['  ']", "is not a non-empty string"),
        ("intents:\n  greet: [hi]", "at least 2 are needed"),
        ("intents:\n  greet: [hi]\n  bye: [x]\nthreshold: 3", "threshold 3"),
        ("intents: {greet: [hi", "not valid YAML"),
    ],
)
def test_malformed_yaml_is_refused_with_the_problem_named(source: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_yaml(source)


def test_csv_without_the_needed_columns_names_them() -> None:
    with pytest.raises(InvalidInput, match=r'needs "intent" \(or "label"\) and "example"'):
        parse_csv("label,sentence\ngreet,hi\n")


def test_csv_may_name_its_label_column_label() -> None:
    examples = parse_csv("label,text\ngreet,hi\nbye,goodbye\noos,weather\n")
    assert examples.labels == ("greet", "bye", "oos")


def test_unknown_file_type_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "intents.txt"
    path.write_text("hi")
    with pytest.raises(InvalidInput, match=r"\.yaml, \.yml or \.csv"):
        load_examples(path)


def test_shipped_store_intents_cover_the_demo_store() -> None:
    data = load_examples(DEFAULT_INTENTS)
    assert {"order_status", "cancel_order", "return_item", "human_handoff", "refund_status"} <= set(
        data.intents
    )
    assert 15 <= len(data.intents) <= 25
    per_intent = {i: data.labels.count(i) for i in data.intents}
    assert min(per_intent.values()) >= 12
    assert data.labels.count(OOS_LABEL) >= 10
