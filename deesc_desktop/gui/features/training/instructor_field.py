"""The instructor of a class: pick one on file or type a name; a lapsed certification on
the class date is flagged under the field."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QSizePolicy, QVBoxLayout, QWidget

from deesc_desktop.gui.context import AppContext
from deesc_desktop.services.instructors import instructor_choices, instructor_flag


class InstructorCombo(QComboBox):
    """Pick an instructor on file, or type a name (a visiting trainer); a lapsed
    certification on the class date is flagged under it."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.day: date | None = None
        for instructor_id, name in instructor_choices(ctx.db):
            self.addItem(name, instructor_id)
        self.setCurrentIndex(-1)
        line = self.lineEdit()
        if line is not None:
            line.setPlaceholderText("Choose an instructor on file, or type a name")
        # Room for the hint and a visiting trainer's full name ("Sgt. R. Delgado, ILETSB
        # Mobile Team 9"), however short the names on file are.
        self.setMinimumContentsLength(44)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.flag = QLabel()
        self.flag.setObjectName("fieldError")
        self.flag.setWordWrap(True)
        self.flag.hide()
        self.box = QWidget()
        # The full width of the form, so the flag's words wrap instead of being cut off.
        self.box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        column = QVBoxLayout(self.box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self, 0, Qt.AlignmentFlag.AlignLeft)
        column.addWidget(self.flag)
        self.currentTextChanged.connect(lambda _text: self.update_flag())

    def text(self) -> str:
        return self.currentText().strip()

    def setText(self, text: str) -> None:
        index = self.findText(text, Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            self.setCurrentIndex(index)
        else:
            self.setEditText(text)

    def instructor_id(self) -> int | None:
        """The instructor on file whose name is chosen (case aside), or None."""
        index = self.findText(self.text(), Qt.MatchFlag.MatchFixedString)
        return int(self.itemData(index)) if index >= 0 and self.text() else None

    def set_day(self, day: date | None) -> None:
        self.day = day
        self.update_flag()

    def update_flag(self) -> None:
        text = instructor_flag(self.ctx.db, self.instructor_id(), self.day) if self.day else ""
        self.flag.setText(f"Flagged: {text}." if text else "")
        self.flag.setVisible(bool(text))
