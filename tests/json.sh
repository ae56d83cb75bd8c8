#!/bin/sh
# JSON reports validate against docs/report.schema.json (version 2, the
# default) and docs/report-detail.schema.json (version 1, --detail); each
# golden report of version 2 holds the values of its --detail report; and
# the checks are strict enough to reject a broken one.  Usage: json.sh
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 tests/validate_json.py tests/golden/*/report.json tests/golden/*/report-detail.json || exit 1
# broken reports, each of which the checks must refuse: in version 1 a
# money cell whose pence is a string, a row missing a column and a
# section without one of its columns (its rows without it too); in
# version 2 a count that is text, a money value with a fraction, a bare
# value in a mixed column, a level column with no scale, a value that is
# not the one --detail gives, and a row missing a column
python3 - "$tmp" <<'PY' || exit 1
import json, os, shutil, sys
tmp = sys.argv[1]
def broken(name, source, change):
    r = json.load(open('tests/golden/mps_2011/' + source))
    change(r)
    os.makedirs(f'{tmp}/{name}', exist_ok=True)
    json.dump(r, open(f'{tmp}/{name}/{source}', 'w'))
    if source == 'report.json':  # its --detail report beside it, unchanged
        shutil.copy('tests/golden/mps_2011/report-detail.json', f'{tmp}/{name}/')
def section(r, name):
    return next(s for s in r['sections'] if s['name'] == name)
def first_of_type(r, kind):
    for s in r['sections']:
        for c in s['columns']:
            for row in s['rows']:
                if c['type'] == kind and row[c['name']] is not None:
                    return row, c['name']
    raise SystemExit(f'no {kind} cell in mps_2011 to break')
def set_cell(r, kind, value):
    row, name = first_of_type(r, kind)
    row[name] = value(row[name])
def pence_text(r):
    for s in r['sections']:
        for row in s['rows']:
            for name, cell in row.items():
                if isinstance(cell, dict) and 'pence' in cell:
                    cell['pence'] = 'lots'
                    return
def drop_first(r):
    row = r['sections'][0]['rows'][0]
    row.pop(next(iter(row)))
def bare_in_mixed(r):
    s = section(r, 'summary')
    name = next(c['name'] for c in s['columns'] if c['type'] == 'mixed')
    s['rows'][0][name] = 'bare'
def scale_dropped(r):
    for s in r['sections']:
        for c in s['columns']:
            if c['type'] == 'level':
                del c['scale']
                return
def column_dropped(r):
    s = section(r, 'programmes')
    s['columns'] = [c for c in s['columns'] if c['name'] != 'layer']
    for row in s['rows']:
        del row['layer']
broken('v1_pence_text', 'report-detail.json', pence_text)
broken('v1_column_dropped', 'report-detail.json', column_dropped)
broken('v1_row_short', 'report-detail.json', drop_first)
broken('count_text', 'report.json', lambda r: set_cell(r, 'count', str))
broken('money_fraction', 'report.json', lambda r: set_cell(r, 'money', lambda v: v + 0.5))
broken('bare_in_mixed', 'report.json', bare_in_mixed)
broken('scale_dropped', 'report.json', scale_dropped)
broken('value_changed', 'report.json', lambda r: set_cell(r, 'money', lambda v: v + 1))
broken('row_short', 'report.json', drop_first)
PY
for f in "$tmp"/*/report*.json; do
  case $f in */v1_*/report.json) continue ;; esac
  case $f in */v1_*) ;; */report-detail.json) continue ;; esac
  if python3 tests/validate_json.py "$f" >/dev/null 2>&1; then
    echo "json: the checks accepted a broken report ($f)"; exit 1
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
def report(path, *detail):
    out = subprocess.run(['build/chg', 'report', '--format', 'json', *detail, '--section',
                          'programmes', path], capture_output=True, check=True).stdout
    return json.loads(out)['sections'][0]['rows']
rows, values = report(tmp + '/esc.chg', '--detail'), report(tmp + '/esc.chg')
titles = [r['title']['value'] for r in rows]
assert titles[0] == want, repr(titles[0])
assert titles[1] == 'x' * 70000 + '"' + 'y' * 70000, len(titles[1])
assert all(r['title']['display'] == r['title']['value'] for r in rows)
assert [r['title'] for r in values] == titles, 'version 2 titles'

# the writer copies eight plain bytes at a time: a byte to escape at every
# place in and around such a run, and strings of every length up to it
cases = ['a' * k + esc + 'b' * (17 - k) for k in range(18) for esc in ('\\"', '\\\\', '\\t', '\\u{1}')]
cases += ['c' * n for n in range(1, 18)]
src = 'portfolio p "P" { as_of 2024-01-01 }\n' + ''.join(
    'project q%d "%s" { budget \u00a31m }\n' % (i, c) for i, c in enumerate(cases))
open(tmp + '/runs.chg', 'w', encoding='utf-8').write(src)
decode = lambda c: c.replace('\\"', '"').replace('\\\\', '\\').replace('\\t', '\t').replace('\\u{1}', '\x01')
rows, values = report(tmp + '/runs.chg', '--detail'), report(tmp + '/runs.chg')
assert [r['title']['value'] for r in rows] == [decode(c) for c in cases], 'escapes by place'
assert all(r['title']['display'] == r['title']['value'] for r in rows), 'display by place'
assert [r['title'] for r in values] == [decode(c) for c in cases], 'version 2 escapes by place'
PY
echo "json: quotes, backslashes, controls and 140 KB titles come back exactly, at every place in a string"
# the C1 controls, DEL and the line and paragraph separators are escaped
# too, and a file's name that is not UTF-8 (which nothing checked) comes
# out as U+FFFD: the report is UTF-8 whatever the portfolio's files are
python3 - "$tmp" <<'PY' || exit 1
import json, os, subprocess, sys
tmp = sys.argv[1]
src = ('portfolio p "P" { as_of 2024-01-01 }\n'
       'project a "del\\u{7F} nel\\u{85} csi\\u{9B}31m ls\\u{2028} ps\\u{2029} \u00e9" { budget \u00a31m }\n')
name = os.path.join(tmp.encode(), b'lat\xe9n.chg')
open(name, 'wb').write(src.encode('utf-8'))
for args in (['report', '--format', 'json'], ['report', '--format', 'json', '--detail'],
             ['check', '--format', 'json', '--strict']):
    out = subprocess.run([b'build/chg'] + [a.encode() for a in args] + [name], capture_output=True).stdout
    for raw in (b'\x7f', b'\xc2\x85', b'\xc2\x9b', b'\xe2\x80\xa8', b'\xe2\x80\xa9', b'\xe9n'):
        assert raw not in out, (args, raw)
    text = out.decode('utf-8')  # fails on a byte that is not UTF-8
    if args[0] == 'report':
        doc = json.loads(text)
        assert doc['portfolio']['source']['file'].endswith('lat\ufffdn.chg'), doc['portfolio']['source']
        rows = [x for x in doc['sections'] if x['name'] == 'programmes'][0]['rows']
        title = rows[0]['title']
        title = title['value'] if isinstance(title, dict) else title
        assert title == 'del\x7f nel\x85 csi\x9b31m ls\u2028 ps\u2029 \u00e9', repr(title)
PY
echo "json: DEL, C1 controls and line separators escaped, a file's name not UTF-8 written as U+FFFD"
# version 2's column types: of no type in a section asked for with no rows,
# a level's scale named once in the column, mixed where a Total row is text
python3 - "$tmp" <<'PY' || exit 1
import json, subprocess, sys
tmp = sys.argv[1]
src = ('use std.rag\nportfolio p "P" { as_of 2024-01-01 }\n'
       'programme g "G" {\n  status overall green "On track"\n'
       '  project a "A" { budget \u00a38m; status overall amber "Late" }\n}\n')
open(tmp + '/types.chg', 'w', encoding='utf-8').write(src)
out = subprocess.run(['build/chg', 'report', '--format', 'json', '--section',
                      'flags,programmes,confidence', tmp + '/types.chg'],
                     capture_output=True, check=True).stdout
sections = {s['name']: s for s in json.loads(out)['sections']}
flags = sections['flags']
assert flags['rows'] == [] and all(c['type'] is None and 'scale' not in c for c in flags['columns']), flags
cols = {c['name']: c for c in sections['programmes']['columns']}
assert cols['status']['type'] == 'level' and cols['status']['scale'] == 'rag', cols['status']
assert cols['budget']['type'] == 'money' and 'scale' not in cols['budget'], cols['budget']
assert [r['status'] for r in sections['programmes']['rows']] == ['amber', 'amber'], sections['programmes']['rows']
assert [r['budget'] for r in sections['programmes']['rows']] == [None, 800000000]
PY
echo "json: version 2 types each column by its cells: none when empty, a level's scale, money in pence"
