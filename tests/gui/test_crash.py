"""An error the app did not expect is said in words, with its traceback kept in a log."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from deesc_desktop.gui import crash
from deesc_desktop.gui.app import main
from tests.gui.helpers import Prompts


@pytest.fixture
def handler(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> crash.CrashHandler:
    """The crash handler as the app installs it, logging to a temp folder."""
    installed = crash.CrashHandler(lambda: None, log=tmp_path / "log" / "errors.log")
    monkeypatch.setattr(sys, "excepthook", installed)
    return installed


def test_an_error_in_a_click_is_said_in_words_and_logged_with_its_traceback(
    qtbot: Any, say: Prompts, handler: crash.CrashHandler
) -> None:
    def broken_handler() -> None:
        raise ValueError("hours 'lots' is not a number")

    button = QPushButton("Save")
    qtbot.addWidget(button)
    button.clicked.connect(broken_handler)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    ((kind, title, text),) = say.messages
    assert (kind, title) == ("error", "Something went wrong")
    assert "ValueError: hours 'lots' is not a number" in text
    assert "No change was half-saved" in text and "deesc check" in text
    assert handler.log is not None and str(handler.log) in text
    logged = handler.log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged and "broken_handler" in logged


def test_an_error_that_repeats_while_its_message_is_open_is_only_logged(
    say: Prompts, handler: crash.CrashHandler, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []

    def error_box(_parent: object, title: str, text: str, details: str = "") -> None:
        shown.append(text)
        try:  # e.g. the page behind the box fails to paint again
            raise RuntimeError("again")
        except RuntimeError as again:
            handler(RuntimeError, again, again.__traceback__)

    monkeypatch.setattr(crash.prompts, "error", error_box)
    try:
        raise RuntimeError("first")
    except RuntimeError as first:
        handler(RuntimeError, first, first.__traceback__)

    assert len(shown) == 1 and "RuntimeError: first" in shown[0]
    assert handler.log is not None
    entries = handler.log.read_text(encoding="utf-8").split("\n--- ")
    assert len(entries) == 2 and entries[1].rstrip().endswith("RuntimeError: again")
    # Once it is closed, the next error is shown again.
    try:
        raise RuntimeError("later")
    except RuntimeError as later:
        handler(RuntimeError, later, later.__traceback__)
    assert len(shown) == 2


def test_a_log_that_cannot_be_written_still_leaves_the_message_and_its_details(
    say: Prompts, tmp_path: Path
) -> None:
    (tmp_path / "not a folder").write_text("a file where the log's folder would be")
    handler = crash.CrashHandler(lambda: None, log=tmp_path / "not a folder" / "errors.log")
    try:
        raise KeyError("officer_id")
    except KeyError as error:
        handler(KeyError, error, error.__traceback__)
    ((_kind, _title, text),) = say.messages
    assert "KeyError: 'officer_id'" in text and "The details are below." in text


def test_the_app_installs_it_before_it_opens_a_file(
    say: Prompts, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back after the test
    bogus = tmp_path / "deesc.db"
    bogus.write_bytes(b"\x00" * 100)
    assert main(["--db", str(bogus)]) == 1
    assert isinstance(sys.excepthook, crash.CrashHandler)
