"""CIT dialogs: which course certifies or refreshes, and a certificate earned elsewhere."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QLineEdit,
    QWidget,
)

from deesc_desktop.core.cit import CERTIFYING, COURSE_ROLES, REFRESHER
from deesc_desktop.core.hours import format_hours, from_float
from deesc_desktop.core.wording import plural
from deesc_desktop.gui.context import AppContext
from deesc_desktop.gui.dialogs.common import OfficerPicker, lay_out_form, load_roster
from deesc_desktop.gui.forms import DateField, Form
from deesc_desktop.gui.widgets import muted
from deesc_desktop.services.cit import add_certification, set_course_cit_role
from deesc_desktop.services.errors import ServiceError
from deesc_desktop.store.cit import CitCourseRow, cit_courses, cit_settings

NEITHER = ""


def _role_text(role: str | None) -> str:
    return COURSE_ROLES.get(role or "", "Not a CIT course")


class CitCourseDialog(QDialog):
    """Mark a course as the CIT certifying course or a refresher (or neither)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.changed = False
        self.setWindowTitle("Mark CIT course")
        self.setMinimumWidth(560)
        settings = cit_settings(ctx.db)
        self.form = Form()
        self.course = QComboBox()
        self.course.setMinimumWidth(340)
        for row in cit_courses(ctx.db):
            hours = (
                f", {format_hours(from_float(row.default_hours))} h"
                if row.default_hours is not None
                else ""
            )
            role = f" — {_role_text(row.cit_role)}" if row.cit_role else ""
            self.course.addItem(f"{row.title}{hours}{role}", row)
        self.role = QComboBox()
        self.role.addItem("Not a CIT course", NEITHER)
        self.role.addItem(
            f"CIT certifying course (at least {format_hours(settings.certifying_min_hours)} h)",
            CERTIFYING,
        )
        self.role.addItem(
            f"CIT refresher (at least {format_hours(settings.refresher_min_hours)} h)", REFRESHER
        )
        self.form.add_row("course", "Course", self.course, required=True)
        self.form.add_row(
            "cit_role",
            "Counts as",
            self.role,
            hint="Every completion of a certifying course with enough hours certifies the "
            "officer from that day; a refresher renews a certification held (or lapsed no more "
            f"than {settings.grace_days} days).",
        )
        lay_out_form(self, self.form)
        self.course.currentIndexChanged.connect(self._course_chosen)
        self._course_chosen(self.course.currentIndex())

    def _course_chosen(self, index: int) -> None:
        row = self.course.itemData(index)
        if isinstance(row, CitCourseRow):
            self.role.setCurrentIndex(max(self.role.findData(row.cit_role or NEITHER), 0))

    def choose(self, title: str, role: str | None) -> None:
        """Pick a course by title and a role (tests and screenshots)."""
        for index in range(self.course.count()):
            row = self.course.itemData(index)
            if isinstance(row, CitCourseRow) and row.title.casefold() == title.casefold():
                self.course.setCurrentIndex(index)
        self.role.setCurrentIndex(max(self.role.findData(role or NEITHER), 0))

    def accept(self) -> None:
        row = self.course.currentData()
        if not isinstance(row, CitCourseRow):
            self.form.show_errors({"course": "choose a course"})
            return
        try:
            self.changed = set_course_cit_role(
                self.ctx.db, self.ctx.actor, row.id, self.role.currentData() or None
            )
        except ServiceError as exc:
            self.form.show_refusal(exc)
            return
        super().accept()


class CertificateDialog(QDialog):
    """A CIT certificate earned elsewhere: who, when, issuer, number, expiry if printed."""

    def __init__(
        self, ctx: AppContext, officer_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.certificate_id: int | None = None
        self.setWindowTitle("Add CIT certificate")
        self.setMinimumWidth(560)
        self.form = Form()
        self.officer = OfficerPicker()
        self.officer.select(officer_id)
        self.earned = DateField(date.today())
        self.expires = DateField(optional=True)
        self.number = QLineEdit()
        self.number.setPlaceholderText("as printed, e.g. CIT-20931")
        self.issuer = QLineEdit()
        self.issuer.setPlaceholderText("e.g. CIT International (Springfield PD)")
        self.notes = QLineEdit()
        validity = cit_settings(ctx.db).validity_years
        form = self.form
        form.add_row("officer", "Officer", self.officer, required=True)
        form.add_row("earned", "Earned on", self.earned, required=True)
        form.add_row(
            "expires",
            "Expires on",
            self.expires,
            hint="Only if the certificate prints one; otherwise it "
            + ("does not expire." if validity is None else f"lasts {plural(validity, 'year')}."),
        )
        form.add_row("number", "Certificate number", self.number)
        form.add_row("issuer", "Issued by", self.issuer, required=True)
        form.add_row("notes", "Notes", self.notes)
        lay_out_form(
            self,
            form,
            above=[
                muted(
                    "For a certificate earned outside this agency. A CIT course completed here "
                    "certifies by itself once the course is marked as the CIT certifying course."
                )
            ],
        )
        load_roster(ctx, self, self.officer.set_officers)

    def values(self) -> dict[str, object]:
        return {
            "earned": self.earned.text(),
            "expires": self.expires.text(),
            "number": self.number.text(),
            "issuer": self.issuer.text(),
            "notes": self.notes.text(),
        }

    def accept(self) -> None:
        officer_id = self.officer.required_officer(self.form)
        if officer_id is None:
            return
        try:
            self.certificate_id = add_certification(
                self.ctx.db, self.ctx.actor, officer_id, self.values()
            )
        except ServiceError as exc:
            self.form.show_refusal(exc)
            return
        super().accept()
