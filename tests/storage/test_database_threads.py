"""One SQLite connection, many threads: sessions take turns, nothing interleaves or crashes."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from companion.core.models import Base, Setting
from companion.storage import migrations
from companion.storage.database import Database


def test_concurrent_sessions_and_saves_take_turns() -> None:
    db = Database()
    migrations.upgrade(db.engine, Base.metadata)
    saves: list[int] = []
    db.set_saver(lambda image: saves.append(len(image)))
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(40):
                with db.session() as s:
                    s.add(Setting(key=f"w{n}-{i}", value=str(i)))
                with db.sessions() as s:
                    s.scalar(select(func.count()).select_from(Setting))
                db.serialize()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Setting)) == 160
    assert len(saves) == 160
    db.close()


def test_close_waits_for_a_session_in_another_thread() -> None:
    db = Database()
    migrations.upgrade(db.engine, Base.metadata)
    inside = threading.Event()
    release = threading.Event()
    done: list[str] = []

    def reader() -> None:
        with db.sessions() as s:
            s.scalar(select(func.count()).select_from(Setting))
            inside.set()
            release.wait(5)
            s.scalar(select(func.count()).select_from(Setting))
        done.append("read")

    t = threading.Thread(target=reader)
    t.start()
    inside.wait(5)
    closer = threading.Thread(target=db.close)
    closer.start()
    closer.join(0.2)
    assert closer.is_alive(), "close must wait until the other thread's session ends"
    release.set()
    t.join()
    closer.join()
    assert done == ["read"]
