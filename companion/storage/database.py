"""SQLAlchemy over an in-memory SQLite image that the vault seals.

The database never touches the disk: it is deserialized from the decrypted image at unlock,
and after every commit the whole image is serialized and handed to a saver (the vault).
Research §5.5: pragmas re-applied after deserialize, ``hide_parameters=True`` so no error
message can carry diary text, and a structure check before use (:data:`Check`).

Saving in the background (the app; the CLI saves synchronously): the committing thread only
takes the snapshot (``serialize()``, 1-3.5 ms at ten years) and hands the bytes to one writer
thread, which seals and writes them; the app has the GUI thread take it a moment after the
commit, in a turn of its own (``hand_later`` of :meth:`Database.save_in_background`). The
writer never touches the connection or a session, only the bytes it was given. At most one
image waits: a newer one replaces it, so a burst of commits is written once (twice if a write
was already running). A commit made while nothing is being written is written at once; one made
during a write (a spin box held down, a person typing fast) is written once the commits pause
for :data:`BURST_QUIET_S`, or after :data:`BURST_MAX_WAIT_S` at the latest, so a long burst is
a write every quarter of a second rather than one per commit (unless someone waits for it:
:meth:`Database.flush`). A failed write is reported (``on_failed``) with the change still in
memory; the next save, or :meth:`flush`, writes it. Anything that must see the file as it is
now (lock, a key change, a restore, a copy) calls :meth:`Database.flush` first.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any, Literal

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

#: After a write, while commits keep coming, wait until they pause this long (seconds)…
BURST_QUIET_S = 0.05
#: …but never longer than this before writing the newest one.
BURST_MAX_WAIT_S = 0.25

#: How an image is checked when it is opened:
#:
#: - ``"full"``: ``PRAGMA integrity_check``, which also proves every index matches its table
#:   (and UNIQUE holds). For images that come from outside this session's own saves: a backup
#:   being restored or recovered, a file checked on request (``companion check``).
#: - ``"quick"``: ``PRAGMA quick_check``, the same structure checks without the index-to-table
#:   comparison (about 2.5× faster: 10 against 26 ms at ten years). Enough at unlock: the image
#:   is authenticated by AES-GCM, so it is byte for byte what a session of Companion serialized
#:   from a database that was itself checked; only an SQLite bug could break an index there.
#: - ``"opens"``: only that it is an SQLite database (its schema is read), for a copy of the
#:   live database taken a moment ago in this process (the read snapshots of background work):
#:   it holds nothing the live database does not.
Check = Literal["full", "quick", "opens"]


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

    def __init__(
        self,
        image: bytes | bytearray | None = None,
        saver: Saver | None = None,
        *,
        check: Check = "full",
    ) -> None:
        self._conn = sqlite3.connect(":memory:", check_same_thread=False)
        if image:
            try:
                self._conn.deserialize(image)
            except sqlite3.DatabaseError as exc:
                self._conn.close()
                raise _damaged_inside() from exc
        _apply_pragmas(self._conn)
        if image:
            self._check_integrity(check)
        self._saver = saver
        #: images swapped in whole (``replace_image``): part of :attr:`version`
        self._replaced = 0
        # One SQLite connection serves every thread (the GUI and background work), so whoever
        # uses it holds this lock: a session from checkout to checkin, a save, a close.
        self._lock = threading.RLock()
        self._suspended = 0
        self._saved_changes = self._conn.total_changes
        #: the background writer, when saves are made in the background
        self._writer: _Writer | None = None
        #: the change count of the last image handed to the writer
        self._handed_changes = self._saved_changes
        #: ``hand_later`` of :meth:`save_in_background`, and the thread it serves
        self._hand_later: Callable[[Callable[[], None]], object] | None = None
        self._hand_later_thread: int | None = None
        #: a later hand-over has been asked for and has not run yet
        self._hand_due = False
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

    def _check_integrity(self, check: Check = "full") -> None:
        pragma = {
            "full": "PRAGMA integrity_check",
            "quick": "PRAGMA quick_check",
            "opens": "SELECT 'ok' WHERE (SELECT count(*) FROM sqlite_master) >= 0",
        }[check]
        try:
            rows = self._conn.execute(pragma).fetchall()
        except sqlite3.DatabaseError as exc:
            raise _damaged_inside() from exc
        if rows != [("ok",)]:
            raise _damaged_inside()

    # -- saving ---------------------------------------------------------------------------

    def _committed(self) -> None:
        if self._suspended:
            return
        later = self._hand_later
        if (
            later is not None
            and self._writer is not None
            and threading.get_ident() == self._hand_later_thread
        ):
            if not self._hand_due:  # commits before it runs share its snapshot
                self._hand_due = True
                later(self._hand_over)
            return
        self.save()

    def _hand_over(self) -> None:
        """The snapshot of a commit, taken after it (``hand_later``); nothing if the
        database was closed meanwhile or a flush already saved the change."""
        self._hand_due = False
        self.save()

    def save(self, *, force: bool = False) -> None:
        """Serialize the image and give it to the saver (the vault), one save at a time; in
        the background when :meth:`save_in_background` is on (then it returns at once).

        A commit that changed nothing (a read-only session) does not rewrite the file.
        """
        saver = self._saver
        if saver is None:
            return
        with self._lock:
            changes = self._conn.total_changes
            writer = self._writer
            if writer is None:
                if not force and changes == self._saved_changes:
                    return
                saver(self.serialize())
                self._saved_changes = changes
                return
            if not force and changes == self._handed_changes and not writer.failed:
                return
            writer.hand(saver, self.serialize(), changes)
            self._handed_changes = changes

    def save_in_background(
        self,
        on_failed: Callable[[BaseException], None] | None,
        hand_later: Callable[[Callable[[], None]], object] | None = None,
    ) -> None:
        """From now on, saves are sealed and written by a writer thread (see the module's
        docstring). ``on_failed(error)`` is called *on the writer thread* when a write fails
        and no newer one is waiting to be tried; the change stays in memory.

        ``hand_later(call)``, if given, must call ``call()`` a moment later on the thread
        that calls this (the app: a timer on the GUI thread). A commit made on that thread
        then takes its snapshot there and then rather than in the commit's own turn (the
        click that saved: milliseconds at ten years, as much as the commit itself), and the
        commits made before it share one snapshot. Until it runs, :meth:`flush` (lock, a key
        change, a copy…) saves the change itself. Commits on other threads hand theirs over
        at once."""
        with self._lock:
            if self._writer is None:
                self._writer = _Writer(self, on_failed)
            else:
                self._writer.on_failed = on_failed
            self._hand_later = hand_later
            self._hand_later_thread = threading.get_ident() if hand_later else None

    def stop_background_saves(self) -> None:
        """Write what is pending (see :meth:`flush`), then save synchronously again."""
        with self._lock:
            self.flush()
            writer, self._writer = self._writer, None
            self._hand_later = self._hand_later_thread = None
        if writer is not None:
            writer.stop()

    @property
    def writes_pending(self) -> bool:
        """True while the writer has an image waiting or being written."""
        writer = self._writer
        return writer is not None and writer.busy

    def wait_for_writes(self) -> None:
        """Wait until the background writer is idle (whatever the outcome); no error. A
        commit whose snapshot was to be taken later (``hand_later``) is handed over first."""
        if self._hand_due:
            self.save()
        writer = self._writer
        if writer is not None:
            writer.wait_idle()

    def flush(self) -> None:
        """Make sure the diary as it is now is on disk before going on.

        Waits for the background write, then, if the newest change is not written (the
        writer failed, or it was never handed over), saves it here and now. Raises what a
        save raises (``VaultError`` on a full disk…), with the change still in memory.
        """
        if self._saver is None:
            return
        with self._lock:  # nothing new can be handed over meanwhile
            writer = self._writer
            if writer is not None:
                writer.wait_idle()
            changes = self._conn.total_changes
            if changes == self._saved_changes:
                return
            self._saver(self.serialize())
            self._saved_changes = self._handed_changes = changes
            if writer is not None:
                writer.clear_failure()

    def _written(self, changes: int) -> None:
        """The writer wrote the image of ``changes`` (called on the writer thread)."""
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

    def replace_image(self, image: bytes | bytearray) -> None:
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
            self._saved_changes = self._handed_changes = self._conn.total_changes
            self._replaced += 1

    @property
    def version(self) -> tuple[int, int]:
        """Changes with every row written (committed or not) and every image swapped in: a
        view that read the diary at one version shows it as it is while this is unchanged."""
        return self._replaced, self._conn.total_changes

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
        """Drop the engine and the connection so the plaintext can be collected.

        Nothing more is saved: an image still waiting for the writer is dropped (a write
        already running finishes first). Call :meth:`flush` before to keep it."""
        with self._lock:
            writer, self._writer = self._writer, None
            if writer is not None:
                writer.stop(discard=True)
            self.engine.dispose()
            self._conn.close()
            self._saver = None


def _without_tracebacks(exc: BaseException) -> BaseException:
    """``exc`` with the tracebacks of its whole chain dropped: their frames hold locals (the
    plaintext image the save was given), which must not outlive the save."""
    seen: set[int] = set()
    link: BaseException | None = exc
    while link is not None and id(link) not in seen:
        seen.add(id(link))
        link.__traceback__ = None
        link = link.__cause__ or link.__context__
    return exc


class _Writer:
    """The one thread that seals and writes background saves (see the module docstring).

    It is handed ``(saver, image, changes)`` and touches nothing else: not the connection, not
    a session, not a Qt object. Its state is guarded by one condition variable.
    """

    def __init__(self, db: Database, on_failed: Callable[[BaseException], None] | None) -> None:
        self._db = db
        self.on_failed = on_failed
        self._cond = threading.Condition()
        self._pending: tuple[Saver, bytes, int] | None = None
        self._writing = False
        self._stopping = False
        #: the waiting image was handed over while a write ran: part of a burst
        self._burst = False
        #: threads waiting for the writer (flush, lock): no pause before the next write
        self._waiting = 0
        self._last_hand = 0.0
        #: the last write failed and nothing newer has been written since
        self.failed = False
        #: writes done (or tried) so far: tests and the bench count them
        self.writes = 0
        self._thread = threading.Thread(target=self._run, name="companion-saver", daemon=True)
        self._thread.start()

    @property
    def busy(self) -> bool:
        with self._cond:
            return self._writing or self._pending is not None

    def hand(self, saver: Saver, image: bytes, changes: int) -> None:
        """Queue ``image`` to be written, replacing one still waiting (it is older)."""
        with self._cond:
            if self._stopping:
                raise RuntimeError("the diary's writer has stopped")
            self._pending = (saver, image, changes)
            self._burst = self._burst or self._writing
            self._last_hand = time.monotonic()
            self._cond.notify_all()

    def clear_failure(self) -> None:
        with self._cond:
            self.failed = False

    def wait_idle(self) -> None:
        with self._cond:
            self._waiting += 1
            self._cond.notify_all()
            try:
                while self._writing or self._pending is not None:
                    self._cond.wait()
            finally:
                self._waiting -= 1

    def stop(self, *, discard: bool = False) -> None:
        """End the thread: after the pending write, or dropping it with ``discard``."""
        with self._cond:
            if discard:
                self._pending = None
            self._stopping = True
            self._cond.notify_all()
        if self._thread is not threading.current_thread():
            self._thread.join()

    def _let_the_burst_pause(self) -> None:
        """(Holding the condition.) Wait until no image has been handed over for
        BURST_QUIET_S, at most BURST_MAX_WAIT_S, unless someone is waiting for the writer."""
        deadline = time.monotonic() + BURST_MAX_WAIT_S
        while not (self._waiting or self._stopping):
            wake = min(self._last_hand + BURST_QUIET_S, deadline)
            left = wake - time.monotonic()
            if left <= 0:
                return
            self._cond.wait(left)

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._pending is None and not self._stopping:
                    self._cond.wait()
                if self._pending is None:
                    return
                if self._burst:
                    self._let_the_burst_pause()
                saver, image, changes = self._pending
                self._pending = None
                self._burst = False
                self._writing = True
            error: BaseException | None = None
            try:
                saver(image)
            except BaseException as exc:  # reported to the person, never printed
                error = _without_tracebacks(exc)
            del saver, image
            with self._cond:
                self._writing = False
                self.writes += 1
                if error is None:
                    self.failed = False
                    self._db._written(changes)
                else:
                    self.failed = True
                # A newer image waiting will be tried at once: report only if none is.
                report = error is not None and self._pending is None
                self._cond.notify_all()
            callback = self.on_failed
            if report and callback is not None:
                with suppress(Exception):  # a closed window must not kill the writer
                    callback(error)  # type: ignore[arg-type]
            error = None
