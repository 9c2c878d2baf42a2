"""The safety plan's own words follow the safe-messaging rules and the licence advice."""

from __future__ import annotations

import re

from companion.core import safety, safety_demo
from tests.content.content_lint import SOURCE_ARTICLE, ngrams, shared_runs, unsafe_messaging

#: words that would name a method or a means; the surroundings step stays general (§5.4).
#: "Medicines" may appear, as the means to hand back or hand over (clinical-reference §5.1
#: step 6; issue 19 §7): the people using Companion log antidepressant stock.
METHOD_WORDS = re.compile(
    r"(?i)\b(?:pills?|tablets?|overdose|firearms?|guns?|knife|knives|"
    r"blades?|razors?|rope|ligature|hang\w*|jump\w*|bridge|cliff|poison\w*|lethal|stockpil\w*)\b"
)


def _texts() -> list[str]:
    out: list[str] = []
    for step in safety.STEPS:
        out.extend([step.title, step.question, step.guidance, *step.examples])
    for items in safety_demo.EXAMPLES.values():
        out.extend(text for text, _phone in items)
    return out


def test_no_unsafe_phrases_and_no_method_words() -> None:
    for text in _texts():
        assert unsafe_messaging(text) == [], text
        assert METHOD_WORDS.search(text) is None, text


def test_the_surroundings_step_mentions_medicines_in_neutral_words() -> None:
    step = next(s for s in safety.STEPS if s.key == "safer_surroundings")
    medicine = [e for e in step.examples if "medicine" in e.lower()]
    assert any("pharmacy" in e for e in medicine)
    assert any("week's supply" in e for e in medicine)
    assert any("store anything" in e for e in step.examples)
    for example in medicine:  # nothing about amounts, kinds or what they could do
        assert not re.search(r"\d|dose|dangerous|how many|enough", example, re.IGNORECASE)


def test_the_plan_is_never_called_by_the_official_forms_name() -> None:
    for text in _texts():
        assert "stanley" not in text.lower() and "brown" not in text.lower(), text


def test_no_run_of_eight_words_comes_from_the_source_article() -> None:
    grams = ngrams(SOURCE_ARTICLE.read_text(encoding="utf-8"))
    assert shared_runs("\n".join(_texts()), grams) == []
