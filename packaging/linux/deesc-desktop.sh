#!/bin/sh
# Launcher installed as `deesc-desktop` on the PATH by packaging/linux/install.sh.
# A file given alone (what the desktop entry's %f passes, e.g. from "Open With") is opened as
# the database, `deesc-desktop --db FILE`; anything else goes to the app unchanged.
app="@BUNDLE@/deesc-desktop"
if [ "$#" -eq 1 ] && [ "${1#-}" = "$1" ]; then
    exec "$app" --db "$1"
fi
exec "$app" "$@"
