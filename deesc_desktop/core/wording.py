"""Words that follow a count: "1 officer", "2 officers", never "1 officers"."""

from __future__ import annotations


def plural(count: int, noun: str, many: str | None = None) -> str:
    """The count and its noun, singular for exactly one (`many`: an irregular plural)."""
    if count == 1:
        return f"{count} {noun}"
    return f"{count} {many if many is not None else noun + 's'}"
