"""``relaydesk customer``: a customer's personal data, erased on request (docs/privacy.md)."""

from __future__ import annotations

import typer
from rich.console import Console

from relaydesk.cli.errors import friendly_errors
from relaydesk.settings import Settings

app = typer.Typer(help="Customers: erase a customer's personal data on request.", no_args_is_help=True)
console = Console()


@app.command("erase")
@friendly_errors
def erase(
    workspace: str = typer.Option(..., help="Workspace slug"),
    customer: str = typer.Option(..., help="The customer's id (cus_...) or the company's external id"),
    yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation"),
) -> None:
    """Erase a customer's personal data: name, e-mail, external id (kept only as a digest),
    attributes, every message text of their conversations, notes, comments, approval arguments,
    and the personal values their decisions referred to. Conversations, messages, ratings and
    decisions stay, anonymised, so the KPIs keep their counts. Safe to run again."""
    from relaydesk.services.customer_erasure import erase_customer_data

    def ask(customer_id: str) -> None:
        if not yes:
            shown = customer if customer == customer_id else f"{customer} ({customer_id})"
            typer.confirm(
                f'Erase the personal data of customer "{shown}" in workspace "{workspace}"? '
                "This cannot be undone",
                abort=True,
            )

    done = erase_customer_data(Settings(), workspace, customer, confirm=ask)
    if not done.changed:
        console.print(f"Customer {done.customer_id}: nothing left to erase (already erased).")
        return
    console.print(f"Erased the personal data of customer [bold]{done.customer_id}[/] ({workspace}):")
    for count, what in (
        (done.profile, "profile (name, e-mail, external id, attributes)"),
        (done.messages, "message texts replaced by \\[erased]"),
        (done.decision_values, "decisions' personal values deleted (the log keeps references)"),
        (done.conversation_details, "conversation subjects, page contexts, flow slots, reasons"),
        (done.notes, "internal notes and follow-up texts"),
        (done.ratings_and_feedback, "rating comments and feedback notes"),
        (done.approvals, "approval tasks' arguments and results"),
        (done.case_vectors, "similar-case search entries"),
        (done.chat_links, "chat links (conversation tokens) revoked"),
    ):
        console.print(f"  {count:>6}  {what}")
    console.print(f"  {done.conversations:>6}  conversations kept, anonymised, for the KPIs")
