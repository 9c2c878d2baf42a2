"""Totals, missing answers, bands and flags, worked out from the raw answers every time.

A stored total is never trusted: the same answers always give the same result, and answers that
do not fit the questionnaire (an unknown question, an answer it does not offer, a version that
scored differently) give a result marked "not scored" with one plain sentence, never a wrong
number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

from companion.content.questionnaires import Band, Questionnaire

__all__ = ["Flag", "Response", "Score", "Status", "score_answers", "score_response"]

Status = Literal["complete", "prorated", "partial", "not-scored"]


@dataclass(frozen=True, slots=True)
class Flag:
    """An answer that needs a response whatever the total, e.g. PHQ-9 question 9 above zero."""

    kind: str
    item_id: str
    value: int


@dataclass(frozen=True, slots=True)
class Response:
    """One completed questionnaire as stored: raw answers, never a total.

    ``answers`` maps question ids to the chosen value, or to None for a question left blank.
    """

    questionnaire_id: str
    version: int
    answers: Mapping[str, int | None]
    completed_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Score:
    questionnaire_id: str
    status: Status
    total: int | None  # the raw sum (rounded when prorated); None when not scored
    shown: int | None  # what the person sees: total x multiplier (the WHO-5 percentage)
    maximum: int  # the highest possible shown value
    band: Band | None
    answered: int  # scored questions answered
    missing: tuple[str, ...]  # ids of scored questions left blank
    flags: tuple[Flag, ...] = field(default=())
    note: str = ""  # one sentence whenever the status is not "complete"

    @property
    def scored(self) -> bool:
        return self.total is not None

    def flag(self, kind: str) -> Flag | None:
        for flag in self.flags:
            if flag.kind == kind:
                return flag
        return None


def _round_half_up(value: Fraction) -> int:
    return int((value + Fraction(1, 2)) // 1)


def _questions(numbers: list[int]) -> str:
    words = [str(n) for n in numbers]
    if len(words) == 1:
        return f"question {words[0]}"
    return "questions " + ", ".join(words[:-1]) + " and " + words[-1]


def _not_scored(
    q: Questionnaire,
    note: str,
    *,
    answered: int = 0,
    missing: tuple[str, ...] = (),
    flags: tuple[Flag, ...] = (),
) -> Score:
    return Score(
        questionnaire_id=q.id,
        status="not-scored",
        total=None,
        shown=None,
        maximum=q.max_total * q.scoring.multiplier,
        band=None,
        answered=answered,
        missing=missing,
        flags=flags,
        note=note,
    )


def score_answers(q: Questionnaire, answers: Mapping[str, object]) -> Score:
    """Score answers given to the current version of ``q``.

    Answers are checked first: a question the instrument does not have, or a value its question
    does not offer, means the answers are kept but not scored. Flags are raised from every valid
    flagged answer, even when the total cannot be worked out.
    """
    flags: list[Flag] = []
    bad: str | None = None
    values: dict[str, int] = {}
    known = {item.id: item for item in q.items}
    for item_id, value in answers.items():
        item = known.get(item_id) if isinstance(item_id, str) else None
        if item is None:
            bad = bad or "An answer belongs to a question this questionnaire does not have"
            continue
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or item.option(value) is None:
            bad = bad or f"The answer to question {item.number} is not one of its answers"
            continue
        values[item_id] = value
        if item.flag and value > 0:
            flags.append(Flag(kind=item.flag, item_id=item.id, value=value))

    scored = q.scored_items
    missing = tuple(item.id for item in scored if item.id not in values)
    answered = len(scored) - len(missing)
    if bad is not None:
        return _not_scored(
            q,
            f"{bad}, so the {q.name} was not scored. The answers are kept as they were.",
            answered=answered,
            missing=missing,
            flags=tuple(flags),
        )
    raw = sum(values[item.id] for item in scored if item.id in values)
    numbers = [item.number for item in scored if item.id in missing]
    rule = q.scoring
    status: Status = "complete"
    note = ""
    if missing:
        left = _questions(numbers)
        if rule.missing == "prorate" and len(missing) <= rule.max_missing:
            raw = _round_half_up(Fraction(raw * len(scored), answered))
            status = "prorated"
            note = (
                f"You left {left} blank, so the total was estimated from your other answers, "
                f"as the {q.name} rules allow for up to {rule.max_missing} blank questions."
            )
        elif rule.missing == "count" and answered > 0:
            status = "partial"
            note = (
                f"You left {left} unanswered, so the count covers the {answered} "
                f"question{'s' if answered != 1 else ''} you answered."
            )
        elif rule.missing == "prorate":
            return _not_scored(
                q,
                f"You left {left} blank. The {q.name} can only be scored with at most "
                f"{rule.max_missing} blank questions, so this time there is no total.",
                answered=answered,
                missing=missing,
                flags=tuple(flags),
            )
        elif rule.missing == "count":
            return _not_scored(
                q,
                "No question was answered, so there is nothing to count.",
                flags=tuple(flags),
                missing=missing,
            )
        else:
            return _not_scored(
                q,
                f"You left {left} blank. The {q.name} is only scored when every question is "
                "answered, so this time there is no total.",
                answered=answered,
                missing=missing,
                flags=tuple(flags),
            )
    return Score(
        questionnaire_id=q.id,
        status=status,
        total=raw,
        shown=raw * rule.multiplier,
        maximum=q.max_total * rule.multiplier,
        band=q.band_for(raw),
        answered=answered,
        missing=missing,
        flags=tuple(flags),
        note=note,
    )


def score_response(q: Questionnaire, response: Response) -> Score:
    """Score a stored response, whichever version of the instrument it was given to."""
    if response.questionnaire_id != q.id:
        raise ValueError(f"a {response.questionnaire_id} response cannot be scored as {q.id}")
    if not q.scores_version(response.version):
        if response.version > q.version:
            note = (
                f"These answers come from a newer version of the {q.name} (version "
                f"{response.version}) than this copy of the app knows, so they are kept as they "
                "were and not scored here."
            )
        else:
            note = (
                f"These answers were given to an earlier version of the {q.name} (version "
                f"{response.version}) that is scored differently, so they are kept as they were "
                "and not scored again."
            )
        return _not_scored(q, note)
    return score_answers(q, response.answers)
