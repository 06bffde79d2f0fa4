#!/usr/bin/env bash
# Configures and builds the fuzz targets with clang into <build dir> (CTest's fuzz_build and scripts/fuzz.sh).
# Fails, loudly, without clang: scripts/install-deps.sh installs it.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${1:?usage: build.sh <build dir>}

cmake -S "$here" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++
cmake --build "$build" --parallel "$(nproc)"
