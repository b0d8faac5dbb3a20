"""Every KPI of a period, computed from the cohort's stored facts (``facts.py``). docs/outcomes.md
gives the same definitions for readers; keep the two in step.

The cohort: conversations of the workspace started in ``[since, until)`` with at least one
customer message. Every figure is over that one cohort, so the figures of a period add up.

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
- **Resolved**: status ``resolved`` and not closed as ``abandoned`` (``conversations.resolution``).
  **Abandoned** = closed as abandoned (the customer went quiet before anything was settled) /
  cohort conversations; never counted as resolved.
- **AI resolution rate** = conversations resolved by the AI (``ai_confirmed``: the customer
  confirmed the AI's answer; ``ai_quiet``: the customer asked for nothing more within the settle
  time) / cohort conversations. A conversation reopened and not yet closed again is not resolved.
- **Resolution type** of a resolved conversation: *AI only* when never handed to a person; *AI then
  person* when the AI wrote at least one message before the first handover; *person only* when it
  was handed over before the AI wrote anything.
- **CSAT**: over resolved conversations with a rating: the number rated, the mean score (1 to 5)
  and the satisfied share (ratings of 4 or 5 / ratings); overall, per resolution type, and
  *post-escalation* (resolved conversations that were handed to a person).
- **Handle time**: the time people owned a conversation: each ``assignment`` opens an interval
  that the next ``handback``, ``resolution`` or ``assignment`` (a transfer) closes; a resolved
  conversation's handle time is the sum of its closed intervals. Median and mean over resolved
  conversations with at least one interval.
- **Repeat contact** = resolved conversations whose customer started another conversation (with
  a message) on the same topic within 7 days after the resolution / resolved conversations. Same
  topic: equal ``topic``, or either topic unknown (a contact that cannot be told apart counts).
- **First-contact resolution (FCR)** = resolved conversations never reopened and with no repeat
  contact / resolved conversations.
- **Reopen rate** = conversations reopened at least once / conversations closed at least once
  (closed now, or reopened).
- **Handoff friction**: *repeated* = handed-over conversations where the customer said again after
  the handover what they had said before it (a ``repeat`` decision) / handed-over conversations;
  *handed over again* = handed-over conversations with a second handover (an escalation, recovery,
  claim or transfer) within 72 hours of the first / handed-over conversations.
- **Cost**: AI replies x ``Costs.ai_reply`` + hours people owned the cohort's conversations (every
  closed interval, resolved or not) x ``Costs.agent_hour``; *per resolution* = that total /
  resolved conversations; per resolution type = the cost of that type's conversations / their number.
- **Resolution confidence**: *confirmed* = AI resolutions the customer confirmed / AI resolutions;
  *follow-up rate* = resolved conversations with a follow-up scheduled / resolved conversations;
  *AI replies rated accurate* = agents' ``accurate`` ratings of AI replies / their ratings of AI
  replies (accurate, partly, wrong); *suggestions rated helpful* = ``up`` / (``up`` + ``down``) on
  co-pilot suggested replies.

Medians of an even count are the mean of the two middle values. A figure with no conversations
to count is ``None`` (shown as "no data"), never 0.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from relaydesk.analytics.facts import (
    ConversationFacts,
    Handover,
    HandoverKind,
    OwnershipChange,
    ReportSource,
)
from relaydesk.analytics.figures import (
    DURATION_BUCKETS,
    Csat,
    CsatScore,
    Duration,
    Money,
    Rate,
    ReasonCount,
    ResolutionType,
)
from relaydesk.domain.models import REPEAT_CONTACT_WINDOW

__all__ = [
    "DURATION_BUCKETS",
    "Costs",
    "Csat",
    "CsatScore",
    "Duration",
    "Kpis",
    "Money",
    "Rate",
    "ReasonCount",
    "ResolutionType",
    "compute_kpis",
    "kpis_by",
    "kpis_of",
    "resolution_type",
]

REHANDOVER_WINDOW = timedelta(hours=72)
"""A second handover within this time of the first is handoff friction."""
AI_RESOLUTIONS = frozenset({"ai_confirmed", "ai_quiet"})
ABANDONED = "abandoned"
GROUPINGS = ("channel", "intent")
"""What ``kpis_by`` can break a period down by."""


@dataclass(frozen=True, slots=True)
class Costs:
    """What the cost figures charge: per AI reply and per hour a person owns a conversation."""

    ai_reply: float = 0.05
    agent_hour: float = 30.0
    currency: str = "USD"


@dataclass(frozen=True, slots=True)
class CostFigures:
    ai_replies: int
    agent_hours: float
    total: Money
    per_resolution: Money
    per_resolution_by_type: tuple[tuple[ResolutionType, Money], ...]


@dataclass(frozen=True, slots=True)
class ResolutionConfidence:
    confirmed: Rate
    follow_up_rate: Rate
    ai_replies_accurate: Rate
    suggestions_helpful: Rate


@dataclass(frozen=True, slots=True)
class Kpis:
    """The figures of one workspace over ``[since, until)`` (or of one group of it: ``group``)."""

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
    ai_resolution: Rate
    ai_confirmed: int
    ai_quiet: int
    abandonment: Rate
    csat: CsatScore
    post_escalation_csat: CsatScore
    repeat_contact: Rate
    reopen: Rate
    friction_repeated: Rate
    friction_handed_again: Rate
    cost: CostFigures
    confidence: ResolutionConfidence
    group: tuple[str, str] | None = None
    """(grouping, value) when these are one group's figures (``kpis_by``)."""


def compute_kpis(
    source: ReportSource,
    workspace_id: str,
    since: datetime,
    until: datetime,
    costs: Costs | None = None,
) -> Kpis:
    """Every KPI of the period (the one query path: the API, the dashboard and the CLI call this)."""
    with _gc_paused():
        return kpis_of(
            source.conversation_facts(workspace_id, since, until), workspace_id, since, until, costs
        )


def kpis_by(
    source: ReportSource,
    workspace_id: str,
    since: datetime,
    until: datetime,
    by: str,
    costs: Costs | None = None,
) -> list[Kpis]:
    """The period's KPIs per channel or per intent (the topic; "unknown" when none), biggest first."""
    if by not in GROUPINGS:
        raise ValueError(f'cannot group KPIs by "{by}"; choose one of {", ".join(GROUPINGS)}')
    with _gc_paused():
        groups: dict[str, list[ConversationFacts]] = {}
        for c in source.conversation_facts(workspace_id, since, until):
            key = c.channel if by == "channel" else (c.topic or "unknown")
            groups.setdefault(key, []).append(c)
        ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
        return [
            kpis_of(cohort, workspace_id, since, until, costs, group=(by, key)) for key, cohort in ordered
        ]


@contextmanager
def _gc_paused() -> Iterator[None]:
    """A period's facts are hundreds of thousands of small objects that live until the figures are
    done: the cyclic collector would walk them again and again for nothing (about a quarter of the
    time on a large period), so it waits until they are."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def is_resolved(c: ConversationFacts) -> bool:
    return c.status == "resolved" and c.resolution != ABANDONED


def kpis_of(
    cohort: list[ConversationFacts],
    workspace_id: str,
    since: datetime,
    until: datetime,
    costs: Costs | None = None,
    *,
    group: tuple[str, str] | None = None,
) -> Kpis:
    costs = costs or Costs()
    owned: dict[str, float] = {}  # seconds people owned it, for those with a closed interval
    for c in cohort:
        if c.ownership and (intervals := _intervals_s(c)):
            owned[c.id] = sum(intervals)
    total = len(cohort)
    handed = [c for c in cohort if c.handovers]
    resolved = [c for c in cohort if is_resolved(c)]
    by_type: dict[ResolutionType, list[ConversationFacts]] = {t: [] for t in ResolutionType}
    for c in resolved:
        by_type[resolution_type(c)].append(c)
    by_rule: Counter[str] = Counter()
    by_family: Counter[str] = Counter()
    for c in handed:
        rules, families = _reasons(c.handovers[0])
        by_rule.update(rules)
        by_family.update(families)
    ai_resolved = [c for c in resolved if c.resolution in AI_RESOLUTIONS]
    confirmed = sum(1 for c in ai_resolved if c.resolution == "ai_confirmed")
    repeat = {c.id for c in resolved if _repeat_contact(c)}
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
        csat_by_resolution_type=tuple(_csat(t, by_type[t]) for t in ResolutionType),
        handle_time=Duration.of([owned[c.id] for c in resolved if c.id in owned]),
        first_contact_resolution=Rate(
            sum(1 for c in resolved if not c.reopens and c.id not in repeat), len(resolved)
        ),
        ai_resolution=Rate(len(ai_resolved), total),
        ai_confirmed=confirmed,
        ai_quiet=len(ai_resolved) - confirmed,
        abandonment=Rate(sum(1 for c in cohort if _abandoned(c)), total),
        csat=CsatScore.of([c.csat for c in resolved if c.csat is not None]),
        post_escalation_csat=CsatScore.of([c.csat for c in resolved if c.csat is not None and c.handovers]),
        repeat_contact=Rate(len(repeat), len(resolved)),
        reopen=Rate(sum(1 for c in cohort if c.reopens), sum(1 for c in cohort if _closed_once(c))),
        friction_repeated=Rate(sum(1 for c in handed if c.repeats), len(handed)),
        friction_handed_again=Rate(sum(1 for c in handed if _handed_again(c)), len(handed)),
        cost=_cost(cohort, resolved, by_type, costs, owned),
        confidence=ResolutionConfidence(
            confirmed=Rate(confirmed, len(ai_resolved)),
            follow_up_rate=Rate(sum(1 for c in resolved if c.follow_ups), len(resolved)),
            ai_replies_accurate=_ratings(cohort, "ai_reply", "accurate", ("accurate", "partly", "wrong")),
            suggestions_helpful=_ratings(cohort, "suggested_reply", "up", ("up", "down")),
        ),
        group=group,
    )


def resolution_type(c: ConversationFacts) -> ResolutionType:
    if not _handed(c):
        return ResolutionType.AI_ONLY
    if c.first_ai_message_at is not None and c.first_ai_message_at < c.handovers[0].at:
        return ResolutionType.AI_THEN_PERSON
    return ResolutionType.PERSON_ONLY


def _closed_once(c: ConversationFacts) -> bool:
    """Closed now, or reopened (so closed before)."""
    return c.status == "resolved" or c.reopens > 0


def _abandoned(c: ConversationFacts) -> bool:
    return c.status == "resolved" and c.resolution == ABANDONED


def _handed(c: ConversationFacts) -> bool:
    return bool(c.handovers)


def _handed_again(c: ConversationFacts) -> bool:
    return len(c.handovers) >= 2 and c.handovers[1].at - c.handovers[0].at <= REHANDOVER_WINDOW


def _repeat_contact(c: ConversationFacts) -> bool:
    if c.resolved_at is None or c.next_same_topic_at is None:
        return False
    return c.next_same_topic_at <= c.resolved_at + REPEAT_CONTACT_WINDOW


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


def _csat(kind: ResolutionType, of_kind: list[ConversationFacts]) -> Csat:
    score = CsatScore.of([c.csat for c in of_kind if c.csat is not None])
    return Csat(kind, len(of_kind), score.rated, score.mean_score, score.satisfied_share)


def _intervals_s(c: ConversationFacts) -> list[float]:
    """The closed intervals a person owned the conversation (see the module)."""
    found = []
    opened: datetime | None = None
    for event in c.ownership:
        if opened is not None:
            found.append((event.at - opened).total_seconds())
            opened = None
        if event.change == OwnershipChange.ASSIGNED:
            opened = event.at
    return found


def _cost(
    cohort: list[ConversationFacts],
    resolved: list[ConversationFacts],
    by_type: dict[ResolutionType, list[ConversationFacts]],
    costs: Costs,
    owned: dict[str, float],
) -> CostFigures:
    ai_replies = sum(c.ai_messages for c in cohort)
    hours = sum(owned.values()) / 3600.0
    total = ai_replies * costs.ai_reply + hours * costs.agent_hour
    per_type = []
    for kind in ResolutionType:
        of_kind = by_type[kind]
        spent = (
            sum(c.ai_messages for c in of_kind) * costs.ai_reply
            + sum(owned.get(c.id, 0.0) for c in of_kind) / 3600.0 * costs.agent_hour
        )
        amount = spent / len(of_kind) if of_kind else None
        per_type.append((kind, Money(amount, costs.currency)))
    return CostFigures(
        ai_replies=ai_replies,
        agent_hours=hours,
        total=Money(total, costs.currency),
        per_resolution=Money(total / len(resolved) if resolved else None, costs.currency),
        per_resolution_by_type=tuple(per_type),
    )


def _ratings(cohort: list[ConversationFacts], target: str, good: str, counted: tuple[str, ...]) -> Rate:
    ratings = [rating for c in cohort for t, rating in c.feedback if t == target and rating in counted]
    return Rate(sum(1 for r in ratings if r == good), len(ratings))
