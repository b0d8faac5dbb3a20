"""The words people read for reason ids and priorities: every bundled rule and family has one, an
unknown id reads as its words, priorities read Normal to Urgent, and the JSON and the HTML report
show the words with the ids kept (the CSV keeps the ids)."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from relaydesk.analytics.export import kpis_csv, kpis_dict
from relaydesk.analytics.kpis import Kpis, ReasonCount, kpis_of
from relaydesk.analytics.labels import (
    FAMILY_LABELS,
    RULE_LABELS,
    family_label,
    labels_script,
    priority_label,
    reason_label,
)
from relaydesk.analytics.plain_words import script_data
from relaydesk.analytics.report_html import kpis_html

POLICY = Path(__file__).resolve().parents[2] / "src/relaydesk/governance/policies/default.yaml"


def _kpis() -> Kpis:
    empty = kpis_of([], "ws", datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 8, tzinfo=UTC))
    return dataclasses.replace(
        empty,
        conversations=4,
        reasons_by_rule=(ReasonCount("agent_claim", 2, 0.5), ReasonCount("legal_or_security", 1, 0.25)),
        reasons_by_family=(ReasonCount("agent", 2, 0.5), ReasonCount("policy", 1, 0.25)),
    )


def test_every_rule_and_family_of_the_bundled_policy_has_a_label() -> None:
    policy = yaml.safe_load(POLICY.read_text(encoding="utf-8"))["escalation"]
    rules = {rule["id"] for family in ("implicit", "policy", "time_turns") for rule in policy[family]}
    assert rules <= set(RULE_LABELS), rules - set(RULE_LABELS)
    assert {"explicit", "implicit", "policy", "time_turns", "agent", "recovery"} <= set(FAMILY_LABELS)
    assert all("_" not in label for label in [*RULE_LABELS.values(), *FAMILY_LABELS.values()])


@pytest.mark.parametrize(
    ("rule", "label"),
    [
        ("agent_claim", "Agent took over"),
        ("explicit_request", "Asked for a person"),
        ("billing_page_asks_again", "Asked again on billing page"),
        ("vip_refund_over_limit", "Vip refund over limit"),  # a workspace's own rule: its words
        ("", "Not recorded"),
    ],
)
def test_a_rule_reads_as_words(rule: str, label: str) -> None:
    assert reason_label(rule) == label


def test_priority_reads_normal_to_urgent_with_3_and_above_most_urgent() -> None:
    assert [priority_label(n) for n in (0, 1, 2, 3, 7, 10)] == [
        "Normal",
        "Elevated",
        "High",
        "Urgent",
        "Urgent",
        "Urgent",
    ]
    assert family_label("time_turns") == "Time or reply limits"


def test_the_json_gives_each_reason_its_label_beside_its_id() -> None:
    data = kpis_dict(_kpis())
    assert data["reasons_by_rule"][0] == {
        "name": "agent_claim",
        "label": "Agent took over",
        "count": 2,
        "rate": 0.5,
    }
    assert data["reasons_by_family"][1]["label"] == "Topic, amount or customer"


def test_the_html_report_shows_labels_with_the_ids_in_titles_and_the_csv_keeps_ids() -> None:
    page = kpis_html(_kpis(), [], title="Desk", chart_js="")
    table = page[page.index('<figure id="fig-reasons">') : page.index("</figure>", page.index("fig-reasons"))]
    assert '<th scope="row" title="agent_claim">Agent took over</th>' in table
    assert '<th scope="row" title="family: policy">Topic, amount or customer</th>' in table
    # the rules and their kinds are two groups, each adding up to the handed-over total, never mixed
    rules, kinds = table.index(">Why a person was brought in<"), table.index(">Kind of reason<")
    assert rules < table.index('title="agent_claim"') < kinds < table.index('title="family: policy"')
    assert "Kind:" not in table and "<tfoot>" in table and "Handed to a person" in table
    assert "agent_claim</th>" not in table
    data = re.search(r'id="kpi-data">(.*?)</script>', page, re.DOTALL)
    assert data is not None
    assert json.loads(data.group(1))["reasons"]["labels"] == ["Agent took over", "Legal or security"]
    assert "reasons_by_rule.agent_claim" in kpis_csv(_kpis(), [])  # the export keeps the ids


def test_the_labels_script_carries_the_same_table() -> None:
    script = labels_script()
    assert "globalThis.relaydeskLabels" in script
    data = json.loads(re.search(r"var data = (\{.*?\});\n", script, re.DOTALL).group(1))  # type: ignore[union-attr]
    assert data == {
        "rules": RULE_LABELS,
        "families": FAMILY_LABELS,
        "priorities": ["Normal", "Elevated", "High", "Urgent"],
        "plain": script_data(),  # plain words for agents (analytics/plain_words.py)
    }
