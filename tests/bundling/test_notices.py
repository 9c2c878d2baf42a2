"""THIRD-PARTY-NOTICES.md names every runtime package with the licence its metadata declares."""

from __future__ import annotations

from packaging.utils import canonicalize_name

from .helpers import PACKAGING, load

NOTICES = PACKAGING / "THIRD-PARTY-NOTICES.md"


def _rows() -> dict[str, str]:
    rows: dict[str, str] = {}
    for line in NOTICES.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 3 and not cells[0].startswith(("---", "Package")):
            rows[canonicalize_name(cells[0])] = cells[1]
    return rows


def test_every_runtime_package_is_listed_with_its_declared_licence() -> None:
    notices = load("notices")
    rows = _rows()
    missing, wrong = [], []
    for key, dist in notices.runtime_distributions().items():
        if key not in rows:
            missing.append(key)
        elif notices.declared_license(dist) not in rows[key]:
            wrong.append((key, notices.declared_license(dist), rows[key]))
    assert missing == [] and wrong == []
    for key, licence in notices.OTHER_SYSTEMS.items():
        assert licence in rows[key]


def test_licence_texts_are_copied_for_every_package(tmp_path: object) -> None:
    from pathlib import Path

    out = Path(str(tmp_path))
    notices = load("notices")
    written = notices.copy_license_texts(out)
    folders = {path.relative_to(out).parts[0] for path in written}
    for key, dist in notices.runtime_distributions().items():
        if notices.license_files(dist):
            assert f"{key}-{dist.version}" in folders
    assert (out / "LGPL-3.0.txt").is_file() and (out / "Apache-2.0.txt").is_file()
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in (out / "LGPL-3.0.txt").read_text()
