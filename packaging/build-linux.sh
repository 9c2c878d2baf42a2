#!/usr/bin/env bash
# Build the Linux bundle from a clean checkout and prove it runs where a person would run it.
#
#     packaging/build-linux.sh            (CI calls it last, from .ci/run)
#
# 1. A clean copy of the committed tree (git clone; nothing from this working tree's build/,
#    dist/ or .venv leaks in) and a fresh virtualenv with ".[packaging]" from the package index.
# 2. packaging/build_linux.py: PyInstaller, the staged folder, the tarball, the figures.
# 3. The tarball unpacked into a new folder, made read-only, and "companion --smoke-test" run
#    from an empty working directory with a bare environment (env -i: no HOME, no DISPLAY, no
#    PATH beyond /usr/bin:/bin). Then: the bundle folder and the working directory are checked
#    to be exactly as they were (nothing written where it should not be).
# 4. The figures: build time, folder and tarball size, the glibc the bundle needs.
#
# Needs python3 (with venv), git, and binutils (ldd, objdump, strip); desktop-file-validate and
# appstreamcli are used when installed. Network: the package index only.
# Environment: PYTHON (default python3), COMPANION_BUNDLE_WORK (default build/bundle-ci).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
WORK="${COMPANION_BUNDLE_WORK:-$ROOT/build/bundle-ci}"
SMOKE_TIMEOUT="${COMPANION_SMOKE_TIMEOUT:-600}"

say() { printf '== %s\n' "$*"; }
fail() { printf 'bundle: %s\n' "$*" >&2; exit 1; }

started=$(date +%s)
rm -rf "$WORK"
mkdir -p "$WORK"

say "clean checkout"
if git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
  git clone --quiet --no-hardlinks "$ROOT" "$WORK/src"
  git -C "$WORK/src" checkout --quiet "$(git -C "$ROOT" rev-parse HEAD)"
else  # an unpacked source archive: copy it without build products
  mkdir -p "$WORK/src"
  tar -C "$ROOT" --exclude=./.venv --exclude=./build --exclude=./dist --exclude='*.egg-info' \
    -cf - . | tar -C "$WORK/src" -xf -
fi

say "virtualenv with the freezer"
"$PYTHON" -m venv "$WORK/venv"
# pip's own chatter (and setuptools' warnings) go to a log, shown only when it fails
if ! { "$WORK/venv/bin/python" -m pip install --upgrade pip &&
  "$WORK/venv/bin/python" -m pip install "$WORK/src[packaging]"; } >"$WORK/pip.log" 2>&1; then
  cat "$WORK/pip.log" >&2
  fail "the build environment could not be installed (pip's log above)"
fi
installed=$(date +%s)

say "build"
(cd "$WORK/src" && "$WORK/venv/bin/python" packaging/build_linux.py) | tee "$WORK/build.log"
built=$(date +%s)
tarball=$(ls "$WORK"/src/dist/companion-*-linux-*.tar.gz)

say "smoke test: unpacked read-only, run from an empty folder with a bare environment"
mkdir -p "$WORK/run" "$WORK/empty"
tar -C "$WORK/run" -xzf "$tarball"
bundle=$(ls -d "$WORK"/run/companion-*-linux-*)
chmod -R a-w "$bundle"
snapshot() { (cd "$1" && find . -printf '%p %s %T@ %m\n' | LC_ALL=C sort); }
before=$(snapshot "$bundle")
set +e
(cd "$WORK/empty" && env -i PATH=/usr/bin:/bin timeout -k 10 "$SMOKE_TIMEOUT" \
  "$bundle/companion" --smoke-test) >"$WORK/smoke.out" 2>"$WORK/smoke.err"
code=$?
set -e
smoked=$(date +%s)
cat "$WORK/smoke.out"
cat "$WORK/smoke.err" >&2
chmod -R u+w "$bundle"
[ "$code" -eq 0 ] || fail "the bundle's smoke test exited $code"
grep -q '^SMOKE-OK ' "$WORK/smoke.out" || fail "the bundle's smoke test did not say SMOKE-OK"
if grep -E -q 'Traceback|ModuleNotFoundError|ImportError|could not find or load|error while loading shared libraries' \
  "$WORK/smoke.out" "$WORK/smoke.err"; then
  fail "the bundle's smoke test printed a fatal marker (above)"
fi
chmod -R a-w "$bundle"
[ "$before" = "$(snapshot "$bundle")" ] || fail "the smoke test changed files inside the bundle"
chmod -R u+w "$bundle"
[ -z "$(ls -A "$WORK/empty")" ] || fail "the smoke test wrote into its working directory"

say "figures"
folder_bytes=$(du -sb "$bundle" | cut -f1)
tar_bytes=$(stat -c %s "$tarball")
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB (%.1f MB)", b / 1048576, b / 1000000 }'; }
echo "install of the build environment: $((installed - started)) s"
echo "build (PyInstaller, staging, checks, tarball): $((built - installed)) s"
echo "smoke test of the unpacked bundle: $((smoked - built)) s"
echo "bundle folder: $(mib "$folder_bytes")"
echo "tarball: $(basename "$tarball") $(mib "$tar_bytes")"
grep -E '^needs glibc' "$WORK/build.log" || true
echo "total: $(($(date +%s) - started)) s"
