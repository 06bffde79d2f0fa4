#!/usr/bin/env bash
# Installs everything Presently needs to build, test and run its demo on Debian 12.
# Idempotent: a second run installs nothing new and takes a few seconds.
#   apt packages   - compilers (clang and libFuzzer for the fuzz targets), Qt 6, simdjson, QtKeychain, Xvfb/trayer
#                    for tray tests, libSM for the tests' session manager, GNOME Keyring for keychain tests,
#                    packaging validators
#   .venv/         - a project-local Python venv with a pinned matrix-synapse for the test and demo homeserver
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SYNAPSE_VERSION=${SYNAPSE_VERSION:-1.163.2}

apt_packages=(
  build-essential cmake ninja-build pkg-config
  qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-svg-dev
  libqt6svg6 qt6-image-formats-plugins libgl-dev
  libsimdjson-dev qtkeychain-qt6-dev libxss-dev libsm-dev libice-dev
  python3 python3-venv python3-dev
  xvfb xauth trayer dbus dbus-x11 gnome-keyring fonts-dejavu-core fonts-noto-color-emoji
  desktop-file-utils appstream dpkg-dev file
  curl ca-certificates openssl
  # the fuzz targets (tests/fuzz/, `fuzz` test label): clang with its sanitizer runtimes and libFuzzer
  clang libclang-rt-14-dev libfuzzer-14-dev
)

missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  echo "install-deps: apt packages: ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

venv="$here/.venv"
if [ ! -x "$venv/bin/python" ]; then
  /usr/bin/python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('matrix-synapse') != '$SYNAPSE_VERSION')" 2>/dev/null; then
  echo "install-deps: matrix-synapse $SYNAPSE_VERSION into $venv"
  "$venv/bin/pip" install -q --upgrade pip
  "$venv/bin/pip" install -q "matrix-synapse==$SYNAPSE_VERSION"
fi
echo "install-deps: ready"
