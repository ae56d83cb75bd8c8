#!/bin/sh
# A large file is read as it is scanned, a piece at a time (parse.c); a
# small one is read whole.  Every malformed file and every example must
# give the same diagnostics, byte for byte, and the same report, both ways:
# CHG_DEBUG_STREAM=N reads every file N bytes at a time, so that pieces end
# inside characters, tokens, long strings and lines everywhere.
set -u
CHG=${1:-build/chg}
export CHG_STDLIB=stdlib NO_COLOR=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0
for f in tests/bad/*.chg tests/regress/*.chg examples/*/; do
  [ -e "$f" ] || continue
  "$CHG" check --color never "$f" >"$tmp/whole" 2>&1; echo "status $?" >>"$tmp/whole"
  for chunk in 5 13 4096; do
    CHG_DEBUG_STREAM=$chunk "$CHG" check --color never "$f" >"$tmp/piece" 2>&1
    echo "status $?" >>"$tmp/piece"
    if ! cmp -s "$tmp/whole" "$tmp/piece"; then
      echo "stream: $f read $chunk bytes at a time says something else:"
      diff "$tmp/whole" "$tmp/piece" | head -20
      fail=1
    fi
  done
  n=$((n + 1))
done
for ex in examples/*/; do
  [ -f "$ex/portfolio.chg" ] || continue
  "$CHG" report --format json "$ex" >"$tmp/whole" 2>/dev/null
  CHG_DEBUG_STREAM=5 "$CHG" report --format json "$ex" >"$tmp/piece" 2>/dev/null
  if ! cmp -s "$tmp/whole" "$tmp/piece"; then
    echo "stream: the report of $ex differs when read a piece at a time"
    fail=1
  fi
  n=$((n + 1))
done
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
  n=$((n + 1))
done
[ $fail -eq 0 ] || exit 1
echo "stream: $n inputs read the same whole and a piece at a time"
