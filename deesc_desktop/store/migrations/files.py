"""Schema steps m009_files_*: class files, instructors, documents and the incident log."""

from __future__ import annotations

from sqlite_utils import Database

from deesc_desktop.core.topics import DELIVERIES
from deesc_desktop.store.migrations.common import VERSIONED, date_check, in_list, run

# The core lists the CHECKs name are imported where a step runs: opening a file that is up
# to date never needs them, and the window's start-up would pay for their modules
# (docs/performance.md, issue 18 item 1).


def m009_files_course_files(db: Database) -> None:
    """Class files: instructors and their certifications, classes, attached documents.

    A class is one course on one date. Its attendees are the training records of that course
    on that date, so the records of older versions need no change: a class row is made when
    a class is scheduled, or when something (a document, an instructor) is first kept for
    one. Documents are stored once per content (keyed by their SHA-256) and attached by
    reference; the audit log records each attachment's digest, name, size and type.
    """
    from deesc_desktop.core.course_files import DOCUMENT_KINDS

    run(
        db,
        [
            f"""
            CREATE TABLE instructors (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
                affiliation TEXT NOT NULL DEFAULT '',
                email TEXT NOT NULL DEFAULT '',
                phone TEXT NOT NULL DEFAULT '',
                notes TEXT NOT NULL DEFAULT '',
                active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),{VERSIONED}
            )
            """,
            f"""
            CREATE TABLE instructor_certifications (
                id INTEGER PRIMARY KEY,
                instructor_id INTEGER NOT NULL REFERENCES instructors (id),
                name TEXT NOT NULL CHECK (length(trim(name)) > 0),
                number TEXT NOT NULL DEFAULT '',
                issuer TEXT NOT NULL DEFAULT '',
                earned TEXT NOT NULL {date_check("earned")},
                expires TEXT {date_check("expires")},{VERSIONED},
                CHECK (expires IS NULL OR expires >= earned)
            )
            """,
            "CREATE INDEX instructor_certifications_instructor"
            " ON instructor_certifications (instructor_id)",
            f"""
            CREATE TABLE classes (
                id INTEGER PRIMARY KEY,
                course_id INTEGER NOT NULL REFERENCES courses (id),
                held_on TEXT NOT NULL {date_check("held_on")},
                hours REAL NOT NULL CHECK (hours > 0),
                topics TEXT NOT NULL,
                delivery TEXT NOT NULL DEFAULT 'classroom'
                    CHECK (delivery IN ({in_list(DELIVERIES)})),
                provider TEXT NOT NULL DEFAULT '',
                instructor_id INTEGER REFERENCES instructors (id),
                instructor TEXT NOT NULL DEFAULT '',
                location TEXT NOT NULL DEFAULT '',
                notes TEXT NOT NULL DEFAULT '',{VERSIONED},
                UNIQUE (course_id, held_on)
            )
            """,
            "CREATE INDEX classes_held_on ON classes (held_on)",
            """
            CREATE TABLE class_roster (
                class_id INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
                officer_id INTEGER NOT NULL REFERENCES officers (id),
                PRIMARY KEY (class_id, officer_id)
            ) WITHOUT ROWID
            """,
            """
            CREATE TABLE documents (
                sha256 TEXT PRIMARY KEY
                    CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
                media_type TEXT NOT NULL,
                size INTEGER NOT NULL CHECK (size > 0),
                content BLOB NOT NULL CHECK (typeof(content) = 'blob' AND length(content) = size),
                stored_at TEXT NOT NULL
            )
            """,
            f"""
            CREATE TABLE attachments (
                id INTEGER PRIMARY KEY,
                sha256 TEXT NOT NULL REFERENCES documents (sha256),
                file_name TEXT NOT NULL CHECK (length(trim(file_name)) > 0),
                media_type TEXT NOT NULL,
                size INTEGER NOT NULL CHECK (size > 0),
                kind TEXT NOT NULL CHECK (kind IN ({in_list(DOCUMENT_KINDS)})),
                class_id INTEGER REFERENCES classes (id),
                record_id INTEGER REFERENCES training_records (id),
                instructor_id INTEGER REFERENCES instructors (id),
                description TEXT NOT NULL DEFAULT '',
                created_at TEXT NOT NULL,
                created_by TEXT NOT NULL,
                -- Each attachment belongs to exactly one class, training record or instructor.
                CHECK ((class_id IS NOT NULL) + (record_id IS NOT NULL)
                       + (instructor_id IS NOT NULL) = 1)
            )
            """,
            "CREATE INDEX attachments_class ON attachments (class_id)",
            "CREATE INDEX attachments_record ON attachments (record_id)",
            "CREATE INDEX attachments_instructor ON attachments (instructor_id)",
            "CREATE INDEX attachments_document ON attachments (sha256)",
            # A document's bytes are its identity: they are never rewritten in place.
            """
            CREATE TRIGGER documents_content_is_final BEFORE UPDATE ON documents
            BEGIN SELECT RAISE(ABORT, 'a stored document is never changed; attach a new one');
            END
            """,
        ],
    )


def m009_files_incidents(db: Database) -> None:
    """The de-escalation and use-of-force incident log LEDTA reporting counts.

    No names and nothing that identifies the subject: the agency's report number links an
    entry to its own records, and the officers involved are linked by id for the agency's
    review. Whether they had been trained is worked out from the training records, never
    stored. A training officer enters; someone else (the chief) reviews.
    """
    from deesc_desktop.core.incidents import (
        DEMOGRAPHICS,
        FORCE_TYPES,
        INCIDENT_STATUSES,
        INCIDENT_TYPES,
    )

    demographics = ",\n                ".join(
        f"{column} TEXT NOT NULL DEFAULT 'unknown' CHECK ({column} IN ({in_list(codes)}))"
        for column, (_label, codes) in DEMOGRAPHICS.items()
    )
    count = "INTEGER NOT NULL DEFAULT 0 CHECK (typeof({col}) = 'integer' AND {col} >= 0)"
    run(
        db,
        [
            f"""
            CREATE TABLE incidents (
                id INTEGER PRIMARY KEY,
                reference TEXT NOT NULL UNIQUE COLLATE NOCASE
                    CHECK (length(trim(reference)) > 0),
                occurred_on TEXT NOT NULL {date_check("occurred_on")},
                incident_type TEXT NOT NULL CHECK (incident_type IN ({in_list(INCIDENT_TYPES)})),
                deescalation_used INTEGER NOT NULL CHECK (deescalation_used IN (0, 1)),
                tactics TEXT NOT NULL DEFAULT '[]'
                    CHECK (json_valid(tactics) AND json_type(tactics) = 'array'),
                force_type TEXT NOT NULL DEFAULT 'none'
                    CHECK (force_type IN ({in_list(FORCE_TYPES)})),
                officers_injured {count.format(col="officers_injured")},
                public_injured {count.format(col="public_injured")},
                {demographics},
                status TEXT NOT NULL DEFAULT 'entered'
                    CHECK (status IN ({in_list(INCIDENT_STATUSES)})),
                reviewed_at TEXT,
                reviewed_by TEXT,
                review_notes TEXT NOT NULL DEFAULT '',
                created_by TEXT NOT NULL,
                version INTEGER NOT NULL DEFAULT 1,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                updated_by TEXT NOT NULL,
                CHECK (deescalation_used = 1 OR json_array_length(tactics) = 0),
                CHECK ((status = 'reviewed')
                       = (reviewed_at IS NOT NULL AND reviewed_by IS NOT NULL)),
                -- Whoever entered an incident may not review it.
                CHECK (reviewed_by IS NULL OR reviewed_by != created_by)
            )
            """,
            "CREATE INDEX incidents_occurred_on ON incidents (occurred_on)",
            """
            CREATE TABLE incident_officers (
                incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
                officer_id INTEGER NOT NULL REFERENCES officers (id),
                PRIMARY KEY (incident_id, officer_id)
            ) WITHOUT ROWID
            """,
            "CREATE INDEX incident_officers_officer ON incident_officers (officer_id)",
        ],
    )
