"""Routing rules files: the bundled one loads; a wrong one is refused with its file, line and reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from relaydesk.routing.rules import DEFAULT_RULES, load_routing_rules, parse_routing_rules
from relaydesk.rules_files.reader import PolicyFileError

GOOD = """\
version: shop-routing-3
service_levels:
  standard: 600
  vip: 120
min_agent_tier:
  vip: 3
relax_after:
  language: 1.0
intent_skills:
  refund_status: refunds
  order_status: [orders, shipping]
weights:
  idle: 0
auto_assign: false
handle_time_s: 300
"""


def test_bundled_rules_load() -> None:
    rules = load_routing_rules()
    assert rules.version == "routing-2026.1" and rules.auto_assign
    assert rules.preferred_skills("payment_problem") == ("payments", "billing")
    assert rules.min_agent_tier["vip"] == 2
    assert load_routing_rules(DEFAULT_RULES).digest == rules.digest


def test_a_custom_file_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "routing.yaml"
    path.write_text(GOOD)
    rules = load_routing_rules(path)
    assert rules.version == "shop-routing-3"
    assert rules.service_level_s("vip", 1) == pytest.approx(60)
    assert rules.service_level_s("premium", 0) == 600  # falls back to standard
    assert rules.preferred_skills("refund_status") == ("refunds",)
    assert rules.weights["idle"] == 0 and rules.weights["skill"] == 1.0
    assert not rules.auto_assign and rules.handle_time_s == 300
    assert rules.relaxes("language", 600, 600) and not rules.relaxes("language", 599, 600)
    assert not rules.relaxes("skills", 10_000, 600)  # not listed: never widened


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (GOOD.replace("auto_assign: false", "auto_asign: false"), 14, 'unknown field "auto_asign"'),
        (GOOD.replace("  vip: 120", "  gold: 120"), 4, 'unknown customer tier "gold"'),
        (GOOD.replace("  standard: 600", "  standard: -5"), 3, "a number of seconds above 0"),
        (GOOD.replace("  standard: 600\n", ""), 2, 'needs "standard"'),
        (GOOD.replace("  vip: 3", "  vip: 4"), 6, "an agent tier from 1 to 3"),
        (GOOD.replace("  language: 1.0", "  timezone: 1.0"), 8, 'unknown field "timezone" in relax_after'),
        (GOOD.replace("  language: 1.0", "  language: -1"), 8, "share of the service level"),
        (GOOD.replace("refund_status: refunds", "refund_status: []"), 10, 'skills of intent "refund_status"'),
        (GOOD.replace("  idle: 0", "  idle: -1"), 13, "must be from 0 to 1000"),
        (GOOD.replace("  idle: 0", "  idle: .inf"), 13, "must be a finite number"),
        (GOOD.replace("  idle: 0", "  idle: " + "9" * 400), 13, "must be a finite number"),
        (GOOD.replace("  standard: 600", "  standard: .inf"), 3, "at most 2,592,000"),
        (GOOD.replace("  standard: 600", "  standard: " + "9" * 400), 3, "at most 2,592,000"),
        (GOOD.replace("  standard: 600", "  standard: 100000000000000"), 3, "at most 2,592,000"),
        (GOOD.replace("handle_time_s: 300", "handle_time_s: .nan"), 15, "must be a number, got nan"),
        (GOOD.replace("handle_time_s: 300", "handle_time_s: 99999999999"), 15, "at most 2,592,000"),
        (GOOD.replace("version: shop-routing-3", "version: true"), 1, "a non-empty text"),
        (GOOD + "description: [1, 2]\n", 16, '"description" in the routing rules must be a text'),
        (
            GOOD.replace("handle_time_s: 300", "handle_time_s: 0"),
            15,
            '"handle_time_s" must be above 0 and at most',
        ),
        (GOOD.replace("version: shop-routing-3\n", ""), 1, 'needs the field "version"'),
        ("version: a\nservice_levels: 5\n", 2, "must map customer tiers"),
        ("- just\n- a list\n", 1, "a routing rules file must be a mapping"),
        ("version: [unclosed\n", 2, "not valid YAML"),
    ],
)
def test_bad_rules_are_refused_with_the_line(text: str, line: int, words: str) -> None:
    with pytest.raises(PolicyFileError) as caught:
        parse_routing_rules(text, "routing.yaml")
    assert caught.value.file == "routing.yaml"
    assert words in caught.value.reason, caught.value.reason
    assert caught.value.line == line, str(caught.value)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(PolicyFileError) as caught:
        load_routing_rules(tmp_path / "nope.yaml")
    assert "nope.yaml" in str(caught.value) and "cannot be read" in str(caught.value)
