#!/usr/bin/env bash
# Prints what Presently's roster costs on the wire on the account of issue 11 (40 direct chats, 30 small rooms,
# 5 rooms of 200 members, presence set for everyone), the app's sync filter beside the one before it
# (bench/presently_roster_traffic.cpp; docs/benchmarks.md, "Roster traffic"). Starts a stock Synapse in a temporary
# directory (tests/homeserver/homeserver.py --profile stock), builds the account (bench/roster_account.py, about
# 3 minutes), runs the program (about 4 minutes) and stops the server. Build the presently-roster-traffic target first.
#   scripts/roster-traffic.sh [BUILD_DIR]      (default: build, or $PRESENTLY_BUILD_DIR)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bench-env.sh"
trap '"$python" "$homeserver" stop --dir "$work/hs"; rm -rf "$work"' EXIT

"$python" "$homeserver" start --profile stock --dir "$work/hs" >/dev/null
"$python" "$here/bench/roster_account.py" --dir "$work/hs" --out "$work/account.json"
# The engine's info lines and the API's warnings (each contact without a time zone answers 404) are left out.
export QT_LOGGING_RULES="presently.*.info=false;presently.api.warning=false"
run_in_own_home "$build/bench/presently-roster-traffic" "$work/account.json"
