"""Reports for supervisors: the live desk, the KPIs of a period and the conversations to explore.

The route checks the role (``api/roles.py``); this use case scopes every read to the supervisor's
workspace and validates the period and the grouping. The KPIs, their CSV and their HTML report
all come from one ``compute_kpis`` / ``kpis_by`` call, priced with the settings' costs; the CLI
reads them by workspace slug (``workspace_report``)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from importlib import resources
from typing import TYPE_CHECKING, TypeVar

from relaydesk.analytics.export import kpis_csv
from relaydesk.analytics.kpis import GROUPINGS, Costs, Kpis, compute_kpis, kpis_by
from relaydesk.analytics.live import ConversationLine, LiveDesk, QueuedConversation, live_desk
from relaydesk.analytics.report_html import kpis_html
from relaydesk.domain.errors import InvalidInput, NotFound
from relaydesk.domain.models import Agent, ConversationStatus, utcnow
from relaydesk.services.handoff_brief import verified_account

if TYPE_CHECKING:
    from relaydesk.services.runtime import Runtime
    from relaydesk.settings import Settings
    from relaydesk.storage.report_queries import SqlReportQueries
    from relaydesk.storage.store import SqlStore

Named = TypeVar("Named", QueuedConversation, ConversationLine)

DEFAULT_PERIOD = timedelta(days=7)
LONGEST_PERIOD = timedelta(days=366)


@dataclass(frozen=True)
class Period:
    since: datetime
    until: datetime


def parse_period(since: str | None, until: str | None, *, now: datetime | None = None) -> Period:
    """``since`` and ``until`` as ISO 8601 dates (``2026-12-01``, midnight UTC) or datetimes with a
    time zone; ``until`` is exclusive. Defaults: the 7 days up to and including today (UTC), as the
    dashboard shows them."""
    today = (now or utcnow()).astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    end = _instant("until", until) if until else today + timedelta(days=1)
    start = _instant("since", since) if since else end - DEFAULT_PERIOD
    if start >= end:
        if _is_midnight(start) and _is_midnight(end):  # days, as people pick them
            last = (end - timedelta(days=1)).date().isoformat()
            raise InvalidInput(
                f"The period is empty: it starts on {start.date().isoformat()} and its last day is {last}; "
                "choose a start on or before the last day"
            )
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


def parse_grouping(by: str | None) -> str | None:
    """``channel``, ``intent`` or None (the whole period only)."""
    if by is None or by in GROUPINGS:
        return by
    raise InvalidInput(f'by="{by[:40]}" is not a grouping of the KPIs; choose {" or ".join(GROUPINGS)}')


def costs_of(settings: Settings) -> Costs:
    """What the cost figures charge, from the settings (``RELAYDESK_COST_*``)."""
    return Costs(settings.cost_ai_reply, settings.cost_agent_hour, settings.cost_currency)


@functools.cache
def chart_js() -> str:
    """The text of the vendored Chart.js (the dashboard's copy), for the standalone HTML report."""
    return (resources.files("relaydesk.web") / "static" / "vendor" / "chart.umd.js").read_text(
        encoding="utf-8"
    )


@dataclass(frozen=True)
class KpiReport:
    """A period's KPIs, and per group when asked for, of one workspace (named ``workspace_name``)."""

    workspace_name: str
    overall: Kpis
    groups: list[Kpis]

    @property
    def title(self) -> str:
        since, until = self.overall.since, self.overall.until
        last = until - timedelta(days=1) if _is_midnight(until) else until
        span = since.date().isoformat() + (
            f" to {last.date().isoformat()}" if last.date() != since.date() else ""
        )
        return f"{self.workspace_name}: how the desk did, {span}"

    @property
    def filename_stem(self) -> str:
        """The days covered, the last one included (as the title says them)."""
        until = self.overall.until
        last = until - timedelta(days=1) if _is_midnight(until) else until
        return f"relaydesk-kpis-{_stamp(self.overall.since)}-{_stamp(last)}"

    def csv(self) -> str:
        return kpis_csv(self.overall, self.groups)

    def html(self) -> str:
        return kpis_html(self.overall, self.groups, title=self.title, chart_js=chart_js())


def _is_midnight(moment: datetime) -> bool:
    return (moment.hour, moment.minute, moment.second, moment.microsecond) == (0, 0, 0, 0)


def _stamp(moment: datetime) -> str:
    """A date, or a UTC date and time when not midnight, fit for a file name."""
    utc = moment.astimezone(UTC)
    return utc.date().isoformat() if _is_midnight(utc) else utc.strftime("%Y-%m-%dT%H%M%SZ")


class DeskReports:
    """What a supervisor reads; every method takes the signed-in supervisor (their workspace)."""

    def __init__(self, store: SqlStore, queries: SqlReportQueries, costs: Costs | None = None) -> None:
        self.store = store
        self.queries = queries
        self.costs = costs or Costs()

    def live(self, supervisor: Agent, *, now: datetime | None = None) -> LiveDesk:
        return live_desk(
            self._named(self.queries.queued_conversations(supervisor.workspace_id)),
            self.store.agent_loads(supervisor.workspace_id),
            now or utcnow(),
        )

    def kpis(self, supervisor: Agent, period: Period) -> Kpis:
        return compute_kpis(self.queries, supervisor.workspace_id, period.since, period.until, self.costs)

    def kpis_by(self, supervisor: Agent, period: Period, by: str) -> list[Kpis]:
        grouping = parse_grouping(by) or "channel"
        return kpis_by(
            self.queries, supervisor.workspace_id, period.since, period.until, grouping, self.costs
        )

    def report(self, supervisor: Agent, period: Period, by: str | None = None) -> KpiReport:
        """The period's KPIs and, with ``by``, each group's (for the CSV and HTML exports)."""
        return self.workspace_report(supervisor.workspace_id, period, by)

    def workspace_report(self, workspace_id: str, period: Period, by: str | None = None) -> KpiReport:
        grouping = parse_grouping(by)
        overall = compute_kpis(self.queries, workspace_id, period.since, period.until, self.costs)
        groups = (
            kpis_by(self.queries, workspace_id, period.since, period.until, grouping, self.costs)
            if grouping
            else []
        )
        return KpiReport(self.store.get_workspace(workspace_id).name, overall, groups)

    def conversations(self, supervisor: Agent, status: str | None, limit: int) -> list[ConversationLine]:
        if status is not None and status not in set(ConversationStatus):
            known = ", ".join(str(s) for s in ConversationStatus)
            raise InvalidInput(f'status="{status[:40]}" is not a conversation status ({known})')
        return self._named(self.queries.conversation_lines(supervisor.workspace_id, status, limit))

    def _named(self, rows: list[Named]) -> list[Named]:
        """Each unnamed customer the AI verified, named as the console names them: by the name on
        the account it verified (``verified_account``; one read each, only for those)."""
        named = []
        for row in rows:
            if row.customer_name is None and row.verified_user_id is not None:
                account = verified_account(self.store, self.store.get_conversation(row.id))
                if account is not None and account.name:
                    row = replace(row, customer_name=account.name)
            named.append(row)
        return named


def desk_reports(runtime: Runtime) -> DeskReports:
    """The reports over the runtime's store (cheap: the queries hold no state of their own)."""
    from relaydesk.storage.report_queries import SqlReportQueries

    return DeskReports(runtime.store, SqlReportQueries(runtime.store), costs_of(runtime.settings))


def workspace_report(settings: Settings, workspace_slug: str, period: Period, by: str | None) -> KpiReport:
    """The KPI report of the workspace with ``workspace_slug`` (the CLI's; no role to check there:
    whoever can read the database can read its figures)."""
    from sqlalchemy import select

    from relaydesk.services.schema import open_database
    from relaydesk.storage.report_queries import SqlReportQueries
    from relaydesk.storage.store import SqlStore
    from relaydesk.storage.tables import WorkspaceRow

    parse_grouping(by)
    with open_database(settings) as engine:
        store = SqlStore(engine)
        try:
            workspace = store.workspace_by_slug(workspace_slug)
        except NotFound:
            with store.session() as s:
                slugs = sorted(s.scalars(select(WorkspaceRow.slug)))
            known = ", ".join(slugs[:20]) + (", ..." if len(slugs) > 20 else "") if slugs else "none yet"
            raise NotFound(
                f'No workspace with slug "{workspace_slug[:64]}"; this database has: {known}'
            ) from None
        reports = DeskReports(store, SqlReportQueries(store), costs_of(settings))
        return reports.workspace_report(workspace.id, period, by)
