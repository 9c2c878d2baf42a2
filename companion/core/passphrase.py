"""Rules for a passphrase: strength (zxcvbn), the guessing time, and a generated passphrase.

Every path that sets a passphrase (setup, passphrase change, ``companion demo``) calls
:func:`validate`. A passphrase that zxcvbn scores below :data:`MIN_SCORE` is refused with the
reason and how long guessing it would take *at this diary's own key-derivation cost*: the
vault's Argon2id is calibrated to about half a second per guess on this computer, so that is
what one computer like this one needs per guess against a copied vault file. Only the GUI may
accept a weak passphrase, after a separate confirmation whose default is No
(``allow_weak=True``); the command line never does.

:func:`generate` makes a passphrase of random words from the EFF large word list (7,776 words,
12.9 bits each; CC BY 3.0, see ``THIRD-PARTY-NOTICES.md``).
"""

from __future__ import annotations

import math
import secrets
import unicodedata
from dataclasses import dataclass
from functools import cache

from companion.core.errors import ValidationError
from companion.i18n import N_, _, format_number, ngettext

MIN_LENGTH = 8
MAX_LENGTH = 1024
#: zxcvbn's 0..4 score; 3 = "safely unguessable: moderate protection from offline slow-hash
#: attacks (guesses < 10^10)"
MIN_SCORE = 3
#: zxcvbn's cost grows quickly with length, so only the start is scored (an honest lower bound).
_SCORED_PREFIX = 64
#: seconds one guess costs: the vault's Argon2id is calibrated to this on the computer that
#: makes it (``storage.kdf.calibrate``'s target), never less than its floor
SECONDS_PER_GUESS = 0.5
GENERATED_WORDS = 6

_LABELS = (N_("Very weak"), N_("Weak"), N_("Fair"), N_("Strong"), N_("Very strong"))


class WeakPassphraseError(ValidationError):
    """The passphrase could be guessed; ``str()`` gives the reason and the guessing time."""

    def __init__(self, message: str, strength: Strength) -> None:
        super().__init__(message)
        self.strength = strength


@dataclass(frozen=True)
class Strength:
    score: int  # 0..4
    label: str
    hint: str
    #: zxcvbn's estimate of how many guesses finding it takes
    guesses: float
    #: how long those guesses take at this diary's cost, in plain words ("about 2 minutes")
    crack_time: str

    @property
    def acceptable(self) -> bool:
        return self.score >= MIN_SCORE


def guessing_time(guesses: float, seconds_per_guess: float = SECONDS_PER_GUESS) -> str:
    """Plain words for ``guesses × seconds_per_guess``."""
    seconds = max(0.0, guesses) * seconds_per_guess
    year, month, day, hour = 365.25 * 86400, 30.44 * 86400, 86400.0, 3600.0
    if seconds < 60:
        return _("less than a minute")
    if seconds >= 1000 * year:
        return _("more than a thousand years")
    if seconds >= year:
        count = round(seconds / year)
        return ngettext("about {count} year", "about {count} years", count).format(count=count)
    if seconds >= month:
        count = round(seconds / month)
        return ngettext("about {count} month", "about {count} months", count).format(count=count)
    if seconds >= day:
        count = round(seconds / day)
        return ngettext("about {count} day", "about {count} days", count).format(count=count)
    if seconds >= hour:
        count = round(seconds / hour)
        return ngettext("about {count} hour", "about {count} hours", count).format(count=count)
    count = round(seconds / 60)
    return ngettext("about {count} minute", "about {count} minutes", count).format(count=count)


def strength(passphrase: str, *, seconds_per_guess: float = SECONDS_PER_GUESS) -> Strength:
    """An estimate from zxcvbn; a hint in plain words; the time to guess it at this cost."""
    if not passphrase:
        return Strength(
            0, "", _("Several unrelated words make a strong, memorable passphrase."), 0.0, ""
        )
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
            _("Good. Keep it somewhere safe: nobody, not even us, can recover it.")
            if score >= MIN_SCORE
            else _("Adding another unrelated word or two would make it stronger.")
        )
    guesses = float(result["guesses"])
    return Strength(
        score, _(_LABELS[score]), hint, guesses, guessing_time(guesses, seconds_per_guess)
    )


def weak_reason(result: Strength) -> str:
    """The sentence shown when a passphrase is refused: why, and how fast it falls."""
    why = result.hint.rstrip(".")
    return _(
        "This passphrase is too easy to guess ({why}): someone with a copy of the diary file "
        "could find it in {time} on one computer like this one. Please add unrelated words, or "
        "use a suggested passphrase."
    ).format(why=why[:1].lower() + why[1:], time=result.crack_time)


def validate(passphrase: str, confirmation: str | None = None, *, allow_weak: bool = False) -> None:
    """Raise ValidationError with a calm sentence when the passphrase cannot be used.

    :class:`WeakPassphraseError` when it scores below :data:`MIN_SCORE` (unless
    ``allow_weak``, which only the GUI passes after its own confirmation).
    """
    text = unicodedata.normalize("NFC", passphrase)
    if not text.strip():
        raise ValidationError(_("Please type a passphrase."))
    if len(text) < MIN_LENGTH:
        raise ValidationError(
            ngettext(
                "Please use at least {count} character.",
                "Please use at least {count} characters.",
                MIN_LENGTH,
            ).format(count=MIN_LENGTH)
        )
    if len(text) > MAX_LENGTH:
        raise ValidationError(
            ngettext(
                "Please use at most {count} character.",
                "Please use at most {count} characters.",
                MAX_LENGTH,
            ).format(count=format_number(MAX_LENGTH))
        )
    if confirmation is not None and unicodedata.normalize("NFC", confirmation) != text:
        raise ValidationError(_("The two passphrases are not the same yet."))
    if not allow_weak:
        result = strength(text)
        if not result.acceptable:
            raise WeakPassphraseError(weak_reason(result), result)


@cache
def word_list() -> tuple[str, ...]:
    """The EFF large word list (dice numbers dropped), bundled with the app."""
    from companion.content import resource_path

    text = resource_path("wordlists", "eff_large_wordlist.txt").read_text(encoding="utf-8")
    words = tuple(line.split("\t")[1].strip() for line in text.splitlines() if "\t" in line)
    if len(words) != 7776 or len(set(words)) != 7776:
        raise RuntimeError("the bundled word list is damaged")
    return words


def generate(words: int = GENERATED_WORDS) -> str:
    """Random words, separated by spaces (``secrets``: a CSPRNG); 6 words ≈ 77 bits."""
    chosen = word_list()
    return " ".join(secrets.choice(chosen) for _ in range(words))


def generated_bits(words: int = GENERATED_WORDS) -> float:
    return words * math.log2(len(word_list()))
