"""The packaging files agree with the code: resources, Qt modules, data folder, icons, menu."""

from __future__ import annotations

import ast
import configparser
import re
import struct
from pathlib import Path
from typing import Any

from deesc_desktop import paths, selftest

ROOT = Path(__file__).resolve().parent.parent.parent
SPEC = ROOT / "packaging" / "deesc-desktop.spec"
ISS = ROOT / "packaging" / "windows" / "deesc-desktop.iss"
ICONS = ROOT / "resources" / "icons"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def spec_constant(name: str) -> Any:
    """A literal assigned at the top level of the PyInstaller spec."""
    for node in ast.parse(SPEC.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == name for target in node.targets
        ):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{name} is not assigned in {SPEC.name}")


def test_the_spec_bundles_every_resources_folder() -> None:
    folders = sorted(
        p.name for p in (ROOT / "resources").iterdir() if p.is_dir() and p.name != "__pycache__"
    )
    assert sorted(spec_constant("RESOURCE_DIRS")) == folders


def test_the_spec_keeps_the_qt_modules_the_self_test_loads() -> None:
    assert tuple(spec_constant("QT_MODULES")) == selftest.QT_MODULES


def test_the_installer_creates_the_folder_the_app_uses_on_windows() -> None:
    text = ISS.read_text(encoding="utf-8")
    defines = dict(re.findall(r'^#define (\w+) "([^"]*)"', text, re.MULTILINE))
    assert defines["AppName"] == paths.APP_NAME
    assert defines["DataAuthor"] == paths.APP_AUTHOR
    # platformdirs.site_data_dir(APP_NAME, APP_AUTHOR) is C:\ProgramData\AUTHOR\NAME.
    assert re.search(
        r'^Name: "\{commonappdata\}\\\{#DataAuthor\}\\\{#AppName\}"; Permissions: users-modify; '
        r"Flags: uninsneveruninstall$",
        text,
        re.MULTILINE,
    )
    assert "procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);" in text


def test_the_icon_comes_in_every_size() -> None:
    for size in ICON_SIZES:
        data = (ICONS / f"app-{size}.png").read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", data[16:24]) == (size, size)
    ico = (ICONS / "app.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind, count) == (0, 1, len(ICON_SIZES))
    sizes = []
    for index in range(count):
        width, _height, _colours, _reserved, _planes, bits, length, offset = struct.unpack(
            "<BBBBHHII", ico[6 + 16 * index : 22 + 16 * index]
        )
        assert bits == 32
        assert offset + length <= len(ico)
        sizes.append(width or 256)
    assert sorted(sizes) == list(ICON_SIZES)


def test_the_desktop_entry_starts_the_app_from_the_office_menu() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(ROOT / "packaging" / "linux" / "deesc-desktop.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Exec"] == "deesc-desktop %f"
    assert section["Icon"] == "deesc-desktop"
    assert section["Categories"] == "Office;"
    assert section["Type"] == "Application"
