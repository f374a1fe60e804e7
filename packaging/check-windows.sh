#!/usr/bin/env bash
# Check the Windows installer and the program in it, without Windows: both are 64-bit GUI
# executables, carry the version, and the program needs no DLL beyond the system's.
# Run by `make dist-check` (and so `make test`) after `make dist-win`.
#
#   packaging/check-windows.sh SETUP.exe BUILD_DIR GIT_VERSION
# BUILD_DIR holds connectpoint.exe (the window) and connectpoint-cli.exe (the command line).
set -euo pipefail

setup="${1:?usage: check-windows.sh SETUP.exe BUILD_DIR GIT_VERSION}"
exe="${2:?}/connectpoint.exe"
cli="${2:?}/connectpoint-cli.exe"
want_version="${3:?}"
OBJDUMP="${OBJDUMP:-x86_64-w64-mingw32-objdump}"

passed=0
failed=0
ok() { echo "dist-check-win: ok: $*"; passed=$((passed + 1)); }
bad() { echo "dist-check-win: FAIL: $*" >&2; failed=$((failed + 1)); }

for f in "$setup" "$exe" "$cli"; do
	[ -s "$f" ] || { echo "dist-check-win: FAIL: no $f" >&2; echo "dist-check-win: 0 passed, 1 failed" >&2; exit 1; }
done
echo "dist-check-win: $setup ($(du -h "$setup" | cut -f1)), $exe ($(du -h "$exe" | cut -f1))"

for f in "$setup" "$exe" "$cli"; do
	kind="$(file -b "$f")"
	want="PE32+ executable (GUI) x86-64"
	[ "$f" = "$cli" ] && want="PE32+ executable (console) x86-64"
	case "$kind" in
	"$want"*) ok "$(basename "$f"): $kind" ;;
	*) bad "$(basename "$f") is not a $want: $kind" ;;
	esac
	# The version resource holds its strings in UTF-16.
	if strings -el "$f" | grep -qFx "$want_version"; then
		ok "$(basename "$f") carries the version $want_version"
	else
		bad "$(basename "$f") lacks the version $want_version in its version resource"
	fi
done

strings -el "$setup" | grep -qFx "ConnectPoint installer" && ok "the installer says it is the ConnectPoint installer" ||
	bad "the installer has no FileDescription 'ConnectPoint installer'"
grep -qa 'Nullsoft' "$setup" && ok "the installer is an NSIS installer" || bad "no NSIS marker in the installer"

dlls="$("$OBJDUMP" -p "$exe" "$cli" | awk '/DLL Name:/ {print $3}' | sort -u | tr '\n' ' ')"
if grep -qiE 'libwinpthread|libgcc|libstdc' <<<"$dlls"; then
	bad "the programs need mingw DLLs that Windows does not ship: $dlls"
else
	ok "both programs import system DLLs only: $dlls"
fi

echo "dist-check-win: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
