#!/bin/sh
# The command line: exit statuses fit for CI, colour, help.  Usage: cli.sh CHG
set -u
CHG=${1:?usage: cli.sh path/to/chg}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

# expect STATUS DESCRIPTION -- COMMAND...
expect() {
  want=$1 what=$2; shift 3
  "$@" >"$tmp/out" 2>"$tmp/err"
  got=$?
  if [ "$got" != "$want" ]; then
    echo "cli: $what: exit $got, wanted $want"; cat "$tmp/err" | head -5; failed=1
  fi
}

printf 'portfolio p "P" { as_of 2022-06-30 }\n' >"$tmp/clean.chg"
printf 'portfolio p "P" { as_of 2022-06-30; ownr "x" }\n' >"$tmp/bad.chg"
printf 'portfolio p "P" { as_of 2022-06-30 }\ninclude "nothing_*.chg"\n' >"$tmp/warn.chg"

expect 0 "clean portfolio" -- "$CHG" check "$tmp/clean.chg"
expect 1 "portfolio with an error" -- "$CHG" check "$tmp/bad.chg"
expect 0 "a warning without --strict" -- "$CHG" check "$tmp/warn.chg"
expect 1 "a warning with --strict" -- "$CHG" check --strict "$tmp/warn.chg"
grep -q "^0 errors, 1 warning; --strict: a warning fails the run$" "$tmp/err" ||
  { echo "cli: a run failed by --strict does not say why"; tail -2 "$tmp/err"; failed=1; }
expect 2 "a missing file" -- "$CHG" check "$tmp/missing.chg"
mkdir -p "$tmp/bad-alone"; printf 'programme a "A" { sro "x" }\n' >"$tmp/bad-alone/lone.chg"
# one file of a portfolio checked alone: the portfolio's file is named,
# with the command that checks the whole
expect 1 "one file of a portfolio alone" -- "$CHG" check examples/mps_2011/programmes/drm.chg
grep -q "^chg: note: \`examples/mps_2011/portfolio.chg\` is a directory up: a portfolio in several files is checked whole, as in \`chg check examples/mps_2011\`$" "$tmp/err" ||
  { echo "cli: a file checked apart from its portfolio does not name the portfolio's file"; cat "$tmp/err" | head -5; failed=1; }
# two directories down: found all the same
mkdir -p "$tmp/twodown/p/programmes/digital"
printf 'portfolio p "P" { as_of 2022-01-01 }\ninclude "programmes/*/*.chg"\n' >"$tmp/twodown/p/portfolio.chg"
printf 'programme dig "D" { unit ops }\n' >"$tmp/twodown/p/programmes/digital/dig.chg"
expect 1 "one file of a portfolio, two directories down" -- "$CHG" check "$tmp/twodown/p/programmes/digital/dig.chg"
grep -q "portfolio.chg\` is 2 directories up: .*as in \`chg check $tmp/twodown/p\`" "$tmp/err" ||
  { echo "cli: a portfolio two directories up is not named"; cat "$tmp/err" | tail -3; failed=1; }
# the names such a file takes from the rest are said once, with the
# missing portfolio, not as an unknown reference each
expect 1 "the savings of a portfolio alone" -- "$CHG" check --color never examples/mps_2011/savings.chg
[ "$(grep -c ': error: ' "$tmp/err")" = 1 ] &&
  grep -q "defined nowhere, are taken to be in the rest of the portfolio, with \`examples/mps_2011/portfolio.chg\`" "$tmp/err" ||
  { echo "cli: a file's references to the rest of its portfolio are not said once"; cat "$tmp/err" | head -8; failed=1; }
expect 1 "a file with no portfolio and none near" -- "$CHG" check "$tmp/bad-alone/lone.chg"
grep -q "portfolio.chg" "$tmp/err" && { echo "cli: a portfolio file named where there is none"; failed=1; }
mkdir -p "$tmp/empty"
expect 2 "a directory with no .chg files" -- "$CHG" check "$tmp/empty"
grep -q "holds no .chg files" "$tmp/err" || { echo "cli: an empty directory is not explained"; failed=1; }

# the standard library not where chg looks: said so, not "did you mean" another missing module
printf 'use std.rag\nportfolio p "P" { as_of 2022-06-30 }\n' >"$tmp/std.chg"
CHG_STDLIB="$tmp/no-stdlib" expect 1 "the standard library missing" -- "$CHG" check "$tmp/std.chg"
grep -q "module \`std.rag\` not found: chg's standard library is not in $tmp/no-stdlib, where CHG_STDLIB sends it" "$tmp/err" ||
  { echo "cli: a missing standard library is not explained"; cat "$tmp/err"; failed=1; }
expect 2 "a report of a directory with no .chg files" -- "$CHG" report "$tmp/empty"
[ -s "$tmp/out" ] && { echo "cli: a report was written for an empty directory"; failed=1; }
# links back up a directory tree: each directory is read once (two such
# links at each level made the walk read 2^64 directories)
mkdir -p "$tmp/loops/a/b"
cp "$tmp/clean.chg" "$tmp/loops/a/b/p.chg"
ln -s .. "$tmp/loops/a/up" && ln -s ../.. "$tmp/loops/a/b/up2" && ln -s . "$tmp/loops/a/b/here"
expect 0 "a directory with links back up" -- timeout 20 "$CHG" check "$tmp/loops"
expect 0 "fmt --check of a directory with links back up" -- timeout 20 "$CHG" fmt --check "$tmp/loops"
# a diagnostic far along a long line of two-byte characters: the excerpt
# is the stretch around it, and the caret stands under what it points at
expect 1 "an error far along a long line" -- "$CHG" check --color never tests/bad/excerpt_far_along_a_line.chg
python3 - "$tmp/err" <<'EOF' || failed=1
import sys
lines = open(sys.argv[1], encoding='utf-8').read().split('\n')
shown = [l for l in lines if l.startswith(' 4 | ')]
carets = [l for l in lines if l.startswith('   | ') and '^' in l]
if not shown or not carets or not shown[0].startswith(' 4 | ... ') or \
        shown[0][carets[0].index('^'):].split(' ')[0] != '£1.5x':
    print('cli: the excerpt of an error far along a line:\n' + '\n'.join(lines[:4]))
    sys.exit(1)
EOF
# past the first 4 KB of a line, the excerpt is still the stretch about
# what is pointed at; and a byte-order mark starting a file is not shown,
# nor counted, so the caret stands under the bad date of line 1
expect 1 "an error past 4 KB along a line" -- "$CHG" check --color never tests/bad/excerpt_far_along_long_line.chg
cp "$tmp/err" "$tmp/err.both"
expect 1 "an error on the line of a byte-order mark" -- "$CHG" check --color never tests/bad/encoding_one_error_a_line.chg
cat "$tmp/err" >>"$tmp/err.both"
python3 - "$tmp/err.both" <<'EOF' || failed=1
import sys
lines = open(sys.argv[1], encoding='utf-8', errors='replace').read().split('\n')
for number in (' 1 | ', ' 4 | '):
    at = [i for i, l in enumerate(lines) if l.startswith(number)]
    if not at or '^' not in lines[at[0] + 1] or '\ufeff' in lines[at[0]] or \
            lines[at[0]][lines[at[0] + 1].index('^'):].split(' ')[0] != '2022-02-30':
        print('cli: the caret of line %s is not under the bad date:\n' % number.strip(' |') + '\n'.join(lines[:8]))
        sys.exit(1)
EOF
# characters that would act on the terminal (a C1 control that starts an
# escape sequence, a bidirectional override) and a byte that is not UTF-8
# show in an excerpt as `?`, one a column
printf 'portfolio p "P\302\2332J \342\200\256" { as_of 2022-13-01 }\nproject caf\351 "x"\n' >"$tmp/c1.chg"
expect 1 "an excerpt of characters that act on the terminal" -- "$CHG" check --color never "$tmp/c1.chg"
grep -q ' 1 | portfolio p "P?2J ?" { as_of 2022-13-01 }$' "$tmp/err" && grep -q ' 2 | project caf? "x"$' "$tmp/err" ||
  { echo "cli: an excerpt passed on what acts on the terminal:"; cat -v "$tmp/err"; failed=1; }
# a file with Windows line ends: the excerpt shows the line without its CR
# and without the ` ...` of a line cut short
expect 1 "an excerpt of a CRLF line" -- "$CHG" check --color never tests/bad/crlf_excerpt.chg
grep -q '^ 8 |   capacity amberr$' "$tmp/err" ||
  { echo "cli: the excerpt of a CRLF line:"; cat -v "$tmp/err"; failed=1; }
# a directory 65 levels down is not read, and a warning says so
deep="$tmp/deep"
for i in $(seq 65); do deep="$deep/d"; done
mkdir -p "$deep" && cp "$tmp/clean.chg" "$tmp/deep/top.chg" && cp "$tmp/clean.chg" "$deep/lost.chg"
expect 0 "a directory 65 levels deep" -- "$CHG" check "$tmp/deep"
grep -q "is more than 64 directories down: the files below it are not read \[CHG0411\]" "$tmp/err" ||
  { echo "cli: a directory too deep is not said:"; cat "$tmp/err"; failed=1; }
# a path too long for the system to name is said, not passed over: a CI
# gate must not pass with a file in the tree it never read
long=$(printf 'a%.0s' $(seq 1 250))
mkdir -p "$tmp/longpath" && cp "$tmp/clean.chg" "$tmp/longpath/top.chg"
( cd "$tmp/longpath" && for _ in $(seq 17); do mkdir "$long" && cd -P "$long" || exit 1; done &&
  printf 'unit X "never closed\n' >broken.chg )
expect 1 "check of a tree with a path too long to name" -- "$CHG" check "$tmp/longpath"
grep -q "its path is longer than this system can name" "$tmp/err" ||
  { echo "cli: a path too long to name was passed over:"; tail -3 "$tmp/err"; failed=1; }
expect 2 "fmt --check of a tree with a path too long to name" -- "$CHG" fmt --check "$tmp/longpath"
grep -q "its path is longer than this system can name" "$tmp/err" ||
  { echo "cli: fmt passed over a path too long to name:"; tail -3 "$tmp/err"; failed=1; }

# fmt walks a directory as check does: what it cannot read is a diagnostic
# in the format asked for, and quiet under -q
mkdir -p "$tmp/nochg"
expect 2 "fmt --format json of a directory with no .chg" -- "$CHG" fmt --format json "$tmp/nochg"
grep -q '^{"severity":"error","code":"CHG0411","message":"`[^`]*nochg` holds no .chg files"' "$tmp/err" ||
  { echo "cli: fmt --format json said an empty directory otherwise:"; cat "$tmp/err"; failed=1; }
expect 2 "fmt -q of a directory with no .chg" -- "$CHG" fmt -q "$tmp/nochg"
[ -s "$tmp/err" ] && { echo "cli: fmt -q said something:"; cat "$tmp/err"; failed=1; }
expect 0 "fmt --check of a directory 65 levels deep" -- "$CHG" fmt --check "$tmp/deep"
grep -q "is more than 64 directories down: the files below it are not read \[CHG0411\]" "$tmp/err" ||
  { echo "cli: fmt of a directory too deep is not said:"; cat "$tmp/err"; failed=1; }

# modules that use each other are loaded once; only includes make a cycle
mkdir -p "$tmp/mods/org"
printf 'use org.b\nscale priority "P" { level high "H" "h" }\n' >"$tmp/mods/org/a.chg"
printf 'use org.a\nunit shared "Shared"\n' >"$tmp/mods/org/b.chg"
printf 'use org.a\nportfolio p "P" { as_of 2022-06-30 }\nprogramme x "X" { unit shared }\n' >"$tmp/usecycle.chg"
expect 0 "modules that use each other" -- "$CHG" check -I "$tmp/mods" "$tmp/usecycle.chg"
[ -s "$tmp/err" ] && { echo "cli: modules that use each other said:"; cat "$tmp/err"; failed=1; }

# a month's name is a month's name in any case; a wrong one is said plainly
printf 'portfolio p "P" { as_of 2022-06-30; year_start April }\n' >"$tmp/april.chg"
expect 0 "year_start April" -- "$CHG" check "$tmp/april.chg"
printf 'portfolio p "P" { as_of 2022-06-30; year_start apr }\n' >"$tmp/apr.chg"
expect 1 "year_start apr" -- "$CHG" check --color never "$tmp/apr.chg"
grep -q "\`apr\` is not a month: \`year_start\` takes a month's name, january to december" "$tmp/err" ||
  { echo "cli: a wrong month name is not explained:"; cat "$tmp/err"; failed=1; }

# -o into a FIFO (or a device: /dev/null, /dev/stdout) writes into it and
# leaves it what it was; renaming a file over it would replace it
mkfifo "$tmp/pipe"
cat "$tmp/pipe" >"$tmp/piped" &
reader=$!
expect 0 "a report into a FIFO" -- timeout 20 "$CHG" report -o "$tmp/pipe" "$tmp/clean.chg"
for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 $reader 2>/dev/null || break; sleep 0.2; done
kill $reader 2>/dev/null # still waiting on a FIFO that was replaced
wait $reader
[ -p "$tmp/pipe" ] || { echo "cli: -o replaced a FIFO with a file"; failed=1; }
grep -q "Portfolio" "$tmp/piped" || { echo "cli: the report did not come through the FIFO"; failed=1; }
ls "$tmp" | grep -q '\.tmp\.' && { echo "cli: a temporary file was left beside a FIFO"; failed=1; }

# -o /dev/stdout, when standard output is a file, writes through it: `>>`
# keeps what the file held, and `> f 2>&1` keeps the report whole beside
# the diagnostics (opened again by its name, the file was emptied)
echo "an earlier line" >"$tmp/log.txt"
"$CHG" report -q -o /dev/stdout "$tmp/clean.chg" >>"$tmp/log.txt" 2>/dev/null
{ head -1 "$tmp/log.txt" | grep -q '^an earlier line$' && grep -q 'Portfolio summary' "$tmp/log.txt"; } ||
  { echo "cli: -o /dev/stdout emptied the file standard output appended to"; failed=1; }
{ echo "a header"; "$CHG" report -q -o /dev/fd/1 "$tmp/clean.chg"; } >"$tmp/fd1.txt" 2>/dev/null
{ head -1 "$tmp/fd1.txt" | grep -q '^a header$' && grep -q 'Portfolio summary' "$tmp/fd1.txt"; } ||
  { echo "cli: -o /dev/fd/1 wrote over what standard output held"; failed=1; }

# `-` reads the portfolio from standard input; a FIFO named is refused at
# once, not waited on
expect 1 "check - with an error" -- sh -c '"$1" check --color never - <"$2"' sh "$CHG" "$tmp/bad.chg"
grep -q "^<stdin>:1:37: error: unknown attribute" "$tmp/err" ||
  { echo "cli: check - does not read standard input:"; cat "$tmp/err"; failed=1; }
expect 0 "report - of a clean portfolio" -- sh -c '"$1" report - <"$2"' sh "$CHG" "$tmp/clean.chg"
grep -q "Portfolio summary" "$tmp/out" || { echo "cli: report - wrote no report"; failed=1; }
mkfifo "$tmp/named.chg"
expect 2 "a FIFO named as a source" -- timeout 10 "$CHG" check "$tmp/named.chg"
grep -q "is not an ordinary file" "$tmp/err" || { echo "cli: a FIFO source is not refused:"; cat "$tmp/err"; failed=1; }

# `-` named twice is refused; -o into a link to /proc/self/fd/1 writes to
# standard output even when that is a file, and leaves the link a link
expect 2 "- named twice" -- sh -c '"$1" check - - <"$2"' sh "$CHG" "$tmp/bad.chg"
# a usage error, said before anything is read: no diagnostic of the input
[ "$(cat "$tmp/err")" = "chg: error: \`-\` (standard input) is named twice" ] ||
  { echo "cli: check - - read its input after the usage error:"; cat "$tmp/err"; failed=1; }
# SARIF rules link to the manual beside the stdlib, and to nothing where
# there is none: not to a file that is not there
mkdir -p "$tmp/lonely" && cp -r stdlib "$tmp/lonely/"
CHG_DOCS_URL= CHG_STDLIB="$tmp/lonely/stdlib" "$CHG" check --format sarif "$tmp/clean.chg" >"$tmp/lonely.sarif" 2>/dev/null
grep -q '"helpUri"' "$tmp/lonely.sarif" &&
  { echo "cli: SARIF links to a manual that is not there"; failed=1; }
"$CHG" check --format sarif "$tmp/clean.chg" 2>/dev/null | grep -q '"helpUri":"file://[^"]*/docs/diagnostics.md#chg0101' ||
  { echo "cli: SARIF does not link to the manual beside the stdlib"; failed=1; }
# -q with a machine format would write an empty log: refused
expect 2 "check -q --format sarif" -- "$CHG" check -q --format sarif "$tmp/clean.chg"
grep -q "leave out -q" "$tmp/err" || { echo "cli: check -q --format sarif not refused:"; cat "$tmp/err"; failed=1; }
expect 2 "fmt -q --format json" -- "$CHG" fmt -q --format json "$tmp/clean.chg"
# an option before any command, and anything after --version, are usage errors
expect 2 "an option before the command" -- "$CHG" --strict "$tmp/clean.chg"
grep -q "unknown option \`--strict\`: options go after the command" "$tmp/err" ||
  { echo "cli: an option before the command was called a command:"; cat "$tmp/err"; failed=1; }
expect 2 "--version with more after it" -- "$CHG" --version extra
# /dev/stdin on a pipe is no ordinary file, not "no such file": `-` reads it
expect 2 "check /dev/stdin on a pipe" -- sh -c 'cat "$2" | "$1" check /dev/stdin' sh "$CHG" "$tmp/clean.chg"
grep -q "it is not an ordinary file (to read standard input, name it \`-\`)" "$tmp/err" ||
  { echo "cli: /dev/stdin on a pipe was said otherwise:"; cat "$tmp/err"; failed=1; }
# a copy of a file left in the directory checked is one error, not one
# for every block in it
mkdir -p "$tmp/copied"
printf 'portfolio p "P" { as_of 2022-06-30 }\nunit A "A"\nunit B "B"\nprogramme g "G" { unit A }\n' >"$tmp/copied/portfolio.chg"
cp "$tmp/copied/portfolio.chg" "$tmp/copied/portfolio copy.chg"
expect 1 "a directory holding a copy of its portfolio" -- "$CHG" check "$tmp/copied"
[ "$(grep -c 'error:' "$tmp/err")" = 1 ] && grep -q "portfolio copy.chg. is a copy of .*portfolio.chg" "$tmp/err" ||
  { echo "cli: a copied file is not one error:"; cat "$tmp/err"; failed=1; }
# a short option's value may be joined to it, as -Idir is
expect 0 "-j1 and -oFILE joined" -- "$CHG" report -q -j1 "-o$tmp/joined.txt" "$tmp/clean.chg"
grep -q "Portfolio summary" "$tmp/joined.txt" || { echo "cli: -oFILE wrote no report"; failed=1; }
expect 2 "- named twice to fmt" -- sh -c '"$1" fmt - - <"$2"' sh "$CHG" "$tmp/clean.chg"
grep -q "named twice" "$tmp/err" || { echo "cli: fmt - - did not say - is named twice"; failed=1; }
# fmt refuses a FIFO too (it waited on one for ever), alone or in a directory
expect 2 "fmt of a FIFO" -- timeout 10 "$CHG" fmt "$tmp/named.chg"
mkdir "$tmp/withfifo" && cp "$tmp/clean.chg" "$tmp/withfifo/a.chg" && mkfifo "$tmp/withfifo/b.chg"
expect 2 "fmt --check of a directory holding a FIFO" -- timeout 10 "$CHG" fmt --check "$tmp/withfifo"
grep -q "is not an ordinary file" "$tmp/err" || { echo "cli: fmt of a FIFO said:"; cat "$tmp/err"; failed=1; }
if grep -q "error.*warning" "$tmp/err"; then echo "cli: fmt counted an I/O failure:"; cat "$tmp/err"; failed=1; fi
# a file whose size the system gives as 0 (/proc) is read to its end
expect 1 "a /proc file, read whole" -- "$CHG" check --color never /proc/version
grep -q "^ 1 | Linux" "$tmp/err" || { echo "cli: /proc/version was not read:"; head -3 "$tmp/err"; failed=1; }
# check --as-of: what will be late at the next board, as report --as-of
printf 'portfolio p "P" { as_of 2022-07-01 }\nprogramme a "A" { milestone m "M" { baseline 2022-08-01 } }\nrule late "Late" { on milestone; when overdue; flag warning "overdue" }\n' >"$tmp/later.chg"
expect 0 "check --strict of a milestone not yet due" -- "$CHG" check --strict "$tmp/later.chg"
expect 1 "check --strict --as-of after it was due" -- "$CHG" check --strict --as-of 2022-09-01 "$tmp/later.chg"
expect 2 "check --as-of that is not a date" -- "$CHG" check --as-of 2022-13-01 "$tmp/later.chg"
# options: numbers are digits only; --section names are not empty; one -o
expect 2 "--max-errors with a sign" -- "$CHG" check --max-errors +5 "$tmp/clean.chg"
expect 2 "--max-errors with a space" -- "$CHG" check --max-errors " 5" "$tmp/clean.chg"
expect 2 "an empty --section" -- "$CHG" report --section "" "$tmp/clean.chg"
expect 2 "a --section list ending in a comma" -- "$CHG" report --section summary, "$tmp/clean.chg"
expect 2 "-o twice" -- "$CHG" report -o "$tmp/r1.txt" -o "$tmp/r2.txt" "$tmp/clean.chg"
# a --section list longer than the command line's words (it overran its array)
expect 0 "a --section list of 200 names" -- "$CHG" report --section "$(printf 'summary,%.0s' $(seq 199))summary" "$tmp/clean.chg"
# what a flag says reaches the terminal as one line, nothing in it acting
# on the terminal: in the diagnostics, and in the text and Markdown reports
printf 'portfolio p "P" { as_of 2022-01-01 }\nrule r1 "R" { on portfolio; when true; flag warning "a\\nx.chg:9:1: error: forged [CHG0101]\\u{1B}[31m\\u{9B}2J" }\n' >"$tmp/forge.chg"
expect 0 "a flag that tries to forge a diagnostic" -- "$CHG" check --color never "$tmp/forge.chg"
if grep -q "^x.chg:9:1" "$tmp/err" || grep -q "$(printf '\033')" "$tmp/err" || grep -q "$(printf '\302\233')" "$tmp/err"; then
  echo "cli: a flag's text forged a line or drove the terminal:"; cat -v "$tmp/err"; failed=1
fi
for format in text md; do
  "$CHG" report --format $format --section flags "$tmp/forge.chg" >"$tmp/forge.$format" 2>/dev/null
  if grep -q "$(printf '\033')" "$tmp/forge.$format" || grep -q "$(printf '\302\233')" "$tmp/forge.$format"; then
    echo "cli: a flag's text drove the terminal in the $format report:"; cat -v "$tmp/forge.$format"; failed=1
  fi
done
ln -s /proc/self/fd/1 "$tmp/to-stdout"
expect 0 "-o into a link to standard output" -- "$CHG" report -o "$tmp/to-stdout" "$tmp/clean.chg"
[ -L "$tmp/to-stdout" ] || { echo "cli: -o replaced a link to /proc/self/fd/1"; failed=1; }
grep -q "Portfolio summary" "$tmp/out" || { echo "cli: -o /proc/self/fd/1 wrote nothing to standard output"; failed=1; }
# a hook file that is a FIFO is refused by check, not waited on
mkfifo "$tmp/fifo.lua"
printf 'portfolio p "P" { as_of 2022-06-30 }\nhook "fifo.lua"\n' >"$tmp/fifohook.chg"
expect 1 "a FIFO as a hook file" -- timeout 10 "$CHG" check --color never "$tmp/fifohook.chg"
grep -q "is not an ordinary file \[CHG0412\]" "$tmp/err" || { echo "cli: a FIFO hook is not refused:"; cat "$tmp/err"; failed=1; }

# Windows files: a byte-order mark at the start is white space, and a CRLF
# line is quoted without its CR
printf '\357\273\277portfolio p "P" { as_of 2022-06-30 }\r\nunit u "U" { capacity -1 }\r\n' >"$tmp/windows.chg"
expect 1 "a Windows file with an error" -- "$CHG" check --color never "$tmp/windows.chg"
grep -q "windows.chg:2:" "$tmp/err" && ! grep -q "CHG0103" "$tmp/err" ||
  { echo "cli: the byte-order mark was not taken as white space:"; cat "$tmp/err"; failed=1; }
if grep -q "$(printf '\r')" "$tmp/err"; then echo "cli: a CR was printed in an excerpt"; failed=1; fi

# a diagnostic and its note share one margin, so their bars line up when
# their line numbers have different widths (14 and 9)
expect 0 "a sequencing clash and its note" -- "$CHG" check --color never docs/diagnostics/CHG0606.chg
bars=$(grep ' | ' "$tmp/err" | awk -F'|' '{ print length($1) }' | sort -u)
[ "$bars" = 4 ] || { echo "cli: the excerpts of a diagnostic and its note are not aligned:"; cat "$tmp/err"; failed=1; }

# an overloaded month where go-lives also clash shows both marks in HTML
printf 'portfolio p "P" { as_of 2022-06-15 }\nunit Z "Z" { capacity 1 }\nprogramme a "A" {\n  unit Z\n  impact { unit Z; level 2; period 2022-04 }\n  milestone g1 { baseline 2022-04-05; go_live true }\n  milestone g2 { baseline 2022-04-20; go_live true }\n}\n' >"$tmp/heat.chg"
expect 0 "an HTML heatmap" -- "$CHG" report --format html --section heatmap "$tmp/heat.chg"
grep -q 'class="num over" data-clash="yes"[^>]*>2 ! ⇄</td>' "$tmp/out" ||
  { echo "cli: an overloaded month's clash is not shown on the HTML heatmap"; failed=1; }

# a title with a line break stays one Markdown heading
printf 'portfolio p "Line one\\nLine two" { as_of 2022-06-15 }\n' >"$tmp/nl.chg"
expect 0 "a Markdown report" -- "$CHG" report --format md "$tmp/nl.chg"
[ "$(head -1 "$tmp/out")" = "# Line one Line two" ] ||
  { echo "cli: a line break split the Markdown heading:"; head -3 "$tmp/out"; failed=1; }

# CSV figures are exact, so that a column adds up to its total
printf 'portfolio p "P" { as_of 2022-06-15 }\nsaving s "S" { posts staff 2022/23: 0.125, 2023/24: 0.125 }\n' >"$tmp/fte.chg"
expect 0 "a CSV of fractional posts" -- "$CHG" report --format csv --section posts "$tmp/fte.chg"
printf 'Id,Line,Category,2022/23,2023/24\r\ns,S,staff,0.125,0.125\r\n' | cmp -s - "$tmp/out" ||
  { echo "cli: CSV posts are not exact:"; cat "$tmp/out"; failed=1; }
printf 'saving t "T" { posts staff 2022/23: 0.125 }\n' >>"$tmp/fte.chg"
expect 0 "a CSV of fractional posts added up" -- "$CHG" report --format csv --section savings-totals "$tmp/fte.chg"
grep -q '^Posts: staff,0.25,0.125' "$tmp/out" ||
  { echo "cli: CSV posts totals are not exact:"; cat "$tmp/out"; failed=1; }

# a rule's flags: error fails check, warning fails it with --strict, info never
for sev in error warning info; do
  printf 'use std.risk5x5\nportfolio p "P" { as_of 2022-06-30 }\nrisk r1 "R" { likelihood 5; impact 5 }\nrule big "Big" { on risk; when score >= 20; flag %s "too big" }\n' "$sev" >"$tmp/flag-$sev.chg"
done
expect 1 "an error flag" -- "$CHG" check "$tmp/flag-error.chg"
grep -q "flag-error.chg:3:6: error: risk \`r1\`: too big (flagged by rule \`big\`) \[CHG0603\]" "$tmp/err" ||
  { echo "cli: the error flag's diagnostic reads wrong:"; cat "$tmp/err"; failed=1; }
expect 0 "a warning flag" -- "$CHG" check "$tmp/flag-warning.chg"
expect 1 "a warning flag with --strict" -- "$CHG" check --strict "$tmp/flag-warning.chg"
expect 0 "an info flag with --strict" -- "$CHG" check --strict "$tmp/flag-info.chg"
[ -s "$tmp/err" ] && { echo "cli: an info flag printed a diagnostic:"; cat "$tmp/err"; failed=1; }
expect 2 "no files" -- "$CHG" check
expect 2 "an unknown option" -- "$CHG" check --frobnicate "$tmp/clean.chg"
expect 2 "an unknown command" -- "$CHG" frobnicate
expect 0 "within --max-blocks" -- "$CHG" check --max-blocks 1 "$tmp/clean.chg"
printf 'portfolio p "P" { as_of 2022-06-30 }\nunit a "A" {}\nunit b "B" {}\n' >"$tmp/three.chg"
expect 1 "past --max-blocks" -- "$CHG" check --max-blocks 2 "$tmp/three.chg"
grep -q "three.chg:3:1: error: more than 2 blocks.*\[CHG0209\]" "$tmp/err" ||
  { echo "cli: past --max-blocks: no CHG0209 at the third block"; cat "$tmp/err"; failed=1; }
expect 1 "past --max-blocks in a report" -- "$CHG" report --max-blocks 2 "$tmp/three.chg"
# braceless blocks past the limit: the one read ahead is skipped too, not
# "needs an id"
printf 'portfolio p { as_of 2022-07-04 }\nunit A "a"\nunit B "b"\nunit C "c"\n' >"$tmp/braceless.chg"
expect 1 "past --max-blocks, braceless" -- "$CHG" check --color never --max-blocks 1 "$tmp/braceless.chg"
[ "$(grep -c 'error:' "$tmp/err")" = 1 ] ||
  { echo "cli: past --max-blocks, an error for a block that was to be skipped"; cat "$tmp/err"; failed=1; }
# a name defined in the blocks skipped is said once, by the CHG0209, not as
# an unknown reference where it is used (before it, in the file)
expect 1 "past --max-blocks, names in what was skipped" -- "$CHG" check --color never --max-blocks 99 examples/mps_2011
[ "$(grep -c 'error:' "$tmp/err")" = 1 ] && grep -q "\`tp_dev\`, named by 2 references and defined nowhere, is taken to be in the blocks skipped" "$tmp/err" ||
  { echo "cli: past --max-blocks, a name in the blocks skipped said at its use"; cat "$tmp/err"; failed=1; }
expect 2 "--max-blocks 0" -- "$CHG" check --max-blocks 0 "$tmp/clean.chg"
expect 2 "-j with no number" -- "$CHG" check -j many "$tmp/clean.chg"
expect 0 "-j 1" -- "$CHG" check -j 1 "$tmp/clean.chg"
# the limit on blocks counts across pieces parsed side by side
{ echo 'portfolio p "P" { as_of 2022-06-30 }'; i=0
  while [ $i -lt 90 ]; do echo "unit u$i \"U\" { capacity 3 }"; i=$((i + 1)); done; } >"$tmp/many.chg"
"$CHG" check --max-blocks 40 "$tmp/many.chg" >/dev/null 2>"$tmp/whole"
CHG_DEBUG_STREAM=64 CHG_DEBUG_SPLIT=4 "$CHG" check --max-blocks 40 "$tmp/many.chg" >/dev/null 2>"$tmp/split"
CHG_DEBUG_STREAM=64 CHG_DEBUG_SPLIT=4 "$CHG" check --max-blocks 80 "$tmp/many.chg" >/dev/null 2>"$tmp/split80"
grep -q "many.chg:41:1: error: more than 40 blocks" "$tmp/whole" && cmp -s "$tmp/whole" "$tmp/split" &&
  grep -q "many.chg:81:1: error: more than 80 blocks" "$tmp/split80" ||
  { echo "cli: --max-blocks counts otherwise when a file is parsed in pieces"; cat "$tmp/whole" "$tmp/split" "$tmp/split80"; failed=1; }
expect 2 "--max-blocks not a number" -- "$CHG" check --max-blocks many "$tmp/clean.chg"
expect 2 "a bad --color" -- "$CHG" check --color purple "$tmp/clean.chg"
expect 0 "--help" -- "$CHG" --help
expect 0 "check --help" -- "$CHG" check --help
expect 0 "--version" -- "$CHG" --version
grep -q "Lua 5.4" "$tmp/out" || { echo "cli: --version does not name Lua"; failed=1; }

expect 1 "quiet" -- "$CHG" check -q "$tmp/bad.chg"
[ -s "$tmp/err" ] && { echo "cli: -q printed something"; failed=1; }

expect 1 "colour always" -- "$CHG" check --color always "$tmp/bad.chg"
grep -q "$(printf '\033')\[" "$tmp/err" || { echo "cli: --color always gave no colour"; failed=1; }
expect 1 "NO_COLOR" -- env NO_COLOR=1 "$CHG" check "$tmp/bad.chg"
grep -q "$(printf '\033')" "$tmp/err" && { echo "cli: colour despite NO_COLOR"; failed=1; }
expect 1 "not a terminal" -- "$CHG" check --color auto "$tmp/bad.chg"
grep -q "$(printf '\033')" "$tmp/err" && { echo "cli: colour when not on a terminal"; failed=1; }

# the diagnostic format CI parses
expect 1 "format" -- "$CHG" check --color never "$tmp/bad.chg"
grep -qE "^$tmp/bad.chg:1:37: error: unknown attribute \`ownr\` in portfolio \`p\`; did you mean \`owner\`\? \[CHG0301\]$" "$tmp/err" \
  || { echo "cli: diagnostic format changed:"; cat "$tmp/err"; failed=1; }

# many files and directories make one portfolio; a directory is searched
mkdir -p "$tmp/dir/sub"
printf 'portfolio p "P" { as_of 2022-06-30 }\n' >"$tmp/dir/a.chg"
printf 'unit u "U"\nprogramme x { unit u }\n' >"$tmp/dir/sub/b.chg"
printf 'not a chg file {\n' >"$tmp/dir/sub/notes.txt"
expect 0 "a directory" -- "$CHG" check "$tmp/dir"
printf 'programme y { unit u }\n' >"$tmp/more.chg"
expect 0 "a directory and a file" -- "$CHG" check "$tmp/dir" "$tmp/more.chg"

# -I finds modules
mkdir -p "$tmp/mods/office"
printf 'scale rag { level red; level green }\n' >"$tmp/mods/office/rag.chg"
printf 'use office.rag\nportfolio p { as_of 2022-06-30 }\nprogramme x { status overall green }\n' >"$tmp/usemod.chg"
expect 1 "a module not on the path" -- "$CHG" check "$tmp/usemod.chg"
expect 0 "a module found with -I" -- "$CHG" check -I "$tmp/mods" "$tmp/usemod.chg"
expect 0 "a module found with CHG_PATH" -- env CHG_PATH="$tmp/mods" "$CHG" check "$tmp/usemod.chg"
# the office's own module's scale takes the place of the standard library's,
# whichever `use` comes first; two of the office's own collide
printf 'scale impact { level catastrophic; level serious; level slight }\n' >"$tmp/mods/office/impact.chg"
printf 'use std.escalation\nuse office.impact\nportfolio p { as_of 2022-06-30 }\nrisk r { likelihood 3; impact serious }\n' >"$tmp/own_scale_after.chg"
printf 'use office.impact\nuse std.escalation\nportfolio p { as_of 2022-06-30 }\nrisk r { likelihood 3; impact serious }\n' >"$tmp/own_scale_before.chg"
expect 0 "an office module's scale after the standard one" -- "$CHG" check -I "$tmp/mods" "$tmp/own_scale_after.chg"
expect 0 "an office module's scale before the standard one" -- "$CHG" check -I "$tmp/mods" "$tmp/own_scale_before.chg"
mkdir -p "$tmp/mods/other" && cp "$tmp/mods/office/impact.chg" "$tmp/mods/other/impact.chg"
printf 'use office.impact\nuse other.impact\nportfolio p { as_of 2022-06-30 }\n' >"$tmp/own_scales_twice.chg"
expect 1 "two office modules with one scale" -- "$CHG" check -I "$tmp/mods" "$tmp/own_scales_twice.chg"
grep -q "scale \`impact\` is defined twice" "$tmp/err" || { echo "cli: two office modules' scales of one name not said"; failed=1; }

# chg report: formats, sections, and -o that never leaves a partial file
expect 0 "report, text" -- "$CHG" report "$tmp/clean.chg"
grep -q "Portfolio summary" "$tmp/out" || { echo "cli: report has no summary"; failed=1; }
expect 2 "report, unknown format" -- "$CHG" report --format pdf "$tmp/clean.chg"
grep -q "\-\-format takes text, md, json, csv or html, not \`pdf\`" "$tmp/err" || { echo "cli: unknown format not explained"; failed=1; }
# `--format DIR`, the format left out: the format is what is wrong
expect 2 "report, the format left out" -- "$CHG" report --format "$tmp/clean.chg"
grep -q "\-\-format takes text, md, json, csv or html, not" "$tmp/err" ||
  { echo "cli: a format left out is not what is said"; failed=1; }
expect 2 "report, unknown section" -- "$CHG" report --section budgets "$tmp/clean.chg"
grep -q "unknown section .budgets.; the sections are summary, " "$tmp/err" || { echo "cli: unknown section not listed"; failed=1; }
expect 2 "report, a section misspelt" -- "$CHG" report --section riskz "$tmp/clean.chg"
grep -q "unknown section .riskz.; did you mean .risks.? The sections are summary, " "$tmp/err" ||
  { echo "cli: a misspelt section has no did-you-mean"; cat "$tmp/err"; failed=1; }
# the last line counts what was found, warnings alone too; when checking
# found errors it says the rules, hooks and claims were not run
expect 0 "check, warnings only" -- "$CHG" check "$tmp/warn.chg"
[ "$(tail -n 1 "$tmp/err")" = "0 errors, 1 warning" ] || { echo "cli: warnings are not counted:"; cat "$tmp/err"; failed=1; }
expect 1 "check, an error" -- "$CHG" check "$tmp/bad.chg"
[ "$(tail -n 1 "$tmp/err")" = "1 error, 0 warnings; rules, hooks and claims were not run: they run once the errors are fixed" ] ||
  { echo "cli: errors from checking do not say that evaluation was not run:"; cat "$tmp/err"; failed=1; }
printf 'portfolio p "P" { as_of 2022-06-30 }\nclaim c { expect 1 == 2 }\n' >"$tmp/false.chg"
expect 1 "check, a false claim" -- "$CHG" check "$tmp/false.chg"
[ "$(tail -n 1 "$tmp/err")" = "1 error, 0 warnings" ] || { echo "cli: a false claim's count is wrong:"; cat "$tmp/err"; failed=1; }
expect 0 "check, clean" -- "$CHG" check "$tmp/clean.chg"
[ -s "$tmp/err" ] && { echo "cli: a clean check printed something:"; cat "$tmp/err"; failed=1; }
# the directory above several portfolios: one error says so, not one for
# every name they share
expect 1 "several portfolios in directories of their own" -- "$CHG" check examples
[ "$(grep -c ': error: ' "$tmp/err")" = 1 ] && grep -q "hold 6 portfolios, each in a directory of its own" "$tmp/err" ||
  { echo "cli: several portfolios checked as one are not said once:"; head -5 "$tmp/err"; failed=1; }
# a file of a portfolio checked alone: the portfolio.chg beside it is
# named, unless it is the file checked, or was read with it
mkdir -p "$tmp/alone"
printf 'programme a {}\n' >"$tmp/alone/portfolio.chg"
printf 'programme b {}\n' >"$tmp/alone/other.chg"
expect 1 "a file of a portfolio alone" -- "$CHG" check "$tmp/alone/other.chg"
grep -q "portfolio.chg. is beside this file" "$tmp/err" || { echo "cli: the portfolio beside a file is not named:"; cat "$tmp/err"; failed=1; }
expect 1 "portfolio.chg without a portfolio" -- "$CHG" check "$tmp/alone/portfolio.chg"
grep -q "beside this file" "$tmp/err" && { echo "cli: the file checked is named as beside itself:"; cat "$tmp/err"; failed=1; }
expect 1 "a directory without a portfolio" -- "$CHG" check "$tmp/alone"
grep -q "beside this file" "$tmp/err" && { echo "cli: a file read already is named as beside:"; cat "$tmp/err"; failed=1; }
expect 2 "report, csv of everything" -- "$CHG" report --format csv "$tmp/clean.chg"
grep -q "choose it with --section, one of summary, programmes, .*, claims$" "$tmp/err" ||
  { echo "cli: csv without --section does not list the sections"; cat "$tmp/err"; failed=1; }
expect 0 "report, csv of one section" -- "$CHG" report --format csv --section summary "$tmp/clean.chg"
expect 2 "report, bad --as-of" -- "$CHG" report --as-of 2022-02-30 "$tmp/clean.chg"
grep -q "of a day the calendar has, not .2022-02-30." "$tmp/err" || { echo "cli: a date not in the calendar is not explained"; failed=1; }
expect 2 "--as-of given a file" -- "$CHG" check --as-of "$tmp/clean.chg"
grep -q "takes a date, YYYY-MM-DD, not .*clean.chg" "$tmp/err" || { echo "cli: --as-of given a file is not explained"; cat "$tmp/err"; failed=1; }
expect 0 "report, --as-of" -- "$CHG" report --as-of 2023-01-31 --section summary "$tmp/clean.chg"
grep -q "2023-01-31" "$tmp/out" || { echo "cli: --as-of not used"; failed=1; }
expect 0 "report, two sections as a list" -- "$CHG" report --section summary,claims "$tmp/clean.chg"
grep -q "Claims checked" "$tmp/out" || { echo "cli: an asked-for section with no data is left out"; failed=1; }

expect 0 "report -o" -- "$CHG" report -o "$tmp/report.md" --format md "$tmp/clean.chg"
[ -s "$tmp/report.md" ] || { echo "cli: -o wrote nothing"; failed=1; }
[ -s "$tmp/out" ] && { echo "cli: -o also wrote to stdout"; failed=1; }
ls "$tmp" | grep -q '\.tmp\.' && { echo "cli: -o left a temporary file"; failed=1; }
cp "$tmp/report.md" "$tmp/before.md"
expect 1 "report -o with errors" -- "$CHG" report -o "$tmp/report.md" "$tmp/bad.chg"
cmp -s "$tmp/report.md" "$tmp/before.md" || { echo "cli: a failed report touched the old file"; failed=1; }
expect 1 "report -o, a new file, with errors" -- "$CHG" report -o "$tmp/new.md" "$tmp/bad.chg"
[ -e "$tmp/new.md" ] && { echo "cli: a failed report left a file"; failed=1; }
expect 2 "report -o into a missing directory" -- "$CHG" report -o "$tmp/no/such/dir/r.md" "$tmp/clean.chg"
ls "$tmp/no" >/dev/null 2>&1 && { echo "cli: -o made directories"; failed=1; }
# -o naming a directory, with a slash or without: said so, not "Device or
# resource busy" from the rename
mkdir -p "$tmp/outdir"
for dir in "$tmp/outdir" "$tmp/outdir/"; do
  expect 2 "report -o into a directory ($dir)" -- "$CHG" report --format html -o "$dir" "$tmp/clean.chg"
  grep -q "names a directory: -o takes the file to write the report to, as in \`-o $tmp/outdir/report.html\`" "$tmp/err" ||
    { echo "cli: -o $dir is not said to be a directory"; cat "$tmp/err"; failed=1; }
done
[ -z "$(ls "$tmp/outdir")" ] || { echo "cli: -o into a directory left a file in it"; failed=1; }
# -o naming a file the run reads (the portfolio, however named, or a hook)
# would replace the source with its own report: refused, the file intact
mkdir -p "$tmp/own"
printf 'portfolio p "P" { as_of 2022-06-30 }\nhook "own.lua"\n' >"$tmp/own/own.chg"
printf 'function on_portfolio(p) end\n' >"$tmp/own/own.lua"
cp "$tmp/own/own.chg" "$tmp/own_before.chg"
cp "$tmp/own/own.lua" "$tmp/own_before.lua"
expect 2 "report -o into its own source" -- "$CHG" report -o "$tmp/own/../own/own.chg" "$tmp/own/own.chg"
grep -q 'a file this run reads' "$tmp/err" || { echo "cli: -o into the source is not explained"; failed=1; }
cmp -s "$tmp/own/own.chg" "$tmp/own_before.chg" || { echo "cli: -o replaced its own source"; failed=1; }
expect 2 "report -o into its hook" -- "$CHG" report -o "$tmp/own/own.lua" "$tmp/own"
cmp -s "$tmp/own/own.lua" "$tmp/own_before.lua" || { echo "cli: -o replaced a hook"; failed=1; }
ls "$tmp/own" | grep -q '\.tmp\.' && { echo "cli: a refused -o left a temporary file"; failed=1; }
# a usage error, on its own, whatever the portfolio holds: errors in it
# (which write no report) or warnings
cp "$tmp/bad.chg" "$tmp/bad_own.chg"
expect 2 "report -o into a source with errors" -- "$CHG" report -o "$tmp/bad_own.chg" "$tmp/bad_own.chg"
grep -q 'a file this run reads' "$tmp/err" && ! grep -q 'ownr' "$tmp/err" ||
  { echo "cli: -o into a source with errors is not a usage error on its own"; head -3 "$tmp/err"; failed=1; }
cmp -s "$tmp/bad_own.chg" "$tmp/bad.chg" || { echo "cli: -o replaced a source with errors"; failed=1; }
# the portfolio read on standard input is a file read too, by `-` or by
# /dev/stdin; and a file under /dev/ (/dev/shm) is a file, not a device
cp "$tmp/clean.chg" "$tmp/stdin_own.chg"
expect 2 "report -o into the file on standard input" -- sh -c "'$CHG' report -o '$tmp/stdin_own.chg' - < '$tmp/stdin_own.chg'"
grep -q 'the file on standard input' "$tmp/err" || { echo "cli: -o into stdin's file is not explained"; failed=1; }
expect 2 "report -o /dev/stdin, its file named too" -- sh -c "'$CHG' report -o /dev/stdin '$tmp/stdin_own.chg' < '$tmp/stdin_own.chg'"
cmp -s "$tmp/stdin_own.chg" "$tmp/clean.chg" || { echo "cli: -o replaced the file on standard input"; failed=1; }
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
  shm=$(mktemp -d /dev/shm/chg-cli.XXXXXX)
  cp "$tmp/clean.chg" "$shm/p.chg"
  expect 2 "report -o into its own source in /dev/shm" -- "$CHG" report -o "$shm/p.chg" "$shm/p.chg"
  cmp -s "$shm/p.chg" "$tmp/clean.chg" || { echo "cli: -o replaced its own source in /dev/shm"; failed=1; }
  rm -rf "$shm"
fi
expect 0 "report -o /dev/fd/1" -- "$CHG" report -o /dev/fd/1 "$tmp/clean.chg"
grep -q 'Portfolio summary' "$tmp/out" || { echo "cli: -o /dev/fd/1 wrote nothing to standard output"; failed=1; }
# `markdown` for md, as people write it
expect 0 "report --format markdown" -- "$CHG" report --format markdown "$tmp/clean.chg"
grep -q '^# P' "$tmp/out" || { echo "cli: --format markdown is not Markdown"; failed=1; }
# `--name=value` as GNU tools take it; a flag given a value, refused
expect 1 "options written --name=value" -- "$CHG" check --color=never --format=json --max-errors=5 "$tmp/bad.chg"
grep -q '"code":"CHG0301"\|"severity":"error"' "$tmp/out" || { echo "cli: --format=json not taken"; cat "$tmp/out" | head -3; failed=1; }
expect 2 "a flag given a value" -- "$CHG" check --strict=yes "$tmp/clean.chg"
grep -q -- '--strict takes no value' "$tmp/err" || { echo "cli: --strict=yes not refused as such"; failed=1; }
# --detail: the JSON report's cells as objects (version 1), refused for
# the other formats and for check, and before any output file is made
expect 0 "report --format json --detail" -- "$CHG" report --format json --detail "$tmp/clean.chg"
grep -q '"chg_report": 1' "$tmp/out" && grep -q '"display"' "$tmp/out" ||
  { echo "cli: --detail did not write version 1"; failed=1; }
expect 0 "report --format json" -- "$CHG" report --format json "$tmp/clean.chg"
grep -q '"chg_report": 2' "$tmp/out" && ! grep -q '"display"' "$tmp/out" ||
  { echo "cli: --format json did not write version 2"; failed=1; }
expect 2 "--detail with --format md" -- "$CHG" report --format md --detail -o "$tmp/detail.md" "$tmp/clean.chg"
grep -q -- '--detail is for --format json' "$tmp/err" || { echo "cli: --detail with md not refused as such"; cat "$tmp/err"; failed=1; }
[ ! -e "$tmp/detail.md" ] || { echo "cli: a refused --detail left $tmp/detail.md"; failed=1; }
expect 2 "--detail given a value" -- "$CHG" report --format json --detail=yes "$tmp/clean.chg"
grep -q -- '--detail takes no value' "$tmp/err" || { echo "cli: --detail=yes not refused as such"; failed=1; }
expect 2 "--detail with check" -- "$CHG" check --detail "$tmp/clean.chg"
grep -q -- '`--detail` is an option of chg report, not chg check' "$tmp/err" || { echo "cli: check --detail not said to be report's"; failed=1; }
expect 2 "an unknown option with a value" -- "$CHG" check --colr=never "$tmp/clean.chg"
grep -q -- 'unknown option `--colr=never`; did you mean `--color`?' "$tmp/err" || { echo "cli: --colr=never not said unknown"; cat "$tmp/err"; failed=1; }
# what was meant: a command, an option, a format, or an option of another command
for mistyped in "chek|unknown command \`chek\`; did you mean \`check\`?" \
    "check --strikt|unknown option \`--strikt\`; did you mean \`--strict\`?" \
    "report --sections x|unknown option \`--sections\`; did you mean \`--section\`?" \
    "report --format jsn|not \`jsn\`; did you mean \`json\`?" \
    "check --format sarf|not \`sarf\`; did you mean \`sarif\`?" \
    "check -w|\`-w\` is an option of chg fmt, not chg check" \
    "fmt --strict|\`--strict\` is an option of chg check and chg report, not chg fmt" \
    "fmt --wirte|did you mean \`--write\`?" \
    "check --bogus|unknown option \`--bogus\` (see"; do
  args=${mistyped%%|*} said=${mistyped#*|}
  # shellcheck disable=SC2086
  expect 2 "chg $args" -- "$CHG" $args "$tmp/clean.chg"
  grep -qF -- "$said" "$tmp/err" || { echo "cli: chg $args did not say: $said"; cat "$tmp/err"; failed=1; }
done
# a .chg found in a directory, or named, that is a link to a file of
# another kind is not read: its errors would quote it, a CI job's secrets
mkdir -p "$tmp/envlink"
printf 'portfolio p "P" { as_of 2022-06-30 }\n' >"$tmp/envlink/main.chg"
printf 'TOKEN=s3cret-in-a-text-file\n' >"$tmp/secret.txt"
ln -s "$tmp/secret.txt" "$tmp/envlink/env.chg"
expect 1 "a directory with a .chg link to a text file" -- "$CHG" check --color never "$tmp/envlink"
grep -q 'is a link to .*which is not a .chg file, and is not read' "$tmp/err" && ! grep -q 's3cret' "$tmp/err" ||
  { echo "cli: a .chg link to a text file in a directory was read"; cat "$tmp/err"; failed=1; }
expect 1 "a .chg link to a text file, named" -- "$CHG" check --color never "$tmp/envlink/main.chg" "$tmp/envlink/env.chg"
! grep -q 's3cret' "$tmp/err" || { echo "cli: a .chg link to a text file, named, was read"; failed=1; }
# an include cycle inside a module is one, as in the portfolio's files
mkdir -p "$tmp/modcyc/lib/org/parts"
printf 'include "parts/b.chg"\nunit U "U"\n' >"$tmp/modcyc/lib/org/a.chg"
printf 'include "../a.chg"\n' >"$tmp/modcyc/lib/org/parts/b.chg"
printf 'use org.a\nportfolio p "P" { as_of 2011-06-13 }\nprogramme x "X" { unit U }\n' >"$tmp/modcyc/main.chg"
expect 1 "an include cycle inside a module" -- "$CHG" check --color never -I "$tmp/modcyc/lib" "$tmp/modcyc/main.chg"
grep -q 'include cycle: .*a.chg -> .*parts/b.chg -> .*a.chg' "$tmp/err" ||
  { echo "cli: an include cycle inside a module is not said"; cat "$tmp/err"; failed=1; }
# a `use` at the deepest include allowed is no include deeper: 31 levels
# of included files, the last using a module, check clean
mkdir -p "$tmp/usedeep"
printf 'portfolio p "P" { as_of 2011-06-13 }\ninclude "f1.chg"\n' >"$tmp/usedeep/main.chg"
i=1
while [ $i -le 30 ]; do printf 'include "f%d.chg"\n' $((i + 1)) >"$tmp/usedeep/f$i.chg"; i=$((i + 1)); done
printf 'use std.escalation\nrisk r "R" { likelihood 5; impact 5 }\n' >"$tmp/usedeep/f31.chg"
expect 0 "a use in the 31st included file" -- "$CHG" check --color never "$tmp/usedeep/main.chg"
# a file a `use` names is a module however it was reached first: a
# directory walk that meets lib/ before main.chg gives the same verdict
mkdir -p "$tmp/usewalk/lib/office"
printf 'scale rag "office" { level r "R"; level g "G" }\n' >"$tmp/usewalk/lib/office/scales.chg"
printf 'use std.rag\nuse office.scales\nportfolio p "P" { as_of 2011-06-13 }\nprogramme x "X" { status overall g }\n' >"$tmp/usewalk/main.chg"
# (the office's module's scale takes the place of std's: `g` is its level)
expect 0 "an office module's scale in place of std's, named" -- "$CHG" check --color never -I "$tmp/usewalk/lib" "$tmp/usewalk/main.chg"
expect 0 "an office module's scale in place of std's, met first by a directory walk" -- "$CHG" check --color never -I "$tmp/usewalk/lib" "$tmp/usewalk"
# a module not found that the walk read all the same: the -I that finds it
mkdir -p "$tmp/walkmod/lib/office"
printf 'scale layers { level a; level b }\n' >"$tmp/walkmod/lib/office/scales.chg"
printf 'use office.scales\nportfolio p "P" { as_of 2022-01-01 }\n' >"$tmp/walkmod/portfolio.chg"
case $CHG in /*) chg_path=$CHG ;; *) chg_path=$(pwd)/$CHG ;; esac
expect 1 "a module read by the walk, not on the path" -- sh -c "cd '$tmp/walkmod' && '$chg_path' check --color never ."
grep -q "search its directory with \`-I lib\`" "$tmp/err" ||
  { echo "cli: a module the walk read is not pointed to with its -I"; cat "$tmp/err"; failed=1; }
# files a directory walk finds are named tidily, as included ones are
mkdir -p "$tmp/tidy/a"
printf 'portfolio p "P" { as_of 2011-06-13; ownr "x" }\n' >"$tmp/tidy/a/x.chg"
case $CHG in /*) chg_abs=$CHG ;; *) chg_abs=$(pwd)/$CHG ;; esac
expect 1 "a directory named with . and .." -- sh -c "cd '$tmp/tidy' && '$chg_abs' check --color never ./a/../a/"
grep -q '^a/x.chg:1:' "$tmp/err" || { echo "cli: a walked file is not named tidily"; head -2 "$tmp/err"; failed=1; }
# and so are hooks, as the reports name them (decided by, raised by)
mkdir -p "$tmp/tidy/sub" "$tmp/tidy/shared"
printf 'use std.escalation\nportfolio p "P" { as_of 2022-07-01 }\nprogramme a "A" { }\nhook "../shared/esc.lua"\nhook "./own.lua"\n' >"$tmp/tidy/sub/p.chg"
printf 'function on_programme(p) chg.escalate(p, "board", "from shared") end\n' >"$tmp/tidy/shared/esc.lua"
printf 'function on_programme(p) chg.flag(p, "warning", "own") end\n' >"$tmp/tidy/sub/own.lua"
(cd "$tmp/tidy" && "$chg_abs" report --color never --section escalations,flags sub/p.chg >"$tmp/out" 2>"$tmp/err")
grep -q 'shared/esc.lua:1' "$tmp/out" && grep -q ' sub/own.lua:1' "$tmp/out" && ! grep -q '\.\./\|/\./' "$tmp/out" ||
  { echo "cli: a hook's file is not named tidily in the report"; cat "$tmp/out"; failed=1; }
# a module's Lua companion that links to another kind of file is said at
# the `use` that brings it in, with its file, line and column
mkdir -p "$tmp/companion/lib/office"
printf 'unit U "U"\n' >"$tmp/companion/lib/office/rules.chg"
ln -s "$tmp/secret.txt" "$tmp/companion/lib/office/rules.lua"
printf 'use office.rules\nportfolio p "P" { as_of 2011-06-13 }\n' >"$tmp/companion/main.chg"
expect 1 "a module's companion linked to a text file" -- "$CHG" check --color never -I "$tmp/companion/lib" "$tmp/companion/main.chg"
grep -q "main.chg:1:5: error: the module's Lua companion" "$tmp/err" && ! grep -q 's3cret' "$tmp/err" ||
  { echo "cli: a module's linked companion is not said at its use"; cat "$tmp/err"; failed=1; }
# an include of a loop of links is said to be one, not "not found" with
# the other half of the loop offered as the file meant
mkdir -p "$tmp/linkloop"
ln -s loopb.chg "$tmp/linkloop/loopa.chg"
ln -s loopa.chg "$tmp/linkloop/loopb.chg"
printf 'portfolio p "P" { as_of 2022-06-30 }\ninclude "loopa.chg"\n' >"$tmp/linkloop/main.chg"
expect 1 "an include of a loop of links" -- "$CHG" check --color never "$tmp/linkloop/main.chg"
grep -q 'cannot be read: Too many levels of symbolic links' "$tmp/err" && ! grep -q 'did you mean' "$tmp/err" ||
  { echo "cli: an include of a loop of links is not said to be one"; cat "$tmp/err"; failed=1; }
ln -s loopb.lua "$tmp/linkloop/loopa.lua"
ln -s loopa.lua "$tmp/linkloop/loopb.lua"
printf 'portfolio p "P" { as_of 2022-06-30 }\nhook "loopa.lua"\n' >"$tmp/linkloop/hook.chg"
expect 1 "a hook that is a loop of links" -- "$CHG" check --color never "$tmp/linkloop/hook.chg"
grep -q 'cannot read hook file .*Too many levels of symbolic links' "$tmp/err" ||
  { echo "cli: a hook that is a loop of links is not said to be one"; cat "$tmp/err"; failed=1; }
expect 2 "report -o, bad options" -- "$CHG" report -o "$tmp/opt.md" --format pdf "$tmp/clean.chg"
[ -e "$tmp/opt.md" ] && { echo "cli: bad options left a file"; failed=1; }
if [ -w /dev/full ]; then
  expect 2 "report to a full disk" -- sh -c "'$CHG' report '$tmp/clean.chg' > /dev/full"
  # diagnostics that cannot be written are an I/O failure, not "errors found"
  expect 2 "check's diagnostics to a full disk" -- sh -c "'$CHG' check '$tmp/bad.chg' 2> /dev/full"
  # a report that could not be written still ends with what was found
  "$CHG" report "$tmp/warn.chg" >/dev/full 2>"$tmp/err"
  grep -q "^0 errors, 1 warning$" "$tmp/err" ||
    { echo "cli: a report that could not be written loses the count of what was found"; cat "$tmp/err"; failed=1; }
fi
# -o that runs out of room part way (a limit of 16 blocks on a file's size;
# the JSON report of examples/gmpp is 390 KB): said, the file there before
# left as it was, no temporary file left behind, and no SIGXFSZ killing chg
# part way.  The messages go through a pipe, which the limit does not stop.
mkdir "$tmp/full" && echo "the report before" >"$tmp/full/r.json"
{ sh -c "ulimit -f 16; exec '$CHG' report --format json -o '$tmp/full/r.json' examples/gmpp" \
    2>&1 >/dev/null; echo "status $?"; } | cat >"$tmp/full.err"
grep -q "^status 2$" "$tmp/full.err" || { echo "cli: -o past a file size limit: $(tail -1 "$tmp/full.err"), not 2"; failed=1; }
grep -q "cannot write \`$tmp/full/r.json\`: File too large" "$tmp/full.err" \
  || { echo "cli: -o past a file size limit said:"; grep -v "^ \|warning\|note" "$tmp/full.err" | head -5; failed=1; }
[ "$(cat "$tmp/full/r.json")" = "the report before" ] || { echo "cli: -o past a file size limit changed the file"; failed=1; }
[ "$(ls "$tmp/full")" = "r.json" ] || { echo "cli: -o past a file size limit left:"; ls "$tmp/full"; failed=1; }

# a false claim: check fails, and the report still shows it
printf 'portfolio p "P" { as_of 2022-06-30 }\nunit u "U"\nclaim c { expect count(unit) > 1 }\n' >"$tmp/claim.chg"
expect 1 "a false claim in check" -- "$CHG" check "$tmp/claim.chg"
grep -q "claim \`c\` is false: \`count(unit)\` is 1, not over 1 \[CHG0601\]" "$tmp/err" \
  || { echo "cli: false claim message:"; cat "$tmp/err"; failed=1; }
expect 1 "a false claim in a report" -- "$CHG" report --section claims "$tmp/claim.chg"
grep -q "FALSE" "$tmp/out" || { echo "cli: report does not show the false claim"; failed=1; }

# Totals that cannot be held exactly are left out, not rounded: the report
# has no 10 for the posts, no load for the heatmap, no realised benefit
expect 1 "posts that cannot be totalled" -- "$CHG" report --format csv --section savings-totals tests/bad/posts_total_inexact.chg
tr -d '\r' <"$tmp/out" | grep -q '^Posts: staff,$' || { echo "cli: an inexact posts total was printed:"; cat "$tmp/out"; failed=1; }
expect 1 "loads that cannot be totalled" -- "$CHG" report --format csv --section heatmap tests/bad/impact_loads_inexact.chg
[ "$(wc -l <"$tmp/out")" = 1 ] || { echo "cli: an inexact heatmap load was printed:"; cat "$tmp/out"; failed=1; }
expect 1 "benefit figures that cannot be totalled" -- "$CHG" report --format csv --section benefits tests/bad/benefit_figures_too_large.chg
tr -d '\r' <"$tmp/out" | grep -q '^a.b,B,,,5,,,,,,,,,,$' || { echo "cli: inexact benefit figures were printed:"; cat "$tmp/out"; failed=1; }

# Recommendations without the status scale in scope have no status, and
# are still counted, by status and by theme
printf 'portfolio p { as_of 2022-06-15 }\nrecommendation c01 "A" { theme leadership }\nrecommendation c02 "B" { theme planning }\n' >"$tmp/recs.chg"
expect 0 "recommendations without their scale" -- "$CHG" report --format csv --section recommendations "$tmp/recs.chg"
tr -d '\r' <"$tmp/out" | grep -q '^(no status),2,100%$' ||
  { echo "cli: recommendations without their scale are not counted:"; cat "$tmp/out"; failed=1; }
expect 0 "recommendation themes without their scale" -- "$CHG" report --format csv --section recommendation-themes "$tmp/recs.chg"
tr -d '\r' <"$tmp/out" | grep -q '^leadership,1,1,50%$' ||
  { echo "cli: recommendation themes without their scale are not counted:"; cat "$tmp/out"; failed=1; }

# A requirement and no savings lines: the whole requirement is the gap
printf 'portfolio p { as_of 2022-06-15; requirement 2022/23: \302\2431m }\n' >"$tmp/req.chg"
expect 0 "a requirement without savings" -- "$CHG" report --format csv --section savings-totals "$tmp/req.chg"
tr -d '\r' <"$tmp/out" | grep -q '^Remaining budget gap,1000000$' ||
  { echo "cli: the gap of a requirement without savings is not shown:"; cat "$tmp/out"; failed=1; }

# Warnings a portfolio office needs to see: a milestone met after the
# reporting date, a rule that neither escalates nor flags
printf 'portfolio p { as_of 2022-06-15 }\nprogramme a "A" { milestone m { baseline 2022-01-01; actual 2023-05-01 } }\nrule r { on risk; when true }\n' >"$tmp/warns.chg"
expect 0 "warnings without --strict" -- "$CHG" check "$tmp/warns.chg"
expect 1 "warnings with --strict" -- "$CHG" check --strict "$tmp/warns.chg"
grep -q "warns.chg:2:61: warning: milestone \`m\` was met on 2023-05-01, after the portfolio's reporting date" "$tmp/err" &&
  grep -q 'warns.chg:3:1: warning: rule `r` neither escalates nor flags' "$tmp/err" ||
  { echo "cli: a future actual or an idle rule is not warned of:"; cat "$tmp/err"; failed=1; }

# Looking back with --as-of: a milestone met after that date was not met
# yet, so it is overdue there (its baseline had passed) and its work is
# slipping; its actual was not known then, so its slip is its forecast's,
# blank without one; no warning, since the portfolio's own as_of is later
printf 'portfolio p { as_of 2022-07-01 }\nprogramme a "A" { milestone m { baseline 2022-05-01; actual 2022-06-20 }\n  milestone f { baseline 2022-05-01; forecast 2022-06-10; actual 2022-06-20 } }\n' >"$tmp/back.chg"
expect 0 "a milestone met after --as-of" -- "$CHG" report --format csv --section milestones --as-of 2022-06-01 "$tmp/back.chg"
tr -d '\r' <"$tmp/out" | grep -q '^a\.m,m,2022-05-01,,2022-06-20,,,overdue,31,$' &&
  tr -d '\r' <"$tmp/out" | grep -q '^a\.f,f,2022-05-01,2022-06-10,2022-06-20,,40,open,,$' ||
  { echo "cli: a milestone met after --as-of is not judged at it:"; cat "$tmp/out"; failed=1; }
[ -s "$tmp/err" ] && { echo "cli: looking back with --as-of warned:"; cat "$tmp/err"; failed=1; }
expect 0 "the same milestone at the portfolio's date" -- "$CHG" report --format csv --section milestones "$tmp/back.chg"
tr -d '\r' <"$tmp/out" | grep -q '^a\.m,m,2022-05-01,,2022-06-20,,50,done,,$' &&
  tr -d '\r' <"$tmp/out" | grep -q '^a\.f,f,2022-05-01,2022-06-10,2022-06-20,,50,done,,$' ||
  { echo "cli: a milestone met before as_of is not done:"; cat "$tmp/out"; failed=1; }

# Text tables align by what a terminal shows: a CJK character takes two
# columns, a combining accent none
printf 'portfolio p { as_of 2022-06-15 }\nprogramme a "\345\244\211\351\235\251" { budget \302\2431m }\nprogramme b "Cafe\314\201" { budget \302\2432m }\nprogramme c "Plain" { budget \302\2433m }\n' >"$tmp/wide.chg"
expect 0 "wide characters" -- "$CHG" report --section programmes "$tmp/wide.chg"
grep -q "^a   $(printf '\345\244\211\351\235\251')   programme" "$tmp/out" &&
  grep -q "^b   $(printf 'Cafe\314\201')   programme" "$tmp/out" &&
  grep -q "^c   Plain  programme" "$tmp/out" ||
  { echo "cli: wide or combining characters misalign a text table:"; cat "$tmp/out"; failed=1; }

# Two impacts without ids in one block have paths of their own
printf 'portfolio p { as_of 2022-06-15 }\nunit u "U"\nprogramme a "A" { impact { unit u; level 1; period 2022-05 }; impact { unit u; level 3; period 2022-06 } }\nrule r1 { on impact; when level >= 1; flag info "flagged" }\n' >"$tmp/anon.chg"
expect 0 "unnamed siblings" -- "$CHG" report --format csv --section flags "$tmp/anon.chg"
tr -d '\r' <"$tmp/out" | grep -q '^a.impact#1,' && tr -d '\r' <"$tmp/out" | grep -q '^a.impact#2,' ||
  { echo "cli: two unnamed impacts share a path:"; cat "$tmp/out"; failed=1; }

# A benefit meant to fall, written as a baseline, a target and the changes
# realised: met when the baseline plus the changes reaches the target
printf 'portfolio p { as_of 2022-06-15 }\nbenefit met "Met" { baseline 100; target 80; actual 2022-01: -10, 2022-02: -10 }\nbenefit behind "Behind" { baseline 100; target 80; actual 2022-01: -5 }\n' >"$tmp/fall.chg"
expect 0 "benefits meant to fall" -- "$CHG" report --format csv --section benefits "$tmp/fall.chg"
tr -d '\r' <"$tmp/out" | grep -q '^met,Met,,100,80,-20,,,,,,yes,,,$' && tr -d '\r' <"$tmp/out" | grep -q '^behind,Behind,,100,80,-5,,,,,,no,,,$' ||
  { echo "cli: a falling benefit's target is judged wrongly:"; cat "$tmp/out"; failed=1; }

# With nothing realised, a target is missed once its due date has passed,
# not yet due before it, and not judged without a date
printf 'portfolio p { as_of 2022-06-15 }\nbenefit late "Late" { target 5; due 2022-01-31 }\nbenefit soon "Soon" { target 5; due 2023-01-31 }\nbenefit undated "Undated" { target 5; owner "Finance"; measure "Cases" }\n' >"$tmp/unrealised.chg"
expect 0 "benefits with nothing realised" -- "$CHG" report --format csv --section benefits "$tmp/unrealised.chg"
tr -d '\r' <"$tmp/out" | grep -q '^late,Late,,,5,,,,,,2022-01-31,no,,,$' &&
  tr -d '\r' <"$tmp/out" | grep -q '^soon,Soon,,,5,,,,,,2023-01-31,not yet due,,,$' &&
  tr -d '\r' <"$tmp/out" | grep -q '^undated,Undated,,,5,,,,,,,,,Finance,Cases$' ||
  { echo "cli: a benefit with nothing realised is judged wrongly:"; cat "$tmp/out"; failed=1; }

# The portfolio's view in a hook: its id, its rolled-up status, what is at
# the top level as its children and risks; it is a top-level block's parent
printf 'use std.rag\nportfolio pf "P" { as_of 2022-06-15 }\nprogramme a "A" { status overall red; project j "J" { } }\nrisk r "R" { likelihood 2; impact 2 }\nhook "pf.lua"\n' >"$tmp/pfview.chg"
printf 'function on_portfolio(p)\n  chg.log("portfolio", p.id, p.status, #p.children, p.children[1].path, #p.risks, p.parent)\nend\nfunction on_programme(g)\n  chg.log("programme", g.path, g.parent.kind, g.parent.id)\nend\n' >"$tmp/pf.lua"
expect 0 "the portfolio's view" -- "$CHG" check --color never "$tmp/pfview.chg"
grep -q 'log: portfolio pf red 1 a 1 nil' "$tmp/err" && grep -q 'log: programme a portfolio pf' "$tmp/err" ||
  { echo "cli: the portfolio's view in a hook is incomplete:"; cat "$tmp/err"; failed=1; }

# A claim reads the portfolio's own id and title
printf 'portfolio pf "The portfolio" { as_of 2022-06-15 }\nclaim c { expect id == "pf" and title == "The portfolio" }\nclaim d { expect id == "other" }\n' >"$tmp/pfid.chg"
expect 1 "the portfolio's id in a claim" -- "$CHG" check --color never "$tmp/pfid.chg"
grep -q 'claim `d` is false' "$tmp/err" && ! grep -q 'claim `c`' "$tmp/err" ||
  { echo "cli: a claim cannot read the portfolio's id and title:"; cat "$tmp/err"; failed=1; }

# A claim sees the statuses hooks set, criterion by criterion
printf 'use std.rag\nportfolio pf "PF" { as_of 2022-07-04 }\nprogramme p "P" { status overall green }\nhook "crit.lua"\nclaim o { expect p.status.overall == red }\nclaim s { expect p.status.schedule == red }\n' >"$tmp/crit.chg"
printf 'function on_programme(p)\n  chg.status(p, "overall", "red", "hook")\n  chg.status(p, "schedule", "red", "hook")\nend\n' >"$tmp/crit.lua"
expect 0 "a claim on a criterion a hook set" -- "$CHG" check --color never "$tmp/crit.chg"

# Two unnamed impacts have paths of their own in a hook's view too
{ cat "$tmp/anon.chg"; printf 'hook "anon.lua"\n'; } >"$tmp/anonh.chg"
printf 'function on_programme(p) for _, i in ipairs(p.impacts) do chg.log(i.path) end end\n' >"$tmp/anon.lua"
expect 0 "unnamed siblings in a hook" -- "$CHG" check --color never "$tmp/anonh.chg"
grep -q 'log: a.impact#1' "$tmp/err" && grep -q 'log: a.impact#2' "$tmp/err" ||
  { echo "cli: a hook sees two unnamed impacts under one path:"; cat "$tmp/err"; failed=1; }

# The HTML claims table names each claim by its id, as other formats do;
# recommendation-themes keeps its columns with no recommendations
printf 'portfolio pf "PF" { as_of 2022-07-04 }\nclaim total_2011_12 "Total" { expect 1 == 1 }\n' >"$tmp/hclaim.chg"
expect 0 "claims in HTML" -- "$CHG" report --format html "$tmp/hclaim.chg"
grep -q '<th scope="col">Id</th>' "$tmp/out" && grep -q '<code>total_2011_12</code>' "$tmp/out" ||
  { echo "cli: the HTML claims table has no ids"; failed=1; }
# the timeline says it shows "the first 60" only when more than 60
# milestones have a baseline to draw, however many have none
{ printf 'portfolio p "P" { as_of 2024-06-30 }\nprogramme a "A" {\n'
  i=1
  while [ $i -le 61 ]; do printf '  milestone m%d "Done %d" { progress 100%% }\n' $i $i; i=$((i + 1)); done
  printf '  milestone dated "Dated" { baseline 2024-03-01 }\n}\n'; } >"$tmp/undated.chg"
expect 0 "one dated milestone of 62" -- "$CHG" report --format html --section milestones "$tmp/undated.chg"
grep -q 'the first 60' "$tmp/out" && { echo "cli: a timeline of one milestone says it shows the first 60"; failed=1; }
sed 's/progress 100%/baseline 2024-04-01/' "$tmp/undated.chg" >"$tmp/dated.chg"
expect 0 "62 dated milestones" -- "$CHG" report --format html --section milestones "$tmp/dated.chg"
grep -q 'the first 60' "$tmp/out" || { echo "cli: a timeline of 62 milestones does not say it shows the first 60"; failed=1; }
printf 'use std.recommendations\nportfolio pid { as_of 2022-07-04 }\n' >"$tmp/norecs.chg"
expect 0 "no recommendations" -- "$CHG" report --format csv --section recommendation-themes "$tmp/norecs.chg"
tr -d '\r' <"$tmp/out" | grep -q '^Theme,Open,In progress,Output produced,Closed,Total,Share$' ||
  { echo "cli: recommendation-themes lost its columns:"; cat "$tmp/out"; failed=1; }

# Misuse is exit 2 with a message that says what is wanted
expect 2 "help for no such command" -- "$CHG" help bogus
grep -q 'the commands are check, report and fmt' "$tmp/err" || { echo "cli: help bogus is not explained"; failed=1; }
expect 2 "fmt of a directory with no .chg files" -- "$CHG" fmt "$tmp/empty"
grep -q 'holds no .chg files' "$tmp/err" || { echo "cli: fmt of an empty directory is not explained"; failed=1; }
expect 2 "--max-errors past its limit" -- "$CHG" check --max-errors 1000001 "$tmp/clean.chg"
grep -q 'from 0 to 1000000' "$tmp/err" || { echo "cli: --max-errors does not give its limit"; failed=1; }

# A wrapped line never starts with the space it broke at
printf 'use std.rag\nportfolio pf "PF" { as_of 2022-07-04 }\nprogramme a "A" { status overall green "short words then Averyveryveryveryveryverylongwordthatcannotbreakanywhere end" }\n' >"$tmp/wrap.chg"
expect 0 "a wrapped rationale" -- "$CHG" report --section status "$tmp/wrap.chg"
[ "$(awk '/short words then/ { print index($0, "short") } /^ +end$/ { print index($0, "end") }' "$tmp/out" | sort -u | wc -l)" = 1 ] ||
  { echo "cli: a wrapped line starts with a space:"; cat "$tmp/out"; failed=1; }

# A hook on every risk of a large portfolio: the views of entities it no
# longer holds are let go, so 40,000 calls fit in a 1 MB memory limit (they
# were kept, and the limit was then reached outside any protected call:
# Lua's panic, an abort)
awk 'BEGIN { print "use std.risk5x5"; print "portfolio p \"P\" { as_of 2023-01-01 }"
  for (g = 1; g <= 200; g++) {
    printf "programme g%d \"G%d\" {\n", g, g
    for (r = 1; r <= 200; r++) printf "  risk r%d { likelihood 2; impact 2 }\n", r
    print "}" }
  print "hook \"every_risk.lua\"" }' >"$tmp/many_risks.chg"
printf 'function on_risk(r) local s = r.score end\n' >"$tmp/every_risk.lua"
expect 0 "a hook on each of 40,000 risks within 1 MB" -- "$CHG" check --hook-memory 1 "$tmp/many_risks.chg"
[ -s "$tmp/err" ] && { echo "cli: a hook on 40,000 risks said:"; head -5 "$tmp/err"; failed=1; }
cat >"$tmp/every_risk.lua" <<'EOF'
local first
function on_programme(p) first = first or p end
function on_risk(r)
  if r.parent.id == first.id and r.parent ~= first then
    chg.flag(r, "error", "two views of one programme")
  end
end
EOF
expect 0 "a view a hook holds is the one it is given again" -- "$CHG" check --hook-memory 1 "$tmp/many_risks.chg"

# A valid hook file too large to compile within the memory limit is that
# limit (CHG0704, with the option to raise it), not a syntax error (CHG0701)
awk 'BEGIN { printf "x = {"; for (i = 0; i < 200000; i++) printf "{},"; print "}" }' >"$tmp/large_table.lua"
printf 'portfolio p "P" { as_of 2023-01-01 }\nhook "large_table.lua"\n' >"$tmp/large_table.chg"
expect 1 "a hook too large to compile in 1 MB" -- "$CHG" check --hook-memory 1 "$tmp/large_table.chg"
grep -q 'large_table.lua:1:1: error: .*memory to compile.*--hook-memory.*\[CHG0704\]' "$tmp/err" ||
  { echo "cli: a hook too large to compile is not the memory limit:"; head -3 "$tmp/err" | cut -c1-200; failed=1; }
expect 0 "the same hook with room to compile" -- "$CHG" check --hook-memory 64 "$tmp/large_table.chg"

# the portfolio's own scale replaces the module's, whichever is read first:
# here `use std.rag` comes above the include of the file that defines it
mkdir -p "$tmp/ownscale"
printf 'use std.rag\nportfolio p { as_of 2022-01-01 }\ninclude "scales.chg"\nprogramme a { status overall red }\nclaim c { expect a.status.overall > amber }\n' >"$tmp/ownscale/main.chg"
printf 'scale rag { level green; level amber; level red }\n' >"$tmp/ownscale/scales.chg"
expect 0 "the portfolio's own scale, included below a use of the module's" -- "$CHG" check "$tmp/ownscale/main.chg"

# an include's pattern is a pattern, the directory of the file naming it is
# not: a portfolio kept in `Portfolio [2022]` still reads `progs/*.chg`
mkdir -p "$tmp/Portfolio [2022]/progs"
printf 'portfolio p { as_of 2022-01-01 }\ninclude "progs/*.chg"\nclaim c { expect count(programme) == 2 }\n' >"$tmp/Portfolio [2022]/main.chg"
printf 'programme a "A"\n' >"$tmp/Portfolio [2022]/progs/a.chg"
printf 'programme b "B"\n' >"$tmp/Portfolio [2022]/progs/b.chg"
expect 0 "an include pattern beside a file in a directory named with [ ]" -- "$CHG" check --strict "$tmp/Portfolio [2022]/main.chg"

# `..` in an include is taken as the system takes it, past a directory
# that is a link: `link/../shared.chg` is the file beside where `link` leads
mkdir -p "$tmp/linked/real/sub" "$tmp/linked/real/progs"
ln -s real/sub "$tmp/linked/link"
printf 'portfolio p { as_of 2022-01-01 }\ninclude "../shared.chg"\ninclude "../progs/*.chg"\nclaim c { expect count(programme) == 2 }\n' >"$tmp/linked/real/sub/main.chg"
printf 'programme a "A"\n' >"$tmp/linked/real/shared.chg"
printf 'programme b "B"\n' >"$tmp/linked/real/progs/b.chg"
expect 0 "an include of ../ from a directory reached by a link" -- "$CHG" check --strict "$tmp/linked/link/main.chg"

# control characters a title or a flag holds never reach an HTML page or a
# GitHub log as they are: no page may hold them, and the log acts on them;
# nor do bidirectional overrides and line separators
printf 'use std.rag\nportfolio p "P" { as_of 2022-01-01 }\nprogramme a "Red\\u{001b}[31m\\u{0007}\\u{0085} Saving: \\u{202e}m01\\u{00a3} devas\\u{202c} ls\\u{2028}x \\u{2067}iso" { status overall red }\nrule r { on programme; when status == red; flag warning "x\\u{001b}[31m" }\n' >"$tmp/ctl.chg"
"$CHG" report --format html -o "$tmp/ctl.html" "$tmp/ctl.chg" 2>/dev/null
"$CHG" check --format github "$tmp/ctl.chg" >"$tmp/ctl.gh" 2>/dev/null
python3 - "$tmp/ctl.html" "$tmp/ctl.gh" <<'PY' || failed=1
import sys
for path in sys.argv[1:]:
    b = open(path, "rb").read()
    bad = [c for c in b if (c < 0x20 and c not in (9, 10, 13)) or c == 0x7f]
    # nor what reorders the text or breaks its line (a right-to-left
    # override would show "saved £10m"): the text report's `?` there too
    turned = [m for m in (b"\xe2\x80\xae", b"\xe2\x80\xac", b"\xe2\x80\xa8", b"\xe2\x81\xa7") if m in b]
    if bad or turned or b"\xc2\x85" in b or b"[31m" not in b or (path.endswith(".html") and b"devas" not in b):
        print("cli: %s holds control characters (or lost the text)" % path)
        sys.exit(1)
PY

# output that cannot be written is an I/O failure, and said so
if [ -w /dev/full ]; then
  for args in "--help" "-V" "help report" "check --help" "report -h" "fmt --help" \
      "check --format json examples/mps_2011"; do
    # shellcheck disable=SC2086 # the words are the arguments
    "$CHG" $args >/dev/full 2>"$tmp/err"
    st=$?
    if [ $st != 2 ] || ! grep -q "cannot write" "$tmp/err"; then
      echo "cli: chg $args to a full disk: exit $st, $(head -c 200 "$tmp/err")"; failed=1
    fi
  done
fi

# the caret stands under its text as a terminal shows it: a CJK character
# or an emoji takes two columns
printf 'portfolio p "P" { as_of 2022-01-01 }\nprogramme a "\346\227\245\346\234\254" { ownr "x" }\n' >"$tmp/wide.chg"
expect 1 "a wide title before an error" -- "$CHG" check --color never "$tmp/wide.chg"
caret=$(printf '   | %21s^~~~' '')
grep -qxF "$caret" "$tmp/err" ||
  { echo "cli: the caret is not under the text after wide characters"; cat "$tmp/err"; failed=1; }

# a directory and a subdirectory of it: the subdirectory's files are read
# once, and the run goes on to the portfolio's own errors
mkdir -p "$tmp/nested/sub"
printf 'portfolio p "P" { as_of 2022-06-30; ownr "x" }\n' >"$tmp/nested/main.chg"
printf 'unit u "U"\n' >"$tmp/nested/sub/units.chg"
expect 1 "a directory and its subdirectory" -- "$CHG" check "$tmp/nested" "$tmp/nested/sub"
grep -q 'unknown attribute `ownr`' "$tmp/err" ||
  { echo "cli: a subdirectory named after its directory hid the errors"; head -3 "$tmp/err"; failed=1; }

# a .chg in a directory that cannot be reached (a link to nothing) is a
# file of the portfolio missing, for check and for fmt alike; check says
# so as an error of the portfolio, as of a missing include, and checks the
# rest in the same run
mkdir -p "$tmp/dangling"
printf 'portfolio p "P" { as_of 2022-06-30 }\nprogramme x "X" { ownr "x" }\n' >"$tmp/dangling/a.chg"
ln -s missing.chg "$tmp/dangling/x.chg"
expect 1 "a directory with a .chg link to nothing" -- "$CHG" check "$tmp/dangling"
grep -q 'cannot read .*x.chg' "$tmp/err" || { echo "cli: a .chg link to nothing was skipped"; failed=1; }
grep -q 'unknown attribute .ownr.' "$tmp/err" || { echo "cli: a .chg link to nothing stopped the check"; cat "$tmp/err"; failed=1; }
expect 2 "fmt --check of a directory with a .chg link to nothing" -- "$CHG" fmt --check "$tmp/dangling"

# a file's name with a terminal escape in it is shown escaped in the
# location, as in a message: a file in a repository cannot drive the CI log
esc_name="$tmp/$(printf 'x\033[31mred.chg')"
printf 'portfolio p "P" { as_of 2022-06-30; ownr "x" }\n' >"$esc_name"
expect 1 "a file named with an escape" -- "$CHG" check --color never "$esc_name"
if grep -q "$(printf '\033')" "$tmp/err" || ! grep -q 'x\\x1b\[31mred.chg:1:' "$tmp/err"; then
  echo "cli: a file's name drove the terminal"; head -2 "$tmp/err" | od -c | head -3; failed=1
fi

# `--` ends the options: a file named `-x.chg` is read, by check, report and fmt
mkdir -p "$tmp/dashdash"
case $CHG in /*) chg_abs=$CHG ;; *) chg_abs=$(pwd)/$CHG ;; esac
printf 'portfolio p "P" { as_of 2022-06-30 }\n' >"$tmp/dashdash/-x.chg"
( cd "$tmp/dashdash" && "$chg_abs" check -- -x.chg ) >"$tmp/out" 2>"$tmp/err" ||
  { echo "cli: check -- -x.chg"; head -2 "$tmp/err"; failed=1; }
( cd "$tmp/dashdash" && "$chg_abs" report --section summary -- -x.chg ) >"$tmp/out" 2>"$tmp/err" &&
  grep -q 'Portfolio summary' "$tmp/out" || { echo "cli: report -- -x.chg"; head -2 "$tmp/err"; failed=1; }
( cd "$tmp/dashdash" && "$chg_abs" fmt --check -- -x.chg ) >"$tmp/out" 2>"$tmp/err" ||
  { echo "cli: fmt --check -- -x.chg"; head -2 "$tmp/err"; failed=1; }
( cd "$tmp/dashdash" && "$chg_abs" check -x.chg ) >/dev/null 2>&1
[ $? = 2 ] || { echo "cli: -x.chg without -- was not an unknown option"; failed=1; }

# standard input that cannot be read is an I/O failure among the
# diagnostics, in the machine formats too: a CI step parsing them sees it
"$CHG" check --format json - <"$tmp" >"$tmp/out" 2>"$tmp/err"
st=$?
[ $st = 2 ] && grep -q '"code":"CHG0411"' "$tmp/out" ||
  { echo "cli: unreadable standard input is not CHG0411 in JSON (exit $st)"; head -2 "$tmp/out"; failed=1; }

# a hook file that would fail to read (/proc/self/mem) is an error, not an
# empty hook: named as a .lua link to it, it is not read at all
if [ -r /proc/self/mem ]; then
  ln -s /proc/self/mem "$tmp/mem.lua"
  printf 'portfolio p "P" { as_of 2022-06-30 }\nhook "mem.lua"\n' >"$tmp/iohook.chg"
  expect 1 "a hook that cannot be read" -- "$CHG" check "$tmp/iohook.chg"
  grep -q 'error: `mem.lua` is a link to `/proc/[0-9]*/mem`, which is not a Lua file' "$tmp/err" ||
    { echo "cli: a hook linked to /proc/self/mem is not refused"; head -3 "$tmp/err"; failed=1; }
fi

# include and hook read only .chg and .lua files: any other file (the
# environment of a CI job, say) would be quoted in a syntax error
printf 'portfolio p "P" { as_of 2022-06-30 }\ninclude "/proc/self/environ"\nhook "/proc/self/environ"\n' >"$tmp/environ.chg"
export CHG_SECRET_CANARY=s3cr3t
expect 1 "an include and a hook of /proc/self/environ" -- "$CHG" check "$tmp/environ.chg"
unset CHG_SECRET_CANARY
if grep -q 's3cr3t' "$tmp/err" || [ "$(grep -c 'is not a .chg file\|is not a Lua file' "$tmp/err")" != 2 ]; then
  echo "cli: an include or a hook of a file that is not .chg or .lua was read"; head -6 "$tmp/err"; failed=1
fi

# a claim's counts are figures like any other: thousands grouped
{ printf 'portfolio p "P" { as_of 2022-06-30 }\n'
  i=0; while [ $i -lt 1200 ]; do printf 'risk r%d { likelihood 1; impact 1 }\n' $i; i=$((i + 1)); done
  printf 'claim k { expect count(risk where score < 2) > 2_000 }\n'; } >"$tmp/counts.chg"
expect 1 "a false claim over many risks" -- "$CHG" check "$tmp/counts.chg"
grep -q 'is 1,200 (1,200 of 1,200), not over 2,000' "$tmp/err" ||
  { echo "cli: a claim's counts are not grouped in thousands"; head -3 "$tmp/err"; failed=1; }

# a budget of one instruction is one, not "1 instructions"
printf 'portfolio p "P" { as_of 2022-06-30 }\nhook "one.lua"\n' >"$tmp/one.chg"
printf 'local x = 0\nfor i = 1, 100000 do x = x + i end\n' >"$tmp/one.lua"
expect 1 "a hook past a budget of one instruction" -- "$CHG" check --hook-instructions 1 "$tmp/one.chg"
grep -q 'ran past its budget of 1 instruction while' "$tmp/err" ||
  { echo "cli: a budget of one instruction is not said in the singular"; head -3 "$tmp/err"; failed=1; }
expect 2 "a hook budget past its ceiling" -- "$CHG" check --hook-instructions 1000000000001 "$tmp/one.chg"
grep -q "takes a positive number (at most 1000000000000), not .1000000000001." "$tmp/err" ||
  { echo "cli: the ceiling of --hook-instructions is not said"; cat "$tmp/err"; failed=1; }

# a hook that failed is said in the report itself, not only on stderr:
# what it would have escalated or flagged is missing from the board paper
printf 'portfolio p "P" { as_of 2022-06-30 }\nprogramme a "A" { sro "x" }\nhook "fails.lua"\n' >"$tmp/hookfail.chg"
printf 'function on_programme(p)\n  local d = nil\n  return d.day\nend\n' >"$tmp/fails.lua"
expect 1 "a report with a hook that fails" -- "$CHG" report --format text "$tmp/hookfail.chg"
grep -q '^Hook errors: results incomplete  *1$' "$tmp/out" ||
  { echo "cli: a hook that failed is not said in the report's summary"; head -12 "$tmp/out"; failed=1; }
expect 1 "a JSON report with a hook that fails" -- "$CHG" report --format json "$tmp/hookfail.chg"
grep -q '"hook_errors"' "$tmp/out" ||
  { echo "cli: a hook that failed is not in the JSON summary"; failed=1; }
expect 0 "a report with a hook that works" -- "$CHG" report --format text examples/transformation_2022
grep -q 'Hook errors' "$tmp/out" && { echo "cli: hook errors said where there are none"; failed=1; }

# savings with no figure for any year: nothing to total, not a table of
# one empty row
printf 'portfolio p "P" { as_of 2014-09-01 }\nsaving s "S" { }\n' >"$tmp/nofigures.chg"
expect 0 "savings totals with no figures" -- "$CHG" report --section savings-totals "$tmp/nofigures.chg"
grep -q '(nothing to show)' "$tmp/out" && ! grep -q 'Total change in spend' "$tmp/out" ||
  { echo "cli: savings totals with no figures are not left empty"; cat "$tmp/out"; failed=1; }

# the dashboard's status chart counts top-level work of every kind, and
# says so when it is not all programmes
printf 'use std.rag\nportfolio p "P" { as_of 2014-09-01 }\nprogramme a "A" { status overall amber "x" }\nworkstream w "W" { status overall green "y" }\n' >"$tmp/toplevel.chg"
expect 0 "a dashboard with a top-level workstream" -- "$CHG" report --format html "$tmp/toplevel.chg"
grep -q 'Status of top-level work (RAG)' "$tmp/out" ||
  { echo "cli: the status chart calls a top-level workstream a programme"; failed=1; }

# the summary's total budget counts a budget once, where it is given
# highest: a programme's £10m holds its project's £4m; a top-level project
# adds its own
printf 'portfolio p "P" { as_of 2014-09-01 }\nprogramme a "A" {\n  budget \302\24310m\n  project b "B" { budget \302\2434m }\n  project c "C" { }\n}\nproject d "D" { budget \302\2431m }\n' >"$tmp/budgets.chg"
expect 0 "a summary of budgets given at two levels" -- "$CHG" report --format csv --section summary "$tmp/budgets.chg"
grep -q '^budget,Total budget,11000000' "$tmp/out" ||
  { echo "cli: the total budget does not count each budget once"; cat "$tmp/out"; failed=1; }

# `-o -` is standard output, and makes no file called `-`; `-o ""` is a
# usage error before anything is read
[ -e ./- ] && { echo "cli: a file called - is here already"; failed=1; }
"$CHG" report -q --section summary -o - examples/mps_2011 >"$tmp/out" 2>"$tmp/err"
grep -q '^Portfolio summary$' "$tmp/out" && [ ! -e ./- ] ||
  { echo "cli: -o - does not write to standard output"; head -3 "$tmp/out"; failed=1; }
expect 2 "-o with an empty name" -- "$CHG" report -o "" examples/mps_2011
grep -q 'needs the name of the file' "$tmp/err" && ! grep -q 'CHG0' "$tmp/err" ||
  { echo "cli: -o \"\" is not a usage error on its own"; cat "$tmp/err" | head -3; failed=1; }

# -o with a name as long as the system allows: the temporary name would
# pass the limit, so it is a shorter one
long=$(awk 'BEGIN { for (i = 0; i < 250; i++) printf "r"; print ".txt" }')
mkdir "$tmp/long"
expect 0 "-o with a 254-byte name" -- "$CHG" report -o "$tmp/long/$long" "$tmp/clean.chg"
[ -f "$tmp/long/$long" ] && [ "$(ls -A "$tmp/long" | wc -l)" -eq 1 ] ||
  { echo "cli: -o with a long name did not write just that file"; ls -la "$tmp/long"; failed=1; }

# `include "*.chg"` in main.chg beside its parts loads the parts, not
# main.chg again, which would be a cycle
mkdir -p "$tmp/selfglob"
printf 'portfolio p "P" { as_of 2022-07-04 }\ninclude "*.chg"\nprogramme a "A" { unit U }\n' >"$tmp/selfglob/main.chg"
printf 'unit U "u"\n' >"$tmp/selfglob/units.chg"
expect 0 "a pattern that matches the file it is in" -- "$CHG" check "$tmp/selfglob/main.chg"

# A file is loaded once however it is reached: a hard link has a path of
# its own, but is the same file
mkdir -p "$tmp/hardlink"
printf 'portfolio p "P" { as_of 2022-07-04 }\ninclude "units.chg"\ninclude "alias.chg"\n' >"$tmp/hardlink/main.chg"
printf 'unit U "u"\n' >"$tmp/hardlink/units.chg"
ln "$tmp/hardlink/units.chg" "$tmp/hardlink/alias.chg"
expect 0 "a file included twice, once through a hard link" -- "$CHG" check "$tmp/hardlink/main.chg"
expect 0 "a directory holding a hard link to one of its files" -- "$CHG" check "$tmp/hardlink"

# An include pattern into a directory that may not be read is an error,
# as a file that may not be read is, not "matches no file".  Root reads
# any directory, so as root it runs as nobody where setpriv can; it is not
# judged where neither works.
mkdir -p "$tmp/locked/dir"
printf 'portfolio p "P" { as_of 2022-07-04 }\ninclude "dir/*.chg"\n' >"$tmp/locked/g.chg"
printf 'unit T "t"\n' >"$tmp/locked/dir/t.chg"
chmod 755 "$tmp" "$tmp/locked" && chmod 311 "$tmp/locked/dir"
run_as=""
[ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1 &&
  setpriv --reuid=65534 --regid=65534 --clear-groups "$CHG" --version >/dev/null 2>&1 &&
  run_as="setpriv --reuid=65534 --regid=65534 --clear-groups"
if [ "$(id -u)" != 0 ] || [ -n "$run_as" ]; then
  # shellcheck disable=SC2086 # $run_as is words
  expect 1 "an include pattern into a directory that cannot be read" -- $run_as "$CHG" check "$tmp/locked/g.chg"
  grep -q "include pattern .dir/\*\.chg. cannot be matched: directory .*dir. cannot be read: Permission denied" "$tmp/err" ||
    { echo "cli: an unreadable directory under a pattern is not an error"; cat "$tmp/err"; failed=1; }
fi
chmod 755 "$tmp/locked/dir"
# In a directory named, a .chg file or a directory below that may not be
# read is an error of the portfolio (CHG0411, status 1), and the rest is
# still checked, as a link to nothing is
mkdir -p "$tmp/walk/sub"
printf 'portfolio p "P" { as_of 2022-07-04; ownr "x" }\n' >"$tmp/walk/a.chg"
printf 'unit D "D"\n' >"$tmp/walk/b.chg"
printf 'unit E "E"\n' >"$tmp/walk/sub/c.chg"
chmod 755 "$tmp/walk" && chmod 000 "$tmp/walk/b.chg" "$tmp/walk/sub"
if [ "$(id -u)" != 0 ] || [ -n "$run_as" ]; then
  # shellcheck disable=SC2086 # $run_as is words
  expect 1 "a directory holding a file and a directory that cannot be read" -- $run_as "$CHG" check "$tmp/walk"
  for said in "cannot read .*walk/b.chg.: Permission denied" "cannot read directory .*walk/sub.: Permission denied" \
      "unknown attribute .ownr."; do
    grep -q "$said" "$tmp/err" || { echo "cli: a directory walk past what cannot be read did not say: $said"; cat "$tmp/err"; failed=1; }
  done
fi
chmod 755 "$tmp/walk/sub" && chmod 644 "$tmp/walk/b.chg"

# An existing report keeps its permissions when -o replaces it (a private
# one stays private), and one made read-only is not replaced: exit 2, the
# old text kept, as `>` would keep it
printf 'old\n' >"$tmp/private.txt" && chmod 600 "$tmp/private.txt"
expect 0 "a report over a private file" -- "$CHG" report -q -o "$tmp/private.txt" "$tmp/clean.chg"
[ "$(stat -c %a "$tmp/private.txt")" = 600 ] && grep -q "Portfolio summary" "$tmp/private.txt" ||
  { echo "cli: -o over a file of mode 600 left $(stat -c %a "$tmp/private.txt")"; failed=1; }
mkdir -p "$tmp/ro" && chmod 777 "$tmp/ro" && printf 'old\n' >"$tmp/ro/r.txt" && chmod 444 "$tmp/ro/r.txt"
if [ "$(id -u)" != 0 ] || [ -n "$run_as" ]; then
  # shellcheck disable=SC2086 # $run_as is words
  expect 2 "a report over a read-only file" -- $run_as "$CHG" report -o "$tmp/ro/r.txt" "$tmp/clean.chg"
  grep -q "cannot write .*r.txt.: Permission denied" "$tmp/err" && [ "$(cat "$tmp/ro/r.txt")" = old ] &&
    [ "$(ls "$tmp/ro")" = r.txt ] ||
    { echo "cli: -o over a read-only file was not refused whole"; cat "$tmp/err"; failed=1; }
fi

# A report killed while it is written (SIGKILL, which no handler sees)
# leaves nothing behind, not even its temporary file: it has no name until
# it is whole.  Where /proc shows no open report, the run is not judged.
awk 'BEGIN { print "use std.rag"; print "portfolio p \"P\" { as_of 2022-01-01 }"
  for (i = 0; i < 40000; i++) printf "programme g%d \"Programme %d\" { budget £1m; status overall amber \"x\" }\n", i, i }' >"$tmp/killme.chg"
mkdir "$tmp/killed"
"$CHG" report --format json --detail -o "$tmp/killed/r.json" "$tmp/killme.chg" 2>/dev/null &
pid=$!
seen=0 i=0
while [ $i -lt 400 ] && kill -0 $pid 2>/dev/null; do
  if ls -l /proc/$pid/fd 2>/dev/null | grep -q "$tmp/killed"; then seen=1; break; fi
  sleep 0.02; i=$((i + 1))
done
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
if [ $seen = 1 ] && [ -n "$(ls -A "$tmp/killed")" ]; then
  echo "cli: a report killed while it was written left a file:"; ls -la "$tmp/killed"; failed=1
fi

# Markdown: a backslash before a `|` stays a backslash (`\\` then `\|`),
# where escaping the pipe alone made the backslash escape it
printf 'portfolio p "P" { as_of 2022-01-01 }\nprogramme a "back\\\\|slash" { sro "x" }\n' >"$tmp/mdpipe.chg"
expect 0 "Markdown of a title with a backslash and a pipe" -- "$CHG" report --format md --section programmes "$tmp/mdpipe.chg"
grep -qF '| back\\\|slash |' "$tmp/out" ||
  { echo "cli: Markdown loses a backslash before a pipe"; grep back "$tmp/out"; failed=1; }

# Markdown: a `<` is escaped, in a cell and in the title's heading, so that
# `<!--` cannot hide the rest of the page; not inside a code span, where
# nothing is HTML and the backslash would show
printf 'portfolio p "P <b>" { as_of 2022-01-01 }\nprogramme a "A <!-- hide" { sro "back\\\\<slash" }\nprogramme b "B `x < y`" { sro "x" }\n' >"$tmp/mdlt.chg"
expect 0 "Markdown of text with a <" -- "$CHG" report --format md --section programmes "$tmp/mdlt.chg"
grep -qF '# P \<b>' "$tmp/out" && grep -qF '| A \<!-- hide |' "$tmp/out" &&
  grep -qF '| back\\\<slash |' "$tmp/out" && grep -qF '| B `x < y` |' "$tmp/out" ||
  { echo "cli: a < in Markdown is not escaped as it should be"; cat "$tmp/out"; failed=1; }

# a claim's figures quote its condition as code: a string in it with a
# backquote is quoted with two, so the code span is not cut short
printf 'portfolio p "P" { as_of 2022-07-04 }\nprogramme a "A" { sro "x`y" }\nclaim c "C" { expect count(programme where sro == "x`y") == 2 }\n' >"$tmp/tick.chg"
expect 1 "a claim with a backquote in a string" -- "$CHG" report --format md --section claims "$tmp/tick.chg"
grep -qF '`` count(programme where sro == "x`y") `` is 1' "$tmp/out" ||
  { echo "cli: a backquote in a claim cuts its code span short"; grep 'count' "$tmp/out"; failed=1; }

# Markdown: a bad cell whose text has spaces around it (a level's label)
# is bold without them, as `** Red **` would not be
printf 'scale rag "RAG" {\n  level red " Red (critical) " "x"\n  level amber "Amber" "y"\n  level green "Green" "z"\n}\nportfolio p "P" { as_of 2022-01-01 }\nprogramme a "A" { status overall red "x" }\n' >"$tmp/boldspace.chg"
expect 0 "Markdown of a bad label with spaces around it" -- "$CHG" report --format md --section programmes "$tmp/boldspace.chg"
grep -qF '| **Red (critical)** |' "$tmp/out" ||
  { echo "cli: a bad cell with spaces around it is not bold in Markdown"; grep '^| a' "$tmp/out"; failed=1; }

# -j past its limit says the limit
expect 2 "-j past 1024" -- "$CHG" check -j 1025 examples/mps_2011
grep -q 'a number of threads, 1 to 1024' "$tmp/err" || { echo "cli: -j past its limit does not say it"; cat "$tmp/err"; failed=1; }

# an include misspelt, in a directory checked whole: the file meant is
# read by the walk, but the include is to be put right (the portfolio's
# file checked alone needs it), not called one too many; a name defined
# nowhere is its own error, not taken to be in that file
mkdir -p "$tmp/walked"
printf 'portfolio p "P" { as_of 2022-06-30 }\ninclude "risk.chg"\nprogramme a "A" { depends_on nowhere high "x" }\n' >"$tmp/walked/portfolio.chg"
printf 'risk r1 "R" { likelihood 1; impact 1 }\n' >"$tmp/walked/risks.chg"
expect 1 "an include misspelt in a directory checked whole" -- "$CHG" check --color never "$tmp/walked"
grep -q 'did you mean `risk.chg`\?\|one too many' "$tmp/err" &&
  { echo "cli: a misspelt include whose file the walk read is called one too many"; head -6 "$tmp/err"; failed=1; }
grep -q 'did you mean `risks.chg`?$\|did you mean `risks.chg`? \[CHG0402\]' "$tmp/err" &&
  grep -q "unknown dependency \`nowhere\`" "$tmp/err" ||
  { echo "cli: a misspelt include in a directory checked whole is not said as it should be"; head -8 "$tmp/err"; failed=1; }

# a hook's budget spent between two of its functions (on the bytes of the
# next one's name) stops the rest, and says so: at every budget, on_risk's
# flag is raised or CHG0703 says why not; never neither, exit 0
mkdir -p "$tmp/between"
printf 'use std.rag\nportfolio pf "P" { as_of 2022-07-04 }\nprogramme a "A" { status overall green "fine"\n  risk r1 "R1" { likelihood 2; impact 2 } }\nprogramme b "B" { status overall amber "meh" }\nhook "h.lua"\n' >"$tmp/between/p.chg"
printf 'function on_programme(p) print("prog", p.id) end\nfunction on_risk(r) chg.flag(r, "error", "risk must be looked at") end\n' >"$tmp/between/h.lua"
n=200
while [ $n -le 320 ]; do
  "$CHG" check --color never --hook-instructions $n "$tmp/between/p.chg" >/dev/null 2>"$tmp/err"
  st=$?
  if [ $st -ne 1 ] || ! grep -q "CHG0603\|CHG0703" "$tmp/err"; then
    echo "cli: a hook budget of $n skipped on_risk unsaid (exit $st)"; failed=1; break
  fi
  n=$((n + 1))
done

# the text report fits a terminal of 120 columns: a table too wide even
# with its text narrowed (a benefit's columns, a heatmap of years) is
# written in parts that repeat its first column
for dir in examples/*/; do
  "$CHG" report "$dir" >"$tmp/wide.txt" 2>/dev/null
  widest=$(LC_ALL=C.UTF-8 wc -L <"$tmp/wide.txt")
  [ "$widest" -le 120 ] || { echo "cli: $dir's text report has a line $widest columns wide"; failed=1; }
done
"$CHG" report --section benefits examples/transformation_2022 >"$tmp/parts.txt" 2>/dev/null
[ "$(grep -c '^Id  ' "$tmp/parts.txt")" -ge 2 ] && grep -q '^fsp.dmi.bcus .* 2022-03-31  no' "$tmp/parts.txt" ||
  { echo "cli: a table too wide for 120 columns is not written in parts, each with the row's id"; failed=1; }

[ $failed = 0 ] && echo "cli: exit statuses, colour, format, paths, modules and reports as documented"
exit $failed
