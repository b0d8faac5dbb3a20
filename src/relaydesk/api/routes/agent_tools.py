"""Agent side: the store's governed tools, run by an agent in a conversation under their own name."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field, StrictBool

from relaydesk.api.deps import AgentToolsDep, CurrentAgent
from relaydesk.api.schemas import Strict
from relaydesk.governance.actions import Risk, ToolSpec
from relaydesk.governance.governed import ToolStatus
from relaydesk.services.agent_tools import AgentToolCall

router = APIRouter(prefix="/v1/agent", tags=["agent"])
ConversationIdPath = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


class ToolOut(BaseModel):
    name: str
    description: str
    params: list[str]
    """The arguments it takes, every one required."""
    risk: Risk
    consequential: bool
    """It changes records: it runs only after the customer's confirmation (``customer_confirmed``)."""

    @classmethod
    def of(cls, spec: ToolSpec) -> ToolOut:
        return cls(
            name=spec.name,
            description=spec.description,
            params=list(spec.params),
            risk=spec.risk,
            consequential=spec.consequential,
        )


class ToolCallIn(Strict):
    tool: str = Field(..., min_length=1, max_length=100, description="The tool's name (GET /v1/agent/tools)")
    args: dict[str, Any] = Field(default_factory=dict, description="The tool's arguments by name")
    customer_confirmed: StrictBool = Field(
        False,
        description="The customer confirmed this exact action to you: recorded (as given through "
        "you) before a consequential call, which is refused without it",
    )


class RuleCheckOut(BaseModel):
    rule: str
    passed: bool
    reason: str


class ToolCallOut(BaseModel):
    status: ToolStatus
    """``executed``, ``needs_approval`` (held: ``approval_id``) or ``refused`` (``rule``, ``reason``)."""
    tool: str
    reason: str
    rule: str | None
    """The rule that refused or held it."""
    result: Any
    """What the tool returned, when it ran."""
    approval_id: str | None
    confirmation_recorded: bool
    checks: list[RuleCheckOut]
    """Every rule governance checked, met or not."""

    @classmethod
    def of(cls, call: AgentToolCall) -> ToolCallOut:
        outcome = call.outcome
        checks = outcome.verdict.checks if outcome.verdict else ()
        return cls(
            status=outcome.status,
            tool=outcome.tool,
            reason=outcome.reason,
            rule=outcome.rule,
            result=outcome.result,
            approval_id=outcome.approval_id,
            confirmation_recorded=call.confirmation_recorded,
            checks=[RuleCheckOut(rule=c.rule, passed=c.passed, reason=c.reason) for c in checks],
        )


@router.get("/tools", response_model=list[ToolOut])
def list_tools(agent: CurrentAgent, tools: AgentToolsDep) -> list[ToolOut]:
    """The store's tools an agent can run in a conversation, with what each risks and changes."""
    return [ToolOut.of(spec) for spec in tools.list_tools()]


@router.post(
    "/conversations/{conversation_id}/tools",
    response_model=ToolCallOut,
    responses={
        403: {"description": "The conversation is assigned to another agent"},
        409: {"description": "The conversation is assigned to nobody: claim it first"},
    },
)
def run_tool(
    conversation_id: ConversationIdPath, body: ToolCallIn, agent: CurrentAgent, tools: AgentToolsDep
) -> ToolCallOut:
    """Run a store tool in a conversation assigned to you, through the same governance as the AI,
    recorded under your name. The customer the AI verified stays verified (or verify them with
    ``find_user_id_by_email`` / ``find_user_id_by_name_zip``; that verifies them for you, not for
    the AI once it has the conversation back). A consequential call needs
    ``customer_confirmed: true``. Over an amount limit it runs on your authority when your tier
    reaches the rule's approver tier, and is held for approval otherwise. Governance's verdict is
    the response's ``status``; 409 for a conversation assigned to nobody (queued, with the AI,
    resolved: claim it first) and 403 for one assigned to another agent, read-only tools included;
    422 for an unknown tool or wrong arguments, 404 for a conversation outside your workspace."""
    call = tools.run(agent, conversation_id, body.tool, body.args, customer_confirmed=body.customer_confirmed)
    return ToolCallOut.of(call)
