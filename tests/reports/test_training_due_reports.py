"""The training-due report and the deficiency notices, read back from the PDF (issue 16)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlite_utils import Database

from deesc_desktop.reports import ReportParams, render
from deesc_desktop.services.errors import NotFoundError
from deesc_desktop.services.training_due import training_due
from tests.reports.conftest import DEMO_TODAY, FIXED_NOW, flat, pdf_text


def test_the_due_report_lists_everyone_by_shift_with_what_they_need(
    demo: Database, tmp_path: Path
) -> None:
    path = render(
        "due", demo, ReportParams(as_of=DEMO_TODAY, days=30), tmp_path / "d.pdf", now=FIXED_NOW
    )
    pages = pdf_text(path)
    text = flat(" ".join(pages))
    due = training_due(demo, DEMO_TODAY, 30, today=DEMO_TODAY)
    assert f"{len(due.by_officer())} of {due.officers} serving officers" in text
    assert "By shift" in text and "By unit" in text
    for shift, items in due.groups("shift"):
        assert f"{shift} ({len({i.officer.id for i in items})} officers)" in text
    for item in due.items:
        assert f"{item.officer.badge} {item.officer.display_name}" in text
        assert flat(item.needs) in text
    assert "Attestation" not in text  # a working list, not a signed report


def test_one_notice_page_per_officer_and_one_for_a_badge(demo: Database, tmp_path: Path) -> None:
    due = training_due(demo, DEMO_TODAY, 30, today=DEMO_TODAY)
    params = ReportParams(as_of=DEMO_TODAY, days=30, prepared_by="Sgt. Rosa Delgado (sgt.delgado)")
    pages = pdf_text(render("notice", demo, params, tmp_path / "all.pdf", now=FIXED_NOW))
    by_officer = due.by_officer()
    assert len(pages) == len(by_officer)
    for page, items in zip(pages, by_officer.values(), strict=True):
        o = items[0].officer
        text = flat(page)
        assert f"{o.first_name} {o.last_name}" in text and o.badge in text
        assert "Officer's signature" in text and "Supervisor's signature" in text
        assert "Sgt. Rosa Delgado (sgt.delgado)" in text
        for item in items:
            assert item.requirement_id in text
    first = next(iter(by_officer.values()))[0].officer
    one = pdf_text(
        render(
            "notice",
            demo,
            ReportParams(as_of=DEMO_TODAY, days=30, badge=first.badge),
            tmp_path / "one.pdf",
        )
    )
    assert len(one) == 1 and first.last_name in one[0]
    with pytest.raises(NotFoundError, match='no officer with badge "nope"'):
        render("notice", demo, ReportParams(badge="nope"), tmp_path / "x.pdf")


def test_a_notice_with_something_overdue_asks_for_it_at_once(
    demo: Database, tmp_path: Path
) -> None:
    due = training_due(demo, DEMO_TODAY, 90, today=DEMO_TODAY)
    late = next(i for i in due.items if i.bucket == "overdue").officer
    params = ReportParams(as_of=DEMO_TODAY, badge=late.badge)
    text = flat(pdf_text(render("notice", demo, params, tmp_path / "n.pdf"))[0])
    assert "Respond by As soon as possible" in text
