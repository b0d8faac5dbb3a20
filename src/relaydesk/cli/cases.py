"""``relaydesk cases``: similar-case search over past conversations, and rebuilding its index."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.progress import Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from relaydesk.cli.errors import friendly_errors
from relaydesk.settings import Settings

if TYPE_CHECKING:
    from relaydesk.handoff.similar_cases import SimilarCase, SimilarCaseFinder
    from relaydesk.storage.case_store import SqlCaseStore
    from relaydesk.storage.store import SqlStore

app = typer.Typer(help="Similar-case search: past conversations like this one.", no_args_is_help=True)
console = Console(highlight=False)
LimitOption = typer.Option(5, "--limit", "-n", min=1, max=50, help="How many cases to show")
JsonOption = typer.Option(False, "--json", help="Print JSON instead of a table")


@contextmanager
def _finder() -> Iterator[tuple[SimilarCaseFinder, SqlCaseStore, SqlStore]]:
    from relaydesk.handoff.similar_cases import SimilarCaseFinder
    from relaydesk.llm.embedders import build_embedder
    from relaydesk.storage.case_store import SqlCaseStore
    from relaydesk.storage.database import make_engine, upgrade
    from relaydesk.storage.store import SqlStore

    settings = Settings()
    engine = make_engine(settings.database_url)
    try:
        upgrade(engine)
        cases = SqlCaseStore(engine)
        finder = SimilarCaseFinder(
            cases, build_embedder(settings), min_similarity=settings.similar_case_min_similarity
        )
        yield finder, cases, SqlStore(engine)
    finally:
        engine.dispose()


@app.command("similar")
@friendly_errors
def similar(
    conversation_id: str = typer.Argument(..., help="The conversation id (conv_...)"),
    limit: int = LimitOption,
    as_json: bool = JsonOption,
) -> None:
    """Resolved conversations like this one, with how each was resolved."""
    with _finder() as (finder, _, store):
        found = finder.for_conversation(store.get_conversation(conversation_id), limit=limit)
    _show(found, as_json, empty=f"No resolved conversation is similar enough to {conversation_id}.")


@app.command("search")
@friendly_errors
def search(
    text: str = typer.Argument(..., help="What the case was about, in a sentence"),
    workspace: str = typer.Option("northwind", "--workspace", "-w", help="Workspace slug"),
    limit: int = LimitOption,
    as_json: bool = JsonOption,
) -> None:
    """Resolved conversations of a workspace about TEXT."""
    with _finder() as (finder, _, store):
        found = finder.for_text(store.workspace_by_slug(workspace).id, text, limit=limit)
    _show(found, as_json, empty="No resolved conversation is similar enough.")


@app.command("reindex")
@friendly_errors
def reindex(
    workspace: str | None = typer.Option(None, "--workspace", "-w", help="Only this workspace (slug)"),
) -> None:
    """Place every conversation that has no vector from the configured embedder (after changing
    the embedder, or for conversations imported from elsewhere). Safe to run any time."""
    with _finder() as (finder, cases, store):
        workspace_id = store.workspace_by_slug(workspace).id if workspace else None
        columns = (TextColumn("{task.description}"), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=True) as bar:
            task = bar.add_task("Placing conversations", total=None)

            def advance(placed: int, seen: int) -> None:
                bar.update(task, description=f"Placed {placed} of {seen} conversations looked at")

            placed, seen = finder.reindex(cases, workspace_id=workspace_id, on_progress=advance)
    console.print(
        f"Placed {placed} conversations in similar-case search ({seen - placed} had no request to place)."
    )


def _show(found: list[SimilarCase], as_json: bool, *, empty: str) -> None:
    if as_json:
        typer.echo(json.dumps([asdict(c) for c in found], default=str, indent=2))
        return
    if not found:
        console.print(empty)
        return
    table = Table("similarity", "conversation", "request", "resolution")
    for case in found:
        resolution = " · ".join(
            part for part in (case.resolved_by and f"by {case.resolved_by}", case.resolution_note) if part
        )
        table.add_row(f"{case.similarity:.2f}", case.conversation_id, case.request, resolution or "-")
    console.print(table)
