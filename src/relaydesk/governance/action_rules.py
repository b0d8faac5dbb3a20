"""Action policies as data: which tool calls the AI may make alone, which need approval, which never.

The ``actions`` section of a policy file::

    actions:
      require_authentication: true   # identity verified in this conversation before personal tools
      require_confirmation: true     # the customer confirmed this exact action before it changes anything
      own_records_only: true         # only the authenticated customer's own records
      once_only: true                # tools declared once-only run once per record
      amount_limits:                 # above auto_max a human with approver_tier approves
        - {id: refund_approval, fact: refund_amount, auto_max: 50, approver_tier: 2}
      state_rules:                   # business rules on the records' state
        - {id: cancel_only_pending, tools: [cancel_pending_order], fact: order_status, allowed: [pending],
           explain: "Only a pending order can be cancelled; order {order_id} is {order_status}."}
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field, replace
from typing import Any

from relaydesk.rules_files.reader import PolicyDocument, Reader

RULE_ID = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
DEFAULT_LIMIT_EXPLANATION = "Amounts above {limit} need an approval from our team; this one is {amount}."


@dataclass(frozen=True, slots=True)
class AmountLimit:
    """Above ``auto_max`` (of the fact ``fact``) an action needs a human's approval."""

    id: str
    fact: str
    auto_max: float | None
    """None: no limit."""
    approver_tier: int = 2
    """The lowest agent tier that may approve."""
    explain: str = DEFAULT_LIMIT_EXPLANATION
    line: int | None = None


@dataclass(frozen=True, slots=True)
class StateRule:
    """A business rule on the records' state: the fact must have one of the allowed values."""

    id: str
    tools: tuple[str, ...]
    fact: str
    allowed: tuple[Any, ...]
    explain: str
    line: int | None = None


@dataclass(frozen=True, slots=True)
class ActionRules:
    require_authentication: bool = True
    require_confirmation: bool = True
    own_records_only: bool = True
    once_only: bool = True
    amount_limits: tuple[AmountLimit, ...] = ()
    state_rules: tuple[StateRule, ...] = field(default=())

    def with_amount_limit(self, rule_id: str, auto_max: float | None) -> ActionRules:
        """The same rules with one amount limit changed (None removes the limit)."""
        limits = tuple(replace(a, auto_max=auto_max) if a.id == rule_id else a for a in self.amount_limits)
        return replace(self, amount_limits=limits)

    def without_amount_limits(self) -> ActionRules:
        return replace(self, amount_limits=tuple(replace(a, auto_max=None) for a in self.amount_limits))

    def tools_named(self) -> dict[str, int | None]:
        """Every tool a state rule names, with the line of the first rule naming it."""
        named: dict[str, int | None] = {}
        for rule in self.state_rules:
            for tool in rule.tools:
                named.setdefault(tool, rule.line)
        return named


def render(template: str, values: dict[str, Any]) -> str:
    """Fill ``{name}`` placeholders from ``values``; unknown names are left as they are."""
    out = []
    for literal, name, _spec, _conv in string.Formatter().parse(template):
        out.append(literal)
        if name is not None:
            out.append(_show(values[name]) if name in values else "{" + name + "}")
    return "".join(out)


def _show(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def read_actions(doc: PolicyDocument, value: Any) -> ActionRules:
    path = ("actions",)
    r = Reader(doc, path, value, "the actions section")
    r.refuse_unknown(
        [
            "require_authentication",
            "require_confirmation",
            "own_records_only",
            "once_only",
            "amount_limits",
            "state_rules",
        ]
    )
    ids: dict[str, int | None] = {}

    def unique(rule_id: str, where: tuple[str | int, ...]) -> None:
        if rule_id in ids:
            raise doc.error(where, f'the rule id "{rule_id}" is used twice (first on line {ids[rule_id]})')
        ids[rule_id] = doc.line(where)

    limits = []
    for index, item in enumerate(r.sequence("amount_limits")):
        limit = _read_limit(doc, (*path, "amount_limits", index), item)
        unique(limit.id, (*path, "amount_limits", index))
        limits.append(limit)
    states = []
    for index, item in enumerate(r.sequence("state_rules")):
        rule = _read_state(doc, (*path, "state_rules", index), item)
        unique(rule.id, (*path, "state_rules", index))
        states.append(rule)
    return ActionRules(
        require_authentication=r.boolean("require_authentication", True),
        require_confirmation=r.boolean("require_confirmation", True),
        own_records_only=r.boolean("own_records_only", True),
        once_only=r.boolean("once_only", True),
        amount_limits=tuple(limits),
        state_rules=tuple(states),
    )


def _rule_id(r: Reader) -> str:
    rule_id = r.text("id", required=True)
    if not RULE_ID.match(rule_id):
        raise r.error("id", f'rule id "{rule_id}" must be lower case letters, digits and _')
    r.what = f'rule "{rule_id}"'
    return rule_id


def _read_limit(doc: PolicyDocument, path: tuple[str | int, ...], value: Any) -> AmountLimit:
    r = Reader(doc, path, value, "an amount limit")
    rule_id = _rule_id(r)
    r.refuse_unknown(["id", "fact", "auto_max", "approver_tier", "explain"])
    auto_max = r.number("auto_max", required=True) if r.value.get("auto_max") is not None else None
    if auto_max is not None and auto_max < 0:
        raise r.error("auto_max", f'bad threshold: "auto_max" is {auto_max}, a limit cannot be negative')
    tier = r.integer("approver_tier", 2)
    if not 1 <= tier <= 3:
        raise r.error("approver_tier", f'"approver_tier" is {tier}, agent tiers go from 1 to 3')
    return AmountLimit(
        id=rule_id,
        fact=r.text("fact", required=True),
        auto_max=auto_max,
        approver_tier=tier,
        explain=r.text("explain", DEFAULT_LIMIT_EXPLANATION),
        line=doc.line(path),
    )


def _read_state(doc: PolicyDocument, path: tuple[str | int, ...], value: Any) -> StateRule:
    r = Reader(doc, path, value, "a state rule")
    rule_id = _rule_id(r)
    r.refuse_unknown(["id", "tools", "fact", "allowed", "explain"])
    tools = r.texts("tools", [])
    if not tools:
        raise r.error("tools", "rule can never fire: it names no tool")
    allowed = r.get(
        "allowed",
        lambda v: isinstance(v, list) and all(isinstance(x, str | int | float | bool) for x in v),
        "a list of allowed values",
        required=True,
    )
    if not allowed:
        raise r.error(
            "allowed", "no value is allowed, so every call would be refused; remove the tools instead"
        )
    return StateRule(
        id=rule_id,
        tools=tools,
        fact=r.text("fact", required=True),
        allowed=tuple(allowed),
        explain=r.text("explain", required=True),
        line=doc.line(path),
    )
