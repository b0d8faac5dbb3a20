"""``relaydesk audit``: the decision log of a conversation in plain words, and policy file checks."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console

from relaydesk.cli.errors import friendly_errors
from relaydesk.settings import Settings

app = typer.Typer(help="Why did the AI do that? Audit trails and governance policies.", no_args_is_help=True)
console = Console(highlight=False)


@app.command("show")
@friendly_errors
def show(
    conversation_id: str = typer.Argument(..., help="The conversation id (conv_...)"),
    as_json: bool = typer.Option(False, "--json", help="Print the entries as JSON instead of text"),
) -> None:
    """Every decision made in a conversation, oldest first, with the rules and values behind it."""
    from relaydesk.governance.audit_text import render_text
    from relaydesk.services.audit_trail import conversation_audit_trail

    entries = conversation_audit_trail(Settings(), conversation_id)
    if as_json:
        typer.echo(json.dumps([e.to_dict() for e in entries], indent=2))
    elif not entries:
        console.print(f"No decisions recorded yet for {conversation_id}.")
    else:
        typer.echo(f"Decisions in {conversation_id} ({len(entries)}):")
        typer.echo(render_text(entries))


@app.command("check-policy")
@friendly_errors
def check_policy(path: Path = typer.Argument(..., help="A governance policy YAML file")) -> None:
    """Validate a governance policy file; a bad one is reported with its file, line and reason."""
    from relaydesk.governance.policy import load_policy

    policy = load_policy(path)
    active = len(policy.escalation.active())
    console.print(
        f"{path}: policy {policy.label} is valid: {active} escalation triggers, "
        f"{len(policy.actions.state_rules)} state rules, {len(policy.actions.amount_limits)} amount "
        "limits.",
        markup=False,
    )


@app.command("check-routing")
@friendly_errors
def check_routing(path: Path = typer.Argument(..., help="A routing rules YAML file")) -> None:
    """Validate a routing rules file; a bad one is reported with its file, line and reason."""
    from relaydesk.routing.rules import load_routing_rules

    rules = load_routing_rules(path)
    levels = ", ".join(f"{tier} {seconds:g} s" for tier, seconds in rules.service_levels_s.items())
    console.print(
        f"{path}: routing rules {rules.version}#{rules.digest} are valid: service levels {levels}; "
        f"{len(rules.intent_skills)} intents mapped to skills; automatic assignment "
        f"{'on' if rules.auto_assign else 'off'}.",
        markup=False,
    )
