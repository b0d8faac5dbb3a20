"""Reports for supervisors and admins: the live desk, the KPIs of a period, conversations to pick.

Every route needs the supervisor or admin role (403 naming it otherwise). A conversation's
decisions are read with ``GET /v1/agent/conversations/{id}/decisions``: every agent of the
workspace, supervisors included, may read any of its conversations' decisions.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from relaydesk.analytics.kpis import Csat, Duration, Kpis, Rate, ReasonCount
from relaydesk.analytics.live import ConversationLine, LiveDesk
from relaydesk.api.deps import RuntimeDep
from relaydesk.api.roles import Supervisor
from relaydesk.services.reports import DeskReports, desk_reports, parse_period

router = APIRouter(prefix="/v1/reports", tags=["reports (supervisor or admin)"])


def get_reports(runtime: RuntimeDep) -> DeskReports:
    return desk_reports(runtime)


ReportsDep = Annotated[DeskReports, Depends(get_reports)]


# -- schemas ----------------------------------------------------------------------------------------
class QueuedOut(BaseModel):
    id: str
    customer_name: str | None
    first_message: str | None
    priority: int
    escalation_reason: str | None
    queued_at: datetime | None
    due_at: datetime | None
    wait_s: float | None
    """Seconds since it was queued."""
    due_in_s: float | None
    """Seconds until it is due; negative once overdue; null when no service level applies."""
    overdue: bool


class PriorityQueueOut(BaseModel):
    priority: int
    overdue: int
    conversations: list[QueuedOut]


class AgentLoadOut(BaseModel):
    id: str
    name: str
    status: str
    open_conversations: int
    capacity: int
    load: float


class LiveOut(BaseModel):
    now: datetime
    queued: int
    overdue: int
    queues: list[PriorityQueueOut]
    agents: list[AgentLoadOut]

    @classmethod
    def of(cls, desk: LiveDesk) -> LiveOut:
        queues = [
            PriorityQueueOut(
                priority=q.priority,
                overdue=q.overdue,
                conversations=[
                    QueuedOut(
                        id=t.conversation.id,
                        customer_name=t.conversation.customer_name,
                        first_message=t.conversation.first_message,
                        priority=t.conversation.priority,
                        escalation_reason=t.conversation.escalation_reason,
                        queued_at=t.conversation.queued_at,
                        due_at=t.conversation.due_at,
                        wait_s=t.wait_s,
                        due_in_s=t.due_in_s,
                        overdue=t.overdue,
                    )
                    for t in q.conversations
                ],
            )
            for q in desk.queues
        ]
        return cls(
            now=desk.now,
            queued=sum(len(q.conversations) for q in queues),
            overdue=sum(q.overdue for q in queues),
            queues=queues,
            agents=[
                AgentLoadOut(
                    id=a.agent_id,
                    name=a.name,
                    status=a.status,
                    open_conversations=a.open_conversations,
                    capacity=a.capacity,
                    load=a.load,
                )
                for a in desk.agents
            ],
        )


class RateOut(BaseModel):
    count: int
    total: int
    rate: float | None

    @classmethod
    def of(cls, r: Rate) -> RateOut:
        return cls(count=r.count, total=r.total, rate=r.rate)


class BucketOut(BaseModel):
    label: str
    count: int


class DurationOut(BaseModel):
    count: int
    median_s: float | None
    mean_s: float | None
    buckets: list[BucketOut]

    @classmethod
    def of(cls, d: Duration) -> DurationOut:
        return cls(
            count=d.count,
            median_s=d.median_s,
            mean_s=d.mean_s,
            buckets=[BucketOut(label=label, count=n) for label, n in d.buckets],
        )


class ReasonOut(BaseModel):
    name: str
    count: int
    rate: float | None

    @classmethod
    def of(cls, r: ReasonCount) -> ReasonOut:
        return cls(name=r.name, count=r.count, rate=r.rate)


class CsatOut(BaseModel):
    resolution_type: str
    resolved: int
    rated: int
    mean_score: float | None
    satisfied_share: float | None

    @classmethod
    def of(cls, c: Csat) -> CsatOut:
        return cls(
            resolution_type=str(c.resolution_type),
            resolved=c.resolved,
            rated=c.rated,
            mean_score=c.mean_score,
            satisfied_share=c.satisfied_share,
        )


class KpisOut(BaseModel):
    workspace_id: str
    since: datetime
    until: datetime
    conversations: int
    """Conversations started in the period with at least one customer message (the cohort)."""
    containment: RateOut
    escalation: RateOut
    reasons_by_rule: list[ReasonOut]
    reasons_by_family: list[ReasonOut]
    time_to_escalation: DurationOut
    resolved: int
    csat_by_resolution_type: list[CsatOut]
    handle_time: DurationOut
    first_contact_resolution: RateOut

    @classmethod
    def of(cls, k: Kpis) -> KpisOut:
        return cls(
            workspace_id=k.workspace_id,
            since=k.since,
            until=k.until,
            conversations=k.conversations,
            containment=RateOut.of(k.containment),
            escalation=RateOut.of(k.escalation),
            reasons_by_rule=[ReasonOut.of(r) for r in k.reasons_by_rule],
            reasons_by_family=[ReasonOut.of(r) for r in k.reasons_by_family],
            time_to_escalation=DurationOut.of(k.time_to_escalation),
            resolved=k.resolved,
            csat_by_resolution_type=[CsatOut.of(c) for c in k.csat_by_resolution_type],
            handle_time=DurationOut.of(k.handle_time),
            first_contact_resolution=RateOut.of(k.first_contact_resolution),
        )


class ConversationLineOut(BaseModel):
    id: str
    customer_name: str | None
    first_message: str | None
    status: str
    channel: str
    assigned_agent_id: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, c: ConversationLine) -> ConversationLineOut:
        return cls(**{name: getattr(c, name) for name in cls.model_fields})


# -- routes -------------------------------------------------------------------------------------------
@router.get("/live", response_model=LiveOut)
def live(supervisor: Supervisor, reports: ReportsDep) -> LiveOut:
    """The queue by priority with each conversation's wait and due time, and every agent's load."""
    return LiveOut.of(reports.live(supervisor))


@router.get("/kpis", response_model=KpisOut)
def kpis(
    supervisor: Supervisor,
    reports: ReportsDep,
    since: Annotated[str | None, Query(max_length=40, description="YYYY-MM-DD or ISO datetime")] = None,
    until: Annotated[str | None, Query(max_length=40, description="exclusive; default now")] = None,
) -> KpisOut:
    """Every KPI of the workspace over conversations started in ``[since, until)`` (default: the
    last 7 days). Definitions: docs/web.md, "Supervisor dashboard"."""
    return KpisOut.of(reports.kpis(supervisor, parse_period(since, until)))


@router.get("/conversations", response_model=list[ConversationLineOut])
def conversations(
    supervisor: Supervisor,
    reports: ReportsDep,
    status: Annotated[str | None, Query(max_length=40)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[ConversationLineOut]:
    """The workspace's conversations, most recently updated first (to pick one to explore)."""
    return [ConversationLineOut.of(c) for c in reports.conversations(supervisor, status, limit)]
