"""The demo's banner prints the demo agents' keys only where they still work: a database an earlier
run left behind may hold a key that was rotated or revoked since."""

from __future__ import annotations

from pathlib import Path

from relaydesk.cli.main import demo_key_text
from relaydesk.demo.seed import DEMO_AGENTS, WORKSPACE_SLUG, seed_demo_team
from relaydesk.services.runtime import build_runtime
from relaydesk.services.team import revoke_agent_key, rotate_agent_key
from relaydesk.settings import Settings


def test_a_revoked_or_rotated_demo_key_is_not_printed_as_if_it_worked(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'demo.db'}", data_dir=tmp_path)
    first, second = DEMO_AGENTS[0], DEMO_AGENTS[1]
    runtime = build_runtime(settings)
    try:
        seed_demo_team(runtime)
        assert first.api_key in demo_key_text(runtime.store, first, WORKSPACE_SLUG)
    finally:
        runtime.close()
    revoke_agent_key(settings, WORKSPACE_SLUG, first.email)
    rotate_agent_key(settings, WORKSPACE_SLUG, second.email)
    runtime = build_runtime(settings)
    try:
        seed_demo_team(runtime)  # the demo started again on the same database
        for agent in (first, second):
            text = demo_key_text(runtime.store, agent, WORKSPACE_SLUG)
            assert agent.api_key not in text and "no longer works" in text and agent.email in text
        third = DEMO_AGENTS[2]
        assert third.api_key in demo_key_text(runtime.store, third, WORKSPACE_SLUG)
    finally:
        runtime.close()
