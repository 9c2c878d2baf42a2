"""The FHIR bundle: valid according to fhir.resources, R4 elements only, LOINC where checked,
every reference resolving inside the bundle, the same ids every time."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle

from companion.content.questionnaires import load_questionnaires, loinc_is_valid
from companion.reports.fhir import CODE_SYSTEM, LOINC, LOINC_NOTICE, fhir_bundle, render_fhir_json
from tests.reports.synthetic import Diary, make_diary

KEY = "a random key the diary keeps"

_COMMON = {"resourceType", "id", "meta", "implicitRules", "language", "text", "contained",
           "extension", "modifierExtension"}  # fmt: skip
#: top-level elements of each resource in FHIR R4 (4.0.1); R4B and R5 add or rename others
R4_ELEMENTS: dict[str, set[str]] = {
    "Bundle": {"resourceType", "id", "meta", "implicitRules", "language", "identifier", "type",
               "timestamp", "total", "link", "entry", "signature"},
    "Patient": _COMMON | {"identifier", "active", "name", "telecom", "gender", "birthDate",
                          "address", "maritalStatus", "photo", "contact", "communication",
                          "generalPractitioner", "managingOrganization", "link"},
    "CodeSystem": _COMMON | {"url", "identifier", "version", "name", "title", "status",
                             "experimental", "date", "publisher", "contact", "description",
                             "useContext", "jurisdiction", "purpose", "copyright",
                             "caseSensitive", "valueSet", "hierarchyMeaning", "compositional",
                             "versionNeeded", "content", "supplements", "count", "filter",
                             "property", "concept"},
    "Questionnaire": _COMMON | {"url", "identifier", "version", "name", "title", "derivedFrom",
                                "status", "experimental", "subjectType", "date", "publisher",
                                "contact", "description", "useContext", "jurisdiction",
                                "purpose", "copyright", "approvalDate", "lastReviewDate",
                                "effectivePeriod", "code", "item"},
    "QuestionnaireResponse": _COMMON | {"identifier", "basedOn", "partOf", "questionnaire",
                                        "status", "subject", "encounter", "authored", "author",
                                        "source", "item"},
    "Observation": _COMMON | {"identifier", "basedOn", "partOf", "status", "category", "code",
                              "subject", "focus", "encounter", "effectiveDateTime", "issued",
                              "performer", "valueQuantity", "valueCodeableConcept",
                              "valueInteger", "valueString", "dataAbsentReason",
                              "interpretation", "note", "bodySite", "method", "specimen",
                              "device", "referenceRange", "hasMember", "derivedFrom",
                              "component"},
    "MedicationStatement": _COMMON | {"identifier", "basedOn", "partOf", "status",
                                      "statusReason", "category", "medicationCodeableConcept",
                                      "subject", "context", "effectivePeriod",
                                      "effectiveDateTime", "dateAsserted", "informationSource",
                                      "derivedFrom", "reasonCode", "reasonReference", "note",
                                      "dosage"},
}  # fmt: skip


@pytest.fixture(scope="module")
def diary() -> Diary:
    return make_diary()


@pytest.fixture(scope="module")
def bundle(diary: Diary) -> dict[str, Any]:
    return fhir_bundle(
        made_at=diary.made_at,
        patient_key=KEY,
        checkups=diary.checkups,
        checkins=diary.checkins,
        medicines=diary.medicines,
        period=diary.period,
    )


def _resources(bundle: dict[str, Any], kind: str | None = None) -> list[dict[str, Any]]:
    found = [e["resource"] for e in bundle["entry"]]
    return [r for r in found if kind is None or r["resourceType"] == kind]


def test_the_bundle_is_valid_fhir(bundle: dict[str, Any]) -> None:
    parsed = Bundle.model_validate(json.loads(render_fhir_json(bundle)))
    assert parsed.type == "collection" and len(parsed.entry or []) == len(bundle["entry"])


def test_only_r4_elements_are_used(bundle: dict[str, Any]) -> None:
    assert set(bundle) <= R4_ELEMENTS["Bundle"]
    for resource in _resources(bundle):
        assert set(resource) <= R4_ELEMENTS[resource["resourceType"]], resource["resourceType"]


def test_every_reference_resolves_inside_the_bundle(bundle: dict[str, Any]) -> None:
    urls = {e["fullUrl"] for e in bundle["entry"]}
    assert all(e["fullUrl"] == f"urn:uuid:{e['resource']['id']}" for e in bundle["entry"])
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if set(node) == {"reference"}:
                found.append(node["reference"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(bundle["entry"])
    assert found and set(found) <= urls
    canonicals = {r["url"] for r in _resources(bundle, "Questionnaire")}
    for response in _resources(bundle, "QuestionnaireResponse"):
        assert response["questionnaire"].split("|")[0] in canonicals


def test_one_response_per_checkup_with_loinc_codes(diary: Diary, bundle: dict[str, Any]) -> None:
    inside = [r for r in diary.checkups if r.day in diary.period]
    responses = _resources(bundle, "QuestionnaireResponse")
    assert len(responses) == len(inside)
    phq = next(r for r in responses if r["questionnaire"].endswith("|1") and len(r["item"]) == 10)
    link_ids = [item["linkId"] for item in phq["item"]]
    assert link_ids[0] == "44250-9" and "44260-8" in link_ids and "69722-7" in link_ids
    answer = phq["item"][0]["answer"][0]["valueCoding"]
    assert answer["system"] == LOINC and answer["code"].startswith("LA")
    observations = _resources(bundle, "Observation")
    totals = [o for o in observations if o["code"]["coding"][0]["code"] == "44261-6"]
    assert len(totals) == sum(1 for r in inside if r.questionnaire_id == "phq9")
    latest = max((r for r in inside if r.questionnaire_id == "phq9"), key=lambda r: r.completed_at)
    total = sum(v for k, v in latest.answers.items() if k != "difficulty" and v is not None)
    newest = max(totals, key=lambda o: o["effectiveDateTime"])
    assert newest["valueQuantity"] == {
        "value": total, "unit": "{score}", "system": "http://unitsofmeasure.org",
        "code": "{score}",
    }  # fmt: skip
    assert newest["effectiveDateTime"] == latest.completed_at.isoformat(timespec="seconds")
    assert len(newest["hasMember"]) == 10  # nine questions and the difficulty question
    who = [o for o in observations if o["code"]["coding"][0].get("code") == "who5-percentage"]
    assert who and who[0]["valueQuantity"]["unit"] == "%"
    assert who[0]["code"]["coding"][0]["system"] == CODE_SYSTEM


def test_only_checked_loinc_codes_are_used(bundle: dict[str, Any]) -> None:
    known = {q.loinc_panel for q in load_questionnaires()} | {
        q.loinc_total for q in load_questionnaires()
    }
    for q in load_questionnaires():
        for item in q.items:
            known |= {item.code} | {o.code for o in item.options}
    used: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("system") == LOINC and "code" in node:
                used.add(node["code"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(bundle)
    assert used and used <= known - {""}
    assert all(loinc_is_valid(c) for c in used if not c.startswith("LA"))


def test_the_loinc_notice_and_the_publishers_notice_travel(bundle: dict[str, Any]) -> None:
    questionnaires = {q["title"]: q for q in _resources(bundle, "Questionnaire")}
    phq = questionnaires["Patient Health Questionnaire (PHQ-9)"]
    assert "Pfizer" in phq["copyright"] and LOINC_NOTICE in phq["copyright"]
    assert phq["code"][0]["code"] == "44249-1"
    code_system = _resources(bundle, "CodeSystem")[0]
    assert code_system["url"] == CODE_SYSTEM
    assert {c["code"] for c in code_system["concept"]} >= {"mood", "sleep-hours", "who5-percentage"}


def test_mood_checkins_are_observations_with_components(
    diary: Diary, bundle: dict[str, Any]
) -> None:
    moods = [
        o for o in _resources(bundle, "Observation") if o["code"]["coding"][0]["code"] == "mood"
    ]
    inside = [c for c in diary.checkins if c.day in diary.period]
    assert len(moods) == len(inside)
    first = min(inside, key=lambda c: c.at)
    match = next(o for o in moods if o["effectiveDateTime"] == first.at.isoformat("T", "seconds"))
    assert match["valueInteger"] == first.mood
    parts = {c["code"]["coding"][0]["code"]: c for c in match.get("component", [])}
    if first.sleep_hours is not None:
        assert parts["sleep-hours"]["valueQuantity"]["value"] == first.sleep_hours
    assert all("note" not in o for o in moods if not any(c.note for c in inside))


def test_medicine_courses_carry_their_dose_history(diary: Diary, bundle: dict[str, Any]) -> None:
    statements = {
        s["medicationCodeableConcept"]["text"]: s for s in _resources(bundle, "MedicationStatement")
    }
    sertraline = statements["Sertraline"]
    assert sertraline["status"] == "active"
    doses = [d["doseAndRate"][0]["doseQuantity"]["value"] for d in sertraline["dosage"]]
    assert doses == [50, 100, 150]
    bounds = [d["timing"]["repeat"]["boundsPeriod"] for d in sertraline["dosage"]]
    assert "end" not in bounds[-1] and bounds[0]["end"] < bounds[1]["start"]
    stopped = statements["Mirtazapine"]
    assert stopped["status"] == "stopped" and stopped["statusReason"] == [{"text": "Side effects"}]
    assert statements["Propranolol"]["dosage"][0]["asNeededBoolean"] is True
    assert "Self-reported" in sertraline["note"][0]["text"]


def test_the_patient_is_pseudonymous_and_ids_are_stable(
    diary: Diary, bundle: dict[str, Any]
) -> None:
    (patient,) = _resources(bundle, "Patient")
    assert set(patient) == {"resourceType", "id", "meta", "text"}
    assert patient["meta"]["security"][0]["code"] == "PSEUDED"
    again = fhir_bundle(
        made_at=diary.made_at, patient_key=KEY, checkups=diary.checkups,
        checkins=diary.checkins, medicines=diary.medicines, period=diary.period,
    )  # fmt: skip
    assert again == bundle
    other = fhir_bundle(made_at=diary.made_at, patient_key="another diary")
    assert _resources(other, "Patient")[0]["id"] != patient["id"]
    counts = Counter(r["id"] for r in _resources(bundle))
    assert max(counts.values()) == 1


def test_notes_only_when_given_and_naive_times_refused(diary: Diary) -> None:
    with pytest.raises(ValueError, match="offset"):
        fhir_bundle(made_at=diary.made_at.replace(tzinfo=None), patient_key=KEY)
    empty = fhir_bundle(made_at=diary.made_at, patient_key=KEY)
    Bundle.model_validate(empty)
    assert [r["resourceType"] for r in _resources(empty)] == ["Patient", "CodeSystem"]
