"""One typed registry for every setting, in the diary and on this computer.

Picard's option registry is the model: each setting is an :class:`Option` with a key, a default,
a label and a ``check`` that turns a stored value into a valid one (raising ``ValidationError``
with a human message for a value a person typed). A feature declares its options in its
``register(points)`` (``Registry.register_setting``); nothing else reads or writes a setting
row: a test fails if any module but this one constructs a ``Setting`` or writes ``device.json``.

Two stores:

- **diary** settings live in the vault's ``settings`` table, so they travel with the diary
  (reminder times, the reader's text size, auto-lock…);
- **device** settings live in ``device.json`` beside the vault (theme, text size, reduce motion,
  the country for Get help now): needed before unlock, never diary content, never secret.

Both carry a version; :data:`UPGRADES` lists the steps from one version to the next (rename a
key, convert a value). They run when a diary is unlocked or the device file is read, so an
older diary or file comes up to date without losing a setting.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final, Generic, Literal, TypeVar

from companion.core.errors import ValidationError
from companion.i18n import N_, _

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from companion.storage.database import Database

# The database layer (SQLAlchemy, about 0.6 s to import) is imported by the functions that use
# it, not here: this-computer settings (``device_settings``) read the options at launch, before
# the unlock window is painted, and need none of it.

T = TypeVar("T")
Scope = Literal["diary", "device"]

#: the settings table's own version row (not an option)
VERSION_KEY: Final = "settings.version"


class Option(Generic[T]):
    """A setting: where it lives, its default, and how a value is checked.

    A plain class rather than a frozen dataclass: the launch reads this computer's options
    before the unlock window is painted, and making the dataclasses (and importing
    ``dataclasses``) cost it about 2 ms. The attributes are read-only to the type checker."""

    __slots__ = ("check", "default", "encode", "key", "label", "scope")

    def __init__(
        self,
        key: str,
        default: T,
        label: str,
        check: Callable[[Any], T],
        scope: Scope = "diary",
        encode: Callable[[T], Any] | None = None,
    ) -> None:
        self.key: Final = key
        self.default: Final = default
        #: the words a person sees for it (also in error messages), marked with ``N_()`` and
        #: translated where shown
        self.label: Final = label
        #: turns a stored or typed value into a valid one, or raises ValidationError
        self.check: Final = check
        self.scope: Final = scope
        #: how a checked value is stored as JSON (a dataclass becomes a dict); None: as it is
        self.encode: Final = encode

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.key!r}, scope={self.scope!r})"

    def to_json(self, value: T) -> Any:
        return value if self.encode is None else self.encode(value)

    def clean(self, raw: object) -> T:
        """A stored value made valid; the default when it cannot be (a damaged or old value
        never stops the app)."""
        try:
            return self.check(raw)
        except (ValidationError, ValueError, TypeError, KeyError):
            return self.default


class IntOption(Option[int]):
    """A whole number in a range (a spin box shows the range)."""

    __slots__ = ("maximum", "minimum")

    def __init__(
        self,
        key: str,
        default: int,
        label: str,
        check: Callable[[Any], int],
        scope: Scope = "diary",
        encode: Callable[[int], Any] | None = None,
        minimum: int = 0,
        maximum: int = 0,
    ) -> None:
        super().__init__(key, default, label, check, scope, encode)
        self.minimum: Final = minimum
        self.maximum: Final = maximum


def int_option(
    key: str, default: int, minimum: int, maximum: int, label: str, *, scope: Scope = "diary"
) -> IntOption:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(_("{label} must be a whole number.").format(label=_(label)))
        if not minimum <= value <= maximum:
            raise ValidationError(
                _("{label} must be between {minimum} and {maximum}.").format(
                    label=_(label), minimum=minimum, maximum=maximum
                )
            )
        return value

    return IntOption(key, default, label, check, scope, None, minimum, maximum)


def bool_option(key: str, default: bool, label: str, *, scope: Scope = "diary") -> Option[bool]:
    def check(value: Any) -> bool:
        if not isinstance(value, bool):
            raise ValidationError(_("{label} must be yes or no.").format(label=_(label)))
        return value

    return Option(key, default, label, check, scope)


# -- upgrades ------------------------------------------------------------------------------

#: The version the stores are written at. Add an upgrade step (below) with each bump.
DIARY_VERSION: Final = 1
DEVICE_VERSION: Final = 1

Upgrade = Callable[[dict[str, Any]], dict[str, Any]]
#: (scope, version it produces, step): each step takes the stored values at version - 1
UPGRADES: tuple[tuple[Scope, int, Upgrade], ...] = ()


def upgrade(scope: Scope, values: dict[str, Any], version: int) -> tuple[dict[str, Any], int]:
    """Run the steps after ``version`` in order; the values and the version reached."""
    target = DIARY_VERSION if scope == "diary" else DEVICE_VERSION
    for step_scope, produces, step in UPGRADES:
        if step_scope == scope and version < produces <= target:
            values = step(dict(values))
            version = produces
    return values, max(version, target)


# -- the diary store ---------------------------------------------------------------------------


def read(session: Session, option: Option[T]) -> T:
    """The option's value inside an open session."""
    from companion.core.models import Setting

    _require(option, "diary")
    row = session.get(Setting, option.key)
    if row is None:
        return option.default
    try:
        return option.clean(json.loads(row.value))
    except ValueError:
        return option.default


def write(session: Session, option: Option[T], value: object) -> T:
    """Check and store a value inside an open session (committed with it)."""
    from companion.core.models import Setting

    _require(option, "diary")
    checked = option.check(value)
    text = json.dumps(option.to_json(checked), sort_keys=True)
    row = session.get(Setting, option.key)
    if row is None:
        session.add(Setting(key=option.key, value=text))
    elif row.value != text:
        row.value = text
    return checked


def is_set(session: Session, option: Option[Any]) -> bool:
    """Whether a value was ever stored (e.g. "default tags already seeded")."""
    from companion.core.models import Setting

    return session.get(Setting, option.key) is not None


class SettingsService:
    """The diary's settings: read and write them through their options."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, option: Option[T]) -> T:
        with self._db.sessions() as session:
            return read(session, option)

    def set(self, option: Option[T], value: object) -> T:
        with self._db.session() as session:
            return write(session, option, value)

    def all(self, options: Iterable[Option[Any]] | None = None) -> dict[str, Any]:
        """Every diary setting's value (by default every feature's options)."""
        if options is None:
            from companion import features

            options = features.load().settings().values()
        with self._db.sessions() as session:
            return {o.key: read(session, o) for o in options if o.scope == "diary"}

    def upgrade(self) -> bool:
        """Bring stored settings up to :data:`DIARY_VERSION`; True when anything changed."""
        from sqlalchemy import select

        from companion.core.models import Setting

        with self._db.session() as session:
            row = session.get(Setting, VERSION_KEY)
            version = int(row.value) if row is not None and row.value.isdigit() else 0
            if not any(sc == "diary" and version < v <= DIARY_VERSION for sc, v, _ in UPGRADES):
                return False  # nothing to do: write nothing (a read-only diary stays so)
            rows = {r.key: r for r in session.scalars(select(Setting)) if r.key != VERSION_KEY}
            values = {}
            for key, r in rows.items():
                try:
                    values[key] = json.loads(r.value)
                except ValueError:
                    values[key] = r.value
            upgraded, reached = upgrade("diary", values, version)
            for key in set(rows) - set(upgraded):
                session.delete(rows[key])
            for key, value in upgraded.items():
                if key not in rows:
                    session.add(Setting(key=key, value=json.dumps(value, sort_keys=True)))
                elif values[key] != value:
                    rows[key].value = json.dumps(value, sort_keys=True)
            if row is None:
                session.add(Setting(key=VERSION_KEY, value=str(reached)))
            else:
                row.value = str(reached)
        return True


# -- the device store ---------------------------------------------------------------------------


def device_values(raw: Mapping[str, Any], options: Iterable[Option[Any]]) -> dict[str, Any]:
    """The device file's values made valid: upgraded, unknown keys dropped, bad values reset."""
    values = {k: v for k, v in raw.items() if k != "version"}
    version = raw.get("version", 0)
    version = version if isinstance(version, int) and not isinstance(version, bool) else 0
    values, _ = upgrade("device", values, version)
    return {o.key: o.clean(values[o.key]) if o.key in values else o.default for o in options}


def device_document(values: Mapping[str, Any]) -> dict[str, Any]:
    """What ``device.json`` holds: the version, then the values."""
    return {"version": DEVICE_VERSION, **values}


def _require(option: Option[Any], scope: Scope) -> None:
    if option.scope != scope:
        raise ValueError(f"the setting {option.key!r} is not stored in the {scope}")


# -- the app's own settings -------------------------------------------------------------------

AUTO_LOCK_MINUTES: Final = int_option(
    "auto_lock_minutes", 5, 1, 240, N_("Lock after (minutes idle)")
)
