"""SQLAlchemy over an in-memory SQLite image that the vault seals.

The database never touches the disk: it is deserialized from the decrypted image at unlock,
and after every commit the whole image is serialized and handed to a saver (the vault).
Research §5.5: pragmas re-applied after deserialize, ``hide_parameters=True`` so no error
message can carry diary text, and ``integrity_check`` before use.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from companion.i18n import _
from companion.storage.errors import CorruptVaultError

PRAGMAS = (
    "PRAGMA temp_store=MEMORY",
    "PRAGMA secure_delete=ON",
    "PRAGMA foreign_keys=ON",
    "PRAGMA trusted_schema=OFF",
    "PRAGMA cell_size_check=ON",
)

Saver = Callable[[bytes], None]


def _damaged_inside() -> CorruptVaultError:
    return CorruptVaultError(_("The diary file opened, but the data inside is damaged."))


def _apply_pragmas(conn: sqlite3.Connection) -> None:
    for pragma in PRAGMAS:
        conn.execute(pragma)


class _SavingSession(Session):
    """Saves the image once a commit has fully finished.

    Saving inside an ``after_commit`` hook would leave the session half-finished if the save
    fails (a full disk); here the commit is complete, and a failed save simply propagates to
    the caller with the change kept in memory for the next save.
    """

    def commit(self) -> None:
        super().commit()
        database = self.info.get("database")
        if isinstance(database, Database):
            database._committed()


class Database:
    """One in-memory SQLite connection, an engine over it, and save-after-commit."""

    def __init__(self, image: bytes | None = None, saver: Saver | None = None) -> None:
        self._conn = sqlite3.connect(":memory:", check_same_thread=False)
        if image:
            try:
                self._conn.deserialize(image)
            except sqlite3.DatabaseError as exc:
                self._conn.close()
                raise _damaged_inside() from exc
        _apply_pragmas(self._conn)
        self._check_integrity()
        self._saver = saver
        # One SQLite connection serves every thread (the GUI and background work), so whoever
        # uses it holds this lock: a session from checkout to checkin, a save, a close.
        self._lock = threading.RLock()
        self._suspended = 0
        self._saved_changes = self._conn.total_changes
        conn = self._conn
        self.engine: Engine = create_engine(
            "sqlite://",
            creator=lambda: conn,
            poolclass=StaticPool,
            # Returning the shared connection must never roll back another session's work.
            pool_reset_on_return=None,
            hide_parameters=True,
        )
        self._factory: sessionmaker[Session] = sessionmaker(
            self.engine, class_=_SavingSession, expire_on_commit=False, info={"database": self}
        )

    def _check_integrity(self) -> None:
        try:
            rows = self._conn.execute("PRAGMA integrity_check").fetchall()
        except sqlite3.DatabaseError as exc:
            raise _damaged_inside() from exc
        if rows != [("ok",)]:
            raise _damaged_inside()

    # -- saving ---------------------------------------------------------------------------

    def _committed(self) -> None:
        if not self._suspended:
            self.save()

    def save(self, *, force: bool = False) -> None:
        """Serialize the image and give it to the saver (the vault), one save at a time.

        A commit that changed nothing (a read-only session) does not rewrite the file.
        """
        if self._saver is None:
            return
        with self._lock:
            changes = self._conn.total_changes
            if not force and changes == self._saved_changes:
                return
            self._saver(self.serialize())
            self._saved_changes = changes

    @contextmanager
    def saves_suspended(self) -> Iterator[None]:
        """Group several commits (an import, migrations) into one save at the end."""
        self._suspended += 1
        try:
            yield
        finally:
            self._suspended -= 1
        if not self._suspended:
            self.save()

    def serialize(self) -> bytes:
        with self._lock:
            return self._conn.serialize()

    def set_saver(self, saver: Saver | None) -> None:
        self._saver = saver

    def replace_image(self, image: bytes) -> None:
        """Swap the whole content for ``image`` inside this same connection (restoring a
        backup), so everything holding this Database or its engine stays bound to it.

        The image is checked in a scratch connection first: on a bad image nothing changes.
        """
        probe = Database(image)  # deserialize + pragmas + integrity_check, or CorruptVaultError
        probe.close()
        with self._lock:  # no session is open while we hold it
            try:
                self._conn.deserialize(image)
            except sqlite3.DatabaseError as exc:
                raise _damaged_inside() from exc
            _apply_pragmas(self._conn)
            self._saved_changes = self._conn.total_changes

    # -- use ------------------------------------------------------------------------------

    @contextmanager
    def sessions(self) -> Iterator[Session]:
        """A session for reading (or committing yourself). It holds the database for its
        whole life: the GUI thread and background work take turns, never interleave."""
        with self._lock, self._factory() as session:
            yield session

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A Core connection, holding the database like ``sessions()`` does."""
        with self._lock, self.engine.connect() as connection:
            yield connection

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on error (then re-raises)."""
        with self.sessions() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def scalar(self, sql: str, *params: Any) -> Any:
        with self._lock:
            row = self._conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    @property
    def raw_connection(self) -> sqlite3.Connection:
        return self._conn

    def close(self) -> None:
        """Drop the engine and the connection so the plaintext can be collected."""
        with self._lock:
            self.engine.dispose()
            self._conn.close()
            self._saver = None
