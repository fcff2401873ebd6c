"""Printable PDF reports: the registry the GUI lists, and one render function per report.

Every report is a Renderer subclass (see base/renderer.py). To print one:

    from deesc_desktop.reports import ReportParams, render
    render("compliance", db, ReportParams(as_of=date(2026, 11, 22)), Path("out.pdf"))

or `render_compliance(db, params, path)`. Passing `now=` fixes the generation time printed in
the footer and stored in the PDF, and makes the file byte-for-byte reproducible.

Rendering is plain Python over one SQLite connection and touches no Qt, so the GUI may run
it on a worker thread: open the connection in that thread (SQLite connections belong to the
thread that opened them) and hand the finished path back to the GUI thread.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from deesc_desktop.reports.base.params import GRANT_KINDS, PARAM_LABELS, ReportParams
from deesc_desktop.reports.catalogue import REPORTS, ReportInfo
from deesc_desktop.services.errors import ValidationError

if TYPE_CHECKING:
    from deesc_desktop.reports.base.renderer import Renderer

# Importing this package imports no ReportLab: a renderer's module is imported when a report
# of its kind is first made (reports/catalogue.py).

__all__ = [
    "GRANT_KINDS",
    "PARAM_LABELS",
    "REPORTS",
    "ReportInfo",
    "ReportParams",
    "export_table",
    "render",
    "render_certificate",
    "render_cit",
    "render_compliance",
    "render_due",
    "render_due_list",
    "render_grant",
    "render_notice",
    "render_payments",
    "render_public_summary",
    "render_transcript",
    "render_voucher",
    "renderer",
]


def renderer(
    kind: str, db: Database, params: ReportParams, *, now: datetime | None = None
) -> Renderer[Any]:
    """The renderer of a report kind, ready to render() or export()."""
    info = REPORTS.get(kind)
    if info is None:
        raise ValidationError({"kind": f'"{kind}" is not a report (they are {", ".join(REPORTS)})'})
    return info.renderer()(db, params, now=now)


def render(
    kind: str,
    db: Database,
    params: ReportParams,
    out_path: Path,
    *,
    now: datetime | None = None,
) -> Path:
    """Write report `kind` as a PDF to `out_path`; returns the path.

    Raises ServiceError subclasses with a message for the user (unknown badge or record, a
    period that ends before it starts, a file that cannot be written).
    """
    return renderer(kind, db, params, now=now).render(Path(out_path))


def export_table(kind: str, db: Database, params: ReportParams, out_path: Path) -> int:
    """Write the report's main table to .csv or .xlsx; returns the number of rows."""
    return renderer(kind, db, params).export(Path(out_path))


def render_compliance(
    db: Database, params: ReportParams, out_path: Path, *, now: datetime | None = None
) -> Path:
    """Department compliance as of params.as_of."""
    return render("compliance", db, params, out_path, now=now)


def render_due(
    db: Database, params: ReportParams, out_path: Path, *, now: datetime | None = None
) -> Path:
    """Who needs what in the next params.days days (30, 60 or 90), by shift and unit."""
    return render("due", db, params, out_path, now=now)


def render_notice(
    db: Database, params: ReportParams, out_path: Path, *, now: datetime | None = None
) -> Path:
    """A deficiency notice for params.badge, or one page per officer on the due list."""
    return render("notice", db, params, out_path, now=now)


def render_voucher(
    db: Database, params: ReportParams, out_path: Path, *, now: datetime | None = None
) -> Path:
    """The voucher of payment batch params.batch."""
    return render("voucher", db, params, out_path, now=now)


def render_transcript(
    db: Database, params: ReportParams, out_path: Path, *, now: datetime | None = None
) -> Path:
    """One officer's training transcript (params.badge) for params.start to params.end."""
    return render("transcript", db, params, out_path, now=now)


def render_cit(
    db: Database, params: ReportParams, out_path: Path, *, now: datetime | None = None
) -> Path:
    """The CIT roster and coverage per shift as of params.as_of."""
    return render("cit", db, params, out_path, now=now)


def render_payments(
    db: Database, params: ReportParams, out_path: Path, *, now: datetime | None = None
) -> Path:
    """The bonus payment register for params.start to params.end."""
    return render("payments", db, params, out_path, now=now)


def render_grant(
    db: Database, params: ReportParams, out_path: Path, *, now: datetime | None = None
) -> Path:
    """The LEDTA, COPS or JAG grant report (params.grant) for params.start to params.end."""
    return render("grant", db, params, out_path, now=now)


def render_certificate(
    db: Database, params: ReportParams, out_path: Path, *, now: datetime | None = None
) -> Path:
    """A certificate of completion for training record params.record_id."""
    return render("certificate", db, params, out_path, now=now)


def render_public_summary(
    db: Database, params: ReportParams, out_path: Path, *, now: datetime | None = None
) -> Path:
    """The public summary (counts and totals, no names) for params.start to params.end."""
    return render("public-summary", db, params, out_path, now=now)


def render_due_list(
    db: Database, params: ReportParams, out_path: Path, *, now: datetime | None = None
) -> Path:
    """What falls due in the 30 days from params.as_of, a page per shift."""
    return render("due-list", db, params, out_path, now=now)
