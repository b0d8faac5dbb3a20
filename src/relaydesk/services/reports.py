"""Reports for supervisors: the live desk, the KPIs of a period and the conversations to explore.

The route checks the role (``api/roles.py``); this use case scopes every read to the supervisor's
workspace and validates the period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from relaydesk.analytics.kpis import Kpis, compute_kpis
from relaydesk.analytics.live import ConversationLine, LiveDesk, live_desk
from relaydesk.domain.errors import InvalidInput
from relaydesk.domain.models import Agent, ConversationStatus, utcnow

if TYPE_CHECKING:
    from relaydesk.services.runtime import Runtime
    from relaydesk.storage.report_queries import SqlReportQueries
    from relaydesk.storage.store import SqlStore

DEFAULT_PERIOD = timedelta(days=7)
LONGEST_PERIOD = timedelta(days=366)


@dataclass(frozen=True)
class Period:
    since: datetime
    until: datetime


def parse_period(since: str | None, until: str | None, *, now: datetime | None = None) -> Period:
    """``since`` and ``until`` as ISO 8601 dates (``2026-12-01``, midnight UTC) or datetimes with a
    time zone; ``until`` is exclusive. Defaults: until now, since 7 days before ``until``."""
    end = _instant("until", until) if until else (now or utcnow())
    start = _instant("since", since) if since else end - DEFAULT_PERIOD
    if start >= end:
        raise InvalidInput(
            f'The period is empty: since "{start.isoformat()}" is not before until "{end.isoformat()}"'
        )
    if end - start > LONGEST_PERIOD:
        raise InvalidInput(
            f"The period from {start.isoformat()} to {end.isoformat()} is longer than "
            f"{LONGEST_PERIOD.days} days; ask for a shorter one"
        )
    return Period(start, end)


def _instant(name: str, text: str) -> datetime:
    value = text.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(
            f'{name}="{text[:60]}" is not a date (YYYY-MM-DD) or an ISO 8601 datetime with a time zone'
        ) from None
    if len(value) == 10:  # a date: midnight UTC
        return parsed.replace(tzinfo=UTC)
    if parsed.tzinfo is None:
        raise InvalidInput(f'{name}="{text[:60]}" has no time zone; add one (e.g. "Z" or "+02:00")')
    return parsed


class DeskReports:
    """What a supervisor reads; every method takes the signed-in supervisor (their workspace)."""

    def __init__(self, store: SqlStore, queries: SqlReportQueries) -> None:
        self.store = store
        self.queries = queries

    def live(self, supervisor: Agent, *, now: datetime | None = None) -> LiveDesk:
        return live_desk(
            self.queries.queued_conversations(supervisor.workspace_id),
            self.store.agent_loads(supervisor.workspace_id),
            now or utcnow(),
        )

    def kpis(self, supervisor: Agent, period: Period) -> Kpis:
        return compute_kpis(self.queries, supervisor.workspace_id, period.since, period.until)

    def conversations(self, supervisor: Agent, status: str | None, limit: int) -> list[ConversationLine]:
        if status is not None and status not in set(ConversationStatus):
            known = ", ".join(str(s) for s in ConversationStatus)
            raise InvalidInput(f'status="{status[:40]}" is not a conversation status ({known})')
        return self.queries.conversation_lines(supervisor.workspace_id, status, limit)


def desk_reports(runtime: Runtime) -> DeskReports:
    """The reports over the runtime's store (cheap: the queries hold no state of their own)."""
    from relaydesk.storage.report_queries import SqlReportQueries

    return DeskReports(runtime.store, SqlReportQueries(runtime.store))
