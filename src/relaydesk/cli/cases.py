"""``relaydesk cases``: similar-case search over past conversations, and rebuilding its index."""

from __future__ import annotations

import json
from contextlib import AbstractContextManager, ExitStack
from dataclasses import asdict
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.progress import Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from relaydesk.cli.errors import friendly_errors
from relaydesk.settings import Settings

if TYPE_CHECKING:
    from relaydesk.cases.similar import SimilarCase
    from relaydesk.services.case_search import CaseSearch

app = typer.Typer(help="Similar-case search: past conversations like this one.", no_args_is_help=True)
console = Console(highlight=False)
LimitOption = typer.Option(5, "--limit", "-n", min=1, max=50, help="How many cases to show")
JsonOption = typer.Option(False, "--json", help="Print JSON instead of a table")


def _case_search() -> AbstractContextManager[CaseSearch]:
    from relaydesk.services.case_search import open_case_search

    return open_case_search(Settings())


@app.command("similar")
@friendly_errors
def similar(
    conversation_id: str = typer.Argument(..., help="The conversation id (conv_...)"),
    limit: int = LimitOption,
    as_json: bool = JsonOption,
) -> None:
    """Resolved conversations like this one, with how each was resolved."""
    with _case_search() as cases:
        found = cases.similar_to(conversation_id, limit=limit)
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
    with _case_search() as cases:
        found = cases.about(workspace, text, limit=limit)
    _show(found, as_json, empty="No resolved conversation is similar enough.")


@app.command("reindex")
@friendly_errors
def reindex(
    workspace: str | None = typer.Option(None, "--workspace", "-w", help="Only this workspace (slug)"),
) -> None:
    """Place every conversation that has no vector from the configured embedder (after changing
    the embedder, or for conversations imported from elsewhere). Safe to run any time."""
    columns = (TextColumn("{task.description}"), TimeElapsedColumn())
    bar = Progress(*columns, console=console, transient=True)
    task = bar.add_task("Placing conversations", total=None)

    def advance(placed: int, seen: int) -> None:
        bar.update(task, description=f"Placed {placed} of {seen} conversations looked at")

    with _case_search() as cases, ExitStack() as shown:  # the bar shows once the workspace is found
        placed, seen = cases.reindex(
            workspace, on_start=lambda: shown.enter_context(bar), on_progress=advance
        )
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
