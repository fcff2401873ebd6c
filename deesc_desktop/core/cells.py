"""Spreadsheet cells that never run: the OWASP rule against CSV and formula injection.

A cell a spreadsheet would read as a formula (starting with = + - @, a tab, a carriage return or
a line feed, also after leading spaces, or with the full-width forms some versions of Excel
accept) is written with a leading apostrophe. A plain number such as "-200.00" or "-$25.00" is
a number, not a formula, and stays as it is. Reading a file back removes exactly that
apostrophe, so an export re-imports as it was.
"""

from __future__ import annotations

import re

FORMULA_STARTS = frozenset("=+-@\t\r\n＝＋－＠")

_PLAIN_NUMBER = re.compile(r"[+-]?\$?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?%?", re.ASCII)


def _runs(text: str) -> bool:
    """True when a spreadsheet could take `text` for a formula."""
    if not text or not (text[0] in FORMULA_STARTS or text.lstrip(" ")[:1] in FORMULA_STARTS):
        return False
    return not (any(c.isdigit() for c in text) and _PLAIN_NUMBER.fullmatch(text))


def _needs_apostrophe(text: str) -> bool:
    # Text that already starts with apostrophes before a formula gets one more, so that
    # restore() gives back exactly what was written.
    while text.startswith("'"):
        text = text[1:]
    return _runs(text)


def neutralise(text: str) -> str:
    """Text as a cell may hold it without running: "=HYPERLINK(...)" -> "'=HYPERLINK(...)"."""
    return "'" + text if _needs_apostrophe(text) else text


def restore(text: str) -> str:
    """A cell read back from a file: the apostrophe `neutralise` added is taken off again
    (Excel's own way to type "=1+1" as text, too)."""
    return text[1:] if text.startswith("'") and _needs_apostrophe(text[1:]) else text
