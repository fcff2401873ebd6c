"""Per-user GUI settings, each declared once with its type, default and label, over QSettings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

ORGANISATION = "deesc"
APPLICATION = "deesc-desktop"

T = TypeVar("T", str, int, bool, bytes)


@dataclass(frozen=True, slots=True)
class Setting(Generic[T]):
    """One setting: its QSettings key, its default (which also fixes its type) and a label."""

    key: str
    default: T
    label: str


WINDOW_GEOMETRY: Setting[bytes] = Setting("window/geometry", b"", "Main window size and place")
LAST_PAGE: Setting[str] = Setting("window/last_page", "dashboard", "Page shown at start")
LAST_IMPORT_FOLDER: Setting[str] = Setting(
    "files/last_import_folder", "", "Folder of the last imported file"
)
LAST_EXPORT_FOLDER: Setting[str] = Setting(
    "files/last_export_folder", "", "Folder of the last export"
)
LAST_DATABASE_FOLDER: Setting[str] = Setting(
    "files/last_database_folder", "", "Folder of the last database opened or created"
)

ALL_SETTINGS: tuple[Setting, ...] = (
    WINDOW_GEOMETRY,
    LAST_PAGE,
    LAST_IMPORT_FOLDER,
    LAST_EXPORT_FOLDER,
    LAST_DATABASE_FOLDER,
)


def default_store() -> QSettings:
    """The user's settings file: an INI file, so tests can move it with QSettings.setPath."""
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION
    )


class Settings:
    """Typed access to the settings; a value of the wrong type reads as the default."""

    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store if store is not None else default_store()

    def get(self, setting: Setting[T]) -> T:
        raw = self.store.value(setting.key)
        if raw is None:
            return setting.default
        default = setting.default
        try:
            if isinstance(default, bool):
                value: Any = raw if isinstance(raw, bool) else str(raw).lower() == "true"
            elif isinstance(default, bytes):
                value = bytes(raw.data()) if isinstance(raw, QByteArray) else bytes(raw)
            elif isinstance(default, int):
                value = int(raw)
            else:
                value = str(raw)
        except (TypeError, ValueError):
            return default
        return value

    def set(self, setting: Setting[T], value: T) -> None:
        stored: object = QByteArray(value) if isinstance(value, bytes) else value
        self.store.setValue(setting.key, stored)

    def sync(self) -> None:
        self.store.sync()
