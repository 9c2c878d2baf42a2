"""Synthetic safety plan and Learn progress for ``companion demo``.

The plan is an example of a finished, realistic plan: specific warning signs, small coping
steps, people with numbers, professional contacts, general steps for safer surroundings and
things that matter. It names no real person and describes no method of self-harm. Personal
numbers come from the ranges Ofcom reserves for drama (07700 900xxx, 020 7946 0xxx), so none of
them can reach a real person; the crisis lines are the real bundled ones for the United Kingdom.
Everything is chosen by the period's seeded random source, so the same seed gives the same plan.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, time, timedelta
from typing import Final

from sqlalchemy.orm import Session

from companion.core import demo
from companion.core.safety.models import SafetyPlan, SafetyPlanItem
from companion.core.safety.service import PLAN_ID

#: step → (text, phone or None), a few more than are used, so seeds differ a little
EXAMPLES: Final[dict[str, tuple[tuple[str, str | None], ...]]] = {
    "warning_signs": (
        ("Lying awake after 2 a.m. going over the same thoughts", None),
        ("Cancelling plans and not answering messages", None),
        ("Thinking “I'm a burden” or “I can't do this any more”", None),
        ("Feeling numb, as if I'm watching myself from far away", None),
        ("Sunday evenings, and the anniversary in March", None),
        ("Stopping eating proper meals", None),
    ),
    "coping_alone": (
        ("The 5-4-3-2-1 grounding exercise in Companion", None),
        ("Slow breathing with the longer out-breath, five minutes", None),
        ("Walk round the block and count the red doors", None),
        ("Hot shower, clean pyjamas, a warm drink", None),
        ("Put on the calm playlist and sort the sock drawer", None),
        ("Write the thoughts down, then close the notebook", None),
    ),
    "distractions": (
        ("The café on Mill Street, sitting by the window", None),
        ("The library's quiet room", None),
        ("Watching football at Sam's (no need to talk)", None),
        ("The Thursday walking group", None),
        ("Park bench by the duck pond", None),
    ),
    "people": (
        ("Ruth (sister), any time", "07700 900461"),
        ("Sam (friend from the walking group)", "07700 900127"),
        ("Aunt Jo, evenings", "07700 900835"),
    ),
    "professionals": (
        ("Dr Patel, my therapist (Tue and Thu, leave a message)", "020 7946 0312"),
        ("GP surgery, Ash Lane (out of hours: follow the message)", "020 7946 0588"),
        ("Samaritans", "116 123"),
        ("Shout (text, not call)", "85258"),
        ("Emergency services (United Kingdom)", "999"),
    ),
    "safer_surroundings": (
        ("Ask Ruth to keep some things at her place for a while", None),
        ("Go to Sam's or Ruth's instead of staying home alone", None),
        ("No alcohol when I'm feeling like this", None),
        ("Talk this step through with Dr Patel at the next session", None),
    ),
    "reasons": (
        ("Biscuit, who needs feeding twice a day", None),
        ("Seeing my niece start school in September", None),
        ("The sea in the early morning", None),
        ("Finishing the quilt", None),
        ("The days that have felt lighter, which have come back before", None),
    ),
}
#: how many of each step's examples the demo plan uses (people and services: all)
TAKE: Final = {
    "warning_signs": 4,
    "coping_alone": 5,
    "distractions": 3,
    "safer_surroundings": 3,
    "reasons": 4,
}


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def safety_plan(session: Session, period: demo.DemoPeriod) -> None:
    """A plan written early in the period and reviewed a few weeks before its end."""
    if session.get(SafetyPlan, PLAN_ID) is not None:
        return
    rng = period.rng
    written_day = period.start + timedelta(days=min(period.days - 1, rng.randint(3, 20)))
    reviewed_day = max(written_day, period.end - timedelta(days=rng.randint(18, 45)))
    offset = 60
    written = datetime.combine(written_day, time(19, 30), tzinfo=UTC)
    reviewed = datetime.combine(reviewed_day, time(20, 15), tzinfo=UTC)
    session.add(
        SafetyPlan(
            id=PLAN_ID,
            reviewed_at=reviewed,
            reviewed_offset_minutes=offset,
            created_at=written,
            updated_at=reviewed,
        )
    )
    for key, options in EXAMPLES.items():
        count = TAKE.get(key, len(options))
        chosen = sorted(rng.sample(range(len(options)), count)) if count < len(options) else None
        picks = [options[i] for i in chosen] if chosen is not None else list(options)
        for position, (text, phone) in enumerate(picks):
            session.add(
                SafetyPlanItem(
                    id=_uuid(rng),
                    plan_id=PLAN_ID,
                    step=key,
                    position=position,
                    text=text,
                    phone=phone,
                    created_at=written + timedelta(seconds=position),
                    updated_at=written + timedelta(seconds=position),
                )
            )
