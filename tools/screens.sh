#!/usr/bin/env bash
# Regenerate docs/screens/: every page of the features registry and the windows before unlock
# (setup, unlock, help), and every dialog (docs/screens/dialogs/, each over the main window), at
# 1024x640 and 1280x800, in the light, dark and high-contrast themes, at 100% and 200% text,
# from a fresh 365-day demo diary; then docs/screens/README.md.
#
#   tools/screens.sh                 # all of them (about 350 pictures, 10-20 minutes)
#   tools/screens.sh today mood      # only these pages
#   tools/screens.sh --dialogs       # only the dialogs
#   tools/screens.sh --dialogs check-in medication   # only these dialogs
#   SIZES=1024x640 SCALES=200 tools/screens.sh today   # only some sizes, themes (THEMES=dark)
#                                                      # or text sizes; the others are kept
#
# Pictures are made smaller with pngquant when it is installed (apt-get install pngquant).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-$root/.venv/bin/python}"
out="$root/docs/screens"
read -r -a sizes <<<"${SIZES:-1024x640 1280x800}"
read -r -a themes <<<"${THEMES:-light dark high-contrast}"
read -r -a scales <<<"${SCALES:-100 200}"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export QT_QPA_PLATFORM=offscreen
# a throw-away demo diary: its passphrase protects nothing real
export COMPANION_PASSPHRASE="screens demo diary only"
"$python" -m companion demo --data-dir "$tmp/demo" --days 365 >/dev/null

all_dialogs() {
  "$python" -c 'from companion.ui.screenshot import dialog_names
print(" ".join(dialog_names()))'
}
pages=()
dialogs=()
if [[ "${1:-}" == "--dialogs" ]]; then
  shift
  if [[ $# -gt 0 ]]; then dialogs=("$@"); else read -r -a dialogs <<<"$(all_dialogs)"; fi
elif [[ $# -gt 0 ]]; then
  pages=("$@")
else
  read -r -a pages <<<"$("$python" -c 'from companion import features
print(" ".join(["setup", "setup-recovery", "unlock", "help"]
               + [p.id for p in features.load().pages()]))')"
  read -r -a dialogs <<<"$(all_dialogs)"
fi

# shoot KIND NAME FOLDER: every size, theme and text size of one page or dialog
shoot() {
  local kind="$1" what="$2" folder="$3"
  mkdir -p "$folder"
  for size in "${sizes[@]}"; do
    for theme in "${themes[@]}"; do
      for scale in "${scales[@]}"; do
        name="$what-$theme-$size-$scale.png"
        "$python" -m companion screenshot "--$kind" "$what" --size "$size" --theme "$theme" \
          --font-scale "$scale%" --data-dir "$tmp/demo" --out "$tmp/$name" >/dev/null
        if command -v pngquant >/dev/null; then
          pngquant --quality 65-95 --speed 3 --force --output "$folder/$name" "$tmp/$name"
        else
          cp "$tmp/$name" "$folder/$name"
        fi
        chmod 644 "$folder/$name"  # demo data only: readable like the rest of the docs
      done
    done
  done
  echo "$what"
}

# the windows before unlock, one process each; the sidebar pages and the dialogs in one process
# per screen size (the diary unlocked once), then made smaller
windows=()
sidebar=()
for page in "${pages[@]}"; do
  case "$page" in setup|setup-recovery|unlock|help) windows+=("$page") ;; *) sidebar+=("$page") ;; esac
done
for page in "${windows[@]}"; do shoot page "$page" "$out"; done
if [[ ${#sidebar[@]} -gt 0 || ${#dialogs[@]} -gt 0 ]]; then
  mkdir -p "$tmp/batch/dialogs" "$out/dialogs"
  for size in "${sizes[@]}"; do
    "$python" - "$size" "$tmp/demo" "$tmp/batch" "${themes[*]}" "${scales[*]}" \
      "${sidebar[*]}" "${dialogs[*]}" <<'PY'
import os
import sys
from pathlib import Path

from companion.ui.screenshot import render_batch

size, data, folder, themes, scales, pages, dialogs = sys.argv[1:8]
made = render_batch(
    pages=pages.split(), dialogs=dialogs.split(), size=tuple(map(int, size.split("x"))),
    themes=themes.split(), scales=[int(s) for s in scales.split()], data_dir=Path(data),
    out=Path(folder), passphrase=lambda: os.environ["COMPANION_PASSPHRASE"],
)
print(f"{size}: {len(made)} pictures")
PY
  done
  ( cd "$tmp/batch" && find . -name '*.png' ) | while read -r name; do
    if command -v pngquant >/dev/null; then
      pngquant --quality 65-95 --speed 3 --force --output "$out/$name" "$tmp/batch/$name"
    else
      cp "$tmp/batch/$name" "$out/$name"
    fi
    chmod 644 "$out/$name"  # demo data only: readable like the rest of the docs
  done
fi

# the index lists every picture in the folder, whichever were made this time
"$python" - "$out" "1024x640 1280x800" "light dark high-contrast" "100 200" "$(all_dialogs)" <<'EOF'
"""docs/screens/README.md: one table per page and per dialog, a link for every picture."""
import re
import sys
from pathlib import Path

out, sizes, themes, scales, dialog_order = Path(sys.argv[1]), *(a.split() for a in sys.argv[2:6])
# page-theme-WxH-scale.png only (before_*/after_* are the walkthrough's fixes, before-after.md)
picture = re.compile(r"(.+?)-(?:" + "|".join(themes) + r")-\d+x\d+-\d+\.png")
pages = sorted(
    {m.group(1) for p in out.glob("*.png") if "_" not in p.name and (m := picture.fullmatch(p.name))}
)
order = ["setup", "setup-recovery", "unlock", "help", "today", "mood", "exercises",
         "medications", "checkups", "learn", "safety", "reports", "settings"]
pages.sort(key=lambda p: (order.index(p) if p in order else len(order), p))
lines = [
    "# Screens",
    "",
    "Every page and the windows before unlock, from a 365-day demo diary, made by",
    "`tools/screens.sh` (which runs `companion screenshot --theme … --size … --font-scale …`).",
    "Light and dark follow the system unless chosen in Settings; high contrast is chosen there,",
    "as is the text size (up to 200%).",
    "",
    "The walkthrough's defects, each before and after its fix: [before-after.md](before-after.md).",
    "",
]
def table(heading: str, what: str, folder: str) -> list[str]:
    rows = [heading, "", "| Theme | Size | 100% text | 200% text |", "| --- | --- | --- | --- |"]
    for theme in themes:
        for size in sizes:
            cells = []
            for scale in scales:
                name = f"{folder}{what}-{theme}-{size}-{scale}.png"
                cells.append(f"[{scale}%]({name})" if (out / name).exists() else "—")
            rows.append(f"| {theme} | {size} | " + " | ".join(cells) + " |")
    return rows + [""]


for page in pages:
    lines += table(f"## {page}", page, "")
shot = {p.name.split("-" + themes[0])[0] for p in (out / "dialogs").glob("*.png")}
dialogs = [d for d in dialog_order if d in shot]
if dialogs:
    lines += [
        "# Dialogs",
        "",
        "Every dialog the app opens, over the main window (dimmed) as it opens on a screen of",
        "that size, made by `companion screenshot --dialog NAME`. The title bar is drawn by the",
        "screenshot (the offscreen platform draws no window frames).",
        "",
    ]
    for dialog in dialogs:
        lines += table(f"## {dialog} (dialog)", dialog, "dialogs/")
(out / "README.md").write_text("\n".join(lines), encoding="utf-8")
EOF
echo "Saved in $out"
