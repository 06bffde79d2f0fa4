#!/usr/bin/env bash
# Prints how long a contact's presence change takes to reach Presently's roster from another server, beside the
# same from the user's own server (bench/presently_federation_latency.cpp; docs/benchmarks.md, "Presence across
# servers"). Starts two federating stock Synapses in a temporary directory (tests/homeserver/homeserver.py
# --federation-port), runs the program against them (about 4 minutes: stock rc_presence paces the changes) and
# stops them. Build the presently-federation-latency target first.
#   scripts/federation-latency.sh [BUILD_DIR]      (default: build, or $PRESENTLY_BUILD_DIR)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bench-env.sh"
trap '"$python" "$homeserver" stop --dir "$work/a"; "$python" "$homeserver" stop --dir "$work/b"; rm -rf "$work"' EXIT

"$python" "$homeserver" start --profile stock --federation-port --dir "$work/a" >/dev/null &
"$python" "$homeserver" start --profile stock --federation-port --dir "$work/b" >/dev/null
wait $!
export PRESENTLY_TEST_HOMESERVER=$work/a/homeserver.json PRESENTLY_TEST_HOMESERVER_B=$work/b/homeserver.json
run_in_own_home "$build/bench/presently-federation-latency"
