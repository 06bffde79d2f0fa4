#!/usr/bin/env bash
# Runs a command in a private D-Bus session with a secret service (GNOME Keyring) whose "login" keyring is
# created and unlocked, as a desktop login does, so the session store's keychain path runs for real.
set -euo pipefail

if [ -z "${PRESENTLY_KEYRING_SESSION:-}" ]; then
  exec dbus-run-session -- env PRESENTLY_KEYRING_SESSION=1 "$0" "$@"
fi

home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export HOME=$home XDG_DATA_HOME=$home/.local/share
# The password unlocks (and first creates) the login keyring; the daemon ends with the D-Bus session.
eval "$(printf 'presently-test' | gnome-keyring-daemon --unlock --components=secrets)"
"$@"
