"""The icon master and the rasters, .ico and .icns that packaging/make_icons.py makes from it."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage, QImageReader

from companion.appinfo import APP_ID

from .helpers import ROOT, load

MASTER = ROOT / "resources" / "icons" / f"{APP_ID}.svg"


@pytest.fixture(scope="module")
def icons(tmp_path_factory: pytest.TempPathFactory, qapp: object) -> Path:
    out = tmp_path_factory.mktemp("icons")
    load("make_icons").make_all(out)
    return out


def test_master_is_a_square_svg_without_external_references() -> None:
    root = ET.parse(MASTER).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 256 256"
    text = MASTER.read_text(encoding="utf-8")
    assert "<image" not in text and "xlink:href" not in text and "<text" not in text


def test_hicolor_set_is_complete(icons: Path) -> None:
    make_icons = load("make_icons")
    assert (icons / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").read_bytes() == (
        MASTER.read_bytes()
    )
    for size in make_icons.HICOLOR_SIZES:
        image = QImage(str(icons / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"))
        assert (image.width(), image.height()) == (size, size)
        assert image.hasAlphaChannel()


def test_small_sizes_keep_the_sprout_visible(icons: Path) -> None:
    """At 16 px the tile, a cream leaf and an amber leaf must each still own some pixels."""
    image = QImage(str(icons / "hicolor" / "16x16" / "apps" / f"{APP_ID}.png"))
    colours = [image.pixelColor(x, y) for x in range(16) for y in range(16)]

    def near(target: str, colour: QColor) -> bool:
        want = QColor(target)
        return colour.alpha() > 200 and all(
            abs(a - b) < 40
            for a, b in zip(
                (colour.red(), colour.green(), colour.blue()),
                (want.red(), want.green(), want.blue()),
                strict=True,
            )
        )

    assert sum(near("#2f7770", c) for c in colours) >= 60  # teal tile
    assert sum(near("#f6f3ea", c) for c in colours) >= 6  # cream leaf and stem
    assert sum(near("#f2b45a", c) for c in colours) >= 4  # amber leaf
    assert image.pixelColor(0, 0).alpha() == 0  # rounded corners stay transparent


def test_ico_holds_every_windows_size_and_decodes(icons: Path) -> None:
    make_icons = load("make_icons")
    path = icons / f"{APP_ID}.ico"
    data = path.read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind, count) == (0, 1, len(make_icons.ICO_SIZES))
    reader = QImageReader(str(path))
    sizes = []
    for index in range(reader.imageCount()):
        reader.jumpToImage(index)
        image = reader.read()
        assert not image.isNull(), reader.errorString()
        sizes.append(image.width())
        assert image.pixelColor(0, 0).alpha() == 0
    assert sorted(sizes) == sorted(make_icons.ICO_SIZES)


def test_icns_holds_every_mac_size_and_decodes(icons: Path) -> None:
    make_icons = load("make_icons")
    path = icons / f"{APP_ID}.icns"
    data = path.read_bytes()
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    offset, types = 8, []
    while offset < len(data):
        ostype = data[offset : offset + 4]
        (length,) = struct.unpack(">I", data[offset + 4 : offset + 8])
        assert data[offset + 8 : offset + 16] == b"\x89PNG\r\n\x1a\n"
        types.append(ostype)
        offset += length
    assert offset == len(data)
    assert types == [t for t, _size in make_icons.ICNS_TYPES]
    reader = QImageReader(str(path))
    widths = []
    for index in range(reader.imageCount()):
        reader.jumpToImage(index)
        widths.append(reader.read().width())
    assert max(widths) == 1024 and min(widths) == 16


@pytest.mark.qt_log_ignore("Cannot read file")
def test_a_broken_master_is_refused_with_one_sentence(tmp_path: Path, qapp: object) -> None:
    broken = tmp_path / "broken.svg"
    broken.write_text("<svg", encoding="utf-8")
    with pytest.raises(ValueError, match="not an SVG file Qt can draw"):
        load("make_icons").render(16, broken)
