"""The clinician summary PDF, read back with a real PDF reader (pypdf): pages, frame, numbers."""

from __future__ import annotations

import io
import re
import shutil
import statistics
import subprocess
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from companion.core.errors import ValidationError
from companion.core.reports.model import Period
from companion.reports.protect import check_password, protect_pdf
from companion.reports.summary_pdf import render_summary_pdf
from tests.reports.synthetic import Diary, make_diary, summary_of

PASSWORD = "river lamp orbit seven"


def _pages(data: bytes, password: str | None = None) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    if password is not None:
        assert reader.decrypt(password)
    return [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]


@pytest.fixture(scope="module")
def diary() -> Diary:
    return make_diary()


@pytest.fixture(scope="module")
def a4(diary: Diary, qapp: object) -> bytes:
    return render_summary_pdf(summary_of(diary), paper="a4")


def test_every_page_carries_the_period_the_date_its_number_and_the_caveat(a4: bytes) -> None:
    pages = _pages(a4)
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert "Period 1 Sep – 29 Nov 2026" in text
        assert "Made 30 Nov 2026" in text
        assert "Self-reported, not a diagnosis" in text
        assert f"Page {number} of {len(pages)}" in text


def test_paper_sizes(diary: Diary, qapp: object) -> None:
    sizes = {}
    for paper in ("a4", "letter"):
        reader = PdfReader(io.BytesIO(render_summary_pdf(summary_of(diary), paper=paper)))  # type: ignore[arg-type]
        box = reader.pages[0].mediabox
        sizes[paper] = (round(float(box.width)), round(float(box.height)))
    assert sizes == {"a4": (595, 842), "letter": (612, 792)}


def test_page_one_holds_everything_at_a_glance(diary: Diary, qapp: object) -> None:
    for paper in ("a4", "letter"):
        first = _pages(render_summary_pdf(summary_of(diary), paper=paper))[0]  # type: ignore[arg-type]
        for heading in ("Mood", "Check-ups", "Medicines", "Homework"):
            assert heading in first, (paper, heading)
        assert "7-day rolling mean" in first
        assert "Sertraline 50 → 100 mg" in first  # a medicine change marked on the chart
        assert "PHQ-9 question 9" in first
        assert "A ten-minute walk outside" in first  # the last homework task still fits


def test_the_numbers_match_the_records(diary: Diary, a4: bytes) -> None:
    first = _pages(a4)[0]
    by_day: dict[date, list[int]] = defaultdict(list)
    for c in diary.checkins:
        if c.day in diary.period:
            by_day[c.day].append(c.mood)
    means = [sum(v) / len(v) for v in by_day.values()]
    assert f"{len(by_day)} of 90" in first
    assert f"{statistics.fmean(means):.1f}" in first
    # the latest PHQ-9, added up by hand from its raw answers
    phq = [r for r in diary.checkups if r.questionnaire_id == "phq9" and r.day in diary.period]
    latest = max(phq, key=lambda r: r.completed_at)
    total = sum(v for k, v in latest.answers.items() if k != "difficulty" and v is not None)
    assert re.search(rf"PHQ-9 {latest.day.day} Nov 2026 {total} 27 ", first)
    flagged = sum(1 for r in phq if (r.answers.get("9") or 0) > 0)
    assert f"Above zero on {flagged} of {len(phq)} occasions" in first
    sertraline = next(m for m in diary.medicines if m.name == "Sertraline")
    assert sertraline.adherence is not None
    share = round(100 * sertraline.adherence.taken / sertraline.adherence.expected)
    assert re.search(rf"Sertraline 150 mg a day {share}%", first)
    check_in = diary.plans[0].tasks[0]
    assert f"{check_in.done} of {check_in.due} so far" in first


def test_detail_pages_hold_the_tables_and_the_notices(a4: bytes) -> None:
    rest = " ".join(_pages(a4)[1:])
    for title in (
        "Mood month by month",
        "Every check-up in the period",
        "Dose history",
        "Side effects noted",
        "Homework week by week",
        "Grounding and calming exercises",
        "Treatment history",
        "Safety plan",
        "Notices",
    ):
        assert title in rest, title
    assert "Pfizer" in rest


def test_notes_only_with_consent(diary: Diary, qapp: object, a4: bytes) -> None:
    note = "Slept badly; the walk helped a bit."
    side_effect = "Nausea in the mornings"
    plain = " ".join(_pages(a4))
    assert note not in plain and side_effect not in plain
    assert "It includes their own notes" not in plain
    chosen = " ".join(_pages(render_summary_pdf(summary_of(diary, include_private=True))))
    assert note in chosen and side_effect in chosen
    assert "It includes their own notes" in chosen


def test_a_short_empty_period_still_makes_a_calm_summary(diary: Diary, qapp: object) -> None:
    empty = Diary(Period(date(2020, 1, 1), date(2020, 1, 7)), diary.made_at)
    text = " ".join(_pages(render_summary_pdf(summary_of(empty))))
    assert "0 of 7" in text
    assert "No questionnaire was completed in this period." in text
    assert "No medicine was logged in this period." in text


def test_ten_years_render(qapp: object) -> None:
    diary = make_diary(days=3650)
    pages = _pages(render_summary_pdf(summary_of(diary)))
    assert "Page 1 of" in pages[0] and "(3650 days)" in pages[0]


def test_password_protection(a4: bytes) -> None:
    locked = protect_pdf(a4, PASSWORD)
    assert locked.startswith(b"%PDF-2.0")
    reader = PdfReader(io.BytesIO(locked))
    assert reader.is_encrypted
    assert not reader.decrypt("wrong password")
    assert reader.decrypt(PASSWORD)
    encrypt = reader.trailer["/Encrypt"]
    assert (encrypt["/V"], encrypt["/R"], encrypt["/CF"]["/StdCF"]["/CFM"]) == (5, 6, "/AESV3")
    assert _pages(locked, PASSWORD) == _pages(a4)
    assert b"Sertraline" not in locked and b"Summary for my clinician" not in locked


@pytest.mark.parametrize(
    ("password", "words"),
    [
        ("", "choose a password"),
        ("short", "at least 8 characters"),
        (" padded password ", "start or end with a space"),
        ("tab\tinside words", "control characters"),
        ("x" * 200, "too long"),
    ],
)
def test_bad_passwords_get_one_sentence(password: str, words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        check_password(password)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_poppler_opens_the_protected_pdf(a4: bytes, tmp_path: Path) -> None:
    locked = tmp_path / "summary.pdf"
    locked.write_bytes(protect_pdf(a4, PASSWORD))
    refused = subprocess.run(
        ["pdftotext", str(locked), "-"], capture_output=True, text=True, check=False
    )
    assert refused.returncode != 0
    opened = subprocess.run(
        ["pdftotext", "-upw", PASSWORD, str(locked), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Summary for my clinician" in opened.stdout
