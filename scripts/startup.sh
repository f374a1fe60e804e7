#!/usr/bin/env bash
# Start time and resident memory of ConnectPoint against a blank Fyne window (DESIGN §7):
#
#   start to usable login window  <= 1.5 x a blank Fyne window's start
#   memory with the state-size data loaded  <= a blank window's + 100 MB
#
# Both programs run under a private Xvfb (software OpenGL, as in smoke.sh), built the same way:
# bin/connectpoint (make build) and bin/blankwindow (internal/blankwindow, an empty window of
# the same size). "Usable" is the moment the program's event loop first runs, which both report
# through internal/startmark into a pipe: Fyne has mapped the window and drawn its first frame
# (the login form) before its loop starts. The clock starts just before the exec.
#
# Start: RUNS pairs, alternating which goes first, on a demo program (so the login window shows),
# after one unmeasured pair that warms the page and font caches. Medians are printed, with the
# processor time each program had used by then (less disturbed by other work on the machine).
#
# Memory: for each size in SIZES, a demo program with that much made-up data (connectpoint demo
# --size; generated once into CACHE, about two minutes for the state size, then copied for each
# run). The app is started, the coordinator logs in (xdotool types), the case list and the
# facilities are opened; after each step the script waits until the app has been quiet for QUIET
# seconds, then reads VmRSS (and the peak, VmHWM) from /proc. The blank window's figure is its
# VmRSS a second after it started.
#
# Environment: RUNS (10), SIZES ("county state"; "" skips memory), QUIET (12), TRACE=1 (the app's
# processor time and memory each second of a memory run, the split of its resident memory and
# what internal/memtrim saw last), BIN, BLANK, CACHE (the system's temporary
# folder), OUT (screenshots/, where startup-SIZE.png shows each memory run's last screen),
# KEEP_TMP=1.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${RUNS:-10}"
SIZES="${SIZES-county state}"
BIN="${BIN:-$ROOT/bin/connectpoint}"
BLANK="${BLANK:-$ROOT/bin/blankwindow}"
CACHE="${CACHE:-${TMPDIR:-/tmp}}"
OUT="${OUT:-$ROOT/screenshots}"
PASSWORD=demo-password
SETTLE_TIMEOUT=300 # seconds a memory run may take to go quiet after each step
QUIET="${QUIET:-12}"

say() { echo "startup: $*"; }
fail() { echo "startup: FAIL: $*" >&2; exit 1; }

for tool in Xvfb xdotool import; do
	command -v "$tool" >/dev/null 2>&1 || fail "$tool is not installed (run: make test-deps)"
done
[ -x "$BIN" ] || fail "no executable at $BIN (run: make build)"
[ -x "$BLANK" ] || fail "no executable at $BLANK (run: make bench-startup)"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || fail "RUNS must be a whole number above 0, not '$RUNS'"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/connectpoint-startup.XXXXXX")"
pid="" xvfb_pid=""
cleanup() {
	local rc=$?
	if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
	if [ -n "$xvfb_pid" ]; then kill "$xvfb_pid" 2>/dev/null || true; wait "$xvfb_pid" 2>/dev/null || true; fi
	if [ "${KEEP_TMP:-}" = 1 ]; then say "kept $TMP"; else rm -rf "$TMP"; fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A private display, as smoke.sh starts it: the first free one from :140 up; -displayfd says when
# it accepts connections.
display=""
for n in $(seq 140 199); do
	{ [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ]; } && continue
	: >"$TMP/xvfb.ready"
	Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp -displayfd 3 3>"$TMP/xvfb.ready" >"$TMP/xvfb.log" 2>&1 &
	xvfb_pid=$!
	for _ in $(seq 100); do
		[ -s "$TMP/xvfb.ready" ] && break
		kill -0 "$xvfb_pid" 2>/dev/null || break
		sleep 0.1
	done
	if [ -s "$TMP/xvfb.ready" ] && kill -0 "$xvfb_pid" 2>/dev/null; then display=":$n"; break; fi
	kill "$xvfb_pid" 2>/dev/null || true
	wait "$xvfb_pid" 2>/dev/null || true
	xvfb_pid=""
done
[ -n "$display" ] || fail "could not start Xvfb on any display from :140 to :199"
export DISPLAY="$display" LIBGL_ALWAYS_SOFTWARE=1 LANG=en_US.UTF-8
export XDG_CONFIG_HOME="$TMP/config" XDG_CACHE_HOME="$TMP/cache" XDG_DATA_HOME="$TMP/share"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_DATA_HOME"

# The programs write their start time into this pipe; holding it open for reading and writing
# means neither side ever blocks on opening it.
mkfifo "$TMP/started"
exec 4<>"$TMP/started"
export CONNECTPOINT_STARTED_FILE="$TMP/started"

us_now() { echo "${EPOCHREALTIME/[.,]/}"; }
cpu_ms() { # processor time (user + system) of a process so far, in ms
	local stat
	stat="$(<"/proc/$1/stat")"
	stat="${stat##*) }" # fields after the command name, which may hold spaces
	read -r -a f <<<"$stat"
	echo $(((f[11] + f[12]) * 1000 / $(getconf CLK_TCK)))
}
status_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.0f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# launch NAME CMD...: start a program, wait until it reports its start, and set started_ms,
# cpu_at_start_ms and pid. A program that exits or takes over 120 s fails the run.
launch() {
	local name=$1 t0 mark
	shift
	t0=$(us_now)
	"$@" </dev/null >"$TMP/$name.log" 2>&1 &
	pid=$!
	if ! read -r -t 120 -u 4 mark; then
		tail -n 20 "$TMP/$name.log" >&2 || true
		fail "$name did not report its start within 120 s"
	fi
	started_ms=$(((mark - t0) / 1000))
	cpu_at_start_ms=$(cpu_ms "$pid")
}
stop() {
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	pid=""
}

# settle WHAT: wait until the app is done with what it was asked: QUIET seconds in a row in which
# it used under 40% of a processor and its memory changed by under 1 MB. QUIET (12) is longer than
# the app takes to give memory back after a burst of work (internal/memtrim looks every 5 s).
settle() {
	local cpu0 cpu1 rss0 rss1 quiet=0 deadline=$((SECONDS + SETTLE_TIMEOUT))
	cpu1=$(cpu_ms "$pid") rss1=$(status_kb "$pid" VmRSS)
	while [ "$quiet" -lt "$QUIET" ]; do
		sleep 1
		kill -0 "$pid" 2>/dev/null || fail "the app exited (KEEP_TMP=1 keeps its log)"
		cpu0=$cpu1 rss0=$rss1
		cpu1=$(cpu_ms "$pid") rss1=$(status_kb "$pid" VmRSS)
		[ -z "${TRACE:-}" ] || say "  $1: cpu $((cpu1 - cpu0)) ms/s, VmRSS $(mb "$rss1") MB"
		if [ $((cpu1 - cpu0)) -lt 400 ] && [ $((rss1 - rss0)) -lt 1024 ] && [ $((rss0 - rss1)) -lt 1024 ]; then
			quiet=$((quiet + 1))
		else
			quiet=0
		fi
		[ "$SECONDS" -lt "$deadline" ] || fail "$1: the app was still busy after ${SETTLE_TIMEOUT}s"
	done
}

# maps_top PID: with TRACE=1, the resident memory of PID's twelve largest mappings, summed by file
# ("[anon]" for memory no file backs), from /proc/PID/smaps.
maps_top() {
	[ "${TRACE:-}" = 1 ] || return 0
	awk '/^[0-9a-f]+-[0-9a-f]+ / { name = ($6 == "" ? "[anon]" : $6) }
		$1 == "Rss:" { rss[name] += $2 }
		END { for (n in rss) if (rss[n] > 0) printf "%8.1f MB  %s\n", rss[n] / 1024, n }' "/proc/$1/smaps" |
		sort -rn | head -n 12 | sed "s/^/startup:     /"
}

say "Xvfb on $display; $(nproc) processors;$(uptime | sed 's/.*load/ load/')"
say "app:   $BIN ($("$BIN" version))"
say "blank: $BLANK"
CONNECTPOINT_PASSWORD=$PASSWORD "$BIN" --data "$TMP/demo" demo >/dev/null || fail "connectpoint demo failed"

# --- start -------------------------------------------------------------------------------------
run_blank() { launch blank "$BLANK"; }
run_app() { launch app "$BIN" --data "$TMP/demo"; }
measure() { # measure blank|app: one start, its figures appended to $TMP/<which>.*
	"run_$1"
	sleep 1
	echo "$started_ms" >>"$TMP/$1.ms"
	echo "$cpu_at_start_ms" >>"$TMP/$1.cpu"
	status_kb "$pid" VmRSS >>"$TMP/$1.rss"
	if [ "$1" = blank ] && [ ! -e "$TMP/blank.maps" ]; then
		: >"$TMP/blank.maps"
		say "blank window's largest mappings:"
		maps_top "$pid"
	fi
	stop
}
run_blank; stop; run_app; stop # warm the caches; not counted
for i in $(seq "$RUNS"); do
	if [ $((i % 2)) = 1 ]; then measure blank; measure app; else measure app; measure blank; fi
	say "run $i/$RUNS: blank $(tail -n 1 "$TMP/blank.ms") ms, login window $(tail -n 1 "$TMP/app.ms") ms"
done
blank_ms=$(median <"$TMP/blank.ms")
app_ms=$(median <"$TMP/app.ms")
blank_rss=$(median <"$TMP/blank.rss")
ratio=$(awk -v a="$app_ms" -v b="$blank_ms" 'BEGIN { printf "%.2f", a / b }')
verdict=$(awk -v r="$ratio" 'BEGIN { print (r <= 1.5 ? "within" : "OVER") }')
echo
echo "Start to usable window, median of $RUNS (wall ms; processor ms by then):"
printf "  %-22s %6d ms   cpu %5d ms   VmRSS %6s MB\n" "blank Fyne window" "$blank_ms" "$(median <"$TMP/blank.cpu")" "$(mb "$blank_rss")"
printf "  %-22s %6d ms   cpu %5d ms   VmRSS %6s MB\n" "ConnectPoint login" "$app_ms" "$(median <"$TMP/app.cpu")" "$(mb "$(median <"$TMP/app.rss")")"
echo "  ratio $ratio (budget 1.5: $verdict); all runs: blank $(paste -sd' ' "$TMP/blank.ms"), login $(paste -sd' ' "$TMP/app.ms")"

# --- memory ------------------------------------------------------------------------------------
# data_for SIZE: a copy of the cached demo program of that size, generated first if need be.
data_for() {
	# The generator's version (data.GeneratorVersion) names the cache: a new one makes new data.
	local gen
	gen=$(sed -n 's/^const GeneratorVersion = \([0-9]*\)$/\1/p' "$ROOT/data/generate.go")
	local size=$1 cache="$CACHE/connectpoint-startup-$1-g${gen:-0}"
	if [ ! -e "$cache/complete" ]; then
		say "generating the $size demo program into $cache (the state size takes minutes)"
		rm -rf "$cache"
		CONNECTPOINT_PASSWORD=$PASSWORD "$BIN" --data "$cache" demo --size "$size" >/dev/null 2>"$TMP/generate.log" ||
			{ cat "$TMP/generate.log" >&2; fail "connectpoint demo --size $size failed"; }
		: >"$cache/complete"
	fi
	rm -rf "$TMP/mem"
	cp -r "$cache" "$TMP/mem"
}

# logins: the GUI logins of the coordinator recorded in the copy's audit trail.
logins() {
	CONNECTPOINT_USER=admin CONNECTPOINT_PASSWORD=$PASSWORD "$BIN" --data "$TMP/mem" audit list |
		awk '$2 == "login"' | wc -l
}

click() { xdotool mousemove "$1" "$2" click 1; }
nav() { click 60 $((71 + 39 * $1)); } # the navigation's rows, as in screenshots.sh

for size in $SIZES; do
	data_for "$size"
	before=$(logins) # the check above is one login too
	CONNECTPOINT_MEMTRACE=${TRACE:-} launch app "$BIN" --data "$TMP/mem"
	start_ms=$started_ms
	settle "$size: login window"
	xdotool type --delay 20 coordinator
	xdotool key Tab
	xdotool type --delay 20 "$PASSWORD"
	xdotool key Return
	settle "$size: logged in"
	nav 1 # Cases
	settle "$size: Cases"
	nav 3 # Facilities
	settle "$size: Facilities"
	rss=$(status_kb "$pid" VmRSS)
	hwm=$(status_kb "$pid" VmHWM)
	if [ "${TRACE:-}" = 1 ]; then
		say "  $size: of VmRSS: anonymous $(mb "$(status_kb "$pid" RssAnon)") MB, files $(mb "$(status_kb "$pid" RssFile)") MB, shared $(mb "$(status_kb "$pid" RssShmem)") MB"
		say "  $size: largest mappings:"
		maps_top "$pid"
		cp "/proc/$pid/smaps" "$TMP/smaps-$size.txt"
		say "  $size: last look of internal/memtrim: $(grep '^memtrim:' "$TMP/app.log" | tail -n 1)"
	fi
	mkdir -p "$OUT"
	import -window root "$OUT/startup-$size.png"
	stop
	[ "$(logins)" -gt $((before + 1)) ] || fail "$size: the coordinator's login did not happen (see $OUT/startup-$size.png)"
	over=$(awk -v r="$rss" -v b="$blank_rss" 'BEGIN { printf "%.1f", (r - b) / 1024 }')
	verdict=$(awk -v o="$over" 'BEGIN { print (o <= 100 ? "within" : "OVER") }')
	echo
	echo "Memory, $size size (logged in, Cases and Facilities opened):"
	printf "  VmRSS %s MB, peak (VmHWM) %s MB; blank window %s MB; over blank %s MB (budget 100: %s)\n" \
		"$(mb "$rss")" "$(mb "$hwm")" "$(mb "$blank_rss")" "$over" "$verdict"
	echo "  login window shown $start_ms ms after start on this data; last screen: $OUT/startup-$size.png"
done
