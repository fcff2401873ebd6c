"""Every menu and toolbar action, declared once: text, tip, shortcut, icon, keyed by ActionId.

Shortcuts use QKeySequence.StandardKey where one exists, so they match the platform
(Ctrl+O on Windows and Linux, Cmd+O on macOS). Windows, pages and dialogs never build a
QAction by hand: they take the one the registry made, so a shortcut is defined in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, auto

from PySide6.QtGui import QAction, QKeySequence

from deesc_desktop.core.auth import Permission

StandardKey = QKeySequence.StandardKey


class ActionId(Enum):
    """Every action of the application."""

    NEW_DATABASE = auto()
    OPEN_DATABASE = auto()
    BACKUP_NOW = auto()
    RESTORE_BACKUP = auto()
    IMPORT_ROSTER = auto()
    IMPORT_TRAINING = auto()
    IMPORT_LEAVE = auto()
    IMPORT_INCIDENTS = auto()
    EXPORT_ROSTER = auto()
    EXPORT_TRAINING = auto()
    EXPORT_COMPLIANCE = auto()
    SIGN_OUT = auto()
    QUIT = auto()

    ADD_OFFICER = auto()
    EDIT_OFFICER = auto()
    OFFICER_DETAILS = auto()
    SEPARATE_OFFICER = auto()
    PUT_ON_LEAVE = auto()
    RETURN_TO_ACTIVE = auto()
    RECORD_CLASS = auto()
    EDIT_RECORD = auto()
    DELETE_RECORD = auto()
    ADD_LEAVE = auto()
    FIND = auto()
    REFRESH = auto()
    PRINT = auto()

    MARK_CIT_COURSE = auto()
    ADD_CERTIFICATE = auto()
    REVOKE_CERTIFICATE = auto()
    CIT_TEAM = auto()

    FIND_ELIGIBLE = auto()
    SUBMIT_CLAIMS = auto()
    APPROVE_CLAIMS = auto()
    DENY_CLAIM = auto()
    VOID_CLAIM = auto()
    CREATE_BATCH = auto()
    EXPORT_BATCH = auto()
    PAY_BATCH = auto()
    ADD_PROGRAM = auto()
    ADD_FUNDING = auto()
    EDIT_FUNDING = auto()
    ADJUST_CLAIM = auto()
    APPROVE_ADJUSTMENT = auto()
    REJECT_ADJUSTMENT = auto()
    APPROVE_AWARD_CHANGE = auto()
    REJECT_AWARD_CHANGE = auto()

    ATTACH_DOCUMENT = auto()
    RECORD_DOCUMENTS = auto()
    SCHEDULE_CLASS = auto()
    PRINT_SIGN_IN_SHEET = auto()
    RECORD_ATTENDANCE = auto()
    MANAGE_INSTRUCTORS = auto()

    ADD_INCIDENT = auto()
    EDIT_INCIDENT = auto()
    REVIEW_INCIDENT = auto()
    DELETE_INCIDENT = auto()

    VIEW_DASHBOARD = auto()
    VIEW_ROSTER = auto()
    VIEW_TRAINING = auto()
    VIEW_COMPLIANCE = auto()
    VIEW_TRAINING_DUE = auto()
    VIEW_CIT = auto()
    VIEW_BONUS_CLAIMS = auto()
    VIEW_REPORTS = auto()
    VIEW_AUDIT = auto()
    VIEW_SETTINGS = auto()
    VIEW_COURSE_FILES = auto()
    VIEW_INCIDENTS = auto()

    RESTORE_VERSION = auto()
    SHOW_REMINDERS = auto()
    USER_GUIDE = auto()
    ABOUT = auto()


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """How one action looks and is reached."""

    text: str
    tip: str
    shortcut: StandardKey | str | None = None
    icon: str | None = None
    menu_role: QAction.MenuRole = QAction.MenuRole.NoRole
    button: str = ""
    """Text on a page button, when the menu text needs its menu to make sense."""
    permissions: tuple[Permission, ...] = ()
    """The action is enabled only for a role holding one of these (none: everyone)."""


ACTIONS: dict[ActionId, ActionSpec] = {
    ActionId.NEW_DATABASE: ActionSpec(
        "&New database…", "Create a new, empty database for an agency", "Ctrl+Shift+N", "new"
    ),
    ActionId.OPEN_DATABASE: ActionSpec(
        "&Open database…", "Open another deesc database file", StandardKey.Open, "open"
    ),
    ActionId.BACKUP_NOW: ActionSpec(
        "&Back up now",
        "Copy the database to the backups folder beside it",
        None,
        "backup",
        permissions=(Permission.BACKUP,),
    ),
    ActionId.RESTORE_BACKUP: ActionSpec(
        "&Restore from backup…",
        "Replace everything in this database with a backup (the current contents are saved first)",
        None,
        "backup",
        permissions=(Permission.RESTORE,),
    ),
    ActionId.IMPORT_ROSTER: ActionSpec(
        "&Roster…",
        "Import officers from a CSV or Excel file",
        None,
        "import",
        permissions=(Permission.IMPORT,),
    ),
    ActionId.IMPORT_TRAINING: ActionSpec(
        "&Training (sign-in sheet)…",
        "Import completed training from a CSV or Excel file",
        "Ctrl+I",
        "import",
        button="Import sign-in sheet",
        permissions=(Permission.IMPORT,),
    ),
    ActionId.IMPORT_LEAVE: ActionSpec(
        "&Leave…",
        "Import leave and exemptions from a CSV or Excel file",
        None,
        "import",
        permissions=(Permission.IMPORT,),
    ),
    ActionId.IMPORT_INCIDENTS: ActionSpec(
        "&Incidents…",
        "Import de-escalation and use-of-force incidents from a CSV or Excel file",
        None,
        "import",
        button="Import incidents",
        permissions=(Permission.RECORD_INCIDENTS,),
    ),
    ActionId.EXPORT_ROSTER: ActionSpec(
        "&Roster…", "Save the roster as a CSV or Excel file", None, "export"
    ),
    ActionId.EXPORT_TRAINING: ActionSpec(
        "&Training records…", "Save every training record as a CSV or Excel file", None, "export"
    ),
    ActionId.EXPORT_COMPLIANCE: ActionSpec(
        "&Compliance matrix…",
        "Save the compliance matrix as shown (filters applied) as a CSV or Excel file",
        None,
        "export",
        button="Export",
    ),
    ActionId.SIGN_OUT: ActionSpec(
        "Sign &out / switch user…",
        "Sign out, and sign in again as yourself or someone else",
        None,
        "sign-out",
    ),
    ActionId.MARK_CIT_COURSE: ActionSpec(
        "Mark &CIT course…",
        "Choose which course certifies officers for CIT and which one refreshes it",
        None,
        "class",
        permissions=(Permission.MANAGE_CIT,),
    ),
    ActionId.ADD_CERTIFICATE: ActionSpec(
        "Add c&ertificate…",
        "Record a CIT certificate earned elsewhere (another agency, a state program)",
        None,
        "certificate",
        permissions=(Permission.MANAGE_CIT,),
    ),
    ActionId.REVOKE_CERTIFICATE: ActionSpec(
        "Re&voke certificate…",
        "Withdraw the selected hand-entered certificate; it no longer counts on any date",
        None,
        "void",
        permissions=(Permission.MANAGE_CIT,),
    ),
    ActionId.CIT_TEAM: ActionSpec(
        "CIT &team member…",
        "Record that the selected CIT-trained officer joined the CIT team, or left it, on the "
        "page's date; coverage counts team members",
        None,
        "certificate",
        permissions=(Permission.MANAGE_CIT,),
    ),
    ActionId.FIND_ELIGIBLE: ActionSpec(
        "Find &eligible officers…",
        "Check every officer against a bonus program: who qualifies and why, what others lack",
        None,
        "eligible",
    ),
    ActionId.SUBMIT_CLAIMS: ActionSpec(
        "&Submit",
        "Send the selected draft claims to the chief for approval",
        None,
        "submit",
        permissions=(Permission.SUBMIT_CLAIMS,),
    ),
    ActionId.APPROVE_CLAIMS: ActionSpec(
        "&Approve",
        "Approve the selected submitted claims, committing their money",
        None,
        "approve",
        permissions=(Permission.APPROVE_CLAIMS,),
    ),
    ActionId.DENY_CLAIM: ActionSpec(
        "&Deny…",
        "Turn down the selected submitted claims, with a reason",
        None,
        "deny",
        permissions=(Permission.APPROVE_CLAIMS,),
    ),
    ActionId.VOID_CLAIM: ActionSpec(
        "&Void…",
        "Cancel the selected claims before payment, with a reason",
        None,
        "void",
        permissions=(Permission.SUBMIT_CLAIMS, Permission.APPROVE_CLAIMS),
    ),
    ActionId.CREATE_BATCH: ActionSpec(
        "Create payment &batch…",
        "Group approved claims for one payroll run",
        None,
        "batch",
        permissions=(Permission.PAY_CLAIMS,),
    ),
    ActionId.EXPORT_BATCH: ActionSpec(
        "E&xport batch…",
        "Save the selected payment batch for payroll as a CSV or Excel file",
        None,
        "export",
    ),
    ActionId.PAY_BATCH: ActionSpec(
        "Mark batch &paid…",
        "Record that payroll paid every claim of the selected batch",
        None,
        "pay",
        permissions=(Permission.PAY_CLAIMS,),
    ),
    ActionId.ADD_PROGRAM: ActionSpec(
        "Add &program…",
        "Set up a bonus program: amount, what training qualifies, who pays",
        None,
        "program",
        permissions=(Permission.MANAGE_PROGRAMS,),
    ),
    ActionId.ADD_FUNDING: ActionSpec(
        "Add &funding source…",
        "Record a grant or budget line bonuses are paid from",
        None,
        "funding",
        permissions=(Permission.MANAGE_FUNDING,),
    ),
    ActionId.EDIT_FUNDING: ActionSpec(
        "&Edit funding source…",
        "Change the selected source's name, award number or notes, or ask for a change to its "
        "amount or period (a chief approves it)",
        None,
        "funding",
        permissions=(Permission.MANAGE_FUNDING,),
    ),
    ActionId.ADJUST_CLAIM: ActionSpec(
        "Ad&just paid claim…",
        "Correct the selected paid claim: money recovered counts at once, an addition once a "
        "chief approves it",
        None,
        "pay",
        permissions=(Permission.PAY_CLAIMS,),
    ),
    ActionId.APPROVE_ADJUSTMENT: ActionSpec(
        "Approve addition",
        "Let the selected addition to a paid claim count (not by the person who entered it)",
        None,
        "approve",
        permissions=(Permission.APPROVE_CLAIMS,),
    ),
    ActionId.REJECT_ADJUSTMENT: ActionSpec(
        "Reject addition…",
        "Turn down the selected addition to a paid claim, with a reason: it never counts",
        None,
        "deny",
        permissions=(Permission.APPROVE_CLAIMS,),
    ),
    ActionId.APPROVE_AWARD_CHANGE: ActionSpec(
        "Approve award change",
        "Make the selected award read as requested (not by the person who asked)",
        None,
        "approve",
        permissions=(Permission.APPROVE_CLAIMS,),
    ),
    ActionId.REJECT_AWARD_CHANGE: ActionSpec(
        "Reject award change…",
        "Turn down the selected award change, with a reason: the award stays as it is",
        None,
        "deny",
        permissions=(Permission.APPROVE_CLAIMS,),
    ),
    ActionId.ATTACH_DOCUMENT: ActionSpec(
        "&Attach document…",
        "Attach a document (PDF, scan, Office file) to the selected class's file",
        None,
        "open",
        permissions=(Permission.MANAGE_COURSE_FILES,),
    ),
    ActionId.SCHEDULE_CLASS: ActionSpec(
        "&Schedule class…",
        "Put a class on the calendar with the officers expected at it",
        None,
        "calendar",
        permissions=(Permission.MANAGE_COURSE_FILES,),
    ),
    ActionId.PRINT_SIGN_IN_SHEET: ActionSpec(
        "&Print sign-in sheet…",
        "The selected class's sign-in sheet as a PDF: a line per expected officer to sign",
        None,
        "print",
        button="Sign-in sheet",
    ),
    ActionId.RECORD_ATTENDANCE: ActionSpec(
        "Record a&ttendance…",
        "Record the selected scheduled class for those who signed, and attach the scanned sheet",
        None,
        "class",
        button="Record attendance",
        permissions=(Permission.RECORD_TRAINING,),
    ),
    ActionId.MANAGE_INSTRUCTORS: ActionSpec(
        "&Instructors…",
        "Instructors, their certifications and expiry dates, and their biographies",
        None,
        "user",
    ),
    ActionId.ADD_INCIDENT: ActionSpec(
        "&Log incident…",
        "Log a de-escalation or use-of-force interaction (no names)",
        None,
        "new",
        permissions=(Permission.RECORD_INCIDENTS,),
    ),
    ActionId.EDIT_INCIDENT: ActionSpec(
        "&Correct incident…",
        "Correct the selected incident; a reviewed one goes back for review",
        None,
        "edit",
        permissions=(Permission.RECORD_INCIDENTS,),
    ),
    ActionId.REVIEW_INCIDENT: ActionSpec(
        "Re&view incident…",
        "Review the selected incident (not one you entered)",
        None,
        "review",
        permissions=(Permission.REVIEW_INCIDENTS,),
    ),
    ActionId.DELETE_INCIDENT: ActionSpec(
        "&Delete incident…",
        "Delete the selected incident, entered in error and not yet reviewed",
        None,
        "delete",
        permissions=(Permission.RECORD_INCIDENTS,),
    ),
    ActionId.RECORD_DOCUMENTS: ActionSpec(
        "D&ocuments…",
        "The documents behind the selected training record: its certificate and its class file",
        None,
        "certificate",
        button="Documents",
    ),
    ActionId.QUIT: ActionSpec(
        "&Quit", "Close deesc-desktop", StandardKey.Quit, "quit", QAction.MenuRole.QuitRole
    ),
    ActionId.ADD_OFFICER: ActionSpec(
        "&Add officer…",
        "Add an officer to the roster",
        None,
        "add-officer",
        permissions=(Permission.MANAGE_OFFICERS,),
    ),
    ActionId.EDIT_OFFICER: ActionSpec(
        "&Edit officer…",
        "Change the selected officer's details (or double-click)",
        None,
        "edit",
        permissions=(Permission.MANAGE_OFFICERS,),
    ),
    ActionId.OFFICER_DETAILS: ActionSpec(
        "&Details…",
        "Profile, training transcript and leave of the selected officer",
        None,
        "details",
    ),
    ActionId.SEPARATE_OFFICER: ActionSpec(
        "&Separate…",
        "Record that the selected officer left the agency",
        None,
        "separate",
        permissions=(Permission.MANAGE_OFFICERS,),
    ),
    ActionId.PUT_ON_LEAVE: ActionSpec(
        "Put on &leave…",
        "Mark the selected officer as on leave",
        None,
        "leave",
        permissions=(Permission.MANAGE_OFFICERS,),
    ),
    ActionId.RETURN_TO_ACTIVE: ActionSpec(
        "Return to a&ctive…",
        "Mark the selected officer as active again",
        None,
        "active",
        permissions=(Permission.MANAGE_OFFICERS,),
    ),
    ActionId.RECORD_CLASS: ActionSpec(
        "&Record class…",
        "Record one class for everyone who attended",
        StandardKey.New,
        "class",
        permissions=(Permission.RECORD_TRAINING,),
    ),
    ActionId.EDIT_RECORD: ActionSpec(
        "&Edit record…",
        "Correct the selected training record",
        None,
        "edit",
        permissions=(Permission.CORRECT_TRAINING,),
    ),
    ActionId.DELETE_RECORD: ActionSpec(
        "&Delete record…",
        "Delete the selected training record (entered in error)",
        None,
        "delete",
        permissions=(Permission.CORRECT_TRAINING,),
    ),
    ActionId.ADD_LEAVE: ActionSpec(
        "Add &leave or exemption…",
        "Record leave or an exemption that waives training for a period",
        None,
        "calendar",
        permissions=(Permission.MANAGE_LEAVE,),
    ),
    ActionId.FIND: ActionSpec("&Find", "Search this list", StandardKey.Find, "search"),
    ActionId.PRINT: ActionSpec(
        "&Print…",
        "Print this page: its report (compliance, CIT, training due) or the list as shown",
        StandardKey.Print,
        "print",
    ),
    ActionId.REFRESH: ActionSpec(
        "Re&load", "Read the lists again from the database", StandardKey.Refresh, "refresh"
    ),
    ActionId.VIEW_DASHBOARD: ActionSpec("&Dashboard", "Show the dashboard", "Ctrl+1"),
    ActionId.VIEW_ROSTER: ActionSpec("&Roster", "Show the roster", "Ctrl+2"),
    ActionId.VIEW_TRAINING: ActionSpec("&Training", "Show training records", "Ctrl+3"),
    ActionId.VIEW_COMPLIANCE: ActionSpec("&Compliance", "Show compliance", "Ctrl+4"),
    ActionId.VIEW_TRAINING_DUE: ActionSpec(
        "Training d&ue", "Show who needs what in the next 30, 60 or 90 days", "Ctrl+Shift+4"
    ),
    ActionId.VIEW_CIT: ActionSpec("C&IT", "Show CIT certification", "Ctrl+5"),
    ActionId.VIEW_BONUS_CLAIMS: ActionSpec("&Bonus claims", "Show bonus claims", "Ctrl+6"),
    ActionId.VIEW_REPORTS: ActionSpec("R&eports", "Show reports", "Ctrl+7"),
    ActionId.VIEW_AUDIT: ActionSpec("&Audit log", "Show the audit log", "Ctrl+8"),
    ActionId.VIEW_SETTINGS: ActionSpec("&Settings", "Show settings", "Ctrl+9"),
    ActionId.VIEW_COURSE_FILES: ActionSpec("Co&urse files", "Show class files and their documents"),
    ActionId.VIEW_INCIDENTS: ActionSpec(
        "I&ncidents", "Show the de-escalation and use-of-force log"
    ),
    ActionId.RESTORE_VERSION: ActionSpec(
        "Restore version before this change…",
        "Put the record back as it was before the selected change, as a new change recorded "
        "in the log (the log itself is never edited)",
        None,
        "backup",
        permissions=(Permission.RESTORE_VERSIONS,),
    ),
    ActionId.SHOW_REMINDERS: ActionSpec(
        "Due in the next &30 days…",
        "Requirements, CIT certificates, instructor certifications and classes coming due",
        None,
        "calendar",
    ),
    ActionId.USER_GUIDE: ActionSpec(
        "&User guide", "Open the user guide", StandardKey.HelpContents, "help"
    ),
    ActionId.ABOUT: ActionSpec(
        "&About deesc-desktop", "Version and database", None, "about", QAction.MenuRole.AboutRole
    ),
}


SELECTION_NEEDED: dict[ActionId, str] = {
    ActionId.EDIT_OFFICER: "select an officer in the list first",
    ActionId.OFFICER_DETAILS: "select an officer in the list first",
    ActionId.SEPARATE_OFFICER: "select an officer who is not separated first",
    ActionId.PUT_ON_LEAVE: "select an active officer first",
    ActionId.RETURN_TO_ACTIVE: "select an officer on leave first",
    ActionId.EDIT_RECORD: "select a training record first",
    ActionId.DELETE_RECORD: "select a training record first",
    ActionId.REVOKE_CERTIFICATE: "select a hand-entered certificate on its tab first",
    ActionId.SUBMIT_CLAIMS: "select one or more draft claims first",
    ActionId.APPROVE_CLAIMS: "select one or more submitted claims first",
    ActionId.DENY_CLAIM: "select one or more submitted claims first",
    ActionId.VOID_CLAIM: "select claims not yet paid first",
    ActionId.EXPORT_BATCH: "select a payment batch first",
    ActionId.PAY_BATCH: "select an open payment batch first",
    ActionId.EDIT_FUNDING: "select a funding source first",
    ActionId.RESTORE_VERSION: "select a change in the log first",
    ActionId.ADJUST_CLAIM: "select one paid claim first",
    ActionId.APPROVE_ADJUSTMENT: "select an addition waiting for approval first",
    ActionId.REJECT_ADJUSTMENT: "select an addition waiting for approval first",
    ActionId.APPROVE_AWARD_CHANGE: "select an award change waiting for approval first",
    ActionId.REJECT_AWARD_CHANGE: "select an award change waiting for approval first",
}
"""What a disabled action needs selected, said in its tooltip (the role allowing it)."""
