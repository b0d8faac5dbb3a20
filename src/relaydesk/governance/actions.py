"""Judging one tool call: allow, needs approval, or deny with a reason the customer can be told."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from relaydesk.governance.action_rules import ActionRules, render

ASK_IDENTITY = (
    "I need to verify your identity first: please give your e-mail address, or your name and zip code."
)
NOT_YOURS = "I can only help with your own account and orders, and this record belongs to someone else."
ASK_CONFIRMATION = "Before I do this, please confirm the exact action and its details with a clear yes."


class Risk(StrEnum):
    NONE = "none"
    """Reads nothing personal and changes nothing (catalog, arithmetic)."""
    LOW = "low"
    """Reads a customer's records, or changes something easily put back (an address)."""
    MEDIUM = "medium"
    """Changes an order in a way that is hard to undo."""
    HIGH = "high"
    """Moves money or ends an order."""


class Verdict(StrEnum):
    ALLOW = "allow"
    """The AI may make the call now."""
    NEEDS_APPROVAL = "needs_approval"
    """A person with authority must approve it first; an approval task is created."""
    DENY = "deny"
    """Refused; the reason names the rule and can be told to the customer."""


@dataclass(frozen=True, slots=True)
class ToolSpec:
    """What a tool is: its arguments, what it changes, and how risky it is."""

    name: str
    description: str
    params: tuple[str, ...] = ()
    changes: tuple[str, ...] = ()
    """Record fields it changes (``order.status``, ``user.gift_card_balance``); empty: read-only."""
    risk: Risk = Risk.NONE
    personal: bool = False
    """It reads or changes one customer's records, so identity and ownership matter."""
    authenticates: bool = False
    """A successful call identifies the customer (a lookup by e-mail, or by name and zip)."""
    once_per: str | None = None
    """The argument naming the record this action may be done to only once (e.g. ``order_id``)."""

    @property
    def consequential(self) -> bool:
        return bool(self.changes)


def action_key(tool: str, args: dict[str, Any]) -> str:
    """The exact action in one string: the same tool with the same arguments."""
    return tool + json.dumps(args, sort_keys=True, separators=(",", ":"), default=str)


@dataclass
class ActionSession:
    """What governance remembers about one conversation: who is verified, what was confirmed, done.

    Rebuilt from the decision log when a conversation is picked up again (see ``GovernedTools``).
    """

    conversation_id: str | None = None
    workspace_id: str = "default"
    authenticated_user_id: str | None = None
    confirmed: set[str] = field(default_factory=set)
    """Action keys the customer explicitly confirmed and that have not run yet."""
    done: set[str] = field(default_factory=set)
    """``tool:record`` for once-only actions already carried out."""

    def confirm(self, tool: str, args: dict[str, Any]) -> str:
        key = action_key(tool, args)
        self.confirmed.add(key)
        return key


@dataclass(frozen=True, slots=True)
class RuleCheck:
    rule: str
    passed: bool
    reason: str
    values: dict[str, Any] = field(default_factory=dict)
    on_fail: Verdict = Verdict.DENY


@dataclass(frozen=True, slots=True)
class ActionVerdict:
    verdict: Verdict
    rule: str | None
    """The rule that decided (None when every rule passed)."""
    reason: str
    """Plain words for the customer and the audit trail."""
    checks: tuple[RuleCheck, ...] = ()
    approver_tier: int | None = None
    amount: float | None = None
    version: str = "unknown"

    def to_log(self) -> list[dict[str, Any]]:
        return [
            {"rule": c.rule, "passed": c.passed, "reason": c.reason, "values": c.values} for c in self.checks
        ]


class ActionPolicy:
    """Applies an :class:`ActionRules` to tool calls. Pure: the caller supplies the facts."""

    def __init__(self, rules: ActionRules, version: str = "unknown") -> None:
        self.rules = rules
        self.version = version

    def check(
        self,
        spec: ToolSpec,
        args: dict[str, Any],
        facts: dict[str, Any],
        session: ActionSession,
        *,
        approved: bool = False,
    ) -> ActionVerdict:
        """Every applicable rule, in order; the first failed deny decides, else approval, else allow."""
        values = {**args, **facts}
        checks: list[RuleCheck] = []
        rules = self.rules
        if facts.get("missing"):
            checks.append(
                RuleCheck(
                    "record_must_exist",
                    False,
                    f"I could not find {facts['missing']}.",
                    {"missing": facts["missing"]},
                )
            )
        needs_identity = spec.personal or spec.consequential
        if rules.require_authentication and needs_identity:
            ok = session.authenticated_user_id is not None
            checks.append(
                RuleCheck(
                    "authentication_required",
                    ok,
                    "The customer's identity is verified." if ok else ASK_IDENTITY,
                    {"authenticated_user_id": session.authenticated_user_id},
                )
            )
        owner = facts.get("owner_user_id")
        if rules.own_records_only and needs_identity and owner is not None and session.authenticated_user_id:
            ok = owner == session.authenticated_user_id
            checks.append(
                RuleCheck(
                    "own_records_only",
                    ok,
                    "The record belongs to the verified customer." if ok else NOT_YOURS,
                    {"owner_user_id": owner, "authenticated_user_id": session.authenticated_user_id},
                )
            )
        if rules.once_only and spec.once_per and spec.once_per in args:
            done_key = f"{spec.name}:{args[spec.once_per]}"
            ok = done_key not in session.done
            checks.append(
                RuleCheck(
                    "once_only",
                    ok,
                    "Not done before in this conversation."
                    if ok
                    else f"{spec.name} on {args[spec.once_per]} can be done only once; it was done already.",
                    {"record": args[spec.once_per]},
                )
            )
        for rule in rules.state_rules:
            if spec.name in rule.tools and rule.fact in facts:
                ok = facts[rule.fact] in rule.allowed
                checks.append(
                    RuleCheck(
                        rule.id,
                        ok,
                        render(rule.explain, values)
                        if not ok
                        else f"{rule.fact} is {facts[rule.fact]!r}, as required.",
                        {rule.fact: facts[rule.fact], "allowed": list(rule.allowed)},
                    )
                )
        if rules.require_confirmation and spec.consequential and not approved:
            ok = action_key(spec.name, args) in session.confirmed
            checks.append(
                RuleCheck(
                    "confirmation_required",
                    ok,
                    "The customer confirmed this exact action." if ok else ASK_CONFIRMATION,
                    {"action": spec.name},
                )
            )
        approver_tier = None
        amount = None
        for limit in rules.amount_limits:
            if limit.auto_max is None or limit.fact not in facts or facts[limit.fact] is None:
                continue
            amount = float(facts[limit.fact])
            ok = approved or amount <= limit.auto_max
            reason = render(
                limit.explain, {**values, "limit": money(limit.auto_max), "amount": money(amount)}
            )
            checks.append(
                RuleCheck(
                    limit.id,
                    ok,
                    reason
                    if not ok
                    else f"{limit.fact} {amount:.2f} is within the limit {limit.auto_max:.2f}"
                    + (" or was approved." if approved else "."),
                    {limit.fact: amount, "auto_max": limit.auto_max, "approved": approved},
                    on_fail=Verdict.NEEDS_APPROVAL,
                )
            )
            if not ok:
                approver_tier = max(approver_tier or 0, limit.approver_tier)
        return self._verdict(tuple(checks), approver_tier, amount)

    def _verdict(
        self, checks: tuple[RuleCheck, ...], approver_tier: int | None, amount: float | None
    ) -> ActionVerdict:
        for check in checks:
            if not check.passed and check.on_fail == Verdict.DENY:
                return ActionVerdict(Verdict.DENY, check.rule, check.reason, checks, version=self.version)
        for check in checks:
            if not check.passed:
                return ActionVerdict(
                    Verdict.NEEDS_APPROVAL,
                    check.rule,
                    check.reason,
                    checks,
                    approver_tier=approver_tier,
                    amount=amount,
                    version=self.version,
                )
        return ActionVerdict(
            Verdict.ALLOW,
            None,
            "Every rule that applies is met.",
            checks,
            amount=amount,
            version=self.version,
        )


def money(amount: float) -> str:
    """An amount limit's figures as the customer reads them: ``$1,234.56``."""
    return f"${float(amount):,.2f}"
