"""Agents: the people who take conversations."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from relaydesk.domain.errors import Conflict, NotFound
from relaydesk.domain.ids import new_id
from relaydesk.domain.models import (
    Agent,
    AgentRole,
    AgentStatus,
    utcnow,
)
from relaydesk.storage import convert
from relaydesk.storage.record_store import RecordStore, digest
from relaydesk.storage.tables import (
    AgentRow,
)


def _agent(row: AgentRow) -> Agent:
    """The agent with their role (the role column is read here, beside the shared conversion)."""
    return replace(convert.agent(row), role=AgentRole(row.role or AgentRole.AGENT))


class SqlAgentStore(RecordStore):
    """Agents, their keys (as digests) and status."""

    # -- agents -----------------------------------------------------------------------------------
    def create_agent(
        self,
        workspace_id: str,
        *,
        name: str,
        email: str,
        api_key: str,
        skills: dict[str, float] | None = None,
        languages: Sequence[str] = ("en",),
        tier: int = 1,
        capacity: int = 3,
        status: AgentStatus = AgentStatus.ONLINE,
        role: AgentRole = AgentRole.AGENT,
    ) -> Agent:
        row = AgentRow(
            id=new_id("agt"),
            workspace_id=workspace_id,
            name=name,
            email=email,
            api_key_hash=digest(api_key),
            skills=dict(skills or {}),
            languages=list(languages),
            tier=tier,
            capacity=capacity,
            status=str(status),
            created_at=utcnow(),
            role=str(AgentRole(role)),
        )
        try:
            with self._sessions.begin() as s:
                s.add(row)
        except IntegrityError as exc:
            raise Conflict(f'An agent with email "{email}" or that API key already exists') from exc
        return _agent(row)

    def agent_by_api_key(self, api_key: str) -> Agent | None:
        with self.session() as s:
            row = s.scalar(select(AgentRow).where(AgentRow.api_key_hash == digest(api_key)))
            return _agent(row) if row else None

    def get_agent(self, agent_id: str) -> Agent:
        with self.session() as s:
            row = s.get(AgentRow, agent_id)
            if row is None:
                raise NotFound(f'No agent with id "{agent_id}"')
            return _agent(row)

    def list_agents(self, workspace_id: str) -> list[Agent]:
        with self.session() as s:
            rows = s.scalars(
                select(AgentRow).where(AgentRow.workspace_id == workspace_id).order_by(AgentRow.name)
            )
            return [_agent(r) for r in rows]

    def lock_agent(self, agent_id: str) -> Agent:
        """Read the agent and hold their row until the transaction ends. Transactions that lock an
        agent and a conversation take the agent first (as assignment does): a resolve or reply that
        changes an assigned conversation twice would otherwise take the agent's row last (the
        foreign key check of the second change) and could deadlock with an assignment."""
        with self._sessions.begin() as s:
            row = s.scalar(
                select(AgentRow)
                .where(AgentRow.id == agent_id)
                .with_for_update()
                .execution_options(populate_existing=True)
            )
            if row is None:
                raise NotFound(f'No agent with id "{agent_id}"')
            return _agent(row)

    def set_agent_status(self, agent_id: str, status: AgentStatus) -> Agent:
        with self._sessions.begin() as s:
            row = s.get(AgentRow, agent_id)
            if row is None:
                raise NotFound(f'No agent with id "{agent_id}"')
            row.status = str(status)
            s.flush()
            return _agent(row)

    def set_agent_role(self, agent_id: str, role: AgentRole) -> Agent:
        with self._sessions.begin() as s:
            row = s.get(AgentRow, agent_id)
            if row is None:
                raise NotFound(f'No agent with id "{agent_id}"')
            row.role = str(AgentRole(role))
            s.flush()
            return _agent(row)

    def set_agent_api_key(self, agent_id: str, api_key: str | None) -> Agent:
        """Replace the agent's API key (only its digest is stored); None revokes it: no key
        matches the agent until a new one is set."""
        with self._sessions.begin() as s:
            row = s.get(AgentRow, agent_id)
            if row is None:
                raise NotFound(f'No agent with id "{agent_id}"')
            # a revoked agent's digest is a value no key hashes to (digests are hex, this is not)
            row.api_key_hash = digest(api_key) if api_key else f"revoked:{secrets.token_hex(16)}"
            s.flush()
            return _agent(row)
