"""`deesc files`: class files and their documents, the state's checklist, instructors,
printed sign-in sheets and attendance taken from them."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from deesc_desktop.cli.cit import date_arg, print_rows
from deesc_desktop.cli.common import (
    EXIT_OK,
    AddCommand,
    count_arg,
    print_json,
    record_number,
    signed_in,
)
from deesc_desktop.core.auth import Actor
from deesc_desktop.core.course_files import DOCUMENT_KINDS, checklist, checklist_source
from deesc_desktop.core.documents import format_size
from deesc_desktop.core.hours import format_hours
from deesc_desktop.services.course_files import (
    ClassFile,
    ClassFileDetail,
    ClassRef,
    Owner,
    SupportingDocument,
    attach_file,
    claim_documents,
    class_file,
    class_files,
    describe_attachment,
    record_documents,
    remove_attachment,
    save_attachment,
)
from deesc_desktop.store.agency import get_agency


def _with_db(args: argparse.Namespace, work: Callable[[Database, Actor], int]) -> int:
    with signed_in(args) as (db, user):
        return work(db, user)


def class_ref(args: argparse.Namespace) -> ClassRef:
    """The class named by --class, or by --course and --date."""
    return ClassRef(args.class_id, args.course, args.date)


def _add_class_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--class", dest="class_id", type=record_number, metavar="N", help="class number"
    )
    parser.add_argument("--course", metavar="TITLE", help="the course title (with --date)")
    parser.add_argument("--date", type=date_arg, metavar="DATE", help="the day it was held")


def _add_people_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--badges", metavar="BADGES", help="comma-separated badges expected")
    parser.add_argument("--shift", help="everyone on this shift")
    parser.add_argument("--unit", help="everyone in this unit")


def _kinds_text(kinds: tuple[str, ...]) -> str:
    return ", ".join(kinds)


def file_json(found: ClassFile) -> dict[str, Any]:
    """One class file as `deesc files list --format json` prints it (docs/course-files.md)."""
    row = found.row
    return {
        "class_id": row.class_id,
        "course": row.course,
        "course_number": row.course_number,
        "date": row.held_on,
        "hours": format_hours(row.hours),
        "instructor": row.instructor,
        "instructor_id": found.instructor_id,
        "instructor_flag": found.lapsed,
        "attendees": row.attendees,
        "expected": row.expected,
        "documents": found.documents,
        "missing": list(found.missing),
        "complete": found.complete,
    }


def cmd_files_list(args: argparse.Namespace) -> int:
    end = args.end or date.today()
    start = args.start or end - timedelta(days=365)

    def work(db: Database, user: Actor) -> int:
        files = class_files(db, start, end, incomplete_only=args.incomplete)
        if args.format == "json":
            print_json([file_json(f) for f in files])
            return EXIT_OK
        rows = [
            [
                f.row.held_on,
                f.row.class_id or "",
                f.row.course,
                f.row.attendees,
                f.documents,
                _kinds_text(f.missing) or "complete",
                f"LAPSED: {f.lapsed}" if f.lapsed else "",
            ]
            for f in files
        ]
        headers = ["Date", "Class", "Course", "Attended", "Docs", "Missing", "Instructor"]
        print_rows(headers, rows, args.format)
        return EXIT_OK

    return _with_db(args, work)


def detail_json(detail: ClassFileDetail) -> dict[str, Any]:
    return {
        **file_json(detail.file),
        "topics": detail.topics,
        "provider": detail.provider,
        "checklist": list(detail.checklist),
        "people": [
            {
                "badge": p.badge,
                "name": p.display_name,
                "state_id": p.state_id,
                "expected": p.expected,
                "attended": p.record_id is not None,
                "record_id": p.record_id,
            }
            for p in detail.people
        ],
        "attachments": [describe_attachment(a) for a in detail.documents],
    }


def cmd_files_show(args: argparse.Namespace) -> int:
    def work(db: Database, user: Actor) -> int:
        detail = class_file(db, class_ref(args))
        if args.format == "json":
            print_json(detail_json(detail))
            return EXIT_OK
        found, row = detail.file, detail.file.row
        number = f"class {row.class_id}" if row.class_id else "no class file kept yet"
        print(f"{row.course} on {row.held_on} ({number})")
        print(f"  {format_hours(row.hours)} h, {row.delivery}; instructor: {row.instructor or '-'}")
        if found.lapsed:
            print(f"  Instructor flagged: {found.lapsed}")
        print(f"  Attended: {row.attendees}; expected: {row.expected}")
        print("Checklist:")
        for kind in detail.checklist:
            mark = "missing" if kind in found.missing else "ok"
            print(f"  [{mark:>7}] {DOCUMENT_KINDS[kind]}")
        print("Documents:")
        for a in detail.documents:
            print(
                f"  #{a.id:<5} {DOCUMENT_KINDS[a.kind]:<38} {a.file_name} "
                f"({format_size(a.size)}, {a.media_type})"
            )
        if not detail.documents:
            print("  none")
        print("People:")
        for p in detail.people:
            state = "attended" if p.record_id else "absent"
            print(f"  {p.badge:<8} {p.display_name:<28} {p.state_id:<12} {state}")
        return EXIT_OK

    return _with_db(args, work)


def _owner(db: Database, args: argparse.Namespace) -> Owner:
    if args.record is not None:
        return Owner(record_id=args.record)
    if args.instructor:
        from deesc_desktop.cli.common import Refused
        from deesc_desktop.store.instructors import instructor_id_by_name

        found = instructor_id_by_name(db, args.instructor)
        if found is None:
            raise Refused(f'There is no instructor called "{args.instructor}".')
        return Owner(instructor_id=found)
    return Owner(class_ref=class_ref(args))


def cmd_files_attach(args: argparse.Namespace) -> int:
    def work(db: Database, user: Actor) -> int:
        attachment_id = attach_file(
            db,
            user,
            Path(args.file),
            args.kind,
            _owner(db, args),
            description=args.description,
        )
        print(f"Attached {Path(args.file).name} as attachment {attachment_id}.")
        return EXIT_OK

    return _with_db(args, work)


def cmd_files_get(args: argparse.Namespace) -> int:
    def work(db: Database, user: Actor) -> int:
        path = save_attachment(db, user, args.id, Path(args.output))
        print(f"Wrote attachment {args.id} to {path}")
        return EXIT_OK

    return _with_db(args, work)


def cmd_files_remove(args: argparse.Namespace) -> int:
    def work(db: Database, user: Actor) -> int:
        remove_attachment(db, user, args.id, reason=args.reason)
        print(f"Removed attachment {args.id}; the audit log keeps its digest and your reason.")
        return EXIT_OK

    return _with_db(args, work)


def _print_supporting(found: list[SupportingDocument], fmt: str, empty: str) -> None:
    if fmt == "json":
        print_json([{**describe_attachment(d.attachment), "documents": d.documents} for d in found])
        return
    if not found:
        print(empty)
        return
    for d in found:
        a = d.attachment
        print(f"#{a.id:<5} {DOCUMENT_KINDS[a.kind]:<38} {a.file_name}  [{d.documents}]")


def cmd_files_claim(args: argparse.Namespace) -> int:
    def work(db: Database, user: Actor) -> int:
        _print_supporting(
            claim_documents(db, args.id),
            args.format,
            f"No documents stand behind claim {args.id}: attach the class's sign-in sheet "
            "or the officer's certificate.",
        )
        return EXIT_OK

    return _with_db(args, work)


def cmd_files_record(args: argparse.Namespace) -> int:
    def work(db: Database, user: Actor) -> int:
        _print_supporting(
            record_documents(db, args.id),
            args.format,
            f"No documents for training record {args.id} or its class.",
        )
        return EXIT_OK

    return _with_db(args, work)


def cmd_files_checklist(args: argparse.Namespace) -> int:
    def work(db: Database, user: Actor) -> int:
        agency = get_agency(db)
        state = agency.state if agency else ""
        print(f"Class file checklist for {state}: {checklist_source(state)}")
        for kind in checklist(state):
            print(f"  {kind:<22} {DOCUMENT_KINDS[kind]}")
        return EXIT_OK

    return _with_db(args, work)


def _officers_from(db: Database, args: argparse.Namespace) -> list[int]:
    """Officers named by --badges (comma separated), --shift or --unit (current officers)."""
    from deesc_desktop.cli.cit import officer_id_for
    from deesc_desktop.store.officers import roster

    chosen: list[int] = []
    for badge in (args.badges or "").split(","):
        if badge.strip():
            chosen.append(officer_id_for(db, badge.strip()))
    current = [r for r in roster(db) if r.status != "separated"]
    if args.shift:
        chosen += [r.id for r in current if r.shift.casefold() == args.shift.casefold()]
    if args.unit:
        chosen += [r.id for r in current if r.unit.casefold() == args.unit.casefold()]
    return list(dict.fromkeys(chosen))


def _instructor_id(db: Database, name: str | None) -> int | None:
    if not name:
        return None
    from deesc_desktop.cli.common import Refused
    from deesc_desktop.store.instructors import instructor_id_by_name

    found = instructor_id_by_name(db, name)
    if found is None:
        raise Refused(
            f'There is no instructor called "{name}"; add them with `deesc files instructor add`.'
        )
    return found


def cmd_files_schedule(args: argparse.Namespace) -> int:
    from deesc_desktop.services.classes import schedule_class

    def work(db: Database, user: Actor) -> int:
        values = {
            "course": args.course,
            "held_on": args.date,
            "hours": args.hours,
            "topics": args.topics,
            "delivery": args.delivery,
            "provider": args.provider,
            "instructor_id": _instructor_id(db, args.instructor),
            "location": args.location,
        }
        if values["hours"] is None or values["topics"] is None:
            from deesc_desktop.store.courses import courses

            known = next(
                (c for c in courses(db) if c.title.casefold() == args.course.casefold()), None
            )
            if known is not None:
                values["hours"] = values["hours"] or known.default_hours
                values["topics"] = values["topics"] or known.default_topics
                values["delivery"] = args.delivery or known.delivery
        officers = _officers_from(db, args)
        class_id = schedule_class(db, user, values, officers)
        print(
            f"Scheduled class {class_id}: {args.course} on {args.date}, {len(officers)} expected."
        )
        return EXIT_OK

    return _with_db(args, work)


def cmd_files_sheet(args: argparse.Namespace) -> int:
    from deesc_desktop.reports.sign_in_sheet import render_sign_in_sheet
    from deesc_desktop.services.classes import sign_in_sheet

    def work(db: Database, user: Actor) -> int:
        sheet = sign_in_sheet(db, class_ref(args), blank_lines=args.blank)
        path = render_sign_in_sheet(db, sheet, Path(args.output))
        print(f"Wrote the sign-in sheet ({len(sheet.lines)} officers) to {path}")
        return EXIT_OK

    return _with_db(args, work)


def cmd_files_attendance(args: argparse.Namespace) -> int:
    from deesc_desktop.services.classes import record_attendance

    def work(db: Database, user: Actor) -> int:
        detail = class_file(db, class_ref(args))
        absent = {b.strip() for b in (args.absent or "").split(",") if b.strip()}
        unknown = absent - {p.badge for p in detail.people}
        if unknown:
            from deesc_desktop.cli.common import Refused

            raise Refused(f"badge {sorted(unknown)[0]} is not expected at this class")
        present = [
            p.officer_id
            for p in detail.people
            if p.expected and p.record_id is None and p.badge not in absent
        ]
        present += _officers_from(db, args)
        ids = record_attendance(
            db,
            user,
            class_ref(args),
            list(dict.fromkeys(present)),
            sheet=Path(args.sheet) if args.sheet else None,
        )
        attached = " and attached the signed sheet" if args.sheet else ""
        plural = "s" if len(ids) != 1 else ""
        print(f"Recorded the class for {len(ids)} officer{plural}{attached}.")
        return EXIT_OK

    return _with_db(args, work)


def cmd_instructor_list(args: argparse.Namespace) -> int:
    from deesc_desktop.services.instructors import instructor_summaries

    def work(db: Database, user: Actor) -> int:
        summaries = instructor_summaries(db, args.as_of)
        if args.format == "json":
            print_json(
                [
                    {
                        "id": s.instructor.id,
                        "name": s.instructor.name,
                        "affiliation": s.instructor.affiliation,
                        "active": s.instructor.active,
                        "biography_on_file": s.has_biography,
                        "lapsed": s.lapsed,
                        "certifications": [
                            {
                                "name": c.name,
                                "number": c.number,
                                "issuer": c.issuer,
                                "earned": c.earned,
                                "expires": c.expires,
                            }
                            for c in s.certifications
                        ],
                    }
                    for s in summaries
                ]
            )
            return EXIT_OK
        rows = [
            [
                s.instructor.name,
                s.instructor.affiliation,
                "; ".join(f"{c.name} (to {c.expires or 'no expiry'})" for c in s.certifications),
                "yes" if s.has_biography else "MISSING",
                f"LAPSED: {s.lapsed}" if s.lapsed else "",
            ]
            for s in summaries
        ]
        print_rows(["Instructor", "Affiliation", "Certifications", "Bio", "Flag"], rows, "table")
        return EXIT_OK

    return _with_db(args, work)


def cmd_instructor_add(args: argparse.Namespace) -> int:
    from deesc_desktop.services.instructors import add_instructor

    def work(db: Database, user: Actor) -> int:
        values = {
            "name": args.name,
            "affiliation": args.affiliation,
            "email": args.email,
            "phone": args.phone,
        }
        instructor_id = add_instructor(db, user, values)
        print(f"Added instructor {instructor_id}: {args.name}")
        return EXIT_OK

    return _with_db(args, work)


def cmd_instructor_certify(args: argparse.Namespace) -> int:
    from deesc_desktop.services.instructors import add_instructor_certification

    def work(db: Database, user: Actor) -> int:
        instructor_id = _instructor_id(db, args.name)
        assert instructor_id is not None
        add_instructor_certification(
            db,
            user,
            instructor_id,
            {
                "name": args.certification,
                "number": args.number,
                "issuer": args.issuer,
                "earned": args.earned,
                "expires": args.expires,
            },
        )
        print(f"Recorded {args.certification} for {args.name}.")
        return EXIT_OK

    return _with_db(args, work)


def register(add: AddCommand) -> None:
    """Add `deesc files` to the `deesc` parser."""
    files = add(
        "files",
        cmd_files_list,
        "class files: documents (sign-in sheets, lesson plans...), the state's checklist, "
        "instructors, sign-in sheets to print, attendance",
    )
    files.set_defaults(start=None, end=None, incomplete=False, format="table")
    actions = files.add_subparsers(dest="files_action", metavar="ACTION")

    listing = actions.add_parser("list", help="classes and what each file lacks (default)")
    listing.set_defaults(handler=cmd_files_list)
    listing.add_argument("--from", dest="start", type=date_arg, metavar="DATE")
    listing.add_argument("--to", dest="end", type=date_arg, metavar="DATE")
    listing.add_argument("--incomplete", action="store_true", help="only files that lack something")
    listing.add_argument("--format", choices=("table", "csv", "json"), default="table")

    show = actions.add_parser("show", help="one class file: checklist, documents, people")
    show.set_defaults(handler=cmd_files_show)
    _add_class_options(show)
    show.add_argument("--format", choices=("table", "json"), default="table")

    attach = actions.add_parser("attach", help="attach a document (PDF, image, Office file)")
    attach.set_defaults(handler=cmd_files_attach)
    attach.add_argument("file")
    attach.add_argument("--kind", required=True, choices=list(DOCUMENT_KINDS))
    _add_class_options(attach)
    attach.add_argument(
        "--record", type=record_number, metavar="ID", help="a training record instead"
    )
    attach.add_argument("--instructor", metavar="NAME", help="an instructor instead")
    attach.add_argument("--description", default="")

    get = actions.add_parser("get", help="save an attached document to a file")
    get.set_defaults(handler=cmd_files_get)
    get.add_argument("id", type=record_number, help="the attachment number")
    get.add_argument("-o", "--output", required=True, metavar="PATH", help="a file or folder")

    remove = actions.add_parser("remove", help="take a document out of its file")
    remove.set_defaults(handler=cmd_files_remove)
    remove.add_argument("id", type=record_number, help="the attachment number")
    remove.add_argument("--reason", required=True)

    claim = actions.add_parser("claim", help="the documents behind a bonus claim")
    claim.set_defaults(handler=cmd_files_claim)
    claim.add_argument("id", type=record_number, help="the claim number")
    claim.add_argument("--format", choices=("table", "json"), default="table")

    record = actions.add_parser("record", help="the documents behind a training record")
    record.set_defaults(handler=cmd_files_record)
    record.add_argument("id", type=record_number, help="the training record number")
    record.add_argument("--format", choices=("table", "json"), default="table")

    check = actions.add_parser("checklist", help="what a class file must hold in this state")
    check.set_defaults(handler=cmd_files_checklist)

    schedule = actions.add_parser("schedule", help="schedule a class and who is expected at it")
    schedule.set_defaults(handler=cmd_files_schedule)
    schedule.add_argument("--course", required=True, metavar="TITLE")
    schedule.add_argument("--date", required=True, type=date_arg, metavar="DATE")
    schedule.add_argument("--hours", help="default: the course's usual hours")
    schedule.add_argument("--topics", help="code or code:hours;code:hours (default: the course's)")
    schedule.add_argument("--delivery", choices=["classroom", "online", "scenario"])
    schedule.add_argument("--provider", default="")
    schedule.add_argument("--instructor", metavar="NAME", help="an instructor on file")
    schedule.add_argument("--location", default="")
    _add_people_options(schedule)

    sheet = actions.add_parser("sign-in-sheet", help="print a class's sign-in sheet as PDF")
    sheet.set_defaults(handler=cmd_files_sheet)
    _add_class_options(sheet)
    sheet.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    sheet.add_argument(
        "--blank", type=count_arg(0, 60), default=5, help="blank lines for walk-ins (5)"
    )

    attendance = actions.add_parser(
        "attendance", help="record a scheduled class for everyone expected but the absent"
    )
    attendance.set_defaults(handler=cmd_files_attendance)
    _add_class_options(attendance)
    attendance.add_argument("--absent", metavar="BADGES", help="comma-separated badges absent")
    attendance.add_argument(
        "--badges", metavar="BADGES", help="walk-ins who signed a blank line (comma separated)"
    )
    attendance.add_argument("--sheet", metavar="FILE", help="the scanned signed sheet to attach")
    attendance.set_defaults(shift=None, unit=None)

    instructor = actions.add_parser(
        "instructor", help="instructors: list, add, record a certification"
    )
    instructor.set_defaults(handler=cmd_instructor_list, as_of=None, format="table")
    teach = instructor.add_subparsers(dest="instructor_action", metavar="ACTION")
    ilist = teach.add_parser("list", help="instructors, certifications, biography, flags")
    ilist.set_defaults(handler=cmd_instructor_list)
    ilist.add_argument("--as-of", type=date_arg, metavar="DATE", help="flags as of (today)")
    ilist.add_argument("--format", choices=("table", "json"), default="table")
    iadd = teach.add_parser("add", help="add an instructor")
    iadd.set_defaults(handler=cmd_instructor_add)
    iadd.add_argument("name")
    iadd.add_argument("--affiliation", default="")
    iadd.add_argument("--email", default="")
    iadd.add_argument("--phone", default="")
    icert = teach.add_parser("certify", help="record a certification an instructor holds")
    icert.set_defaults(handler=cmd_instructor_certify)
    icert.add_argument("name", help="the instructor")
    icert.add_argument("--certification", required=True, help='e.g. "TCOLE instructor"')
    icert.add_argument("--earned", required=True, metavar="DATE")
    icert.add_argument("--expires", metavar="DATE")
    icert.add_argument("--number", default="")
    icert.add_argument("--issuer", default="")
