#!/usr/bin/env bash
# Screenshots of every screen: the real binary on the demo program under a
# private Xvfb, driven with xdotool, one PNG per screen in screenshots/.
#
# The clicks are positions in the 1280x800 screen at the window's default
# size; when a layout moves, look at the PNGs and adjust the positions here.
# Environment: BIN (default bin/connectpoint, built with make build), OUT
# (default screenshots/), KEEP_TMP=1 keeps the demo data folder.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${OUT:-$ROOT/screenshots}"
BIN="${BIN:-$ROOT/bin/connectpoint}"
PASSWORD=demo-password

say() { echo "screenshots: $*"; }
fail() { echo "screenshots: FAIL: $*" >&2; exit 1; }

for tool in Xvfb xdotool import convert; do
	command -v "$tool" >/dev/null 2>&1 || fail "$tool is not installed (run: make test-deps)"
done
[ -x "$BIN" ] || make -C "$ROOT" --no-print-directory build

TMP="$(mktemp -d "${TMPDIR:-/tmp}/connectpoint-shots.XXXXXX")"
app_pid="" xvfb_pid=""
cleanup() {
	[ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
	[ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
	[ "${KEEP_TMP:-}" = 1 ] && say "kept $TMP" || rm -rf "$TMP"
}
trap cleanup EXIT

display=""
for n in $(seq 120 199); do
	[ -e "/tmp/.X$n-lock" ] && continue
	Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >"$TMP/xvfb.log" 2>&1 &
	xvfb_pid=$!
	sleep 1
	if kill -0 "$xvfb_pid" 2>/dev/null; then display=":$n"; break; fi
done
[ -n "$display" ] || fail "could not start Xvfb"
export DISPLAY="$display" LIBGL_ALWAYS_SOFTWARE=1 LANG=en_US.UTF-8 XDG_CONFIG_HOME="$TMP/config"

CONNECTPOINT_PASSWORD=$PASSWORD "$BIN" --data "$TMP/data" demo >/dev/null || fail "demo failed"
mkdir -p "$OUT"

# Sync through a folder, with a coach's laptop enrolled and joined, so that
# the header shows the sync state and Settings > Sync lists two devices.
mkdir -p "$TMP/share"
cp_admin() { CONNECTPOINT_USER=admin CONNECTPOINT_PASSWORD=$PASSWORD "$BIN" --data "$1" "${@:2}" >/dev/null 2>>"$TMP/cli.log"; }
export CONNECTPOINT_ENROLL_PASSPHRASE="demo enrolment passphrase"
cp_admin "$TMP/data" target set "$TMP/share" || fail "target set failed (see $TMP/cli.log)"
cp_admin "$TMP/data" sync || fail "the station's sync failed (see $TMP/cli.log)"
cp_admin "$TMP/data" enroll --out "$TMP/laptop.cpenroll" --device-name "Ana's laptop" || fail "enroll failed"
"$BIN" --data "$TMP/laptop" join "$TMP/laptop.cpenroll" >/dev/null 2>>"$TMP/cli.log" || fail "join failed"
cp_admin "$TMP/laptop" sync || fail "the laptop's sync failed"
unset CONNECTPOINT_ENROLL_PASSPHRASE

start_app() { # start_app USER
	"$BIN" --data "$TMP/data" >"$TMP/app.log" 2>&1 &
	app_pid=$!
	timeout 60 xdotool search --sync --onlyvisible --name ConnectPoint >/dev/null || fail "no window"
	sleep 2
	shot login
	xdotool type --delay 15 "$1"
	xdotool key Tab
	xdotool type --delay 15 "$PASSWORD"
	xdotool key Return
	sleep 3
}
stop_app() { kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; app_pid=""; }
click() { xdotool mousemove "$1" "$2" click 1; sleep "${3:-2}"; }
nav() { # nav ROW: the navigation list's rows, from the top
	click 60 $((71 + 39 * $1))
}
shot() {
	import -window root "$TMP/shot.png"
	convert "$TMP/shot.png" -crop 1230x720+0+0 +repage "$OUT/$1.png"
	say "$OUT/$1.png"
}

start_app coordinator
shot dashboard
click 400 215          # Daniel R., waiting for a bed
shot case-timeline
click 825 212          # Find a bed
shot find-a-bed
nav 0
click 400 267          # Kevin M., waiting for assessment
click 810 212 3        # Assess
shot assessment
nav 0
click 400 372          # Maria S., waiting for a coach
click 825 212          # Contact next coach
shot coach-dispatch
nav 0
xdotool key ctrl+n; sleep 2
shot intake
xdotool key Escape; sleep 1
nav 1; shot cases
click 400 683          # Brandon L., placed, who revoked his consent
shot case-revoked
xdotool mousemove 1000 500; for _ in 1 2 3 4 5 6 7 8 9 10; do xdotool click 5; done; sleep 1
shot case-revoked-consent
click 1040 654         # Accounting of disclosures
shot disclosures
nav 2; shot coaches
nav 3; click 240 78 1; shot facilities   # Back from Find a bed to the directory
nav 4; shot my-checkins
click 1150 181 3       # Record check-in, the first row
shot checkin-form
nav 5; shot reports
nav 6; shot conflicts
nav 7; shot about      # the last section, for every role
xdotool mousemove 1190 24 click 1; sleep 2   # Lock
shot locked
stop_app

start_app admin
nav 7; shot settings
click 385 72            # the Sync tab
shot settings-sync
xdotool mousemove 700 500; for _ in $(seq 1 15); do xdotool click 5; done; sleep 1
shot settings-sync-devices
click 1165 472 1        # Remove… of the laptop: the confirmation, then Keep it
shot settings-sync-remove
xdotool key Escape; sleep 1
stop_app
# First run on an empty data folder, and the demo opened from it.
"$BIN" --data "$TMP/first" >"$TMP/app.log" 2>&1 &
app_pid=$!
timeout 60 xdotool search --sync --onlyvisible --name ConnectPoint >/dev/null || fail "no window"
sleep 2
shot first-run
click 550 534 10       # Explore with demo data (sets the demo up: a few seconds)
shot demo-login
click 425 280 4        # Log in as officer
shot demo-dashboard
stop_app
say "done: $(ls "$OUT" | wc -l) screenshots"
