"""``relaydesk audit``: the trail of a conversation in words; policy files checked with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from relaydesk.cli.main import app
from relaydesk.domain.models import Channel
from relaydesk.governance.policy import DEFAULT_POLICY
from relaydesk.storage.database import make_engine, upgrade
from relaydesk.storage.store import SqlStore
from relaydesk.testing import make_workspace

runner = CliRunner()


@pytest.fixture
def conversation_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path}/audit.db"
    monkeypatch.setenv("RELAYDESK_DATABASE_URL", url)
    engine = make_engine(url)
    upgrade(engine)
    store = SqlStore(engine)
    workspace = make_workspace(store)
    customer = store.upsert_customer(workspace.id, external_id="c1")
    conversation = store.create_conversation(workspace.id, customer.id, token="t", channel=Channel.WEB)
    store.add_decision(
        workspace_id=workspace.id,
        conversation_id=conversation.id,
        kind="escalation",
        outcome="escalate",
        summary="A person takes over: the customer mentions a lawyer.",
        reasons=[
            {
                "rule": "legal_or_security",
                "family": "policy",
                "reason": 'the message mentions "lawyer"',
                "values": {"keyword": "lawyer"},
            }
        ],
        version="default-2025.1#abc",
    )
    engine.dispose()
    return conversation.id


def test_audit_show_prints_each_decision_with_its_rule_and_version(conversation_id: str) -> None:
    result = runner.invoke(app, ["audit", "show", conversation_id])
    assert result.exit_code == 0, result.output
    assert "Escalation check: A person takes over: the customer mentions a lawyer." in result.output
    assert "rule legal_or_security (policy) fired" in result.output and "keyword=lawyer" in result.output
    assert "default-2025.1#abc" in result.output


def test_audit_show_of_an_unknown_conversation_is_a_clear_error(conversation_id: str) -> None:
    result = runner.invoke(app, ["audit", "show", "conv_missing"])
    assert result.exit_code == 2 and "conv_missing" in result.output and "Traceback" not in result.output


def test_check_policy_accepts_the_default_and_names_file_and_line_of_a_bad_one(tmp_path: Path) -> None:
    good = runner.invoke(app, ["audit", "check-policy", str(DEFAULT_POLICY)])
    assert good.exit_code == 0 and "is valid" in good.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nescalation:\n  implicit:\n    - {id: x, kind: frustration, threshold: 7}\n")
    result = runner.invoke(app, ["audit", "check-policy", str(bad)])
    assert result.exit_code == 2
    flat = " ".join(result.output.split())
    assert "bad.yaml, line 4" in flat and "can never fire" in flat


def test_check_routing_accepts_the_default_and_names_file_and_line_of_a_bad_one(tmp_path: Path) -> None:
    from relaydesk.routing.rules import DEFAULT_RULES

    good = runner.invoke(app, ["audit", "check-routing", str(DEFAULT_RULES)])
    assert good.exit_code == 0, good.output
    flat = " ".join(good.output.split())
    assert "routing-2026.1#" in flat and "standard 900 s" in flat and "automatic assignment on" in flat
    bad = tmp_path / "routing.yaml"
    bad.write_text("version: r1\nservice_levels:\n  standard: 600\n  gold: 60\n")
    result = runner.invoke(app, ["audit", "check-routing", str(bad)])
    assert result.exit_code == 2
    flat = " ".join(result.output.split())
    assert "routing.yaml, line 4" in flat and 'unknown customer tier "gold"' in flat
