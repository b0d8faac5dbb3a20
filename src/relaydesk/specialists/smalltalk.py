"""Replies to the social side of a conversation, in the customer's language, so that knowledge is
not searched for it and nobody is queued for it: a hello, "how's it going?", thanks, "ok" or 👍,
a goodbye, "are you a bot?", a "no thanks" to the offer of a person, and a question outside the
business ("what's the capital of Australia"), which is declined politely with what the AI can do.

Without it a greeting reached the knowledge responder, which found no article about "hi" and
abstained with ``missing knowledge``: the orchestrator then queued the customer for a person before
they had asked anything. It answers only when every word of the message is social
(dialogue/acts.py), or when nothing in it touches the business (dialogue/topics.py). While a
specialist flow waits for an answer, "yes", "no" and "ok" are the flow's.
"""

from __future__ import annotations

import re

from relaydesk.dialogue.acts import social_act
from relaydesk.dialogue.catalogue import say, supported
from relaydesk.dialogue.feedback import HARSH, NOT_HELPED
from relaydesk.dialogue.language import reply_language
from relaydesk.dialogue.topics import DEFAULT_READER, INJECTION, TopicReader
from relaydesk.domain.capability_types import ConversationContext, ResponderReply, TriageResult
from relaydesk.domain.models import Message, MessageRole
from relaydesk.governance import conversation_signals as signals
from relaydesk.triage.person_request import ABOUT_THE_ASSISTANT

GREETING_TEXT = say("greeting")
THANKS_TEXT = say("thanks")
OPENER_TEXT = say("opener")
ACT_TEXTS = {
    "greeting": "greeting",
    "how_are_you": "how_are_you",
    "thanks": "thanks",
    "farewell": "farewell",
    "ack": "ack",
    "bot_question": "bot",
}
"""The catalogue text (dialogue/catalogue.py) each social act is answered with."""
ASKING_WORDS = frozenset(
    ["help", "question", "something", "assist", "assistance", "problem", "issue", "support"]
)
"""A message made only of social words and one of these ("I need help", "can you help me?", "I have
a question") asks for help without saying with what: the customer is asked, not queued."""
SOCIAL_WORDS = frozenset(
    [
        "hi",
        "hello",
        "hey",
        "hiya",
        "yo",
        "greetings",
        "good",
        "morning",
        "afternoon",
        "evening",
        "day",
        "there",
        "team",
        "everyone",
        "anyone",
        "all",
        "folks",
        "guys",
        "thanks",
        "thank",
        "you",
        "so",
        "much",
        "very",
        "a",
        "lot",
        "many",
        "cheers",
        "ty",
        "thx",
        "appreciate",
        "appreciated",
        "it",
        "that",
        "that's",
        "this",
        "was",
        "is",
        "are",
        "great",
        "perfect",
        "awesome",
        "brilliant",
        "helpful",
        "lovely",
        "nice",
        "for",
        "your",
        "the",
        "help",
        "ok",
        "okay",
        "bye",
        "goodbye",
        "see",
        "have",
        "can",
        "could",
        "me",
        "with",
        "something",
        "question",
        "i",
        "i've",
        "we",
        "need",
        "some",
        "please",
        "an",
        "quick",
        "again",
        "support",
        "assistance",
    ]
)
"""Words a hello or a thank-you is made of. A message with any other word ("thanks, but my parcel
never came") carries a request and goes on to the responders that can answer it."""
OPENER_WORDS = (
    SOCIAL_WORDS
    | ASKING_WORDS
    | frozenset(
        [
            "got",
            "having",
            "hoping",
            "wondering",
            "if",
            "am",
            "i'm",
            "would",
            "i'd",
            "like",
            "want",
            "to",
            "ask",
        ]
    )
)
"""What an opener may be made of: social words, an ask for help, and the words around it."""
REFERRING = frozenset(["that", "that's", "this", "it"])
"""Words that point back at something already said ("can you help me with that?", "that's a
problem"): such a message is neither a hello nor an opener."""
THANKING = frozenset(["thanks", "thank", "cheers", "ty", "thx", "appreciate", "appreciated"])
WORD = re.compile(r"[a-z']+")


MODELLED_SOCIAL = {"greeting": "greeting", "thanks": "thanks"}
MODELLED_SOCIAL_CONFIDENCE = 0.75
MAX_MODELLED_SOCIAL_WORDS = 10
ASKING = re.compile(
    r"\b(problem|issue|broken|wrong|help|need|want|can|could|would|where|when|what|how|why|which|order|"
    r"not|no|never|but)\b",
    re.IGNORECASE,
)
"""Words that make a message more than a hello, whatever the intent model reads ("no" reads as a
greeting to it)."""


class SmallTalkResponder:
    name = "smalltalk"
    version = "smalltalk-2"

    def __init__(
        self,
        *,
        opener: str | None = OPENER_TEXT,
        topics: TopicReader | None = None,
    ) -> None:
        self.opener = opener
        self.topics = topics or DEFAULT_READER

    def respond(self, message: Message, triage: TriageResult, context: ConversationContext) -> ResponderReply:
        text = message.text
        words = WORD.findall(text.lower().replace("\u2019", "'"))
        act = social_act(text)
        language = reply_language(context, triage, text)
        known = context.conversation.language
        if (
            act is not None
            and act.language
            and supported(act.language)
            and not (act.language == "en" and known and known != "en")
        ):
            # "hola" is Spanish, however short; "ok thanx" or "thx" are written in every language
            # and do not turn a Spanish conversation English.
            language = act.language
        waiting = _flow_waits(context)
        if act is not None and not triage.wants_human and not (waiting and act.act != "bot_question"):
            key = self._key(act.act, context)
            if key is not None:
                return self._reply(say(key, language), act=key, reason=f"{act.act} ({act.language or '-'})")
        if (
            not waiting
            and not triage.wants_human
            and ABOUT_THE_ASSISTANT.search(text)
            and not self._business(text, triage)
        ):
            return self._reply(say("bot", language), act="bot", reason="asks what the assistant is")
        modelled = self._modelled_social(text, words, triage)
        if act is None and not waiting and modelled is not None:
            return self._reply(
                say(modelled, language), act=modelled, reason=f"{triage.intent} at {triage.confidence:.2f}"
            )
        if words and self.opener and not triage.wants_human and _is_opener(words, triage, context):
            opener = say("opener", language) if self.opener == OPENER_TEXT else self.opener
            return self._reply(opener, act="opener", reason="asks for help without saying with what")
        if not waiting and INJECTION.search(text) and self.topics.off_topic(text, triage):
            # an attempt to steer the assistant is declined before anything acts on it; other
            # questions outside the business are declined after the help center had nothing
            # (specialists/clarify.py), so "what are your opening hours" is not refused here
            return self._reply(
                say("off_topic", language),
                act="off_topic",
                reason="nothing in it is about the shop or its support",
            )
        return ResponderReply(
            text=None,
            responder=self.name,
            abstain_reason="not small talk",
            reasons=(f"intent {triage.intent} at {triage.confidence:.2f}",),
            version=self.version,
        )

    def _business(self, text: str, triage: TriageResult) -> bool:
        gloss = str(triage.extra.get("gloss") or "")
        return self.topics.about_the_business(text) or bool(gloss and self.topics.about_the_business(gloss))

    def _modelled_social(self, text: str, words: list[str], triage: TriageResult) -> str | None:
        """A hello or thanks the phrase lists do not know ("hey jonas here 👋"), read by the intent
        model when it is sure and nothing in the message asks or is about the shop."""
        if (
            triage.intent not in MODELLED_SOCIAL
            or triage.confidence < MODELLED_SOCIAL_CONFIDENCE
            or triage.wants_human
            or "?" in text
            or len(words) > MAX_MODELLED_SOCIAL_WORDS
            or ASKING.search(text)
            or set(triage.reasons) & {NOT_HELPED, HARSH}
            or self._business(text, triage)
        ):
            return None
        return MODELLED_SOCIAL[triage.intent]

    def _key(self, act: str, context: ConversationContext) -> str | None:
        """The catalogue text for a social act, read in the conversation's context; None when the
        specialist flow that spoke last should take it ("yes" to its "anything else?")."""
        if act in ("accept", "decline", "ack") and _flow_spoke_last(context):
            return None
        if act in ("ack", "accept") and not any(m.role == MessageRole.AI for m in context.history):
            return "greeting"  # a thumbs-up that opens the chat acknowledges nothing: say what we do
        if act == "decline":
            if signals.last_ai_offered(context.history):
                return "offer_declined"
            # "no thanks" after a greeting or "are you a bot?": nothing was helped with yet
            return "farewell" if _ai_helped(context) else "farewell.nothing_done"
        if act == "accept":
            return "ack"  # a yes to an offer never gets here: the policy has brought a person in
        return ACT_TEXTS.get(act)

    def _reply(self, text: str, *, act: str, reason: str) -> ResponderReply:
        return ResponderReply(
            text=text,
            responder=self.name,
            resolved=False,
            confidence=1.0,
            reasons=(reason,),
            version=self.version,
            act=act,
        )


def _ai_helped(context: ConversationContext) -> bool:
    """The AI said something beyond social replies (an answer, a flow's step, an offer)."""
    return any(m.role == MessageRole.AI and m.author_id != SmallTalkResponder.name for m in context.history)


def _flow_spoke_last(context: ConversationContext) -> bool:
    last = next((m for m in reversed(context.history) if m.role == MessageRole.AI), None)
    return last is not None and bool((last.metadata or {}).get("flow"))


def _flow_waits(context: ConversationContext) -> bool:
    """A specialist flow asked the customer something: a "yes", "no" or "ok" is its answer."""
    flow = context.conversation.flow or {}
    active = flow.get("active") if isinstance(flow, dict) else None
    return bool(active)


def _is_opener(words: list[str], triage: TriageResult, context: ConversationContext) -> bool:
    """A first ask for help that says nothing of what it is about."""
    if (
        triage.intent == "thanks"
        or not ASKING_WORDS.intersection(words)
        or any(word not in OPENER_WORDS for word in words)
        or REFERRING.intersection(words)
        or THANKING.intersection(words)
    ):
        return False
    # Later in a conversation, "I need help" follows an answer that did not help: not a new start.
    return not any(m.role == MessageRole.CUSTOMER for m in context.history)
