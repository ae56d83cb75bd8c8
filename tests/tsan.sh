#!/bin/sh
# make tsan: chg built with ThreadSanitizer (clang), run where it uses
# threads: files parsed in pieces side by side, with every thread that has
# finished taking half of what another piece has left (CHG_DEBUG_TAKE=1),
# and reports built and written on two threads.  Any data race it reports
# fails the run.  Run by hand, as make fuzz is (it needs clang).
set -u
B=${BUILD:-build}/tsan
command -v clang >/dev/null || { echo "tsan: needs clang"; exit 2; }
mkdir -p "$B/gen" "$B/obj"
CFLAGS="-std=c17 -g -O1 -fsanitize=thread -Iinclude -Isrc -I$B/gen $(pkg-config --cflags lua5.4)"
bison -Wall -d -o "$B/gen/chg.tab.c" grammar/chg.y || exit 2
bison -Wall -Fparse.lac=none -o "$B/gen/chg_quick.tab.c" grammar/chg.y || exit 2
flex -Cfe -o "$B/gen/lex.chg.c" grammar/chg.l || exit 2
objs=""
for f in src/*.c "$B/gen/chg.tab.c" "$B/gen/chg_quick.tab.c" "$B/gen/lex.chg.c"; do
  o="$B/obj/$(basename "$f" .c).o"
  rename=""
  [ "$f" = "$B/gen/chg_quick.tab.c" ] && rename=-Dchg_yyparse=chg_yyparse_quick
  clang $CFLAGS $rename -DCHG_STDLIB_DIR='"stdlib"' -c "$f" -o "$o" || exit 2
  objs="$objs $o"
done
clang $CFLAGS $objs $(pkg-config --libs lua5.4) -lm -pthread -o "$B/chg" || exit 2

export CHG_STDLIB=stdlib NO_COLOR=1 TSAN_OPTIONS="halt_on_error=1 exitcode=66"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
runs=0 fail=0
run() { # the command; a race exits 66
  "$@" >"$tmp/out" 2>&1
  if [ $? -eq 66 ] || grep -q 'WARNING: ThreadSanitizer' "$tmp/out"; then
    echo "tsan: a data race in: $*"
    sed -n '/WARNING: ThreadSanitizer/,/^SUMMARY/p' "$tmp/out" | head -40
    fail=1
  fi
  runs=$((runs + 1))
}
for f in examples/*/ tests/regress/*.chg; do
  for split in 2 3; do
    run env CHG_DEBUG_STREAM=512 CHG_DEBUG_SPLIT=$split CHG_DEBUG_TAKE=1 "$B/chg" check "$f"
  done
done
for ex in examples/*/; do
  [ -f "$ex/portfolio.chg" ] || continue
  for format in json csv; do
    run env CHG_DEBUG_STREAM=4096 CHG_DEBUG_SPLIT=2 CHG_DEBUG_TAKE=1 \
      "$B/chg" report -j 2 --format $format -o "$tmp/report" "$ex"
  done
done
# a portfolio large enough to be cut in pieces as it stands, where lua5.4
# is there to make it
if command -v lua5.4 >/dev/null 2>&1; then
  lua5.4 bench/gen.lua 3000 "$tmp/p" >/dev/null
  for i in 1 2 3; do
    run env CHG_DEBUG_STREAM=65536 CHG_DEBUG_SPLIT=2 CHG_DEBUG_TAKE=65536 "$B/chg" check "$tmp/p.chg"
    run env CHG_DEBUG_STREAM=65536 CHG_DEBUG_SPLIT=2 CHG_DEBUG_TAKE=65536 "$B/chg" report --format json -o "$tmp/report" "$tmp/p.chg"
  done
fi
[ $fail -eq 0 ] || exit 1
echo "tsan: $runs runs with threads, no data race"
