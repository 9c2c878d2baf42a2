"""Check-ups in the diary: taking a questionnaire (with a draft saved as it goes), results
worked out from the stored answers, when each one is due, and scores over time.

Rules kept here, whatever the screen:

- Answers are checked against the current questionnaire before anything is written: a question
  it does not have or an answer it does not offer is refused in one sentence.
- A result is never stored, only answers; every score is worked out again from them, so answers
  changed afterwards (only the ACE, which is about childhood, allows that) change the result, and
  answers that no longer fit (an older version, a damaged import) are kept and shown "not scored".
- A draft is one per questionnaire. One that no longer fits is not offered again: an older
  version of the questionnaire, or one begun longer ago than the questions' recall window (its
  answers were about a different fortnight).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from companion.content.questionnaires import (
    Questionnaire,
    get_questionnaire,
    load_questionnaires,
)
from companion.core import settings, timekeeping
from companion.core.checkups import schedule
from companion.core.checkups.change import Earlier
from companion.core.checkups.models import (
    DRAFT_VIEWS,
    CheckupAnswer,
    CheckupDraft,
    CheckupResponse,
)
from companion.core.checkups.scoring import Response, Score, score_response
from companion.core.checkups.trends import Scored, Trend, baselines, build_trend
from companion.core.errors import ValidationError
from companion.core.extension_points import ChartEvent, ChartOverlay, ScorePoint
from companion.i18n import _
from companion.storage.database import Database

__all__ = [
    "CheckupService",
    "Deleted",
    "Draft",
    "Result",
    "Status",
    "StoredResponse",
    "score_points",
]

#: the questionnaires whose totals the treatment history shows across each course
HISTORY_SCORES = ("phq9", "gad7")

Answers = Mapping[str, int | None]


@dataclass(frozen=True)
class StoredResponse:
    id: str
    questionnaire_id: str
    version: int
    answers: Mapping[str, int | None]
    #: when it was completed, on the person's clock at that moment
    completed_at: datetime
    #: when its answers were changed afterwards (ACE only), on the person's clock then
    edited_at: datetime | None = None

    @property
    def day(self) -> date:
        return self.completed_at.date()

    def for_scoring(self) -> Response:
        return Response(self.questionnaire_id, self.version, self.answers, self.completed_at)


@dataclass(frozen=True)
class Result:
    """A stored response and the score worked out from it now."""

    stored: StoredResponse
    score: Score

    @property
    def day(self) -> date:
        return self.stored.day


@dataclass(frozen=True)
class Draft:
    questionnaire_id: str
    answers: dict[str, int | None]
    position: int
    view: str
    started_at: datetime
    #: the completed response this draft changes (an ACE being edited), if any
    response_id: str | None = None

    @property
    def answered(self) -> int:
        return sum(1 for v in self.answers.values() if v is not None)


@dataclass(frozen=True)
class Status:
    """One questionnaire on the check-ups page: its last result, when it is due, a draft."""

    questionnaire: Questionnaire
    last: Result | None
    due: schedule.Due
    draft: Draft | None
    count: int
    #: the day unfinished answers were begun that can no longer be continued (too old, or an
    #: older version): the person is told it starts afresh
    stale_draft_on: date | None = None

    @property
    def asked_once(self) -> bool:
        return self.questionnaire.min_interval_days <= 0


@dataclass(frozen=True)
class Deleted:
    """What a delete removed, so Undo can put it back as it was."""

    response: dict[str, Any]
    answers: tuple[dict[str, Any], ...] = field(default=())


_RESPONSES = CheckupResponse.__table__
_ANSWERS = CheckupAnswer.__table__
_RESPONSE_COLUMNS = (
    _RESPONSES.c.id,
    _RESPONSES.c.questionnaire_id,
    _RESPONSES.c.version,
    _RESPONSES.c.completed_at,
    _RESPONSES.c.utc_offset_minutes,
    _RESPONSES.c.edited_at,
    _RESPONSES.c.edited_offset_minutes,
)


def _read(
    session: Session, where: Sequence[Any] = (), limit: int | None = None
) -> list[StoredResponse]:
    """Responses (oldest first) and their answers, read as plain rows: ten years of fortnightly
    questionnaires are thousands of answers, too many to build ORM objects for on every look."""
    query = select(*_RESPONSE_COLUMNS).where(*where)
    if limit is not None:
        query = query.order_by(_RESPONSES.c.completed_at.desc(), _RESPONSES.c.id.desc()).limit(
            limit
        )
    rows = list(session.execute(query))
    rows.sort(key=lambda r: (r.completed_at, r.id))
    answers: dict[str, dict[str, int | None]] = {r.id: {} for r in rows}
    if rows:
        chosen = select(_RESPONSES.c.id).where(*where)
        if limit is not None:
            chosen = select(_RESPONSES.c.id).where(_RESPONSES.c.id.in_([r.id for r in rows]))
        found = session.execute(
            select(_ANSWERS.c.response_id, _ANSWERS.c.item_id, _ANSWERS.c.value).where(
                _ANSWERS.c.response_id.in_(chosen)
            )
        )
        for response_id, item_id, value in found:
            answers[response_id][item_id] = value
    return [
        StoredResponse(
            id=r.id,
            questionnaire_id=r.questionnaire_id,
            version=r.version,
            answers=answers[r.id],
            completed_at=timekeeping.local_time(r.completed_at, r.utc_offset_minutes),
            edited_at=(
                timekeeping.local_time(r.edited_at, r.edited_offset_minutes)
                if r.edited_at is not None and r.edited_offset_minutes is not None
                else None
            ),
        )
        for r in rows
    ]


class CheckupService:
    """Questionnaires taken, drafts, due dates and trends for one diary.

    ``overlays`` are the events other features offer for charts (by default every loaded
    feature's, through the extension point); ``clock`` gives now on the person's clock.
    """

    def __init__(
        self,
        db: Database,
        *,
        overlays: Sequence[ChartOverlay] | None = None,
        clock: Callable[[], datetime] = timekeeping.local_now,
    ) -> None:
        self._db = db
        self._overlays = overlays
        self._clock = clock

    def now(self) -> datetime:
        return timekeeping.aware(self._clock())

    # -- questionnaires ------------------------------------------------------------------

    @staticmethod
    def questionnaires() -> list[Questionnaire]:
        return load_questionnaires()

    @staticmethod
    def questionnaire(questionnaire_id: str) -> Questionnaire:
        try:
            return get_questionnaire(questionnaire_id)
        except KeyError:
            raise ValidationError(
                _("There is no check-up called “{name}” in this version of Companion.").format(
                    name=str(questionnaire_id)[:40]
                )
            ) from None

    # -- reading -------------------------------------------------------------------------

    def responses(self, questionnaire_id: str | None = None) -> list[StoredResponse]:
        """Completed responses, oldest first (every questionnaire, or one)."""
        where = (
            [] if questionnaire_id is None else [_RESPONSES.c.questionnaire_id == questionnaire_id]
        )
        with self._db.sessions() as session:
            return _read(session, where)

    def response(self, response_id: str) -> StoredResponse:
        with self._db.sessions() as session:
            found = _read(session, [_RESPONSES.c.id == response_id])
        if not found:
            raise ValidationError(_("That check-up is no longer in the diary."))
        return found[0]

    def results(self, questionnaire_id: str) -> list[Result]:
        """Every result of one questionnaire, oldest first, scored now from its answers."""
        q = self.questionnaire(questionnaire_id)
        return [Result(s, score_response(q, s.for_scoring())) for s in self.responses(q.id)]

    def result(self, response_id: str) -> Result:
        stored = self.response(response_id)
        q = self.questionnaire(stored.questionnaire_id)
        return Result(stored, score_response(q, stored.for_scoring()))

    def earlier(self, response_id: str) -> tuple[Earlier | None, Earlier | None]:
        """The result before this one, and the baseline its response and remission are judged
        from (see ``trends.baselines``): what its "since last time" compares with."""
        result = self.result(response_id)
        results = self.results(result.stored.questionnaire_id)
        q = self.questionnaire(result.stored.questionnaire_id)
        before = [r for r in results if _order(r) < _order(result)]
        previous = Earlier(before[-1].score, before[-1].day) if before else None
        base = baselines(q, [Scored(r.stored.id, r.day, r.score) for r in results])
        found = base.get(response_id)
        baseline = Earlier(found.score, found.day) if found is not None else None
        return previous, baseline

    # -- taking one ------------------------------------------------------------------------

    def _clean_answers(self, q: Questionnaire, answers: object) -> dict[str, int | None]:
        """Every question of ``q`` with its answer (None: left out), or a ValidationError."""
        if not isinstance(answers, Mapping):
            raise ValidationError(_("The answers could not be read."))
        known = {item.id: item for item in q.items}
        for key in answers:
            if key not in known:
                raise ValidationError(
                    _("An answer belongs to a question the {name} does not have.").format(
                        name=q.name
                    )
                )
        clean: dict[str, int | None] = {}
        for item in q.items:
            value = answers.get(item.id)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or item.option(value) is None
            ):
                raise ValidationError(
                    _("The answer to question {number} is not one of its answers.").format(
                        number=item.number
                    )
                )
            clean[item.id] = value
        if all(clean[item.id] is None for item in q.scored_items):
            raise ValidationError(
                _(
                    "No question was answered, so there is nothing to save. You can leave the "
                    "{name} for another time."
                ).format(name=q.name)
            )
        return clean

    def complete(
        self, questionnaire_id: str, answers: Answers, *, now: datetime | None = None
    ) -> StoredResponse:
        """Save a completed questionnaire (its draft goes); the answers, never a total."""
        q = self.questionnaire(questionnaire_id)
        clean = self._clean_answers(q, answers)
        moment = timekeeping.aware(now) if now is not None else self.now()
        offset = timekeeping.offset_minutes(moment)
        with self._db.session() as session:
            row = CheckupResponse(
                questionnaire_id=q.id,
                version=q.version,
                completed_at=moment,
                utc_offset_minutes=offset,
            )
            session.add(row)
            session.flush()
            _write_answers(session, row.id, clean)
            session.execute(
                delete(CheckupDraft).where(
                    CheckupDraft.questionnaire_id == q.id, CheckupDraft.response_id.is_(None)
                )
            )
            response_id = row.id
        return self.response(response_id)

    def change_answers(
        self, response_id: str, answers: Answers, *, now: datetime | None = None
    ) -> StoredResponse:
        """Change a completed response's answers. Only for a questionnaire asked once (the
        ACE): the others describe the weeks before they were taken, so a later change would
        rewrite history; delete and take it again instead."""
        stored = self.response(response_id)
        q = self.questionnaire(stored.questionnaire_id)
        if q.recall_days > 0:
            raise ValidationError(
                _(
                    "A {name} describes the weeks before it was taken, so its answers cannot be "
                    "changed afterwards. You can delete it and take it again."
                ).format(name=q.name)
            )
        if not q.scores_version(stored.version):
            raise ValidationError(
                _(
                    "These answers were given to an earlier version of the {name}, so they "
                    "cannot be changed into the current one. You can take it again instead."
                ).format(name=q.name)
            )
        clean = self._clean_answers(q, answers)
        moment = timekeeping.aware(now) if now is not None else self.now()
        offset = timekeeping.offset_minutes(moment)
        with self._db.session() as session:
            row = session.get(CheckupResponse, response_id)
            if row is None:
                raise ValidationError(_("That check-up is no longer in the diary."))
            session.execute(delete(CheckupAnswer).where(CheckupAnswer.response_id == response_id))
            _write_answers(session, response_id, clean)
            row.version = q.version
            row.edited_at = moment
            row.edited_offset_minutes = offset
            session.execute(delete(CheckupDraft).where(CheckupDraft.response_id == response_id))
        return self.response(response_id)

    def delete(self, response_id: str) -> Deleted:
        """Remove a result and its answers (really: nothing of it stays in the file)."""
        with self._db.session() as session:
            row = session.get(CheckupResponse, response_id)
            if row is None:
                raise ValidationError(_("That check-up is no longer in the diary."))
            answers = list(
                session.scalars(
                    select(CheckupAnswer).where(CheckupAnswer.response_id == response_id)
                )
            )
            snapshot = Deleted(_row_dict(row), tuple(_row_dict(a) for a in answers))
            session.delete(row)
        return snapshot

    def restore(self, deleted: Deleted) -> None:
        """Undo a delete: the same rows again, with the same ids and times."""
        with self._db.session() as session:
            if session.get(CheckupResponse, deleted.response["id"]) is not None:
                return
            session.add(CheckupResponse(**deleted.response))
            session.flush()
            for answer in deleted.answers:
                session.add(CheckupAnswer(**answer))

    # -- drafts ----------------------------------------------------------------------------

    def draft(self, questionnaire_id: str, *, now: datetime | None = None) -> Draft | None:
        """The unfinished questionnaire to continue, if there is one that still fits."""
        q = self.questionnaire(questionnaire_id)
        moment = timekeeping.aware(now) if now is not None else self.now()
        return self._draft(q, moment)[0]

    def _draft(self, q: Questionnaire, moment: datetime) -> tuple[Draft | None, date | None]:
        """The draft to continue, or the day an unfinished one was begun that no longer fits
        (given to an older version, or begun longer ago than the questions' time span)."""
        with self._db.sessions() as session:
            row = session.scalar(select(CheckupDraft).where(CheckupDraft.questionnaire_id == q.id))
            if row is None:
                return None, None
            started = timekeeping.local_time(row.started_at, row.utc_offset_minutes)
            if not q.scores_version(row.version):
                return None, started.date()
            if q.recall_days > 0 and (moment.date() - started.date()).days >= q.recall_days:
                return None, started.date()  # its answers were about a different fortnight
            raw = row.answers if isinstance(row.answers, dict) else {}
            answers: dict[str, int | None] = {}
            for item in q.items:
                value = raw.get(item.id)
                fits = isinstance(value, int) and not isinstance(value, bool)
                answers[item.id] = (
                    value if isinstance(value, int) and fits and item.option(value) else None
                )
            view = row.view if row.view in DRAFT_VIEWS else "question"
            position = min(max(row.position, 0), len(q.items) - 1)
            return Draft(q.id, answers, position, view, started, row.response_id), None

    def save_draft(
        self,
        questionnaire_id: str,
        answers: Answers,
        *,
        position: int = 0,
        view: str = "question",
        response_id: str | None = None,
        now: datetime | None = None,
    ) -> None:
        """Keep the answers so far (called after every answer, and before the diary locks)."""
        q = self.questionnaire(questionnaire_id)
        if view not in DRAFT_VIEWS:
            raise ValidationError(_("The place in the questionnaire could not be read."))
        known = {item.id: item for item in q.items}
        clean: dict[str, int | None] = {}
        for key, value in answers.items():
            item = known.get(key)
            if item is None:
                raise ValidationError(
                    _("An answer belongs to a question the {name} does not have.").format(
                        name=q.name
                    )
                )
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or item.option(value) is None
            ):
                raise ValidationError(
                    _("The answer to question {number} is not one of its answers.").format(
                        number=item.number
                    )
                )
            clean[key] = value
        position = min(max(int(position), 0), len(q.items) - 1)
        moment = timekeeping.aware(now) if now is not None else self.now()
        with self._db.session() as session:
            row = session.scalar(select(CheckupDraft).where(CheckupDraft.questionnaire_id == q.id))
            fresh = row is None or row.version != q.version or row.response_id != response_id
            if row is not None and not fresh:
                started = timekeeping.local_time(row.started_at, row.utc_offset_minutes)
                stale = (moment.date() - started.date()).days >= q.recall_days > 0
                fresh = stale
            if row is None:
                row = CheckupDraft(questionnaire_id=q.id)
                session.add(row)
            if fresh:
                row.started_at = moment
                row.utc_offset_minutes = timekeeping.offset_minutes(moment)
            row.version = q.version
            row.answers = clean
            row.position = position
            row.view = view
            row.response_id = response_id

    def discard_draft(self, questionnaire_id: str) -> None:
        with self._db.session() as session:
            session.execute(
                delete(CheckupDraft).where(CheckupDraft.questionnaire_id == questionnaire_id)
            )

    # -- due dates -------------------------------------------------------------------------

    def intervals(self) -> dict[str, int]:
        """The interval in force for every questionnaire (days; 0: no reminder)."""
        chosen = settings.SettingsService(self._db).get(schedule.INTERVALS)
        return {q.id: schedule.interval_for(q, chosen) for q in self.questionnaires()}

    def set_interval(self, questionnaire_id: str, days: int) -> None:
        q = self.questionnaire(questionnaire_id)
        checked = schedule.check_interval(q, days)
        with self._db.session() as session:
            chosen: dict[str, int] = settings.read(session, schedule.INTERVALS)
            chosen = {**chosen, q.id: checked}
            settings.write(session, schedule.INTERVALS, chosen)

    def reminders_on(self) -> bool:
        return settings.SettingsService(self._db).get(schedule.REMINDERS)

    def set_reminders(self, on: bool) -> None:
        settings.SettingsService(self._db).set(schedule.REMINDERS, on)

    def statuses(self, *, now: datetime | None = None) -> list[Status]:
        """Every questionnaire in the app's order, with its last result and when it is due."""
        moment = timekeeping.aware(now) if now is not None else self.now()
        chosen = settings.SettingsService(self._db).get(schedule.INTERVALS)
        questionnaires = self.questionnaires()
        with self._db.sessions() as session:
            counts: dict[str, int] = dict(
                session.execute(
                    select(_RESPONSES.c.questionnaire_id, func.count()).group_by(
                        _RESPONSES.c.questionnaire_id
                    )
                ).all()
            )
            latest = {
                q.id: _read(session, [_RESPONSES.c.questionnaire_id == q.id], limit=1)
                for q in questionnaires
                if counts.get(q.id)
            }
        out = []
        for q in questionnaires:
            last = None
            if latest.get(q.id):
                newest = latest[q.id][0]
                last = Result(newest, score_response(q, newest.for_scoring()))
            due = schedule.due(q, last.day if last else None, chosen)
            count = int(counts.get(q.id, 0))
            draft, stale = self._draft(q, moment)
            out.append(Status(q, last, due, draft, count, stale))
        return out

    def due_now(self, *, now: datetime | None = None) -> list[Status]:
        """The questionnaires due today or earlier, the longest-waiting first."""
        moment = timekeeping.aware(now) if now is not None else self.now()
        today = moment.date()
        statuses = self.statuses(now=moment)
        found = [(n, s) for n, s in enumerate(statuses) if s.due.is_due(today)]
        found.sort(key=lambda pair: (pair[1].due.due_on or today, pair[0]))
        return [s for _n, s in found]

    # -- trends ----------------------------------------------------------------------------

    def overlays(self) -> list[ChartOverlay]:
        if self._overlays is None:
            from companion import features

            self._overlays = features.load().chart_overlays()
        return list(self._overlays)

    def events(self, start: date, end: date) -> list[ChartEvent]:
        """What other features draw over the trend (medicine starts, dose changes, stops)."""
        found: list[ChartEvent] = []
        for overlay in self.overlays():
            found.extend(overlay.events(self._db, start, end))
        return sorted(found, key=lambda e: (e.day, e.kind, e.label))

    def trend(
        self,
        questionnaire_id: str,
        *,
        start: date | None = None,
        end: date | None = None,
        now: datetime | None = None,
        results: Sequence[Result] | None = None,
    ) -> Trend:
        """One questionnaire's scores from ``start`` to ``end`` (default: from the first
        result to today), with response and remission marked and the overlays' events.
        ``results`` are its results if the caller has just read them."""
        q = self.questionnaire(questionnaire_id)
        if results is None:
            results = self.results(q.id)
        today = (timekeeping.aware(now) if now is not None else self.now()).date()
        last = end or today
        first = start or (results[0].day if results else last - timedelta(days=90))
        first = min(first, last)
        scored = [Scored(r.stored.id, r.day, r.score) for r in results]
        return build_trend(q, scored, self.events(first, last), first, last)


def _order(result: Result) -> tuple[datetime, str]:
    return result.stored.completed_at, result.stored.id


def _write_answers(session: Session, response_id: str, answers: Mapping[str, int | None]) -> None:
    for item_id, value in answers.items():
        session.add(CheckupAnswer(response_id=response_id, item_id=item_id, value=value))


def _row_dict(row: Any) -> dict[str, Any]:
    return {c.key: getattr(row, c.key) for c in row.__table__.columns}


def score_points(db: Database) -> list[ScorePoint]:
    """PHQ-9 and GAD-7 totals for the treatment history (the score source)."""
    service = CheckupService(db)
    points: list[ScorePoint] = []
    for questionnaire_id in HISTORY_SCORES:
        try:
            q = get_questionnaire(questionnaire_id)
        except KeyError:
            continue
        lower_is_better = q.change is None or q.change.lower_is_better
        for result in service.results(q.id):
            if result.score.shown is not None:
                points.append(
                    ScorePoint(q.name, result.day, float(result.score.shown), lower_is_better)
                )
    return points
