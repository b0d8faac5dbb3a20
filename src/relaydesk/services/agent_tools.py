"""Agents run the store's governed tools from the API, recorded under their own name.

Only in a conversation assigned to them (assigned, or waiting on the customer, with
``assigned_agent_id`` the agent's id), read-only tools included: a queued, AI-owned or resolved
conversation, or another agent's, is refused before anything runs or is logged. relaydesk has no
supervisor role to override that (an agent's tier is the authority to approve held actions, which
has its own route).

The same ``GovernedTools`` the AI uses, with the conversation's governance memory rebuilt from its
decision log: the customer the AI verified stays verified (an agent may also verify them with a
look-up), confirmations and once-only actions carry over. What an agent establishes does not carry
the other way: a customer the agent verified is not verified for the AI, which asks them itself
once the conversation is back with it. ``customer_confirmed`` records the customer's confirmation,
given through the agent, before a consequential call; without it such a call is refused by the
confirmation rule. A call over an amount limit runs on the agent's own authority when their tier
reaches the rule's approver tier, and is held for approval otherwise. Every decision names the
agent (``actor`` in its inputs).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from relaydesk.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from relaydesk.domain.models import HUMAN_OWNED, ConversationStatus
from relaydesk.governance.actions import ToolSpec
from relaydesk.governance.actor import Actor
from relaydesk.governance.governed import GovernedTools, ToolOutcome, ToolStatus

if TYPE_CHECKING:
    from relaydesk.domain.models import Agent, Conversation
    from relaydesk.domain.ports import SupportStore

MAX_ARGS = 20
"""Arguments a call may carry at most (no tool takes more than eight)."""


_UNASSIGNED: dict[ConversationStatus, tuple[str, str]] = {
    ConversationStatus.QUEUED: ("queued", "claim it first"),
    ConversationStatus.WITH_AI: ("with the AI", "claim it first"),
    ConversationStatus.RESOLVED: ("resolved", "no tools run in a closed conversation"),
}
"""How a conversation no agent owns reads in the refusal, and what to do about it."""


class ConversationNotAssigned(Conflict):
    """The conversation is assigned to nobody (queued, with the AI, resolved): claim it first."""

    def __init__(self, conversation: Conversation) -> None:
        status = str(conversation.status)
        state, next_step = _UNASSIGNED.get(conversation.status, (status, "claim it first"))
        super().__init__(
            f'Conversation "{conversation.id}" is {state}, not assigned to you; {next_step}: agents '
            "run tools, read-only ones too, only in conversations assigned to them",
            conversation_id=conversation.id,
            status=status,
        )
        self.conversation_id = conversation.id
        self.status = status


class AssignedToAnotherAgent(Forbidden):
    """The conversation belongs to another agent: only they may run tools in it."""

    def __init__(self, conversation: Conversation, owner: Agent) -> None:
        super().__init__(
            f'Conversation "{conversation.id}" is assigned to {owner.name} ({owner.id}); only the '
            "agent it is assigned to may run tools in it, read-only ones too",
            conversation_id=conversation.id,
            assigned_agent_id=owner.id,
        )
        self.conversation_id = conversation.id
        self.assigned_agent_id = owner.id


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
        of another workspace, ``ConversationNotAssigned`` / ``AssignedToAnotherAgent`` for one not
        assigned to ``agent`` (nothing runs or is logged), and ``InvalidInput`` for an unknown tool
        or arguments it does not take; governance's verdict (run, held, refused) comes back in the
        outcome."""
        conversation = self._assigned_to(agent, conversation_id)
        if len(args) > MAX_ARGS:
            raise InvalidInput(f"A tool call takes at most {MAX_ARGS} arguments, got {len(args)}", tool=tool)
        problem = self.tools.argument_problem(tool, args)
        if problem:
            raise InvalidInput(problem, tool=tool)
        actor = Actor.agent(agent)
        session = self.tools.restore_session(
            self.store.decisions(conversation.id),
            conversation_id=conversation.id,
            workspace_id=conversation.workspace_id,
            actor=actor,
        )
        confirm = customer_confirmed and self.tools.tools[tool].spec.consequential
        if confirm:
            self.tools.confirm(session, tool, dict(args), actor=actor)
        outcome = self.tools.call(session, tool, args, actor=actor)
        if outcome.status == ToolStatus.REFUSED and outcome.rule == "invalid_arguments":
            raise InvalidInput(f"{tool}: {outcome.reason}", tool=tool)
        return AgentToolCall(outcome, confirm)

    def _assigned_to(self, agent: Agent, conversation_id: str) -> Conversation:
        """The conversation, when it is assigned to ``agent`` (another workspace's does not exist)."""
        conversation = self.store.get_conversation(conversation_id)
        if conversation.workspace_id != agent.workspace_id:
            raise NotFound(f'No conversation with id "{conversation_id}"')
        if conversation.status not in HUMAN_OWNED or conversation.assigned_agent_id is None:
            raise ConversationNotAssigned(conversation)
        if conversation.assigned_agent_id != agent.id:
            raise AssignedToAnotherAgent(conversation, self.store.get_agent(conversation.assigned_agent_id))
        return conversation
