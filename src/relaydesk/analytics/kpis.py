"""Every KPI of a period, computed from the cohort's stored facts (``facts.py``).

Definitions (the cohort: conversations of the workspace started in ``[since, until)`` with at
least one customer message):

- **Handed to a person**: the conversation has a handover: an ``escalation`` decision with the
  outcome ``escalate``, a ``recovery`` decision, or an ``assignment`` decision (an agent claiming
  it from the AI). Its *first handover* is the oldest of these.
- **Containment** = cohort conversations never handed to a person / cohort conversations. An open
  conversation the AI still holds counts as contained until a person is brought in.
- **Escalation rate** = cohort conversations handed to a person / cohort conversations
  (containment + escalation rate = 1).
- **Escalation reasons**: for each handed-over conversation, the rules that fired in its *first*
  handover, counted once per conversation per rule (a conversation whose first escalation fired
  two rules counts under both) and once per family. A recovery counts as rule and family
  ``recovery``; an agent's claim as rule ``agent_claim``, family ``agent``. Each reason's rate is
  its count / cohort conversations.
- **Time to escalation**: for each handed-over conversation, the seconds from its first customer
  message to its first handover; median and mean over those conversations.
- **Resolution type** of a resolved conversation (status ``resolved``): *AI only* when never handed
  to a person; *AI then person* when the AI wrote at least one message before the first handover;
  *person only* when it was handed over before the AI wrote anything.
- **CSAT by resolution type**: over resolved conversations with a rating, per type: the number
  rated, the mean score (1 to 5) and the satisfied share (ratings of 4 or 5 / ratings).
- **Handle time**: the time people owned a conversation: each ``assignment`` opens an interval
  that the next ``handback``, ``resolution`` or ``assignment`` (a transfer) closes; a resolved
  conversation's handle time is the sum of its closed intervals. Median and mean over resolved
  conversations with at least one interval.
- **First-contact resolution (FCR)** = resolved conversations whose customer started no other
  conversation (with a message) in the workspace from the conversation's start until 7 days after
  its resolution / resolved conversations.

Medians of an even count are the mean of the two middle values. A figure with no conversations
to count is ``None`` (shown as "no data"), never 0.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from relaydesk.analytics.facts import (
    ConversationFacts,
    Handover,
    HandoverKind,
    OwnershipChange,
    ReportSource,
)

REPEAT_CONTACT_WINDOW = timedelta(days=7)
"""A contact by the same customer within this time after a resolution makes it no first-contact one."""

DURATION_BUCKETS: tuple[tuple[str, float], ...] = (
    ("under 1 min", 60.0),
    ("1 to 5 min", 300.0),
    ("5 to 15 min", 900.0),
    ("15 to 60 min", 3600.0),
    ("1 hour or more", float("inf")),
)
"""Labels and upper bounds (exclusive, seconds) of the duration distributions the charts show."""


class ResolutionType(StrEnum):
    """Who settled a resolved conversation."""

    AI_ONLY = "ai_only"
    """Never handed to a person."""
    AI_THEN_PERSON = "ai_then_person"
    """The AI wrote first, then a person was brought in."""
    PERSON_ONLY = "person_only"
    """Handed to a person before the AI wrote anything."""


@dataclass(frozen=True, slots=True)
class Rate:
    count: int
    total: int

    @property
    def rate(self) -> float | None:
        return self.count / self.total if self.total else None


@dataclass(frozen=True, slots=True)
class Duration:
    """Seconds over some conversations: how many, median, mean and a distribution."""

    count: int
    median_s: float | None
    mean_s: float | None
    buckets: tuple[tuple[str, int], ...]

    @classmethod
    def of(cls, seconds: list[float]) -> Duration:
        buckets = []
        lower = 0.0
        for label, upper in DURATION_BUCKETS:
            buckets.append((label, sum(1 for s in seconds if lower <= s < upper)))
            lower = upper
        if not seconds:
            return cls(0, None, None, tuple(buckets))
        return cls(len(seconds), statistics.median(seconds), statistics.fmean(seconds), tuple(buckets))


@dataclass(frozen=True, slots=True)
class ReasonCount:
    name: str
    count: int
    rate: float | None


@dataclass(frozen=True, slots=True)
class Csat:
    resolution_type: ResolutionType
    resolved: int
    rated: int
    mean_score: float | None
    satisfied_share: float | None


@dataclass(frozen=True, slots=True)
class Kpis:
    """The figures of one workspace over ``[since, until)``."""

    workspace_id: str
    since: datetime
    until: datetime
    conversations: int
    containment: Rate
    escalation: Rate
    reasons_by_rule: tuple[ReasonCount, ...]
    reasons_by_family: tuple[ReasonCount, ...]
    time_to_escalation: Duration
    resolved: int
    csat_by_resolution_type: tuple[Csat, ...]
    handle_time: Duration
    first_contact_resolution: Rate


def compute_kpis(source: ReportSource, workspace_id: str, since: datetime, until: datetime) -> Kpis:
    """Every KPI of the period (the one query path: the API and the dashboard call this)."""
    return kpis_of(source.conversation_facts(workspace_id, since, until), workspace_id, since, until)


def kpis_of(cohort: list[ConversationFacts], workspace_id: str, since: datetime, until: datetime) -> Kpis:
    total = len(cohort)
    handed = [c for c in cohort if c.handovers]
    resolved = [c for c in cohort if c.status == "resolved"]
    by_rule: Counter[str] = Counter()
    by_family: Counter[str] = Counter()
    for c in handed:
        rules, families = _reasons(c.handovers[0])
        by_rule.update(rules)
        by_family.update(families)
    return Kpis(
        workspace_id=workspace_id,
        since=since,
        until=until,
        conversations=total,
        containment=Rate(total - len(handed), total),
        escalation=Rate(len(handed), total),
        reasons_by_rule=_counts(by_rule, total),
        reasons_by_family=_counts(by_family, total),
        time_to_escalation=Duration.of(
            [(c.handovers[0].at - c.first_customer_message_at).total_seconds() for c in handed]
        ),
        resolved=len(resolved),
        csat_by_resolution_type=tuple(_csat(t, resolved) for t in ResolutionType),
        handle_time=Duration.of([s for s in (_handle_time_s(c) for c in resolved) if s is not None]),
        first_contact_resolution=Rate(sum(1 for c in resolved if _first_contact(c)), len(resolved)),
    )


def resolution_type(c: ConversationFacts) -> ResolutionType:
    if not c.handovers:
        return ResolutionType.AI_ONLY
    if c.first_ai_message_at is not None and c.first_ai_message_at < c.handovers[0].at:
        return ResolutionType.AI_THEN_PERSON
    return ResolutionType.PERSON_ONLY


def _reasons(handover: Handover) -> tuple[set[str], set[str]]:
    if handover.kind == HandoverKind.RECOVERY:
        return {"recovery"}, {"recovery"}
    if handover.kind == HandoverKind.CLAIM:
        return {"agent_claim"}, {"agent"}
    rules = {r.rule for r in handover.rules if r.rule} or {"unspecified"}
    families = {r.family for r in handover.rules if r.family} or {"unspecified"}
    return rules, families


def _counts(counter: Counter[str], total: int) -> tuple[ReasonCount, ...]:
    ordered = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
    return tuple(ReasonCount(name, n, n / total if total else None) for name, n in ordered)


def _csat(kind: ResolutionType, resolved: list[ConversationFacts]) -> Csat:
    of_kind = [c for c in resolved if resolution_type(c) == kind]
    scores = [c.csat for c in of_kind if c.csat is not None]
    return Csat(
        resolution_type=kind,
        resolved=len(of_kind),
        rated=len(scores),
        mean_score=statistics.fmean(scores) if scores else None,
        satisfied_share=sum(1 for s in scores if s >= 4) / len(scores) if scores else None,
    )


def _handle_time_s(c: ConversationFacts) -> float | None:
    total = 0.0
    intervals = 0
    opened: datetime | None = None
    for event in c.ownership:
        if opened is not None:
            total += (event.at - opened).total_seconds()
            intervals += 1
            opened = None
        if event.change == OwnershipChange.ASSIGNED:
            opened = event.at
    return total if intervals else None


def _first_contact(c: ConversationFacts) -> bool:
    if c.resolved_at is None:
        return False
    return c.next_contact_at is None or c.next_contact_at > c.resolved_at + REPEAT_CONTACT_WINDOW
