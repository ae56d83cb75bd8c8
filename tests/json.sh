#!/bin/sh
# JSON reports validate against docs/report.schema.json, and the schema
# is strict enough to reject a broken one.  Usage: json.sh
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 tests/validate_json.py tests/golden/*/report.json || exit 1
# a money cell whose pence is a string, and a row missing a column
sed '0,/"pence": -\{0,1\}[0-9]*/s//"pence": "lots"/' tests/golden/mps_2011/report.json >"$tmp/bad1.json"
python3 - "$tmp/bad2.json" <<'PY'
import json, sys
r = json.load(open('tests/golden/mps_2011/report.json'))
row = r['sections'][0]['rows'][0]
row.pop(next(iter(row)))
json.dump(r, open(sys.argv[1], 'w'))
PY
for f in "$tmp/bad1.json" "$tmp/bad2.json"; do
  if python3 tests/validate_json.py "$f" >/dev/null 2>&1; then
    echo "json: the schema accepted a broken report ($f)"; exit 1
  fi
done
echo "json: the schema rejects broken reports"
python3 tests/csv_check.py tests/golden/*/csv/*.csv || exit 1
# every byte a JSON string cannot hold is escaped, including in a title
# longer than the writer's buffer
python3 - "$tmp" <<'PY' || exit 1
import json, subprocess, sys
tmp = sys.argv[1]
tricky = 'say \\"no\\" \\\\ to\\ta\\nline \\u{1} \\u{1F} \\u{7F} caf\\u{E9} \\u{2019}'
want = 'say "no" \\ to\ta\nline \x01 \x1f \x7f caf\u00e9 \u2019'
long_title = 'x' * 70000 + '\\"' + 'y' * 70000
src = ('portfolio p "P" { as_of 2024-01-01 }\n'
       'programme g "%s" {\n  project a "%s" { budget \u00a38m }\n}\n') % (tricky, long_title)
open(tmp + '/esc.chg', 'w', encoding='utf-8').write(src)
out = subprocess.run(['build/chg', 'report', '--format', 'json', '--section', 'programmes',
                      tmp + '/esc.chg'], capture_output=True, check=True).stdout
rows = json.loads(out)['sections'][0]['rows']
titles = [r['title']['value'] for r in rows]
assert titles[0] == want, repr(titles[0])
assert titles[1] == 'x' * 70000 + '"' + 'y' * 70000, len(titles[1])
assert all(r['title']['display'] == r['title']['value'] for r in rows)
# the writer copies eight plain bytes at a time: a byte to escape at every
# place in and around such a run, and strings of every length up to it
cases = ['a' * k + esc + 'b' * (17 - k) for k in range(18) for esc in ('\\"', '\\\\', '\\t', '\\u{1}')]
cases += ['c' * n for n in range(1, 18)]
src = 'portfolio p "P" { as_of 2024-01-01 }\n' + ''.join(
    'project q%d "%s" { budget \u00a31m }\n' % (i, c) for i, c in enumerate(cases))
open(tmp + '/runs.chg', 'w', encoding='utf-8').write(src)
out = subprocess.run(['build/chg', 'report', '--format', 'json', '--section', 'programmes',
                      tmp + '/runs.chg'], capture_output=True, check=True).stdout
decode = lambda c: c.replace('\\"', '"').replace('\\\\', '\\').replace('\\t', '\t').replace('\\u{1}', '\x01')
rows = json.loads(out)['sections'][0]['rows']
assert [r['title']['value'] for r in rows] == [decode(c) for c in cases], 'escapes by place'
assert all(r['title']['display'] == r['title']['value'] for r in rows), 'display by place'
PY
echo "json: quotes, backslashes, controls and 140 KB titles come back exactly, at every place in a string"
