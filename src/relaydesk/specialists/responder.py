"""Reception: the specialist responder. For each message it picks the specialist flow (orders and
delivery, cancellations and changes to pending orders, returns and exchanges, account and
addresses, product questions) from the words and triage's intent, or feeds the message to the flow
in progress, and proposes the flow's reply. It abstains when no flow fits, so knowledge answers,
small talk and the fallback still get their turn.

Every tool call goes through ``GovernedTools``: judged by the action rules, logged, and held for
a person's approval where the rules say so. The flow's new state travels back on the reply and is
stored with it, in the turn's transaction.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from relaydesk.dialogue.acts import social_act
from relaydesk.dialogue.catalogue import supported
from relaydesk.dialogue.language import MIN_WORDS, WORD, message_language, reply_language
from relaydesk.domain.capability_types import ConversationContext, ResponderReply, TriageResult
from relaydesk.domain.models import Conversation, Decision, Message, MessageRole
from relaydesk.governance.governed import GovernedTools
from relaydesk.specialists import flow_texts as ft
from relaydesk.specialists.engine import PERSON, PERSON_OFFER, FlowEngine, FlowReply
from relaydesk.specialists.extract import answer, asks_how, email, nothing_more, order_ids
from relaydesk.specialists.flow_spec import FlowLibrary, FlowSpec
from relaydesk.specialists.intake import Intake
from relaydesk.specialists.state import FlowState
from relaydesk.specialists.toolbox import Toolbox

if TYPE_CHECKING:
    from relaydesk.specialists.llm_assist import LLMPhraser, LLMPlanner

log = logging.getLogger(__name__)
NAME = "specialist"
MORE = "Sure, what else can I help you with?"
CLOSING = "You're welcome! I'm glad that's sorted. If anything else comes up, just write here."


REFERENCES = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+|https?://\S+|#?\bW\d{7}\b", re.IGNORECASE)


def flow_language(context: ConversationContext, triage: TriageResult, text: str, state: FlowState) -> str:
    """The language a flow speaks this turn: this message's when it says (three words or more, read
    with confidence), else the one the flows spoke last in this conversation (an e-mail address,
    an order number or "os dois" says nothing), else the conversation's or the customer's
    (``dialogue/language.py``). Kept in the flow state."""
    words = REFERENCES.sub(" ", text)  # an e-mail address or an order number is no language
    said = message_language(triage, words) if len(WORD.findall(words)) >= MIN_WORDS else None
    if supported(said):
        state.shared["language"] = said
        return str(said)
    kept = state.shared.get("language")
    if supported(kept):
        return str(kept)
    language = reply_language(context, triage, text)
    state.shared["language"] = language
    return language


def _asked_anything_else(context: ConversationContext) -> bool:
    """Whether the AI's last message ended a flow with "anything else?"."""
    for earlier in reversed(context.history):
        if earlier.role.value == "ai":
            return bool(earlier.metadata.get("flow")) and earlier.metadata.get("asks") is None
    return False


def _asked_person(context: ConversationContext) -> bool:
    """Whether the AI's last message was a flow's offer of a person (it could not go on)."""
    for earlier in reversed(context.history):
        if earlier.role.value == "ai":
            return earlier.metadata.get("asks") == PERSON
    return False


def _known_order(state: FlowState, context: ConversationContext, message: Message) -> str | None:
    """The order this conversation is about: the last one the customer named, else the last one a
    flow worked on."""
    for earlier in reversed(context.history):
        if earlier.id != message.id and earlier.role.value == "customer":
            named = order_ids(earlier.text)
            if named:
                return named[-1]
    orders = state.shared.get("orders") or []
    return str(orders[-1]) if orders else None


def _bare_yes(text: str) -> bool:
    """A plain yes to "anything else?" (the customer has more to ask but has not said what)."""
    return len(text.split()) <= 4 and answer(text) == "yes"


class SpecialistResponder:
    name = NAME
    version = "specialists-1"

    def __init__(
        self,
        tools: GovernedTools | Callable[[], GovernedTools],
        decisions: Callable[[str], Iterable[Decision]],
        libraries: Callable[[str], FlowLibrary],
        *,
        phraser: LLMPhraser | None = None,
        planner: LLMPlanner | None = None,
    ) -> None:
        self._tools = tools
        self._decisions = decisions
        self._libraries = libraries
        self.phraser = phraser
        self.planner = planner
        self.intake = Intake(libraries)

    @property
    def tools(self) -> GovernedTools:
        if not isinstance(self._tools, GovernedTools):
            self._tools = self._tools()
        return self._tools

    def engine_for(self, workspace_id: str) -> FlowEngine:
        return FlowEngine(self._libraries(workspace_id))

    def respond(self, message: Message, triage: TriageResult, context: ConversationContext) -> ResponderReply:
        conversation = context.conversation
        state = FlowState.from_json(conversation.flow)
        engine = self.engine_for(conversation.workspace_id)
        language = flow_language(context, triage, message.text, state)
        taken = self._person_offer_taken(engine, message, triage, state, context, language)
        if taken is not None:
            return self._reply(taken, state, conversation.language or triage.language)
        waiting = self._while_approval_waits(engine, message, state, conversation, language)
        if waiting is not None:
            return self._reply(waiting, state, conversation.language or triage.language)
        planned: FlowSpec | None = None
        text = message.text
        gloss = str(triage.extra.get("gloss") or "") or None  # the message in English, if it is not
        unchosen = (
            state.active is None
            and engine.dispatch(text, triage.intent, triage.confidence, gloss=gloss) is None
        )
        question = asks_how(text) or bool(gloss and asks_how(gloss))
        known = _known_order(state, context, message) if unchosen and not question else None
        if known and not order_ids(text):
            # "Is it shipped yet?" about the order given earlier (before a person took over and
            # handed back, say): read as about that order
            about = f"{text} {known}"
            if engine.dispatch(about, triage.intent, triage.confidence) is not None:
                text, unchosen = about, False
        if unchosen and not self._closing(state, message, context):
            planned = self._planned_flow(engine, message, context)
        if unchosen and planned is None:
            if (
                state.finished
                and not state.suspended
                and nothing_more(message.text)
                and _asked_anything_else(context)
            ):
                state.finished.append({"flow": "close", "outcome": "done"})
                return self._reply(
                    FlowReply(
                        CLOSING if language == "en" else ft.text("close.done", language),
                        "close",
                        "end",
                        resolved=True,
                    ),
                    state,
                    conversation.language or triage.language,
                )
            if state.finished and _asked_anything_else(context) and _bare_yes(message.text):
                return self._reply(
                    FlowReply(
                        MORE if language == "en" else ft.text("close.more", language),
                        "close",
                        "end",
                        asks="request",
                        progressed=True,
                    ),
                    state,
                    conversation.language or triage.language,
                )
            return self._abstain("no flow fits the message")
        session = self.tools.restore_session(
            self._decisions(conversation.id),
            conversation_id=conversation.id,
            workspace_id=conversation.workspace_id,
        )
        box = Toolbox(self.tools, session, state, message_id=message.id)
        box.given_emails = _given_emails(context)
        reply = engine.turn(
            text,
            state,
            box,
            intent=triage.intent,
            confidence=triage.confidence,
            start=planned,
            language=language,
            gloss=gloss,
        )
        if reply is None:
            return self._abstain("no flow fits the message")
        out = self._reply(reply, state, conversation.language or triage.language)
        if planned is not None:
            out = replace(out, reasons=(f"flow {planned.label} chosen by the language model", *out.reasons))
        return out

    @staticmethod
    def _person_offer_taken(
        engine: FlowEngine,
        message: Message,
        triage: TriageResult,
        state: FlowState,
        context: ConversationContext,
        language: str,
    ) -> FlowReply | None:
        """A flow that could not do what was asked (the order's state) offered a person: a yes, or
        the same request again, brings one in with why in the brief. Anything else drops the offer."""
        offer = state.shared.pop(PERSON_OFFER, None)
        if not isinstance(offer, dict) or state.active is not None or not _asked_person(context):
            return None
        flow = str(offer.get("flow", ""))
        again = engine.dispatch(message.text, triage.intent, triage.confidence)
        act = social_act(message.text)
        said_yes = answer(message.text) == "yes" and (act is None or act.act == "accept")  # not "ok"
        if not said_yes and (again is None or again.label != flow):
            if answer(message.text) in ("yes", "no") or (act is not None and act.act in ("ack", "decline")):
                # "ok" or "no thanks" to the offer: nothing more about this order
                return FlowReply(ft.text("standing.no_person", language), flow, "end", progressed=True)
            return None
        reply = FlowReply(ft.text("engine.exit", language), flow, "end", progressed=False)
        reply.handoff = f"{offer.get('why')}; offered a person, the customer still wants it done"
        return reply

    def _while_approval_waits(
        self,
        engine: FlowEngine,
        message: Message,
        state: FlowState,
        conversation: Conversation,
        language: str = "en",
    ) -> FlowReply | None:
        if state.active is not None or state.awaiting_approval() is None:
            return None
        session = self.tools.restore_session(
            self._decisions(conversation.id),
            conversation_id=conversation.id,
            workspace_id=conversation.workspace_id,
        )
        box = Toolbox(self.tools, session, state, message_id=message.id)
        return engine.while_approval_waits(message.text, state, box, language)

    @staticmethod
    def _closing(state: FlowState, message: Message, context: ConversationContext) -> bool:
        """The customer answering "anything else?" (no model needed for that)."""
        return (
            bool(state.finished)
            and _asked_anything_else(context)
            and (nothing_more(message.text) or _bare_yes(message.text))
        )

    def _planned_flow(
        self, engine: FlowEngine, message: Message, context: ConversationContext
    ) -> FlowSpec | None:
        """When the words choose no flow and a language model is configured: offer it the installed
        flows as tools and start the one it calls. The model picks a flow, never an action: the flow
        still identifies the customer, restates and waits for a yes, and every call passes
        governance."""
        if self.planner is None:
            return None
        flows = {f"start_{flow.name}": flow for flow in engine.library.tasks()}
        tools = [
            {
                "type": "function",
                "function": {
                    "name": name,
                    "description": f"{flow.title} ({flow.kind})",
                    "parameters": {"type": "object", "properties": {}},
                },
            }
            for name, flow in flows.items()
        ]
        history = [(m.role.value, m.text) for m in context.history if m.id != message.id]
        for call in self.planner.plan(message.text, history, tools):
            if call.name in flows:
                return flows[call.name]
        return None

    def _reply(self, reply: FlowReply, state: FlowState, language: str | None) -> ResponderReply:
        text = reply.text
        if self.phraser is not None:
            text = self.phraser.phrase(text, language=language)
        reasons = [
            f"flow {reply.flow}, step {reply.step}" + (f", asks for {reply.asks}" if reply.asks else "")
        ]
        if reply.outcome:
            reasons.append(f"flow outcome: {reply.outcome}")
        if reply.handoff:
            reasons.append(reply.handoff)
        return ResponderReply(
            text=text,
            responder=self.name,
            resolved=reply.resolved,
            confidence=1.0,
            reasons=tuple(reasons),
            version=f"flows/{reply.flow}",
            flow_state=state.to_json(),
            progressed=reply.progressed,
            handoff_reason=reply.handoff,
            asks=reply.asks,
            flow=reply.flow,
            follow_up=reply.follow_up,
        )

    def _abstain(self, why: str) -> ResponderReply:
        return ResponderReply(
            text=None, responder=self.name, abstain_reason=None, reasons=(why,), version=self.version
        )


def _given_emails(context: ConversationContext) -> list[str]:
    """The e-mail addresses the customer wrote in this conversation, latest first (walkthrough:
    "my email is james.li4495@example.com" while waiting, then asked for it again after the hand back)."""
    found = [email(m.text) for m in reversed(context.history) if m.role == MessageRole.CUSTOMER]
    return list(dict.fromkeys(e for e in found if e))
