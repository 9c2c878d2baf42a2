"""The safety plan: the six steps of safety planning plus what matters most (the service).

The structure follows the published components of the Safety Planning Intervention
(clinical-reference §5.1), written in Companion's own words and never called by the name of the
official form (its licence covers that form only). The steps are used in order as distress
rises; the plan is never behind a questionnaire, a score or a network.

Conventions
-----------
- One plan per diary, with a fixed id, so importing another diary's plan merges its items.
- Every item is text of 1 to :data:`MAX_ITEM_CHARS` characters; the two contact steps add an
  optional phone number. A step holds at most :data:`MAX_ITEMS_PER_STEP` items. Input that breaks
  a rule raises :class:`~companion.core.errors.ValidationError` and changes nothing.
- "Last reviewed" is the last time the person changed the plan or said it still fits; a review is
  suggested after :data:`REVIEW_AFTER_DAYS` days (the reference asks for every 1–3 months).
- The step about making surroundings safer is phrased generally: no method is ever named
  (safe-messaging rules, §5.4).
- Deletes are real; :meth:`SafetyService.delete_item` returns a snapshot for undo.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Final

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from companion.content import ContentError
from companion.core.errors import ValidationError
from companion.core.safety.models import STEP_KEYS, SafetyPlan, SafetyPlanItem
from companion.core.timekeeping import local_date, local_now, offset_minutes
from companion.i18n import N_, _, format_number
from companion.storage.database import Database

if TYPE_CHECKING:
    from companion.content.helplines import Country

MAX_ITEM_CHARS: Final = 2000
MAX_PHONE_CHARS: Final = 40
MAX_ITEMS_PER_STEP: Final = 30
REVIEW_AFTER_DAYS: Final = 60
PLAN_ID: Final = str(uuid.uuid5(uuid.UUID("9a4f3c2e-51d7-4c1a-8f0e-2b6d7e9c1a47"), "safety-plan"))

_PHONE_RE = re.compile(r"^[0-9+()\-./ ]+$")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Step:
    """One step of the plan as the editor presents it.

    The words are marked for translation where the table is built and translated where they
    are shown (``_(step.title)``).
    """

    key: str
    number: int
    title: str
    question: str
    guidance: str
    examples: tuple[str, ...]
    item_name: str
    #: True for the two steps that hold people or services with a number
    has_phone: bool = False


STEPS: Final[tuple[Step, ...]] = (
    Step(
        key="warning_signs",
        number=1,
        title=N_("My warning signs"),
        question=N_("What tells me that things are starting to get too much?"),
        guidance=N_(
            "Think of the thoughts, feelings, pictures in your mind, situations or things you "
            "do that show a hard time is building. Use your own words, and be as specific as "
            "you can: the earlier you notice, the more choices you have."
        ),
        examples=(
            N_("Lying awake going over the same thoughts"),
            N_("Not answering messages for days"),
            N_("Thinking “I'm a burden” or “I can't do this any more”"),
            N_("Feeling numb, as if I'm watching myself from far away"),
            N_("Sunday evenings after visiting family"),
        ),
        item_name=N_("warning sign"),
    ),
    Step(
        key="coping_alone",
        number=2,
        title=N_("Things I can do on my own"),
        question=N_("What can I do by myself to take my mind off things, even a little?"),
        guidance=N_(
            "Small, doable things that have helped before, or that you are willing to try. "
            "Companion's grounding exercises can go here too."
        ),
        examples=(
            N_("The 5-4-3-2-1 grounding exercise in Companion"),
            N_("Walk round the block and count red doors"),
            N_("A hot shower, then a warm drink"),
            N_("Play the playlist that calms me"),
            N_("Wrap up in the heavy blanket and watch a comfort film"),
        ),
        item_name=N_("thing to do"),
    ),
    Step(
        key="distractions",
        number=3,
        title=N_("People and places that take my mind off things"),
        question=N_(
            "Who or where helps me feel a bit less alone, without having to talk about it?"
        ),
        guidance=N_(
            "People to be around, and places to go, for company and a change of scene. You "
            "do not have to tell them how you are feeling."
        ),
        examples=(
            N_("The café on the corner"),
            N_("The library or a bookshop"),
            N_("Sitting in the park where other people are walking dogs"),
            N_("My neighbour, who is always up for a cup of tea"),
            N_("The online chess group"),
        ),
        item_name=N_("person or place"),
    ),
    Step(
        key="people",
        number=4,
        title=N_("People I can ask for help"),
        question=N_("Who could I tell that I am having a hard time?"),
        guidance=N_(
            "Family members or friends you could call or message when you need support. Add "
            "their number so it is here when you need it."
        ),
        examples=(
            N_("My sister"),
            N_("A friend from the walking group"),
            N_("My cousin, who said to call any time"),
        ),
        item_name=N_("person"),
        has_phone=True,
    ),
    Step(
        key="professionals",
        number=5,
        title=N_("Professionals and services I can contact in a crisis"),
        question=N_("Who can I contact for professional help, day or night?"),
        guidance=N_(
            "Your therapist, doctor or care team, an out-of-hours service, a crisis line, and "
            "your emergency number. Companion can fill in the helplines for your country: "
            "check them, and change anything you like."
        ),
        examples=(
            N_("My therapist (weekdays, leave a message)"),
            N_("My GP surgery's out-of-hours number"),
            N_("The nearest emergency department"),
        ),
        item_name=N_("contact"),
        has_phone=True,
    ),
    Step(
        key="safer_surroundings",
        number=6,
        title=N_("Making my surroundings safer"),
        question=N_("What can I do to make the place around me safer while I feel this way?"),
        guidance=N_(
            "Steps that put time and distance between you and anything you could use to hurt "
            "yourself. Keep them general, and think about who could help with them. A "
            "therapist or doctor can help you work out what fits."
        ),
        # clinical-reference §5.1 step 6: medication stockpiles are the household means most
        # relevant to people who log antidepressants; the examples name no method (§5.4)
        examples=(
            N_("Take medicines I no longer use back to a pharmacy"),
            N_("Ask someone I trust to keep my medicines and give me a week's supply at a time"),
            N_("Ask someone to store anything I could use to hurt myself"),
            N_("Go somewhere I feel safer, such as a friend's home"),
            N_("Avoid alcohol and drugs when I feel like this"),
            N_("Ask my therapist to help me think this step through"),
        ),
        item_name=N_("step"),
    ),
    Step(
        key="reasons",
        number=7,
        title=N_("What matters most to me"),
        question=N_("What is important to me, and worth staying safe for?"),
        guidance=N_(
            "People, animals, hopes, plans, places, small pleasures: anything that matters to "
            "you. It is fine if this feels hard to fill in today; you can come back to it."
        ),
        examples=(
            N_("My cat, Biscuit"),
            N_("Seeing my niece grow up"),
            N_("The sea in the early morning"),
            N_("Finishing the quilt I started"),
        ),
        item_name=N_("thing that matters"),
    ),
)
STEP_BY_KEY: Final = {step.key: step for step in STEPS}
assert tuple(STEP_BY_KEY) == STEP_KEYS  # the model and the service list the same steps


def step(key: str) -> Step:
    try:
        return STEP_BY_KEY[key]
    except KeyError:
        raise ValidationError(_("That is not a step of the safety plan.")) from None


@dataclass(frozen=True)
class PlanItem:
    id: str
    step: str
    position: int
    text: str
    phone: str = ""


@dataclass(frozen=True)
class ItemSnapshot:
    """What a deleted item was, so the UI can undo the delete."""

    id: str
    step: str
    position: int
    text: str
    phone: str
    created_at: datetime


@dataclass(frozen=True)
class Plan:
    items: tuple[PlanItem, ...] = ()
    reviewed_at: datetime | None = None
    reviewed_offset_minutes: int | None = None

    def for_step(self, key: str) -> list[PlanItem]:
        return [item for item in self.items if item.step == key]

    @property
    def is_empty(self) -> bool:
        return not self.items

    @property
    def reviewed_on(self) -> date | None:
        if self.reviewed_at is None or self.reviewed_offset_minutes is None:
            return None
        return local_date(self.reviewed_at, self.reviewed_offset_minutes)

    def review_due(self, today: date) -> bool:
        """True when the plan has items and was last reviewed long enough ago."""
        if self.is_empty:
            return False
        reviewed = self.reviewed_on
        return reviewed is None or (today - reviewed).days >= REVIEW_AFTER_DAYS


def _clean_text(text: object, info: Step) -> str:
    """An item's words: control characters dropped, space trimmed, required."""
    what = _(info.item_name)
    if not isinstance(text, str):
        raise ValidationError(_("The {item} must be text.").format(item=what))
    length = len(text)
    if length > MAX_ITEM_CHARS:
        raise ValidationError(
            _(
                "One {item} can hold up to {limit} characters and this one has {count}, so it "
                "was not saved."
            ).format(item=what, limit=format_number(MAX_ITEM_CHARS), count=format_number(length))
        )
    cleaned = _CONTROL_RE.sub("", text).strip()
    if not cleaned:
        raise ValidationError(_("Please write the {item} first.").format(item=what))
    return cleaned


def _clean_phone(phone: object, allowed: bool) -> str | None:
    if phone is None:
        return None
    if not isinstance(phone, str):
        raise ValidationError(_("The number must be text."))
    if len(phone) > MAX_PHONE_CHARS:
        raise ValidationError(
            _("A number can be up to {limit} characters long, so it was not saved.").format(
                limit=MAX_PHONE_CHARS
            )
        )
    cleaned = " ".join(phone.split())
    if not cleaned:
        return None
    if not allowed:
        raise ValidationError(_("This step does not hold phone numbers."))
    if not _PHONE_RE.match(cleaned) or not any(c.isdigit() for c in cleaned):
        raise ValidationError(
            _(
                "A number can contain digits, spaces and + - ( ) . / only; put other details "
                "in the name."
            )
        )
    return cleaned


def _helpline_entries(country: Country) -> list[tuple[str, str | None]]:
    """A country's emergency number and crisis lines as plan items (words, number)."""
    wanted: list[tuple[str, str | None]] = []
    if country.code:
        emergency = _("Emergency services ({country})").format(country=country.name)
        wanted.append((emergency, country.emergency))
    for line in country.lines:
        if line.phone:
            wanted.append((line.name, line.phone))
        elif line.text and line.text_keyword:
            words = _("{name}: text {keyword} to {number}").format(
                name=line.name, keyword=line.text_keyword, number=line.text
            )
            wanted.append((words, line.text))
        elif line.text:
            wanted.append(
                (_("{name}: text {number}").format(name=line.name, number=line.text), line.text)
            )
        elif line.url and not country.code:
            words = _("{name}: {address} (needs internet)").format(name=line.name, address=line.url)
            wanted.append((words, None))
    return wanted


def _gone() -> str:
    return _("That item is no longer in your plan.")


def _digits(phone: str) -> str:
    return "".join(c for c in phone if c.isdigit())


class SafetyService:
    def __init__(self, db: Database, *, clock: Callable[[], datetime] | None = None) -> None:
        self._db = db
        self._clock = clock or local_now

    # -- reading ---------------------------------------------------------------------------

    def plan(self) -> Plan:
        with self._db.sessions() as session:
            row = session.get(SafetyPlan, PLAN_ID)
            items = session.scalars(
                select(SafetyPlanItem)
                .where(SafetyPlanItem.text.is_not(None))
                .order_by(SafetyPlanItem.position, SafetyPlanItem.created_at, SafetyPlanItem.id)
            ).all()
            order = {key: n for n, key in enumerate(STEP_KEYS)}
            out = sorted(
                (
                    PlanItem(i.id, i.step, i.position, i.text or "", i.phone or "")
                    for i in items
                    if i.step in order
                ),
                key=lambda item: order[item.step],
            )
            if row is None:
                return Plan(tuple(out))
            return Plan(tuple(out), row.reviewed_at, row.reviewed_offset_minutes)

    # -- changing --------------------------------------------------------------------------

    def _touch(self, plan: SafetyPlan) -> None:
        now = self._clock()
        plan.reviewed_at = now
        plan.reviewed_offset_minutes = offset_minutes(now)

    def _plan_row(self, session: Session) -> SafetyPlan:
        row = session.get(SafetyPlan, PLAN_ID)
        if row is None:
            row = SafetyPlan(id=PLAN_ID)
            session.add(row)
        return row

    def add_item(self, step_key: str, text: str, phone: str | None = None) -> PlanItem:
        info = step(step_key)
        clean = _clean_text(text, info)
        number = _clean_phone(phone, info.has_phone)
        with self._db.session() as session:
            plan = self._plan_row(session)
            count = session.scalar(
                select(func.count())
                .select_from(SafetyPlanItem)
                .where(SafetyPlanItem.step == step_key)
            )
            if (count or 0) >= MAX_ITEMS_PER_STEP:
                raise ValidationError(
                    _(
                        "This step already holds {count} items, the most it can. You could "
                        "combine or remove some first."
                    ).format(count=MAX_ITEMS_PER_STEP)
                )
            last = session.scalar(
                select(func.max(SafetyPlanItem.position)).where(SafetyPlanItem.step == step_key)
            )
            position = min(10_000, 0 if last is None else last + 1)
            item = SafetyPlanItem(
                plan_id=PLAN_ID, step=step_key, position=position, text=clean, phone=number
            )
            session.add(item)
            self._touch(plan)
            session.flush()
            return PlanItem(item.id, step_key, position, clean, number or "")

    def update_item(self, item_id: str, text: str, phone: str | None = None) -> PlanItem:
        with self._db.session() as session:
            item = session.get(SafetyPlanItem, item_id)
            if item is None:
                raise ValidationError(_gone())
            info = step(item.step)
            clean = _clean_text(text, info)
            number = _clean_phone(phone, info.has_phone)
            item.text = clean
            item.phone = number
            self._touch(self._plan_row(session))
            return PlanItem(item.id, item.step, item.position, clean, number or "")

    def move_item(self, item_id: str, delta: int) -> bool:
        """Move an item up (-1) or down (+1) within its step; at either end nothing changes
        (then False)."""
        with self._db.session() as session:
            item = session.get(SafetyPlanItem, item_id)
            if item is None:
                raise ValidationError(_gone())
            siblings = list(
                session.scalars(
                    select(SafetyPlanItem)
                    .where(SafetyPlanItem.step == item.step, SafetyPlanItem.text.is_not(None))
                    .order_by(SafetyPlanItem.position, SafetyPlanItem.created_at, SafetyPlanItem.id)
                )
            )
            index = next(n for n, s in enumerate(siblings) if s.id == item_id)
            target = index + (1 if delta > 0 else -1)
            if delta == 0 or not 0 <= target < len(siblings):
                return False
            siblings[index], siblings[target] = siblings[target], siblings[index]
            for position, sibling in enumerate(siblings):
                if sibling.position != position:
                    sibling.position = position
            self._touch(self._plan_row(session))
        return True

    def delete_item(self, item_id: str) -> ItemSnapshot:
        with self._db.session() as session:
            item = session.get(SafetyPlanItem, item_id)
            if item is None:
                raise ValidationError(_gone())
            snapshot = ItemSnapshot(
                item.id,
                item.step,
                item.position,
                item.text or "",
                item.phone or "",
                item.created_at,
            )
            session.execute(delete(SafetyPlanItem).where(SafetyPlanItem.id == item_id))
            self._touch(self._plan_row(session))
            return snapshot

    def restore_item(self, snapshot: ItemSnapshot) -> PlanItem:
        """Undo a delete: the item comes back with its id, place and words."""
        info = step(snapshot.step)
        clean = _clean_text(snapshot.text, info)
        number = _clean_phone(snapshot.phone, info.has_phone)
        with self._db.session() as session:
            plan = self._plan_row(session)
            if session.get(SafetyPlanItem, snapshot.id) is None:
                session.add(
                    SafetyPlanItem(
                        id=snapshot.id,
                        plan_id=PLAN_ID,
                        step=snapshot.step,
                        position=snapshot.position,
                        text=clean,
                        phone=number,
                        created_at=snapshot.created_at,
                    )
                )
                self._touch(plan)
        return PlanItem(snapshot.id, snapshot.step, snapshot.position, clean, number or "")

    def mark_reviewed(self) -> date:
        """The person read the plan through and it still fits; the day it was reviewed."""
        with self._db.session() as session:
            plan = self._plan_row(session)
            self._touch(plan)
            assert plan.reviewed_at is not None and plan.reviewed_offset_minutes is not None
            return local_date(plan.reviewed_at, plan.reviewed_offset_minutes)

    # -- helplines -------------------------------------------------------------------------

    def add_helplines_for(self, code: str) -> int:
        """:meth:`add_helplines` for a country code ("" or one we have no list for: the
        "find a helpline" directory)."""
        from companion.content.helplines import for_country

        try:
            country = for_country(code)
        except ContentError as exc:
            raise ValidationError(str(exc)) from None
        return self.add_helplines(country)

    def add_helplines(self, country: Country) -> int:
        """Add a country's crisis lines and emergency number to step 5; returns how many.

        Entries already in the step (the same number or the same name) are not added again.
        For a country we have no list for, the "find a helpline" directory is added instead.
        """
        wanted = _helpline_entries(country)
        existing = self.plan().for_step("professionals")
        numbers = {_digits(i.phone) for i in existing if i.phone}
        names = {i.text.casefold() for i in existing}
        added = 0
        with self._db.saves_suspended():
            for text, phone in wanted:
                if (phone and _digits(phone) in numbers) or text.casefold() in names:
                    continue
                if len(existing) + added >= MAX_ITEMS_PER_STEP:
                    break
                self.add_item("professionals", text, phone)
                if phone:
                    numbers.add(_digits(phone))
                names.add(text.casefold())
                added += 1
        return added
