"""Everything a feature can contribute, in one place (no Qt).

A feature is a package ``companion.core.<feature>`` whose ``register(points)`` function declares
what it offers by calling the ``register_*`` methods below; ``companion.features.load()`` calls
it for each name in ``companion.features.FEATURES``, the same way for the GUI, the command line
and the tests. Nothing registers itself when imported. The widgets a feature adds (its page, its
Today card) are declared the same way in ``companion.ui.extension_points``.

Each declaration is a small frozen dataclass, so a test can read the whole registry and check it
(page ids unique, every link kind pointing at a page, every import format named once…).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from companion.core.demo import DemoPeriod
    from companion.core.mood.importing.engine import ImportOptions, Reader
    from companion.core.portable import ImportSummary
    from companion.core.reminders import ReminderSource
    from companion.core.reports.model import Period, Section
    from companion.core.settings import Option
    from companion.storage.database import Database


class DuplicateDeclarationError(ValueError):
    """Two features declared the same page id, import format, setting key…"""


@dataclass(frozen=True)
class PageDecl:
    """A sidebar page: its id (also the ``companion screenshot --page`` name and the
    ``companion:tool/<id>`` link), what the sidebar shows, and where."""

    id: str
    #: what the sidebar shows, marked with ``N_()``: the window translates it where shown
    title: str
    icon: str
    #: position in the sidebar, top first (Today 0, Settings 100)
    order: int
    #: other names that lead to this page (older CLI names, ``companion:tool/<alias>`` links)
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class LinkKind:
    """``companion:<kind>/<item>`` opens ``item`` on page ``page_id`` (e.g. article → learn)."""

    kind: str
    page_id: str


ImportRun = Callable[["Database", Path, "ImportOptions | None"], "ImportSummary"]


@dataclass(frozen=True)
class ImportFormat:
    """A file format ``companion import --format <name>`` and the import window accept.

    ``run`` is all or nothing: on any problem it raises ``ImportFileError`` and the diary is
    unchanged (unless the person chose to skip rows that cannot be read). Row formats (a
    diary app's CSV) also give their ``reader``, so the import window can preview them and ask
    the person's choices (mood names to numbers, skipping bad rows); ``None`` options mean the
    defaults.
    """

    name: str
    description: str
    run: ImportRun
    #: row formats: the reader the import window previews with (``mood.importing.Reader``)
    reader: Reader | None = None

    @property
    def takes_options(self) -> bool:
        """Whether ``--mood`` and ``--skip-bad-rows`` mean something for this format."""
        return self.reader is not None


@dataclass(frozen=True)
class DemoData:
    """Synthetic history for ``companion demo``; ``order`` decides who writes first (a
    feature whose demo refers to another's rows runs after it)."""

    name: str
    fill: Callable[[Session, DemoPeriod], None]
    order: int = 50


ReminderFactory = Callable[["Database"], "ReminderSource | None"]


@dataclass(frozen=True)
class ReminderSourceDecl:
    """A source of in-app reminders, built for each open diary (``None``: nothing to add)."""

    name: str
    make: ReminderFactory


@dataclass(frozen=True)
class ChartEvent:
    """One mark on a timeline chart: a medicine started, a dose changed, a score taken."""

    day: date
    label: str
    #: a short category the chart styles by, e.g. "start", "change", "stop", "score"
    kind: str
    #: for spans (a course of treatment): the last day, inclusive
    until: date | None = None


@dataclass(frozen=True)
class ChartOverlay:
    """Events a feature lets other features' charts show (medication changes over the mood
    chart and the check-up trends)."""

    id: str
    title: str
    events: Callable[[Database, date, date], list[ChartEvent]]


@dataclass(frozen=True)
class ScorePoint:
    """A questionnaire total on the day it was completed, for the treatment history
    ("PHQ-9 18 → 9 across the trial")."""

    instrument: str  # "PHQ-9"
    day: date
    score: float
    higher_is_worse: bool = True


@dataclass(frozen=True)
class ScoreSource:
    """Questionnaire totals a feature offers to other features (the treatment history)."""

    name: str
    scores: Callable[[Database], Sequence[ScorePoint]]


class SectionBuilder(Protocol):
    """Builds a feature's part of the summary from the diary: ``period`` is the person's
    local days chosen, ``now`` the moment the summary is made (aware, their clock)."""

    def __call__(self, db: Database, period: Period, now: datetime, /) -> Section: ...


class RecordsBuilder(Protocol):
    """The plain records behind a section (``companion.core.reports.records``: check-ins,
    questionnaire answers, medicine courses) for the exports that map records one by one
    (FHIR); a renderer takes the record types it knows and leaves the rest. Words the person
    wrote (a check-in's note) are filled only when ``include_notes`` is set."""

    def __call__(
        self, db: Database, period: Period, now: datetime, include_notes: bool, /
    ) -> Sequence[object]: ...


@dataclass(frozen=True)
class ExportSection:
    """A part of the clinician summary and the exports that a feature contributes.

    ``title`` and ``about`` are marked with ``N_`` and translated where shown (the Reports
    page lists them before anything is built). ``default``: ticked when the Reports page
    opens; the person's own words (``private_text``) and other sensitive parts are not.
    """

    id: str
    title: str
    order: int
    build: SectionBuilder
    #: one sentence: what the section holds (the Reports page shows it beside the box)
    about: str = ""
    #: True when the section holds words the person wrote (left out unless they opt in)
    private_text: bool = False
    #: ticked by default on the Reports page and in ``companion export``
    default: bool = True
    #: the records behind the section, for the FHIR bundle (None: nothing to map)
    records: RecordsBuilder | None = None


class Registry:
    """What the loaded features declared. Built by ``companion.features.load()``."""

    def __init__(self) -> None:
        self._features: list[str] = []
        self._pages: dict[str, PageDecl] = {}
        self._links: dict[str, LinkKind] = {}
        self._imports: dict[str, ImportFormat] = {}
        self._demo: dict[str, DemoData] = {}
        self._reminders: dict[str, ReminderSourceDecl] = {}
        #: reminder source → the feature that declared it (whose data its action changes)
        self._reminder_features: dict[str, str] = {}
        self._overlays: dict[str, ChartOverlay] = {}
        self._scores: dict[str, ScoreSource] = {}
        self._sections: dict[str, ExportSection] = {}
        self._settings: dict[str, Option[Any]] = {}

    @staticmethod
    def _add(table: dict[str, Any], key: str, value: object, what: str) -> None:
        if key in table:
            raise DuplicateDeclarationError(f"{what} {key!r} is declared twice")
        table[key] = value

    # -- declarations ------------------------------------------------------------------------

    def begin_feature(self, name: str) -> None:
        self._add({f: None for f in self._features}, name, None, "feature")
        self._features.append(name)

    def register_page(self, page: PageDecl) -> None:
        """A page in the sidebar; the UI side gives its widget with the same id."""
        for key in (page.id, *page.aliases):
            if key in self._pages or any(key in p.aliases for p in self._pages.values()):
                raise DuplicateDeclarationError(f"page {key!r} is declared twice")
        self._pages[page.id] = page

    def register_link_kind(self, link: LinkKind) -> None:
        """``companion:<kind>/<item>`` links (in articles, reminders…) open on this page."""
        self._add(self._links, link.kind, link, "link kind")

    def register_import_format(self, fmt: ImportFormat) -> None:
        """A file format for ``companion import`` and the import window (all or nothing
        unless the person chose to skip bad rows)."""
        self._add(self._imports, fmt.name, fmt, "import format")

    def register_demo_data(self, demo: DemoData) -> None:
        """Synthetic history written by ``companion demo``."""
        self._add(self._demo, demo.name, demo, "demo data")

    def register_reminder_source(self, source: ReminderSourceDecl) -> None:
        """In-app reminders (a dose, a check-in, a questionnaire that is due)."""
        self._add(self._reminders, source.name, source, "reminder source")
        self._reminder_features[source.name] = self._features[-1] if self._features else ""

    def register_chart_overlay(self, overlay: ChartOverlay) -> None:
        """Events other features' charts may draw (e.g. medication changes)."""
        self._add(self._overlays, overlay.id, overlay, "chart overlay")

    def register_score_source(self, source: ScoreSource) -> None:
        """Questionnaire totals the treatment history shows across each trial."""
        self._add(self._scores, source.name, source, "score source")

    def register_export_section(self, section: ExportSection) -> None:
        """A section of the clinician summary and the exports."""
        self._add(self._sections, section.id, section, "export section")

    def register_setting(self, option: Option[Any]) -> None:
        """A setting (in the diary, or on this computer) with its type, default and checks."""
        self._add(self._settings, option.key, option, "setting")

    # -- reading -------------------------------------------------------------------------------

    @property
    def features(self) -> tuple[str, ...]:
        return tuple(self._features)

    def pages(self) -> list[PageDecl]:
        return sorted(self._pages.values(), key=lambda p: (p.order, p.id))

    def page(self, name: str) -> PageDecl | None:
        """The page called ``name`` or one of its aliases."""
        if name in self._pages:
            return self._pages[name]
        return next((p for p in self._pages.values() if name in p.aliases), None)

    def link_kinds(self) -> dict[str, LinkKind]:
        return dict(self._links)

    def import_formats(self) -> dict[str, ImportFormat]:
        return dict(sorted(self._imports.items()))

    def demo_data(self) -> list[DemoData]:
        return sorted(self._demo.values(), key=lambda d: (d.order, d.name))

    def reminder_sources(self) -> list[ReminderSourceDecl]:
        return list(self._reminders.values())

    def reminder_feature(self, source: str) -> str:
        """The feature that declared reminder source ``source`` ("" if none did)."""
        return self._reminder_features.get(source, "")

    def chart_overlays(self) -> list[ChartOverlay]:
        return list(self._overlays.values())

    def score_sources(self) -> list[ScoreSource]:
        return list(self._scores.values())

    def export_sections(self) -> list[ExportSection]:
        return sorted(self._sections.values(), key=lambda s: (s.order, s.id))

    def settings(self) -> dict[str, Option[Any]]:
        return dict(self._settings)

    def link_targets(self) -> Iterator[str]:
        """Every ``companion:`` prefix that leads somewhere: ``tool/<page>`` and ``<kind>/``."""
        for page in self._pages.values():
            yield f"tool/{page.id}"
            for alias in page.aliases:
                yield f"tool/{alias}"
        for kind in self._links:
            yield f"{kind}/"
