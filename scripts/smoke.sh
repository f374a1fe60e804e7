#!/usr/bin/env bash
# Smoke test: the built app opens a visible, non-blank window under a private Xvfb.
#
# Starts Xvfb on a free display, runs the app on a fresh temporary data folder, waits for a
# visible window whose title matches ConnectPoint, takes a screenshot and checks it is not
# blank. The picture is kept as screenshots/smoke.png. Needs: Xvfb, xdotool, ImageMagick
# (`make test-deps`).
#
# Environment overrides:
#   BIN          binary to run (default: bin/connectpoint, built with `make build`)
#   WINDOW_NAME  regex the window title must match (default: ConnectPoint)
#   WAIT         seconds to wait for the window (default: 60)
#   SETTLE       seconds to let it render before the screenshot (default: 2)
#   MIN_COLOURS  the screenshot must have more unique colours than this (default: 10)
#   OUT          where the screenshot goes (default: screenshots/smoke.png)
#   APP_ARGS     extra arguments after --data DIR (default: none)
#   APP_LANG     the app's LANG and LC_ALL, for a stable screenshot (default: en_US.UTF-8)
#   KEEP_TMP=1   keep the temporary folder (data, logs) for inspection
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WINDOW_NAME="${WINDOW_NAME:-ConnectPoint}"
WAIT="${WAIT:-60}"
SETTLE="${SETTLE:-2}"
MIN_COLOURS="${MIN_COLOURS:-10}"
OUT="${OUT:-$ROOT/screenshots/smoke.png}"
APP_LANG="${APP_LANG:-en_US.UTF-8}"
read -r -a EXTRA_ARGS <<<"${APP_ARGS:-}"

say() { echo "smoke: $*"; }
ms_now() { local t=${EPOCHREALTIME/[.,]/}; echo $((t / 1000)); }
fail() {
	echo "smoke: FAIL: $*" >&2
	echo "smoke: 0 passed, 1 failed" >&2
	exit 1
}

for tool in Xvfb xdotool import convert; do
	command -v "$tool" >/dev/null 2>&1 || fail "$tool is not installed (run: make test-deps)"
done

start=$SECONDS

if [ -z "${BIN:-}" ]; then
	say "building bin/connectpoint"
	make -C "$ROOT" --no-print-directory build || fail "the build failed"
	BIN="$ROOT/bin/connectpoint"
fi
[ -x "$BIN" ] || fail "no executable at $BIN"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/connectpoint-smoke.XXXXXX")"
app_pid=""
xvfb_pid=""

cleanup() {
	local rc=$?
	if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
		kill "$app_pid" 2>/dev/null || true
		wait "$app_pid" 2>/dev/null || true
	fi
	if [ -n "$xvfb_pid" ] && kill -0 "$xvfb_pid" 2>/dev/null; then
		kill "$xvfb_pid" 2>/dev/null || true
		wait "$xvfb_pid" 2>/dev/null || true
	fi
	if [ "${KEEP_TMP:-}" = 1 ]; then
		say "kept $TMP"
	else
		rm -rf "$TMP"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

show_log() {
	if [ -s "$1" ]; then
		echo "----- last lines of $(basename "$1") -----" >&2
		tail -n 40 "$1" >&2
		echo "-----" >&2
	fi
}

# Start Xvfb on the first free display from :99 up. -displayfd makes Xvfb write the display
# number once it accepts connections, so that is our readiness signal.
display=""
for n in $(seq 99 199); do
	if [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ]; then
		continue
	fi
	: >"$TMP/xvfb.ready"
	Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp -displayfd 3 3>"$TMP/xvfb.ready" >"$TMP/xvfb.log" 2>&1 &
	xvfb_pid=$!
	for _ in $(seq 100); do
		[ -s "$TMP/xvfb.ready" ] && break
		kill -0 "$xvfb_pid" 2>/dev/null || break
		sleep 0.1
	done
	if [ -s "$TMP/xvfb.ready" ] && kill -0 "$xvfb_pid" 2>/dev/null; then
		display=":$n"
		break
	fi
	# Lost a race for this display, or Xvfb is stuck: try the next one.
	kill "$xvfb_pid" 2>/dev/null || true
	wait "$xvfb_pid" 2>/dev/null || true
	xvfb_pid=""
done
[ -n "$display" ] || { show_log "$TMP/xvfb.log"; fail "could not start Xvfb on any display from :99 to :199"; }
say "Xvfb on $display"

export DISPLAY="$display"
export LIBGL_ALWAYS_SOFTWARE=1
# Keep the app's own settings out of the user's home.
export XDG_CONFIG_HOME="$TMP/config"
export XDG_CACHE_HOME="$TMP/cache"
export XDG_DATA_HOME="$TMP/share"
mkdir -p "$TMP/data" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_DATA_HOME"

say "starting $BIN --data $TMP/data ${EXTRA_ARGS[*]:-}"
launched_ms=$(ms_now)
LANG="$APP_LANG" LC_ALL="$APP_LANG" "$BIN" --data "$TMP/data" "${EXTRA_ARGS[@]}" </dev/null >"$TMP/app.log" 2>&1 &
app_pid=$!

# Wait for a visible window with the right title; give up early if the app exits.
window=""
while :; do
	window="$(xdotool search --onlyvisible --name "$WINDOW_NAME" 2>/dev/null | head -n 1 || true)"
	[ -n "$window" ] && break
	if ! kill -0 "$app_pid" 2>/dev/null; then
		rc=0
		wait "$app_pid" || rc=$?
		app_pid=""
		show_log "$TMP/app.log"
		fail "the app exited (status $rc) before showing a window titled /$WINDOW_NAME/"
	fi
	if [ $(($(ms_now) - launched_ms)) -ge $((WAIT * 1000)) ]; then
		show_log "$TMP/app.log"
		fail "no visible window titled /$WINDOW_NAME/ within ${WAIT}s"
	fi
	sleep 0.1
done
say "window $window \"$(xdotool getwindowname "$window" 2>/dev/null || true)\" visible $(($(ms_now) - launched_ms)) ms after launch"

sleep "$SETTLE"
kill -0 "$app_pid" 2>/dev/null || { show_log "$TMP/app.log"; fail "the app exited while rendering"; }

import -display "$display" -window root "$TMP/shot.png" 2>"$TMP/import.log" ||
	{ show_log "$TMP/import.log"; fail "could not take a screenshot"; }

colours="$(convert "$TMP/shot.png" -format '%k' info:)"
stddev="$(convert "$TMP/shot.png" -format '%[fx:standard_deviation]' info:)"
say "screenshot: $colours colours, standard deviation $stddev"

mkdir -p "$(dirname "$OUT")"
cp "$TMP/shot.png" "$OUT"
say "saved $OUT"

if [ "$colours" -le "$MIN_COLOURS" ]; then
	show_log "$TMP/app.log"
	fail "the screenshot looks blank ($colours colours, need more than $MIN_COLOURS); see $OUT"
fi

say "OK in $((SECONDS - start))s"
say "1 passed, 0 failed"
