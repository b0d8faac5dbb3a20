"""What kinds of decisions the log holds (stored as their string values), and typed readers of their
payloads: code reads a decision through these, never by digging in ``reasons[0]``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from relaydesk.domain.capability_types import FiredRule
from relaydesk.domain.models import Decision


class DecisionKind(StrEnum):
    TRIAGE = "triage"
    """What triage read in a customer message (intent, scope, frustration, urgency, language)."""
    ESCALATION = "escalation"
    """Whether the message calls for a person, by which rules (or an offer withdrawn)."""
    RESPONSE = "response"
    """Which specialist answered, how sure, from which sources."""
    DELIVERY = "delivery"
    """A person owns the conversation: the message went to them and the AI stayed quiet (and any
    answer the AI had prepared meanwhile was dropped)."""
    ROUTE = "route"
    """Where an escalation went: offered to an agent or queued, with the scores."""
    ASSIGNMENT = "assignment"
    """Which agent got the conversation and how (claimed, routed, next, auto)."""
    HANDBACK = "handback"
    """An agent gave the conversation back to the AI."""
    RESOLUTION = "resolution"
    """The conversation closed. Outcome ``resolved``: an agent resolved it; ``resolved_by_ai``: the
    AI did (the customer confirmed, or went quiet after an answer); ``abandoned``: the customer left
    before anything was settled. ``inputs.by`` says who: ``agent``, ``ai`` or ``timer``."""
    REOPEN = "reopen"
    """The customer wrote in a closed conversation and it opened again."""
    REPEAT = "repeat"
    """After a handover the customer said again what they had said before it (handoff friction)."""
    FOLLOW_UP = "follow_up"
    """A follow-up was scheduled, sent or cancelled."""
    APPROVAL = "approval"
    """An agent with authority approved or denied an action governance held."""
    TOOL_CALL = "tool_call"
    """A governed action: allowed, held for approval or denied, with the rule that decided."""
    RECOVERY = "recovery"
    """A message the AI kept failing to handle went to a person instead."""


@dataclass(frozen=True, slots=True)
class EntityReading:
    kind: str
    value: str | int | float | None
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class TriageReading:
    """The payload of a ``triage`` decision: what triage read in one customer message."""

    intent: str | None
    confidence: float
    in_scope: bool
    frustration: float
    urgency: float
    language: str | None
    wants_human: bool
    entities: tuple[EntityReading, ...] = ()
    reasons: tuple[str, ...] = ()

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> TriageReading:
        entities = tuple(
            EntityReading(str(e.get("kind") or ""), e.get("value"), e.get("unit"))
            for e in data.get("entities") or ()
            if isinstance(e, dict)
        )
        return cls(
            intent=data.get("intent") or None,
            confidence=float(data.get("confidence") or 0.0),
            in_scope=bool(data.get("in_scope", True)),
            frustration=float(data.get("frustration") or 0.0),
            urgency=float(data.get("urgency") or 0.0),
            language=data.get("language") or None,
            wants_human=bool(data.get("wants_human", False)),
            entities=entities,
            reasons=tuple(str(r) for r in data.get("reasons") or ()),
        )


@dataclass(frozen=True, slots=True)
class EscalationReading:
    """The payload of an ``escalation`` decision."""

    escalate: bool
    reason: str
    rules: tuple[FiredRule, ...]


def triage_readings(decisions: Iterable[Decision]) -> list[TriageReading]:
    """The triage readings in a decision log, oldest first (the one place that knows where the
    triage decision keeps its payload)."""
    readings = []
    for d in decisions:
        if d.kind == DecisionKind.TRIAGE and d.reasons and isinstance(d.reasons[0], dict):
            readings.append(TriageReading.from_payload(d.reasons[0]))
    return readings


def fired_rules(reasons: Iterable[Any]) -> tuple[FiredRule, ...]:
    """The rules an escalation decision's ``reasons`` name (entries without a rule are skipped)."""
    return tuple(
        FiredRule(
            str(r.get("rule") or ""),
            str(r.get("family") or ""),
            str(r.get("reason") or ""),
            dict(r.get("values") or {}),
        )
        for r in reasons or ()
        if isinstance(r, dict) and r.get("rule")
    )


def escalation_readings(decisions: Iterable[Decision]) -> list[EscalationReading]:
    """The escalation decisions (escalate or stay) in a decision log, oldest first."""
    out = []
    for d in decisions:
        if d.kind != DecisionKind.ESCALATION or d.outcome not in ("escalate", "stay_with_ai"):
            continue
        out.append(EscalationReading(d.outcome == "escalate", d.summary, fired_rules(d.reasons)))
    return out


# -- payloads written by the use cases: one definition per kind, used to write and to read ------


@dataclass(frozen=True, slots=True)
class Abstention:
    responder: str
    reason: str | None
    confidence: float


@dataclass(frozen=True, slots=True)
class ResponsePayload:
    """A ``response`` decision: which specialist answered (its name is the outcome), how sure."""

    confidence: float
    abstained: tuple[Abstention, ...] = ()

    def inputs(self) -> dict[str, Any]:
        return {
            "confidence": self.confidence,
            "abstained": [
                {"responder": a.responder, "reason": a.reason, "confidence": a.confidence}
                for a in self.abstained
            ],
        }

    @classmethod
    def of(cls, decision: Decision) -> ResponsePayload:
        data = decision.inputs
        return cls(
            float(data.get("confidence") or 0.0),
            tuple(
                Abstention(str(a.get("responder") or ""), a.get("reason"), float(a.get("confidence") or 0.0))
                for a in data.get("abstained") or ()
                if isinstance(a, dict)
            ),
        )


@dataclass(frozen=True, slots=True)
class RoutePayload:
    """A ``route`` decision: what the escalation needed and where it stood in line."""

    required_skills: tuple[str, ...] = ()
    preferred_skills: tuple[str, ...] = ()
    priority: int = 0
    language: str | None = None
    tier: str | None = None
    due_at: str | None = None
    queued_ahead: int = 0
    candidates: tuple[str, ...] = ()
    """Agents it was offered to (the follow-up record when none of them took it)."""

    def inputs(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "required_skills": list(self.required_skills),
            "preferred_skills": list(self.preferred_skills),
            "priority": self.priority,
            "language": self.language,
            "tier": self.tier,
            "due_at": self.due_at,
            "queued_ahead": self.queued_ahead,
        }
        if self.candidates:
            data["candidates"] = list(self.candidates)
        return data

    @classmethod
    def of(cls, decision: Decision) -> RoutePayload:
        data = decision.inputs
        return cls(
            tuple(data.get("required_skills") or ()),
            tuple(data.get("preferred_skills") or ()),
            int(data.get("priority") or 0),
            data.get("language"),
            data.get("tier"),
            data.get("due_at"),
            int(data.get("queued_ahead") or 0),
            tuple(data.get("candidates") or ()),
        )


@dataclass(frozen=True, slots=True)
class AssignmentPayload:
    """An ``assignment`` decision (how, ``claimed``/``routed``/``next``/``auto``, is the outcome)."""

    agent_id: str
    skills: dict[str, float] = field(default_factory=dict)
    languages: tuple[str, ...] = ()
    tier: int = 1
    waited_s: float | None = None
    due_at: str | None = None
    within_service_level: bool | None = None

    def inputs(self) -> dict[str, Any]:
        return {
            "agent_id": self.agent_id,
            "skills": dict(self.skills),
            "languages": list(self.languages),
            "tier": self.tier,
            "waited_s": self.waited_s,
            "due_at": self.due_at,
            "within_service_level": self.within_service_level,
        }

    @classmethod
    def of(cls, decision: Decision) -> AssignmentPayload:
        data = decision.inputs
        return cls(
            str(data.get("agent_id") or ""),
            dict(data.get("skills") or {}),
            tuple(data.get("languages") or ()),
            int(data.get("tier") or 1),
            data.get("waited_s"),
            data.get("due_at"),
            data.get("within_service_level"),
        )


@dataclass(frozen=True, slots=True)
class DeliveryPayload:
    """A ``delivery`` decision: the message went to the person who owns the conversation."""

    agent_id: str | None
    ai_reply_dropped: bool = False
    """The AI had an answer ready, but a person took the conversation meanwhile."""

    def inputs(self) -> dict[str, Any]:
        return {"agent_id": self.agent_id, "ai_reply_dropped": self.ai_reply_dropped}

    @classmethod
    def of(cls, decision: Decision) -> DeliveryPayload:
        return cls(decision.inputs.get("agent_id"), bool(decision.inputs.get("ai_reply_dropped")))
