"""The licences a bundle must carry, read from the installed packages' own metadata.

    python packaging/notices.py            list the runtime packages and their declared licences
    python packaging/notices.py OUT_DIR    also copy every licence text into OUT_DIR

The runtime packages are Companion's declared dependencies and theirs, for this platform, as
the installed metadata states them (nothing is typed in by hand, so an upgrade that changes a
licence shows up). ``packaging/THIRD-PARTY-NOTICES.md`` is the human-readable summary; a test
checks it names every package found here with the licence its metadata declares.
"""

from __future__ import annotations

import contextlib
import importlib.metadata as md
import shutil
import sys
import sysconfig
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
DISTRIBUTION = "companion-diary"

# Runtime packages that only other systems install (their metadata cannot be read here).
OTHER_SYSTEMS = {
    "pywin32-ctypes": "BSD-3-Clause",  # keyring's Windows backend; read from its 0.2.3 wheel
}
# Licence texts the bundle needs that no installed package carries (copied from Debian's
# /usr/share/common-licenses): LGPL-3.0 for Qt and PySide6, Apache-2.0 for the icon font.
BUNDLED_TEXTS = ROOT / "packaging" / "licenses"


def runtime_distributions(root: str = DISTRIBUTION) -> dict[str, md.Distribution]:
    """Every installed distribution Companion needs at run time here, by normalised name."""
    found: dict[str, md.Distribution] = {}

    def walk(name: str) -> None:
        key = canonicalize_name(name)
        if key in found:
            return
        dist = md.distribution(name)
        found[key] = dist
        for line in dist.requires or []:
            requirement = Requirement(line)
            if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
                continue
            walk(requirement.name)

    walk(root)
    del found[canonicalize_name(root)]
    return dict(sorted(found.items()))


def declared_license(dist: md.Distribution) -> str:
    """The licence as the package declares it: SPDX expression, else License, else classifiers."""
    meta: Any = dist.metadata  # an email.message.Message underneath: it has .get()
    expression = meta.get("License-Expression")
    if expression:
        return str(expression).strip()
    text = (meta.get("License") or "").strip()
    if text and "\n" not in text and len(text) <= 60:
        return text
    classifiers = [
        c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License ::")
    ]
    if classifiers:
        return " / ".join(classifiers)
    return "not declared"


def license_files(dist: md.Distribution) -> dict[str, Path]:
    """The licence, copying and notice files in a distribution's metadata folder, by their path
    inside it (numpy has a dozen files called LICENSE.md in different folders)."""
    keys = ("LICEN", "COPYING", "NOTICE", "AUTHORS")
    found = {}
    for file in dist.files or []:
        parts = Path(str(file)).parts
        if not parts or not parts[0].endswith(".dist-info"):
            continue
        if any(key in parts[-1].upper() for key in keys):
            inner = Path(*parts[1:])
            if inner.parts and inner.parts[0] == "licenses":
                inner = Path(*inner.parts[1:])
            found[inner.as_posix()] = Path(str(dist.locate_file(file)))
    return found


def copy_license_texts(out_dir: Path) -> list[Path]:
    """Copy every licence text a bundle needs into ``out_dir``; returns the files written."""
    written: list[Path] = []

    def put(source: Path, target: Path) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        written.append(target)

    dists = runtime_distributions()
    with contextlib.suppress(md.PackageNotFoundError):
        dists["pyinstaller"] = md.distribution("pyinstaller")  # its bootloader is in every bundle
    for key, dist in dists.items():
        folder = out_dir / f"{key}-{dist.version}"
        for inner, path in license_files(dist).items():
            put(path, folder / inner)
    python_license = Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt"
    if python_license.is_file():
        put(python_license, out_dir / f"python-{sys.version.split()[0]}" / "LICENSE.txt")
    for text in sorted(BUNDLED_TEXTS.glob("*.txt")):
        put(text, out_dir / text.name)
    return written


def main(argv: list[str]) -> int:
    for key, dist in runtime_distributions().items():
        print(f"{key:24} {dist.version:12} {declared_license(dist)}")
    if len(argv) > 1:
        files = copy_license_texts(Path(argv[1]))
        print(f"{len(files)} licence files copied to {argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
