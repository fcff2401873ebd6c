#!/usr/bin/env bash
# Install the built bundle (dist/deesc-desktop/) with its menu entry and icons.
#
#   bash packaging/linux/install.sh              # for you: ~/.local/opt, ~/.local/bin, ~/.local/share
#   sudo bash packaging/linux/install.sh --system # for every user: /opt, /usr/local/bin, /usr/local/share
#   bash packaging/linux/install.sh --uninstall [--system]
#
# Build the bundle first with packaging/build_linux.sh. Uninstalling removes the program, the
# menu entry and the icons; the data (~/.local/share/deesc-desktop/) is never touched.
set -euo pipefail
cd "$(dirname "$0")/../.."

system=0
uninstall=0
for arg in "$@"; do
    case "$arg" in
    --system) system=1 ;;
    --uninstall) uninstall=1 ;;
    *) echo "usage: $0 [--system] [--uninstall]" >&2; exit 2 ;;
    esac
done

if [ "$system" = 1 ]; then
    opt=/opt/deesc-desktop bin=/usr/local/bin share=/usr/local/share
else
    opt="$HOME/.local/opt/deesc-desktop" bin="$HOME/.local/bin" share="$HOME/.local/share"
fi
sizes="16 24 32 48 64 128 256"

remove() {
    rm -rf "$opt"
    rm -f "$bin/deesc-desktop" "$bin/deesc" "$share/applications/deesc-desktop.desktop"
    rm -f "$share/icons/hicolor/scalable/apps/deesc-desktop.svg"
    for size in $sizes; do
        rm -f "$share/icons/hicolor/${size}x${size}/apps/deesc-desktop.png"
    done
}

refresh() {
    if command -v update-desktop-database >/dev/null; then
        update-desktop-database -q "$share/applications" || true
    fi
    if command -v gtk-update-icon-cache >/dev/null; then
        gtk-update-icon-cache -q -t "$share/icons/hicolor" || true
    fi
}

if [ "$uninstall" = 1 ]; then
    remove
    refresh
    echo "deesc-desktop removed (your data in ~/.local/share/deesc-desktop/ is kept)."
    exit 0
fi

[ -x dist/deesc-desktop/deesc-desktop ] || {
    echo "install: build the bundle first: bash packaging/build_linux.sh" >&2
    exit 1
}
remove
mkdir -p "$(dirname "$opt")" "$bin" "$share/applications" "$share/icons/hicolor/scalable/apps"
cp -a dist/deesc-desktop "$opt"
sed "s|@BUNDLE@|$opt|" packaging/linux/deesc-desktop.sh >"$bin/deesc-desktop"
chmod 755 "$bin/deesc-desktop"
ln -s "$opt/deesc" "$bin/deesc"
install -m 644 packaging/linux/deesc-desktop.desktop "$share/applications/deesc-desktop.desktop"
install -m 644 resources/icons/app.svg "$share/icons/hicolor/scalable/apps/deesc-desktop.svg"
for size in $sizes; do
    mkdir -p "$share/icons/hicolor/${size}x${size}/apps"
    install -m 644 "resources/icons/app-$size.png" "$share/icons/hicolor/${size}x${size}/apps/deesc-desktop.png"
done
refresh
echo "deesc-desktop installed in $opt; menu entry Office > deesc-desktop; commands $bin/deesc-desktop and $bin/deesc."
case ":$PATH:" in *":$bin:"*) ;; *) echo "note: $bin is not on your PATH; the menu entry needs it there." ;; esac
