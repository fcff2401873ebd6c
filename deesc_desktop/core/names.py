"""Names people must read as they are: no invisible or control characters, and not too long.

A user name or a course title travels to screens, printed reports, the audit log and
spreadsheets. A control character, a right-to-left override or a zero-width space can make
it print as something else ("evil" that reads "live", two titles that look the same but are
not), so such a name is refused with the character named.
"""

from __future__ import annotations

import unicodedata

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
