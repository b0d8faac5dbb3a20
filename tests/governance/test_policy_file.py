"""Policy files: the default loads; a bad file is refused with its file, line and reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from relaydesk.governance.policy import DEFAULT_POLICY, load_policy, parse_policy
from relaydesk.rules_files.reader import PolicyFileError

HEAD = "version: t1\nescalation:\n"


def refused(text: str) -> PolicyFileError:
    with pytest.raises(PolicyFileError) as caught:
        parse_policy(text, "team.yaml")
    return caught.value


def test_the_default_policy_loads_with_a_version_and_every_family() -> None:
    policy = load_policy()
    assert policy.version == "default-2025.2" and policy.label.startswith("default-2025.2#")
    families = {str(r.family) for r in policy.escalation.rules}
    assert families == {"implicit", "policy", "time_turns"}
    assert {r.id for r in policy.actions.amount_limits} == {"refund_approval"}
    assert policy.source == str(DEFAULT_POLICY)


def test_an_unknown_field_is_refused_with_file_line_and_reason() -> None:
    error = refused(HEAD + "  implicit:\n    - id: angry\n      kind: frustration\n      threshhold: 0.8\n")
    assert (error.file, error.line) == ("team.yaml", 6)
    assert 'unknown field "threshhold"' in error.reason and "threshold" in error.reason
    assert str(error).startswith("team.yaml, line 6: ")


def test_an_unknown_top_level_section_is_refused() -> None:
    assert refused("version: 1\nescalations: {}\n").line == 2


@pytest.mark.parametrize(
    ("rule", "line", "words"),
    [
        ("    - {id: a, kind: frustration, threshold: -0.1}", 4, "bad threshold"),
        ("    - {id: a, kind: frustration, threshold: high}", 4, "must be a number"),
        ("    - {id: a, kind: frustration, threshold: true}", 4, "must be a number"),
        ("    - {id: a, kind: frustration, threshold: 1.5}", 4, "can never fire"),
        ("    - {id: a, kind: repeated_question, similarity: 1.2}", 4, "can never fire"),
        ("    - {id: a, kind: failed_attempts, max_failures: 0}", 4, "bad threshold"),
        ("    - {id: a, kind: failed_attempts, responders: []}", 4, "can never fire"),
    ],
)
def test_implicit_rules_with_bad_or_impossible_thresholds_are_refused(
    rule: str, line: int, words: str
) -> None:
    error = refused(HEAD + "  implicit:\n" + rule + "\n")
    assert error.line == line and words in error.reason


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("{id: a, kind: topic}", "can never fire: a topic rule needs intents, keywords or signals"),
        ("{id: a, kind: customer_tier, tiers: []}", "can never fire"),
        ("{id: a, kind: customer_tier, tiers: [gold]}", 'unknown customer tier "gold"'),
        ("{id: a, kind: low_confidence, below: 0}", "can never fire"),
        ("{id: a, kind: amount, over: -5}", "bad threshold"),
        ("{id: a, kind: amount}", 'needs the field "over"'),
        ("{id: a, kind: ai_turns, max_turns: 3}", 'unknown kind "ai_turns" for a policy rule'),
        ("{id: A-1, kind: topic, keywords: [x]}", "lower case"),
        ("{id: a, kind: topic, keywords: [x], mode: loud}", "hard or soft"),
        ("{id: a, kind: topic, keywords: [x], priority: 11}", "from 0 to 10"),
    ],
)
def test_policy_rules_that_are_wrong_or_can_never_fire_are_refused(rule: str, words: str) -> None:
    error = refused(HEAD + "  policy:\n    - " + rule + "\n")
    assert error.line == 4 and words in error.reason


def test_the_explicit_trigger_cannot_be_switched_off() -> None:
    error = refused(HEAD + "  explicit:\n    enabled: false\n")
    assert error.line == 4 and "cannot be switched off" in error.reason


def test_a_rule_id_used_twice_names_the_first_line() -> None:
    error = refused(
        HEAD + "  time_turns:\n    - {id: t, kind: ai_turns}\n    - {id: t, kind: elapsed_minutes, "
        "max_minutes: 5}\n"
    )
    assert error.line == 5 and "first on line 4" in error.reason


def test_a_duplicate_key_and_broken_yaml_are_refused_with_their_line() -> None:
    assert refused("version: 1\nversion: 2\n").line == 2
    broken = refused("version: 1\nescalation:\n  implicit: [\n")
    assert broken.line is not None and "not valid YAML" in broken.reason


@pytest.mark.parametrize(
    ("section", "line", "words"),
    [
        ("  amount_limits:\n    - {id: r, fact: refund_amount, auto_max: -1}\n", 4, "bad threshold"),
        (
            "  amount_limits:\n    - {id: r, fact: refund_amount, auto_max: 5, approver_tier: 9}\n",
            4,
            "tiers go",
        ),
        (
            "  state_rules:\n    - {id: s, tools: [], fact: f, allowed: [x], explain: e}\n",
            4,
            "can never fire",
        ),
        (
            "  state_rules:\n    - {id: s, tools: [t], fact: f, allowed: [], explain: e}\n",
            4,
            "no value is allowed",
        ),
        ("  require_confirmation: maybe\n", 3, "true or false"),
    ],
)
def test_bad_action_rules_are_refused_with_their_line(section: str, line: int, words: str) -> None:
    error = refused("version: 1\nactions:\n" + section)
    assert error.line == line and words in error.reason


def test_a_missing_file_is_a_configuration_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(PolicyFileError, match="nope.yaml"):
        load_policy(tmp_path / "nope.yaml")


def test_a_policy_without_version_is_refused() -> None:
    assert 'needs the field "version"' in refused("escalation: {}\n").reason
