"""Shows PySide6 6.12.0 losing a reference to None in every void call on Python 3.11.

Run: `python -m bench.qt_defects.none_refs` (any PySide6 version; imports nothing of ours).
It counts the references to None lost over 10,000 calls each of three void methods. With
PySide6 6.12.0 on Python 3.11 each call loses one (upstream PYSIDE-3474), and a long enough
session ends in "Fatal Python error: none_dealloc"; with 6.11.3 none is lost. On Python
3.12 and later None is immortal, so nothing is lost whatever the binding does and the test
says nothing: run it on 3.11. The exit status is 1 when references were lost.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

CALLS = 10_000


def lost_references(call: Callable[[], object], calls: int = CALLS) -> int:
    """References to None that `calls` calls of `call` took and never gave back."""
    before = sys.getrefcount(None)
    for _ in range(calls):
        call()
    return before - sys.getrefcount(None)


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import PySide6
    from PySide6.QtCore import QCoreApplication, QObject
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication.instance() or QApplication([])
    label, plain = QLabel(), QObject()
    print(f"PySide6 {PySide6.__version__}, Python {sys.version.split()[0]}")
    if sys.version_info >= (3, 12):
        print("None is immortal on this Python: run this on Python 3.11 to see the defect.")
    worst = 0
    for name, call in [
        ("QLabel.setText", lambda: label.setText("x")),
        ("QObject.setObjectName", lambda: plain.setObjectName("x")),
        ("QCoreApplication.processEvents", QCoreApplication.processEvents),
    ]:
        # Stop short of the abort: with the defect, 10,000 calls would bring a fresh
        # interpreter's few thousand references to None down to zero.
        lost = lost_references(call, min(CALLS, sys.getrefcount(None) // 2))
        worst = max(worst, lost)
        print(f"{name:32s} lost {lost:6d} references to None")
    if worst > 100:
        # None's count is now near zero: a normal exit would abort in the garbage collector.
        print("References were lost: leaving without finalizing, which would abort.")
        sys.stdout.flush()
        os._exit(1)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
