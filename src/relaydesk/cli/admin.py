"""``relaydesk workspace`` and ``relaydesk agent``: set up a real team without the demo."""

from __future__ import annotations

import secrets

import typer
from rich.console import Console
from rich.table import Table

from relaydesk.cli.errors import friendly_errors
from relaydesk.domain.errors import InvalidInput
from relaydesk.domain.models import AgentStatus
from relaydesk.settings import Settings

workspace_app = typer.Typer(help="Workspaces (one per support team or brand).", no_args_is_help=True)
agent_app = typer.Typer(help="Human agents: create them and see who is on.", no_args_is_help=True)
console = Console()


def _store():  # type: ignore[no-untyped-def]
    from relaydesk.storage.database import make_engine, upgrade
    from relaydesk.storage.store import SqlStore

    engine = make_engine(Settings().database_url)
    upgrade(engine)
    return SqlStore(engine)


def parse_skills(text: str) -> dict[str, float]:
    """``orders=0.9,billing`` -> ``{"orders": 0.9, "billing": 1.0}``."""
    skills: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, level = part.partition("=")
        try:
            value = float(level) if level else 1.0
        except ValueError:
            raise InvalidInput(f'Skill "{part}" must look like name or name=0.8') from None
        if not 0.0 <= value <= 1.0:
            raise InvalidInput(f'Skill level in "{part}" must be between 0 and 1')
        skills[name.strip()] = value
    return skills


@workspace_app.command("create")
@friendly_errors
def workspace_create(slug: str, name: str) -> None:
    """Create a workspace; customers start conversations with its SLUG."""
    workspace = _store().create_workspace(slug, name)
    console.print(f"Created workspace [bold]{workspace.name}[/] ({workspace.slug}) id {workspace.id}")


@agent_app.command("add")
@friendly_errors
def agent_add(
    workspace: str = typer.Option(..., help="Workspace slug"),
    name: str = typer.Option(...),
    email: str = typer.Option(...),
    skills: str = typer.Option("", help="Comma-separated, e.g. orders=0.9,billing=0.6"),
    languages: str = typer.Option("en", help="Comma-separated language codes"),
    tier: int = typer.Option(1, min=1, max=3, help="1 front line, 2 senior, 3 expert"),
    capacity: int = typer.Option(3, min=1, max=50, help="Open conversations at once"),
) -> None:
    """Add a human agent and print their API key (shown once)."""
    store = _store()
    ws = store.workspace_by_slug(workspace)
    key = f"rdk_{secrets.token_urlsafe(24)}"
    agent = store.create_agent(
        ws.id,
        name=name,
        email=email,
        api_key=key,
        skills=parse_skills(skills),
        languages=tuple(x.strip() for x in languages.split(",") if x.strip()),
        tier=tier,
        capacity=capacity,
    )
    console.print(f"Added agent [bold]{agent.name}[/] ({agent.id}). API key (shown once): [cyan]{key}[/]")


@agent_app.command("list")
@friendly_errors
def agent_list(workspace: str = typer.Option(..., help="Workspace slug")) -> None:
    """Agents of a workspace with their skills, languages, load and status."""
    store = _store()
    ws = store.workspace_by_slug(workspace)
    table = Table("name", "email", "skills", "languages", "tier", "load", "status")
    for load in store.agent_loads(ws.id):
        a = load.agent
        table.add_row(
            a.name,
            a.email,
            ", ".join(f"{k}={v:g}" for k, v in a.skills.items()),
            ",".join(a.languages),
            str(a.tier),
            f"{load.open_conversations}/{a.capacity}",
            str(a.status),
        )
    console.print(table)


@agent_app.command("status")
@friendly_errors
def agent_status(email: str, status: AgentStatus, workspace: str = typer.Option(...)) -> None:
    """Set an agent online, away or offline."""
    store = _store()
    ws = store.workspace_by_slug(workspace)
    agent = next((a for a in store.list_agents(ws.id) if a.email == email), None)
    if agent is None:
        raise InvalidInput(f'No agent with email "{email}" in workspace "{workspace}"')
    store.set_agent_status(agent.id, status)
    console.print(f"{agent.name} is now {status}")
