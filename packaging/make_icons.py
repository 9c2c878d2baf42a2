"""Render the SVG icon master to every raster the three systems want.

    python packaging/make_icons.py [OUT_DIR]        (default: build/icons)

Writes, under OUT_DIR:
  hicolor/scalable/apps/<APP_ID>.svg          the master, copied
  hicolor/<N>x<N>/apps/<APP_ID>.png            N = 16 22 24 32 48 64 128 256 512
  <APP_ID>.ico                                 Windows: 16 20 24 32 40 48 64 256
  <APP_ID>.icns                                macOS: 16–512 at @1x and @2x

The rasters are made at build time, not committed: they are derived from one file, so they
cannot drift from it, and every machine that builds a bundle already has Qt. Rendering uses
Qt's own SVG renderer (QtSvg, part of PySide6-Essentials); the ICO and ICNS containers are
written here because no converter is installed on every build machine.
"""

from __future__ import annotations

import os
import shutil
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from companion.appinfo import APP_ID  # noqa: E402

MASTER = ROOT / "resources" / "icons" / f"{APP_ID}.svg"
HICOLOR_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 256)
# ICNS element types holding PNG data, with their pixel size (Apple's iconutil writes these).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"ic11", 32),  # 16@2x
    (b"icp6", 64),
    (b"ic12", 64),  # 32@2x
    (b"ic07", 128),
    (b"ic13", 256),  # 128@2x
    (b"ic08", 256),
    (b"ic14", 512),  # 256@2x
    (b"ic09", 512),
    (b"ic10", 1024),  # 512@2x
)


def _app() -> object:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    return QGuiApplication.instance() or QGuiApplication([sys.argv[0]])


def render(size: int, master: Path = MASTER) -> object:
    """The master drawn at exactly ``size`` × ``size`` pixels (a straight-alpha QImage)."""
    _app()
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(master))
    if not renderer.isValid():
        raise ValueError(f"{master} is not an SVG file Qt can draw.")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image.convertToFormat(QImage.Format.Format_ARGB32)


def png_bytes(image: object) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):  # type: ignore[attr-defined]
        raise RuntimeError("Qt could not encode a PNG image.")
    buffer.close()
    return bytes(data.data())


def _dib_bytes(image: object) -> bytes:
    """An ICO entry in the classic bitmap form: BITMAPINFOHEADER, BGRA rows bottom-up, AND mask."""
    size = image.width()  # type: ignore[attr-defined]
    rows = []
    for y in reversed(range(size)):
        line = image.constScanLine(y)  # type: ignore[attr-defined]
        rows.append(bytes(line)[: size * 4])  # ARGB32 in memory is B, G, R, A on little-endian
    mask_stride = ((size + 31) // 32) * 4
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    return header + b"".join(rows) + bytes(mask_stride * size)


def ico_bytes(images: dict[int, object]) -> bytes:
    """A Windows .ico: bitmaps up to 64 px (read by every Windows tool), PNG for 256 px."""
    entries = []
    for size in sorted(images):
        payload = png_bytes(images[size]) if size >= 256 else _dib_bytes(images[size])
        entries.append((size, payload))
    out = struct.pack("<HHH", 0, 1, len(entries))
    offset = 6 + 16 * len(entries)
    directory, blobs = b"", b""
    for size, payload in entries:
        edge = 0 if size >= 256 else size  # 0 means 256 in an ICO directory
        directory += struct.pack("<BBBBHHII", edge, edge, 0, 0, 1, 32, len(payload), offset)
        blobs += payload
        offset += len(payload)
    return out + directory + blobs


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """An Apple .icns holding PNG elements; ``pngs`` maps pixel size to PNG data."""
    body = b""
    for ostype, size in ICNS_TYPES:
        data = pngs[size]
        body += ostype + struct.pack(">I", 8 + len(data)) + data
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def make_all(out_dir: Path, master: Path = MASTER) -> list[Path]:
    """Write every icon file under ``out_dir``; returns the paths written."""
    written: list[Path] = []
    scalable = out_dir / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(master, scalable)
    written.append(scalable)

    sizes = sorted(set(HICOLOR_SIZES) | set(ICO_SIZES) | {size for _t, size in ICNS_TYPES})
    images = {size: render(size, master) for size in sizes}
    pngs = {size: png_bytes(image) for size, image in images.items()}

    for size in HICOLOR_SIZES:
        path = out_dir / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pngs[size])
        written.append(path)

    ico = out_dir / f"{APP_ID}.ico"
    ico.write_bytes(ico_bytes({size: images[size] for size in ICO_SIZES}))
    icns = out_dir / f"{APP_ID}.icns"
    icns.write_bytes(icns_bytes(pngs))
    written += [ico, icns]
    return written


def main(argv: list[str]) -> int:
    out_dir = Path(argv[1]) if len(argv) > 1 else ROOT / "build" / "icons"
    for path in make_all(out_dir):
        print(path.relative_to(out_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
