"""How the person likes the check-in form: which of its sections start open."""

from __future__ import annotations

from typing import Any, Final

from companion.core.errors import ValidationError
from companion.core.settings import Option
from companion.i18n import N_, _

#: the expanded check-in's sections, in order
SECTIONS: Final = ("feelings", "sleep", "experiences", "day", "trackers", "note")


def _sections(value: Any) -> list[str]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_("The check-in's open sections must be a list of names."))
    return [key for key in SECTIONS if key in value]


#: the sections that start open when "More…" is pressed: none until the person opens one
#: (each folded section is one heading, one Tab stop: 29 Tab stops across Today with "More"
#: open, not 40), and then the ones they left open
OPEN_SECTIONS: Final[Option[list[str]]] = Option(
    "mood.checkin_open_sections",
    [],
    N_("Check-in sections shown open"),
    _sections,
)
