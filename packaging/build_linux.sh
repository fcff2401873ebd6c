#!/usr/bin/env bash
# Build the one-folder Linux bundle dist/deesc-desktop/ from this checkout, then smoke-test it.
#
#   bash packaging/build_linux.sh
#
# Works from a fresh clone: it makes its own virtual environment in build/venv (kept between
# runs; DEESC_BUILD_VENV=DIR to put it elsewhere), installs the project and PyInstaller into it,
# runs PyInstaller with packaging/deesc-desktop.spec, then checks the result:
#   - every Qt library the bundle's Qt links to is inside the bundle;
#   - `deesc-desktop --version` and `deesc --version` print pyproject.toml's version;
#   - `deesc-desktop --self-test` passes offscreen, with a bare environment (no venv, no
#     PYTHONPATH, a throwaway HOME), the way it runs on a PC that has no Python.
# Prints the bundle's size and the time taken; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
started=$(date +%s)
export PIP_DISABLE_PIP_VERSION_CHECK=1

venv="${DEESC_BUILD_VENV:-build/venv}"
bundle="dist/deesc-desktop"
python="${PYTHON:-python3}"

fail() {
    echo "build_linux: $*" >&2
    exit 1
}

echo "== Python"
"$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' ||
    fail "Python 3.11 or newer is needed ($("$python" --version 2>&1))"
"$python" --version

echo "== system libraries Qt needs"
if ! "$python" -c 'import ctypes.util, sys; sys.exit(0 if all(ctypes.util.find_library(n) for n in ("EGL", "xkbcommon", "fontconfig")) else 1)'; then
    packages=(libegl1 libxkbcommon0 libfontconfig1 libgl1 libdbus-1-3 libglib2.0-0)
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        apt-get update -qq && apt-get install -y -qq "${packages[@]}" >/dev/null
    else
        fail "install Qt's system libraries first: sudo apt-get install ${packages[*]}"
    fi
fi
echo "present"

echo "== virtual environment $venv"
if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install -q --upgrade pip
fi
# Not editable: the bundle must get the package's metadata (its version) from a real install.
"$venv/bin/python" -m pip install -q --upgrade . "pyinstaller>=6.10"
"$venv/bin/python" -m PyInstaller --version | sed 's/^/PyInstaller /'

echo "== PyInstaller (log: build/pyinstaller.log)"
rm -rf "$bundle"
if ! "$venv/bin/python" -m PyInstaller --noconfirm --distpath dist --workpath build/pyinstaller \
    packaging/deesc-desktop.spec >build/pyinstaller.log 2>&1; then
    tail -n 40 build/pyinstaller.log >&2
    fail "PyInstaller failed (whole log in build/pyinstaller.log)"
fi
grep '^deesc-desktop.spec:' build/pyinstaller.log || true
if [ ! -x "$bundle/deesc-desktop" ] || [ ! -x "$bundle/deesc" ]; then
    fail "the bundle has no executables"
fi

echo "== Qt libraries resolve inside the bundle"
missing=$(find "$bundle/_internal/PySide6" -name '*.so*' -type f -print0 |
    xargs -0 -n 20 env LD_LIBRARY_PATH="$bundle/_internal/PySide6/Qt/lib:$bundle/_internal" ldd 2>/dev/null |
    grep -E 'lib(Qt6|pyside6|shiboken6)[^ ]* => not found' | sort -u || true)
[ -z "$missing" ] || fail "Qt libraries missing from the bundle:
$missing"
echo "all found"

echo "== version"
expected=$("$venv/bin/python" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
for exe in deesc-desktop deesc; do
    got=$("$bundle/$exe" --version)
    [ "$got" = "$exe $expected" ] || fail "$exe --version printed '$got', expected '$exe $expected'"
    echo "$got"
done

echo "== self-test"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
set +e
(cd "$scratch" && env -i PATH=/usr/bin:/bin HOME="$scratch" LANG=C.UTF-8 \
    QT_QPA_PLATFORM=offscreen "$root/$bundle/deesc-desktop" --self-test)
status=$?
set -e
[ "$status" -eq 0 ] || fail "the self-test failed (exit status $status)"

echo "== bundle"
du -sh "$bundle" | awk '{print "size: " $1}'
echo "files: $(find "$bundle" -type f | wc -l)"
echo "built and tested in $(($(date +%s) - started)) s: $root/$bundle"
