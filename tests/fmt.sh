#!/bin/sh
# chg fmt from the command line:
#   - every .chg file in the repository, and a synthetic corpus of every
#     layout the grammar allows (tests/fmt_corpus.py), formats; formatting
#     it again changes nothing; its comments are the same, by an
#     independent reading (tests/fmt_comments.py); a file with syntax errors
#     is not formatted.  (chg fmt itself re-parses what it writes and
#     compares the trees; tests/unit/test_fmt.c checks that comparison.)
#   - formatted examples check and report exactly as before;
#   - --check, --diff and -w: output, exit statuses, an atomic rewrite only
#     of what changes, permissions kept, nothing left behind;
#   - standard input, directories, included files left alone, usage errors.
#   sh tests/fmt.sh path/to/chg [SYNTHETIC-COUNT]
set -u
CHG=${1:?usage: fmt.sh path/to/chg [count]}
COUNT=${2:-300}
case $CHG in /*) ;; */*) CHG=$(pwd)/$CHG ;; esac
root=$(cd "$(dirname "$0")/.." && pwd) || exit 2
cd "$root" || exit 2
CHG_STDLIB=$root/stdlib
export CHG_STDLIB
unset CHG_PATH
NO_COLOR=1
export NO_COLOR

tmp=$(mktemp -d "${TMPDIR:-/tmp}/chg-fmt.XXXXXX") || exit 2
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
failed=0
fail() { echo "fmt: $*"; failed=1; }

# expect STATUS DESCRIPTION -- COMMAND...
expect() {
  want=$1 what=$2; shift 3
  "$@" >"$tmp/out" 2>"$tmp/err"
  got=$?
  [ "$got" = "$want" ] || { fail "$what: exit $got, wanted $want"; head -5 "$tmp/err"; }
  if grep -q -e 'Sanitizer' -e 'runtime error:' "$tmp/err"; then fail "$what: sanitizer report"; head -5 "$tmp/err"; fi
}

# ---- every file: formats, idempotent, comments kept ------------------------------
python3 tests/fmt_corpus.py "$tmp/synth" "$COUNT" || exit 2
mkdir -p "$tmp/formatted"
: >"$tmp/pairs"
# The files are shared between two workers, one a processor; each prints
# what failed, and a line `formatted` or `refused` for each file.  Leaks
# are looked for in the first formatting of each, not in the second.
again="env ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
format_each() { # $1: this worker, from 0; $2: how many workers
  i=0 one=$tmp/one.$1.chg two=$tmp/two.$1.chg err=$tmp/one.$1.err
  for f in examples/*/*.chg examples/*/*/*.chg tests/bad/*.chg tests/bad/inc/*.chg \
           tests/hooks/*.chg tests/claims/*.chg tests/regress/*.chg docs/diagnostics/*.chg \
           stdlib/std/*.chg "$tmp"/synth/*.chg; do
    [ -f "$f" ] || continue
    i=$((i + 1))
    [ $((i % $2)) -eq "$1" ] || continue
    formatted_copy="$tmp/formatted/$(echo "$f" | tr '/' '_')"
    "$CHG" fmt "$f" >"$one" 2>"$err"
    st=$?
    if grep -q -e 'Sanitizer' -e 'runtime error:' "$err"; then
      fail "$f: sanitizer report"; grep -e 'Sanitizer' -e 'runtime error:' "$err" | head -3; continue
    fi
    if grep -q 'CHG0801' "$err"; then fail "$f: chg fmt could not keep its meaning"; continue; fi
    if [ $st = 1 ]; then
      # syntax errors: diagnostics, and nothing formatted
      echo refused
      [ -s "$one" ] && fail "$f: has syntax errors, yet something was formatted"
      [ -s "$err" ] || fail "$f: not formatted, and no diagnostic says why"
      case $f in "$tmp"/synth/*) fail "$f: the synthetic corpus should parse"; head -3 "$err" ;; esac
      continue
    fi
    [ $st = 0 ] || { fail "$f: exit $st"; continue; }
    echo formatted
    $again "$CHG" fmt "$one" >"$two" 2>/dev/null || fail "$f: its formatted text does not format"
    cmp -s "$one" "$two" || { fail "$f: formatting twice changes it"; diff "$one" "$two" | head -5; }
    cp "$one" "$formatted_copy"
    printf '%s\t%s\n' "$f" "$formatted_copy" >>"$tmp/pairs.$1"
    if [ -s "$one" ] && [ -n "$(tail -c 1 "$one")" ]; then
      fail "$f: the formatted text does not end with a newline"
    fi
  done
}
: >"$tmp/pairs.0"
: >"$tmp/pairs.1"
format_each 0 2 >"$tmp/said.0" &
format_each 1 2 >"$tmp/said.1" &
wait
cat "$tmp/pairs.0" "$tmp/pairs.1" >"$tmp/pairs"
grep -hv -e '^formatted$' -e '^refused$' "$tmp/said.0" "$tmp/said.1" && failed=1
formatted=$(cat "$tmp/said.0" "$tmp/said.1" | grep -c '^formatted$')
refused=$(cat "$tmp/said.0" "$tmp/said.1" | grep -c '^refused$')
# the comments, read independently of chg, are the same before and after
python3 tests/fmt_comments.py --pairs "$tmp/pairs" || fail "comments changed (above)"
[ $formatted -ge $((COUNT + 150)) ] || fail "only $formatted files formatted"

# ---- pathological inputs: linear time, no deep recursion -------------------------
if command -v timeout >/dev/null 2>&1; then limit="timeout 60"; else limit=; fi
mkdir -p "$tmp/patho"
awk 'BEGIN { printf "unit u "; for (i = 0; i < 200000; i++) printf "abcdefghi "; print "" }' >"$tmp/patho/longhead.chg"
awk 'BEGIN { printf "x { owner \""; for (i = 0; i < 500000; i++) printf "abcdefghij"; print "\" }" }' >"$tmp/patho/longline.chg"
awk 'BEGIN { printf "r { when "; for (i = 0; i < 999; i++) printf "-"; print "1 }" }' >"$tmp/patho/negs.chg"
awk 'BEGIN { printf "r {\n  when "; for (i = 0; i < 1500; i++) printf "(# c%d\n", i; printf "1"; for (i = 0; i < 1500; i++) printf ")"; print "\n}" }' >"$tmp/patho/parens.chg"
awk 'BEGIN { printf "x "; for (i = 0; i < 4000; i++) printf "["; for (i = 0; i < 4000; i++) printf "]"; print "" }' >"$tmp/patho/lists.chg"
awk 'BEGIN { for (i = 0; i < 200000; i++) printf "programme p%d \"Programme %d\" # %d\n", i, i, i }' >"$tmp/patho/many.chg"
for f in "$tmp"/patho/*.chg; do
  $limit "$CHG" fmt "$f" >"$f.out" 2>"$f.err" || { fail "$(basename "$f"): exit $?"; head -3 "$f.err"; continue; }
  $limit "$CHG" fmt "$f.out" >"$f.again" 2>/dev/null && cmp -s "$f.out" "$f.again" ||
    fail "$(basename "$f"): not stable"
done

# ---- formatting changes nothing a portfolio says ---------------------------------
mkdir -p "$tmp/ex"
cp -R examples "$tmp/ex/"
"$CHG" fmt -w "$tmp/ex/examples" || fail "fmt -w examples"
"$CHG" fmt --check "$tmp/ex/examples" >/dev/null 2>&1 || fail "examples are not formatted after fmt -w"
for d in examples/*/; do
  ls "$d"*.chg >/dev/null 2>&1 || continue # examples/ci holds CI configurations only
  d=${d%/}
  (cd "$root" && "$CHG" check --color never "$d" >"$tmp/before.out" 2>&1; echo "exit $?" >>"$tmp/before.out")
  (cd "$tmp/ex" && "$CHG" check --color never "$d" >"$tmp/after.out" 2>&1; echo "exit $?" >>"$tmp/after.out")
  cmp -s "$tmp/before.out" "$tmp/after.out" || { fail "$d: chg check says something else once formatted"; diff "$tmp/before.out" "$tmp/after.out" | head -10; }
  (cd "$root" && "$CHG" report --format json --detail "$d" >"$tmp/before.json" 2>/dev/null)
  (cd "$tmp/ex" && "$CHG" report --format json --detail "$d" >"$tmp/after.json" 2>/dev/null)
  # the same report, but for where in the source each figure comes from
  python3 - "$tmp/before.json" "$tmp/after.json" <<'PY' || fail "$d: the report changes once formatted"
import json, sys
def strip(v):
    if isinstance(v, dict):
        return {k: strip(x) for k, x in v.items() if k != "source"}
    if isinstance(v, list):
        return [strip(x) for x in v]
    return v
a, b = (strip(json.load(open(p))) for p in sys.argv[1:3])
if a != b:
    sys.exit("reports differ")
PY
done

# the claims' own files, some laid out by hand: a claim quotes its
# expression the same way before and after
for f in tests/claims/*.chg; do
  "$CHG" fmt "$f" >"$tmp/claim_fmt.chg" 2>/dev/null || continue # one with includes may not stand alone
  cp "$tmp/claim_fmt.chg" "$(dirname "$f")/.fmt_$(basename "$f")"
  "$CHG" report --format json --detail "$f" >"$tmp/before.json" 2>/dev/null
  "$CHG" report --format json --detail "$(dirname "$f")/.fmt_$(basename "$f")" >"$tmp/after.json" 2>/dev/null
  rm -f "$(dirname "$f")/.fmt_$(basename "$f")"
  python3 - "$tmp/before.json" "$tmp/after.json" <<'PY' || fail "$f: the report changes once formatted"
import json, sys
def strip(v):
    if isinstance(v, dict):
        return {k: strip(x) for k, x in v.items() if k not in ("source", "diagnostics")}
    if isinstance(v, list):
        return [strip(x) for x in v]
    return v
a, b = (strip(json.load(open(p))) for p in sys.argv[1:3])
if a != b:
    sys.exit("reports differ")
PY
done

# ---- --check ------------------------------------------------------------------
mkdir -p "$tmp/w"
printf 'unit   a "A"\n' >"$tmp/w/ugly.chg"
printf 'unit a "A"\n' >"$tmp/w/tidy.chg"
printf 'unit b {\n' >"$tmp/w/broken.chg"
# the standard library is in the layout fmt gives, so that a module copied
# to start one passes `fmt --check`
expect 0 "the stdlib in fmt's layout" -- "$CHG" fmt --check stdlib/std/*.chg

# trailing comments share a column on the screen: a CJK character takes
# two, a combining accent none
printf 'unit A "\346\274\242\345\255\227" # a\nunit B "abcdef" # b\nunit C "Cafe\314\201" # c\n' >"$tmp/wide.chg"
expect 0 "comments beside wide characters" -- "$CHG" fmt "$tmp/wide.chg"
printf 'unit A "\346\274\242\345\255\227"   # a\nunit B "abcdef" # b\nunit C "Cafe\314\201"   # c\n' |
  cmp -s - "$tmp/out" || { fail "comments beside wide characters do not share a column on screen"; cat "$tmp/out"; }
# a line whose code runs past 100 columns stands alone: the comments of
# the short lines around it keep a column of their own
long=$(printf 'x%.0s' $(seq 1 110))
printf 'risk r "R" {\n  category schedule # a\n  mitigation "%s" # b\n  owner "o" # c\n  proximity 2023-01-01 # d\n}\n' "$long" >"$tmp/longline.chg"
expect 0 "comments beside a long line" -- "$CHG" fmt "$tmp/longline.chg"
printf 'risk r "R" {\n  category   schedule # a\n  mitigation "%s" # b\n  owner      "o"        # c\n  proximity  2023-01-01 # d\n}\n' "$long" |
  cmp -s - "$tmp/out" || { fail "comments beside a long line are lined up with it"; cat "$tmp/out"; }
expect 0 "--check of a formatted file" -- "$CHG" fmt --check "$tmp/w/tidy.chg"
[ -s "$tmp/out" ] && fail "--check of a formatted file printed something"
expect 1 "--check of an unformatted file" -- "$CHG" fmt --check "$tmp/w/ugly.chg" "$tmp/w/tidy.chg"
[ "$(cat "$tmp/out")" = "$tmp/w/ugly.chg" ] || fail "--check does not list exactly the file that would change"
grep -q "CHG0802" "$tmp/err" || fail "--check does not say where the file would change"
# a Windows checkout: every line ends with CRLF, which fmt writes as LF;
# --check says that is why, or the message gives no cause
printf 'unit a "A"\r\n' >"$tmp/w/crlf.chg"
expect 1 "--check of a file with CRLF line endings" -- "$CHG" fmt --check --color never "$tmp/w/crlf.chg"
grep -q "its lines end with CRLF, and chg fmt writes LF" "$tmp/err" || fail "--check does not say a file's CRLF is why"
rm -f "$tmp/w/crlf.chg"
expect 1 "--check of a file with syntax errors" -- "$CHG" fmt --check "$tmp/w/broken.chg"
grep -q "CHG0202" "$tmp/err" || fail "--check does not print the syntax error"
cmp -s "$tmp/w/ugly.chg" - <<EOF || fail "--check changed a file"
unit   a "A"
EOF

# ---- --diff ----------------------------------------------------------------------
expect 0 "--diff" -- "$CHG" fmt --diff "$tmp/w/ugly.chg" "$tmp/w/tidy.chg"
cat >"$tmp/want.diff" <<EOF
--- a/${tmp#/}/w/ugly.chg
+++ b/${tmp#/}/w/ugly.chg
@@ -1 +1 @@
-unit   a "A"
+unit a "A"
EOF
cmp -s "$tmp/out" "$tmp/want.diff" || { fail "--diff output"; cat "$tmp/out"; }
expect 1 "--check --diff" -- "$CHG" fmt --check --diff "$tmp/w/ugly.chg"
grep -q '^+unit a "A"$' "$tmp/out" || fail "--check --diff prints no diff"
if command -v patch >/dev/null 2>&1; then
  # the diff of a whole example applies and gives the formatted text
  for f in examples/mps_2011/savings.chg examples/transformation_2022/portfolio.chg "$tmp"/synth/synth0001.chg; do
    cp "$f" "$tmp/p.chg"
    "$CHG" fmt "$f" >"$tmp/p.want"
    (cd "$tmp" && "$CHG" fmt --diff p.chg >p.diff && patch -s -p1 <p.diff) || fail "$f: patch failed"
    cmp -s "$tmp/p.chg" "$tmp/p.want" || fail "$f: the diff does not give the formatted text"
  done
  # a name with a space: its header ends at a tab, which patch reads whole
  mkdir -p "$tmp/with space"
  printf 'unit   a "A"\n' >"$tmp/with space/my file.chg"
  (cd "$tmp" && "$CHG" fmt --diff "with space/my file.chg" >sp.diff && patch -s -p1 <sp.diff) ||
    fail "a diff of a file whose name has a space does not apply"
  grep -q '^unit a "A"$' "$tmp/with space/my file.chg" || fail "the diff of a name with a space gave the wrong text"
else
  echo "fmt: patch is not installed; the diff is checked against its expected text only"
fi

# ---- -w: only what changes, atomically, permissions kept ---------------------------------
chmod 640 "$tmp/w/ugly.chg"
inode_ugly=$(ls -i "$tmp/w/ugly.chg" | cut -d' ' -f1)
inode_tidy=$(ls -i "$tmp/w/tidy.chg" | cut -d' ' -f1)
touch -d '2001-01-01' "$tmp/w/tidy.chg"
expect 0 "-w" -- "$CHG" fmt -w "$tmp/w/ugly.chg" "$tmp/w/tidy.chg"
[ -s "$tmp/out" ] && fail "-w printed something"
printf 'unit a "A"\n' | cmp -s - "$tmp/w/ugly.chg" || fail "-w did not rewrite the file"
[ "$(ls -i "$tmp/w/ugly.chg" | cut -d' ' -f1)" != "$inode_ugly" ] || fail "-w rewrote in place, not by rename"
[ "$(ls -i "$tmp/w/tidy.chg" | cut -d' ' -f1)" = "$inode_tidy" ] || fail "-w replaced a file that needed no change"
[ -n "$(find "$tmp/w/tidy.chg" ! -newermt '2002-01-01')" ] || fail "-w touched a file that needed no change"
[ "$(stat -c %a "$tmp/w/ugly.chg")" = 640 ] || fail "-w lost the file's permissions"
ls -A "$tmp/w" | grep -q chgfmt && fail "-w left a temporary file"
cp "$tmp/w/broken.chg" "$tmp/w/broken.orig"
expect 1 "-w of a file with syntax errors" -- "$CHG" fmt -w "$tmp/w/broken.chg"
cmp -s "$tmp/w/broken.chg" "$tmp/w/broken.orig" || fail "-w changed a file with syntax errors"
# a directory that cannot be written: the file stays whole, exit 2
if [ "$(id -u)" != 0 ]; then
  mkdir -p "$tmp/ro"
  printf 'unit   a "A"\n' >"$tmp/ro/f.chg"
  chmod 555 "$tmp/ro"
  expect 2 "-w in a read-only directory" -- "$CHG" fmt -w "$tmp/ro/f.chg"
  printf 'unit   a "A"\n' | cmp -s - "$tmp/ro/f.chg" || fail "-w damaged a file it could not replace"
  chmod 755 "$tmp/ro"
fi
# a symbolic link: the file it points to is rewritten, the link stays
printf 'unit   s "S"\n' >"$tmp/w/target.chg"
ln -s target.chg "$tmp/w/link.chg"
expect 0 "-w through a symbolic link" -- "$CHG" fmt -w "$tmp/w/link.chg"
[ -L "$tmp/w/link.chg" ] || fail "-w replaced a symbolic link by a file"
printf 'unit s "S"\n' | cmp -s - "$tmp/w/target.chg" || fail "-w did not rewrite the link's target"

# ---- stdin, directories, includes ------------------------------------------------
printf 'unit   a "A"\n' | "$CHG" fmt - >"$tmp/out" 2>"$tmp/err" || fail "fmt -"
printf 'unit a "A"\n' | cmp -s - "$tmp/out" || fail "fmt - output"
printf 'unit   a "A"\n' | "$CHG" fmt --check - >"$tmp/out" 2>/dev/null && fail "fmt --check - of an unformatted input"
expect 2 "-w -" -- "$CHG" fmt -w -
mkdir -p "$tmp/d/sub" "$tmp/d/.hidden"
printf 'unit   a "A"\n' >"$tmp/d/sub/a.chg"
printf 'unit   b "B"\n' >"$tmp/d/.hidden/b.chg"
printf 'unit   c "C"\n' >"$tmp/d/notes.txt"
expect 1 "--check of a directory" -- "$CHG" fmt --check "$tmp/d"
[ "$(cat "$tmp/out")" = "$tmp/d/sub/a.chg" ] || fail "a directory: not exactly its *.chg files ($(cat "$tmp/out"))"
mkdir -p "$tmp/inc"
printf 'include   "part.chg"\nunit   m "M"\n' >"$tmp/inc/main.chg"
printf 'unit   p "P"\n' >"$tmp/inc/part.chg"
expect 0 "-w of a file with an include" -- "$CHG" fmt -w "$tmp/inc/main.chg"
printf 'unit   p "P"\n' | cmp -s - "$tmp/inc/part.chg" || fail "an included file was formatted"
printf 'include "part.chg"\n\nunit m "M"\n' | cmp -s - "$tmp/inc/main.chg" || fail "the including file was not formatted"

# ---- the examples are as chg fmt writes them ------------------------------------
# (a newcomer's CI running `chg fmt --check` on a copy of them passes)
expect 0 "fmt --check on the examples" -- "$CHG" fmt --check examples

# ---- Windows line ends ------------------------------------------------------------
# a CRLF file comes out with LF line ends throughout, a long string's lines
# (copied from the source, moved or not) included
printf 'portfolio p "P" { # the office\r\n  as_of 2024-01-01\r\n  owner """\r\n    Director\r\n\r\n    of Resources\r\n    """\r\n}\r\nprogramme a "A" {\r\n  rationale    """\r\n      One\r\n      two\r\n      """\r\n}\r\n' >"$tmp/crlf.chg"
expect 0 "a CRLF file" -- "$CHG" fmt "$tmp/crlf.chg"
if tr -d -c '\r' <"$tmp/out" | grep -q .; then fail "fmt of a CRLF file leaves CR in its output"; fi
grep -q "of Resources" "$tmp/out" || fail "fmt of a CRLF file lost a long string's text"

# ---- long strings, escapes and signs --------------------------------------------
# a long string whose lines share no indentation byte for byte (a tab on
# one, spaces on another) keeps its lines as written when its item moves
printf 'programme t {\n     rationale """\n  \tone\n     two\n     """\n}\n' >"$tmp/tabbed.chg"
expect 0 "a long string indented with a tab and spaces" -- "$CHG" fmt "$tmp/tabbed.chg"
grep -q "$(printf '^  \tone$')" "$tmp/out" || fail "fmt moved the lines of a long string indented with a tab"
# a variation selector is seen in what it selects, and escaped alone; two
# minus signs stay two
printf 'unit d "a \\u{fe0f}y \\u{2764}\\u{fe0f} \\u{fff9}x"\nclaim c { expect - - 1 < count(unit) }\n' >"$tmp/marks.chg"
expect 0 "variation selectors and two minus signs" -- "$CHG" fmt "$tmp/marks.chg"
grep -qF 'a \u{FE0F}y ❤️ \u{FFF9}x' "$tmp/out" || fail "fmt: variation selectors not shown as they are seen"
grep -qF 'expect - -1 < count(unit)' "$tmp/out" || fail "fmt joined two minus signs"
# the command --check suggests works as a shell reads it
mkdir -p "$tmp/names" && printf 'unit  a "A"\n' >"$tmp/names/-x.chg" && printf 'unit  a "A"\n' >"$tmp/names/sp ace.chg"
(cd "$tmp/names" && "$CHG" fmt --check -- -x.chg "sp ace.chg") >/dev/null 2>"$tmp/err"
grep -qF 'run `chg fmt -w -- -x.chg`' "$tmp/err" && grep -qF "run \`chg fmt -w 'sp ace.chg'\`" "$tmp/err" ||
  { fail "fmt --check suggests a command a shell would misread"; cat "$tmp/err"; }
# -w leaves a file made read-only as it is, as `>` would (as root, run as
# nobody where setpriv can)
chmod 755 "$tmp" && mkdir -p "$tmp/ro" && chmod 777 "$tmp/ro" && printf 'unit  a "A"\n' >"$tmp/ro/ro.chg" && chmod 444 "$tmp/ro/ro.chg"
run_as=""
[ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1 &&
  setpriv --reuid=65534 --regid=65534 --clear-groups "$CHG" --version >/dev/null 2>&1 &&
  run_as="setpriv --reuid=65534 --regid=65534 --clear-groups"
if [ "$(id -u)" != 0 ] || [ -n "$run_as" ]; then
  # shellcheck disable=SC2086 # $run_as is words
  expect 2 "fmt -w of a read-only file" -- $run_as "$CHG" fmt -w "$tmp/ro/ro.chg"
  grep -q 'unit  a' "$tmp/ro/ro.chg" || fail "fmt -w rewrote a read-only file"
fi

# ---- usage -----------------------------------------------------------------------
expect 0 "fmt --help" -- "$CHG" fmt --help
grep -q -- "--check" "$tmp/out" || fail "fmt --help does not describe --check"
expect 0 "help fmt" -- "$CHG" help fmt
expect 0 "--help lists fmt" -- "$CHG" --help
grep -q "fmt" "$tmp/out" || fail "chg --help does not list fmt"
expect 2 "no files" -- "$CHG" fmt
expect 2 "-w with --check" -- "$CHG" fmt -w --check "$tmp/w/tidy.chg"
expect 2 "-w with --diff" -- "$CHG" fmt -w --diff "$tmp/w/tidy.chg"
expect 2 "an unknown option" -- "$CHG" fmt --frobnicate "$tmp/w/tidy.chg"
expect 2 "a bad --format" -- "$CHG" fmt --format xml "$tmp/w/tidy.chg"
expect 2 "a missing file" -- "$CHG" fmt "$tmp/w/missing.chg"
# a file named twice, by another name too, is formatted and listed once
printf 'unit u   "U"\n' >"$tmp/w/twice.chg"
expect 1 "fmt --check of a file named twice" -- "$CHG" fmt --check "$tmp/w/twice.chg" "$tmp/w/./twice.chg"
[ "$(grep -c twice.chg "$tmp/out")" = 1 ] || fail "fmt listed a file named twice twice"
grep -q "^1 error, 0 warnings" "$tmp/err" || fail "fmt counted a file named twice twice"
rm -f "$tmp/w/twice.chg"
# a long option's value joined with `=`, as check and report take it
expect 0 "--format=github" -- "$CHG" fmt --check --format=github "$tmp/w/tidy.chg"
expect 0 "--color=never" -- "$CHG" fmt --check --color=never --colour=never "$tmp/w/tidy.chg"
expect 2 "--check=yes" -- "$CHG" fmt --check=yes "$tmp/w/tidy.chg"
grep -q -- "--check takes no value" "$tmp/err" || fail "fmt --check=yes is not said to take no value"
expect 2 "--format=xml" -- "$CHG" fmt --format=xml "$tmp/w/tidy.chg"

[ $failed = 0 ] && echo "fmt: $formatted files formatted and stable with their comments ($refused with syntax errors refused); --check, --diff, -w, stdin and directories behave"
exit $failed
