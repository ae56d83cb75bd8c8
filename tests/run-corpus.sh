#!/bin/sh
# run-corpus.sh -- checks every malformed file in tests/bad/ against the
# diagnostics it must produce.
#
#   sh tests/run-corpus.sh path/to/chg          compare
#   UPDATE=1 sh tests/run-corpus.sh path/to/chg rewrite the .expected files
#
# For each tests/bad/NAME.chg (top level only: tests/bad/inc/ holds files
# that corpus entries include), the script runs
#
#   CHG check --color never tests/bad/NAME.chg
#
# from the repository root and requires:
#   - exit status 1, or 2 or 0 if the file's first line is `# exit: 2` or
#     `# exit: 0` (a file of warnings only);
#   - no crash: exit status below 128, and no "AddressSanitizer" or
#     "runtime error:" (UBSan) on stderr;
#   - the header lines on stderr, `FILE:LINE:COL: error|warning|note: ...`,
#     for tests/bad/NAME.chg and for helper files under tests/bad/inc/, in
#     order, equal to tests/bad/NAME.expected (a missing .expected file is a
#     failure).
#
# The stdlib is taken from the repository (CHG_STDLIB=stdlib) and CHG_PATH
# is cleared, so that "looked for" notes name the same paths on every
# machine.  Each run is limited to 60 seconds where timeout(1) exists; a
# run that hits the limit is a hang.

usage() {
  echo "usage: sh tests/run-corpus.sh path/to/chg" >&2
  exit 2
}

[ $# -eq 1 ] || usage
CHG=$1
case $CHG in
  /*) ;;
  */*) CHG=$(pwd)/$CHG ;;
  *) ;; # a bare name is looked up on PATH
esac

root=$(cd "$(dirname "$0")/.." && pwd) || exit 2
cd "$root" || exit 2

if ! command -v "$CHG" >/dev/null 2>&1; then
  echo "run-corpus: cannot run \`$1\`" >&2
  exit 2
fi

CHG_STDLIB=stdlib
export CHG_STDLIB
unset CHG_PATH
NO_COLOR=1
export NO_COLOR

if command -v timeout >/dev/null 2>&1; then
  limit="timeout 60"
else
  limit=
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/chg-corpus.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# One line per problem, `FAIL FILE: what`; a file with several problems
# counts once.
fail() {
  echo "FAIL $file: $1"
}

DIR=${CORPUS_DIR:-tests/bad}
# The files are shared between two workers, one a processor (a sanitizer
# build takes a tenth of a second to start and end on a slow machine).
check_each() { # $1: this worker, from 0; $2: how many workers
  i=0 out=$tmp/stdout.$1 err=$tmp/stderr.$1 actual=$tmp/actual.$1
  for file in "$DIR"/*.chg; do
    [ -f "$file" ] || continue
    i=$((i + 1))
    [ $((i % $2)) -eq "$1" ] || continue
    echo "RAN $file"
    name=${file%.chg}
    expected=$name.expected

    want_status=1
    first=$(head -n 1 "$file")
    case $first in
      "# exit: 0"*) want_status=0 ;; # warnings only: what they say is the test
      "# exit: 2"*) want_status=2 ;;
    esac

    $limit "$CHG" check --color never "$file" >"$out" 2>"$err"
    status=$?

    # The header lines of this file and of its helpers under tests/bad/inc/.
    # File names in the corpus are [A-Za-z0-9_]; escape the dots anyway.
    pattern=$(printf '%s' "$file" | sed 's/[].[^$*\\/]/\\&/g')
    grep -E "^($pattern|$DIR/inc/[^:]*):[0-9]+:[0-9]+: " "$err" >"$actual"

    if [ "${UPDATE:-}" = 1 ]; then
      if [ ! -f "$expected" ] || ! cmp -s "$actual" "$expected"; then
        cp "$actual" "$expected"
        echo "updated $expected"
      fi
    fi

    crashed=
    if [ $status -eq 124 ] && [ -n "$limit" ]; then
      fail "timed out (hang?)"
      crashed=1
    elif [ $status -ge 128 ]; then
      fail "crashed with exit status $status"
      crashed=1
    fi
    if grep -q -e 'AddressSanitizer' -e 'runtime error:' "$err"; then
      fail "sanitizer report:"
      grep -e 'AddressSanitizer' -e 'runtime error:' "$err" | sed 's/^/    /'
      crashed=1
    fi
    if [ -z "$crashed" ] && [ $status -ne $want_status ]; then
      fail "exit status $status, expected $want_status"
    fi

    if [ "${UPDATE:-}" != 1 ]; then
      if [ ! -f "$expected" ]; then
        fail "no $expected (run with UPDATE=1 to create it, then review it)"
      elif ! cmp -s "$actual" "$expected"; then
        fail "diagnostics differ from $expected"
        diff -u "$expected" "$actual" | sed 's/^/    /'
      fi
    fi
  done
}
check_each 0 2 >"$tmp/said.0" &
check_each 1 2 >"$tmp/said.1" &
wait
grep -hv '^RAN ' "$tmp/said.0" "$tmp/said.1"
total=$(cat "$tmp/said.0" "$tmp/said.1" | grep -c '^RAN ')
: >"$tmp/failed"

# An .expected file whose .chg is gone is stale.
for expected in "$DIR"/*.expected; do
  [ -f "$expected" ] || continue
  if [ ! -f "${expected%.expected}.chg" ]; then
    file=$expected
    fail "no ${expected%.expected}.chg for this expected file" >>"$tmp/failed"
  fi
done
cat "$tmp/failed"

failed=$(cat "$tmp/said.0" "$tmp/said.1" "$tmp/failed" | sed -n 's/^FAIL \([^:]*\):.*/\1/p' | sort -u | wc -l)
echo "corpus: $total files, $failed failed"
[ "$failed" -eq 0 ]
