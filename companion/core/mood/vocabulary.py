"""The mood diary's words and limits: the named steps of every scale, the trauma-related
questions, the kinds of tags and trackers, the starting tags, and the limits a check-in keeps.

Scales: mood, anxiety, energy and irritability are 0–10 with a name for every step
(:data:`ANCHORS`, so screen readers never announce a bare "7/10"). Mood: 0 = worst, 10 = best;
anxiety and irritability: higher = worse. Feeling wired or unusually up ("elevated") is 0–3,
as on clinical mood charts. Sleep quality is 1–5 (very poor … very good), the scale of the
clinical data dictionary (clinical-reference §6.1): five named steps are quicker to answer
half-asleep than eleven, and 1–5 cannot be confused with the 0–10 ratings.

The tables hold the English words (marked with ``N_`` for the catalog); :func:`anchor`,
:func:`anchors` and :func:`trauma_question` give them in the person's language.
"""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Final

from companion.core.errors import ValidationError
from companion.i18n import N_, _

# -- limits ----------------------------------------------------------------------------------

MAX_NOTE_CHARS: Final = 20_000
MAX_DETAIL_CHARS: Final = 200
MAX_NAME_CHARS: Final = 40
MAX_UNIT_CHARS: Final = 20
#: How far in the future a check-in may be (two computers' clocks rarely agree exactly).
CLOCK_SKEW: Final = timedelta(minutes=5)
EARLIEST: Final = datetime(1900, 1, 1, tzinfo=UTC)
MAX_TRACKER_MAGNITUDE: Final = 1e9

# -- scales ----------------------------------------------------------------------------------

MOOD_ANCHORS: Final[tuple[str, ...]] = (
    N_("As low as it gets"),
    N_("Extremely low"),
    N_("Very low"),
    N_("Low"),
    N_("A bit low"),
    N_("Neither good nor bad"),
    N_("A bit good"),
    N_("Good"),
    N_("Very good"),
    N_("Extremely good"),
    N_("As good as it gets"),
)
#: For anxiety and irritability (higher = worse).
INTENSITY_ANCHORS: Final[tuple[str, ...]] = (
    N_("None"),
    N_("Barely there"),
    N_("Slight"),
    N_("Mild"),
    N_("Noticeable"),
    N_("Moderate"),
    N_("Marked"),
    N_("Strong"),
    N_("Severe"),
    N_("Very severe"),
    N_("Overwhelming"),
)
ENERGY_ANCHORS: Final[tuple[str, ...]] = (
    N_("None at all"),
    N_("Exhausted"),
    N_("Very low"),
    N_("Low"),
    N_("A bit low"),
    N_("Moderate"),
    N_("Fair"),
    N_("Good"),
    N_("High"),
    N_("Very high"),
    N_("As high as it gets"),
)
#: Index 0 is unused: sleep quality runs 1–5.
SLEEP_QUALITY_ANCHORS: Final[tuple[str, ...]] = (
    "",
    N_("Very poor"),
    N_("Poor"),
    N_("Fair"),
    N_("Good"),
    N_("Very good"),
)
#: Feeling "wired" or unusually up, 0–3 (none / mild / moderate / severe in eMoods' mood chart;
#: clinical-reference §6.1: spells of it are worth a clinician's look, and the diary only
#: records them, never names them).
ELEVATED_ANCHORS: Final[tuple[str, ...]] = (
    N_("Not at all"),
    N_("A little"),
    N_("Quite a bit"),
    N_("A lot"),
)
ANCHORS: Final[Mapping[str, tuple[str, ...]]] = {
    "mood": MOOD_ANCHORS,
    "anxiety": INTENSITY_ANCHORS,
    "energy": ENERGY_ANCHORS,
    "irritability": INTENSITY_ANCHORS,
    "elevated": ELEVATED_ANCHORS,
    "sleep_quality": SLEEP_QUALITY_ANCHORS,
}


def anchor(scale: str, value: int) -> str:
    """The name of one step, e.g. ``anchor("mood", 7) == "Good"`` (translated)."""
    names = ANCHORS[scale]
    low = 1 if scale == "sleep_quality" else 0
    if not low <= value < len(names):
        raise ValidationError(_("{value} is not a step of this scale.").format(value=value))
    return _(names[value])


def anchors(scale: str) -> tuple[str, ...]:
    """Every step's name, translated (index = the step; sleep quality's index 0 stays "")."""
    return tuple(_(name) if name else "" for name in ANCHORS[scale])


#: The trauma-related experiences asked about as optional yes/no questions (the source
#: article's list of signs; clinical-reference §1 row 15: they are experiences worth noting,
#: never a test of anything). Field name → the question as shown. "Felt unsafe or on guard"
#: presumes nothing about the place (§4.1: no fixed claim that the person is safe; someone
#: may really be unsafe), and a "yes" offers the safety plan and helplines in the form.
TRAUMA_SIGNS: Final[Mapping[str, str]] = {
    "felt_numb": N_("Felt numb or disconnected"),
    "intrusive_memories": N_("Intrusive memories or flashbacks"),
    "strong_reaction": N_("A strong reaction to a small trigger"),
    "felt_unsafe": N_("Felt unsafe or on guard"),
}


def trauma_question(key: str) -> str:
    """One of :data:`TRAUMA_SIGNS`, translated."""
    return _(TRAUMA_SIGNS[key])


# -- tags and trackers -----------------------------------------------------------------------


class TagKind(StrEnum):
    ACTIVITY = "activity"
    TRIGGER = "trigger"


class TrackerKind(StrEnum):
    SCALE = "scale"  # whole numbers 0–10
    YES_NO = "yes_no"  # stored as 1.0 / 0.0
    NUMBER = "number"  # a number with a unit, between the tracker's bounds


#: The starting set, seeded on first use (ids are fixed, so two diaries that both started
#: from the defaults share them and an import never duplicates them). The names are stored
#: in the diary as they are here.
DEFAULT_TAGS: Final[tuple[tuple[TagKind, str], ...]] = (
    (TagKind.ACTIVITY, "Work or study"),
    (TagKind.ACTIVITY, "Friends"),
    (TagKind.ACTIVITY, "Family"),
    (TagKind.ACTIVITY, "Walk"),
    (TagKind.ACTIVITY, "Time in nature"),
    (TagKind.ACTIVITY, "Hobby"),
    (TagKind.ACTIVITY, "Reading"),
    (TagKind.ACTIVITY, "Music"),
    (TagKind.ACTIVITY, "Cooking"),
    (TagKind.ACTIVITY, "Housework"),
    (TagKind.ACTIVITY, "Rest"),
    (TagKind.ACTIVITY, "Therapy session"),
    (TagKind.ACTIVITY, "Grounding exercise"),
    (TagKind.TRIGGER, "Conflict"),
    (TagKind.TRIGGER, "Loneliness"),
    (TagKind.TRIGGER, "Work stress"),
    (TagKind.TRIGGER, "Money worries"),
    (TagKind.TRIGGER, "Health worries"),
    (TagKind.TRIGGER, "Feeling criticised"),
    (TagKind.TRIGGER, "Reminder of the past"),
    (TagKind.TRIGGER, "Crowds or noise"),
    (TagKind.TRIGGER, "News or social media"),
    (TagKind.TRIGGER, "Physical pain"),
)
_DEFAULTS_NAMESPACE: Final = uuid.UUID("5b0b8c0e-6f1d-4a53-9d0e-6a3c7f2b1c11")


def default_tag_id(kind: TagKind, name: str) -> str:
    return str(uuid.uuid5(_DEFAULTS_NAMESPACE, f"{kind.value}:{name}"))


def fold(text: str) -> str:
    """Case- and accent-insensitive form for searching ("Café" and "cafe" match)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
