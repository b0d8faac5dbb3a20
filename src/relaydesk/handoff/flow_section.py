"""The brief's flow and intake parts: where the specialist flow stopped, what it filled, every tool
call made in the conversation, and what intake gathered while the customer waited.

Read from the conversation's stored flow state (``specialists/state.py``: ``FlowState.to_json``)
and from the decision log (tool calls, and the step each flow reply came from). Steps are numbered
from 1 everywhere and named by their kind ("step 2 (order)").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from relaydesk.domain.decisions import DecisionKind
from relaydesk.domain.models import Decision
from relaydesk.handoff.text import masked

MAX_TOOL_CALLS = 20
MAX_FINISHED = 6
MAX_ARG_TEXT = 60
MAX_ARG_ITEMS = 5
LONG_NUMBER_DIGITS = 9
PERSONAL_ARGS = {
    "email": "[email]",
    "first_name": "[name]",
    "last_name": "[name]",
    "zip": "[zip]",
    "address1": "[address]",
    "address2": "[address]",
    "phone": "[phone]",
}
"""Tool arguments that are personal data whatever they look like (a name, a zip code), shown so."""
FLOW_REPLY = re.compile(r"^flow (?P<label>\S+), step (?P<kind>[a-z_]+)")
"""The first reason of a flow reply's ``response`` decision (written by the specialist responder):
which flow spoke and from which kind of step."""


def flow_section(
    state: Mapping[str, Any] | None, decisions: Sequence[Decision] = ()
) -> dict[str, Any] | None:
    """The flow part of the brief (masked): the verified customer, the flow in progress with the
    step it stands at (``step 2 (order)``), what it waits for and the slots it filled, the flows set
    aside and ended, and the tool calls made (from the decision log, repeats counted once)."""
    calls = tool_calls(decisions)
    if not state and not calls:
        return None
    state = state or {}
    kinds = step_kinds(decisions)
    active = state.get("active")
    finished = [_finished(record, kinds) for record in list(state.get("finished") or [])[-MAX_FINISHED:]]
    section: dict[str, Any] = {
        "verified_customer": verified_user_id(state),
        "suspended": [f.get("name") for f in state.get("suspended") or []],
        "finished": finished,
        "tool_calls": calls,
    }
    if active:
        label = f"{active.get('name')}@{active.get('version')}"
        section.update(
            flow=label,
            step=step_name(active.get("step"), kinds.get(label)),
            waiting_for=active.get("asked"),
            slots=masked_value(public_slots(active.get("slots"))),
        )
    elif finished:
        section["flow"] = finished[-1].get("flow")
    return section


def intake_section(intake: Mapping[str, Any] | None) -> dict[str, Any]:
    """What intake gathered (masked), and the question still open (``waiting_for``) while it runs."""
    intake = intake or {}
    section: dict[str, Any] = masked_value(public_slots(intake))
    if intake.get("_asked") and not intake.get("_done"):
        section["waiting_for"] = str(intake["_asked"])
    return section


def verified_user_id(state: Mapping[str, Any] | None) -> str | None:
    """The store account the AI verified the customer as (None when it verified nobody)."""
    user_id = ((state or {}).get("shared") or {}).get("user_id")
    return str(user_id) if user_id else None


def verified_first_name(state: Mapping[str, Any] | None) -> str | None:
    name = ((state or {}).get("shared") or {}).get("first_name")
    return (str(name).strip() or None) if name else None


def public_slots(slots: Mapping[str, Any] | None) -> dict[str, Any]:
    """Slots without the flow's own bookkeeping (keys starting with ``_``: what was said, tried, asked)."""
    return {str(k): v for k, v in (slots or {}).items() if not str(k).startswith("_")}


def step_name(step: Any, kind: str | None = None) -> str | None:
    """``step 2 (order)`` for the stored 0-based step index 1 and its kind."""
    if step is None:
        return None
    try:
        number = int(step) + 1
    except (TypeError, ValueError):
        return None
    return f"step {number}" + (f" ({kind})" if kind else "")


def step_kinds(decisions: Sequence[Decision]) -> dict[str, str]:
    """``name@version`` -> the kind of the step its latest reply came from (the step a flow in
    progress stands at, or the one it stopped at)."""
    kinds: dict[str, str] = {}
    for decision in decisions:
        if decision.kind != DecisionKind.RESPONSE or not decision.reasons:
            continue
        first = decision.reasons[0]
        found = FLOW_REPLY.match(first) if isinstance(first, str) else None
        if found:
            kinds[found["label"]] = found["kind"]
    return kinds


def tool_calls(decisions: Sequence[Decision]) -> list[dict[str, Any]]:
    """Every governed tool call of the conversation, oldest first: tool, outcome, who made it,
    short masked arguments, why it did not run, its approval; the same call with the same outcome
    is listed once with how many times it was made."""
    calls: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for decision in decisions:
        if decision.kind != DecisionKind.TOOL_CALL:
            continue
        inputs = decision.inputs or {}
        raw = inputs.get("args") or {}
        actor = inputs.get("actor") if isinstance(inputs.get("actor"), dict) else None
        by = str(actor.get("name") or "an agent") if actor else "AI"
        key = (str(inputs.get("tool")), decision.outcome, by, repr(sorted(raw.items())))
        if key in calls:
            calls[key]["times"] = calls[key].get("times", 1) + 1
            continue
        call: dict[str, Any] = {
            "tool": inputs.get("tool"),
            "outcome": decision.outcome,
            "by": by,
            "args": short_args(raw),
        }
        reason = _why_not(decision)
        if reason:
            call["reason"] = masked(reason)
        if inputs.get("approval_id"):
            call["approval_id"] = inputs["approval_id"]
        calls[key] = call
    return list(calls.values())[-MAX_TOOL_CALLS:]


def short_args(args: Mapping[str, Any]) -> dict[str, Any]:
    """Tool arguments as the brief shows them: personal ones masked, long texts and lists cut."""
    out: dict[str, Any] = {}
    for key, value in args.items():
        if key in PERSONAL_ARGS:
            out[str(key)] = PERSONAL_ARGS[key]
        elif isinstance(value, list | tuple) and len(value) > MAX_ARG_ITEMS:
            out[str(key)] = [
                *masked_value(list(value[:MAX_ARG_ITEMS])),
                f"… {len(value) - MAX_ARG_ITEMS} more",
            ]
        elif isinstance(value, str) and len(value) > MAX_ARG_TEXT:
            out[str(key)] = masked(value)[: MAX_ARG_TEXT - 1] + "…"
        else:
            out[str(key)] = masked_value(value)
    return out


def masked_value(value: Any) -> Any:
    """``value`` with personal data masked in every text and number inside it, at any depth (a
    phone number stored as an integer is still a phone number)."""
    if isinstance(value, dict):
        return {str(k): masked_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [masked_value(v) for v in value]
    if isinstance(value, str):
        return masked(value)
    if isinstance(value, int) and not isinstance(value, bool) and len(str(abs(value))) >= LONG_NUMBER_DIGITS:
        # A long number in a customer record is a phone, card or account number more often than
        # a quantity; the agent sees its last four digits.
        return f"[number ending {str(abs(value))[-4:]}]"
    return value


def _finished(record: Mapping[str, Any], kinds: Mapping[str, str]) -> dict[str, Any]:
    out = masked_value(dict(record))
    if "step" in record:
        name = str(record.get("flow"))
        kind = next((k for label, k in kinds.items() if label.split("@")[0] == name), None)
        out["step"] = step_name(record["step"], kind)
    return dict(out)


def _why_not(decision: Decision) -> str | None:
    if decision.outcome == "executed":
        return None
    failed = [
        r for r in decision.reasons if isinstance(r, dict) and r.get("passed") is False and r.get("reason")
    ]
    return str(failed[0]["reason"]) if failed else None
