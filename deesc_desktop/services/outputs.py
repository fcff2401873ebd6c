"""Where the app may write a file: never over the database, its companions or its backups."""

from __future__ import annotations

import os
from pathlib import Path

from deesc_desktop.paths import backups_dir
from deesc_desktop.services.errors import ServiceError

_COMPANIONS = ("", "-wal", "-shm", "-journal")


def _same_file(first: Path, second: Path) -> bool:
    try:
        return first.exists() and second.exists() and os.path.samefile(first, second)
    except OSError:
        return False


def _resolved(path: Path) -> Path:
    return path.expanduser().resolve(strict=False)


def check_output_path(
    path: Path,
    db_path: Path,
    *,
    force: bool = False,
    kind: str = "output",
    suffixes: tuple[str, ...] = (),
) -> None:
    """Refuse a path a report, export or backup must not write to, saying why.

    Never: the open database, its -wal, -shm or -journal, or anything in its backups folder
    (backups, their manifests, the anchor file). An existing file only with `force`. With
    `suffixes`, the name must end in one of them (a PDF report must be a .pdf).
    """
    target = _resolved(path)
    database = _resolved(db_path)
    for companion in _COMPANIONS:
        protected = Path(f"{database}{companion}")
        if target == protected or _same_file(target, protected):
            what = "the database" if not companion else f"the database's {companion[1:]} file"
            raise ServiceError(
                f"{path} is {what} ({db_path}): a {kind} is never written over it. "
                "Choose another file name."
            )
    folder = backups_dir(db_path)
    if folder in target.parents and target.exists():
        raise ServiceError(
            f"{path} is in the backups folder ({folder}) and already exists: a {kind} is "
            "never written over a backup. Choose another file name."
        )
    if suffixes and not target.name.lower().endswith(suffixes):
        raise ServiceError(
            f"{path}: a {kind} is written as {' or '.join(suffixes)}; "
            f"name it e.g. {Path(path).stem or 'report'}{suffixes[0]}."
        )
    if target.is_dir():
        raise ServiceError(f"{path} is a folder: give a file name for the {kind}.")
    if target.exists() and not force:
        raise ServiceError(
            f"{path} already exists. Choose another name, or replace it with --force."
        )
