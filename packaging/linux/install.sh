#!/bin/sh
# Add Companion from this unpacked folder to your applications menu, for you alone (no root):
#   ./install.sh              the menu entry, icons and metainfo under ~/.local/share, and the
#                             command "companion" in ~/.local/bin
#   ./install.sh --uninstall  remove exactly those files again
# Your diary (~/.local/share/Companion) is never touched by either. Keep this folder where it
# is: the menu entry points at it. To move it, run --uninstall, move it, and install again.
set -eu

ID=io.github.companiondiary.Companion
HERE=$(cd "$(dirname "$0")" && pwd -P)
DATA=${XDG_DATA_HOME:-$HOME/.local/share}
BIN=$HOME/.local/bin
SIZES="16 22 24 32 48 64 128 256 512"

# Menus and icon themes watch these folders' times; no cache files are written (a stale
# per-user icon cache would hide icons installed later).
refresh() {
    touch "$DATA/applications" "$DATA/icons/hicolor" 2>/dev/null || true
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -f "$DATA/applications/$ID.desktop" "$DATA/metainfo/$ID.metainfo.xml" \
        "$DATA/icons/hicolor/scalable/apps/$ID.svg"
    for size in $SIZES; do
        rm -f "$DATA/icons/hicolor/${size}x${size}/apps/$ID.png"
    done
    if [ -L "$BIN/companion" ] && [ "$(readlink "$BIN/companion")" = "$HERE/companion" ]; then
        rm -f "$BIN/companion"
    fi
    refresh
    echo "Companion was removed from your menu. Your diary was not touched."
    exit 0
fi

if [ -n "${1:-}" ]; then
    echo "Usage: $0 [--uninstall]" >&2
    exit 2
fi

case $HERE in
    *[\"\`\$\\%]*)
        echo "This folder's path has a character a menu entry cannot hold (\" \` \$ \\ or %); move it and try again." >&2
        exit 1 ;;
esac
if [ ! -x "$HERE/companion" ]; then
    echo "$HERE/companion is missing: unpack the whole archive and run install.sh from inside it." >&2
    exit 1
fi

mkdir -p "$DATA/applications" "$DATA/metainfo" "$DATA/icons/hicolor/scalable/apps" "$BIN"
sed -e "s|^Exec=companion\$|Exec=\"$HERE/companion\"|" \
    -e "s|^TryExec=companion\$|TryExec=$HERE/companion|" \
    "$HERE/share/applications/$ID.desktop" > "$DATA/applications/$ID.desktop.new"
mv "$DATA/applications/$ID.desktop.new" "$DATA/applications/$ID.desktop"
cp "$HERE/share/metainfo/$ID.metainfo.xml" "$DATA/metainfo/"
cp "$HERE/share/icons/hicolor/scalable/apps/$ID.svg" "$DATA/icons/hicolor/scalable/apps/"
for size in $SIZES; do
    mkdir -p "$DATA/icons/hicolor/${size}x${size}/apps"
    cp "$HERE/share/icons/hicolor/${size}x${size}/apps/$ID.png" \
        "$DATA/icons/hicolor/${size}x${size}/apps/"
done
if [ ! -e "$BIN/companion" ] || [ -L "$BIN/companion" ]; then
    ln -sfn "$HERE/companion" "$BIN/companion"
else
    echo "Left $BIN/companion alone: it is not a link this script made." >&2
fi
refresh
echo "Companion is in your applications menu. Remove it again with: $HERE/install.sh --uninstall"
