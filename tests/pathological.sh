#!/bin/sh
# Pathological inputs: each must end within 5 s of processor time with the
# right diagnostic, never a crash, a hang or a stack overflow.
# Usage: pathological.sh CHG
set -u
CHG=${1:?usage: pathological.sh path/to/chg}
DIR=${BUILD:-build}/patho
mkdir -p "$DIR"
failed=0

# chg ARGS..., its output (standard output only with ERR=drop) in
# $DIR/$name.out, its exit status in $got and its processor time in $secs:
# time a busy machine does not stretch as it does the clock, which
# (timeout) only stops a hang
time_chg() {
  (
    timeout 60 "$CHG" "$@"
    rc=$?
    times >"$DIR/$name.cpu" # the processor time its children took
    exit $rc
  ) >"$DIR/$name.out" 2>"$DIR/$name.err"
  got=$?
  [ "${ERR:-}" = drop ] || cat "$DIR/$name.err" >>"$DIR/$name.out"
  secs=$(awk 'NR == 2 { n = split($0, t, /[ ms]+/); s = 0
                        for (i = 1; i + 1 <= n; i += 2) if (t[i] != "") s += t[i] * 60 + t[i + 1]
                        printf "%d", s }' "$DIR/$name.cpu")
}

# verdict PROBLEM: says what went wrong, or that $name was ok within 5 s
verdict() {
  if [ -n "$1" ]; then
    echo "pathological $name: $1"; head -5 "$DIR/$name.err"; failed=1
  elif [ "$secs" -gt 5 ]; then
    echo "pathological $name: took ${secs}s of processor time"; failed=1
  else
    echo "pathological $name: ok (${secs}s)"
  fi
}

# run NAME EXPECTED_STATUS CODE_OR_EMPTY FILE: chg check
run() {
  name=$1 want=$2 code=$3
  time_chg check --color never ${ARGS:-} "$4"
  if [ "$got" != "$want" ]; then
    verdict "exit $got, wanted $want"
  elif [ -n "$code" ] && ! grep -q "\[$code\]" "$DIR/$name.out"; then
    verdict "no $code diagnostic"
  else
    verdict ""
  fi
}

awk 'BEGIN { printf "portfolio p { as_of 2022-01-01 }\nprogramme a "; for (i = 0; i < 100000; i++) printf "{"; for (i = 0; i < 100000; i++) printf "}"; print "" }' >"$DIR/braces.chg"
run braces 1 CHG0204 "$DIR/braces.chg"

awk 'BEGIN { printf "portfolio p { as_of 2022-01-01 }\nrule r { on risk; when "; for (i = 0; i < 100000; i++) printf "("; print "1" }' >"$DIR/parens.chg"
run parens 1 CHG0204 "$DIR/parens.chg"

# a series of 302,400 dates whose last repeats its first: keys given twice
# are found by sorting (comparing every pair took 11 s for 200,000)
awk 'BEGIN { printf "portfolio p { as_of 2022-01-01 }\nsaving s { money "
             for (y = 2000; y < 2900; y++) for (m = 1; m <= 12; m++) for (d = 1; d <= 28; d++)
               printf "%04d-%02d-%02d: -£1, ", y, m, d
             print "2000-01-01: -£1 }" }' >"$DIR/long_series.chg"
run long_series 1 CHG0207 "$DIR/long_series.chg"

# one programme depending on 100,000 others, the last dependency a repeat of
# the first: looking each up among those before it took 2 s for 40,000
awk 'BEGIN { print "portfolio p { as_of 2022-01-01 }"
             for (i = 0; i < 100000; i++) printf "programme p%d\n", i
             print "programme z {"
             for (i = 0; i < 100000; i++) printf "  depends_on p%d low\n", i
             print "  depends_on p0 high\n}" }' >"$DIR/many_dependencies.chg"
run many_dependencies 1 CHG0305 "$DIR/many_dependencies.chg"

# a stray `}` after 6,000 block heads indented ever deeper: where a `{` or a
# `}` went missing is searched for within a bounded number of lines
awk 'BEGIN { print "portfolio p { as_of 2022-01-01 }"; for (i = 0; i < 6000; i++) { printf "%*s", i % 2000, ""; print "unit u" i } print "}" }' >"$DIR/stairs.chg"
run stairs 1 CHG0203 "$DIR/stairs.chg"

awk 'BEGIN { printf "portfolio p { as_of 2022-01-01 }\nrule r { on risk; when "; for (i = 0; i < 100000; i++) printf "not "; print "true }" }' >"$DIR/nots.chg"
run nots 1 CHG0204 "$DIR/nots.chg"
# the parser's stack runs out before the operand is read: still the depth's message
grep -q "an expression more than 1000 operators deep" "$DIR/nots.out" ||
  { echo "pathological nots: not the message of an expression too deep"; failed=1; }

# long chains of binary operators: as deep as brackets, though the parser's
# stack stays shallow; 998 deep is still checked and evaluated
awk 'BEGIN { printf "portfolio p { as_of 2022-01-01 }\nclaim c { expect 1"; for (i = 0; i < 20000; i++) printf " + 1"; print " == 20001 }" }' >"$DIR/sums.chg"
run sums 1 CHG0204 "$DIR/sums.chg"
awk 'BEGIN { printf "portfolio p { as_of 2022-01-01 }\nrule r { on risk; when true"; for (i = 0; i < 20000; i++) printf " and true"; print "; flag info \"x\" }" }' >"$DIR/ands.chg"
run ands 1 CHG0204 "$DIR/ands.chg"
awk 'BEGIN { printf "portfolio p { as_of 2022-01-01 }\nclaim c { expect 1"; for (i = 0; i < 998; i++) printf " + 1"; print " == 999 }" }' >"$DIR/sums998.chg"
run sums998 0 "" "$DIR/sums998.chg"
awk 'BEGIN { printf "portfolio p { as_of 2022-01-01 }\nclaim c { expect 1"; for (i = 0; i < 998; i++) printf " + 1"; print " == 998 }" }' >"$DIR/sums998false.chg"
run sums998false 1 CHG0601 "$DIR/sums998false.chg"

# a 10 MB line: one long string, and one long run of names
awk 'BEGIN { printf "portfolio p { as_of 2022-01-01; owner \""; for (i = 0; i < 1000000; i++) printf "abcdefghij"; print "\" }" }' >"$DIR/longline.chg"
run longline 0 "" "$DIR/longline.chg"
# a file this large is read as it is scanned: a 10 MB comment and a 10 MB
# long string are single tokens cut by every read, and must not be
# scanned again for each
awk 'BEGIN { printf "# "; for (i = 0; i < 1000000; i++) printf "abcdefghij"; print ""; print "portfolio p { as_of 2022-01-01 }" }' >"$DIR/longcomment.chg"
run longcomment 0 "" "$DIR/longcomment.chg"
awk 'BEGIN { printf "portfolio p {\n  as_of 2022-01-01\n  owner \"\"\"\n"; for (i = 0; i < 200000; i++) print "    a line of the owner'"'"'s long string, fifty bytes"; print "  \"\"\"\n}" }' >"$DIR/longstring.chg"
run longstring 0 "" "$DIR/longstring.chg"
# 200,000 empty titles ending their lines: each `""` may have been meant to
# open a long string, and the lines after it were read again for every one
# (27 s); what was read of them is kept for the next
awk 'BEGIN { print "portfolio p { as_of 2022-01-01 }"; for (i = 0; i < 200000; i++) printf "unit u%d \"\"\n", i }' >"$DIR/empty_titles.chg"
run empty_titles 0 "" "$DIR/empty_titles.chg"
awk 'BEGIN { print "portfolio p { as_of 2022-01-01 }\nprogramme a {"; for (i = 0; i < 200000; i++) print "  rationale \"\""; print "}" }' >"$DIR/empty_texts.chg"
run empty_texts 1 CHG0305 "$DIR/empty_texts.chg"
awk 'BEGIN { printf "portfolio p { as_of 2022-01-01 }\nunit u "; for (i = 0; i < 1000000; i++) printf "abcdefghi "; print "" }' >"$DIR/longhead.chg"
run longhead 1 CHG0307 "$DIR/longhead.chg"

# a million programmes
awk 'BEGIN { print "portfolio p { as_of 2022-01-01 }"; for (i = 0; i < 1000000; i++) printf "programme p%d \"Programme %d\"\n", i, i }' >"$DIR/million.chg"
run million 0 "" "$DIR/million.chg"

# a million errors stop at the limit
awk 'BEGIN { print "portfolio p { as_of 2022-01-01 }"; for (i = 0; i < 1000000; i++) print "programme p { ownr 1 }" }' >"$DIR/errors.chg"
ARGS="--max-errors 200" run errors 1 CHG0205 "$DIR/errors.chg"
# by default, every error: 250 of them
awk 'BEGIN { print "portfolio p { as_of 2022-01-01 }"; for (i = 0; i < 250; i++) printf "unit u%d \"U\" { capacity -1 }\n", i }' >"$DIR/errors250.chg"
run errors250 1 "" "$DIR/errors250.chg"
n=$(grep -c ": error: " "$DIR/errors250.out")
[ "$n" = 250 ] || { echo "pathological errors250: $n errors shown, not 250"; failed=1; }

# 50,000 lines of syntax errors, one with 100,000 on it, and a long string
# lost below each: a line is judged once for a quote or `"""` left out, and
# a file of many broken lines no more than some hundreds of times
awk 'BEGIN { print "portfolio p { as_of 2022-01-01 }"
             for (i = 0; i < 50000; i++) { print "programme p" i " ( ^ )"; if (i % 1000 == 0) print "  text\n  \"\"\"" }
             for (i = 0; i < 100000; i++) printf "^"; print "" }' >"$DIR/broken_lines.chg"
run broken_lines 1 CHG0103 "$DIR/broken_lines.chg"

# 100,000 lines each opening a C comment no `*/` closes: each costs its
# line (a scanner rule for the closed comment read on to the end of the file
# from each: 8,000 took 2.3 s, these would take minutes)
awk 'BEGIN { print "portfolio p { as_of 2022-01-01 }"; for (i = 0; i < 100000; i++) print "/* note " i }' >"$DIR/c_comments.chg"
run c_comments 1 CHG0103 "$DIR/c_comments.chg"

# NUL bytes in a comment line of 800 KB, and of 8 MB (read as it is scanned):
# the scanner took a NUL for the end of its buffer and scanned the line again
# from its start at each (17 s for the first)
python3 -c 'import sys; sys.stdout.buffer.write(b"portfolio p { as_of 2022-01-01 }\n# " + (b"a" * 49 + b"\0") * int(sys.argv[1]) + b"\n")' 16000 >"$DIR/nul_line.chg"
run nul_line 1 CHG0102 "$DIR/nul_line.chg"
python3 -c 'import sys; sys.stdout.buffer.write(b"portfolio p { as_of 2022-01-01 }\n# " + (b"a" * 49 + b"\0") * int(sys.argv[1]) + b"\n")' 160000 >"$DIR/nul_line_large.chg"
run nul_line_large 1 CHG0102 "$DIR/nul_line_large.chg"

# binary garbage
head -c 2000000 /dev/urandom >"$DIR/random.chg" 2>/dev/null || true
run random 1 "" "$DIR/random.chg"

# 300,000 projects each depending on the next: the walk that looks for
# dependency cycles went 300,000 calls deep and overflowed the stack
awk 'BEGIN { print "portfolio p { as_of 2022-01-01 }"
             for (i = 1; i <= 300000; i++) {
               printf "project p%d \"P\" {", i
               if (i < 300000) printf " depends_on p%d medium", i + 1
               print " }" } }' >"$DIR/deepchain.chg"
run deepchain 0 "" "$DIR/deepchain.chg"
{ cat "$DIR/deepchain.chg"; echo "project p300001 \"P\" { depends_on p1 medium }"; } >"$DIR/deepcycle.chg"
sed -i 's/^project p300000 "P" { }$/project p300000 "P" { depends_on p300001 medium }/' "$DIR/deepcycle.chg"
run deepcycle 1 CHG0406 "$DIR/deepcycle.chg"

# 200,000 recommendations numbered 1: each duplicate walked back to the
# first of its number, 20 billion steps; with --max-errors the rest are
# not looked at
awk 'BEGIN { print "use std.recommendations"; print "portfolio p { as_of 2022-01-01 }"
             for (i = 1; i <= 200000; i++) printf "recommendation r%d \"R\" { number 1 }\n", i }' >"$DIR/numbers.chg"
ARGS="--max-errors 5" run numbers 1 CHG0405 "$DIR/numbers.chg"

# 10,000 programmes and 10,000 projects each depending on one misspelt:
# "did you mean" read every id for each, 200 million comparisons; past
# 5 million ids read in a run, the errors come without a suggestion
awk 'BEGIN { print "portfolio p { as_of 2022-01-01 }"
             for (i = 0; i < 10000; i++) printf "programme prog_%06d \"X\"\n", i
             for (i = 0; i < 10000; i++) printf "project q%d \"Q\" { depends_on prog_%06dx high }\n", i, i }' >"$DIR/misspelt.chg"
run misspelt 1 CHG0404 "$DIR/misspelt.chg"
grep -q "did you mean \`prog_000000\`" "$DIR/misspelt.out" ||
  { echo "pathological misspelt: the first wrong reference has no suggestion"; failed=1; }

# 30,000 risks without ids in one programme, each named by its place
# (`g.risk#17`): each path counted its siblings, 900 million steps in a
# report
awk 'BEGIN { print "use std.risk5x5"; print "portfolio p { as_of 2022-01-01 }"
             print "programme g \"G\" {"
             for (i = 1; i <= 30000; i++) print "  risk { likelihood 5; impact 5 }"
             print "}" }' >"$DIR/nameless.chg"
name=nameless; ERR=drop time_chg report --format json --section risks "$DIR/nameless.chg"
paths=$(grep -o '"g\.risk#[0-9]*"' "$DIR/nameless.out" | sort -u | wc -l)
if [ $got -ne 0 ] || [ "$paths" -ne 30000 ]; then verdict "exit $got, $paths distinct paths, not 30000"
else verdict ""; fi

# every project depending on the one before: the dependency matrix would be
# a grid of 3,000 by 3,000; it shows the first 100 blocks depended on, and
# says how many there are
awk 'BEGIN { print "portfolio p { as_of 2022-01-01 }"
             for (i = 1; i <= 3000; i++) {
               printf "project p%d \"Project %d\" {", i, i
               if (i > 1) printf " depends_on p%d medium", i - 1
               print " }" } }' >"$DIR/chain.chg"
name=chain; ERR=drop time_chg report --format json --section dependency-matrix "$DIR/chain.chg"
columns=$(grep -o '"name": "on_p[0-9]*"' "$DIR/chain.out" | wc -l)
rows=$(grep -c '^       {"from"' "$DIR/chain.out")
if [ $got -ne 0 ] || [ "$columns" -ne 100 ] || [ "$rows" -ne 100 ] ||
   ! grep -q '2,999 blocks are depended on: the first 100 named are shown' "$DIR/chain.out"; then
  verdict "exit $got, $columns columns and $rows rows, not 100 and 100 with a note"
else
  verdict ""
fi

# 20,000 staff categories (one for each grade in each office): each was
# found by a walk of those before it and kept in a copy of them all (4 GB),
# compared with every other for misspellings, and totalled in a pass over
# every line for each
awk 'BEGIN { print "portfolio p { as_of 2022-01-01 }"
             for (g = 1; g <= 50; g++) printf "programme g%d \"Programme %d\" { }\n", g, g
             for (i = 1; i <= 5000; i++) {
               printf "saving s%d { programme g%d", i, i % 50 + 1
               for (k = 0; k < 4; k++) printf "; posts c%d_%d 2022/23: -1", i, k
               print " }" } }' >"$DIR/categories.chg"
run categories 0 "" "$DIR/categories.chg"
name=categories_report; ERR=drop time_chg report --format csv --section savings-totals "$DIR/categories.chg"
rows=$(grep -c '^Posts: c' "$DIR/$name.out")
if [ $got -ne 0 ] || [ "$rows" -ne 20000 ]; then verdict "exit $got, $rows rows of posts, not 20000"
else verdict ""; fi

# one programme of 100,000 risks, its budget written after them, and a
# rule on each risk reading it: the programme's items were walked for each
# risk (37 s; a million risks, an hour)
# (and its criteria, its dependencies: read by a rule, or by a hook)
awk 'BEGIN { print "use std.rag\nuse std.risk5x5\nuse std.escalation"
             print "portfolio p { as_of 2022-01-01 }\nprogramme a \"A\" {"
             for (i = 0; i < 100000; i++) printf " risk r%d \"R\" { likelihood 1; impact 1 }\n", i
             print " budget £2m\n status overall red \"late\"\n depends_on b high \"x\"\n}"
             print "programme b \"B\" { }"
             print "rule big { on risk; when programme.budget > £1m and programme.sro == \"x\"; flag info \"big\" }"
             print "rule red { on risk; when programme.status.overall == red; escalate programme }" }' \
  >"$DIR/wide_parent.chg"
run wide_parent 0 "" "$DIR/wide_parent.chg"
cp "$DIR/wide_parent.chg" "$DIR/wide_parent_hook.chg"
echo 'hook "wide_parent_hook.lua"' >>"$DIR/wide_parent_hook.chg"
printf 'function on_risk(r)\n  local c, d = r.parent.criteria.overall, r.parent.depends_on\n  if c == "red" and #d == 1 then chg.escalate(r, "portfolio", "its programme is red") end\nend\n' \
  >"$DIR/wide_parent_hook.lua"
run wide_parent_hook 0 "" "$DIR/wide_parent_hook.chg"

rm -f "$DIR"/*.chg "$DIR"/*.lua "$DIR"/*.out "$DIR"/*.err
exit $failed
