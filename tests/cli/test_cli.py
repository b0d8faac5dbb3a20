from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from relaydesk.cli.main import app
from relaydesk.demo.past_cases import PAST_CASES
from relaydesk.demo.seed import DEMO_AGENTS, WORKSPACE_SLUG, seed_demo
from relaydesk.domain.models import ConversationStatus
from relaydesk.services.runtime import build_runtime
from relaydesk.settings import Settings

runner = CliRunner()


def test_db_upgrade_creates_the_schema_from_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RELAYDESK_DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "revision" in result.output
    assert (tmp_path / "cli.db").exists()
    current = runner.invoke(app, ["db", "current"])
    assert current.exit_code == 0 and "empty" not in current.output


def test_bad_database_url_is_a_clear_error_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RELAYDESK_DATABASE_URL", "mysql://nope")
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 2
    assert "database_url" in result.output and "Traceback" not in result.output


def test_serve_and_demo_take_host_and_port() -> None:
    for command in ("serve", "demo"):
        result = runner.invoke(app, [command, "--help"])
        assert "--host" in result.output and "--port" in result.output


def test_demo_seed_is_idempotent(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path}/demo.db", data_dir=tmp_path, _env_file=None)  # type: ignore[call-arg]
    runtime = build_runtime(settings)
    try:
        seed_demo(runtime)
        seed_demo(runtime)
        workspace = runtime.store.workspace_by_slug(WORKSPACE_SLUG)
        agents = runtime.store.list_agents(workspace.id)
        assert len(agents) == len(DEMO_AGENTS)
        assert runtime.store.agent_by_api_key(DEMO_AGENTS[0].api_key) is not None
        resolved = runtime.store.list_conversations(workspace.id, statuses=[ConversationStatus.RESOLVED])
        # played once, not again on the second start: the past cases people resolved, and the
        # conversations the AI resolved with the customer's thanks (two more close on the timer)
        by_people = [c for c in resolved if c.resolution == "agent"]
        assert len(by_people) == len(PAST_CASES)
        assert len([c for c in resolved if c.resolution == "ai_confirmed"]) == 4
        # The demo's history makes similar-case search useful from the first conversation.
        agent = agents[0]
        [case] = runtime.desk.search_cases(agent, "my order is marked delivered but it is not here", limit=1)
        assert case.resolution_note and "wrong house number" in case.resolution_note
        [case] = runtime.desk.search_cases(agent, "there are two charges on my card for one order", limit=1)
        assert case.resolution_note and "authorisation" in case.resolution_note
    finally:
        runtime.close()


def test_a_team_can_be_set_up_from_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RELAYDESK_DATABASE_URL", f"sqlite:///{tmp_path}/team.db")
    assert runner.invoke(app, ["workspace", "create", "acme", "Acme Support"]).exit_code == 0
    added = runner.invoke(
        app,
        [
            "agent",
            "add",
            "--workspace",
            "acme",
            "--name",
            "Ines",
            "--email",
            "ines@acme.test",
            "--skills",
            "billing=0.9,refunds",
            "--languages",
            "en,es",
        ],
    )
    assert added.exit_code == 0, added.output
    assert "rdk_" in added.output
    listed = runner.invoke(app, ["agent", "list", "--workspace", "acme"], env={"COLUMNS": "160"})
    assert "Ines" in listed.output and "billing=0.9" in listed.output and "0/3" in listed.output
    bad = runner.invoke(
        app,
        [
            "agent",
            "add",
            "--workspace",
            "acme",
            "--name",
            "X",
            "--email",
            "x@acme.test",
            "--skills",
            "billing=7",
        ],
    )
    assert bad.exit_code == 2 and "between 0 and 1" in bad.output
    missing = runner.invoke(app, ["agent", "list", "--workspace", "nowhere"])
    assert missing.exit_code == 2 and "nowhere" in missing.output
