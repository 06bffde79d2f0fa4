# Sourced by the scripts that run a figures program against Synapses of their own (federation-latency.sh,
# roster-traffic.sh), with their arguments: [BUILD_DIR] (default: build, or $PRESENTLY_BUILD_DIR). Sets here, build,
# python, homeserver and work (a temporary directory, which the sourcing script removes on exit).
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-${PRESENTLY_BUILD_DIR:-$here/build}}
python=$here/.venv/bin/python
homeserver=$here/tests/homeserver/homeserver.py
work=$(mktemp -d)

# Runs a program with no display and Alice's session in a file (no keychain answers on a bus that leads nowhere),
# in a home of the run's own. Variables the program needs are exported before.
run_in_own_home() {
  mkdir -p "$work/home/config" "$work/home/data" "$work/home/cache"
  QT_QPA_PLATFORM=offscreen DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/bus \
  XDG_CONFIG_HOME=$work/home/config XDG_DATA_HOME=$work/home/data XDG_CACHE_HOME=$work/home/cache "$@"
}
