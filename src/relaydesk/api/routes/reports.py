"""Reports for supervisors and admins: the live desk, the KPIs of a period, conversations to pick.

Every route needs the supervisor or admin role (403 naming it otherwise). A conversation's
decisions are read with ``GET /v1/agent/conversations/{id}/decisions``: every agent of the
workspace, supervisors included, may read any of its conversations' decisions.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from relaydesk.analytics.export import kpis_dict
from relaydesk.analytics.kpis import Kpis
from relaydesk.analytics.live import ConversationLine, LiveDesk
from relaydesk.api.deps import RuntimeDep
from relaydesk.api.roles import Supervisor
from relaydesk.domain.models import Agent
from relaydesk.services.reports import DeskReports, KpiReport, desk_reports, parse_period

router = APIRouter(prefix="/v1/reports", tags=["reports (supervisor or admin)"])


def get_reports(runtime: RuntimeDep) -> DeskReports:
    return desk_reports(runtime)


ReportsDep = Annotated[DeskReports, Depends(get_reports)]


# -- schemas ----------------------------------------------------------------------------------------
class QueuedOut(BaseModel):
    id: str
    customer_name: str | None
    customer_email: str | None
    """The e-mail address the customer gave (on their record, or written in the chat)."""
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
                        customer_email=t.conversation.customer_email,
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
    """count / total; null when total is 0 ("no data")."""


class BucketOut(BaseModel):
    label: str
    count: int


class DurationOut(BaseModel):
    count: int
    median_s: float | None
    mean_s: float | None
    buckets: list[BucketOut]


class ReasonOut(BaseModel):
    name: str = Field(description="The rule's (or family's) id, as decisions record it")
    label: str = Field(description="What a person reads for it (relaydesk.analytics.labels)")
    count: int
    rate: float | None


class CsatOut(BaseModel):
    resolution_type: str
    resolved: int
    rated: int
    mean_score: float | None
    satisfied_share: float | None


class CsatScoreOut(BaseModel):
    rated: int
    mean_score: float | None
    satisfied_share: float | None
    """Ratings of 4 or 5 / ratings."""


class MoneyOut(BaseModel):
    amount: float | None
    currency: str


class TypeMoneyOut(MoneyOut):
    resolution_type: str


class CostOut(BaseModel):
    ai_replies: int
    agent_hours: float
    total: MoneyOut
    per_resolution: MoneyOut
    per_resolution_by_type: list[TypeMoneyOut]


class ConfidenceOut(BaseModel):
    confirmed: RateOut
    follow_up_rate: RateOut
    ai_replies_accurate: RateOut
    suggestions_helpful: RateOut


class GroupOut(BaseModel):
    by: str
    """channel or intent"""
    value: str


class KpisOut(BaseModel):
    """Every KPI of a period; definitions in docs/outcomes.md (and ``relaydesk.analytics.kpis``)."""

    workspace_id: str
    since: datetime
    until: datetime
    group: GroupOut | None = None
    """The group these figures are of (``groups`` of a ``by`` request); null for the whole period."""
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
    ai_resolution: RateOut
    ai_confirmed: int
    ai_quiet: int
    abandonment: RateOut
    csat: CsatScoreOut
    post_escalation_csat: CsatScoreOut
    repeat_contact: RateOut
    reopen: RateOut
    friction_repeated: RateOut
    friction_handed_again: RateOut
    cost: CostOut
    confidence: ConfidenceOut

    @classmethod
    def of(cls, k: Kpis) -> KpisOut:
        return cls.model_validate(kpis_dict(k))


class KpisReportOut(KpisOut):
    groups: list[KpisOut] | None = None
    """Each channel's or intent's figures when ``by`` was given, most conversations first."""


class ConversationLineOut(BaseModel):
    id: str
    customer_name: str | None
    customer_email: str | None
    """The e-mail address the customer gave (on their record, or written in the chat)."""
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


SinceQuery = Annotated[str | None, Query(max_length=40, description="YYYY-MM-DD or ISO datetime")]
UntilQuery = Annotated[str | None, Query(max_length=40, description="exclusive; default now")]
ByQuery = Annotated[str | None, Query(max_length=40, description="channel or intent: figures per group too")]


def _report(
    reports: DeskReports, supervisor: Agent, since: str | None, until: str | None, by: str | None
) -> KpiReport:
    return reports.report(supervisor, parse_period(since, until), by)


@router.get("/kpis", response_model=KpisReportOut)
def kpis(
    supervisor: Supervisor,
    reports: ReportsDep,
    since: SinceQuery = None,
    until: UntilQuery = None,
    by: ByQuery = None,
) -> KpisReportOut:
    """Every KPI of the workspace over conversations started in ``[since, until)`` (default: the
    last 7 days); with ``by=channel`` or ``by=intent``, each group's too (``groups``).
    Definitions: docs/outcomes.md."""
    report = _report(reports, supervisor, since, until, by)
    out = KpisReportOut.model_validate(kpis_dict(report.overall))
    if by is not None:
        out.groups = [KpisOut.of(g) for g in report.groups]
    return out


@router.get("/kpis.csv", response_class=Response, responses={200: {"content": {"text/csv": {}}}})
def kpis_csv(
    supervisor: Supervisor,
    reports: ReportsDep,
    since: SinceQuery = None,
    until: UntilQuery = None,
    by: ByQuery = None,
) -> Response:
    """The same figures as a CSV file, one row per figure (the whole period's, then each group's)."""
    report = _report(reports, supervisor, since, until, by)
    return Response(
        report.csv(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{report.filename_stem}.csv"'},
    )


@router.get("/kpis.html", response_class=Response, responses={200: {"content": {"text/html": {}}}})
def kpis_html(
    supervisor: Supervisor,
    reports: ReportsDep,
    since: SinceQuery = None,
    until: UntilQuery = None,
    by: ByQuery = None,
) -> Response:
    """The same figures as one standalone HTML report with charts (opens offline; save and share it)."""
    report = _report(reports, supervisor, since, until, by)
    return Response(
        report.html(),
        media_type="text/html; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="{report.filename_stem}.html"'},
    )


@router.get("/conversations", response_model=list[ConversationLineOut])
def conversations(
    supervisor: Supervisor,
    reports: ReportsDep,
    status: Annotated[str | None, Query(max_length=40)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[ConversationLineOut]:
    """The workspace's conversations, most recently updated first (to pick one to explore)."""
    return [ConversationLineOut.of(c) for c in reports.conversations(supervisor, status, limit)]
