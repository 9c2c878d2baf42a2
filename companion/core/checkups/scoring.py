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
from companion.i18n import _, ngettext, pgettext

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
    """ "question 8", "questions 8 and 9", "questions 1, 2 and 3"."""
    words = [str(n) for n in numbers]
    if len(words) == 1:
        return _("question {number}").format(number=words[0])
    return _("questions {numbers} and {last}").format(
        numbers=pgettext("list separator", ", ").join(words[:-1]), last=words[-1]
    )


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
    bad: str | None = None  # the note when an answer does not fit
    values: dict[str, int] = {}
    known = {item.id: item for item in q.items}
    for item_id, value in answers.items():
        item = known.get(item_id) if isinstance(item_id, str) else None
        if item is None:
            bad = bad or _(
                "An answer belongs to a question this questionnaire does not have, so the "
                "{name} was not scored. The answers are kept as they were."
            ).format(name=q.name)
            continue
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or item.option(value) is None:
            bad = bad or _(
                "The answer to question {number} is not one of its answers, so the {name} was "
                "not scored. The answers are kept as they were."
            ).format(number=item.number, name=q.name)
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
            bad,
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
            note = ngettext(
                "You left {questions} blank, so the total was estimated from your other "
                "answers, as the {name} rules allow for up to {count} blank question.",
                "You left {questions} blank, so the total was estimated from your other "
                "answers, as the {name} rules allow for up to {count} blank questions.",
                rule.max_missing,
            ).format(questions=left, name=q.name, count=rule.max_missing)
        elif rule.missing == "count" and answered > 0:
            status = "partial"
            note = ngettext(
                "You left {questions} unanswered, so the count covers the {count} question "
                "you answered.",
                "You left {questions} unanswered, so the count covers the {count} questions "
                "you answered.",
                answered,
            ).format(questions=left, count=answered)
        elif rule.missing == "prorate":
            return _not_scored(
                q,
                ngettext(
                    "You left {questions} blank. The {name} can only be scored with at most "
                    "{count} blank question, so this time there is no total.",
                    "You left {questions} blank. The {name} can only be scored with at most "
                    "{count} blank questions, so this time there is no total.",
                    rule.max_missing,
                ).format(questions=left, name=q.name, count=rule.max_missing),
                answered=answered,
                missing=missing,
                flags=tuple(flags),
            )
        elif rule.missing == "count":
            return _not_scored(
                q,
                _("No question was answered, so there is nothing to count."),
                flags=tuple(flags),
                missing=missing,
            )
        else:
            return _not_scored(
                q,
                _(
                    "You left {questions} blank. The {name} is only scored when every question "
                    "is answered, so this time there is no total."
                ).format(questions=left, name=q.name),
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
            note = _(
                "These answers come from a newer version of the {name} (version {version}) "
                "than this copy of the app knows, so they are kept as they were and not scored "
                "here."
            )
        else:
            note = _(
                "These answers were given to an earlier version of the {name} (version "
                "{version}) that is scored differently, so they are kept as they were and not "
                "scored again."
            )
        note = note.format(name=q.name, version=response.version)
        return _not_scored(q, note)
    return score_answers(q, response.answers)
