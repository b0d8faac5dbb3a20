"""Intake while the customer waits for a person (the nurse takes the vitals before the doctor
comes): an intake flow for the conversation's topic gathers what the agent will need, one question
at a time, never asking what the customer already said, and its answers go to the top of the
handoff brief. It starts after the escalation is made, so it never delays a person.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from relaydesk.dialogue.acts import social_act
from relaydesk.dialogue.catalogue import say
from relaydesk.specialists import steps as st
from relaydesk.specialists.flow_spec import FlowLibrary, FlowSpec, StepSpec
from relaydesk.specialists.flow_texts import localized
from relaydesk.specialists.state import FlowState

DONE_TEXT = say("intake.done")
FROM_HISTORY = ("order_id", "email", "amount")
"""Kinds of answer read from what the customer already wrote, so they are not asked again."""
NOT_KNOWN = re.compile(
    r"\b(don'?t|do not|dont|can'?t|cannot) (know|remember|have|find|see)\b|\bno idea\b|\bnot sure\b|"
    r"\b(no lo s[eé]|je ne sais pas|wei(ß|ss) (ich )?nicht|n[aã]o sei)\b",
    re.IGNORECASE,
)
"""A customer who says they do not have what was asked: noted as not given, not asked again."""
NOTED = {
    "en": "Thanks, I've noted that for the team.",
    "es": "Gracias, lo he anotado para el equipo.",
    "fr": "Merci, je l'ai noté pour l'équipe.",
    "de": "Danke, ich habe das für das Team notiert.",
    "pt": "Obrigado, já anotei isso para a equipa.",
}
"""Before a question asked again because the answer was something else (an e-mail address where
the order number was asked)."""
REFERENCE = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+|#?\bW\d{7}\b", re.IGNORECASE)


class Intake:
    def __init__(self, libraries: Callable[[str], FlowLibrary]) -> None:
        self._libraries = libraries

    def flow_for(self, workspace_id: str, topics: set[str], texts: Sequence[str] = ()) -> FlowSpec | None:
        """The intake for the case: one whose words the customer wrote (the priority decides
        between two), else the first by priority whose topics the escalation has. The customer's
        words come first: "my order arrived broken and I want a refund" is a damaged item, though
        triage may read the refund and call it a refund that has not come."""
        intakes = sorted(self._libraries(workspace_id).intakes(), key=lambda f: -f.priority)
        for flow in intakes:
            if any(w.search(t) for w in flow.words for t in texts):
                return flow
        for flow in intakes:
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
        flow = self.flow_for(workspace_id, topics, earlier)
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
        # what this message gives for the other questions (an order number written before it was
        # asked for) is taken too, so no question is asked that the customer has answered
        for other in flow.steps:
            slot, kind = str(other.get("slot")), str(other.get("kind"))
            if other.kind == "gather" and slot != asked and slot not in state.intake and kind in FROM_HISTORY:
                found = st.GATHERERS[kind](text)
                if found:
                    state.intake[slot] = found
        email = st.GATHERERS["email"](text)
        if email and not any(str(v) == email for v in state.intake.values()):
            state.intake.setdefault("email", email)  # for the person: the account it is about
        if step is not None and str(asked) not in state.intake:
            kind = str(step.get("kind"))
            value = st.GATHERERS[kind](text) if kind != "text" else _description(text)
            if value:
                state.intake[str(asked)] = value
            elif NOT_KNOWN.search(text) or state.intake.get("_retried") == asked:
                state.intake[str(asked)] = f"(not given) {text.strip()[:200]}"
            elif _reference_only(text):
                # an e-mail or an order number where something else was asked: asked again, once
                state.intake["_retried"] = asked
                return f"{NOTED.get(language, NOTED['en'])} {_ask(step, language)}"
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
            return _ask(step, language)
        state.intake["_done"] = True
        state.intake.pop("_asked", None)
        return say("intake.done", language)


def _ask(step: StepSpec, language: str) -> str:
    return localized(step.get("ask"), language)


def _reference_only(text: str) -> bool:
    """Whether the message is only an e-mail address or an order number (with a word or two)."""
    rest = REFERENCE.sub(" ", text)
    return rest != text and len(re.findall(r"\w+", rest)) <= 3


def _description(text: str) -> str | None:
    """A free-text answer, unless the message is only an e-mail address or an order number."""
    if _reference_only(text):
        return None
    return text.strip()[:500] or None
