"""Tags: the activities and the hard things a person can attach to check-ins.

A starting set (:data:`~companion.core.mood.vocabulary.DEFAULT_TAGS`) is added the first time
tags are read or written, once: tags the person deleted do not come back. Names are unique
within a kind (an activity and a trigger may share one). Deleting a tag takes it off every
check-in (the check-ins stay); :meth:`TagService.restore_tag` undoes that.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from companion.core import settings, validation
from companion.core.errors import ValidationError
from companion.core.mood.models import MoodEntryTag, MoodTag
from companion.core.mood.store import MoodStore, NamedList, name_taken
from companion.core.mood.vocabulary import (
    DEFAULT_TAGS,
    MAX_NAME_CHARS,
    TagKind,
    default_tag_id,
)
from companion.core.settings import bool_option
from companion.core.timekeeping import utcnow
from companion.i18n import N_, _

#: set once the starting tags were added, so tags the person deleted do not come back
DEFAULT_TAGS_SEEDED: Final = bool_option(
    "mood.default_tags_seeded", False, N_("Starting tags added")
)


@dataclass(frozen=True)
class TagInfo:
    id: str
    name: str
    kind: TagKind
    archived: bool
    position: int


@dataclass(frozen=True)
class TagSnapshot:
    """A deleted tag and the entries that carried it (for undo)."""

    tag: TagInfo
    created_at: datetime
    updated_at: datetime
    entry_ids: tuple[str, ...]


TAGS: Final = NamedList(
    MoodTag,
    MoodEntryTag,
    MoodEntryTag.tag_id,
    missing=N_("That tag is no longer in the diary."),
    present=N_("That tag is already in the diary."),
)


class TagService(MoodStore):
    """Add, rename, archive, delete and restore tags."""

    def tags(self, kind: TagKind | None = None, *, include_archived: bool = True) -> list[TagInfo]:
        """Tags in display order (seeding the starting set on first use)."""
        with self._db.session() as session:
            ensure_default_tags(session)
            query = select(MoodTag).order_by(MoodTag.kind, MoodTag.position, MoodTag.name)
            if kind is not None:
                query = query.where(MoodTag.kind == TagKind(kind).value)
            if not include_archived:
                query = query.where(MoodTag.archived.is_(False))
            return [tag_info(t) for t in session.scalars(query)]

    def add_tag(self, name: str, kind: TagKind) -> TagInfo:
        try:
            tag_kind = TagKind(kind)
        except ValueError:
            raise ValidationError(_("A tag is either an activity or a trigger.")) from None
        clean = validation.name(_("tag"), name, MAX_NAME_CHARS)
        with self._db.session() as session:
            ensure_default_tags(session)
            _check_name_free(session, clean, tag_kind, except_id=None)
            position = TAGS.next_position(session, MoodTag.kind == tag_kind.value)
            tag = MoodTag(name=clean, kind=tag_kind.value, position=position)
            session.add(tag)
            session.flush()
            return tag_info(tag)

    def rename_tag(self, tag_id: str, name: str) -> TagInfo:
        clean = validation.name(_("tag"), name, MAX_NAME_CHARS)
        with self._db.session() as session:
            tag = TAGS.row(session, tag_id)
            _check_name_free(session, clean, TagKind(tag.kind), except_id=tag.id)
            tag.name = clean
            session.flush()
            return tag_info(tag)

    def set_tag_archived(self, tag_id: str, archived: bool) -> TagInfo:
        """Hide a tag from new check-ins (past entries keep it) or bring it back."""
        with self._db.session() as session:
            return tag_info(TAGS.set_archived(session, tag_id, archived))

    def tag_usage(self, tag_id: str) -> int:
        """How many check-ins carry the tag (so the UI can offer archiving before deleting)."""
        with self._db.sessions() as session:
            return TAGS.usage(session, tag_id)

    def tag_usages(self) -> dict[str, int]:
        """How many check-ins carry each tag (a tag on none is left out): one query."""
        with self._db.sessions() as session:
            return TAGS.usages(session)

    def delete_tag(self, tag_id: str) -> TagSnapshot:
        """Delete a tag and remove it from every check-in (the check-ins stay)."""
        with self._db.session() as session:
            tag = TAGS.row(session, tag_id)
            entry_ids = tuple(
                session.scalars(
                    select(MoodEntryTag.entry_id)
                    .where(MoodEntryTag.tag_id == tag_id)
                    .order_by(MoodEntryTag.entry_id)
                )
            )
            snapshot = TagSnapshot(tag_info(tag), tag.created_at, tag.updated_at, entry_ids)
            session.execute(delete(MoodTag).where(MoodTag.id == tag_id))
        return snapshot

    def restore_tag(self, snapshot: TagSnapshot) -> TagInfo:
        """Undo :meth:`delete_tag`: the same tag, back on the check-ins that still exist."""
        info = snapshot.tag
        with self._db.session() as session:
            TAGS.check_absent(session, info.id)
            _check_name_free(session, info.name, info.kind, except_id=None)
            session.add(
                MoodTag(
                    id=info.id,
                    name=info.name,
                    kind=info.kind.value,
                    archived=info.archived,
                    position=info.position,
                    created_at=snapshot.created_at,
                    updated_at=snapshot.updated_at,
                )
            )
            session.flush()
            TAGS.relink(session, ({"entry_id": e, "tag_id": info.id} for e in snapshot.entry_ids))
            return info


def tag_info(tag: MoodTag) -> TagInfo:
    return TagInfo(tag.id, tag.name, TagKind(tag.kind), bool(tag.archived), tag.position)


def _check_name_free(session: Session, name: str, kind: TagKind, *, except_id: str | None) -> None:
    query = select(MoodTag.id, MoodTag.name).where(MoodTag.kind == kind.value)
    names = [(row_id, row_name) for row_id, row_name in session.execute(query)]
    other = name_taken(names, name, except_id=except_id)
    if other is None:
        return
    if kind is TagKind.ACTIVITY:
        message = _("There is already an activity called “{name}”.")
    else:
        message = _("There is already a trigger called “{name}”.")
    raise ValidationError(message.format(name=other))


# -- the starting set ------------------------------------------------------------------------


def default_tags_seeded(session: Session) -> bool:
    return settings.is_set(session, DEFAULT_TAGS_SEEDED)


def ensure_default_tags(session: Session) -> None:
    """Seed the starting tags once (the first time tags are read or written)."""
    if not default_tags_seeded(session):
        seed_default_tags(session, skip=set(session.scalars(select(MoodTag.id))))


def seed_default_tags(
    session: Session, *, skip: Collection[str] = (), now: datetime | None = None
) -> list[str]:
    """Insert the starting tags (ids in ``skip`` are left alone) and mark the diary seeded."""
    now = now or utcnow()
    positions: dict[TagKind, int] = defaultdict(int)
    rows: list[dict[str, Any]] = []
    for kind, name in DEFAULT_TAGS:
        positions[kind] += 1
        tag_id = default_tag_id(kind, name)
        if tag_id in skip:
            continue
        rows.append(
            {
                "id": tag_id,
                "name": name,
                "kind": kind.value,
                "archived": False,
                "position": positions[kind],
                "created_at": now,
                "updated_at": now,
            }
        )
    if rows:
        session.execute(insert(MoodTag), rows)
    if not settings.is_set(session, DEFAULT_TAGS_SEEDED):
        settings.write(session, DEFAULT_TAGS_SEEDED, True)
    session.flush()
    return [str(r["id"]) for r in rows]
