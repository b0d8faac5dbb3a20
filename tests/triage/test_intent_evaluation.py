"""Labels of an evaluation file the model does not know are refused by name, or mapped."""

from __future__ import annotations

import pytest

from relaydesk.domain.errors import InvalidInput
from relaydesk.triage.intent.data import OOS_LABEL, IntentExamples
from relaydesk.triage.intent.evaluation import UnknownLabels, align_labels, parse_label_map

KNOWN = ("refund", "track")
EXAMPLES = IntentExamples(
    texts=("where is it", "money back", "cancel it", "cancel now", "my bill", "weather?"),
    labels=("track", "refund", "cancel", "cancel", "billing", OOS_LABEL),
    name="eval",
)


def test_labels_the_model_does_not_know_are_refused_by_name_with_their_rows() -> None:
    with pytest.raises(UnknownLabels) as raised:
        align_labels(EXAMPLES, KNOWN, source="eval.csv")
    error = raised.value
    assert error.counts == {"cancel": 2, "billing": 1}
    assert '3 rows of "eval.csv" carry 2 labels the model does not know' in error.detail
    assert '"cancel" (2 rows), "billing" (1 row)' in error.detail
    assert "--map LABEL=INTENT" in error.detail and "--unknown-as-oos" in error.detail


def test_known_labels_and_out_of_scope_pass_unchanged() -> None:
    known = IntentExamples(texts=EXAMPLES.texts[:2] + ("x",), labels=("track", "refund", OOS_LABEL))
    assert align_labels(known, KNOWN).labels == ("track", "refund", OOS_LABEL)


def test_unknown_labels_can_count_as_out_of_scope() -> None:
    aligned = align_labels(EXAMPLES, KNOWN, unknown_as_oos=True)
    assert aligned.labels == ("track", "refund", OOS_LABEL, OOS_LABEL, OOS_LABEL, OOS_LABEL)
    assert aligned.texts == EXAMPLES.texts


def test_unknown_labels_can_be_mapped_to_an_intent_or_out_of_scope() -> None:
    aligned = align_labels(EXAMPLES, KNOWN, mapping={"cancel": "refund", "billing": OOS_LABEL})
    assert aligned.labels == ("track", "refund", "refund", "refund", OOS_LABEL, OOS_LABEL)


def test_a_label_left_unmapped_is_still_refused() -> None:
    with pytest.raises(UnknownLabels) as raised:
        align_labels(EXAMPLES, KNOWN, mapping={"cancel": "refund"})
    assert raised.value.counts == {"billing": 1}
    assert '1 row of "eval" carries 1 label' in raised.value.detail


def test_a_map_to_an_intent_the_model_does_not_know_is_refused() -> None:
    wrong = '--map cancel=cancel_order: the model has no intent "cancel_order"'
    with pytest.raises(InvalidInput, match=wrong):
        align_labels(EXAMPLES, KNOWN, mapping={"cancel": "cancel_order", "billing": OOS_LABEL})


def test_a_map_from_a_label_no_row_carries_is_refused() -> None:
    with pytest.raises(InvalidInput, match="--map names a label 'cancle' that no row"):
        align_labels(EXAMPLES, KNOWN, mapping={"cancle": "refund"})


def test_label_maps_are_parsed_and_malformed_ones_refused() -> None:
    assert parse_label_map(["cancel=refund", " billing = oos "]) == {"cancel": "refund", "billing": "oos"}
    for bad in ("cancel", "=refund", "cancel="):
        with pytest.raises(InvalidInput, match="is not LABEL=INTENT"):
            parse_label_map([bad])
