"""What every step shares: its input (this message first, then what the customer said earlier in
the flow), its outcome, and the templates the replies are written from."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from relaydesk.specialists import extract as ex
from relaydesk.specialists import flow_texts as ft
from relaydesk.specialists.flow_spec import TOOL_ARGS, StepSpec
from relaydesk.specialists.state import FlowFrame
from relaydesk.specialists.toolbox import Toolbox

ANYTHING_ELSE = "Is there anything else I can help you with?"
ORIGINAL = re.compile(
    r"\b(original|same (card|method|payment|account)|the one i (paid|used|bought)|paid with|used to pay)\b",
    re.I,
)
ALL_ITEMS = re.compile(
    r"\b(all (the |of the )?(items|of it|of them)|everything|the whole order|entire order)\b", re.I
)
SAME_ORDER = re.compile(r"\b(same|that|this) order\b", re.I)
DEFAULT_ADDRESS = re.compile(
    r"\b(to|use|same as|ship (it )?to|send (it )?to)\s+(my |the )?"
    r"(default|usual|profile|account|saved) address\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Outcome:
    kind: str
    """``next`` (slots filled, go on), ``again`` (run the flow on from the step it now stands at),
    ``ask`` (wait for the customer), ``finish`` (the flow ended), ``exit`` (a person should take
    it), ``handover`` (another flow fits better)."""
    text: str = ""
    asks: str | None = None
    label: str = ""
    """For finish/exit: how it ended (done, refused, declined, not_possible, awaiting_approval)."""
    target: str | None = None
    resolved: bool = False
    specific: bool = False
    """For ask: the customer named something this step cannot take as it is (an option that is
    not available, a refund method the rules do not allow), and the question says why."""
    said: str | None = None
    """For exit: what the customer is told (a flow's own handoff step), instead of the general line."""
    follow_up: tuple[str, int] | None = None
    """For finish: a message to send the customer later and in how many seconds ("Has your parcel
    arrived?"), scheduled with the reply (``services/follow_ups.py``)."""
    person_offer: str | None = None
    """For finish: the flow cannot do what the customer asked (the order's state), and the reply
    offers a person; why, in words for the brief, should they still want something done."""


def next_() -> Outcome:
    return Outcome("next")


def ask(text: str, slot: str, *, specific: bool = False) -> Outcome:
    return Outcome("ask", text, asks=slot, specific=specific)


def finish(
    text: str, label: str, *, resolved: bool = False, follow_up: tuple[str, int] | None = None
) -> Outcome:
    return Outcome("finish", text, label=label, resolved=resolved, follow_up=follow_up)


@dataclass
class StepInput:
    box: Toolbox
    spec: StepSpec
    frame: FlowFrame
    texts: Sequence[str]
    """This message first (when there is one), then the customer's earlier messages in the flow."""
    title: str
    words: Sequence[re.Pattern[str]] = ()
    """The flow's start words: in a message naming several orders, the one next to them is meant."""
    language: str = "en"
    """The conversation's language: what the step says is said in it (``flow_texts.py``, and the
    flow's own texts from its YAML)."""

    def say(self, key: str, **values: Any) -> str:
        """The step library's text ``key`` in the conversation's language."""
        return ft.text(key, self.language, **values)

    def setting(self, key: str) -> str | None:
        """A text setting of the step (``ask``, ``say``, ...) in the conversation's language."""
        value = self.spec.get(key)
        return ft.localized(value, self.language) if value else None

    @property
    def slots(self) -> dict[str, Any]:
        return self.frame.slots

    @property
    def current(self) -> str:
        return self.texts[0] if self.texts else ""

    @property
    def answering(self) -> bool:
        """Whether this message answers the question this step asked."""
        return bool(self.texts) and self.frame.asked is not None


def format_address(a: dict[str, Any]) -> str:
    parts = [
        a.get("address1"),
        a.get("address2"),
        a.get("city"),
        f"{a.get('state', '')} {a.get('zip', '')}".strip(),
        a.get("country"),
    ]
    return ", ".join(str(p) for p in parts if p)


# -- confirming and acting --------------------------------------------------------------------------
def tool_args(spec: StepSpec, slots: dict[str, Any]) -> dict[str, Any]:
    mapping = spec.get("args") or TOOL_ARGS[str(spec.get("tool"))]
    args: dict[str, Any] = {}
    for arg, slot in mapping.items():
        if str(slot).startswith("="):
            args[arg] = str(slot)[1:]
        elif arg == "address":
            args.update({k: str(v) for k, v in dict(slots[slot]).items()})
        else:
            args[arg] = slots[slot]
    return args


def template_values(s: StepInput, facts: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {k: v for k, v in s.slots.items() if not k.startswith("_")}
    if isinstance(values.get("address"), dict):
        values["address"] = format_address(values["address"])
    found = s.box.order(s.slots["order_id"]) if s.slots.get("order_id") else None
    if found:
        values.setdefault("items", "; ".join(i["name"] for i in found["items"]))
        values["order_items"] = ", ".join(i["name"] for i in found["items"])
        values["status"] = found["status"]
        paid = sum(
            p["amount"] for p in found.get("payment_history", []) if p["transaction_type"] == "payment"
        )
        values["total"] = ex.money(paid)
        history = found.get("payment_history", [])
        user = s.box.user() or {}
        methods = user.get("payment_methods") or {}
        if history:
            method = methods.get(history[0]["payment_method_id"], {"id": history[0]["payment_method_id"]})
            values["refund_to"] = ex.describe_method(method)
    for key in ("refund_amount", "charge_amount"):
        if isinstance(facts.get(key), int | float):
            values[key] = ex.money(float(facts[key]))
    difference = facts.get("price_difference")
    if isinstance(difference, int | float):
        values["price_difference"] = ex.money(abs(float(difference)))
        values["difference"] = (
            s.say("difference.more", amount=ex.money(difference))
            if difference > 0.005
            else s.say("difference.back", amount=ex.money(-difference))
            if difference < -0.005
            else s.say("difference.same")
        )
    values.setdefault("first_name", s.box.state.shared.get("first_name", ""))
    return values


def render(template: str, values: dict[str, Any]) -> str:
    class Missing(dict[str, Any]):
        def __missing__(self, key: str) -> str:
            return "?"

    return template.format_map(Missing(values))
