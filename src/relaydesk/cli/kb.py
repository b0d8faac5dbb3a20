"""``relaydesk kb``: add, list, search and remove knowledge-base sources."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from relaydesk.cli.errors import friendly_errors
from relaydesk.settings import Settings

if TYPE_CHECKING:
    from relaydesk.knowledge import KnowledgeBase, SourceOutcome

app = typer.Typer(help="The knowledge base: add sources, list them, search them.", no_args_is_help=True)
console = Console()

WorkspaceOption = typer.Option("northwind", "--workspace", "-w", help="Workspace slug")
STATUS_STYLE = {"added": "green", "updated": "cyan", "unchanged": "dim", "failed": "bold red"}


def knowledge_base(workspace: str) -> AbstractContextManager[KnowledgeBase]:
    """The workspace's knowledge base on the configured database (migrated first)."""
    from relaydesk.services.knowledge_bases import open_workspace_knowledge

    return open_workspace_knowledge(Settings(), workspace)


@app.command("add")
@friendly_errors
def add(
    sources: list[str] = typer.Argument(..., help="Files, folders or http(s) URLs"),
    workspace: str = WorkspaceOption,
) -> None:
    """Ingest Markdown, HTML, PDF, text and FAQ CSV/JSON files, folders or URLs.

    Changed sources replace their old chunks; unchanged ones are skipped. A source that fails is
    reported and the others are still added. Exits with 1 when any source failed.
    """
    with knowledge_base(workspace) as kb:
        columns = (
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console, transient=True) as bar:
            task = bar.add_task("Ingesting", total=None)

            def advance(done: int, total: int, outcome: SourceOutcome) -> None:
                bar.update(task, completed=done, total=total, description=_short(outcome.uri))

            report = kb.add(sources, progress=advance)
    table = Table("status", "chunks", "source", "detail", title=f"Knowledge base of {workspace}")
    for o in report.outcomes:
        style = STATUS_STYLE.get(o.status.value, "")
        table.add_row(f"[{style}]{o.status.value}[/]", str(o.chunks), o.uri, o.error or o.title or "")
    console.print(table)
    counts = ", ".join(f"{s}: {sum(1 for o in report.outcomes if o.status.value == s)}" for s in STATUS_STYLE)
    console.print(f"{len(report.outcomes)} sources ({counts}); {report.chunks_written} chunks written")
    if report.failed:
        raise typer.Exit(1)


@app.command("list")
@friendly_errors
def list_sources(workspace: str = WorkspaceOption) -> None:
    """List the sources in the knowledge base."""
    with knowledge_base(workspace) as kb:
        sources = kb.sources()
    table = Table("id", "title", "format", "chunks", "updated", "source", title=f"{len(sources)} sources")
    for s in sources:
        table.add_row(
            s.id, s.title, s.format.value, str(s.chunk_count), f"{s.updated_at:%Y-%m-%d %H:%M}", s.uri
        )
    console.print(table)


@app.command("search")
@friendly_errors
def search(
    question: str = typer.Argument(..., help="What to look for"),
    workspace: str = WorkspaceOption,
    limit: int = typer.Option(5, "--limit", "-k", min=1, max=50, help="How many articles to show"),
    chunks: bool = typer.Option(False, "--chunks", help="Show matching chunks instead of articles"),
) -> None:
    """Search the knowledge base and show the answer the AI would give (or why it would abstain)."""
    with knowledge_base(workspace) as kb:
        result = kb.search(question, articles=limit, chunks=limit)
        answer = kb.answer(question)
    if chunks:
        table = Table("score", "cosine", "bm25", "article", "passage")
        for c in result.chunks:
            table.add_row(
                f"{c.score:.3f}",
                f"{c.dense:.3f}",
                f"{c.lexical:.2f}",
                c.chunk.article_title,
                _snippet(c.chunk.text),
            )
    else:
        table = Table("score", "cosine", "article", "link", "best passage")
        for a in result.articles:
            table.add_row(
                f"{a.score:.3f}", f"{a.dense:.3f}", a.title, a.url or "", _snippet(a.chunks[0].chunk.text)
            )
    console.print(table)
    verdict = "answer" if answer.answered else f"abstain ({answer.abstain_reason})"
    console.print(
        f"Decision: [bold]{verdict}[/] - confidence {answer.confidence:.3f}, threshold {answer.threshold:.2f}"
    )
    console.print(answer.text or "; ".join(answer.reasons))


@app.command("remove")
@friendly_errors
def remove(
    source_id: str = typer.Argument(..., help="Source id (see kb list)"), workspace: str = WorkspaceOption
) -> None:
    """Remove a source and all its chunks."""
    with knowledge_base(workspace) as kb:
        kb.remove(source_id)
    console.print(f"Removed {source_id}")


def _short(uri: str, width: int = 48) -> str:
    return uri if len(uri) <= width else "…" + uri[-(width - 1) :]


def _snippet(text: str, width: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
