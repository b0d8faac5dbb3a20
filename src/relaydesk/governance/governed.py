"""The governed tool layer: every tool call is judged, then run, held for approval, or refused, and logged."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from relaydesk.domain.decisions import DecisionKind
from relaydesk.domain.errors import ConfigurationError, RelaydeskError
from relaydesk.domain.models import Decision
from relaydesk.domain.ports import DecisionLog
from relaydesk.governance.actions import ActionPolicy, ActionSession, ActionVerdict, Verdict, action_key
from relaydesk.governance.actor import AI, Actor, actor_input, approved_by_actor, logged_by_ai
from relaydesk.governance.ports import ApprovalQueue, ApprovalRequest, Tool

TOOL_CALL = str(DecisionKind.TOOL_CALL)
CONFIRMATION = "confirmation"
DEFAULT_APPROVER_TIER = 2
"""The tier an approval needs when the rule that held the action names none."""
ALREADY_WAITING = "This is already waiting for a member of our team to approve it; I haven't asked again."


class ToolStatus(StrEnum):
    EXECUTED = "executed"
    """The call ran; ``result`` holds what it returned."""
    REFUSED = "refused"
    """Governance or the back end refused it; ``reason`` says why in words the customer can be told."""
    PENDING_APPROVAL = "needs_approval"
    """Held until a person with authority approves it (``approval_id``)."""


@dataclass(frozen=True, slots=True)
class ToolOutcome:
    status: ToolStatus
    tool: str
    reason: str
    rule: str | None = None
    result: Any = None
    approval_id: str | None = None
    verdict: ActionVerdict | None = None

    @property
    def accepted(self) -> bool:
        return self.status == ToolStatus.EXECUTED


class GovernedTools:
    """Runs tools only through the action policy, and writes every call to the decision log."""

    def __init__(
        self,
        tools: Iterable[Tool],
        policy: ActionPolicy,
        log: DecisionLog,
        approvals: ApprovalQueue | None = None,
    ) -> None:
        self.tools: dict[str, Tool] = {t.spec.name: t for t in tools}
        self.policy = policy
        self.log = log
        self.approvals = approvals
        for name, line in policy.rules.tools_named().items():
            if name not in self.tools:
                raise ConfigurationError(
                    f'the action rule on line {line} names the tool "{name}", which does not exist; '
                    f"known tools: {', '.join(sorted(self.tools))}"
                )

    # -- the customer's side of the rules -------------------------------------------------------
    def confirm(
        self,
        session: ActionSession,
        tool: str,
        args: dict[str, Any],
        *,
        message_id: str | None = None,
        actor: Actor = AI,
    ) -> None:
        """Record that the customer explicitly confirmed this exact action (``actor``: an agent who
        records the customer's confirmation on their behalf, say on the phone)."""
        session.confirm(tool, args)
        if actor.is_ai:
            summary, inputs = (
                f"The customer confirmed {tool} with these details.",
                {"tool": tool, "args": args},
            )
        else:
            summary = f"{actor.name} confirmed {tool} with these details on the customer's behalf."
            inputs = {"tool": tool, "args": args, "on_behalf_of": "customer", "actor": actor.to_log()}
        self._log(session, CONFIRMATION, "confirmed", summary, inputs, [], message_id, 0.0)

    def argument_problem(self, name: str, args: Mapping[str, Any]) -> str | None:
        """What is wrong with calling ``name`` with these argument names (None: nothing)."""
        tool = self.tools.get(name)
        if tool is None:
            return f'There is no tool called "{name}"; known tools: {", ".join(sorted(self.tools))}'
        return _argument_problem(tool, dict(args))

    # -- calls --------------------------------------------------------------------------------------
    def call(
        self,
        session: ActionSession,
        name: str,
        args: Mapping[str, Any],
        *,
        message_id: str | None = None,
        actor: Actor = AI,
    ) -> ToolOutcome:
        """Judge and run (or hold, or refuse) one call, and log it. ``actor``: who calls (the AI by
        default); an agent whose tier reaches the approver tier of a rule that would hold the call
        runs it on their own authority."""
        started = time.perf_counter()
        args = dict(args)

        def refuse(
            facts: dict[str, Any], verdict: ActionVerdict | None, rule: str | None, why: str
        ) -> ToolOutcome:
            return self._refuse(
                session, name, args, facts, verdict, rule, why, message_id, started, actor=actor
            )

        tool = self.tools.get(name)
        if tool is None:
            return refuse({}, None, "unknown_tool", f'There is no tool called "{name}".')
        problem = _argument_problem(tool, args)
        if problem:
            return refuse({}, None, "invalid_arguments", problem)
        try:
            facts = tool.facts(args)
        except RelaydeskError as exc:
            return refuse({}, None, "invalid_arguments", exc.detail)
        verdict = self.policy.check(tool.spec, args, facts, session)
        if verdict.verdict == Verdict.DENY:
            return refuse(facts, verdict, verdict.rule, verdict.reason)
        if verdict.verdict == Verdict.NEEDS_APPROVAL:
            needed = verdict.approver_tier or DEFAULT_APPROVER_TIER
            if actor.may_approve(needed):  # an agent with the authority approves their own call
                own = approved_by_actor(verdict, actor, needed)
                extra = {"approved_by": actor.id, "own_authority": True}
                return self._run(session, tool, args, facts, own, message_id, started, extra, actor=actor)
            return self._hold(session, tool, args, facts, verdict, message_id, started, actor=actor)
        return self._run(session, tool, args, facts, verdict, message_id, started, actor=actor)

    def run_approved(self, request: ApprovalRequest, *, approver: str, approval_id: str) -> ToolOutcome:
        """Carry out an approved call; every rule but the amount limit and confirmation is checked again."""
        started = time.perf_counter()
        session = ActionSession(request.conversation_id, request.workspace_id, request.authenticated_user_id)
        tool = self.tools.get(request.tool)
        if tool is None:
            return self._refuse(
                session,
                request.tool,
                request.args,
                {},
                None,
                "unknown_tool",
                f'There is no tool called "{request.tool}".',
                None,
                started,
            )
        facts = tool.facts(request.args)
        verdict = self.policy.check(tool.spec, request.args, facts, session, approved=True)
        if verdict.verdict != Verdict.ALLOW:
            return self._refuse(
                session,
                request.tool,
                request.args,
                facts,
                verdict,
                verdict.rule,
                "It was approved, but can no longer be done: " + verdict.reason,
                None,
                started,
            )
        return self._run(
            session,
            tool,
            request.args,
            facts,
            verdict,
            None,
            started,
            extra={"approval_id": approval_id, "approved_by": approver},
        )

    def foresee(self, session: ActionSession, name: str, args: Mapping[str, Any]) -> ActionVerdict | None:
        """What governance would decide if the customer confirmed this call now (to tell them at
        the confirmation that a person must approve it). Nothing runs and nothing is logged."""
        tool = self.tools.get(name)
        if tool is None or _argument_problem(tool, dict(args)):
            return None
        try:
            facts = tool.facts(dict(args))
        except RelaydeskError:
            return None
        trial = replace(session, confirmed=set(session.confirmed), done=set(session.done))
        trial.confirm(name, dict(args))
        return self.policy.check(tool.spec, dict(args), facts, trial)

    def approval_status(self, approval_id: str) -> str | None:
        return self.approvals.approval_status(approval_id) if self.approvals is not None else None

    def withdraw(
        self, session: ActionSession, approval_id: str, *, message_id: str | None = None, actor: Actor = AI
    ) -> str | None:
        """The customer no longer wants an action held for approval: withdraw it if nobody has
        decided yet, and log it. Returns the approval's status after (None: no approval queue)."""
        if self.approvals is None:
            return None
        started = time.perf_counter()
        status = self.approvals.withdraw_approval(approval_id, "withdrawn at the customer's request")
        self._log(
            session,
            str(DecisionKind.APPROVAL),
            "withdrawn" if status == "withdrawn" else f"not_withdrawn_{status}",
            f"{actor.name} withdrew approval {approval_id} at the customer's request."
            if status == "withdrawn"
            else f"{actor.name} could not withdraw approval {approval_id}: it was already {status}.",
            {"approval_id": approval_id, "status": status, **actor_input(actor)},
            [],
            message_id,
            started,
        )
        return status

    def restore_session(
        self,
        decisions: Iterable[Decision],
        *,
        conversation_id: str | None,
        workspace_id: str,
        actor: Actor = AI,
    ) -> ActionSession:
        """Rebuild a conversation's governance memory (identity, confirmations, once-only) from its
        log, as ``actor`` may rely on it. The customer is verified only by an executed verification
        call (a tool that ``authenticates``). The AI relies on its own verifications and on the
        confirmations the customer gave it, never on an agent's: a customer an agent looked up, or a
        confirmation an agent recorded, stays in the log but the AI verifies and asks again itself.
        An agent relies on the whole log. Once-only actions count as done whoever did them."""
        session = ActionSession(conversation_id, workspace_id)
        for decision in decisions:
            inputs = decision.inputs or {}
            name, args = inputs.get("tool", ""), inputs.get("args", {})
            relied_on = not actor.is_ai or logged_by_ai(inputs)
            spec = self.tools[name].spec if name in self.tools else None
            if decision.kind == CONFIRMATION:
                if relied_on:
                    session.confirm(name, args)
            elif decision.kind == TOOL_CALL and decision.outcome == ToolStatus.PENDING_APPROVAL:
                session.confirmed.discard(action_key(name, args))
            elif decision.kind == TOOL_CALL and decision.outcome == ToolStatus.EXECUTED:
                verified = inputs.get("authenticated_user_id")
                if relied_on and verified and spec is not None and spec.authenticates:
                    session.authenticated_user_id = verified
                session.confirmed.discard(action_key(name, args))
                if spec is not None and spec.once_per and spec.once_per in args:
                    session.done.add(f"{name}:{args[spec.once_per]}")
        return session

    # -- outcomes -----------------------------------------------------------------------------------
    def _run(
        self,
        session: ActionSession,
        tool: Tool,
        args: dict[str, Any],
        facts: dict[str, Any],
        verdict: ActionVerdict,
        message_id: str | None,
        started: float,
        extra: dict[str, Any] | None = None,
        *,
        actor: Actor = AI,
    ) -> ToolOutcome:
        name = tool.spec.name
        try:
            result = tool.run(args)
        except RelaydeskError as exc:
            return self._refuse(
                session,
                name,
                args,
                facts,
                verdict,
                "store_rule",
                exc.detail,
                message_id,
                started,
                actor=actor,
            )
        if tool.spec.authenticates and isinstance(result, str):
            if session.authenticated_user_id not in (None, result):
                return self._refuse(
                    session,
                    name,
                    args,
                    facts,
                    verdict,
                    "one_customer_per_conversation",
                    "I can help only the customer who was verified in this conversation.",
                    message_id,
                    started,
                    actor=actor,
                )
            session.authenticated_user_id = result
        session.confirmed.discard(action_key(name, args))
        if tool.spec.once_per and tool.spec.once_per in args:
            session.done.add(f"{name}:{args[tool.spec.once_per]}")
        own_authority = bool(extra and extra.get("own_authority"))
        summary = (
            f"{actor.name} ran {name}"
            + (f" on their own authority (tier {actor.tier})" if own_authority else "")
            + (" after a person approved it" if extra and not own_authority else "")
            + (": every rule that applies was met." if verdict.checks else ".")
        )
        if tool.spec.authenticates:
            summary = f"{actor.name} verified the customer as {result} with {name}."
        inputs = {
            "tool": name,
            "args": args,
            "facts": _loggable(facts),
            "risk": str(tool.spec.risk),
            "changes": list(tool.spec.changes),
            "authenticated_user_id": session.authenticated_user_id,
            **(extra or {}),
            **actor_input(actor),
        }
        self._log(
            session,
            TOOL_CALL,
            str(ToolStatus.EXECUTED),
            summary,
            inputs,
            verdict.to_log(),
            message_id,
            started,
        )
        return ToolOutcome(ToolStatus.EXECUTED, name, "Done.", result=result, verdict=verdict)

    def _hold(
        self,
        session: ActionSession,
        tool: Tool,
        args: dict[str, Any],
        facts: dict[str, Any],
        verdict: ActionVerdict,
        message_id: str | None,
        started: float,
        *,
        actor: Actor = AI,
    ) -> ToolOutcome:
        name = tool.spec.name
        if self.approvals is None:
            return self._refuse(
                session,
                name,
                args,
                facts,
                verdict,
                verdict.rule,
                verdict.reason + " No approval queue is configured, so it cannot be done here.",
                message_id,
                started,
                actor=actor,
            )
        request = ApprovalRequest(
            workspace_id=session.workspace_id,
            conversation_id=session.conversation_id,
            tool=name,
            args=args,
            authenticated_user_id=session.authenticated_user_id,
            rule=verdict.rule or "approval",
            reason=verdict.reason,
            approver_tier=verdict.approver_tier or DEFAULT_APPROVER_TIER,
            amount=verdict.amount,
            policy_version=self.policy.version,
            facts=_loggable(facts),
        )
        # the same action already waiting (asked from another conversation) is not asked twice
        duplicate = self.approvals.pending_duplicate(request)
        approval_id = duplicate or self.approvals.create_approval(request)
        session.confirmed.discard(action_key(name, args))
        summary = (
            f"{actor.name} asked a person to approve {name}: {verdict.reason} (rule {verdict.rule}; "
            f"approval {approval_id})."
            if duplicate is None
            else f"{name} already waits for a person's approval (approval {approval_id}); not asked again."
        )
        self._log(
            session,
            TOOL_CALL,
            str(ToolStatus.PENDING_APPROVAL),
            summary,
            {
                "tool": name,
                "args": args,
                "facts": _loggable(facts),
                "approval_id": approval_id,
                "authenticated_user_id": session.authenticated_user_id,
                **({"duplicate": True} if duplicate else {}),
                **actor_input(actor),
            },
            verdict.to_log(),
            message_id,
            started,
        )
        return ToolOutcome(
            ToolStatus.PENDING_APPROVAL,
            name,
            ALREADY_WAITING
            if duplicate
            else verdict.reason + " I've asked a member of our team to approve it.",
            rule=verdict.rule,
            approval_id=approval_id,
            verdict=verdict,
        )

    def _refuse(
        self,
        session: ActionSession,
        name: str,
        args: dict[str, Any],
        facts: dict[str, Any],
        verdict: ActionVerdict | None,
        rule: str | None,
        reason: str,
        message_id: str | None,
        started: float,
        *,
        actor: Actor = AI,
    ) -> ToolOutcome:
        summary = f"{actor.name} did not run {name}: {reason} (rule {rule})."
        self._log(
            session,
            TOOL_CALL,
            str(ToolStatus.REFUSED),
            summary,
            {
                "tool": name,
                "args": args,
                "facts": _loggable(facts),
                "rule": rule,
                "authenticated_user_id": session.authenticated_user_id,
                **actor_input(actor),
            },
            verdict.to_log() if verdict else [{"rule": rule, "passed": False, "reason": reason}],
            message_id,
            started,
        )
        return ToolOutcome(ToolStatus.REFUSED, name, reason, rule=rule, verdict=verdict)

    def _log(
        self,
        session: ActionSession,
        kind: str,
        outcome: str,
        summary: str,
        inputs: dict[str, Any],
        reasons: list[Any],
        message_id: str | None,
        started: float,
    ) -> None:
        self.log.add_decision(
            workspace_id=session.workspace_id,
            conversation_id=session.conversation_id,
            message_id=message_id,
            kind=kind,
            outcome=outcome,
            summary=summary,
            inputs=inputs,
            reasons=reasons,
            version=self.policy.version,
            latency_ms=(time.perf_counter() - started) * 1000.0 if started else 0.0,
        )


def _argument_problem(tool: Tool, args: dict[str, Any]) -> str | None:
    expected = tool.spec.params
    missing = [p for p in expected if p not in args]
    unknown = [a for a in args if a not in expected]
    if missing:
        return f"{tool.spec.name} needs {', '.join(missing)}"
    if unknown:
        takes = ", ".join(expected) or "nothing"
        return f"{tool.spec.name} does not take {', '.join(unknown)}; it takes {takes}"
    return None


def _loggable(facts: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in facts.items() if isinstance(v, str | int | float | bool | type(None) | list)}
