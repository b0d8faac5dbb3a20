"""``relaydesk flows``: check flow files before installing them, and list the installed flows."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.text import Text

from relaydesk.cli.errors import err, friendly_errors
from relaydesk.settings import Settings

app = typer.Typer(
    help="Specialist flows (YAML micro-flows): check files, list what is installed.", no_args_is_help=True
)
console = Console()


@app.command("check")
@friendly_errors
def check(
    files: list[Path] = typer.Argument(..., help="Flow files (*.yaml) to check"),
) -> None:
    """Check flow files against the step library and the store's tools.

    A bad file is reported as "FILE, line N: reason"; exits with 1 when any file is bad.
    """
    from relaydesk.services.flow_catalogue import check_flow_files

    bad = 0
    for result in check_flow_files(files):
        if result.error is not None:
            bad += 1
            err.print(Text(str(result.error.detail), style="red"), soft_wrap=True)
            continue
        flow = result.flow
        assert flow is not None
        steps = ", ".join(step.kind for step in flow.steps)
        console.print(
            Text.assemble(
                (f"{result.file}", "bold"),
                f": {flow.label} ({flow.kind}, {len(flow.steps)} steps: {steps})",
            ),
            soft_wrap=True,
        )
    if bad:
        raise typer.Exit(1)


@app.command("list")
@friendly_errors
def list_flows(
    workspace: str | None = typer.Option(
        None, "--workspace", "-w", help="Workspace slug: include its own flows (<flows_dir>/<slug>/)"
    ),
) -> None:
    """The installed flows: bundled, then RELAYDESK_FLOWS_DIR's, then the workspace's own."""
    from relaydesk.services.flow_catalogue import installed_flows

    settings = Settings()
    flows = installed_flows(settings, workspace)
    for item in flows:
        flow = item.flow
        head = Text.assemble((flow.label, "bold"), f"  {flow.kind}  {flow.title}")
        if item.replaces is not None:
            head.append("  [override]", style="yellow")
        console.print(head, soft_wrap=True)
        if flow.kind == "intake":
            console.print(Text(f"  gathers for: {', '.join(flow.topics)}"), soft_wrap=True)
        else:
            if flow.intents:
                console.print(Text(f"  intents: {', '.join(flow.intents)}"), soft_wrap=True)
            words = "  ".join(w.pattern for w in flow.words)
            console.print(Text(f"  words: {words or '-'}"), soft_wrap=True)
        console.print(Text(f"  source ({item.layer}): {flow.source}"), soft_wrap=True)
        if item.replaces is not None:
            console.print(Text(f"  overrides: {item.replaces}", style="yellow"), soft_wrap=True)
    overrides = sum(1 for item in flows if item.replaces is not None)
    console.print(f"{len(flows)} flows installed, {overrides} overriding another of the same name")
