#!/usr/bin/env bash
# Regenerate docs/screens/: every page of the features registry and the windows before unlock
# (setup, unlock, help), at 1024x640 and 1280x800, in the light, dark and high-contrast themes,
# at 100% and 200% text, from a fresh 365-day demo diary; then docs/screens/README.md.
#
#   tools/screens.sh                 # all of them (about 120 pictures, a few minutes)
#   tools/screens.sh today mood      # only these pages
#
# Pictures are made smaller with pngquant when it is installed (apt-get install pngquant).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-$root/.venv/bin/python}"
out="$root/docs/screens"
sizes=(1024x640 1280x800)
themes=(light dark high-contrast)
scales=(100 200)

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export QT_QPA_PLATFORM=offscreen
# a throw-away demo diary: its passphrase protects nothing real
export COMPANION_PASSPHRASE="screens demo diary only"
"$python" -m companion demo --data-dir "$tmp/demo" --days 365 >/dev/null

if [[ $# -gt 0 ]]; then
  pages=("$@")
else
  read -r -a pages <<<"$("$python" -c 'from companion import features
print(" ".join(["setup", "unlock", "help"] + [p.id for p in features.load().pages()]))')"
fi

mkdir -p "$out"
for page in "${pages[@]}"; do
  for size in "${sizes[@]}"; do
    for theme in "${themes[@]}"; do
      for scale in "${scales[@]}"; do
        name="$page-$theme-$size-$scale.png"
        "$python" -m companion screenshot --page "$page" --size "$size" --theme "$theme" \
          --font-scale "$scale%" --data-dir "$tmp/demo" --out "$tmp/$name" >/dev/null
        if command -v pngquant >/dev/null; then
          pngquant --quality 65-95 --speed 3 --force --output "$out/$name" "$tmp/$name"
        else
          cp "$tmp/$name" "$out/$name"
        fi
        chmod 644 "$out/$name"  # demo data only: readable like the rest of the docs
      done
    done
  done
  echo "$page"
done

"$python" - "$out" "${sizes[*]}" "${themes[*]}" "${scales[*]}" <<'EOF'
"""docs/screens/README.md: one table per page, a link for every picture."""
import sys
from pathlib import Path

out, sizes, themes, scales = Path(sys.argv[1]), *(a.split() for a in sys.argv[2:5])
# page-theme-WxH-scale.png only (before_*/after_* are the walkthrough's fixes, before-after.md)
pages = sorted({p.name.split("-")[0] for p in out.glob("*-*x*-*.png") if "_" not in p.name})
order = ["setup", "unlock", "help", "today", "mood", "exercises", "medications", "checkups",
         "learn", "safety", "reports", "settings"]
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
for page in pages:
    lines += [f"## {page}", "", "| Theme | Size | 100% text | 200% text |", "| --- | --- | --- | --- |"]
    for theme in themes:
        for size in sizes:
            cells = []
            for scale in scales:
                name = f"{page}-{theme}-{size}-{scale}.png"
                cells.append(f"[{scale}%]({name})" if (out / name).exists() else "—")
            lines.append(f"| {theme} | {size} | " + " | ".join(cells) + " |")
    lines.append("")
(out / "README.md").write_text("\n".join(lines), encoding="utf-8")
EOF
echo "Saved in $out"
