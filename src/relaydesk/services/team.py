"""Set up a support team without the demo: workspaces, agents, and who is on."""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from relaydesk.domain.errors import InvalidInput
from relaydesk.domain.models import Agent, AgentRole, AgentStatus, Workspace
from relaydesk.domain.ports import AgentLoad
from relaydesk.services.schema import open_database
from relaydesk.settings import Settings

if TYPE_CHECKING:
    from relaydesk.storage.store import SqlStore


@dataclass(frozen=True, slots=True)
class NewAgent:
    agent: Agent
    api_key: str
    """Shown once: only its digest is stored."""


def create_workspace(settings: Settings, slug: str, name: str) -> Workspace:
    """A new workspace; customers start conversations with its ``slug``."""
    from relaydesk.storage.store import SqlStore

    with open_database(settings) as engine:
        return SqlStore(engine).create_workspace(slug, name)


def workspace_by_slug(settings: Settings, slug: str) -> Workspace:
    """The workspace ``slug`` (NotFound naming the ones there are otherwise)."""
    from relaydesk.storage.store import SqlStore

    with open_database(settings) as engine:
        return SqlStore(engine).workspace_by_slug(slug)


def add_agent(
    settings: Settings,
    workspace_slug: str,
    *,
    name: str,
    email: str,
    skills: dict[str, float],
    languages: Sequence[str],
    tier: int,
    capacity: int,
    role: AgentRole = AgentRole.AGENT,
) -> NewAgent:
    """A new human agent of the workspace, with a fresh API key."""
    from relaydesk.storage.store import SqlStore

    with open_database(settings) as engine:
        store = SqlStore(engine)
        workspace = store.workspace_by_slug(workspace_slug)
        key = new_api_key()
        agent = store.create_agent(
            workspace.id,
            name=name,
            email=email,
            api_key=key,
            skills=skills,
            languages=tuple(languages),
            tier=tier,
            capacity=capacity,
            role=role,
        )
        return NewAgent(agent, key)


def agent_loads(settings: Settings, workspace_slug: str) -> list[AgentLoad]:
    """Every agent of the workspace with the number of open conversations they own."""
    from relaydesk.storage.store import SqlStore

    with open_database(settings) as engine:
        store = SqlStore(engine)
        return store.agent_loads(store.workspace_by_slug(workspace_slug).id)


def set_agent_status(settings: Settings, workspace_slug: str, email: str, status: AgentStatus) -> Agent:
    """Set the agent with ``email`` online, away or offline."""
    with _agent_by_email(settings, workspace_slug, email) as (store, agent):
        return store.set_agent_status(agent.id, status)


def set_agent_role(settings: Settings, workspace_slug: str, email: str, role: AgentRole) -> Agent:
    """Make the agent with ``email`` an agent, supervisor or admin (docs/security.md)."""
    with _agent_by_email(settings, workspace_slug, email) as (store, agent):
        return store.set_agent_role(agent.id, role)


def rotate_agent_key(settings: Settings, workspace_slug: str, email: str) -> NewAgent:
    """A fresh API key for the agent with ``email``; the old one stops working at once."""
    with _agent_by_email(settings, workspace_slug, email) as (store, agent):
        key = new_api_key()
        return NewAgent(store.set_agent_api_key(agent.id, key), key)


def revoke_agent_key(settings: Settings, workspace_slug: str, email: str) -> Agent:
    """No key works for the agent with ``email`` until ``rotate_agent_key`` gives a new one."""
    with _agent_by_email(settings, workspace_slug, email) as (store, agent):
        return store.set_agent_api_key(agent.id, None)


def new_api_key() -> str:
    return f"rdk_{secrets.token_urlsafe(24)}"


@contextmanager
def _agent_by_email(settings: Settings, workspace_slug: str, email: str) -> Iterator[tuple[SqlStore, Agent]]:
    from relaydesk.storage.store import SqlStore

    with open_database(settings) as engine:
        store = SqlStore(engine)
        workspace = store.workspace_by_slug(workspace_slug)
        agent = next((a for a in store.list_agents(workspace.id) if a.email == email), None)
        if agent is None:
            raise InvalidInput(f'No agent with email "{email}" in workspace "{workspace_slug}"')
        yield store, agent
