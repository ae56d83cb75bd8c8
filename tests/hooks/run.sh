#!/bin/sh
# tests/hooks/run.sh CHG [NAME...] -- the hostile hook corpus.
#
# Each tests/hooks/NAME.chg names NAME.lua, a hook that attacks the Lua
# sandbox or breaks in some way (some name verify_intact.lua as a second
# hook, to show that nothing leaked between hook files).  For each one,
# from the top of the repository:
#
#   timeout 60 CHG check --color never tests/hooks/NAME.chg
#
# runs with `ulimit -v` of 1 GB and must
#   - exit 1 (0 if the first line of NAME.chg is `# exit: 0`);
#   - finish within 10 seconds of processor time;
#   - print exactly the diagnostic header lines of NAME.expected (lines
#     matching `^tests/hooks/[^:]*:[0-9]+:[0-9]+: (error|warning|note): `);
#   - print nothing from AddressSanitizer, LeakSanitizer or UBSan;
#   - leave no side effect: /tmp/chg-canary-file (made here, and a target
#     of the hooks) still there, no tests/hooks/PWNED* or /tmp/chg-pwned*,
#     no new file in tests/hooks.
#
# NAME.expected holds what chg SHOULD print.  UPDATE=1 rewrites it from
# what chg prints now: only do that for cases where chg is right (name
# them: `UPDATE=1 tests/hooks/run.sh build/chg NAME...`).  VERBOSE=1 also
# prints the time of every case, slowest first.
#
# A sanitizer build (build/chg-san) cannot start under `ulimit -v` (its
# shadow memory is terabytes of address space): when CHG fails to start
# under the limit, the limit is left off, ASan's hard_rss_limit_mb=1024
# stands in for it, and a note says so.

if [ $# -lt 1 ]; then
  echo "usage: tests/hooks/run.sh CHG [NAME...]" >&2
  exit 2
fi
chg=$1
shift
case $chg in
  /*) ;;
  *) chg=$(pwd)/$chg ;;
esac
if [ ! -x "$chg" ]; then
  echo "hooks: $chg is not an executable" >&2
  exit 2
fi

here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.." || exit 2
dir=tests/hooks

limit_kb=1048576
time_limit=10
canary=/tmp/chg-canary-file
work=$(mktemp -d "${TMPDIR:-/tmp}/chg-hooks.XXXXXX") || exit 2
made_canary=0
trap 'rm -rf "$work"; if [ "$made_canary" = 1 ]; then rm -f "$canary"; fi' EXIT
trap 'exit 130' INT TERM

use_limit=1
if ! sh -c 'ulimit -v "$1" && "$2" --version; exit $?' sh "$limit_kb" "$chg" >/dev/null 2>&1; then
  use_limit=0
  echo "hooks: note: $chg does not start under ulimit -v $limit_kb (a sanitizer build?); running without it, with ASan's hard_rss_limit_mb=1024 instead"
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}hard_rss_limit_mb=1024"
  export ASAN_OPTIONS
fi

headers() { # the diagnostic header lines of a run's output
  tr -d '\000' < "$1" | LC_ALL=C grep -E '^tests/hooks/[^:]*:[0-9]+:[0-9]+: (error|warning|note): '
}

side_effects() { # prints what a hook changed outside chg, if anything
  [ -f "$canary" ] || echo "the canary $canary was removed"
  for f in "$dir"/PWNED* /tmp/chg-pwned*; do
    [ -e "$f" ] && echo "$f was created"
  done
  ls -a "$dir" > "$work/listing.after"
  if ! cmp -s "$work/listing.before" "$work/listing.after"; then
    echo "files in $dir changed: $(diff "$work/listing.before" "$work/listing.after" | grep '^[<>]' | tr '\n' ' ')"
  fi
}

if [ $# -gt 0 ]; then
  names="$*"
else
  names=
  for f in "$dir"/*.chg; do
    f=${f##*/}
    names="$names ${f%.chg}"
  done
fi

failures=0
cases=0
: > "$work/times"
for name in $names; do
  src=$dir/$name.chg
  if [ ! -f "$src" ]; then
    echo "$name: no $src"
    failures=$((failures + 1))
    continue
  fi
  cases=$((cases + 1))
  want_rc=1
  head -n 1 "$src" | grep -q '^# exit: 0' && want_rc=0

  if [ ! -f "$canary" ]; then
    echo canary > "$canary" && made_canary=1
  fi
  rm -f "$dir"/PWNED* /tmp/chg-pwned* 2>/dev/null
  ls -a "$dir" > "$work/listing.before"

  out=$work/$name.out
  (
    # shellcheck disable=SC3045 # dash, bash, busybox and ksh all have -v
    [ "$use_limit" = 1 ] && ulimit -v "$limit_kb"
    timeout 60 "$chg" check --color never "$src"
    rc=$?
    times > "$work/cpu" # the processor time its children took
    exit $rc
  ) > "$out" 2>&1
  rc=$?
  # the limit is on processor time, which a busy machine does not stretch
  # as it stretches the clock; the clock only stops a hang
  ms=$(awk 'NR == 2 { n = split($0, t, /[ ms]+/); ms = 0
                      for (i = 1; i + 1 <= n; i += 2) if (t[i] != "") ms += (t[i] * 60 + t[i + 1]) * 1000
                      printf "%d", ms }' "$work/cpu")
  echo "$ms $name" >> "$work/times"

  failed=0
  fail() {
    echo "$name: $*"
    failed=1
  }
  if [ "$rc" = 124 ]; then
    fail "timed out after 60 s (killed)"
  elif [ "$rc" != "$want_rc" ]; then
    fail "exit $rc, expected $want_rc$(tail -n 1 "$out" | sed 's/^/ (last line: /; s/$/)/')"
  fi
  [ "$ms" -gt $((time_limit * 1000)) ] && fail "took $((ms / 1000)).$(printf '%03d' $((ms % 1000))) s of processor time, more than $time_limit s"
  if grep -q 'hard rss limit exhausted' "$out"; then
    fail "used more than 1 GB (ASan hard_rss_limit_mb)"
  elif grep -q -e 'AddressSanitizer' -e 'LeakSanitizer' -e 'runtime error:' "$out"; then
    fail "sanitizer: $(grep -e 'AddressSanitizer' -e 'LeakSanitizer' -e 'runtime error:' "$out" | head -n 1)"
  fi
  effects=$(side_effects)
  [ -n "$effects" ] && fail "side effect: $(echo "$effects" | tr '\n' ';')"
  rm -f "$dir"/PWNED* /tmp/chg-pwned* 2>/dev/null
  [ -f "$canary" ] || { echo canary > "$canary" && made_canary=1; }

  headers "$out" > "$work/$name.got"
  if [ "${UPDATE:-0}" = 1 ]; then
    cp "$work/$name.got" "$dir/$name.expected"
  elif [ ! -f "$dir/$name.expected" ]; then
    fail "no $dir/$name.expected"
  elif ! cmp -s "$dir/$name.expected" "$work/$name.got"; then
    fail "diagnostics differ from $name.expected:"
    diff "$dir/$name.expected" "$work/$name.got" | sed 's/^/    /'
  fi
  [ "$failed" = 1 ] && failures=$((failures + 1))
done

if [ "${VERBOSE:-0}" = 1 ]; then
  sort -rn "$work/times" | while read -r ms name; do
    printf 'hooks: %6d ms of processor time  %s\n' "$ms" "$name"
  done
fi

if [ "$failures" -gt 0 ]; then
  echo "hooks: $failures of $cases cases failed"
  exit 1
fi
echo "hooks: $cases hostile hooks contained"
