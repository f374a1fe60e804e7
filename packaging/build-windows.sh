#!/usr/bin/env bash
# The Windows installer: connectpoint.exe cross-compiled with cgo through mingw-w64, its icon,
# manifest and version resource, wrapped by NSIS; signed when a certificate is given.
# Run by `make dist-win` from the repository root, which passes:
#   VERSION     the git version (what `connectpoint version` prints)
#   WINVERSION  four numbers for the version resources (packaging/version.sh win)
#   OUT         the installer to write
# and optionally GO, WIN_CC (default x86_64-w64-mingw32-gcc) and BUILD (default dist/build/windows).
# Signing: CONNECTPOINT_SIGN_CERT and CONNECTPOINT_SIGN_PASSWORD (see packaging/sign-windows.sh).
set -euo pipefail

: "${VERSION:?}" "${WINVERSION:?}" "${OUT:?}"
GO="${GO:-go}"
WIN_CC="${WIN_CC:-x86_64-w64-mingw32-gcc}"
BUILD="${BUILD:-dist/build/windows}"
GOTAGS="${GOTAGS-no_emoji,no_animations}" # as the Makefile's (see there)
WINDRES="${WINDRES:-x86_64-w64-mingw32-windres}"
OBJDUMP="${OBJDUMP:-x86_64-w64-mingw32-objdump}"

for tool in "$WIN_CC" "$WINDRES" "$OBJDUMP" makensis; do
	command -v "$tool" >/dev/null || { echo "dist-win: $tool is not installed (make dist installs it)" >&2; exit 1; }
done

sign=""
if [ -n "${CONNECTPOINT_SIGN_CERT:-}" ]; then
	command -v osslsigncode >/dev/null || { echo "dist-win: osslsigncode is not installed" >&2; exit 1; }
	sign="$PWD/packaging/sign-windows.sh"
fi

mkdir -p "$BUILD" "$(dirname "$OUT")"

# The resources go in through a .syso file, which go build links only into the package of
# its folder: the root. It is git-ignored, and removed again after the build.
syso="zz_connectpoint_windows_amd64.syso"
trap 'rm -f "$syso"' EXIT
"$WINDRES" -O coff \
	-D "CP_FILEVERSION=${WINVERSION//./,}" -D "CP_VERSION_STR=\\\"$VERSION\\\"" \
	-i packaging/windows/connectpoint.rc -o "$syso"

echo "==> go build (windows/amd64, cgo via $WIN_CC) $BUILD/connectpoint.exe (version $VERSION)"
start=$SECONDS
CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC="$WIN_CC" \
	"$GO" build -tags "$GOTAGS" -ldflags "-H=windowsgui -s -w -X main.version=$VERSION" -o "$BUILD/connectpoint.exe" .
# The same program for the command line: a GUI program (-H=windowsgui) gets no console, so
# `connectpoint version` typed in cmd or PowerShell would print nothing. Only the link differs.
echo "==> go build (windows/amd64, console) $BUILD/connectpoint-cli.exe"
CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC="$WIN_CC" \
	"$GO" build -tags "$GOTAGS" -ldflags "-s -w -X main.version=$VERSION" -o "$BUILD/connectpoint-cli.exe" .
rm -f "$syso"
echo "    built in $((SECONDS - start))s"

# The program must run on a bare Windows: no DLL beyond the system's (a posix-threads mingw
# would add libwinpthread-1.dll, a C++ one libstdc++-6.dll).
dlls="$("$OBJDUMP" -p "$BUILD/connectpoint.exe" "$BUILD/connectpoint-cli.exe" | awk '/DLL Name:/ {print $3}' | sort -u)"
bad="$(grep -viE '^(kernel32|user32|gdi32|advapi32|shell32|ole32|oleaut32|opengl32|winmm|ws2_32|ntdll|comdlg32|imm32|dwmapi|shcore|setupapi|version|uxtheme|msvcrt|bcrypt|crypt32|secur32|userenv|iphlpapi|dnsapi|netapi32|powrprof|mswsock|winspool\.drv|comctl32|api-ms-win-.*)\.dll$' <<<"$dlls" || true)"
if [ -n "$bad" ]; then
	echo "dist-win: connectpoint.exe needs DLLs that Windows does not ship: $bad" >&2
	exit 1
fi
echo "    imports only system DLLs: $(tr '\n' ' ' <<<"$dlls")"

if [ -n "$sign" ]; then
	"$sign" "$BUILD/connectpoint.exe"
	"$sign" "$BUILD/connectpoint-cli.exe"
fi

echo "==> makensis $OUT"
nsis_args=(-V2 -NOCD -DVERSION="$VERSION" -DWINVERSION="$WINVERSION" -DAPPEXE="$BUILD/connectpoint.exe" -DCLIEXE="$BUILD/connectpoint-cli.exe" -DOUTFILE="$PWD/$OUT")
[ -n "$sign" ] && nsis_args+=(-DSIGN="$sign")
rm -f "$OUT"
makensis "${nsis_args[@]}" packaging/windows/connectpoint.nsi

if [ -n "$sign" ]; then
	echo "    signed with $(basename "$CONNECTPOINT_SIGN_CERT")"
else
	echo "    unsigned: no CONNECTPOINT_SIGN_CERT (Windows SmartScreen will warn; see dist/SIGNING.txt)"
fi
