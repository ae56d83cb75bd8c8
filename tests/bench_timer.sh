#!/bin/sh
# bench/timeit.c, the timer make bench reads: what it writes and the
# status it passes on.  No upper bound on a time: a busy machine stretches
# any run; a timer that reads less than a run surely took is broken.
set -eu
T=${1:-build/timeit}
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
fail() { echo "bench-timer: $*"; exit 1; }

# "SECONDS PEAK_KB", and a run of 0.3 s at least that long
"$T" -o "$D/out" sleep 0.3 || fail "sleep 0.3 exited $?"
read -r secs peak <"$D/out"
awk -v s="$secs" 'BEGIN { exit !(s >= 0.3) }' || fail "sleep 0.3 timed at $secs s"
case $peak in ''|*[!0-9]*) fail "peak memory '$peak' is not a number of KB" ;; esac

# the peak is the command's own: 64 MB written is at least 64 MB held
"$T" -o "$D/out" python3 -c 'b = bytearray(64 << 20)' || fail "python3 exited $?"
read -r secs peak <"$D/out"
[ "$peak" -ge 65536 ] || fail "a command that held 64 MB measured at $peak KB"

# the command's output goes where timeit's goes, none of timeit's with it
"$T" -o "$D/out" sh -c 'echo out; echo err >&2' >"$D/stdout" 2>"$D/stderr"
[ "$(cat "$D/stdout")" = out ] && [ "$(cat "$D/stderr")" = err ] || fail "the command's output was not passed through"

# the command's status, so that the bench stops at a tool that fails
status() { set +e; "$T" -o "$D/out" "$@" >/dev/null 2>&1; echo $?; set -e; }
[ "$(status sh -c 'exit 3')" = 3 ] || fail "exit 3 not passed on"
[ "$(status sh -c 'kill -9 $$')" = 137 ] || fail "a command killed by signal 9 not said as 137"
[ "$(status /nonexistent/tool)" = 127 ] || fail "a command that cannot start not said as 127"
[ "$(status)" = 2 ] || fail "no command: not a usage error"
"$T" -o "$D/none/out" true 2>/dev/null && fail "an output file that cannot be written was not an error"
echo "bench-timer: timeit times, measures and passes the status on"
