#!/usr/bin/env bash
# Runs one fuzz target for longer than the `fuzz` test label does (docs/fuzzing.md): builds the targets with
# clang into build/fuzz, replays the target's crashes/ folder, fuzzes for [seconds] (default 600) from a copy
# of its seed corpus and prints libFuzzer's final statistics. Extra arguments go to libFuzzer (-runs=N, -jobs=N).
# usage: scripts/fuzz.sh <target> [seconds] [libFuzzer options...]
#   targets: fuzz_sync fuzz_control_request fuzz_control_answer fuzz_matrix_error fuzz_mxc_uri fuzz_api_responses
#            fuzz_avatar_decode fuzz_sso_callback
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${PRESENTLY_BUILD_DIR:-$here/build}/fuzz
target=${1:?usage: scripts/fuzz.sh <target> [seconds] [libFuzzer options...]}
seconds=${2:-600}
shift $(($# < 2 ? $# : 2))

mkdir -p "$build"
"$here/tests/fuzz/build.sh" "$build" > "$build.log" 2>&1 || { cat "$build.log"; exit 1; }
exec "$here/tests/fuzz/run.sh" "$build/$target" "$seconds" "$build/long/$target" "$@"
