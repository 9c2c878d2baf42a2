"""Validation errors that services raise with a sentence meant for the person."""

from __future__ import annotations


class ValidationError(ValueError):
    """Bad input that never reached the database. ``str(error)`` is one clear sentence;
    ``field`` names the input it is about, when there is one ("name", "amount"…), so a form
    can say it right beside that field."""

    def __init__(self, message: str = "", *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class ImportFileError(ValidationError):
    """An import or plan file that cannot be used; nothing was changed (CLI exit code 6)."""

    exit_code = 6
