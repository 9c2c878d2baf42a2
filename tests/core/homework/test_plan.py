"""The homework plan file: round trips, every kind of bad file, and the private writer."""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.content.exercise_toml import to_toml
from companion.content.exercises import get_exercise
from companion.core.errors import ImportFileError
from companion.core.homework.plan import (
    MAX_FILE_BYTES,
    CheckInTask,
    EmbeddedExercise,
    ExerciseTask,
    FreeTextTask,
    Plan,
    PlanFileError,
    QuestionnaireTask,
    ReadTask,
    describe_task,
    new_plan_id,
    parse_plan,
    plan_to_toml,
    read_plan_file,
    write_plan,
)
from tests.reports.synthetic import demo_plan

START = date(2026, 12, 7)


def _own_exercise() -> EmbeddedExercise:
    bundled = get_exercise("five-senses")
    mine = replace(bundled, id="walk-and-notice", title="Walk and notice")
    text = to_toml(mine)
    return EmbeddedExercise(text=text, exercise=mine)


def _plan(**changes: object) -> Plan:
    return replace(demo_plan(START), **changes)  # type: ignore[arg-type]


def _text(plan: Plan | None = None) -> str:
    return plan_to_toml(plan or _plan())


def _error(raw: str | bytes) -> str:
    with pytest.raises(PlanFileError) as caught:
        parse_plan(raw)
    message = str(caught.value)
    assert "\n" not in message and len(message) < 300
    return message


# -- round trips ------------------------------------------------------------------------------


def test_a_plan_reads_back_equal() -> None:
    plan = _plan()
    assert parse_plan(plan_to_toml(plan)) == plan


def test_an_embedded_exercise_travels_in_the_plan_and_reads_back_equal() -> None:
    own = _own_exercise()
    plan = _plan(
        tasks=(*demo_plan(START).tasks, ExerciseTask("walk-and-notice", 2, "week")),
        exercises=(own,),
    )
    text = plan_to_toml(plan)
    assert "'''" in text  # readable: the exercise file's own text, not one escaped line
    back = parse_plan(text)
    assert back == plan
    assert back.exercises[0].text == own.text
    assert describe_task(back.tasks[-1], back) == "Practise “Walk and notice” twice a week"


def test_the_file_holds_no_personal_data_beyond_what_the_author_typed() -> None:
    text = _text()
    assert text.startswith("# A Companion homework plan (plan format 1).")
    assert "no personal data" in text
    keys = {line.split(" = ")[0] for line in text.splitlines() if " = " in line}
    assert keys <= {
        "format", "version", "id", "title", "from", "starts", "ends", "message",
        "kind", "times", "per", "exercise", "pages", "questionnaire", "every_weeks", "text",
        "note", "toml",
    }  # fmt: skip


def test_tasks_are_described_in_plain_words() -> None:
    plan = _plan()
    words = [describe_task(t, plan) for t in plan.tasks]
    assert words[0] == "Check in twice a day"
    assert words[1].startswith("Practise “") and words[1].endswith("” 3 times a week")
    assert words[2].startswith("Read “")
    assert words[3] == "PHQ-9 every 2 weeks"
    assert words[4] == "A ten-minute walk outside (3 times a week)"


_texts = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60).filter(
    lambda t: t.strip() == t and t != ""
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=_texts,
    author=_texts,
    note=st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=80).map(str.strip),
    days=st.integers(1, 366),
    times=st.integers(1, 10),
    per=st.sampled_from(["day", "week"]),
    every=st.integers(2, 52),
    free=_texts,
)
def test_any_valid_plan_round_trips(
    title: str, author: str, note: str, days: int, times: int, per: str, every: int, free: str
) -> None:
    plan = Plan(
        id=new_plan_id(),
        title=title,
        author=author,
        starts=START,
        ends=START + timedelta(days=days - 1),
        tasks=(
            CheckInTask(times, per, note=note),  # type: ignore[arg-type]
            QuestionnaireTask("phq9", every),
            FreeTextTask(free),
            ExerciseTask("paced-breathing", min(times, 5), per),  # type: ignore[arg-type]
            ReadTask(("what-is-trd",), note=note),
        ),
        message=note,
    )
    assert parse_plan(plan_to_toml(plan)) == plan


# -- bad files: one clear sentence each ------------------------------------------------------


def test_empty_and_blank_files() -> None:
    assert _error(b"") == "This plan file is empty."
    assert _error("   \n\n") == "This plan file is empty."
    assert _error("# only a comment\n") == "This plan file is empty."


def test_a_huge_file_is_refused_before_it_is_parsed() -> None:
    big = _text() + "# " + "x" * MAX_FILE_BYTES + "\n"
    assert "larger than 512 KiB" in _error(big)


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"%PDF-1.7\n...", "PDF document"),
        (b"PK\x03\x04rest", "zip archive"),
        (b"\x89PNG\r\n", "picture"),
        (b'{"format": "companion-homework-plan"}', "JSON file"),
        (b"<!DOCTYPE html><html>", "web page"),
        (b'title = "x"\x00\x01', "binary data"),
        (b"\xff\xfe\x00t\x00i", "UTF-16"),
        (b'title = "caf\xe9"', "not UTF-8"),
        (b"title = ", "not valid TOML"),
        (b"[[tasks]\nkind = 1", "not valid TOML"),
        (b"a = " + b"[" * 5000 + b"]" * 5000, "not valid TOML"),
    ],
)
def test_files_that_are_not_plans(raw: bytes, words: str) -> None:
    assert words in _error(raw)


def test_another_format_and_versions() -> None:
    text = _text()
    assert _error(text.replace("companion-homework-plan", "something-else")) == (
        "This is not a Companion homework plan."
    )
    assert _error('title = "x"\n') == "This is not a Companion homework plan."
    assert "newer version of Companion (plan format 2)" in _error(
        text.replace("version = 1", "version = 2")
    )
    assert "which version" in _error(text.replace("version = 1", 'version = "1"'))
    assert "which version" in _error(text.replace("version = 1", "version = 0"))


def test_unknown_fields_and_task_kinds() -> None:
    text = _text()
    assert "does not know (“colour”)" in _error(
        text.replace("version = 1", "version = 1\ncolour = 1")
    )
    newer = text.replace('kind = "check-in"', 'kind = "sleep-diary"')
    message = _error(newer)
    assert "kind of task this copy of Companion does not know (“sleep-diary”)" in message
    assert "newer version" in message
    assert "does not say what kind" in _error(text.replace('kind = "check-in"', "kind = 3"))
    assert "Task 1 has a field" in _error(
        text.replace('kind = "check-in"', 'kind = "check-in"\nreminder = "08:00"')
    )


def test_missing_and_malformed_fields() -> None:
    text = _text()
    assert _error(text.replace('title = "Between our sessions"\n', "")) == (
        "The plan is missing its “title”."
    )
    assert "must be a UUID" in _error(text.replace("0b9f6c1e-5a5e", "not-a-uuid"))
    assert (
        _error(text.replace('title = "Between our sessions"', 'title = "  "'))
        == "The plan's title is empty."
    )
    assert "longer than 120" in _error(
        text.replace('title = "Between our sessions"', f'title = "{"x" * 121}"')
    )
    assert "control characters" in _error(
        text.replace('title = "Between our sessions"', 'title = "a\\u0007b"')
    )
    assert "a day written like 2026-12-07" in _error(
        text.replace("starts = 2026-12-07", 'starts = "2026-12-07"')
    )
    assert "a day written like" in _error(
        text.replace("starts = 2026-12-07", "starts = 2026-12-07T10:00:00")
    )
    assert "not a believable date" in _error(
        text.replace("starts = 2026-12-07", "starts = 1900-01-01")
    )
    assert _error(text.split("\n[[tasks]]")[0]) == "The plan is missing its “tasks”."


def test_impossible_schedules() -> None:
    text = _text()
    assert _error(text.replace("ends = 2027-01-03", "ends = 2026-12-01")) == (
        "The plan ends (2026-12-01) before it starts (2026-12-07)."
    )
    assert _error(text.replace("ends = 2027-01-03", "ends = 2028-01-03")) == (
        "A plan can last at most a year; this one runs 393 days."
    )
    twice = 'kind = "check-in"\ntimes = 2\nper = "day"'
    assert "at least 1" in _error(text.replace(twice, 'kind = "check-in"\ntimes = 0\nper = "day"'))
    assert _error(text.replace(twice, 'kind = "check-in"\ntimes = 11\nper = "day"')) == (
        "Task 1 asks for check-ins 11 times a day; a plan can ask for at most 10 times a day."
    )
    assert "“per” must be “day” or “week”" in _error(
        text.replace(twice, 'kind = "check-in"\ntimes = 2\nper = "month"')
    )
    assert "whole number" in _error(
        text.replace(twice, 'kind = "check-in"\ntimes = 1.5\nper = "day"')
    )
    assert "needs “times” and “per”" in _error(text.replace(twice, 'kind = "check-in"'))
    weekly = text.replace("every_weeks = 2", "every_weeks = 1")
    assert _error(weekly) == (
        "The PHQ-9 looks back over 14 days, so a plan can ask for it every 2 weeks at the "
        "most often, not every 1."
    )
    ace = text.replace('questionnaire = "phq9"', 'questionnaire = "ace"')
    assert _error(ace) == (
        "The ACE is answered once, never on a schedule, so it cannot be a repeated task in a plan."
    )
    assert "from 1 to 52" in _error(text.replace("every_weeks = 2", "every_weeks = 60"))


def test_references_to_what_this_copy_does_not_have() -> None:
    text = _text()
    assert "neither this copy of Companion nor the plan has" in _error(
        text.replace('exercise = "five-senses"', 'exercise = "juggling"')
    )
    assert "does not have (“not-a-page”); an update may add it" in _error(
        text.replace('"what-is-trd"', '"not-a-page"')
    )
    assert "questionnaire this copy of Companion does not have (“bdi”)" in _error(
        text.replace('questionnaire = "phq9"', 'questionnaire = "bdi"')
    )


def test_tasks_that_clash_and_exercises_that_do_not_belong() -> None:
    plan = _plan()
    two = replace(plan, tasks=(*plan.tasks, CheckInTask(1, "week")))
    assert _error(plan_to_toml(two)) == "The plan asks for check-ins in two tasks; one is enough."
    same = replace(plan, tasks=(*plan.tasks, QuestionnaireTask("phq9", 4)))
    assert _error(plan_to_toml(same)) == "The plan asks for the PHQ-9 in two tasks."
    own = _own_exercise()
    unused = replace(plan, exercises=(own,))
    assert "carries the exercise “walk-and-notice”, but no task uses it" in _error(
        plan_to_toml(unused)
    )
    clash = EmbeddedExercise(to_toml(get_exercise("five-senses")), get_exercise("five-senses"))
    assert "belongs to one of Companion's own exercises" in _error(
        plan_to_toml(replace(plan, exercises=(clash,)))
    )
    broken = plan_to_toml(
        replace(
            plan,
            tasks=(*plan.tasks, ExerciseTask("walk-and-notice", 1, "week")),
            exercises=(own,),
        )
    ).replace('category = "grounding"', 'category = "juggling"')
    assert _error(broken).startswith("The plan's exercise 1 is not a valid exercise:")


def test_plan_errors_are_import_file_errors_with_exit_code_6() -> None:
    with pytest.raises(ImportFileError) as caught:
        parse_plan(b"")
    assert caught.value.exit_code == 6


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_give_one_sentence_or_a_plan(raw: bytes) -> None:
    try:
        parse_plan(raw)
    except PlanFileError as exc:
        assert str(exc) and "\n" not in str(exc)


def _mutations() -> st.SearchStrategy[str]:
    base = _text()
    lines = base.splitlines()
    return st.builds(
        lambda index, junk: "\n".join(
            [*lines[:index], junk, *lines[index + 1 :]]
        ),
        st.integers(0, len(lines) - 1),
        st.one_of(
            st.text(max_size=40),
            st.sampled_from(
                [
                    "times = -1", "times = 999", 'per = "year"', "ends = 2020-01-01",
                    "every_weeks = 0", "[[tasks]]", "pages = []", 'pages = ["x", "x"]',
                    "version = 99", "format = 1", "starts = 2026-02-30", "[[exercises]]",
                    'toml = "id = 1"', "kind = \"read\"", "tasks = 3",
                ]
            ),
        ),
    )  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mutations())
def test_damaged_plans_give_one_sentence_or_a_valid_plan(text: str) -> None:
    try:
        plan = parse_plan(text)
    except PlanFileError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert parse_plan(plan_to_toml(plan)) == plan


# -- files --------------------------------------------------------------------------------------


def test_write_and_read_a_plan_file(tmp_path: Path) -> None:
    path = write_plan(_plan(), tmp_path / "plan.toml")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert read_plan_file(path) == _plan()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.toml"]


def test_writing_never_replaces_a_file_unless_asked(tmp_path: Path) -> None:
    target = tmp_path / "plan.toml"
    target.write_bytes(b"the therapist's other plan")
    with pytest.raises(FileExistsError):
        write_plan(_plan(), target)
    assert target.read_bytes() == b"the therapist's other plan"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.toml"]
    write_plan(_plan(), target, replace_existing=True)
    assert read_plan_file(target) == _plan()


def test_a_plan_a_reader_would_refuse_is_not_written(tmp_path: Path) -> None:
    bad = _plan(ends=START - timedelta(days=1))
    with pytest.raises(PlanFileError, match="before it starts"):
        write_plan(bad, tmp_path / "plan.toml")
    assert list(tmp_path.iterdir()) == []


def test_reading_files_that_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(PlanFileError, match="could not be read"):
        read_plan_file(tmp_path / "missing.toml")
    with pytest.raises(PlanFileError, match="folder"):
        read_plan_file(tmp_path)
    huge = tmp_path / "huge.toml"
    with huge.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 10)
    with pytest.raises(PlanFileError, match="larger than 512 KiB"):
        read_plan_file(huge)


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",))))
def test_the_toml_string_writer_round_trips_any_text(value: str) -> None:
    import tomllib

    from companion.core.homework.plan import toml_string

    assert tomllib.loads(f"x = {toml_string(value)}")["x"] == value
