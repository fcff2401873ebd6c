"""The reports' font: the shipped DejaVu Sans faces, registered once, and what it cannot print."""

from __future__ import annotations

import functools
import threading

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from deesc_desktop.paths import resource

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"

_font_lock = threading.Lock()
_fonts_registered = False


def register_fonts() -> None:
    """Register the shipped DejaVu Sans faces as one family (safe to call from any thread).

    The PDF base fonts only cover Latin-1, so names such as Nguyễn or Łukasz need an embedded
    TrueType font.
    """
    global _fonts_registered
    with _font_lock:
        if _fonts_registered:
            return
        for name in (FONT, FONT_BOLD, FONT_ITALIC):
            pdfmetrics.registerFont(TTFont(name, str(resource("fonts", f"{name}.ttf"))))
        # No bold-oblique face is shipped; bold reads better than a synthetic slant.
        pdfmetrics.registerFontFamily(
            FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD
        )
        _fonts_registered = True


@functools.cache
def _printable() -> frozenset[int]:
    """The characters the report font has a glyph for."""
    face = TTFont("coverage", str(resource("fonts", f"{FONT}.ttf"))).face
    return frozenset(face.charToGlyph)


def unprintable(text: str) -> str:
    """The characters of `text` the reports' font cannot draw (they would print as boxes).

    DejaVu Sans covers Latin, Greek, Cyrillic, Arabic, Hebrew and more, not Chinese, Japanese
    or Korean. A font that does (Noto Sans CJK) would add about 16 MB to every installer, and
    a system font differs from PC to PC, so the import warns instead (services.imports).
    """
    glyphs = _printable()
    missing = dict.fromkeys(c for c in text if not c.isspace() and ord(c) not in glyphs)
    return "".join(missing)
