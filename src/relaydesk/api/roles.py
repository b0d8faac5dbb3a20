"""Role checks as dependencies: which agents may call a route beyond working conversations.

Every role works conversations; ``supervisor`` adds the desk's reports and what the AI tells
customers (knowledge sources); ``admin`` adds the workspace's customers and settings.
docs/security.md has the whole table, and ``relaydesk.api.access`` the rule of every route.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from relaydesk.api.deps import CurrentAgent
from relaydesk.domain.errors import RoleRequired
from relaydesk.domain.models import REPORT_ROLES, Agent, AgentRole


def supervisor_or_admin(agent: CurrentAgent) -> Agent:
    """The signed-in agent, if their role is supervisor or admin."""
    if agent.role not in REPORT_ROLES:
        raise RoleRequired(
            f'This needs the supervisor or admin role; agent "{agent.name}" has the role "{agent.role}"'
        )
    return agent


def admin_only(agent: CurrentAgent) -> Agent:
    """The signed-in agent, if their role is admin."""
    if agent.role != AgentRole.ADMIN:
        raise RoleRequired(f'This needs the admin role; agent "{agent.name}" has the role "{agent.role}"')
    return agent


Supervisor = Annotated[Agent, Depends(supervisor_or_admin)]
"""An agent with the supervisor or admin role (403 naming the role needed otherwise)."""

Admin = Annotated[Agent, Depends(admin_only)]
"""An agent with the admin role (403 naming the role needed otherwise)."""
