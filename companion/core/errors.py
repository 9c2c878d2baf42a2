"""Validation errors that services raise with a sentence meant for the person."""

from __future__ import annotations


class ValidationError(ValueError):
    """Bad input that never reached the database. ``str(error)`` is one clear sentence."""


class ImportFileError(ValidationError):
    """An import or plan file that cannot be used; nothing was changed (CLI exit code 6)."""

    exit_code = 6
