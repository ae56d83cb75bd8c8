#!/bin/sh
# A large file is read as it is scanned, a piece at a time (parse.c); a
# small one is read whole.  Every malformed file and every example must
# give the same diagnostics, byte for byte, and the same report, both ways:
# CHG_DEBUG_STREAM=N reads every file N bytes at a time, so that pieces end
# inside characters, tokens, long strings and lines everywhere.  A large
# file is also parsed in pieces side by side; CHG_DEBUG_SPLIT=K cuts even a
# small one in K, so that cuts fall after every kind of line, and kept
# pieces and pieces parsed again must both read as the file read whole.
set -u
CHG=${1:-build/chg}
export CHG_STDLIB=stdlib NO_COLOR=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0
# The inputs are shared between two workers, one a processor.  Leaks are
# looked for in three of the seven reads (LeakSanitizer's scan at exit is
# half the time of a sanitizer build's run); the other four only compare.
quick="ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
compare_reads() { # $1: this worker, from 0; $2: how many workers
  i=0
  for f in tests/bad/*.chg tests/regress/*.chg examples/*/; do
    [ -e "$f" ] || continue
    i=$((i + 1))
    [ $((i % $2)) -eq "$1" ] || continue
    whole=$tmp/whole.$1 piece=$tmp/piece.$1
    "$CHG" check --color never "$f" >"$whole" 2>&1; echo "status $?" >>"$whole"
    for how in CHG_DEBUG_STREAM=5 "$quick CHG_DEBUG_STREAM=13" "$quick CHG_DEBUG_STREAM=4096" \
               "$quick CHG_DEBUG_STREAM=4096 CHG_DEBUG_SPLIT=2" "CHG_DEBUG_STREAM=4096 CHG_DEBUG_SPLIT=3" \
               "$quick CHG_DEBUG_STREAM=4096 CHG_DEBUG_SPLIT=8" \
               "CHG_DEBUG_STREAM=512 CHG_DEBUG_SPLIT=2 CHG_DEBUG_TAKE=1"; do
      env $how "$CHG" check --color never "$f" >"$piece" 2>&1
      echo "status $?" >>"$piece"
      if ! cmp -s "$whole" "$piece"; then
        echo "stream: $f read with $how says something else:"
        diff "$whole" "$piece" | head -20
      fi
    done
    echo "$f" >>"$tmp/read.$1"
  done
}
: >"$tmp/read.0"
: >"$tmp/read.1"
compare_reads 0 2 >"$tmp/said.0" &
compare_reads 1 2 >"$tmp/said.1" &
wait
cat "$tmp/said.0" "$tmp/said.1"
[ -s "$tmp/said.0" ] || [ -s "$tmp/said.1" ] && fail=1
n=$(cat "$tmp/read.0" "$tmp/read.1" | wc -l)
kept=0 taken=0
for ex in examples/*/; do
  [ -f "$ex/portfolio.chg" ] || continue
  "$CHG" report --format json --detail "$ex" >"$tmp/whole" 2>/dev/null
  CHG_DEBUG_STREAM=5 "$CHG" report --format json --detail "$ex" >"$tmp/piece" 2>/dev/null
  if ! cmp -s "$tmp/whole" "$tmp/piece"; then
    echo "stream: the report of $ex differs when read a piece at a time"
    fail=1
  fi
  for split in 2 5 2t 3t; do
    # 2t: two pieces, a thread that has finished taking half of what the
    # other has left (CHG_DEBUG_TAKE), so that pieces are cut while parsed
    take=${split#[0-9]}
    rm -f "$tmp/piece"
    env CHG_DEBUG_STATS=1 CHG_DEBUG_STREAM=4096 CHG_DEBUG_SPLIT=${split%t} ${take:+CHG_DEBUG_TAKE=1} \
      "$CHG" report --format json --detail -o "$tmp/piece" "$ex" 2>"$tmp/stats" >/dev/null
    if ! cmp -s "$tmp/whole" "$tmp/piece"; then
      echo "stream: the report of $ex differs when parsed in $split pieces"
      fail=1
    fi
    kept=$((kept + $(grep -c "pieces side by side, [1-9][0-9]* kept" "$tmp/stats")))
    taken=$((taken + $(grep -c "kept, [1-9][0-9]* of them taken" "$tmp/stats")))
  done
  n=$((n + 1))
done
# pieces parsed side by side must be kept when the file is sound, or the
# comparisons above test nothing but parsing again
if [ $kept -lt 10 ]; then
  echo "stream: only $kept files parsed in pieces kept any piece"
  fail=1
fi
# and a piece halved while it was parsed must have been kept, or the
# comparisons above do not test the halving
if [ $taken -lt 1 ]; then
  echo "stream: no piece was halved while parsed and kept"
  fail=1
fi
# the formatter reads the text again: it must lay out a file read in pieces
# exactly as one read whole
for f in examples/*/*.chg tests/bad/unterminated_long_string.chg; do
  [ -f "$f" ] || continue
  "$CHG" fmt --diff "$f" >"$tmp/whole" 2>&1
  CHG_DEBUG_STREAM=7 "$CHG" fmt --diff "$f" >"$tmp/piece" 2>&1
  if ! cmp -s "$tmp/whole" "$tmp/piece"; then
    echo "stream: chg fmt lays out $f differently when it is read a piece at a time"
    fail=1
  fi
  CHG_DEBUG_STREAM=4096 CHG_DEBUG_SPLIT=3 "$CHG" fmt --diff "$f" >"$tmp/piece" 2>&1
  if ! cmp -s "$tmp/whole" "$tmp/piece"; then
    echo "stream: chg fmt lays out $f differently when it is parsed in pieces"
    fail=1
  fi
  n=$((n + 1))
done
# a report's sections are built on two threads, and written by whichever
# is free: with one thread (-j 1), every format must come out the same
for ex in examples/*/ tests/claims/*.chg; do
  [ -f "$ex/portfolio.chg" ] || [ -f "$ex" ] || continue
  for format in json "json --detail" text md html "csv --section risks"; do
    "$CHG" report --format $format "$ex" >"$tmp/whole" 2>&1
    "$CHG" report -j 1 --format $format "$ex" >"$tmp/piece" 2>&1
    if ! cmp -s "$tmp/whole" "$tmp/piece"; then
      echo "stream: the $format report of $ex differs on one thread (-j 1)"
      fail=1
    fi
    # a table written in chunks of two rows, each through a buffer that
    # starts too small for it (CHG_DEBUG_CHUNK_ROWS): the same again
    case $format in json|csv*)
      CHG_DEBUG_CHUNK_ROWS=2 "$CHG" report --format $format "$ex" >"$tmp/whole" 2>&1
      if ! cmp -s "$tmp/whole" "$tmp/piece"; then
        echo "stream: the $format report of $ex differs written in chunks of two rows"
        fail=1
      fi
    esac
  done
  n=$((n + 1))
done
# A table of 4,096 rows or more is written in chunks that both threads
# format (write_in_chunks): 4,200 risks and milestones, each risk with a
# long mitigation, so that a chunk outgrows the buffer it starts in, must
# come out as on one thread.
python3 - "$tmp/large.chg" <<'PY'
import sys
with open(sys.argv[1], 'w') as out:
    out.write('use std.rag\nuse std.risk5x5\nuse std.escalation\n\n'
              'portfolio large "Large" {\n  as_of 2024-03-31\n}\n\nunit u "Unit" { capacity 500 }\n')
    for g in range(105):
        out.write(f'\nprogramme g{g} "Programme {g}" {{\n  unit u\n')
        for p in range(20):
            out.write(f'  project p{p} "Project {p} of {g}" {{\n    budget £{p + 1}.5m\n')
            for r in range(2):
                out.write(f'    risk r{r} "Risk {r}" {{ likelihood {(g + p + r) % 5 + 1}; impact {(g * p + r) % 5 + 1}; '
                          f'mitigation "{"weekly review, " * 40}{g}.{p}.{r}" }}\n')
            for m in range(2):
                out.write(f'    milestone m{m} "Milestone {m}" {{ baseline 2024-0{m + 1}-15; forecast 2024-0{m + 2}-20 }}\n')
            out.write('  }\n')
        out.write('}\n')
PY
for format in json "csv --section risks"; do
  CHG_DEBUG_STATS=1 "$CHG" report --format $format "$tmp/large.chg" >"$tmp/whole" 2>"$tmp/stats"
  "$CHG" report -j 1 --format $format "$tmp/large.chg" >"$tmp/piece" 2>/dev/null
  if ! cmp -s "$tmp/whole" "$tmp/piece"; then
    echo "stream: the $format report of a large portfolio differs written in chunks"
    fail=1
  fi
  if [ "$(nproc)" -gt 1 ] && ! grep -q "report: [1-9][0-9]* tables written in chunks" "$tmp/stats"; then
    echo "stream: no table of the large portfolio's $format report was written in chunks"
    fail=1
  fi
done
[ $fail -eq 0 ] || exit 1
echo "stream: $n inputs read the same whole, a piece at a time and in pieces side by side ($kept kept, $taken with pieces halved while parsed); reports the same on one thread, and a large one's written in chunks"
