"""A FHIR R4 Bundle of check-ups, mood check-ins and medicines, for systems that speak FHIR.

One ``collection`` Bundle (FHIR R4, 4.0.1) holds:

- a pseudonymous **Patient** (an id, no name; security label PSEUDED), the same in every
  export from one diary because its id comes from a random key the diary keeps;
- a **CodeSystem** for what LOINC has no code for (mood check-ins, WHO-5, questions without
  a LOINC code), documented in ``docs/fhir-export.md``;
- one **Questionnaire** per instrument used (its wording, answers with LOINC answer codes,
  the publisher's notice and the LOINC notice in ``copyright``);
- per completed questionnaire, a **QuestionnaireResponse** (``linkId`` = the question's
  LOINC code where there is one), an **Observation** of the total (LOINC total code, or ours;
  ``derivedFrom`` the response, ``hasMember`` the answers) and an Observation per answer;
- per mood check-in an **Observation** (mood as its value; anxiety, energy, irritability and
  sleep as components);
- per medicine course a **MedicationStatement** with one dosage per dose change (the
  titration and taper history) and the self-reported adherence as a note.

Codes are never invented to look like LOINC (clinical-reference §2.8): only the codes in the
questionnaire files, checked there, are used as LOINC. Resource ids are UUIDs derived from the
diary's key and each record's id, so exporting twice gives the same ids. The bundle is built
from plain records (``companion.core.reports.records``) and validated in the tests with
``fhir.resources`` (R4B models, see the docs for why).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from companion.content.questionnaires import Questionnaire, load_questionnaires
from companion.core.checkups.scoring import Response, score_response
from companion.core.reports.model import Period
from companion.core.reports.records import CheckupRecord, MedicineRecord, MoodCheckin
from companion.core.reports.sections.medicines import dose_text

__all__ = [
    "CODE_SYSTEM",
    "LOINC",
    "LOINC_NOTICE",
    "fhir_bundle",
    "questionnaire_url",
    "render_fhir_json",
]

#: Companion's own codes (documented in docs/fhir-export.md); a fixed, registered-form URN
CODE_SYSTEM = "urn:uuid:e0ceb83d-245d-4900-a3b5-ef41beb09321"
#: derives the ids of resources and of each questionnaire's canonical URL
_NAMESPACE = uuid.UUID("f37f1362-e850-477f-ad4e-1eef795e0beb")
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
STATEMENT_CATEGORY = "http://terminology.hl7.org/CodeSystem/medication-statement-category"
SECURITY = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue"
LOINC_NOTICE = (
    "This material contains content from LOINC (http://loinc.org). LOINC is copyright © "
    "Regenstrief Institute, Inc. and the Logical Observation Identifiers Names and Codes (LOINC) "
    "Committee and is available at no cost under the license at http://loinc.org/license. "
    "LOINC® is a registered United States trademark of Regenstrief Institute, Inc."
)

#: (code, display, definition) of Companion's own codes
CONCEPTS: tuple[tuple[str, str, str], ...] = (
    ("mood", "Mood, self-rated", "How the person rated their mood: 0 worst to 10 best."),
    ("anxiety", "Anxiety, self-rated", "How anxious the person felt: 0 none to 10 worst."),
    ("energy", "Energy, self-rated", "The person's energy: 0 none to 10 most."),
    ("irritability", "Irritability, self-rated", "0 none to 10 most."),
    ("sleep-hours", "Sleep the night before", "Hours slept the night before the check-in."),
    ("sleep-quality", "Sleep quality", "1 very poor to 5 very good, the night before."),
    ("who5-percentage", "WHO-5 Well-Being Index", "Raw score 0-25 times 4: 0 to 100 (%)."),
    ("ace-count", "ACE count", "Categories of childhood adversity answered yes, 0 to 10."),
    (
        "item",
        "Questionnaire answer",
        "An answer to a question that has no LOINC code; the "
        "question is named in the Observation's code text.",
    ),
)
_CONCEPT = {code: display for code, display, _d in CONCEPTS}
_UCUM_UNITS = {"mg": "mg", "mcg": "ug", "g": "g", "mL": "mL", "IU": "[iU]", "units": "{unit}"}
_TOTAL_CODES = {"who5": "who5-percentage", "ace": "ace-count"}


def _id(*parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(parts)))


def questionnaire_url(q: Questionnaire) -> str:
    """The canonical URL of Companion's Questionnaire for an instrument (a fixed URN)."""
    return f"urn:uuid:{_id('questionnaire', q.id)}"


def _ref(resource_id: str) -> dict[str, str]:
    return {"reference": f"urn:uuid:{resource_id}"}


def _when(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _own(code: str, text: str | None = None) -> dict[str, Any]:
    concept: dict[str, Any] = {
        "coding": [{"system": CODE_SYSTEM, "code": code, "display": _CONCEPT[code]}]
    }
    if text:
        concept["text"] = text
    return concept


def _survey() -> list[dict[str, Any]]:
    return [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}]


def _narrative(text: str) -> dict[str, str]:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return {
        "status": "generated",
        "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{escaped}</div>',
    }


def _code_system() -> dict[str, Any]:
    return {
        "resourceType": "CodeSystem",
        "id": _id("codesystem"),
        "url": CODE_SYSTEM,
        "version": "1",
        "name": "CompanionSelfReport",
        "title": "Companion self-report codes",
        "status": "active",
        "experimental": False,
        "publisher": "Companion",
        "description": "Codes for what a person records in the Companion app and LOINC has no "
        "code for. Documented in docs/fhir-export.md of the Companion source.",
        "caseSensitive": True,
        "content": "complete",
        "concept": [
            {"code": code, "display": display, "definition": definition}
            for code, display, definition in CONCEPTS
        ],
    }


def _link_id(q: Questionnaire, item_id: str) -> str:
    item = q.item(item_id)
    return item.code or f"{q.id}-{item.id}"


def _questionnaire(q: Questionnaire) -> dict[str, Any]:
    items = []
    for item in q.items:
        options: list[dict[str, Any]] = []
        for option in item.options:
            if option.code:
                options.append(
                    {"valueCoding": {"system": LOINC, "code": option.code, "display": option.label}}
                )
            else:
                options.append({"valueInteger": option.value})
        entry: dict[str, Any] = {
            "linkId": _link_id(q, item.id),
            "text": item.text,
            "type": "choice",
            "required": False,
            "answerOption": options,
        }
        if item.code:
            entry["code"] = [{"system": LOINC, "code": item.code}]
        items.append(entry)
    uses_loinc = bool(q.loinc_panel or q.loinc_total or any(i.code for i in q.items))
    resource: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": _id("questionnaire", q.id),
        "url": questionnaire_url(q),
        "version": str(q.version),
        "name": "".join(ch for ch in q.name if ch.isalnum()) or q.id,
        "title": q.title,
        "status": "active",
        "subjectType": ["Patient"],
        "description": q.about,
        "copyright": q.notice + (f"\n\n{LOINC_NOTICE}" if uses_loinc else ""),
        "item": items,
    }
    if q.loinc_panel:
        resource["code"] = [{"system": LOINC, "code": q.loinc_panel, "display": q.title}]
    return resource


def _answer(q: Questionnaire, item_id: str, value: int) -> dict[str, Any]:
    item = q.item(item_id)
    option = item.option(value)
    if option is not None and option.code:
        return {"valueCoding": {"system": LOINC, "code": option.code, "display": option.label}}
    return {"valueInteger": value}


def _checkup(
    record: CheckupRecord, q: Questionnaire, patient: str, key: str
) -> list[dict[str, Any]]:
    rid = record.id or _when(record.completed_at)
    response_id = _id(key, "response", rid)
    answered = [
        (item, record.answers[item.id])
        for item in q.items
        if record.answers.get(item.id) is not None
    ]
    response = {
        "resourceType": "QuestionnaireResponse",
        "id": response_id,
        "questionnaire": f"{questionnaire_url(q)}|{record.version}",
        "status": "completed",
        "subject": _ref(patient),
        "authored": _when(record.completed_at),
        "author": _ref(patient),
        "source": _ref(patient),
        "item": [
            {
                "linkId": _link_id(q, item.id),
                "text": item.text,
                "answer": [_answer(q, item.id, value)],
            }
            for item, value in answered
            if value is not None
        ],
    }
    out: list[dict[str, Any]] = [response]
    members = []
    for item, value in answered:
        assert value is not None
        obs_id = _id(key, "answer", rid, item.id)
        members.append(_ref(obs_id))
        code: dict[str, Any]
        if item.code:
            code = {"coding": [{"system": LOINC, "code": item.code}], "text": item.text}
        else:
            code = _own("item", f"{q.name} question {item.number}: {item.text}")
        answer = _answer(q, item.id, value)
        obs: dict[str, Any] = {
            "resourceType": "Observation",
            "id": obs_id,
            "status": "final",
            "category": _survey(),
            "code": code,
            "subject": _ref(patient),
            "effectiveDateTime": _when(record.completed_at),
            "derivedFrom": [_ref(response_id)],
        }
        if "valueCoding" in answer:
            obs["valueCodeableConcept"] = {
                "coding": [answer["valueCoding"]],
                "text": answer["valueCoding"]["display"],
            }
        else:
            obs["valueInteger"] = value
        out.append(obs)
    score = score_response(
        q, Response(record.questionnaire_id, record.version, record.answers, record.completed_at)
    )
    if score.shown is not None:
        percent = q.scoring.multiplier != 1
        if q.loinc_total:
            code = {"coding": [{"system": LOINC, "code": q.loinc_total}], "text": f"{q.name} total"}
        else:
            code = _own(_TOTAL_CODES.get(q.id, "item"), f"{q.name} total")
        total: dict[str, Any] = {
            "resourceType": "Observation",
            "id": _id(key, "total", rid),
            "status": "final",
            "category": _survey(),
            "code": code,
            "subject": _ref(patient),
            "effectiveDateTime": _when(record.completed_at),
            "valueQuantity": {
                "value": score.shown,
                "unit": "%" if percent else "{score}",
                "system": UCUM,
                "code": "%" if percent else "{score}",
            },
            "derivedFrom": [_ref(response_id)],
            "hasMember": members,
        }
        if score.band is not None:
            total["interpretation"] = [{"text": score.band.label}]
        if score.note:
            total["note"] = [{"text": score.note}]
        out.insert(1, total)
    return out


def _checkin(c: MoodCheckin, patient: str, key: str, n: int) -> dict[str, Any]:
    components = []
    for code in ("anxiety", "energy", "irritability", "sleep_quality"):
        value = getattr(c, code)
        if value is not None:
            components.append({"code": _own(code.replace("_", "-")), "valueInteger": value})
    if c.sleep_hours is not None:
        components.append(
            {
                "code": _own("sleep-hours"),
                "valueQuantity": {"value": c.sleep_hours, "unit": "h", "system": UCUM, "code": "h"},
            }
        )
    obs: dict[str, Any] = {
        "resourceType": "Observation",
        "id": _id(key, "checkin", c.id or f"{_when(c.at)}#{n}"),
        "status": "final",
        "category": _survey(),
        "code": _own("mood"),
        "subject": _ref(patient),
        "effectiveDateTime": _when(c.at),
        "valueInteger": c.mood,
    }
    if components:
        obs["component"] = components
    if c.note:
        obs["note"] = [{"text": c.note}]
    return obs


def _medicine(med: MedicineRecord, patient: str, key: str, made_at: datetime) -> dict[str, Any]:
    doses = [d for d in med.doses if med.stopped_on is None or d.effective_from <= med.stopped_on]
    dosage = []
    for n, change in enumerate(doses, start=1):
        following = doses[n] if n < len(doses) else None
        end: date | None = (
            following.effective_from - timedelta(days=1) if following else med.stopped_on
        )
        bounds = {"start": change.effective_from.isoformat()}
        if end is not None:
            bounds["end"] = end.isoformat()
        repeat: dict[str, Any] = {"boundsPeriod": bounds}
        if change.doses_per_day is not None:
            repeat.update(frequency=change.doses_per_day, period=1, periodUnit="d")
        quantity: dict[str, Any] = {"value": change.amount, "unit": change.unit}
        if change.unit in _UCUM_UNITS:
            quantity.update(system=UCUM, code=_UCUM_UNITS[change.unit])
        entry: dict[str, Any] = {
            "sequence": n,
            "text": f"{dose_text(change)} ({change.schedule}) from {change.effective_from}",
            "timing": {"repeat": repeat},
            "doseAndRate": [{"doseQuantity": quantity}],
        }
        if change.doses_per_day is None:
            entry["asNeededBoolean"] = True
        dosage.append(entry)
    stopped = med.stopped_on is not None and med.stopped_on < made_at.date()
    statement: dict[str, Any] = {
        "resourceType": "MedicationStatement",
        "id": _id(key, "medicine", med.id),
        "status": "stopped" if stopped else "active",
        "category": {
            "coding": [
                {
                    "system": STATEMENT_CATEGORY,
                    "code": "patientspecified",
                    "display": "Patient Specified",
                }
            ]
        },
        "medicationCodeableConcept": {"text": med.name},
        "subject": _ref(patient),
        "effectivePeriod": {"start": med.started_on.isoformat()},
        "dateAsserted": _when(made_at),
        "informationSource": _ref(patient),
        "dosage": dosage,
    }
    if med.stopped_on is not None:
        statement["effectivePeriod"]["end"] = med.stopped_on.isoformat()
    if stopped and med.stop_reason:
        statement["statusReason"] = [{"text": med.stop_reason}]
    if med.adherence is not None and med.adherence.expected:
        a = med.adherence
        statement["note"] = [
            {
                "text": f"Self-reported in the Companion app: {a.taken} of {a.expected} doses "
                f"due in the exported period logged as taken; {a.not_logged} not logged."
            }
        ]
    return statement


def fhir_bundle(
    *,
    made_at: datetime,
    patient_key: str,
    checkups: Sequence[CheckupRecord] = (),
    checkins: Sequence[MoodCheckin] = (),
    medicines: Sequence[MedicineRecord] = (),
    period: Period | None = None,
    questionnaires: Mapping[str, Questionnaire] | None = None,
) -> dict[str, Any]:
    """The Bundle as a JSON-ready dict. ``patient_key`` is the diary's random export key."""
    if made_at.utcoffset() is None:
        raise ValueError("made_at must carry its UTC offset")
    if not patient_key:
        raise ValueError("a patient key is needed")
    known = questionnaires or {q.id: q for q in load_questionnaires()}

    def inside(day: date) -> bool:
        return period is None or day in period

    key = patient_key
    patient_id = _id(key, "patient")
    resources: list[dict[str, Any]] = [
        {
            "resourceType": "Patient",
            "id": patient_id,
            "meta": {
                "security": [{"system": SECURITY, "code": "PSEUDED", "display": "pseudonymized"}]
            },
            "text": _narrative(
                "The person who made this export with Companion (no name is included)."
            ),
        },
        _code_system(),
    ]
    records = sorted(
        (r for r in checkups if inside(r.day) and r.questionnaire_id in known),
        key=lambda r: r.completed_at,
    )
    used = {r.questionnaire_id for r in records}
    resources += [_questionnaire(q) for qid, q in known.items() if qid in used]
    for record in records:
        resources += _checkup(record, known[record.questionnaire_id], patient_id, key)
    for n, checkin in enumerate(sorted(checkins, key=lambda c: c.at)):
        if inside(checkin.day):
            resources.append(_checkin(checkin, patient_id, key, n))
    for med in medicines:
        if period is not None and (
            med.started_on > period.end
            or (med.stopped_on is not None and med.stopped_on < period.start)
        ):
            continue
        resources.append(_medicine(med, patient_id, key, made_at))
    bundle_id = _id(key, "bundle", _when(made_at))
    return {
        "resourceType": "Bundle",
        "id": bundle_id,
        "meta": {"lastUpdated": _when(made_at)},
        "identifier": {"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{bundle_id}"},
        "type": "collection",
        "timestamp": _when(made_at),
        "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources],
    }


def render_fhir_json(bundle: Mapping[str, Any]) -> bytes:
    """The bundle as UTF-8 JSON (``application/fhir+json``)."""
    return (json.dumps(bundle, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
