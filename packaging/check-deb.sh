#!/usr/bin/env bash
# Makes the Debian package from a build tree, checks what it holds and declares, then unpacks it and runs the
# packaged binary. Exits non-zero, saying why, on any problem.
# Usage: check-deb.sh <cpack> <build dir> <expected version> <application id>
set -euo pipefail

fail() { echo "check-deb: FAIL: $*" >&2; exit 1; }
[ $# -eq 4 ] || fail "usage: check-deb.sh <cpack> <build dir> <version> <application id>"
cpack=$1 build=$2 version=$3 app_id=$4

for tool in "$cpack" dpkg-deb dpkg readelf; do
  command -v "$tool" >/dev/null || fail "$tool is not installed"
done
[ -f "$build/CPackConfig.cmake" ] || fail "$build/CPackConfig.cmake is missing: configure the project first"
[ -x "$build/app/presently" ] || fail "$build/app/presently is missing: build the 'presently' target first"

work=$(mktemp -d "${TMPDIR:-/tmp}/presently-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "check-deb: cpack -G DEB into $work/out"
(cd "$build" && "$cpack" -G DEB --config "$build/CPackConfig.cmake" -B "$work/out") >"$work/cpack.log" 2>&1 || {
  cat "$work/cpack.log" >&2
  fail "cpack failed"
}
shopt -s nullglob
debs=("$work"/out/*.deb)
[ ${#debs[@]} -eq 1 ] || { cat "$work/cpack.log" >&2; fail "expected one .deb, found ${#debs[@]}"; }
deb=${debs[0]}
arch=$(dpkg --print-architecture)
[ "$(basename "$deb")" = "presently_${version}_${arch}.deb" ] || fail "unexpected file name $(basename "$deb")"
echo "check-deb: made $(basename "$deb") ($(stat -c %s "$deb") bytes)"

# The control fields.
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = presently ] || fail "Package is '$(field Package)'"
[ "$(field Version)" = "$version" ] || fail "Version is '$(field Version)', expected $version"
[ "$(field Architecture)" = "$arch" ] || fail "Architecture is '$(field Architecture)', expected $arch"
[ "$(field Section)" = net ] || fail "Section is '$(field Section)'"
[ -n "$(field Maintainer)" ] || fail "no Maintainer"
[ -n "$(field Description)" ] || fail "no Description"
depends=$(field Depends)
echo "check-deb: Depends: $depends"
for dep in libc6 libstdc++6 libqt6core6 libqt6gui6 libqt6widgets6 libqt6network6 libqt6keychain1 libqt6svg6 libqt6sql6-sqlite; do
  grep -Eq "(^|, )${dep//+/\\+}( |,|\$)" <<<"$depends" || fail "Depends does not name $dep"
done
grep -q 'presently' <<<"$depends" && fail "the package depends on itself"

# The files: the binary, the desktop integration, the copyright, and nothing outside /usr.
dpkg-deb -c "$deb" >"$work/contents"
for path in usr/bin/presently \
            "usr/share/applications/$app_id.desktop" \
            "usr/share/metainfo/$app_id.metainfo.xml" \
            "usr/share/icons/hicolor/scalable/apps/$app_id.svg" \
            usr/share/doc/presently/copyright; do
  grep -Eq " \./$path\$" "$work/contents" || { cat "$work/contents" >&2; fail "the package lacks /$path"; }
done
if awk '{print $6}' "$work/contents" | grep -Ev '^\./(usr/.*)?$'; then
  fail "the package has files outside /usr (above)"
fi
if awk '{print $2}' "$work/contents" | grep -v '^root/root$'; then
  fail "the package has files not owned by root (above)"
fi

# Unpacked, the binary is the one that was built, runs against the system's libraries and says its version.
dpkg-deb -x "$deb" "$work/root"
bin=$work/root/usr/bin/presently
[ -x "$bin" ] || fail "usr/bin/presently is not executable"
if readelf -d "$bin" | grep -E 'R(UN)?PATH'; then
  fail "the packaged binary keeps an RPATH/RUNPATH (above)"
fi
# The installed tree as a whole: the metainfo, the desktop entry it launches and the icon that entry names.
if command -v appstreamcli >/dev/null; then
  appstreamcli validate-tree --no-net --no-color "$work/root/usr" >"$work/tree.log" 2>&1 || { cat "$work/tree.log" >&2; fail "appstreamcli validate-tree failed"; }
  if grep -E '^ *[EW]: ' "$work/tree.log" >&2; then fail "appstreamcli validate-tree found problems (above)"; fi
fi
cmp -s "$work/root/usr/share/icons/hicolor/scalable/apps/$app_id.svg" \
       "$(dirname "${BASH_SOURCE[0]}")/../resources/icons/$app_id.svg" || fail "the packaged icon is not the project's"
mkdir -p "$work/home" && mkdir -m 700 "$work/xdg"
rc=0
out=$(QT_QPA_PLATFORM=offscreen HOME="$work/home" XDG_RUNTIME_DIR="$work/xdg" timeout 60 "$bin" --version 2>&1) || rc=$?
[ "$rc" -eq 0 ] || { echo "$out" >&2; fail "usr/bin/presently --version exited with $rc"; }
echo "check-deb: presently --version: $out"
grep -Fq "$version" <<<"$out" || fail "the version output does not say $version"

echo "check-deb: OK"
