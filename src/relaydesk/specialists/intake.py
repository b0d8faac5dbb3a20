"""Intake while the customer waits for a person (the nurse takes the vitals before the doctor
comes): an intake flow for the conversation's topic gathers what the agent will need, one question
at a time, never asking what the customer already said, and its answers go to the top of the
handoff brief. It starts after the escalation is made, so it never delays a person.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from relaydesk.dialogue.acts import social_act
from relaydesk.dialogue.catalogue import say
from relaydesk.specialists import steps as st
from relaydesk.specialists.flow_spec import FlowLibrary, FlowSpec
from relaydesk.specialists.state import FlowState

DONE_TEXT = say("intake.done")
FROM_HISTORY = ("order_id", "email", "amount")
"""Kinds of answer read from what the customer already wrote, so they are not asked again."""


class Intake:
    def __init__(self, libraries: Callable[[str], FlowLibrary]) -> None:
        self._libraries = libraries

    def flow_for(self, workspace_id: str, topics: set[str]) -> FlowSpec | None:
        for flow in sorted(self._libraries(workspace_id).intakes(), key=lambda f: -f.priority):
            if topics & set(flow.topics):
                return flow
        return None

    def begin(
        self,
        workspace_id: str,
        state: FlowState,
        topics: set[str],
        earlier: Sequence[str],
        language: str = "en",
    ) -> str | None:
        """The first question of the topic's intake (None when none applies or nothing is missing)."""
        if state.intake.get("_name"):
            return None  # already gathered (or gathering) in this conversation
        flow = self.flow_for(workspace_id, topics)
        if flow is None:
            return None
        state.intake.update(_name=flow.name, _flow=flow.label)
        return self._next(state, flow, earlier, language)

    def answer(
        self, workspace_id: str, state: FlowState, text: str, earlier: Sequence[str], language: str = "en"
    ) -> str | None:
        """Take the customer's message as the answer to the intake's question; the next question,
        the closing line, or None when no intake is running."""
        name = state.intake.get("_name")
        if not name or state.intake.get("_done"):
            return None
        flow = self._libraries(workspace_id).get(str(name))
        if flow is None:
            return None
        asked = state.intake.get("_asked")
        act = social_act(text)
        if act is not None and act.act in ("ack", "thanks", "greeting", "accept", "farewell"):
            return None  # "ok cool" is not an answer to the question; it stays asked
        step = next((s for s in flow.steps if s.kind == "gather" and s.get("slot") == asked), None)
        if step is not None:
            value = st.GATHERERS[str(step.get("kind"))](text)
            if str(step.get("kind")) == "text":
                value = text.strip()[:500] or None
            if value:
                state.intake[str(asked)] = value
            else:
                state.intake[str(asked)] = f"(not given) {text.strip()[:200]}"
        return self._next(state, flow, [text, *earlier], language)

    def _next(self, state: FlowState, flow: FlowSpec, earlier: Sequence[str], language: str) -> str | None:
        for step in flow.steps:
            if step.kind != "gather":
                continue
            slot, kind = str(step.get("slot")), str(step.get("kind"))
            if slot in state.intake:
                continue
            if kind in FROM_HISTORY:
                found = next((v for t in earlier if (v := st.GATHERERS[kind](t))), None)
                if found:
                    state.intake[slot] = found
                    continue
            state.intake["_asked"] = slot
            ask = step.get("ask")
            return str(ask.get(language) or ask["en"]) if isinstance(ask, dict) else str(ask)
        state.intake["_done"] = True
        state.intake.pop("_asked", None)
        return say("intake.done", language)
