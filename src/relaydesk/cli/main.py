"""``relaydesk``: serve, demo, database migrations, and the capability sub-commands."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from relaydesk.cli.admin import agent_app, workspace_app
from relaydesk.cli.errors import friendly_errors
from relaydesk.domain.errors import InvalidInput
from relaydesk.log_redaction import configure_logging
from relaydesk.settings import Settings

if TYPE_CHECKING:
    from relaydesk.demo.seed import DemoAgent
    from relaydesk.domain.ports import AgentStore

app = typer.Typer(help="relaydesk: hybrid AI-human customer support.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(workspace_app, name="workspace")
app.add_typer(agent_app, name="agent")
from relaydesk.cli.kb import app as kb_app  # noqa: E402

app.add_typer(kb_app, name="kb")
from relaydesk.cli.audit import app as audit_app  # noqa: E402

app.add_typer(audit_app, name="audit")
from relaydesk.cli.nlu import app as nlu_app  # noqa: E402

app.add_typer(nlu_app, name="nlu")
from relaydesk.cli.cases import app as cases_app  # noqa: E402

app.add_typer(cases_app, name="cases")
from relaydesk.cli.flows import app as flows_app  # noqa: E402

app.add_typer(flows_app, name="flows")
from relaydesk.cli.customers import app as customer_app  # noqa: E402

app.add_typer(customer_app, name="customer")
from relaydesk.cli.report import report as report_command  # noqa: E402

app.command("report")(report_command)
console = Console()
DEMO_SETTLE_AFTER_S = 120.0
"""The demo's settle time (RELAYDESK_SETTLE_AFTER_S overrides it): see docs/outcomes.md."""


@db_app.command("upgrade")
@friendly_errors
def db_upgrade(revision: str = typer.Argument("head", help="Target revision")) -> None:
    """Bring the database schema up to date (safe to run any time)."""
    from relaydesk.services.schema import migrate_schema

    schema = migrate_schema(Settings(), revision)
    console.print(f"Database at revision [bold]{schema.revision}[/] ({schema.database})")


@db_app.command("current")
@friendly_errors
def db_current() -> None:
    """Show the schema revision of the configured database."""
    from relaydesk.services.schema import schema_revision

    console.print(schema_revision(Settings()) or "empty (run: relaydesk db upgrade)")


@app.command()
@friendly_errors
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on"),
    port: int = typer.Option(8000, help="Port to listen on"),
    workers: int = typer.Option(1, help="Worker processes (use PostgreSQL and Redis for more than one)"),
) -> None:
    """Run the API server (migrates the database first)."""
    import uvicorn

    from relaydesk.api.limits import server_options
    from relaydesk.services.schema import migrate_schema

    settings = Settings()
    if workers > 1 and not settings.redis_url:
        raise InvalidInput(
            f"{workers} workers need RELAYDESK_REDIS_URL: without Redis an event reaches only the "
            "WebSockets of the worker that made it (docs/deployment.md, Scale-out)"
        )
    log_config = configure_logging()  # secrets and personal data masked in every line (docs/privacy.md)
    migrate_schema(settings)
    console.print(f"relaydesk serving on [bold]http://{host}:{port}/[/] (API reference at /docs)")
    if workers > 1:
        uvicorn.run(
            "relaydesk.api.asgi:app",
            host=host,
            port=port,
            workers=workers,
            log_level="info",
            log_config=log_config,
            **server_options(settings),
        )
    else:
        from relaydesk.api.app import create_app

        uvicorn.run(
            create_app(settings),
            host=host,
            port=port,
            log_level="info",
            log_config=log_config,
            **server_options(settings),
        )


@app.command()
@friendly_errors
def demo(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on"),
    port: int = typer.Option(8000, help="Port to listen on"),
    reset: bool = typer.Option(False, help="Start again from fresh demo data"),
) -> None:
    """Create the demo workspace (agents, customers, help center) and serve it, offline."""
    import uvicorn

    from relaydesk.api.app import create_app
    from relaydesk.api.limits import server_options
    from relaydesk.demo.seed import DEMO_AGENTS, WORKSPACE_SLUG, DemoInfo, seed_demo_content, seed_demo_team
    from relaydesk.services.runtime import build_runtime

    settings = Settings()
    if "settle_after_s" not in settings.model_fields_set:
        # quiet conversations close after two minutes instead of thirty, so a visitor sees it happen
        settings = settings.model_copy(update={"settle_after_s": DEMO_SETTLE_AFTER_S})
    if reset:
        from relaydesk.demo.seed import reset_database

        reset_database(settings)
    # Serve at once: the models load and the demo's content (store, help center, past cases) is
    # seeded in the background; /healthz says "starting" until both are done.
    runtime = build_runtime(settings, background=True)
    workspace, created = seed_demo_team(runtime)
    runtime.hold_ready("demo data")
    info = DemoInfo(WORKSPACE_SLUG, DEMO_AGENTS)
    app_ = create_app(settings, runtime=runtime)
    demo_links = info.home_links(host, port)
    app_.state.home_links = demo_links + [
        link for link in app_.state.home_links if link[0] not in {d[0].split("?")[0] for d in demo_links}
    ]
    base = f"http://{host}:{port}"
    console.rule("relaydesk demo")
    console.print(
        f"{'Created' if created else 'Using'} demo workspace [bold]{workspace.name}[/] ({WORKSPACE_SLUG}) "
        f"in {settings.database_url}"
    )
    console.print(f"Open [bold]{base}/[/] to see where to go; the API reference is at {base}/docs")
    console.print(
        f"  customers chat at {base}/chat?workspace={info.workspace_slug}; agents sign in at {base}/console "
        "(demo agents start away: set Presence to Online to get conversations)"
    )
    for agent in info.agents:
        role = "supervisor (also opens /dashboard)" if str(agent.role) != "agent" else "agent"
        key = demo_key_text(runtime.store, agent, WORKSPACE_SLUG)
        console.print(f"  {role} [bold]{agent.name}[/] (tier {agent.tier}; {', '.join(agent.skills)}): {key}")
    console.print(f"  customers start conversations in workspace [bold]{info.workspace_slug}[/]")
    console.print(
        "Loading the models and the demo's help center in the background (about a minute the first "
        f"time); {base}/healthz says [bold]ready[/] when done, and messages sent before then wait."
    )
    log_config = configure_logging()  # after the banner, so migrations' logs do not bury it

    def seed_content() -> None:
        try:
            for note in seed_demo_content(runtime, workspace.id):
                console.print(f"  {note}")
            console.print(f"[bold green]relaydesk demo ready[/] at {base}/")
        except Exception:
            logging.getLogger("relaydesk.demo").exception("seeding the demo's content failed")
        finally:
            runtime.release_ready("demo data")

    threading.Thread(target=seed_content, name="relaydesk-demo-seed", daemon=True).start()
    try:
        uvicorn.run(
            app_, host=host, port=port, log_level="info", log_config=log_config, **server_options(settings)
        )
    finally:
        runtime.close()


def demo_key_text(store: AgentStore, agent: DemoAgent, workspace_slug: str) -> str:
    """The banner's words for a demo agent's key: the key, or, in a database an earlier run left
    behind where it was rotated or revoked since, how to get one that works."""
    signed = store.agent_by_api_key(agent.api_key)
    if signed is not None and signed.email == agent.email:
        return f"API key [cyan]{agent.api_key}[/]"
    return (
        "the demo key no longer works in this database (rotated or revoked): `relaydesk agent "
        f"rotate-key {agent.email} --workspace {workspace_slug}` gives a new one, `relaydesk demo --reset` "
        "starts over"
    )


def main() -> None:
    app()


if __name__ == "__main__":
    main()
