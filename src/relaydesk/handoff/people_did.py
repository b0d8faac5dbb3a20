"""What people did in the conversation that the next agent must know, for the brief's summary: a
person's decision on an action the AI held (with their note) and the latest transfer (with its note).
"""

from __future__ import annotations

from collections.abc import Sequence

from relaydesk.domain.decisions import DecisionKind
from relaydesk.domain.models import Decision
from relaydesk.handoff.text import excerpt, masked

MAX_NOTE = 160


def people_did(decisions: Sequence[Decision]) -> str:
    """The sentences to add to the summary (each with a leading space), or ""."""
    return _decided(decisions) + _transferred(decisions)


def _decided(decisions: Sequence[Decision]) -> str:
    """The latest decision a person made on an action the AI held, with their note (walkthrough:
    the agent reading the brief did not see that the refund had been denied, nor why)."""
    made = [d for d in decisions if d.kind == DecisionKind.APPROVAL and d.outcome in APPROVAL_WORDS]
    if not made:
        return ""
    last = made[-1]
    who = (last.summary or "").split(" (tier", 1)[0] or "A person"
    what = str(last.inputs.get("tool") or "the action").replace("_", " ")
    note = (last.summary or "").split(" Note: ", 1)[1].strip() if " Note: " in (last.summary or "") else ""
    said = f" {who} {APPROVAL_WORDS[last.outcome]} the request to {what}"
    return masked(said + (f' (note: "{excerpt(note, MAX_NOTE)}").' if note else "."))


APPROVAL_WORDS = {"approved": "approved", "denied": "denied", "failed": "approved, but could not carry out,"}


def _transferred(decisions: Sequence[Decision]) -> str:
    """The latest transfer as the agent who made it wrote it (with their note), for the next one."""
    moves = [d for d in decisions if d.kind == DecisionKind.ROUTE and d.outcome.startswith("transferred_")]
    if not moves or not moves[-1].summary:
        return ""
    said = masked(moves[-1].summary).strip()
    return " " + (said if said.endswith((".", "!", "?")) else said + ".")
