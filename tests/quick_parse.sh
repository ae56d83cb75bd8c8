#!/bin/sh
# The shortcuts chg takes must not change what it says.  A file is parsed
# first by the grammar built without look-ahead correction, and again by
# the one with it when it meets a syntax error (chg_parser.quick,
# src/parse.h); a rule's `when` and an aggregate's `where` are compiled,
# and a comparison of a number an entity record keeps (a risk's score, a
# milestone's slip) with one written in the rule read straight from the
# record (chg_cond_compile, src/expr.c).  CHG_DEBUG_CAREFUL=1 takes
# neither.  Every malformed file, read whole and in pieces side by side,
# is checked both ways, and every golden portfolio's JSON report (every
# section, and the diagnostics) made both ways; the outputs are compared
# byte for byte.
CHG=${1:-build/chg}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0 again=0 reports=0

same() { # WHAT: $tmp/careful against $tmp/said
  if ! cmp -s "$tmp/said" "$tmp/careful"; then
    echo "quick_parse: $1 says something else with its shortcuts:"
    diff "$tmp/careful" "$tmp/said" | head -20
    fail=1
  fi
}

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
    same "$f ($mode)"
    n=$((n + 1))
  done
done

for p in examples/*/ tests/claims/*.chg; do
  [ -n "$(find "$p" -name '*.chg' | head -n 1)" ] || continue
  "$CHG" report --format json --color never "$p" >"$tmp/said" 2>&1
  echo "exit $?" >>"$tmp/said"
  CHG_DEBUG_CAREFUL=1 "$CHG" report --format json --color never "$p" >"$tmp/careful" 2>&1
  echo "exit $?" >>"$tmp/careful"
  same "the report of $p"
  reports=$((reports + 1))
done

# The comparisons above test nothing unless the shortcuts are taken: the
# quick parser must parse a sound file and give a file with a syntax
# error back, and rule_conditions.chg's comparisons be read from records.
CHG_DEBUG_STATS=1 "$CHG" check examples/transformation_2022 2>&1 >/dev/null |
  grep -q ', 0 parsed again$' || { echo "quick_parse: a sound portfolio was parsed twice"; fail=1; }
if [ $again -lt 60 ]; then
  echo "quick_parse: only $again runs of the malformed corpus were parsed again"
  fail=1
fi
kept() { # ENV...: how many comparisons rule_conditions.chg reads from records
  env "$@" CHG_DEBUG_STATS=1 "$CHG" check tests/claims/rule_conditions.chg 2>&1 >/dev/null |
    sed -n 's/^chg: conditions [0-9]* compiled, \([0-9]*\) comparisons.*/\1/p'
}
[ "$(kept)" = 17 ] || { echo "quick_parse: rule_conditions.chg read $(kept) comparisons from records, not 17"; fail=1; }
[ "$(kept CHG_DEBUG_CAREFUL=1)" = 0 ] || { echo "quick_parse: CHG_DEBUG_CAREFUL=1 still compiled conditions"; fail=1; }
[ $fail -eq 0 ] && echo "quick_parse: $n runs said the same parsed quickly first ($again parsed again); $reports reports the same with their conditions compiled"
exit $fail
