"""The check-ups section: latest scores with bands and change, the question-9 flag, every
result, and every answer for the data exports.

Totals are worked out again from the raw answers (``companion.core.checkups.scoring``) and
change is judged by each instrument's own rule (``companion.core.checkups.change``), exactly
as the Check-ups page does. Results from before the period may be passed in: they only serve
as the "previous" score of the first result inside it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from companion.content.questionnaires import Questionnaire, load_questionnaires
from companion.core.checkups.change import Change, compare
from companion.core.checkups.flags import SELF_HARM
from companion.core.checkups.scoring import Response, Score, score_response
from companion.core.reports.model import Column, Fact, Facts, Period, Section, Table, Text
from companion.core.reports.records import CheckupRecord
from companion.core.reports.sections import ORDER
from companion.i18n import _, format_date, ngettext

__all__ = ["ACE", "Scored", "checkups_section", "score_records"]


@dataclass(frozen=True, slots=True)
class Scored:
    record: CheckupRecord
    questionnaire: Questionnaire
    score: Score


def score_records(
    records: Sequence[CheckupRecord], questionnaires: Mapping[str, Questionnaire] | None = None
) -> list[Scored]:
    """Every record scored again, oldest first; records of unknown instruments are left out."""
    known = questionnaires or {q.id: q for q in load_questionnaires()}
    out = []
    for record in sorted(records, key=lambda r: r.completed_at):
        q = known.get(record.questionnaire_id)
        if q is None:
            continue
        response = Response(
            record.questionnaire_id, record.version, record.answers, record.completed_at
        )
        out.append(Scored(record, q, score_response(q, response)))
    return out


def _change_words(
    q: Questionnaire, change: Change | None, previous: Scored | None, base: Scored | None
) -> str:
    if change is None or previous is None or q.change is None:
        return _("First result") if previous is None else _("No comparison")
    since = format_date(previous.record.day, "short")
    if change.delta == 0:
        return _("No change since {day}").format(day=since)
    if change.meaningful:
        size = _("meaningful change")
    elif change.reliable:
        size = _("reliable change")
    else:
        size = _("within usual ups and downs")
    if change.improved:
        words = _("{delta} since {day}: better, {size}")
    else:
        words = _("{delta} since {day}: worse, {size}")
    text = words.format(delta=f"{change.delta:+d}", day=since, size=size)
    start = format_date((base or previous).record.day, "short")
    if change.remission:
        text = _("{change}; remission range (from {day})").format(change=text, day=start)
    elif change.response:
        text = _("{change}; a response (from {day})").format(change=text, day=start)
    return text


def _band(score: Score) -> str:
    if score.band is not None:
        return score.band.label
    return _("Not scored") if score.total is None else _("No cut-off")


def _latest_table(scored: list[Scored], period: Period, table_id: str) -> Table:
    rows = []
    order = {q.id: n for n, q in enumerate(load_questionnaires())}
    latest: dict[str, Scored] = {}
    for s in scored:
        if s.record.day in period:
            latest[s.questionnaire.id] = s
    for qid in sorted(latest, key=lambda i: order.get(i, 99)):
        current = latest[qid]
        earlier = [
            s
            for s in scored
            if s.questionnaire.id == qid
            and s.record.completed_at < current.record.completed_at
            and s.score.shown is not None
        ]
        previous = earlier[-1] if earlier else None
        first_in_period = next(
            (s for s in scored if s.questionnaire.id == qid and s.record.day in period), None
        )
        baseline = first_in_period if first_in_period is not current else None
        change = compare(
            current.questionnaire,
            current.score,
            previous.score if previous else None,
            baseline.score if baseline else None,
        )
        rows.append(
            (
                current.questionnaire.name,
                current.record.day,
                current.score.shown,
                current.score.maximum,
                _band(current.score),
                previous.score.shown if previous else None,
                previous.record.day if previous else None,
                change.delta if change else None,
                _change_words(current.questionnaire, change, previous, baseline),
            )
        )
    return Table(
        id=table_id,
        title=_("Latest check-ups"),
        columns=(
            Column("questionnaire", _("Questionnaire"), "text"),
            Column("taken_on", _("Taken"), "date"),
            Column("score", _("Score"), "integer"),
            Column("out_of", _("Out of"), "integer"),
            Column("band", _("Range"), "text", description=_("the range clinicians call it")),
            Column("previous", _("Before"), "integer", description=_("the result before this one")),
            Column("previous_on", _("Before, taken"), "date", shown=False),
            Column("change", _("Change"), "integer", shown=False),
            Column(
                "change_words",
                _("Change"),
                "text",
                description=_("judged by the instrument's rule"),
            ),
        ),
        rows=tuple(rows),
        caption=_(
            "Self-reported. A range is what clinicians call a score, not a diagnosis. "
            "WHO-5 (%): higher is better; others: higher is worse."
        ),
        empty_text=_("No questionnaire was completed in this period."),
    )


def _flag_facts(scored: list[Scored], period: Period) -> Facts | None:
    phq = [s for s in scored if s.questionnaire.id == "phq9" and s.record.day in period]
    if not phq:
        return None
    flagged = [s for s in phq if s.score.flag(SELF_HARM) is not None]
    if not flagged:
        value = (
            ngettext("Zero on all {count} occasions", "Zero on all {count} occasions", len(phq))
            if len(phq) > 1
            else _("Zero")
        ).format(count=len(phq))
        return Facts((Fact(_("PHQ-9 question 9 (thoughts of death or self-harm)"), value),))
    details = []
    for s in flagged:
        flag = s.score.flag(SELF_HARM)
        assert flag is not None
        option = s.questionnaire.item(flag.item_id).option(flag.value)
        label = option.label if option else str(flag.value)
        details.append(
            _("{day}: “{answer}”").format(day=format_date(s.record.day, "medium"), answer=label)
        )
    return Facts(
        (
            Fact(
                _("PHQ-9 question 9 (thoughts of death or self-harm)"),
                ngettext(
                    "Above zero on {flagged} of {count} occasion",
                    "Above zero on {flagged} of {count} occasions",
                    len(phq),
                ).format(flagged=len(flagged), count=len(phq)),
                _("; ").join(details),
                flag=True,
            ),
        )
    )


def _all_table(scored: list[Scored], period: Period, table_id: str) -> Table:
    rows = []
    for s in scored:
        if s.record.day not in period:
            continue
        flag = s.score.flag(SELF_HARM)
        flagged = ""
        if flag is not None:
            option = s.questionnaire.item(flag.item_id).option(flag.value)
            flagged = _("Question {number}: {answer}").format(
                number=s.questionnaire.item(flag.item_id).number,
                answer=option.label if option else str(flag.value),
            )
        rows.append(
            (
                s.record.completed_at,
                s.questionnaire.name,
                s.score.shown,
                s.score.maximum,
                _band(s.score),
                s.score.note or _("Complete"),
                flagged,
            )
        )
    return Table(
        id=table_id,
        title=_("Every check-up in the period"),
        columns=(
            Column("time", _("Taken"), "datetime"),
            Column("questionnaire", _("Questionnaire"), "text"),
            Column("score", _("Score"), "integer"),
            Column("out_of", _("Out of"), "integer", shown=False),
            Column("band", _("Range"), "text"),
            Column("status", _("Scoring"), "text"),
            Column(
                "flagged", _("Safety question"), "text", description=_("a flagged answer above 0")
            ),
        ),
        rows=tuple(rows),
        empty_text=_("No questionnaire was completed in this period."),
    )


def _answers_table(scored: list[Scored], period: Period, table_id: str) -> Table:
    rows = []
    for s in scored:
        if s.record.day not in period:
            continue
        for item in s.questionnaire.items:
            if item.id not in s.record.answers:
                continue
            value = s.record.answers[item.id]
            option = item.option(value) if value is not None else None
            rows.append(
                (
                    s.record.completed_at,
                    s.questionnaire.id,
                    s.record.version,
                    item.id,
                    item.number,
                    value,
                    option.label if option else None,
                    item.code or None,
                )
            )
    return Table(
        id=table_id,
        title=_("Every answer"),
        columns=(
            Column("time", _("Taken"), "datetime"),
            Column("questionnaire", _("Questionnaire"), "text", description=_("phq9, gad7, pcl5…")),
            Column("version", _("Version"), "integer", description=_("of the questionnaire file")),
            Column("question", _("Question id"), "text"),
            Column("number", _("Question"), "integer", description=_("as printed on the form")),
            Column("answer", _("Answer"), "integer", description=_("blank: left unanswered")),
            Column("answer_label", _("Answer words"), "text"),
            Column("loinc", _("LOINC"), "text", description=_("the question's LOINC code, if any")),
        ),
        rows=tuple(rows),
        printed=False,
    )


#: the ACE is its own section: its answers are the most sensitive a person gives, so it is
#: shared only when they tick it (see ``companion.core.checkups.report``)
ACE = "ace"


def checkups_section(
    records: Sequence[CheckupRecord],
    period: Period,
    questionnaires: Mapping[str, Questionnaire] | None = None,
    *,
    ace: bool = False,
) -> Section:
    """Every questionnaire but the ACE; with ``ace``, the ACE alone (its own section)."""
    mine = [r for r in records if (r.questionnaire_id == ACE) == ace]
    scored = score_records(mine, questionnaires)
    used = {s.questionnaire.id: s.questionnaire for s in scored if s.record.day in period}
    if ace:
        return Section(
            id="ace",
            title=_("Childhood experiences (ACE)"),
            order=ORDER["ace"],
            glance=(),
            detail=(
                _latest_table(scored, period, "ace_latest"),
                Text(
                    _(
                        "The ACE count is a research measure. Its authors describe it as "
                        "neither diagnostic nor predictive for one person, and no cut-off should "
                        "be used for decisions about an individual."
                    )
                ),
                _all_table(scored, period, "ace_results"),
                _answers_table(scored, period, "ace_answers"),
            ),
            notices=tuple(q.notice for q in used.values()),
            about=_("The ACE questionnaire about childhood adversity, only when chosen."),
        )
    glance: list[Table | Facts] = [_latest_table(scored, period, "checkups_latest")]
    flags = _flag_facts(scored, period)
    if flags is not None:
        glance.append(flags)
    return Section(
        id="checkups",
        title=_("Check-ups"),
        order=ORDER["checkups"],
        glance=tuple(glance),
        detail=(
            _all_table(scored, period, "checkups"),
            _answers_table(scored, period, "checkup_answers"),
        ),
        notices=tuple(q.notice for q in used.values()),
        about=_("Questionnaires: latest scores, change, the PHQ-9 question-9 flag, every answer."),
    )
