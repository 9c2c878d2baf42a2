"""What the app says when an answer needs a safety response (PHQ-9 question 9 above zero).

Safe-messaging rules (clinical-reference.md §2.4 and §5.4): calm, direct and warm; always paired
with where to find help; say plainly that the app cannot send help and that nobody is told;
stronger wording, with a nudge to act today, for "more than half the days" and "nearly every
day"; never blocking, never alarming, never a method or a detail.
"""

from __future__ import annotations

from companion.i18n import _

__all__ = ["SELF_HARM", "self_harm_message"]

SELF_HARM = "self-harm"


def self_harm_message(value: int) -> str:
    """The words shown at once, and again on the result, for a question-9 answer above zero."""
    if value <= 0:
        raise ValueError("only an answer above zero needs this message")
    opening = _(
        "You said that thoughts of being better off dead or of hurting yourself have come up "
        "over the last two weeks. Thank you for answering honestly; you don't have to face "
        "these thoughts alone."
    )
    help_line = _(
        "Your safety plan and the helplines for your country are shown below, and are always "
        "under Get help now. This app cannot send help, and nobody is told about your answers."
    )
    if value == 1:
        nudge = _(
            "It may help to tell your clinician or someone you trust. If the thoughts get "
            "stronger, or you might act on them, call a helpline or your emergency number."
        )
    else:
        nudge = _(
            "Because they have come up often, please contact your clinician or a helpline "
            "today. If you might act on these thoughts, call your emergency number now."
        )
    return f"{opening} {help_line} {nudge}"
