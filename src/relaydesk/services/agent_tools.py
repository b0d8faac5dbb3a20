"""Agents run the store's governed tools from the API, recorded under their own name.

The same ``GovernedTools`` the AI uses, with the conversation's governance memory rebuilt from its
decision log: the customer the AI verified stays verified (an agent may also verify them with a
look-up), confirmations and once-only actions carry over. ``customer_confirmed`` records the
customer's confirmation, given through the agent, before a consequential call; without it such a
call is refused by the confirmation rule. A call over an amount limit runs on the agent's own
authority when their tier reaches the rule's approver tier, and is held for approval otherwise.
Every decision names the agent (``actor`` in its inputs).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from relaydesk.domain.errors import InvalidInput, NotFound
from relaydesk.governance.actions import ToolSpec
from relaydesk.governance.actor import Actor
from relaydesk.governance.governed import GovernedTools, ToolOutcome, ToolStatus

if TYPE_CHECKING:
    from relaydesk.domain.models import Agent, Conversation
    from relaydesk.domain.ports import SupportStore

MAX_ARGS = 20
"""Arguments a call may carry at most (no tool takes more than eight)."""


@dataclass(frozen=True, slots=True)
class AgentToolCall:
    """What an agent's call did, and whether a confirmation was recorded for it first."""

    outcome: ToolOutcome
    confirmation_recorded: bool


class AgentToolService:
    def __init__(self, store: SupportStore, tools: GovernedTools) -> None:
        self.store = store
        self.tools = tools

    def list_tools(self) -> list[ToolSpec]:
        """Every tool an agent may call, by name."""
        return [self.tools.tools[name].spec for name in sorted(self.tools.tools)]

    def run(
        self,
        agent: Agent,
        conversation_id: str,
        tool: str,
        args: Mapping[str, Any],
        *,
        customer_confirmed: bool = False,
    ) -> AgentToolCall:
        """Call ``tool`` in the conversation as ``agent``. Raises ``NotFound`` for a conversation
        of another workspace and ``InvalidInput`` for an unknown tool or arguments it does not
        take; governance's verdict (run, held, refused) comes back in the outcome."""
        conversation = self._conversation(agent, conversation_id)
        if len(args) > MAX_ARGS:
            raise InvalidInput(f"A tool call takes at most {MAX_ARGS} arguments, got {len(args)}", tool=tool)
        problem = self.tools.argument_problem(tool, args)
        if problem:
            raise InvalidInput(problem, tool=tool)
        session = self.tools.restore_session(
            self.store.decisions(conversation.id),
            conversation_id=conversation.id,
            workspace_id=conversation.workspace_id,
        )
        actor = Actor.agent(agent)
        confirm = customer_confirmed and self.tools.tools[tool].spec.consequential
        if confirm:
            self.tools.confirm(session, tool, dict(args), actor=actor)
        outcome = self.tools.call(session, tool, args, actor=actor)
        if outcome.status == ToolStatus.REFUSED and outcome.rule == "invalid_arguments":
            raise InvalidInput(f"{tool}: {outcome.reason}", tool=tool)
        return AgentToolCall(outcome, confirm)

    def _conversation(self, agent: Agent, conversation_id: str) -> Conversation:
        conversation = self.store.get_conversation(conversation_id)
        if conversation.workspace_id != agent.workspace_id:
            raise NotFound(f'No conversation with id "{conversation_id}"')
        return conversation
