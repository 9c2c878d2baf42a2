"""A typed registry of the diary's own settings, stored in the vault's ``settings`` table."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from companion.core.errors import ValidationError
from companion.core.models import Setting
from companion.storage.database import Database


@dataclass(frozen=True)
class IntOption:
    key: str
    default: int
    minimum: int
    maximum: int
    label: str

    def check(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(f"{self.label} must be a whole number.")
        if not self.minimum <= value <= self.maximum:
            raise ValidationError(
                f"{self.label} must be between {self.minimum} and {self.maximum}."
            )
        return value


AUTO_LOCK_MINUTES = IntOption("auto_lock_minutes", 5, 1, 240, "Lock after (minutes idle)")

OPTIONS: dict[str, IntOption] = {opt.key: opt for opt in (AUTO_LOCK_MINUTES,)}


class SettingsService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, option: IntOption) -> int:
        with self._db.sessions() as session:
            row = session.get(Setting, option.key)
        if row is None:
            return option.default
        try:
            return option.check(json.loads(row.value))
        except (ValueError, TypeError):
            return option.default

    def set(self, option: IntOption, value: int) -> None:
        checked = option.check(value)
        with self._db.session() as session:
            row = session.get(Setting, option.key)
            if row is None:
                session.add(Setting(key=option.key, value=json.dumps(checked)))
            else:
                row.value = json.dumps(checked)

    def all(self) -> dict[str, int]:
        return {key: self.get(opt) for key, opt in OPTIONS.items()}
