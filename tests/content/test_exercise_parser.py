"""parse_exercise is reused for files people import, so malformed input must fail safely.

Every failure is a ContentError carrying one plain sentence; nothing else may escape.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.content import ContentError, resource_path
from companion.content.exercises import (
    MAX_FILE_BYTES,
    Exercise,
    load_exercise_file,
    parse_exercise,
)

VALID = """\
id = "my-exercise"
title = "My exercise"
summary = "A short exercise."
purpose = "To test the parser."
category = "grounding"
duration_minutes = 2
eyes_open = true
default_ok = true
cautions = ["Stop whenever you like."]
sources = [{ text = "Somebody, 2020", url = "https://example.org/a" }]

[[steps]]
text = "Notice your feet on the floor."
seconds = 0

[[steps]]
text = "Notice three sounds."
seconds = 30
"""

PACED = (
    VALID.replace('category = "grounding"', 'category = "breathing"')
    + """
[[steps]]
text = "Follow the pacer."
seconds = 60
pacer = true

[pacer]
inhale = 4
hold_in = 0
exhale = 6
hold_out = 0
adjustable = true
min_breaths_per_minute = 4.5
max_breaths_per_minute = 7
"""
)

BUNDLED = [p.read_text(encoding="utf-8") for p in sorted(resource_path("exercises").glob("*.toml"))]


def _fails(text: str | bytes) -> str:
    with pytest.raises(ContentError) as info:
        parse_exercise(text)
    message = str(info.value)
    _assert_one_sentence(message)
    return message


def _assert_one_sentence(message: str) -> None:
    assert message and len(message) <= 300, message
    assert "\n" not in message and "Traceback" not in message
    assert message[0].isupper() and message.endswith("."), message
    assert not re.search(r"[.!?]\s+[A-Z][a-z]+\s", message.rstrip(".").replace("e.g.", "")), message


def test_valid_documents_parse() -> None:
    exercise = parse_exercise(VALID)
    assert isinstance(exercise, Exercise)
    assert exercise.id == "my-exercise" and len(exercise.steps) == 2
    paced = parse_exercise(PACED)
    assert paced.pacer is not None and paced.pacer.breaths_per_minute == pytest.approx(6)
    assert parse_exercise(VALID.encode("utf-8")) == exercise
    assert parse_exercise("\ufeff" + VALID) == exercise


def test_sources_and_cautions_are_optional_for_user_exercises() -> None:
    text = VALID.replace('cautions = ["Stop whenever you like."]\n', "")
    text = re.sub(r"sources = .*\n", "", text)
    exercise = parse_exercise(text)
    assert exercise.cautions == () and exercise.sources == ()


@pytest.mark.parametrize("text", ["", "   \n\t\n", b"", b"\n"])
def test_empty_input(text: str | bytes) -> None:
    assert "empty" in _fails(text)


@pytest.mark.parametrize(
    "data",
    [
        b"\x00\x01\x02\x03binary",
        b"\xff\xfe\xfd",
        bytes(range(256)),
        'id = "x"\x00',
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    ],
)
def test_binary_input(data: str | bytes) -> None:
    _fails(data)


@pytest.mark.parametrize(
    "data",
    [
        "a" * (MAX_FILE_BYTES + 1),
        b"#" * (MAX_FILE_BYTES + 1),
        VALID + "# " + "x" * MAX_FILE_BYTES + "\n",
        "é" * (MAX_FILE_BYTES // 2 + 1),  # fewer characters than the limit, more bytes
    ],
)
def test_huge_input(data: str | bytes) -> None:
    assert "256 KiB" in _fails(data)


def test_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.toml"
    path.write_bytes(b"#" * (MAX_FILE_BYTES + 10))
    with pytest.raises(ContentError, match="256 KiB"):
        load_exercise_file(path)
    with pytest.raises(ContentError, match="could not be read"):
        load_exercise_file(tmp_path / "missing.toml")
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes(VALID.replace("short", "café").encode("latin-1"))
    with pytest.raises(ContentError, match="UTF-8"):
        load_exercise_file(latin1)


@pytest.mark.parametrize(
    "text",
    [
        "id = ",
        "[[steps]\n",
        'id = "a"\nid = "b"\n',
        "title = 'unterminated\n",
        "x = " + "[" * 5000,
        "x = " + "{a = " * 5000,
        "= 3",
        "<html><body>not toml</body></html>",
        '{"id": "json-is-not-toml"}',
    ],
)
def test_not_toml(text: str) -> None:
    message = _fails(text)
    assert "TOML" in message or "unknown field" in message or "missing" in message


def _without_steps(text: str) -> str:
    return text[: text.index("[[steps]]")]


def _steps(n: int, **fields: object) -> str:
    step = {"text": "Notice your breath.", "seconds": 0, **fields}
    body = "\n".join(f"{k} = {json.dumps(v)}" for k, v in step.items())
    return "".join(f"\n[[steps]]\n{body}\n" for _ in range(n))


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (_without_steps(VALID), "missing"),
        (_without_steps(VALID) + "steps = []\n", "no steps"),
        (_without_steps(VALID) + 'steps = "walk"\n', "list"),
        (_without_steps(VALID) + _steps(101), "more than 100"),
        (_without_steps(VALID) + _steps(1, text="x" * 501), "longer than 500"),
        (_without_steps(VALID) + _steps(1, text=""), "text"),
        (_without_steps(VALID) + _steps(1, text="   "), "text"),
        (_without_steps(VALID) + "\n[[steps]]\nseconds = 3\n", "no text"),
        (_without_steps(VALID) + _steps(1, seconds=-1), "0 to 3600"),
        (_without_steps(VALID) + _steps(1, seconds=3601), "0 to 3600"),
        (_without_steps(VALID) + _steps(1, seconds=10**18), "0 to 3600"),
        (_without_steps(VALID) + _steps(1, seconds=1.5), "whole number"),
        (_without_steps(VALID) + _steps(1, seconds=True), "whole number"),
        (_without_steps(VALID) + _steps(1, seconds="10"), "whole number"),
        (_without_steps(VALID) + _steps(1, pacer="yes"), "true or false"),
        (_without_steps(VALID) + _steps(1, pacer=True, seconds=30), "no [pacer]"),
        (_without_steps(VALID) + _steps(1, pacer=True), "length in seconds"),
        (_without_steps(VALID) + _steps(1, variant="Eyes Open!"), "variant"),
        (_without_steps(VALID) + _steps(1, colour="red"), "unknown field"),
        (_without_steps(VALID) + _steps(1, text="tab\x07bell"), "control"),
        (_without_steps(VALID) + _steps(1, variant="eyes-open"), "default"),
        (_without_steps(VALID) + _steps(1) + _steps(1, seconds=3600) * 5, "four hours"),
        (_without_steps(VALID) + "\n[steps]\ntext = 'x'\n", "list"),
        (_without_steps(VALID) + "steps = [1, 2]\n", "table"),
    ],
)
def test_missing_or_absurd_steps(text: str, fragment: str) -> None:
    assert fragment.lower() in _fails(text).lower()


def _pacer(**changes: object) -> str:
    text = PACED
    for key, value in changes.items():
        replacement = f"{key} = {value}\n" if value is not None else ""
        text = re.sub(rf"^{key} = .*\n", replacement, text, flags=re.MULTILINE)
    return text


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (_pacer(inhale=0), "in-breath"),
        (_pacer(inhale=100), "in-breath"),
        (_pacer(inhale=-4), "in-breath"),
        (_pacer(inhale="nan"), "in-breath"),
        (_pacer(exhale="inf"), "out-breath"),
        (_pacer(exhale='"6"'), "out-breath"),
        (_pacer(exhale="true"), "out-breath"),
        (_pacer(hold_in=11), "pause"),
        (_pacer(hold_out=-1), "pause"),
        (_pacer(min_breaths_per_minute=0), "slowest"),
        (_pacer(max_breaths_per_minute=60), "fastest"),
        (_pacer(min_breaths_per_minute=7, max_breaths_per_minute=5), "slowest pace is faster"),
        (_pacer(min_breaths_per_minute=8, max_breaths_per_minute=9), "outside"),
        (_pacer(adjustable='"yes"'), "adjustable"),
        (_pacer(inhale=None), "missing"),
        (_pacer(hold_in=2), "no-hold"),
        (PACED.replace("[pacer]", "[pacer]\nspeed = 2"), "unknown field"),
        (PACED.replace("pacer = true\n", ""), "no step shows it"),
        ("pacer = 3\n" + VALID, "table"),
    ],
)
def test_pacer_values_out_of_range(text: str, fragment: str) -> None:
    assert fragment.lower() in _fails(text).lower()


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ('id = "my-exercise"', 'id = "../../etc/passwd"', "id"),
        ('id = "my-exercise"', 'id = "My Exercise"', "id"),
        ('id = "my-exercise"', 'id = ""', "id"),
        ('id = "my-exercise"', "id = 7", "id"),
        ('id = "my-exercise"', 'id = "' + "a" * 65 + '"', "id"),
        ('title = "My exercise"', "title = 5", "title"),
        ('title = "My exercise"', 'title = "' + "t" * 121 + '"', "title"),
        ('summary = "A short exercise."\n', "", "summary"),
        ('category = "grounding"', 'category = "hypnosis"', "category"),
        ("duration_minutes = 2", "duration_minutes = 0", "duration"),
        ("duration_minutes = 2", "duration_minutes = 1000", "duration"),
        ("duration_minutes = 2", "duration_minutes = 2.5", "duration"),
        ("eyes_open = true", 'eyes_open = "yes"', "eyes_open"),
        ("eyes_open = true", "eyes_open = false", "eyes-open"),
        ("default_ok = true", "default_ok = 1", "default_ok"),
        ('cautions = ["Stop whenever you like."]', "cautions = [1]", "caution"),
        (
            'cautions = ["Stop whenever you like."]',
            "cautions = " + json.dumps(["c"] * 21),
            "cautions",
        ),
        ('url = "https://example.org/a"', 'url = "javascript:alert(1)"', "web address"),
        ('url = "https://example.org/a"', 'url = "file:///etc/passwd"', "web address"),
        ('text = "Somebody, 2020", ', "", "text"),
        (
            'sources = [{ text = "Somebody, 2020", url = "https://example.org/a" }]',
            'sources = "none"',
            "sources",
        ),
        ("default_ok = true", "default_ok = true\nauthor = 'me'", "unknown field"),
        ("default_ok = true", "default_ok = true\nvariant_labels = 3", "variant_labels"),
        ("default_ok = true", "default_ok = true\nvariant_labels = { Bad_Name = 'x' }", "bad name"),
        ("default_ok = true", "default_ok = true\nvariant_labels = { default = '' }", "label"),
        ("default_ok = true", "default_ok = true\nvariant_labels = { default = 7 }", "label"),
        ("default_ok = true", "default_ok = true\nvariant_labels = { other = 'Other' }", "no step"),
        (
            "default_ok = true",
            "default_ok = true\nvariant_labels = { default = '" + "x" * 61 + "' }",
            "longer than 60",
        ),
    ],
)
def test_bad_fields(old: str, new: str, fragment: str) -> None:
    assert old in VALID
    assert fragment.lower() in _fails(VALID.replace(old, new)).lower()


def test_messages_do_not_echo_huge_or_control_input() -> None:
    message = _fails(
        VALID.replace("default_ok = true", 'default_ok = true\n"' + "k\\u0007" * 100 + '" = 1')
    )
    assert len(message) < 200 and "\x07" not in message


@pytest.mark.parametrize("text", BUNDLED)
def test_every_bundled_file_parses_through_the_strict_parser(text: str) -> None:
    assert parse_exercise(text).steps


# --- property-based: nothing but ContentError, whatever the input --------------------------------


def _parse_or_content_error(data: str | bytes) -> None:
    try:
        parse_exercise(data)
    except ContentError as exc:
        _assert_one_sentence(str(exc))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=3000))
def test_arbitrary_text_only_ever_raises_content_error(text: str) -> None:
    _parse_or_content_error(text)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_only_ever_raise_content_error(data: bytes) -> None:
    _parse_or_content_error(data)


@st.composite
def _mutated(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from([VALID, PACED, *BUNDLED]))
    for _ in range(draw(st.integers(1, 4))):
        if not text:
            break
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start, min(len(text), start + 40)))
        insert = draw(
            st.one_of(
                st.just(""),
                st.text(max_size=20),
                st.sampled_from(
                    ["[[steps]]\n", "=", '"', "\n", "-1", "99999", "nan", "true", "[", "{"]
                ),
                st.integers(-(10**20), 10**20).map(str),
            )
        )
        text = text[:start] + insert + text[end:]
    return text


@settings(max_examples=500, deadline=None)
@given(_mutated())
def test_mutated_documents_only_ever_raise_content_error(text: str) -> None:
    _parse_or_content_error(text)


_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=600),
    st.lists(st.integers(), max_size=3),
)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.dictionaries(st.sampled_from(["text", "seconds", "pacer", "variant", "other"]), _VALUES),
        max_size=5,
    ),
    st.dictionaries(
        st.sampled_from(
            [
                "inhale",
                "hold_in",
                "exhale",
                "hold_out",
                "adjustable",
                "min_breaths_per_minute",
                "max_breaths_per_minute",
            ]
        ),
        _VALUES,
    ),
)
def test_structured_fuzz_only_ever_raises_content_error(
    steps: list[dict[str, object]], pacer: dict[str, object]
) -> None:
    def toml_value(value: object) -> str | None:
        if value is None:
            return None
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, float):
            if value != value:
                return "nan"
            if value in (float("inf"), float("-inf")):
                return "inf" if value > 0 else "-inf"
            return repr(value)
        return json.dumps(value)

    def table(name: str, fields: dict[str, object]) -> str:
        lines = [f"{k} = {v}" for k, v in ((k, toml_value(v)) for k, v in fields.items()) if v]
        return f"\n{name}\n" + "\n".join(lines) + "\n"

    text = _without_steps(VALID) + "".join(table("[[steps]]", s) for s in steps)
    if pacer:
        text += table("[pacer]", pacer)
    _parse_or_content_error(text)
