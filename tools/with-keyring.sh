#!/usr/bin/env bash
# Run "$@" inside a private D-Bus session with an unlocked, throw-away gnome-keyring
# (research §6.2). Nothing touches the real home directory or a real keyring.
#   tools/with-keyring.sh /work/venv/bin/python -m pytest tests/storage -m keyring -q
set -euo pipefail
if [[ $# -eq 0 ]]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi
if [[ -z "${_KR_INNER:-}" ]]; then
  for tool in dbus-run-session gnome-keyring-daemon; do
    command -v "$tool" >/dev/null || { echo "$0: $tool is not installed" >&2; exit 1; }
  done
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  mkdir -m 700 "$tmp/run" "$tmp/data"
  export HOME="$tmp" XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR="$tmp/run" _KR_INNER=1
  # Not exec: the trap must remove the throw-away keyring afterwards.
  status=0
  dbus-run-session -- "$0" "$@" || status=$?
  exit "$status"
fi
# Must run BEFORE any client touches org.freedesktop.secrets, or D-Bus activation starts a
# daemon without a login collection that then wants a GUI prompt (gotcha 1).
printf '%s' "throwaway-ci-password" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
exec "$@"
