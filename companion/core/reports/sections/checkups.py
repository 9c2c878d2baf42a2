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
from companion.core.reports.model import Column, Fact, Facts, Period, Section, Table
from companion.core.reports.records import CheckupRecord
from companion.core.reports.sections import ORDER
from companion.core.reports.wording import day_month, short_date

__all__ = ["Scored", "checkups_section", "score_records"]


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
        return "First result" if previous is None else "No comparison"
    since = f"since {day_month(previous.record.day)}"
    if change.delta == 0:
        return f"No change {since}"
    better = "better" if change.improved else "worse"
    if change.meaningful:
        size = "meaningful change"
    elif change.reliable:
        size = "reliable change"
    else:
        size = "within usual ups and downs"
    words = f"{change.delta:+d} {since}: {better}, {size}"
    start = day_month((base or previous).record.day)
    if change.remission:
        words += f"; remission range (from {start})"
    elif change.response:
        words += f"; a response (from {start})"
    return words


def _band(score: Score) -> str:
    if score.band is not None:
        return score.band.label
    return "Not scored" if score.total is None else "No cut-off"


def _latest_table(scored: list[Scored], period: Period) -> Table:
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
        id="checkups_latest",
        title="Latest check-ups",
        columns=(
            Column("questionnaire", "Questionnaire", "text"),
            Column("taken_on", "Taken", "date"),
            Column("score", "Score", "integer"),
            Column("out_of", "Out of", "integer"),
            Column("band", "Range", "text", description="the range clinicians call it"),
            Column("previous", "Before", "integer", description="the result before this one"),
            Column("previous_on", "Before, taken", "date", shown=False),
            Column("change", "Change", "integer", shown=False),
            Column("change_words", "Change", "text", description="judged by the instrument's rule"),
        ),
        rows=tuple(rows),
        caption="Self-reported. A range is what clinicians call a score, not a diagnosis. "
        "WHO-5 (%): higher is better; others: higher is worse.",
        empty_text="No questionnaire was completed in this period.",
    )


def _flag_facts(scored: list[Scored], period: Period) -> Facts | None:
    phq = [s for s in scored if s.questionnaire.id == "phq9" and s.record.day in period]
    if not phq:
        return None
    flagged = [s for s in phq if s.score.flag(SELF_HARM) is not None]
    if not flagged:
        value = f"Zero on all {len(phq)} occasions" if len(phq) > 1 else "Zero"
        return Facts((Fact("PHQ-9 question 9 (thoughts of death or self-harm)", value),))
    details = []
    for s in flagged:
        flag = s.score.flag(SELF_HARM)
        assert flag is not None
        option = s.questionnaire.item(flag.item_id).option(flag.value)
        label = option.label if option else str(flag.value)
        details.append(f"{short_date(s.record.day)}: “{label}”")
    return Facts(
        (
            Fact(
                "PHQ-9 question 9 (thoughts of death or self-harm)",
                f"Above zero on {len(flagged)} of {len(phq)} occasions",
                "; ".join(details),
                flag=True,
            ),
        )
    )


def _all_table(scored: list[Scored], period: Period) -> Table:
    rows = []
    for s in scored:
        if s.record.day not in period:
            continue
        flag = s.score.flag(SELF_HARM)
        flagged = ""
        if flag is not None:
            option = s.questionnaire.item(flag.item_id).option(flag.value)
            flagged = f"Question {s.questionnaire.item(flag.item_id).number}: " + (
                option.label if option else str(flag.value)
            )
        rows.append(
            (
                s.record.completed_at,
                s.questionnaire.name,
                s.score.shown,
                s.score.maximum,
                _band(s.score),
                s.score.note or "Complete",
                flagged,
            )
        )
    return Table(
        id="checkups",
        title="Every check-up in the period",
        columns=(
            Column("time", "Taken", "datetime"),
            Column("questionnaire", "Questionnaire", "text"),
            Column("score", "Score", "integer"),
            Column("out_of", "Out of", "integer", shown=False),
            Column("band", "Range", "text"),
            Column("status", "Scoring", "text"),
            Column("flagged", "Safety question", "text", description="a flagged answer above 0"),
        ),
        rows=tuple(rows),
        empty_text="No questionnaire was completed in this period.",
    )


def _answers_table(scored: list[Scored], period: Period) -> Table:
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
        id="checkup_answers",
        title="Every answer",
        columns=(
            Column("time", "Taken", "datetime"),
            Column("questionnaire", "Questionnaire", "text", description="phq9, gad7, pcl5…"),
            Column("version", "Version", "integer", description="of the questionnaire file"),
            Column("question", "Question id", "text"),
            Column("number", "Question", "integer", description="as printed on the form"),
            Column("answer", "Answer", "integer", description="blank: left unanswered"),
            Column("answer_label", "Answer words", "text"),
            Column("loinc", "LOINC", "text", description="the question's LOINC code, if any"),
        ),
        rows=tuple(rows),
        printed=False,
    )


def checkups_section(
    records: Sequence[CheckupRecord],
    period: Period,
    questionnaires: Mapping[str, Questionnaire] | None = None,
) -> Section:
    scored = score_records(records, questionnaires)
    glance: list[Table | Facts] = [_latest_table(scored, period)]
    flags = _flag_facts(scored, period)
    if flags is not None:
        glance.append(flags)
    used = {s.questionnaire.id: s.questionnaire for s in scored if s.record.day in period}
    return Section(
        id="checkups",
        title="Check-ups",
        order=ORDER["checkups"],
        glance=tuple(glance),
        detail=(_all_table(scored, period), _answers_table(scored, period)),
        notices=tuple(q.notice for q in used.values()),
        about="Questionnaires: latest scores, change, the PHQ-9 question-9 flag, every answer.",
    )
