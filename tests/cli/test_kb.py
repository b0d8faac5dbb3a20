from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from relaydesk.cli.main import app
from relaydesk.settings import Settings
from relaydesk.storage.database import make_engine, upgrade
from relaydesk.storage.store import SqlStore

runner = CliRunner()


@pytest.fixture
def workspace_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    url = f"sqlite:///{tmp_path}/kb.db"
    monkeypatch.setenv("RELAYDESK_DATABASE_URL", url)
    engine = make_engine(Settings(_env_file=None).database_url)  # type: ignore[call-arg]
    upgrade(engine)
    SqlStore(engine).create_workspace("acme", "Acme")
    engine.dispose()
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "returns.md").write_text("# Returns\n\nYou can return items within 30 days of delivery.\n")
    (docs / "broken.txt").write_bytes(b"\xff\xfe\x00bad")
    return docs


def test_kb_add_reports_each_source_and_fails_when_one_failed(workspace_db: Path) -> None:
    result = runner.invoke(app, ["kb", "add", str(workspace_db), "--workspace", "acme"])
    assert result.exit_code == 1, result.output
    flat = " ".join(result.output.split())
    assert "added" in flat and "failed" in flat and "not valid UTF-8" in flat
    assert "2 sources (added: 1, updated: 0, unchanged: 0, failed: 1); 1 chunks written" in flat
    again = runner.invoke(app, ["kb", "add", str(workspace_db / "returns.md"), "-w", "acme"])
    assert again.exit_code == 0 and "unchanged: 1" in " ".join(again.output.split())


def test_kb_list_and_search_show_sources_and_the_decision(workspace_db: Path) -> None:
    runner.invoke(app, ["kb", "add", str(workspace_db / "returns.md"), "-w", "acme"])
    listed = runner.invoke(app, ["kb", "list", "-w", "acme"], terminal_width=200)
    assert listed.exit_code == 0 and "Returns" in listed.output and "markdown" in listed.output
    found = runner.invoke(
        app, ["kb", "search", "how many days to return an item", "-w", "acme"], terminal_width=200
    )
    assert found.exit_code == 0, found.output
    assert "Decision: answer" in found.output and "within 30 days" in found.output
    missing = runner.invoke(
        app, ["kb", "search", "who painted the mona lisa", "-w", "acme"], terminal_width=200
    )
    assert "Decision: abstain (missing knowledge)" in missing.output


def test_kb_on_an_unknown_workspace_is_a_clear_error(workspace_db: Path) -> None:
    result = runner.invoke(app, ["kb", "list", "-w", "nope"])
    assert result.exit_code == 2 and 'No workspace with slug "nope"' in result.output
