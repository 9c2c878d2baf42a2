"""Every bundled exercise loads and follows the trauma-informed rules (clinical reference §4)."""

from __future__ import annotations

import re

import pytest

from companion.content import resource_path
from companion.content.exercises import (
    CATEGORIES,
    DEFAULT_VARIANT,
    Exercise,
    Pacer,
    get_exercise,
    load_exercise_file,
    load_exercises,
)

from .content_lint import url_is_from_reference

EXERCISES = load_exercises()
BY_ID = {e.id: e for e in EXERCISES}
REQUIRED = {
    "five-senses",
    "paced-breathing",
    "box-breathing",
    "progressive-muscle-relaxation",
    "body-scan",
    "safe-place",
    "cold-water",
    "categories",
    "orienting",
    "self-soothing-kit",
}


def ids(exercises: list[Exercise]) -> list[str]:
    return [e.id for e in exercises]


def test_at_least_ten_exercises_including_every_required_one() -> None:
    assert len(EXERCISES) >= 10
    assert set(BY_ID) >= REQUIRED


def test_every_file_in_the_folder_loads_and_matches_its_name() -> None:
    files = sorted(resource_path("exercises").glob("*.toml"))
    assert {p.stem for p in files} == set(BY_ID)
    for path in files:
        assert load_exercise_file(path).id == path.stem


def test_suggestable_exercises_come_first() -> None:
    flags = [e.default_ok for e in EXERCISES]
    assert flags == sorted(flags, reverse=True)


def test_get_exercise() -> None:
    assert get_exercise("five-senses").title
    with pytest.raises(KeyError):
        get_exercise("no-such-exercise")


@pytest.mark.parametrize("exercise", EXERCISES, ids=ids(EXERCISES))
def test_exercise_basics(exercise: Exercise) -> None:
    assert exercise.category in CATEGORIES
    assert 1 <= exercise.duration_minutes <= 20
    assert exercise.sources, "every exercise cites where it comes from"
    for source in exercise.sources:
        assert len(source.text) > 20
        if source.url:
            assert url_is_from_reference(source.url), source.url
    for variant in exercise.variants:
        steps = exercise.steps_for(variant)
        assert steps
        assert sum(s.seconds for s in steps) <= exercise.duration_minutes * 60 + 60


@pytest.mark.parametrize("exercise", EXERCISES, ids=ids(EXERCISES))
def test_eyes_can_always_stay_open(exercise: Exercise) -> None:
    assert exercise.eyes_open or "eyes-open" in exercise.variants
    for step in exercise.steps_for("eyes-open" if not exercise.eyes_open else DEFAULT_VARIANT):
        assert not re.search(r"(?i)eyes\s+close|close\s+your\s+eyes", step.text), step.text


@pytest.mark.parametrize("exercise", EXERCISES, ids=ids(EXERCISES))
def test_steps_invite_rather_than_command(exercise: Exercise) -> None:
    for step in exercise.steps:
        text = step.text
        assert len(text) <= 200, "steps are short"
        assert not re.search(r"(?i)\byou\s+must\b|\byou\s+have\s+to\b", text), text
        assert not re.search(r"(?i)\bhold\s+your\s+breath\b", text), text
        if re.search(r"(?i)\bclose\b", text):
            assert re.search(r"(?i)if you like|if you prefer|or ", text), text


def test_safe_place_is_a_calm_place_with_eyes_open_by_default() -> None:
    exercise = BY_ID["safe-place"]
    assert exercise.eyes_open  # §4.1: eyes open is the default (issue 19)
    assert exercise.variants == ("default", "eyes-closed")
    assert exercise.label_for("default") == "Eyes open"
    assert "safe" not in exercise.title.lower()  # "calm place": "safe" can feel unsafe (§4.2 i)
    default = " ".join(s.text for s in exercise.steps_for()).lower()
    assert "eyes open" in default and "eyes close" not in default
    closed = " ".join(s.text for s in exercise.steps_for("eyes-closed")).lower()
    assert "if you like, let your eyes close" in closed
    assert any("container" in c for c in exercise.cautions)


def test_body_scan_is_never_a_default_and_carries_its_caution() -> None:
    exercise = BY_ID["body-scan"]
    assert exercise.default_ok is False
    assert exercise.eyes_open is True
    cautions = " ".join(exercise.cautions).lower()
    assert "trauma" in cautions and "stop" in cautions
    assert exercise.duration_minutes <= 5
    for area in ("stomach", "chest", "pelvi", "belly"):
        assert area not in " ".join(s.text for s in exercise.steps).lower()


def test_cold_water_carries_its_medical_cautions() -> None:
    exercise = BY_ID["cold-water"]
    cautions = " ".join(exercise.cautions).lower()
    for needed in ("heart", "beta-blocker", "eating disorder", "allerg", "10 °c"):
        assert needed in cautions, needed
    assert exercise.default_ok is False
    assert any("breath" in c.lower() for c in exercise.cautions)
    # the gentler hands-only version is the default path
    assert "hands" in " ".join(s.text for s in exercise.steps_for(DEFAULT_VARIANT))


def test_progressive_muscle_relaxation_has_release_only_and_gentle_tensing() -> None:
    exercise = BY_ID["progressive-muscle-relaxation"]
    assert "release-only" in exercise.variants
    release = exercise.steps_for("release-only")
    assert not any(re.search(r"(?i)\btight|\bscrunch|\btense\b", s.text) for s in release)
    tensing = [s for s in exercise.steps_for(DEFAULT_VARIANT) if 0 < s.seconds < 10]
    assert tensing and all(5 <= s.seconds <= 7 for s in tensing)
    assert "stomach" not in " ".join(s.text for s in exercise.steps).lower()


@pytest.mark.parametrize(
    "exercise", [e for e in EXERCISES if e.category == "breathing"], ids=lambda e: e.id
)
def test_breathing_pacers_stay_in_a_gentle_range(exercise: Exercise) -> None:
    pacer = exercise.pacer
    assert pacer is not None
    assert any(s.pacer for s in exercise.steps)
    assert 4 <= pacer.min_breaths_per_minute <= pacer.breaths_per_minute
    assert pacer.breaths_per_minute <= pacer.max_breaths_per_minute <= 10
    assert pacer.exhale >= pacer.inhale, "the out-breath is never shorter than the in-breath"
    for variant in exercise.variants:
        used = exercise.pacer_for(variant)
        assert used is not None
        assert 4 <= used.breaths_per_minute <= 10


def test_paced_breathing_is_about_six_a_minute_adjustable_and_hold_free() -> None:
    pacer = BY_ID["paced-breathing"].pacer
    assert pacer is not None
    assert 5.5 <= pacer.breaths_per_minute <= 6.5
    assert pacer.adjustable and not pacer.has_holds
    assert pacer.exhale > pacer.inhale


def test_box_breathing_offers_a_no_hold_version() -> None:
    exercise = BY_ID["box-breathing"]
    assert exercise.pacer is not None and exercise.pacer.has_holds
    assert "no-hold" in exercise.variants
    plain = exercise.pacer_for("no-hold")
    assert plain is not None and not plain.has_holds
    assert plain.exhale > plain.inhale
    assert exercise.pacer_for(DEFAULT_VARIANT) == exercise.pacer


def test_pacer_helpers() -> None:
    box = Pacer(4, 4, 4, 4, True, 3.75, 8)
    assert box.breaths_per_minute == pytest.approx(3.75)
    plain = box.without_holds()
    assert (plain.inhale, plain.hold_in, plain.exhale, plain.hold_out) == (4, 0, 6, 0)
    faster = box.at_rate(6)
    assert faster.breaths_per_minute == pytest.approx(6)
    assert faster.inhale == pytest.approx(2.5)
    assert box.at_rate(100).breaths_per_minute == pytest.approx(8)  # clamped
    fixed = Pacer(4, 0, 6, 0, False, 6, 6)
    assert fixed.at_rate(8) is fixed
    # the no-hold version never leaves the pacer's own range
    narrow = Pacer(3, 3, 3, 3, True, 4, 5)
    assert narrow.without_holds().breaths_per_minute == pytest.approx(5)
    # the bundled box breathing (3-3-3-3) has no-hold in 4, out 6 at six a minute (issue 19)
    bundled = next(e for e in EXERCISES if e.id == "box-breathing").pacer_for("no-hold")
    assert bundled is not None
    assert (bundled.inhale, bundled.exhale, bundled.breaths_per_minute) == (4, 6, 6)


@pytest.mark.parametrize(
    "exercise", [e for e in EXERCISES if len(e.variants) > 1], ids=lambda e: e.id
)
def test_every_choice_of_variant_has_a_readable_label(exercise: Exercise) -> None:
    labelled = dict(exercise.variant_labels)
    for variant in exercise.variants:
        assert variant in labelled, f"{exercise.id}: label the {variant!r} variant"
        assert 3 <= len(exercise.label_for(variant)) <= 60


def test_label_fallbacks() -> None:
    exercise = BY_ID["five-senses"]
    assert exercise.label_for(DEFAULT_VARIANT) == "Standard"
    assert exercise.label_for("eyes-open") == "Eyes open"
