#!/usr/bin/env bash
# Sign a Windows executable in place with osslsigncode (Authenticode, SHA-256).
#
#   packaging/sign-windows.sh FILE.exe
#
# Environment:
#   CONNECTPOINT_SIGN_CERT       the code-signing certificate and its key, PKCS#12 (.p12/.pfx)
#   CONNECTPOINT_SIGN_PASSWORD   its password (read from a pipe, never put on a command line)
#   CONNECTPOINT_SIGN_TIMESTAMP  optional: an RFC 3161 time-stamp server URL, so the signature
#                                outlives the certificate (needs the network)
# makensis runs this for the uninstaller and the installer (!uninstfinalize, !finalize).
set -euo pipefail

f="${1:?usage: sign-windows.sh FILE.exe}"
: "${CONNECTPOINT_SIGN_CERT:?CONNECTPOINT_SIGN_CERT is not set}"
[ -r "$CONNECTPOINT_SIGN_CERT" ] || { echo "sign: cannot read $CONNECTPOINT_SIGN_CERT" >&2; exit 1; }

ts=()
[ -n "${CONNECTPOINT_SIGN_TIMESTAMP:-}" ] && ts=(-ts "$CONNECTPOINT_SIGN_TIMESTAMP")

osslsigncode sign \
	-pkcs12 "$CONNECTPOINT_SIGN_CERT" \
	-readpass <(printf '%s' "${CONNECTPOINT_SIGN_PASSWORD:-}") \
	-h sha256 -n "ConnectPoint" "${ts[@]}" \
	-in "$f" -out "$f.signed" >/dev/null
mv -f "$f.signed" "$f"
echo "signed: $f"
