"""Exports made from a real diary (the demo's year), read back: the PDF with a real PDF reader
and its numbers against the database, the CSV zip, the FHIR bundle validated, cancel, and
never a file replaced."""

from __future__ import annotations

import csv
import io
import json
import re
import statistics
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle
from pypdf import PdfReader
from sqlalchemy import select

from companion import features
from companion.core import demo
from companion.core.checkups.service import CheckupService
from companion.core.homework.service import HomeworkService
from companion.core.medications.report import _overview, medicine_records
from companion.core.models import Base
from companion.core.mood.models import MoodEntry
from companion.core.reports.model import Period
from companion.core.reports.sections.homework import task_value
from companion.core.reports.wording import percent
from companion.core.timekeeping import local_time
from companion.reports.export import (
    ExportCancelled,
    ExportRequest,
    build_summary,
    default_sections,
    make_export,
    render,
    write_export,
)
from companion.storage import migrations
from companion.storage.database import Database

TODAY = date(2026, 12, 4)
NOW = datetime.combine(TODAY, time(9, 30), timezone(timedelta(hours=1)))
PERIOD = Period(TODAY - timedelta(days=89), TODAY)
KEY = "0123456789abcdef0123456789abcdef"


@pytest.fixture(scope="module")
def db() -> Iterator[Database]:
    features.load_tables()
    database = Database()
    migrations.upgrade(database.engine, Base.metadata)
    demo.fill(database, 365, seed=5, today=TODAY)
    yield database
    database.close()


@pytest.fixture(scope="module")
def pdf(db: Database, qapp: object) -> bytes:
    request = ExportRequest("pdf", PERIOD, default_sections())
    return render(db, request, NOW).data


def _pages(data: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    return [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]


def _daily_means(db: Database) -> dict[date, float]:
    by_day: dict[date, list[int]] = defaultdict(list)
    with db.connect() as conn:
        for at, offset, mood in conn.execute(
            select(MoodEntry.occurred_at, MoodEntry.utc_offset_minutes, MoodEntry.mood)
        ):
            day = local_time(at, offset).date()
            if day in PERIOD:
                by_day[day].append(mood)
    return {day: sum(v) / len(v) for day, v in by_day.items()}


def test_the_summary_pdf_numbers_are_the_diarys(db: Database, pdf: bytes) -> None:
    pages = _pages(pdf)
    first = pages[0]
    means = _daily_means(db)
    assert f"{len(means)} of 90" in first
    assert f"Mood, mean (0 worst – 10 best) {statistics.fmean(means.values()):.1f}" in first
    assert f"SD {statistics.stdev(means.values()):.1f}" in first
    # the latest PHQ-9 with the score worked out from its answers
    latest = [r for r in CheckupService(db).results("phq9") if r.day <= TODAY][-1]
    assert f"PHQ-9 {latest.day.day} " in first and f" {latest.score.shown} 27 " in first
    # adherence per medicine, as the Medications page computes it
    overview, infos = _overview(db, NOW)
    for med in medicine_records(overview, infos, PERIOD):
        if med.adherence is not None and med.adherence.expected and med.taken_on(TODAY):
            assert f"{med.name}" in first
            assert percent(med.adherence.taking) in first
    # homework from what was logged
    homework = HomeworkService(db, clock=lambda: NOW)
    (plan,) = homework.current()
    found = homework.progress(plan, TODAY)
    assert found is not None
    for task in found.tasks:
        assert task_value(task) in first
    for number, text in enumerate(pages, start=1):
        assert "Self-reported, not a diagnosis" in text
        assert f"Page {number} of {len(pages)}" in text
        assert "Period 6 Sep – 4 Dec 2026" in text


def test_the_sensitive_sections_stay_out_unless_chosen(db: Database, pdf: bytes) -> None:
    text = " ".join(_pages(pdf))
    assert "Safety plan" not in text and "Childhood experiences" not in text
    assert "Diary notes" not in text
    sections = (*default_sections(), "ace", "safety-plan", "notes")
    everything = render(db, ExportRequest("pdf", PERIOD, sections, include_notes=True), NOW).data
    text = " ".join(_pages(everything))
    assert "Safety plan" in text and "Childhood experiences (ACE)" in text
    assert "Diary notes" in text and "It includes their own notes." in text
    assert "neither diagnostic nor predictive for one person" in text
    # "notes" is left out without consent, even when it is asked for
    summary = build_summary(db, ExportRequest("pdf", PERIOD, ("mood", "notes")), NOW)
    assert [s.id for s in summary.sections] == ["mood"] and not summary.includes_private


def test_the_csv_zip_holds_every_check_in_of_the_period(db: Database) -> None:
    data = render(db, ExportRequest("csv", PERIOD, default_sections()), NOW).data
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = set(archive.namelist())
    assert {"README.txt", "data_dictionary.csv", "key_facts.csv", "mood_checkins.csv"} <= names
    assert "ace_answers.csv" not in names
    rows = list(csv.DictReader(io.StringIO(archive.read("mood_checkins.csv").decode("utf-8-sig"))))
    assert "note" not in rows[0]
    days = {date.fromisoformat(r["time"][:10]) for r in rows}
    assert days == set(_daily_means(db))


def test_the_fhir_bundle_from_a_diary_validates_and_keeps_its_pseudonym(db: Database) -> None:
    request = ExportRequest("fhir", PERIOD, default_sections(), pseudonym_key=KEY)
    first = json.loads(render(db, request, NOW).data)
    Bundle.model_validate(first)
    kinds = {e["resource"]["resourceType"] for e in first["entry"]}
    assert {"Patient", "QuestionnaireResponse", "Observation", "MedicationStatement"} <= kinds
    later = json.loads(render(db, request, NOW + timedelta(days=1)).data)
    patient = [
        e["resource"]["id"] for e in first["entry"] if e["resource"]["resourceType"] == "Patient"
    ]
    assert patient == [
        e["resource"]["id"] for e in later["entry"] if e["resource"]["resourceType"] == "Patient"
    ]
    assert not any("note" in e["resource"] and e["resource"]["resourceType"] == "Observation"
                   and "valueInteger" in e["resource"] for e in first["entry"])  # fmt: skip
    with pytest.raises(ValueError, match="pseudonym"):
        render(db, ExportRequest("fhir", PERIOD, default_sections()), NOW)


def test_cancelling_writes_nothing_and_existing_files_are_never_replaced(
    db: Database, tmp_path: Path, qapp: object
) -> None:
    target = tmp_path / "summary.pdf"
    steps: list[str] = []

    def check() -> None:
        if len(steps) >= 2:
            raise ExportCancelled

    request = ExportRequest("pdf", PERIOD, default_sections())
    with pytest.raises(ExportCancelled):
        make_export(
            db, request, NOW, target, progress=lambda _d, _t, w: steps.append(w), check=check
        )
    assert list(tmp_path.iterdir()) == []
    target.write_bytes(b"an earlier summary")
    with pytest.raises(FileExistsError):
        make_export(db, ExportRequest("csv", PERIOD, ("mood",)), NOW, target)
    assert target.read_bytes() == b"an earlier summary"
    write_export(target, b"%PDF new", replace=True)
    assert target.read_bytes() == b"%PDF new" and (target.stat().st_mode & 0o777) == 0o600


def test_a_password_protected_pdf_opens_only_with_its_password(db: Database, qapp: object) -> None:
    request = ExportRequest("pdf", PERIOD, ("mood",), password="river lamp orbit seven")
    data = render(db, request, NOW).data
    reader = PdfReader(io.BytesIO(data))
    assert reader.is_encrypted
    assert not reader.decrypt("wrong password")
    assert reader.decrypt("river lamp orbit seven")
    assert "Summary for my clinician" in re.sub(r"\s+", " ", reader.pages[0].extract_text())
