#!/bin/sh
# make fuzz: build the libFuzzer targets with clang (address and undefined
# sanitizers) and run each for FUZZ_SECONDS, seeded from every .chg the
# project has.  A crash leaves its input under build/fuzz/; make it a
# regression test in tests/regress/.  FUZZ_TARGETS picks targets
# (check, report, fmt, stream; all by default).
set -eu
SECONDS_EACH=${FUZZ_SECONDS:-60}
B=${BUILD:-build}/fuzz
mkdir -p "$B"
command -v clang >/dev/null || { echo "fuzz: needs clang and libclang-rt-14-dev"; exit 2; }
CFLAGS="-std=c17 -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -Iinclude -Isrc -I$B/gen $(pkg-config --cflags lua5.4)"
mkdir -p "$B/gen" "$B/obj"
bison -Wall -d -o "$B/gen/chg.tab.c" grammar/chg.y
# and without look-ahead correction, as the Makefile builds it
bison -Wall -Fparse.lac=none -o "$B/gen/chg_quick.tab.c" grammar/chg.y
flex -Cfe -o "$B/gen/lex.chg.c" grammar/chg.l
objs=""
for f in src/*.c "$B/gen/chg.tab.c" "$B/gen/chg_quick.tab.c" "$B/gen/lex.chg.c"; do
  [ "$f" = src/main.c ] && continue
  o="$B/obj/$(basename "$f" .c).o"
  rename=""
  [ "$f" = "$B/gen/chg_quick.tab.c" ] && rename=-Dchg_yyparse=chg_yyparse_quick
  clang $CFLAGS $rename -DCHG_STDLIB_DIR='"stdlib"' -c "$f" -o "$o"
  objs="$objs $o"
done
# FUZZ_TARGETS="check fmt" runs some of them; all by default
targets=""
for t in ${FUZZ_TARGETS:-check report fmt stream}; do targets="$targets tests/fuzz/fuzz_$t.c"; done
for target in $targets; do
  [ -f "$target" ] || { echo "fuzz: no target $target"; exit 2; }
  name=$(basename "$target" .c)
  clang $CFLAGS -fsanitize=fuzzer -DCHG_FUZZ_STDLIB="\"$(pwd)/stdlib\"" "$target" $objs \
    $(pkg-config --libs lua5.4) -lm -pthread -o "$B/$name"
  mkdir -p "$B/corpus-$name"
  # and the inputs fuzzing found before (tests/regress), each a path into
  # code few other inputs reach
  for seed in examples/*/*.chg examples/*/*/*.chg tests/bad/*.chg tests/claims/*.chg \
              docs/diagnostics/*.chg tests/regress/*.chg; do
    [ -f "$seed" ] && cp "$seed" "$B/corpus-$name/$(echo "$seed" | tr / _)"
  done
  echo "fuzz: $name for ${SECONDS_EACH}s"
  # in an empty directory: includes the fuzzer makes up are relative to it
  rm -rf "$B/work-$name" && mkdir -p "$B/work-$name"
  ( cd "$B/work-$name" && ASAN_OPTIONS=detect_leaks=1 "../$name" -max_total_time="$SECONDS_EACH" \
      -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=../ \
      "../corpus-$name" 2>"../$name.log" ) \
    || { echo "fuzz: $name found a problem: see $B/$name.log and $B/crash-*"; tail -30 "$B/$name.log"; exit 1; }
  grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|cov:" "$B/$name.log" | tail -3
done
