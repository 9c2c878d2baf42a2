"""A Today card built in parts, each in an event-loop turn of its own (``TodayPage``): the card
without its data, then what it shows read from the diary (a read or two), then that drawn.
Together they were one turn of 11-13 ms per card (the reads 6-9 ms of it), too long for the
GUI thread."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from companion.core.session import OpenDiary

T = TypeVar("T")


def reads_then_draw(
    diary: OpenDiary,
    reads: Sequence[Callable[[], object]],
    draw: Callable[[], object],
    refresh: Callable[[], object],
) -> list[Callable[[], object]]:
    """A card's refresh as parts: each of ``reads`` (what it shows, from the diary; each keeps
    its result where ``draw`` finds it), then ``draw``. When the diary changed since the first
    read (its version moved: a change a listener may already have drawn), the last part is a
    whole ``refresh`` instead: nothing read before a change is drawn after it."""
    versions: list[object] = []

    def reading(read: Callable[[], object]) -> Callable[[], object]:
        def part() -> None:
            versions.append(diary.version)
            read()

        return part

    def drawing() -> None:
        if any(version != diary.version for version in versions):
            refresh()
        else:
            draw()

    return [*(reading(read) for read in reads), drawing]


def read_then_draw(
    diary: OpenDiary,
    read: Callable[[], T],
    draw: Callable[[T], object],
    refresh: Callable[[], object],
) -> list[Callable[[], object]]:
    """:func:`reads_then_draw` with one read, whose result ``draw`` takes."""
    held: list[T] = []
    return reads_then_draw(diary, [lambda: held.append(read())], lambda: draw(held.pop()), refresh)
