"""Keep None, True and False alive on Python 3.11 whatever PySide6 does to their counts.

PySide6 6.12 returns None from most void methods (setText, deleteLater, processEvents and
more) without taking a reference to it, as if None were immortal. It is from Python 3.12
on; on 3.11 every such call drops one real reference, and enough of them (a busy wait
calling processEvents while a worker computes, or a few thousand keystrokes in a search
box) bring the count to zero: the process aborts with "Fatal Python error: none_dealloc".
Python 3.12 gives these objects a count no extension can exhaust; this gives them the same.
"""

from __future__ import annotations

import sys

HEADROOM = 1 << 40
"""References added: a million lost references a second would take twelve days to use up."""


def protect_singletons() -> bool:
    """Give None, True and False HEADROOM more references, once; False where not needed."""
    # Python 3.12 makes them immortal; a build tracing references lays objects out otherwise.
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    if hasattr(sys, "getobjects"):
        return False
    import ctypes

    for singleton in (None, True, False):
        count = ctypes.c_ssize_t.from_address(id(singleton))
        # The field read must be the reference count (getrefcount adds its own argument).
        if abs(count.value - (sys.getrefcount(singleton) - 1)) > 16:
            return False
        if count.value < HEADROOM:
            count.value += HEADROOM
    return True
