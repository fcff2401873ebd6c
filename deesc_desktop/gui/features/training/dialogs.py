"""Record a class for many officers, and correct one training record (services.training)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from deesc_desktop.core.hours import format_hours
from deesc_desktop.core.topics import DELIVERIES
from deesc_desktop.gui import prompts, style
from deesc_desktop.gui.context import AppContext
from deesc_desktop.gui.dialogs.common import lay_out_form, load_roster, roster_haystack
from deesc_desktop.gui.features.training.instructor_field import InstructorCombo
from deesc_desktop.gui.features.training.models import AttendeeColumn, AttendeeModel, ScoresModel
from deesc_desktop.gui.forms import DateField, Form, HoursField, fill_combo
from deesc_desktop.gui.models import RowFilterProxy, words_predicate
from deesc_desktop.gui.widgets import SearchBox, muted, table_view
from deesc_desktop.services.errors import ConflictError, ServiceError, ValidationError
from deesc_desktop.services.training import Attendee, edit_training_record, record_class
from deesc_desktop.store.courses import CourseRow, courses, topic_labels
from deesc_desktop.store.officers import RosterRow
from deesc_desktop.store.training import TrainingListRow, training_record


def _centihours(value: float) -> int:
    return round(value * 100)


class _TopicRow(QWidget):
    def __init__(self, labels: dict[str, str], editor: TopicSplitEditor) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.topic = QComboBox()
        self.topic.setPlaceholderText("Choose a topic")
        for code, label in labels.items():
            self.topic.addItem(label, code)
        self.topic.setCurrentIndex(-1)
        self.topic.setMinimumWidth(220)
        self.hours = HoursField()
        self.remove = QToolButton()
        self.remove.setText("Remove")
        self.remove.setToolTip("Remove this topic")
        layout.addWidget(self.topic, 1)
        layout.addWidget(self.hours)
        layout.addWidget(self.remove)
        self.topic.currentIndexChanged.connect(lambda _i: editor.changed.emit())
        self.hours.valueChanged.connect(lambda _v: editor.changed.emit())
        self.remove.clicked.connect(lambda: editor.remove_row(self))

    def code(self) -> str:
        return str(self.topic.currentData() or "")


class TopicSplitEditor(QWidget):
    """How a class's hours split across topics: one row per topic, with a running total."""

    changed = Signal()

    def __init__(self, labels: dict[str, str], total: HoursField) -> None:
        super().__init__()
        self.labels = labels
        self.total = total
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.rows_layout = QVBoxLayout()
        self.rows_layout.setSpacing(4)
        layout.addLayout(self.rows_layout)
        bottom = QHBoxLayout()
        self.add_button = QPushButton("Add topic")
        self.add_button.setToolTip("Split the hours across several topics")
        self.add_button.clicked.connect(lambda: self.add_row())
        self.summary = QLabel()
        bottom.addWidget(self.add_button)
        bottom.addWidget(self.summary, 1)
        layout.addLayout(bottom)
        self.rows: list[_TopicRow] = []
        self.changed.connect(self._update)
        total.valueChanged.connect(lambda _v: self._update())
        self.add_row()

    def add_row(self, code: str | None = None, hours: float | None = None) -> _TopicRow:
        row = _TopicRow(self.labels, self)
        if code is not None:
            index = row.topic.findData(code)
            if index < 0:
                row.topic.addItem(code, code)
                index = row.topic.count() - 1
            row.topic.setCurrentIndex(index)
        if len(self.rows) == 1 and hours is None:
            # Going from one topic to two: the first keeps every hour until the user moves some.
            self.rows[0].hours.setValue(self.total.value())
        if hours is not None:
            row.hours.setValue(hours)
        self.rows.append(row)
        self.rows_layout.addWidget(row)
        self._update()
        return row

    def remove_row(self, row: _TopicRow) -> None:
        if len(self.rows) <= 1:
            return
        self.rows.remove(row)
        row.setParent(None)
        row.deleteLater()
        self._update()

    def _update(self) -> None:
        single = len(self.rows) == 1
        for row in self.rows:
            row.remove.setEnabled(not single)
            row.hours.setEnabled(not single)
        if single:
            self.rows[0].hours.blockSignals(True)
            self.rows[0].hours.setValue(self.total.value())
            self.rows[0].hours.blockSignals(False)
            self.summary.setText("All the hours go to this topic.")
            self.summary.setStyleSheet(f"color: {style.Colour.MUTED};")
            return
        total = _centihours(self.total.value())
        assigned = sum(_centihours(row.hours.value()) for row in self.rows)
        text = f"{format_hours(assigned)} of {format_hours(total)} h assigned"
        if assigned == total:
            self.summary.setText(f"{text} (all assigned)")
            self.summary.setStyleSheet(f"color: {style.Colour.OK};")
        else:
            left = total - assigned
            more = (
                f"{format_hours(left)} h left" if left > 0 else f"{format_hours(-left)} h too many"
            )
            self.summary.setText(f"{text}: {more}")
            self.summary.setStyleSheet(f"color: {style.Colour.ERROR};")

    def text(self) -> str:
        """The split as the services read it: `code`, or `code:hours;code:hours`."""
        if len(self.rows) == 1:
            return self.rows[0].code()
        return ";".join(f"{row.code()}:{row.hours.text_value()}" for row in self.rows if row.code())

    def set_text(self, text: str) -> None:
        """Show a split written as `code` or `code:hours;code:hours`."""
        for row in list(self.rows):
            self.rows.remove(row)
            row.setParent(None)
            row.deleteLater()
        parts = [part.strip() for part in (text or "").split(";") if part.strip()]
        if not parts:
            self.add_row()
            return
        split = []
        for part in parts:
            code, _, hours = part.partition(":")
            try:
                value = float(hours) if hours.strip() else None
            except ValueError:
                value = None
            split.append((code.strip(), value))
            self.add_row(code.strip(), 0.0)
        if len(self.rows) > 1:
            # Hours only once every row is there: a lone row mirrors the class total.
            for row, (_code, value) in zip(self.rows, split, strict=True):
                row.hours.setValue(value or 0.0)
        self._update()

    def set_split(self, split: tuple[tuple[str, int], ...]) -> None:
        self.set_text(";".join(f"{code}:{hours / 100:g}" for code, hours in split))


class ClassFields:
    """The fields every class shares: course, date, hours and topics, delivery, who taught."""

    def __init__(self, ctx: AppContext, form: Form, *, with_course_number: bool = True) -> None:
        self._filling = False
        self.course = QComboBox()
        self.course.setEditable(True)
        self.course.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for course in courses(ctx.db):
            self.course.addItem(course.title, course)
        self.course.setCurrentIndex(-1)
        line = self.course.lineEdit()
        if line is not None:
            line.setPlaceholderText("Choose a course, or type a new one")
        self.completed = DateField(date.today())
        self.hours = HoursField()
        self.topics = TopicSplitEditor(topic_labels(ctx.db), self.hours)
        self.delivery = QComboBox()
        fill_combo(self.delivery, DELIVERIES, "classroom")
        self.provider = QLineEdit()
        self.instructor = InstructorCombo(ctx)
        self.instructor.set_day(self.completed.value())
        self.completed.changed.connect(lambda: self.instructor.set_day(self.completed.value()))
        self.course_number = QLineEdit() if with_course_number else None
        form.add_row(
            "course",
            "Course",
            self.course,
            required=True,
            hint="Choosing a known course fills in its usual hours, topics and delivery.",
        )
        form.add_row("completed", "Completed on", self.completed, required=True)
        form.add_row("hours", "Hours", self.hours, required=True)
        form.add_row("topics", "Topics", self.topics, required=True)
        form.add_row("delivery", "Delivery", self.delivery)
        form.add_row("provider", "Provider", self.provider)
        form.add_row("instructor", "Instructor", self.instructor.box)
        if self.course_number is not None:
            form.add_row("course_number", "Course number", self.course_number)
        self.course.currentIndexChanged.connect(self._course_chosen)

    def _course_chosen(self, index: int) -> None:
        course = self.course.itemData(index) if index >= 0 else None
        if self._filling or not isinstance(course, CourseRow):
            return
        if course.default_hours is not None:
            self.hours.setValue(course.default_hours)
        self.topics.set_text(course.default_topics)
        delivery = self.delivery.findData(course.delivery)
        if delivery >= 0:
            self.delivery.setCurrentIndex(delivery)
        if course.provider:
            self.provider.setText(course.provider)
        if self.course_number is not None:
            self.course_number.setText(course.course_number)

    def choose_course(self, title: str) -> None:
        """Pick a known course as a user would, filling in its defaults."""
        index = self.course.findText(title, Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            self.course.setCurrentIndex(index)
        else:
            self.course.setEditText(title)

    def set_record(self, row: TrainingListRow) -> None:
        """Show an existing record without applying the course's defaults."""
        self._filling = True
        try:
            index = self.course.findText(row.course, Qt.MatchFlag.MatchFixedString)
            if index >= 0:
                self.course.setCurrentIndex(index)
            else:
                self.course.setEditText(row.course)
            self.completed.set_value(date.fromisoformat(row.completed))
            self.hours.setValue(row.hours / 100)
            self.topics.set_split(row.topic_hours)
            delivery = self.delivery.findData(row.delivery)
            if delivery >= 0:
                self.delivery.setCurrentIndex(delivery)
            self.provider.setText(row.provider)
            self.instructor.setText(row.instructor)
        finally:
            self._filling = False

    def values(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "course": self.course.currentText(),
            "completed": self.completed.text(),
            "hours": self.hours.text_value(),
            "topics": self.topics.text(),
            "delivery": self.delivery.currentData(),
            "provider": self.provider.text(),
            "instructor": self.instructor.text(),
        }
        if self.course_number is not None:
            values["course_number"] = self.course_number.text()
        return values


class RecordClassDialog(QDialog):
    """One class, everyone who attended: saved in one go by services.training.record_class."""

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, *, officer_ids: Sequence[int] = ()
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.record_ids: list[int] = []
        self._preset = list(officer_ids)
        """Officers to tick once the roster is in (the officer dialog's Record training)."""
        self.setWindowTitle("Record class")
        self.resize(1120, 720)
        self.form = Form()
        self.fields = ClassFields(ctx, self.form)

        details = QGroupBox("Class")
        details_layout = QVBoxLayout(details)
        details_layout.addLayout(self.form.layout)
        details_layout.addStretch(1)

        people = QGroupBox("Who attended")
        people_layout = QVBoxLayout(people)
        self.search = SearchBox("Search name or badge")
        people_layout.addWidget(self.search)
        self.attendees = AttendeeModel(self)
        self.attendees.sort(AttendeeColumn.NAME)
        self.proxy = RowFilterProxy(self)
        self.proxy.setSourceModel(self.attendees)
        self.view = table_view(self.proxy, stretch=3)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setToolTip("Click an officer to tick or untick them")
        self.view.clicked.connect(self._toggle)
        space = QShortcut(QKeySequence(Qt.Key.Key_Space), self.view)
        space.setContext(Qt.ShortcutContext.WidgetShortcut)
        space.activated.connect(lambda: self._toggle(self.view.currentIndex()))
        people_layout.addWidget(self.view, 3)
        buttons_row = QHBoxLayout()
        self.shift_button = QPushButton("Add whole shift")
        self.shift_menu = QMenu(self.shift_button)
        self.shift_button.setMenu(self.shift_menu)
        self.unit_button = QPushButton("Add whole unit")
        self.unit_menu = QMenu(self.unit_button)
        self.unit_button.setMenu(self.unit_menu)
        clear = QPushButton("Untick all")
        clear.clicked.connect(self.attendees.clear_checks)
        self.chosen = QLabel("No one chosen yet")
        for widget in (self.shift_button, self.unit_button, clear):
            buttons_row.addWidget(widget)
        buttons_row.addStretch(1)
        buttons_row.addWidget(self.chosen)
        people_layout.addLayout(buttons_row)
        self.attendee_error = QLabel()
        self.attendee_error.setObjectName("fieldError")
        self.attendee_error.setWordWrap(True)
        self.attendee_error.hide()
        people_layout.addWidget(self.attendee_error)
        people_layout.addWidget(muted("Test scores (optional, 0–100): double-click a cell."))
        self.scores = ScoresModel(self)
        self.scores_view = table_view(self.scores, sortable=False, stretch=0)
        self.scores_view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.scores_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        people_layout.addWidget(self.scores_view, 2)
        self.score_error = QLabel()
        self.score_error.setObjectName("fieldError")
        self.score_error.hide()
        people_layout.addWidget(self.score_error)

        columns = QHBoxLayout()
        columns.addWidget(details, 5)
        columns.addWidget(people, 6)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form.banner)
        layout.addLayout(columns, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.addButton("Save class", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.search.search.connect(self._filter)
        self.attendees.dataChanged.connect(lambda *_: self._chosen_changed())
        self.attendees.modelReset.connect(self._chosen_changed)
        load_roster(ctx, self, self.set_officers)

    # --- attendees -------------------------------------------------------------------------

    def set_officers(self, rows: list[RosterRow]) -> None:
        self.attendees.set_rows(rows)
        if self._preset:
            self.check_officers(self._preset)
        self._fill_group_menu(self.shift_menu, rows, "shift")
        self._fill_group_menu(self.unit_menu, rows, "unit")

    def _fill_group_menu(self, menu: QMenu, rows: list[RosterRow], attribute: str) -> None:
        menu.clear()
        groups: dict[str, list[RosterRow]] = {}
        for row in rows:
            value = getattr(row, attribute)
            if value:
                groups.setdefault(value, []).append(row)
        for name in sorted(groups, key=str.casefold):
            members = groups[name]
            action = menu.addAction(f"{name} ({len(members)})")
            action.triggered.connect(
                lambda _checked=False, m=members: self.attendees.set_checked(m, True)
            )
        menu.setEnabled(bool(groups))

    def _filter(self, text: str) -> None:
        self.proxy.set_predicate(words_predicate(text, roster_haystack))

    def _toggle(self, index: Any) -> None:
        if not index.isValid():
            return
        source = self.proxy.mapToSource(index)
        row = self.attendees.row(source.row())
        self.attendees.set_checked([row], row.id not in self.attendees.checked)

    def check_officers(self, officer_ids: list[int]) -> None:
        rows = [r for r in self.attendees.all_rows() if r.id in set(officer_ids)]
        self.attendees.set_checked(rows, True)

    def _chosen_changed(self) -> None:
        chosen = list(self.attendees.checked.values())
        count = len(chosen)
        self.chosen.setText(
            "No one chosen yet"
            if not count
            else f"{count} officer{'s' if count != 1 else ''} chosen"
        )
        if {p.id for p in self.scores.people()} != {p.id for p in chosen}:
            self.scores.set_people(chosen)

    # --- saving --------------------------------------------------------------------------------

    def attendee_list(self) -> list[Attendee]:
        return [Attendee(p.id, *self.scores.scores(p.id)) for p in self.scores.people()]

    def _show_errors(self, field_errors: dict[str, str], banner: str = "") -> None:
        shown = {k: v for k, v in field_errors.items() if k in self.form.errors}
        self.form.show_errors(shown, banner)
        attendees = field_errors.get("attendees", "")
        self.attendee_error.setText(attendees[:1].upper() + attendees[1:])
        self.attendee_error.setVisible(bool(attendees))
        scores = [
            f"{'Pre-test' if k == 'pre_test' else 'Post-test'} {v}"
            for k, v in field_errors.items()
            if k in ("pre_test", "post_test")
        ]
        self.score_error.setText("; ".join(scores))
        self.score_error.setVisible(bool(scores))

    def accept(self) -> None:
        try:
            self.record_ids = record_class(
                self.ctx.db, self.ctx.actor, self.fields.values(), self.attendee_list()
            )
        except ValidationError as exc:
            self._show_errors(exc.field_errors)
            return
        except ServiceError as exc:
            self._show_errors({}, str(exc))
            return
        super().accept()


class TrainingRecordDialog(QDialog):
    """Correct one officer's training record; the reason goes in the audit log."""

    def __init__(
        self, ctx: AppContext, row: TrainingListRow, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.row = row
        self.setWindowTitle("Edit training record")
        self.setMinimumWidth(620)
        self.form = Form()
        self.fields = ClassFields(ctx, self.form, with_course_number=False)
        self.pre_test = QLineEdit()
        self.post_test = QLineEdit()
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("e.g. hours were entered wrong on the sign-in sheet")
        self.form.add_row("pre_test", "Pre-test score", self.pre_test)
        self.form.add_row("post_test", "Post-test score", self.post_test)
        self.form.add_row(
            "reason",
            "Reason for the change",
            self.reason,
            required=True,
            hint="Kept in the audit log with the record before and after.",
        )
        lay_out_form(
            self, self.form, above=[QLabel(f"<b>{row.officer_name}</b> (badge {row.badge})")]
        )
        self.load(row)

    def load(self, row: TrainingListRow) -> None:
        self.row = row
        self.fields.set_record(row)
        self.pre_test.setText("" if row.pre_test is None else f"{row.pre_test:g}")
        self.post_test.setText("" if row.post_test is None else f"{row.post_test:g}")
        self.form.clear_errors()

    def values(self) -> dict[str, Any]:
        return {
            **self.fields.values(),
            "pre_test": self.pre_test.text(),
            "post_test": self.post_test.text(),
        }

    def accept(self) -> None:
        try:
            edit_training_record(
                self.ctx.db,
                self.ctx.actor,
                self.row.id,
                self.values(),
                reason=self.reason.text(),
                expected_version=self.row.version,
            )
        except ValidationError as exc:
            self.form.show_errors(exc.field_errors)
            return
        except ConflictError as exc:
            current = training_record(self.ctx.db, self.row.id)
            if current is not None and current.version != self.row.version:
                if prompts.offer_reload(self, str(exc)):
                    self.load(current)
                return
            self.form.show_errors({}, str(exc))
            return
        except ServiceError as exc:
            self.form.show_errors({}, str(exc))
            return
        super().accept()
