"""Creates (once) the demo workspace that ``relaydesk demo`` serves."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from relaydesk.domain.errors import NotFound
from relaydesk.domain.models import AgentRole, AgentStatus, CustomerTier, Workspace

if TYPE_CHECKING:
    from rich.console import Console

    from relaydesk.services.runtime import Runtime
    from relaydesk.settings import Settings

WORKSPACE_SLUG = "northwind"
WORKSPACE_NAME = "Northwind Goods"


@dataclass(frozen=True)
class DemoAgent:
    name: str
    email: str
    api_key: str
    skills: dict[str, float]
    languages: tuple[str, ...]
    tier: int
    capacity: int
    role: AgentRole = AgentRole.AGENT
    """Theo, the team's lead, is a supervisor: his key opens the dashboard too."""


DEMO_AGENTS = (
    DemoAgent(
        "Maya Okafor",
        "maya@northwind.example",
        "demo-agent-maya",
        {"orders": 0.9, "shipping": 0.8, "returns": 0.7, "sales": 0.8},
        ("en", "fr"),
        1,
        4,
    ),
    DemoAgent(
        "Lucas Ferreira",
        "lucas@northwind.example",
        "demo-agent-lucas",
        {"billing": 0.9, "refunds": 0.9, "payments": 0.8, "approvals": 0.9},
        ("en", "pt", "es"),
        2,
        3,
    ),
    DemoAgent(
        "Hana Kim",
        "hana@northwind.example",
        "demo-agent-hana",
        {"account": 0.9, "security": 0.9, "escalations": 0.7, "technical": 0.7},
        ("en", "ko"),
        2,
        3,
    ),
    DemoAgent(
        "Theo Brandt",
        "theo@northwind.example",
        "demo-agent-theo",
        {"escalations": 1.0, "legal": 0.8, "billing": 0.7, "vip": 1.0, "approvals": 0.7},
        ("en", "de"),
        3,
        2,
        AgentRole.SUPERVISOR,
    ),
)

DEMO_CUSTOMERS: tuple[dict[str, Any], ...] = (
    {
        "external_id": "cust-1001",
        "name": "Amira Haddad",
        "email": "amira@example.com",
        "tier": CustomerTier.STANDARD,
        "language": "en",
    },
    {
        "external_id": "cust-1002",
        "name": "Jonas Berg",
        "email": "jonas@example.com",
        "tier": CustomerTier.VIP,
        "language": "en",
    },
    {
        "external_id": "cust-1003",
        "name": "Sofia Rossi",
        "email": "sofia@example.com",
        "tier": CustomerTier.ENTERPRISE,
        "language": "it",
        "attributes": {"company": "Rossi Interiors"},
    },
)


@dataclass
class DemoInfo:
    workspace_slug: str
    agents: tuple[DemoAgent, ...]
    notes: list[str] = field(default_factory=list)

    def home_links(self, host: str, port: int) -> list[tuple[str, str]]:
        return [
            (f"/chat?workspace={self.workspace_slug}", "Chat as a customer of the demo store"),
            ("/console", "Work as an agent (sign in with a demo agent's API key, printed in the terminal)"),
            (
                "/dashboard",
                "Watch the desk as a supervisor (sign in with a supervisor's key: Theo Brandt's in the demo)",
            ),
        ]


def seed_demo(runtime: Runtime, console: Console | None = None) -> DemoInfo:
    """Create the demo workspace, agents and customers if missing, then its content (store, help
    center, past cases); safe to run on every start."""
    workspace, created = seed_demo_team(runtime)
    info = DemoInfo(WORKSPACE_SLUG, DEMO_AGENTS)
    info.notes.extend(seed_demo_content(runtime, workspace.id))
    if console is not None:
        console.print(
            f"{'Created' if created else 'Using'} demo workspace [bold]{WORKSPACE_NAME}[/] "
            f"({WORKSPACE_SLUG}) in {runtime.settings.database_url}"
        )
        for note in info.notes:
            console.print(f"  {note}")
    return info


def seed_demo_team(runtime: Runtime) -> tuple[Workspace, bool]:
    """The demo workspace, its agents and customers (fast: no model needed); ``created`` is True
    when the workspace is new."""
    store = runtime.store
    try:
        workspace = store.workspace_by_slug(WORKSPACE_SLUG)
        created = False
    except NotFound:
        workspace = store.create_workspace(WORKSPACE_SLUG, WORKSPACE_NAME)
        created = True
    existing = {a.email: a for a in store.list_agents(workspace.id)}
    for a in DEMO_AGENTS:
        if a.email in existing and existing[a.email].role != a.role and hasattr(store, "set_agent_role"):
            store.set_agent_role(existing[a.email].id, a.role)  # a demo database from before roles
        if a.email in existing and existing[a.email].status != AgentStatus.AWAY:
            # a fresh start of the demo: nobody is at a console yet, whatever the last run left
            store.set_agent_status(existing[a.email].id, AgentStatus.AWAY)
        if a.email not in existing:
            store.create_agent(
                workspace.id,
                name=a.name,
                email=a.email,
                api_key=a.api_key,
                skills=a.skills,
                languages=a.languages,
                tier=a.tier,
                capacity=a.capacity,
                # away until they sign in to the console and go online: the demo never tells a
                # customer that a person "has joined" when nobody is at a screen
                status=AgentStatus.AWAY,
                role=a.role,
            )
    for c in DEMO_CUSTOMERS:
        store.upsert_customer(workspace.id, **c)
    return workspace, created


def seed_demo_content(runtime: Runtime, workspace_id: str) -> list[str]:
    """The demo store's records, the help center and the past cases (waits for the models: the help
    center is embedded, and the past cases go through the AI); what was loaded, in short notes."""
    from relaydesk.demo.canned import seed_canned_replies
    from relaydesk.demo.past_cases import seed_past_cases
    from relaydesk.demo.past_outcomes import seed_past_outcomes
    from relaydesk.services.demo_data import ingest_demo_help_center, load_demo_store

    canned = seed_canned_replies(runtime, workspace_id)
    counts = load_demo_store(runtime)
    report = ingest_demo_help_center(runtime, workspace_id)
    desk = runtime.startup_services().desk
    past = seed_past_cases(runtime, workspace_id, WORKSPACE_SLUG, desk=desk)
    settled = seed_past_outcomes(runtime, workspace_id, WORKSPACE_SLUG, desk=desk) if past else 0
    notes = [
        f"demo store: {counts.get('users', 0)} customers, {counts.get('orders', 0)} orders",
        f"help center: {len(report.outcomes)} articles ({report.chunks_written} passages newly indexed)",
    ]
    if past:
        notes.append(f"past cases: {past} resolved conversations for similar-case search")
    if settled:
        notes.append(
            f"past outcomes: {settled} conversations the AI resolved, two more close on the outcome timer"
        )
    if canned:
        notes.append(f"canned replies: {canned} added for the console")
    return notes


def reset_database(settings: Settings) -> None:
    """Delete the demo's SQLite file so the next start seeds afresh (refuses other databases)."""
    from pathlib import Path

    from relaydesk.domain.errors import InvalidInput

    url = settings.database_url
    if not url.startswith("sqlite:///") or url.endswith(":memory:"):
        raise InvalidInput(f'--reset only deletes a SQLite demo file, not "{url}"')
    path = Path(url.removeprefix("sqlite:///"))
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
