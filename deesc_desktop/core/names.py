"""Names: the order a reader expects them in, and the characters a name may not contain.

Order. A plain sort puts every accented capital after Z (Ł is U+0141). Readers of an English
roster file Ç under C, Ñ under N and Ż under Z; `collation_key` compares letters without their
accents first and with them only to break a tie, which is what the Unicode Collation
Algorithm's default table does for the Latin script. Letters that Unicode does not build from
a base letter and an accent (Ł, Ø, Đ, Æ, ß, Þ, Œ, ı) are mapped by hand; scripts other than
Latin keep their own order after the Latin letters.

Legibility. A user name or a course title travels to screens, printed reports, the audit log
and spreadsheets. A control character, a right-to-left override or a zero-width space can
make it print as something else ("evil" that reads "live", two titles that look the same but
are not), so `name_problem` refuses such a name with the character named.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_BASE_LETTERS = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "ħ": "h",
        "Ħ": "H",
        "ı": "i",
        "ŀ": "l",
        "Ŀ": "L",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ß": "ss",
        "ẞ": "SS",
        "þ": "th",
        "Þ": "TH",
    }
)


@lru_cache(maxsize=65536)
def collation_key(text: str) -> tuple[str, str]:
    """(the text without accents and case, the text without case): sorts "Łukasz" between
    "Lopez" and "Lutz", "Müller" beside "Muller", and only then by the accents."""
    folded = unicodedata.normalize("NFKD", text.translate(_BASE_LETTERS))
    bare = "".join(c for c in folded if not unicodedata.combining(c))
    # Punctuation inside a name (O'Brien, Smith-Jones) does not decide its place.
    letters = "".join(c for c in bare if c.isalnum() or c == " ")
    return " ".join(letters.split()).casefold(), text.casefold()


def name_key(last_name: str, first_name: str, badge: str = "") -> tuple[object, ...]:
    """The roster order: last name, then first name, then badge, as collation_key compares."""
    last, first = collation_key(last_name), collation_key(first_name)
    return last[0], first[0], last[1], first[1], badge


USER_NAME_LENGTH = 64
FULL_NAME_LENGTH = 100
COURSE_TITLE_LENGTH = 200

_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
"""Control, format (bidi controls, zero-width spaces and joiners), surrogate, private-use and
unassigned characters, and line and paragraph separators."""


def _describe(character: str) -> str:
    code = f"U+{ord(character):04X}"
    name = unicodedata.name(character, "")
    return f"{code} {name.lower()}" if name else code


def control_problem(text: str) -> str | None:
    """Why `text` cannot be stored as typed: a control character other than a tab or a line
    break (a NUL ends the text for SQLite's own functions, so a CHECK would refuse it
    later with no field named); None when there is none."""
    for character in text:
        if (character < " " and character not in "\t\n\r") or character == "\x7f":
            return (
                f"contains a control character ({_describe(character)}); type it again without it"
            )
    return None


def name_problem(text: str, limit: int) -> str | None:
    """Why `text` cannot be used as a name, in words for the form; None when it can."""
    for character in text:
        if unicodedata.category(character) in _HIDDEN_CATEGORIES:
            kind = (
                "a control character"
                if character < " " or character == "\x7f"
                else ("an invisible or direction-changing character")
            )
            return f"contains {kind} ({_describe(character)}); type it again without it"
    if len(text) > limit:
        return f"is {len(text)} characters long; at most {limit} are allowed"
    return None
