#!/usr/bin/env python3
"""Render every page of a demo diary to PNGs, or compare two such folders pixel by pixel.

Used to show that a refactor changes no pixel:

    tools/compare-screenshots.py render DIR [--companion PATH] [--sizes 1024x640,1280x800]
    tools/compare-screenshots.py compare BEFORE AFTER

`render` makes one demo diary (fixed seed) in a temporary folder and renders each page in light
and dark with `companion screenshot`; `compare` prints, for each PNG in both folders, the share
of pixels that differ and exits 1 when any page differs by more than --tolerance (default 0).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

PASSPHRASE = "harbour-lantern-quietly-orbit-7"
PAGES = (
    "setup",
    "unlock",
    "today",
    "diary",
    "exercises",
    "medications",
    "learn",
    "safety",
    "help",
    "settings",
)


def render(out: Path, companion: str, sizes: list[str], pages: list[str]) -> int:
    out.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, COMPANION_PASSPHRASE=PASSPHRASE, QT_QPA_PLATFORM="offscreen")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        subprocess.run(
            [companion, "demo", "--data-dir", str(data), "--days", "365", "--seed", "7"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        failures = 0
        for page in pages:
            for size in sizes:
                for theme in ("light", "dark"):
                    target = out / f"{page}-{theme}-{size}.png"
                    result = subprocess.run(
                        [
                            companion,
                            "screenshot",
                            "--data-dir",
                            str(data),
                            "--page",
                            page,
                            "--size",
                            size,
                            "--theme",
                            theme,
                            "--out",
                            str(target),
                        ],
                        env=env,
                        capture_output=True,
                        text=True,
                    )
                    if result.returncode != 0:
                        failures += 1
                        print(f"{target.name}: failed: {result.stderr.strip()}")
    return 1 if failures else 0


def compare(before: Path, after: Path, tolerance: float) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QImage

    worst = 0.0
    names = sorted({p.name for p in before.glob("*.png")} | {p.name for p in after.glob("*.png")})
    for name in names:
        a, b = before / name, after / name
        if not (a.exists() and b.exists()):
            print(f"{name}: only in {'before' if a.exists() else 'after'}")
            worst = 1.0
            continue
        ia = QImage(str(a)).convertToFormat(QImage.Format.Format_ARGB32)
        ib = QImage(str(b)).convertToFormat(QImage.Format.Format_ARGB32)
        if ia.size() != ib.size():
            print(f"{name}: size {ia.width()}x{ia.height()} vs {ib.width()}x{ib.height()}")
            worst = 1.0
            continue
        ba, bb = bytes(ia.constBits()), bytes(ib.constBits())
        pixels = ia.width() * ia.height()
        differing = sum(1 for i in range(0, len(ba), 4) if ba[i : i + 4] != bb[i : i + 4])
        share = differing / pixels
        worst = max(worst, share)
        print(f"{name}: {differing} of {pixels} pixels differ ({share:.4%})")
    print(f"largest difference: {worst:.4%}")
    return 0 if worst <= tolerance else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("render")
    r.add_argument("out", type=Path)
    r.add_argument("--companion", default=str(Path(sys.executable).with_name("companion")))
    r.add_argument("--sizes", default="1024x640,1280x800")
    r.add_argument("--pages", default=",".join(PAGES))
    c = sub.add_parser("compare")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    c.add_argument("--tolerance", type=float, default=0.0)
    args = parser.parse_args()
    if args.command == "render":
        return render(args.out, args.companion, args.sizes.split(","), args.pages.split(","))
    return compare(args.before, args.after, args.tolerance)


if __name__ == "__main__":
    sys.exit(main())
