"""Form building blocks: rows that show a service's field errors under the field, date fields."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from deesc_desktop.core.dates import LAST_DATE
from deesc_desktop.core.times import stamp_text
from deesc_desktop.gui import style
from deesc_desktop.services.errors import ServiceError, ValidationError

DATE_DISPLAY = "yyyy-MM-dd"
EMPTY_DATE = QDate(1900, 1, 1)
"""Stands for "no date" in an optional date field (shown as "Not set")."""


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class DateField(QWidget):
    """A date with a calendar popup; an optional one can be cleared to "Not set"."""

    changed = Signal()

    def __init__(
        self, value: date | None = None, *, optional: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.optional = optional
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.edit = QDateEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat(DATE_DISPLAY)
        self.edit.setDateRange(EMPTY_DATE, QDate(LAST_DATE.year, LAST_DATE.month, LAST_DATE.day))
        self.edit.setMinimumWidth(112)
        self.edit.dateChanged.connect(lambda _d: self.changed.emit())
        layout.addWidget(self.edit)
        if optional:
            self.edit.setSpecialValueText("Not set")
            clear = QToolButton()
            clear.setText("Clear")
            clear.setToolTip("Leave this date empty")
            clear.clicked.connect(lambda: self.set_value(None))
            layout.addWidget(clear)
        layout.addStretch(1)
        self.set_value(value if value is not None or optional else date.today())

    def value(self) -> date | None:
        current = self.edit.date()
        if self.optional and current == EMPTY_DATE:
            return None
        return from_qdate(current)

    def day(self) -> date:
        """The date of a field that cannot be cleared (made with optional=False)."""
        if self.optional:
            raise TypeError("an optional date field may hold no date: read value()")
        return from_qdate(self.edit.date())

    def set_value(self, value: date | None) -> None:
        if value is None:
            self.edit.setDate(EMPTY_DATE if self.optional else QDate.currentDate())
        else:
            self.edit.setDate(to_qdate(value))

    def text(self) -> str:
        """The value as the services read it: ISO text, "" when not set."""
        value = self.value()
        return value.isoformat() if value else ""


class HoursField(QDoubleSpinBox):
    """Hours to two decimals, stepping by half an hour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDecimals(2)
        self.setRange(0, 9999)
        self.setSingleStep(0.5)
        self.setSuffix(" h")
        self.setMinimumWidth(100)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)

    def text_value(self) -> str:
        """The hours as text for the services ("8", "1.25")."""
        return f"{self.value():.2f}".rstrip("0").rstrip(".")


def fill_combo(combo: QComboBox, items: Mapping[str, str], current: str | None = None) -> None:
    """Fill a combo with label -> data items and select `current` (by data)."""
    combo.clear()
    for data, label in items.items():
        combo.addItem(label, data)
    if current is not None:
        index = combo.findData(current)
        if index >= 0:
            combo.setCurrentIndex(index)


def _set_invalid(widget: QWidget, invalid: bool) -> None:
    widget.setProperty("invalid", invalid)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class Form:
    """A QFormLayout whose rows each have a red error line, filled from field_errors.

    Field names are the services' (`last_name`, `hire_date`...), so a ValidationError maps
    straight onto the form; an error for a field the form does not show goes to the banner.
    """

    def __init__(self) -> None:
        self.layout = QFormLayout()
        self.layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.layout.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.layout.setVerticalSpacing(4)
        self.banner = QLabel()
        self.banner.setObjectName("formBanner")
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.hide()
        self.editors: dict[str, QWidget] = {}
        self.labels: dict[str, str] = {}
        self.errors: dict[str, QLabel] = {}

    def add_row(
        self,
        field: str,
        label: str,
        editor: QWidget,
        *,
        required: bool = False,
        hint: str = "",
    ) -> QWidget:
        """Add `editor` under `label`, with an error line (and a grey hint) beneath it."""
        box = QWidget()
        # The row takes the form's full width so its hint and error lines wrap, not clip;
        # short editors (dates, numbers, lists) keep their natural width inside it.
        box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 2)
        column.setSpacing(2)
        if isinstance(editor, QLineEdit) or (
            editor.sizePolicy().horizontalPolicy() == QSizePolicy.Policy.Expanding
        ):
            column.addWidget(editor)
        else:
            column.addWidget(editor, 0, Qt.AlignmentFlag.AlignLeft)
        if hint:
            note = QLabel(hint)
            note.setObjectName("hint")
            note.setWordWrap(True)
            column.addWidget(note)
        error = QLabel()
        error.setObjectName("fieldError")
        error.setWordWrap(True)
        error.hide()
        column.addWidget(error)
        # A check box carries its own words: its row has no caption, not a lone colon.
        caption = QLabel(f"{label}{' *' if required else ''}:" if label else "")
        caption.setBuddy(editor)
        caption.setContentsMargins(0, 4, 0, 0)
        self.layout.addRow(caption, box)
        self.editors[field] = editor
        self.labels[field] = label
        self.errors[field] = error
        return box

    def clear_errors(self) -> None:
        self.banner.hide()
        self.banner.clear()
        for field, label in self.errors.items():
            label.hide()
            label.clear()
            _set_invalid(self.editors[field], False)

    def show_errors(self, field_errors: Mapping[str, str], banner: str = "") -> None:
        """Show each reason under its field; the rest, and `banner`, above the form."""
        self.clear_errors()
        other = [banner] if banner else []
        first: QWidget | None = None
        for field, reason in field_errors.items():
            if field in self.errors:
                self.errors[field].setText(self.sentence(field, reason))
                self.errors[field].show()
                _set_invalid(self.editors[field], True)
                first = first or self.editors[field]
            else:
                other.append(f"{field.replace('_', ' ').capitalize()}: {reason}")
        if other:
            self.show_banner("\n".join(other))
        if first is not None:
            first.setFocus()

    def show_refusal(self, exc: ServiceError) -> None:
        """Show why a service refused: each field's reason under it, anything else above."""
        if isinstance(exc, ValidationError):
            self.show_errors(exc.field_errors)
        else:
            self.show_errors({}, str(exc))

    def show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()

    def sentence(self, field: str, reason: str) -> str:
        """ "is required" reads as "Last name is required" under the field."""
        if reason.startswith(("is ", "must ", "are ")):
            return f"{self.labels[field]} {reason}."
        return reason[:1].upper() + reason[1:]

    def error_text(self, field: str) -> str:
        """What the error line under `field` says ("" when hidden); tests read this."""
        label = self.errors[field]
        return label.text() if not label.isHidden() else ""


def local_time(stamp: str) -> str:
    """An audit timestamp (UTC in the file) as local time with its zone: "2026-03-01 08:12 CST",
    as reports and the command line write it."""
    return stamp_text(stamp)


def page_title(text: str) -> QLabel:
    title = QLabel(text)
    title.setObjectName("pageTitle")
    title.setFont(style.heading_font(title.font()))
    return title


MONTHS = (
    "January February March April May June July August September October November December"
).split()
