"""``relaydesk workspace`` and ``relaydesk agent``: set up a real team without the demo."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from relaydesk.cli.errors import friendly_errors
from relaydesk.domain.errors import InvalidInput
from relaydesk.domain.models import AgentRole, AgentStatus
from relaydesk.settings import Settings

workspace_app = typer.Typer(help="Workspaces (one per support team or brand).", no_args_is_help=True)
agent_app = typer.Typer(help="Human agents: create them and see who is on.", no_args_is_help=True)
console = Console()


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
    from relaydesk.services.team import create_workspace

    workspace = create_workspace(Settings(), slug, name)
    console.print(f"Created workspace [bold]{workspace.name}[/] ({workspace.slug}) id {workspace.id}")


@workspace_app.command("signing-key")
@friendly_errors
def workspace_signing_key_cmd(slug: str) -> None:
    """Print the key this workspace's site signs customer ids and page attributes with (derived from
    RELAYDESK_WIDGET_SIGNING_SECRET; keep it on your site's server, never in the page)."""
    from relaydesk.services.customer_identity import workspace_signing_key
    from relaydesk.services.team import workspace_by_slug

    settings = Settings()
    if not settings.widget_signing_secret:
        raise InvalidInput(
            "This desk has no signing secret: set RELAYDESK_WIDGET_SIGNING_SECRET (a long random value) first"
        )
    workspace = workspace_by_slug(settings, slug)
    key = workspace_signing_key(settings.widget_signing_secret, workspace.slug)
    console.print(f"Signing key of workspace {workspace.slug}: [cyan]{key}[/]")


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
    role: AgentRole = typer.Option(
        AgentRole.AGENT, help="agent; supervisor or admin may also read the reports and the dashboard"
    ),
) -> None:
    """Add a human agent and print their API key (shown once)."""
    from relaydesk.services.team import add_agent

    added = add_agent(
        Settings(),
        workspace,
        name=name,
        email=email,
        skills=parse_skills(skills),
        languages=[x.strip() for x in languages.split(",") if x.strip()],
        tier=tier,
        capacity=capacity,
        role=role,
    )
    agent = added.agent
    console.print(
        f"Added agent [bold]{agent.name}[/] ({agent.id}, role {agent.role}). "
        f"API key (shown once): [cyan]{added.api_key}[/]"
    )


@agent_app.command("list")
@friendly_errors
def agent_list(workspace: str = typer.Option(..., help="Workspace slug")) -> None:
    """Agents of a workspace with their skills, languages, load and status."""
    from relaydesk.services.team import agent_loads

    loads = agent_loads(Settings(), workspace)
    table = Table("name", "email", "role", "skills", "languages", "tier", "load", "status")
    table.columns[1].no_wrap = True  # the value rotate-key and role take: never cut
    for load in loads:
        a = load.agent
        table.add_row(
            a.name,
            a.email,
            str(a.role),
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
    from relaydesk.services.team import set_agent_status

    agent = set_agent_status(Settings(), workspace, email, status)
    console.print(f"{agent.name} is now {status}")


@agent_app.command("role")
@friendly_errors
def agent_role(email: str, role: AgentRole, workspace: str = typer.Option(...)) -> None:
    """Make an agent an agent, supervisor or admin (what each may do: docs/security.md)."""
    from relaydesk.services.team import set_agent_role

    agent = set_agent_role(Settings(), workspace, email, role)
    console.print(f"{agent.name} now has the role {agent.role}")
    from relaydesk.services.team import agent_loads

    if not any(load.agent.role != AgentRole.AGENT for load in agent_loads(Settings(), workspace)):
        console.print(
            "[yellow]Note:[/] nobody in this workspace is a supervisor or admin now, so nobody can read "
            "the reports or change the knowledge sources; `relaydesk agent role EMAIL supervisor` "
            "gives the role back"
        )


@agent_app.command("rotate-key")
@friendly_errors
def agent_rotate_key(email: str, workspace: str = typer.Option(...)) -> None:
    """Give an agent a new API key (shown once); the old key stops working at once."""
    from relaydesk.services.team import rotate_agent_key

    rotated = rotate_agent_key(Settings(), workspace, email)
    console.print(
        f"New API key for {rotated.agent.name} (shown once; the old one no longer works): "
        f"[cyan]{rotated.api_key}[/]"
    )


@agent_app.command("revoke-key")
@friendly_errors
def agent_revoke_key(email: str, workspace: str = typer.Option(...)) -> None:
    """Revoke an agent's API key: no key works for them until rotate-key gives a new one."""
    from relaydesk.services.team import revoke_agent_key

    agent = revoke_agent_key(Settings(), workspace, email)
    console.print(f"The API key of {agent.name} is revoked; `relaydesk agent rotate-key` gives a new one")
