#!/usr/bin/env bash
# Runs one fuzz target: replays every file of crashes/<target>/ once, then fuzzes for <seconds> from a fresh
# copy of corpus/<target>/ in <work dir> (the source tree is never written), with dict/<target>.dict.
# A crash, a leak, undefined behaviour or a check of the target failing exits non-zero, and libFuzzer's
# reproducer lands in <work dir>/artifacts/. Extra arguments go to libFuzzer's fuzzing run (not the replay,
# where -runs=N would run each regression input N times).
# usage: run.sh <target binary> <seconds> <work dir> [libFuzzer options...]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
binary=${1:?usage: run.sh <target binary> <seconds> <work dir>}
seconds=${2:?seconds}
work=${3:?work dir}
shift 3
target=$(basename "$binary")

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

mkdir -p "$work/artifacts"
options=(-artifact_prefix="$work/artifacts/" -timeout=10 -print_final_stats=1)
[ -f "$here/dict/$target.dict" ] && options+=(-dict="$here/dict/$target.dict")

shopt -s nullglob
regressions=("$here/crashes/$target"/*)
if ((${#regressions[@]})); then
  echo "== $target: replaying ${#regressions[@]} regression inputs"
  "$binary" "${options[@]}" "${regressions[@]}"
fi

rm -rf "$work/corpus"
mkdir -p "$work/corpus"
cp "$here/corpus/$target"/* "$work/corpus/"
echo "== $target: fuzzing for $seconds s"
"$binary" "${options[@]}" -max_total_time="$seconds" "$@" "$work/corpus"
