"""Base classes and conventions shared by every feature's tables (DESIGN §5).

UUID4 string keys (stored as 16 bytes: :class:`Key`), ``created_at``/``updated_at`` on every
row, times as UTC plus the UTC offset at the moment of entry. Columns holding free text the
person wrote are marked ``info={"private_text": True}``: exports leave them out unless asked to
include notes.
"""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime

from sqlalchemy import (
    DateTime,
    MetaData,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


#: random keys drawn from the system at a time (see :func:`new_id`)
ID_BATCH = 256
_random_keys: list[bytes] = []  # (list.pop and extend are atomic: threads share it safely)


def new_id() -> str:
    """A random key, exactly as ``uuid.uuid4()`` makes one, from the same source.

    The random bytes are asked of the system for ``ID_BATCH`` keys at once. One ``os.urandom``
    call per key let go of Python's interpreter lock at every row an import writes (~100 µs
    apart on a worker thread), and the window's thread, waiting for that lock, was woken each
    time only to find it taken again: it could not run at all while the rows were written
    (20–45 ms stalls of the window during an import, issue 11)."""
    try:
        raw = _random_keys.pop()
    except IndexError:
        block = os.urandom(16 * ID_BATCH)
        _random_keys.extend(block[i : i + 16] for i in range(16, len(block), 16))
        raw = block[:16]
    return str(uuid.UUID(bytes=raw, version=4))


if hasattr(os, "register_at_fork"):  # a forked child never reuses its parent's keys
    os.register_at_fork(after_in_child=_random_keys.clear)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes stored as naive UTC; always read back aware (UTC)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("a time without a time zone cannot be stored")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def key_to_db(value: str) -> str | bytes:
    """A key as it is stored: a UUID in its canonical spelling (lowercase, hyphenated, as
    :func:`new_id` makes it) as its 16 bytes, anything else (keys written by hand in tests, or
    by an old version's import of someone else's file) as the text it is."""
    if (
        len(value) == 36
        and value[8] == value[13] == value[18] == value[23] == "-"
        and value == value.lower()
    ):
        try:
            raw = bytes.fromhex(value[:8] + value[9:13] + value[14:18] + value[19:23] + value[24:])
        except ValueError:
            return value
        if len(raw) == 16:
            return raw
    return value


def key_from_db(value: str | bytes) -> str:
    """The key's text again (the inverse of :func:`key_to_db`); ``ValueError`` for bytes that
    no key was stored as (``companion check`` reports the value)."""
    if isinstance(value, bytes):
        if len(value) != 16:
            raise ValueError("a key stored as bytes has 16 of them")
        h = value.hex()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
    return value


class Key(TypeDecorator[str]):
    """A row's key or a reference to one: ``str`` in Python, 16 bytes in SQLite.

    A UUID spelled as text takes 36 bytes in every row, in its table's key index and again in
    every link and index that refers to it; as a blob it takes 16 (revision 0010: a large
    diary is about 30 % smaller, and its save needs that much less memory). Everything above
    the database (services, the screens, exports and imports, the JSON format) sees the same
    text as before. The blob's bytes sort as the lowercase text does, so ``ORDER BY id`` is
    unchanged. Text that is not a canonical UUID is stored as text (:func:`key_to_db`), so no
    key can change on the way in or out.

    The declared column type stays ``VARCHAR(36)`` (TEXT affinity, which leaves blobs as they
    are): revision 0010 converts the values in place rather than rebuilding every table.
    Plain SQL on the driver connection sees the stored values: pass keys through
    :func:`key_to_db` and read them back through :func:`key_from_db`.
    """

    impl = String(36)
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | bytes | None:
        return None if value is None else key_to_db(value)

    def process_result_value(self, value: str | bytes | None, dialect: Dialect) -> str | None:
        return None if value is None else key_from_db(value)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Timestamped:
    """The key and the two timestamps every row carries."""

    id: Mapped[str] = mapped_column(Key(), primary_key=True, default=new_id)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Setting(Base):
    """A preference that belongs to the diary (it travels with the vault and the export)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
