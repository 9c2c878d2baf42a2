"""Translation-ready (issue 10 §5): the catalog template is current and every call is right; the
language helpers format dates, times, numbers and plurals one way; the pseudo-locale marks text.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from datetime import date, datetime, time
from pathlib import Path
from types import ModuleType

import pytest

from companion import i18n

TOOLS = Path(__file__).resolve().parent.parent / "tools"


def _extractor() -> ModuleType:
    spec = importlib.util.spec_from_file_location("extract_messages", TOOLS / "extract-messages.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def test_the_template_is_current_and_every_call_is_literal() -> None:
    result = subprocess.run(
        [sys.executable, str(TOOLS / "extract-messages.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("msgcat") is None, reason="GNU gettext is not installed")
def test_the_template_is_a_valid_catalog() -> None:
    template = TOOLS.parent / "resources" / "locale" / "companion.pot"
    result = subprocess.run(["msgcat", str(template)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_the_extractor_reports_each_kind_of_mistake(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from companion.i18n import N_, _, ngettext, pgettext\n"
        "MARKED = N_('Marked')\n"
        "PLAIN = 'Plain'\n"
        "LABELS = {'a': N_('A label')}\n"
        "def f(x, n):\n"
        "    _('Fine {name}')\n"  # 6
        "    _(MARKED)\n"
        "    _(LABELS['a'])\n"
        "    _(PLAIN)\n"  # 9: not marked
        "    _(f'Built {x}')\n"  # 10
        "    _('a' + x)\n"  # 11
        "    _('{} things')\n"  # 12: positional
        "    ngettext('{count} day', x, n)\n"  # 13
        "    pgettext(x, 'May')\n"  # 14
        "    self_ = x; self_._('not ours')\n"
    )
    messages, problems = _extractor().collect(sample)
    assert {key[1] for key in messages} == {"Marked", "A label", "Fine {name}", "{} things"}
    lines = sorted(int(p.split(":")[1]) for p in problems)
    assert lines == [9, 10, 11, 12, 13, 14], problems
    assert any("PLAIN is translated but not marked" in p for p in problems)


# -- the language helpers ----------------------------------------------------------------------


@pytest.fixture
def pseudo() -> object:
    i18n.install(i18n.PSEUDO)
    yield
    i18n.install(None)


@pytest.mark.parametrize(
    ("style", "text"),
    [
        ("long", "4 December 2026"),
        ("medium", "4 Dec 2026"),
        ("short", "4 Dec"),
        ("day", "Friday 4 December"),
        ("full", "Friday 4 December 2026"),
        ("day_short", "Fri 4 Dec"),
        ("day_medium", "Fri 4 Dec 2026"),
        ("month", "December 2026"),
        ("month_short", "Dec 2026"),
    ],
)
def test_dates_in_one_style_without_zero_padded_days(style: str, text: str) -> None:
    assert i18n.format_date(date(2026, 12, 4), style) == text
    assert i18n.format_date(datetime(2026, 12, 4, 23, 59), style) == text


def test_an_unknown_date_style_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown date style"):
        i18n.format_date(date(2026, 1, 1), "fancy")


def test_times_numbers_and_plurals() -> None:
    assert i18n.format_time(time(8, 5)) == "08:05"
    assert i18n.format_datetime(datetime(2026, 12, 4, 14, 5)) == "Fri 4 Dec, 14:05"
    assert i18n.format_number(12345.678, 1) == "12,345.7"
    assert i18n.ngettext("{count} day", "{count} days", 1).format(count=1) == "1 day"
    assert i18n.ngettext("{count} day", "{count} days", 2).format(count=2) == "2 days"


def test_the_pseudo_locale_marks_text_and_keeps_placeholders(pseudo: object) -> None:
    assert i18n.language() == i18n.PSEUDO
    marked = i18n._("Saved {name} at <b>{time}</b>")
    assert marked.startswith(i18n.PSEUDO_OPEN) and marked.endswith(i18n.PSEUDO_CLOSE)
    assert "{name}" in marked and "<b>{time}</b>" in marked
    assert marked.format(name="x", time="y")  # still a valid format string
    assert i18n.format_number(1234.5, 1) == "1,234.5"  # separators stay readable
    assert i18n.PSEUDO_OPEN in i18n.format_date(date(2026, 5, 1))


def test_the_language_comes_from_companion_language_then_the_system() -> None:
    assert i18n.system_language({"LANG": "de_DE.UTF-8"}) == "de_DE"
    assert i18n.system_language({"LANGUAGE": "fr:de", "LANG": "de_DE.UTF-8"}) == "fr"
    assert i18n.system_language({"LC_ALL": "C.UTF-8"}) is None
    assert i18n.system_language({}) is None
    try:
        i18n.install_default({"COMPANION_LANGUAGE": "x-pseudo", "LANG": "de_DE.UTF-8"})
        assert i18n.language() == i18n.PSEUDO
        i18n.install_default({"LANG": "de_DE.UTF-8"})  # no German catalog yet: English
        assert i18n._("Lock") == "Lock"
    finally:
        i18n.install(None)
    assert i18n.language() == "en"
