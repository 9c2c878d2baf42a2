"""Rules for a passphrase, and a strength estimate for the setup meter."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from companion.core.errors import ValidationError

MIN_LENGTH = 8
MAX_LENGTH = 1024
#: zxcvbn's cost grows quickly with length, so only the start is scored (an honest lower bound).
_SCORED_PREFIX = 64

_LABELS = ("Very weak", "Weak", "Fair", "Strong", "Very strong")


@dataclass(frozen=True)
class Strength:
    score: int  # 0..4
    label: str
    hint: str
    crack_time: str


def validate(passphrase: str, confirmation: str | None = None) -> None:
    """Raise ValidationError with a calm sentence when the passphrase cannot be used."""
    text = unicodedata.normalize("NFC", passphrase)
    if not text.strip():
        raise ValidationError("Please type a passphrase.")
    if len(text) < MIN_LENGTH:
        raise ValidationError(f"Please use at least {MIN_LENGTH} characters.")
    if len(text) > MAX_LENGTH:
        raise ValidationError(f"Please use at most {MAX_LENGTH:,} characters.")
    if confirmation is not None and unicodedata.normalize("NFC", confirmation) != text:
        raise ValidationError("The two passphrases are not the same yet.")


def strength(passphrase: str) -> Strength:
    """An estimate from zxcvbn; a hint in plain words for the meter."""
    if not passphrase:
        return Strength(0, "", "Several unrelated words make a strong, memorable passphrase.", "")
    from zxcvbn import zxcvbn

    result = zxcvbn(passphrase[:_SCORED_PREFIX])
    score = int(result["score"])
    feedback = result.get("feedback") or {}
    hint = str(feedback.get("warning") or "")
    suggestions = feedback.get("suggestions") or []
    if not hint and suggestions:
        hint = str(suggestions[0])
    if not hint:
        hint = (
            "Good. Keep it somewhere safe: nobody, not even us, can recover it."
            if score >= 3
            else "Adding another unrelated word or two would make it stronger."
        )
    crack = str(result["crack_times_display"]["offline_slow_hashing_1e4_per_second"])
    return Strength(score, _LABELS[score], hint, crack)
