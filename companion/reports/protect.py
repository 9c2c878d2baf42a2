"""Protecting a PDF with a password the person tells their clinician (AES-256).

Qt's PDF writer cannot encrypt, so the finished PDF (bytes in memory, never on disk) is
re-written by pypdf with the PDF 2.0 standard security handler, revision 6: AES-256 with a
SHA-256-based key derivation, which every current reader opens (Acrobat, Preview, Firefox,
Chrome, poppler). pypdf does the AES through ``cryptography``, already a Companion
dependency. Printing and copying stay allowed: the password keeps strangers out, it does not
restrict the clinician. The owner password is random and thrown away, so nobody can lift the
protection without the person's password.

Why pypdf: pure Python, BSD-licensed, actively maintained, and already used by the tests to
read PDFs back; pikepdf (qpdf) would add a large binary dependency for the same result.
"""

from __future__ import annotations

import io
import secrets
import unicodedata

from companion.core.errors import ValidationError

__all__ = ["MIN_PASSWORD_CHARS", "check_password", "protect_pdf"]

MIN_PASSWORD_CHARS = 8
#: PDF 2.0 (ISO 32000-2, 7.6.4.3.3): passwords are UTF-8, at most 127 bytes after SASLprep
MAX_PASSWORD_BYTES = 127


def check_password(password: str) -> str:
    """The password as it will be used, or :class:`ValidationError` with one sentence."""
    if not isinstance(password, str) or not password:
        raise ValidationError("Please choose a password for the PDF.")
    normal = unicodedata.normalize("NFKC", password)
    if any(unicodedata.category(ch) == "Cc" for ch in normal):
        raise ValidationError("The password cannot contain control characters.")
    if normal != normal.strip():
        raise ValidationError("The password cannot start or end with a space.")
    if len(normal) < MIN_PASSWORD_CHARS:
        raise ValidationError(
            f"The password needs at least {MIN_PASSWORD_CHARS} characters; a few words "
            "you can say out loud to your clinician work well."
        )
    if len(normal.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise ValidationError("The password is too long for a PDF (at most 127 bytes).")
    return normal


def protect_pdf(data: bytes, password: str) -> bytes:
    """``data`` (a PDF) encrypted with AES-256 so that it opens only with ``password``."""
    from pypdf import PdfReader, PdfWriter

    user = check_password(password)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(
        user_password=user,
        owner_password=secrets.token_urlsafe(32),
        algorithm="AES-256",  # pypdf's default permissions: everything (print, copy…)
    )
    writer.pdf_header = b"%PDF-2.0"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
