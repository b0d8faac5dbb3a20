"""How frustrated the customer is, read from the whole conversation, with the reasons in plain words.

Two sources of evidence are combined:

* a linear model over sparse conversation features (see ``features``), trained on the
  User Satisfaction Simulation dialogues (MultiWOZ and SGD) and shipped as JSON weights in
  ``model.json`` beside this module; it knows how customers word dissatisfaction and which
  assistant replies let them down;
* plain-word signals a support team would name: angry words, shouting, "I already tried that", a
  repeated question, a request for a human, an assistant that could not help or repeated itself.

They are combined as independent evidence, ``raw = 1 - (1 - w * p_model) * prod(1 - strength)``, so
one strong signal is enough to raise the score and a calm conversation stays low. The score is then
``sigmoid(a * logit(raw) + b)``, with ``(a, b)`` fitted on held-out dialogues (``score_calibration``
in ``model.json``): a calibrated probability that the customer is dissatisfied with the help (on the
USS definition, a turn whose annotators' mean rating is below 3), so a policy threshold of 0.3 means
"about three in ten customers scored there are dissatisfied". The detector
never raises on odd input: anything that is not text scores as an empty message, and long texts are
cut before they are read.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from relaydesk.domain.capability_types import ConversationContext
from relaydesk.domain.errors import ConfigurationError
from relaydesk.domain.models import Message, MessageRole
from relaydesk.triage.frustration.features import (
    MAX_EARLIER_TURNS,
    Speaker,
    Turn,
    conversation_features,
    frustration_signals,
)

MODEL_DIR = Path(__file__).parent
MODEL_WEIGHT = 0.85
"""How far the model alone can push the score (its training data has no shouting or swearing)."""
DECLINED_OFF_TOPIC = "off_topic"
"""The ``act`` of an AI reply that declined a question outside the business: not read as a reply."""
MODEL_REASON_AT = 0.5
"""Model probability from which the model's own reason is given."""

_BLOCK_REASONS = {
    "u": "dissatisfied wording",
    "c": "dissatisfied wording",
    "x": "turned down the assistant's answer",
    "s": "the assistant's last reply missed the request",
    "s2": "the assistant's replies missed the request",
    "p": "unhappy earlier in the conversation",
}


@dataclass(frozen=True, slots=True)
class FrustrationAssessment:
    """How frustrated the customer seems now, and why."""

    score: float
    """Probability (calibrated on held-out dialogues) that the customer is dissatisfied: 0 calm .. 1."""
    reasons: tuple[str, ...]
    """Short phrases, strongest first (``"asked for a human"``, ``"shouting"``)."""


@dataclass(frozen=True, slots=True)
class FrustrationModel:
    """The weights of the linear model: a logistic regression over named sparse features."""

    version: str
    weights: dict[str, float]
    intercept: float
    calibration: tuple[float, float]
    """Platt scaling ``(a, b)`` of the model alone: probability = sigmoid(a * decision + b)."""
    manifest: dict[str, Any]
    score_calibration: tuple[float, float] = (1.0, 0.0)
    """``(a, b)`` for the combined score: score = sigmoid(a * logit(raw) + b) (identity by default)."""

    def decision(self, features: dict[str, float]) -> float:
        return self.intercept + sum(self.weights.get(k, 0.0) * v for k, v in features.items())

    def probability(self, features: dict[str, float]) -> float:
        a, b = self.calibration
        return _sigmoid(a * self.decision(features) + b)

    def strongest_block(self, features: dict[str, float]) -> str | None:
        """The feature family that pushed the decision up the most."""
        totals: dict[str, float] = {}
        for key, value in features.items():
            contribution = self.weights.get(key, 0.0) * value
            if contribution > 0:
                block = key.split(":", 1)[0]
                totals[block] = totals.get(block, 0.0) + contribution
        return max(totals, key=totals.__getitem__) if totals else None

    @classmethod
    def load(cls, directory: Path = MODEL_DIR) -> FrustrationModel:
        path = Path(directory) / "model.json"
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            score_a, score_b = raw.get("score_calibration", (1.0, 0.0))
            return cls(
                version=str(raw["version"]),
                weights={str(k): float(v) for k, v in raw["weights"].items()},
                intercept=float(raw["intercept"]),
                calibration=(float(raw["calibration"][0]), float(raw["calibration"][1])),
                manifest=dict(raw.get("manifest", {})),
                score_calibration=(float(score_a), float(score_b)),
            )
        except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
            raise ConfigurationError(f'Frustration model "{path}" cannot be read: {exc}') from exc


RAW_CLIP = (1e-4, 1.0 - 1e-4)
"""The combined evidence is kept inside these bounds before its logit is taken."""


def calibrated(raw: float, calibration: tuple[float, float]) -> float:
    """The combined evidence ``raw`` (0..1) as a probability: ``sigmoid(a * logit(raw) + b)``."""
    a, b = calibration
    raw = min(RAW_CLIP[1], max(RAW_CLIP[0], raw))
    return _sigmoid(a * math.log(raw / (1.0 - raw)) + b)


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def combined_evidence(p_model: float, strengths: list[float]) -> float:
    """The model and the plain-word signals as independent evidence, before calibration."""
    calm = 1.0 - MODEL_WEIGHT * p_model
    for strength in strengths:
        calm *= 1.0 - strength
    return min(1.0, max(0.0, 1.0 - calm))


def turns_from_history(history: tuple[Message, ...] | list[Message] | None) -> list[Turn]:
    """The conversation as the detector reads it: customer turns and replies (AI or agent)."""
    turns: list[Turn] = []
    for message in list(history or ())[-MAX_EARLIER_TURNS * 2 :]:
        role = getattr(message, "role", None)
        text = getattr(message, "text", "")
        if role == MessageRole.CUSTOMER:
            turns.append(Turn(Speaker.CUSTOMER, text if isinstance(text, str) else ""))
        elif role in (MessageRole.AI, MessageRole.AGENT):
            if (getattr(message, "metadata", None) or {}).get("act") == DECLINED_OFF_TOPIC:
                continue  # declining "who wins tonight?" is the AI doing its job, not failing the customer
            turns.append(Turn(Speaker.ASSISTANT, text if isinstance(text, str) else ""))
    return turns[-MAX_EARLIER_TURNS:]


class FrustrationDetector:
    """Scores a customer message for frustration, reading the conversation it belongs to."""

    def __init__(self, model: FrustrationModel) -> None:
        self.model = model
        self.version = f"frustration-{model.version}"

    def assess(
        self,
        text: str,
        context: ConversationContext | None = None,
        *,
        embedding: object | None = None,
    ) -> FrustrationAssessment:
        """Score ``text`` given ``context.history``. ``embedding`` is accepted for callers that
        have the message's vector at hand; this model reads words only and ignores it."""
        earlier = turns_from_history(getattr(context, "history", None))
        return self.assess_turns(text, earlier)

    def assess_turns(self, text: object, earlier: list[Turn]) -> FrustrationAssessment:
        """The same as ``assess`` for a conversation already in the detector's own shape."""
        text = text if isinstance(text, str) else ""
        features = conversation_features(text, earlier)
        p_model = self.model.probability(features)
        signals = sorted(frustration_signals(text, earlier), key=lambda s: -s.strength)
        raw = combined_evidence(p_model, [s.strength for s in signals])
        reasons = [s.reason for s in signals]
        if p_model >= MODEL_REASON_AT:
            block = self.model.strongest_block(features)
            phrase = _BLOCK_REASONS.get(block or "", "dissatisfied wording")
            if phrase not in reasons:
                reasons.append(phrase)
        score = calibrated(raw, self.model.score_calibration)
        return FrustrationAssessment(score=round(score, 4), reasons=tuple(dict.fromkeys(reasons)))


@lru_cache(maxsize=1)
def load_frustration_detector() -> FrustrationDetector:
    """The detector with the model shipped in the package (no network, no ../shared)."""
    return FrustrationDetector(FrustrationModel.load())


def frustration_reader() -> Callable[[str, ConversationContext], tuple[float, tuple[str, ...]]]:
    """The shipped detector as the ``frustration`` reader that ``MessageTriage`` takes."""
    detector = load_frustration_detector()

    def read(text: str, context: ConversationContext) -> tuple[float, tuple[str, ...]]:
        assessment = detector.assess(text, context)
        return assessment.score, assessment.reasons

    return read
