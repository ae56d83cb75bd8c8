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
printf 'portfolio p "P" { as_of 2022-06-30 }\ninclude "nothing/*.chg"\n' >"$tmp/warn.chg"

expect 0 "clean portfolio" -- "$CHG" check "$tmp/clean.chg"
expect 1 "portfolio with an error" -- "$CHG" check "$tmp/bad.chg"
expect 0 "a warning without --strict" -- "$CHG" check "$tmp/warn.chg"
expect 1 "a warning with --strict" -- "$CHG" check --strict "$tmp/warn.chg"
expect 2 "a missing file" -- "$CHG" check "$tmp/missing.chg"
expect 2 "no files" -- "$CHG" check
expect 2 "an unknown option" -- "$CHG" check --frobnicate "$tmp/clean.chg"
expect 2 "an unknown command" -- "$CHG" frobnicate
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

[ $failed = 0 ] && echo "cli: exit statuses, colour, format, paths and modules as documented"
exit $failed
