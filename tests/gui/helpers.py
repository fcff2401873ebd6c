"""Helpers for the GUI tests: wait for workers, play the user's part in dialogs and prompts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QDialog

from deesc_desktop.gui import workers


def settle() -> None:
    """Let worker results arrive and be shown."""
    assert workers.wait_idle(30), "a worker task did not finish"


class DialogScript:
    """Plays the user's part in modal dialogs, in the order the test expects them."""

    def __init__(self) -> None:
        self.steps: list[Callable[[Any], object]] = []
        self.seen: list[QDialog] = []

    def expect(self, step: Callable[[Any], object]) -> None:
        self.steps.append(step)

    def run(self, dialog: QDialog) -> bool:
        assert self.steps, f"unexpected dialog: {type(dialog).__name__} {dialog.windowTitle()!r}"
        step = self.steps.pop(0)
        self.seen.append(dialog)
        dialog.show()
        settle()
        step(dialog)
        accepted = dialog.result() == QDialog.DialogCode.Accepted and not dialog.isVisible()
        if dialog.isVisible():
            dialog.reject()
        return accepted


@dataclass
class Prompts:
    """What the GUI said and asked, and the answers the test gives."""

    messages: list[tuple[str, str, str]] = field(default_factory=list)
    confirm_answer: bool = True
    reason: str | None = "entered in error"
    reload: bool = True
    open_path: Path | None = None
    save_path: Path | None = None
    urls: list[str] = field(default_factory=list)
    dialogs: DialogScript = field(default_factory=DialogScript)

    def texts(self, kind: str | None = None) -> list[str]:
        return [text for k, _title, text in self.messages if kind is None or k == kind]
