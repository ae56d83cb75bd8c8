#!/bin/sh
# A file is parsed first by the grammar built without look-ahead
# correction, and again by the one with it when it meets a syntax error
# (chg_parser.quick, src/parse.h).  What chg says must not depend on it:
# every malformed file, read whole and in pieces side by side, is checked
# both ways (CHG_DEBUG_CAREFUL=1: the careful parser from the start) and
# the outputs compared byte for byte.
CHG=${1:-build/chg}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0 again=0

for f in tests/bad/*.chg tests/regress/*.chg; do
  for mode in whole pieces; do
    if [ $mode = pieces ]; then set -- env CHG_DEBUG_STREAM=4096 CHG_DEBUG_SPLIT=3; else set -- env; fi
    "$@" CHG_DEBUG_STATS=1 "$CHG" check --max-errors 0 "$f" >"$tmp/quick" 2>&1
    echo "exit $?" >>"$tmp/quick"
    "$@" CHG_DEBUG_CAREFUL=1 "$CHG" check --max-errors 0 "$f" >"$tmp/careful" 2>&1
    echo "exit $?" >>"$tmp/careful"
    grep -q ' [1-9][0-9]* parsed again$' "$tmp/quick" && again=$((again + 1))
    # the statistics are the quick run's own
    grep -v '^chg: ' "$tmp/quick" >"$tmp/said"
    if ! cmp -s "$tmp/said" "$tmp/careful"; then
      echo "quick_parse: $f ($mode) says something else when parsed quickly first:"
      diff "$tmp/careful" "$tmp/said" | head -20
      fail=1
    fi
    n=$((n + 1))
  done
done

# the quick parser must be the one that parses a sound file, and must give
# a file with a syntax error back: else the comparisons above test nothing
CHG_DEBUG_STATS=1 "$CHG" check examples/transformation_2022 2>&1 >/dev/null |
  grep -q ', 0 parsed again$' || { echo "quick_parse: a sound portfolio was parsed twice"; fail=1; }
if [ $again -lt 60 ]; then
  echo "quick_parse: only $again runs of the malformed corpus were parsed again"
  fail=1
fi
[ $fail -eq 0 ] && echo "quick_parse: $n runs said the same parsed quickly first ($again parsed again)"
exit $fail
