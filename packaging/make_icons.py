"""Render resources/icons/app.svg to app-N.png and a multi-size app.ico (run after editing it).

Usage: python packaging/make_icons.py [--check]

The SVG is the one source of the application icon; the PNG and ICO files are generated from
it with Qt and committed, so building the bundle needs neither this script nor the SVG
renderer. --check renders again in memory and exits 1 when a committed file is out of date.

Why a hand-written ICO container: Qt's ICO image writer stores one image per file, and
Windows wants every size in one .ico (16 px for the title bar, 32 and 48 for Explorer,
256 for large icon views).
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path
from typing import cast

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QImageWriter, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SOURCE = ICONS / "app.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256)
PNG_IN_ICO_FROM = 256
"""Sizes from this up are stored PNG-compressed in the ICO, smaller ones as 32-bit bitmaps.

Microsoft's icon guidance: PNG entries only for 256 px (Windows Vista and later read them);
uncompressed bitmaps below that, which every reader and resource compiler understands.
"""


def render(renderer: QSvgRenderer, size: int) -> QImage:
    """The icon at `size` x `size` pixels, antialiased, on a transparent background."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    """The image encoded as PNG."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, QByteArray(b"png"))
    if not writer.write(image):
        raise OSError(f"Qt could not encode a PNG: {writer.errorString()}")
    buffer.close()
    return bytes(data.data())


def bmp_entry(image: QImage) -> bytes:
    """An ICO bitmap entry: BITMAPINFOHEADER, 32-bit BGRA rows bottom-up, then the AND mask.

    The header's height is twice the image's (colour rows plus mask rows), as ICO requires.
    With 32-bit colour the alpha channel decides transparency; the 1-bit AND mask (rows
    padded to 4 bytes, bit set = transparent) is still written for old readers.
    """
    image = image.convertToFormat(QImage.Format.Format_ARGB32)  # little-endian: B, G, R, A
    width, height = image.width(), image.height()
    rows = [bytes(cast(memoryview, image.constScanLine(y)))[: width * 4] for y in range(height)]
    mask_stride = ((width + 31) // 32) * 4
    mask_rows = []
    for row in rows:
        bits = bytearray(mask_stride)
        for x in range(width):
            if row[x * 4 + 3] == 0:
                bits[x // 8] |= 0x80 >> (x % 8)
        mask_rows.append(bytes(bits))
    pixels = b"".join(reversed(rows)) + b"".join(reversed(mask_rows))
    header = struct.pack(
        "<IiiHHIIiiII",
        40,  # biSize
        width,
        height * 2,  # colour rows + mask rows
        1,  # biPlanes
        32,  # biBitCount
        0,  # biCompression = BI_RGB
        len(pixels),  # biSizeImage
        0,
        0,
        0,
        0,
    )
    return header + pixels


def ico_bytes(images: list[QImage]) -> bytes:
    """A multi-size ICO file: ICONDIR, one 16-byte ICONDIRENTRY per image, then the images.

    ICONDIR is (reserved 0, type 1 = icon, count). Each entry is width and height in one byte
    each (0 means 256), colour count 0, reserved 0, planes 1, bits per pixel 32, the byte size
    of the image data and its offset from the start of the file.
    """
    payloads = [
        png_bytes(image) if image.width() >= PNG_IN_ICO_FROM else bmp_entry(image)
        for image in images
    ]
    offset = 6 + 16 * len(images)
    out = [struct.pack("<HHH", 0, 1, len(images))]
    for image, payload in zip(images, payloads, strict=True):
        side = image.width()
        out.append(
            struct.pack("<BBBBHHII", side % 256, side % 256, 0, 0, 1, 32, len(payload), offset)
        )
        offset += len(payload)
    return b"".join(out + payloads)


def outputs() -> dict[Path, bytes]:
    """Every generated file and its content."""
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: cannot read {SOURCE}")
    images = [render(renderer, size) for size in SIZES]
    files = {ICONS / f"app-{image.width()}.png": png_bytes(image) for image in images}
    files[ICONS / "app.ico"] = ico_bytes(images)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if a generated file is out of date"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    stale = []
    for path, content in outputs().items():
        if args.check:
            if not path.is_file() or path.read_bytes() != content:
                stale.append(path)
            continue
        path.write_bytes(content)
        print(f"{path.relative_to(ICONS.parent.parent)} ({len(content):,} bytes)")
    if stale:
        names = ", ".join(p.name for p in stale)
        print(f"make_icons: out of date: {names} (run python packaging/make_icons.py)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
