"""The shapes KPIs are reported in: a rate, a duration distribution, a reason count, CSAT."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from enum import StrEnum

DURATION_BUCKETS: tuple[tuple[str, float], ...] = (
    ("under 1 min", 60.0),
    ("1 to 5 min", 300.0),
    ("5 to 15 min", 900.0),
    ("15 to 60 min", 3600.0),
    ("1 hour or more", float("inf")),
)
"""Labels and upper bounds (exclusive, seconds) of the duration distributions the charts show."""


class ResolutionType(StrEnum):
    """Who settled a resolved conversation."""

    AI_ONLY = "ai_only"
    """Never handed to a person."""
    AI_THEN_PERSON = "ai_then_person"
    """The AI wrote first, then a person was brought in."""
    PERSON_ONLY = "person_only"
    """Handed to a person before the AI wrote anything."""


@dataclass(frozen=True, slots=True)
class Rate:
    count: int
    total: int

    @property
    def rate(self) -> float | None:
        return self.count / self.total if self.total else None


@dataclass(frozen=True, slots=True)
class Duration:
    """Seconds over some conversations: how many, median, mean and a distribution."""

    count: int
    median_s: float | None
    mean_s: float | None
    buckets: tuple[tuple[str, int], ...]

    @classmethod
    def of(cls, seconds: list[float]) -> Duration:
        buckets = []
        lower = float("-inf")  # a clock skew below 0 s still lands in the first bucket, so they add up
        for label, upper in DURATION_BUCKETS:
            buckets.append((label, sum(1 for s in seconds if lower <= s < upper)))
            lower = upper
        if not seconds:
            return cls(0, None, None, tuple(buckets))
        return cls(len(seconds), statistics.median(seconds), statistics.fmean(seconds), tuple(buckets))


@dataclass(frozen=True, slots=True)
class ReasonCount:
    name: str
    count: int
    rate: float | None


@dataclass(frozen=True, slots=True)
class Csat:
    resolution_type: ResolutionType
    resolved: int
    rated: int
    mean_score: float | None
    satisfied_share: float | None


@dataclass(frozen=True, slots=True)
class Money:
    """An amount of the workspace's currency (``Costs.currency``), None when nothing to divide by."""

    amount: float | None
    currency: str


@dataclass(frozen=True, slots=True)
class CsatScore:
    """Ratings of some resolved conversations: how many, the mean and the satisfied share."""

    rated: int
    mean_score: float | None
    satisfied_share: float | None

    @classmethod
    def of(cls, scores: list[int]) -> CsatScore:
        if not scores:
            return cls(0, None, None)
        return cls(len(scores), statistics.fmean(scores), sum(1 for s in scores if s >= 4) / len(scores))
