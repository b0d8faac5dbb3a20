"""Role checks as dependencies: which agents may call a route beyond working conversations."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from relaydesk.api.deps import CurrentAgent
from relaydesk.domain.errors import Forbidden
from relaydesk.domain.models import REPORT_ROLES, Agent


def supervisor_or_admin(agent: CurrentAgent) -> Agent:
    """The signed-in agent, if their role may read the desk's reports (supervisor or admin)."""
    if agent.role not in REPORT_ROLES:
        raise Forbidden(
            f'This needs the supervisor or admin role; agent "{agent.name}" has the role "{agent.role}"'
        )
    return agent


Supervisor = Annotated[Agent, Depends(supervisor_or_admin)]
"""An agent with the supervisor or admin role (403 naming the role needed otherwise)."""
