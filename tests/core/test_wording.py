"""Counts in words: one of a thing is never "1 things"."""

from __future__ import annotations

from deesc_desktop.core.wording import plural


def test_one_is_singular_and_every_other_count_plural() -> None:
    assert [plural(n, "officer") for n in (0, 1, 2)] == ["0 officers", "1 officer", "2 officers"]
    assert plural(1, "class", "classes") == "1 class"
    assert plural(3, "class", "classes") == "3 classes"
