"""What reports there are: each one's title, description and parameters, without ReportLab.

A screen lists the reports and builds their forms from this alone, so that ReportLab and the
renderers are imported when something is first printed, not when the window opens (at start-up
that import held the window still for a fifth of a second). Each renderer class names its
`kind` and takes the rest from its entry here (base/renderer.py), so this is the one place a
report's title or parameters are written.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from deesc_desktop.reports.base.renderer import Renderer


@dataclass(frozen=True, slots=True)
class ReportInfo:
    """What the GUI's Reports page and `deesc report` need to list a report and ask for it."""

    kind: str
    title: str
    description: str
    params: tuple[str, ...]
    """ReportParams fields the report reads, in form order (labels in PARAM_LABELS)."""
    required: tuple[str, ...]
    """Of those, the ones that must be given (a badge, a record number)."""
    landscape: bool
    renderer_path: str
    """Where the renderer class lives: "module:Class" within deesc_desktop.reports."""
    listed: bool = True
    """False for a report printed from elsewhere (a class's sign-in sheet, from its file)."""

    def renderer(self) -> type[Renderer[Any]]:
        """The renderer class (importing it, and ReportLab, the first time)."""
        module, name = self.renderer_path.split(":")
        cls: type[Renderer[Any]] = getattr(
            importlib.import_module(f"deesc_desktop.reports.{module}"), name
        )
        return cls


def _info(
    kind: str,
    title: str,
    description: str,
    params: tuple[str, ...],
    renderer: str,
    *,
    required: tuple[str, ...] = (),
    landscape: bool = False,
    listed: bool = True,
) -> ReportInfo:
    return ReportInfo(kind, title, description, params, required, landscape, renderer, listed)


SIGNED = ("confidential", "signer", "signer_title")
"""The parameters of a report a chief signs: names may be withheld, and who signs it."""

CATALOGUE: dict[str, ReportInfo] = {
    info.kind: info
    for info in (
        _info(
            "compliance",
            "Department compliance",
            "Every serving officer against every training requirement in force on a date: "
            "summary counts, a chart by requirement, the officer table, and the reason for "
            "every requirement not yet met.",
            ("as_of", *SIGNED),
            "compliance:ComplianceReport",
            landscape=True,
        ),
        _info(
            "due",
            "Training due",
            "Every officer with a requirement overdue or due in the next 30, 60 or 90 days, and "
            "what it takes to meet it: counts by shift and unit, then the list by shift.",
            ("as_of", "days", "confidential"),
            "training_due:TrainingDueReport",
            landscape=True,
        ),
        _info(
            "notice",
            "Training deficiency notice",
            "A one-page notice per officer (one officer, or everyone on the training-due list) "
            "naming each requirement not met or falling due, what it takes and by when, with "
            "lines for the officer and the supervisor to sign.",
            ("badge", "as_of", "days", "confidential"),
            "training_due:DeficiencyNotice",
        ),
        _info(
            "transcript",
            "Officer training transcript",
            "One officer's training records in a date range with totals by topic, CIT "
            "certification, leave and exemptions, and compliance on the last day.",
            ("badge", "start", "end", *SIGNED),
            "transcript:TranscriptReport",
            required=("badge",),
        ),
        _info(
            "cit",
            "CIT roster and coverage",
            "Crisis Intervention Team: every officer who holds or held CIT certification, with "
            "expiry and refreshers, and the share of patrol officers certified on each shift "
            "against the agency's target.",
            ("as_of", *SIGNED),
            "cit:CitReport",
            landscape=True,
        ),
        _info(
            "payments",
            "Bonus payment register",
            "De-escalation bonus claims for a period (by default the fiscal year to date): "
            "every payment with who drafted, submitted, approved and paid it, adjustments, "
            "claims by status, totals by program and funding source, and the grand total to "
            "the cent.",
            ("start", "end", *SIGNED),
            "payments:PaymentRegister",
            landscape=True,
        ),
        _info(
            "voucher",
            "Payment batch voucher",
            "One payroll batch of de-escalation bonus claims: each claim with who approved it, "
            "totals by funding source, and lines for the chief and finance to sign.",
            ("batch", *SIGNED),
            "voucher:VoucherReport",
            required=("batch",),
        ),
        _info(
            "grant",
            "Grant report (LEDTA / COPS / JAG)",
            "What a LEDTA, COPS or Byrne JAG de-escalation grant report asks for, for a period "
            "(the federal fiscal year by default): officers employed and trained by topic, "
            "hours, pre/post-test averages, follow-up assessments, funds received and spent, "
            "interactions with de-escalation and force and injury rates by training, class "
            "files still incomplete; officers' names can be left out.",
            ("grant", "start", "end", "include_names", *SIGNED),
            "grant:GrantReport",
        ),
        _info(
            "certificate",
            "Certificate of completion",
            "A certificate for one completed class (a training record): officer, course, "
            "date, hours and topics, with lines for the chief and the instructor to sign.",
            ("record_id", "signer", "signer_title"),
            "certificate:CertificateReport",
            required=("record_id",),
            landscape=True,
        ),
        _info(
            "public-summary",
            "Public summary: training, incidents and bonus payments",
            "For publication: classes, completions and hours of training, interactions with "
            "de-escalation and the force and injury rates by training, and bonus payments by "
            "program, as counts and totals for a period (the fiscal year to date by default). "
            "No names, badges or demographics.",
            ("start", "end", "signer"),
            "public_summary:PublicSummaryReport",
        ),
        _info(
            "due-list",
            "Due in the next 30 days",
            "What falls due from the as-of date to 30 days later: training requirements and "
            "CIT certificates by officer, grouped by shift with each shift on its own page for "
            "its supervisor; then instructor certifications and scheduled classes.",
            ("as_of", "confidential"),
            "due_list:DueListReport",
        ),
        _info(
            "sign-in-sheet",
            "Class sign-in sheet",
            "The roster officers sign at a class: course, date, hours and instructor, a line "
            "per expected officer with name, badge and state ID, and blank lines for walk-ins.",
            (),
            "sign_in_sheet:SignInSheetReport",
            listed=False,
        ),
    )
}
"""kind -> ReportInfo: every report, listed or not."""

REPORTS: dict[str, ReportInfo] = {kind: info for kind, info in CATALOGUE.items() if info.listed}
"""kind -> ReportInfo of the reports a user picks from, in the order a menu lists them."""
