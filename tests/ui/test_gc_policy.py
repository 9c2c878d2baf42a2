"""The garbage collector's policy: on the GUI thread only; a full collection waits for a quiet
moment (no input, no page building, no background work), but never for ever; what survives it
is frozen, and thawed again after a lock so that nothing of a locked diary lingers."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QWidget

from companion.ui import gc_policy, timers


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def policy(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    """A fresh policy state on a clock the test moves; full collections counted."""
    clock = Clock()
    monkeypatch.setattr(gc_policy, "_state", gc_policy._State())
    gc_policy._state.freezing = True  # as the app's timer does
    monkeypatch.setattr(gc_policy.time, "monotonic", clock)
    gc_policy._state.last_input = clock.now - 60
    yield clock
    gc.unfreeze()  # nothing of the test stays frozen


class FullCollections:
    """Counts the collector's full passes (``gc.callbacks``)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "stop" and info["generation"] == 2:
            self.count += 1


@pytest.fixture
def fulls() -> Iterator[FullCollections]:
    spy = FullCollections()
    gc.callbacks.append(spy)
    yield spy
    gc.callbacks.remove(spy)


def _full_due(monkeypatch: pytest.MonkeyPatch) -> None:
    """The counts say a full collection is next, and the heap has grown enough for it."""
    monkeypatch.setattr(gc_policy, "_young_collection", lambda: -1)
    monkeypatch.setattr(gc_policy, "_heap_grew", lambda: True)


def _tick(clock: Clock, seconds: float = gc_policy.INTERVAL_MS / 1000) -> None:
    clock.advance(seconds)
    gc_policy.tick()


def test_a_due_full_collection_waits_while_a_page_builds_then_runs_when_idle(
    qtbot, policy: Clock, fulls: FullCollections, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    steps = timers.in_steps(owner, [lambda: None] * 3)
    _full_due(monkeypatch)
    _tick(policy)
    _tick(policy)
    assert timers.running() and fulls.count == 0  # the page is still being built
    steps.finish_now()
    _tick(policy)
    assert fulls.count == 1


def test_a_due_young_collection_waits_while_a_page_builds_but_not_long(
    qtbot, policy: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page building in steps allocates tens of thousands of objects between two ticks:
    walking them waits until it is done, or at most YOUNG_MAX_WAIT_S."""
    young: list[int] = []
    monkeypatch.setattr(gc_policy, "_young_collection", lambda: young.append(1) or 0)
    monkeypatch.setattr(gc_policy.gc, "get_count", lambda: (10**6, 0, 0))  # due
    owner = QWidget()
    qtbot.addWidget(owner)
    steps = timers.in_steps(owner, [lambda: None] * 3)
    _tick(policy)
    _tick(policy)
    assert young == []  # the page is still being built
    steps.finish_now()
    _tick(policy)
    assert young == [1]
    steps = timers.in_steps(owner, [lambda: None] * 3)
    waited = 0.0
    while len(young) == 1:
        _tick(policy)
        waited += gc_policy.INTERVAL_MS / 1000
        assert waited <= gc_policy.YOUNG_MAX_WAIT_S + 0.5
    assert waited >= gc_policy.YOUNG_MAX_WAIT_S - 0.5 and timers.running()
    steps.finish_now()


def test_a_due_full_collection_waits_for_a_pause_in_typing(
    policy: Clock, fulls: FullCollections, monkeypatch: pytest.MonkeyPatch
) -> None:
    _full_due(monkeypatch)
    for _ in range(4):  # a key every 250 ms: never quiet
        gc_policy.note_input()
        _tick(policy)
    assert fulls.count == 0
    _tick(policy, gc_policy.QUIET_MS / 1000 + 0.01)  # a late tick: a long turn just ran
    assert fulls.count == 0
    _tick(policy)
    assert fulls.count == 1


def test_garbage_never_waits_longer_than_the_ceiling(
    policy: Clock, fulls: FullCollections, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone typing without a pause: the collection still runs after MAX_WAIT_S."""
    _full_due(monkeypatch)
    waited = 0.0
    while fulls.count == 0:
        gc_policy.note_input()
        _tick(policy)
        waited += gc_policy.INTERVAL_MS / 1000
        assert waited <= gc_policy.MAX_WAIT_S + 0.5
    assert waited >= gc_policy.MAX_WAIT_S - 0.5


def test_no_full_collection_until_the_heap_has_grown(
    policy: Clock, fulls: FullCollections, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gc_policy, "_young_collection", lambda: -1)
    monkeypatch.setattr(gc_policy, "_heap_grew", lambda: False)
    for _ in range(8):
        _tick(policy)
    assert fulls.count == 0
    monkeypatch.setattr(gc_policy, "_heap_grew", lambda: True)
    _tick(policy)
    assert fulls.count == 1


def test_the_heap_rule_follows_the_allocator() -> None:
    gc_policy._state.heap_after_full, saved = 10**12, gc_policy._state.heap_after_full
    try:
        assert not gc_policy._heap_grew()
        gc_policy._state.heap_after_full = 1
        assert gc_policy._heap_grew()
    finally:
        gc_policy._state.heap_after_full = saved


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_survivors_are_frozen_and_a_thaw_after_lock_collects_them(
    policy: Clock, fulls: FullCollections, monkeypatch: pytest.MonkeyPatch
) -> None:
    _full_due(monkeypatch)
    collected: list[int] = []

    class Watched(Cycle):
        def __del__(self) -> None:
            collected.append(1)

    survivor = Watched()
    _tick(policy)
    assert fulls.count == 1
    assert gc.is_tracked(survivor) and gc.get_freeze_count() > 0
    del survivor  # now garbage, but frozen: a full collection does not walk it
    monkeypatch.setattr(gc_policy, "_heap_grew", lambda: False)
    gc_policy.thaw()  # what the main window does once its lock's teardown is over
    _tick(policy)
    assert fulls.count == 2 and collected == [1]


def test_every_few_full_collections_thaw_what_earlier_ones_froze(
    policy: Clock, fulls: FullCollections, monkeypatch: pytest.MonkeyPatch
) -> None:
    _full_due(monkeypatch)
    collected: list[int] = []

    class Watched(Cycle):
        def __del__(self) -> None:
            collected.append(1)

    survivor = Watched()
    _tick(policy)
    del survivor
    for _ in range(gc_policy.THAW_EVERY):
        _tick(policy)
    assert collected == [1]


def test_tests_can_turn_freezing_off(qapp, policy: Clock, monkeypatch) -> None:
    gc_policy.install(qapp)  # as the app does
    assert gc_policy._state.freezing
    gc_policy.install(qapp, freeze=False)  # as the test suite does
    _full_due(monkeypatch)
    frozen = gc.get_freeze_count()
    _tick(policy)
    assert gc.get_freeze_count() <= frozen


def test_nothing_is_frozen_unless_the_app_installed_the_policy() -> None:
    """Tests that collect without the app's timer (``tests/conftest.py``) never freeze: an
    object frozen there would never be collected by a later ``gc.collect()``."""
    assert gc_policy._State().freezing is False


def test_never_on_a_worker_thread(policy: Clock) -> None:
    errors: list[BaseException] = []

    def work() -> None:
        for call in (gc_policy.collect_if_due, gc_policy.tick):
            try:
                call()
            except RuntimeError as exc:
                errors.append(exc)

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    assert len(errors) == 2
    assert not gc.isenabled()  # and no automatic collection anywhere


def test_a_complete_collection_after_a_lock_waits_for_a_longer_quiet_moment(
    policy: Clock, fulls: FullCollections, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a lock the whole heap is walked (start-up's frozen objects too: 70-110 ms): not
    between two keys of a passphrase typed again, but once nobody has typed for a while."""
    monkeypatch.setattr(gc_policy, "_heap_grew", lambda: False)
    gc_policy.thaw()
    _tick(policy)  # quiet for a minute: at once
    assert fulls.count == 1
    gc_policy.thaw()  # locked again
    gc_policy.note_input()
    quiet = 0.0
    while fulls.count == 1:  # ticks on time, nobody typing
        _tick(policy)
        quiet += gc_policy.INTERVAL_MS / 1000
        if quiet < gc_policy.THAW_QUIET_MS / 1000:
            assert fulls.count == 1  # quiet enough for a plain full collection, not this one
    assert quiet >= gc_policy.THAW_QUIET_MS / 1000 > gc_policy.QUIET_MS / 1000
    gc_policy.thaw()
    waited = 0.0
    while fulls.count == 2:  # a person who keeps typing: it waits, but not for ever
        gc_policy.note_input()
        _tick(policy, 1.0)
        waited += 1.0
        assert waited <= gc_policy.THAW_MAX_WAIT_S + 1
    assert waited >= gc_policy.THAW_MAX_WAIT_S - 1
