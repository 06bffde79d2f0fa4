#!/usr/bin/env bash
# Runs a command on a real X display that has a system tray: Xvfb on a free display number, trayer as the
# tray, the xcb platform plugin. Both are stopped when the command ends, whatever its result.
set -euo pipefail

xvfb_pid=
trayer_pid=
cleanup() {
  [ -n "$trayer_pid" ] && kill "$trayer_pid" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

# Xvfb picks a free display number itself and writes it to fd 3 once it accepts clients.
display_file=$(mktemp)
Xvfb -displayfd 3 -screen 0 1024x768x24 -nolisten tcp 3>"$display_file" 2>/dev/null &
xvfb_pid=$!
for _ in $(seq 100); do
  [ -s "$display_file" ] && break
  sleep 0.1
done
display=$(tr -d '[:space:]' <"$display_file")
rm -f "$display_file"
[ -n "$display" ] || { echo "with-tray: Xvfb did not start" >&2; exit 1; }
export DISPLAY=":$display"

trayer --edge top --align right --widthtype request --height 32 --SetDockType true --expand true \
       --transparent false --tint 0x303030 >/dev/null 2>&1 &
trayer_pid=$!

export QT_QPA_PLATFORM=xcb
"$@"
