#!/usr/bin/env bash
# Check the .deb as an IT person would get it: its metadata, its files, and that the program
# unpacked from it runs and says its version. Run by `make dist-check` (and so `make test`).
#
#   packaging/check-deb.sh DEB GIT_VERSION DEB_VERSION
set -euo pipefail

deb="${1:?usage: check-deb.sh DEB GIT_VERSION DEB_VERSION}"
want_version="${2:?}"
want_deb_version="${3:?}"

passed=0
failed=0
ok() { echo "dist-check: ok: $*"; passed=$((passed + 1)); }
bad() { echo "dist-check: FAIL: $*" >&2; failed=$((failed + 1)); }

[ -s "$deb" ] || { echo "dist-check: FAIL: no $deb" >&2; echo "dist-check: 0 passed, 1 failed" >&2; exit 1; }
echo "dist-check: $deb ($(du -h "$deb" | cut -f1))"

field() { dpkg-deb -f "$deb" "$1"; }

# Metadata.
[ "$(field Package)" = connectpoint ] && ok "Package: connectpoint" || bad "Package is '$(field Package)'"
[ "$(field Version)" = "$want_deb_version" ] && ok "Version: $want_deb_version" ||
	bad "Version is '$(field Version)', want '$want_deb_version'"
[ "$(field Architecture)" = amd64 ] && ok "Architecture: amd64" || bad "Architecture is '$(field Architecture)'"
depends="$(field Depends)"
for p in libc6 libgl1 libx11-6; do
	grep -qE "(^|, )$p( |,|$)" <<<"$depends" || bad "Depends lacks $p: $depends"
done

# Files.
listing="$(dpkg-deb -c "$deb" | awk '{print $1, $NF}')"
for f in ./usr/bin/connectpoint ./usr/share/applications/org.connectpoint.app.desktop \
	./usr/share/pixmaps/org.connectpoint.app.png \
	./usr/share/icons/hicolor/{16x16,32x32,48x48,64x64,128x128,256x256,512x512}/apps/org.connectpoint.app.png; do
	grep -q " $f$" <<<"$listing" || bad "the package lacks $f"
done
grep -qE '^-rwxr-xr-x \./usr/bin/connectpoint$' <<<"$listing" && ok "files: binary (0755), .desktop file, 8 icons" ||
	bad "usr/bin/connectpoint is not -rwxr-xr-x"

# Unpacked into a temporary root, the program runs and says its version.
root="$(mktemp -d "${TMPDIR:-/tmp}/connectpoint-deb.XXXXXX")"
trap 'rm -rf "$root"' EXIT
dpkg-deb -x "$deb" "$root"
got="$("$root/usr/bin/connectpoint" version 2>&1)" || bad "$root/usr/bin/connectpoint version failed: $got"
if [ "$got" = "connectpoint $want_version" ]; then
	ok "unpacked: usr/bin/connectpoint version prints '$got'"
else
	bad "unpacked: usr/bin/connectpoint version prints '$got', want 'connectpoint $want_version'"
fi

# The declared dependencies cover every library the binary links.
missing=""
for lib in $(objdump -p "$root/usr/bin/connectpoint" | awk '/NEEDED/ {print $2}'); do
	pkg="$(dpkg -S "*/$lib" 2>/dev/null | grep -v -- '-dev' | head -n 1 | cut -d: -f1 || true)"
	if [ -z "$pkg" ]; then
		missing="$missing $lib(no package on this machine)"
	elif ! grep -qE "(^|, )$pkg( |,|$)" <<<"$depends"; then
		missing="$missing $lib($pkg)"
	fi
done
[ -z "$missing" ] && ok "Depends covers every NEEDED library" || bad "Depends misses:$missing"

# ...and the newest C library symbol it uses.
need_glibc="$(objdump -T "$root/usr/bin/connectpoint" | grep -oE 'GLIBC_[0-9]+\.[0-9]+' | sed 's/GLIBC_//' | sort -uV | tail -n 1)"
have_glibc="$(sed -nE 's/.*libc6 \(>= ([0-9.]+)\).*/\1/p' <<<"$depends")"
if [ -n "$have_glibc" ] && dpkg --compare-versions "$have_glibc" ge "$need_glibc"; then
	ok "libc6 (>= $have_glibc) covers GLIBC_$need_glibc"
else
	bad "the binary needs GLIBC_$need_glibc but Depends says libc6 (>= $have_glibc)"
fi

if command -v desktop-file-validate >/dev/null; then
	out="$(desktop-file-validate "$root/usr/share/applications/org.connectpoint.app.desktop" 2>&1)" &&
		ok "desktop-file-validate" || bad "desktop-file-validate: $out"
fi

echo "dist-check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
