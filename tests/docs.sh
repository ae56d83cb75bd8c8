#!/bin/sh
# The manual keeps up with the code: every diagnostic code is documented,
# and each documented example still raises its code.  Usage: docs.sh CHG
set -u
CHG=${1:?usage: docs.sh path/to/chg}
failed=0
codes=$(sed -n 's/^X([A-Z_0-9]*, "\(CHG[0-9]*\)".*/\1/p' src/diag_codes.h)
for code in $codes; do
  if ! grep -q "^### $code " docs/diagnostics.md; then
    echo "docs: $code is not documented in docs/diagnostics.md"; failed=1
  fi
  # a file over 1 GiB is too big to keep as an example
  if [ "$code" != CHG0208 ] && ! grep -q "\[$code\]" docs/diagnostics.md; then
    echo "docs: docs/diagnostics.md shows no output with $code"; failed=1
  fi
  f=docs/diagnostics/$code.chg
  [ -f "$f" ] || continue
  args=$(sed -n '1s/^# chg-args: //p' "$f")
  out=$(cd docs/diagnostics && CHG_STDLIB=../../stdlib "$OLDPWD/$CHG" check --color never $args "$code.chg" 2>&1)
  case "$out" in
    *"[$code]"*) ;;
    *) echo "docs: docs/diagnostics/$code.chg no longer raises $code"; failed=1 ;;
  esac
done
# and each prints what the manual shows, to the byte, with its exit status
python3 - "$CHG" <<'PY' || failed=1
import difflib, os, re, subprocess, sys
chg = os.path.abspath(sys.argv[1])
text = open('docs/diagnostics.md', encoding='utf-8').read()
bad = compared = 0
for m in re.finditer(r'```console\n\$ chg (check[^\n]*?) (CHG\d{4})\.chg\n(.*?)\$ echo \$\?\n(\d+)\n```',
                     text, re.S):
    args, code, want, status = m.group(1), m.group(2), m.group(3), int(m.group(4))
    if not os.path.exists('docs/diagnostics/%s.chg' % code):
        continue
    compared += 1
    env = dict(os.environ, CHG_STDLIB='../../stdlib')
    r = subprocess.run([chg] + args.split() + ['%s.chg' % code], cwd='docs/diagnostics', env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    got = r.stdout.decode('utf-8', 'replace')
    if got != want or r.returncode != status:
        bad += 1
        print('docs: the %s example in diagnostics.md is not what chg prints (exit %d, shown %d):'
              % (code, r.returncode, status))
        for line in list(difflib.unified_diff(want.splitlines(), got.splitlines(), lineterm='', n=0))[:8]:
            print('    ' + line)
if compared < 60:
    print('docs: only %d examples in diagnostics.md were compared with what chg prints' % compared)
    bad += 1
sys.exit(1 if bad else 0)
PY
for code in $(grep -o '^### CHG[0-9]*' docs/diagnostics.md | cut -c5-); do
  echo "$codes" | grep -qx "$code" || { echo "docs: $code is documented but does not exist"; failed=1; }
done
# every ```chg example in the manual and the README at least scans and
# parses (they are fragments, so schema and references are not judged)
tmp=$(mktemp -d)
for doc in README.md docs/language.md; do
  awk -v dir="$tmp" -v doc="$(basename "$doc" .md)" '
    /^```chg/ { n++; f = sprintf("%s/%s-%03d.chg", dir, doc, n); inblock = 1; next }
    /^```/ { inblock = 0; next }
    inblock { print > f }' "$doc"
done
for f in "$tmp"/*.chg; do
  [ -f "$f" ] || continue
  bad=$("$CHG" check --color never --max-errors 0 "$f" 2>&1 | grep -E '\[CHG0[12][0-9][0-9]\]')
  if [ -n "$bad" ]; then echo "docs: an example does not parse ($f):"; echo "$bad"; failed=1; fi
done
# report-json.md's two examples are what chg writes, "in full": the
# first as it is, the second with --detail
awk -v dir="$tmp" '/writes, in full:/ { n++; on = 1; next } on && /^```json/ { inblock = 1; next }
     inblock && /^```/ { inblock = 0; on = 0; next } inblock { print > (dir "/doc" n ".json") }' docs/report-json.md
n=0
for detail in "" --detail; do
  n=$((n + 1))
  # shellcheck disable=SC2086 # $detail is nothing or one word
  "$CHG" report --format json $detail --section recommendations tests/claims/calam_over_95.chg \
    >"$tmp/got$n.json" 2>/dev/null
  cmp -s "$tmp/doc$n.json" "$tmp/got$n.json" ||
    { echo "docs: report-json.md's example $n is not what chg writes:"; diff "$tmp/doc$n.json" "$tmp/got$n.json" | head -6; failed=1; }
done
# hooks.md's worked examples run as written on a portfolio they fit: red
# programmes over a quarter escalated, a benefit behind at the top level
# and in a programme (only the programme's status set), no hook error
mkdir -p "$tmp/hooks"
python3 - "$tmp/hooks" <<'PY' || failed=1
import re, sys
text = open("docs/hooks.md").read()
found = re.findall(r"### (Too many red programmes|A status from the figures)\n\n```lua\n(.*?)```", text, re.S)
if len(found) != 2:
    print("docs: hooks.md's two worked examples are not where docs.sh looks"); sys.exit(1)
for i, (name, code) in enumerate(found):
    open("%s/h%d.lua" % (sys.argv[1], i), "w").write(code)
PY
cat >"$tmp/hooks/p.chg" <<'EOF'
use std.rag
use std.escalation
portfolio p "P" { as_of 2024-06-30 }
programme a "A" { status overall red }
programme b "B" { status overall red }
programme c "C" { status overall green }
programme d "D" {
  status overall green
  benefit b1 "Fewer calls" { type societal; target 100; profile 2023/24: 50; actual 2023/24: 10; due 2025-03-31 }
}
benefit b2 "Top" { type societal; target 100; profile 2023/24: 50; actual 2023/24: 10; due 2025-03-31 }
hook "h0.lua"
hook "h1.lua"
EOF
"$CHG" report --format csv --section escalations "$tmp/hooks/p.chg" >"$tmp/hooks/esc.csv" 2>"$tmp/hooks/err"
"$CHG" report --format csv --section status "$tmp/hooks/p.chg" >"$tmp/hooks/status.csv" 2>>"$tmp/hooks/err"
if grep -q "error" "$tmp/hooks/err" || [ "$(grep -c '2 of 4 programmes are red' "$tmp/hooks/esc.csv")" != 2 ] ||
   ! grep -q '^d,D,benefits,Red,' "$tmp/hooks/status.csv"; then
  echo "docs: hooks.md's worked examples do not do what they say:"; cat "$tmp/hooks/err" "$tmp/hooks/esc.csv" "$tmp/hooks/status.csv" | head -12; failed=1
fi
# the man page's small portfolio checks clean and is laid out as chg fmt
# lays it out, so a reader who copies it passes `chg fmt --check`
python3 - >"$tmp/man.chg" <<'PY'
import re
page = open("docs/chg.1").read()
m = re.search(r"A small portfolio:\n\.PP\n\.RS 4\n\.EX\n(.*?)\.EE", page, re.S)
print((m.group(1) if m else "").replace("\\-", "-").replace("\\(Po", "\u00a3"), end="")
PY
if [ ! -s "$tmp/man.chg" ] || ! "$CHG" check "$tmp/man.chg" >/dev/null 2>&1 ||
   ! "$CHG" fmt --check "$tmp/man.chg" >/dev/null 2>&1; then
  echo "docs: chg.1's small portfolio does not check clean, or is not laid out as chg fmt would"; failed=1
fi
# reports.md's samples of the 2011 savings totals are what the goldens
# they cite hold (the text one wraps its note at 120 columns)
python3 - <<'PY' || failed=1
import re, sys
doc = open("docs/reports.md").read()
for fence, golden, head in (("```\n", "tests/golden/mps_2011/report.txt", "Savings totals and remaining budget gap\n="),
                            ("```markdown\n", "tests/golden/mps_2011/report.md", "## Savings totals and remaining budget gap\n")):
    at = doc.find(fence + head)
    sample = doc[at + len(fence):doc.index("```", at + len(fence))] if at >= 0 else ""
    if not sample or sample not in open(golden).read():
        print("docs: reports.md's sample of the savings totals is not what %s holds" % golden)
        sys.exit(1)
PY
# report-json.md's table of each section's columns names every column the
# goldens' JSON reports have (but those named after a year, a month, a
# block depended on or a status level, which the table describes)
python3 - <<'PY' || failed=1
import glob, json, re, sys
doc = open("docs/report-json.md").read()
rows = {m.group(1): set(re.findall(r"`([a-z_0-9]+)`", m.group(2)))
        for m in re.finditer(r"^\| `([a-z-]+)` \| (.*) \|$", doc, re.M)}
per_block = ("dependency-matrix", "heatmap")
missing = set()
for path in glob.glob("tests/golden/*/report.json"):
    for s in json.load(open(path))["sections"]:
        for c in s["columns"]:
            n = c["name"]
            if s["name"] in per_block and n not in ("from", "unit", "capacity") or \
               re.match(r"fy_\d{4}_\d{2}$|status_", n):
                continue
            if n not in rows.get(s["name"], ()):
                missing.add("%s.%s" % (s["name"], n))
if missing:
    print("docs: report-json.md's table of columns leaves out " + ", ".join(sorted(missing)))
    sys.exit(1)
PY
# examples/gmpp is what its converter makes of the published data, where
# the data is to hand (the workplace's shared folder; not in a clone)
gmpp_csv=${GMPP_CSV:-../shared/data/gmpp/gmpp_2014_2023.csv}
if [ -f "$gmpp_csv" ] && command -v lua5.4 >/dev/null 2>&1; then
  lua5.4 examples/gmpp/convert.lua "$gmpp_csv" 2023 2>/dev/null | "$CHG" fmt - >"$tmp/gmpp.chg"
  cmp -s "$tmp/gmpp.chg" examples/gmpp/portfolio.chg ||
    { echo "docs: examples/gmpp/portfolio.chg is not what convert.lua makes of $gmpp_csv"; failed=1; }
fi
rm -rf "$tmp"
[ $failed = 0 ] && echo "docs: every diagnostic code documented and raised by its example; every example parses; the JSON examples are what chg writes"
exit $failed
