"""Steps that fill what an action needs (payment method, reason, address), confirm it with the
exact action and amounts, and make the governed call."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from relaydesk.governance.governed import ToolStatus
from relaydesk.specialists import extract as ex
from relaydesk.specialists.steps.base import (
    ANYTHING_ELSE,
    DEFAULT_ADDRESS,
    ORIGINAL,
    Outcome,
    StepInput,
    ask,
    finish,
    next_,
    render,
    template_values,
    tool_args,
)


def payment(s: StepInput) -> Outcome:
    user = s.box.user() or {}
    methods = list((user.get("payment_methods") or {}).values())
    found = s.box.order(s.slots["order_id"]) if s.slots.get("order_id") else None
    history = (found or {}).get("payment_history", [])
    original = next((p["payment_method_id"] for p in history if p.get("transaction_type") == "payment"), None)
    rule = s.spec.get("allow", "any")
    if rule == "original_or_gift_card":
        paid = {p["payment_method_id"] for p in history}
        eligible = [m for m in methods if m["id"] in paid or m.get("source") == "gift_card"]
    elif rule == "other_than_current":
        eligible = [m for m in methods if m["id"] != original]
    else:
        eligible = methods
    purpose = s.spec.get("purpose") or "use"
    missing = ex.named_source(s.current)
    if s.texts and missing and not any(m.get("source") == missing for m in methods):
        # "refund it to my PayPal" with no PayPal account: say so, never fall back on an older answer
        kind = {"paypal": "PayPal account", "gift_card": "gift card", "credit_card": "card"}[missing]
        listing = ", ".join(ex.describe_method(m) for m in eligible) or "none"
        return ask(
            f"I don't see a {kind} on your account, so I can't use one here. You can choose: {listing}.",
            "payment",
            specific=True,
        )
    for text in s.texts:
        chosen: str | None = None
        if ORIGINAL.search(text) and original:
            chosen = original
        else:
            chosen, ambiguous = ex.payment_method(text, methods)
            if ambiguous:
                listing = ", ".join(ex.describe_method(m) for m in eligible)
                return ask(
                    f"You have more than one of those. Which one: {listing}?", "payment", specific=True
                )
        if chosen is not None:
            if chosen not in {m["id"] for m in eligible}:
                why = (
                    "A refund can only go to the original payment method or a gift card."
                    if rule == "original_or_gift_card"
                    else "That is the method the order uses now."
                )
                listing = ", ".join(ex.describe_method(m) for m in eligible) or "none"
                return ask(f"{why} You can choose: {listing}.", "payment", specific=True)
            return _set_payment(s, methods, chosen)
    if len(eligible) == 1 and rule != "other_than_current":
        return _set_payment(s, methods, str(eligible[0]["id"]))
    listing = "\n".join(f"- {ex.describe_method(m)}" for m in eligible)
    question = s.spec.get("ask") or f"Which payment method should I {purpose}?"
    return ask(f"{question} You have:\n{listing}", "payment")


def _set_payment(s: StepInput, methods: list[dict[str, Any]], method_id: str) -> Outcome:
    s.slots["payment_method_id"] = method_id
    method = next((m for m in methods if m["id"] == method_id), {"id": method_id})
    s.slots["payment"] = ex.describe_method(method)
    return next_()


def reason(s: StepInput) -> Outcome:
    for text in s.texts:
        found = ex.cancel_reason(text)
        if found:
            s.slots["reason"] = found
            return next_()
    if s.answering and s.frame.asked == "reason" and ex.answer(s.current) == "no":
        pass
    return ask(
        s.spec.get("ask")
        or "Could you tell me why you'd like to cancel: is it no longer needed, "
        "or was it ordered by mistake?",
        "reason",
    )


def address(s: StepInput) -> Outcome:
    for text in s.texts:
        found = ex.address(text)
        if found:
            s.slots["address"] = found
            return next_()
        if DEFAULT_ADDRESS.search(text) and s.box.user():
            s.slots["address"] = dict((s.box.user() or {})["address"])
            return next_()
    question = (
        s.spec.get("ask")
        or "What is the new address? Please write it on one line: "
        "street, apartment or suite, city, state, zip code."
    )
    if s.frame.asked == "address" and s.texts and re.search(r"\d", s.current):
        question = (
            "I couldn't read a complete address there. I need the street with its number, the city, "
            "the state as two capital letters (like TX) and the 5-digit zip code, separated by commas: "
            "for example 12 Oak Street, Apt 3, Austin, TX 78701."
        )
    return ask(question, "address")


Refill = Callable[[str], bool]
"""Re-reads the earlier steps from a reply to the confirmation: True when one changed (the flow
may have gone back to an earlier step)."""


def confirm(s: StepInput, refill: Refill) -> Outcome:
    tool = str(s.spec.get("tool"))
    if s.frame.asked == "confirm" and s.texts:
        said = ex.answer(s.current)
        if said == "yes":
            s.box.confirm(tool, tool_args(s.spec, s.slots))
            return next_()
        at = s.frame.step
        if said in ("no", "change", None) and refill(s.current):
            if s.frame.step != at:
                # an earlier step's answer changed and the steps after it must be read again
                s.slots["_changed"] = True
                return Outcome("again")
            return _ask_confirmation(s, tool, changed=True)
        if said == "no":
            return finish(f"All right, I haven't changed anything. {ANYTHING_ELSE}", "declined")
        if said == "change":
            return ask("What would you like to change?", "confirm")
        if said == "unsure":
            s.frame.attempts += 0
            return _ask_confirmation(s, tool, unsure=True)
    return _ask_confirmation(s, tool, changed=bool(s.slots.pop("_changed", False)))


def _ask_confirmation(s: StepInput, tool: str, *, changed: bool = False, unsure: bool = False) -> Outcome:
    args = tool_args(s.spec, s.slots)
    values = template_values(s, s.box.preview(tool, args))
    action = render(str(s.spec.get("say")), values)
    note = render(str(s.spec.get("note")), values) if s.spec.get("note") else ""
    lead = (
        "I can only go ahead with a clear yes. "
        if unsure
        else "Updated. "
        if changed
        else "Before I do anything: "
    )
    held = s.box.needs_approval(tool, args)
    if held:
        note = (note + " " if note else "") + (
            f"{held} So once you say yes, a member of our team will check it before it happens."
        )
    text = f"{lead}I will {action}.{(' ' + note) if note else ''} Shall I go ahead? (yes / no)"
    return ask(text, "confirm")


def act(s: StepInput) -> Outcome:
    tool = str(s.spec.get("tool"))
    args = tool_args(s.spec, s.slots)
    outcome = s.box.call(tool, args)
    if s.slots.get("order_id"):
        s.box.forget_order(str(s.slots["order_id"]))
    if outcome.status == ToolStatus.EXECUTED:
        values = template_values(s, s.box.preview(tool, args) if tool != "cancel_pending_order" else {})
        if isinstance(outcome.result, dict) and outcome.result.get("status"):
            values["status"] = outcome.result["status"]
        done = render(str(s.spec.get("done") or "Done."), values)
        s.slots["result"] = "done"
        return finish(f"{done} {ANYTHING_ELSE}", "done", resolved=True)
    if outcome.status == ToolStatus.PENDING_APPROVAL:
        s.frame.approval_id = outcome.approval_id
        return finish(
            f"{outcome.reason} You don't need to do anything: I'll tell you here as soon as they decide.",
            "awaiting_approval",
        )
    return finish(f"I couldn't do that: {outcome.reason} {ANYTHING_ELSE}", "refused")
