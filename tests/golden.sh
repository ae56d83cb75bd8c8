#!/bin/sh
# Golden reports: every example in every format must print exactly what
# tests/golden/ holds, and the same bytes twice.  Usage: golden.sh CHG
# (UPDATE=1 rewrites the golden files; read the diff before committing.)
set -u
CHG=${1:?usage: golden.sh path/to/chg}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

# Each prints `COMPARED` for a report compared, and what failed.
compare() { # GOLDEN ACTUAL
  echo COMPARED
  if [ "${UPDATE:-}" = 1 ]; then
    mkdir -p "$(dirname "$1")"; cp "$2" "$1"; return
  fi
  if [ ! -f "$1" ]; then
    echo "golden: $1 is missing (UPDATE=1 to create it)"
  elif ! cmp -s "$1" "$2"; then
    echo "golden: $1 differs:"; diff -u "$1" "$2" | head -20 | sed 's/^/    /'
  fi
}

report() { # DIR OUT ARGS...
  dir=$1 out=$2; shift 2
  "$CHG" report --color never "$@" "$dir" >"$out" 2>"$out.err"
  st=$?
  if [ $st -ne 0 ] && [ $st -ne 1 ]; then
    echo "golden: chg report $* $dir exited $st"; cat "$out.err"
  fi
  # a portfolio with an error in checking writes no report: a golden of it
  # would hold nothing, and pass for ever
  [ -s "$out" ] || { echo "golden: chg report $* $dir wrote nothing:"; head -3 "$out.err"; }
  "$CHG" report --color never "$@" "$dir" >"$out.again" 2>/dev/null
  cmp -s "$out" "$out.again" || echo "golden: chg report $* $dir is not the same twice"
}

# The portfolios are shared between two workers, one a processor.
report_each() { # $1: this worker, from 0; $2: how many workers
  i=0
  for dir in examples/*/ tests/claims/*.chg; do
    # examples/ci holds CI configuration, no portfolio
    [ -n "$(find "$dir" -name '*.chg' | head -n 1)" ] || continue
    i=$((i + 1))
    [ $((i % $2)) -eq "$1" ] || continue
    name=$(basename "$dir" .chg)
    gold=tests/golden/$name
    for fmt in text md json detail html; do
      # detail: the JSON report with --detail, every cell an object
      case $fmt in
      text) file=report.txt; args="--format text" ;;
      detail) file=report-detail.json; args="--format json --detail" ;;
      *) file=report.$fmt; args="--format $fmt" ;;
      esac
      # shellcheck disable=SC2086 # $args is words
      report "$dir" "$tmp/$name-$file" $args
      compare "$gold/$file" "$tmp/$name-$file"
    done
    sections=$(sed -n 's/^    {"name": "\([a-z-]*\)".*/\1/p' "$tmp/$name-report.json")
    for s in $sections; do
      report "$dir" "$tmp/$name-$s.csv" --format csv --section "$s"
      compare "$gold/csv/$s.csv" "$tmp/$name-$s.csv"
    done
  done
}
report_each 0 2 >"$tmp/said.0" &
report_each 1 2 >"$tmp/said.1" &
wait
count=$(cat "$tmp/said.0" "$tmp/said.1" | grep -c '^COMPARED$')
grep -hv '^COMPARED$' "$tmp/said.0" "$tmp/said.1" && failed=1
if [ "${UPDATE:-}" != 1 ]; then
  for f in tests/golden/*/csv/*.csv; do
    name=$(basename "$(dirname "$(dirname "$f")")") s=$(basename "$f" .csv)
    [ -f "$tmp/$name-$s.csv" ] || { echo "golden: $f is stale (no such section any more)"; failed=1; }
  done
fi
[ $failed = 0 ] && echo "golden: $count reports as expected, each the same twice"
exit $failed
