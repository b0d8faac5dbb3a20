"""``relaydesk customer erase``: asks first (or not, with --yes), prints what it did, finds the
customer by external id or id, says so when there is nothing left, names an unknown customer."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import MetaData, select
from typer.testing import CliRunner

from relaydesk.cli.main import app
from relaydesk.domain.models import Channel, MessageRole
from relaydesk.storage.database import make_engine
from relaydesk.storage.store import SqlStore
from relaydesk.testing import make_workspace

runner = CliRunner()
EMAIL = "ana.lima@example.com"


@pytest.fixture
def desk_db(tmp_path: Path, sqlite_template: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Ana (external id crm-55) with a conversation, a message and a decision naming her."""
    path = tmp_path / "desk.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    try:
        store = SqlStore(engine)
        ws = make_workspace(store, slug="shop")
        customer = store.upsert_customer(ws.id, external_id="crm-55", name="Ana Lima", email=EMAIL)
        conv = store.create_conversation(ws.id, customer.id, token="t" * 32, channel=Channel.WEB)
        store.add_message(
            conv.id, role=MessageRole.CUSTOMER, text=f"I am Ana Lima, {EMAIL}", channel=Channel.WEB
        )
        store.add_decision(
            workspace_id=ws.id,
            conversation_id=conv.id,
            kind="tool_call",
            outcome="executed",
            summary="AI looked up the customer.",
            inputs={"args": {"email": EMAIL}},
        )
    finally:
        engine.dispose()
    monkeypatch.setenv("RELAYDESK_DATABASE_URL", f"sqlite:///{path}")
    return {"path": str(path), "customer": customer.id}


def _stored(path: str) -> str:
    engine = make_engine(f"sqlite:///{path}")
    try:
        meta = MetaData()
        meta.reflect(engine)
        with engine.connect() as conn:
            return "\n".join(repr(conn.execute(select(t)).all()) for t in meta.sorted_tables)
    finally:
        engine.dispose()


def test_erase_asks_first_and_a_no_changes_nothing(desk_db: dict[str, str]) -> None:
    result = runner.invoke(
        app, ["customer", "erase", "--workspace", "shop", "--customer", "crm-55"], input="n\n"
    )
    assert result.exit_code == 1 and "cannot be undone" in result.output
    assert "Ana Lima" in _stored(desk_db["path"])


def test_erase_prints_what_it_did_and_a_second_run_finds_nothing_left(desk_db: dict[str, str]) -> None:
    result = runner.invoke(app, ["customer", "erase", "--workspace", "shop", "--customer", "crm-55", "--yes"])
    assert result.exit_code == 0, result.output
    assert f"Erased the personal data of customer {desk_db['customer']}" in result.output
    assert "message texts replaced by [erased]" in result.output
    stored = _stored(desk_db["path"])
    assert "Ana" not in stored and EMAIL not in stored and "crm-55" not in stored
    for reference in ("crm-55", desk_db["customer"]):
        again = runner.invoke(
            app, ["customer", "erase", "--workspace", "shop", "--customer", reference, "--yes"]
        )
        assert again.exit_code == 0, again.output
        assert "nothing left to erase" in again.output
    assert _stored(desk_db["path"]) == stored


def test_an_unknown_customer_is_named(desk_db: dict[str, str]) -> None:
    result = runner.invoke(
        app, ["customer", "erase", "--workspace", "shop", "--customer", "crm-404", "--yes"]
    )
    assert result.exit_code != 0 and "crm-404" in result.output


def test_an_unknown_customer_is_named_before_anyone_is_asked_to_confirm(desk_db: dict[str, str]) -> None:
    result = runner.invoke(
        app, ["customer", "erase", "--workspace", "shop", "--customer", "nobody@x.example"]
    )
    assert result.exit_code != 0 and "nobody@x.example" in result.output
    assert "cannot be undone" not in result.output  # not asked: there is nothing to erase
