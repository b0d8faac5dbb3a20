"""An admin manages agents' keys and roles from the CLI: keys are shown once, rotated keys replace
the old one at once, revoked keys stop working, and a role change is what the API then enforces."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from relaydesk.api.app import create_app
from relaydesk.cli.main import app
from relaydesk.settings import Settings

runner = CliRunner()


def _key(output: str) -> str:
    found = re.findall(r"rdk_[A-Za-z0-9_-]+", output)
    assert len(found) == 1, output
    return found[0]


def test_a_key_is_rotated_and_revoked_and_a_role_changed_from_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path}/team.db"
    monkeypatch.setenv("RELAYDESK_DATABASE_URL", url)
    assert runner.invoke(app, ["workspace", "create", "acme", "Acme Support"]).exit_code == 0
    added = runner.invoke(
        app, ["agent", "add", "--workspace", "acme", "--name", "Ines", "--email", "ines@a.test"]
    )
    first = _key(added.output)

    settings = Settings(database_url=url, rate_limits_enabled=False)
    with TestClient(create_app(settings)) as client:

        def me(key: str) -> int:
            return client.get("/v1/agent/me", headers={"X-API-Key": key}).status_code

        def may_read_reports(key: str) -> int:
            return client.get("/v1/reports/live", headers={"X-API-Key": key}).status_code

        assert me(first) == 200 and may_read_reports(first) == 403

        rotated = runner.invoke(app, ["agent", "rotate-key", "ines@a.test", "--workspace", "acme"])
        assert rotated.exit_code == 0, rotated.output
        assert "the old one no longer works" in rotated.output
        second = _key(rotated.output)
        assert second != first
        assert me(first) == 401 and me(second) == 200

        promoted = runner.invoke(app, ["agent", "role", "ines@a.test", "supervisor", "--workspace", "acme"])
        assert promoted.exit_code == 0 and "now has the role supervisor" in promoted.output
        assert may_read_reports(second) == 200

        demoted = runner.invoke(app, ["agent", "role", "ines@a.test", "agent", "--workspace", "acme"])
        assert "nobody in this workspace is a supervisor or admin now" in demoted.output.replace("\n", " ")
        runner.invoke(app, ["agent", "role", "ines@a.test", "supervisor", "--workspace", "acme"])
        revoked = runner.invoke(app, ["agent", "revoke-key", "ines@a.test", "--workspace", "acme"])
        assert revoked.exit_code == 0 and "is revoked" in revoked.output
        assert "rdk_" not in revoked.output
        assert me(second) == 401 and me(first) == 401

        third = _key(runner.invoke(app, ["agent", "rotate-key", "ines@a.test", "--workspace", "acme"]).output)
        assert me(third) == 200

    unknown = runner.invoke(app, ["agent", "rotate-key", "nobody@a.test", "--workspace", "acme"])
    assert unknown.exit_code == 2 and 'No agent with email "nobody@a.test"' in unknown.output
    bad_role = runner.invoke(app, ["agent", "role", "ines@a.test", "owner", "--workspace", "acme"])
    assert bad_role.exit_code == 2 and "owner" in bad_role.output


def test_a_workspace_signing_key_is_printed_for_its_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from relaydesk.services.customer_identity import workspace_signing_key

    monkeypatch.setenv("RELAYDESK_DATABASE_URL", f"sqlite:///{tmp_path}/team.db")
    assert runner.invoke(app, ["workspace", "create", "acme", "Acme Support"]).exit_code == 0
    without = runner.invoke(app, ["workspace", "signing-key", "acme"])
    assert without.exit_code == 2 and "RELAYDESK_WIDGET_SIGNING_SECRET" in without.output
    monkeypatch.setenv("RELAYDESK_WIDGET_SIGNING_SECRET", "s3cret-for-the-desk")
    printed = runner.invoke(app, ["workspace", "signing-key", "acme"])
    assert printed.exit_code == 0
    assert workspace_signing_key("s3cret-for-the-desk", "acme") in printed.output.replace("\n", "")
    unknown = runner.invoke(app, ["workspace", "signing-key", "nowhere"])
    assert unknown.exit_code == 2 and "nowhere" in unknown.output


def test_several_workers_without_redis_are_refused_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RELAYDESK_DATABASE_URL", f"sqlite:///{tmp_path}/team.db")
    monkeypatch.delenv("RELAYDESK_REDIS_URL", raising=False)
    refused = runner.invoke(app, ["serve", "--workers", "2", "--port", "1"])
    assert refused.exit_code == 2
    assert "2 workers need RELAYDESK_REDIS_URL" in refused.output
