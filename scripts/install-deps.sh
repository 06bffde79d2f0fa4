#!/usr/bin/env bash
# Installs everything Presently needs to build, test and run its demo on Debian 12.
# Idempotent: a second run installs nothing new and takes a few seconds.
#   apt packages   - compilers (clang and libFuzzer for the fuzz targets), Qt 6, simdjson, QtKeychain, Xvfb/trayer
#                    for tray tests, libSM for the tests' session manager, GNOME Keyring for keychain tests,
#                    packaging validators
#   .venv/         - a project-local Python venv with a pinned matrix-synapse (with its OpenID Connect extra) for
#                    the test and demo homeservers
#   tests/homeserver/oidc/node_modules/ - the pinned npm package oidc-provider, the OpenID Connect provider the
#                    single sign-on tests start (Node.js and npm from apt where the machine has none)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SYNAPSE_VERSION=${SYNAPSE_VERSION:-1.163.2}
# Synapse's OpenID Connect support needs authlib (its `oidc` extra); pinned to the version the tests ran with.
AUTHLIB_VERSION=1.9.10

apt_packages=(
  build-essential cmake ninja-build pkg-config
  qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-svg-dev
  libqt6svg6 libqt6sql6-sqlite qt6-image-formats-plugins libgl-dev
  libsimdjson-dev qtkeychain-qt6-dev libxss-dev libsm-dev libice-dev
  python3 python3-venv python3-dev
  xvfb xauth trayer dbus dbus-x11 gnome-keyring fonts-dejavu-core fonts-noto-color-emoji
  desktop-file-utils appstream dpkg-dev file
  curl ca-certificates openssl
  # the single sign-on tests' OpenID Connect provider (tests/homeserver/oidc/) runs on Node.js
  nodejs
  # the fuzz targets (tests/fuzz/, `fuzz` test label): clang with its sanitizer runtimes and libFuzzer
  clang libclang-rt-14-dev libfuzzer-14-dev
)

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: apt packages: ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

venv="$here/.venv"
if [ ! -x "$venv/bin/python" ]; then
  /usr/bin/python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('matrix-synapse') != '$SYNAPSE_VERSION' or m.version('authlib') != '$AUTHLIB_VERSION')" 2>/dev/null; then
  echo "install-deps: matrix-synapse[oidc] $SYNAPSE_VERSION into $venv"
  "$venv/bin/pip" install -q --upgrade pip
  "$venv/bin/pip" install -q "matrix-synapse[oidc]==$SYNAPSE_VERSION" "authlib==$AUTHLIB_VERSION"
fi

# Debian's npm package conflicts with a Node.js that brings its own npm: only where there is none.
if ! command -v npm >/dev/null; then
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends npm
fi
oidc="$here/tests/homeserver/oidc"
wanted=$(node -p "require('$oidc/package.json').dependencies['oidc-provider']")
have=$(node -p "try { require('$oidc/node_modules/oidc-provider/package.json').version } catch { '' }")
if [ "$have" != "$wanted" ]; then
  echo "install-deps: oidc-provider $wanted into $oidc/node_modules"
  npm ci --prefix "$oidc" --no-audit --no-fund --loglevel=error
fi
echo "install-deps: ready"
