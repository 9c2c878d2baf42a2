"""Checks for what a person typed, shared by every service: one clear sentence when a value
cannot be kept, never a silent change of meaning.

``label`` is the field's name as the person sees it, already translated by the caller
(``_("Mood")``); messages name it and say what would be accepted.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from companion.core.errors import ValidationError
from companion.i18n import _, format_number, ngettext


def whole(label: str, value: object, low: int, high: int, *, required: bool = False) -> int | None:
    """A whole number from ``low`` to ``high``; None when left empty (unless required)."""
    if value is None:
        if required:
            raise ValidationError(_("{label} is required.").format(label=label))
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(
            _("{label} must be a whole number from {low} to {high}.").format(
                label=label, low=low, high=high
            )
        )
    if not low <= value <= high:
        raise ValidationError(
            _("{label} must be from {low} to {high}; {value} is outside that.").format(
                label=label, low=low, high=high, value=value
            )
        )
    return value


def number(label: str, value: object, low: float, high: float, unit: str) -> float | None:
    """A finite number from ``low`` to ``high`` (in ``unit``); None when left empty."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(_("{label} must be a number.").format(label=label))
    amount = float(value)
    if not math.isfinite(amount) or not low <= amount <= high:
        raise ValidationError(
            _("{label} must be from {low} to {high} {unit}.").format(
                label=label, low=f"{low:g}", high=f"{high:g}", unit=unit
            )
        )
    return amount


def yes_no(label: str, value: object) -> bool | None:
    """Yes, no, or left empty."""
    if value is None or isinstance(value, bool):
        return value
    raise ValidationError(_("{label} must be yes, no or left empty.").format(label=label))


def text(label: str, value: object, limit: int, *, hint: str = "") -> str | None:
    """Free text up to ``limit`` characters, kept exactly as typed; blank counts as empty.

    ``hint`` is a sentence added when the text is too long (e.g. where the rest could go)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError(_("{label} must be text.").format(label=label))
    if not value.strip():
        return None
    if len(value) > limit:
        message = ngettext(
            "{label} is too long: it has {count} character and the limit is {limit}.",
            "{label} is too long: it has {count} characters and the limit is {limit}.",
            len(value),
        ).format(label=label, count=format_number(len(value)), limit=format_number(limit))
        if hint:
            message = _("{problem} {hint}").format(problem=message, hint=hint)
        raise ValidationError(message)
    return value


def name(what: str, value: object, limit: int) -> str:
    """A short name (spaces tidied), required, up to ``limit`` characters."""
    if not isinstance(value, str):
        raise ValidationError(_("The {what} name must be text.").format(what=what), field="name")
    tidy = " ".join(value.split())
    if not tidy:
        raise ValidationError(_("Please give the {what} a name.").format(what=what), field="name")
    if len(tidy) > limit:
        raise ValidationError(
            _("The {what} name is too long; please keep it to {limit} characters.").format(
                what=what, limit=limit
            ),
            field="name",
        )
    return tidy


def choice(label: str, value: object, allowed: Iterable[str]) -> str:
    """One of ``allowed``."""
    options = list(allowed)
    if value not in options:
        raise ValidationError(
            _("{label} must be one of: {options}.").format(label=label, options=", ".join(options))
        )
    return str(value)
