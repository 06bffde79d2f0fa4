#!/usr/bin/env bash
# Runs the Presently demo: installs what is missing, builds the app, starts a local Synapse with a demo account
# and a dozen contacts, starts a peer simulator that keeps changing them, and opens Presently signed in as
# @demo:localhost (password "demo"). Quit Presently or press Ctrl-C to stop everything.
#
#   scripts/demo.sh [extra arguments for Presently, e.g. -qwindowgeometry 420x900]
#
# Environment: PRESENTLY_BUILD_DIR (default <repo>/build), PRESENTLY_DEMO_INTERVAL (seconds between the
# simulator's changes, default 4). State, logs and the app's settings live in <repo>/.demo/.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${PRESENTLY_BUILD_DIR:-$here/build}
demo=$here/.demo
synapse_dir=$demo/synapse
python=$here/.venv/bin/python
homeserver=$here/tests/homeserver/homeserver.py
demo_py=$here/tests/homeserver/demo.py
interval=${PRESENTLY_DEMO_INTERVAL:-4}

say() { printf 'demo: %s\n' "$*"; }

if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  say "no display (DISPLAY and WAYLAND_DISPLAY are unset): run this in a desktop session, or under xvfb-run" >&2
  exit 1
fi

say "checking dependencies"
bash "$here/scripts/install-deps.sh"

say "building Presently in $build"
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo --log-level=WARNING
cmake --build "$build" --target presently

mkdir -p "$demo"
chmod 700 "$demo"
simulator_pid=
presently_pid=
cleanup() {
  trap - EXIT INT TERM
  if [ -n "$presently_pid" ] && kill -0 "$presently_pid" 2>/dev/null; then
    say "closing Presently"
    kill -TERM "$presently_pid" 2>/dev/null || true
    wait "$presently_pid" 2>/dev/null || true
  fi
  if [ -n "$simulator_pid" ] && kill -0 "$simulator_pid" 2>/dev/null; then
    say "stopping the peer simulator"
    kill -TERM "$simulator_pid" 2>/dev/null || true
    wait "$simulator_pid" 2>/dev/null || true
  fi
  say "stopping Synapse"
  "$python" "$homeserver" stop --dir "$synapse_dir" || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "starting a fresh Synapse in $synapse_dir"
if ! base_url=$("$python" "$homeserver" start --fresh --dir "$synapse_dir"); then
  say "retrying with a new configuration (and port)"
  "$python" "$homeserver" stop --dir "$synapse_dir"
  rm -rf "$synapse_dir"
  base_url=$("$python" "$homeserver" start --dir "$synapse_dir")
fi
say "Synapse is up at $base_url"

say "creating the demo account, 12 contacts, direct chats and rooms"
"$python" "$demo_py" seed --dir "$synapse_dir" >"$demo/seed.log" 2>&1 || { cat "$demo/seed.log" >&2; exit 1; }

say "starting the peer simulator: a change every ${interval}s, shown here and in .demo/simulator.log"
"$python" "$demo_py" simulate --dir "$synapse_dir" --interval "$interval" > >(trap '' INT; exec tee "$demo/simulator.log") 2>&1 &
simulator_pid=$!

password_file=$demo/password
rm -f "$password_file"
(umask 077 && printf 'demo\n' >"$password_file")

# A home of its own for the app's settings, data and cache, so it neither reuses nor overwrites another session.
export XDG_CONFIG_HOME=$demo/home/config XDG_DATA_HOME=$demo/home/data XDG_CACHE_HOME=$demo/home/cache
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME"

say "opening Presently as @demo:localhost (password: demo) on $base_url; its log: .demo/presently.log"
say "quit Presently (or press Ctrl-C here) to stop the demo"
# In the background and waited for, so a SIGTERM to this script is handled at once (and ends Presently too).
"$build/app/presently" --homeserver "$base_url" --user @demo:localhost --password-file "$password_file" "$@" \
  >"$demo/presently.log" 2>&1 &
presently_pid=$!
status=0
wait "$presently_pid" || status=$?
presently_pid=
say "Presently exited ($status)"
exit "$status"
