#!/usr/bin/env bash
# Prints what Presently's roster costs on the wire on the account of issue 11 (40 direct chats, 30 small rooms,
# 5 rooms of 200 members, presence set for everyone), the app's sync filter beside the one before it
# (bench/presently_roster_traffic.cpp; docs/benchmarks.md, "Roster traffic"). Starts a stock Synapse in a temporary
# directory (tests/homeserver/homeserver.py --profile stock), builds the account (bench/roster_account.py, about
# 3 minutes), runs the program (about 3 minutes) and stops the server. Build the presently-roster-traffic target first.
#   scripts/roster-traffic.sh [BUILD_DIR]      (default: build, or $PRESENTLY_BUILD_DIR)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-${PRESENTLY_BUILD_DIR:-$here/build}}
python=$here/.venv/bin/python
homeserver=$here/tests/homeserver/homeserver.py
work=$(mktemp -d)
trap '"$python" "$homeserver" stop --dir "$work/hs"; rm -rf "$work"' EXIT

"$python" "$homeserver" start --profile stock --dir "$work/hs" >/dev/null
"$python" "$here/bench/roster_account.py" --dir "$work/hs" --out "$work/account.json"
mkdir -p "$work/home/config" "$work/home/data" "$work/home/cache"
# Alice's session goes to a file (no keychain answers on a bus that leads nowhere), in a home of the run's own. The
# engine's info lines and the API's warnings (each contact without a time zone answers 404) are left out.
QT_LOGGING_RULES="presently.*.info=false;presently.api.warning=false" QT_QPA_PLATFORM=offscreen DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/bus \
XDG_CONFIG_HOME=$work/home/config XDG_DATA_HOME=$work/home/data XDG_CACHE_HOME=$work/home/cache \
  "$build/bench/presently-roster-traffic" "$work/account.json"
